//! Verification, limits and the non-command endpoints.

use crate::both_backends;
use crate::helpers::*;
use crate::one_on_one::{add_pair, buttons, people, run_at, scalar, wait_dms_with};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

both_backends!(
    a_bad_signature_is_refused_and_changes_nothing,
    health_and_readiness_answer,
    url_verification_is_answered_with_the_challenge,
    a_body_over_64_kib_gets_413,
    an_ssl_check_is_answered_200_and_does_nothing,
    a_token_slack_refuses_stops_serve_with_one_line_naming_it,
    a_token_revoked_while_serving_holds_messages_and_readyz_says_why,
    the_person_who_installed_the_app_is_a_person,
    a_press_on_the_longest_reminder_is_accepted_and_recorded,
    a_very_long_thread_reply_event_is_accepted,
    slow_and_silent_connections_are_closed_while_others_are_served,
    more_idle_connections_than_the_cap_do_not_stop_the_service,
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
    // Well outside the 300-second window, so a test slowed down by a busy machine (seconds
    // between here and the request) still sends a timestamp the window refuses.
    let cases = [
        ("no headers", None),
        (
            "wrong secret",
            Some((ts, sign("not-the-secret", ts, &body))),
        ),
        (
            "stale timestamp",
            Some((ts - 400, sign(SIGNING_SECRET, ts - 400, &body))),
        ),
        (
            "future timestamp",
            Some((ts + 400, sign(SIGNING_SECRET, ts + 400, &body))),
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
    let body = r.text().await.unwrap();
    assert!(
        body.contains("UOTAGAIBOT") && body.contains("otagai test"),
        "names the bot and the workspace from auth.test: {body}"
    );
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

/// Slash commands keep a small limit.
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

/// Presses Done on a reminder that lists its most and longest action items, with the whole
/// message in the payload as Slack sends it: well over 64 KiB, accepted, and recorded.
async fn a_press_on_the_longest_reminder_is_accepted_and_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    // Items are at most 500 characters; these are that long, in Japanese.
    let long: String = "議事録の共有と次回までの確認事項を整理する"
        .chars()
        .cycle()
        .take(495)
        .collect();
    for i in 0..12 {
        let r = app
            .command("UMGR", "/1on1", &format!("todo <@UREP> {i:03} {long}"))
            .await;
        assert!(r.starts_with("Action item #"), "{r}");
        let r = app
            .command("UREP", "/1on1", &format!("topic <@UMGR> {i:03} {long}"))
            .await;
        assert!(r.starts_with("Topic added"), "{r}");
    }
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    let reminder = wait_dms_with(&app, "UMGR", "oneonone_todo_done", 1)
        .await
        .remove(0);
    let (action_id, item) = buttons(&reminder)
        .into_iter()
        .find(|(a, _)| a.starts_with("oneonone_todo_done"))
        .unwrap();
    let payload = json!({
        "type": "block_actions",
        "user": { "id": "UMGR", "username": "umgr", "team_id": "T0TEST" },
        "api_app_id": "A0OTAGAI",
        "token": "legacy-verification-token",
        "trigger_id": "trig-long-press",
        "team": { "id": "T0TEST", "domain": "otagai-test" },
        "container": { "type": "message", "message_ts": "1700000000.000100", "channel_id": "D0DM", "is_ephemeral": false },
        "channel": { "id": "D0DM", "name": "directmessage" },
        "message": {
            "type": "message", "user": "UBOTUSER", "bot_id": "B0OTAGAI", "ts": "1700000000.000100",
            "text": reminder["text"], "blocks": reminder["blocks"],
        },
        "response_url": app.slack.response_url("long-press"),
        "actions": [{
            "action_id": action_id, "block_id": "b1", "value": item, "type": "button",
            "text": { "type": "plain_text", "text": "Done", "emoji": true },
            "action_ts": "1700000001.000200"
        }]
    });
    let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
    assert!(body.len() > 64 * 1024, "only {} bytes", body.len());
    let resp = app
        .post_signed(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let done = app
        .slack
        .wait_until(Duration::from_secs(15), "the item marked done", || {
            let got = app.slack.calls("hooks/long-press");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(!done.is_empty());
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM action_items WHERE done_at IS NOT NULL"
        )
        .await,
        1
    );
}

/// A thread reply of 40,000 Japanese characters (Slack's limit for a message) is an event of
/// about 120 KB: it is accepted like any other.
async fn a_very_long_thread_reply_event_is_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let text = "答".repeat(40_000);
    let resp = app
        .event(thread_reply_event(
            "UHELPER",
            "C0HELP",
            "1700000000.000100",
            &text,
        ))
        .await;
    assert_eq!(resp.status(), 200);
}

/// Sends `steps` one at a time with `gap` between them, then waits; returns how long the
/// server kept the connection open (it is given up on after `limit`).
async fn held_open(address: &str, steps: Vec<Vec<u8>>, gap: Duration, limit: Duration) -> Duration {
    let addr = address.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut steps = steps.into_iter();
    let mut buf = [0u8; 1024];
    loop {
        if started.elapsed() > limit {
            return started.elapsed();
        }
        if let Some(step) = steps.next()
            && stream.write_all(&step).await.is_err()
        {
            return started.elapsed();
        }
        // Whatever the server answers, the connection counts as open until it is closed.
        match tokio::time::timeout(gap, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) | Err(_) => {}
        }
    }
}

/// Clients that send headers a byte at a time, a body shorter than its Content-Length, a
/// chunked body that trickles, or nothing at all are cut off after the timeouts, while
/// signed requests and `/healthz` are answered as usual in the meantime.
async fn slow_and_silent_connections_are_closed_while_others_are_served(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.http.header_timeout = Duration::from_secs(1);
                s.http.body_timeout = Duration::from_secs(1);
                s.http.request_timeout = Duration::from_secs(4);
            }),
            ..Default::default()
        },
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let gap = Duration::from_millis(200);
    let limit = Duration::from_secs(12);
    let slowloris: Vec<Vec<u8>> = "POST /slack/commands HTTP/1.1\r\nHost: otagai\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        .bytes()
        .map(|b| vec![b])
        .collect();
    let stalled = vec![
        b"POST /slack/commands HTTP/1.1\r\nHost: otagai\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntext=hello".to_vec(),
    ];
    let mut trickle = vec![
        b"POST /slack/events HTTP/1.1\r\nHost: otagai\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
    ];
    trickle.extend(std::iter::repeat_n(b"1\r\n{\r\n".to_vec(), 200));
    let mut bad = Vec::new();
    for (name, steps) in [
        ("silent", vec![]),
        ("slowloris", slowloris),
        ("stalled body", stalled),
        ("chunked trickle", trickle),
    ] {
        for _ in 0..3 {
            let address = app.address.clone();
            let steps = steps.clone();
            bad.push((
                name,
                tokio::spawn(async move { held_open(&address, steps, gap, limit).await }),
            ));
        }
    }
    // Meanwhile, the service answers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..5 {
        let health = app
            .http
            .get(format!("{}/healthz", app.address))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        let reply = app
            .thanks(
                "UGIVER",
                &format!("<@UBOB> thanks for the review number {i}"),
            )
            .await;
        assert!(reply.contains("<@UBOB>"), "{reply}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for (name, task) in bad {
        let open = task.await.unwrap();
        assert!(
            open < Duration::from_secs(8),
            "a {name} connection was kept open for {open:?}"
        );
    }
}

/// Far more idle connections than the cap: they wait or are closed after the header timeout,
/// and the process keeps answering.
async fn more_idle_connections_than_the_cap_do_not_stop_the_service(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.http.header_timeout = Duration::from_secs(1);
                s.http.max_connections = 32;
            }),
            ..Default::default()
        },
    )
    .await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    let health = app
        .http
        .get(format!("{}/healthz", app.address))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("answered once idle connections time out");
    assert_eq!(health.status(), 200);
    drop(idle);
}

/// Slack checks a command URL's certificate with `ssl_check=1` (unsigned, no user).
async fn an_ssl_check_is_answered_200_and_does_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let before = app.slack.all_calls().len();
    let resp = app
        .post_raw(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            "ssl_check=1&token=legacy-verification-token".into(),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(app.slack.all_calls().len(), before, "no call to Slack");
    // Anything else unsigned is still refused.
    let resp = app
        .post_raw(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            "ssl_check=0&token=x".into(),
            None,
        )
        .await;
    assert_eq!(resp.status(), 401);
}

/// users.info's `is_app_user` marks a person who authorised the app: they can be thanked.
async fn the_person_who_installed_the_app_is_a_person(backend: Backend) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_app_user("UINSTALLER", "en-US");
    let reply = app
        .thanks("UGIVER", "<@UINSTALLER> +5 set up otagai for all of us")
        .await;
    assert!(reply.starts_with("Your thanks to <@UINSTALLER>"), "{reply}");
}

/// `otagai serve` with a bot token (then an app-level token) that Slack refuses: exit code 2
/// and one line naming the variable, never its value.
async fn a_token_slack_refuses_stops_serve_with_one_line_naming_it(backend: Backend) {
    let db = TestDb::create(&backend).await;
    let slack = crate::fake_slack::FakeSlack::start().await;
    slack.script(
        "auth.test",
        crate::fake_slack::Scripted::ApiError("invalid_auth"),
    );
    let (db_url, api_url) = (db.url.clone(), slack.api_url.clone());
    let run = move |app_token: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_otagai"));
        command
            .arg("serve")
            .env_remove("OTAGAI_CONFIG")
            .env("DATABASE_URL", &db_url)
            .env("SLACK_API_URL", &api_url)
            .env("SLACK_BOT_TOKEN", "xoxb-revoked-secret-value")
            .env("SLACK_SIGNING_SECRET", SIGNING_SECRET)
            .env("OTAGAI_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "warn");
        match app_token {
            Some(t) => command.env("SLACK_APP_TOKEN", t),
            None => command.env_remove("SLACK_APP_TOKEN"),
        };
        command.output().expect("otagai serve runs")
    };
    // The bot token first; then (auth.test accepts it) an app-level token Slack refuses.
    for (app_token, variable) in [
        (None, "SLACK_BOT_TOKEN"),
        (Some("xapp-1-revoked-secret-value"), "SLACK_APP_TOKEN"),
    ] {
        let run = run.clone();
        let out = tokio::task::spawn_blocking(move || run(app_token))
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("otagai:"))
            .collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].contains(variable) && lines[0].contains("invalid_auth"),
            "{stderr}"
        );
        assert!(!stderr.contains("secret-value"), "{stderr}");
    }
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

/// The token is revoked (or a scope removed) while otagai runs: messages are held, not failed,
/// `/readyz` says why, and they go out once Slack accepts the token again.
async fn a_token_revoked_while_serving_holds_messages_and_readyz_says_why(backend: Backend) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.thanks("UGIVER", "<@UBOB> thanks for the handover notes")
        .await;
    app.slack
        .wait_posts_in("C0GENERAL", 1, Duration::from_secs(15))
        .await;
    // Revoked: otagai still knows both people (cached), so the thanks is accepted and waits.
    app.slack.set_token_revoked(true);
    let reply = app
        .thanks("UGIVER", "<@UBOB> thanks for covering my on-call shift")
        .await;
    assert!(reply.contains("<@UBOB>"), "{reply}");
    // While Slack refuses it, /readyz says so.
    let why = readyz_turns(&app, 503).await;
    assert!(why.contains("token_revoked"), "{why}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await,
        0,
        "held, not failed"
    );
    // The token is fixed: everything goes out, and /readyz is ready.
    app.slack.set_token_revoked(false);
    app.slack
        .wait_posts_in("C0GENERAL", 2, Duration::from_secs(15))
        .await;
    readyz_turns(&app, 200).await;
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await,
        0
    );
}

/// Polls `/readyz` until it answers `status`; returns its body.
async fn readyz_turns(app: &TestApp, status: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = app
            .http
            .get(format!("{}/readyz", app.address))
            .send()
            .await
            .unwrap();
        let got = r.status();
        let body = r.text().await.unwrap();
        if got == status {
            return body;
        }
        assert!(Instant::now() < deadline, "/readyz stayed {got}: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
