//! `/1on1` end to end: pairs, records, private notes, action items and topics, the buttons of
//! a reminder and of the pulse (through the real `/slack/interactions` endpoint), and the
//! anonymous feedback. The reminder schedule itself is in `reminders.rs`.

use crate::both_backends;
use crate::helpers::*;
use crate::thanks::{count, posts_to, wait_outbox_idle};
use chrono::{DateTime, Utc};
use otagai::domain::UserId;
use otagai::scheduler::JobsReport;
use serde_json::Value;
use sqlx::Row;
use std::time::{Duration, Instant};

both_backends!(
    a_manager_adds_a_report_with_the_default_cadence_and_changes_it_by_adding_again,
    nobody_can_add_someone_elses_report_themselves_a_bot_or_a_deactivated_user,
    only_the_manager_removes_a_report_and_their_history_stays,
    either_person_records_a_1on1_the_report_gets_the_pulse_and_the_next_due_day_moves,
    notes_are_shown_to_the_two_people_of_the_pair_and_nowhere_else,
    action_items_belong_to_the_pair_and_only_its_two_people_can_close_them,
    held_it_today_on_a_reminder_records_the_1on1_and_replaces_the_reminder,
    snooze_by_the_manager_holds_reminders_and_other_peoples_presses_change_nothing,
    a_pulse_is_answered_once_anonymously_and_only_by_the_report,
    feedback_shows_nothing_until_enough_answers_and_the_report_is_for_admins_with_counts_only,
    feedback_never_shows_one_persons_answers_and_grows_only_in_steps,
    a_report_can_leave_a_pair_that_someone_started_with_them,
    a_1on1_dated_more_than_a_year_ago_is_refused_as_a_likely_typo,
    a_manager_who_left_the_workspace_is_not_reminded,
    two_managers_adding_one_report_at_once_get_one_pair_and_two_clear_answers,
    a_retried_done_has_one_effect_and_gets_the_same_answer,
    when_slack_cannot_confirm_the_report_nothing_is_added_and_the_same_request_can_be_retried,
);

/// An instant written with its offset, e.g. `2026-11-24T09:45:00+09:00`.
pub(crate) fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Adds each of `ids` to the fake Slack as an English-speaking person in Tokyo.
pub(crate) fn people(app: &TestApp, ids: &[&str]) {
    for id in ids {
        app.slack.add_user(id, "en-US");
    }
}

/// `/1on1 text` as `user`, with the app's clock at `at`.
pub(crate) async fn one_on_one_at(app: &TestApp, at: &str, user: &str, text: &str) -> String {
    app.clock.set(t(at));
    app.command(user, "/1on1", text).await
}

/// `manager` adds `report` (default cadence) with the clock at `at`: an admin directly, anyone
/// else by an invitation that `report` accepts.
pub(crate) async fn add_pair(app: &TestApp, at: &str, manager: &str, report: &str) {
    let r = one_on_one_at(app, at, manager, &format!("add <@{report}>")).await;
    if r.starts_with("I've asked <@") {
        let accepted = accept_invitation(app, report).await;
        assert!(accepted.starts_with("You accepted"), "{accepted}");
    } else {
        assert!(r.starts_with("Added <@"), "{r}");
    }
}

/// `/1on1 add` by a manager who is not an admin, accepted by the report: the reply to the add
/// and the report's answer to pressing Accept.
pub(crate) async fn add_accepted(
    app: &TestApp,
    manager: &str,
    report: &str,
    text: &str,
) -> (String, String) {
    let r = app.command(manager, "/1on1", text).await;
    assert!(r.starts_with(&format!("I've asked <@{report}>")), "{r}");
    let accepted = accept_invitation(app, report).await;
    (r, accepted)
}

/// `report` presses Accept on the DM of their newest open invitation; the answer's text.
pub(crate) async fn accept_invitation(app: &TestApp, report: &str) -> String {
    let id = scalar(
        app,
        &format!(
            "SELECT MAX(id) FROM pair_invitations WHERE report_id = '{report}' AND answer IS NULL"
        ),
    )
    .await
    .to_string();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !posts_to(app, report)
        .iter()
        .any(|p| buttons(p).contains(&("oneonone_invite_accept".to_owned(), id.clone())))
    {
        assert!(Instant::now() < deadline, "no invitation {id} to {report}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let answer = press(app, report, "oneonone_invite_accept", &id).await;
    answer["text"].as_str().unwrap_or_default().to_owned()
}

/// One scheduler pass as of `at`, with the app's clock moved there too.
pub(crate) async fn run_at(app: &TestApp, at: &str) -> JobsReport {
    app.clock.set(t(at));
    app.app.run_due_jobs(t(at), false).await.expect("jobs run")
}

/// A single number from the database.
pub(crate) async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

/// Every (action_id, value) of the buttons in a posted message, at any depth of its blocks.
pub(crate) fn buttons(post: &Value) -> Vec<(String, String)> {
    fn walk(v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(a)), Some(Value::String(val))) =
                    (m.get("action_id"), m.get("value"))
                {
                    out.push((a.clone(), val.clone()));
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&post["blocks"], &mut out);
    out
}

/// The value of the button `action_id` in `post`.
pub(crate) fn button(post: &Value, action_id: &str) -> String {
    buttons(post)
        .into_iter()
        .find(|(a, _)| a == action_id)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {action_id} button in {post}"))
}

/// The DMs `user` got that carry a button whose action_id starts with `prefix`, waiting until
/// there are `n` of them.
pub(crate) async fn wait_dms_with(app: &TestApp, user: &str, prefix: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let got: Vec<Value> = posts_to(app, user)
            .into_iter()
            .filter(|p| buttons(p).iter().any(|(a, _)| a.starts_with(prefix)))
            .collect();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "expected {n} DMs to {user} with {prefix} buttons, got {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Presses a button and returns what was posted to its response_url.
pub(crate) async fn press(app: &TestApp, user: &str, action_id: &str, value: &str) -> Value {
    let hook = format!("press-{}", uuid::Uuid::new_v4().simple());
    let resp = app
        .press(user, action_id, value, &app.slack.response_url(&hook))
        .await;
    assert_eq!(resp.status(), 200, "{action_id} {value}");
    app.slack
        .wait_for(&format!("hooks/{hook}"), 1, Duration::from_secs(15))
        .await
        .remove(0)
}

fn replaces(answer: &Value) -> bool {
    answer.get("replace_original") == Some(&Value::Bool(true))
}

fn text(answer: &Value) -> &str {
    answer["text"].as_str().unwrap_or_default()
}

/// The number after `#` in a reply like "Action item #12 added …".
fn item_number(reply: &str) -> i64 {
    let at = reply
        .find('#')
        .unwrap_or_else(|| panic!("no #N in {reply}"));
    reply[at + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn pair_row(app: &TestApp, report: &str) -> (String, String, String, Option<String>) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_as(
        "SELECT manager_id, cadence, due_on, snoozed_until FROM pairs \
         WHERE report_id = $1 AND ended_at IS NULL",
    )
    .bind(report)
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

fn admin_options() -> Options {
    Options {
        settings: Box::new(|s| s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()]),
        ..Default::default()
    }
}

async fn a_manager_adds_a_report_with_the_default_cadence_and_changes_it_by_adding_again(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    // Monday 2026-11-09 in Tokyo; the default cadence is every two weeks.
    app.clock.set(t("2026-11-09T10:00:00+09:00"));
    let (r, accepted) = add_accepted(&app, "UMGR", "UREP", "add <@UREP|rep>").await;
    assert_eq!(
        r,
        "I've asked <@UREP> to confirm 1on1s with you (every 2 weeks). The pair starts once they \
         accept; the invitation expires in 14 days."
    );
    assert!(
        accepted.starts_with("You accepted: regular 1on1s with <@UMGR> (every 2 weeks)."),
        "{accepted}"
    );
    let to_manager = wait_dm_text(&app, "UMGR", "<@UREP> accepted").await;
    assert_eq!(
        to_manager,
        "<@UREP> accepted your invitation: 1on1s every 2 weeks. The first is due on 2026-11-23; \
         I'll remind you if it slips."
    );
    assert_eq!(
        pair_row(&app, "UREP").await,
        ("UMGR".into(), "biweekly".into(), "2026-11-23".into(), None)
    );
    let r = app.command("UMGR", "/1on1", "add <@UREP>").await;
    assert_eq!(
        r,
        "<@UREP> is already your report, with 1on1s every 2 weeks."
    );
    let r = app.command("UMGR", "/1on1", "add <@UREP> weekly").await;
    assert_eq!(
        r,
        "1on1s with <@UREP> are now weekly. The next is due on 2026-11-16."
    );
    let r = app.command("UMGR", "/1on1", "add <@UREP> every 10d").await;
    assert_eq!(
        r,
        "1on1s with <@UREP> are now every 10 days. The next is due on 2026-11-19."
    );
    assert_eq!(count(&app, "pairs").await, 1, "a re-add is not a new pair");
    assert_eq!(
        pair_row(&app, "UREP").await,
        ("UMGR".into(), "every 10d".into(), "2026-11-19".into(), None)
    );

    let mine = app.command("UMGR", "/1on1", "list").await;
    assert_eq!(
        mine,
        "*Your 1on1s*\n• <@UREP> (your report, every 10 days): last never, next due 2026-11-19, \
         on track, 0 open items"
    );
    let theirs = app.command("UREP", "/1on1", "").await;
    assert_eq!(
        theirs,
        "*Your 1on1s*\n• <@UMGR> (your manager, every 10 days): last never, next due 2026-11-19, \
         on track, 0 open items"
    );

    // The report heard about it once (the invitation), not once per add.
    wait_outbox_idle(&app).await;
    let dms = posts_to(&app, "UREP");
    assert_eq!(dms.len(), 1, "{dms:?}");
    assert!(
        dms[0]["text"].as_str().unwrap().starts_with(
            "<@UMGR> would like to have regular 1on1s with you as your manager (every 2 weeks)."
        ),
        "{dms:?}"
    );
}

async fn nobody_can_add_someone_elses_report_themselves_a_bot_or_a_deactivated_user(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UOTHER"]);
    app.slack.add_bot("UBOT");
    app.slack.add_deactivated("UGONE");
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    wait_outbox_idle(&app).await;
    let before = (
        count(&app, "pairs").await,
        count(&app, "outbox").await,
        count(&app, "audit_log").await,
    );

    // A third person is not told who the manager is.
    let r = app.command("UOTHER", "/1on1", "add <@UREP> weekly").await;
    assert_eq!(
        r,
        "<@UREP> already has a manager in otagai; they or an admin can change it."
    );
    assert!(!r.contains("UMGR"), "{r}");
    let r = app.command("UOTHER", "/1on1", "add <@UOTHER>").await;
    assert_eq!(r, "You can't be your own report. Try `/1on1 add @someone`.");
    for who in ["UBOT", "UGONE", "UNOBODY"] {
        let r = app
            .command("UOTHER", "/1on1", &format!("add <@{who}>"))
            .await;
        assert!(
            r.starts_with(&format!("<@{who}> isn't a person in this workspace")),
            "{who}: {r}"
        );
    }
    let r = app.command("UREP", "/1on1", "add <@UMGR>").await;
    assert_eq!(
        r,
        "<@UMGR> is your manager here, so they can't also be your report."
    );
    let r = app.command("UOTHER", "/1on1", "add @rep").await;
    assert!(r.contains("`/1on1 add @alex weekly`"), "{r}");

    assert_eq!(
        pair_row(&app, "UREP").await,
        ("UMGR".into(), "biweekly".into(), "2026-11-23".into(), None),
        "the pair is untouched"
    );
    let after = (
        count(&app, "pairs").await,
        count(&app, "outbox").await,
        count(&app, "audit_log").await,
    );
    assert_eq!(after, before, "refusals change nothing and send nothing");
}

async fn only_the_manager_removes_a_report_and_their_history_stays(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UOTHER"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    let r = one_on_one_at(&app, "2026-11-20T15:00:00+09:00", "UMGR", "done <@UREP>").await;
    assert!(r.starts_with("Recorded"), "{r}");

    for who in ["UOTHER", "UREP"] {
        let r = app.command(who, "/1on1", "remove <@UREP>").await;
        assert_eq!(
            r, "<@UREP> isn't one of your reports. Only their manager can change their 1on1s.",
            "{who}"
        );
    }
    assert_eq!(pair_row(&app, "UREP").await.0, "UMGR", "still paired");

    let r = app.command("UMGR", "/1on1", "remove <@UREP>").await;
    assert_eq!(
        r,
        "<@UREP> is no longer your report. Your 1on1 history together is kept."
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL").await,
        0
    );
    assert_eq!(count(&app, "meetings").await, 1, "history is kept");
    let r = app.command("UMGR", "/1on1", "list").await;
    assert!(r.starts_with("You have no regular 1on1s yet."), "{r}");
    let r = app.command("UMGR", "/1on1", "remove <@UREP>").await;
    assert!(r.contains("isn't one of your reports"), "{r}");
    // An ended pair is never reminded, however late its 1on1 would be.
    let jobs = run_at(&app, "2026-12-07T09:45:00+09:00").await;
    assert_eq!((jobs.considered, jobs.queued), (0, 0));

    // Free to start again with someone else; the new pair starts fresh.
    let (r, accepted) = add_accepted(&app, "UOTHER", "UREP", "add <@UREP> weekly").await;
    assert!(r.starts_with("I've asked <@UREP>"), "{r}");
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    let r = app.command("UREP", "/1on1", "list").await;
    assert!(
        r.contains("<@UOTHER> (your manager, weekly): last never"),
        "{r}"
    );
}

async fn either_person_records_a_1on1_the_report_gets_the_pulse_and_the_next_due_day_moves(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UTHIRD"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;

    // Friday 2026-11-20 in Tokyo.
    let r = one_on_one_at(&app, "2026-11-20T15:00:00+09:00", "UREP", "done <@UMGR>").await;
    assert_eq!(
        r,
        "Recorded your 1on1 with <@UMGR> on 2026-11-20. The next is due on 2026-12-04."
    );
    let r = app.command("UMGR", "/1on1", "done <@UREP>").await;
    assert_eq!(r, "A 1on1 with <@UREP> on 2026-11-20 is already recorded.");
    let r = app
        .command("UMGR", "/1on1", "done <@UREP> on 2026-11-21")
        .await;
    assert_eq!(
        r,
        "2026-11-21 hasn't happened yet. Record a 1on1 once it's held."
    );
    let r = app
        .command("UMGR", "/1on1", "done <@UREP> on 2026-02-30")
        .await;
    assert!(
        r.starts_with("`2026-02-30` isn't a date I can read."),
        "{r}"
    );
    let r = app.command("UTHIRD", "/1on1", "done <@UREP>").await;
    assert!(
        r.starts_with("You and <@UREP> don't have regular 1on1s."),
        "{r}"
    );
    // An earlier 1on1 recorded late is kept but does not move the due day back.
    let r = app
        .command("UMGR", "/1on1", "done <@UREP> on 2026-11-17")
        .await;
    assert_eq!(
        r,
        "Recorded your 1on1 with <@UREP> on 2026-11-17. The next is due on 2026-12-04."
    );
    // One from long ago: recorded, but memories have faded, so no pulse for it.
    let r = app
        .command("UMGR", "/1on1", "done <@UREP> on 2026-10-01")
        .await;
    assert!(
        r.starts_with("Recorded your 1on1 with <@UREP> on 2026-10-01."),
        "{r}"
    );
    assert_eq!(count(&app, "meetings").await, 3);
    assert_eq!(count(&app, "pulse_requests").await, 2);

    let r = app.command("UMGR", "/1on1", "list").await;
    assert!(
        r.contains(
            "• <@UREP> (your report, every 2 weeks): last 2026-11-20, next due 2026-12-04, on track"
        ),
        "{r}"
    );

    // The pulse goes to the report, with its buttons, and never to the manager.
    wait_dms_with(&app, "UREP", "pulse_", 2).await;
    wait_outbox_idle(&app).await;
    let pulses = wait_dms_with(&app, "UREP", "pulse_", 2).await;
    assert_eq!(pulses.len(), 2, "one per recent 1on1: {pulses:?}");
    for p in &pulses {
        let ids: Vec<String> = buttons(p).into_iter().map(|(a, _)| a).collect();
        for want in [
            "pulse_useful_1",
            "pulse_useful_5",
            "pulse_talk_report",
            "pulse_talk_even",
            "pulse_talk_manager",
        ] {
            assert!(ids.contains(&want.to_owned()), "{want} in {ids:?}");
        }
        let text = p["text"].as_str().unwrap();
        assert!(
            text.starts_with("Two quick questions about your 1on1 with <@UMGR>."),
            "{text}"
        );
    }
    assert!(
        posts_to(&app, "UMGR")
            .iter()
            .all(|p| buttons(p).iter().all(|(a, _)| !a.starts_with("pulse_"))),
        "the manager gets no pulse"
    );
}

const MANAGER_NOTE: &str = "zebra-42: the reorg worries me, keep this between us";
const REPORT_NOTE: &str = "kiwi-77 thinking about changing teams";

async fn notes_are_shown_to_the_two_people_of_the_pair_and_nowhere_else(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    people(&app, &["UMGR", "UREP", "UADMIN", "UTHIRD"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UADMIN", "UTHIRD").await;
    let r = app.command("UREP", "/1on1", "notes <@UMGR>").await;
    assert_eq!(r, "No notes from your 1on1s with <@UMGR> yet.");

    let r = one_on_one_at(
        &app,
        "2026-11-20T15:00:00+09:00",
        "UMGR",
        &format!("done <@UREP> {MANAGER_NOTE}"),
    )
    .await;
    assert!(
        r.contains("Your notes are saved; only the two of you can read them"),
        "{r}"
    );
    assert!(
        !r.contains("zebra-42"),
        "the reply does not echo notes: {r}"
    );
    let r = app
        .command("UREP", "/1on1", &format!("done <@UMGR> {REPORT_NOTE}"))
        .await;
    assert_eq!(
        r,
        "A 1on1 with <@UMGR> on 2026-11-20 was already recorded; your notes were added to it."
    );

    // The two of them read both notes.
    for (me, other) in [("UMGR", "UREP"), ("UREP", "UMGR")] {
        let r = app.command(me, "/1on1", &format!("notes <@{other}>")).await;
        assert!(
            r.starts_with(&format!(
                "*Notes from your recent 1on1s with <@{other}>* (only the two of you can see these)"
            )),
            "{r}"
        );
        assert!(
            r.contains(&format!("• 2026-11-20, <@UMGR>: {MANAGER_NOTE}")),
            "{r}"
        );
        assert!(
            r.contains(&format!("• 2026-11-20, <@UREP>: {REPORT_NOTE}")),
            "{r}"
        );
    }

    // Nobody else, an admin included, anywhere.
    let mut seen = Vec::new();
    for (who, text) in [
        ("UADMIN", "notes <@UREP>"),
        ("UADMIN", "notes <@UMGR>"),
        ("UTHIRD", "notes <@UMGR>"),
        ("UADMIN", "report"),
        ("UADMIN", "list"),
        ("UADMIN", "todos"),
        ("UADMIN", "feedback"),
        ("UMGR", "list"),
        ("UREP", "list"),
        ("UMGR", "todos"),
        ("UMGR", "help"),
    ] {
        seen.push((who, text, app.command(who, "/1on1", text).await));
    }
    assert!(
        seen[0]
            .2
            .starts_with("You and <@UREP> don't have regular 1on1s."),
        "{:?}",
        seen[0]
    );
    assert!(
        seen[3].2.starts_with("*1on1s across the organisation*"),
        "{:?}",
        seen[3]
    );
    let mut export = Vec::new();
    otagai::app::export_org_chart(&app.store, &mut export)
        .await
        .unwrap();
    let export = String::from_utf8(export).unwrap();
    assert!(export.contains("UMGR,UREP,biweekly"), "{export}");
    seen.push(("export", "org export", export));

    // The reminder of their next 1on1 (due 2026-12-04) lists no notes either.
    let report = run_at(&app, "2026-12-04T09:45:00+09:00").await;
    assert_eq!(report.queued, 2, "both pairs are due");
    wait_dms_with(&app, "UMGR", "oneonone_held", 1).await;
    wait_outbox_idle(&app).await;

    let payloads: Vec<String> = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        sqlx::query_scalar("SELECT payload FROM outbox")
            .fetch_all(&mut *conn)
            .await
            .unwrap()
    };
    let replies_kept: Vec<Option<String>> = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        sqlx::query_scalar("SELECT reply FROM processed_requests")
            .fetch_all(&mut *conn)
            .await
            .unwrap()
    };
    let audit = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        otagai::storage::admin::audit_log(&mut conn).await.unwrap()
    };
    let slack_calls: Vec<String> = app
        .slack
        .all_calls()
        .iter()
        .map(|c| format!("{} {}", c.method, c.body))
        .collect();
    assert!(
        slack_calls.iter().any(|c| c.contains("oneonone_held")),
        "the reminder was sent: {slack_calls:?}"
    );
    for secret in ["zebra-42", "kiwi-77"] {
        for (who, text, reply) in &seen {
            assert!(
                !reply.contains(secret),
                "{who} {text} shows {secret}: {reply}"
            );
        }
        for p in &payloads {
            assert!(!p.contains(secret), "outbox payload holds {secret}: {p}");
        }
        for r in replies_kept.iter().flatten() {
            assert!(!r.contains(secret), "kept reply holds {secret}: {r}");
        }
        assert!(
            !format!("{audit:?}").contains(secret),
            "audit log holds {secret}"
        );
        for c in &slack_calls {
            assert!(!c.contains(secret), "sent to Slack: {c}");
        }
    }
}

async fn action_items_belong_to_the_pair_and_only_its_two_people_can_close_them(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UOTHER", "UREP2", "UTHIRD"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UOTHER", "UREP2").await;

    let r = app
        .command("UMGR", "/1on1", "todo <@UREP> share the hiring plan draft")
        .await;
    assert!(r.contains("added for you and <@UREP>"), "{r}");
    let plan = item_number(&r);
    let r = app
        .command("UREP", "/1on1", "todo <@UMGR> book the design review")
        .await;
    let review = item_number(&r);
    assert_ne!(plan, review);
    let r = app.command("UMGR", "/1on1", "todo <@UREP>").await;
    assert!(r.starts_with("What is the action item?"), "{r}");
    let r = app
        .command("UMGR", "/1on1", "todo <@UOTHER> not our pair")
        .await;
    assert!(
        r.starts_with("You and <@UOTHER> don't have regular 1on1s."),
        "{r}"
    );

    let both = format!(
        "*Open action items*\n• #{plan} share the hiring plan draft (with <@UREP>)\n\
         • #{review} book the design review (with <@UREP>)\nClose one with `/1on1 todo done N`."
    );
    assert_eq!(app.command("UMGR", "/1on1", "todos").await, both);
    let r = app.command("UREP", "/1on1", "todos").await;
    assert!(
        r.contains(&format!(
            "#{plan} share the hiring plan draft (with <@UMGR>)"
        )),
        "{r}"
    );
    assert_eq!(
        app.command("UOTHER", "/1on1", "todos").await,
        "No open action items. Nice."
    );
    assert!(
        app.command("UMGR", "/1on1", "list")
            .await
            .ends_with("2 open items")
    );

    // Outside the pair, the item does not exist: not for another manager, nor for anyone.
    for who in ["UOTHER", "UREP2", "UTHIRD"] {
        let r = app
            .command(who, "/1on1", &format!("todo done {plan}"))
            .await;
        assert_eq!(
            r,
            format!("There is no action item #{plan} of yours. `/1on1 todos` lists them."),
            "{who}"
        );
    }
    let r = app.command("UMGR", "/1on1", "todo done 999999").await;
    assert!(r.starts_with("There is no action item #999999"), "{r}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM action_items WHERE done_at IS NULL"
        )
        .await,
        2
    );

    let r = app
        .command("UREP", "/1on1", &format!("todo done #{plan}"))
        .await;
    assert_eq!(r, format!("Closed #{plan}: share the hiring plan draft"));
    let r = app
        .command("UMGR", "/1on1", &format!("todo done {plan}"))
        .await;
    assert_eq!(r, format!("#{plan} was already closed."));
    let r = app.command("UMGR", "/1on1", "todos").await;
    assert!(!r.contains("hiring plan"), "{r}");
    assert!(
        r.contains(&format!("#{review} book the design review")),
        "{r}"
    );

    // Open items carry across 1on1s.
    let r = one_on_one_at(&app, "2026-11-20T15:00:00+09:00", "UMGR", "done <@UREP>").await;
    assert!(
        r.ends_with("1 action item is still open: `/1on1 todos`."),
        "{r}"
    );
}

async fn held_it_today_on_a_reminder_records_the_1on1_and_replaces_the_reminder(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    // Added on Tuesday 2026-11-10: due Tuesday 2026-11-24.
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    let reminder = wait_dms_with(&app, "UMGR", "oneonone_held", 1)
        .await
        .remove(0);
    let pair_id = button(&reminder, "oneonone_held");
    assert_eq!(button(&reminder, "oneonone_snooze"), pair_id);

    app.clock.set(t("2026-11-24T16:00:00+09:00"));
    let answer = press(&app, "UMGR", "oneonone_held", &pair_id).await;
    assert!(replaces(&answer), "the reminder is replaced: {answer}");
    assert_eq!(
        text(&answer),
        "Recorded your 1on1 with <@UREP> on 2026-11-24. The next is due on 2026-12-08."
    );
    assert_eq!(count(&app, "meetings").await, 1);
    assert_eq!(pair_row(&app, "UREP").await.2, "2026-12-08");
    wait_dms_with(&app, "UREP", "pulse_", 1).await;

    // A second press (a double click, or the report's copy) records nothing more.
    let again = press(&app, "UREP", "oneonone_held", &pair_id).await;
    assert_eq!(
        text(&again),
        "A 1on1 with <@UMGR> on 2026-11-24 is already recorded."
    );
    assert_eq!(count(&app, "meetings").await, 1);
    assert_eq!(count(&app, "pulse_requests").await, 1);

    // The recorded 1on1 ends this period's reminders.
    assert_eq!(run_at(&app, "2026-11-27T09:45:00+09:00").await.queued, 0);
}

async fn snooze_by_the_manager_holds_reminders_and_other_peoples_presses_change_nothing(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UTHIRD"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    let r = app
        .command("UMGR", "/1on1", "todo <@UREP> draft the promotion case")
        .await;
    let item = item_number(&r);
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    let reminder = wait_dms_with(&app, "UMGR", "oneonone_held", 1)
        .await
        .remove(0);
    let pair_id = button(&reminder, "oneonone_held");
    let done_id = format!("oneonone_todo_done_{item}");
    assert_eq!(button(&reminder, &done_id), item.to_string());
    app.clock.set(t("2026-11-24T16:00:00+09:00"));

    // Someone outside the pair replays the buttons.
    let held = press(&app, "UTHIRD", "oneonone_held", &pair_id).await;
    assert_eq!(
        text(&held),
        "That 1on1 pair no longer exists, or isn't yours."
    );
    let snooze = press(&app, "UTHIRD", "oneonone_snooze", &pair_id).await;
    assert_eq!(
        text(&snooze),
        "That 1on1 pair no longer exists, or isn't yours."
    );
    let todo = press(&app, "UTHIRD", &done_id, &item.to_string()).await;
    assert!(
        text(&todo).starts_with(&format!("There is no action item #{item} of yours.")),
        "{todo}"
    );
    // The report may record a 1on1 but not silence their manager's reminders.
    let snooze = press(&app, "UREP", "oneonone_snooze", &pair_id).await;
    assert_eq!(
        text(&snooze),
        "That 1on1 pair no longer exists, or isn't yours."
    );
    // A forged value is not understood and does nothing.
    let resp = app
        .press(
            "UMGR",
            "oneonone_snooze",
            "1 OR 1=1",
            &app.slack.response_url("forged"),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(count(&app, "meetings").await, 0);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM action_items WHERE done_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(pair_row(&app, "UREP").await.3, None, "not snoozed");

    let answer = press(&app, "UMGR", "oneonone_snooze", &pair_id).await;
    assert!(replaces(&answer), "{answer}");
    assert_eq!(
        text(&answer),
        "No reminders about <@UREP> until 2026-11-26."
    );
    assert_eq!(
        pair_row(&app, "UREP").await.3.as_deref(),
        Some("2026-11-26")
    );
    let r = app.command("UMGR", "/1on1", "list").await;
    assert!(r.contains("snoozed until 2026-11-26"), "{r}");

    // The report closes the item from their side; the answer is theirs alone.
    let todo = press(&app, "UREP", &done_id, &item.to_string()).await;
    assert_eq!(
        text(&todo),
        format!("Closed #{item}: draft the promotion case")
    );
    assert!(!replaces(&todo), "{todo}");
    assert!(app.slack.calls("hooks/forged").is_empty());
}

async fn a_pulse_is_answered_once_anonymously_and_only_by_the_report(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    one_on_one_at(&app, "2026-11-20T15:00:00+09:00", "UMGR", "done <@UREP>").await;
    let pulse = wait_dms_with(&app, "UREP", "pulse_", 1).await.remove(0);
    let useful_4 = button(&pulse, "pulse_useful_4");
    let even = button(&pulse, "pulse_talk_even");
    let meeting = useful_4.split_once(':').unwrap().0.to_owned();
    assert_eq!(even, format!("{meeting}:even"));

    // The manager cannot answer for their report.
    let answer = press(&app, "UMGR", "pulse_useful_5", &format!("{meeting}:5")).await;
    assert_eq!(
        text(&answer),
        "This pulse is already answered or no longer open."
    );
    let answer = press(&app, "UREP", "pulse_useful_4", &useful_4).await;
    assert_eq!(text(&answer), "Got it. One more question above.");
    assert!(!replaces(&answer), "the question stays until both are in");
    assert_eq!(
        count(&app, "pulse_answers").await,
        0,
        "half an answer is kept apart"
    );

    let answer = press(&app, "UREP", "pulse_talk_even", &even).await;
    assert_eq!(
        text(&answer),
        "Thank you. Your answers were recorded anonymously."
    );
    assert!(replaces(&answer), "{answer}");

    let mut conn = app.store.pool().acquire().await.unwrap();
    let rows = sqlx::query("SELECT * FROM pulse_answers")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let mut columns: Vec<String> = rows[0]
        .columns()
        .iter()
        .map(|c| sqlx::Column::name(c).to_owned())
        .collect();
    columns.sort();
    assert_eq!(
        columns,
        [
            "answered_week",
            "id",
            "manager_id",
            "report_bucket",
            "talk",
            "useful"
        ],
        "no column says who answered or about which 1on1"
    );
    let bucket: String = sqlx::query_scalar("SELECT report_bucket FROM pulse_answers")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert!(
        bucket.len() == 32 && !bucket.contains("UREP") && !bucket.contains("UMGR"),
        "the bucket is opaque: {bucket}"
    );
    let (manager, useful, talk): (String, i64, String) =
        sqlx::query_as("SELECT manager_id, useful, talk FROM pulse_answers")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        (manager.as_str(), useful, talk.as_str()),
        ("UMGR", 4, "even")
    );
    let (u, k, answered): (Option<i64>, Option<String>, i64) =
        sqlx::query_as("SELECT useful, talk, answered FROM pulse_requests")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        (u, k, answered),
        (None, None, 1),
        "the request forgets the answers"
    );
    drop(conn);

    // Pressing again (another score, or the same) is ignored.
    for (action, value) in [
        ("pulse_useful_1", format!("{meeting}:1")),
        ("pulse_talk_even", even),
    ] {
        let answer = press(&app, "UREP", action, &value).await;
        assert_eq!(
            text(&answer),
            "This pulse is already answered or no longer open."
        );
    }
    assert_eq!(count(&app, "pulse_answers").await, 1);
    assert_eq!(scalar(&app, "SELECT useful FROM pulse_answers").await, 4);
}

async fn feedback_shows_nothing_until_enough_answers_and_the_report_is_for_admins_with_counts_only(
    backend: Backend,
) {
    let app = spawn_app_with(backend, admin_options()).await;
    people(
        &app,
        &["UMGR", "UR1", "UR2", "UR3", "UOTHER", "UR4", "UADMIN"],
    );
    for report in ["UR1", "UR2", "UR3"] {
        add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", report).await;
    }
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UOTHER", "UR4").await;
    // Weekly from 2026-11-02 and never held: overdue since 2026-11-09.
    let (_, accepted) = add_accepted(&app, "UOTHER", "UADMIN", "add <@UADMIN> weekly").await;
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    app.clock.set(t("2026-11-20T15:00:00+09:00"));
    for report in ["UR1", "UR2", "UR3"] {
        let r = app
            .command("UMGR", "/1on1", &format!("done <@{report}>"))
            .await;
        assert!(r.starts_with("Recorded"), "{r}");
    }
    let r = app.command("UR4", "/1on1", "done <@UOTHER>").await;
    assert!(r.starts_with("Recorded"), "{r}");

    let answer = |report: &'static str, useful: i64, talk: &'static str| {
        let app = &app;
        async move {
            let pulse = wait_dms_with(app, report, "pulse_", 1).await.remove(0);
            let action = format!("pulse_useful_{useful}");
            press(app, report, &action, &button(&pulse, &action)).await;
            let action = format!("pulse_talk_{talk}");
            let done = press(app, report, &action, &button(&pulse, &action)).await;
            assert!(text(&done).starts_with("Thank you."), "{done}");
        }
    };
    let not_enough = |have: i64| {
        format!(
            "Your pulse shows once there are at least 3 answers in the last 90 days, so no \
             single answer can be traced to a person. So far: {have}."
        )
    };
    assert_eq!(
        app.command("UMGR", "/1on1", "feedback").await,
        not_enough(0)
    );
    answer("UR1", 5, "report").await;
    answer("UR4", 1, "manager").await;
    answer("UR2", 4, "report").await;
    // UR3 answers only half: that is not an answer yet.
    let pulse = wait_dms_with(&app, "UR3", "pulse_", 1).await.remove(0);
    press(
        &app,
        "UR3",
        "pulse_useful_1",
        &button(&pulse, "pulse_useful_1"),
    )
    .await;
    assert_eq!(
        app.command("UMGR", "/1on1", "feedback").await,
        not_enough(2),
        "another manager's answers and a half answer do not count"
    );
    press(
        &app,
        "UR3",
        "pulse_talk_even",
        &button(&pulse, "pulse_talk_even"),
    )
    .await;

    let r = app.command("UMGR", "/1on1", "feedback").await;
    assert_eq!(
        r,
        "*Pulse of your 1on1s, last 90 days*\n3 answers: usefulness 3.3 / 5. Who talked more: \
         the report 66%, about even 33%, the manager 0%."
    );
    assert_eq!(
        app.command("UOTHER", "/1on1", "feedback").await,
        not_enough(1)
    );

    // The org report: admins only, counts only.
    for who in ["UMGR", "UR1"] {
        assert_eq!(
            app.command(who, "/1on1", "report").await,
            "`/1on1 report` is for admins.",
            "{who}"
        );
    }
    let r = app.command("UADMIN", "/1on1", "report").await;
    assert_eq!(
        r,
        "*1on1s across the organisation*: 5 pairs, 80% on track (4 on track, 0 due today, \
         1 overdue, 0 paused or snoozed).\n*Where 1on1s are lapsing*\n• team of <@UOTHER>: \
         1 of 2 overdue\n*Pulse, last 90 days*\n3 answers: usefulness 3.3 / 5. Who talked more: \
         the report 66%, about even 0%, the manager 33%."
    );
    for report in ["UR1", "UR2", "UR3", "UR4"] {
        assert!(!r.contains(report), "the report names no report: {r}");
    }
}

/// `/1on1 text` as `user` with a given trigger_id (as Slack repeats it on a retry).
async fn with_trigger(app: &TestApp, user: &str, text: &str, trigger: &str) -> String {
    let resp = app.command_with_trigger(user, "/1on1", text, trigger).await;
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    v["text"].as_str().unwrap().to_owned()
}

async fn a_retried_done_has_one_effect_and_gets_the_same_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    app.clock.set(t("2026-11-20T15:00:00+09:00"));
    let text = "done <@UREP> talked about the roadmap";
    let first = with_trigger(&app, "UMGR", text, "trig-done-1").await;
    assert!(
        first.starts_with("Recorded your 1on1 with <@UREP>"),
        "{first}"
    );
    let again = with_trigger(&app, "UMGR", text, "trig-done-1").await;
    assert_eq!(again, first, "a retry gets the same answer");
    assert_eq!(count(&app, "meetings").await, 1);
    assert_eq!(
        count(&app, "meeting_notes").await,
        1,
        "the note is kept once"
    );
    assert_eq!(count(&app, "pulse_requests").await, 1);
    wait_outbox_idle(&app).await;
    assert_eq!(wait_dms_with(&app, "UREP", "pulse_", 1).await.len(), 1);
}

async fn when_slack_cannot_confirm_the_report_nothing_is_added_and_the_same_request_can_be_retried(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    // The manager is known already; the report is not, and Slack fails when asked.
    let r = one_on_one_at(&app, "2026-11-09T10:00:00+09:00", "UMGR", "list").await;
    assert!(r.starts_with("You have no regular 1on1s yet."), "{r}");
    app.slack
        .script("users.info", crate::fake_slack::Scripted::ServerError);
    let r = with_trigger(&app, "UMGR", "add <@UREP>", "trig-add-1").await;
    assert!(r.starts_with("I couldn't check"), "{r}");
    assert_eq!(count(&app, "pairs").await, 0);
    assert_eq!(count(&app, "outbox").await, 0);

    let r = with_trigger(&app, "UMGR", "add <@UREP>", "trig-add-1").await;
    assert!(r.starts_with("I've asked <@UREP>"), "{r}");
    assert_eq!(count(&app, "pair_invitations").await, 1);
    let accepted = accept_invitation(&app, "UREP").await;
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    assert_eq!(count(&app, "pairs").await, 1);
}

async fn feedback_never_shows_one_persons_answers_and_grows_only_in_steps(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UR1", "UR2"]);
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UR1").await;
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UR2").await;
    app.clock.set(t("2026-11-20T15:00:00+09:00"));
    let answer_latest = |report: &'static str, n: usize, useful: i64| {
        let app = &app;
        async move {
            let pulse = wait_dms_with(app, report, "pulse_", n).await.remove(n - 1);
            let action = format!("pulse_useful_{useful}");
            press(app, report, &action, &button(&pulse, &action)).await;
            let done = press(
                app,
                report,
                "pulse_talk_even",
                &button(&pulse, "pulse_talk_even"),
            )
            .await;
            assert!(text(&done).starts_with("Thank you."), "{done}");
        }
    };
    // Three 1on1s with the same report, each answered: enough answers, but all from one person.
    for (i, day) in ["2026-11-18", "2026-11-19", "2026-11-20"]
        .iter()
        .enumerate()
    {
        let r = app
            .command("UMGR", "/1on1", &format!("done <@UR1> on {day}"))
            .await;
        assert!(r.starts_with("Recorded"), "{r}");
        answer_latest("UR1", i + 1, 5).await;
    }
    let r = app.command("UMGR", "/1on1", "feedback").await;
    assert!(
        r.starts_with("All the answers so far come from one person"),
        "{r}"
    );

    // A second person answers: the aggregate shows, as one block holding both people's answers
    // (a block of UR1's three alone would be exactly their answers).
    let r = app.command("UMGR", "/1on1", "done <@UR2>").await;
    assert!(r.starts_with("Recorded"), "{r}");
    answer_latest("UR2", 1, 1).await;
    let r = app.command("UMGR", "/1on1", "feedback").await;
    assert!(
        r.contains("4 answers: usefulness 4.0 / 5"),
        "one block of two people: {r}"
    );
    assert!(!r.contains("newer"), "{r}");

    // The next answer waits for its block, so that it cannot be told apart by comparing views.
    let r = app
        .command("UMGR", "/1on1", "done <@UR2> on 2026-11-19")
        .await;
    assert!(r.starts_with("Recorded"), "{r}");
    answer_latest("UR2", 2, 2).await;
    let r = app.command("UMGR", "/1on1", "feedback").await;
    assert!(
        r.contains("4 answers: usefulness 4.0 / 5"),
        "the first block only: {r}"
    );
    assert!(
        r.contains("Answers count in groups of at least 3") && r.contains("1 newer"),
        "{r}"
    );
}

async fn a_report_can_leave_a_pair_that_someone_started_with_them(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UPEER", "UME", "UREAL"]);
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UPEER", "UME").await;
    // The real manager cannot add them while the pair exists...
    let r = app.command("UREAL", "/1on1", "add <@UME>").await;
    assert!(r.contains("already has a manager in otagai"), "{r}");
    assert!(
        !r.contains("UPEER"),
        "who manages whom is not told to a third person: {r}"
    );
    // ...but the report can end it themselves.
    let r = app.command("UME", "/1on1", "remove <@UPEER>").await;
    assert_eq!(
        r,
        "You no longer have regular 1on1s with <@UPEER>. Your history together is kept."
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL").await,
        0
    );
    let (r, accepted) = add_accepted(&app, "UREAL", "UME", "add <@UME>").await;
    assert!(r.starts_with("I've asked <@UME>"), "{r}");
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    // A report cannot end someone else's pair.
    let r = app.command("UPEER", "/1on1", "remove <@UREAL>").await;
    assert!(r.contains("isn't one of your reports"), "{r}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL").await,
        1
    );
}

async fn a_1on1_dated_more_than_a_year_ago_is_refused_as_a_likely_typo(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UREP").await;
    let r = one_on_one_at(
        &app,
        "2026-11-20T10:00:00+09:00",
        "UMGR",
        "done <@UREP> on 2016-11-19",
    )
    .await;
    assert_eq!(
        r,
        "2016-11-19 is more than a year ago. Please check the date (YYYY-MM-DD)."
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM meetings").await, 0);
    let r = app
        .command("UMGR", "/1on1", "done <@UREP> on 2025-12-01")
        .await;
    assert!(r.starts_with("Recorded"), "within a year is fine: {r}");
}

async fn a_manager_who_left_the_workspace_is_not_reminded(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UMGR2", "UREP2"]);
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UREP").await;
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR2", "UREP2").await;
    // UMGR leaves; the scheduler's profile refresh learns it.
    app.slack.add_deactivated("UMGR");
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query("UPDATE slack_users SET fetched_at = 0 WHERE user_id = 'UMGR'")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert!(app.app.refresh_profiles(10).await.unwrap() >= 1);
    let r = run_at(&app, "2026-11-16T09:45:00+09:00").await;
    assert_eq!(r.queued, 1, "only UMGR2 is reminded");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM reminders r JOIN pairs p ON p.id = r.pair_id \
             WHERE p.manager_id = 'UMGR'"
        )
        .await,
        0
    );
}

async fn two_managers_adding_one_report_at_once_get_one_pair_and_two_clear_answers(
    backend: Backend,
) {
    // Admins add directly, so the two adds race for the pair itself.
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.bonus.admins = ["UMA", "UMB"]
                    .iter()
                    .map(|u| UserId::parse(u).unwrap())
                    .collect()
            }),
            ..Default::default()
        },
    )
    .await;
    let reports: Vec<String> = (0..8).map(|i| format!("UREP{i}")).collect();
    people(&app, &["UMA", "UMB"]);
    for r in &reports {
        app.slack.add_user(r, "en-US");
        // Warm the users.info cache so both requests reach the database at the same moment.
        app.app
            .locale_of(&otagai::domain::UserId::parse(r).unwrap())
            .await;
    }
    for r in &reports {
        let text = format!("add <@{r}>");
        let (a, b) = tokio::join!(
            app.command("UMA", "/1on1", &text),
            app.command("UMB", "/1on1", &text)
        );
        let added = [&a, &b].iter().filter(|t| t.starts_with("Added")).count();
        let refused = [&a, &b]
            .iter()
            .filter(|t| t.contains("already has 1on1s with"))
            .count();
        assert_eq!((added, refused), (1, 1), "{a} / {b}");
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL").await,
        8
    );
}

/// The text of the first DM to `user` that starts with `prefix`, waiting for it.
pub(crate) async fn wait_dm_text(app: &TestApp, user: &str, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(t) = posts_to(app, user)
            .iter()
            .filter_map(|p| p["text"].as_str())
            .find(|t| t.starts_with(prefix))
        {
            return t.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no DM to {user} starting with {prefix}: {:?}",
            posts_to(app, user)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
