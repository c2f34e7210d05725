//! The outbox and its worker against a misbehaving Slack (429, 5xx, permanent errors), worker
//! restarts and crashes, concurrent workers, graceful shutdown; plus the Events API's retries
//! and the interactions endpoint.

use crate::both_backends;
use crate::fake_slack::{Call, Scripted};
use crate::helpers::*;
use otagai::config::Settings;
use otagai::outbox::OutboxWorker;
use otagai::storage::{self, Store, outbox};
use std::collections::HashMap;
use std::time::{Duration, Instant};

both_backends!(
    a_429_pauses_its_channel_for_retry_after_and_then_delivers_the_message_once,
    a_429_is_not_an_attempt_and_defers_only_what_it_was_about,
    a_command_arriving_during_a_429_pause_does_not_cut_its_channels_pause_short,
    a_server_error_is_retried_with_backoff_and_delivered_once,
    a_permanent_error_is_kept_as_failed_with_its_reason_and_the_dms_still_go_out,
    transient_failures_beyond_max_attempts_end_as_failed,
    messages_claimed_by_a_worker_that_died_are_delivered_after_the_lease_expires,
    two_workers_draining_side_by_side_deliver_every_message_exactly_once,
    the_in_server_worker_delivers_promptly_and_a_graceful_stop_returns,
    a_graceful_stop_finishes_the_message_in_hand_and_leaves_nothing_leased,
    a_worker_gives_back_what_it_cannot_send_in_the_first_half_of_its_lease,
    a_retried_event_is_processed_once_and_both_deliveries_get_200,
    interactions_need_a_signature_and_a_payload,
    a_worker_step_claims_at_most_batch_size_messages,
    a_worker_restart_neither_loses_nor_doubles_a_message,
    a_thanks_typed_where_the_bot_cannot_post_is_posted_through_the_response_url_in_public,
    a_thanks_channel_the_bot_cannot_post_in_is_a_recorded_failure_not_a_silent_one,
);

const REVIEW: &str = "reviewed my PR within the hour";

/// An app whose worker the test drives, with `tweak` applied to the settings.
async fn manual_app(
    backend: Backend,
    tweak: impl FnOnce(&mut Settings) + Send + 'static,
) -> TestApp {
    let app = spawn_app_with(backend, Options::manual(tweak)).await;
    add_people(&app);
    app
}

/// An app whose in-server worker sends one message at a time, as it did before sends ran side
/// by side: for tests of a 429's pause and the lease, whose timing assertions are about one
/// message after another (several in flight would reach Slack at the instant of the 429).
async fn one_at_a_time_app(backend: Backend) -> TestApp {
    let app = spawn_app_with(
        backend,
        Options {
            worker: true,
            scheduler: false,
            settings: Box::new(|s| s.outbox.max_in_flight = 1),
            ..Default::default()
        },
    )
    .await;
    add_people(&app);
    app
}

fn add_people(app: &TestApp) {
    for id in ["UGIVER", "UBOB", "UCAROL", "UDAVE", "UERIN"] {
        app.slack.add_user(id, "en-US");
    }
}

/// Sends a `/thanks` that must succeed, and returns the reply.
async fn thank(app: &TestApp, giver: &str, text: &str) -> String {
    let reply = app.thanks(giver, text).await;
    assert!(
        reply.contains("is on its way"),
        "the thanks `{text}` was not accepted: {reply}"
    );
    reply
}

/// The (channel, text) of every chat.postMessage Slack accepted, with how often.
fn delivered(app: &TestApp) -> HashMap<(String, String), usize> {
    let mut seen = HashMap::new();
    for body in app.slack.accepted("chat.postMessage") {
        let key = (
            body["channel"].as_str().unwrap_or_default().to_owned(),
            body["text"].as_str().unwrap_or_default().to_owned(),
        );
        *seen.entry(key).or_default() += 1;
    }
    seen
}

/// Every accepted message exactly once, and `n` different ones in all.
fn assert_each_delivered_once(app: &TestApp, n: usize) {
    let seen = delivered(app);
    let doubled: Vec<_> = seen.iter().filter(|(_, c)| **c != 1).collect();
    assert!(doubled.is_empty(), "delivered more than once: {doubled:?}");
    assert_eq!(seen.len(), n, "distinct messages delivered: {seen:?}");
}

/// One outbox row as the tests look at it.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    lease_owner: Option<String>,
    last_error: Option<String>,
}

type RawRow = (i64, String, i64, i64, Option<String>, Option<String>);

async fn rows(store: &Store) -> Vec<Row> {
    let raw: Vec<RawRow> = sqlx::query_as(
        "SELECT id, status, attempts, next_attempt_at, lease_owner, last_error FROM outbox ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    raw.into_iter()
        .map(
            |(id, status, attempts, next_attempt_at, lease_owner, last_error)| Row {
                id,
                status,
                attempts,
                next_attempt_at,
                lease_owner,
                last_error,
            },
        )
        .collect()
}

fn now_ms() -> i64 {
    storage::millis(chrono::Utc::now())
}

/// Steps `worker` until nothing is pending, waiting out backoffs in between. A guard of many
/// rounds keeps a broken worker from hanging the suite; it is not a timing assertion.
async fn deliver_all(app: &TestApp, worker: &OutboxWorker) {
    for _ in 0..1000 {
        let o = worker.try_execute_task().await.expect("outbox step");
        if let Some(pause) = o.pause {
            tokio::time::sleep(pause).await;
        } else if o.handled() == 0 {
            if app.outbox_counts().await.0 == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    panic!("the outbox never drained: {:?}", rows(&app.store).await);
}

/// Waits until `pred` holds for the outbox counts (pending, sent, failed).
async fn wait_for_counts(app: &TestApp, what: &str, pred: impl Fn((i64, i64, i64)) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let c = app.outbox_counts().await;
        if pred(c) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: outbox stuck at {c:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn scripted(c: &Call) -> bool {
    c.body.get("__scripted").is_some()
}

async fn a_429_pauses_its_channel_for_retry_after_and_then_delivers_the_message_once(
    backend: Backend,
) {
    let app = one_at_a_time_app(backend).await;
    app.slack
        .script("chat.postMessage", Scripted::RateLimited(1));
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    app.slack
        .wait_for("chat.postMessage", 3, Duration::from_secs(20))
        .await;
    wait_for_counts(&app, "all sent", |c| c == (0, 3, 0)).await;

    let calls = app.slack.calls("chat.postMessage");
    assert_eq!(calls.len(), 4, "one 429 and three deliveries: {calls:?}");
    let limited = &calls[0];
    assert!(scripted(limited), "the first call got the 429");
    // The 429 was about the post's channel: the DMs go on, the channel waits Retry-After.
    let same_channel: Vec<_> = calls[1..]
        .iter()
        .filter(|c| c.body["channel"] == limited.body["channel"])
        .collect();
    assert_eq!(same_channel.len(), 1, "{same_channel:?}");
    for later in &same_channel {
        assert!(
            later.at.duration_since(limited.at) >= Duration::from_secs(1),
            "a call came {:?} after the 429, inside Retry-After: {later:?}",
            later.at.duration_since(limited.at)
        );
    }
    // The rate-limited message is the one retried, and each message arrived once.
    assert_eq!(same_channel[0].body["text"], limited.body["text"]);
    assert_each_delivered_once(&app, 3);
    assert!(
        rows(&app.store).await.iter().all(|r| r.attempts == 0),
        "a 429 is not an attempt"
    );
    assert!(outbox::failures(&app.store).await.unwrap().is_empty());
}

async fn a_429_is_not_an_attempt_and_defers_only_what_it_was_about(backend: Backend) {
    let app = manual_app(backend, |s| s.outbox.max_in_flight = 1).await;
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    assert_eq!(app.outbox_counts().await, (3, 0, 0));
    app.slack
        .script("chat.postMessage", Scripted::RateLimited(1));

    let worker = app.worker();
    let before = now_ms();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(o.sent, 2, "the DMs are not what the 429 was about");
    assert_eq!(o.retried, 1);
    assert_eq!(o.failed, 0);
    assert_eq!(
        o.pause,
        Some(Duration::from_secs(1)),
        "Retry-After is honoured"
    );
    assert_eq!(app.slack.calls("chat.postMessage").len(), 3);
    let after_429 = rows(&app.store).await;
    assert_eq!(after_429[0].status, "pending");
    assert!(after_429[1..].iter().all(|r| r.status == "sent"));
    assert!(after_429.iter().all(|r| r.attempts == 0), "{after_429:?}");
    assert!(
        after_429.iter().all(|r| r.lease_owner.is_none()),
        "nothing stays claimed: {after_429:?}"
    );
    let limited = &after_429[0];
    assert!(
        limited.next_attempt_at >= before + 1000,
        "the limited message is due only after Retry-After: {limited:?}"
    );
    assert!(
        limited
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("429")),
        "{limited:?}"
    );

    // The driver honours the pause, as `run` does; then everything goes out once.
    tokio::time::sleep(o.pause.unwrap()).await;
    deliver_all(&app, &worker).await;
    assert_eq!(app.outbox_counts().await, (0, 3, 0));
    assert_each_delivered_once(&app, 3);
    assert!(rows(&app.store).await.iter().all(|r| r.attempts == 0));
    let calls = app.slack.calls("chat.postMessage");
    let retry = calls
        .iter()
        .skip(1)
        .find(|c| c.body["channel"] == calls[0].body["channel"])
        .unwrap();
    assert!(retry.at.duration_since(calls[0].at) >= Duration::from_secs(1));
}

async fn a_command_arriving_during_a_429_pause_does_not_cut_its_channels_pause_short(
    backend: Backend,
) {
    let app = one_at_a_time_app(backend).await;
    app.slack
        .script("chat.postMessage", Scripted::RateLimited(3));
    thank(&app, "UGIVER", &format!("<@UBOB> +10 {REVIEW}")).await;
    // Wait for the 429, then give another thanks while the worker is paused.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.slack.calls("chat.postMessage").is_empty() {
        assert!(Instant::now() < deadline, "the worker never tried to send");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    thank(&app, "UGIVER", &format!("<@UCAROL> +10 {REVIEW} again")).await;
    app.slack
        .wait_for("chat.postMessage", 4, Duration::from_secs(30))
        .await;

    let calls = app.slack.calls("chat.postMessage");
    let limited = &calls[0];
    assert!(scripted(limited));
    // The second thanks' post goes to the same channel: it waits too.
    for later in calls[1..]
        .iter()
        .filter(|c| c.body["channel"] == limited.body["channel"])
    {
        let gap = later.at.duration_since(limited.at);
        assert!(
            gap >= Duration::from_secs(3),
            "chat.postMessage was called {gap:?} after a 429 with Retry-After: 3: {}",
            later.body["text"]
        );
    }
    assert_each_delivered_once(&app, 4);
}

async fn a_server_error_is_retried_with_backoff_and_delivered_once(backend: Backend) {
    // One send at a time: the fake's scripted answer meets the oldest message, the post.
    let app = manual_app(backend, |s| s.outbox.max_in_flight = 1).await;
    thank(&app, "UGIVER", &format!("<@UBOB> +10 {REVIEW}")).await;
    app.slack.script("chat.postMessage", Scripted::ServerError);

    let worker = app.worker();
    let before = now_ms();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!((o.sent, o.retried, o.failed), (1, 1, 0), "{o:?}");
    assert_eq!(o.pause, None, "a 5xx is not a rate limit");
    let r = rows(&app.store).await;
    let post = &r[0];
    assert_eq!(post.status, "pending");
    assert_eq!(post.attempts, 1, "a 5xx counts as an attempt");
    assert!(
        post.last_error
            .as_deref()
            .is_some_and(|e| e.contains("500")),
        "{post:?}"
    );
    let base = app.settings.outbox.backoff_base.as_millis() as i64;
    assert!(
        post.next_attempt_at >= before + base,
        "retried only after the backoff: {post:?}"
    );
    assert_eq!(r[1].status, "sent", "the DM in the same batch went out");

    deliver_all(&app, &worker).await;
    assert_eq!(app.outbox_counts().await, (0, 2, 0));
    assert_each_delivered_once(&app, 2);
    let calls = app.slack.calls("chat.postMessage");
    assert_eq!(calls.len(), 3, "one failure, two deliveries");
    let failed = calls.iter().position(scripted).unwrap();
    let retry = calls
        .iter()
        .skip(failed + 1)
        .find(|c| c.body["channel"] == calls[failed].body["channel"])
        .expect("the failed message was retried");
    assert!(retry.at.duration_since(calls[failed].at) >= app.settings.outbox.backoff_base);
    assert!(outbox::failures(&app.store).await.unwrap().is_empty());
}

async fn a_permanent_error_is_kept_as_failed_with_its_reason_and_the_dms_still_go_out(
    backend: Backend,
) {
    // One send at a time: the fake's scripted answer meets the oldest message, the post.
    let app = manual_app(backend, |s| s.outbox.max_in_flight = 1).await;
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    app.slack
        .script("chat.postMessage", Scripted::ApiError("is_archived"));

    let worker = app.worker();
    deliver_all(&app, &worker).await;
    assert_eq!(app.outbox_counts().await, (0, 2, 1));
    assert_eq!(
        outbox::failures(&app.store).await.unwrap(),
        vec!["is_archived".to_owned()]
    );
    let dms: Vec<String> = app
        .slack
        .accepted("chat.postMessage")
        .iter()
        .map(|b| b["channel"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(dms.len(), 2);
    assert!(dms.contains(&"UBOB".to_owned()) && dms.contains(&"UCAROL".to_owned()));

    // Not retried: later steps, well past any backoff, call Slack no more.
    tokio::time::sleep(app.settings.outbox.backoff_max).await;
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(o.handled(), 0);
    assert_eq!(app.slack.calls("chat.postMessage").len(), 3);
    let failed: Vec<Row> = rows(&app.store)
        .await
        .into_iter()
        .filter(|r| r.status == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 1);
    assert!(failed[0].lease_owner.is_none());
}

async fn transient_failures_beyond_max_attempts_end_as_failed(backend: Backend) {
    let app = manual_app(backend, |s| s.outbox.max_attempts = 2).await;
    thank(&app, "UGIVER", &format!("<@UBOB> +10 {REVIEW}")).await;
    for _ in 0..4 {
        app.slack.script("chat.postMessage", Scripted::ServerError);
    }
    // A fifth try would be answered normally: it must never happen.
    let worker = app.worker();
    for _ in 0..1000 {
        let o = worker.try_execute_task().await.unwrap();
        if o.handled() == 0 && app.outbox_counts().await.0 == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.outbox_counts().await, (0, 0, 2));
    let reasons = outbox::failures(&app.store).await.unwrap();
    assert_eq!(reasons.len(), 2);
    assert!(reasons.iter().all(|r| r.contains("500")), "{reasons:?}");
    assert!(rows(&app.store).await.iter().all(|r| r.attempts == 2));
    tokio::time::sleep(app.settings.outbox.backoff_max).await;
    assert_eq!(worker.try_execute_task().await.unwrap().handled(), 0);
    assert_eq!(app.slack.calls("chat.postMessage").len(), 4);
    assert!(app.slack.accepted("chat.postMessage").is_empty());
}

async fn a_worker_step_claims_at_most_batch_size_messages(backend: Backend) {
    let app = manual_app(backend, |s| {
        s.outbox.batch_size = 2;
        s.outbox.run_length = 1;
    })
    .await;
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    thank(
        &app,
        "UGIVER",
        &format!("<@UDAVE> <@UERIN> +10 {REVIEW}, again"),
    )
    .await;
    assert_eq!(app.outbox_counts().await, (6, 0, 0));

    let o = app.worker().try_execute_task().await.unwrap();
    assert_eq!(o.sent, 2, "one step sends one batch: {o:?}");
    assert_eq!(app.outbox_counts().await, (4, 2, 0));
    assert_eq!(app.slack.calls("chat.postMessage").len(), 2);

    let now = now_ms();
    let claimed: Vec<_> = outbox::claim(&app.store, "another-worker", now, now + 60_000, 3, 1)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|r| r.items)
        .collect();
    assert_eq!(claimed.len(), 3, "claim takes at most its limit");
    let ids: Vec<i64> = claimed.iter().map(|c| c.id).collect();
    let pending: Vec<i64> = rows(&app.store)
        .await
        .into_iter()
        .filter(|r| r.status == "pending")
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, pending[..3], "the oldest due messages, in order");
}

async fn a_worker_restart_neither_loses_nor_doubles_a_message(backend: Backend) {
    let app = manual_app(backend, |s| {
        s.outbox.batch_size = 1;
        s.outbox.run_length = 1;
    })
    .await;
    for (i, who) in ["UBOB", "UCAROL", "UDAVE", "UERIN"].iter().enumerate() {
        thank(&app, "UGIVER", &format!("<@{who}> +10 {REVIEW}, round {i}")).await;
    }
    assert_eq!(app.outbox_counts().await, (8, 0, 0));
    {
        let first = app.worker();
        let o = first.try_execute_task().await.unwrap();
        assert_eq!(o.sent, 1, "a batch of one");
        assert_eq!(app.outbox_counts().await, (7, 1, 0));
    } // the first worker is gone
    let second = app.worker();
    deliver_all(&app, &second).await;
    assert_eq!(app.outbox_counts().await, (0, 8, 0));
    assert_each_delivered_once(&app, 8);
    assert_eq!(app.slack.calls("chat.postMessage").len(), 8);
}

async fn messages_claimed_by_a_worker_that_died_are_delivered_after_the_lease_expires(
    backend: Backend,
) {
    let app = manual_app(backend, |_| {}).await;
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    let now = now_ms();
    let lease_until = now + 2_000;
    let claimed: Vec<_> = outbox::claim(&app.store, "worker-that-died", now, lease_until, 10, 16)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|r| r.items)
        .collect();
    assert_eq!(claimed.len(), 3);
    // ...and it never marks them. While the lease holds, nobody else takes them.
    let worker = app.worker();
    if now_ms() < lease_until - 500 {
        assert_eq!(worker.try_execute_task().await.unwrap().handled(), 0);
        assert!(app.slack.calls("chat.postMessage").is_empty());
    }
    let left = lease_until - now_ms();
    if left > 0 {
        tokio::time::sleep(Duration::from_millis(left as u64 + 50)).await;
    }
    deliver_all(&app, &worker).await;
    assert_eq!(app.outbox_counts().await, (0, 3, 0));
    assert_each_delivered_once(&app, 3);
    // The dead worker's late verdict no longer counts: its lease was taken over.
    for c in &claimed {
        outbox::mark_failed(&app.store, c.id, "worker-that-died", "too late")
            .await
            .unwrap();
    }
    assert_eq!(app.outbox_counts().await, (0, 3, 0));
}

async fn two_workers_draining_side_by_side_deliver_every_message_exactly_once(backend: Backend) {
    let app = manual_app(backend, |s| s.outbox.batch_size = 3).await;
    for i in 0..10 {
        thank(
            &app,
            "UGIVER",
            &format!("<@UBOB> <@UCAROL> +1 {REVIEW}, round {i}"),
        )
        .await;
    }
    assert_eq!(app.outbox_counts().await, (30, 0, 0));
    let drain = |w: OutboxWorker| async move {
        let mut sent = 0;
        loop {
            let o = w.try_execute_task().await.expect("outbox step");
            sent += o.sent;
            if o.handled() == 0 {
                return sent;
            }
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(drain(app.worker())),
        tokio::spawn(drain(app.worker()))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 30, "worker A sent {a}, worker B sent {b}");
    assert_eq!(app.outbox_counts().await, (0, 30, 0));
    assert_each_delivered_once(&app, 30);
    assert_eq!(app.slack.calls("chat.postMessage").len(), 30);
}

async fn the_in_server_worker_delivers_promptly_and_a_graceful_stop_returns(backend: Backend) {
    let mut app = spawn_app(backend).await;
    add_people(&app);
    thank(&app, "UGIVER", &format!("<@UBOB> +10 {REVIEW}")).await;
    app.slack
        .wait_for("chat.postMessage", 2, Duration::from_secs(20))
        .await;
    wait_for_counts(&app, "both sent", |c| c == (0, 2, 0)).await;
    assert_each_delivered_once(&app, 2);

    tokio::time::timeout(Duration::from_secs(60), app.stop())
        .await
        .expect("a graceful stop returns");
    let after = app
        .http
        .get(format!("{}/healthz", app.address))
        .send()
        .await;
    assert!(after.is_err(), "the server no longer answers");
}

async fn a_graceful_stop_finishes_the_message_in_hand_and_leaves_nothing_leased(backend: Backend) {
    let mut app = spawn_app(backend).await;
    add_people(&app);
    app.slack.script(
        "chat.postMessage",
        Scripted::Delay(Duration::from_millis(800)),
    );
    thank(&app, "UGIVER", &format!("<@UBOB> +10 {REVIEW}")).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.slack.calls("chat.postMessage").is_empty() {
        assert!(Instant::now() < deadline, "the worker never tried to send");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A message is in flight: stop now.
    tokio::time::timeout(Duration::from_secs(60), app.stop())
        .await
        .expect("a graceful stop returns");

    let store = Store::connect(&app.db.url, 1).await.unwrap();
    let r = rows(&store).await;
    assert!(
        r.iter().all(|r| r.lease_owner.is_none()),
        "nothing left claimed: {r:?}"
    );
    assert_eq!(
        r[0].status, "sent",
        "the message in hand was finished: {r:?}"
    );
    for row in r.iter().filter(|r| r.status == "sent") {
        assert_eq!(row.attempts, 0, "{row:?}");
    }
    let accepted = delivered(&app);
    assert!(accepted.values().all(|n| *n == 1), "{accepted:?}");
    let sent = r.iter().filter(|r| r.status == "sent").count();
    assert_eq!(accepted.len(), sent, "sent rows are exactly what Slack got");
    store.close().await;
}

async fn a_worker_gives_back_what_it_cannot_send_in_the_first_half_of_its_lease(backend: Backend) {
    // Another worker may take over a message once its lease runs out, so a worker must not
    // start a send late in its lease: with a 2 s lease and a Slack taking 1.2 s, the first
    // message goes out and the rest of the batch is given back.
    let app = manual_app(backend, |s| {
        s.outbox.lease = Duration::from_secs(2);
        s.outbox.max_in_flight = 1;
    })
    .await;
    thank(&app, "UGIVER", &format!("<@UBOB> <@UCAROL> +10 {REVIEW}")).await;
    app.slack.script(
        "chat.postMessage",
        Scripted::Delay(Duration::from_millis(1200)),
    );
    let worker = app.worker();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!((o.sent, o.retried, o.failed), (1, 0, 0), "{o:?}");
    let r = rows(&app.store).await;
    assert_eq!(r[0].status, "sent");
    for rest in &r[1..] {
        assert_eq!(rest.status, "pending", "{rest:?}");
        assert!(rest.lease_owner.is_none(), "given back: {rest:?}");
        assert_eq!(rest.attempts, 0, "{rest:?}");
    }
    assert_eq!(app.slack.calls("chat.postMessage").len(), 1);

    // Given back means due at once, to this worker or any other.
    deliver_all(&app, &app.worker()).await;
    assert_eq!(app.outbox_counts().await, (0, 3, 0));
    assert_each_delivered_once(&app, 3);
}

async fn a_retried_event_is_processed_once_and_both_deliveries_get_200(backend: Backend) {
    let app = spawn_app(backend).await;
    let event = |id: &str| {
        serde_json::json!({
            "token": "x",
            "team_id": "T0TEST",
            "api_app_id": "A0OTAGAI",
            "type": "event_callback",
            "event_id": id,
            "event_time": now_secs(),
            "event": { "type": "app_home_opened", "user": "UBOB", "channel": "D0BOB", "tab": "home" }
        })
        .to_string()
    };
    let send = |body: String, retry: Option<&'static str>| {
        let ts = now_secs();
        let mut req = app
            .http
            .post(format!("{}/slack/events", app.address))
            .header("content-type", "application/json")
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", sign(SIGNING_SECRET, ts, &body))
            .body(body);
        if let Some(n) = retry {
            req = req
                .header("x-slack-retry-num", n)
                .header("x-slack-retry-reason", "http_timeout");
        }
        req.send()
    };
    let first = send(event("Ev0OUTBOX1"), None).await.unwrap();
    assert_eq!(first.status(), 200);
    let retry = send(event("Ev0OUTBOX1"), Some("1")).await.unwrap();
    assert_eq!(retry.status(), 200, "a retry is acknowledged too");
    let other = send(event("Ev0OUTBOX2"), None).await.unwrap();
    assert_eq!(other.status(), 200);
    // Slack's retry may overlap the first delivery still in progress.
    let (a, b, c) = tokio::join!(
        send(event("Ev0OUTBOX3"), None),
        send(event("Ev0OUTBOX3"), Some("1")),
        send(event("Ev0OUTBOX3"), Some("2")),
    );
    for r in [a, b, c] {
        assert_eq!(r.unwrap().status(), 200, "overlapping deliveries");
    }

    let count = |key: &'static str| {
        let pool = app.store.pool().clone();
        async move {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM processed_requests WHERE key = $1")
                    .bind(key)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            n
        }
    };
    assert_eq!(count("event:Ev0OUTBOX1").await, 1);
    assert_eq!(count("event:Ev0OUTBOX2").await, 1);
    assert_eq!(count("event:Ev0OUTBOX3").await, 1);
    let all: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM processed_requests WHERE key LIKE 'event:%'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(all, 3);
}

async fn interactions_need_a_signature_and_a_payload(backend: Backend) {
    let app = spawn_app(backend).await;
    let form = |payload: &str| serde_urlencoded::to_string([("payload", payload)]).unwrap();
    let payload = serde_json::json!({
        "type": "block_actions",
        "user": { "id": "UBOB" },
        "trigger_id": "trig-interaction",
        "actions": [{ "action_id": "noop", "type": "button", "value": "1" }]
    })
    .to_string();
    let form_type = "application/x-www-form-urlencoded";

    let ok = app
        .post_signed("/slack/interactions", form_type, form(&payload))
        .await;
    assert_eq!(ok.status(), 200, "a signed, well-formed payload");

    let missing = app
        .post_signed("/slack/interactions", form_type, "foo=bar".to_owned())
        .await;
    assert_eq!(missing.status(), 400, "no payload field");

    let garbage = app
        .post_signed("/slack/interactions", form_type, form("{not json"))
        .await;
    assert_eq!(garbage.status(), 400, "a payload that is not JSON");

    let unsigned = app
        .post_raw("/slack/interactions", form_type, form(&payload), None)
        .await;
    assert_eq!(unsigned.status(), 401, "no signature");

    let ts = now_secs();
    let forged = app
        .post_raw(
            "/slack/interactions",
            form_type,
            form(&payload),
            Some((ts, sign("not-the-secret", ts, &form(&payload)))),
        )
        .await;
    assert_eq!(forged.status(), 401, "a wrong signature");
}

async fn a_thanks_typed_where_the_bot_cannot_post_is_posted_through_the_response_url_in_public(
    backend: Backend,
) {
    // One send at a time: the fake's scripted answer meets the oldest message, the post.
    let app = manual_app(backend, |s| s.outbox.max_in_flight = 1).await;
    let trigger = "trig-private";
    let resp = app
        .command_with_trigger(
            "UGIVER",
            "/thanks",
            &format!("<@UBOB> +10 {REVIEW}"),
            trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    app.slack
        .script("chat.postMessage", Scripted::ApiError("not_in_channel"));
    let worker = app.worker();
    deliver_all(&app, &worker).await;
    assert_eq!(
        app.outbox_counts().await,
        (0, 2, 0),
        "post and DM both delivered"
    );
    let hooks = app.slack.calls(&format!("hooks/{trigger}"));
    assert_eq!(hooks.len(), 1, "the post went to the response_url once");
    assert_eq!(hooks[0].body["response_type"], "in_channel");
    assert!(hooks[0].body["text"].as_str().unwrap().contains(REVIEW));
}

async fn a_thanks_channel_the_bot_cannot_post_in_is_a_recorded_failure_not_a_silent_one(
    backend: Backend,
) {
    let app = manual_app(backend, |s| {
        s.outbox.max_in_flight = 1;
        s.thanks.channel = Some(otagai::domain::ChannelId::parse("C0THANKS").unwrap())
    })
    .await;
    let trigger = "trig-configured";
    app.command_with_trigger(
        "UGIVER",
        "/thanks",
        &format!("<@UBOB> +10 {REVIEW}"),
        trigger,
    )
    .await;
    app.slack
        .script("chat.postMessage", Scripted::ApiError("not_in_channel"));
    let worker = app.worker();
    deliver_all(&app, &worker).await;
    assert_eq!(app.outbox_counts().await, (0, 1, 1));
    assert_eq!(
        outbox::failures(&app.store).await.unwrap(),
        vec!["not_in_channel".to_owned()]
    );
    assert!(
        app.slack.calls(&format!("hooks/{trigger}")).is_empty(),
        "the configured channel is not replaced by where the command was typed"
    );
}
