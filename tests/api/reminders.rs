//! The 1on1 reminder job, driven as the scheduler drives it (`App::run_due_jobs` as of a chosen
//! instant): what a reminder says, when the window is open (09:30 in the manager's own zone,
//! not on weekends, holidays or in quiet hours), the spacing and the nudge, and that each
//! reminder is enqueued exactly once however many schedulers run at the same moment.

use crate::both_backends;
use crate::helpers::*;
use crate::one_on_one::{
    accept_invitation, add_pair, button, buttons, one_on_one_at, people, run_at, scalar, t,
    wait_dm_text, wait_dms_with,
};
use crate::thanks::{count, posts_to, wait_outbox_idle};
use chrono::NaiveDate;
use otagai::domain::{Holidays, QuietHours, SendWindow};
use otagai::outbox::{Body, OutboundMessage};
use otagai::storage::Store;
use std::collections::BTreeMap;

both_backends!(
    a_due_pair_is_reminded_once_with_open_items_topics_questions_and_buttons,
    a_japanese_speaking_manager_is_reminded_in_japanese_and_their_report_asked_in_japanese,
    no_reminder_goes_out_before_0930_on_weekends_on_holidays_or_in_quiet_hours,
    a_manager_in_another_time_zone_is_reminded_at_0930_their_time,
    snoozed_and_paused_pairs_are_not_reminded_until_the_snooze_ends_or_they_resume,
    reminders_repeat_every_three_days_up_to_three_times_then_the_report_is_nudged_once,
    with_one_reminder_and_no_nudge_the_report_never_hears,
    the_reports_nudge_waits_for_working_hours_in_the_reports_own_time_zone,
    recording_the_1on1_stops_the_reminders_until_the_next_one_is_due,
    a_dry_run_lists_what_would_be_sent_and_changes_nothing,
    schedulers_running_at_the_same_moment_enqueue_each_reminder_exactly_once,
);

/// (kind, seq, local_day) of every reminder key written, in order.
async fn reminder_keys(app: &TestApp) -> Vec<(String, i64, String)> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    sqlx::query_as("SELECT kind, seq, local_day FROM reminders ORDER BY kind, seq, pair_id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

/// The reminder DMs (the ones with a "Held it today" button) `manager` got, as text.
fn reminder_texts(app: &TestApp, manager: &str) -> Vec<String> {
    posts_to(app, manager)
        .into_iter()
        .filter(|p| buttons(p).iter().any(|(a, _)| a == "oneonone_held"))
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_due_pair_is_reminded_once_with_open_items_topics_questions_and_buttons(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    // Added on Tuesday 2026-11-10: due Tuesday 2026-11-24.
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    let r = app
        .command("UMGR", "/1on1", "todo <@UREP> share the hiring plan draft")
        .await;
    assert!(r.starts_with("Action item #"), "{r}");
    app.command("UREP", "/1on1", "todo <@UMGR> fix the <!here> alert")
        .await;
    // The manager's topic comes first in time, the report's first in the reminder.
    let r = app
        .command("UMGR", "/1on1", "topic <@UREP> the Q1 roadmap")
        .await;
    assert_eq!(r, "Topic added for your next 1on1 with <@UREP>.");
    app.command("UREP", "/1on1", "topic <@UMGR> my promotion timeline")
        .await;

    assert_eq!(
        run_at(&app, "2026-11-23T23:59:00+09:00").await.queued,
        0,
        "not before the due day"
    );
    let first = run_at(&app, "2026-11-24T09:45:00+09:00").await;
    assert_eq!((first.considered, first.queued), (1, 1));
    for again in ["2026-11-24T09:45:00+09:00", "2026-11-24T11:00:00+09:00"] {
        assert_eq!(run_at(&app, again).await.queued, 0, "{again}");
    }
    assert_eq!(count(&app, "reminders").await, 1);

    let dm = wait_dms_with(&app, "UMGR", "oneonone_held", 1)
        .await
        .remove(0);
    wait_outbox_idle(&app).await;
    assert_eq!(reminder_texts(&app, "UMGR").len(), 1, "sent once");
    let text = dm["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "Time for a 1on1 with <@UREP>: you haven't had one since they were added 14 days ago."
        ),
        "{text}"
    );
    assert!(text.contains("*Open action items*"), "{text}");
    assert!(
        text.contains("share the hiring plan draft (<@UMGR>)"),
        "{text}"
    );
    assert!(text.contains("fix the @here alert (<@UREP>)"), "{text}");
    assert!(
        !text.contains("<!here>"),
        "no broadcast from a reminder: {text}"
    );
    assert!(
        text.contains(
            "*Topics* (<@UREP>'s first: it's their time)\n• my promotion timeline (<@UREP>)\n\
             • the Q1 roadmap (<@UMGR>)"
        ),
        "{text}"
    );
    let questions = text
        .split("*Questions to open with*")
        .nth(1)
        .unwrap_or_else(|| panic!("no questions: {text}"));
    let asked: Vec<&str> = questions.lines().filter(|l| l.starts_with("• ")).collect();
    assert_eq!(asked.len(), 3, "{questions}");
    assert!(
        !text.contains("question-"),
        "questions are translated: {text}"
    );
    assert!(
        text.ends_with(
            "Held it? Press *Held it today* or type `/1on1 done <@UREP>`. Need a few days? \
             *Snooze 2 days*."
        ),
        "{text}"
    );

    let pair_id = scalar(&app, "SELECT id FROM pairs").await.to_string();
    assert_eq!(button(&dm, "oneonone_held"), pair_id);
    assert_eq!(button(&dm, "oneonone_snooze"), pair_id);
    let done_buttons = buttons(&dm)
        .iter()
        .filter(|(a, _)| a.starts_with("oneonone_todo_done_"))
        .count();
    assert_eq!(done_buttons, 2, "a Done button per open item");

    // The report gets no reminder, only the note that they were added.
    let to_report = posts_to(&app, "UREP");
    assert_eq!(to_report.len(), 1, "{to_report:?}");
}

async fn a_japanese_speaking_manager_is_reminded_in_japanese_and_their_report_asked_in_japanese(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UMGR", "ja-JP");
    app.slack.add_user("UREP", "ja-JP");
    let r = one_on_one_at(&app, "2026-11-10T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    assert!(r.contains("<@UREP>"), "{r}");
    assert!(!r.starts_with("I've asked"), "answered in Japanese: {r}");
    let accepted = accept_invitation(&app, "UREP").await;
    assert!(accepted.starts_with("承認しました"), "{accepted}");
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    let dm = wait_dms_with(&app, "UMGR", "oneonone_held", 1)
        .await
        .remove(0);
    let text = dm["text"].as_str().unwrap();
    assert!(
        text.starts_with("<@UREP> さんと 1on1 をしましょう。追加から 14日"),
        "{text}"
    );
    assert!(!text.contains("Time for"), "{text}");
    assert!(
        dm["blocks"].to_string().contains("今日やった"),
        "Japanese button labels: {}",
        dm["blocks"]
    );
    let r = one_on_one_at(&app, "2026-11-24T15:00:00+09:00", "UMGR", "done <@UREP>").await;
    assert_eq!(
        r,
        "<@UREP> さんとの 11月24日 の 1on1 を記録しました。次の期日は 12月8日 です。"
    );
    let pulse = wait_dms_with(&app, "UREP", "pulse_", 1).await.remove(0);
    assert!(
        pulse["text"]
            .as_str()
            .unwrap()
            .starts_with("<@UMGR> さんとの 1on1 について、2つだけ質問です。"),
        "{pulse}"
    );
}

/// The default window, with the organisation's own day off on Tuesday 2026-11-24 too.
fn with_org_day_off() -> Options {
    Options {
        settings: Box::new(|s| {
            s.one_on_one.window = SendWindow::new(
                "0 30 9 * * Mon-Fri",
                Holidays::new([NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()], true),
                Some(QuietHours::parse("20:00-08:00").unwrap()),
            )
            .unwrap();
        }),
        ..Default::default()
    }
}

async fn no_reminder_goes_out_before_0930_on_weekends_on_holidays_or_in_quiet_hours(
    backend: Backend,
) {
    let app = spawn_app_with(backend, with_org_day_off()).await;
    people(&app, &["UMGR", "UREP"]);
    // Added on Friday 2026-11-06: due Friday 2026-11-20.
    add_pair(&app, "2026-11-06T10:00:00+09:00", "UMGR", "UREP").await;
    let outbox_before = count(&app, "outbox").await;
    for closed in [
        "2026-11-20T09:29:00+09:00", // the due day, before 09:30
        "2026-11-20T21:00:00+09:00", // after the slot, but in quiet hours
        "2026-11-21T10:00:00+09:00", // Saturday
        "2026-11-22T10:00:00+09:00", // Sunday
        "2026-11-23T10:00:00+09:00", // Labour Thanksgiving Day, a Monday
        "2026-11-24T10:00:00+09:00", // the organisation's own day off
        "2026-11-25T07:59:00+09:00", // quiet hours, before the slot
        "2026-11-25T09:29:59+09:00", // a second before the slot
    ] {
        let dry = app.app.run_due_jobs(t(closed), true).await.unwrap();
        assert!(dry.planned.is_empty(), "{closed}: {:?}", dry.planned);
        let r = run_at(&app, closed).await;
        assert_eq!((r.considered, r.queued), (1, 0), "{closed}");
    }
    assert_eq!(count(&app, "reminders").await, 0);
    assert_eq!(count(&app, "outbox").await, outbox_before);

    // Later the same working day the 09:30 slot still counts.
    assert_eq!(run_at(&app, "2026-11-25T11:00:00+09:00").await.queued, 1);
    assert_eq!(
        reminder_keys(&app).await,
        [("manager".into(), 1, "2026-11-25".into())]
    );
}

async fn a_manager_in_another_time_zone_is_reminded_at_0930_their_time(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UTKY", "UR1", "UR2", "UR3"]);
    app.slack.add_user_in("UNY", "en-US", "America/New_York");
    app.slack.add_user_in("UNY2", "en-US", "America/New_York");

    // Three pairs, each due on Wednesday 2026-11-25 on its manager's calendar.
    add_pair(&app, "2026-11-11T10:00:00+09:00", "UTKY", "UR1").await;
    // UNY2's pair comes from an org chart: Slack has not been asked about UNY2 yet.
    app.clock.set(t("2026-11-11T14:00:00+09:00"));
    let imported = otagai::app::import_org_chart(
        &app.store,
        &app.settings,
        "manager,report,cadence\nUNY2,UR3,biweekly\n".as_bytes(),
        t("2026-11-11T14:00:00+09:00"),
    )
    .await
    .unwrap();
    assert_eq!(imported.added, 1);
    // UNY runs a command on Wednesday morning in New York, which caches their zone.
    let r = one_on_one_at(&app, "2026-11-11T10:00:00-05:00", "UNY", "add <@UR2>").await;
    assert!(r.starts_with("I've asked <@UR2>"), "{r}");
    accept_invitation(&app, "UR2").await;
    let to_manager = wait_dm_text(&app, "UNY", "<@UR2> accepted").await;
    assert!(
        to_manager.contains("The first is due on 2026-11-25"),
        "{to_manager}"
    );

    // 09:45 in Tokyo is 19:45 on Tuesday in New York. Without a profile UNY2 counts as being
    // in the organisation's zone...
    let tokyo_morning = t("2026-11-25T09:45:00+09:00");
    let to = |r: &otagai::scheduler::JobsReport| {
        let mut to: Vec<String> = r.planned.iter().map(|p| p.to.to_string()).collect();
        to.sort();
        to
    };
    let dry = app.app.run_due_jobs(tokyo_morning, true).await.unwrap();
    assert_eq!(to(&dry), ["UNY2", "UTKY"]);
    // ...until the scheduler refreshes the people it knows nothing about (UNY2, and UR3, whom
    // Slack does not know either: remembered as gone, so not asked about again).
    assert_eq!(app.app.refresh_profiles(10).await.unwrap(), 2);
    assert_eq!(app.app.refresh_profiles(10).await.unwrap(), 0);
    let dry = app.app.run_due_jobs(tokyo_morning, true).await.unwrap();
    assert_eq!(to(&dry), ["UTKY"]);

    assert_eq!(run_at(&app, "2026-11-25T09:45:00+09:00").await.queued, 1);
    assert_eq!(
        run_at(&app, "2026-11-25T09:15:00-05:00").await.queued,
        0,
        "09:15 in New York (and 23:15, quiet, in Tokyo)"
    );
    assert_eq!(run_at(&app, "2026-11-25T09:45:00-05:00").await.queued, 2);
    assert_eq!(run_at(&app, "2026-11-26T09:45:00-05:00").await.queued, 0);

    for (manager, report) in [("UTKY", "UR1"), ("UNY", "UR2"), ("UNY2", "UR3")] {
        let dm = wait_dms_with(&app, manager, "oneonone_held", 1).await;
        let text = dm[0]["text"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("Time for a 1on1 with <@{report}>")),
            "{text}"
        );
    }
    assert_eq!(
        reminder_keys(&app).await,
        vec![("manager".into(), 1, "2026-11-25".into()); 3],
        "each on the 25th of their own calendar"
    );
}

async fn snoozed_and_paused_pairs_are_not_reminded_until_the_snooze_ends_or_they_resume(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UA", "UB", "UC"]);
    for report in ["UA", "UB", "UC"] {
        add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", report).await;
    }
    app.clock.set(t("2026-11-20T10:00:00+09:00"));
    let r = app
        .command("UMGR", "/1on1", "snooze <@UA> until 2026-11-26")
        .await;
    assert_eq!(r, "No reminders about <@UA> until 2026-11-26.");
    let r = app.command("UMGR", "/1on1", "pause <@UB>").await;
    assert_eq!(
        r,
        "1on1 reminders for <@UB> are paused. `/1on1 resume` when they are back."
    );
    let r = app.command("UB", "/1on1", "resume <@UB>").await;
    assert!(r.contains("isn't one of your reports"), "{r}");
    let r = app
        .command("UMGR", "/1on1", "snooze <@UC> until 2026-11-20")
        .await;
    assert!(r.starts_with("2026-11-20 has already come."), "{r}");

    let mentioned = |app: &TestApp| {
        let mut who: Vec<String> = reminder_texts(app, "UMGR")
            .iter()
            .map(|t| t.split_whitespace().nth(5).unwrap_or_default().to_owned())
            .collect();
        who.sort();
        who
    };
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    wait_outbox_idle(&app).await;
    assert_eq!(mentioned(&app), ["<@UC>:"]);
    assert_eq!(run_at(&app, "2026-11-25T09:45:00+09:00").await.queued, 0);
    // The snooze is over on its last day.
    assert_eq!(run_at(&app, "2026-11-26T09:45:00+09:00").await.queued, 1);
    wait_outbox_idle(&app).await;
    assert_eq!(mentioned(&app), ["<@UA>:", "<@UC>:"]);

    let r = one_on_one_at(&app, "2026-11-26T10:00:00+09:00", "UMGR", "resume <@UB>").await;
    assert_eq!(
        r,
        "Reminders for <@UB> are back on. The next 1on1 is due on 2026-11-24."
    );
    assert_eq!(run_at(&app, "2026-11-26T10:05:00+09:00").await.queued, 1);
    wait_outbox_idle(&app).await;
    assert_eq!(mentioned(&app), ["<@UA>:", "<@UB>:", "<@UC>:"]);
    assert_eq!(count(&app, "reminders").await, 3);
}

async fn reminders_repeat_every_three_days_up_to_three_times_then_the_report_is_nudged_once(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;

    let mut sent_on = BTreeMap::new();
    let mut read_on = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    while day <= NaiveDate::from_ymd_opt(2026, 12, 18).unwrap() {
        let r = run_at(&app, &format!("{day}T09:45:00+09:00")).await;
        if r.queued > 0 {
            sent_on.insert(day.to_string(), r.queued);
        }
        if r.considered > 0 {
            read_on.push(day.to_string());
        }
        day = day.succ_opt().unwrap();
    }
    // Between reminders, and once they are used up, a pass does not even read the pair.
    assert_eq!(
        read_on,
        ["2026-11-24", "2026-11-27", "2026-11-30", "2026-12-03"]
    );
    assert_eq!(
        sent_on.into_iter().collect::<Vec<_>>(),
        [
            ("2026-11-24".to_owned(), 1),
            ("2026-11-27".to_owned(), 1),
            ("2026-11-30".to_owned(), 1),
            ("2026-12-03".to_owned(), 1),
        ]
    );
    assert_eq!(
        reminder_keys(&app).await,
        [
            ("manager".into(), 1, "2026-11-24".into()),
            ("manager".into(), 2, "2026-11-27".into()),
            ("manager".into(), 3, "2026-11-30".into()),
            ("report".into(), 1, "2026-12-03".into()),
        ]
    );

    wait_outbox_idle(&app).await;
    let texts = reminder_texts(&app, "UMGR");
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(
        texts[0].starts_with("Time for a 1on1 with <@UREP>:"),
        "{}",
        texts[0]
    );
    // Later reminders say how late it is (they never met: added on 2026-11-10).
    for (text, overdue, days) in [(&texts[1], 3, 17), (&texts[2], 6, 20)] {
        let header = text.lines().next().unwrap();
        assert!(
            header.contains(&format!("1on1 with <@UREP> is overdue by {overdue} days")),
            "{header}"
        );
        assert!(header.contains(&format!("{days} days")), "{header}");
    }
    let to_report: Vec<String> = posts_to(&app, "UREP")
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        to_report.len(),
        2,
        "the added note and one nudge: {to_report:?}"
    );
    assert!(
        to_report[1].starts_with(
            "Your regular 1on1 with <@UMGR> hasn't happened for a while. It's your time"
        ),
        "{}",
        to_report[1]
    );
}

async fn with_one_reminder_and_no_nudge_the_report_never_hears(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.one_on_one.policy.max_reminders = 1;
                s.one_on_one.policy.nudge_report = false;
            }),
            ..Default::default()
        },
    )
    .await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    let mut queued = Vec::new();
    for day in [
        "2026-11-24",
        "2026-11-27",
        "2026-11-30",
        "2026-12-03",
        "2026-12-07",
    ] {
        queued.push(run_at(&app, &format!("{day}T09:45:00+09:00")).await.queued);
    }
    assert_eq!(queued, [1, 0, 0, 0, 0]);
    assert_eq!(
        reminder_keys(&app).await,
        [("manager".into(), 1, "2026-11-24".into())]
    );
}

async fn the_reports_nudge_waits_for_working_hours_in_the_reports_own_time_zone(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR"]);
    app.slack.add_user_in("UREPNY", "en-US", "America/New_York");
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREPNY").await;
    for day in ["2026-11-24", "2026-11-27", "2026-11-30"] {
        let r = run_at(&app, &format!("{day}T09:45:00+09:00")).await;
        assert_eq!(r.queued, 1, "reminder to the manager on {day}");
    }
    // The nudge is due from Thursday 2026-12-03. 10:30 in Tokyo is 20:30 on Wednesday in New
    // York: quiet hours for the report, whom it would reach at night.
    let night = "2026-12-03T10:30:00+09:00";
    let dry = app.app.run_due_jobs(t(night), true).await.unwrap();
    assert!(dry.planned.is_empty(), "{:?}", dry.planned);
    assert_eq!(run_at(&app, night).await.queued, 0);
    // 09:45 on Thursday in New York (23:45 in Tokyo, quiet for the manager, who is not the one
    // being written to).
    assert_eq!(run_at(&app, "2026-12-03T09:45:00-05:00").await.queued, 1);
    wait_outbox_idle(&app).await;
    let nudges: Vec<_> = posts_to(&app, "UREPNY")
        .into_iter()
        .filter(|p| {
            p["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Your regular 1on1 with <@UMGR>"))
        })
        .collect();
    assert_eq!(nudges.len(), 1, "{nudges:?}");
    assert_eq!(
        reminder_keys(&app).await.last().unwrap(),
        &("report".to_owned(), 1, "2026-12-03".to_owned()),
        "kept on the report's calendar day"
    );
}

async fn recording_the_1on1_stops_the_reminders_until_the_next_one_is_due(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    assert_eq!(run_at(&app, "2026-11-24T09:45:00+09:00").await.queued, 1);
    let r = one_on_one_at(&app, "2026-11-25T15:00:00+09:00", "UREP", "done <@UMGR>").await;
    assert!(r.ends_with("The next is due on 2026-12-09."), "{r}");
    for day in ["2026-11-27", "2026-11-30", "2026-12-03", "2026-12-08"] {
        let r = run_at(&app, &format!("{day}T09:45:00+09:00")).await;
        assert_eq!(r.queued, 0, "{day}");
    }
    assert_eq!(run_at(&app, "2026-12-09T09:45:00+09:00").await.queued, 1);
    wait_outbox_idle(&app).await;
    let texts = reminder_texts(&app, "UMGR");
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[1].starts_with(
            "Time for a 1on1 with <@UREP>: the last one was on 2026-11-25, 14 days ago."
        ),
        "{}",
        texts[1]
    );
    let due_periods = scalar(&app, "SELECT COUNT(DISTINCT due_on) FROM reminders").await;
    assert_eq!(due_periods, 2);
}

async fn a_dry_run_lists_what_would_be_sent_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UOTHER", "UREP2"]);
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UMGR", "UREP").await;
    add_pair(&app, "2026-11-10T10:00:00+09:00", "UOTHER", "UREP2").await;
    wait_outbox_idle(&app).await;
    let before = (count(&app, "outbox").await, count(&app, "reminders").await);

    let now = t("2026-11-24T09:45:00+09:00");
    app.clock.set(now);
    for _ in 0..2 {
        let dry = app.app.run_due_jobs(now, true).await.unwrap();
        assert_eq!((dry.considered, dry.queued), (2, 0));
        let mut planned: Vec<(String, String)> = dry
            .planned
            .iter()
            .map(|p| (p.to.to_string(), p.text.clone()))
            .collect();
        planned.sort();
        assert_eq!(planned.len(), 2, "{planned:?}");
        assert_eq!(planned[0].0, "UMGR");
        assert!(
            planned[0].1.starts_with("Time for a 1on1 with <@UREP>:"),
            "{}",
            planned[0].1
        );
        assert_eq!(planned[1].0, "UOTHER");
        assert!(planned[1].1.contains("<@UREP2>"), "{}", planned[1].1);
        assert_eq!(
            (count(&app, "outbox").await, count(&app, "reminders").await),
            before,
            "a dry run changes nothing"
        );
    }

    let real = app.app.run_due_jobs(now, false).await.unwrap();
    assert_eq!(real.queued, 2);
    assert!(real.planned.is_empty());
    assert!(
        app.app
            .run_due_jobs(now, true)
            .await
            .unwrap()
            .planned
            .is_empty()
    );
    let later = app
        .app
        .run_due_jobs(t("2026-11-27T09:45:00+09:00"), true)
        .await
        .unwrap();
    assert_eq!(later.planned.len(), 2);
    assert!(
        later
            .planned
            .iter()
            .all(|p| p.text.contains("is overdue by 3 days")),
        "{:?}",
        later.planned
    );
    assert_eq!(count(&app, "reminders").await, 2);
}

async fn schedulers_running_at_the_same_moment_enqueue_each_reminder_exactly_once(
    backend: Backend,
) {
    const PAIRS: usize = 24;
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..Default::default()
        },
    )
    .await;
    let chart: String = (0..PAIRS)
        .map(|i| format!("UM{:02},UR{i:02},biweekly\n", i % 6))
        .collect();
    // Imported on Tuesday 2026-11-10: all due on Tuesday 2026-11-24.
    let imported = otagai::app::import_org_chart(
        &app.store,
        &app.settings,
        chart.as_bytes(),
        t("2026-11-10T10:00:00+09:00"),
    )
    .await
    .unwrap();
    assert_eq!(imported.added, PAIRS);

    // Three processes on the same database, each with its own connections.
    let mut others = Vec::new();
    for _ in 0..2 {
        let mut other = app.app.clone();
        other.store = Store::connect(&app.db.url, 4).await.unwrap();
        others.push(other);
    }
    for (round, at) in [
        "2026-11-24T09:45:00+09:00",
        "2026-11-27T09:45:00+09:00",
        "2026-11-30T09:45:00+09:00",
    ]
    .into_iter()
    .enumerate()
    {
        let now = t(at);
        let run =
            |a: otagai::app::App| tokio::spawn(async move { a.run_due_jobs(now, false).await });
        let (a, b, c) = tokio::join!(
            run(app.app.clone()),
            run(others[0].clone()),
            run(others[1].clone())
        );
        let queued: usize = [a, b, c]
            .into_iter()
            .map(|r| {
                r.unwrap()
                    .expect("a pass that loses the race still succeeds")
                    .queued
            })
            .sum();
        assert_eq!(queued, PAIRS, "round {round}: every pair once");
    }

    assert_eq!(count(&app, "reminders").await, 3 * PAIRS as i64);
    let payloads: Vec<String> = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        sqlx::query_scalar("SELECT payload FROM outbox")
            .fetch_all(&mut *conn)
            .await
            .unwrap()
    };
    let mut per_pair: BTreeMap<(i64, u32), usize> = BTreeMap::new();
    for p in &payloads {
        let m: OutboundMessage = serde_json::from_str(p).unwrap();
        if let Body::OneOnOneReminder(r) = m.body {
            *per_pair.entry((r.pair_id, r.seq)).or_default() += 1;
        }
    }
    assert_eq!(per_pair.len(), 3 * PAIRS, "{per_pair:?}");
    assert!(
        per_pair.values().all(|&n| n == 1),
        "a reminder enqueued twice: {per_pair:?}"
    );
    for other in &others {
        other.store.close().await;
    }
}
