//! Verification, limits and the non-command endpoints.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

both_backends!(
    a_bad_signature_is_refused_and_changes_nothing,
    health_and_readiness_answer,
    url_verification_is_answered_with_the_challenge,
    a_body_over_64_kib_gets_413,
    metrics_parse_as_prometheus_text_and_their_counters_move,
);

async fn a_bad_signature_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let body = command_body(
        "UGIVER",
        "/thanks",
        "<@UBOB> +10 reviewed my PR within the hour",
        "trig-1",
        &app.slack.response_url("trig-1"),
    );
    let ts = now_secs();
    let cases = [
        ("no headers", None),
        (
            "wrong secret",
            Some((ts, sign("not-the-secret", ts, &body))),
        ),
        (
            "stale timestamp",
            Some((ts - 301, sign(SIGNING_SECRET, ts - 301, &body))),
        ),
        (
            "future timestamp",
            Some((ts + 301, sign(SIGNING_SECRET, ts + 301, &body))),
        ),
        (
            "signature of another body",
            Some((ts, sign(SIGNING_SECRET, ts, "text=other"))),
        ),
        ("garbage", Some((ts, "v0=deadbeef".to_owned()))),
    ];
    for (what, sig) in cases {
        let resp = app
            .post_raw(
                "/slack/commands",
                "application/x-www-form-urlencoded",
                body.clone(),
                sig,
            )
            .await;
        assert_eq!(resp.status(), 401, "{what}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.outbox_counts().await, (0, 0, 0));
    assert!(
        app.slack.calls("users.info").is_empty(),
        "nothing may happen before verification"
    );
    let mut conn = app.store.pool().acquire().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM thanks")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

async fn health_and_readiness_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let h = app
        .http
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(h.status(), 200);
    let r = app
        .http
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    app.store.close().await;
    let r = app
        .http
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503, "a closed database is not ready");
}

async fn url_verification_is_answered_with_the_challenge(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({ "token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification" }).to_string();
    let resp = app
        .post_signed("/slack/events", "application/json", body)
        .await;
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        v["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
}

async fn a_body_over_64_kib_gets_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let text = "a".repeat(70 * 1024);
    let body = command_body(
        "UGIVER",
        "/thanks",
        &text,
        "trig-big",
        &app.slack.response_url("trig-big"),
    );
    let resp = app
        .post_signed("/slack/commands", "application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(resp.status(), 413);
}

/// `GET /metrics` as (series with labels, value), checking every line is Prometheus text.
async fn scrape(app: &TestApp) -> std::collections::HashMap<String, f64> {
    let resp = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    let text = resp.text().await.unwrap();
    let mut series = std::collections::HashMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut w = rest.split_whitespace();
            let kind = w.next().unwrap();
            assert!(kind == "HELP" || kind == "TYPE", "{line}");
            assert!(w.next().is_some_and(|n| n.starts_with("otagai_")), "{line}");
            if kind == "TYPE" {
                let t = w.next().unwrap();
                assert!(["counter", "gauge", "histogram"].contains(&t), "{line}");
            }
            continue;
        }
        let (name, value) = line.rsplit_once(' ').expect(line);
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value in {line}"));
        let bare = name.split('{').next().unwrap();
        assert!(
            !bare.is_empty()
                && bare
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        if let Some(labels) = name.strip_prefix(bare)
            && !labels.is_empty()
        {
            {
                assert!(labels.starts_with('{') && labels.ends_with('}'), "{line}");
                for pair in labels[1..labels.len() - 1].split("\",") {
                    let (k, v) = pair.split_once("=\"").expect(line);
                    assert!(
                        k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                        "{line}"
                    );
                    assert!(!v.contains('\n'), "{line}");
                }
            }
        }
        series.insert(name.to_owned(), value);
    }
    series
}

async fn metrics_parse_as_prometheus_text_and_their_counters_move(backend: Backend) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let before = scrape(&app).await;
    let get =
        |m: &std::collections::HashMap<String, f64>, k: &str| m.get(k).copied().unwrap_or(0.0);
    let reply = app
        .thanks("UGIVER", "<@UBOB> +1 kept the build green")
        .await;
    assert!(reply.contains("is on its way"), "{reply}");
    app.slack
        .wait_for("chat.postMessage", 2, std::time::Duration::from_secs(20))
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let after = loop {
        let m = scrape(&app).await;
        let sent = r#"otagai_outbox_sent_total{method="chat.postMessage"}"#;
        if get(&m, sent) >= get(&before, sent) + 2.0 {
            break m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sent counter never moved"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let acks = r#"otagai_command_ack_duration_seconds_count{command="/thanks"}"#;
    assert!(get(&after, acks) >= get(&before, acks) + 1.0);
    let route = r#"otagai_http_request_duration_seconds_count{route="/slack/commands"}"#;
    assert!(get(&after, route) >= get(&before, route) + 1.0);
    assert!(after.contains_key("otagai_outbox_backlog"));
    assert!(after.contains_key("otagai_outbox_oldest_pending_age_seconds"));
    // Nobody is named: no user IDs, channels or text.
    let text = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for secret in ["UGIVER", "UBOB", "build green", "C0"] {
        assert!(!text.contains(secret), "/metrics names {secret}");
    }
}
