//! The Home tab end to end: `app_home_opened` in, `views.publish` out, in the viewer's
//! language; a first-use view, a giver (values shown), a manager with an overdue report, an admin; refreshed
//! after a change and throttled; within 100 blocks; private notes never shown.

use crate::both_backends;
use crate::fake_slack::Scripted;
use crate::helpers::*;
use crate::one_on_one::{add_pair, one_on_one_at, people};
use crate::thanks_form::{assert_views_within_limits, view_of};
use otagai::domain::UserId;
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    a_new_person_sees_a_first_use_view_explaining_the_three_commands,
    a_giver_sees_budget_points_and_recent_thanks_with_hostile_text_escaped,
    a_manager_sees_the_overdue_report_items_topics_and_buttons_but_never_private_notes,
    an_admin_also_sees_the_export_commands,
    an_expert_sees_the_unanswered_questions_of_their_topics,
    a_thanks_refreshes_the_recipients_tab_and_a_burst_is_throttled,
    many_items_stay_within_the_hundred_block_limit_with_and_n_more,
    a_report_adds_a_topic_from_the_home_tab_as_the_command_would_and_only_the_pair_may,
    experts_named_through_a_user_group_see_their_topics_questions_and_a_slow_slack_does_not_hold_the_tab,
    a_typed_1on1_command_a_claim_by_reaction_and_a_new_question_refresh_the_tabs_they_change,
    a_give_up_costs_later_refreshes_no_tries_and_a_change_while_it_failed_is_still_shown,
    a_429_on_views_publish_pauses_every_tab_for_its_retry_after,
);

const WAIT: Duration = Duration::from_secs(15);

async fn home_app(backend: Backend) -> TestApp {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()];
                s.bonus.values = vec!["teamwork".into(), "ownership".into()];
            }),
            ..Options::default()
        },
    )
    .await;
    people(&app, &["UNEW", "UGIVER", "UBOB", "UMGR", "UREP", "UADMIN"]);
    app.slack.add_user("UJA", "ja-JP");
    app
}

/// Opens `user`'s Home tab; returns the view published for them.
async fn open_home(app: &TestApp, user: &str) -> Value {
    let before = publishes_for(app, user).len();
    let resp = app
        .event(
            json!({ "type": "app_home_opened", "user": user, "channel": "D0HOME",
            "tab": "home", "event_ts": fresh_ts() }),
        )
        .await;
    assert_eq!(resp.status(), 200);
    app.slack
        .wait_until(WAIT, &format!("the home tab of {user}"), || {
            let got = publishes_for(app, user);
            (got.len() > before).then(|| got.last().cloned().unwrap())
        })
        .await
}

fn publishes_for(app: &TestApp, user: &str) -> Vec<Value> {
    app.slack
        .accepted("views.publish")
        .into_iter()
        .filter(|c| c["user_id"] == user)
        .map(|c| view_of(&c))
        .collect()
}

fn shown(view: &Value) -> String {
    view["blocks"].to_string()
}

fn has_button(view: &Value, action_id: &str) -> bool {
    shown(view).contains(&format!("\"action_id\":\"{action_id}"))
}

/// Lets the throttle window pass, so the next open publishes at once.
async fn past_throttle() {
    tokio::time::sleep(Duration::from_millis(5200)).await;
}

async fn a_new_person_sees_a_first_use_view_explaining_the_three_commands(backend: Backend) {
    let app = home_app(backend).await;
    let view = open_home(&app, "UNEW").await;
    assert_eq!(view["type"], "home");
    let text = shown(&view);
    for want in ["/thanks @alex", "/1on1 add", "/ask #payroll"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(has_button(&view, "thanks_open"), "{text}");
    let ja = open_home(&app, "UJA").await;
    assert!(shown(&ja).contains("ようこそ"), "{ja}");
    // The Messages tab publishes nothing.
    app.event(
        json!({ "type": "app_home_opened", "user": "UBOB", "channel": "D0HOME",
        "tab": "messages", "event_ts": fresh_ts() }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(publishes_for(&app, "UBOB").is_empty());
    assert_views_within_limits(&app);
}

async fn a_giver_sees_budget_points_and_recent_thanks_with_hostile_text_escaped(backend: Backend) {
    let app = home_app(backend).await;
    let reply = app
        .thanks(
            "UGIVER",
            "<@UBOB> +10 fixed the &lt;!channel&gt; alert before the release #teamwork #ownership",
        )
        .await;
    assert!(reply.contains("<@UBOB>"), "{reply}");
    past_throttle().await;
    let view = open_home(&app, "UGIVER").await;
    let text = shown(&view);
    assert!(text.contains("390"), "budget left: {text}");
    // Who, what, points and values.
    assert!(
        text.contains("<@UBOB>") && text.contains("(+10) #ownership #teamwork"),
        "{text}"
    );
    assert!(!text.contains("<!channel>"), "user text escaped: {text}");
    assert!(text.contains("@channel alert"), "shown, disarmed: {text}");
    assert!(has_button(&view, "thanks_open"));
    let bob = open_home(&app, "UBOB").await;
    let bob_text = shown(&bob);
    assert!(bob_text.contains("<@UGIVER>"), "{bob_text}");
    assert!(
        bob_text.contains("(+10) #ownership #teamwork"),
        "{bob_text}"
    );
    assert_views_within_limits(&app);
}

async fn a_manager_sees_the_overdue_report_items_topics_and_buttons_but_never_private_notes(
    backend: Backend,
) {
    let app = home_app(backend).await;
    add_pair(&app, "2026-10-01T10:00:00+09:00", "UMGR", "UREP").await;
    let r = one_on_one_at(
        &app,
        "2026-10-02T10:00:00+09:00",
        "UMGR",
        "done <@UREP> PRIVATE-NOTE-XYZ talked about the move",
    )
    .await;
    assert!(!r.is_empty());
    one_on_one_at(
        &app,
        "2026-10-02T10:05:00+09:00",
        "UMGR",
        "todo <@UREP> write the plan",
    )
    .await;
    one_on_one_at(
        &app,
        "2026-10-02T10:06:00+09:00",
        "UREP",
        "topic <@UMGR> career growth",
    )
    .await;
    app.clock
        .set(crate::one_on_one::t("2026-11-20T10:00:00+09:00"));
    let view = open_home(&app, "UMGR").await;
    let text = shown(&view);
    assert!(
        text.contains("<@UREP>") && text.contains("overdue"),
        "{text}"
    );
    assert!(
        text.contains("write the plan") && text.contains("career growth"),
        "{text}"
    );
    for b in ["oneonone_todo_done_", "oneonone_held", "oneonone_snooze"] {
        assert!(has_button(&view, b), "{b}: {text}");
    }
    let report = open_home(&app, "UREP").await;
    let rtext = shown(&report);
    assert!(
        rtext.contains("<@UMGR>") && rtext.contains("career growth"),
        "{rtext}"
    );
    assert!(!has_button(&report, "oneonone_held"), "{rtext}");
    for call in app.slack.accepted("views.publish") {
        assert!(!call.to_string().contains("PRIVATE-NOTE-XYZ"), "{call}");
    }
    assert_views_within_limits(&app);
}

async fn an_admin_also_sees_the_export_commands(backend: Backend) {
    let app = home_app(backend).await;
    app.thanks("UADMIN", "<@UBOB> thanks for the onboarding docs")
        .await;
    past_throttle().await;
    let view = open_home(&app, "UADMIN").await;
    assert!(shown(&view).contains("otagai export ledger"), "{view}");
    app.thanks("UGIVER", "<@UBOB> thanks for the onboarding docs")
        .await;
    past_throttle().await;
    let other = open_home(&app, "UGIVER").await;
    assert!(!shown(&other).contains("otagai export ledger"), "{other}");
}

async fn a_thanks_refreshes_the_recipients_tab_and_a_burst_is_throttled(backend: Backend) {
    let app = home_app(backend).await;
    for i in 0..4 {
        app.thanks(
            "UGIVER",
            &format!("<@UBOB> thanks for review number {i} today"),
        )
        .await;
    }
    // One publish at once, one at the end of the interval with everything: not four.
    let bob = app
        .slack
        .wait_until(Duration::from_secs(12), "the coalesced refresh", || {
            let got = publishes_for(&app, "UBOB");
            (got.len() >= 2).then_some(got)
        })
        .await;
    tokio::time::sleep(Duration::from_millis(5500)).await;
    let bob_now = publishes_for(&app, "UBOB");
    assert_eq!(bob_now.len(), 2, "{bob_now:?}");
    assert!(
        shown(&bob[1]).contains("review number 3"),
        "{}",
        shown(&bob[1])
    );
    assert_views_within_limits(&app);
}

async fn many_items_stay_within_the_hundred_block_limit_with_and_n_more(backend: Backend) {
    let app = home_app(backend).await;
    let reports: Vec<String> = (0..40).map(|i| format!("UREP{i:02}")).collect();
    for r in &reports {
        app.slack.add_user(r, "en-US");
    }
    for (i, r) in reports.iter().enumerate() {
        // Invitations are at most twenty a day: two days of them.
        let day = format!("2026-10-{:02}T10:00:00+09:00", 1 + 2 * (i / 20));
        add_pair(&app, &day, "UMGR", r).await;
        for n in 0..3 {
            app.command("UMGR", "/1on1", &format!("todo <@{r}> item {n} for {r}"))
                .await;
        }
    }
    past_throttle().await;
    let view = open_home(&app, "UMGR").await;
    let blocks = view["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 100, "{}", blocks.len());
    assert!(shown(&view).contains("more"), "{}", shown(&view));
    assert_views_within_limits(&app);
}

/// An app whose questions go to #C0HELP, with a `payroll` topic whose expert is UPAY1.
async fn payroll_app(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.ask.channel = Some(otagai::domain::ChannelId::parse("C0HELP").unwrap());
                s.ask.topics.insert(
                    "payroll".into(),
                    otagai::config::AskTopic {
                        channel: None,
                        experts: vec![otagai::domain::Expert::parse("UPAY1").unwrap()],
                    },
                );
            }),
            ..Options::default()
        },
    )
    .await
}

async fn an_expert_sees_the_unanswered_questions_of_their_topics(backend: Backend) {
    let app = payroll_app(backend).await;
    people(&app, &["UASKER", "UPAY1", "UOTHER"]);
    let r = app
        .command(
            "UASKER",
            "/ask",
            "#payroll Where is the payslip archive kept?",
        )
        .await;
    assert!(!r.is_empty());
    app.slack.wait_posts_in("C0HELP", 1, WAIT).await;
    let view = open_home(&app, "UPAY1").await;
    assert!(shown(&view).contains("payslip archive"), "{view}");
    let other = open_home(&app, "UOTHER").await;
    assert!(!shown(&other).contains("payslip archive"), "{other}");
    let asker = open_home(&app, "UASKER").await;
    assert!(
        shown(&asker).contains("payslip archive"),
        "their own: {asker}"
    );
    assert_views_within_limits(&app);
}

/// The value of the button `action_id` in `view`.
fn button_value(view: &Value, action_id: &str) -> String {
    view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["elements"].as_array())
        .flatten()
        .find(|e| e["action_id"] == action_id)
        .and_then(|e| e["value"].as_str())
        .unwrap_or_else(|| panic!("no {action_id} in {view}"))
        .to_owned()
}

/// Submits the topic form as `user`; returns the errors by field (`Null` when it closed).
async fn submit_topic(app: &TestApp, user: &str, pair: &str, text: &str, view_id: &str) -> Value {
    let values = json!({ "topic": { "topic": { "type": "plain_text_input", "value": text } } });
    let resp = app
        .submit_view_with_id(user, "topic_form", pair, values, view_id)
        .await;
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    if body.is_empty() {
        return Value::Null;
    }
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["response_action"], "errors", "{v}");
    v["errors"].clone()
}

async fn topics(app: &TestApp) -> Vec<(String, String)> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_as("SELECT body, added_by FROM topics ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

async fn a_report_adds_a_topic_from_the_home_tab_as_the_command_would_and_only_the_pair_may(
    backend: Backend,
) {
    let app = home_app(backend).await;
    people(&app, &["UOTHER"]);
    add_pair(&app, "2026-10-01T10:00:00+09:00", "UMGR", "UREP").await;
    app.clock
        .set(crate::one_on_one::t("2026-10-03T10:00:00+09:00"));
    let view = open_home(&app, "UREP").await;
    let pair = button_value(&view, "oneonone_topic_open");
    // The button opens the form, naming the other person.
    let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press_with_trigger(
            "UREP",
            "oneonone_topic_open",
            &pair,
            "D0HOME",
            "1700000000.000100",
            &app.slack.response_url("home"),
            &trigger,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let opened = app.slack.wait_for("views.open", 1, WAIT).await;
    let form = view_of(&opened[0]);
    assert_eq!(opened[0]["trigger_id"], trigger.as_str());
    assert_eq!(form["callback_id"], "topic_form");
    assert_eq!(form["private_metadata"], pair.as_str());
    assert!(form.to_string().contains("<@UMGR>"), "{form}");
    // Someone outside the pair cannot open it either.
    app.press_with_trigger(
        "UOTHER",
        "oneonone_topic_open",
        &pair,
        "D0HOME",
        "1700000000.000100",
        &app.slack.response_url("other"),
        "trig-other",
    )
    .await;
    let refusal = app
        .slack
        .wait_until(WAIT, "the refusal to UOTHER", || {
            app.slack.accepted("hooks/other").pop()
        })
        .await;
    assert!(
        refusal["text"].as_str().unwrap().contains("isn't yours"),
        "{refusal}"
    );
    assert_eq!(app.slack.accepted("views.open").len(), 1);

    // The command's rules, each as an error on the field, nothing stored.
    let empty = submit_topic(&app, "UREP", &pair, "   ", "VT0").await;
    assert!(
        empty["topic"].as_str().unwrap().contains("Write what"),
        "{empty}"
    );
    let long = submit_topic(&app, "UREP", &pair, &"x".repeat(501), "VT0").await;
    assert!(long["topic"].as_str().unwrap().contains("500"), "{long}");
    // The pair in private_metadata is a claim, checked against whoever submits.
    let outsider = submit_topic(&app, "UOTHER", &pair, "let me in", "VT9").await;
    assert!(
        outsider["topic"].as_str().unwrap().contains("isn't yours"),
        "{outsider}"
    );
    let forged = submit_topic(&app, "UREP", "999999", "elsewhere", "VT8").await;
    assert!(forged["topic"].is_string(), "{forged}");
    assert!(topics(&app).await.is_empty());

    // Stored as typed, once per view however often Slack sends it.
    for _ in 0..2 {
        let ok = submit_topic(&app, "UREP", &pair, "  <!channel> career growth  ", "VT1").await;
        assert!(ok.is_null(), "{ok}");
    }
    // The manager may add one too; and the command stores the same way.
    assert!(
        submit_topic(&app, "UMGR", &pair, "the move", "VT2")
            .await
            .is_null()
    );
    app.command("UREP", "/1on1", "topic <@UMGR> &lt;!channel&gt; by command")
        .await;
    assert_eq!(
        topics(&app).await,
        vec![
            ("<!channel> career growth".to_owned(), "UREP".to_owned()),
            ("the move".to_owned(), "UMGR".to_owned()),
            ("<!channel> by command".to_owned(), "UREP".to_owned()),
        ]
    );
    past_throttle().await;
    let after = open_home(&app, "UREP").await;
    let text = shown(&after);
    assert!(text.contains("@channel career growth"), "{text}");
    assert!(!text.contains("<!channel>"), "{text}");
    let manager = open_home(&app, "UMGR").await;
    assert!(shown(&manager).contains("career growth"), "{manager}");
    assert_eq!(button_value(&manager, "oneonone_topic_open"), pair);
    assert_views_within_limits(&app);
}

async fn experts_named_through_a_user_group_see_their_topics_questions_and_a_slow_slack_does_not_hold_the_tab(
    backend: Backend,
) {
    let topic = |expert: &str| otagai::config::AskTopic {
        channel: None,
        experts: vec![otagai::domain::Expert::parse(expert).unwrap()],
    };
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(move |s| {
                s.ask.channel = Some(otagai::domain::ChannelId::parse("C0HELP").unwrap());
                s.ask.topics.insert("payroll".into(), topic("S0PAY"));
                s.ask.topics.insert("it".into(), topic("S0IT"));
            }),
            ..Options::default()
        },
    )
    .await;
    people(&app, &["UASKER", "UPAY1", "UPAY2", "UIT1", "UOTHER"]);
    app.slack.add_group("S0PAY", &["UPAY1", "UPAY2"]);
    app.slack.add_group("S0IT", &["UIT1"]);
    app.command(
        "UASKER",
        "/ask",
        "#payroll Where is the payslip archive kept?",
    )
    .await;
    app.slack.wait_posts_in("C0HELP", 1, WAIT).await;
    let view = open_home(&app, "UPAY2").await;
    assert!(shown(&view).contains("payslip archive"), "{view}");
    let other = open_home(&app, "UOTHER").await;
    assert!(!shown(&other).contains("payslip archive"), "{other}");
    // Membership is asked for once and then cached.
    let first = open_home(&app, "UPAY1").await;
    assert!(shown(&first).contains("payslip archive"), "{first}");
    let asked = app.slack.accepted("usergroups.users.list");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0]["usergroup"], "S0PAY");

    // Slack slow to name a group's members: the tab comes anyway, without that group's
    // questions, well before Slack answers.
    app.command("UASKER", "/ask", "#it The VPN drops every hour")
        .await;
    app.slack.wait_posts_in("C0HELP", 2, WAIT).await;
    // Slower than the tab waits, every time: the call runs on and fills the cache anyway.
    for _ in 0..2 {
        app.slack.script(
            "usergroups.users.list",
            Scripted::Delay(Duration::from_secs(4)),
        );
    }
    let started = std::time::Instant::now();
    let slow = open_home(&app, "UIT1").await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert!(!shown(&slow).contains("VPN drops"), "{slow}");
    // Once Slack has answered that call, the member sees it, without asking again.
    past_throttle().await;
    let later = open_home(&app, "UIT1").await;
    assert!(shown(&later).contains("VPN drops"), "{later}");
    assert!(!shown(&later).contains("payslip archive"), "{later}");
    let asked = app.slack.calls("usergroups.users.list");
    assert_eq!(asked.len(), 2, "S0PAY once, S0IT once: {asked:?}");
    assert_views_within_limits(&app);
}

/// Waits for a publish of `user`'s tab beyond the first `after`, whose blocks contain `want`.
async fn wait_publish(app: &TestApp, user: &str, after: usize, want: &str) -> Value {
    app.slack
        .wait_until(WAIT, &format!("a refresh of {user} showing {want}"), || {
            publishes_for(app, user)
                .into_iter()
                .skip(after)
                .find(|v| shown(v).contains(want))
        })
        .await
}

async fn a_typed_1on1_command_a_claim_by_reaction_and_a_new_question_refresh_the_tabs_they_change(
    backend: Backend,
) {
    let app = payroll_app(backend).await;
    people(&app, &["UMGR", "UREP", "UASKER", "UPAY1", "UHELPER"]);
    add_pair(&app, "2026-10-01T10:00:00+09:00", "UMGR", "UREP").await;
    // Accepting the invitation put the pair on both tabs, unopened.
    wait_publish(&app, "UMGR", 0, "<@UREP>").await;
    wait_publish(&app, "UREP", 0, "<@UMGR>").await;
    past_throttle().await;

    // `/1on1 done` typed by the manager: the report's tab shows it, without opening it.
    let before = publishes_for(&app, "UREP").len();
    let done = one_on_one_at(&app, "2026-10-02T10:00:00+09:00", "UMGR", "done <@UREP>").await;
    assert!(done.contains("<@UREP>"), "{done}");
    let rep = wait_publish(&app, "UREP", before, "2026-10-02").await;
    assert!(shown(&rep).contains("<@UMGR>"), "{rep}");

    // A new question reaches its expert's tab; a 👀 by someone else refreshes the asker's.
    app.command(
        "UASKER",
        "/ask",
        "#payroll Where is the payslip archive kept?",
    )
    .await;
    let post = app.slack.wait_posts_in("C0HELP", 1, WAIT).await;
    wait_publish(&app, "UPAY1", 0, "payslip archive").await;
    let asker = wait_publish(&app, "UASKER", 0, "payslip archive").await;
    assert!(shown(&asker).contains("(open)"), "{asker}");
    let seen = publishes_for(&app, "UASKER").len();
    let resp = app.reaction("UHELPER", "C0HELP", &post[0].ts, "eyes").await;
    assert_eq!(resp.status(), 200);
    wait_publish(&app, "UASKER", seen, "(taken)").await;
    // Nobody opened a tab in this test: every publish came from a change.
    assert!(app.slack.accepted("views.publish").len() >= 5);
    assert_views_within_limits(&app);
}

/// Asks for `user`'s tab by opening it, without waiting for the publish.
async fn ask_home(app: &TestApp, user: &str) {
    let resp = app
        .event(
            json!({ "type": "app_home_opened", "user": user, "channel": "D0HOME",
            "tab": "home", "event_ts": fresh_ts() }),
        )
        .await;
    assert_eq!(resp.status(), 200);
}

/// Waits until views.publish has been called `n` times in all (failures included).
async fn wait_publish_calls(app: &TestApp, n: usize) {
    app.slack
        .wait_until(WAIT, &format!("{n} calls of views.publish"), || {
            (app.slack.calls("views.publish").len() >= n).then_some(())
        })
        .await;
}

async fn a_give_up_costs_later_refreshes_no_tries_and_a_change_while_it_failed_is_still_shown(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.slack.request_timeout = Duration::from_secs(2);
            }),
            ..Options::default()
        },
    )
    .await;
    people(&app, &["UGIVER", "UBOB"]);
    // Five failures: the refresh is given up.
    for _ in 0..5 {
        app.slack.script("views.publish", Scripted::ServerError);
    }
    ask_home(&app, "UBOB").await;
    wait_publish_calls(&app, 5).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.slack.calls("views.publish").len(), 5);
    assert!(publishes_for(&app, "UBOB").is_empty());
    // The next refresh has all its tries again: one failure does not end it.
    app.slack.script("views.publish", Scripted::ServerError);
    open_home(&app, "UBOB").await;
    past_throttle().await;

    // The last try fails slowly (a timeout), and a thanks to Bob comes meanwhile: it is shown
    // once the interval has passed, not dropped with the refresh that was failing.
    let calls = app.slack.calls("views.publish").len();
    for _ in 0..4 {
        app.slack.script("views.publish", Scripted::ServerError);
    }
    app.slack
        .script("views.publish", Scripted::Delay(Duration::from_secs(4)));
    ask_home(&app, "UBOB").await;
    wait_publish_calls(&app, calls + 5).await;
    let seen = publishes_for(&app, "UBOB").len();
    app.thanks("UGIVER", "<@UBOB> thanks for staying late on the incident")
        .await;
    let bob = wait_publish(&app, "UBOB", seen, "staying late").await;
    assert!(shown(&bob).contains("<@UGIVER>"), "{bob}");
}

async fn a_429_on_views_publish_pauses_every_tab_for_its_retry_after(backend: Backend) {
    let app = home_app(backend).await;
    app.slack.script("views.publish", Scripted::RateLimited(2));
    ask_home(&app, "UBOB").await;
    wait_publish_calls(&app, 1).await;
    let limited = app.slack.calls("views.publish")[0].at;
    // Another person's tab, due during the pause, waits for its end too.
    open_home(&app, "UNEW").await;
    let bob = app
        .slack
        .wait_until(WAIT, "Bob's tab after the pause", || {
            publishes_for(&app, "UBOB").pop()
        })
        .await;
    assert_eq!(bob["type"], "home");
    let calls = app.slack.calls("views.publish");
    assert_eq!(calls.len(), 3, "one 429, then each tab once: {calls:?}");
    for c in &calls[1..] {
        assert!(
            c.at.duration_since(limited) >= Duration::from_millis(1900),
            "published {:?} after the 429",
            c.at.duration_since(limited)
        );
    }
}
