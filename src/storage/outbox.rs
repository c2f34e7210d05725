//! Outbox rows: enqueue inside a use-case's transaction, claim with a lease, record the result.

use super::{Backend, Conn, Store};
use anyhow::Context;
use sqlx::Row;

/// A claimed message.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub payload: String,
    pub attempts: i64,
    /// An earlier attempt's outcome is unknown (its worker died or its lease ran out mid-send).
    pub in_doubt: bool,
}

/// Claimed messages to one destination, oldest first: its oldest pending message and those
/// written after it, to be sent one after the other in this order.
#[derive(Debug, Clone)]
pub struct Run {
    pub dest_key: String,
    pub items: Vec<Claimed>,
}

/// Writes a message (JSON) to be sent as soon as a worker gets to it, after every earlier
/// message with the same `dest_key` (where it goes: see `Destination::order_key`).
pub async fn enqueue(
    conn: &mut Conn,
    payload: &str,
    dest_key: &str,
    now_ms: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (payload, dest_key, next_attempt_at, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(payload)
    .bind(dest_key)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
}

/// Claims, for `owner` until `lease_until_ms`, the due messages of up to `destinations`
/// destinations, up to `run_length` of each: a destination's oldest pending message when it is
/// due and free, and the messages written after it up to the first that is not (one in
/// backoff, one another worker holds). So a message never overtakes an earlier unsent one to
/// the same place, and a destination's backlog leaves one message per Slack round trip with
/// no database round trip between them. A message whose previous lease ran out (its worker
/// died mid-send) is due again. On PostgreSQL the destinations' oldest rows are taken with
/// `SKIP LOCKED`, so several processes claim side by side without waiting on each other and
/// never both claim one destination.
pub async fn claim(
    store: &Store,
    owner: &str,
    now_ms: i64,
    lease_until_ms: i64,
    destinations: i64,
    run_length: i64,
) -> anyhow::Result<Vec<Run>> {
    let lock = match store.backend() {
        Backend::Postgres => "FOR UPDATE OF o SKIP LOCKED",
        Backend::Sqlite => "",
    };
    // The head of each destination (its oldest pending row) is found by one pass over the
    // partial index outbox_pending_by_key (GROUP BY with MIN), whatever the table's statistics
    // say: a correlated NOT EXISTS took over a second per claim on PostgreSQL with 8,000 rows
    // pending in a freshly filled (likely not yet analysed) table. The due heads are chosen
    // once, in a materialized CTE: as a plain `IN (subquery … LIMIT)`, PostgreSQL may re-run
    // the subquery per row. Then the rows after each due head, numbered per destination.
    let sql = format!(
        "WITH heads AS MATERIALIZED ( \
           SELECT MIN(id) AS id FROM outbox WHERE status = 'pending' GROUP BY dest_key), \
         due AS MATERIALIZED ( \
           SELECT o.id, o.dest_key FROM outbox o JOIN heads h ON o.id = h.id \
           WHERE o.status = 'pending' AND o.next_attempt_at <= $1 \
           AND (o.lease_until IS NULL OR o.lease_until <= $1) \
           ORDER BY o.id LIMIT $2 {lock}) \
         SELECT id, dest_key, 0 AS n, 1 AS free FROM due \
         UNION ALL \
         SELECT id, dest_key, n, free FROM ( \
           SELECT o.id, o.dest_key, \
             ROW_NUMBER() OVER (PARTITION BY o.dest_key ORDER BY o.id) AS n, \
             CASE WHEN o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1) \
               THEN 1 ELSE 0 END AS free \
           FROM outbox o JOIN due d ON o.dest_key = d.dest_key AND o.id > d.id \
           WHERE o.status = 'pending') f \
         WHERE n < $3"
    );
    let mut tx = store.begin().await?;
    let rows = sqlx::query(&sql)
        .bind(now_ms)
        .bind(destinations)
        .bind(run_length)
        .fetch_all(&mut *tx)
        .await
        .context("choosing outbox messages")?;
    // (dest_key, position, free, id)
    let mut candidates = rows
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get::<Option<String>, _>("dest_key")?,
                r.try_get::<i64, _>("n")?,
                r.try_get::<i64, _>("free")? == 1,
                r.try_get::<i64, _>("id")?,
            ))
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    candidates.sort();
    // Of each destination, the head and the free messages right after it.
    let mut chosen: Vec<(String, i64)> = Vec::new();
    let mut current: Option<Option<String>> = None;
    let mut open = false;
    for (key, n, free, id) in candidates {
        if current.as_ref() != Some(&key) {
            current = Some(key.clone());
            open = n == 0;
        }
        // A response_url cannot be looked up after a crash (what was sent is resent), so its
        // messages go one per claim, each recorded before the next is sent.
        open &= free && !(n > 0 && key.as_deref().is_some_and(|k| k.starts_with("R:")));
        if open {
            chosen.push((key.unwrap_or_else(|| format!("id:{id}")), id));
        }
    }
    if chosen.is_empty() {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    let update = format!(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2, in_doubt = in_doubt + 1 \
         WHERE id IN ({}) AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $3) \
         RETURNING id, payload, attempts, in_doubt",
        placeholders(4, chosen.len())
    );
    let mut q = sqlx::query(&update)
        .bind(owner)
        .bind(lease_until_ms)
        .bind(now_ms);
    for (_, id) in &chosen {
        q = q.bind(*id);
    }
    let rows = q
        .fetch_all(&mut *tx)
        .await
        .context("claiming outbox messages")?;
    let mut claimed = rows
        .into_iter()
        .map(|r| {
            let item = Claimed {
                id: r.try_get("id")?,
                payload: r.try_get("payload")?,
                attempts: r.try_get("attempts")?,
                in_doubt: r.try_get::<i64, _>("in_doubt")? > 1,
            };
            Ok((item.id, item))
        })
        .collect::<sqlx::Result<std::collections::HashMap<_, _>>>()?;
    // A row another worker took between the two statements cuts its destination's run there:
    // what was claimed after it goes back, or it would overtake the taken one.
    let mut runs: Vec<Run> = Vec::new();
    let mut back = Vec::new();
    let mut cut_key: Option<&str> = None;
    for (key, id) in &chosen {
        let Some(item) = claimed.remove(id) else {
            cut_key = Some(key);
            continue;
        };
        if cut_key == Some(key.as_str()) {
            back.push(item.id);
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.dest_key == *key => run.items.push(item),
            _ => runs.push(Run {
                dest_key: key.clone(),
                items: vec![item],
            }),
        }
    }
    release_many_in(&mut tx, &back, owner).await?;
    tx.commit().await?;
    runs.sort_by_key(|r| r.items[0].id);
    Ok(runs)
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Marks messages sent, those `owner` still holds, inside the caller's transaction.
pub async fn mark_many_sent_in(
    conn: &mut Conn,
    ids: &[i64],
    owner: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET status = 'sent', sent_at = $2, lease_owner = NULL, lease_until = NULL, in_doubt = 0, last_error = NULL \
         WHERE lease_owner = $1 AND id IN ({})",
        placeholders(3, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(owner).bind(now_ms);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// What is known, after a try, of whether Slack has the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// Slack answered and did not take it (a 429, a refused token).
    Known,
    /// It may have got there (a timeout, a dropped connection, Slack's own error): the next
    /// try looks for it first.
    Unknown,
    /// It was not tried this time (paced, or the lookup for an earlier try failed): whatever
    /// was known before the claim still holds.
    Unchanged,
}

impl Doubt {
    fn sql(self) -> &'static str {
        match self {
            Doubt::Known => "0",
            Doubt::Unknown => "1",
            Doubt::Unchanged => "CASE WHEN in_doubt > 0 THEN in_doubt - 1 ELSE 0 END",
        }
    }
}

/// Schedules another try at `next_ms` (`count_attempt` false for a 429, a refused token or a
/// message put back for its pacing slot), inside the caller's transaction, with what is known
/// of the try.
pub async fn mark_retry_in(
    conn: &mut Conn,
    id: i64,
    owner: &str,
    next_ms: i64,
    error: &str,
    count_attempt: bool,
    doubt: Doubt,
) -> anyhow::Result<()> {
    let sql = format!(
        "UPDATE outbox SET next_attempt_at = $3, last_error = $4, attempts = attempts + $5, \
         lease_owner = NULL, lease_until = NULL, in_doubt = {} WHERE id = $1 AND lease_owner = $2",
        doubt.sql()
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(owner)
        .bind(next_ms)
        .bind(error)
        .bind(i64::from(count_attempt))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives claimed messages back untouched, in one statement.
pub async fn release_many(store: &Store, ids: &[i64], owner: &str) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    release_many_in(&mut tx, ids, owner).await?;
    tx.commit().await?;
    Ok(())
}

/// [`release_many`] inside the caller's transaction. Only this claim's doubt is taken back:
/// a message an earlier worker may have sent before it died stays in doubt.
pub async fn release_many_in(conn: &mut Conn, ids: &[i64], owner: &str) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, \
         in_doubt = {} WHERE lease_owner = $1 AND id IN ({})",
        Doubt::Unchanged.sql(),
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(owner);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Marks failed those of `ids` still pending that have had `max_attempts` attempts.
pub async fn fail_exhausted_in(
    conn: &mut Conn,
    ids: &[i64],
    max_attempts: i64,
) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET status = 'failed', lease_owner = NULL, lease_until = NULL \
         WHERE status = 'pending' AND attempts >= $1 AND id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(max_attempts);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Records a permanent failure with its reason.
pub async fn mark_failed(store: &Store, id: i64, owner: &str, error: &str) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    mark_failed_in(&mut tx, id, owner, error).await?;
    tx.commit().await?;
    Ok(())
}

/// [`mark_failed`] inside the caller's transaction.
pub async fn mark_failed_in(
    conn: &mut Conn,
    id: i64,
    owner: &str,
    error: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $3, attempts = attempts + 1, \
         lease_owner = NULL, lease_until = NULL, in_doubt = 0 WHERE id = $1 AND lease_owner = $2",
    )
    .bind(id)
    .bind(owner)
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// When the newest message was written (the `try` console resumes its clock from it).
pub async fn latest_written_at(store: &Store) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT MAX(created_at) FROM outbox")
        .fetch_one(store.pool())
        .await?)
}

/// Counts by status, for tests, `/readyz` detail and operators.
pub async fn counts(store: &Store) -> anyhow::Result<(i64, i64, i64)> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, \
                CAST(COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sent, \
                CAST(COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed FROM outbox",
    )
    .fetch_one(store.pool())
    .await?;
    Ok((
        r.try_get("pending")?,
        r.try_get("sent")?,
        r.try_get("failed")?,
    ))
}

/// Pending messages, and when the oldest of them was written (for `/metrics`).
pub async fn backlog(store: &Store) -> anyhow::Result<(i64, Option<i64>)> {
    let r = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'",
    )
    .fetch_one(store.pool())
    .await?;
    Ok((r.try_get("n")?, r.try_get("oldest")?))
}

/// The reasons recorded for failed messages, oldest first.
pub async fn failures(store: &Store) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(last_error, '') FROM outbox WHERE status = 'failed' ORDER BY id",
    )
    .fetch_all(store.pool())
    .await?)
}
