//! Working-time arithmetic: when the organisation is at work (local hours on working weekdays,
//! minus holidays, in its own time zone), and how much working time lies between two instants.
//!
//! Pure: every instant is a parameter. Time is counted a local day at a time: each working
//! day is one window from its local start to its local end, converted to UTC, so months of
//! working time cost a few hundred steps, not one per minute. Where clocks jump forward over
//! a start or an end it moves to the first instant after the jump; where a wall time happens
//! twice, the first occurrence counts.

use super::calendar::Holidays;
use super::period::first_instant_from;
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// How many local days any one question looks through (about eleven years): past that,
/// [`WorkingHours::next_open`] and [`WorkingHours::add`] give up and answer the end of time,
/// and [`WorkingHours::between`] stops counting. Holidays are finite, so real answers come
/// long before.
const LOOK_AHEAD_DAYS: usize = 4000;

/// The organisation's working time: local hours on working weekdays, minus holidays, in the
/// org's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    /// The zone whose wall clock the hours and days are read on.
    tz: Tz,
    /// When a working day starts, local time; inside working time.
    start: NaiveTime,
    /// When a working day ends, local time; outside working time. Always after `start`.
    end: NaiveTime,
    /// Working weekdays, Monday first. At least one is set.
    days: [bool; 7],
    /// Local dates that are not working days whatever their weekday.
    holidays: Holidays,
}

impl WorkingHours {
    /// Working time from `start` to `end` (local, in `tz`) on `days`, except `holidays`.
    /// `start` must come before `end` (no overnight shifts) and at least one day must be
    /// given; otherwise the error is a short English reason.
    pub fn new(
        tz: Tz,
        start: NaiveTime,
        end: NaiveTime,
        days: &[Weekday],
        holidays: Holidays,
    ) -> Result<Self, String> {
        if start >= end {
            return Err(format!(
                "working hours must end after they start, not {}-{}",
                start.format("%H:%M"),
                end.format("%H:%M")
            ));
        }
        if days.is_empty() {
            return Err("at least one working day of the week is needed".to_owned());
        }
        let mut working = [false; 7];
        for day in days {
            working[day.num_days_from_monday() as usize] = true;
        }
        Ok(Self {
            tz,
            start,
            end,
            days: working,
            holidays,
        })
    }

    /// `HH:MM-HH:MM`, e.g. `09:00-18:00`, as (start, end). Only the shape is checked here;
    /// [`WorkingHours::new`] refuses an end that is not after the start.
    pub fn parse_hours(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
        let text = text.trim();
        let (start, end) = text
            .split_once('-')
            .ok_or_else(|| format!("`{text}` is not a range of hours like 09:00-18:00"))?;
        let time = |s: &str| {
            let s = s.trim();
            NaiveTime::parse_from_str(s, "%H:%M")
                .map_err(|_| format!("`{s}` is not a time of day like 09:00"))
        };
        Ok((time(start)?, time(end)?))
    }

    /// English day names, three letters or in full, any case (`Mon`, `tuesday`), as
    /// weekdays in the order given. A name given twice or not known is refused.
    pub fn parse_days(names: &[String]) -> Result<Vec<Weekday>, String> {
        const NAMES: [(&str, &str, Weekday); 7] = [
            ("mon", "monday", Weekday::Mon),
            ("tue", "tuesday", Weekday::Tue),
            ("wed", "wednesday", Weekday::Wed),
            ("thu", "thursday", Weekday::Thu),
            ("fri", "friday", Weekday::Fri),
            ("sat", "saturday", Weekday::Sat),
            ("sun", "sunday", Weekday::Sun),
        ];
        let mut days = Vec::with_capacity(names.len());
        for name in names {
            let lower = name.trim().to_ascii_lowercase();
            let day = NAMES
                .iter()
                .find(|(short, long, _)| lower == *short || lower == *long)
                .map(|&(_, _, day)| day)
                .ok_or_else(|| format!("`{name}` is not a day of the week like Mon or Monday"))?;
            if days.contains(&day) {
                return Err(format!("`{name}` is given twice as a working day"));
            }
            days.push(day);
        }
        Ok(days)
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Length of one working day (end - start) on the wall clock.
    pub fn day_length(&self) -> Duration {
        self.end - self.start
    }

    /// Whether `t` is inside working time: on a working weekday that is not a holiday,
    /// from the start of the day's hours up to, not including, their end.
    pub fn is_working(&self, t: DateTime<Utc>) -> bool {
        self.windows_from(t)
            .next()
            .is_some_and(|(open, _)| open == t)
    }

    /// The first instant of working time at or after `t`: `t` itself if it is working time.
    /// The end of time if none comes within about eleven years.
    pub fn next_open(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        self.windows_from(t)
            .next()
            .map_or(DateTime::<Utc>::MAX_UTC, |(open, _)| open)
    }

    /// The instant at which `work` of working time has passed since `from`, counting only
    /// working time: from outside working time, counting starts at the next opening. A zero
    /// (or negative) `work` gives [`WorkingHours::next_open`]. The end of a day's hours is a
    /// possible answer: two hours from 16:00 with an 18:00 end is 18:00 that day.
    pub fn add(&self, from: DateTime<Utc>, work: Duration) -> DateTime<Utc> {
        let mut left = work.max(Duration::zero());
        for (open, close) in self.windows_from(from) {
            let length = close - open;
            if left <= length {
                return open + left;
            }
            left -= length;
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// Working time inside `[a, b)`; zero if `b <= a`. The inverse of
    /// [`WorkingHours::add`]: `between(x, add(x, d)) == d`.
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        let mut total = Duration::zero();
        if b <= a {
            return total;
        }
        for (open, close) in self.windows_from(a) {
            if open >= b {
                break;
            }
            total += close.min(b) - open;
        }
        total
    }

    /// The working windows `[open, close)` in UTC that end after `t`, in order, the first one
    /// cut to start no earlier than `t`. Looks through at most [`LOOK_AHEAD_DAYS`] local days.
    fn windows_from(
        &self,
        t: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        // Yesterday's window (by `t`'s wall clock) can still be open where clocks go back over
        // midnight. A local date is within a day of the UTC date, so two days before the UTC
        // date covers it, without reading a local time the ends of chrono's range cannot hold.
        let first = t
            .date_naive()
            .checked_sub_days(Days::new(2))
            .unwrap_or(NaiveDate::MIN);
        let mut not_before = t;
        first
            .iter_days()
            .take(LOOK_AHEAD_DAYS)
            .filter_map(move |day| {
                let (open, close) = self.window_on(day)?;
                // Windows never overlap, but keep them in order whatever the zone's rules do.
                let open = open.max(not_before);
                if close <= open {
                    return None;
                }
                not_before = close;
                Some((open, close))
            })
    }

    /// The working window of local date `day` in UTC, if it is a working day with any
    /// working time at all (clocks jumping over the whole of the hours leave none).
    fn window_on(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let weekday = day.weekday().num_days_from_monday() as usize;
        if !self.days[weekday] || self.holidays.is_holiday(day) {
            return None;
        }
        let open = first_instant_from(self.tz, day.and_time(self.start))?.with_timezone(&Utc);
        let close = first_instant_from(self.tz, day.and_time(self.end))?.with_timezone(&Utc);
        (open < close).then_some((open, close))
    }
}

/// The most working time a setting may ask for, in working days.
const MAX_WORK_DAYS: i64 = 365;

/// A working-time duration written in settings: `2h`, `90m`, `1h30m`, `1d` (a day is
/// `day_length`, one working day), `2d4h`. Units come largest first, each at most once, any
/// case, spaces allowed between parts. Zero, empty, garbage or more than a year of working
/// days is refused with a short English reason naming the text.
pub fn parse_work_duration(text: &str, day_length: Duration) -> Result<Duration, String> {
    let trimmed = text.trim();
    let err =
        || format!("`{trimmed}` is not an amount of working time like 2h, 90m, 1h30m, 1d or 2d4h");
    let lower = trimmed.to_ascii_lowercase();
    let mut rest = lower.as_str();
    let mut total = Duration::zero();
    // Units still allowed, largest first: each may appear once, in this order.
    let mut units: &[(char, Duration)] = &[
        ('d', day_length),
        ('h', Duration::hours(1)),
        ('m', Duration::minutes(1)),
    ];
    if rest.is_empty() {
        return Err(err());
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        // Six digits is already 999 999 minutes; more can only overflow.
        if digits == 0 || digits > 6 {
            return Err(err());
        }
        let number: i32 = rest[..digits].parse().map_err(|_| err())?;
        let unit = rest[digits..].chars().next().ok_or_else(err)?;
        let at = units.iter().position(|&(u, _)| u == unit).ok_or_else(err)?;
        total += units[at].1 * number;
        units = &units[at + 1..];
        rest = rest[digits + unit.len_utf8()..].trim_start();
    }
    if total <= Duration::zero() {
        return Err(format!(
            "`{trimmed}` is no working time at all; give more than zero"
        ));
    }
    if total > day_length * MAX_WORK_DAYS as i32 {
        return Err(format!(
            "`{trimmed}` is more than {MAX_WORK_DAYS} working days; give something shorter"
        ));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};
    use chrono_tz::America::{New_York, Santiago};
    use chrono_tz::Asia::Tokyo;

    /// An instant given as a wall time in `tz` (the first one, where clocks go back).
    fn at(tz: Tz, s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
            .unwrap();
        tz.from_local_datetime(&naive)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const WEEKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    const EVERY_DAY: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn hours(tz: Tz, range: &str, days: &[Weekday], holidays: Holidays) -> WorkingHours {
        let (start, end) = WorkingHours::parse_hours(range).unwrap();
        WorkingHours::new(tz, start, end, days, holidays).unwrap()
    }

    /// Tokyo, 09:00-18:00 on weekdays, Japan's holidays off. In November 2026 the 21st and
    /// 22nd are a weekend and Monday the 23rd is Labour Thanksgiving Day.
    fn tokyo() -> WorkingHours {
        hours(Tokyo, "09:00-18:00", &WEEKDAYS, Holidays::new([], true))
    }

    fn h(n: i64) -> Duration {
        Duration::hours(n)
    }

    fn m(n: i64) -> Duration {
        Duration::minutes(n)
    }

    #[test]
    fn working_hours_are_shareable_between_threads() {
        fn assert_shareable<T: Send + Sync + Clone + std::fmt::Debug>() {}
        assert_shareable::<WorkingHours>();
    }

    #[test]
    fn working_time_starts_at_the_start_and_stops_at_the_end_on_working_days_only() {
        let work = tokyo();
        let cases = [
            ("2026-11-20 08:59:59", false),
            ("2026-11-20 09:00", true),
            ("2026-11-20 12:00", true),
            ("2026-11-20 17:59:59", true),
            ("2026-11-20 18:00", false),
            ("2026-11-20 23:00", false),
            ("2026-11-21 12:00", false), // Saturday
            ("2026-11-22 12:00", false), // Sunday
            ("2026-11-23 12:00", false), // Labour Thanksgiving Day
            ("2026-11-24 09:00", true),
        ];
        for (when, want) in cases {
            assert_eq!(work.is_working(at(Tokyo, when)), want, "{when}");
        }
    }

    #[test]
    fn the_next_opening_skips_nights_weekends_and_holidays() {
        let work = tokyo();
        let cases = [
            ("2026-11-20 12:00", "2026-11-20 12:00"), // already working
            ("2026-11-20 17:59", "2026-11-20 17:59"),
            ("2026-11-20 18:00", "2026-11-24 09:00"), // Fri close, Mon a holiday
            ("2026-11-21 10:00", "2026-11-24 09:00"), // asked on Saturday
            ("2026-11-22 23:59", "2026-11-24 09:00"),
            ("2026-11-23 10:00", "2026-11-24 09:00"),
            ("2026-11-24 08:59:59", "2026-11-24 09:00"),
            ("2026-11-24 00:00", "2026-11-24 09:00"),
        ];
        for (asked, want) in cases {
            assert_eq!(work.next_open(at(Tokyo, asked)), at(Tokyo, want), "{asked}");
        }
    }

    #[test]
    fn adding_working_time_counts_only_working_hours() {
        let work = tokyo();
        let cases = [
            // Friday 17:00: one hour left that day, the next working day is Tuesday.
            ("2026-11-20 17:00", h(2), "2026-11-24 10:00"),
            ("2026-11-18 08:00", h(2), "2026-11-18 11:00"),
            ("2026-11-18 15:00", h(9), "2026-11-19 15:00"),
            // Landing exactly on the close is allowed; a minute more is the next morning.
            ("2026-11-18 16:00", h(2), "2026-11-18 18:00"),
            ("2026-11-18 16:00", h(2) + m(1), "2026-11-19 09:01"),
            ("2026-11-18 20:00", h(1), "2026-11-19 10:00"),
            ("2026-11-21 10:00", m(30), "2026-11-24 09:30"),
            // Five working days from Friday morning end at the close of the fifth.
            ("2026-11-20 09:00", h(45), "2026-11-27 18:00"),
            // Nothing to add: the next opening.
            ("2026-11-18 12:00", h(0), "2026-11-18 12:00"),
            ("2026-11-18 18:00", h(0), "2026-11-19 09:00"),
            ("2026-11-21 10:00", h(0), "2026-11-24 09:00"),
            ("2026-11-21 10:00", h(-3), "2026-11-24 09:00"),
        ];
        for (from, work_time, want) in cases {
            let got = work.add(at(Tokyo, from), work_time);
            assert_eq!(got, at(Tokyo, want), "{from} + {work_time}");
        }
    }

    #[test]
    fn working_time_between_two_instants_leaves_out_nights_weekends_and_holidays() {
        let work = tokyo();
        let cases = [
            ("2026-11-20 17:00", "2026-11-24 10:00", h(2)),
            ("2026-11-20 12:00", "2026-11-25 12:00", h(6 + 9 + 3)),
            ("2026-11-21 00:00", "2026-11-24 00:00", h(0)), // weekend and holiday only
            ("2026-11-21 10:00", "2026-11-24 10:00", h(1)),
            ("2026-11-18 10:00", "2026-11-18 10:30", m(30)),
            ("2026-11-18 18:00", "2026-11-19 09:00", h(0)),
            ("2026-11-16 00:00", "2026-11-30 00:00", h(9 * 9)), // two weeks less one holiday
            ("2026-11-18 10:00", "2026-11-18 10:00", h(0)),
            ("2026-11-24 10:00", "2026-11-20 17:00", h(0)), // backwards
        ];
        for (a, b, want) in cases {
            assert_eq!(work.between(at(Tokyo, a), at(Tokyo, b)), want, "{a} .. {b}");
        }
    }

    #[test]
    fn between_undoes_add_from_every_hour_of_two_weeks() {
        let work = tokyo();
        let amounts = [
            m(0),
            m(1),
            h(1),
            h(8) + m(59),
            h(9),
            h(9) + m(1),
            h(27),
            h(45) + m(30),
            h(9 * 30),
        ];
        let first = at(Tokyo, "2026-11-16 00:00");
        for hour in 0..(14 * 24) {
            for offset in [m(0), m(17)] {
                let from = first + h(hour) + offset;
                let mut previous = from;
                for &amount in &amounts {
                    let to = work.add(from, amount);
                    assert_eq!(work.between(from, to), amount, "{from} + {amount}");
                    assert!(to >= previous, "{from} + {amount} went backwards");
                    previous = to;
                }
                // The other way round: adding what lies between lands no later than the
                // next opening at the far end (the far end itself, if it is working time).
                for later in [h(1), h(30), h(24 * 9)] {
                    let to = from + later;
                    let worked = work.between(from, to);
                    let back = work.add(from, worked);
                    assert!(back <= work.next_open(to), "{from} .. {to}");
                    assert_eq!(work.between(from, back), worked, "{from} .. {to}");
                }
            }
        }
    }

    #[test]
    fn months_of_working_time_are_counted_a_day_at_a_time() {
        let work = tokyo();
        let from = at(Tokyo, "2026-01-05 09:00");
        let started = std::time::Instant::now();
        for _ in 0..50 {
            let to = work.add(from, h(9 * 200));
            assert_eq!(work.between(from, to), h(9 * 200));
        }
        // Generous: a debug build on a slow machine; minute by minute would take far longer.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn new_york_keeps_its_local_hours_when_clocks_change() {
        let work = hours(New_York, "09:00-17:00", &WEEKDAYS, Holidays::none());
        // Clocks go forward on Sunday 2026-03-08 and back on Sunday 2026-11-01.
        let cases = [
            // Friday 16:00 EST -> Monday 10:00 EDT, Friday 16:00 EDT -> Monday 10:00 EST.
            ("2026-03-06T21:00:00Z", h(2), "2026-03-09T14:00:00Z"),
            ("2026-10-30T20:00:00Z", h(2), "2026-11-02T15:00:00Z"),
            ("2026-03-07T12:00:00Z", h(0), "2026-03-09T13:00:00Z"), // Sat -> Mon 09:00 EDT
            ("2026-10-31T12:00:00Z", h(0), "2026-11-02T14:00:00Z"), // Sat -> Mon 09:00 EST
        ];
        for (from, amount, want) in cases {
            assert_eq!(work.add(utc(from), amount), utc(want), "{from} + {amount}");
        }
        for (a, b) in [
            ("2026-03-06 09:00", "2026-03-09 17:00"),
            ("2026-10-30 09:00", "2026-11-02 17:00"),
        ] {
            assert_eq!(work.between(at(New_York, a), at(New_York, b)), h(16), "{a}");
        }
        assert!(work.is_working(at(New_York, "2026-03-09 09:00")));
        assert!(!work.is_working(at(New_York, "2026-03-09 08:59")));
        assert!(work.is_working(at(New_York, "2026-11-02 16:59")));
        assert!(!work.is_working(at(New_York, "2026-11-02 17:00")));
    }

    #[test]
    fn a_working_day_with_a_clock_change_is_as_long_as_the_clock_says() {
        let night = hours(New_York, "01:00-05:00", &EVERY_DAY, Holidays::none());
        // 02:00-03:00 never happens on 2026-03-08; 01:00-02:00 happens twice on 2026-11-01.
        let day = |date: &str| {
            let start = at(New_York, &format!("{date} 00:00"));
            night.between(start, start + h(20))
        };
        assert_eq!(day("2026-03-07"), h(4));
        assert_eq!(day("2026-03-08"), h(3));
        assert_eq!(day("2026-11-01"), h(5));
        // The doubled hour counts from its first occurrence.
        assert_eq!(
            night.next_open(utc("2026-11-01T04:00:00Z")),
            utc("2026-11-01T05:00:00Z")
        );
    }

    #[test]
    fn hours_that_clocks_jump_over_entirely_are_no_working_time_that_day() {
        let short = hours(New_York, "02:00-02:30", &EVERY_DAY, Holidays::none());
        let sunday = at(New_York, "2026-03-08 00:00");
        assert_eq!(short.between(sunday, sunday + h(20)), h(0));
        assert_eq!(short.next_open(sunday), at(New_York, "2026-03-09 02:00"));
        assert_eq!(short.add(sunday, m(10)), at(New_York, "2026-03-09 02:10"));
    }

    #[test]
    fn a_zone_that_skips_midnight_opens_at_the_first_instant_after_the_jump() {
        // Chile's clocks go from 24:00 on Saturday 2026-09-05 straight to 01:00 on Sunday.
        let early = hours(Santiago, "00:00-08:00", &EVERY_DAY, Holidays::none());
        let saturday_evening = at(Santiago, "2026-09-05 20:00");
        let sunday_open = utc("2026-09-06T04:00:00Z"); // 01:00 -03
        assert!(early.is_working(at(Santiago, "2026-09-05 07:59")));
        assert_eq!(early.next_open(saturday_evening), sunday_open);
        assert!(early.is_working(sunday_open));
        assert!(!early.is_working(sunday_open - Duration::seconds(1)));
        assert_eq!(early.add(saturday_evening, h(1)), sunday_open + h(1));
        let saturday = at(Santiago, "2026-09-05 00:00");
        let monday = at(Santiago, "2026-09-07 00:00");
        assert_eq!(early.between(saturday, monday), h(8 + 7));
        for hour in 0..48 {
            let from = saturday + h(hour);
            assert_eq!(early.between(from, early.add(from, h(5))), h(5), "{from}");
        }
    }

    #[test]
    fn with_no_working_day_for_over_a_decade_the_search_gives_up() {
        let mondays = d("2026-11-02").iter_weeks().take(52 * 12);
        let never = hours(
            Tokyo,
            "09:00-18:00",
            &[Weekday::Mon],
            Holidays::new(mondays, false),
        );
        let now = at(Tokyo, "2026-11-01 10:00");
        assert_eq!(never.next_open(now), DateTime::<Utc>::MAX_UTC);
        assert_eq!(never.add(now, h(1)), DateTime::<Utc>::MAX_UTC);
        assert!(!never.is_working(at(Tokyo, "2026-11-02 10:00")));
        assert_eq!(never.between(now, now + Duration::days(365)), h(0));
    }

    #[test]
    fn the_ends_of_time_are_answered_without_panicking() {
        for work in [
            tokyo(),
            hours(New_York, "09:00-17:00", &WEEKDAYS, Holidays::none()),
        ] {
            let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
            assert_eq!(work.next_open(max), max);
            assert_eq!(work.add(max, h(1)), max);
            assert!(!work.is_working(max));
            assert_eq!(work.between(max, min), h(0));
            let now = at(Tokyo, "2026-11-20 17:00");
            assert!(work.between(now, max) > h(0));
            assert!(work.next_open(min) >= min);
            assert!(work.add(min, h(1)) > min);
        }
    }

    #[test]
    fn new_refuses_hours_that_do_not_move_forward_and_an_empty_week() {
        let holidays = Holidays::none;
        let cases = [
            ("18:00", "09:00", &WEEKDAYS[..]),
            ("09:00", "09:00", &WEEKDAYS[..]),
            ("22:00", "06:00", &WEEKDAYS[..]),
            ("09:00", "18:00", &[][..]),
        ];
        for (start, end, days) in cases {
            let err =
                WorkingHours::new(Tokyo, t(start), t(end), days, holidays()).expect_err(start);
            assert!(!err.is_empty() && err.len() < 120, "{err}");
        }
        let work = WorkingHours::new(Tokyo, t("09:30"), t("17:45"), &WEEKDAYS, holidays()).unwrap();
        assert_eq!(work.tz(), Tokyo);
        assert_eq!(work.day_length(), h(8) + m(15));
    }

    #[test]
    fn hours_parse_as_a_start_and_an_end() {
        let cases = [
            ("09:00-18:00", "09:00", "18:00"),
            (" 09:30 - 17:45 ", "09:30", "17:45"),
            ("00:00-23:59", "00:00", "23:59"),
            ("18:00-09:00", "18:00", "09:00"), // a shape only; new() refuses it
        ];
        for (text, start, end) in cases {
            assert_eq!(
                WorkingHours::parse_hours(text),
                Ok((t(start), t(end))),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_hours_are_refused_naming_the_text() {
        let cases = [
            ("", "``"),
            ("09:00", "`09:00`"),
            ("09:00-", "``"),
            ("9am-6pm", "`9am`"),
            ("09:00-24:00", "`24:00`"),
            ("09:60-18:00", "`09:60`"),
            ("09:00-18:00-19:00", "`18:00-19:00`"),
        ];
        for (text, named) in cases {
            let err = WorkingHours::parse_hours(text).expect_err(text);
            assert!(err.contains(named), "{text}: {err}");
        }
    }

    #[test]
    fn day_names_parse_short_or_long_in_any_case() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        use Weekday::*;
        let cases: [(&[&str], &[Weekday]); 5] = [
            (&["Mon", "tue", "WED", "Thu", "fri"], &WEEKDAYS),
            (&["monday", "Tuesday", "SUNDAY"], &[Mon, Tue, Sun]),
            (&[" Sat ", "sun"], &[Sat, Sun]),
            (&["Fri", "Mon"], &[Fri, Mon]),
            (&[], &[]),
        ];
        for (input, want) in cases {
            assert_eq!(
                WorkingHours::parse_days(&names(input)).as_deref(),
                Ok(want),
                "{input:?}"
            );
        }
        let bad: [(&[&str], &str); 6] = [
            (&["Mon", "Funday"], "`Funday`"),
            (&["Mo"], "`Mo`"),
            (&["1"], "`1`"),
            (&[""], "``"),
            (&["Mon", "monday"], "`monday`"),
            (&["Tue", "Wed", "TUE"], "`TUE`"),
        ];
        for (input, named) in bad {
            let err = WorkingHours::parse_days(&names(input)).expect_err("refused");
            assert!(err.contains(named), "{input:?}: {err}");
        }
    }

    #[test]
    fn work_durations_parse_with_days_as_long_as_a_working_day() {
        let day = h(9);
        let cases = [
            ("2h", h(2)),
            ("90m", m(90)),
            ("1h30m", h(1) + m(30)),
            ("1d", h(9)),
            ("2d4h", h(22)),
            ("1d2h3m", h(11) + m(3)),
            (" 1h 30m ", h(1) + m(30)),
            ("2H", h(2)),
            ("0h5m", m(5)),
            ("365d", h(9 * 365)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_work_duration(text, day), Ok(want), "{text}");
        }
        assert_eq!(parse_work_duration("1d", h(8)), Ok(h(8)));
    }

    #[test]
    fn zero_empty_or_garbled_work_durations_are_refused_naming_the_text() {
        for text in [
            "",
            "  ",
            "0h",
            "0d0h0m",
            "2",
            "h",
            "2x",
            "1.5h",
            "-2h",
            "30m1h",
            "1h1h",
            "2 h",
            "1h30",
            "two hours",
            "9999999m",
            "366d",
            "2h!",
        ] {
            let err = parse_work_duration(text, h(9)).expect_err(text);
            assert!(err.contains(&format!("`{}`", text.trim())), "{text}: {err}");
            assert!(err.len() < 120, "{text}: {err}");
        }
    }
}
