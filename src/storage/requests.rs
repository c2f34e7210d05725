//! Idempotency keys: a Slack request or event has one effect, however often it arrives.

use super::Conn;
use sqlx::Row;

/// What claiming a key found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// First time: go ahead, inside this transaction.
    New,
    /// Seen before; the reply kept then, if any.
    Seen(Option<String>),
}

/// Claims `key` inside the caller's transaction. If the transaction rolls back, so does the
/// claim, and a retry is processed afresh.
pub async fn claim(conn: &mut Conn, key: &str, now_ms: i64) -> sqlx::Result<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO processed_requests (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let reply: Option<String> = sqlx::query("SELECT reply FROM processed_requests WHERE key = $1")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?
        .try_get("reply")?;
    Ok(Claim::Seen(reply))
}

/// Keeps the reply that a retry of `key` should get.
pub async fn save_reply(conn: &mut Conn, key: &str, reply: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE processed_requests SET reply = $2 WHERE key = $1")
        .bind(key)
        .bind(reply)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
