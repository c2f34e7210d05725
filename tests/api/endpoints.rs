//! Verification, limits and the non-command endpoints.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

both_backends!(
    a_bad_signature_is_refused_and_changes_nothing,
    health_and_readiness_answer,
    url_verification_is_answered_with_the_challenge,
    a_body_over_64_kib_gets_413,
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
