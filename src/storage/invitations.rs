//! Invitations to be someone's report (`/1on1 add` by a manager who is not an admin): open until
//! the report accepts or declines, or until they expire. An open invitation is not a pair;
//! nothing else in `storage/` reads this table.

use super::pairs::parse_user;
use super::{Backend, Conn, Tx};
use crate::domain::{Cadence, UserId};
use sqlx::Row;

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub manager: UserId,
    pub report: UserId,
    pub cadence: Cadence,
    pub expires_at: i64,
    /// `None` while open; else `accepted`, `declined` or `expired`.
    pub answer: Option<String>,
}

const COLUMNS: &str = "id, manager_id, report_id, cadence, expires_at, answer";

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Invitation> {
    let cadence: String = r.try_get("cadence")?;
    Ok(Invitation {
        id: r.try_get("id")?,
        manager: parse_user(&r.try_get::<String, _>("manager_id")?)?,
        report: parse_user(&r.try_get::<String, _>("report_id")?)?,
        cadence: Cadence::parse(&cadence).map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
        expires_at: r.try_get("expires_at")?,
        answer: r.try_get("answer")?,
    })
}

/// The open invitation of `manager` to `report`, if any (expired or not).
pub async fn open_invitation(
    conn: &mut Conn,
    manager: &UserId,
    report: &UserId,
) -> sqlx::Result<Option<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pair_invitations \
         WHERE manager_id = $1 AND report_id = $2 AND answer IS NULL"
    );
    let row = sqlx::query(&sql)
        .bind(manager.as_str())
        .bind(report.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// An invitation by id, read for an answer (`FOR UPDATE` on PostgreSQL).
pub async fn lock(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Invitation>> {
    let lock = match tx.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = format!("SELECT {COLUMNS} FROM pair_invitations WHERE id = $1{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

/// Opens an invitation; returns its id, or `None` when an open one of `manager` to `report`
/// was written meanwhile (two adds at the same instant: the unique index decides).
pub async fn insert_invitation(
    conn: &mut Conn,
    manager: &UserId,
    report: &UserId,
    cadence: Cadence,
    now_ms: i64,
    expires_at: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO pair_invitations (manager_id, report_id, cadence, invited_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (manager_id, report_id) WHERE answer IS NULL DO NOTHING RETURNING id",
    )
    .bind(manager.as_str())
    .bind(report.as_str())
    .bind(cadence.to_string())
    .bind(now_ms)
    .bind(expires_at)
    .fetch_optional(&mut *conn)
    .await
}

/// When `report` last declined an invitation of `manager`, if they ever did.
pub async fn last_declined(
    conn: &mut Conn,
    manager: &UserId,
    report: &UserId,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MAX(answered_at) FROM pair_invitations \
         WHERE manager_id = $1 AND report_id = $2 AND answer = 'declined'",
    )
    .bind(manager.as_str())
    .bind(report.as_str())
    .fetch_one(&mut *conn)
    .await
}

/// How many invitations `manager` sent since `since_ms`.
pub async fn sent_since(conn: &mut Conn, manager: &UserId, since_ms: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pair_invitations WHERE manager_id = $1 AND invited_at >= $2",
    )
    .bind(manager.as_str())
    .bind(since_ms)
    .fetch_one(&mut *conn)
    .await
}

/// Closes an open invitation with `answer` (`accepted`, `declined` or `expired`); `false` when
/// it was already closed.
pub async fn close(conn: &mut Conn, id: i64, answer: &str, now_ms: i64) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE pair_invitations SET answer = $2, answered_at = $3 \
         WHERE id = $1 AND answer IS NULL",
    )
    .bind(id)
    .bind(answer)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The reports `manager` invited whose invitation is still open and not expired at `now_ms`.
pub async fn pending_of_manager(
    conn: &mut Conn,
    manager: &UserId,
    now_ms: i64,
) -> sqlx::Result<Vec<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pair_invitations \
         WHERE manager_id = $1 AND answer IS NULL AND expires_at > $2 ORDER BY id"
    );
    let rows = sqlx::query(&sql)
        .bind(manager.as_str())
        .bind(now_ms)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// An invitation by id, outside a transaction.
pub async fn by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Invitation>> {
    let sql = format!("SELECT {COLUMNS} FROM pair_invitations WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}
