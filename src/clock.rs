//! Where `now` comes from: the wall clock in production, a movable one in `try` and tests.
//! Use-cases and the outbox worker read the same clock, so what one schedules the other sees due.

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The wall clock moved by an adjustable offset: `otagai try`'s `:time +14d`, and tests that
/// need a command to happen on a given day. Time keeps flowing from wherever it was moved to.
#[derive(Default)]
pub struct ShiftedClock {
    /// Nanoseconds, so that `set(t)` reads back as `t` and not a moment before it.
    offset_ns: std::sync::atomic::AtomicI64,
}

impl ShiftedClock {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: chrono::Duration) {
        let ns = by.num_nanoseconds().unwrap_or(i64::MAX);
        self.offset_ns
            .fetch_add(ns, std::sync::atomic::Ordering::SeqCst);
    }

    /// Makes it `at` now.
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = (at - Utc::now()).num_nanoseconds().unwrap_or(i64::MAX);
        self.offset_ns
            .store(offset, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = self.offset_ns.load(std::sync::atomic::Ordering::SeqCst);
        Utc::now() + chrono::Duration::nanoseconds(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_moves_by_what_it_is_told() {
        let c = ShiftedClock::new();
        let before = Utc::now();
        c.advance(chrono::Duration::days(14));
        let moved = c.now() - before;
        assert!(moved >= chrono::Duration::days(14), "{moved}");
        assert!(moved < chrono::Duration::days(14) + chrono::Duration::seconds(5));
        let at = "2027-01-04T00:30:00Z".parse().unwrap();
        c.set(at);
        let read = c.now();
        assert!(
            read >= at && read - at < chrono::Duration::seconds(5),
            "{read}"
        );
    }
}
