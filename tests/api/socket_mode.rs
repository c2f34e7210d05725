//! Socket Mode end to end: otagai opens the WebSocket with the app-level token, acknowledges
//! each envelope within Slack's 3 seconds with the answer the HTTP route would give, opens a
//! new connection at once on `disconnect`, reconnects after a dropped connection, and an
//! envelope Slack re-sends after a reconnect acts once. HTTP keeps working in the same process.

use crate::both_backends;
use crate::fake_socket::{command_envelope, event_envelope, interactive_envelope};
use crate::helpers::*;
use crate::thanks::{count, wait_outbox_idle};
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    a_command_over_socket_mode_is_acknowledged_with_its_reply_within_three_seconds,
    a_modal_submission_over_socket_mode_gets_its_response_action_in_the_ack,
    on_disconnect_a_new_connection_opens_at_once_and_the_old_one_still_answers,
    a_dropped_connection_reconnects_and_a_resent_envelope_acts_once,
    a_resent_event_acts_once,
    the_home_tab_is_published_when_opened_over_socket_mode_and_refreshed_after_a_thanks,
    the_thanks_form_over_socket_mode_refuses_by_field_and_a_double_submit_gives_one_thanks,
);

const WAIT: Duration = Duration::from_secs(15);

async fn spawn_socket_app(backend: Backend) -> TestApp {
    let app = spawn_app_with(
        backend,
        Options {
            socket_mode: true,
            ..Default::default()
        },
    )
    .await;
    for id in ["UGIVER", "UBOB", "UASKER"] {
        app.slack.add_user(id, "en-US");
    }
    app.socket().wait_opened(1, WAIT).await;
    app
}

impl TestApp {
    fn socket(&self) -> &crate::fake_socket::FakeSocket {
        self.socket.as_ref().expect("a Socket Mode app")
    }
}

fn posts_in_general(app: &TestApp) -> usize {
    app.slack.posts_in("C0GENERAL").len()
}

async fn a_command_over_socket_mode_is_acknowledged_with_its_reply_within_three_seconds(
    backend: Backend,
) {
    let app = spawn_socket_app(backend).await;
    let open = app.slack.calls("apps.connections.open");
    assert_eq!(
        open[0].authorization.as_deref(),
        Some(format!("Bearer {APP_TOKEN}").as_str()),
        "the app-level token opens the connection"
    );
    let sent = app.socket().send(
        0,
        command_envelope(
            "env-1",
            "UGIVER",
            "/thanks",
            "<@UBOB> +5 reviewed my PR within the hour",
            "trig-sock-1",
            &app.slack.response_url("trig-sock-1"),
        ),
    );
    let ack = app.socket().wait_ack("env-1", WAIT).await;
    assert!(
        ack.at.duration_since(sent) < Duration::from_secs(3),
        "acknowledged after {:?}",
        ack.at.duration_since(sent)
    );
    let payload = &ack.frame["payload"];
    assert_eq!(payload["response_type"], "ephemeral", "{}", ack.frame);
    assert!(
        payload["text"].as_str().unwrap().contains("<@UBOB>"),
        "the same reply as over HTTP: {}",
        ack.frame
    );
    app.slack.wait_posts_in("C0GENERAL", 1, WAIT).await;
    // HTTP works in the same process.
    let reply = app
        .thanks("UGIVER", "<@UBOB> +5 and the deploy script too")
        .await;
    assert!(reply.contains("<@UBOB>"), "{reply}");
    app.slack.wait_posts_in("C0GENERAL", 2, WAIT).await;
    let health = app
        .http
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

async fn a_modal_submission_over_socket_mode_gets_its_response_action_in_the_ack(backend: Backend) {
    let app = spawn_socket_app(backend).await;
    // A thanks modal for a question that does not exist: refused with errors by block.
    let payload = json!({
        "type": "view_submission",
        "team": { "id": "T0TEST", "domain": "otagai-test" },
        "user": { "id": "UASKER", "username": "uasker", "team_id": "T0TEST" },
        "api_app_id": "A0OTAGAI",
        "trigger_id": "trig-view-1",
        "view": {
            "id": "VSOCK1", "team_id": "T0TEST", "type": "modal", "callback_id": "ask_thanks",
            "private_metadata": "999999",
            "state": { "values": view_values(&["UBOB"], "Thanks for all the help!", "") },
            "hash": "h", "title": { "type": "plain_text", "text": "t" }, "blocks": [],
            "root_view_id": "VSOCK1", "app_id": "A0OTAGAI", "bot_id": "B0OTAGAI"
        },
        "response_urls": []
    });
    app.socket()
        .send(0, interactive_envelope("env-view", payload));
    let ack = app.socket().wait_ack("env-view", WAIT).await;
    assert_eq!(
        ack.frame["payload"]["response_action"], "errors",
        "{}",
        ack.frame
    );
    // A button nobody knows: acknowledged, nothing else.
    let press = json!({
        "type": "block_actions",
        "user": { "id": "UASKER", "username": "uasker", "team_id": "T0TEST" },
        "trigger_id": "trig-press-1",
        "actions": [{ "action_id": "not_ours", "value": "1", "type": "button", "block_id": "b" }]
    });
    app.socket()
        .send(0, interactive_envelope("env-press", press));
    let ack = app.socket().wait_ack("env-press", WAIT).await;
    assert_eq!(ack.frame, json!({ "envelope_id": "env-press" }));
}

async fn on_disconnect_a_new_connection_opens_at_once_and_the_old_one_still_answers(
    backend: Backend,
) {
    let app = spawn_socket_app(backend).await;
    app.socket().send(
        0,
        json!({ "type": "disconnect", "reason": "refresh_requested", "debug_info": { "host": "fake" } }),
    );
    // At once: well before the first reconnection backoff (1 s) would allow.
    app.socket()
        .wait_opened(2, Duration::from_millis(900))
        .await;
    // The old connection is still open until Slack closes it, and answers what it gets.
    app.socket().send(
        0,
        command_envelope(
            "env-old",
            "UGIVER",
            "/bonus",
            "",
            "trig-old",
            &app.slack.response_url("trig-old"),
        ),
    );
    app.socket().send(
        1,
        command_envelope(
            "env-new",
            "UGIVER",
            "/bonus",
            "",
            "trig-new",
            &app.slack.response_url("trig-new"),
        ),
    );
    assert_eq!(app.socket().wait_ack("env-old", WAIT).await.connection, 0);
    assert_eq!(app.socket().wait_ack("env-new", WAIT).await.connection, 1);
}

async fn a_dropped_connection_reconnects_and_a_resent_envelope_acts_once(backend: Backend) {
    let app = spawn_socket_app(backend).await;
    // Slack is slow to say who the recipient is, so the connection drops before the ack.
    app.slack.slow_users_info(Duration::from_millis(600));
    let envelope = |id: &str, retry: u32| {
        let mut e = command_envelope(
            id,
            "UGIVER",
            "/thanks",
            "<@UBOB> +7 stayed late to fix the release",
            "trig-resent",
            &app.slack.response_url("trig-resent"),
        );
        e["retry_attempt"] = json!(retry);
        e
    };
    app.socket().send(0, envelope("env-r", 0));
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.socket().drop_connection(0);
    app.socket().wait_opened(2, WAIT).await;
    // Slack sends the unacknowledged envelope again, on the new connection.
    app.socket().send(1, envelope("env-r", 1));
    let ack = app.socket().wait_ack("env-r", WAIT).await;
    assert_eq!(ack.connection, 1);
    tokio::time::sleep(Duration::from_millis(800)).await;
    wait_outbox_idle(&app).await;
    assert_eq!(count(&app, "thanks").await, 1, "one thanks");
    assert_eq!(posts_in_general(&app), 1, "one post");
    app.assert_ledger_consistent().await;
}

async fn a_resent_event_acts_once(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            socket_mode: true,
            settings: Box::new(|s| {
                s.ask.channel = Some(otagai::domain::ChannelId::parse("C0HELP").unwrap());
            }),
            ..Default::default()
        },
    )
    .await;
    for id in ["UASKER", "UBOB"] {
        app.slack.add_user(id, "en-US");
    }
    app.socket().wait_opened(1, WAIT).await;
    app.command("UASKER", "/ask", "Where are the expense forms?")
        .await;
    let post = app.slack.wait_posts_in("C0HELP", 1, WAIT).await.remove(0);
    // The post's ts is recorded right after Slack answers; until then the event is retried.
    let event = json!({
        "type": "reaction_added", "user": "UBOB", "reaction": "eyes",
        "item": { "type": "message", "channel": "C0HELP", "ts": post.ts },
        "event_ts": "1700000001.000100"
    });
    let mut attempt = 0;
    let first = loop {
        let id = format!("env-e{attempt}");
        app.socket()
            .send(0, event_envelope(&id, "Ev0SOCK1", event.clone(), attempt));
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Some(ack) = app.socket().acks_of(&id).pop() {
            break ack;
        }
        // Not acknowledged: Slack would send it again.
        attempt += 1;
        assert!(attempt < 20, "the event was never acknowledged");
    };
    assert_eq!(first.frame["envelope_id"], format!("env-e{attempt}"));
    // Slack re-sends it (an ack lost on the way): acknowledged, and nothing happens again.
    app.socket().send(
        0,
        event_envelope("env-again", "Ev0SOCK1", event, attempt + 1),
    );
    let again: Value = app.socket().wait_ack("env-again", WAIT).await.frame;
    assert_eq!(again, json!({ "envelope_id": "env-again" }));
    wait_outbox_idle(&app).await;
    assert_eq!(count(&app, "help_request_helpers").await, 1, "claimed once");
    assert_eq!(
        app.slack.updates_of("C0HELP", &post.ts).len(),
        1,
        "the post redrawn once"
    );
}

/// The views.publish calls for `user`, their views.
fn home_views(app: &TestApp, user: &str) -> Vec<Value> {
    app.slack
        .accepted("views.publish")
        .into_iter()
        .filter(|c| c["user_id"] == user)
        .map(|c| crate::thanks_form::view_of(&c))
        .collect()
}

async fn the_home_tab_is_published_when_opened_over_socket_mode_and_refreshed_after_a_thanks(
    backend: Backend,
) {
    let app = spawn_socket_app(backend).await;
    app.slack.add_user("UJA", "ja-JP");
    let opened = |user: &str| {
        json!({ "type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                "event_ts": fresh_ts() })
    };
    app.socket().send(
        0,
        event_envelope("env-home-1", "EvHOME1", opened("UBOB"), 0),
    );
    let ack = app.socket().wait_ack("env-home-1", WAIT).await;
    assert_eq!(ack.frame, json!({ "envelope_id": "env-home-1" }));
    let bob = app
        .slack
        .wait_until(WAIT, "UBOB's home tab", || home_views(&app, "UBOB").pop())
        .await;
    assert_eq!(bob["type"], "home");
    assert!(bob["blocks"].to_string().contains("/thanks @alex"), "{bob}");
    app.socket()
        .send(0, event_envelope("env-home-2", "EvHOME2", opened("UJA"), 0));
    let ja = app
        .slack
        .wait_until(WAIT, "UJA's home tab", || home_views(&app, "UJA").pop())
        .await;
    assert!(ja["blocks"].to_string().contains("ようこそ"), "{ja}");
    // A thanks over Socket Mode refreshes the recipient's tab, unopened.
    tokio::time::sleep(Duration::from_millis(5200)).await;
    app.socket().send(
        0,
        command_envelope(
            "env-thanks",
            "UGIVER",
            "/thanks",
            "<@UBOB> +5 reviewed my PR within the hour",
            "trig-sock-home",
            &app.slack.response_url("trig-sock-home"),
        ),
    );
    app.socket().wait_ack("env-thanks", WAIT).await;
    let refreshed = app
        .slack
        .wait_until(WAIT, "UBOB's refreshed tab", || {
            home_views(&app, "UBOB")
                .into_iter()
                .find(|v| v["blocks"].to_string().contains("reviewed my PR"))
        })
        .await;
    assert!(
        refreshed["blocks"].to_string().contains("<@UGIVER>"),
        "{refreshed}"
    );
    crate::thanks_form::assert_views_within_limits(&app);
}

/// A `view_submission` of the thanks form as Slack sends it over Socket Mode.
fn form_submission(view_id: &str, metadata: &str, points: &str) -> Value {
    json!({
        "type": "view_submission",
        "team": { "id": "T0TEST", "domain": "otagai-test" },
        "user": { "id": "UGIVER", "username": "ugiver", "team_id": "T0TEST" },
        "api_app_id": "A0OTAGAI",
        "trigger_id": format!("trig-{view_id}"),
        "view": {
            "id": view_id, "team_id": "T0TEST", "type": "modal", "callback_id": "thanks_form",
            "private_metadata": metadata,
            "state": { "values": {
                "recipients": { "recipients": { "type": "multi_users_select", "selected_users": ["UBOB"] } },
                "message": { "message": { "type": "plain_text_input", "value": "Your review caught the bug before the release" } },
                "points": { "points": { "type": "plain_text_input", "value": points } }
            } },
            "hash": "h", "title": { "type": "plain_text", "text": "t" }, "blocks": [],
            "root_view_id": view_id, "app_id": "A0OTAGAI", "bot_id": "B0OTAGAI"
        },
        "response_urls": []
    })
}

async fn the_thanks_form_over_socket_mode_refuses_by_field_and_a_double_submit_gives_one_thanks(
    backend: Backend,
) {
    let app = spawn_socket_app(backend).await;
    // `/thanks` alone opens the form on the envelope's trigger_id.
    app.socket().send(
        0,
        command_envelope(
            "env-form",
            "UGIVER",
            "/thanks",
            "",
            "trig-sock-form",
            &app.slack.response_url("trig-sock-form"),
        ),
    );
    let ack = app.socket().wait_ack("env-form", WAIT).await;
    assert_eq!(ack.frame, json!({ "envelope_id": "env-form" }));
    let opened = app.slack.wait_for("views.open", 1, WAIT).await;
    assert_eq!(opened[0]["trigger_id"], "trig-sock-form");
    let form = crate::thanks_form::view_of(&opened[0]);
    assert_eq!(form["callback_id"], "thanks_form");
    let metadata = form["private_metadata"].as_str().unwrap().to_owned();

    // Points that are not a number: an error next to the field, in the ack; nothing changed.
    app.socket().send(
        0,
        interactive_envelope("env-bad", form_submission("VSOCKF", &metadata, "lots")),
    );
    let ack = app.socket().wait_ack("env-bad", WAIT).await;
    assert_eq!(
        ack.frame["payload"]["response_action"], "errors",
        "{}",
        ack.frame
    );
    assert!(
        ack.frame["payload"]["errors"]["points"].is_string(),
        "{}",
        ack.frame
    );
    assert_eq!(count(&app, "thanks").await, 0);

    // Submitted twice (a double click, or Slack re-sending): one thanks, paid once.
    for env in ["env-ok-1", "env-ok-2"] {
        app.socket().send(
            0,
            interactive_envelope(env, form_submission("VSOCKF", &metadata, "10")),
        );
        let ack = app.socket().wait_ack(env, WAIT).await;
        assert_eq!(ack.frame, json!({ "envelope_id": env }), "the modal closes");
    }
    app.slack.wait_posts_in("C0GENERAL", 1, WAIT).await;
    wait_outbox_idle(&app).await;
    assert_eq!(count(&app, "thanks").await, 1);
    assert_eq!(app.slack.posts_in("C0GENERAL").len(), 1);
    app.assert_ledger_consistent().await;
    crate::thanks_form::assert_views_within_limits(&app);
}
