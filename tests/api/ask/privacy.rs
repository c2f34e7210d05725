//! Anonymous questions: the asker's ID goes only into what is sent to them, their thanks is
//! neither posted publicly nor quotes the question, and their ✅ (which Slack shows with their
//! name) does not resolve.

use super::*;
use crate::both_backends;
use crate::fake_slack::permalink;
use otagai::config::EscalateTo;

both_backends!(
    an_anonymous_askers_id_appears_only_in_what_is_sent_to_them,
    an_anonymous_askers_check_mark_does_not_resolve_and_their_dm_says_to_use_the_button,
    an_anonymous_askers_thanks_is_not_posted_publicly_and_does_not_quote_the_question,
    every_way_of_writing_anon_posts_the_question_without_the_askers_name,
    serve_at_trace_level_never_logs_an_anonymous_askers_id,
    serve_in_socket_mode_at_trace_level_never_logs_an_anonymous_askers_id,
);

/// The same over Socket Mode, where the WebSocket library would log every envelope verbatim.
async fn serve_in_socket_mode_at_trace_level_never_logs_an_anonymous_askers_id(backend: Backend) {
    use crate::fake_socket::{command_envelope, interactive_envelope};
    let (app, serve) = spawn_serve_process(
        backend,
        &[("RUST_LOG", "trace"), ("OTAGAI__ASK__CHANNEL", "C0HELP")],
        true,
    )
    .await;
    for id in ["UANON", "UHELPER"] {
        app.slack.add_user(id, "en-US");
    }
    let socket = app.socket.clone().expect("socket mode");
    socket.wait_opened(1, WAIT).await;
    socket.send(
        0,
        command_envelope(
            "env-ask",
            "UANON",
            "/ask",
            "anon Is my salary below the band?",
            "trig-anon-sock",
            &app.slack.response_url("trig-anon-sock"),
        ),
    );
    socket.wait_ack("env-ask", WAIT).await;
    let post = app.slack.wait_posts_in("C0HELP", 1, WAIT).await.remove(0);
    let id = button_value(&post.body, "ask_resolve").unwrap();
    let press = serde_json::json!({
        "type": "block_actions",
        "user": { "id": "UANON", "username": "uanon", "team_id": "T0TEST" },
        "trigger_id": "trig-anon-resolve",
        "container": { "type": "message", "channel_id": post.channel, "message_ts": post.ts },
        "response_url": app.slack.response_url("anon-resolve"),
        "actions": [{ "action_id": "ask_resolve", "value": id, "type": "button", "block_id": "b" }]
    });
    socket.send(0, interactive_envelope("env-resolve", press));
    socket.wait_ack("env-resolve", WAIT).await;
    settle(&app).await;
    let logs = serve.stop();
    assert!(
        logs.contains("Socket Mode connected") && logs.contains("TRACE"),
        "the logs are there: {}",
        &logs[..logs.len().min(2000)]
    );
    let leaks: Vec<&str> = logs.lines().filter(|l| l.contains("UANON")).collect();
    assert!(
        leaks.is_empty(),
        "{} lines name the asker: {leaks:#?}",
        leaks.len()
    );
}

/// `otagai serve` itself, logging everything (`RUST_LOG=trace`), with a cold users.info cache:
/// an anonymous question asked, answered, resolved and thanked for leaves no trace of the
/// asker's ID in the logs, whatever the level.
async fn serve_at_trace_level_never_logs_an_anonymous_askers_id(backend: Backend) {
    let (app, serve) = spawn_serve_process(
        backend,
        &[("RUST_LOG", "trace"), ("OTAGAI__ASK__CHANNEL", "C0HELP")],
        false,
    )
    .await;
    for id in ["UANON", "UHELPER"] {
        app.slack.add_user(id, "en-US");
    }
    let q = ask(&app, "UANON", "anon Is my salary below the band?").await;
    answer(&app, &q, "UHELPER", "Ask HR for the band sheet.").await;
    resolve(&app, &q, "UANON").await;
    let trigger = format!("trig-thank-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_with_trigger(
            "UANON",
            "ask_thank",
            &q.id,
            "D0ANON",
            "1700000000.000100",
            &app.slack.response_url("anon-thank"),
            &trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    app.slack.wait_for("views.open", 1, WAIT).await;
    let answer = submit(
        &app,
        "UANON",
        &q,
        view_values(&["UHELPER"], "Thank you for the band sheet!", ""),
    )
    .await;
    assert!(is_accepted(&answer), "{answer}");
    settle(&app).await;
    let logs = serve.stop();
    assert!(
        logs.contains("question posted") && logs.contains("TRACE"),
        "the logs are there: {}",
        &logs[..logs.len().min(2000)]
    );
    let leaks: Vec<&str> = logs.lines().filter(|l| l.contains("UANON")).collect();
    assert!(
        leaks.is_empty(),
        "{} lines name the asker: {leaks:#?}",
        leaks.len()
    );
}

async fn every_way_of_writing_anon_posts_the_question_without_the_askers_name(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    for text in [
        "匿名 給与の振込口座はどう変えますか？",
        "anon: How do I change my bank account?",
        "(anon) How do I change my bank account?",
        "【匿名】 #payroll 残業代の計算方法は？",
        "Anonymously, how do I change my bank account?",
        "【匿名】給与明細はどこで見られますか？",
        "匿名：給与明細はどこで見られますか？",
    ] {
        let q = ask(&app, "UANON", text).await;
        assert!(
            !q.post.to_string().contains("UANON"),
            "{text}: the post names the asker: {}",
            q.post
        );
        assert!(q.reply.contains("anonymously"), "{text}: {}", q.reply);
    }
}

async fn an_anonymous_askers_id_appears_only_in_what_is_sent_to_them(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Channel(ChannelId::parse("C0LEADS").unwrap()));
    })
    .await;
    app.clock.set(t("2026-11-25T10:00:00+09:00"));
    let q = ask(&app, "UANON", "anon #payroll Is my salary below the band?").await;
    assert!(q.reply.contains("<#C0PAYROLL>"), "{}", q.reply);
    let q2 = ask(&app, "UANON", "#laptops anon Can I get a bigger screen?").await;
    // The link still reaches the asker.
    app.slack
        .wait_until(WAIT, "the link", || {
            app.slack
                .accepted(&format!("hooks/{}", q.trigger))
                .into_iter()
                .find(|h| said(h).contains(&permalink("C0PAYROLL", &q.ts)))
        })
        .await;

    // Nudged and escalated while nobody answers the second one.
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    jobs_at(&app, "2026-11-26T10:00:30+09:00").await;
    app.slack.wait_posts_in("C0LEADS", 2, WAIT).await;

    app.clock.set(t("2026-11-26T11:00:00+09:00"));
    claim(&app, &q, "UHELPER").await;
    answer(&app, &q, "UHELPER2", "Ask HR for the band sheet.").await;
    let dms = notices_to(&app, "UANON");
    assert_eq!(
        dms.len(),
        1,
        "the asker hears about the first claim: {dms:?}"
    );
    // The asker resolves with the button (a ✅ would show who reacted, so it does not count
    // on an anonymous question).
    resolve(&app, &q, "UANON").await;
    assert_eq!(state_of(&app, &q).await, "resolved");
    app.slack
        .wait_until(WAIT, "the thanks offer", || {
            thank_offers_to(&app, "UANON").pop()
        })
        .await;

    let mine_other = app.command("UHELPER", "/ask", "mine").await;
    let stats = app.command("UADMIN", "/ask", "stats").await;
    let topics = app.command("UOTHER", "/ask", "topics").await;
    for reply in [&mine_other, &stats, &topics] {
        assert!(!reply.contains("UANON"), "{reply}");
    }
    let mine = app.command("UANON", "/ask", "mine").await;
    assert!(
        mine.contains(&permalink(&q2.channel, &q2.ts)),
        "the asker sees their own: {mine}"
    );
    settle(&app).await;

    // Only what is addressed to the asker may carry their ID.
    let own_hooks: Vec<String> = [&q, &q2]
        .iter()
        .map(|q| format!("hooks/{}", q.trigger))
        .collect();
    let mut leaks = Vec::new();
    for call in app.slack.all_calls() {
        if !call.body.to_string().contains("UANON") {
            continue;
        }
        let to_asker = match call.method.as_str() {
            "users.info" => call.body["user"] == "UANON",
            "chat.postMessage" | "conversations.open" => {
                call.body["channel"] == "UANON" || call.body["users"] == "UANON"
            }
            "chat.postEphemeral" => call.body["user"] == "UANON",
            // Their own Home tab, which lists their open questions.
            "views.publish" => call.body["user_id"] == "UANON",
            m if m.starts_with("hooks/") => own_hooks.iter().any(|h| h == m),
            _ => false,
        };
        if !to_asker {
            leaks.push((call.method.clone(), call.body.clone()));
        }
    }
    assert!(
        leaks.is_empty(),
        "the anonymous asker's ID leaked: {leaks:#?}"
    );
    // Also not in the answers Slack gave back to otagai for posts elsewhere (they echo the text).
    assert!(said(&q.post).contains("Is my salary below the band?"));
}

async fn an_anonymous_askers_thanks_is_not_posted_publicly_and_does_not_quote_the_question(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| {
        s.thanks.channel = Some(ChannelId::parse("C0THANKS").unwrap());
    })
    .await;
    let q = ask(&app, "UANON", "anon #payroll Is my salary below the band?").await;
    answer(&app, &q, "UHELPER", "Ask HR for the band sheet.").await;
    resolve(&app, &q, "UANON").await;
    app.slack
        .wait_until(WAIT, "the thanks offer", || {
            thank_offers_to(&app, "UANON").pop()
        })
        .await;
    let trigger = format!("trig-thank-{}", uuid::Uuid::new_v4().simple());
    let hook = format!("thank-{}", uuid::Uuid::new_v4().simple());
    app.press_with_trigger(
        "UANON",
        "ask_thank",
        &q.id,
        "D0ANON",
        "1700000000.000100",
        &app.slack.response_url(&hook),
        &trigger,
    )
    .await;
    let calls = app.slack.wait_for("views.open", 1, WAIT).await;
    let view = view_of(&calls[0]);
    let prefilled = block(&view, "message")["element"]["initial_value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!prefilled.is_empty(), "{view}");
    assert!(
        !prefilled.contains("salary") && !prefilled.contains("band"),
        "the prefilled thanks must not quote the anonymous question: {prefilled}"
    );
    assert!(
        view.to_string().contains("anonymous"),
        "the form says why it is not posted in the thread: {view}"
    );
    let thread_before = thread_of(&app, &q).len();
    let answer = submit(&app, "UANON", &q, view_values(&["UHELPER"], &prefilled, "")).await;
    assert!(is_accepted(&answer), "{answer}");
    // Only the person thanked hears of it, from the asker; nothing public names the asker.
    let dm = app
        .slack
        .wait_until(WAIT, "the thanks DM to the helper", || {
            app.slack
                .posts_in("UHELPER")
                .into_iter()
                .find(|p| said(p).contains("<@UANON>"))
        })
        .await;
    assert!(said(&dm).contains("Thank you"), "{dm}");
    settle(&app).await;
    assert!(
        app.slack.posts_in("C0THANKS").is_empty(),
        "{:?}",
        app.slack.posts_in("C0THANKS")
    );
    assert_eq!(
        thread_of(&app, &q).len(),
        thread_before,
        "nothing naming the asker in the question's thread: {:?}",
        thread_of(&app, &q)
    );
}

async fn an_anonymous_askers_check_mark_does_not_resolve_and_their_dm_says_to_use_the_button(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UANON", "anon Is my salary below the band?").await;
    answer(&app, &q, "UHELPER", "Ask HR for the band sheet.").await;
    let dm = app
        .slack
        .wait_until(WAIT, "the first-answer DM", || {
            app.slack.posts_in("UANON").into_iter().next()
        })
        .await;
    assert!(
        said(&dm).contains("press Resolved") && !said(&dm).contains("react with"),
        "{dm}"
    );
    // Slack shows who reacted: a ✅ that resolved the post would confirm who asked.
    ok(app
        .reaction("UANON", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    settle(&app).await;
    assert_eq!(state_of(&app, &q).await, "answered");
    resolve(&app, &q, "UANON").await;
    assert_eq!(state_of(&app, &q).await, "resolved");
}
