//! `/thanks` end to end: signed slash commands in, ephemeral answers, posts and DMs through the
//! fake Slack out, and what the database holds afterwards.

use crate::both_backends;
use crate::helpers::*;
use chrono::{DateTime, Utc};
use otagai::app::{Clock, CommandRequest};
use otagai::domain::{ChannelId, Period, UserId};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

both_backends!(
    a_thanks_with_points_is_posted_in_the_channel_sent_to_each_recipient_and_paid_for,
    the_thanks_channel_setting_sends_the_post_there_instead,
    every_refusal_changes_nothing_and_answers_in_the_givers_language,
    when_slack_cannot_confirm_a_recipient_nothing_is_sent_and_the_same_request_can_be_retried,
    thanks_help_shows_usage_with_examples,
    a_thanks_costing_more_than_the_budget_left_is_refused_with_what_is_left_and_the_reset_date,
    fifty_parallel_gives_against_a_budget_for_ten_accept_exactly_ten,
    a_retried_request_has_one_effect_and_gets_the_same_answer,
    a_slow_slack_still_gets_its_ack_within_three_seconds_and_the_answer_follows_at_the_response_url,
    budget_months_and_received_points_follow_the_calendar_in_the_org_time_zone,
    twenty_concurrent_thanks_to_one_uncached_person_make_one_users_info_call,
);

/// What the refusals must leave untouched.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    thanks: i64,
    recipients: i64,
    ledger: i64,
    outbox: i64,
    /// (user, period, base, granted, spent)
    budgets: Vec<(String, String, i64, i64, i64)>,
}

pub(crate) async fn count(app: &TestApp, table: &str) -> i64 {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

pub(crate) async fn budgets(app: &TestApp) -> Vec<(String, String, i64, i64, i64)> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_as(
        "SELECT user_id, period, base, granted, spent FROM budget_periods ORDER BY user_id, period",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

/// (user, kind, points, counterparty) of every ledger row, oldest first.
pub(crate) async fn ledger(app: &TestApp) -> Vec<(String, String, i64, Option<String>)> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_as("SELECT user_id, kind, points, counterparty FROM ledger ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

pub(crate) async fn snapshot(app: &TestApp) -> Snapshot {
    Snapshot {
        thanks: count(app, "thanks").await,
        recipients: count(app, "thanks_recipients").await,
        ledger: count(app, "ledger").await,
        outbox: count(app, "outbox").await,
        budgets: budgets(app).await,
    }
}

/// The date budgets reset on, as the English replies write it.
pub(crate) fn reset_date(app: &TestApp) -> String {
    Period::containing(Utc::now(), app.settings.org.timezone)
        .resets_on()
        .format("%Y-%m-%d")
        .to_string()
}

/// Waits until the outbox has nothing pending, so every message that will be sent was sent.
pub(crate) async fn wait_outbox_idle(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (pending, _, failed) = app.outbox_counts().await;
        assert_eq!(failed, 0, "no message may fail");
        if pending == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "outbox still has {pending} pending"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every chat.postMessage Slack accepted for `channel` (a channel ID, or a user ID for a DM).
pub(crate) fn posts_to(app: &TestApp, channel: &str) -> Vec<Value> {
    app.slack
        .accepted("chat.postMessage")
        .into_iter()
        .filter(|p| p["channel"] == channel)
        .collect()
}

/// Every string under a `text` key, at any depth (Block Kit nests them).
fn block_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k == "text" => out.push(s.clone()),
                    _ => block_texts(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| block_texts(x, out)),
        _ => {}
    }
}

pub(crate) const WORKING: &str = "Working on it…";

/// Sends a command with `trigger` and returns its answer: the ephemeral reply, or, when the app
/// acknowledged first because it was slow, the reply that followed at the response_url.
pub(crate) async fn final_answer(
    app: &TestApp,
    user: &str,
    command: &str,
    text: &str,
    trigger: &str,
) -> String {
    let resp = app.command_with_trigger(user, command, text, trigger).await;
    assert_eq!(resp.status(), 200, "{command} {text}");
    let v: Value = resp.json().await.expect("JSON reply");
    let reply = v["text"].as_str().unwrap_or_default().to_owned();
    if reply != WORKING {
        return reply;
    }
    let hooks = app
        .slack
        .wait_for(&format!("hooks/{trigger}"), 1, Duration::from_secs(30))
        .await;
    hooks[0]["text"].as_str().unwrap_or_default().to_owned()
}

fn with_values() -> Options {
    Options {
        settings: Box::new(|s| s.bonus.values = vec!["teamwork".into()]),
        ..Default::default()
    }
}

async fn a_thanks_with_points_is_posted_in_the_channel_sent_to_each_recipient_and_paid_for(
    backend: Backend,
) {
    let app = spawn_app_with(backend, with_values()).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.slack.add_user("UCAROL", "ja-JP");

    let reply = app
        .thanks(
            "UGIVER",
            "<@UBOB|bob> <@UCAROL|carol> +10 reviewed my PR within the hour #teamwork",
        )
        .await;
    assert!(
        reply.contains("Your thanks to <@UBOB>, <@UCAROL> is on its way with 10 points each."),
        "{reply}"
    );
    assert!(
        reply.contains(&format!(
            "You have 380 left this month (resets on {})",
            reset_date(&app)
        )),
        "{reply}"
    );

    app.slack
        .wait_for("chat.postMessage", 3, Duration::from_secs(10))
        .await;
    wait_outbox_idle(&app).await;

    // The public post, with blocks and a plain-text fallback.
    let public = posts_to(&app, "C0GENERAL");
    assert_eq!(public.len(), 1, "{public:?}");
    let fallback = public[0]["text"].as_str().expect("a text fallback");
    for want in [
        "<@UGIVER> thanked <@UBOB>, <@UCAROL>",
        "> reviewed my PR within the hour",
        "+10 points each",
        "Values: #teamwork",
    ] {
        assert!(
            fallback.contains(want),
            "fallback lacks {want:?}: {fallback}"
        );
    }
    assert!(
        !fallback.contains("#teamwork #teamwork") && !fallback.contains("hour #teamwork"),
        "the value tag is taken out of the message: {fallback}"
    );
    let blocks = public[0]["blocks"].as_array().expect("blocks");
    assert_eq!(blocks[0]["type"], "section", "{blocks:?}");
    let mut texts = Vec::new();
    block_texts(&public[0]["blocks"], &mut texts);
    let all = texts.join("\n");
    for want in [
        "<@UGIVER> thanked <@UBOB>, <@UCAROL>",
        "> reviewed my PR within the hour",
        "+10 points each",
        "Values: #teamwork",
    ] {
        assert!(all.contains(want), "blocks lack {want:?}: {all}");
    }

    // A DM to each recipient, in their language.
    let bob = posts_to(&app, "UBOB");
    assert_eq!(bob.len(), 1, "{bob:?}");
    let bob = bob[0]["text"].as_str().unwrap();
    assert!(
        bob.contains("<@UGIVER> thanked you: reviewed my PR within the hour"),
        "{bob}"
    );
    assert!(bob.contains("You received 10 points."), "{bob}");
    let carol = posts_to(&app, "UCAROL");
    assert_eq!(carol.len(), 1, "{carol:?}");
    let carol = carol[0]["text"].as_str().unwrap();
    assert!(
        carol.contains("<@UGIVER> さんから感謝が届きました: reviewed my PR within the hour"),
        "{carol}"
    );
    assert!(carol.contains("10ポイントを受け取りました"), "{carol}");
    assert!(!carol.contains("thanked you"), "{carol}");

    // What the database holds.
    assert_eq!(count(&app, "thanks").await, 1);
    assert_eq!(count(&app, "thanks_recipients").await, 2);
    let mut conn = app.store.pool().acquire().await.unwrap();
    let (message, points_each, channel): (String, i64, Option<String>) =
        sqlx::query_as("SELECT message, points_each, channel FROM thanks")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(message, "reviewed my PR within the hour");
    assert_eq!(points_each, 10);
    assert_eq!(channel.as_deref(), Some("C0GENERAL"));
    let values: Vec<String> = sqlx::query_scalar("SELECT value FROM thanks_values")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(values, vec!["teamwork"]);
    drop(conn);
    let rows = ledger(&app).await;
    let mut rows_sorted = rows.clone();
    rows_sorted.sort();
    assert_eq!(
        rows_sorted,
        vec![
            ("UBOB".into(), "receive".into(), 10, Some("UGIVER".into())),
            ("UCAROL".into(), "receive".into(), 10, Some("UGIVER".into())),
            ("UGIVER".into(), "give".into(), -10, Some("UBOB".into())),
            ("UGIVER".into(), "give".into(), -10, Some("UCAROL".into())),
        ],
    );
    let b = budgets(&app).await;
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].0.as_str(), b[0].2, b[0].4), ("UGIVER", 400, 20));
    app.assert_ledger_consistent().await;
}

async fn the_thanks_channel_setting_sends_the_post_there_instead(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| s.thanks.channel = Some(ChannelId::parse("C0THANKS").unwrap())),
            ..Default::default()
        },
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let reply = app
        .thanks("UGIVER", "<@UBOB> +5 walked me through the billing code")
        .await;
    assert!(
        reply.contains("is on its way with 5 points each"),
        "{reply}"
    );
    app.slack
        .wait_for("chat.postMessage", 2, Duration::from_secs(10))
        .await;
    wait_outbox_idle(&app).await;
    let there = posts_to(&app, "C0THANKS");
    assert_eq!(there.len(), 1, "{there:?}");
    assert!(
        there[0]["text"]
            .as_str()
            .unwrap()
            .contains("<@UGIVER> thanked <@UBOB>")
    );
    assert!(
        posts_to(&app, "C0GENERAL").is_empty(),
        "nothing is posted where /thanks was typed"
    );
    assert_eq!(posts_to(&app, "UBOB").len(), 1, "the DM still goes out");
    let mut conn = app.store.pool().acquire().await.unwrap();
    let channel: Option<String> = sqlx::query_scalar("SELECT channel FROM thanks")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(channel.as_deref(), Some("C0THANKS"));
}

async fn every_refusal_changes_nothing_and_answers_in_the_givers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    app.slack.add_bot("UBOT");
    app.slack.add_deactivated("UGONE");
    // UNOBODY is not in the workspace.

    // Something already recorded, so "nothing changed" is not about empty tables.
    let ok = app
        .thanks("UGIVER", "<@UBOB> +10 reviewed my PR within the hour")
        .await;
    assert!(ok.contains("is on its way"), "{ok}");
    let before = snapshot(&app).await;
    assert_eq!(before.thanks, 1);

    let too_many: String = (1..=21)
        .map(|i| format!("<@UR{i:02}>"))
        .collect::<Vec<_>>()
        .join(" ");
    let too_many = format!("{too_many} thanks for the offsite planning");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "self",
            "<@UGIVER> +10 thanks to me for the refactor".into(),
            "Thanking yourself doesn't count",
        ),
        (
            "self among others",
            "<@UBOB> <@UGIVER> thanks to us for the refactor".into(),
            "Thanking yourself doesn't count",
        ),
        (
            "bot",
            "<@UBOT> thanks for deploying all day".into(),
            "<@UBOT> is a bot. Thanks are for people.",
        ),
        (
            "deactivated",
            "<@UGONE> +10 thanks for everything over the years".into(),
            "<@UGONE> has been deactivated in Slack, so they can't receive thanks.",
        ),
        (
            "unknown",
            "<@UNOBODY> thanks for the help yesterday".into(),
            "I couldn't find <@UNOBODY> in this workspace.",
        ),
        (
            "zero points",
            "<@UBOB> +0 reviewed my PR within the hour".into(),
            "Points must be a whole number from 1 to 120 per person.",
        ),
        (
            "over the maximum",
            "<@UBOB> +121 reviewed my PR within the hour".into(),
            "Points must be a whole number from 1 to 120 per person.",
        ),
        (
            "fractional points",
            "<@UBOB> +1.5 reviewed my PR within the hour".into(),
            "`+1.5` isn't a number of points. Use a whole number from 1 to 120",
        ),
        (
            "points but no message",
            "<@UBOB> +10".into(),
            "Please add a message that says what they did",
        ),
        (
            "no message at all",
            "<@UBOB>".into(),
            "Please add a message that says what they did",
        ),
        (
            "short message with points",
            "<@UBOB> +10 thanks!".into(),
            "Thanks with points need a message of at least 10 characters (yours has 7)",
        ),
        (
            "short message once its mention is shown as a name",
            "<@UBOB> +10 thx to <@UCAROL>".into(),
            "at least 10 characters (yours has 8)",
        ),
        (
            "plain @name",
            "@bob thanks for the review".into(),
            "I can't tell who @bob is when it is typed as plain text",
        ),
        (
            "user group",
            "<!subteam^S0DEVS|@devs> thanks for the release".into(),
            "User groups can't be thanked as a whole",
        ),
        (
            "too many recipients",
            too_many,
            "One thanks can name at most 20 people.",
        ),
    ];
    for (what, text, want) in &cases {
        let reply = app.thanks("UGIVER", text).await;
        assert!(reply.contains(want), "{what}: {reply}");
        assert!(
            !reply.contains("on its way"),
            "{what}: refused, yet: {reply}"
        );
        assert_eq!(snapshot(&app).await, before, "{what} changed something");
    }

    // In the giver's language.
    let ja = app.thanks("UJA", "<@UJA> ありがとう").await;
    assert!(ja.contains("自分自身には感謝を贈れません"), "{ja}");
    let ja = app.thanks("UJA", "<@UBOB> +10 ありがとう").await;
    assert!(
        ja.contains("メッセージを10文字以上にしてください(現在5文字)"),
        "{ja}"
    );
    let ja = app.thanks("UJA", "<@UBOT> デプロイありがとう").await;
    assert!(ja.contains("<@UBOT> はボットです"), "{ja}");
    assert_eq!(
        snapshot(&app).await,
        before,
        "a Japanese refusal changed something"
    );

    // The same short message without points is a fine thanks.
    let ok = app.thanks("UGIVER", "<@UBOB> thanks!").await;
    assert!(ok.contains("Your thanks to <@UBOB> is on its way."), "{ok}");
    let after = snapshot(&app).await;
    assert_eq!(after.thanks, before.thanks + 1);
    assert_eq!(after.ledger, before.ledger, "no points, no ledger rows");
    assert_eq!(after.budgets, before.budgets, "no points, no debit");
    app.assert_ledger_consistent().await;
}

async fn when_slack_cannot_confirm_a_recipient_nothing_is_sent_and_the_same_request_can_be_retried(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    // The giver is known already; Bob is not, and Slack fails when asked about him.
    app.command("UGIVER", "/bonus", "").await;
    app.slack
        .script("users.info", crate::fake_slack::Scripted::ServerError);
    let before = snapshot(&app).await;
    let text = "<@UBOB> +10 reviewed my PR within the hour";
    let reply = final_answer(&app, "UGIVER", "/thanks", text, "trig-flaky").await;
    assert!(
        reply.contains("I couldn't check the recipients with Slack just now, so nothing was sent."),
        "{reply}"
    );
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(
        app.slack.calls("users.info").len(),
        2,
        "giver once, Bob once"
    );

    let reply = final_answer(&app, "UGIVER", "/thanks", text, "trig-flaky").await;
    assert!(
        reply.contains("Your thanks to <@UBOB> is on its way with 10 points each"),
        "{reply}"
    );
    assert_eq!(count(&app, "thanks").await, 1);
    app.assert_ledger_consistent().await;
}

async fn thanks_help_shows_usage_with_examples(backend: Backend) {
    let app = spawn_app_with(backend, with_values()).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    // `/thanks` alone opens the form (tests/api/thanks_form.rs).
    for text in ["help", "  HELP "] {
        let reply = app.thanks("UGIVER", text).await;
        for want in [
            "*Saying thanks with /thanks*",
            "`/thanks @someone what exactly they did`",
            "`/thanks @someone @another +10 what exactly they did #value`",
            "(120 at most each)",
            "Example: `/thanks @alex +10 your review caught the bug before the release #teamwork`",
            "Company values you can tag: #teamwork",
        ] {
            assert!(reply.contains(want), "{text:?} lacks {want:?}: {reply}");
        }
    }
    let ja = app.thanks("UJA", "help").await;
    assert!(ja.contains("*/thanks で感謝を伝える*"), "{ja}");
    // Usage lines in the reader's language: keywords as typed, placeholders in Japanese.
    assert!(
        ja.contains("`/thanks @相手 @別の人 +10 具体的にしてくれたこと #バリュー`"),
        "{ja}"
    );
    assert_eq!(count(&app, "thanks").await, 0);
    assert_eq!(count(&app, "outbox").await, 0);
}

async fn a_thanks_costing_more_than_the_budget_left_is_refused_with_what_is_left_and_the_reset_date(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    for u in ["UGIVER", "UA", "UB", "UC", "UD"] {
        app.slack.add_user(u, "en-US");
    }
    let resets = reset_date(&app);

    // The cost is points × recipients: 120 × 4 = 480 > 400.
    let before = snapshot(&app).await;
    let reply = app
        .thanks(
            "UGIVER",
            "<@UA> <@UB> <@UC> <@UD> +120 carried the whole launch week",
        )
        .await;
    assert!(
        reply.contains("That thanks costs 480 points and you have 400 left this month."),
        "{reply}"
    );
    assert!(
        reply.contains(&format!("Your budget resets on {resets}.")),
        "{reply}"
    );
    assert!(
        reply.contains("Give fewer points, or thank without points."),
        "{reply}"
    );
    assert_eq!(snapshot(&app).await, before);

    // 100 × 3 = 300 fits.
    let reply = app
        .thanks(
            "UGIVER",
            "<@UA> <@UB> <@UC> +100 carried the whole launch week",
        )
        .await;
    assert!(reply.contains("You have 100 left this month"), "{reply}");

    // 60 × 2 = 120 > 100.
    let before = snapshot(&app).await;
    let reply = app
        .thanks("UGIVER", "<@UA> <@UB> +60 answered every pager alert")
        .await;
    assert!(
        reply.contains("That thanks costs 120 points and you have 100 left this month."),
        "{reply}"
    );
    assert!(
        reply.contains(&format!("Your budget resets on {resets}.")),
        "{reply}"
    );
    assert_eq!(snapshot(&app).await, before);

    // Exactly what is left fits; then even 1 point does not, but a thanks without points does.
    let reply = app
        .thanks("UGIVER", "<@UD> +100 answered every pager alert")
        .await;
    assert!(reply.contains("You have 0 left this month"), "{reply}");
    let before = snapshot(&app).await;
    let reply = app
        .thanks("UGIVER", "<@UA> +1 brought snacks to the retro")
        .await;
    assert!(
        reply.contains("That thanks costs 1 point and you have 0 left this month."),
        "{reply}"
    );
    assert_eq!(snapshot(&app).await, before);
    let reply = app
        .thanks("UGIVER", "<@UA> brought snacks to the retro")
        .await;
    assert!(
        reply.contains("Your thanks to <@UA> is on its way."),
        "{reply}"
    );

    // In the giver's language, with the date as they write it.
    app.slack.add_user("UJA", "ja-JP");
    let before = snapshot(&app).await;
    let reply = app
        .thanks(
            "UJA",
            "<@UA> <@UB> <@UC> <@UD> +101 リリース週をずっと支えてくれました",
        )
        .await;
    let ja_resets = Period::containing(Utc::now(), app.settings.org.timezone).resets_on();
    let ja_resets = format!(
        "{}月{}日",
        chrono::Datelike::month(&ja_resets),
        chrono::Datelike::day(&ja_resets)
    );
    assert!(
        reply.contains(&format!(
            "この感謝には404ポイントが必要ですが、今月の残りは400ポイントです。{ja_resets}にリセットされます。"
        )),
        "{reply}"
    );
    assert_eq!(snapshot(&app).await, before);

    let b = budgets(&app).await;
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].2, b[0].4), (400, 400), "base and spent: {b:?}");
    let gives: i64 = ledger(&app)
        .await
        .iter()
        .filter(|r| r.1 == "give")
        .map(|r| r.2)
        .sum();
    assert_eq!(gives, -400);
    app.assert_ledger_consistent().await;
}

async fn fifty_parallel_gives_against_a_budget_for_ten_accept_exactly_ten(backend: Backend) {
    let app = Arc::new(spawn_app(backend).await);
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    // Both people looked up once, as after any earlier use; the race is about the budget.
    app.command("UGIVER", "/bonus", "").await;
    app.command("UBOB", "/bonus", "").await;

    let mut set = tokio::task::JoinSet::new();
    for i in 0..50 {
        let app = app.clone();
        set.spawn(async move {
            final_answer(
                &app,
                "UGIVER",
                "/thanks",
                "<@UBOB> +40 kept the on-call rotation afloat",
                &format!("trig-race-{i}"),
            )
            .await
        });
    }
    let mut accepted = 0;
    let mut refused = 0;
    while let Some(answer) = set.join_next().await {
        let answer = answer.expect("request task");
        if answer.contains("is on its way with 40 points each") {
            accepted += 1;
        } else if answer.contains("That thanks costs 40 points and you have 0 left") {
            refused += 1;
        } else {
            panic!("unexpected answer: {answer}");
        }
    }
    assert_eq!((accepted, refused), (10, 40));

    let b = budgets(&app).await;
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!((b[0].0.as_str(), b[0].2, b[0].4), ("UGIVER", 400, 400));
    let rows = ledger(&app).await;
    assert_eq!(rows.iter().filter(|r| r.1 == "give").count(), 10);
    assert_eq!(rows.iter().filter(|r| r.1 == "receive").count(), 10);
    assert_eq!(rows.len(), 20);
    assert_eq!(count(&app, "thanks").await, 10);
    app.assert_ledger_consistent().await;
    let reply = app.command("UBOB", "/bonus", "").await;
    assert!(reply.contains("Received this month: 400"), "{reply}");
}

async fn a_retried_request_has_one_effect_and_gets_the_same_answer(backend: Backend) {
    let app = Arc::new(spawn_app(backend).await);
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let text = "<@UBOB> +10 reviewed my PR within the hour";

    // One after the other.
    let first = final_answer(&app, "UGIVER", "/thanks", text, "trig-again").await;
    let second = final_answer(&app, "UGIVER", "/thanks", text, "trig-again").await;
    assert!(first.contains("You have 390 left"), "{first}");
    assert_eq!(first, second);

    // Both at once.
    let (a, b) = tokio::join!(
        final_answer(&app, "UGIVER", "/thanks", text, "trig-twice"),
        final_answer(&app, "UGIVER", "/thanks", text, "trig-twice"),
    );
    assert!(a.contains("You have 380 left"), "{a}");
    assert_eq!(a, b);

    wait_outbox_idle(&app).await;
    assert_eq!(count(&app, "thanks").await, 2, "one thanks per request");
    let b = budgets(&app).await;
    assert_eq!(b[0].4, 20, "one debit per request: {b:?}");
    assert_eq!(ledger(&app).await.len(), 4);
    assert_eq!(posts_to(&app, "C0GENERAL").len(), 2, "one post per request");
    assert_eq!(posts_to(&app, "UBOB").len(), 2, "one DM per request");
    app.assert_ledger_consistent().await;
}

async fn a_slow_slack_still_gets_its_ack_within_three_seconds_and_the_answer_follows_at_the_response_url(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.slack.slow_users_info(Duration::from_secs(4));

    let started = Instant::now();
    let resp = app
        .command_with_trigger(
            "UGIVER",
            "/thanks",
            "<@UBOB> +10 reviewed my PR within the hour",
            "trig-slow",
        )
        .await;
    let elapsed = started.elapsed();
    assert_eq!(resp.status(), 200);
    assert!(
        elapsed < Duration::from_secs(3),
        "Slack needs its ack within 3 s; took {elapsed:?}"
    );
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["response_type"], "ephemeral");
    assert_eq!(v["text"], WORKING);

    let late = app
        .slack
        .wait_for("hooks/trig-slow", 1, Duration::from_secs(30))
        .await;
    let text = late[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Your thanks to <@UBOB> is on its way with 10 points each"),
        "{late:?}"
    );
    wait_outbox_idle(&app).await;
    assert_eq!(app.slack.calls("hooks/trig-slow").len(), 1);
    assert_eq!(count(&app, "thanks").await, 1);
    assert_eq!(budgets(&app).await[0].4, 10);
    assert_eq!(posts_to(&app, "C0GENERAL").len(), 1);
    app.assert_ledger_consistent().await;
}

struct FixedClock(DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The server's clock is the system's, so the month boundary is crossed by calling the same
/// use-case the route calls with a clock set to either side of it.
async fn at(app: &TestApp, now: &str, user: &str, command: &str, text: &str) -> String {
    let mut a = app.app.clone();
    a.clock = Arc::new(FixedClock(utc(now)));
    a.handle_command(CommandRequest {
        user: UserId::parse(user).unwrap(),
        channel: Some(ChannelId::parse("C0GENERAL").unwrap()),
        command: command.into(),
        text: text.into(),
        request_key: format!("trig-{}", uuid::Uuid::new_v4().simple()),
        response_url: None,
        team_domain: None,
    })
    .await
    .text
}

async fn budget_months_and_received_points_follow_the_calendar_in_the_org_time_zone(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    assert_eq!(app.settings.org.timezone, chrono_tz::Asia::Tokyo);
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");

    // 23:30 on 30 November in Tokyo.
    let r = at(
        &app,
        "2030-11-30T14:30:00Z",
        "UGIVER",
        "/thanks",
        "<@UBOB> +30 stayed late to fix the release",
    )
    .await;
    assert!(
        r.contains("You have 370 left this month (resets on 2030-12-01)"),
        "{r}"
    );
    // 00:30 on 1 December in Tokyo, still November in UTC: a new month and a fresh budget.
    let r = at(
        &app,
        "2030-11-30T15:30:00Z",
        "UGIVER",
        "/thanks",
        "<@UBOB> +50 came in early to verify the release",
    )
    .await;
    assert!(
        r.contains("You have 350 left this month (resets on 2031-01-01)"),
        "{r}"
    );

    let r = at(&app, "2030-12-10T00:00:00Z", "UBOB", "/bonus", "").await;
    assert!(r.contains("Received this month: 50 · all time: 80"), "{r}");
    let r = at(&app, "2030-11-30T14:45:00Z", "UBOB", "/bonus", "").await;
    assert!(r.contains("Received this month: 30 · all time: 80"), "{r}");
    let r = at(&app, "2030-12-10T00:00:00Z", "UGIVER", "/bonus", "").await;
    assert!(
        r.contains("Budget left this month: 350 of 400 (resets on 2031-01-01)"),
        "{r}"
    );

    let mut conn = app.store.pool().acquire().await.unwrap();
    let periods: Vec<(String, i64)> =
        sqlx::query_as("SELECT period, points FROM ledger WHERE user_id = 'UBOB' ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        periods,
        vec![("2030-11".into(), 30), ("2030-12".into(), 50)]
    );
    drop(conn);
    let b = budgets(&app).await;
    assert_eq!(
        b,
        vec![
            ("UGIVER".into(), "2030-11".into(), 400, 0, 30),
            ("UGIVER".into(), "2030-12".into(), 400, 0, 50),
        ]
    );

    // Through Slack, today: nothing received this month yet, 80 in all; then 10 more.
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(r.contains("Received this month: 0 · all time: 80"), "{r}");
    let r = app
        .thanks("UGIVER", "<@UBOB> +10 reviewed my PR within the hour")
        .await;
    assert!(r.contains("You have 390 left this month"), "{r}");
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(r.contains("Received this month: 10 · all time: 90"), "{r}");
    app.assert_ledger_consistent().await;
}

async fn twenty_concurrent_thanks_to_one_uncached_person_make_one_users_info_call(
    backend: Backend,
) {
    let app = Arc::new(spawn_app(backend).await);
    for i in 0..20 {
        app.slack.add_user(&format!("UGIVER{i:02}"), "en-US");
    }
    app.slack.add_user("UNEWCOMER", "en-US");
    // A slow users.info, so the twenty lookups are surely on their way at the same time.
    app.slack.slow_users_info(Duration::from_millis(300));

    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let app = app.clone();
        set.spawn(async move {
            final_answer(
                &app,
                &format!("UGIVER{i:02}"),
                "/thanks",
                "<@UNEWCOMER> +1 welcome aboard",
                &format!("trig-newcomer-{i}"),
            )
            .await
        });
    }
    while let Some(answer) = set.join_next().await {
        let answer = answer.expect("request task");
        assert!(answer.contains("is on its way"), "{answer}");
    }
    let asked: Vec<_> = app
        .slack
        .calls("users.info")
        .into_iter()
        .filter(|c| c.body["user"] == "UNEWCOMER")
        .collect();
    assert_eq!(
        asked.len(),
        1,
        "users.info calls for the newcomer: {asked:?}"
    );
}
