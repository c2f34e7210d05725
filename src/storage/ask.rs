//! Help requests (`/ask`) as stored: the request, who helped, and the marks that make each
//! nudge fire once. Use-cases read a request locked ([`lock`], [`lock_by_post`]) inside the
//! transaction that changes it, so a claim, a reply and a resolve arriving together cannot
//! overwrite each other.

use super::pairs::parse_user;
use super::{Backend, Conn, Tx};
use crate::domain::{HelperRole, Locale, RequestState, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A help request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRequest {
    pub id: i64,
    pub asker: UserId,
    pub asker_locale: Locale,
    pub anonymous: bool,
    pub topic: Option<String>,
    pub question: String,
    pub channel: String,
    pub team_domain: Option<String>,
    /// Slack's ts of the post, once delivered.
    pub post_ts: Option<String>,
    /// The post's link as Slack gave it, when it did.
    pub post_link: Option<String>,
    pub state: RequestState,
    pub asker_notified: bool,
    pub asked_at: i64,
    pub answered_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub nudge_due_at: i64,
    pub escalate_due_at: i64,
    pub nudged_at: Option<i64>,
    pub escalated_at: Option<i64>,
}

const COLUMNS: &str = "id, asker_id, asker_locale, anonymous, topic, question, channel_id, \
    team_domain, post_ts, post_link, state, asker_notified, asked_at, answered_at, resolved_at, \
    nudge_due_at, escalate_due_at, nudged_at, escalated_at";

fn from_row(r: &AnyRow) -> sqlx::Result<HelpRequest> {
    let state: String = r.try_get("state")?;
    let locale: String = r.try_get("asker_locale")?;
    Ok(HelpRequest {
        id: r.try_get("id")?,
        asker: parse_user(&r.try_get::<String, _>("asker_id")?)?,
        asker_locale: locale
            .parse()
            .map_err(|e: String| sqlx::Error::Decode(e.into()))?,
        anonymous: r.try_get::<i64, _>("anonymous")? != 0,
        topic: r.try_get("topic")?,
        question: r.try_get("question")?,
        channel: r.try_get("channel_id")?,
        team_domain: r.try_get("team_domain")?,
        post_ts: r.try_get("post_ts")?,
        post_link: r.try_get("post_link")?,
        state: RequestState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown state {state}").into()))?,
        asker_notified: r.try_get::<i64, _>("asker_notified")? != 0,
        asked_at: r.try_get("asked_at")?,
        answered_at: r.try_get("answered_at")?,
        resolved_at: r.try_get("resolved_at")?,
        nudge_due_at: r.try_get("nudge_due_at")?,
        escalate_due_at: r.try_get("escalate_due_at")?,
        nudged_at: r.try_get("nudged_at")?,
        escalated_at: r.try_get("escalated_at")?,
    })
}

/// A question about to be posted.
pub struct NewRequest<'a> {
    pub asker: &'a UserId,
    pub asker_locale: Locale,
    pub anonymous: bool,
    pub topic: Option<&'a str>,
    pub question: &'a str,
    pub channel: &'a str,
    pub team_domain: Option<&'a str>,
    pub asked_at: i64,
    pub nudge_due_at: i64,
    pub escalate_due_at: i64,
}

pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO help_requests (asker_id, asker_locale, anonymous, topic, question, channel_id, \
         team_domain, asked_at, nudge_due_at, escalate_due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(r.asker.as_str())
    .bind(r.asker_locale.to_string())
    .bind(i64::from(r.anonymous))
    .bind(r.topic)
    .bind(r.question)
    .bind(r.channel)
    .bind(r.team_domain)
    .bind(r.asked_at)
    .bind(r.nudge_due_at)
    .bind(r.escalate_due_at)
    .fetch_one(&mut **tx)
    .await
}

/// Records where Slack put the post. The first answer wins (a post re-sent after a crash is
/// not tracked); returns the ts that is recorded, `None` if the request is gone.
pub async fn set_post_ts(
    conn: &mut Conn,
    id: i64,
    ts: &str,
    link: Option<&str>,
) -> sqlx::Result<Option<(String, Option<String>)>> {
    sqlx::query(
        "UPDATE help_requests SET post_ts = $2, post_link = $3 WHERE id = $1 AND post_ts IS NULL",
    )
    .bind(id)
    .bind(ts)
    .bind(link)
    .execute(&mut *conn)
    .await?;
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT post_ts, post_link FROM help_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(ts, link)| ts.map(|ts| (ts, link))))
}

/// Removes a request whose post Slack refused for good: it was never seen, so nobody could
/// answer it, and it must not linger in `/ask mine` or the stats.
pub async fn withdraw_unposted(conn: &mut Conn, id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM help_requests WHERE id = $1 AND post_ts IS NULL \
         AND NOT EXISTS (SELECT 1 FROM help_request_helpers WHERE request_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The version of the post's current rendering (see `post_version` in the migration).
pub async fn post_version(conn: &mut Conn, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT post_version FROM help_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// The request posted as `ts` in `channel`, read without a lock: most events are about other
/// messages, and this tells them apart without opening a write transaction.
pub async fn find_by_post(
    conn: &mut Conn,
    channel: &str,
    ts: &str,
) -> sqlx::Result<Option<HelpRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM help_requests WHERE channel_id = $1 AND post_ts = $2");
    let row = sqlx::query(&sql)
        .bind(channel)
        .bind(ts)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether a question asked in `channel` since `since_ms` is still waiting for its post's ts
/// to be recorded (an event about it may have arrived first).
pub async fn has_unposted(conn: &mut Conn, channel: &str, since_ms: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM help_requests WHERE channel_id = $1 AND post_ts IS NULL \
         AND asked_at >= $2",
    )
    .bind(channel)
    .bind(since_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

fn lock_clause(tx: &Tx) -> &'static str {
    match tx.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    }
}

/// The request, locked until the transaction ends.
pub async fn lock(tx: &mut Tx, id: i64) -> sqlx::Result<Option<HelpRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_requests WHERE id = $1{}",
        lock_clause(tx)
    );
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

/// The request posted as message `ts` in `channel`, locked until the transaction ends.
pub async fn lock_by_post(
    tx: &mut Tx,
    channel: &str,
    ts: &str,
) -> sqlx::Result<Option<HelpRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_requests WHERE channel_id = $1 AND post_ts = $2{}",
        lock_clause(tx)
    );
    let row = sqlx::query(&sql)
        .bind(channel)
        .bind(ts)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Who helped with a request, in the order they did.
pub async fn helpers(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<(UserId, HelperRole)>> {
    let rows = sqlx::query(
        "SELECT user_id, role FROM help_request_helpers WHERE request_id = $1 \
         ORDER BY helped_at, role, user_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok((
                parse_user(&r.try_get::<String, _>("user_id")?)?,
                HelperRole::parse(&role)
                    .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
            ))
        })
        .collect()
}

/// Writes what a transition did: the new state, when it first got there, whether the asker has
/// been told, the new helper, and (with `rerender`) a new post version, which it returns.
pub async fn record_transition(
    tx: &mut Tx,
    id: i64,
    state: RequestState,
    notified: bool,
    helper: Option<&(UserId, HelperRole)>,
    rerender: bool,
    now_ms: i64,
) -> sqlx::Result<i64> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE help_requests SET state = $2, \
           post_version = post_version + $5, \
           asker_notified = CASE WHEN $3 = 1 THEN 1 ELSE asker_notified END, \
           claimed_at = CASE WHEN $2 = 'claimed' AND claimed_at IS NULL THEN $4 ELSE claimed_at END, \
           answered_at = CASE WHEN $2 = 'answered' AND answered_at IS NULL THEN $4 ELSE answered_at END, \
           resolved_at = CASE WHEN $2 = 'resolved' AND resolved_at IS NULL THEN $4 ELSE resolved_at END \
         WHERE id = $1 RETURNING post_version",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(i64::from(notified))
    .bind(now_ms)
    .bind(i64::from(rerender))
    .fetch_one(&mut **tx)
    .await?;
    if let Some((user, role)) = helper {
        sqlx::query(
            "INSERT INTO help_request_helpers (request_id, user_id, role, helped_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(user.as_str())
        .bind(role.as_str())
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    }
    Ok(version)
}

/// The asker's requests that are not resolved yet, oldest first.
pub async fn open_of(conn: &mut Conn, asker: &UserId) -> sqlx::Result<Vec<HelpRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_requests WHERE asker_id = $1 AND state <> 'resolved' \
         ORDER BY asked_at, id"
    );
    let rows = sqlx::query(&sql)
        .bind(asker.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Requests nobody has answered yet (not resolved, no reply), oldest first, at most `limit`.
pub async fn unanswered(conn: &mut Conn, limit: i64) -> sqlx::Result<Vec<HelpRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_requests WHERE state <> 'resolved' AND answered_at IS NULL          ORDER BY asked_at, id LIMIT $1"
    );
    let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// Unanswered, posted requests with a nudge or an escalation due at `now_ms`, by id.
pub async fn due_nudges(conn: &mut Conn, now_ms: i64) -> sqlx::Result<Vec<HelpRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_requests \
         WHERE state IN ('open', 'claimed') AND escalated_at IS NULL AND nudge_due_at <= $1 \
         AND post_ts IS NOT NULL AND (nudged_at IS NULL OR escalate_due_at <= $1)"
    );
    let rows = sqlx::query(&sql).bind(now_ms).fetch_all(&mut *conn).await?;
    let mut out = rows
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    out.sort_by_key(|r| r.id);
    Ok(out)
}

/// Which of a request's two reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NudgeKind {
    /// After `ask.nudge_after`: the experts (or the claimer) in the thread.
    Nudge,
    /// After `ask.escalate_after`: `ask.escalate_to`.
    Escalate,
}

/// Marks that `kind` went out for request `id`, if it had not and the request is still
/// unanswered; true if this call did it. Run in the transaction that writes the outbox row: on
/// PostgreSQL a second process blocks on the row and then finds the mark; on SQLite writers
/// take turns.
pub async fn claim_nudge(tx: &mut Tx, id: i64, kind: NudgeKind, now_ms: i64) -> sqlx::Result<bool> {
    let sql = match kind {
        NudgeKind::Nudge => {
            "UPDATE help_requests SET nudged_at = $2 WHERE id = $1 AND nudged_at IS NULL \
             AND state IN ('open', 'claimed') AND nudge_due_at <= $2"
        }
        NudgeKind::Escalate => {
            "UPDATE help_requests SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL \
             AND state IN ('open', 'claimed') AND escalate_due_at <= $2"
        }
    };
    let done = sqlx::query(sql)
        .bind(id)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One request as `/ask stats` counts it: no asker, no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatRow {
    pub topic: Option<String>,
    pub asked_at: i64,
    pub answered_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

/// Requests asked at or after `since_ms`.
pub async fn asked_since(conn: &mut Conn, since_ms: i64) -> sqlx::Result<Vec<StatRow>> {
    let rows = sqlx::query(
        "SELECT topic, asked_at, answered_at, resolved_at FROM help_requests WHERE asked_at >= $1",
    )
    .bind(since_ms)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StatRow {
                topic: r.try_get("topic")?,
                asked_at: r.try_get("asked_at")?,
                answered_at: r.try_get("answered_at")?,
                resolved_at: r.try_get("resolved_at")?,
            })
        })
        .collect()
}

/// The request, unlocked (for reading only).
pub async fn find(conn: &mut Conn, id: i64) -> sqlx::Result<Option<HelpRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM help_requests WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Who claimed each of these requests, in the order they did (the nudge pass's batch).
pub async fn claimers_of(
    conn: &mut Conn,
    ids: &[i64],
) -> sqlx::Result<std::collections::HashMap<i64, Vec<UserId>>> {
    let mut out: std::collections::HashMap<i64, Vec<UserId>> = Default::default();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT request_id, user_id, helped_at FROM help_request_helpers \
             WHERE role = 'claimed' AND request_id IN ({})",
            super::pairs::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        let mut rows = q
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("request_id")?,
                    r.try_get::<i64, _>("helped_at")?,
                    parse_user(&r.try_get::<String, _>("user_id")?)?,
                ))
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        rows.sort_by(|a, b| (a.0, a.1, a.2.as_str()).cmp(&(b.0, b.1, b.2.as_str())));
        for (id, _, user) in rows {
            out.entry(id).or_default().push(user);
        }
    }
    Ok(out)
}
