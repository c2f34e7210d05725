//! The thanks form end to end: opened by `/thanks` alone, the global shortcut, the message
//! shortcut and the Home tab's button; submitted as Slack does (`view_submission`), refused
//! field by field with nothing changed, recorded once per view however often it is sent, and
//! every view otagai opens kept within Block Kit's limits.

use crate::both_backends;
use crate::helpers::*;
use crate::thanks::{budgets, count, ledger, wait_outbox_idle};
use otagai::domain::{ChannelId, UserId};
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    thanks_alone_opens_the_form_and_help_stays_reachable,
    the_global_shortcut_opens_the_form_asking_where_to_post_when_no_thanks_channel_is_set,
    the_message_shortcut_preselects_the_author_and_links_the_message_in_the_post,
    the_home_tabs_button_opens_the_form,
    a_thanks_from_the_form_typed_in_a_channel_is_posted_there_and_paid_for,
    every_refusal_of_the_form_is_an_error_on_its_field_and_changes_nothing,
    a_form_submitted_twice_gives_one_thanks_and_debits_the_budget_once,
);

const WAIT: Duration = Duration::from_secs(15);

async fn form_app(backend: Backend, thanks_channel: Option<&str>) -> TestApp {
    let channel = thanks_channel.map(|c| ChannelId::parse(c).unwrap());
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(move |s| {
                s.bonus.values = vec!["teamwork".into(), "ownership".into()];
                s.bonus.monthly_budget = 100;
                s.thanks.channel = channel;
                s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()];
            }),
            ..Options::default()
        },
    )
    .await;
    for u in ["UGIVER", "UBOB", "UCAROL", "UADMIN"] {
        app.slack.add_user(u, "en-US");
    }
    app.slack.add_user("UJA", "ja-JP");
    app.slack.add_bot("UBOT");
    app
}

/// The view of a views.open / views.publish call (slack-morphism may send it as a string).
pub(crate) fn view_of(call: &Value) -> Value {
    match &call["view"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    }
}

fn block<'a>(view: &'a Value, block_id: &str) -> Option<&'a Value> {
    view["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["block_id"] == block_id))
}

/// Checks every view otagai opened or published against Block Kit's limits: at most 100
/// blocks, a title of at most 24 characters, labels, hints and texts within their limits, and
/// `private_metadata` of at most 3,000 characters. Returns how many views it checked.
pub(crate) fn assert_views_within_limits(app: &TestApp) -> usize {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut checked = 0;
    for method in ["views.open", "views.publish"] {
        for call in app.slack.accepted(method) {
            let view = view_of(&call);
            let blocks = view["blocks"].as_array().expect("blocks");
            assert!(blocks.len() <= 100, "{method}: {} blocks", blocks.len());
            assert!(
                chars(&view["private_metadata"]) <= 3000,
                "{method}: metadata"
            );
            if view["type"] == "modal" {
                for key in ["title", "submit", "close"] {
                    let n = chars(&view[key]["text"]);
                    assert!(n <= 24, "{method}: {key} is {n} characters: {view}");
                }
            }
            for b in blocks {
                assert!(chars(&b["block_id"]) <= 255, "{b}");
                if b["type"] == "input" {
                    assert!(chars(&b["label"]["text"]) <= 2000, "{b}");
                    assert!(chars(&b["hint"]["text"]) <= 2000, "{b}");
                }
                if b["type"] == "section" {
                    assert!(chars(&b["text"]["text"]) <= 3000, "{b}");
                }
                if b["type"] == "header" {
                    assert!(chars(&b["text"]["text"]) <= 150, "{b}");
                }
                if b["type"] == "actions" {
                    assert!(b["elements"].as_array().unwrap().len() <= 25, "{b}");
                }
            }
            checked += 1;
        }
    }
    checked
}

/// The form's `state.values` as Slack sends them.
fn form_values(
    recipients: &[&str],
    message: &str,
    points: &str,
    values: &[&str],
    channel: Option<&str>,
) -> Value {
    let points = if points.is_empty() {
        Value::Null
    } else {
        json!(points)
    };
    let options: Vec<Value> = values
        .iter()
        .map(|v| json!({ "text": { "type": "plain_text", "text": format!("#{v}") }, "value": v }))
        .collect();
    json!({
        "recipients": { "recipients": { "type": "multi_users_select", "selected_users": recipients } },
        "message": { "message": { "type": "plain_text_input", "value": message } },
        "points": { "points": { "type": "plain_text_input", "value": points } },
        "values": { "values": { "type": "multi_static_select", "selected_options": options } },
        "channel": { "channel": { "type": "conversations_select", "selected_conversation": channel } },
    })
}

/// Submits the form opened by `open` (a views.open call) as `user` with `view_id`; the answer
/// as JSON (`Null` for an empty 200).
async fn submit(app: &TestApp, user: &str, open: &Value, values: Value, view_id: &str) -> Value {
    let view = view_of(open);
    let metadata = view["private_metadata"].as_str().unwrap_or_default();
    let resp = app
        .submit_view_with_id(user, "thanks_form", metadata, values, view_id)
        .await;
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&body).unwrap()
    }
}

/// Opens the form with `/thanks` typed in `channel` by `user`; returns the views.open call.
async fn open_by_command(app: &TestApp, user: &str, channel: &str) -> Value {
    let before = app.slack.accepted("views.open").len();
    let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
    let body = command_body(
        user,
        "/thanks",
        "",
        &trigger,
        &app.slack.response_url(&trigger),
    );
    assert_eq!(channel, "C0GENERAL", "command_body types in C0GENERAL");
    let resp = app
        .post_signed("/slack/commands", "application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(resp.status(), 200);
    let calls = app.slack.wait_for("views.open", before + 1, WAIT).await;
    let call = calls[before].clone();
    assert_eq!(call["trigger_id"], trigger.as_str());
    call
}

async fn shortcut(app: &TestApp, payload: Value) -> Value {
    let before = app.slack.accepted("views.open").len();
    let resp = app.interaction(payload).await;
    assert_eq!(resp.status(), 200);
    let calls = app.slack.wait_for("views.open", before + 1, WAIT).await;
    calls[before].clone()
}

fn global_shortcut(user: &str) -> Value {
    json!({
        "type": "shortcut",
        "token": "legacy-verification-token",
        "action_ts": "1700000001.000200",
        "team": { "id": "T0TEST", "domain": "otagai-test" },
        "user": { "id": user, "username": user.to_lowercase(), "team_id": "T0TEST" },
        "is_enterprise_install": false,
        "callback_id": "thanks_global",
        "trigger_id": format!("trig-{}", uuid::Uuid::new_v4().simple()),
    })
}

fn message_shortcut(user: &str, author: &str, channel: &str, ts: &str) -> Value {
    json!({
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": "1700000001.000200",
        "team": { "id": "T0TEST", "domain": "otagai-test" },
        "user": { "id": user, "name": user.to_lowercase(), "team_id": "T0TEST" },
        "channel": { "id": channel, "name": "general" },
        "is_enterprise_install": false,
        "callback_id": "thanks_message",
        "trigger_id": format!("trig-{}", uuid::Uuid::new_v4().simple()),
        "response_url": "https://hooks.slack.com/app/T0TEST/1/abc",
        "message_ts": ts,
        "message": { "type": "message", "user": author, "ts": ts, "text": "I fixed the build <!channel>" },
    })
}

async fn thanks_alone_opens_the_form_and_help_stays_reachable(backend: Backend) {
    let app = form_app(backend, None).await;
    let call = open_by_command(&app, "UGIVER", "C0GENERAL").await;
    let view = view_of(&call);
    assert_eq!(view["type"], "modal");
    assert_eq!(view["callback_id"], "thanks_form");
    let people = &block(&view, "recipients").expect("people")["element"];
    assert_eq!(people["type"], "multi_users_select");
    let message = block(&view, "message").expect("message");
    assert_eq!(message["element"]["multiline"], true);
    assert!(
        message["hint"]["text"]
            .as_str()
            .unwrap()
            .contains("specific")
    );
    let points = block(&view, "points").expect("points");
    assert_eq!(points["optional"], true);
    let hint = points["hint"]["text"].as_str().unwrap();
    assert!(hint.contains("100 left"), "the budget left: {hint}");
    let values = block(&view, "values").expect("values, configured");
    let options: Vec<&str> = values["element"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(options, ["teamwork", "ownership"]);
    // Typed in a channel: the thanks goes there, so the form does not ask.
    assert!(block(&view, "channel").is_none(), "{view}");

    // In Japanese for a Japanese speaker.
    let ja = view_of(&open_by_command(&app, "UJA", "C0GENERAL").await);
    assert_eq!(ja["title"]["text"], "感謝を伝える");

    let help = app.thanks("UGIVER", "help").await;
    assert!(help.contains("/thanks @someone"), "{help}");
    assert_eq!(assert_views_within_limits(&app), 2);
}

async fn the_global_shortcut_opens_the_form_asking_where_to_post_when_no_thanks_channel_is_set(
    backend: Backend,
) {
    let app = form_app(backend, None).await;
    let open = shortcut(&app, global_shortcut("UGIVER")).await;
    let view = view_of(&open);
    let channel = block(&view, "channel").expect("a channel to pick");
    assert_eq!(channel["element"]["type"], "conversations_select");
    // Without a pick: an error on that field.
    let answer = submit(
        &app,
        "UGIVER",
        &open,
        form_values(
            &["UBOB"],
            "You unblocked the release, thank you!",
            "",
            &[],
            None,
        ),
        "VGLOBAL1",
    )
    .await;
    assert_eq!(answer["response_action"], "errors", "{answer}");
    assert!(answer["errors"]["channel"].is_string(), "{answer}");
    let answer = submit(
        &app,
        "UGIVER",
        &open,
        form_values(
            &["UBOB"],
            "You unblocked the release, thank you!",
            "",
            &[],
            Some("C0PICKED"),
        ),
        "VGLOBAL1",
    )
    .await;
    assert!(answer.is_null(), "{answer}");
    let post = app.slack.wait_posts_in("C0PICKED", 1, WAIT).await;
    assert!(
        post[0].text().contains("You unblocked the release"),
        "{:?}",
        post[0]
    );

    // With a thanks channel the form does not ask, and the thanks goes there.
    let app = form_app(backend_of(&app), Some("C0THANKS")).await;
    let open = shortcut(&app, global_shortcut("UGIVER")).await;
    assert!(block(&view_of(&open), "channel").is_none());
    let answer = submit(
        &app,
        "UGIVER",
        &open,
        form_values(
            &["UBOB"],
            "You unblocked the release, thank you!",
            "5",
            &["teamwork"],
            None,
        ),
        "VGLOBAL2",
    )
    .await;
    assert!(answer.is_null(), "{answer}");
    let post = app.slack.wait_posts_in("C0THANKS", 1, WAIT).await;
    let said = post[0].body.to_string();
    assert!(said.contains("#teamwork"), "{said}");
    assert_views_within_limits(&app);
}

fn backend_of(app: &TestApp) -> Backend {
    if app.db.url.starts_with("postgres") {
        Backend::postgres().expect("postgres")
    } else {
        Backend::Sqlite
    }
}

async fn the_message_shortcut_preselects_the_author_and_links_the_message_in_the_post(
    backend: Backend,
) {
    let app = form_app(backend, Some("C0THANKS")).await;
    let open = shortcut(
        &app,
        message_shortcut("UGIVER", "UBOB", "C0DEV", "1700000123.000400"),
    )
    .await;
    let view = view_of(&open);
    let initial = &block(&view, "recipients").unwrap()["element"]["initial_users"];
    assert_eq!(initial, &json!(["UBOB"]));
    let link = "https://otagai-test.slack.com/archives/C0DEV/p1700000123000400";
    assert!(view.to_string().contains(link), "{view}");
    let answer = submit(
        &app,
        "UGIVER",
        &open,
        form_values(
            &["UBOB"],
            "Thanks for fixing the build so fast!",
            "10",
            &[],
            None,
        ),
        "VMSG1",
    )
    .await;
    assert!(answer.is_null(), "{answer}");
    let post = app.slack.wait_posts_in("C0THANKS", 1, WAIT).await;
    let said = post[0].body.to_string();
    assert!(said.contains(link), "the message is linked: {said}");
    // The giver is not preselected for their own message.
    let own = shortcut(
        &app,
        message_shortcut("UGIVER", "UGIVER", "C0DEV", "1700000124.000400"),
    )
    .await;
    assert!(
        block(&view_of(&own), "recipients").unwrap()["element"]["initial_users"].is_null(),
        "{own}"
    );
    assert_views_within_limits(&app);
}

async fn the_home_tabs_button_opens_the_form(backend: Backend) {
    let app = form_app(backend, Some("C0THANKS")).await;
    let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_with_trigger(
            "UGIVER",
            "thanks_open",
            "form",
            "D0HOME",
            "1700000000.000100",
            &app.slack.response_url("home"),
            &trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let calls = app.slack.wait_for("views.open", 1, WAIT).await;
    assert_eq!(calls[0]["trigger_id"], trigger.as_str());
    assert_eq!(view_of(&calls[0])["callback_id"], "thanks_form");
    assert_views_within_limits(&app);
}

async fn a_thanks_from_the_form_typed_in_a_channel_is_posted_there_and_paid_for(backend: Backend) {
    let app = form_app(backend, None).await;
    let open = open_by_command(&app, "UGIVER", "C0GENERAL").await;
    let answer = submit(
        &app,
        "UGIVER",
        &open,
        form_values(
            &["UBOB", "UCAROL"],
            "Your review caught the bug before the release",
            "10",
            &["teamwork"],
            None,
        ),
        "VCMD1",
    )
    .await;
    assert!(answer.is_null(), "{answer}");
    let post = app.slack.wait_posts_in("C0GENERAL", 1, WAIT).await;
    assert!(post[0].text().contains("<@UBOB>"), "{:?}", post[0]);
    for u in ["UBOB", "UCAROL", "UGIVER"] {
        app.slack
            .wait_until(WAIT, &format!("the DM to {u}"), || {
                (!app.slack.posts_in(u).is_empty()).then_some(())
            })
            .await;
    }
    wait_outbox_idle(&app).await;
    let b = budgets(&app).await;
    assert_eq!(b.iter().find(|r| r.0 == "UGIVER").unwrap().4, 20, "{b:?}");
    assert_eq!(ledger(&app).await.len(), 4);
    app.assert_ledger_consistent().await;
}

async fn every_refusal_of_the_form_is_an_error_on_its_field_and_changes_nothing(backend: Backend) {
    let app = form_app(backend, Some("C0THANKS")).await;
    let open = shortcut(&app, global_shortcut("UGIVER")).await;
    let good = "Your review caught the bug before the release";
    let before = (count(&app, "thanks").await, count(&app, "outbox").await);
    for (i, (recipients, message, points, values, field)) in [
        (&[][..], good, "", &[][..], "recipients"),
        (&["UGIVER"][..], good, "", &[][..], "recipients"),
        (&["UBOT"][..], good, "", &[][..], "recipients"),
        (&["UBOB"][..], "", "", &[][..], "message"),
        (&["UBOB"][..], "thx", "10", &[][..], "message"),
        (&["UBOB"][..], good, "ten", &[][..], "points"),
        (&["UBOB"][..], good, "121", &[][..], "points"),
        // 2 × 60 is more than the 100 of the month.
        (&["UBOB", "UCAROL"][..], good, "60", &[][..], "points"),
        (&["UBOB"][..], good, "", &["made-up"][..], "values"),
    ]
    .into_iter()
    .enumerate()
    {
        let answer = submit(
            &app,
            "UGIVER",
            &open,
            form_values(recipients, message, points, values, None),
            &format!("VBAD{i}"),
        )
        .await;
        assert_eq!(answer["response_action"], "errors", "{field}: {answer}");
        assert!(
            answer["errors"][field]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "expected an error on {field}: {answer}"
        );
        // Every error names a block of the form.
        let view = view_of(&open);
        for key in answer["errors"].as_object().unwrap().keys() {
            assert!(
                block(&view, key).is_some(),
                "{key} is not a block: {answer}"
            );
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        (count(&app, "thanks").await, count(&app, "outbox").await),
        before
    );
    assert_eq!(count(&app, "ledger").await, 0);
}

async fn a_form_submitted_twice_gives_one_thanks_and_debits_the_budget_once(backend: Backend) {
    let app = form_app(backend, Some("C0THANKS")).await;
    let open = shortcut(&app, global_shortcut("UGIVER")).await;
    let values = || {
        form_values(
            &["UBOB"],
            "Your review caught the bug before the release",
            "30",
            &[],
            None,
        )
    };
    let (a, b) = tokio::join!(
        submit(&app, "UGIVER", &open, values(), "VTWICE"),
        submit(&app, "UGIVER", &open, values(), "VTWICE"),
    );
    assert!(a.is_null() && b.is_null(), "{a} {b}");
    // And Slack's retry later.
    let c = submit(&app, "UGIVER", &open, values(), "VTWICE").await;
    assert!(c.is_null(), "{c}");
    app.slack.wait_posts_in("C0THANKS", 1, WAIT).await;
    wait_outbox_idle(&app).await;
    assert_eq!(count(&app, "thanks").await, 1);
    assert_eq!(app.slack.posts_in("C0THANKS").len(), 1);
    let b = budgets(&app).await;
    assert_eq!(b.iter().find(|r| r.0 == "UGIVER").unwrap().4, 30, "{b:?}");
    app.assert_ledger_consistent().await;
}
