//! How a late 1on1 is chased: a few spaced reminders to the manager, then, if the organisation
//! wants it, one note to the report that they may ask for the 1on1 themselves.
//!
//! Pure: what was already sent arrives as a parameter; when a slot opens is `SendWindow`'s job.

use chrono::{Days, NaiveDate};

/// How insistent reminders are, set by the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// Days between two reminders to the same manager.
    pub remind_every_days: u32,
    /// How many reminders a manager gets per due 1on1.
    pub max_reminders: u32,
    /// Whether the report hears, once, that they can ask for the 1on1 themselves.
    pub nudge_report: bool,
}

/// What to send next for one due 1on1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextReminder {
    /// Reminder number `seq` (1-based) to the manager, not before local day `not_before`.
    Manager { seq: u32, not_before: NaiveDate },
    /// All reminders sent; tell the report once that they can ask for a 1on1.
    NudgeReport { not_before: NaiveDate },
    /// Nothing more this due period.
    Finished,
}

/// What to send next for the 1on1 due on `due_on`.
///
/// `sent`: the local days on which this due period's manager reminders 1..=k went out, in
/// order; `nudged`: whether the report nudge went out. The first reminder waits for the due
/// day and each later one (and the nudge) for `remind_every_days` after the one before.
pub fn next_reminder(
    policy: &ReminderPolicy,
    due_on: NaiveDate,
    sent: &[NaiveDate],
    nudged: bool,
) -> NextReminder {
    let spaced = |last: Option<&NaiveDate>| match last {
        Some(day) => day
            .checked_add_days(Days::new(u64::from(policy.remind_every_days)))
            .unwrap_or(NaiveDate::MAX),
        None => due_on,
    };
    // More sent than the policy now allows (it was lowered): the reminders are done.
    let count = u32::try_from(sent.len()).unwrap_or(u32::MAX);
    if count < policy.max_reminders {
        NextReminder::Manager {
            seq: count + 1,
            not_before: spaced(sent.last()),
        }
    } else if policy.nudge_report && !nudged {
        NextReminder::NudgeReport {
            not_before: spaced(sent.last()),
        }
    } else {
        NextReminder::Finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn policy(every: u32, max: u32, nudge: bool) -> ReminderPolicy {
        ReminderPolicy {
            remind_every_days: every,
            max_reminders: max,
            nudge_report: nudge,
        }
    }

    fn manager(seq: u32, not_before: &str) -> NextReminder {
        NextReminder::Manager {
            seq,
            not_before: d(not_before),
        }
    }

    fn nudge(not_before: &str) -> NextReminder {
        NextReminder::NudgeReport {
            not_before: d(not_before),
        }
    }

    #[test]
    fn reminders_go_out_spaced_then_the_report_is_nudged_once() {
        let p = policy(3, 3, true);
        let due = d("2026-11-20");
        let cases: [(&[&str], bool, NextReminder); 6] = [
            (&[], false, manager(1, "2026-11-20")),
            // Sent late (the window was closed): the spacing counts from when it went out.
            (&["2026-11-23"], false, manager(2, "2026-11-26")),
            (
                &["2026-11-23", "2026-11-26"],
                false,
                manager(3, "2026-11-29"),
            ),
            (
                &["2026-11-23", "2026-11-26", "2026-11-30"],
                false,
                nudge("2026-12-03"),
            ),
            (
                &["2026-11-23", "2026-11-26", "2026-11-30"],
                true,
                NextReminder::Finished,
            ),
            // Across a month and a year end.
            (&["2026-12-30"], false, manager(2, "2027-01-02")),
        ];
        for (sent, nudged, want) in cases {
            let sent: Vec<NaiveDate> = sent.iter().map(|s| d(s)).collect();
            assert_eq!(
                next_reminder(&p, due, &sent, nudged),
                want,
                "{sent:?} {nudged}"
            );
        }
    }

    #[test]
    fn without_the_nudge_the_reminders_just_finish() {
        let p = policy(7, 2, false);
        let due = d("2026-01-31");
        let sent = [d("2026-01-31"), d("2026-02-07")];
        assert_eq!(
            next_reminder(&p, due, &sent[..1], false),
            manager(2, "2026-02-07")
        );
        assert_eq!(next_reminder(&p, due, &sent, false), NextReminder::Finished);
    }

    #[test]
    fn with_no_manager_reminders_the_report_is_nudged_from_the_due_day() {
        let due = d("2026-11-20");
        assert_eq!(
            next_reminder(&policy(3, 0, true), due, &[], false),
            nudge("2026-11-20")
        );
        assert_eq!(
            next_reminder(&policy(3, 0, true), due, &[], true),
            NextReminder::Finished
        );
        assert_eq!(
            next_reminder(&policy(3, 0, false), due, &[], false),
            NextReminder::Finished
        );
    }

    #[test]
    fn a_lowered_maximum_stops_the_reminders_already_past_it() {
        // Three went out before the organisation lowered the maximum to two: no fourth, and
        // the nudge keeps its distance from the last one that actually went out.
        let sent = [d("2026-11-20"), d("2026-11-23"), d("2026-11-26")];
        let due = d("2026-11-20");
        assert_eq!(
            next_reminder(&policy(3, 2, true), due, &sent, false),
            nudge("2026-11-29")
        );
        assert_eq!(
            next_reminder(&policy(3, 2, false), due, &sent, false),
            NextReminder::Finished
        );
    }

    #[test]
    fn a_zero_day_spacing_allows_the_next_reminder_the_same_day() {
        let sent = [d("2026-11-20")];
        let got = next_reminder(&policy(0, 2, false), d("2026-11-20"), &sent, false);
        assert_eq!(got, manager(2, "2026-11-20"));
    }

    #[test]
    fn a_huge_spacing_near_the_end_of_time_does_not_overflow() {
        let sent = [NaiveDate::MAX];
        let got = next_reminder(&policy(u32::MAX, 2, false), NaiveDate::MAX, &sent, false);
        assert_eq!(
            got,
            NextReminder::Manager {
                seq: 2,
                not_before: NaiveDate::MAX
            }
        );
    }
}
