//! `/ask` end to end, through the real endpoints: the question posted in the help channel with
//! its buttons, the link sent back to the asker, claims (button or 👀), answers in the thread,
//! resolving (button or ✅), the thanks modal, retried events, nudges and escalations in
//! working hours (exactly once, also with two instances), anonymity, `/ask mine` and
//! `/ask stats`. Wording is the catalogs' business: these tests look at IDs, mentions, links,
//! counts, methods and block ids.

use crate::both_backends;
use crate::fake_slack::{Posted, Scripted, permalink};
use crate::helpers::*;
use crate::one_on_one::{buttons, t};
use crate::thanks::{budgets, count, ledger, wait_outbox_idle};
use otagai::config::{AskTopic, EscalateTo, Settings};
use otagai::domain::{ChannelId, Expert, UserGroupId, UserId};
use otagai::storage::Store;
use serde_json::Value;
use std::time::Duration;

both_backends!(
    a_question_is_posted_in_the_help_channel_with_buttons_and_the_asker_gets_its_link,
    a_question_on_a_topic_goes_to_the_topics_channel_and_one_without_its_own_channel_to_the_help_channel,
    empty_unknown_topic_and_overlong_questions_are_refused_and_nothing_is_posted,
    anonymous_questions_are_refused_when_the_workspace_does_not_allow_them,
    without_a_help_channel_only_topics_with_their_own_channel_can_be_asked,
    a_claim_by_button_updates_the_post_and_tells_the_asker_once,
    a_claim_with_the_eyes_reaction_updates_the_post_and_tells_the_asker,
    the_asker_cannot_claim_their_own_question,
    a_reply_in_the_thread_answers_the_question_but_the_askers_own_and_bots_replies_do_not,
    only_the_asker_resolves_with_the_button_or_a_check_mark,
    resolving_offers_the_asker_a_thanks_modal_prefilled_with_the_helpers,
    a_valid_thanks_from_the_modal_is_posted_in_the_thread_and_the_thanks_channel_and_paid_for,
    invalid_thanks_from_the_modal_are_answered_with_errors_by_block_and_change_nothing,
    only_the_asker_can_send_thanks_for_their_question,
    a_retried_event_has_one_effect,
    events_about_messages_otagai_did_not_post_are_ignored,
    an_unanswered_question_is_nudged_after_two_working_hours_with_the_topics_experts_once,
    an_unanswered_question_is_escalated_to_a_user_group_after_one_working_day,
    an_unanswered_question_is_escalated_to_a_channel_with_a_link,
    no_nudge_goes_out_on_weekends_or_holidays,
    answered_and_resolved_questions_are_not_nudged_and_claimed_ones_remind_the_claimer,
    two_instances_running_jobs_at_the_same_moment_nudge_each_question_once,
    an_anonymous_askers_id_appears_only_in_what_is_sent_to_them,
    an_anonymous_askers_check_mark_does_not_resolve_and_their_dm_says_to_use_the_button,
    a_retried_old_update_never_puts_an_earlier_state_back_on_the_post,
    a_reply_with_a_file_answers_the_question,
    an_event_about_a_post_not_yet_recorded_is_left_for_slacks_retry,
    an_anonymous_askers_thanks_is_not_posted_publicly_and_does_not_quote_the_question,
    ask_mine_lists_only_the_callers_open_questions_with_links,
    ask_stats_counts_questions_per_topic_for_admins_only,
);

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
// Asking

async fn a_question_is_posted_in_the_help_channel_with_buttons_and_the_asker_gets_its_link(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(
        &app,
        "UASKER",
        "How do I get access to the staging database?",
    )
    .await;
    assert!(q.reply.contains("<#C0HELP>"), "{}", q.reply);
    assert_eq!(q.channel, "C0HELP");
    let text = said(&q.post);
    assert!(text.contains("<@UASKER>"), "names the asker: {text}");
    assert!(
        text.contains("How do I get access to the staging database?"),
        "{text}"
    );
    assert!(
        q.post["blocks"].as_array().is_some_and(|b| !b.is_empty()),
        "{}",
        q.post
    );
    assert!(
        q.post["text"].as_str().is_some_and(|t| !t.is_empty()),
        "a text fallback: {}",
        q.post
    );

    // Once Slack has the post, the asker gets its link at the command's response_url.
    let link = permalink("C0HELP", &q.ts);
    let follow_up = app
        .slack
        .wait_until(WAIT, "the link at the response_url", || {
            app.slack
                .accepted(&format!("hooks/{}", q.trigger))
                .into_iter()
                .find(|h| said(h).contains(&link))
        })
        .await;
    assert_ne!(
        follow_up["response_type"], "in_channel",
        "only the asker sees it: {follow_up}"
    );
    settle(&app).await;
    assert_eq!(question_posts(&app).len(), 1, "posted once");
    assert_eq!(count(&app, "help_requests").await, 1);
    assert!(notices_to(&app, "UASKER").is_empty(), "no DM yet");
}

async fn a_question_on_a_topic_goes_to_the_topics_channel_and_one_without_its_own_channel_to_the_help_channel(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "#payroll When is the bonus paid?").await;
    assert_eq!(q.channel, "C0PAYROLL");
    assert!(q.reply.contains("<#C0PAYROLL>"), "{}", q.reply);
    let text = said(&q.post);
    assert!(text.contains("payroll"), "names the topic: {text}");
    assert!(text.contains("<@UASKER>"), "{text}");
    assert!(text.contains("When is the bonus paid?"), "{text}");

    // Topic names are case-insensitive, and `laptops` has no channel of its own.
    let q = ask(&app, "UASKER", "#Laptops My keyboard stopped working").await;
    assert_eq!(q.channel, "C0HELP");
    assert!(q.reply.contains("<#C0HELP>"), "{}", q.reply);
    assert!(said(&q.post).contains("laptops"), "{}", said(&q.post));

    // A question of exactly 2800 characters is accepted.
    let long = "x".repeat(2800);
    let q = ask(&app, "UOTHER", &long).await;
    assert!(said(&q.post).contains(&long));
}

async fn empty_unknown_topic_and_overlong_questions_are_refused_and_nothing_is_posted(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let reply = refused(&app, "UASKER", "").await;
    assert!(!reply.is_empty());
    let reply = refused(&app, "UASKER", "   ").await;
    assert!(!reply.is_empty());
    let reply = refused(&app, "UASKER", "anon #payroll").await;
    assert!(!reply.is_empty());

    let reply = refused(&app, "UASKER", "#nosuch Where is the coffee?").await;
    assert!(reply.contains("nosuch"), "{reply}");
    assert!(
        reply.contains("payroll") && reply.contains("laptops"),
        "lists the topics: {reply}"
    );

    let reply = refused(&app, "UASKER", &"y".repeat(2801)).await;
    assert!(reply.contains("2800"), "says the limit: {reply}");

    assert_eq!(count(&app, "help_requests").await, 0);
    assert!(app.slack.calls("chat.postMessage").is_empty());
}

async fn anonymous_questions_are_refused_when_the_workspace_does_not_allow_them(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| s.ask.allow_anonymous = false).await;
    let reply = refused(&app, "UASKER", "anon Is it OK to ask about salaries?").await;
    assert!(!reply.is_empty());
    let reply = refused(
        &app,
        "UASKER",
        "#payroll anon Is it OK to ask about salaries?",
    )
    .await;
    assert!(!reply.is_empty());
    assert_eq!(count(&app, "help_requests").await, 0);
    // With a name it goes up.
    let q = ask(&app, "UASKER", "Is it OK to ask about salaries?").await;
    assert!(said(&q.post).contains("<@UASKER>"));
}

async fn without_a_help_channel_only_topics_with_their_own_channel_can_be_asked(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.channel = None;
        s.ask.topics.remove("laptops");
    })
    .await;
    let reply = refused(&app, "UASKER", "Where do I file expenses?").await;
    assert!(!reply.is_empty());
    assert!(!reply.contains("<#C0"), "names no channel: {reply}");
    let q = ask(&app, "UASKER", "#payroll Where do I file expenses?").await;
    assert_eq!(q.channel, "C0PAYROLL");
}

// ---------------------------------------------------------------------------------------------
// Claiming, answering, resolving

async fn a_claim_by_button_updates_the_post_and_tells_the_asker_once(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "#payroll Why is my payslip missing?").await;
    let hook = press_on_question(&app, &q, "UHELPER", "ask_claim").await;
    let updates = wait_updates(&app, &q, 1).await;
    assert_eq!(updates[0]["channel"], "C0PAYROLL");
    assert_eq!(updates[0]["ts"], q.ts.as_str());
    let text = said(&updates[0]);
    assert!(text.contains("<@UHELPER>"), "names the claimer: {text}");
    assert!(text.contains("<@UASKER>"), "still names the asker: {text}");
    // The claimer hears back privately.
    let told = wait_hook(&app, &hook, 1).await;
    assert_ne!(told[0]["response_type"], "in_channel", "{told:?}");

    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert!(
        said(&dms[0]).contains(&permalink("C0PAYROLL", &q.ts)),
        "links the question: {}",
        dms[0]
    );
    assert_eq!(state_of(&app, &q).await, "claimed");

    // A second claimer and an answer later: no second DM.
    claim(&app, &q, "UHELPER2").await;
    answer(
        &app,
        &q,
        "UHELPER",
        "HR resends them on request; I asked them.",
    )
    .await;
    settle(&app).await;
    assert_eq!(
        notices_to(&app, "UASKER").len(),
        1,
        "{:?}",
        notices_to(&app, "UASKER")
    );
    let last = app.slack.updates_of(&q.channel, &q.ts).pop().unwrap();
    let text = said(&last);
    assert!(
        text.contains("<@UHELPER>"),
        "the helpers stay on the post: {text}"
    );
}

async fn a_claim_with_the_eyes_reaction_updates_the_post_and_tells_the_asker(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Which VPN profile should I use?").await;
    // Other reactions mean nothing.
    ok(app.reaction("UHELPER", &q.channel, &q.ts, "tada").await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());

    ok(app.reaction("UHELPER", &q.channel, &q.ts, "eyes").await).await;
    let updates = wait_updates(&app, &q, 1).await;
    assert!(said(&updates[0]).contains("<@UHELPER>"), "{}", updates[0]);
    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert_eq!(state_of(&app, &q).await, "claimed");

    // The asker's own 👀 claims nothing.
    let q2 = ask(&app, "UASKER", "And the VPN password?").await;
    ok(app.reaction("UASKER", &q2.channel, &q2.ts, "eyes").await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q2.channel, &q2.ts).is_empty());
    assert_eq!(state_of(&app, &q2).await, "open");
}

async fn the_asker_cannot_claim_their_own_question(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Who owns the billing service?").await;
    let hook = press_on_question(&app, &q, "UASKER", "ask_claim").await;
    let answer = wait_hook(&app, &hook, 1).await;
    assert!(!said(&answer[0]).is_empty(), "told why: {answer:?}");
    assert_ne!(answer[0]["response_type"], "in_channel", "{answer:?}");
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());
    assert!(notices_to(&app, "UASKER").is_empty());
    assert_eq!(state_of(&app, &q).await, "open");
}

async fn a_reply_in_the_thread_answers_the_question_but_the_askers_own_and_bots_replies_do_not(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "How do I rotate my SSH key?").await;

    // The asker adding detail, a bot, and a message edit: none of them an answer.
    ok(app
        .thread_reply("UASKER", &q.channel, &q.ts, "It's for the build server.")
        .await)
    .await;
    let mut bot = thread_reply_event("UBOT", &q.channel, &q.ts, "Beep: ticket created.");
    bot["bot_id"] = "B0OTHER".into();
    bot["subtype"] = "bot_message".into();
    ok(app.event(bot).await).await;
    let mut otagai_itself = thread_reply_event("UOTAGAIBOT", &q.channel, &q.ts, "nudge");
    otagai_itself["bot_id"] = "B0OTAGAI".into();
    ok(app.event(otagai_itself).await).await;
    let mut edit = thread_reply_event("UHELPER", &q.channel, &q.ts, "edited");
    edit["subtype"] = "message_changed".into();
    ok(app.event(edit).await).await;
    settle(&app).await;
    assert!(
        app.slack.updates_of(&q.channel, &q.ts).is_empty(),
        "{:?}",
        app.slack.updates_of(&q.channel, &q.ts)
    );
    assert!(notices_to(&app, "UASKER").is_empty());
    assert_eq!(state_of(&app, &q).await, "open");

    // A top-level message in the channel (not in the thread) is no answer either.
    let mut top = thread_reply_event("UHELPER", &q.channel, &q.ts, "unrelated");
    top.as_object_mut().unwrap().remove("thread_ts");
    ok(app.event(top).await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());

    // Someone else's reply answers it.
    ok(app
        .thread_reply(
            "UHELPER",
            &q.channel,
            &q.ts,
            "`ssh-keygen`, then upload it.",
        )
        .await)
    .await;
    let updates = wait_updates(&app, &q, 1).await;
    assert_eq!(updates[0]["ts"], q.ts.as_str());
    assert!(said(&updates[0]).contains("<@UHELPER>"), "{}", updates[0]);
    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert_eq!(state_of(&app, &q).await, "answered");

    // More replies, from the same or another helper: no more DMs.
    ok(app
        .thread_reply("UHELPER", &q.channel, &q.ts, "And restart the agent.")
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER2", &q.channel, &q.ts, "+1 to that.")
        .await)
    .await;
    settle(&app).await;
    assert_eq!(notices_to(&app, "UASKER").len(), 1);
}

async fn only_the_asker_resolves_with_the_button_or_a_check_mark(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Where are the brand assets?").await;
    answer(&app, &q, "UHELPER", "In the design drive.").await;
    let updates = app.slack.updates_of(&q.channel, &q.ts).len();

    // Someone else's ✅ and Resolved button change nothing; the presser is told.
    ok(app
        .reaction("UOTHER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    let hook = press_on_question(&app, &q, "UOTHER", "ask_resolve").await;
    let told = wait_hook(&app, &hook, 1).await;
    assert!(!said(&told[0]).is_empty(), "{told:?}");
    assert_ne!(told[0]["response_type"], "in_channel", "{told:?}");
    // The helper's ✅ does not resolve it either.
    ok(app
        .reaction("UHELPER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), updates);
    assert_eq!(state_of(&app, &q).await, "answered");

    // The asker's ✅ does.
    ok(app
        .reaction("UASKER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    let all = wait_updates(&app, &q, updates + 1).await;
    assert_eq!(all.last().unwrap()["ts"], q.ts.as_str());
    assert_eq!(state_of(&app, &q).await, "resolved");

    // And the asker's button, on another question.
    let q2 = ask(&app, "UASKER", "And the font licences?").await;
    let hook = press_on_question(&app, &q2, "UASKER", "ask_resolve").await;
    wait_updates(&app, &q2, 1).await;
    wait_hook(&app, &hook, 1).await;
    assert_eq!(state_of(&app, &q2).await, "resolved");
    // Without helpers, no thanks to offer.
    settle(&app).await;
    let offers = thank_offers_to(&app, "UASKER");
    assert_eq!(
        offers.len(),
        1,
        "only for the question that had help: {offers:?}"
    );
    assert_eq!(button_value(&offers[0], "ask_thank"), Some(q.id.clone()));
}

// ---------------------------------------------------------------------------------------------
// Thanks

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

// ---------------------------------------------------------------------------------------------
// Events

async fn a_retried_event_has_one_effect(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Who can approve my access request?").await;
    let claim = reaction_event("UHELPER", &q.channel, &q.ts, "eyes");
    ok(app.event_with_id("Ev0CLAIM1", claim.clone(), None).await).await;
    ok(app.event_with_id("Ev0CLAIM1", claim.clone(), Some(1)).await).await;
    wait_updates(&app, &q, 1).await;
    ok(app.event_with_id("Ev0CLAIM1", claim, Some(2)).await).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 1);
    assert_eq!(notices_to(&app, "UASKER").len(), 1);

    let reply = thread_reply_event("UHELPER2", &q.channel, &q.ts, "I can, sending it now.");
    // Slack's retries may overlap the first delivery.
    let (a, b, c, d) = tokio::join!(
        app.event_with_id("Ev0REPLY1", reply.clone(), None),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(1)),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(2)),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(3)),
    );
    for r in [a, b, c, d] {
        ok(r).await;
    }
    wait_updates(&app, &q, 2).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 2);
    assert_eq!(notices_to(&app, "UASKER").len(), 1);
    let helpers =
        crate::one_on_one::scalar(&app, "SELECT COUNT(*) FROM help_request_helpers").await;
    assert_eq!(helpers, 2);

    // The same resolve sent twice at once.
    let done = reaction_event("UASKER", &q.channel, &q.ts, "white_check_mark");
    let (a, b) = tokio::join!(
        app.event_with_id("Ev0DONE1", done.clone(), None),
        app.event_with_id("Ev0DONE1", done, Some(1))
    );
    ok(a).await;
    ok(b).await;
    wait_updates(&app, &q, 3).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 3);
    assert_eq!(thank_offers_to(&app, "UASKER").len(), 1);
}

async fn events_about_messages_otagai_did_not_post_are_ignored(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Is the wiki down?").await;
    let before = app.slack.all_calls().len();
    ok(app
        .reaction("UHELPER", &q.channel, "1600000000.000100", "eyes")
        .await)
    .await;
    ok(app.reaction("UHELPER", "C0ELSEWHERE", &q.ts, "eyes").await).await;
    ok(app
        .reaction(
            "UASKER",
            "C0RANDOM",
            "1600000000.000200",
            "white_check_mark",
        )
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER", &q.channel, "1600000000.000300", "yes")
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER", "C0ELSEWHERE", &q.ts, "yes")
        .await)
    .await;
    // A reaction to a file, an event otagai does not use, a malformed reaction.
    ok(app
        .event(serde_json::json!({
            "type": "reaction_added", "user": "UHELPER", "reaction": "eyes",
            "item": { "type": "file", "file": "F0123" }, "event_ts": fresh_ts()
        }))
        .await)
    .await;
    ok(app
        .event(serde_json::json!({ "type": "app_mention", "user": "UHELPER", "text": "<@UOTAGAIBOT> hi",
            "ts": fresh_ts(), "channel": "C0HELP", "event_ts": fresh_ts() }))
        .await)
    .await;
    settle(&app).await;
    let after: Vec<String> = app.slack.all_calls()[before..]
        .iter()
        .map(|c| c.method.clone())
        .filter(|m| m != "users.info")
        .collect();
    assert!(after.is_empty(), "{after:?}");
    assert_eq!(state_of(&app, &q).await, "open");
}

// ---------------------------------------------------------------------------------------------
// Nudges and escalations

/// One scheduler pass as of `at` (the app's clock moved there too); returns the pass's report.
async fn jobs_at(app: &TestApp, at: &str) -> otagai::scheduler::JobsReport {
    app.clock.set(t(at));
    app.app.run_due_jobs(t(at), false).await.expect("jobs run")
}

/// The thread replies under `q` that otagai wrote as nudges or escalations (not thanks).
async fn nudges_of(app: &TestApp, q: &Question) -> Vec<String> {
    settle(app).await;
    thread_of(app, q).iter().map(said).collect()
}

async fn an_unanswered_question_is_nudged_after_two_working_hours_with_the_topics_experts_once(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    // Wednesday 2026-11-25, 10:00 in Tokyo.
    let pay = ask_at(
        &app,
        "2026-11-25T10:00:00+09:00",
        "UASKER",
        "#payroll Overtime rate?",
    )
    .await;
    let plain = ask(&app, "UOTHER", "Where is the printer?").await;

    jobs_at(&app, "2026-11-25T11:59:00+09:00").await;
    assert!(nudges_of(&app, &pay).await.is_empty());
    assert!(nudges_of(&app, &plain).await.is_empty());

    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    let pay_nudges = nudges_of(&app, &pay).await;
    assert_eq!(pay_nudges.len(), 1, "{pay_nudges:?}");
    let n = &pay_nudges[0];
    assert!(
        n.contains("<@UPAY1>") && n.contains("<!subteam^SPAYROLL>"),
        "the topic's experts: {n}"
    );
    assert!(!n.contains("<@U0EXPERT>"), "not the general experts: {n}");
    assert!(!n.contains("<@UASKER>"), "{n}");
    let plain_nudges = nudges_of(&app, &plain).await;
    assert_eq!(plain_nudges.len(), 1, "{plain_nudges:?}");
    assert!(
        plain_nudges[0].contains("<@U0EXPERT>"),
        "{}",
        plain_nudges[0]
    );

    // Again, twice at once, and later: nothing more.
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    let now = t("2026-11-25T12:05:00+09:00");
    let (a, b) = tokio::join!(
        app.app.run_due_jobs(now, false),
        app.app.run_due_jobs(now, false)
    );
    a.unwrap();
    b.unwrap();
    jobs_at(&app, "2026-11-25T12:30:00+09:00").await;
    jobs_at(&app, "2026-11-25T17:00:00+09:00").await;
    assert_eq!(nudges_of(&app, &pay).await.len(), 1);
    assert_eq!(nudges_of(&app, &plain).await.len(), 1);
    // No escalation is configured: a day later still nothing.
    jobs_at(&app, "2026-11-26T12:00:00+09:00").await;
    assert_eq!(nudges_of(&app, &pay).await.len(), 1);
    assert_eq!(question_posts(&app).len(), 2, "no other post either");
}

async fn an_unanswered_question_is_escalated_to_a_user_group_after_one_working_day(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Group(UserGroupId::parse("SLEADS").unwrap()));
    })
    .await;
    let q = ask_at(
        &app,
        "2026-11-25T10:00:00+09:00",
        "UASKER",
        "Who signs NDAs?",
    )
    .await;
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    let nudges = nudges_of(&app, &q).await;
    assert_eq!(nudges.len(), 1, "{nudges:?}");
    assert!(!nudges[0].contains("SLEADS"), "not yet: {}", nudges[0]);

    // Wednesday 10:00–18:00 is 8 working hours; the ninth ends on Thursday at 10:00.
    jobs_at(&app, "2026-11-25T18:30:00+09:00").await;
    jobs_at(&app, "2026-11-26T09:59:00+09:00").await;
    assert_eq!(nudges_of(&app, &q).await.len(), 1);
    jobs_at(&app, "2026-11-26T10:00:30+09:00").await;
    let thread = nudges_of(&app, &q).await;
    assert_eq!(thread.len(), 2, "{thread:?}");
    assert!(thread[1].contains("<!subteam^SLEADS>"), "{}", thread[1]);
    jobs_at(&app, "2026-11-26T10:30:00+09:00").await;
    jobs_at(&app, "2026-11-27T10:30:00+09:00").await;
    assert_eq!(nudges_of(&app, &q).await.len(), 2, "escalated once");
}

async fn an_unanswered_question_is_escalated_to_a_channel_with_a_link(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Channel(ChannelId::parse("C0LEADS").unwrap()));
    })
    .await;
    let q = ask_at(
        &app,
        "2026-11-25T10:00:00+09:00",
        "UASKER",
        "#payroll Is the 13th salary taxed?",
    )
    .await;
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    jobs_at(&app, "2026-11-26T09:59:00+09:00").await;
    settle(&app).await;
    assert!(app.slack.posts_in("C0LEADS").is_empty());
    jobs_at(&app, "2026-11-26T10:00:30+09:00").await;
    let posts = app.slack.wait_posts_in("C0LEADS", 1, WAIT).await;
    let text = said(&posts[0].body);
    assert!(
        text.contains(&permalink("C0PAYROLL", &q.ts)),
        "links the question: {text}"
    );
    assert!(!text.contains("<@UASKER>"), "{text}");
    jobs_at(&app, "2026-11-26T11:00:00+09:00").await;
    settle(&app).await;
    assert_eq!(app.slack.posts_in("C0LEADS").len(), 1);
    assert_eq!(nudges_of(&app, &q).await.len(), 1, "the 2h nudge only");
}

async fn no_nudge_goes_out_on_weekends_or_holidays(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    // Friday 2026-11-20 at 17:00: one working hour left that day; Monday 23rd is Labour
    // Thanksgiving Day, so the second hour ends on Tuesday 24th at 10:00.
    let q = ask_at(
        &app,
        "2026-11-20T17:00:00+09:00",
        "UASKER",
        "Deploy freeze dates?",
    )
    .await;
    for at in [
        "2026-11-20T18:30:00+09:00",
        "2026-11-20T23:00:00+09:00",
        "2026-11-21T12:00:00+09:00",
        "2026-11-22T12:00:00+09:00",
        "2026-11-23T10:00:00+09:00",
        "2026-11-23T17:00:00+09:00",
        "2026-11-24T09:59:00+09:00",
    ] {
        jobs_at(&app, at).await;
        assert!(nudges_of(&app, &q).await.is_empty(), "{at}");
    }
    jobs_at(&app, "2026-11-24T10:00:30+09:00").await;
    assert_eq!(nudges_of(&app, &q).await.len(), 1);

    // A question asked on Saturday waits for Tuesday 11:00 (09:00 + 2h, Monday off).
    let q = ask_at(
        &app,
        "2026-11-21T15:00:00+09:00",
        "UOTHER",
        "Weekend on-call?",
    )
    .await;
    jobs_at(&app, "2026-11-23T12:00:00+09:00").await;
    jobs_at(&app, "2026-11-24T10:59:00+09:00").await;
    assert!(nudges_of(&app, &q).await.is_empty());
    jobs_at(&app, "2026-11-24T11:00:30+09:00").await;
    assert_eq!(nudges_of(&app, &q).await.len(), 1);
}

async fn answered_and_resolved_questions_are_not_nudged_and_claimed_ones_remind_the_claimer(
    backend: Backend,
) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Group(UserGroupId::parse("SLEADS").unwrap()));
    })
    .await;
    app.clock.set(t("2026-11-25T10:00:00+09:00"));
    let open = ask(&app, "UASKER", "Question one?").await;
    let claimed = ask(&app, "UASKER", "Question two?").await;
    let answered = ask(&app, "UASKER", "Question three?").await;
    let resolved = ask(&app, "UASKER", "Question four?").await;
    app.clock.set(t("2026-11-25T10:30:00+09:00"));
    claim(&app, &claimed, "UHELPER").await;
    answer(&app, &answered, "UHELPER", "Answer three.").await;
    resolve(&app, &resolved, "UASKER").await;
    jobs_at(&app, "2026-11-25T12:00:30+09:00").await;
    jobs_at(&app, "2026-11-26T10:00:30+09:00").await;
    assert_eq!(
        nudges_of(&app, &open).await.len(),
        2,
        "nudged and escalated"
    );
    assert!(nudges_of(&app, &answered).await.is_empty());
    assert!(nudges_of(&app, &resolved).await.is_empty());
    let to_claimer = nudges_of(&app, &claimed).await;
    assert!(
        !to_claimer.is_empty(),
        "a claim without an answer is followed up"
    );
    assert!(
        to_claimer[0].contains("<@UHELPER>"),
        "the claimer is asked first: {to_claimer:?}"
    );
    assert!(
        !to_claimer[0].contains("<@U0EXPERT>"),
        "not the experts while someone is on it: {to_claimer:?}"
    );
    assert!(to_claimer.len() <= 2, "{to_claimer:?}");
}

async fn two_instances_running_jobs_at_the_same_moment_nudge_each_question_once(backend: Backend) {
    const QUESTIONS: usize = 8;
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.escalate_to = Some(EscalateTo::Channel(ChannelId::parse("C0LEADS").unwrap()));
    })
    .await;
    app.clock.set(t("2026-11-25T10:00:00+09:00"));
    let mut questions = Vec::new();
    for i in 0..QUESTIONS {
        let topic = if i % 2 == 0 { "#payroll " } else { "" };
        questions.push(ask(&app, "UASKER", &format!("{topic}Question {i}?")).await);
    }
    settle(&app).await;

    let mut other = app.app.clone();
    other.store = Store::connect(&app.db.url, 4).await.unwrap();
    for at in ["2026-11-25T12:00:30+09:00", "2026-11-26T10:00:30+09:00"] {
        app.clock.set(t(at));
        let now = t(at);
        let run =
            |a: otagai::app::App| tokio::spawn(async move { a.run_due_jobs(now, false).await });
        let (a, b, c) = tokio::join!(
            run(app.app.clone()),
            run(other.clone()),
            run(app.app.clone())
        );
        for r in [a, b, c] {
            r.unwrap()
                .expect("a pass that loses the race still succeeds");
        }
    }
    settle(&app).await;
    for q in &questions {
        assert_eq!(nudges_of(&app, q).await.len(), 1, "{}", q.post);
    }
    let escalations = app.slack.posts_in("C0LEADS");
    assert_eq!(escalations.len(), QUESTIONS, "{escalations:?}");
    for q in &questions {
        let link = permalink(&q.channel, &q.ts);
        assert_eq!(
            escalations
                .iter()
                .filter(|e| said(e).contains(&link))
                .count(),
            1,
            "{link}"
        );
    }
    other.store.close().await;
}

// ---------------------------------------------------------------------------------------------
// Anonymity, /ask mine, /ask stats

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

async fn a_retried_old_update_never_puts_an_earlier_state_back_on_the_post(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        // A failed update waits long enough for a later one to go first.
        s.outbox.backoff_base = Duration::from_millis(1500);
        s.outbox.backoff_max = Duration::from_millis(1500);
    })
    .await;
    let q = ask(&app, "UASKER", "How do I reset my VPN token?").await;
    app.slack.script("chat.update", Scripted::ServerError);
    press_on_question(&app, &q, "UHELPER", "ask_claim").await;
    app.slack
        .wait_until(WAIT, "the failed claim update", || {
            (!app.slack.calls("chat.update").is_empty()).then_some(())
        })
        .await;
    resolve(&app, &q, "UASKER").await;
    // The claim's update comes due again after the resolution was shown.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    settle(&app).await;
    let shown = app.slack.updates_of(&q.channel, &q.ts);
    let last = said(shown.last().expect("an update"));
    assert!(
        last.contains("Resolved") && buttons(shown.last().unwrap()).is_empty(),
        "the post must stay resolved: {shown:#?}"
    );
    assert_eq!(shown.len(), 1, "the stale update is dropped: {shown:#?}");
    assert_eq!(app.outbox_counts().await.2, 0, "nothing failed");
}

async fn a_reply_with_a_file_answers_the_question(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Which cable fits the projector?").await;
    let mut event = thread_reply_event("UHELPER", &q.channel, &q.ts, "This one:");
    event["subtype"] = "file_share".into();
    ok(app.event(event).await).await;
    wait_updates(&app, &q, 1).await;
    assert_eq!(state_of(&app, &q).await, "answered");
}

async fn an_event_about_a_post_not_yet_recorded_is_left_for_slacks_retry(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..ask_options(|_| {})
        },
    )
    .await;
    app.slack.add_user("UASKER", "en-US");
    app.slack.add_user("UHELPER", "en-US");
    app.command("UASKER", "/ask", "Where is the wiki?").await;
    // Slack has the post (it is in the channel) but otagai has not recorded its ts yet.
    let resp = app
        .reaction("UHELPER", "C0HELP", "1800000000.000100", "eyes")
        .await;
    assert_eq!(resp.status(), 503, "Slack retries it later");
    // A reaction in some other channel is simply not about a question.
    let resp = app
        .reaction("UHELPER", "C0OTHER", "1800000000.000100", "eyes")
        .await;
    assert_eq!(resp.status(), 200);
}

async fn ask_mine_lists_only_the_callers_open_questions_with_links(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let none = app.command("UASKER", "/ask", "mine").await;
    assert!(!none.contains("https://"), "{none}");

    let a = ask(&app, "UASKER", "First question?").await;
    let b = ask(&app, "UASKER", "#payroll Second question?").await;
    let c = ask(&app, "UASKER", "anon Third question?").await;
    let theirs = ask(&app, "UOTHER", "Someone else's question?").await;
    claim(&app, &b, "UHELPER").await;
    resolve(&app, &a, "UASKER").await;

    let mine = app.command("UASKER", "/ask", "mine").await;
    assert!(
        !mine.contains(&permalink(&a.channel, &a.ts)),
        "resolved: {mine}"
    );
    assert!(mine.contains(&permalink(&b.channel, &b.ts)), "{mine}");
    assert!(mine.contains(&permalink(&c.channel, &c.ts)), "{mine}");
    assert!(
        !mine.contains(&permalink(&theirs.channel, &theirs.ts)),
        "not others': {mine}"
    );
    let other = app.command("UOTHER", "/ask", "mine").await;
    assert!(
        other.contains(&permalink(&theirs.channel, &theirs.ts)),
        "{other}"
    );
    assert!(!other.contains(&permalink(&b.channel, &b.ts)), "{other}");
    assert!(!other.contains(&permalink(&c.channel, &c.ts)), "{other}");
}

async fn ask_stats_counts_questions_per_topic_for_admins_only(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let empty = app.command("UADMIN", "/ask", "stats").await;
    assert!(!empty.is_empty());

    // Three on payroll (two answered, one of them resolved), one without a topic (anonymous).
    app.clock.set(t("2026-11-25T10:00:00+09:00"));
    let p1 = ask(&app, "UASKER", "#payroll One?").await;
    let p2 = ask(&app, "UOTHER", "#payroll Two?").await;
    let _p3 = ask(&app, "UASKER", "#payroll Three?").await;
    let _plain = ask(&app, "UANON", "anon Four?").await;
    app.clock.set(t("2026-11-25T11:00:00+09:00"));
    answer(&app, &p1, "UHELPER", "Answer one.").await;
    answer(&app, &p2, "UHELPER", "Answer two.").await;
    app.clock.set(t("2026-11-25T13:00:00+09:00"));
    resolve(&app, &p1, "UASKER").await;

    app.clock.set(t("2026-11-26T10:00:00+09:00"));
    let stats = app.command("UADMIN", "/ask", "stats").await;
    assert!(stats.contains("payroll"), "{stats}");
    assert!(stats.contains('3'), "three asked on payroll: {stats}");
    assert!(stats.contains('%'), "a share answered: {stats}");
    assert!(
        stats.contains("66%") || stats.contains("67%"),
        "two of three answered: {stats}"
    );
    assert!(
        stats.contains("0%"),
        "none of the one without a topic: {stats}"
    );
    for id in ["UASKER", "UOTHER", "UANON", "UHELPER"] {
        assert!(!stats.contains(id), "counts only, no people: {stats}");
    }
    assert_ne!(stats, empty);

    for user in ["UASKER", "UHELPER", "UANON"] {
        let refused = app.command(user, "/ask", "stats").await;
        assert!(!refused.contains('%'), "{user}: {refused}");
        assert!(!refused.contains("payroll"), "{user}: {refused}");
    }

    // Questions older than 30 days drop out.
    app.clock.set(t("2026-12-27T10:00:00+09:00"));
    let later = app.command("UADMIN", "/ask", "stats").await;
    assert!(!later.contains("payroll"), "{later}");
}
