//! Many sends in flight, order kept per destination: messages to one place (a channel, a
//! thread, a DM, a response_url) reach Slack in the order they were written, a redraw never
//! overtakes the post it redraws, and a message waiting in backoff holds back the later ones to
//! its place while every other place keeps flowing.

use crate::both_backends;
use crate::fake_slack::Scripted;
use crate::helpers::*;
use otagai::domain::{ChannelId, Locale, UserId};
use otagai::outbox::{self, Body, Destination, OutboundMessage};
use otagai::storage;
use std::time::{Duration, Instant};

both_backends!(
    a_post_and_three_updates_arrive_in_order_while_500_other_messages_fly,
    a_message_in_backoff_holds_back_later_ones_to_its_destination_only,
    a_busy_channel_sends_its_backlog_in_runs_in_the_order_written,
    a_run_stops_at_the_first_message_that_must_wait_and_gives_the_rest_back_untouched,
    a_claim_ends_a_run_before_a_message_another_worker_holds,
    a_response_url_gets_one_message_per_claim,
);

/// What a response_url was sent cannot be looked up after a crash, so its messages are
/// claimed one at a time (each recorded before the next leaves): a crash resends one at most.
async fn a_response_url_gets_one_message_per_claim(backend: Backend) {
    let app = spawn_app_with(backend, Options::manual(|s| s.outbox.run_length = 16)).await;
    let url = app.slack.response_url("one-command");
    let to = |said: &str| {
        text(
            Destination::ResponseUrl {
                url: url.clone(),
                replace_original: false,
            },
            said.into(),
        )
    };
    write(&app, &[to("first"), to("second"), to("third")]).await;
    let now = storage::millis(chrono::Utc::now());
    let runs = storage::outbox::claim(&app.store, "me", now, now + 60_000, 10, 16)
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0].items.len(),
        1,
        "one message of a response_url per claim"
    );
}

/// Writes `messages` to the outbox in one transaction.
async fn write(app: &TestApp, messages: &[OutboundMessage]) {
    let mut tx = app.store.begin().await.unwrap();
    let now = storage::millis(chrono::Utc::now());
    for m in messages {
        outbox::enqueue(&mut tx, m, now).await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn to_channel(id: &str, said: &str) -> OutboundMessage {
    text(
        Destination::Channel {
            channel: channel(id),
            fallback_response_url: None,
        },
        said.into(),
    )
}

async fn a_busy_channel_sends_its_backlog_in_runs_in_the_order_written(backend: Backend) {
    let app = spawn_app_with(backend, Options::manual(|s| s.outbox.run_length = 3)).await;
    let mut messages: Vec<OutboundMessage> = (1..=5)
        .map(|i| to_channel("C0BUSY", &format!("busy {i}")))
        .collect();
    messages.push(text(
        Destination::Direct {
            user: UserId::parse("UELSEWHERE").unwrap(),
        },
        "elsewhere".into(),
    ));
    write(&app, &messages).await;
    let worker = app.worker();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(
        o.sent, 4,
        "a run of three to the channel, and the DM: {o:?}"
    );
    let busy =
        |app: &TestApp| -> Vec<String> { app.slack.posts_in("C0BUSY").iter().map(said).collect() };
    assert_eq!(busy(&app), ["busy 1", "busy 2", "busy 3"]);
    // One after the other: each post was sent only after Slack answered the one before.
    let calls: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == "C0BUSY")
        .collect();
    for w in calls.windows(2) {
        assert!(
            w[0].answered_at.is_some_and(|a| a <= w[1].at),
            "overlapping sends to one channel"
        );
    }
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(o.sent, 2, "{o:?}");
    assert_eq!(
        busy(&app),
        ["busy 1", "busy 2", "busy 3", "busy 4", "busy 5"]
    );
    assert_eq!(app.outbox_counts().await, (0, 6, 0));
}

async fn a_run_stops_at_the_first_message_that_must_wait_and_gives_the_rest_back_untouched(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| s.outbox.backoff_base = Duration::from_millis(10)),
    )
    .await;
    write(
        &app,
        &[
            to_channel("C0STOP", "first"),
            to_channel("C0STOP", "second"),
            to_channel("C0STOP", "third"),
        ],
    )
    .await;
    app.slack.script_channel("C0STOP", Scripted::ServerError);
    let worker = app.worker();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(
        (o.sent, o.retried),
        (0, 1),
        "the run ends at \"first\": {o:?}"
    );
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        1,
        "nothing after it was tried"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        worker.try_execute_task().await.unwrap();
    }
    let posts: Vec<String> = app.slack.posts_in("C0STOP").iter().map(said).collect();
    assert_eq!(posts, ["first", "second", "third"]);
    // Only "first" may have reached Slack unseen (a 500), so only it is looked for; the two
    // given back untried were not put in doubt.
    assert_eq!(app.slack.calls("conversations.history").len(), 1);
}

async fn a_claim_ends_a_run_before_a_message_another_worker_holds(backend: Backend) {
    let app = spawn_app_with(backend, Options::manual(|s| s.outbox.run_length = 16)).await;
    write(
        &app,
        &[
            to_channel("C0HELD", "first"),
            to_channel("C0HELD", "second"),
            to_channel("C0HELD", "third"),
        ],
    )
    .await;
    let now = storage::millis(chrono::Utc::now());
    // "second" is held by another worker (as after a crash mid-run with "first" given back).
    sqlx::query(
        "UPDATE outbox SET lease_owner = 'other', lease_until = $1 WHERE id = \
         (SELECT MIN(id) FROM outbox WHERE id > (SELECT MIN(id) FROM outbox))",
    )
    .bind(now + 60_000)
    .execute(app.store.pool())
    .await
    .unwrap();
    let runs = storage::outbox::claim(&app.store, "me", now, now + 60_000, 10, 16)
        .await
        .unwrap();
    let said: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            r.items
                .iter()
                .map(|c| {
                    serde_json::from_str::<OutboundMessage>(&c.payload)
                        .map(|m| match m.body {
                            Body::Text { text } => text,
                            _ => String::new(),
                        })
                        .unwrap()
                })
                .collect()
        })
        .collect();
    assert_eq!(said, [["first"]], "nothing after the held message");
}

fn text(to: Destination, text: String) -> OutboundMessage {
    OutboundMessage {
        to,
        locale: Locale::En,
        body: Body::Text { text },
    }
}

fn channel(id: &str) -> ChannelId {
    ChannelId::parse(id).unwrap()
}

/// The `text` of a recorded call.
fn said(body: &serde_json::Value) -> String {
    body["text"].as_str().unwrap_or_default().to_owned()
}

async fn a_post_and_three_updates_arrive_in_order_while_500_other_messages_fly(backend: Backend) {
    let app = spawn_app_with(backend, Options::manual(|_| {})).await;
    // Slack answers in 2 to 12 ms, so what is sent side by side comes back out of order.
    app.slack
        .set_latency(Duration::from_millis(2), Duration::from_millis(10));
    let watched = channel("C0WATCHED");
    let mut messages = vec![text(
        Destination::Channel {
            channel: watched.clone(),
            fallback_response_url: None,
        },
        "post".into(),
    )];
    // 500 others to 50 places (DMs, channels, threads, response_urls), ten each, with the
    // three redraws of the watched post written among them.
    for i in 0..500usize {
        let place = i % 50;
        let to = match place % 4 {
            0 => Destination::Direct {
                user: UserId::parse(&format!("UPEER{place:03}")).unwrap(),
            },
            1 => Destination::Channel {
                channel: channel(&format!("C0BUSY{place:03}")),
                fallback_response_url: None,
            },
            2 => Destination::Thread {
                channel: channel("C0THREADS"),
                thread_ts: format!("1700000000.{place:06}"),
            },
            _ => Destination::ResponseUrl {
                url: app.slack.response_url(&format!("place{place:03}")),
                replace_original: false,
            },
        };
        messages.push(text(to, format!("to {place} #{}", i / 50)));
        if i % 150 == 10 && i < 450 {
            messages.push(text(
                Destination::Update {
                    channel: watched.clone(),
                    ts: "1700000000.000001".into(),
                },
                format!("redraw {}", i / 150 + 1),
            ));
        }
    }
    assert_eq!(messages.len(), 504);
    let mut tx = app.store.begin().await.unwrap();
    let now = storage::millis(chrono::Utc::now());
    for m in &messages {
        outbox::enqueue(&mut tx, m, now).await.unwrap();
    }
    tx.commit().await.unwrap();

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(app.worker().run(stopped));
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.outbox_counts().await != (0, 504, 0) {
        assert!(
            Instant::now() < deadline,
            "not all delivered: {:?}",
            app.outbox_counts().await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    worker.await.unwrap();

    // The watched post and its three redraws, in the order they were written.
    let watched_calls: Vec<String> = app
        .slack
        .all_calls()
        .into_iter()
        .filter(|c| c.body["channel"] == "C0WATCHED")
        .map(|c| format!("{} {}", c.method, said(&c.body)))
        .collect();
    assert_eq!(
        watched_calls,
        [
            "chat.postMessage post",
            "chat.update redraw 1",
            "chat.update redraw 2",
            "chat.update redraw 3"
        ]
    );
    // Every other place got its ten messages once, in order.
    let calls = app.slack.all_calls();
    for place in 0..50usize {
        let mine: Vec<String> = calls
            .iter()
            .filter(|c| {
                let b = &c.body;
                said(b).starts_with(&format!("to {place} #"))
            })
            .map(|c| said(&c.body))
            .collect();
        let want: Vec<String> = (0..10).map(|n| format!("to {place} #{n}")).collect();
        assert_eq!(mine, want, "place {place}");
    }
    // And they really were in flight side by side: some call reached the fake before the
    // one before it was answered.
    let api: Vec<_> = calls
        .iter()
        .filter(|c| !c.method.starts_with("hooks/"))
        .collect();
    let overlapping = api
        .windows(2)
        .filter(|w| w[0].answered_at.is_some_and(|a| w[1].at < a))
        .count();
    assert!(overlapping > 50, "only {overlapping} overlapping sends");
}

async fn a_message_in_backoff_holds_back_later_ones_to_its_destination_only(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            scheduler: false,
            // One send at a time, so the scripted 500 meets "first", the oldest.
            settings: Box::new(|s| s.outbox.max_in_flight = 1),
            ..Default::default()
        },
    )
    .await;
    let busy = channel("C0BACKOFF");
    let messages = [
        text(
            Destination::Channel {
                channel: busy.clone(),
                fallback_response_url: None,
            },
            "first".into(),
        ),
        text(
            Destination::Channel {
                channel: busy.clone(),
                fallback_response_url: None,
            },
            "second".into(),
        ),
        text(
            Destination::Direct {
                user: UserId::parse("UELSEWHERE").unwrap(),
            },
            "elsewhere".into(),
        ),
    ];
    let mut tx = app.store.begin().await.unwrap();
    let now = storage::millis(chrono::Utc::now());
    for m in &messages {
        outbox::enqueue(&mut tx, m, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    app.slack.script("chat.postMessage", Scripted::ServerError);

    let worker = app.worker();
    let o = worker.try_execute_task().await.unwrap();
    // "first" failed and waits its backoff; "second" is not even claimed, "elsewhere" went.
    assert_eq!((o.sent, o.retried), (1, 1), "{o:?}");
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(o.handled(), 0, "nothing may overtake a message in backoff");
    let texts = |app: &TestApp| -> Vec<String> {
        app.slack
            .accepted("chat.postMessage")
            .iter()
            .map(said)
            .collect()
    };
    assert_eq!(texts(&app), ["elsewhere"]);

    let deadline = Instant::now() + Duration::from_secs(30);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "the backoff never ended");
        worker.try_execute_task().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(texts(&app), ["elsewhere", "first", "second"]);
}
