//! What the 1on1 scheduler reads and the exactly-once reminder keys it writes; the pulse.

use super::Conn;
use super::pairs::{PAIR_COLUMNS, Pair, day, pair_from_row};
use chrono::NaiveDate;
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
}

/// Pairs that may need a reminder: due on or before `latest_day` (the latest calendar day
/// anywhere, so no time zone is missed), not paused, not snoozed past it. Reads one index.
pub async fn due_candidates(
    conn: &mut Conn,
    latest_day: NaiveDate,
) -> sqlx::Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {PAIR_COLUMNS}, mu.tz AS manager_tz, mu.locale AS manager_locale, \
         ru.locale AS report_locale, ru.tz AS report_tz FROM pairs p \
         LEFT JOIN slack_users mu ON mu.user_id = p.manager_id \
         LEFT JOIN slack_users ru ON ru.user_id = p.report_id \
         WHERE p.ended_at IS NULL AND p.paused = 0 AND p.due_on <= $1 \
         AND (p.snoozed_until IS NULL OR p.snoozed_until <= $1)"
    );
    let rows = sqlx::query(&sql)
        .bind(day(latest_day))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                pair: pair_from_row(r)?,
                manager_tz: r.try_get("manager_tz")?,
                manager_locale: r.try_get("manager_locale")?,
                report_locale: r.try_get("report_locale")?,
                report_tz: r.try_get("report_tz")?,
            })
        })
        .collect()
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
         WHERE p.ended_at IS NULL AND p.paused = 0 AND p.due_on <= $1 \
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
pub async fn claim_reminder(
    conn: &mut Conn,
    key: &ReminderKey<'_>,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO reminders (pair_id, due_on, kind, seq, local_day, sent_at, questions) \
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM pairs WHERE id = $1 \
           AND due_on = $2 AND ended_at IS NULL AND paused = 0 \
           AND (snoozed_until IS NULL OR snoozed_until <= $5)) \
         ON CONFLICT (pair_id, due_on, kind, seq) DO NOTHING",
    )
    .bind(key.pair_id)
    .bind(day(key.due_on))
    .bind(key.kind.as_str())
    .bind(i64::from(key.seq))
    .bind(day(key.local_day))
    .bind(now_ms)
    .bind(key.questions.join(" "))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Question ids this pair was shown in its latest `limit` reminders, newest first.
pub async fn recent_questions(
    conn: &mut Conn,
    pair_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT questions FROM reminders WHERE pair_id = $1 AND kind = 'manager' \
         ORDER BY sent_at DESC, due_on DESC, seq DESC LIMIT $2",
    )
    .bind(pair_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .flat_map(|q| q.split_whitespace().map(str::to_owned))
        .collect())
}

/// How many reminders were ever written (tests, the console).
pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reminders")
        .fetch_one(&mut *conn)
        .await
}

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
/// `pulse_answers` without the meeting or the report, and the request forgets them.
pub async fn answer_pulse(
    conn: &mut Conn,
    meeting_id: i64,
    report: &crate::domain::UserId,
    answer: PulseAnswer,
    answered_on: NaiveDate,
) -> sqlx::Result<PulseOutcome> {
    let updated = match answer {
        PulseAnswer::Useful(n) => {
            sqlx::query(
                "UPDATE pulse_requests SET useful = $3 \
                 WHERE meeting_id = $1 AND report_id = $2 AND answered = 0",
            )
            .bind(meeting_id)
            .bind(report.as_str())
            .bind(n)
            .execute(&mut *conn)
            .await?
        }
        PulseAnswer::Talk(t) => {
            sqlx::query(
                "UPDATE pulse_requests SET talk = $3 \
                 WHERE meeting_id = $1 AND report_id = $2 AND answered = 0",
            )
            .bind(meeting_id)
            .bind(report.as_str())
            .bind(t)
            .execute(&mut *conn)
            .await?
        }
    };
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
    sqlx::query(
        "INSERT INTO pulse_answers (manager_id, answered_on, useful, talk) VALUES ($1, $2, $3, $4)",
    )
    .bind(&manager)
    .bind(day(answered_on))
    .bind(useful)
    .bind(&talk)
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

/// The anonymous pulse of one manager's 1on1s (or of everyone's, with `None`) since a day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PulseSummary {
    pub answers: i64,
    pub useful_sum: i64,
    pub report_talked_more: i64,
    pub even: i64,
    pub manager_talked_more: i64,
}

pub async fn pulse_summary(
    conn: &mut Conn,
    manager: Option<&crate::domain::UserId>,
    since: NaiveDate,
) -> sqlx::Result<PulseSummary> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(useful), 0) AS BIGINT) AS useful_sum, \
         CAST(COALESCE(SUM(CASE WHEN talk = 'report' THEN 1 ELSE 0 END), 0) AS BIGINT) AS r, \
         CAST(COALESCE(SUM(CASE WHEN talk = 'even' THEN 1 ELSE 0 END), 0) AS BIGINT) AS e, \
         CAST(COALESCE(SUM(CASE WHEN talk = 'manager' THEN 1 ELSE 0 END), 0) AS BIGINT) AS m \
         FROM pulse_answers WHERE answered_on >= $1 AND ($2 = '' OR manager_id = $2)",
    )
    .bind(day(since))
    .bind(manager.map(|m| m.as_str()).unwrap_or(""))
    .fetch_one(&mut *conn)
    .await?;
    Ok(PulseSummary {
        answers: row.try_get("n")?,
        useful_sum: row.try_get("useful_sum")?,
        report_talked_more: row.try_get("r")?,
        even: row.try_get("e")?,
        manager_talked_more: row.try_get("m")?,
    })
}

/// Managers of active pairs whose cached profile is missing or fetched before `stale_before`.
pub async fn stale_managers(
    conn: &mut Conn,
    stale_before: i64,
    limit: i64,
) -> sqlx::Result<Vec<crate::domain::UserId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT p.manager_id FROM pairs p \
         LEFT JOIN slack_users u ON u.user_id = p.manager_id \
         WHERE p.ended_at IS NULL AND (u.user_id IS NULL OR u.fetched_at < $1) \
         ORDER BY p.manager_id LIMIT $2",
    )
    .bind(stale_before)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids
        .iter()
        .filter_map(|s| crate::domain::UserId::parse(s).ok())
        .collect())
}
