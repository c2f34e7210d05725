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
);

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
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            scheduler: false,
            settings: Box::new(|_| {}),
            ..Default::default()
        },
    )
    .await;
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
