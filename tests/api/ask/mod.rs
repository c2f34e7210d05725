//! `/ask` end to end, through the real endpoints: the question posted in the help channel with
//! its buttons, the link sent back to the asker, claims (button or 👀), answers in the thread,
//! resolving (button or ✅), the thanks modal, retried events, nudges and escalations in
//! working hours (exactly once, also with two instances), anonymity, `/ask mine` and
//! `/ask stats`. Wording is the catalogs' business: these tests look at IDs, mentions, links,
//! counts, methods and block ids.
//!
//! The tests are in one file per theme (asking, tracking, thanks, nudges, privacy, views); the
//! fixtures and helpers they share are here.

use crate::fake_slack::Posted;
use crate::helpers::*;
use crate::one_on_one::{buttons, t};
use crate::thanks::{count, wait_outbox_idle};
use otagai::config::{AskTopic, Settings};
use otagai::domain::{ChannelId, Expert, UserId};
use serde_json::Value;
use std::time::Duration;

mod asking;
mod hostile;
mod nudges;
mod privacy;
mod thanks;
mod tracking;
mod views;

const WAIT: Duration = Duration::from_secs(15);

/// The help channel, and two topics: `payroll` with its own channel, `laptops` without.
fn configure(s: &mut Settings) {
    s.ask.channel = Some(ChannelId::parse("C0HELP").unwrap());
    s.ask.allow_anonymous = true;
    s.ask.experts = vec![Expert::parse("U0EXPERT").unwrap()];
    s.ask.topics.insert(
        "payroll".into(),
        AskTopic {
            channel: Some(ChannelId::parse("C0PAYROLL").unwrap()),
            experts: vec![
                Expert::parse("UPAY1").unwrap(),
                Expert::parse("SPAYROLL").unwrap(),
            ],
        },
    );
    s.ask.topics.insert(
        "laptops".into(),
        AskTopic {
            channel: None,
            experts: vec![Expert::parse("UITDESK").unwrap()],
        },
    );
    s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()];
}

/// [`configure`] plus `more`.
fn ask_options(more: impl FnOnce(&mut Settings) + Send + 'static) -> Options {
    Options {
        settings: Box::new(move |s| {
            configure(s);
            more(s);
        }),
        ..Default::default()
    }
}

async fn spawn_ask_app(backend: Backend) -> TestApp {
    spawn_ask_app_with(backend, |_| {}).await
}

async fn spawn_ask_app_with(
    backend: Backend,
    more: impl FnOnce(&mut Settings) + Send + 'static,
) -> TestApp {
    let app = spawn_app_with(backend, ask_options(more)).await;
    for id in [
        "UASKER", "UHELPER", "UHELPER2", "UOTHER", "UADMIN", "U0EXPERT", "UPAY1", "UITDESK",
        "UANON",
    ] {
        app.slack.add_user(id, "en-US");
    }
    app.slack.add_bot("UBOT");
    app
}

/// A question otagai posted, as Slack accepted it.
#[derive(Debug, Clone)]
struct Question {
    channel: String,
    ts: String,
    /// The request id: the value of its buttons.
    id: String,
    post: Value,
    /// The ephemeral answer to `/ask`.
    reply: String,
    /// The trigger_id of the `/ask`; its response_url is `hooks/<trigger>`.
    trigger: String,
}

/// Posts that carry an `ask_claim` button and are not thread replies: the questions.
fn question_posts(app: &TestApp) -> Vec<Posted> {
    app.slack
        .posted()
        .into_iter()
        .filter(|p| p.body.get("thread_ts").is_none_or(Value::is_null))
        .filter(|p| buttons(&p.body).iter().any(|(a, _)| a == "ask_claim"))
        .collect()
}

fn button_value(post: &Value, action_id: &str) -> Option<String> {
    buttons(post)
        .into_iter()
        .find(|(a, _)| a == action_id)
        .map(|(_, v)| v)
}

/// `/ask text` as `user`; waits for the question's post and returns it.
async fn ask(app: &TestApp, user: &str, text: &str) -> Question {
    let before = question_posts(app).len();
    let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
    let resp = app.command_with_trigger(user, "/ask", text, &trigger).await;
    assert_eq!(resp.status(), 200, "/ask {text}");
    let v: Value = resp.json().await.expect("JSON reply");
    assert_eq!(v["response_type"], "ephemeral", "{v}");
    let reply = v["text"].as_str().unwrap_or_default().to_owned();
    let posted = app
        .slack
        .wait_until(WAIT, &format!("the post of /ask {text}"), || {
            let all = question_posts(app);
            (all.len() > before).then(|| all[before].clone())
        })
        .await;
    let id = button_value(&posted.body, "ask_claim").unwrap();
    assert!(
        id.parse::<i64>().is_ok(),
        "the button's value is the request id: {id}"
    );
    // Slack has answered; otagai records the post's ts right after. Until then an event about
    // the post is answered 503 (Slack retries it), so the tests wait for the record.
    let recorded = std::time::Instant::now();
    loop {
        let mut conn = app.store.pool().acquire().await.unwrap();
        let ts: Option<String> =
            sqlx::query_scalar("SELECT post_ts FROM help_requests WHERE id = $1")
                .bind(id.parse::<i64>().unwrap())
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        if ts.is_some() {
            break;
        }
        assert!(
            recorded.elapsed() < WAIT,
            "the post's ts was never recorded"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        button_value(&posted.body, "ask_resolve").as_deref(),
        Some(id.as_str()),
        "{}",
        posted.body
    );
    Question {
        channel: posted.channel,
        ts: posted.ts,
        id,
        post: posted.body,
        reply,
        trigger,
    }
}

/// `/ask text` as `user` with the app's clock at `at`.
async fn ask_at(app: &TestApp, at: &str, user: &str, text: &str) -> Question {
    app.clock.set(t(at));
    ask(app, user, text).await
}

/// A refused `/ask`: returns the reply, after checking nothing was queued or posted.
async fn refused(app: &TestApp, user: &str, text: &str) -> String {
    let outbox = count(app, "outbox").await;
    let posts = app.slack.accepted("chat.postMessage").len();
    let reply = app.command(user, "/ask", text).await;
    settle(app).await;
    assert_eq!(count(app, "outbox").await, outbox, "/ask {text}: {reply}");
    assert_eq!(
        app.slack.accepted("chat.postMessage").len(),
        posts,
        "/ask {text} posted something: {reply}"
    );
    reply
}

/// Lets work that runs after an acknowledgement (events, buttons) finish and its messages go out.
async fn settle(app: &TestApp) {
    tokio::time::sleep(Duration::from_millis(400)).await;
    wait_outbox_idle(app).await;
}

/// Everything a message says: its text and every text in its blocks.
fn said(msg: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    for key in ["text", "blocks", "attachments"] {
        if let Some(v) = msg.get(key) {
            match v {
                // Some clients send blocks as a JSON string.
                Value::String(s) => match serde_json::from_str::<Value>(s) {
                    Ok(parsed) => walk(&parsed, &mut out),
                    Err(_) => walk(v, &mut out),
                },
                _ => walk(v, &mut out),
            }
        }
    }
    out
}

/// The DMs `user` got that are not the resolve note (the one with a "Say thanks" button).
fn notices_to(app: &TestApp, user: &str) -> Vec<Value> {
    app.slack
        .posts_in(user)
        .into_iter()
        .filter(|p| button_value(p, "ask_thank").is_none())
        .collect()
}

/// The DMs `user` got with a "Say thanks" button.
fn thank_offers_to(app: &TestApp, user: &str) -> Vec<Value> {
    app.slack
        .posts_in(user)
        .into_iter()
        .filter(|p| button_value(p, "ask_thank").is_some())
        .collect()
}

/// Waits for the `n`-th chat.update of the question's post.
async fn wait_updates(app: &TestApp, q: &Question, n: usize) -> Vec<Value> {
    app.slack
        .wait_until(
            WAIT,
            &format!("{n} updates of {}/{}", q.channel, q.ts),
            || {
                let got = app.slack.updates_of(&q.channel, &q.ts);
                (got.len() >= n).then_some(got)
            },
        )
        .await
}

/// Waits for the `n`-th message posted to `hook` (a response_url id).
async fn wait_hook(app: &TestApp, hook: &str, n: usize) -> Vec<Value> {
    app.slack.wait_for(&format!("hooks/{hook}"), n, WAIT).await
}

/// Presses `action_id` on the question's post as `user`; returns the response_url id.
async fn press_on_question(app: &TestApp, q: &Question, user: &str, action_id: &str) -> String {
    let hook = format!("press-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_on(
            user,
            action_id,
            &q.id,
            &q.channel,
            &q.ts,
            &app.slack.response_url(&hook),
        )
        .await;
    assert_eq!(resp.status(), 200, "{action_id} by {user}");
    hook
}

/// The thread replies under the question's post.
fn thread_of(app: &TestApp, q: &Question) -> Vec<Value> {
    app.slack.thread_replies(&q.channel, &q.ts)
}

/// Sends an event and checks Slack got its 200.
async fn ok(resp: reqwest::Response) {
    assert_eq!(resp.status(), 200, "{:?}", resp.text().await);
}

/// Claims by button as `helper` and waits for the post to be updated.
async fn claim(app: &TestApp, q: &Question, helper: &str) {
    let before = app.slack.updates_of(&q.channel, &q.ts).len();
    press_on_question(app, q, helper, "ask_claim").await;
    wait_updates(app, q, before + 1).await;
}

/// Answers in the thread as `helper` and waits for the post to be updated.
async fn answer(app: &TestApp, q: &Question, helper: &str, text: &str) {
    let before = app.slack.updates_of(&q.channel, &q.ts).len();
    ok(app.thread_reply(helper, &q.channel, &q.ts, text).await).await;
    wait_updates(app, q, before + 1).await;
}

/// Resolves with the asker's button and waits for the post to be updated.
async fn resolve(app: &TestApp, q: &Question, asker: &str) {
    let before = app.slack.updates_of(&q.channel, &q.ts).len();
    press_on_question(app, q, asker, "ask_resolve").await;
    wait_updates(app, q, before + 1).await;
}

/// The state of a request as the database holds it.
async fn state_of(app: &TestApp, q: &Question) -> String {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_scalar("SELECT state FROM help_requests WHERE id = $1")
        .bind(q.id.parse::<i64>().unwrap())
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Shared by more than one theme

/// The block of `view` with `block_id`.
fn block<'a>(view: &'a Value, block_id: &str) -> &'a Value {
    view["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["block_id"] == block_id))
        .unwrap_or_else(|| panic!("no block {block_id} in {view}"))
}

/// The modal's view, as otagai sent it (slack-morphism may send it as a JSON string).
fn view_of(call: &Value) -> Value {
    match &call["view"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    }
}

/// Submits the thanks modal as `user` for `q`; returns the JSON answer (`Null` for an empty body).
async fn submit(app: &TestApp, user: &str, q: &Question, values: Value) -> Value {
    let resp = app.submit_view(user, "ask_thanks", &q.id, values).await;
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    if body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"))
    }
}

fn is_accepted(answer: &Value) -> bool {
    answer.is_null()
        || answer.as_object().is_some_and(|m| m.is_empty())
        || answer["response_action"] == "clear"
}

/// One scheduler pass as of `at` (the app's clock moved there too); returns the pass's report.
async fn jobs_at(app: &TestApp, at: &str) -> otagai::scheduler::JobsReport {
    app.clock.set(t(at));
    app.app.run_due_jobs(t(at), false).await.expect("jobs run")
}
