//! `forget_user` on both backends: what goes, what stays, one audit entry without content.

use crate::both_backends;
use crate::helpers::*;
use otagai::app::{ForgetReport, forget_user};
use otagai::domain::UserId;

both_backends!(
    forgetting_a_user_removes_their_pairs_notes_pulse_links_question_texts_profile_and_pending_dms_and_keeps_the_ledger,
);

/// Who the seed is about: see tests/forget_seed.sql.
pub(crate) const SEED: &str = include_str!("../forget_seed.sql");

async fn seed(app: &TestApp) {
    for sql in SEED
        .split(";\n")
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.trim().is_empty())
    {
        sqlx::query(&sql)
            .execute(app.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn forgetting_a_user_removes_their_pairs_notes_pulse_links_question_texts_profile_and_pending_dms_and_keeps_the_ledger(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..Default::default()
        },
    )
    .await;
    seed(&app).await;
    let gone = UserId::parse("UGONE").unwrap();
    let expected = ForgetReport {
        notes: 4,
        topics: 2,
        action_items: 2,
        pulse_requests: 1,
        questions: 1,
        profile: 1,
        pairs_ended: 1,
        invitations_closed: 1,
        pending_messages: 1,
    };
    let now = chrono::Utc::now();

    let dry = forget_user(&app.store, &gone, now, true).await.unwrap();
    assert_eq!(dry, expected);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_notes").await, 6);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, 0);

    let done = forget_user(&app.store, &gone, now, false).await.unwrap();
    assert_eq!(done, expected, "the dry run counted what the run changed");

    // Only the notes, topics and items of UKEEP's pair remain.
    let pairs_left = "SELECT report_id FROM pairs WHERE id IN (SELECT pair_id FROM meetings \
         WHERE id IN (SELECT meeting_id FROM meeting_notes)) ORDER BY report_id";
    assert_eq!(strings(&app, pairs_left).await, vec!["UKEEP"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM meeting_notes").await, 2);
    assert_eq!(
        strings(
            &app,
            "SELECT p.report_id FROM topics t JOIN pairs p ON p.id = t.pair_id"
        )
        .await,
        vec!["UKEEP"]
    );
    assert_eq!(
        strings(
            &app,
            "SELECT p.report_id FROM action_items a JOIN pairs p ON p.id = a.pair_id"
        )
        .await,
        vec!["UKEEP"]
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM pulse_requests WHERE report_id = 'UGONE'"
        )
        .await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM pulse_requests").await, 2);
    // Their open invitation can no longer be accepted; other people's stay open.
    assert_eq!(
        strings(
            &app,
            "SELECT report_id FROM pair_invitations WHERE answer IS NULL"
        )
        .await,
        vec!["UOTHER"]
    );
    assert_eq!(
        strings(&app, "SELECT question FROM help_requests ORDER BY id").await,
        vec!["[removed]", "Where is the printer?"],
        "the request stays for the stats, without its text"
    );
    assert_eq!(
        strings(&app, "SELECT user_id FROM slack_users").await,
        vec!["UKEEP"]
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM pairs WHERE report_id = 'UGONE' AND ended_at IS NULL"
        )
        .await,
        0,
        "their active pair ended"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL").await,
        1
    );
    let outbox = strings(&app, "SELECT payload FROM outbox ORDER BY id").await;
    assert_eq!(outbox.len(), 2, "{outbox:?}");
    assert!(outbox[0].contains("for keep") && outbox[1].contains("sent to gone"));
    assert_eq!(
        count(
            &app,
            "SELECT CAST(SUM(points) AS BIGINT) FROM ledger WHERE user_id = 'UGONE'"
        )
        .await,
        30,
        "ledger amounts are kept"
    );
    let audit = otagai::storage::admin::audit_log(&mut app.store.pool().acquire().await.unwrap())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0].actor.as_str(),
            audit[0].action.as_str(),
            audit[0].subject.as_deref()
        ),
        ("cli", "user.forget", Some("UGONE"))
    );
    assert!(
        audit[0].detail.contains("\"notes\":4"),
        "{}",
        audit[0].detail
    );
    for content in ["secret", "raise", "a topic", "an item", "for gone"] {
        assert!(!audit[0].detail.contains(content), "{}", audit[0].detail);
    }

    // Nothing is left to forget.
    assert_eq!(
        forget_user(&app.store, &gone, now, false).await.unwrap(),
        ForgetReport::default()
    );
}
