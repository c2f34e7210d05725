//! 1on1 pairs and what belongs to them: meetings, private notes, action items and topics.
//!
//! Days are stored as `YYYY-MM-DD` text. Callers keep `due_on` in step with the cadence and the
//! last 1on1 (see `domain::PairFacts::due_on`); this module only stores what it is given.

use super::{Backend, Conn, Tx};
use crate::domain::{Cadence, PairFacts, UserId};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// `YYYY-MM-DD`, the stored form of a calendar day.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(s: &str) -> sqlx::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn parse_opt_day(s: Option<String>) -> sqlx::Result<Option<NaiveDate>> {
    s.as_deref().map(parse_day).transpose()
}

pub(crate) fn parse_user(s: &str) -> sqlx::Result<UserId> {
    UserId::parse(s).map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}

/// An active (or ended) pair as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub id: i64,
    pub manager: UserId,
    pub report: UserId,
    pub cadence: Cadence,
    pub added_on: NaiveDate,
    pub last_met_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub paused: bool,
    pub snoozed_until: Option<NaiveDate>,
}

impl Pair {
    /// The facts the domain rules read.
    pub fn facts(&self) -> PairFacts {
        PairFacts {
            cadence: self.cadence,
            added_on: self.added_on,
            last_met_on: self.last_met_on,
            paused: self.paused,
            snoozed_until: self.snoozed_until,
        }
    }

    /// The other person of the pair, seen from `me`.
    pub fn other(&self, me: &UserId) -> &UserId {
        if &self.manager == me {
            &self.report
        } else {
            &self.manager
        }
    }
}

pub(crate) const PAIR_COLUMNS: &str = "p.id, p.manager_id, p.report_id, p.cadence, p.added_on, \
     p.last_met_on, p.due_on, p.paused, p.snoozed_until";

pub(crate) fn pair_from_row(r: &AnyRow) -> sqlx::Result<Pair> {
    let cadence: String = r.try_get("cadence")?;
    Ok(Pair {
        id: r.try_get("id")?,
        manager: parse_user(&r.try_get::<String, _>("manager_id")?)?,
        report: parse_user(&r.try_get::<String, _>("report_id")?)?,
        cadence: Cadence::parse(&cadence).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        added_on: parse_day(&r.try_get::<String, _>("added_on")?)?,
        last_met_on: parse_opt_day(r.try_get("last_met_on")?)?,
        due_on: parse_day(&r.try_get::<String, _>("due_on")?)?,
        paused: r.try_get::<i64, _>("paused")? != 0,
        snoozed_until: parse_opt_day(r.try_get("snoozed_until")?)?,
    })
}

/// The report's active pair, whoever manages them.
pub async fn active_pair_of_report(conn: &mut Conn, report: &UserId) -> sqlx::Result<Option<Pair>> {
    let sql =
        format!("SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.report_id = $1 AND p.ended_at IS NULL");
    let row = sqlx::query(&sql)
        .bind(report.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(pair_from_row).transpose()
}

/// The active pair of these two people, whichever of them manages the other.
pub async fn pair_between(conn: &mut Conn, a: &UserId, b: &UserId) -> sqlx::Result<Option<Pair>> {
    let sql = format!(
        "SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.ended_at IS NULL AND \
         ((p.manager_id = $1 AND p.report_id = $2) OR (p.manager_id = $2 AND p.report_id = $1))"
    );
    let row = sqlx::query(&sql)
        .bind(a.as_str())
        .bind(b.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(pair_from_row).transpose()
}

/// Re-reads an active pair inside a write transaction and, on PostgreSQL, locks its row until
/// the transaction ends (SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time). Every
/// use-case that reads a pair and then writes it back goes through here, so two changes to one
/// pair (a pause and a recorded 1on1) cannot overwrite each other with stale values.
pub async fn lock(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Pair>> {
    let lock = match tx.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql =
        format!("SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.id = $1 AND p.ended_at IS NULL{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(pair_from_row).transpose()
}

pub async fn pair_by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Pair>> {
    let sql = format!("SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.id = $1 AND p.ended_at IS NULL");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(pair_from_row).transpose()
}

/// My active pairs: those I manage first, then the one where I am the report.
pub async fn pairs_of(conn: &mut Conn, user: &UserId) -> sqlx::Result<Vec<Pair>> {
    let sql = format!(
        "SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.ended_at IS NULL AND \
         (p.manager_id = $1 OR p.report_id = $1) \
         ORDER BY CASE WHEN p.manager_id = $1 THEN 0 ELSE 1 END, p.due_on, p.id"
    );
    let rows = sqlx::query(&sql)
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(pair_from_row).collect()
}

/// Every active pair, by manager (org export, admin report).
pub async fn active_pairs(conn: &mut Conn) -> sqlx::Result<Vec<Pair>> {
    let sql = format!(
        "SELECT {PAIR_COLUMNS} FROM pairs p WHERE p.ended_at IS NULL ORDER BY p.manager_id, p.report_id"
    );
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(pair_from_row).collect()
}

/// A pair about to be stored.
pub struct NewPair<'a> {
    pub manager: &'a UserId,
    pub report: &'a UserId,
    pub cadence: Cadence,
    pub added_on: NaiveDate,
    pub due_on: NaiveDate,
    pub added_by: &'a UserId,
    pub now_ms: i64,
}

pub async fn insert_pair(conn: &mut Conn, p: &NewPair<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(p.manager.as_str())
    .bind(p.report.as_str())
    .bind(p.cadence.to_string())
    .bind(day(p.added_on))
    .bind(p.now_ms)
    .bind(p.added_by.as_str())
    .bind(day(p.due_on))
    .fetch_one(&mut *conn)
    .await
}

/// Ends a pair; its meetings, items and reminders stay as history.
pub async fn end_pair(conn: &mut Conn, id: i64, now_ms: i64) -> sqlx::Result<bool> {
    let n = sqlx::query("UPDATE pairs SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Stores what the rules derived from a change: cadence, last 1on1 and the due day. A new due
/// day starts a new due period, whose reminders start afresh.
pub async fn update_schedule(conn: &mut Conn, pair: &Pair) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE pairs SET cadence = $2, last_met_on = $3, due_on = $4, paused = $5, \
         snoozed_until = $6, \
         remind_from = CASE WHEN due_on = $4 THEN remind_from ELSE NULL END WHERE id = $1",
    )
    .bind(pair.id)
    .bind(pair.cadence.to_string())
    .bind(pair.last_met_on.map(day))
    .bind(day(pair.due_on))
    .bind(i64::from(pair.paused))
    .bind(pair.snoozed_until.map(day))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a 1on1; `None` when one was already recorded for that pair and day.
pub async fn record_meeting(
    conn: &mut Conn,
    pair_id: i64,
    held_on: NaiveDate,
    by: &UserId,
    now_ms: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO meetings (pair_id, held_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (pair_id, held_on) DO NOTHING RETURNING id",
    )
    .bind(pair_id)
    .bind(day(held_on))
    .bind(by.as_str())
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn meeting_on(
    conn: &mut Conn,
    pair_id: i64,
    held_on: NaiveDate,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM meetings WHERE pair_id = $1 AND held_on = $2")
        .bind(pair_id)
        .bind(day(held_on))
        .fetch_optional(&mut *conn)
        .await
}

pub async fn add_note(
    conn: &mut Conn,
    meeting_id: i64,
    author: &UserId,
    body: &str,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO meeting_notes (meeting_id, author_id, body, written_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(meeting_id)
    .bind(author.as_str())
    .bind(body)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A note as the pair sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub held_on: NaiveDate,
    pub author: UserId,
    pub body: String,
}

/// The notes of this pair's latest `meetings` 1on1s that have notes, newest first. Only the
/// pair's own view may call this.
pub async fn notes_of_pair(
    conn: &mut Conn,
    pair_id: i64,
    meetings: i64,
) -> sqlx::Result<Vec<Note>> {
    let rows = sqlx::query(
        "SELECT m.held_on, n.author_id, n.body FROM meeting_notes n \
         JOIN meetings m ON m.id = n.meeting_id \
         WHERE m.id IN (SELECT m2.id FROM meetings m2 WHERE m2.pair_id = $1 \
             AND EXISTS (SELECT 1 FROM meeting_notes n2 WHERE n2.meeting_id = m2.id) \
             ORDER BY m2.held_on DESC LIMIT $2) \
         ORDER BY m.held_on DESC, n.id",
    )
    .bind(pair_id)
    .bind(meetings)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Note {
                held_on: parse_day(&r.try_get::<String, _>("held_on")?)?,
                author: parse_user(&r.try_get::<String, _>("author_id")?)?,
                body: r.try_get("body")?,
            })
        })
        .collect()
}

/// An open action item or a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub pair_id: i64,
    pub body: String,
    pub by: UserId,
}

fn item_from_row(r: &AnyRow) -> sqlx::Result<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        pair_id: r.try_get("pair_id")?,
        body: r.try_get("body")?,
        by: parse_user(&r.try_get::<String, _>("by_user")?)?,
    })
}

pub async fn add_action_item(
    conn: &mut Conn,
    pair_id: i64,
    body: &str,
    by: &UserId,
    now_ms: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO action_items (pair_id, body, created_by, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(pair_id)
    .bind(body)
    .bind(by.as_str())
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
}

/// Open action items of one pair, oldest first.
pub async fn open_action_items(conn: &mut Conn, pair_id: i64) -> sqlx::Result<Vec<Item>> {
    let rows = sqlx::query(
        "SELECT id, pair_id, body, created_by AS by_user FROM action_items \
         WHERE pair_id = $1 AND done_at IS NULL ORDER BY id",
    )
    .bind(pair_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_from_row).collect()
}

/// An action item by number, open or not: (item, closed?).
pub async fn action_item(conn: &mut Conn, id: i64) -> sqlx::Result<Option<(Item, bool)>> {
    let row = sqlx::query(
        "SELECT id, pair_id, body, created_by AS by_user, done_at FROM action_items WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            item_from_row(&r)?,
            r.try_get::<Option<i64>, _>("done_at")?.is_some(),
        ))
    })
    .transpose()
}

/// Closes an open item; false when it was already closed.
pub async fn close_action_item(
    conn: &mut Conn,
    id: i64,
    by: &UserId,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE action_items SET done_at = $2, done_by = $3 WHERE id = $1 AND done_at IS NULL",
    )
    .bind(id)
    .bind(now_ms)
    .bind(by.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Is this pair (active or ended) one of `user`'s?
pub async fn is_member(conn: &mut Conn, pair_id: i64, user: &UserId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pairs WHERE id = $1 AND (manager_id = $2 OR report_id = $2)",
    )
    .bind(pair_id)
    .bind(user.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

pub async fn add_topic(
    conn: &mut Conn,
    pair_id: i64,
    body: &str,
    by: &UserId,
    now_ms: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO topics (pair_id, body, added_by, added_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(pair_id)
    .bind(body)
    .bind(by.as_str())
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
}

/// Topics for the next 1on1: the report's first (it is their time), then the manager's, each
/// oldest first.
pub async fn open_topics(
    conn: &mut Conn,
    pair_id: i64,
    report: &UserId,
) -> sqlx::Result<Vec<Item>> {
    let rows = sqlx::query(
        "SELECT id, pair_id, body, added_by AS by_user FROM topics \
         WHERE pair_id = $1 AND meeting_id IS NULL \
         ORDER BY CASE WHEN added_by = $2 THEN 0 ELSE 1 END, id",
    )
    .bind(pair_id)
    .bind(report.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_from_row).collect()
}

/// The open topics were for this 1on1: they are done with.
pub async fn attach_topics(conn: &mut Conn, pair_id: i64, meeting_id: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE topics SET meeting_id = $2 WHERE pair_id = $1 AND meeting_id IS NULL")
            .bind(pair_id)
            .bind(meeting_id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// `$first, $first+1, …` for `n` values bound in a row.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Open action items of several pairs at once (the scheduler's batch), oldest first per pair.
pub async fn open_action_items_of(
    conn: &mut Conn,
    pair_ids: &[i64],
) -> sqlx::Result<HashMap<i64, Vec<Item>>> {
    if pair_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, pair_id, body, created_by AS by_user FROM action_items \
         WHERE pair_id IN ({}) AND done_at IS NULL ORDER BY pair_id, id",
        placeholders(1, pair_ids.len())
    );
    let mut q = sqlx::query(&sql);
    for id in pair_ids {
        q = q.bind(*id);
    }
    group(q.fetch_all(&mut *conn).await?)
}

/// Open topics of several pairs at once, each pair's report's first.
pub async fn open_topics_of(
    conn: &mut Conn,
    pair_ids: &[i64],
) -> sqlx::Result<HashMap<i64, Vec<Item>>> {
    if pair_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT t.id, t.pair_id, t.body, t.added_by AS by_user FROM topics t \
         JOIN pairs p ON p.id = t.pair_id \
         WHERE t.pair_id IN ({}) AND t.meeting_id IS NULL \
         ORDER BY t.pair_id, CASE WHEN t.added_by = p.report_id THEN 0 ELSE 1 END, t.id",
        placeholders(1, pair_ids.len())
    );
    let mut q = sqlx::query(&sql);
    for id in pair_ids {
        q = q.bind(*id);
    }
    group(q.fetch_all(&mut *conn).await?)
}

fn group(rows: Vec<AnyRow>) -> sqlx::Result<HashMap<i64, Vec<Item>>> {
    let mut out: HashMap<i64, Vec<Item>> = HashMap::new();
    for r in &rows {
        let item = item_from_row(r)?;
        out.entry(item.pair_id).or_default().push(item);
    }
    Ok(out)
}
