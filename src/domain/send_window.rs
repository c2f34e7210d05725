//! When reminders may go out: a cron schedule read on each recipient's own wall clock, never
//! on a day off, never inside quiet hours.
//!
//! Pure: `now` and the recipient's time zone are parameters. The `cron` crate counts weekdays
//! 1 = Sunday, unlike Unix cron, so numbered weekdays are refused in favour of names.

use super::calendar::{Holidays, QuietHours};
use super::period::{day_starts_at, first_instant_from};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use cron::Schedule;
use std::str::FromStr;

/// The cron expression could not be a reminder schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The `cron` crate could not read it; `reason` is its explanation.
    #[error("`{expr}` is not a cron schedule: {reason}")]
    NotCron { expr: String, reason: String },
    /// Five fields, as Unix cron writes them; this one starts with seconds.
    #[error(
        "`{0}` has five fields; add a seconds field in front: `0 30 9 * * Mon-Fri` is 09:30 on weekdays"
    )]
    NeedsSeconds(String),
    /// A numbered day of the week, which would silently mean the wrong day.
    #[error(
        "`{0}` numbers the days of the week; use names like Mon-Fri, because this cron counts 1 = Sunday"
    )]
    NumericWeekday(String),
}

/// When reminders may go out: a cron schedule read in each recipient's own time zone, never on a
/// holiday, never inside quiet hours.
#[derive(Debug, Clone)]
pub struct SendWindow {
    /// Slots, read as local times of whoever is being reminded.
    schedule: Schedule,
    /// Local days on which no slot opens.
    holidays: Holidays,
    /// Local hours in which no slot opens and no late send happens.
    quiet: Option<QuietHours>,
}

/// How far [`SendWindow::next_slot`] looks ahead before concluding there is no slot.
const LOOK_AHEAD_DAYS: i64 = 400;

impl SendWindow {
    /// A window from a six- or seven-field cron expression (seconds first, optional year
    /// last), e.g. `0 30 9 * * Mon-Fri` for 09:30 on weekdays.
    pub fn new(
        cron_expr: &str,
        holidays: Holidays,
        quiet: Option<QuietHours>,
    ) -> Result<Self, ScheduleError> {
        let expr = cron_expr.trim();
        let fields: Vec<&str> = expr.split_whitespace().collect();
        match fields.len() {
            5 => return Err(ScheduleError::NeedsSeconds(expr.to_owned())),
            6 | 7 if fields[5].bytes().any(|b| b.is_ascii_digit()) => {
                return Err(ScheduleError::NumericWeekday(expr.to_owned()));
            }
            _ => {}
        }
        let schedule = Schedule::from_str(expr).map_err(|e| ScheduleError::NotCron {
            expr: expr.to_owned(),
            reason: e
                .to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        })?;
        Ok(Self {
            schedule,
            holidays,
            quiet,
        })
    }

    /// The latest allowed slot `s <= now` on the same local calendar day as `now` in `tz`,
    /// where that day is not a holiday and neither `s` nor `now` is inside quiet hours; `None`
    /// when the window is closed.
    ///
    /// So a scheduler that was down at 09:30 still sends at 11:00 the same day, but never on a
    /// weekend or holiday, nor at night. A wall time that happens twice (clocks going back) is
    /// one slot, at its first occurrence, so the answer for a day does not change under a
    /// scheduler that keys its work by slot.
    pub fn open_slot(&self, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local_now = now.with_timezone(&tz);
        let today = local_now.date_naive();
        if self.is_quiet(local_now.naive_local()) || self.holidays.is_holiday(today) {
            return None;
        }
        let day_start = day_starts_at(today, tz).with_timezone(&tz);
        // `after` is exclusive; one second back so a midnight slot counts. Iterating forward
        // from the start of the day is at most one step per slot of the day (1440 for an
        // every-minute schedule), and unlike walking backwards from `now` it sees both
        // instants of a wall time that clocks going back repeat.
        let mut open = None;
        for slot in self.schedule.after(&(day_start - Duration::seconds(1))) {
            if slot > local_now {
                break;
            }
            if slot.date_naive() != today || is_repeat(&slot) || self.is_quiet(slot.naive_local()) {
                continue;
            }
            open = Some(slot);
        }
        open.map(|slot| slot.with_timezone(&Utc))
    }

    /// The first allowed slot strictly after `after` in `tz` (slots on holidays and inside
    /// quiet hours skipped), looking at most about 400 days ahead; `None` if there is none.
    pub fn next_slot(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let limit = after
            .checked_add_signed(Duration::days(LOOK_AHEAD_DAYS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut cursor = after.with_timezone(&tz);
        'restart: loop {
            for slot in self.schedule.after(&cursor) {
                if slot > limit {
                    return None;
                }
                // Around clocks going back the crate can answer the first occurrence of a
                // repeated wall time even when `after` is past it.
                if slot <= after || is_repeat(&slot) {
                    continue;
                }
                let local = slot.naive_local();
                // Rather than stepping through every slot of a day off or a quiet night
                // (86 400 of them for an every-second schedule), skip straight past it.
                let resume = if self.holidays.is_holiday(local.date()) {
                    let tomorrow = local.date().succ_opt()?;
                    day_starts_at(tomorrow, tz).with_timezone(&tz)
                } else if let Some(quiet) = self.quiet.filter(|q| q.contains(local.time())) {
                    let mut end = local.date().and_time(quiet.end);
                    if end <= local {
                        end += Duration::days(1);
                    }
                    first_instant_from(tz, end)?
                } else {
                    return Some(slot.with_timezone(&Utc));
                };
                // Always move forward, or the search could go round in circles.
                let one = Duration::seconds(1);
                cursor = (resume - one).max(slot).max(cursor + one);
                continue 'restart;
            }
            return None;
        }
    }

    fn is_quiet(&self, local: NaiveDateTime) -> bool {
        self.quiet.is_some_and(|q| q.contains(local.time()))
    }
}

/// Whether `slot` is the second occurrence of a wall time that clocks going back repeat.
fn is_repeat(slot: &DateTime<Tz>) -> bool {
    slot.timezone()
        .from_local_datetime(&slot.naive_local())
        .earliest()
        .is_some_and(|first| first < *slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Tokyo;
    use chrono_tz::Europe::London;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// An instant given as a wall time in `tz` (the first one, where clocks go back).
    fn local(tz: Tz, s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
            .unwrap();
        tz.from_local_datetime(&naive)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn window(expr: &str) -> SendWindow {
        SendWindow::new(expr, Holidays::none(), None).unwrap()
    }

    fn quiet(text: &str) -> Option<QuietHours> {
        Some(QuietHours::parse(text).unwrap())
    }

    const WEEKDAYS_0930: &str = "0 30 9 * * Mon-Fri";

    #[test]
    fn send_windows_are_shareable_between_threads() {
        fn assert_shareable<T: Send + Sync + Clone + std::fmt::Debug>() {}
        assert_shareable::<SendWindow>();
    }

    #[test]
    fn cron_expressions_are_accepted_or_refused_with_the_reason() {
        use ScheduleError::{NeedsSeconds, NumericWeekday};
        // None: accepted; Some(variant): refused for that reason.
        type Want = Option<fn(String) -> ScheduleError>;
        let cases: [(&str, Want); 11] = [
            ("0 30 9 * * Mon-Fri", None),
            ("  0 30 9 * * Mon-Fri  ", None),
            ("0 30 9 * * MON,WED,FRI", None),
            ("0 30 9 * * Mon-Fri 2026-2030", None),
            ("0 0 9,14 * * *", None),
            ("0 */15 9-17 * * Mon-Fri", None),
            ("30 9 * * Mon-Fri", Some(NeedsSeconds)),
            ("30 9 * * 1-5", Some(NeedsSeconds)),
            ("0 30 9 * * 1-5", Some(NumericWeekday)),
            ("0 30 9 * * Mon,3", Some(NumericWeekday)),
            ("0 30 9 * * */2 2026", Some(NumericWeekday)),
        ];
        for (expr, want) in cases {
            let got = SendWindow::new(expr, Holidays::none(), None).err();
            assert_eq!(got, want.map(|f| f(expr.trim().to_owned())), "{expr}");
        }
    }

    #[test]
    fn nonsense_is_not_cron_and_the_crates_reason_is_kept() {
        for expr in [
            "",
            "every morning",
            "0 30 25 * * Mon-Fri",
            "0 30 9 * * Funday",
            "0 30 9 * * Mon-Fri 2026 x",
        ] {
            match SendWindow::new(expr, Holidays::none(), None) {
                Err(ScheduleError::NotCron { expr: e, reason }) => {
                    assert_eq!(e, expr);
                    assert!(!reason.is_empty(), "{expr}");
                }
                other => panic!("{expr}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_messages_tell_how_to_fix_the_schedule() {
        let five = SendWindow::new("30 9 * * 1-5", Holidays::none(), None).unwrap_err();
        assert!(five.to_string().contains("seconds"), "{five}");
        let numeric = SendWindow::new("0 30 9 * * 1-5", Holidays::none(), None).unwrap_err();
        assert!(numeric.to_string().contains("Mon-Fri"), "{numeric}");
        assert!(numeric.to_string().contains("1 = Sunday"), "{numeric}");
    }

    #[test]
    fn open_slot_in_tokyo_is_the_latest_slot_of_the_working_day() {
        let w = window(WEEKDAYS_0930);
        let slot = |day: &str| Some(local(Tokyo, &format!("{day} 09:30")));
        let cases = [
            // Friday 2026-11-20.
            ("2026-11-20 09:29", None),
            ("2026-11-20 09:30", slot("2026-11-20")),
            ("2026-11-20 11:00", slot("2026-11-20")),
            ("2026-11-20 23:59", slot("2026-11-20")),
            // The weekend: yesterday's slot does not carry over.
            ("2026-11-21 10:00", None),
            ("2026-11-22 10:00", None),
            // Monday, before and after its slot.
            ("2026-11-30 00:00", None),
            ("2026-11-30 09:31", slot("2026-11-30")),
        ];
        for (now, want) in cases {
            assert_eq!(w.open_slot(Tokyo, local(Tokyo, now)), want, "{now}");
        }
    }

    #[test]
    fn with_several_slots_a_day_the_latest_past_one_is_open() {
        let w = SendWindow::new("0 0 9,14 * * *", Holidays::none(), quiet("12:00-13:00")).unwrap();
        let cases = [
            ("2026-11-20 08:59", None),
            ("2026-11-20 09:00", Some("2026-11-20 09:00")),
            ("2026-11-20 11:59", Some("2026-11-20 09:00")),
            // Lunch is quiet, even for a slot that opened before it.
            ("2026-11-20 12:30", None),
            ("2026-11-20 13:00", Some("2026-11-20 09:00")),
            ("2026-11-20 14:00", Some("2026-11-20 14:00")),
        ];
        for (now, want) in cases {
            let want = want.map(|s| local(London, s));
            assert_eq!(w.open_slot(London, local(London, now)), want, "{now}");
        }
    }

    #[test]
    fn the_same_instant_opens_or_not_depending_on_the_recipients_zone() {
        let now = utc("2026-11-20T00:45:00Z");
        let w = window(WEEKDAYS_0930);
        // 09:45 on Friday in Tokyo.
        assert_eq!(w.open_slot(Tokyo, now), Some(utc("2026-11-20T00:30:00Z")));
        // 19:45 on Thursday in New York: that day's 09:30 slot is still open...
        assert_eq!(
            w.open_slot(New_York, now),
            Some(utc("2026-11-19T14:30:00Z"))
        );
        // ...unless the evening is quiet there.
        let evenings_off = SendWindow::new(WEEKDAYS_0930, Holidays::none(), quiet("19:00-08:00"));
        let evenings_off = evenings_off.unwrap();
        assert_eq!(evenings_off.open_slot(New_York, now), None);
        assert_eq!(
            evenings_off.open_slot(Tokyo, now),
            Some(utc("2026-11-20T00:30:00Z"))
        );
    }

    #[test]
    fn quiet_hours_that_wrap_midnight_close_both_ends_of_the_night() {
        // Slots every hour on the hour; quiet from 20:00 to 08:00.
        let w = SendWindow::new("0 0 * * * *", Holidays::none(), quiet("20:00-08:00")).unwrap();
        let cases = [
            ("2026-11-20 00:30", None),
            ("2026-11-20 07:59", None),
            ("2026-11-20 08:00", Some("2026-11-20 08:00")),
            ("2026-11-20 19:59", Some("2026-11-20 19:00")),
            ("2026-11-20 20:00", None),
            ("2026-11-20 23:59", None),
        ];
        for (now, want) in cases {
            let want = want.map(|s| local(Tokyo, s));
            assert_eq!(w.open_slot(Tokyo, local(Tokyo, now)), want, "{now}");
        }
    }

    #[test]
    fn no_slot_opens_on_a_holiday_of_the_list_or_of_japan() {
        let holidays = Holidays::new([d("2026-12-28")], true);
        let w = SendWindow::new(WEEKDAYS_0930, holidays, None).unwrap();
        let cases = [
            // (the day off, the next working day, which opens as usual)
            ("2026-12-28", "2026-12-29"), // the organisation's own day off, a Monday
            ("2026-11-23", "2026-11-24"), // Labour Thanksgiving Day, a Monday
            ("2026-05-06", "2026-05-07"), // substitute holiday, a Wednesday
            ("2026-09-22", "2026-09-24"), // citizens' holiday, a Tuesday, before the equinox
            ("2027-01-11", "2027-01-12"), // Coming of Age Day, a Monday
        ];
        for (day, next) in cases {
            let now = local(Tokyo, &format!("{day} 10:00"));
            assert_eq!(w.open_slot(Tokyo, now), None, "{day}");
            let now = local(Tokyo, &format!("{next} 10:00"));
            let slot = local(Tokyo, &format!("{next} 09:30"));
            assert_eq!(w.open_slot(Tokyo, now), Some(slot), "{next} after {day}");
        }
    }

    #[test]
    fn holidays_are_read_on_the_recipients_own_calendar() {
        // The organisation is off on Friday 2026-11-20. At 00:45Z it is Friday 09:45 in Tokyo
        // but still Thursday 19:45 in New York, whose Thursday slot stays open.
        let w = SendWindow::new(WEEKDAYS_0930, Holidays::new([d("2026-11-20")], true), None);
        let w = w.unwrap();
        let now = utc("2026-11-20T00:45:00Z");
        assert_eq!(w.open_slot(Tokyo, now), None);
        assert_eq!(
            w.open_slot(New_York, now),
            Some(utc("2026-11-19T14:30:00Z"))
        );
        // At 01:00Z on Tuesday the 24th, Tokyo is back at work while New York is still on
        // Monday the 23rd, Labour Thanksgiving Day on the organisation's calendar.
        let now = utc("2026-11-24T01:00:00Z");
        assert_eq!(w.open_slot(Tokyo, now), Some(utc("2026-11-24T00:30:00Z")));
        assert_eq!(w.open_slot(New_York, now), None);
    }

    #[test]
    fn a_slot_inside_the_spring_forward_gap_does_not_open_that_day() {
        // New York, 2026-03-08: clocks jump from 02:00 to 03:00, so 02:30 never happens.
        let w = window("0 30 2 * * *");
        let cases = [
            ("2026-03-07T08:00:00Z", Some("2026-03-07T07:30:00Z")), // 03:00 EST, Saturday
            ("2026-03-08T07:30:00Z", None),                         // 03:30 EDT
            ("2026-03-08T20:00:00Z", None),                         // 16:00 EDT
            ("2026-03-09T06:31:00Z", Some("2026-03-09T06:30:00Z")), // 02:31 EDT
        ];
        for (now, want) in cases {
            assert_eq!(w.open_slot(New_York, utc(now)), want.map(utc), "{now}");
        }
    }

    #[test]
    fn a_slot_in_the_hour_that_repeats_in_autumn_is_one_slot() {
        // New York, 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        let w = window("0 30 1 * * *");
        let first = Some(utc("2026-11-01T05:30:00Z"));
        for now in [
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:10:00Z", // 01:10 EST, after the first 01:30 on the wall
            "2026-11-01T06:30:00Z",
            "2026-11-01T12:00:00Z",
        ] {
            assert_eq!(w.open_slot(New_York, utc(now)), first, "{now}");
        }
        assert_eq!(w.open_slot(New_York, utc("2026-11-01T05:29:59Z")), None);
    }

    #[test]
    fn a_day_whose_midnight_clocks_skip_still_has_its_slots() {
        // Santiago, 2026-09-06: clocks jump from 00:00 to 01:00, so the day starts at 01:00.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let w = window("0 0 0,1,12 * * *");
        let one = local(santiago, "2026-09-06 01:00");
        assert_eq!(
            w.open_slot(santiago, one - Duration::seconds(1)),
            Some(local(santiago, "2026-09-05 12:00"))
        );
        assert_eq!(w.open_slot(santiago, one), Some(one));
        assert_eq!(w.open_slot(santiago, one + Duration::hours(10)), Some(one));
        let noon = local(santiago, "2026-09-06 12:00");
        assert_eq!(w.open_slot(santiago, noon), Some(noon));
        assert_eq!(w.next_slot(santiago, one - Duration::hours(2)), Some(one));
        // Where midnight exists it is a slot like any other.
        let now = local(Tokyo, "2026-09-07 00:00");
        assert_eq!(w.open_slot(Tokyo, now), Some(now));
    }

    #[test]
    fn next_slot_skips_weekends_holidays_and_quiet_hours() {
        let japan = Holidays::new([d("2026-12-28")], true);
        let w = SendWindow::new(WEEKDAYS_0930, japan.clone(), None).unwrap();
        let cases = [
            // Friday 09:30 → the same slot is not "after" itself → Monday.
            ("2026-11-13 09:30", "2026-11-16 09:30"),
            ("2026-11-13 09:29", "2026-11-13 09:30"),
            // Friday evening → Monday 23rd is Labour Thanksgiving Day → Tuesday.
            ("2026-11-20 18:00", "2026-11-24 09:30"),
            // Golden Week: Sun 3 – Wed 6 May are all off in 2026.
            ("2026-05-01 10:00", "2026-05-07 09:30"),
            // Citizens' holiday between Respect for the Aged Day and the equinox.
            ("2026-09-18 10:00", "2026-09-24 09:30"),
            // The organisation's own day off, then the year end.
            ("2026-12-25 10:00", "2026-12-29 09:30"),
        ];
        for (after, want) in cases {
            let got = w.next_slot(Tokyo, local(Tokyo, after));
            assert_eq!(got, Some(local(Tokyo, want)), "after {after}");
        }
        let hourly = SendWindow::new("0 0 * * * Mon-Fri", japan, quiet("18:00-09:00")).unwrap();
        let cases = [
            ("2026-11-20 16:30", "2026-11-20 17:00"),
            ("2026-11-20 17:00", "2026-11-24 09:00"),
            ("2026-11-24 03:00", "2026-11-24 09:00"),
        ];
        for (after, want) in cases {
            let got = hourly.next_slot(Tokyo, local(Tokyo, after));
            assert_eq!(got, Some(local(Tokyo, want)), "after {after}");
        }
    }

    #[test]
    fn next_slot_crosses_daylight_saving_changes() {
        let gap = window("0 30 2 * * *");
        assert_eq!(
            gap.next_slot(New_York, utc("2026-03-07T07:30:00Z")),
            Some(utc("2026-03-09T06:30:00Z")),
            "02:30 does not happen on 8 March"
        );
        let repeat = window("0 30 1 * * *");
        for after in ["2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z"] {
            assert_eq!(
                repeat.next_slot(New_York, utc(after)),
                Some(utc("2026-11-02T06:30:00Z")),
                "01:30 repeated on 1 November is not a second slot (after {after})"
            );
        }
        assert_eq!(
            repeat.next_slot(New_York, utc("2026-11-01T05:29:00Z")),
            Some(utc("2026-11-01T05:30:00Z"))
        );
    }

    #[test]
    fn next_slot_gives_up_when_nothing_opens_within_the_look_ahead() {
        // 30 February never comes.
        assert_eq!(
            window("0 0 9 30 2 *").next_slot(Tokyo, utc("2026-01-01T00:00:00Z")),
            None
        );
        // A single day in 2030 is too far ahead.
        let far = window("0 0 9 1 1 * 2030");
        assert_eq!(far.next_slot(Tokyo, utc("2026-01-01T00:00:00Z")), None);
        assert!(far.next_slot(Tokyo, utc("2029-06-01T00:00:00Z")).is_some());
        // Every slot is inside quiet hours.
        let muted = SendWindow::new("0 0 22 * * *", Holidays::none(), quiet("20:00-08:00"));
        assert_eq!(
            muted.unwrap().next_slot(Tokyo, utc("2026-01-01T00:00:00Z")),
            None
        );
    }

    #[test]
    fn a_busy_schedule_with_long_quiet_hours_is_still_answered_quickly() {
        // Every second, but only 23:59:00-00:00:59 is not quiet.
        let w = SendWindow::new("* * * * * *", Holidays::new([], true), quiet("00:01-23:59"));
        let w = w.unwrap();
        let start = std::time::Instant::now();
        let cases = [
            ("2026-11-22 00:00:59", "2026-11-22 23:59:00"),
            // Monday the 23rd is a holiday in Japan.
            ("2026-11-22 23:59:59", "2026-11-24 00:00:00"),
        ];
        for (after, want) in cases {
            let got = w.next_slot(Tokyo, local(Tokyo, after));
            assert_eq!(got, Some(local(Tokyo, want)), "after {after}");
        }
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
    }

    #[test]
    fn next_slot_agrees_with_open_slot_across_a_year_of_days() {
        // Whatever next_slot answers must be open at that instant, and open_slot must not have
        // been open anywhere in between on a later slot.
        // New York's clocks skip 02:30 on 8 March and repeat 01:30 on 1 November.
        let w = SendWindow::new(
            "0 30 1,2,9 * * *",
            Holidays::new([d("2026-07-03")], true),
            quiet("22:00-01:00"),
        )
        .unwrap();
        for tz in [Tokyo, New_York] {
            let mut at = utc("2026-01-01T00:00:00Z");
            while at < utc("2027-01-01T00:00:00Z") {
                let next = w.next_slot(tz, at).expect("a slot within 400 days");
                assert!(next > at);
                assert_eq!(w.open_slot(tz, next), Some(next), "{tz} {next}");
                let just_before = next - Duration::seconds(1);
                let prior = w.open_slot(tz, just_before);
                assert!(
                    prior.is_none_or(|p| p <= at),
                    "{tz}: {prior:?} before {next}"
                );
                at = next;
            }
        }
    }
}
