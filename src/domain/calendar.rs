//! Days and hours when nobody should hear from otagai: the organisation's days off (its own
//! list, optionally with Japan's public holidays) and local quiet hours.
//!
//! Pure: which day or time it is arrives as a parameter, read on the recipient's own wall clock.

use chrono::{Datelike, NaiveDate, NaiveTime};
use jpholiday::jpholiday::JPHoliday;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, LazyLock, RwLock};

/// Days off: the organisation's own list plus, optionally, Japan's public holidays.
///
/// Japan's holidays come from the `jpholiday` crate, which works them out by rule (equinoxes,
/// happy Mondays, substitute and citizens' holidays), so future years need no data update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    /// The organisation's own days off, whatever its country.
    dates: BTreeSet<NaiveDate>,
    /// Whether Japan's public holidays are days off too.
    japan: bool,
}

impl Holidays {
    /// The organisation's `dates`, plus Japan's public holidays when `japan` is set.
    pub fn new(dates: impl IntoIterator<Item = NaiveDate>, japan: bool) -> Self {
        Self {
            dates: dates.into_iter().collect(),
            japan,
        }
    }

    /// No days off at all: every day of the week is a working day as far as this goes.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether `day` (a local calendar day) is a day off.
    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.dates.contains(&day) || (self.japan && is_japanese_holiday(day))
    }
}

/// The years `jpholiday` has rules for (the national holiday law dates from 1948, and its
/// equinox formula stops at 2150); outside them no day is a Japanese holiday.
const JAPAN_YEARS: std::ops::RangeInclusive<i32> = 1949..=2150;

/// Japan's holidays by year, worked out once per year per process: `jpholiday` answers by
/// running every rule for the day asked about, too slow to repeat for every recipient's time
/// zone on every scheduler pass. Its calculator is not `Send`, so only the answers are shared.
static JAPAN: LazyLock<RwLock<HashMap<i32, Arc<BTreeSet<NaiveDate>>>>> =
    LazyLock::new(Default::default);

fn is_japanese_holiday(day: NaiveDate) -> bool {
    let year = day.year();
    if !JAPAN_YEARS.contains(&year) {
        return false;
    }
    // The cache only ever holds complete, correct years, so a poisoned lock is still usable.
    let cached = JAPAN
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&year)
        .cloned();
    let days = cached.unwrap_or_else(|| {
        let days = Arc::new(japanese_holidays_in(year));
        JAPAN
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(year)
            .or_insert(days)
            .clone()
    });
    days.contains(&day)
}

fn japanese_holidays_in(year: i32) -> BTreeSet<NaiveDate> {
    JPHoliday::new()
        .year_holidays(year)
        .into_iter()
        .map(|(day, _name)| day)
        .collect()
}

/// Local hours when nobody gets a message, e.g. 20:00-08:00 (wraps midnight) or 12:00-13:00.
///
/// The start is inside the quiet hours and the end is not: 20:00-08:00 is quiet at 20:00 and
/// at 07:59, and lets messages out again at 08:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// `HH:MM-HH:MM`, e.g. `20:00-08:00`; a start equal to the end is refused (is that no
    /// quiet at all, or a silent day?). The error is a short English explanation.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (start, end) = text
            .split_once('-')
            .ok_or_else(|| format!("`{text}` is not a range of hours like 20:00-08:00"))?;
        let time = |s: &str| {
            let s = s.trim();
            NaiveTime::parse_from_str(s, "%H:%M")
                .map_err(|_| format!("`{s}` is not a time of day like 08:00"))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start == end {
            return Err(format!(
                "`{text}` starts and ends at the same time; quiet hours need two different times"
            ));
        }
        Ok(Self { start, end })
    }

    /// Whether local time `t` is quiet: from `start` up to, not including, `end`, across
    /// midnight when `end` comes before `start`.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

impl fmt::Display for QuietHours {
    /// `HH:MM-HH:MM`, which [`QuietHours::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    #[test]
    fn holidays_are_shareable_between_threads() {
        fn assert_shareable<T: Send + Sync + Clone + fmt::Debug>() {}
        assert_shareable::<Holidays>();
        assert_shareable::<QuietHours>();
    }

    #[test]
    fn japanese_holidays_include_substitute_and_citizens_days() {
        let japan = Holidays::new([], true);
        let cases = [
            ("2026-01-01", true),  // New Year's Day
            ("2026-01-02", false), // a day most firms close, but not a public holiday
            ("2026-05-06", true),  // substitute for Constitution Day, a Sunday
            ("2026-09-21", true),  // Respect for the Aged Day
            ("2026-09-22", true),  // citizens' holiday between two holidays
            ("2026-09-23", true),  // Autumnal Equinox Day
            ("2026-11-23", true),  // Labour Thanksgiving Day
            ("2026-11-24", false),
            ("2027-01-11", true), // Coming of Age Day, second Monday of January
            ("2027-01-12", false),
            ("2027-02-23", true), // the Emperor's Birthday
        ];
        for (day, want) in cases {
            assert_eq!(japan.is_holiday(d(day)), want, "{day}");
        }
    }

    #[test]
    fn the_organisations_own_days_count_with_or_without_japan() {
        let own = [d("2026-12-29"), d("2026-12-30")];
        for japan in [false, true] {
            let holidays = Holidays::new(own, japan);
            assert!(holidays.is_holiday(d("2026-12-29")));
            assert!(holidays.is_holiday(d("2026-12-30")));
            assert!(!holidays.is_holiday(d("2026-12-28")));
            assert_eq!(holidays.is_holiday(d("2026-11-23")), japan);
        }
    }

    #[test]
    fn no_holidays_means_no_day_is_off() {
        let none = Holidays::none();
        for day in ["2026-01-01", "2026-11-23", "2026-12-25"] {
            assert!(!none.is_holiday(d(day)), "{day}");
        }
    }

    #[test]
    fn japan_outside_the_years_it_has_rules_for_has_no_holidays() {
        let japan = Holidays::new([], true);
        assert!(!japan.is_holiday(d("1900-01-01")));
        assert!(!japan.is_holiday(d("2200-01-01")));
        assert!(!japan.is_holiday(NaiveDate::MAX));
        assert!(!japan.is_holiday(NaiveDate::MIN));
    }

    #[test]
    fn asking_about_every_day_of_a_year_is_quick_once_the_year_is_known() {
        let japan = Holidays::new([], true);
        let start = std::time::Instant::now();
        let count = d("2030-01-01")
            .iter_days()
            .take(365 * 20)
            .filter(|&day| japan.is_holiday(day))
            .count();
        assert!(count > 15 * 20, "{count}");
        // Generous: a debug build on a slow machine, 20 new years worked out.
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn quiet_hours_parse_and_print_back() {
        let cases = [
            ("20:00-08:00", "20:00", "08:00"),
            (" 12:00 - 13:00 ", "12:00", "13:00"),
            ("00:00-06:30", "00:00", "06:30"),
            ("22:15-23:59", "22:15", "23:59"),
        ];
        for (text, start, end) in cases {
            let quiet = QuietHours::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((quiet.start, quiet.end), (t(start), t(end)), "{text}");
            assert_eq!(QuietHours::parse(&quiet.to_string()), Ok(quiet));
        }
    }

    #[test]
    fn malformed_or_empty_quiet_hours_are_refused_with_a_reason() {
        for text in [
            "",
            "20:00",
            "20:00-",
            "8pm-8am",
            "24:00-08:00",
            "20:60-08:00",
            "20:00-08:00-09:00",
            "09:00-09:00",
        ] {
            let err = QuietHours::parse(text).expect_err(text);
            assert!(!err.is_empty() && err.len() < 120, "{text}: {err}");
        }
    }

    #[test]
    fn quiet_hours_include_the_start_exclude_the_end_and_wrap_midnight() {
        let night = QuietHours::parse("20:00-08:00").unwrap();
        let lunch = QuietHours::parse("12:00-13:00").unwrap();
        let cases = [
            (night, "19:59", false),
            (night, "20:00", true),
            (night, "23:59", true),
            (night, "00:00", true),
            (night, "07:59", true),
            (night, "08:00", false),
            (night, "12:30", false),
            (lunch, "11:59", false),
            (lunch, "12:00", true),
            (lunch, "12:59", true),
            (lunch, "13:00", false),
            (lunch, "00:00", false),
        ];
        for (quiet, at, want) in cases {
            assert_eq!(quiet.contains(t(at)), want, "{quiet} at {at}");
        }
    }
}
