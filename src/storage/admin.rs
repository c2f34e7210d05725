//! Bonus admins granted in the app, and the audit log of every admin change.

use super::Conn;
use crate::domain::UserId;

pub async fn granted_admins(conn: &mut Conn) -> sqlx::Result<Vec<UserId>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM bonus_admins ORDER BY granted_at, user_id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(ids
        .into_iter()
        .filter_map(|s| UserId::parse(&s).ok())
        .collect())
}

pub async fn is_granted_admin(conn: &mut Conn, user: &UserId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bonus_admins WHERE user_id = $1")
        .bind(user.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Returns false when they already were one.
pub async fn add_admin(
    conn: &mut Conn,
    user: &UserId,
    by: &UserId,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO bonus_admins (user_id, granted_by, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user.as_str())
    .bind(by.as_str())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Returns false when they were not one.
pub async fn remove_admin(conn: &mut Conn, user: &UserId) -> sqlx::Result<bool> {
    let n = sqlx::query("DELETE FROM bonus_admins WHERE user_id = $1")
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// One audit entry: `actor` did `action` to `subject`, with `detail` (JSON).
pub async fn audit(
    conn: &mut Conn,
    actor: &UserId,
    action: &str,
    subject: Option<&UserId>,
    detail: &serde_json::Value,
    now_ms: i64,
) -> sqlx::Result<()> {
    audit_as(conn, actor.as_str(), action, subject, detail, now_ms).await
}

/// An audit entry by an actor that is not a Slack user (`cli` for the command line).
pub async fn audit_as(
    conn: &mut Conn,
    actor: &str,
    action: &str,
    subject: Option<&UserId>,
    detail: &serde_json::Value,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, subject, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor)
    .bind(action)
    .bind(subject.map(UserId::as_str))
    .bind(detail.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An audit entry as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
    pub created_at: i64,
}

pub async fn audit_log(conn: &mut Conn) -> sqlx::Result<Vec<AuditEntry>> {
    sqlx::query_as("SELECT actor, action, subject, detail, created_at FROM audit_log ORDER BY id")
        .fetch_all(&mut *conn)
        .await
}
