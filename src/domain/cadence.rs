//! How often a manager and a report meet, and when the next 1on1 is due.

use chrono::{Days, Months, NaiveDate};
use std::fmt;

/// The rhythm of a pair's 1on1s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    Biweekly,
    /// Same day next month, or the month's last day when it has no such day (Jan 31 → Feb 28).
    Monthly,
    /// Every N days, 1 ≤ N ≤ [`Cadence::MAX_DAYS`].
    EveryDays(u32),
}

/// The text was not a cadence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a cadence (weekly, biweekly, monthly or every Nd)")]
pub struct CadenceError(pub String);

impl Cadence {
    /// The longest `every Nd` accepted: a year.
    pub const MAX_DAYS: u32 = 365;

    /// `weekly`, `biweekly`, `monthly`, `every Nd` (also `every N days`, `Nd`), any case.
    pub fn parse(text: &str) -> Result<Self, CadenceError> {
        let lower = text.trim().to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let bad = || CadenceError(text.trim().to_owned());
        let days = |s: &str| -> Result<u32, CadenceError> {
            let n: u32 = s.parse().map_err(|_| bad())?;
            if (1..=Self::MAX_DAYS).contains(&n) {
                Ok(n)
            } else {
                Err(bad())
            }
        };
        match words.as_slice() {
            ["weekly"] => Ok(Self::Weekly),
            ["biweekly"] | ["fortnightly"] => Ok(Self::Biweekly),
            ["monthly"] => Ok(Self::Monthly),
            ["every", n, "days" | "day" | "d"] => days(n).map(Self::from_days),
            ["every", nd] | [nd] => {
                let n = nd.strip_suffix('d').ok_or_else(bad)?;
                days(n).map(Self::from_days)
            }
            _ => Err(bad()),
        }
    }

    /// `every 7d` is weekly and `every 14d` biweekly, so each rhythm has one spelling.
    fn from_days(n: u32) -> Self {
        match n {
            7 => Self::Weekly,
            14 => Self::Biweekly,
            n => Self::EveryDays(n),
        }
    }

    /// The day the next 1on1 is due after one held (or a pair added) on `from`.
    pub fn next_due(&self, from: NaiveDate) -> NaiveDate {
        let after = match self {
            Self::Weekly => from.checked_add_days(Days::new(7)),
            Self::Biweekly => from.checked_add_days(Days::new(14)),
            Self::Monthly => from.checked_add_months(Months::new(1)),
            Self::EveryDays(n) => from.checked_add_days(Days::new(u64::from(*n))),
        };
        after.unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Cadence {
    /// The canonical spelling, which [`Cadence::parse`] reads back (stored and exported).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Weekly => f.write_str("weekly"),
            Self::Biweekly => f.write_str("biweekly"),
            Self::Monthly => f.write_str("monthly"),
            Self::EveryDays(n) => write!(f, "every {n}d"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn every_spelling_parses_and_prints_back_the_same() {
        let cases = [
            ("weekly", Cadence::Weekly),
            (" Weekly ", Cadence::Weekly),
            ("biweekly", Cadence::Biweekly),
            ("fortnightly", Cadence::Biweekly),
            ("MONTHLY", Cadence::Monthly),
            ("every 10d", Cadence::EveryDays(10)),
            ("every 10 days", Cadence::EveryDays(10)),
            ("every 1 day", Cadence::EveryDays(1)),
            ("21d", Cadence::EveryDays(21)),
            ("every 7d", Cadence::Weekly),
            ("every 14d", Cadence::Biweekly),
            ("every 365d", Cadence::EveryDays(365)),
        ];
        for (text, want) in cases {
            let got = Cadence::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, want, "{text}");
            assert_eq!(Cadence::parse(&got.to_string()), Ok(got));
        }
    }

    #[test]
    fn nonsense_and_out_of_range_cadences_are_refused() {
        for text in [
            "",
            "daily",
            "every",
            "every 0d",
            "every 366d",
            "every -3d",
            "every 3w",
            "every 1.5d",
            "3",
            "weekly please",
        ] {
            assert!(Cadence::parse(text).is_err(), "{text:?} parsed");
        }
    }

    #[test]
    fn next_due_dates_cross_month_and_year_ends() {
        assert_eq!(Cadence::Weekly.next_due(d("2026-12-28")), d("2027-01-04"));
        assert_eq!(Cadence::Biweekly.next_due(d("2026-02-20")), d("2026-03-06"));
        assert_eq!(
            Cadence::EveryDays(10).next_due(d("2028-02-25")),
            d("2028-03-06")
        );
    }

    #[test]
    fn monthly_keeps_the_day_or_clamps_to_the_month_end() {
        assert_eq!(Cadence::Monthly.next_due(d("2026-01-15")), d("2026-02-15"));
        assert_eq!(Cadence::Monthly.next_due(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Cadence::Monthly.next_due(d("2028-01-31")), d("2028-02-29"));
        assert_eq!(Cadence::Monthly.next_due(d("2026-03-31")), d("2026-04-30"));
        assert_eq!(Cadence::Monthly.next_due(d("2026-12-31")), d("2027-01-31"));
    }
}
