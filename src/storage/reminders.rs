//! What the 1on1 scheduler reads and the exactly-once reminder keys it writes; the pulse.

use super::pairs::{PAIR_COLUMNS, Pair, day, pair_from_row};
use super::{Backend, Conn, Tx};
use chrono::{Datelike, NaiveDate};
use sqlx::Row;
use std::collections::HashMap;

/// An active, unpaused pair whose due day has come somewhere on Earth, with what the cache
/// knows of its manager.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub pair: Pair,
    /// The manager's IANA time zone from the users.info cache, if known.
    pub manager_tz: Option<String>,
    pub manager_locale: Option<String>,
    pub report_locale: Option<String>,
    /// The report's IANA time zone from the cache, if known: their nudge waits for their hours.
    pub report_tz: Option<String>,
    /// Slack says the report has left: no nudge.
    pub report_gone: bool,
}

/// Pairs that may need a reminder: due, and their next reminder allowed, on or before
/// `latest_day` (the latest calendar day anywhere, so no time zone is missed), not paused, not
/// snoozed past it, and not of a manager Slack says has left. Reads one index. Returned in id
/// order, so that concurrent passes claim keys in the same order and cannot deadlock on
/// PostgreSQL.
pub async fn due_candidates(
    conn: &mut Conn,
    latest_day: NaiveDate,
) -> sqlx::Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {PAIR_COLUMNS}, mu.tz AS manager_tz, mu.locale AS manager_locale, \
         ru.locale AS report_locale, ru.tz AS report_tz, ru.deleted AS report_deleted FROM pairs p \
         LEFT JOIN slack_users mu ON mu.user_id = p.manager_id \
         LEFT JOIN slack_users ru ON ru.user_id = p.report_id \
         WHERE p.ended_at IS NULL AND p.paused = 0 AND COALESCE(p.remind_from, p.due_on) <= $1 \
         AND (p.snoozed_until IS NULL OR p.snoozed_until <= $1) \
         AND (mu.deleted IS NULL OR mu.deleted = 0)"
    );
    let rows = sqlx::query(&sql)
        .bind(day(latest_day))
        .fetch_all(&mut *conn)
        .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(Candidate {
                pair: pair_from_row(r)?,
                manager_tz: r.try_get("manager_tz")?,
                manager_locale: r.try_get("manager_locale")?,
                report_locale: r.try_get("report_locale")?,
                report_tz: r.try_get("report_tz")?,
                report_gone: r.try_get::<Option<i64>, _>("report_deleted")?.unwrap_or(0) != 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    // Sorted here rather than by the query, which would then walk the table in id order instead
    // of reading the index.
    out.sort_by_key(|c| c.pair.id);
    Ok(out)
}

/// Reminders already sent in the current due period of each candidate pair.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// Local days of the manager reminders, in order of their number.
    pub manager: Vec<NaiveDate>,
    /// The report was nudged.
    pub report: bool,
}

/// The reminders of every pair's current due period, for pairs due on or before `latest_day`.
pub async fn sent_this_period(
    conn: &mut Conn,
    latest_day: NaiveDate,
) -> sqlx::Result<HashMap<i64, Sent>> {
    let rows = sqlx::query(
        "SELECT r.pair_id, r.kind, r.seq, r.local_day FROM reminders r \
         JOIN pairs p ON p.id = r.pair_id AND p.due_on = r.due_on \
         WHERE p.ended_at IS NULL AND p.paused = 0 AND COALESCE(p.remind_from, p.due_on) <= $1 \
         ORDER BY r.pair_id, r.kind, r.seq",
    )
    .bind(day(latest_day))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Sent> = HashMap::new();
    for r in rows {
        let entry = out.entry(r.try_get("pair_id")?).or_default();
        let local: String = r.try_get("local_day")?;
        match r.try_get::<String, _>("kind")?.as_str() {
            "manager" => entry.manager.push(
                NaiveDate::parse_from_str(&local, "%Y-%m-%d")
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ),
            _ => entry.report = true,
        }
    }
    Ok(out)
}

/// Who a reminder goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderKind {
    Manager,
    Report,
}

impl ReminderKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Report => "report",
        }
    }
}

/// One reminder's unique key and what to remember about it.
pub struct ReminderKey<'a> {
    pub pair_id: i64,
    pub due_on: NaiveDate,
    pub kind: ReminderKind,
    pub seq: u32,
    pub local_day: NaiveDate,
    pub questions: &'a [&'a str],
}

/// Claims a reminder: true if this call wrote its key, so the caller (in the same transaction)
/// enqueues the message. False when it exists already (another process, an earlier pass) or the
/// pair changed meanwhile (a 1on1 recorded, paused, snoozed, ended): then nothing is sent.
pub async fn claim_reminder(tx: &mut Tx, key: &ReminderKey<'_>, now_ms: i64) -> sqlx::Result<bool> {
    // On PostgreSQL the check locks the pair's row for the rest of the transaction: a 1on1
    // being recorded at this moment (which holds the row too) is waited for and then seen, and
    // the batch's later write of `remind_from` needs no lock it does not hold. Passes lock rows
    // in id order, so two passes queue behind each other instead of deadlocking (a shared
    // lock here would deadlock: both would hold it and then both want the row for the write).
    let lock = match tx.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "INSERT INTO reminders (pair_id, due_on, kind, seq, local_day, sent_at, questions) \
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM pairs WHERE id = $1 \
           AND due_on = $2 AND ended_at IS NULL AND paused = 0 \
           AND (snoozed_until IS NULL OR snoozed_until <= $5){lock}) \
         ON CONFLICT (pair_id, due_on, kind, seq) DO NOTHING"
    );
    let n = sqlx::query(&sql)
        .bind(key.pair_id)
        .bind(day(key.due_on))
        .bind(key.kind.as_str())
        .bind(i64::from(key.seq))
        .bind(day(key.local_day))
        .bind(now_ms)
        .bind(key.questions.join(" "))
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Question ids each pair was shown in its latest `limit` manager reminders (the scheduler's
/// batch).
pub async fn recent_questions_of(
    conn: &mut Conn,
    pair_ids: &[i64],
    limit: i64,
) -> sqlx::Result<HashMap<i64, Vec<String>>> {
    if pair_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT pair_id, questions FROM ( \
           SELECT pair_id, questions, ROW_NUMBER() OVER ( \
             PARTITION BY pair_id ORDER BY sent_at DESC, due_on DESC, seq DESC) AS n \
           FROM reminders WHERE kind = 'manager' AND pair_id IN ({}) \
         ) latest WHERE n <= ${} ORDER BY pair_id, n",
        super::pairs::placeholders(1, pair_ids.len()),
        pair_ids.len() + 1
    );
    let mut q = sqlx::query(&sql);
    for id in pair_ids {
        q = q.bind(*id);
    }
    let rows = q.bind(limit).fetch_all(&mut *conn).await?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for r in rows {
        let questions: String = r.try_get("questions")?;
        out.entry(r.try_get("pair_id")?)
            .or_default()
            .extend(questions.split_whitespace().map(str::to_owned));
    }
    Ok(out)
}

/// After reminders went out: for each `(pair, due_on, next)`, the earliest day the pair's next
/// message of that due period may go out, `None` when the period's reminders are all sent. One
/// statement for the whole batch.
pub async fn set_remind_from(
    conn: &mut Conn,
    updates: &[(i64, NaiveDate, Option<NaiveDate>)],
) -> sqlx::Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    let mut cases = String::new();
    for k in 0..updates.len() {
        cases.push_str(&format!(
            " WHEN id = ${} AND due_on = ${} THEN ${}",
            3 * k + 1,
            3 * k + 2,
            3 * k + 3
        ));
    }
    let ids = (0..updates.len())
        .map(|k| format!("${}", 3 * k + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE pairs SET remind_from = CASE{cases} ELSE remind_from END WHERE id IN ({ids})"
    );
    let mut q = sqlx::query(&sql);
    for (pair_id, due_on, next) in updates {
        q = q
            .bind(*pair_id)
            .bind(day(*due_on))
            .bind(next.map_or_else(|| ALL_SENT.to_owned(), day));
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// `remind_from` of a pair whose reminders for this due period are all sent.
const ALL_SENT: &str = "9999-12-31";

// ---- the pulse ----

pub async fn insert_pulse_request(
    conn: &mut Conn,
    meeting_id: i64,
    pair: &Pair,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO pulse_requests (meeting_id, report_id, manager_id, sent_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id) DO NOTHING",
    )
    .bind(meeting_id)
    .bind(pair.report.as_str())
    .bind(pair.manager.as_str())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// One answer to a pulse question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulseAnswer {
    Useful(i64),
    /// `report`, `even` or `manager`.
    Talk(&'static str),
}

/// What happened to a pulse answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulseOutcome {
    /// Kept; the other question is still open.
    Partial,
    /// Both answered: stored anonymously.
    Complete,
    /// Already complete, or not this person's pulse.
    Ignored,
}

/// Records one answer of `report` to the pulse of `meeting_id`. When both are in, they move to
/// `pulse_answers` without the meeting or the report, only with the report's opaque bucket
/// (`key.bucket(manager, report)`), and the request forgets them.
pub async fn answer_pulse(
    conn: &mut Conn,
    meeting_id: i64,
    report: &crate::domain::UserId,
    answer: PulseAnswer,
    answered_on: NaiveDate,
    key: &crate::domain::PulseKey,
) -> sqlx::Result<PulseOutcome> {
    let (useful, talk) = match answer {
        PulseAnswer::Useful(n) => (Some(n), None),
        PulseAnswer::Talk(t) => (None, Some(t)),
    };
    // Sets the one answer given and keeps the other as it was.
    let updated = sqlx::query(
        "UPDATE pulse_requests SET useful = COALESCE($3, useful), talk = COALESCE($4, talk) \
         WHERE meeting_id = $1 AND report_id = $2 AND answered = 0",
    )
    .bind(meeting_id)
    .bind(report.as_str())
    .bind(useful)
    .bind(talk)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(PulseOutcome::Ignored);
    }
    let row =
        sqlx::query("SELECT manager_id, useful, talk FROM pulse_requests WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut *conn)
            .await?;
    let (Some(useful), Some(talk)) = (
        row.try_get::<Option<i64>, _>("useful")?,
        row.try_get::<Option<String>, _>("talk")?,
    ) else {
        return Ok(PulseOutcome::Partial);
    };
    let manager: String = row.try_get("manager_id")?;
    let week = week_of(answered_on);
    sqlx::query(
        "INSERT INTO pulse_answers (manager_id, answered_week, useful, talk, report_bucket) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&manager)
    .bind(day(week))
    .bind(useful)
    .bind(&talk)
    .bind(key.bucket(&manager, report.as_str()))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE pulse_requests SET useful = NULL, talk = NULL, answered = 1 WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .execute(&mut *conn)
    .await?;
    Ok(PulseOutcome::Complete)
}

/// One stored pulse answer, as the views read it: never who gave it, only their opaque bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPulseAnswer {
    /// `None` for an answer stored before buckets existed.
    pub bucket: Option<String>,
    /// The Monday of the week it was given.
    pub week: NaiveDate,
    pub useful: i64,
    /// `report`, `even` or `manager`.
    pub talk: String,
}

/// Every complete pulse answer about `manager`'s 1on1s (everyone's, with `None`), in the order
/// they came: the views form their blocks over all of them, so that a block never depends on
/// the window.
pub async fn pulse_answers(
    conn: &mut Conn,
    manager: Option<&crate::domain::UserId>,
) -> sqlx::Result<Vec<StoredPulseAnswer>> {
    let rows = sqlx::query(
        "SELECT report_bucket, answered_week, useful, talk FROM pulse_answers \
         WHERE ($1 = '' OR manager_id = $1) ORDER BY id",
    )
    .bind(manager.map(|m| m.as_str()).unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let week: String = r.try_get("answered_week")?;
            Ok(StoredPulseAnswer {
                bucket: r.try_get("report_bucket")?,
                week: NaiveDate::parse_from_str(&week, "%Y-%m-%d")
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                useful: r.try_get("useful")?,
                talk: r.try_get("talk")?,
            })
        })
        .collect()
}

/// The Monday of `d`'s week.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// People of active pairs (managers first) whose cached profile is missing or fetched before
/// `stale_before`: their time zone decides when they get a reminder or a nudge.
pub async fn stale_pair_members(
    conn: &mut Conn,
    stale_before: i64,
    limit: i64,
) -> sqlx::Result<Vec<crate::domain::UserId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT person FROM ( \
           SELECT p.manager_id AS person, 0 AS rank FROM pairs p WHERE p.ended_at IS NULL \
           UNION SELECT p.report_id AS person, 1 AS rank FROM pairs p WHERE p.ended_at IS NULL \
         ) people LEFT JOIN slack_users u ON u.user_id = people.person \
         WHERE u.user_id IS NULL OR u.fetched_at < $1 \
         ORDER BY people.rank, people.person LIMIT $2",
    )
    .bind(stale_before)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<crate::domain::UserId> = Vec::new();
    for id in ids
        .iter()
        .filter_map(|s| crate::domain::UserId::parse(s).ok())
    {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}
