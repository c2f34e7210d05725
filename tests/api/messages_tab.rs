//! The Messages tab and configured command names: a DM to the bot gets one answer per event in
//! the person's language; `/kansha` instead of `/thanks`; help in the reader's language.

use crate::both_backends;
use crate::helpers::{Backend, Options, spawn_app_with};
use otagai::commands::CommandNames;
use std::time::Duration;

fn dm(user: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "message",
        "channel": "D0BOTDM",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": crate::helpers::fresh_ts(),
        "event_ts": crate::helpers::fresh_ts(),
    })
}

async fn a_dm_help_is_answered_once_in_the_persons_language_and_the_bots_own_dms_are_ignored(
    backend: Backend,
) {
    let app = spawn_app_with(backend, Options::default()).await;
    app.slack.add_user("UJA", "ja-JP");
    let id = "EvDMHELP1";
    let r = app.event_with_id(id, dm("UJA", "help"), None).await;
    assert_eq!(r.status(), 200);
    // Slack's retry of the same event.
    let r = app.event_with_id(id, dm("UJA", "help"), Some(1)).await;
    assert_eq!(r.status(), 200);
    let posts = app
        .slack
        .wait_posts_in("UJA", 1, Duration::from_secs(5))
        .await;
    assert_eq!(posts.len(), 1);
    let text = posts[0].text();
    assert!(text.contains("otagai でできること"), "{text}");
    assert!(text.contains("`/thanks @alex"), "{text}");

    // The bot's own DM (bot_id), one by the bot user itself, and an edit: no answer.
    let mut own = dm("UJA", "help");
    own["bot_id"] = "B0OTAGAI".into();
    app.event(own).await;
    app.event(dm("UOTAGAIBOT", "help")).await;
    let mut edit = dm("UJA", "help");
    edit["subtype"] = "message_changed".into();
    app.event(edit).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(app.slack.posts_in("UJA").len(), 1);
    assert!(app.slack.posts_in("UOTAGAIBOT").is_empty());
}

async fn a_dm_with_a_commands_text_says_to_type_it_as_the_command(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.commands = CommandNames::parse(["/kansha", "/bonus", "/1on1", "/ask"]).unwrap();
            }),
            ..Options::default()
        },
    )
    .await;
    app.slack.add_user("UEN", "en-US");
    app.event(dm("UEN", "kansha <@UBOB> for the review")).await;
    let posts = app
        .slack
        .wait_posts_in("UEN", 1, Duration::from_secs(5))
        .await;
    let text = posts[0].text();
    assert!(text.contains("`/kansha <@UBOB> for the review`"), "{text}");
    app.event(dm("UEN", "1on1 frobnicate")).await;
    let posts = app
        .slack
        .wait_posts_in("UEN", 2, Duration::from_secs(5))
        .await;
    assert!(
        posts[1].text().contains("`/1on1 help`"),
        "{}",
        posts[1].text()
    );
    // Nothing was run: no thanks was posted anywhere.
    assert_eq!(app.slack.posted().len(), 2);
}

async fn configured_command_names_are_answered_and_the_built_in_ones_are_not(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.commands = CommandNames::parse(["/kansha", "/points", "/1on1", "/ask"]).unwrap();
            }),
            ..Options::default()
        },
    )
    .await;
    app.slack.add_user("UA", "en-US");
    let help = app.command("UA", "/kansha", "help").await;
    assert!(
        help.contains("`/kansha @someone what exactly they did`"),
        "{help}"
    );
    assert!(!help.contains("/thanks"), "{help}");
    let unknown = app.command("UA", "/thanks", "<@UB> hi").await;
    assert!(unknown.contains("/thanks"), "{unknown}");
    assert!(!unknown.contains("on its way"), "{unknown}");
    let bonus = app.command("UA", "/points", "frobnicate").await;
    assert!(bonus.contains("`/points help`"), "{bonus}");
}

async fn japanese_help_has_no_english_placeholder(backend: Backend) {
    let app = spawn_app_with(backend, Options::default()).await;
    app.slack.add_user("UJA", "ja-JP");
    for (command, text) in [
        ("/thanks", "help"),
        ("/bonus", "help"),
        ("/1on1", "help"),
        ("/ask", "help"),
    ] {
        let help = app.command("UJA", command, text).await;
        for (english, _) in otagai::commands::PLACEHOLDERS {
            assert!(
                !help.contains(english),
                "`{english}` in {command} help: {help}"
            );
        }
    }
    let thanks = app.command("UJA", "/thanks", "help").await;
    assert!(
        thanks.contains("`/thanks @相手 具体的にしてくれたこと`"),
        "{thanks}"
    );
}

both_backends!(
    a_dm_help_is_answered_once_in_the_persons_language_and_the_bots_own_dms_are_ignored,
    a_dm_with_a_commands_text_says_to_type_it_as_the_command,
    configured_command_names_are_answered_and_the_built_in_ones_are_not,
    japanese_help_has_no_english_placeholder,
);
