//! Deleting bookkeeping that is old enough never to matter again (the retention job), and the
//! `job_runs` claim that lets one process run a periodic job per interval.
//!
//! Never touches the ledger, the audit log, notes, pulse answers, or an outbox row that is
//! still to be sent. Each delete takes at most `batch` rows, so a caller can commit between
//! batches and never hold SQLite's single writer for long.

use super::Conn;

/// Claims the run of job `name` as of `now_ms` when its last run is at least `every_ms` old
/// (or it never ran, or its last run lies in the future: a clock set back, or a pass run "as of"
/// a later day): true when this call claimed it, false when another run (another process,
/// an earlier tick) is recent enough.
pub async fn claim_job_run(
    conn: &mut Conn,
    name: &str,
    now_ms: i64,
    every_ms: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO job_runs (name, last_run_at) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at \
         WHERE job_runs.last_run_at <= $3 OR job_runs.last_run_at > $2",
    )
    .bind(name)
    .bind(now_ms)
    .bind(now_ms - every_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// What can be deleted, each kind with the instant before which it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expired {
    /// Outbox rows delivered (`sent`) before the instant.
    Delivered,
    /// Outbox rows that failed for good, written before the instant.
    Failed,
    /// Idempotency keys written before the instant.
    ProcessedRequests,
    /// Reminder keys sent before the instant whose period is over for good: the pair ended,
    /// or a 1on1 was held on or after the period's due day. `due_on` is always after
    /// `last_met_on` (or `added_on`) and `last_met_on` never moves back, so the pair can never
    /// be due on that day again and the key can never be claimed again. (The current period's
    /// keys are kept however old: deleting them would let the scheduler remind again.)
    Reminders,
    /// Pulse requests sent before the instant (answered or not; a press on so old a pulse is
    /// ignored). Their answers already live on, anonymous, in `pulse_answers`.
    PulseRequests,
}

impl Expired {
    pub const ALL: [Expired; 5] = [
        Expired::Delivered,
        Expired::Failed,
        Expired::ProcessedRequests,
        Expired::Reminders,
        Expired::PulseRequests,
    ];

    fn sql(self) -> &'static str {
        match self {
            Expired::Delivered => {
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
                 WHERE status = 'sent' AND sent_at < $1 ORDER BY id LIMIT $2)"
            }
            Expired::Failed => {
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox \
                 WHERE status = 'failed' AND created_at < $1 ORDER BY id LIMIT $2)"
            }
            Expired::ProcessedRequests => {
                "DELETE FROM processed_requests WHERE key IN (SELECT key FROM processed_requests \
                 WHERE created_at < $1 LIMIT $2)"
            }
            Expired::Reminders => {
                "DELETE FROM reminders WHERE (pair_id, due_on, kind, seq) IN ( \
                   SELECT r.pair_id, r.due_on, r.kind, r.seq FROM reminders r \
                   JOIN pairs p ON p.id = r.pair_id \
                   WHERE r.sent_at < $1 AND (p.ended_at IS NOT NULL \
                     OR r.due_on <= COALESCE(p.last_met_on, p.added_on)) \
                   LIMIT $2)"
            }
            Expired::PulseRequests => {
                "DELETE FROM pulse_requests WHERE meeting_id IN (SELECT meeting_id \
                 FROM pulse_requests WHERE sent_at < $1 LIMIT $2)"
            }
        }
    }
}

/// Deletes up to `batch` rows of `kind` older than `before_ms`; returns how many went.
pub async fn delete_expired(
    conn: &mut Conn,
    kind: Expired,
    before_ms: i64,
    batch: i64,
) -> sqlx::Result<u64> {
    Ok(sqlx::query(kind.sql())
        .bind(before_ms)
        .bind(batch)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
