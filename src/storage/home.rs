//! Home tabs to publish again: one row per person (`home_refreshes`), requested inside a
//! use-case's transaction, claimed with a lease by the refresher, recorded after the publish.

use super::{Backend, Conn, Store};
use crate::domain::UserId;
use anyhow::Context;
use sqlx::Row;

/// A claimed refresh.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub user: String,
    /// The request version the publish will show (at least).
    pub version: i64,
    pub attempts: i64,
}

/// Asks for `user`'s tab to be published again: now, or at the end of the throttle interval
/// when it was published less than `interval_ms` ago; nothing more when a refresh is already
/// pending (it will show this change too, being built when it is published). A refresh that
/// was given up starts afresh, with all its tries.
pub async fn request(
    conn: &mut Conn,
    user: &UserId,
    now_ms: i64,
    interval_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO home_refreshes (user_id, due_at, version) VALUES ($1, $2, 1) \
         ON CONFLICT (user_id) DO UPDATE SET version = home_refreshes.version + 1, \
         attempts = CASE WHEN home_refreshes.due_at IS NULL THEN 0 \
           ELSE home_refreshes.attempts END, \
         due_at = CASE \
           WHEN home_refreshes.due_at IS NOT NULL THEN home_refreshes.due_at \
           WHEN home_refreshes.published_at IS NOT NULL \
                AND home_refreshes.published_at + $3 > $2 THEN home_refreshes.published_at + $3 \
           ELSE $2 END",
    )
    .bind(user.as_str())
    .bind(now_ms)
    .bind(interval_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due refreshes for `owner` until `lease_until_ms`, soonest first. On
/// PostgreSQL, `SKIP LOCKED` lets several processes claim side by side.
pub async fn claim(
    store: &Store,
    owner: &str,
    now_ms: i64,
    lease_until_ms: i64,
    limit: i64,
) -> anyhow::Result<Vec<Claimed>> {
    let lock = match store.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "WITH due AS MATERIALIZED ( \
           SELECT user_id FROM home_refreshes \
           WHERE due_at IS NOT NULL AND due_at <= $3 \
           AND (lease_until IS NULL OR lease_until <= $3) \
           ORDER BY due_at LIMIT $4 {lock}) \
         UPDATE home_refreshes SET lease_owner = $1, lease_until = $2 \
         WHERE user_id IN (SELECT user_id FROM due) \
         AND (lease_until IS NULL OR lease_until <= $3) \
         RETURNING user_id, version, attempts"
    );
    let mut tx = store.begin().await?;
    let rows = sqlx::query(&sql)
        .bind(owner)
        .bind(lease_until_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .context("claiming home refreshes")?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            Ok(Claimed {
                user: r.try_get("user_id")?,
                version: r.try_get("version")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?)
}

/// Published: done, unless it was requested again meanwhile (then once more after the
/// throttle interval).
pub async fn published(
    conn: &mut Conn,
    c: &Claimed,
    owner: &str,
    now_ms: i64,
    interval_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE home_refreshes SET published_at = $4, lease_owner = NULL, lease_until = NULL, \
         attempts = 0, last_error = NULL, \
         due_at = CASE WHEN version = $3 THEN NULL ELSE $4 + $5 END \
         WHERE user_id = $1 AND lease_owner = $2",
    )
    .bind(&c.user)
    .bind(owner)
    .bind(c.version)
    .bind(now_ms)
    .bind(interval_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Not published this time: try again at `next_ms` (`count_attempt` false for a 429 or a
/// refused token), or with `next_ms` of `None` give up until the next request. A request that
/// came while this publish was on its way is not given up with it: the row stays due (at
/// `resume_ms` when giving up), with its tries counted afresh.
pub async fn retry(
    conn: &mut Conn,
    c: &Claimed,
    owner: &str,
    next_ms: Option<i64>,
    resume_ms: i64,
    error: &str,
    count_attempt: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE home_refreshes SET \
         due_at = CASE WHEN version = $6 THEN $3 ELSE COALESCE($3, $7) END, \
         attempts = CASE WHEN version <> $6 AND $3 IS NULL THEN 0 ELSE attempts + $5 END, \
         last_error = $4, lease_owner = NULL, lease_until = NULL \
         WHERE user_id = $1 AND lease_owner = $2",
    )
    .bind(&c.user)
    .bind(owner)
    .bind(next_ms)
    .bind(error)
    .bind(i64::from(count_attempt))
    .bind(c.version)
    .bind(resume_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// When the soonest pending refresh is due.
pub async fn next_due(store: &Store) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MIN(due_at) FROM home_refreshes WHERE due_at IS NOT NULL")
            .fetch_one(store.pool())
            .await?,
    )
}

/// Forgets `user`'s row (`otagai forget`).
pub async fn forget(conn: &mut Conn, user: &UserId) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM home_refreshes WHERE user_id = $1")
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
