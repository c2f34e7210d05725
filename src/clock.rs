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
