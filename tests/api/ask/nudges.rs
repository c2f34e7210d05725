//! Nudges and escalations in working hours: the topic's experts after two working hours, a
//! user group or a channel after one working day, nothing on weekends or holidays, nothing for
//! answered or resolved questions, the claimer for claimed ones, and exactly once, also with
//! two instances running the jobs at the same moment.

use super::*;
use crate::both_backends;
use crate::fake_slack::permalink;
use otagai::config::EscalateTo;
use otagai::domain::UserGroupId;
use otagai::storage::Store;

both_backends!(
    an_unanswered_question_is_nudged_after_two_working_hours_with_the_topics_experts_once,
    an_unanswered_question_is_escalated_to_a_user_group_after_one_working_day,
    an_unanswered_question_is_escalated_to_a_channel_with_a_link,
    no_nudge_goes_out_on_weekends_or_holidays,
    answered_and_resolved_questions_are_not_nudged_and_claimed_ones_remind_the_claimer,
    two_instances_running_jobs_at_the_same_moment_nudge_each_question_once,
);

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
