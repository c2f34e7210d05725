//! The retention job: old bookkeeping goes, what is recent, pending or part of the record
//! (the ledger, the audit log) stays, and a second run finds nothing more to delete.

use crate::both_backends;
use crate::helpers::*;
use chrono::{DateTime, Duration, Utc};
use otagai::clock::Clock;
use otagai::scheduler::RetentionReport;

both_backends!(
    retention_deletes_old_bookkeeping_keeps_recent_and_pending_rows_and_the_ledger_and_runs_once,
    a_dry_run_deletes_nothing_and_a_real_pass_runs_retention_at_most_once_an_hour,
    a_pass_as_of_a_later_day_does_not_run_retention_as_of_that_day,
);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

async fn exec(app: &TestApp, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn ids(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// An outbox row with `status`, written at `created` (and sent at `sent`), its payload naming it.
async fn message(app: &TestApp, name: &str, status: &str, created: i64, sent: Option<i64>) {
    sqlx::query(
        "INSERT INTO outbox (payload, status, next_attempt_at, created_at, sent_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(name)
    .bind(status)
    .bind(created)
    .bind(sent)
    .execute(app.store.pool())
    .await
    .unwrap();
}

async fn processed(app: &TestApp, key: &str, at: i64) {
    sqlx::query("INSERT INTO processed_requests (key, reply, created_at) VALUES ($1, 'r', $2)")
        .bind(key)
        .bind(at)
        .execute(app.store.pool())
        .await
        .unwrap();
}

async fn pair(
    app: &TestApp,
    report: &str,
    added_on: &str,
    last_met_on: Option<&str>,
    due_on: &str,
    ended_at: Option<i64>,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, \
         last_met_on, due_on, ended_at) VALUES ('UMGR', $1, 'weekly', $2, 0, 'UMGR', $3, $4, $5) \
         RETURNING id",
    )
    .bind(report)
    .bind(added_on)
    .bind(last_met_on)
    .bind(due_on)
    .bind(ended_at)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

async fn reminder(app: &TestApp, pair: i64, due_on: &str, sent: i64) {
    sqlx::query(
        "INSERT INTO reminders (pair_id, due_on, kind, seq, local_day, sent_at) \
         VALUES ($1, $2, 'manager', 1, $2, $3)",
    )
    .bind(pair)
    .bind(due_on)
    .bind(sent)
    .execute(app.store.pool())
    .await
    .unwrap();
}

async fn pulse(app: &TestApp, pair: i64, held_on: &str, sent: i64) {
    let meeting: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (pair_id, held_on, recorded_by, recorded_at) \
         VALUES ($1, $2, 'UMGR', 0) RETURNING id",
    )
    .bind(pair)
    .bind(held_on)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO pulse_requests (meeting_id, report_id, manager_id, sent_at, answered) \
         VALUES ($1, 'UREP', 'UMGR', $2, 1)",
    )
    .bind(meeting)
    .bind(sent)
    .execute(app.store.pool())
    .await
    .unwrap();
}

async fn retention_deletes_old_bookkeeping_keeps_recent_and_pending_rows_and_the_ledger_and_runs_once(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..Default::default()
        },
    )
    .await;
    let now = at("2031-06-11T10:00:00+09:00");
    let ago = |days: i64| now - Duration::days(days);

    // Outbox (30 days for delivered, 90 for failed; pending whatever its age).
    message(&app, "sent-40d", "sent", ms(ago(41)), Some(ms(ago(40)))).await;
    message(&app, "sent-5d", "sent", ms(ago(6)), Some(ms(ago(5)))).await;
    // Written long ago but delivered recently: counted from delivery, so kept.
    message(&app, "sent-late", "sent", ms(ago(60)), Some(ms(ago(2)))).await;
    message(&app, "pending-400d", "pending", ms(ago(400)), None).await;
    message(&app, "failed-100d", "failed", ms(ago(100)), None).await;
    message(&app, "failed-40d", "failed", ms(ago(40)), None).await;
    // Idempotency keys (30 days).
    processed(&app, "command:old", ms(ago(31))).await;
    processed(&app, "command:recent", ms(ago(1))).await;
    // Reminder keys (400 days, periods that are over only).
    let ended = pair(
        &app,
        "UENDED",
        &day(ago(900)),
        None,
        &day(ago(893)),
        Some(ms(ago(500))),
    )
    .await;
    reminder(&app, ended, &day(ago(893)), ms(ago(450))).await;
    let met = pair(
        &app,
        "UMET",
        &day(ago(900)),
        Some(&day(ago(10))),
        &day(ago(3)),
        None,
    )
    .await;
    reminder(&app, met, &day(ago(430)), ms(ago(420))).await; // an old period, superseded
    reminder(&app, met, &day(ago(20)), ms(ago(15))).await; // over, but recent
    // Never met, overdue for 580 days: its period's key is old but current, so it stays
    // (without it the scheduler would remind again).
    let lapsed = pair(&app, "ULAPSED", &day(ago(600)), None, &day(ago(593)), None).await;
    reminder(&app, lapsed, &day(ago(593)), ms(ago(590))).await;
    // Pulse requests (400 days).
    pulse(&app, met, &day(ago(402)), ms(ago(401))).await;
    pulse(&app, met, &day(ago(11)), ms(ago(10))).await;
    // The record: never touched.
    exec(
        &app,
        "INSERT INTO ledger (user_id, period, kind, points, counterparty, created_at) \
         VALUES ('UBOB', '2029-01', 'grant', 50, 'UADMIN', $1)",
        &[ms(ago(900))],
    )
    .await;
    exec(
        &app,
        "INSERT INTO audit_log (actor, action, subject, detail, created_at) \
         VALUES ('UADMIN', 'budget.grant', 'UBOB', '{}', $1)",
        &[ms(ago(900))],
    )
    .await;

    let report = app.app.run_retention_if_due(now).await.unwrap();
    assert_eq!(
        report,
        Some(RetentionReport {
            delivered_messages: 1,
            failed_messages: 1,
            processed_requests: 1,
            reminders: 2,
            pulse_requests: 1,
        })
    );
    assert_eq!(
        ids(&app, "SELECT payload FROM outbox ORDER BY id").await,
        vec!["sent-5d", "sent-late", "pending-400d", "failed-40d"]
    );
    assert_eq!(
        ids(&app, "SELECT key FROM processed_requests").await,
        vec!["command:recent"]
    );
    let left: Vec<(i64, String)> =
        sqlx::query_as("SELECT pair_id, due_on FROM reminders ORDER BY pair_id, due_on")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        left,
        vec![(met, day(ago(20))), (lapsed, day(ago(593)))],
        "the ended pair's and the superseded period's keys went"
    );
    let pulses: Vec<i64> = sqlx::query_scalar("SELECT sent_at FROM pulse_requests")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert_eq!(pulses, vec![ms(ago(10))]);
    for table in ["ledger", "audit_log", "meetings", "pairs"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert!(n > 0, "{table} is kept");
    }

    // Idempotent: as of the same instant there is nothing more to delete.
    assert_eq!(
        app.app.delete_expired(now).await.unwrap(),
        RetentionReport::default()
    );
    // And within the hour it does not even run; after it, it runs and finds nothing.
    assert_eq!(
        app.app
            .run_retention_if_due(now + Duration::minutes(59))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        app.app
            .run_retention_if_due(now + Duration::minutes(61))
            .await
            .unwrap(),
        Some(RetentionReport::default())
    );
    let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(ledger, 1);
}

async fn a_dry_run_deletes_nothing_and_a_real_pass_runs_retention_at_most_once_an_hour(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..Default::default()
        },
    )
    .await;
    let now = at("2031-06-11T10:00:00+09:00");
    let old = ms(now - Duration::days(40));
    message(&app, "old", "sent", old, Some(old)).await;
    let outbox = "SELECT payload FROM outbox";

    // Retention counts from the app's clock (as `serve` runs it), not from a pass's `now`.
    app.clock.set(now);
    app.app.run_due_jobs(now, true).await.unwrap();
    assert_eq!(
        ids(&app, outbox).await,
        vec!["old"],
        "a dry run changes nothing"
    );
    app.app.run_due_jobs(now, false).await.unwrap();
    assert!(ids(&app, outbox).await.is_empty(), "a real pass deletes it");

    // Another old row appears: passes within the hour leave it, the first one after takes it.
    message(&app, "old-2", "sent", old, Some(old)).await;
    app.clock.set(now + Duration::minutes(30));
    app.app
        .run_due_jobs(now + Duration::minutes(30), false)
        .await
        .unwrap();
    assert_eq!(ids(&app, outbox).await, vec!["old-2"]);
    app.clock.set(now + Duration::minutes(61));
    app.app
        .run_due_jobs(now + Duration::minutes(61), false)
        .await
        .unwrap();
    assert!(ids(&app, outbox).await.is_empty());
}

/// `otagai jobs run --now` a year ahead: retention still counts from the real clock, deletes
/// nothing still in use, and runs again at the next hour.
async fn a_pass_as_of_a_later_day_does_not_run_retention_as_of_that_day(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..Default::default()
        },
    )
    .await;
    let today = app.clock.now();
    let recent = ms(today - Duration::days(2));
    message(&app, "recent", "sent", recent, Some(recent)).await;
    app.app
        .run_due_jobs(today + Duration::days(365), false)
        .await
        .unwrap();
    assert_eq!(
        ids(&app, "SELECT payload FROM outbox").await,
        vec!["recent"]
    );
    let old = ms(today - Duration::days(40));
    message(&app, "old", "sent", old, Some(old)).await;
    app.clock.set(today + Duration::minutes(61));
    app.app.run_due_jobs(app.clock.now(), false).await.unwrap();
    assert_eq!(
        ids(&app, "SELECT payload FROM outbox").await,
        vec!["recent"]
    );
}
