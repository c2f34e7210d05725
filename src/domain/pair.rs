//! Where a manager–report pair stands: when their next 1on1 is due, whether it is late, and
//! whether reminders may go out today.
//!
//! Pure: `today` is the local day of whoever is asking, passed in.

use super::cadence::Cadence;
use chrono::NaiveDate;

/// The longest snooze, in days: a year. Longer absences are a pause.
pub const MAX_SNOOZE_DAYS: u32 = 365;

/// What is known of one manager–report pair, for deciding its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairFacts {
    /// How often the pair means to meet.
    pub cadence: Cadence,
    /// The day the pair was set up; a pair that never met is due one cadence after it.
    pub added_on: NaiveDate,
    /// The day of their latest 1on1, if any.
    pub last_met_on: Option<NaiveDate>,
    /// Stopped until resumed: no state but `Paused`, no reminders.
    pub paused: bool,
    /// No reminders before this day (reminders may go out again on it).
    pub snoozed_until: Option<NaiveDate>,
}

/// Where a pair stands on a given day, for showing it and for deciding to remind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairState {
    /// The next 1on1 is due on a later day.
    OnTrack { due_on: NaiveDate },
    /// The next 1on1 is due today.
    DueToday,
    /// The 1on1 due on `due_on` has not happened, `days` days later.
    Overdue { due_on: NaiveDate, days: i64 },
    /// Reminders are held until `until`, whether or not the 1on1 is due.
    Snoozed { until: NaiveDate, due_on: NaiveDate },
    /// Stopped until someone resumes it.
    Paused,
}

impl PairFacts {
    /// The last 1on1 plus the cadence; a pair that never met is due one cadence after it was
    /// added.
    pub fn due_on(&self) -> NaiveDate {
        self.cadence
            .next_due(self.last_met_on.unwrap_or(self.added_on))
    }

    /// Where the pair stands on local day `today`. Paused wins over snoozed, and a snooze shows
    /// only while `today` is before its end.
    pub fn state(&self, today: NaiveDate) -> PairState {
        let due_on = self.due_on();
        if self.paused {
            return PairState::Paused;
        }
        if let Some(until) = self.snoozed_on(today) {
            return PairState::Snoozed { until, due_on };
        }
        match today.cmp(&due_on) {
            std::cmp::Ordering::Less => PairState::OnTrack { due_on },
            std::cmp::Ordering::Equal => PairState::DueToday,
            std::cmp::Ordering::Greater => PairState::Overdue {
                due_on,
                days: (today - due_on).num_days(),
            },
        }
    }

    /// Reminders may go out on local day `today`: not paused, not snoozed, and the 1on1 is due
    /// or late.
    pub fn may_remind(&self, today: NaiveDate) -> bool {
        !self.paused && self.snoozed_on(today).is_none() && today >= self.due_on()
    }

    /// The end of a snooze still running on `today`.
    fn snoozed_on(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.snoozed_until.filter(|&until| today < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn pair(cadence: Cadence, added_on: &str, last_met_on: Option<&str>) -> PairFacts {
        PairFacts {
            cadence,
            added_on: d(added_on),
            last_met_on: last_met_on.map(d),
            paused: false,
            snoozed_until: None,
        }
    }

    #[test]
    fn the_next_1on1_is_due_one_cadence_after_the_last_or_after_being_added() {
        let cases = [
            (Cadence::Weekly, "2026-01-01", None, "2026-01-08"),
            (
                Cadence::Weekly,
                "2026-01-01",
                Some("2026-03-02"),
                "2026-03-09",
            ),
            (Cadence::Biweekly, "2026-12-25", None, "2027-01-08"),
            (
                Cadence::EveryDays(10),
                "2026-01-01",
                Some("2026-02-25"),
                "2026-03-07",
            ),
            (Cadence::Monthly, "2026-01-31", None, "2026-02-28"),
            (
                Cadence::Monthly,
                "2027-01-31",
                Some("2028-01-31"),
                "2028-02-29",
            ),
            (
                Cadence::Monthly,
                "2026-01-01",
                Some("2026-03-31"),
                "2026-04-30",
            ),
            (
                Cadence::Monthly,
                "2026-01-01",
                Some("2026-12-31"),
                "2027-01-31",
            ),
        ];
        for (cadence, added, met, want) in cases {
            let p = pair(cadence, added, met);
            assert_eq!(p.due_on(), d(want), "{cadence} added {added} met {met:?}");
        }
    }

    #[test]
    fn a_monthly_pair_from_january_31_moves_through_the_month_ends() {
        // Added on the 31st and never met: due on the last day of February.
        let p = pair(Cadence::Monthly, "2026-01-31", None);
        let due = d("2026-02-28");
        let cases = [
            ("2026-02-27", PairState::OnTrack { due_on: due }),
            ("2026-02-28", PairState::DueToday),
            (
                "2026-03-01",
                PairState::Overdue {
                    due_on: due,
                    days: 1,
                },
            ),
            (
                "2026-03-31",
                PairState::Overdue {
                    due_on: due,
                    days: 31,
                },
            ),
        ];
        for (today, want) in cases {
            assert_eq!(p.state(d(today)), want, "{today}");
        }
    }

    #[test]
    fn a_pair_that_met_on_the_due_day_is_on_track_again() {
        let p = pair(Cadence::Weekly, "2026-01-01", Some("2026-01-08"));
        assert_eq!(
            p.state(d("2026-01-08")),
            PairState::OnTrack {
                due_on: d("2026-01-15")
            }
        );
        assert!(!p.may_remind(d("2026-01-08")));
    }

    #[test]
    fn a_snooze_holds_until_its_last_day_and_not_on_it() {
        let mut p = pair(Cadence::Weekly, "2026-01-01", None);
        p.snoozed_until = Some(d("2026-01-12"));
        let due = d("2026-01-08");
        let snoozed = PairState::Snoozed {
            until: d("2026-01-12"),
            due_on: due,
        };
        let cases = [
            ("2026-01-05", snoozed, false),
            ("2026-01-08", snoozed, false),
            ("2026-01-11", snoozed, false),
            (
                "2026-01-12",
                PairState::Overdue {
                    due_on: due,
                    days: 4,
                },
                true,
            ),
            (
                "2026-01-13",
                PairState::Overdue {
                    due_on: due,
                    days: 5,
                },
                true,
            ),
        ];
        for (today, state, remind) in cases {
            assert_eq!(p.state(d(today)), state, "{today}");
            assert_eq!(p.may_remind(d(today)), remind, "{today}");
        }
    }

    #[test]
    fn a_snooze_ending_before_the_due_day_changes_nothing() {
        let mut p = pair(Cadence::Weekly, "2026-01-01", None);
        p.snoozed_until = Some(d("2026-01-03"));
        assert_eq!(
            p.state(d("2026-01-05")),
            PairState::OnTrack {
                due_on: d("2026-01-08")
            }
        );
        assert!(!p.may_remind(d("2026-01-05")));
        assert_eq!(p.state(d("2026-01-08")), PairState::DueToday);
        assert!(p.may_remind(d("2026-01-08")));
    }

    #[test]
    fn paused_wins_over_snoozed_and_stops_every_reminder() {
        let mut p = pair(Cadence::Weekly, "2026-01-01", None);
        p.paused = true;
        for snooze in [None, Some(d("2026-02-01"))] {
            p.snoozed_until = snooze;
            for today in ["2026-01-05", "2026-01-08", "2026-03-01"] {
                assert_eq!(p.state(d(today)), PairState::Paused, "{today} {snooze:?}");
                assert!(!p.may_remind(d(today)), "{today} {snooze:?}");
            }
        }
    }

    #[test]
    fn reminders_start_on_the_due_day() {
        let p = pair(Cadence::Biweekly, "2026-01-01", Some("2026-02-01"));
        let cases = [
            ("2026-02-14", false),
            ("2026-02-15", true),
            ("2026-02-16", true),
            ("2027-02-15", true),
        ];
        for (today, want) in cases {
            assert_eq!(p.may_remind(d(today)), want, "{today}");
        }
    }
}
