//! Thanks and the points ledger.

use super::Conn;
use crate::domain::{Period, UserId};
use sqlx::Row;

/// A thanks to record, already validated and paid for.
pub struct NewThanks<'a> {
    pub giver: &'a UserId,
    pub recipients: &'a [UserId],
    pub message: &'a str,
    pub points_each: i64,
    pub values: &'a [String],
    pub channel: Option<&'a str>,
    pub period: Period,
    pub now_ms: i64,
}

/// Writes the thanks and, when it carries points, one `give` and one `receive` ledger row per
/// recipient. Returns its id.
pub async fn record(conn: &mut Conn, t: &NewThanks<'_>) -> sqlx::Result<i64> {
    let period = t.period.to_string();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO thanks (giver, message, points_each, channel, period, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(t.giver.as_str())
    .bind(t.message)
    .bind(t.points_each)
    .bind(t.channel)
    .bind(&period)
    .bind(t.now_ms)
    .fetch_one(&mut *conn)
    .await?;
    for r in t.recipients {
        sqlx::query("INSERT INTO thanks_recipients (thanks_id, recipient) VALUES ($1, $2)")
            .bind(id)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await?;
        if t.points_each > 0 {
            ledger_row(
                conn,
                t.giver,
                &period,
                "give",
                -t.points_each,
                Some(id),
                Some(r),
                t.now_ms,
            )
            .await?;
            ledger_row(
                conn,
                r,
                &period,
                "receive",
                t.points_each,
                Some(id),
                Some(t.giver),
                t.now_ms,
            )
            .await?;
        }
    }
    for v in t.values {
        sqlx::query("INSERT INTO thanks_values (thanks_id, value) VALUES ($1, $2)")
            .bind(id)
            .bind(v)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Appends one ledger row.
#[allow(clippy::too_many_arguments)]
pub async fn ledger_row(
    conn: &mut Conn,
    user: &UserId,
    period: &str,
    kind: &str,
    points: i64,
    thanks_id: Option<i64>,
    counterparty: Option<&UserId>,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO ledger (user_id, period, kind, points, thanks_id, counterparty, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.as_str())
    .bind(period)
    .bind(kind)
    .bind(points)
    .bind(thanks_id)
    .bind(counterparty.map(UserId::as_str))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Points `user` received in `period` (or ever, with `None`).
pub async fn received(conn: &mut Conn, user: &UserId, period: Option<Period>) -> sqlx::Result<i64> {
    let q = match period {
        Some(_) => {
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM ledger WHERE user_id = $1 AND kind = 'receive' AND period = $2"
        }
        None => {
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM ledger WHERE user_id = $1 AND kind = 'receive'"
        }
    };
    let mut query = sqlx::query_scalar(q).bind(user.as_str());
    if let Some(p) = period {
        query = query.bind(p.to_string());
    }
    query.fetch_one(&mut *conn).await
}

/// Points given in `period` across everyone, and the allowance of everyone whose budget month is
/// open (base plus grants): what the admins' Home tab compares.
pub async fn period_totals(conn: &mut Conn, period: Period) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(spent), 0) AS BIGINT) AS spent,          CAST(COALESCE(SUM(base + granted), 0) AS BIGINT) AS allowance          FROM budget_periods WHERE period = $1",
    )
    .bind(period.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.try_get("spent")?, row.try_get("allowance")?))
}

/// The top receivers of `period` (or of all time), most points first, ties by who got there first.
pub async fn top_receivers(
    conn: &mut Conn,
    period: Option<Period>,
    limit: i64,
) -> sqlx::Result<Vec<(UserId, i64)>> {
    let q = match period {
        Some(_) => {
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS total, MIN(id) AS first FROM ledger \
                    WHERE kind = 'receive' AND period = $2 GROUP BY user_id ORDER BY total DESC, first LIMIT $1"
        }
        None => {
            "SELECT user_id, CAST(SUM(points) AS BIGINT) AS total, MIN(id) AS first FROM ledger \
                 WHERE kind = 'receive' GROUP BY user_id ORDER BY total DESC, first LIMIT $1"
        }
    };
    let mut query = sqlx::query(q).bind(limit);
    if let Some(p) = period {
        query = query.bind(p.to_string());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.into_iter()
        .filter_map(|r| {
            let id: String = r.try_get("user_id").ok()?;
            Some(Ok((
                UserId::parse(&id).ok()?,
                r.try_get::<i64, _>("total").ok()?,
            )))
        })
        .collect()
}

/// One line of `/bonus history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// The other side: recipients of a thanks given, or its giver.
    pub others: Vec<UserId>,
    pub points_each: i64,
    pub message: String,
    /// The company values it named.
    pub values: Vec<String>,
    pub created_at_ms: i64,
}

/// The company values thanks `id` named, in the order they are stored.
async fn values_of(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT value FROM thanks_values WHERE thanks_id = $1 ORDER BY value")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
}

/// The last `limit` thanks `user` gave.
pub async fn given_by(
    conn: &mut Conn,
    user: &UserId,
    limit: i64,
) -> sqlx::Result<Vec<HistoryItem>> {
    let rows = sqlx::query(
        "SELECT id, message, points_each, created_at FROM thanks WHERE giver = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user.as_str())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let others: Vec<String> = sqlx::query_scalar(
            "SELECT recipient FROM thanks_recipients WHERE thanks_id = $1 ORDER BY recipient",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(HistoryItem {
            others: others
                .iter()
                .filter_map(|s| UserId::parse(s).ok())
                .collect(),
            points_each: r.try_get("points_each")?,
            message: r.try_get("message")?,
            values: values_of(conn, id).await?,
            created_at_ms: r.try_get("created_at")?,
        });
    }
    Ok(out)
}

/// The last `limit` thanks `user` received.
pub async fn received_by(
    conn: &mut Conn,
    user: &UserId,
    limit: i64,
) -> sqlx::Result<Vec<HistoryItem>> {
    let rows = sqlx::query(
        "SELECT t.id, t.giver, t.message, t.points_each, t.created_at FROM thanks t \
         JOIN thanks_recipients r ON r.thanks_id = t.id WHERE r.recipient = $1 \
         ORDER BY t.id DESC LIMIT $2",
    )
    .bind(user.as_str())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let giver: String = r.try_get("giver")?;
        out.push(HistoryItem {
            others: UserId::parse(&giver).into_iter().collect(),
            points_each: r.try_get("points_each")?,
            message: r.try_get("message")?,
            values: values_of(conn, r.try_get("id")?).await?,
            created_at_ms: r.try_get("created_at")?,
        });
    }
    Ok(out)
}

/// One ledger row as exported.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub created_at: i64,
    pub period: String,
    pub user_id: String,
    pub kind: String,
    pub points: i64,
    pub counterparty: Option<String>,
    pub thanks_id: Option<i64>,
}

/// Ledger rows created in `[from_ms, to_ms)`, oldest first.
pub async fn ledger_between(
    conn: &mut Conn,
    from_ms: i64,
    to_ms: i64,
) -> sqlx::Result<Vec<LedgerEntry>> {
    sqlx::query_as(
        "SELECT id, created_at, period, user_id, kind, points, counterparty, thanks_id FROM ledger \
         WHERE created_at >= $1 AND created_at < $2 ORDER BY id",
    )
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&mut *conn)
    .await
}

/// Budget rows whose `spent` or `granted` disagree with the ledger. Empty means consistent.
pub async fn budget_mismatches(conn: &mut Conn) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT b.user_id, b.period, b.spent, b.granted, \
           CAST(COALESCE((SELECT -SUM(points) FROM ledger l WHERE l.user_id = b.user_id AND l.period = b.period AND l.kind = 'give'), 0) AS BIGINT) AS given, \
           CAST(COALESCE((SELECT SUM(points) FROM ledger l WHERE l.user_id = b.user_id AND l.period = b.period AND l.kind = 'grant'), 0) AS BIGINT) AS grants \
         FROM budget_periods b",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let (spent, granted, given, grants): (i64, i64, i64, i64) = (
            r.try_get("spent")?,
            r.try_get("granted")?,
            r.try_get("given")?,
            r.try_get("grants")?,
        );
        if spent != given || granted != grants {
            let user: String = r.try_get("user_id")?;
            let period: String = r.try_get("period")?;
            out.push(format!("{user} {period}: spent {spent} vs ledger {given}, granted {granted} vs ledger {grants}"));
        }
    }
    Ok(out)
}
