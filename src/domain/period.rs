//! Budget periods: calendar months in the organisation's time zone.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// One calendar month in the organisation's time zone; budgets reset when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// The month that `now` falls in, as a clock on the wall in `tz` shows it.
    pub fn containing(now: DateTime<Utc>, tz: Tz) -> Self {
        let local = now.with_timezone(&tz);
        Self {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The instant this month begins in `tz` (local midnight of the 1st).
    pub fn starts_at(self, tz: Tz) -> DateTime<Utc> {
        day_starts_at(self.first_day(), tz)
    }

    /// The local date the budget is refilled: the first day of the next month.
    pub fn resets_on(self) -> NaiveDate {
        self.next().first_day()
    }
}

/// The first instant of local day `date` in `tz`: midnight, or where a daylight-saving jump
/// skips midnight (as in America/Santiago), the first minute that exists.
pub fn day_starts_at(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
    first_instant_from(tz, midnight)
        .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
        .with_timezone(&Utc)
}

/// The first instant at or after local time `local` that the wall clock in `tz` shows: `local`
/// itself (its first occurrence where clocks go back) or, where clocks jump forward over it,
/// the first minute after the jump. Clocks jump at whole minutes, by at most a day.
pub(crate) fn first_instant_from(tz: Tz, local: chrono::NaiveDateTime) -> Option<DateTime<Tz>> {
    (0..=24 * 60).find_map(|m| {
        let t = local.checked_add_signed(chrono::Duration::minutes(m))?;
        tz.from_local_datetime(&t).earliest()
    })
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{s}` is not a month like 2026-11");
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        Self::new(year, month).ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Asia::Tokyo, UTC};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_month_is_the_one_on_the_wall_in_the_org_time_zone() {
        // 2026-11-30 15:00 UTC is already 1 December in Tokyo.
        let now = utc("2026-11-30T15:00:00Z");
        assert_eq!(Period::containing(now, Tokyo).to_string(), "2026-12");
        assert_eq!(Period::containing(now, UTC).to_string(), "2026-11");
        // 2027-01-01 03:00 UTC is still New Year's Eve in New York.
        let now = utc("2027-01-01T03:00:00Z");
        assert_eq!(Period::containing(now, New_York).to_string(), "2026-12");
        assert_eq!(Period::containing(now, Tokyo).to_string(), "2027-01");
    }

    #[test]
    fn a_month_starts_at_local_midnight_and_resets_on_the_first() {
        let nov = Period::new(2026, 11).unwrap();
        assert_eq!(nov.starts_at(Tokyo), utc("2026-10-31T15:00:00Z"));
        assert_eq!(
            nov.resets_on(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        let dec = Period::new(2026, 12).unwrap();
        assert_eq!(dec.next().to_string(), "2027-01");
        assert_eq!(
            dec.resets_on(),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        // New York is on standard time again by 1 December.
        assert_eq!(dec.starts_at(New_York), utc("2026-12-01T05:00:00Z"));
    }

    #[test]
    fn a_day_that_skips_midnight_starts_at_its_first_real_minute() {
        // Chile moves its clocks from 00:00 to 01:00 on 2026-09-06.
        let d = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = day_starts_at(d, chrono_tz::America::Santiago);
        assert_eq!(start, utc("2026-09-06T04:00:00Z"));
        assert_eq!(
            start
                .with_timezone(&chrono_tz::America::Santiago)
                .date_naive(),
            d
        );
        assert_eq!(
            day_starts_at(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), Tokyo),
            utc("2026-10-31T15:00:00Z")
        );
    }

    #[test]
    fn leap_february_is_one_month_like_any_other() {
        let feb = Period::containing(utc("2028-02-29T12:00:00Z"), Tokyo);
        assert_eq!(feb.to_string(), "2028-02");
        assert_eq!(
            feb.resets_on(),
            NaiveDate::from_ymd_opt(2028, 3, 1).unwrap()
        );
    }

    #[test]
    fn periods_round_trip_through_text_and_reject_nonsense() {
        assert_eq!(
            "2026-03".parse::<Period>().unwrap(),
            Period::new(2026, 3).unwrap()
        );
        for bad in ["2026-13", "2026-00", "26-01", "2026/01", "", "2026-1"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}
