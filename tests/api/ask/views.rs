//! `/ask mine` (the caller's open questions, with links) and `/ask stats` (counts per topic,
//! for admins only, over the last 30 days).

use super::*;
use crate::both_backends;
use crate::fake_slack::permalink;

both_backends!(
    ask_mine_lists_only_the_callers_open_questions_with_links,
    ask_stats_counts_questions_per_topic_for_admins_only,
);

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
