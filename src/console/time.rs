//! The console's clock and `:time`: the time in the organisation's zone, whether reminders
//! and `/ask` nudges may go out now, and moving the clock forward (never back) to run the due
//! jobs as `serve`'s scheduler would. A fresh console resumes where its database left off.

use super::Console;
use crate::app::Clock;
use crate::clock::ShiftedClock;
use crate::storage::{self, Store};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use std::io::Write;

/// Moves a fresh console clock to the last message in the database when that is later than
/// now, so a session that went `:time +8d` and quit carries on from there instead of seeing its
/// own past in the future. Returns where the clock was moved to.
pub(super) async fn resume_clock(
    store: &Store,
    clock: &ShiftedClock,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let latest = storage::outbox::latest_written_at(store)
        .await?
        .map(storage::from_millis)
        .filter(|t| *t > clock.now());
    if let Some(t) = latest {
        clock.set(t);
    }
    Ok(latest)
}

/// Where `:time` moves the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeMove {
    /// Forward by whole days, on to the next reminder slot if none can go out then.
    Days(i64),
    /// Forward by exactly this much.
    By(Duration),
    /// To the next reminder slot.
    NextSlot,
    /// To this local time of the organisation.
    At(NaiveDateTime),
}

/// Reads what follows `:time` (never empty).
fn parse_time_move(arg: &str) -> Result<TimeMove, String> {
    let usage = || {
        format!(
            "`{arg}`: write :time +8d, +3h, +30m, next-slot or a local time like 2026-12-01T09:30"
        )
    };
    if matches!(arg, "next-slot" | "next" | "slot") {
        return Ok(TimeMove::NextSlot);
    }
    if let Some(amount) = arg.strip_prefix('+') {
        let Some(unit) = amount.chars().last() else {
            return Err(usage());
        };
        let n = &amount[..amount.len() - unit.len_utf8()];
        let n: i64 = n.parse().map_err(|_| usage())?;
        // Ten years is further than anything in otagai looks.
        if !(0..=3650 * 24 * 60).contains(&n) {
            return Err(usage());
        }
        return match unit {
            'd' if n <= 3650 => Ok(TimeMove::Days(n)),
            'h' if n <= 3650 * 24 => Ok(TimeMove::By(Duration::hours(n))),
            'm' => Ok(TimeMove::By(Duration::minutes(n))),
            _ => Err(usage()),
        };
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(arg, f).ok())
        .map(TimeMove::At)
        .ok_or_else(usage)
}

impl Console {
    /// An instant as the organisation's wall clock shows it.
    pub(super) fn local(&self, at: DateTime<Utc>) -> String {
        let tz = self.app.settings.org.timezone;
        format!(
            "{} {}",
            at.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
            tz
        )
    }

    /// `:time …`: shows the console's time, or moves it and runs the due jobs.
    pub(super) async fn time(&self, arg: &str, out: &mut impl Write) -> anyhow::Result<()> {
        let s = &self.app.settings;
        let tz = s.org.timezone;
        let window = &s.one_on_one.window;
        let now = self.clock.now();
        if arg.is_empty() {
            writeln!(out, "  now {}", self.local(now))?;
            if window.open_slot(tz, now).is_some() {
                writeln!(out, "  reminders may go out now")?;
            } else {
                let next = window
                    .next_slot(tz, now)
                    .map_or_else(|| "none within a year".to_owned(), |t| self.local(t));
                let quiet = s
                    .org
                    .quiet_hours
                    .map(|q| format!(", quiet hours {q}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  no reminders go out now (remind_at `{}`{quiet}, never on holidays); \
                     next reminder slot: {next}",
                    s.one_on_one.remind_at
                )?;
            }
            self.working_hours_note(now, out)?;
            return Ok(());
        }
        let how = match parse_time_move(arg) {
            Ok(how) => how,
            Err(e) => {
                writeln!(out, "  {e}")?;
                return Ok(());
            }
        };
        let mut note = "";
        let target = match how {
            TimeMove::By(d) => now + d,
            TimeMove::Days(n) => {
                let landed = now + Duration::days(n);
                match window.open_slot(tz, landed) {
                    Some(_) => landed,
                    None => match window.next_slot(tz, landed) {
                        Some(slot) => {
                            note = " (no reminder could go out then, so the clock went on to \
                                    the next reminder slot)";
                            slot
                        }
                        None => landed,
                    },
                }
            }
            TimeMove::NextSlot => match window.next_slot(tz, now) {
                Some(slot) => slot,
                None => {
                    writeln!(out, "  there is no reminder slot within a year")?;
                    return Ok(());
                }
            },
            TimeMove::At(local) => match tz.from_local_datetime(&local).earliest() {
                Some(t) if t.with_timezone(&Utc) >= now => t.with_timezone(&Utc),
                Some(_) => {
                    writeln!(
                        out,
                        "  the console's clock only moves forward (it is {}); \
                         a new --db starts again from today",
                        self.local(now)
                    )?;
                    return Ok(());
                }
                None => {
                    writeln!(out, "  {local} does not exist in {tz}")?;
                    return Ok(());
                }
            },
        };
        // A millisecond past: the clock drops what is below a millisecond, and a reminder slot
        // at 09:30:00 must not be read at 09:29:59.9995.
        self.clock.set(target + Duration::milliseconds(1));
        writeln!(out, "  now {}{note}", self.local(target))?;
        match self.app.run_due_jobs(self.clock.now(), false).await {
            Ok(r) => writeln!(
                out,
                "  due jobs ran: {} queued",
                if r.queued == 1 {
                    "1 reminder or nudge".to_owned()
                } else {
                    format!("{} reminders or nudges", r.queued)
                }
            )?,
            Err(e) => writeln!(out, "  due jobs failed: {e:#}")?,
        }
        self.working_hours_note(self.clock.now(), out)?;
        self.deliver(out).await
    }

    /// Whether `/ask` nudges may go out at `now`, and if not, from when.
    fn working_hours_note(&self, now: DateTime<Utc>, out: &mut impl Write) -> anyhow::Result<()> {
        let working = &self.app.settings.org.working;
        if working.is_working(now) {
            writeln!(
                out,
                "{}",
                self.say("  it is working time: unanswered /ask questions may be nudged")
            )?;
        } else {
            writeln!(
                out,
                "{}{}",
                self.say("  outside working hours: /ask nudges wait until "),
                self.local(working.next_open(now))
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_moves_are_read_or_refused() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let cases = [
            ("+8d", Ok(TimeMove::Days(8))),
            ("+0m", Ok(TimeMove::By(Duration::zero()))),
            ("+3h", Ok(TimeMove::By(Duration::hours(3)))),
            ("+90m", Ok(TimeMove::By(Duration::minutes(90)))),
            ("next-slot", Ok(TimeMove::NextSlot)),
            ("2026-12-01T09:30", Ok(TimeMove::At(at("2026-12-01 09:30")))),
            ("2026-12-01 09:30", Ok(TimeMove::At(at("2026-12-01 09:30")))),
        ];
        for (arg, want) in cases {
            assert_eq!(parse_time_move(arg), want, "{arg}");
        }
        for arg in [
            "+",
            "+8日",
            "8d",
            "+d",
            "+-1d",
            "+8w",
            "+99999d",
            "+1.5h",
            "tomorrow",
            "2026-13-01T09:30",
        ] {
            assert!(parse_time_move(arg).is_err(), "{arg}");
        }
    }
}
