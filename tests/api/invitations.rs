//! A self-service `/1on1 add` is an invitation the report accepts or declines (issue 9,
//! finding B): nobody can claim someone as their report, and a refusal never tells a third
//! person who manages whom. Admins and the org chart import still add directly.

use crate::both_backends;
use crate::helpers::*;
use crate::one_on_one::{
    accept_invitation, buttons, one_on_one_at, people, press, run_at, scalar, t, wait_dm_text,
    wait_dms_with,
};
use crate::thanks::{count, posts_to, wait_outbox_idle};
use otagai::domain::UserId;

both_backends!(
    a_self_service_add_invites_the_report_who_is_reminded_only_after_accepting,
    a_declined_invitation_adds_nothing_and_cannot_be_accepted_afterwards,
    only_the_invited_report_can_answer_an_invitation,
    nobody_can_send_more_than_twenty_invitations_a_day,
    an_expired_invitation_cannot_be_accepted,
    an_admin_and_the_org_chart_import_add_pairs_directly,
    a_third_person_is_never_told_who_manages_whom,
);

fn admin_options() -> Options {
    Options {
        settings: Box::new(|s| s.bonus.admins = vec![UserId::parse("UADMIN").unwrap()]),
        ..Default::default()
    }
}

/// The id of the newest invitation to `report`, from its DM.
async fn invitation_id(app: &TestApp, report: &str) -> String {
    let dm = wait_dms_with(app, report, "oneonone_invite_", 1).await;
    let last = dm.last().unwrap();
    crate::one_on_one::button(last, "oneonone_invite_accept")
}

fn active_pairs() -> &'static str {
    "SELECT COUNT(*) FROM pairs WHERE ended_at IS NULL"
}

async fn a_self_service_add_invites_the_report_who_is_reminded_only_after_accepting(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    let r = one_on_one_at(
        &app,
        "2026-11-09T10:00:00+09:00",
        "UMGR",
        "add <@UREP> weekly",
    )
    .await;
    assert_eq!(
        r,
        "I've asked <@UREP> to confirm 1on1s with you (weekly). The pair starts once they \
         accept; the invitation expires in 14 days."
    );
    // The report gets a DM with both buttons; no pair exists yet.
    let dm = wait_dms_with(&app, "UREP", "oneonone_invite_", 1)
        .await
        .remove(0);
    let actions: Vec<String> = buttons(&dm).into_iter().map(|(a, _)| a).collect();
    assert_eq!(
        actions,
        ["oneonone_invite_accept", "oneonone_invite_decline"]
    );
    assert!(
        dm["text"]
            .as_str()
            .unwrap()
            .starts_with("<@UMGR> would like to have regular 1on1s with you as your manager"),
        "{dm}"
    );
    assert_eq!(scalar(&app, active_pairs()).await, 0);
    let list = app.command("UMGR", "/1on1", "").await;
    assert_eq!(
        list,
        "*Your 1on1s*\n• <@UREP> (invited, weekly): waiting for them to accept"
    );

    // A second add while it is pending sends nothing again.
    wait_outbox_idle(&app).await;
    let outbox = count(&app, "outbox").await;
    let r = app.command("UMGR", "/1on1", "add <@UREP> weekly").await;
    assert_eq!(
        r,
        "Your invitation to <@UREP> is still waiting for their answer; nothing was sent again."
    );
    assert_eq!(count(&app, "outbox").await, outbox);
    assert_eq!(count(&app, "pair_invitations").await, 1);

    // Long overdue if it were a pair, but a pending invitation is never reminded.
    let jobs = run_at(&app, "2026-11-17T09:45:00+09:00").await;
    assert_eq!((jobs.considered, jobs.queued), (0, 0));

    // Accepted on 2026-11-17: weekly from then on, and the manager hears of it.
    let accepted = accept_invitation(&app, "UREP").await;
    assert_eq!(
        accepted,
        "You accepted: regular 1on1s with <@UMGR> (weekly). The 1on1 is your time: add what you \
         want to talk about with `/1on1 topic <@UMGR> …`."
    );
    let to_manager = wait_dm_text(&app, "UMGR", "<@UREP> accepted").await;
    assert!(
        to_manager.contains("The first is due on 2026-11-24"),
        "{to_manager}"
    );
    assert_eq!(scalar(&app, active_pairs()).await, 1);
    let jobs = run_at(&app, "2026-11-24T09:45:00+09:00").await;
    assert_eq!(jobs.queued, 1, "reminded once accepted");
    wait_dms_with(&app, "UMGR", "oneonone_held", 1).await;

    // Pressing Accept again changes nothing.
    let id = invitation_id(&app, "UREP").await;
    let again = press(&app, "UREP", "oneonone_invite_accept", &id).await;
    assert_eq!(
        again["text"],
        "You already accepted this invitation from <@UMGR>."
    );
    assert_eq!(count(&app, "pairs").await, 1);
}

async fn a_declined_invitation_adds_nothing_and_cannot_be_accepted_afterwards(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    one_on_one_at(&app, "2026-11-09T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    let id = invitation_id(&app, "UREP").await;
    let declined = press(&app, "UREP", "oneonone_invite_decline", &id).await;
    assert_eq!(
        declined["text"],
        "You declined the 1on1s with <@UMGR>. Nothing was changed."
    );
    assert_eq!(declined["replace_original"], true, "{declined}");
    let to_manager = wait_dm_text(&app, "UMGR", "<@UREP> declined").await;
    assert!(
        to_manager.contains("declined your invitation"),
        "{to_manager}"
    );

    let late = press(&app, "UREP", "oneonone_invite_accept", &id).await;
    assert!(
        late["text"]
            .as_str()
            .unwrap()
            .starts_with("You declined this invitation from <@UMGR>, so nothing was changed."),
        "{late}"
    );
    assert_eq!(count(&app, "pairs").await, 0);
    let jobs = run_at(&app, "2026-12-07T09:45:00+09:00").await;
    assert_eq!(jobs.queued, 0);
    assert!(
        app.command("UMGR", "/1on1", "")
            .await
            .starts_with("You have no regular 1on1s yet.")
    );

    // A decline is not followed by a stream of invitations: quiet for 30 days, then allowed.
    let invitations_sent = || async { scalar(&app, "SELECT COUNT(*) FROM pair_invitations").await };
    let again = one_on_one_at(&app, "2026-11-20T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    assert!(again.contains("declined your last invitation"), "{again}");
    assert_eq!(invitations_sent().await, 1);
    let later = one_on_one_at(&app, "2026-12-10T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    assert!(!later.contains("declined"), "{later}");
    assert_eq!(invitations_sent().await, 2);
}

async fn only_the_invited_report_can_answer_an_invitation(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP", "UOTHER"]);
    one_on_one_at(&app, "2026-11-09T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    let id = invitation_id(&app, "UREP").await;
    for (who, action) in [
        ("UOTHER", "oneonone_invite_accept"),
        ("UMGR", "oneonone_invite_accept"),
        ("UOTHER", "oneonone_invite_decline"),
    ] {
        let answer = press(&app, who, action, &id).await;
        assert_eq!(
            answer["text"], "This invitation is not for you, so nothing was changed.",
            "{who}"
        );
        assert_ne!(answer["replace_original"], true, "{answer}");
    }
    assert_eq!(count(&app, "pairs").await, 0);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM pair_invitations WHERE answer IS NULL"
        )
        .await,
        1,
        "still open for the report"
    );
    // A forged id is nobody's invitation.
    let answer = press(&app, "UREP", "oneonone_invite_accept", "999999").await;
    assert_eq!(
        answer["text"],
        "This invitation is not for you, so nothing was changed."
    );
    let accepted = accept_invitation(&app, "UREP").await;
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    assert_eq!(scalar(&app, active_pairs()).await, 1);
}

async fn an_expired_invitation_cannot_be_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    people(&app, &["UMGR", "UREP"]);
    one_on_one_at(&app, "2026-11-09T10:00:00+09:00", "UMGR", "add <@UREP>").await;
    let id = invitation_id(&app, "UREP").await;
    // 14 days and a minute later.
    app.clock.set(t("2026-11-23T10:01:00+09:00"));
    let late = press(&app, "UREP", "oneonone_invite_accept", &id).await;
    assert!(
        late["text"]
            .as_str()
            .unwrap()
            .starts_with("This invitation from <@UMGR> has expired, so nothing was changed."),
        "{late}"
    );
    assert_eq!(count(&app, "pairs").await, 0);
    let list = app.command("UMGR", "/1on1", "").await;
    assert!(list.starts_with("You have no regular 1on1s yet."), "{list}");
    // The manager may invite again, and that one can be accepted.
    let r = app.command("UMGR", "/1on1", "add <@UREP>").await;
    assert!(r.starts_with("I've asked <@UREP>"), "{r}");
    let accepted = accept_invitation(&app, "UREP").await;
    assert!(accepted.starts_with("You accepted"), "{accepted}");
    assert_eq!(scalar(&app, active_pairs()).await, 1);
}

async fn an_admin_and_the_org_chart_import_add_pairs_directly(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    people(&app, &["UADMIN", "UREP", "UM2", "UR2"]);
    let r = one_on_one_at(&app, "2026-11-09T10:00:00+09:00", "UADMIN", "add <@UREP>").await;
    assert!(r.starts_with("Added <@UREP> as your report"), "{r}");
    let imported = otagai::app::import_org_chart(
        &app.store,
        &app.settings,
        "manager,report,cadence\nUM2,UR2,weekly\n".as_bytes(),
        t("2026-11-09T10:00:00+09:00"),
    )
    .await
    .unwrap();
    assert_eq!(imported.added, 1);
    assert_eq!(scalar(&app, active_pairs()).await, 2);
    assert_eq!(count(&app, "pair_invitations").await, 0);
    // The pair's own manager still changes the cadence directly.
    let r = app.command("UM2", "/1on1", "add <@UR2> monthly").await;
    assert!(r.starts_with("1on1s with <@UR2> are now monthly."), "{r}");
}

async fn a_third_person_is_never_told_who_manages_whom(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    people(&app, &["UMGR", "UREP", "UOTHER", "UADMIN", "UNEW"]);
    crate::one_on_one::add_pair(&app, "2026-11-09T10:00:00+09:00", "UMGR", "UREP").await;
    wait_outbox_idle(&app).await;
    let outbox = count(&app, "outbox").await;

    let r = app.command("UOTHER", "/1on1", "add <@UREP>").await;
    assert_eq!(
        r,
        "<@UREP> already has a manager in otagai; they or an admin can change it."
    );
    assert!(!r.contains("UMGR"), "{r}");
    assert_eq!(count(&app, "outbox").await, outbox, "nothing is sent");
    // An admin may be told.
    let r = app.command("UADMIN", "/1on1", "add <@UREP>").await;
    assert!(r.contains("<@UMGR>"), "{r}");

    // A pending invitation is not revealed either: another manager's add is its own invitation.
    one_on_one_at(&app, "2026-11-10T10:00:00+09:00", "UMGR", "add <@UNEW>").await;
    let r = app.command("UOTHER", "/1on1", "add <@UNEW>").await;
    assert!(r.starts_with("I've asked <@UNEW>"), "{r}");
    assert!(!r.contains("UMGR"), "{r}");
    wait_outbox_idle(&app).await;
    for p in posts_to(&app, "UOTHER") {
        assert!(!p.to_string().contains("UMGR"), "{p}");
    }
}

/// Invitations are DMs to other people: at most twenty a day from one person.
async fn nobody_can_send_more_than_twenty_invitations_a_day(backend: Backend) {
    let app = spawn_app(backend).await;
    let reports: Vec<String> = (0..21).map(|i| format!("UREP{i:02}")).collect();
    let mut ids: Vec<&str> = reports.iter().map(String::as_str).collect();
    ids.push("UMGR");
    people(&app, &ids);
    for (i, r) in reports.iter().enumerate() {
        let reply = one_on_one_at(
            &app,
            "2026-11-09T10:00:00+09:00",
            "UMGR",
            &format!("add <@{r}>"),
        )
        .await;
        assert_eq!(
            reply.contains("the most otagai sends in a day"),
            i == 20,
            "{i}: {reply}"
        );
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM pair_invitations").await,
        20
    );
    let next_day = one_on_one_at(&app, "2026-11-10T10:30:00+09:00", "UMGR", "add <@UREP20>").await;
    assert!(!next_day.contains("in a day"), "{next_day}");
}
