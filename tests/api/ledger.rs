//! Property test: whatever sequence of gives, grants and budget changes happens, the budgets
//! agree with the append-only ledger, no budget is overspent, and every point given was received.

use crate::helpers::*;
use otagai::app::CommandRequest;
use otagai::domain::{ChannelId, UserId};
use proptest::prelude::*;

const PEOPLE: [&str; 4] = ["UANN", "UBEN", "UCAI", "UDEE"];

#[derive(Debug, Clone)]
enum Op {
    Give {
        giver: usize,
        to: Vec<usize>,
        points: u32,
    },
    Grant {
        to: usize,
        amount: i64,
    },
    SetBudget {
        to: usize,
        amount: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, proptest::collection::vec(0..4usize, 1..3), 1u32..=60)
            .prop_map(|(giver, to, points)| Op::Give { giver, to, points }),
        1 => (0..4usize, 1i64..100).prop_map(|(to, amount)| Op::Grant { to, amount }),
        1 => (0..4usize, 0i64..300).prop_map(|(to, amount)| Op::SetBudget { to, amount }),
    ]
}

fn text_for(op: &Op) -> (usize, &'static str, String) {
    let m = |i: usize| format!("<@{}>", PEOPLE[i]);
    match op {
        Op::Give { giver, to, points } => {
            let names: Vec<String> = to.iter().map(|i| m(*i)).collect();
            (
                *giver,
                "/thanks",
                format!(
                    "{} +{points} stayed late to fix the release build",
                    names.join(" ")
                ),
            )
        }
        // UANN is the configured admin.
        Op::Grant { to, amount } => (0, "/bonus", format!("grant {} {amount}", m(*to))),
        Op::SetBudget { to, amount } => (0, "/bonus", format!("budget {} {amount}", m(*to))),
    }
}

async fn run_ops(ops: Vec<Op>) {
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            worker: false,
            scheduler: false,
            settings: Box::new(|s| {
                s.bonus.monthly_budget = 150;
                s.bonus.admins = vec![UserId::parse("UANN").unwrap()];
            }),
            ..Default::default()
        },
    )
    .await;
    for p in PEOPLE {
        app.slack.add_user(p, "en-US");
    }
    let mut accepted = 0;
    for (i, op) in ops.iter().enumerate() {
        let (who, command, text) = text_for(op);
        let reply = app
            .app
            .handle_command(CommandRequest {
                user: UserId::parse(PEOPLE[who]).unwrap(),
                channel: ChannelId::parse("C0GENERAL").ok(),
                command: command.into(),
                text,
                request_key: format!("prop-{i}"),
                response_url: None,
                team_domain: None,
            })
            .await;
        // The set-up must let every operation reach the rules: no Slack or database trouble.
        assert!(
            !reply.text.contains("Something went wrong") && !reply.text.contains("couldn't check"),
            "{op:?}: {}",
            reply.text
        );
        if reply.text.contains("is on its way") {
            accepted += 1;
        }
    }
    app.assert_ledger_consistent().await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let (given, received): (i64, i64) = (
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(-SUM(points), 0) AS BIGINT) FROM ledger WHERE kind = 'give'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap(),
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM ledger WHERE kind = 'receive'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap(),
    );
    assert_eq!(given, received, "every point given is received");
    let gives: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT thanks_id) FROM ledger WHERE kind = 'give'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        gives, accepted,
        "each accepted thanks with points is in the ledger once"
    );
    // A give never takes spent past the allowance in force at that moment; lowering a budget
    // afterwards may leave spent above base, but never above the largest allowance ever set.
    let over: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM budget_periods WHERE spent > granted + 300")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(over, 0, "a budget was overspent");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn budgets_always_equal_the_ledger_whatever_happens(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(run_ops(ops));
    }
}
