//! `/bonus` end to end: balances, rankings, history, the audited admin commands, and the ledger
//! export.

use crate::both_backends;
use crate::helpers::*;
use crate::thanks::{budgets, count, ledger, posts_to, reset_date, wait_outbox_idle};
use chrono::{NaiveDate, Utc};
use otagai::domain::UserId;
use otagai::storage::admin::{AuditEntry, audit_log};
use std::time::Duration;

both_backends!(
    bonus_shows_the_budget_left_the_reset_date_and_points_received_this_month_and_in_total,
    bonus_top_ranks_receivers_most_first_at_most_ten_this_month_or_of_all_time,
    bonus_history_lists_the_last_thanks_given_and_received_newest_first,
    admin_commands_by_a_non_admin_are_refused_naming_the_admins_and_change_nothing,
    bonus_help_shows_admin_commands_only_to_admins,
    an_admin_sets_a_persons_budget_and_the_default_and_both_apply_this_month_at_once,
    an_admin_grant_tops_up_a_budget_for_this_month_and_tells_the_recipient,
    a_retried_admin_command_has_one_effect_and_gets_the_same_answer,
    admins_added_in_slack_can_administer_until_removed_and_config_admins_cannot_be_removed,
    the_ledger_export_writes_a_header_and_one_row_per_movement_filtered_by_local_dates,
    an_admin_cannot_give_a_budget_to_a_bot_a_deactivated_or_an_unknown_user,
    a_budget_change_during_someones_first_give_of_the_month_is_not_lost,
    an_admin_puts_a_person_back_on_the_default_budget,
    an_admin_cannot_grant_themselves_points_or_change_their_own_budget_and_the_attempt_is_audited,
);

fn u(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

fn admin_options() -> Options {
    Options {
        settings: Box::new(|s| s.bonus.admins = vec![u("UADMIN")]),
        ..Default::default()
    }
}

async fn audit(app: &TestApp) -> Vec<AuditEntry> {
    let mut conn = app.store.pool().acquire().await.unwrap();
    audit_log(&mut conn).await.unwrap()
}

/// (actor, action, subject) of every audit entry, oldest first.
async fn audit_summary(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    audit(app)
        .await
        .into_iter()
        .map(|e| (e.actor, e.action, e.subject))
        .collect()
}

/// A receive row in a long-past month, as if from an earlier year of use.
async fn received_long_ago(app: &TestApp, user: &str, points: i64) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    otagai::storage::thanks::ledger_row(
        &mut conn,
        &u(user),
        "2020-01",
        "receive",
        points,
        None,
        Some(&u("UFORMER")),
        1_578_000_000_000,
    )
    .await
    .unwrap();
}

fn today(app: &TestApp) -> String {
    Utc::now()
        .with_timezone(&app.settings.org.timezone)
        .format("%Y-%m-%d")
        .to_string()
}

async fn bonus_shows_the_budget_left_the_reset_date_and_points_received_this_month_and_in_total(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    let resets = reset_date(&app);

    for text in ["", "balance"] {
        let r = app.command("UBOB", "/bonus", text).await;
        assert!(r.contains("*Your points*"), "{r}");
        assert!(
            r.contains(&format!(
                "Budget left this month: 400 of 400 (resets on {resets})"
            )),
            "{r}"
        );
        assert!(r.contains("Received this month: 0 · all time: 0"), "{r}");
    }

    let ok = app
        .thanks("UGIVER", "<@UBOB> +30 reviewed my PR within the hour")
        .await;
    assert!(ok.contains("is on its way"), "{ok}");
    received_long_ago(&app, "UBOB", 100).await;

    let r = app.command("UGIVER", "/bonus", "").await;
    assert!(
        r.contains(&format!(
            "Budget left this month: 370 of 400 (resets on {resets})"
        )),
        "{r}"
    );
    assert!(r.contains("Received this month: 0 · all time: 0"), "{r}");
    let r = app.command("UBOB", "/bonus", "balance").await;
    assert!(
        r.contains("Budget left this month: 400 of 400"),
        "receiving does not spend: {r}"
    );
    assert!(r.contains("Received this month: 30 · all time: 130"), "{r}");

    let ja = app.command("UJA", "/bonus", "").await;
    assert!(ja.contains("*あなたの感謝ポイント*"), "{ja}");
    assert!(ja.contains("今月贈れる残り: 400 / 400ポイント"), "{ja}");
    assert_eq!(count(&app, "audit_log").await, 0);
}

async fn bonus_top_ranks_receivers_most_first_at_most_ten_this_month_or_of_all_time(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.slack.add_user("UGIVER", "en-US");
    let empty = app.command("UGIVER", "/bonus", "top").await;
    assert!(
        empty.contains("*Most points received this month*"),
        "{empty}"
    );
    assert!(
        empty.contains("No points have been received yet."),
        "{empty}"
    );

    // Twelve people receive 5, 10, … 60 points (390 in all, within the 400 budget).
    for i in 1..=12 {
        let who = format!("UR{i:02}");
        app.slack.add_user(&who, "en-US");
        let r = app
            .thanks(
                "UGIVER",
                &format!("<@{who}> +{} helped with the quarterly report", i * 5),
            )
            .await;
        assert!(r.contains("is on its way"), "{r}");
    }
    received_long_ago(&app, "UOLD", 1000).await;

    for text in ["top", "top month"] {
        let r = app.command("UGIVER", "/bonus", text).await;
        let lines: Vec<&str> = r.lines().collect();
        assert_eq!(lines[0], "*Most points received this month*", "{r}");
        let ranked = &lines[1..];
        assert_eq!(ranked.len(), 10, "at most ten: {r}");
        for (rank, line) in ranked.iter().enumerate() {
            let i = 12 - rank;
            assert_eq!(
                *line,
                format!("{}. <@UR{i:02}> · {} points", rank + 1, i * 5),
                "{r}"
            );
        }
        assert!(!r.contains("UOLD"), "another month's points: {r}");
        assert!(!r.contains("<@UR02>") && !r.contains("<@UR01>"), "{r}");
    }

    let r = app.command("UGIVER", "/bonus", "top all").await;
    let lines: Vec<&str> = r.lines().collect();
    assert_eq!(lines[0], "*Most points received of all time*", "{r}");
    assert_eq!(lines.len(), 11, "{r}");
    assert_eq!(lines[1], "1. <@UOLD> · 1000 points", "{r}");
    assert_eq!(lines[2], "2. <@UR12> · 60 points", "{r}");
    assert_eq!(lines[10], "10. <@UR04> · 20 points", "{r}");
    assert!(!r.contains("<@UR03>"), "{r}");
    assert!(!r.contains("UGIVER"), "givers are not receivers: {r}");
}

async fn bonus_history_lists_the_last_thanks_given_and_received_newest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    for who in ["UGIVER", "UBOB", "UCAROL"] {
        app.slack.add_user(who, "en-US");
    }
    let r = app.command("UGIVER", "/bonus", "history").await;
    assert_eq!(
        r,
        "*Thanks you gave*\nNothing yet.\n\n*Thanks you received*\nNothing yet."
    );

    for (giver, text) in [
        ("UGIVER", "<@UBOB> +20 fixed the flaky deploy script"),
        ("UGIVER", "<@UBOB> <@UCAROL> ran the incident review"),
        ("UCAROL", "<@UGIVER> +15 paired with me on the migration"),
    ] {
        let r = app.thanks(giver, text).await;
        assert!(r.contains("is on its way"), "{r}");
    }
    let d = today(&app);
    let r = app.command("UGIVER", "/bonus", "history").await;
    let want = format!(
        "*Thanks you gave*\n\
         {d} · <@UBOB>, <@UCAROL> · ran the incident review\n\
         {d} · <@UBOB> · +20 points · fixed the flaky deploy script\n\n\
         *Thanks you received*\n\
         {d} · <@UCAROL> · +15 points · paired with me on the migration"
    );
    assert_eq!(r, want);
    let r = app.command("UBOB", "/bonus", "history").await;
    assert!(r.starts_with("*Thanks you gave*\nNothing yet."), "{r}");
    let received = r.split("*Thanks you received*\n").nth(1).unwrap();
    let lines: Vec<&str> = received.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!("{d} · <@UGIVER> · ran the incident review"),
            format!("{d} · <@UGIVER> · +20 points · fixed the flaky deploy script"),
        ]
    );
}

async fn admin_commands_by_a_non_admin_are_refused_naming_the_admins_and_change_nothing(
    backend: Backend,
) {
    let app = spawn_app_with(backend, admin_options()).await;
    app.slack.add_user("UBOB", "en-US");
    app.slack.add_user("UCAROL", "en-US");
    app.slack.add_user("UJA", "ja-JP");
    for text in [
        "budget <@UCAROL> 1000",
        "budget <@UBOB> 1000",
        "budget default 1000",
        "grant <@UBOB> 500",
        "admins add <@UBOB>",
        "admins remove <@UADMIN>",
    ] {
        let r = app.command("UBOB", "/bonus", text).await;
        assert!(
            r.contains("Only bonus admins can do that. Ask one of them: <@UADMIN>"),
            "{text}: {r}"
        );
    }
    let ja = app.command("UJA", "/bonus", "grant <@UJA> 500").await;
    assert!(
        ja.contains("この操作は感謝ポイントの管理者だけが行えます。管理者: <@UADMIN>"),
        "{ja}"
    );

    assert!(audit(&app).await.is_empty(), "no audit row");
    for table in [
        "budget_overrides",
        "app_settings",
        "bonus_admins",
        "ledger",
        "budget_periods",
        "outbox",
    ] {
        assert_eq!(count(&app, table).await, 0, "{table} changed");
    }
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 400 of 400"), "{r}");
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 400 of 400"), "{r}");
    let r = app.command("UBOB", "/bonus", "admins").await;
    assert_eq!(r, "Bonus admins: <@UADMIN>");
}

async fn bonus_help_shows_admin_commands_only_to_admins(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    app.slack.add_user("UADMIN", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let everyone = [
        "*Points with /bonus*",
        "`/bonus`: your budget left this month",
        "`/bonus top [month|all]`",
        "`/bonus history`",
    ];
    let admin_only = [
        "`/bonus budget @someone N`",
        "`/bonus budget default N`",
        "`/bonus grant @someone N`",
        "`/bonus admins [add|remove @someone]`",
    ];
    let r = app.command("UBOB", "/bonus", "help").await;
    for want in everyone {
        assert!(r.contains(want), "{want}: {r}");
    }
    for hidden in admin_only {
        assert!(!r.contains(hidden), "{hidden} shown to a non-admin: {r}");
    }
    let r = app.command("UADMIN", "/bonus", "help").await;
    for want in everyone.iter().chain(&admin_only) {
        assert!(r.contains(want), "{want}: {r}");
    }
}

async fn an_admin_sets_a_persons_budget_and_the_default_and_both_apply_this_month_at_once(
    backend: Backend,
) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UBOB", "UCAROL", "UDAN", "UEVE"] {
        app.slack.add_user(who, "en-US");
    }
    // Bob and Dan have already given this month.
    let r = app
        .thanks("UBOB", "<@UEVE> +40 reviewed my PR within the hour")
        .await;
    assert!(r.contains("You have 360 left"), "{r}");
    let r = app
        .thanks("UDAN", "<@UEVE> +10 reviewed my PR within the hour")
        .await;
    assert!(r.contains("You have 390 left"), "{r}");

    let r = app
        .command("UADMIN", "/bonus", "budget <@UBOB|bob> 100")
        .await;
    assert_eq!(
        r,
        "<@UBOB>'s monthly budget is now 100 points, from this month on."
    );
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 60 of 100"), "{r}");
    let before = budgets(&app).await;
    let r = app
        .thanks("UBOB", "<@UEVE> +70 reviewed my PR within the hour")
        .await;
    assert!(
        r.contains("That thanks costs 70 points and you have 60 left this month."),
        "{r}"
    );
    assert_eq!(budgets(&app).await, before);

    let r = app.command("UADMIN", "/bonus", "budget default 200").await;
    assert_eq!(
        r,
        "The default monthly budget is now 200 points, from this month on."
    );
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(
        r.contains("Budget left this month: 200 of 200"),
        "someone who has not given yet: {r}"
    );
    let r = app.command("UDAN", "/bonus", "").await;
    assert!(
        r.contains("Budget left this month: 190 of 200"),
        "someone who has given already: {r}"
    );
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(
        r.contains("Budget left this month: 60 of 100"),
        "their own budget stays: {r}"
    );
    let r = app
        .thanks(
            "UCAROL",
            "<@UEVE> <@UDAN> +101 reviewed my PR within the hour",
        )
        .await;
    assert!(
        r.contains("That thanks costs 202 points and you have 200 left"),
        "{r}"
    );

    let log = audit(&app).await;
    assert_eq!(
        audit_summary(&app).await,
        vec![
            ("UADMIN".into(), "budget.set".into(), Some("UBOB".into())),
            ("UADMIN".into(), "budget.default".into(), None),
        ]
    );
    assert!(log[0].detail.contains("100"), "{:?}", log[0]);
    assert!(log[1].detail.contains("200"), "{:?}", log[1]);
    app.assert_ledger_consistent().await;
}

async fn an_admin_grant_tops_up_a_budget_for_this_month_and_tells_the_recipient(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UCAROL", "UA", "UB", "UC"] {
        app.slack.add_user(who, "en-US");
    }
    // Carol has not used otagai yet.
    let r = app.command("UADMIN", "/bonus", "grant <@UCAROL> 50").await;
    assert_eq!(
        r,
        "<@UCAROL> got a one-time top-up of 50 points for this month; they have 450 left."
    );
    let dm = app
        .slack
        .wait_for("chat.postMessage", 1, Duration::from_secs(10))
        .await;
    assert_eq!(dm.len(), 1, "{dm:?}");
    assert_eq!(dm[0]["channel"], "UCAROL");
    assert_eq!(
        dm[0]["text"],
        "<@UADMIN> topped up your thanks budget by 50 points for this month. You have 450 to give."
    );

    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 450 of 450"), "{r}");
    let r = app
        .thanks(
            "UCAROL",
            "<@UA> <@UB> <@UC> +120 shipped the launch together",
        )
        .await;
    assert!(r.contains("You have 90 left this month"), "{r}");
    let r = app
        .thanks("UCAROL", "<@UA> +90 shipped the launch together")
        .await;
    assert!(
        r.contains("You have 0 left this month"),
        "the top-up can be given away: {r}"
    );

    let grants: Vec<_> = ledger(&app)
        .await
        .into_iter()
        .filter(|r| r.1 == "grant")
        .collect();
    assert_eq!(
        grants,
        vec![("UCAROL".into(), "grant".into(), 50, Some("UADMIN".into()))]
    );
    let b = budgets(&app).await;
    let carol: Vec<_> = b.iter().filter(|r| r.0 == "UCAROL").collect();
    assert_eq!(carol.len(), 1);
    assert_eq!((carol[0].2, carol[0].3, carol[0].4), (400, 50, 450));
    assert_eq!(
        audit_summary(&app).await,
        vec![(
            "UADMIN".into(),
            "budget.grant".into(),
            Some("UCAROL".into())
        )]
    );
    wait_outbox_idle(&app).await;
    assert_eq!(posts_to(&app, "UCAROL").len(), 1);
    app.assert_ledger_consistent().await;
}

/// The answer to a command sent with a given trigger_id.
async fn answer(app: &TestApp, user: &str, text: &str, trigger: &str) -> String {
    let resp = app
        .command_with_trigger(user, "/bonus", text, trigger)
        .await;
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    v["text"].as_str().unwrap_or_default().to_owned()
}

async fn a_retried_admin_command_has_one_effect_and_gets_the_same_answer(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UCAROL"] {
        app.slack.add_user(who, "en-US");
    }
    let first = answer(&app, "UADMIN", "grant <@UCAROL> 50", "trig-grant").await;
    let again = answer(&app, "UADMIN", "grant <@UCAROL> 50", "trig-grant").await;
    assert_eq!(
        first,
        "<@UCAROL> got a one-time top-up of 50 points for this month; they have 450 left."
    );
    assert_eq!(again, first);
    let (a, b) = tokio::join!(
        answer(&app, "UADMIN", "grant <@UCAROL> 25", "trig-grant-2"),
        answer(&app, "UADMIN", "grant <@UCAROL> 25", "trig-grant-2"),
    );
    assert!(a.contains("they have 475 left"), "{a}");
    assert_eq!(a, b);
    let first = answer(&app, "UADMIN", "budget <@UCAROL> 300", "trig-set").await;
    let again = answer(&app, "UADMIN", "budget <@UCAROL> 300", "trig-set").await;
    assert_eq!(again, first);

    wait_outbox_idle(&app).await;
    assert_eq!(posts_to(&app, "UCAROL").len(), 2, "one DM per grant");
    let grants: Vec<i64> = ledger(&app)
        .await
        .into_iter()
        .filter(|r| r.1 == "grant")
        .map(|r| r.2)
        .collect();
    assert_eq!(grants, vec![50, 25]);
    let b = budgets(&app).await;
    assert_eq!(
        b,
        vec![("UCAROL".into(), b[0].1.clone(), 300, 75, 0)],
        "{b:?}"
    );
    assert_eq!(
        audit_summary(&app).await,
        vec![
            (
                "UADMIN".into(),
                "budget.grant".into(),
                Some("UCAROL".into())
            ),
            (
                "UADMIN".into(),
                "budget.grant".into(),
                Some("UCAROL".into())
            ),
            ("UADMIN".into(), "budget.set".into(), Some("UCAROL".into())),
        ]
    );
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 375 of 375"), "{r}");
    app.assert_ledger_consistent().await;
}

async fn admins_added_in_slack_can_administer_until_removed_and_config_admins_cannot_be_removed(
    backend: Backend,
) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UBOB", "UDAVE"] {
        app.slack.add_user(who, "en-US");
    }
    let r = app.command("UADMIN", "/bonus", "admins add <@UDAVE>").await;
    assert_eq!(r, "<@UDAVE> is now a bonus admin.");
    let r = app.command("UADMIN", "/bonus", "admins add <@UDAVE>").await;
    assert_eq!(r, "<@UDAVE> is already a bonus admin.");
    let r = app.command("UBOB", "/bonus", "admins").await;
    assert_eq!(r, "Bonus admins: <@UADMIN>, <@UDAVE>");

    let r = app.command("UDAVE", "/bonus", "budget <@UBOB> 300").await;
    assert_eq!(
        r,
        "<@UBOB>'s monthly budget is now 300 points, from this month on."
    );
    let r = app
        .command("UDAVE", "/bonus", "admins remove <@UADMIN>")
        .await;
    assert!(
        r.contains("<@UADMIN> is an admin in the configuration file (bonus.admins)"),
        "{r}"
    );
    let r = app.command("UADMIN", "/bonus", "admins").await;
    assert_eq!(r, "Bonus admins: <@UADMIN>, <@UDAVE>");

    let r = app
        .command("UADMIN", "/bonus", "admins remove <@UDAVE>")
        .await;
    assert_eq!(r, "<@UDAVE> is no longer a bonus admin.");
    let r = app
        .command("UADMIN", "/bonus", "admins remove <@UDAVE>")
        .await;
    assert_eq!(r, "<@UDAVE> is not a bonus admin.");
    let r = app.command("UDAVE", "/bonus", "budget <@UBOB> 10").await;
    assert!(
        r.contains("Only bonus admins can do that. Ask one of them: <@UADMIN>"),
        "{r}"
    );
    let r = app.command("UBOB", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 300 of 300"), "{r}");

    assert_eq!(
        audit_summary(&app).await,
        vec![
            ("UADMIN".into(), "admins.add".into(), Some("UDAVE".into())),
            ("UDAVE".into(), "budget.set".into(), Some("UBOB".into())),
            (
                "UADMIN".into(),
                "admins.remove".into(),
                Some("UDAVE".into())
            ),
        ],
        "one row per change, none for refusals or no-ops"
    );
    assert_eq!(count(&app, "bonus_admins").await, 0);
}

async fn export(
    app: &TestApp,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut out: Vec<u8> = Vec::new();
    let n = otagai::app::export_ledger_csv(&app.store, &app.settings, from, to, &mut out)
        .await
        .expect("export");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(n, rows.len(), "the count returned is the rows written");
    (header, rows)
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn the_ledger_export_writes_a_header_and_one_row_per_movement_filtered_by_local_dates(
    backend: Backend,
) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UGIVER", "UBOB", "UCAROL"] {
        app.slack.add_user(who, "en-US");
    }
    let (header, rows) = export(&app, None, None).await;
    assert_eq!(
        header,
        [
            "id",
            "created_at",
            "period",
            "user_id",
            "kind",
            "points",
            "counterparty",
            "thanks_id"
        ]
    );
    assert!(rows.is_empty());

    let r = app
        .thanks(
            "UGIVER",
            "<@UBOB> <@UCAROL> +10 reviewed my PR within the hour",
        )
        .await;
    assert!(r.contains("is on its way"), "{r}");
    let r = app.thanks("UGIVER", "<@UBOB> thanks for the coffee").await;
    assert!(r.contains("is on its way"), "{r}");
    // Bob has used otagai, so the grant's DM knows his language.
    let r = app.command("UADMIN", "/bonus", "grant <@UBOB> 25").await;
    assert!(r.contains("got a one-time top-up of 25 points"), "{r}");

    // Two movements on 31 January 2030 in UTC: 23:30 that day in Tokyo, and 00:30 on 1 February.
    let mut conn = app.store.pool().acquire().await.unwrap();
    for (period, ms) in [
        ("2030-01", 1_896_100_200_000_i64), // 2030-01-31T14:30:00Z
        ("2030-02", 1_896_103_800_000_i64), // 2030-01-31T15:30:00Z
    ] {
        otagai::storage::thanks::ledger_row(
            &mut conn,
            &u("UOLD"),
            period,
            "receive",
            7,
            None,
            Some(&u("UFORMER")),
            ms,
        )
        .await
        .unwrap();
    }
    drop(conn);

    let (_, rows) = export(&app, None, None).await;
    assert_eq!(rows.len() as i64, count(&app, "ledger").await);
    assert_eq!(rows.len(), 7, "2 give, 2 receive, 1 grant, 2 inserted");
    let thanks_id = rows[0][7].clone();
    assert!(!thanks_id.is_empty());
    let period = rows[0][2].clone();
    let kinds: Vec<(&str, &str, &str, &str, &str)> = rows[..5]
        .iter()
        .map(|r| {
            (
                r[3].as_str(),
                r[4].as_str(),
                r[5].as_str(),
                r[6].as_str(),
                r[7].as_str(),
            )
        })
        .collect();
    let mut kinds_sorted = kinds.clone();
    kinds_sorted.sort();
    let t = thanks_id.as_str();
    assert_eq!(
        kinds_sorted,
        vec![
            ("UBOB", "grant", "25", "UADMIN", ""),
            ("UBOB", "receive", "10", "UGIVER", t),
            ("UCAROL", "receive", "10", "UGIVER", t),
            ("UGIVER", "give", "-10", "UBOB", t),
            ("UGIVER", "give", "-10", "UCAROL", t),
        ]
    );
    for r in &rows[..5] {
        assert_eq!(r[2], period);
        assert!(r[1].starts_with(&today(&app)), "local time: {r:?}");
        assert!(r[1].ends_with("+09:00"), "local time: {r:?}");
    }
    let ids: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {ids:?}");

    // Dates are whole local days in the organisation's time zone, both ends included.
    let (_, jan) = export(&app, Some(date("2030-01-01")), Some(date("2030-01-31"))).await;
    assert_eq!(jan.len(), 1, "{jan:?}");
    assert_eq!(jan[0][1], "2030-01-31T23:30:00+09:00");
    assert_eq!(jan[0][2], "2030-01");
    let (_, feb) = export(&app, Some(date("2030-02-01")), Some(date("2030-02-01"))).await;
    assert_eq!(feb.len(), 1, "{feb:?}");
    assert_eq!(feb[0][1], "2030-02-01T00:30:00+09:00");
    let (_, later) = export(&app, Some(date("2030-01-01")), None).await;
    assert_eq!(later.len(), 2);
    let (_, until) = export(&app, None, Some(date("2029-12-31"))).await;
    assert_eq!(until.len(), 5, "only today's movements: {until:?}");
    let d = date(&today(&app));
    let (_, just_today) = export(&app, Some(d), Some(d)).await;
    assert_eq!(just_today.len(), 5);
    let (_, none) = export(&app, Some(d.succ_opt().unwrap()), Some(date("2029-12-31"))).await;
    assert!(none.is_empty(), "{none:?}");
    app.assert_ledger_consistent().await;
}

async fn an_admin_cannot_give_a_budget_to_a_bot_a_deactivated_or_an_unknown_user(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    app.slack.add_user("UADMIN", "en-US");
    app.slack.add_bot("UROBOT");
    app.slack.add_deactivated("UGONE");
    for (text, who) in [
        ("grant <@UROBOT> 50", "<@UROBOT>"),
        ("budget <@UGONE> 100", "<@UGONE>"),
        ("grant <@UNOBODY> 10", "<@UNOBODY>"),
        ("admins add <@UROBOT>", "<@UROBOT>"),
    ] {
        let r = app.command("UADMIN", "/bonus", text).await;
        assert!(
            r.contains(&format!(
                "{who} is a bot, deactivated or not in this workspace"
            )),
            "{text}: {r}"
        );
    }
    assert!(
        audit(&app).await.is_empty(),
        "refusals are not audited changes"
    );
    let mut conn = app.store.pool().acquire().await.unwrap();
    let rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM budget_periods) + (SELECT COUNT(*) FROM budget_overrides) + (SELECT COUNT(*) FROM ledger)",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(rows, 0, "nothing changed");
}

async fn a_budget_change_during_someones_first_give_of_the_month_is_not_lost(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UCAROL"] {
        app.slack.add_user(who, "en-US");
    }
    // Carol's first give of the month is half-way: her month is opened with the old allowance
    // but not yet committed, when an admin lowers her budget.
    let period = otagai::domain::Period::containing(chrono::Utc::now(), app.settings.org.timezone);
    let mut tx = app.store.begin().await.unwrap();
    otagai::storage::budget::open(&mut tx, &u("UCAROL"), period, 400)
        .await
        .unwrap();
    let commit_later = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        tx.commit().await.unwrap();
    };
    let (_, resp) = tokio::join!(
        commit_later,
        app.command_with_trigger("UADMIN", "/bonus", "budget <@UCAROL> 100", "trig-race")
    );
    let answer: serde_json::Value = resp.json().await.unwrap();
    let answer = answer["text"].as_str().unwrap_or_default();
    assert!(answer.contains("monthly budget is now 100"), "{answer}");
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(
        r.contains("Budget left this month: 100 of 100"),
        "the change must apply this month: {r}"
    );
}

async fn an_admin_puts_a_person_back_on_the_default_budget(backend: Backend) {
    let app = spawn_app_with(backend, admin_options()).await;
    for who in ["UADMIN", "UCAROL"] {
        app.slack.add_user(who, "en-US");
    }
    app.command("UADMIN", "/bonus", "budget <@UCAROL> 100")
        .await;
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 100 of 100"), "{r}");
    app.command("UADMIN", "/bonus", "budget default 250").await;
    let r = app
        .command("UADMIN", "/bonus", "budget <@UCAROL> default")
        .await;
    assert!(
        r.contains("<@UCAROL> is back on the default monthly budget (250 points)"),
        "{r}"
    );
    let r = app.command("UCAROL", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 250 of 250"), "{r}");
    let actions: Vec<String> = audit(&app).await.into_iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        vec!["budget.set", "budget.default", "budget.clear"]
    );
}

async fn an_admin_cannot_grant_themselves_points_or_change_their_own_budget_and_the_attempt_is_audited(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            settings: Box::new(|s| s.bonus.admins = vec![u("UADMIN"), u("UJADMIN")]),
            ..Default::default()
        },
    )
    .await;
    app.slack.add_user("UADMIN", "en-US");
    app.slack.add_user("UJADMIN", "ja-JP");

    let refused = "Admins can't change their own budget or top it up; another admin has \
                   to do it: <@UJADMIN>. This attempt was recorded in the audit log.";
    for text in [
        "grant <@UADMIN> 1000000",
        "budget <@UADMIN> 1000000",
        "budget <@UADMIN> default",
    ] {
        assert_eq!(
            app.command("UADMIN", "/bonus", text).await,
            refused,
            "{text}"
        );
    }
    let first = answer(&app, "UJADMIN", "grant <@UJADMIN> 500", "trig-self").await;
    assert!(
        first.starts_with("管理者は自分の月間ポイントの変更や追加はできません。"),
        "{first}"
    );
    let again = answer(&app, "UJADMIN", "grant <@UJADMIN> 500", "trig-self").await;
    assert_eq!(again, first, "a retry gets the same answer");

    assert!(ledger(&app).await.is_empty(), "no grant was written");
    assert!(budgets(&app).await.is_empty(), "no budget row was opened");
    assert_eq!(count(&app, "budget_overrides").await, 0);
    let r = app.command("UADMIN", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 400 of 400"), "{r}");
    let log = audit(&app).await;
    let summary: Vec<_> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.subject.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("UADMIN", "budget.self_refused", Some("UADMIN")),
            ("UADMIN", "budget.self_refused", Some("UADMIN")),
            ("UADMIN", "budget.self_refused", Some("UADMIN")),
            ("UJADMIN", "budget.self_refused", Some("UJADMIN")),
        ],
        "each attempt once, the retry not again"
    );
    assert!(log[0].detail.contains("budget.grant"), "{}", log[0].detail);
    assert!(log[0].detail.contains("1000000"), "{}", log[0].detail);

    // Another admin may do it, and the default (everyone's, the admin's too) stays allowed.
    let r = app.command("UJADMIN", "/bonus", "grant <@UADMIN> 50").await;
    assert!(r.contains("50ポイントを追加しました"), "{r}");
    let r = app.command("UADMIN", "/bonus", "budget default 300").await;
    assert_eq!(
        r,
        "The default monthly budget is now 300 points, from this month on."
    );
    let r = app.command("UADMIN", "/bonus", "").await;
    assert!(r.contains("Budget left this month: 350 of 350"), "{r}");
    app.assert_ledger_consistent().await;
}
