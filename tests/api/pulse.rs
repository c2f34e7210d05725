//! The pulse's anonymity against a manager who controls whom they meet: every block of answers
//! a manager sees holds answers of at least two different reports (issue 9, finding A).

use crate::both_backends;
use crate::helpers::*;
use crate::one_on_one::{add_pair, button, people, press, t, wait_dms_with};

both_backends!(a_manager_who_meets_one_report_only_cannot_isolate_their_answers,);

/// `report` answers the `n`-th pulse they got, useful `useful` and `talk`.
async fn answer_nth(app: &TestApp, report: &str, n: usize, useful: i64, talk: &str) {
    let pulse = wait_dms_with(app, report, "pulse_", n).await.remove(n - 1);
    let action = format!("pulse_useful_{useful}");
    press(app, report, &action, &button(&pulse, &action)).await;
    let action = format!("pulse_talk_{talk}");
    let done = press(app, report, &action, &button(&pulse, &action)).await;
    assert!(
        done["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Thank you."),
        "{done}"
    );
}

/// `/1on1 done <@report> on day` as the manager; it must be recorded.
async fn held(app: &TestApp, manager: &str, report: &str, day: &str) {
    let r = app
        .command(manager, "/1on1", &format!("done <@{report}> on {day}"))
        .await;
    assert!(r.starts_with("Recorded"), "{r}");
}

async fn a_manager_who_meets_one_report_only_cannot_isolate_their_answers(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| {
                s.one_on_one.pulse_min_responses = 3;
                s.bonus.admins = vec![otagai::domain::UserId::parse("UADMIN").unwrap()];
            }),
            ..Default::default()
        },
    )
    .await;
    people(&app, &["UMGR", "UR1", "UR2", "UADMIN"]);
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UR1").await;
    add_pair(&app, "2026-11-02T10:00:00+09:00", "UMGR", "UR2").await;
    app.clock.set(t("2026-11-20T15:00:00+09:00"));

    // A first block from both reports: it shows.
    held(&app, "UMGR", "UR1", "2026-11-16").await;
    answer_nth(&app, "UR1", 1, 4, "report").await;
    held(&app, "UMGR", "UR2", "2026-11-16").await;
    answer_nth(&app, "UR2", 1, 2, "even").await;
    held(&app, "UMGR", "UR1", "2026-11-17").await;
    answer_nth(&app, "UR1", 2, 3, "report").await;
    let before = app.command("UMGR", "/1on1", "feedback").await;
    assert!(
        before.contains("3 answers: usefulness 3.0 / 5"),
        "the first block shows: {before}"
    );
    let report_before = app.command("UADMIN", "/1on1", "report").await;
    assert!(report_before.contains("3 answers"), "{report_before}");

    // The attack: 1on1s with UR1 only (backdated), and UR1 answers three more times, all 1s.
    for (n, day) in [(3, "2026-11-18"), (4, "2026-11-19"), (5, "2026-11-20")] {
        held(&app, "UMGR", "UR1", day).await;
        answer_nth(&app, "UR1", n, 1, "manager").await;
    }
    let after = app.command("UMGR", "/1on1", "feedback").await;
    let report_after = app.command("UADMIN", "/1on1", "report").await;
    // What the view says of the first block must not have moved: no new block of UR1's alone.
    let first_line = |s: &str| s.lines().take(2).collect::<Vec<_>>().join("\n");
    assert_eq!(
        first_line(&after),
        first_line(&before),
        "the view must not change by one report's answers"
    );
    assert!(!after.contains("6 answers"), "{after}");
    assert_eq!(report_after, report_before, "nor the organisation's");

    // When the other report answers again, the waiting answers close a block with theirs.
    held(&app, "UMGR", "UR2", "2026-11-20").await;
    answer_nth(&app, "UR2", 2, 5, "even").await;
    let later = app.command("UMGR", "/1on1", "feedback").await;
    assert!(
        later.contains("7 answers: usefulness 2.4 / 5"),
        "one block of two people's answers: {later}"
    );
}
