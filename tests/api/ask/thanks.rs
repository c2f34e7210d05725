//! The "Say thanks" modal offered when a question with helpers is resolved: prefilled with the
//! helpers, posted in the thread and the thanks channel and paid for like `/thanks` when valid,
//! answered with errors by block and no effect when not, and only for the asker.

use super::*;
use crate::both_backends;
use crate::thanks::{budgets, ledger};

both_backends!(
    resolving_offers_the_asker_a_thanks_modal_prefilled_with_the_helpers,
    a_valid_thanks_from_the_modal_is_posted_in_the_thread_and_the_thanks_channel_and_paid_for,
    invalid_thanks_from_the_modal_are_answered_with_errors_by_block_and_change_nothing,
    only_the_asker_can_send_thanks_for_their_question,
    the_forms_prefilled_message_is_plain_text_with_peoples_names,
);

/// Slack sends the question escaped, with mentions as tokens; the form's prefilled message is
/// plain text, so it shows what was typed and people by name.
async fn the_forms_prefilled_message_is_plain_text_with_peoples_names(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(
        &app,
        "UASKER",
        "#payroll Is <@UHELPER2|uhelper2>'s form B-12 &amp; C-3 the right one &lt;for 2026&gt;?",
    )
    .await;
    claim(&app, &q, "UHELPER").await;
    resolve(&app, &q, "UASKER").await;
    let trigger = format!("trig-thank-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_with_trigger(
            "UASKER",
            "ask_thank",
            &q.id,
            "D0ASKER",
            "1700000000.000100",
            &app.slack.response_url("prefill"),
            &trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let calls = app.slack.wait_for("views.open", 1, WAIT).await;
    let view = view_of(&calls[0]);
    let prefill = block(&view, "message")["element"]["initial_value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(prefill.contains("@uhelper2"), "{prefill}");
    assert!(prefill.contains("B-12 & C-3"), "{prefill}");
    assert!(
        !prefill.contains("<@") && !prefill.contains("&amp;") && !prefill.contains("&lt;"),
        "{prefill}"
    );
}

/// A question by UASKER on payroll, claimed by UHELPER, answered by UHELPER2 and resolved by
/// the asker's button; returns it with the DM that offers thanks.
async fn resolved_with_two_helpers(app: &TestApp) -> (Question, Value) {
    let q = ask(
        app,
        "UASKER",
        "#payroll How do I correct my commute allowance?",
    )
    .await;
    claim(app, &q, "UHELPER").await;
    answer(app, &q, "UHELPER2", "Form B-12, then tell HR.").await;
    resolve(app, &q, "UASKER").await;
    let offer = app
        .slack
        .wait_until(WAIT, "the thanks offer", || {
            thank_offers_to(app, "UASKER").pop()
        })
        .await;
    (q, offer)
}

/// The views.open calls so far.
fn opened_views(app: &TestApp) -> Vec<Value> {
    app.slack.accepted("views.open")
}

/// What a thanks changes, to compare before and after a refused submission.
#[derive(Debug, PartialEq)]
struct Effects {
    posts: usize,
    thanks: i64,
    ledger: i64,
    budgets: Vec<(String, String, i64, i64, i64)>,
}

async fn effects(app: &TestApp) -> Effects {
    Effects {
        posts: app.slack.accepted("chat.postMessage").len(),
        thanks: count(app, "thanks").await,
        ledger: count(app, "ledger").await,
        budgets: budgets(app).await,
    }
}

async fn resolving_offers_the_asker_a_thanks_modal_prefilled_with_the_helpers(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let (q, offer) = resolved_with_two_helpers(&app).await;
    let text = said(&offer);
    assert!(
        text.contains("<@UHELPER>") && text.contains("<@UHELPER2>"),
        "names both helpers: {text}"
    );
    assert_eq!(button_value(&offer, "ask_thank"), Some(q.id.clone()));
    settle(&app).await;
    assert_eq!(thank_offers_to(&app, "UASKER").len(), 1);

    let trigger = format!("trig-thank-{}", uuid::Uuid::new_v4().simple());
    let hook = format!("thank-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_with_trigger(
            "UASKER",
            "ask_thank",
            &q.id,
            "D0ASKER",
            "1700000000.000100",
            &app.slack.response_url(&hook),
            &trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let calls = app.slack.wait_for("views.open", 1, WAIT).await;
    assert_eq!(calls[0]["trigger_id"], trigger.as_str());
    let view = view_of(&calls[0]);
    assert_eq!(view["type"], "modal", "{view}");
    assert_eq!(view["callback_id"], "ask_thanks", "{view}");
    assert_eq!(view["private_metadata"], q.id.as_str(), "{view}");
    assert!(view["submit"].is_object(), "a submit button: {view}");

    let recipients = &block(&view, "recipients")["element"];
    assert_eq!(recipients["type"], "multi_users_select", "{recipients}");
    let mut initial: Vec<&str> = recipients["initial_users"]
        .as_array()
        .expect("initial_users")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    initial.sort();
    assert_eq!(initial, ["UHELPER", "UHELPER2"]);
    assert_eq!(recipients["action_id"], "recipients", "{recipients}");

    let message = &block(&view, "message")["element"];
    assert_eq!(message["type"], "plain_text_input", "{message}");
    assert_eq!(message["action_id"], "message", "{message}");
    assert!(
        message["initial_value"]
            .as_str()
            .is_some_and(|m| m.chars().count() >= 10),
        "a message to start from: {message}"
    );

    let points = block(&view, "points");
    assert_eq!(points["element"]["type"], "plain_text_input", "{points}");
    assert_eq!(points["element"]["action_id"], "points", "{points}");
    assert_eq!(points["optional"], true, "{points}");

    // Someone else pressing the asker's button gets no modal.
    let hook = format!("thank-{}", uuid::Uuid::new_v4().simple());
    app.press_on(
        "UHELPER",
        "ask_thank",
        &q.id,
        "D0HELPER",
        "1700000000.000100",
        &app.slack.response_url(&hook),
    )
    .await;
    settle(&app).await;
    assert_eq!(opened_views(&app).len(), 1);
}

async fn a_valid_thanks_from_the_modal_is_posted_in_the_thread_and_the_thanks_channel_and_paid_for(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| {
        s.thanks.channel = Some(ChannelId::parse("C0THANKS").unwrap());
    })
    .await;
    let (q, _) = resolved_with_two_helpers(&app).await;
    settle(&app).await;
    let answer = submit(
        &app,
        "UASKER",
        &q,
        view_values(
            &["UHELPER", "UHELPER2"],
            "You saved my commute allowance, thank you!",
            "10",
        ),
    )
    .await;
    assert!(is_accepted(&answer), "{answer}");

    let in_thread = app
        .slack
        .wait_until(WAIT, "the thanks in the question's thread", || {
            let got: Vec<Value> = thread_of(&app, &q)
                .into_iter()
                .filter(|p| said(p).contains("You saved my commute allowance"))
                .collect();
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert_eq!(in_thread[0]["channel"], "C0PAYROLL");
    let text = said(&in_thread[0]);
    assert!(
        text.contains("<@UHELPER>") && text.contains("<@UHELPER2>") && text.contains("<@UASKER>"),
        "{text}"
    );
    let channel = app.slack.wait_posts_in("C0THANKS", 1, WAIT).await;
    assert!(
        channel[0].text().contains("You saved my commute allowance")
            || said(&channel[0].body).contains("You saved my commute allowance"),
        "{:?}",
        channel[0]
    );
    for helper in ["UHELPER", "UHELPER2"] {
        app.slack
            .wait_until(WAIT, &format!("the thanks DM to {helper}"), || {
                app.slack
                    .posts_in(helper)
                    .into_iter()
                    .find(|p| said(p).contains("<@UASKER>"))
            })
            .await;
    }
    settle(&app).await;
    assert_eq!(thread_of(&app, &q).len(), 1, "{:?}", thread_of(&app, &q));
    assert_eq!(app.slack.posts_in("C0THANKS").len(), 1);

    // Paid like a /thanks: 10 each from the asker's month.
    let mut rows = ledger(&app).await;
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("UASKER".into(), "give".into(), -10, Some("UHELPER".into())),
            ("UASKER".into(), "give".into(), -10, Some("UHELPER2".into())),
            (
                "UHELPER".into(),
                "receive".into(),
                10,
                Some("UASKER".into())
            ),
            (
                "UHELPER2".into(),
                "receive".into(),
                10,
                Some("UASKER".into())
            ),
        ]
    );
    let b = budgets(&app).await;
    let asker = b.iter().find(|r| r.0 == "UASKER").expect("a budget row");
    assert_eq!(asker.4, 20, "{b:?}");
    let balance = app.command("UASKER", "/bonus", "").await;
    assert!(balance.contains("380"), "{balance}");
    app.assert_ledger_consistent().await;
}

async fn invalid_thanks_from_the_modal_are_answered_with_errors_by_block_and_change_nothing(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| s.bonus.monthly_budget = 30).await;
    let (q, _) = resolved_with_two_helpers(&app).await;
    settle(&app).await;
    let before = effects(&app).await;
    let good = "Thank you for the quick and clear answer!";
    for (recipients, message, points, block_id) in [
        (&["UHELPER"][..], good, "121", "points"),
        (&["UHELPER"][..], good, "ten", "points"),
        (&["UHELPER"][..], good, "-5", "points"),
        // 2 × 20 is more than the 30 left this month.
        (&["UHELPER", "UHELPER2"][..], good, "20", "points"),
        (&["UHELPER"][..], "thx", "10", "message"),
        (&["UASKER"][..], good, "10", "recipients"),
        (&["UHELPER", "UASKER"][..], good, "", "recipients"),
        (&["UBOT"][..], good, "", "recipients"),
        (&[][..], good, "", "recipients"),
    ] {
        let answer = submit(&app, "UASKER", &q, view_values(recipients, message, points)).await;
        assert_eq!(
            answer["response_action"], "errors",
            "{recipients:?} {message:?} {points:?}: {answer}"
        );
        let errors = answer["errors"].as_object().expect("errors by block");
        assert!(
            errors.contains_key(block_id),
            "{recipients:?} {message:?} {points:?}: expected an error on {block_id}: {answer}"
        );
        assert!(
            errors
                .values()
                .all(|m| m.as_str().is_some_and(|m| !m.is_empty())),
            "{answer}"
        );
        settle(&app).await;
        assert_eq!(
            effects(&app).await,
            before,
            "{recipients:?} {message:?} {points:?} changed something"
        );
    }
    // A short message is fine without points (as with /thanks).
    let answer = submit(&app, "UASKER", &q, view_values(&["UHELPER"], "thx", "")).await;
    assert!(is_accepted(&answer), "{answer}");
    let posted = app
        .slack
        .wait_until(WAIT, "the thanks in the thread", || {
            let got: Vec<Value> = thread_of(&app, &q)
                .into_iter()
                .filter(|p| said(p).contains("thx"))
                .collect();
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert_eq!(posted.len(), 1);
    settle(&app).await;
    assert_eq!(
        count(&app, "ledger").await,
        before.ledger,
        "no points, nothing paid"
    );
}

async fn only_the_asker_can_send_thanks_for_their_question(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let (q, _) = resolved_with_two_helpers(&app).await;
    settle(&app).await;
    let before = effects(&app).await;
    let answer = submit(
        &app,
        "UOTHER",
        &q,
        view_values(
            &["UHELPER"],
            "Thank you for the quick and clear answer!",
            "10",
        ),
    )
    .await;
    settle(&app).await;
    assert_eq!(effects(&app).await, before, "{answer}");
    if !answer.is_null() {
        assert_eq!(answer["response_action"], "errors", "{answer}");
    }
    // Nor for a question that does not exist.
    let ghost = Question {
        id: "999999".into(),
        ..q.clone()
    };
    let answer = submit(
        &app,
        "UASKER",
        &ghost,
        view_values(
            &["UHELPER"],
            "Thank you for the quick and clear answer!",
            "10",
        ),
    )
    .await;
    settle(&app).await;
    assert_eq!(effects(&app).await, before, "{answer}");
}
