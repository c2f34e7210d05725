//! What `otagai forget USER` removes, counted and applied with the same predicates, so the
//! counts a dry run shows are what the real run changes. Every query binds the person as `$1`.
//!
//! The ledger, thanks and budgets are not here: payroll needs the amounts (see `app/forget.rs`).

use super::Conn;
use crate::domain::UserId;

/// The pairs the person belonged to, as manager or as report.
const THEIR_PAIRS: &str = "SELECT id FROM pairs WHERE manager_id = $1 OR report_id = $1";

/// The marker that replaces the text of a question whose asker was forgotten.
pub const REMOVED: &str = "[removed]";

/// One kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// Notes of every 1on1 of a pair they were in: the pair's notes, by either person.
    Notes,
    /// Topics of their pairs.
    Topics,
    /// Action items of their pairs.
    ActionItems,
    /// Pulse requests sent to them: the only rows that tie a pulse answer (or a partial one)
    /// to the person who gave it.
    PulseRequests,
    /// The texts of the questions they asked, replaced by [`REMOVED`]; the rows (topic, times)
    /// stay for `/ask stats`.
    Questions,
    /// Their cached Slack profile (language, time zone).
    Profile,
    /// Their active pairs, ended (so nobody is reminded about them again).
    ActivePairs,
    /// Open 1on1 invitations from or to them, closed as expired (so none can still be
    /// accepted into a pair with someone who has left).
    OpenInvitations,
}

impl Personal {
    pub const ALL: [Personal; 8] = [
        Personal::Notes,
        Personal::Topics,
        Personal::ActionItems,
        Personal::PulseRequests,
        Personal::Questions,
        Personal::Profile,
        Personal::ActivePairs,
        Personal::OpenInvitations,
    ];

    /// (table, which rows).
    fn rows(self) -> (&'static str, String) {
        match self {
            Personal::Notes => (
                "meeting_notes",
                format!("meeting_id IN (SELECT id FROM meetings WHERE pair_id IN ({THEIR_PAIRS}))"),
            ),
            Personal::Topics => ("topics", format!("pair_id IN ({THEIR_PAIRS})")),
            Personal::ActionItems => ("action_items", format!("pair_id IN ({THEIR_PAIRS})")),
            Personal::PulseRequests => ("pulse_requests", "report_id = $1".into()),
            Personal::Questions => (
                "help_requests",
                format!("asker_id = $1 AND question <> '{REMOVED}'"),
            ),
            Personal::Profile => ("slack_users", "user_id = $1".into()),
            Personal::ActivePairs => (
                "pairs",
                "(manager_id = $1 OR report_id = $1) AND ended_at IS NULL".into(),
            ),
            Personal::OpenInvitations => (
                "pair_invitations",
                "(manager_id = $1 OR report_id = $1) AND answer IS NULL".into(),
            ),
        }
    }
}

/// How many rows of `kind` concern `user`.
pub async fn count(conn: &mut Conn, kind: Personal, user: &UserId) -> sqlx::Result<u64> {
    let (table, rows) = kind.rows();
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {rows}"))
        .bind(user.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n as u64)
}

/// Removes (or blanks, or ends) the rows of `kind` that concern `user`; returns how many.
pub async fn apply(
    conn: &mut Conn,
    kind: Personal,
    user: &UserId,
    now_ms: i64,
) -> sqlx::Result<u64> {
    let (table, rows) = kind.rows();
    let q = match kind {
        Personal::Questions => {
            format!("UPDATE {table} SET question = '{REMOVED}' WHERE {rows}")
        }
        Personal::ActivePairs => format!("UPDATE {table} SET ended_at = $2 WHERE {rows}"),
        Personal::OpenInvitations => {
            format!("UPDATE {table} SET answer = 'expired', answered_at = $2 WHERE {rows}")
        }
        _ => format!("DELETE FROM {table} WHERE {rows}"),
    };
    let mut q = sqlx::query(&q).bind(user.as_str());
    if matches!(kind, Personal::ActivePairs | Personal::OpenInvitations) {
        q = q.bind(now_ms);
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}

/// Messages waiting to be sent, as (id, payload): the caller decides which are addressed to
/// whom (the payload is the outbox's JSON).
pub async fn pending_messages(conn: &mut Conn) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT id, payload FROM outbox WHERE status = 'pending' ORDER BY id")
        .fetch_all(&mut *conn)
        .await
}

/// Deletes one message that has not been sent (a sent or failed one is left to retention).
pub async fn delete_pending_message(conn: &mut Conn, id: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM outbox WHERE id = $1 AND status = 'pending'")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}
