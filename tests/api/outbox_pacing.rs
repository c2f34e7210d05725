//! Paced by Slack's rules: a 429 pauses only what it was about (for chat.postMessage, that
//! channel) for its Retry-After while everything else keeps flowing, and a channel that was
//! told to slow down is paced until it has been quiet a while.

use crate::both_backends;
use crate::fake_slack::Scripted;
use crate::helpers::*;
use otagai::domain::{ChannelId, Locale, UserId};
use otagai::outbox::{self, Body, Destination, OutboundMessage};
use otagai::storage;
use std::time::{Duration, Instant};

both_backends!(
    a_429_on_one_channel_leaves_other_channels_flowing_and_its_messages_arrive_after_retry_after_in_order,
    a_burst_of_30_posts_to_one_channel_is_delivered_complete_in_order_with_few_429s,
);

fn post(channel: &str, text: &str) -> OutboundMessage {
    OutboundMessage {
        to: Destination::Channel {
            channel: ChannelId::parse(channel).unwrap(),
            fallback_response_url: None,
        },
        locale: Locale::En,
        body: Body::Text { text: text.into() },
    }
}

fn dm(user: &str, text: &str) -> OutboundMessage {
    OutboundMessage {
        to: Destination::Direct {
            user: UserId::parse(user).unwrap(),
        },
        locale: Locale::En,
        body: Body::Text { text: text.into() },
    }
}

async fn write(app: &TestApp, messages: &[OutboundMessage]) {
    let mut tx = app.store.begin().await.unwrap();
    let now = storage::millis(chrono::Utc::now());
    for m in messages {
        outbox::enqueue(&mut tx, m, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    app.app.outbox_wake.notify_one();
}

async fn wait_all_sent(app: &TestApp, n: i64, within: Duration) {
    let deadline = Instant::now() + within;
    while app.outbox_counts().await != (0, n, 0) {
        assert!(
            Instant::now() < deadline,
            "not all sent: {:?}",
            app.outbox_counts().await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_429_on_one_channel_leaves_other_channels_flowing_and_its_messages_arrive_after_retry_after_in_order(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack
        .script_channel("C0LIMITED", Scripted::RateLimited(2));
    let mut messages = vec![
        post("C0LIMITED", "limited 1"),
        post("C0LIMITED", "limited 2"),
        post("C0LIMITED", "limited 3"),
    ];
    for i in 0..10 {
        messages.push(post(&format!("C0FREE{i}"), &format!("free {i}")));
        messages.push(dm(&format!("UFREE{i}"), &format!("dm {i}")));
    }
    write(&app, &messages).await;
    wait_all_sent(&app, 23, Duration::from_secs(30)).await;

    let calls = app.slack.calls("chat.postMessage");
    let limited = calls
        .iter()
        .find(|c| c.body.get("__scripted").is_some())
        .expect("the scripted 429");
    assert_eq!(limited.body["text"], "limited 1");
    let retry_after = Duration::from_secs(2);
    // The others went at once, not after the pause.
    for c in calls.iter().filter(|c| c.body["channel"] != "C0LIMITED") {
        assert!(
            c.at < limited.at + retry_after,
            "{} waited for another channel's 429",
            c.body["text"]
        );
    }
    // The limited channel: nothing inside Retry-After, then all three in order.
    let later: Vec<_> = calls
        .iter()
        .filter(|c| c.body["channel"] == "C0LIMITED" && c.body.get("__scripted").is_none())
        .collect();
    for c in &later {
        assert!(
            c.at >= limited.at + retry_after,
            "{:?} inside Retry-After",
            c.body["text"]
        );
    }
    let texts: Vec<_> = later.iter().map(|c| c.body["text"].clone()).collect();
    assert_eq!(texts, ["limited 1", "limited 2", "limited 3"]);
    let attempts: Vec<i64> = sqlx::query_scalar("SELECT attempts FROM outbox")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert!(attempts.iter().all(|a| *a == 0), "a 429 is not an attempt");
}

async fn a_burst_of_30_posts_to_one_channel_is_delivered_complete_in_order_with_few_429s(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    // Slack's rule for a channel: a burst of 5, then about 1 a second.
    app.slack.limit_channel_rate(5, 1.0);
    let messages: Vec<_> = (0..30)
        .map(|i| post("C0BURST", &format!("burst {i:02}")))
        .collect();
    write(&app, &messages).await;
    wait_all_sent(&app, 30, Duration::from_secs(90)).await;

    let calls = app.slack.calls("chat.postMessage");
    let limited = calls
        .iter()
        .filter(|c| c.body.get("__scripted").is_some())
        .count();
    let delivered: Vec<String> = app
        .slack
        .accepted("chat.postMessage")
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = (0..30).map(|i| format!("burst {i:02}")).collect();
    assert_eq!(delivered, want, "complete and in order");
    assert!(limited <= 3, "{limited} 429s for one burst");
}
