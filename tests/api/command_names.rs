//! Configured command names everywhere: with the commands named `/kansha`, `/pb`, `/one-on-one`
//! and `/tasukete`, every message otagai sends (replies, posts, DMs, reminders and their
//! buttons, invitations, nudges, escalations, the Home tab, the thanks form), in English and in
//! Japanese, names those, never the built-in `/thanks`, `/bonus`, `/1on1` or `/ask`. Each test
//! drives real flows, then reads every call the fake Slack received and every command reply.
//! What a person typed is theirs: a thanks that says "/thanks" keeps it.

use crate::both_backends;
use crate::helpers::*;
use crate::one_on_one::{buttons, people, press, run_at, scalar, t, wait_dms_with};
use crate::thanks::{posts_to, wait_outbox_idle};
use crate::thanks_form::view_of;
use otagai::commands::CommandNames;
use otagai::config::{EscalateTo, Settings};
use otagai::domain::{ChannelId, Expert, UserId};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

both_backends!(
    thanks_bonus_and_the_thanks_form_name_the_configured_commands_in_both_languages,
    one_on_one_replies_invitations_reminders_and_nudges_name_the_configured_command,
    ask_replies_nudges_escalations_and_the_home_tab_name_the_configured_commands,
    what_people_type_keeps_the_built_in_names_they_wrote,
);

const THANKS: &str = "/kansha";
const BONUS: &str = "/pb";
const ONE_ON_ONE: &str = "/one-on-one";
const ASK: &str = "/tasukete";
const BUILT_IN: [&str; 4] = ["/thanks", "/bonus", "/1on1", "/ask"];
const WAIT: Duration = Duration::from_secs(15);

/// The four commands renamed, plus `more`.
fn renamed(more: impl FnOnce(&mut Settings) + Send + 'static) -> Options {
    Options {
        settings: Box::new(move |s| {
            s.commands = CommandNames::parse([THANKS, BONUS, ONE_ON_ONE, ASK]).unwrap();
            more(s);
        }),
        ..Options::default()
    }
}

/// The built-in command names `text` writes as commands (not inside a word or a path).
fn built_in_names_in(text: &str) -> Vec<&'static str> {
    BUILT_IN
        .into_iter()
        .filter(|name| {
            text.match_indices(name).any(|(at, _)| {
                let before = text[..at].chars().last();
                let after = text[at + name.len()..].chars().next();
                before.is_none_or(|c| !(c.is_ascii_alphanumeric() || "/:.-_<".contains(c)))
                    && after.is_none_or(|c| !(c.is_ascii_alphanumeric() || "-_/".contains(c)))
            })
        })
        .collect()
}

/// Everything the fake Slack received (Web API calls and response_urls, views as text), and
/// `replies`: no built-in command name anywhere. Returns it all, to look for the configured
/// names in.
fn assert_only_configured_names(app: &TestApp, replies: &[String]) -> String {
    let mut said: Vec<String> = replies.to_vec();
    for call in app.slack.all_calls() {
        said.push(format!("{} {}", call.method, call.body));
        if call.body.get("view").is_some() {
            said.push(format!("{} view {}", call.method, view_of(&call.body)));
        }
    }
    let wrong: Vec<&String> = said
        .iter()
        .filter(|s| !built_in_names_in(s).is_empty())
        .collect();
    assert!(
        wrong.is_empty(),
        "built-in command names sent where others are configured: {wrong:#?}"
    );
    said.join("\n")
}

/// A command with a trigger whose answer is an ephemeral reply; its text.
async fn reply(app: &TestApp, user: &str, command: &str, text: &str) -> String {
    app.command(user, command, text).await
}

async fn thanks_bonus_and_the_thanks_form_name_the_configured_commands_in_both_languages(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        renamed(|s| s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()]),
    )
    .await;
    app.slack.add_user("UEN", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    app.slack.add_user("UADMIN", "en-US");
    let mut replies = Vec::new();
    for user in ["UEN", "UJA"] {
        // Before any thanks, the rankings suggest giving one.
        replies.push(reply(&app, user, BONUS, "top").await);
        for (command, text) in [
            (THANKS, "help"),
            (THANKS, "@bob thanks for the review"),
            (THANKS, "hello"),
            (THANKS, "<@UADMIN>"),
            (BONUS, ""),
            (BONUS, "help"),
            (BONUS, "frobnicate"),
            (BONUS, "grant"),
            (ONE_ON_ONE, "add alex"),
        ] {
            replies.push(reply(&app, user, command, text).await);
        }
    }
    replies.push(reply(&app, "UADMIN", BONUS, "help").await);
    let sent = reply(&app, "UEN", THANKS, "<@UJA> +10 your review caught the bug").await;
    assert!(sent.contains("on its way"), "{sent}");
    replies.push(sent);
    replies.push(reply(&app, "UJA", THANKS, "<@UEN> +5 手伝ってくれてありがとう").await);

    // The command alone opens the form, by its configured name.
    for user in ["UEN", "UJA"] {
        let trigger = format!("trig-form-{user}");
        let resp = app.command_with_trigger(user, THANKS, "", &trigger).await;
        assert_eq!(resp.status(), 200);
        app.slack
            .wait_until(WAIT, "the thanks form", || {
                app.slack
                    .calls("views.open")
                    .into_iter()
                    .find(|c| c.body["trigger_id"] == trigger.as_str())
            })
            .await;
    }
    wait_outbox_idle(&app).await;

    let said = assert_only_configured_names(&app, &replies);
    let all_replies = replies.join("\n");
    for name in [THANKS, BONUS, ONE_ON_ONE] {
        assert!(all_replies.contains(name), "{name} in {all_replies}");
    }
    // The recipients' DMs point at the points command, in each one's language.
    for (user, words) in [("UJA", "累計は `/pb`"), ("UEN", "total with `/pb`")] {
        let dms: Vec<String> = posts_to(&app, user)
            .iter()
            .map(|p| p["text"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert!(dms.iter().any(|d| d.contains(words)), "{user}: {dms:?}");
    }
    assert!(said.contains("`/kansha @alex"), "the examples name /kansha");
}

/// `/one-on-one text` as `user` with the clock at `at`.
async fn one_on_one_at(app: &TestApp, at: &str, user: &str, text: &str) -> String {
    app.clock.set(t(at));
    app.command(user, ONE_ON_ONE, text).await
}

async fn one_on_one_replies_invitations_reminders_and_nudges_name_the_configured_command(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        renamed(|s| s.bonus.admins = vec![UserId::parse("UMGR").unwrap()]),
    )
    .await;
    people(&app, &["UMGR", "UREP2"]);
    app.slack.add_user("UREP", "ja-JP");
    app.slack.add_user("UMGR2", "ja-JP");
    let mut replies = Vec::new();
    let at = "2026-11-10T10:00:00+09:00";
    // An admin adds directly (the report is told in Japanese); a manager who is not one
    // invites, and the report accepts.
    let added = one_on_one_at(&app, at, "UMGR", "add <@UREP>").await;
    assert!(added.starts_with("Added <@"), "{added}");
    replies.push(added);
    replies.push(one_on_one_at(&app, at, "UMGR2", "add <@UREP2>").await);
    let invitation = scalar(&app, "SELECT MAX(id) FROM pair_invitations").await;
    wait_dms_with(&app, "UREP2", "oneonone_invite", 1).await;
    let accepted = press(
        &app,
        "UREP2",
        "oneonone_invite_accept",
        &invitation.to_string(),
    )
    .await;
    let accepted = accepted["text"].as_str().unwrap_or_default().to_owned();
    assert!(accepted.contains(ONE_ON_ONE), "{accepted}");
    replies.push(accepted);
    for (user, text) in [
        ("UMGR", "help"),
        ("UMGR", "frobnicate"),
        ("UMGR", ""),
        ("UMGR", "todos"),
        ("UMGR", "todo <@UREP> share the hiring plan"),
        ("UMGR", "snooze <@UREP> 400d"),
        ("UMGR", "add <@UMGR>"),
        ("UMGR2", "help"),
        ("UMGR2", "done"),
        ("UMGR2", "todo done x"),
        ("UREP", "list"),
        ("UREP2", "todos"),
    ] {
        replies.push(one_on_one_at(&app, at, user, text).await);
    }

    // Three reminders to each manager, then each report's nudge.
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    while day <= chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap() {
        run_at(&app, &format!("{day}T09:45:00+09:00")).await;
        day = day.succ_opt().unwrap();
    }
    wait_outbox_idle(&app).await;
    let reminders = wait_dms_with(&app, "UMGR", "oneonone_held", 3).await;
    let reminder = reminders[0]["text"].as_str().unwrap();
    assert!(
        reminder.contains("type `/one-on-one done <@UREP>`"),
        "{reminder}"
    );
    let ja = wait_dms_with(&app, "UMGR2", "oneonone_held", 3).await;
    let ja = ja[0]["text"].as_str().unwrap();
    assert!(ja.contains("`/one-on-one done <@UREP2>`"), "{ja}");
    for report in ["UREP", "UREP2"] {
        let nudged = posts_to(&app, report).iter().any(|p| {
            p["text"]
                .as_str()
                .unwrap_or_default()
                .contains("/one-on-one topic")
        });
        assert!(nudged, "{report}: {:?}", posts_to(&app, report));
    }
    // The reminders' buttons are there, with the rest of what was sent, in the scan.
    assert!(buttons(&reminders[0]).len() >= 3, "{}", reminders[0]);
    assert_only_configured_names(&app, &replies);
}

/// `/tasukete text` as `user`, waiting until its post is up and recorded; the post's ts.
async fn ask_at(app: &TestApp, at: &str, user: &str, text: &str) -> (String, String) {
    app.clock.set(t(at));
    let before = app.slack.posted_in("C0HELP").len();
    let reply = app.command(user, ASK, text).await;
    let post = app
        .slack
        .wait_until(WAIT, "the question's post", || {
            app.slack.posted_in("C0HELP").get(before).cloned()
        })
        .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let mut conn = app.store.pool().acquire().await.unwrap();
        let recorded: Option<String> =
            sqlx::query_scalar("SELECT post_ts FROM help_requests ORDER BY id DESC LIMIT 1")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        if recorded.as_deref() == Some(post.ts.as_str()) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the post's ts was never recorded"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    (reply, post.ts)
}

async fn open_home(app: &TestApp, user: &str) -> Value {
    let before = app.slack.calls("views.publish").len();
    let resp = app
        .event(
            json!({ "type": "app_home_opened", "user": user, "channel": "D0HOME",
            "tab": "home", "event_ts": fresh_ts() }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    app.slack
        .wait_until(WAIT, "the home tab", || {
            app.slack
                .calls("views.publish")
                .into_iter()
                .skip(before)
                .find(|c| c.body["user_id"] == user)
                .map(|c| view_of(&c.body))
        })
        .await
}

async fn ask_replies_nudges_escalations_and_the_home_tab_name_the_configured_commands(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        renamed(|s| {
            s.ask.channel = Some(ChannelId::parse("C0HELP").unwrap());
            s.ask.experts = vec![Expert::parse("U0EXPERT").unwrap()];
            s.ask.escalate_to = Some(EscalateTo::Channel(ChannelId::parse("C0LEADS").unwrap()));
        }),
    )
    .await;
    people(&app, &["UASKER", "U0EXPERT", "UNEW"]);
    app.slack.add_user("UJA", "ja-JP");
    app.slack.add_user("UNEWJA", "ja-JP");
    let mut replies = Vec::new();
    for user in ["UASKER", "UJA"] {
        for text in ["", "help", "#nosuch How do I expense a taxi?", "#BAD! why"] {
            replies.push(reply(&app, user, ASK, text).await);
        }
    }
    let all = replies.join("\n");
    assert!(all.contains("`/tasukete #payroll"), "{all}");
    assert!(
        all.contains("`/tasukete 〜はどうすればいいですか？`"),
        "{all}"
    );

    // Wednesday 10:00 in Tokyo: nudged at noon, escalated a working day later.
    let (posted, ts) = ask_at(
        &app,
        "2026-11-25T10:00:00+09:00",
        "UASKER",
        "How do I expense a taxi?",
    )
    .await;
    replies.push(posted);
    let (posted, ja_ts) = ask_at(&app, "2026-11-25T10:00:00+09:00", "UJA", "経費の精算は？").await;
    replies.push(posted);
    for at in ["2026-11-25T12:00:30+09:00", "2026-11-26T10:00:30+09:00"] {
        app.clock.set(t(at));
        app.app.run_due_jobs(t(at), false).await.unwrap();
    }
    wait_outbox_idle(&app).await;
    for ts in [&ts, &ja_ts] {
        let thread = app.slack.thread_replies("C0HELP", ts);
        assert!(!thread.is_empty(), "nudged");
    }
    assert!(
        !app.slack.posted_in("C0LEADS").is_empty(),
        "escalated to the leads' channel"
    );
    // "Say thanks" on a question that is not resolved says how to thank instead.
    let request = scalar(&app, "SELECT MIN(id) FROM help_requests").await;
    let answer = press(&app, "UASKER", "ask_thank", &request.to_string()).await;
    let answer = answer["text"].as_str().unwrap_or_default().to_owned();
    assert!(answer.contains("`/kansha @person"), "{answer}");
    replies.push(answer);

    // The Home tab: a first-use view in each language, and someone with a question.
    let mut homes = Vec::new();
    for user in ["UNEW", "UNEWJA", "UASKER", "UJA"] {
        homes.push(open_home(&app, user).await.to_string());
    }
    assert!(homes[0].contains("`/kansha @alex"), "{}", homes[0]);
    assert!(homes[1].contains("`/one-on-one add @sam"), "{}", homes[1]);
    assert!(homes[1].contains("`/tasukete #payroll"), "{}", homes[1]);
    assert_only_configured_names(&app, &replies);
}

async fn what_people_type_keeps_the_built_in_names_they_wrote(backend: Backend) {
    let app = spawn_app_with(backend, renamed(|_| {})).await;
    app.slack.add_user("UEN", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    let words = "you taught me /thanks, /bonus, /1on1 and /ask";
    let reply = app
        .command("UEN", THANKS, &format!("<@UJA> +3 {words}"))
        .await;
    assert!(reply.contains("on its way"), "{reply}");
    wait_outbox_idle(&app).await;
    let post = app
        .slack
        .posted()
        .into_iter()
        .find(|p| p.channel != "UJA" && p.text().contains("> you taught me"))
        .expect("the public post");
    assert!(
        post.text().contains(&format!("> {words}")),
        "{}",
        post.text()
    );
    let dm = posts_to(&app, "UJA")
        .into_iter()
        .map(|p| p["text"].as_str().unwrap_or_default().to_owned())
        .find(|t| t.contains("you taught me"))
        .expect("the recipient's DM");
    assert!(dm.contains(words), "{dm}");
    assert!(dm.contains("`/pb`"), "otagai's own words name /pb: {dm}");
    // A word typed after a command is quoted as typed, the command as it is called here.
    let unknown = app.command("UEN", BONUS, "/thanks").await;
    assert_eq!(unknown, "I don't know `/pb /thanks`. Try `/pb help`.");
    let unknown = app.command("UEN", ONE_ON_ONE, "/1on1").await;
    assert!(
        unknown.starts_with("I don't know `/one-on-one /1on1`."),
        "{unknown}"
    );
}
