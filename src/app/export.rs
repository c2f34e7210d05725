//! `otagai export ledger`: the ledger as CSV for payroll.

use crate::config::Settings;
use crate::domain::day_starts_at;
use crate::storage::{self, Store, thanks};
use anyhow::Context;
use chrono::NaiveDate;

/// Writes ledger rows created from `from` (inclusive) to `to` (inclusive), both local dates in
/// the organisation's time zone, as CSV with a header.
pub async fn export_ledger_csv(
    store: &Store,
    settings: &Settings,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: impl std::io::Write,
) -> anyhow::Result<usize> {
    let tz = settings.org.timezone;
    let start = |d: NaiveDate| storage::millis(day_starts_at(d, tz));
    let from_ms = from.map_or(i64::MIN, start);
    let to_ms = to.and_then(|d| d.succ_opt()).map_or(i64::MAX, start);
    let mut conn = store.pool().acquire().await?;
    let rows = thanks::ledger_between(&mut conn, from_ms, to_ms).await?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "created_at",
        "period",
        "user_id",
        "kind",
        "points",
        "counterparty",
        "thanks_id",
    ])?;
    for r in &rows {
        let at = storage::from_millis(r.created_at)
            .with_timezone(&tz)
            .to_rfc3339();
        w.write_record([
            r.id.to_string(),
            at,
            r.period.clone(),
            r.user_id.clone(),
            r.kind.clone(),
            r.points.to_string(),
            r.counterparty.clone().unwrap_or_default(),
            r.thanks_id.map(|i| i.to_string()).unwrap_or_default(),
        ])?;
    }
    w.flush().context("writing CSV")?;
    Ok(rows.len())
}
