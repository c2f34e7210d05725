//! Retention: deletes bookkeeping once it is old enough never to matter again (settings
//! `[retention]`): delivered and failed outbox messages, the idempotency keys of Slack requests
//! and events, the reminder keys of 1on1 periods that are over, and old pulse requests.
//! Messages still to be sent, the ledger, the audit log, notes and pulse answers are kept.
//!
//! Part of every scheduler pass, but it works at most once an hour: the pass first claims the
//! run in `job_runs` (one process wins per hour when several share the database). Deleting old
//! rows is idempotent anyway, so a second run, or two at once, only finds less to do.

use crate::app::App;
use crate::storage::{self, retention, retention::Expired};
use chrono::{DateTime, Duration, Utc};

/// How often the retention job runs at most.
const RETENTION_EVERY: Duration = Duration::hours(1);
/// Rows deleted per transaction, so SQLite's one writer is never held for long.
const BATCH: i64 = 500;
/// Batches per kind in one run; what is left waits for the next run.
const MAX_BATCHES: usize = 200;

/// How many rows one retention run deleted, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub delivered_messages: u64,
    pub failed_messages: u64,
    pub processed_requests: u64,
    pub reminders: u64,
    pub pulse_requests: u64,
}

impl RetentionReport {
    pub fn total(&self) -> u64 {
        self.delivered_messages
            + self.failed_messages
            + self.processed_requests
            + self.reminders
            + self.pulse_requests
    }
}

impl App {
    /// Runs the retention job as of `now` unless it ran less than an hour before (here or in
    /// another process); `None` when it was not its time.
    pub async fn run_retention_if_due(
        &self,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<RetentionReport>> {
        let now_ms = storage::millis(now);
        let mut tx = self.store.begin().await?;
        let mine = retention::claim_job_run(
            &mut tx,
            "retention",
            now_ms,
            RETENTION_EVERY.num_milliseconds(),
        )
        .await?;
        tx.commit().await?;
        if !mine {
            return Ok(None);
        }
        let report = self.delete_expired(now).await?;
        if report.total() > 0 {
            tracing::info!(?report, "retention: old bookkeeping deleted");
        }
        Ok(Some(report))
    }

    /// Deletes, as of `now`, everything the `[retention]` settings say is old enough.
    /// Idempotent: a second call as of the same instant deletes nothing.
    pub async fn delete_expired(&self, now: DateTime<Utc>) -> anyhow::Result<RetentionReport> {
        let r = &self.settings.retention;
        let before = |days: i64| storage::millis(now - Duration::days(days));
        let mut report = RetentionReport::default();
        for kind in Expired::ALL {
            let (cutoff, count) = match kind {
                Expired::Delivered => (
                    before(r.delivered_messages_days),
                    &mut report.delivered_messages,
                ),
                Expired::Failed => (before(r.failed_messages_days), &mut report.failed_messages),
                Expired::ProcessedRequests => (
                    before(r.processed_requests_days),
                    &mut report.processed_requests,
                ),
                Expired::Reminders => (before(r.reminders_days), &mut report.reminders),
                Expired::PulseRequests => (before(r.reminders_days), &mut report.pulse_requests),
            };
            for _ in 0..MAX_BATCHES {
                let mut tx = self.store.begin().await?;
                let n = retention::delete_expired(&mut tx, kind, cutoff, BATCH).await?;
                tx.commit().await?;
                *count += n;
                if n < BATCH as u64 {
                    break;
                }
            }
        }
        Ok(report)
    }
}
