//! Pacing by Slack's rules: a 429 is about one thing (a method, and for `chat.postMessage` one
//! channel), so it pauses only that thing for its `Retry-After`; everything else keeps flowing.
//! Nothing is throttled up front (Slack allows short bursts), but once a scope has been told to
//! slow down it is paced at `interval` between sends until it has been quiet for `quiet`, so a
//! burst to one channel costs one 429, not dozens.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The pause and pace of every scope that was rate limited lately.
pub struct Pacer {
    interval: Duration,
    quiet: Duration,
    scopes: Mutex<HashMap<String, Scope>>,
}

#[derive(Debug, Clone, Copy)]
struct Scope {
    /// Nothing starts before this (Retry-After).
    paused_until: Instant,
    /// Paced until this, which each 429 moves on.
    paced_until: Instant,
    /// The next send may start at this instant.
    next_slot: Instant,
}

impl Pacer {
    pub fn new(interval: Duration, quiet: Duration) -> Self {
        Self {
            interval,
            quiet,
            scopes: Mutex::new(HashMap::new()),
        }
    }

    /// May a send in `scope` start at `now`? `None`: yes, and its slot is taken; `Some(t)`:
    /// not before `t`.
    pub fn admit(&self, scope: &str, now: Instant) -> Option<Instant> {
        let mut scopes = self.scopes.lock().expect("never poisoned");
        let s = scopes.get_mut(scope)?;
        if now < s.paused_until {
            return Some(s.paused_until);
        }
        if now >= s.paced_until {
            scopes.remove(scope);
            return None;
        }
        if now < s.next_slot {
            return Some(s.next_slot);
        }
        s.next_slot = now + self.interval;
        None
    }

    /// Slack answered 429 with `retry_after` for a send in `scope`.
    pub fn limited(&self, scope: &str, retry_after: Duration, now: Instant) {
        let until = now + retry_after;
        let mut scopes = self.scopes.lock().expect("never poisoned");
        let s = scopes.entry(scope.to_owned()).or_insert(Scope {
            paused_until: until,
            paced_until: until,
            next_slot: until,
        });
        s.paused_until = s.paused_until.max(until);
        s.next_slot = s.next_slot.max(until);
        s.paced_until = s.paced_until.max(until + self.quiet);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_pauses_its_scope_only_then_paces_it_until_quiet() {
        let p = Pacer::new(Duration::from_secs(1), Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(
            p.admit("chat.postMessage:C1", t0),
            None,
            "no throttle up front"
        );
        assert_eq!(p.admit("chat.postMessage:C1", t0), None, "bursts allowed");
        p.limited("chat.postMessage:C1", Duration::from_secs(2), t0);
        let s = Duration::from_secs(1);
        assert_eq!(p.admit("chat.postMessage:C1", t0 + s), Some(t0 + 2 * s));
        assert_eq!(
            p.admit("chat.postMessage:C2", t0 + s),
            None,
            "other channels flow"
        );
        assert_eq!(p.admit("chat.postMessage:C1", t0 + 2 * s), None);
        assert_eq!(
            p.admit("chat.postMessage:C1", t0 + 2 * s),
            Some(t0 + 3 * s),
            "paced at the interval"
        );
        assert_eq!(p.admit("chat.postMessage:C1", t0 + 3 * s), None);
        // Quiet for 10 s after the pause: no more pacing.
        assert_eq!(p.admit("chat.postMessage:C1", t0 + 12 * s), None);
        assert_eq!(p.admit("chat.postMessage:C1", t0 + 12 * s), None);
    }
}
