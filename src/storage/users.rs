//! The users.info cache: is this person a bot, deactivated, which language and time zone.

use super::Conn;
use crate::domain::UserId;
use sqlx::Row;

/// What Slack said about a person, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedUser {
    pub is_bot: bool,
    pub deleted: bool,
    pub locale: Option<String>,
    pub tz: Option<String>,
    /// The name people know them by, for plain text.
    pub name: Option<String>,
    pub fetched_at_ms: i64,
}

pub async fn get(conn: &mut Conn, user: &UserId) -> sqlx::Result<Option<CachedUser>> {
    let row = sqlx::query(
        "SELECT is_bot, deleted, locale, tz, name, fetched_at FROM slack_users WHERE user_id = $1",
    )
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(CachedUser {
            is_bot: r.try_get::<i64, _>("is_bot")? != 0,
            deleted: r.try_get::<i64, _>("deleted")? != 0,
            locale: r.try_get("locale")?,
            tz: r.try_get("tz")?,
            name: r.try_get("name")?,
            fetched_at_ms: r.try_get("fetched_at")?,
        })
    })
    .transpose()
}

pub async fn put(conn: &mut Conn, user: &UserId, u: &CachedUser) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO slack_users (user_id, is_bot, deleted, locale, tz, name, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id) DO UPDATE SET is_bot = excluded.is_bot, deleted = excluded.deleted, \
         locale = excluded.locale, tz = excluded.tz, name = excluded.name, \
         fetched_at = excluded.fetched_at",
    )
    .bind(user.as_str())
    .bind(i64::from(u.is_bot))
    .bind(i64::from(u.deleted))
    .bind(u.locale.as_deref())
    .bind(u.tz.as_deref())
    .bind(u.name.as_deref())
    .bind(u.fetched_at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
