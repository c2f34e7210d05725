//! Budgets to give: the per-period row that the conditional debit locks, overrides and the
//! app-wide default.

use super::{Backend, Conn, Tx};
use crate::domain::{BudgetState, Cost, Period, UserId};
use sqlx::Row;

const DEFAULT_BUDGET_KEY: &str = "bonus.monthly_budget";

/// The monthly budget in force for `user` from now on: their override, else the default set
/// in the app, else `configured`.
pub async fn monthly_budget_for(
    conn: &mut Conn,
    user: &UserId,
    configured: i64,
) -> sqlx::Result<i64> {
    let own: Option<i64> =
        sqlx::query_scalar("SELECT monthly_budget FROM budget_overrides WHERE user_id = $1")
            .bind(user.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    match own {
        Some(v) => Ok(v),
        None => default_budget(conn, configured).await,
    }
}

/// The default monthly budget: as set in the app, else `configured`.
pub async fn default_budget(conn: &mut Conn, configured: i64) -> sqlx::Result<i64> {
    let set: Option<String> = sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1")
        .bind(DEFAULT_BUDGET_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(set.and_then(|v| v.parse().ok()).unwrap_or(configured))
}

/// How a transaction uses the budget rules (overrides and the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesUse {
    /// Reads them to open someone's month.
    Read,
    /// Changes them.
    Change,
}

/// Serialises opening a budget month against changing the rules, for the rest of `tx`. Without
/// it, on PostgreSQL an admin's change could miss a month that a concurrent first give was
/// opening with the old allowance. SQLite's single writer already serialises both.
pub async fn guard_rules(tx: &mut Tx, how: RulesUse) -> sqlx::Result<()> {
    const KEY: i64 = 0x6f74_6167_6169; // "otagai"
    if tx.backend() == Backend::Postgres {
        let sql = match how {
            RulesUse::Read => "SELECT pg_advisory_xact_lock_shared($1)",
            RulesUse::Change => "SELECT pg_advisory_xact_lock($1)",
        };
        sqlx::query(sql).bind(KEY).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Opens `user`'s budget for `period` if needed, with the allowance in force now.
pub async fn open(tx: &mut Tx, user: &UserId, period: Period, configured: i64) -> sqlx::Result<()> {
    // Most gives find their month open already: one read instead of the lock and three statements.
    if state(tx, user, period).await?.is_some() {
        return Ok(());
    }
    guard_rules(tx, RulesUse::Read).await?;
    let base = monthly_budget_for(tx, user, configured).await?;
    open_period(tx, user, period, base).await
}

/// Creates `user`'s row for `period` with `base` if it does not exist yet.
async fn open_period(
    conn: &mut Conn,
    user: &UserId,
    period: Period,
    base: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO budget_periods (user_id, period, base) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, period) DO NOTHING",
    )
    .bind(user.as_str())
    .bind(period.to_string())
    .bind(base)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The budget row, if the period was opened.
pub async fn state(
    conn: &mut Conn,
    user: &UserId,
    period: Period,
) -> sqlx::Result<Option<BudgetState>> {
    let row = sqlx::query(
        "SELECT base, granted, spent FROM budget_periods WHERE user_id = $1 AND period = $2",
    )
    .bind(user.as_str())
    .bind(period.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(budget_state).transpose()
}

/// The conditional debit: spends `cost` only if it fits, in one statement, so concurrent
/// gives by one person can never overspend (PostgreSQL re-checks the condition after the row
/// lock; SQLite has one writer). Returns the budget after the debit, or `None` if it did not fit.
pub async fn debit(
    conn: &mut Conn,
    user: &UserId,
    period: Period,
    cost: Cost,
) -> sqlx::Result<Option<BudgetState>> {
    let row = sqlx::query(
        "UPDATE budget_periods SET spent = spent + $3 \
         WHERE user_id = $1 AND period = $2 AND spent + $3 <= base + granted \
         RETURNING base, granted, spent",
    )
    .bind(user.as_str())
    .bind(period.to_string())
    .bind(cost.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(budget_state).transpose()
}

/// Adds a one-time top-up to an opened period.
pub async fn add_grant(
    conn: &mut Conn,
    user: &UserId,
    period: Period,
    amount: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE budget_periods SET granted = granted + $3 WHERE user_id = $1 AND period = $2",
    )
    .bind(user.as_str())
    .bind(period.to_string())
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets `user`'s own monthly budget and applies it to the current period at once.
pub async fn set_override(
    conn: &mut Conn,
    user: &UserId,
    amount: i64,
    by: &UserId,
    now_ms: i64,
    current: Period,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO budget_overrides (user_id, monthly_budget, set_by, set_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET monthly_budget = excluded.monthly_budget, \
         set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(user.as_str())
    .bind(amount)
    .bind(by.as_str())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE budget_periods SET base = $3 WHERE user_id = $1 AND period = $2")
        .bind(user.as_str())
        .bind(current.to_string())
        .bind(amount)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts `user` back on the default budget and applies it to the current period at once.
/// Returns the default now in force.
pub async fn clear_override(
    conn: &mut Conn,
    user: &UserId,
    configured: i64,
    current: Period,
) -> sqlx::Result<i64> {
    sqlx::query("DELETE FROM budget_overrides WHERE user_id = $1")
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?;
    let default = default_budget(conn, configured).await?;
    sqlx::query("UPDATE budget_periods SET base = $3 WHERE user_id = $1 AND period = $2")
        .bind(user.as_str())
        .bind(current.to_string())
        .bind(default)
        .execute(&mut *conn)
        .await?;
    Ok(default)
}

/// Sets the default monthly budget and applies it to everyone without their own, this period.
pub async fn set_default(
    conn: &mut Conn,
    amount: i64,
    by: &UserId,
    now_ms: i64,
    current: Period,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO app_settings (key, value, set_by, set_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(DEFAULT_BUDGET_KEY)
    .bind(amount.to_string())
    .bind(by.as_str())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE budget_periods SET base = $2 WHERE period = $1 \
         AND user_id NOT IN (SELECT user_id FROM budget_overrides)",
    )
    .bind(current.to_string())
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn budget_state(r: &sqlx::any::AnyRow) -> sqlx::Result<BudgetState> {
    Ok(BudgetState {
        base: r.try_get("base")?,
        granted: r.try_get("granted")?,
        spent: r.try_get("spent")?,
    })
}
