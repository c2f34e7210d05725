//! People's text is shown, never obeyed: hostile strings typed into `/thanks`, `/ask`, the
//! "Say thanks" modal, thread replies and 1on1 action items and topics, then carried by posts,
//! DMs, redraws, nudges, escalations, reminders and replies. Every call the fake Slack received
//! is scanned: no broadcast, no user-group mention but the configured experts, no link whose
//! label is not its address. (Lives with the /ask fixtures, which most routes need.)

use super::*;
use crate::both_backends;
use crate::one_on_one::{add_pair, run_at};
use otagai::config::EscalateTo;

both_backends!(
    hostile_text_in_thanks_questions_replies_and_the_modal_reaches_slack_only_as_text,
    hostile_text_in_1on1_items_and_topics_reaches_slack_only_as_text,
    a_response_url_outside_slack_is_never_posted_to,
);

/// What attackers type. Slash commands and thread replies carry Slack's own tokens raw (the
/// composer makes `<!channel>` of "@channel"); the modal carries whatever was typed.
fn hostile() -> Vec<String> {
    let mut all: Vec<String> = [
        "Thanks <<!x|!channel>> and <<!y|!here>>",
        "<!channel> <!here> <!everyone> look",
        "<!subteam^SEVIL|@all-staff> please",
        "<!subteam^SEVIL> bare group",
        "<!date^1392734382^{date_pretty}|today> date",
        "<https://evil.example/login|https://intranet.example.com/payroll>",
        "<<https://evil.example/a|x>|https://intranet.example.com>",
        "&lt;!channel&gt; &amp;lt;!here&amp;gt; typed escapes",
        "＜!channel＞ full-width brackets",
        "<\u{200b}!channel> and <!\u{200b}here> zero-width",
        "<!here|<!channel>> nested label",
        "<お知らせ> <ありがとう|https://evil.example> multi-byte tokens",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    all.push(format!(
        "<https://evil.example/long|{}> long label",
        "https://intranet.example.com/".repeat(60)
    ));
    all
}

/// Every string in a call's body, however deep (blocks may travel as a JSON string).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => strings(&inner, out),
            _ => out.push(s.clone()),
        },
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Checks every call the fake received; `groups` are the user groups the settings name.
fn assert_nothing_obeyed(app: &TestApp, groups: &[&str]) {
    let calls = app.slack.all_calls();
    assert!(!calls.is_empty());
    for call in calls {
        let mut texts = Vec::new();
        strings(&call.body, &mut texts);
        for text in texts {
            let mut rest = text.as_str();
            while let Some(open) = rest.find('<') {
                let Some(len) = rest[open..].find('>') else {
                    break;
                };
                let inner = &rest[open + 1..open + len];
                if let Some(special) = inner.strip_prefix('!') {
                    let allowed = special
                        .strip_prefix("subteam^")
                        .is_some_and(|g| groups.contains(&g));
                    assert!(allowed, "{} sent <{inner}> in {text:?}", call.method);
                }
                // The bot's own labelled links go to the workspace's messages; no other
                // token may carry a label.
                if let Some((target, label)) = inner.split_once('|') {
                    assert!(
                        target.starts_with("https://otagai-test.slack.com/archives/")
                            && !label.contains("://"),
                        "{} sent a labelled token <{inner}> in {text:?}",
                        call.method
                    );
                }
                rest = &rest[open + len + 1..];
            }
        }
    }
}

async fn hostile_text_in_thanks_questions_replies_and_the_modal_reaches_slack_only_as_text(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Channel(ChannelId::parse("C0LEADS").unwrap()));
        s.thanks.channel = Some(ChannelId::parse("C0THANKS").unwrap());
    })
    .await;
    let texts = hostile();
    // Wednesday 2026-11-25, 10:00 in Tokyo: questions, then a nudge and an escalation.
    let mut questions = Vec::new();
    for (i, h) in texts.iter().enumerate() {
        let asker = if i % 2 == 0 { "UASKER" } else { "UOTHER" };
        questions.push((
            asker,
            ask_at(&app, "2026-11-25T10:00:00+09:00", asker, h).await,
        ));
        // User groups in a thanks are refused; everything else is posted.
        app.command("UASKER", "/thanks", &format!("<@UHELPER> {h}"))
            .await;
        // Refusals and usage errors echo what was typed.
        app.command("UASKER", "/bonus", h).await;
        app.command("UASKER", "/ask", &format!("#{h}")).await;
    }
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    jobs_at(&app, "2026-11-26T10:00:30+09:00").await;
    let escalations = app.slack.wait_posts_in("C0LEADS", texts.len(), WAIT).await;
    assert_eq!(escalations.len(), texts.len());

    // Replies in the threads, the questions resolved, and thanks sent from the modal.
    for ((asker, q), h) in questions.iter().zip(&texts) {
        answer(&app, q, "UHELPER", h).await;
        resolve(&app, q, asker).await;
        let resp = app
            .submit_view_with_id(
                asker,
                "ask_thanks",
                &q.id,
                view_values(&["UHELPER"], &format!("{h} (for the answer)"), ""),
                &format!("V{}", q.id),
            )
            .await;
        assert_eq!(resp.status(), 200);
        let answer = resp.text().await.unwrap();
        assert!(answer.trim().is_empty(), "accepted: {answer}");
        let mine = app.command(asker, "/ask", "mine").await;
        assert!(!mine.contains("<!"), "{mine}");
    }
    settle(&app).await;
    let in_thanks = app.slack.posts_in("C0THANKS");
    assert!(
        in_thanks.len() >= 2 * texts.len() - 2,
        "the command's and the modal's thanks were posted: {}",
        in_thanks.len()
    );
    let history = app.command("UASKER", "/bonus", "history").await;
    assert!(!history.contains("<!"), "{history}");
    assert_nothing_obeyed(&app, &["SPAYROLL"]);
}

async fn hostile_text_in_1on1_items_and_topics_reaches_slack_only_as_text(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    app.slack.add_user("UMGR", "en-US");
    app.slack.add_user("UREP", "en-US");
    // Added on Tuesday 2026-11-10 by an admin: due Tuesday 2026-11-24.
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    for h in hostile() {
        app.command("UMGR", "/1on1", &format!("todo <@UREP> {h}"))
            .await;
        app.command("UREP", "/1on1", &format!("topic <@UMGR> {h}"))
            .await;
    }
    for (user, text) in [
        ("UMGR", "todos"),
        ("UREP", "todos"),
        ("UMGR", ""),
        // A refusal that echoes what was typed.
        ("UMGR", "add <@UREP> <!channel>"),
    ] {
        let reply = app.command(user, "/1on1", text).await;
        assert!(!reply.contains("<!"), "{reply}");
    }
    let report = run_at(&app, "2026-11-24T09:45:00+09:00").await;
    assert_eq!(report.queued, 1, "{report:?}");
    settle(&app).await;
    let reminders: Vec<Value> = app.slack.posts_in("UMGR");
    assert!(
        reminders.iter().any(|p| said(p).contains("evil.example")),
        "the reminder lists the items: {reminders:?}"
    );
    assert_nothing_obeyed(&app, &["SPAYROLL"]);
}

/// A signed request whose response_url points outside Slack: the question is still asked and
/// the button still works, but nothing is ever POSTed to that address.
async fn a_response_url_outside_slack_is_never_posted_to(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let evil = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let evil_url = format!("http://{}/hooks/steal", evil.local_addr().unwrap());
    let contacted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = contacted.clone();
    tokio::spawn(async move {
        while evil.accept().await.is_ok() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let before = question_posts(&app).len();
    let body = command_body(
        "UASKER",
        "/ask",
        "Where do I file travel expenses?",
        "trig-evil",
        &evil_url,
    );
    let resp = app
        .post_signed("/slack/commands", "application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(resp.status(), 200);
    let posted = app
        .slack
        .wait_until(WAIT, "the question's post", || {
            let all = question_posts(&app);
            (all.len() > before).then(|| all[before].clone())
        })
        .await;
    let id = button_value(&posted.body, "ask_claim").unwrap();
    let resp = app
        .press_on(
            "UHELPER",
            "ask_claim",
            &id,
            &posted.channel,
            &posted.ts,
            &evil_url,
        )
        .await;
    assert_eq!(resp.status(), 200);
    app.slack
        .wait_until(WAIT, "the claim's redraw", || {
            let got = app.slack.updates_of(&posted.channel, &posted.ts);
            (!got.is_empty()).then_some(got)
        })
        .await;
    settle(&app).await;
    assert_eq!(
        contacted.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "otagai connected to the response_url outside Slack"
    );
}
