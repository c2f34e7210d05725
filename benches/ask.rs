//! The help-request nudge pass (`App::run_due_jobs`, which runs it with the 1on1 reminders) and
//! `/ask stats` over a large history of help requests, on SQLite and, when `BENCH_POSTGRES_URL`
//! or `TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database.
//!
//! `cargo bench --bench ask` seeds 100,000 help requests (`BENCH_REQUESTS` changes it) asked
//! over the last ~90 days, on five topics and none, every one posted (`post_ts` set), with bulk
//! multi-row INSERTs in one transaction: about 2% open and due their first nudge, 1% claimed
//! and due a nudge (to the claimer), 1% nudged and due escalation (a few also never nudged, so
//! both go out at once), a few waiting for either, 20% abandoned (open, nudged and escalated long
//! ago), the rest answered or resolved, with helpers. `nudge_due_at` / `escalate_due_at` are
//! computed as `/ask` computes them (`org.working.add`, 2 working hours and 1 working day of
//! 09:00-18:00 in Tokyo). Then, as of Wednesday 2026-06-17 14:00 in Tokyo, it times:
//!
//! * a pass where nothing is due (Tuesday 09:30, before every due time),
//! * the pass's read query (`ask::due_nudges`) on its own,
//! * a dry run (decides and renders every due nudge, writes nothing),
//! * the first pass (enqueues the due nudges and escalations; must queue exactly the expected
//!   number, and the outbox must hold exactly that many of each kind),
//! * a second pass a minute later (must queue 0: exactly once),
//! * `/ask stats` by an admin over its 30-day window (must list every topic with the seeded
//!   count), and its read query (`ask::asked_since`) on its own.
//!
//! Request ids follow the time of asking, as when the app inserts them (the due requests are
//! the newest rows, the stats window the last third of the table).
//!
//! Each iteration (`BENCH_ITERATIONS`, default 3) uses a fresh database; min / median / max are
//! printed. Any wrong count makes the bench exit non-zero. `BENCH_KEEP_DB=1` keeps the databases
//! for a look with `sqlite3` or `psql`. Run without `--bench` (as `cargo test --all-targets`
//! does) it only makes a small smoke run on SQLite.

mod support;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use otagai::app::{App, CommandRequest};
use otagai::clock::ShiftedClock;
use otagai::config::{AskTopic, EscalateTo, Settings};
use otagai::domain::{ChannelId, Expert, UserGroupId, UserId};
use otagai::storage;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::fake_slack::FakeSlack;
use support::{Backend, Bulk, Db, env_num, minus, ms, q, q_opt};

/// The help channel (questions without a topic, and topics without their own channel).
const HELP_CHANNEL: &str = "C0HELP";
/// Where escalations go: a user group, mentioned in the request's thread.
const ESCALATE_GROUP: &str = "SLEADS";
const ADMIN: &str = "UADMIN";
/// Topics, and their own channel if they have one.
const TOPICS: [(&str, Option<&str>); 5] = [
    ("payroll", Some("C0PAYROLL")),
    ("laptops", None),
    ("security", Some("C0SECURITY")),
    ("travel", None),
    ("legal", None),
];
/// `/ask stats` looks back this far (as `src/app/ask/stats.rs`).
const STATS_DAYS: i64 = 30;

fn tokyo() -> Tz {
    "Asia/Tokyo".parse().unwrap()
}

/// The bench's "now": Wednesday 2026-06-17, 14:00 in Tokyo (working time).
fn bench_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 17, 5, 0, 0).unwrap()
}

/// Before every seeded due time, and working time: Tuesday 2026-06-16, 09:30 in Tokyo.
fn nothing_due_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 16, 0, 30, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 17).unwrap()
}

/// `minutes` after local midnight of `day` in Tokyo.
fn at(day: NaiveDate, minutes: usize) -> DateTime<Utc> {
    let midnight = tokyo()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
        .single()
        .unwrap();
    (midnight + chrono::Duration::minutes(minutes as i64)).with_timezone(&Utc)
}

fn mins(m: usize) -> chrono::Duration {
    chrono::Duration::minutes(m as i64)
}

// ---- the settings ----

/// The defaults (09:00-18:00 Mon-Fri in Tokyo with Japan's holidays, nudge after 2h, escalate
/// after 1d), a help channel, five topics with experts, escalation to a user group, an admin.
fn bench_settings() -> Settings {
    let mut s = Settings::defaults();
    s.ask.channel = Some(ChannelId::parse(HELP_CHANNEL).unwrap());
    s.ask.experts = vec![Expert::parse("U0EXPERT").unwrap()];
    for (k, (name, channel)) in TOPICS.iter().enumerate() {
        s.ask.topics.insert(
            (*name).to_owned(),
            AskTopic {
                channel: channel.map(|c| ChannelId::parse(c).unwrap()),
                experts: vec![
                    Expert::parse(&format!("UEXPERT{k}")).unwrap(),
                    Expert::parse(&format!("SEXPERTS{k}")).unwrap(),
                ],
            },
        );
    }
    s.ask.escalate_to = Some(EscalateTo::Group(
        UserGroupId::parse(ESCALATE_GROUP).unwrap(),
    ));
    s.bonus.admins = vec![UserId::parse(ADMIN).unwrap()];
    s
}

// ---- the requests ----

/// Where a request stands at the bench's instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Open, asked this morning: its first nudge (to the topic's experts) is due.
    DueNudge,
    /// Claimed this morning, no answer: its nudge (to the claimer) is due.
    ClaimedDue,
    /// Open, asked yesterday morning, nudged: its escalation is due.
    EscalateDue,
    /// Open, asked yesterday morning and never nudged (say the bot was down): both are due.
    DueBoth,
    /// Open, asked less than two working hours ago: nothing due yet.
    Waiting,
    /// Open, nudged, asked yesterday afternoon: its escalation comes later today.
    NudgedWaiting,
    /// Open or claimed, nudged and escalated long ago, never answered.
    Abandoned,
    /// Answered, not resolved.
    Answered,
    Resolved,
}

const KINDS: [Kind; 9] = [
    Kind::DueNudge,
    Kind::ClaimedDue,
    Kind::EscalateDue,
    Kind::DueBoth,
    Kind::Waiting,
    Kind::NudgedWaiting,
    Kind::Abandoned,
    Kind::Answered,
    Kind::Resolved,
];

impl Kind {
    fn of(i: usize) -> Kind {
        // Spread the kinds over requests (and so over topics) pseudo-randomly.
        let h = support::per_mille(i);
        match h {
            0..20 => Kind::DueNudge,
            20..30 => Kind::ClaimedDue,
            30..39 => Kind::EscalateDue,
            39..40 => Kind::DueBoth,
            40..45 => Kind::Waiting,
            45..50 => Kind::NudgedWaiting,
            50..250 => Kind::Abandoned,
            250..500 => Kind::Answered,
            _ => Kind::Resolved,
        }
    }

    /// Read by the pass's query at the bench's instant.
    fn considered(self) -> bool {
        matches!(
            self,
            Kind::DueNudge | Kind::ClaimedDue | Kind::EscalateDue | Kind::DueBoth
        )
    }

    /// (nudges to experts, nudges to claimers, escalations) the first pass must queue.
    fn queues(self) -> (usize, usize, usize) {
        match self {
            Kind::DueNudge => (1, 0, 0),
            Kind::ClaimedDue => (0, 1, 0),
            Kind::EscalateDue => (0, 0, 1),
            Kind::DueBoth => (1, 0, 1),
            _ => (0, 0, 0),
        }
    }
}

/// The topic of request `i`: one of [`TOPICS`], or none for every sixth.
fn topic_of(i: usize) -> Option<&'static str> {
    match i % (TOPICS.len() + 1) {
        0 => None,
        k => Some(TOPICS[k - 1].0),
    }
}

fn channel_of(topic: Option<&str>) -> &'static str {
    TOPICS
        .iter()
        .find(|(name, _)| Some(*name) == topic)
        .and_then(|(_, c)| *c)
        .unwrap_or(HELP_CHANNEL)
}

/// What the first pass must do, counted from the same rules that seed the data.
#[derive(Debug, Clone, Default)]
struct Expected {
    considered: usize,
    experts: usize,
    claimers: usize,
    escalations: usize,
    /// Requests per kind.
    kinds: BTreeMap<Kind, usize>,
    /// Requests in `/ask stats`' window, by topic label as the reply shows it.
    window: BTreeMap<String, usize>,
}

impl Expected {
    fn queued(&self) -> usize {
        self.experts + self.claimers + self.escalations
    }
}

fn ms_opt(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "NULL".into(), |t| storage::millis(t).to_string())
}

/// The stats reply's label for a topic.
fn label(topic: Option<&str>) -> String {
    topic.map_or_else(|| "(no topic)".to_owned(), |t| format!("#{t}"))
}

/// Row counts of what was seeded.
#[derive(Debug, Default, Clone)]
struct Seeded {
    requests: usize,
    helpers: usize,
}

/// Every request as INSERT statements (same SQL on both backends but for the explicit identity
/// ids PostgreSQL wants spelled out), and what the passes must find in them.
fn seed_statements(
    n: usize,
    postgres: bool,
    settings: &Settings,
) -> (Vec<String>, Seeded, Expected) {
    let t = today();
    let yesterday = minus(t, 1);
    let now = bench_now();
    let next = now + chrono::Duration::seconds(60);
    let early = nothing_due_at();
    // `/ask stats` reads from the clock, which has moved on a little by then: no request is
    // asked within ten minutes after the window's start, so the count cannot depend on it.
    let since = now - chrono::Duration::days(STATS_DAYS);
    let working = &settings.org.working;
    let (nudge_after, escalate_after) = (settings.ask.nudge_after, settings.ask.escalate_after);

    let overriding = if postgres {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let mut requests = Bulk::new(format!(
        "INSERT INTO help_requests (id, asker_id, asker_locale, anonymous, topic, question, \
         channel_id, team_domain, post_ts, state, asker_notified, asked_at, claimed_at, \
         answered_at, resolved_at, nudge_due_at, escalate_due_at, nudged_at, escalated_at)\
         {overriding}"
    ));
    let mut helpers =
        Bulk::new("INSERT INTO help_request_helpers (request_id, user_id, role, helped_at)");
    let mut e = Expected::default();

    // Request `i` (which decides its kind and topic) is asked at a time that depends on its
    // kind; ids follow the time of asking, as they do when the app inserts them.
    let asked_of = |i: usize| {
        let asked = match Kind::of(i) {
            Kind::DueNudge | Kind::ClaimedDue => at(t, 9 * 60 + i % 180),
            Kind::EscalateDue | Kind::DueBoth => at(yesterday, 9 * 60 + i % 300),
            Kind::Waiting => at(t, 12 * 60 + 5 + i % 115),
            Kind::NudgedWaiting => at(yesterday, 14 * 60 + 5 + i % 230),
            Kind::Abandoned => at(minus(t, 3 + (i * 7919 % 88) as u64), 9 * 60 + i * 13 % 540),
            Kind::Answered | Kind::Resolved => {
                let day = minus(t, 1 + (i * 7919 % 90) as u64);
                // One in ten outside working hours (evenings, weekends).
                let minute = if i.is_multiple_of(10) {
                    i * 37 % 1440
                } else {
                    9 * 60 + i * 13 % 540
                };
                at(day, minute)
            }
        };
        if asked >= since && asked < since + mins(10) {
            since + mins(10)
        } else {
            asked
        }
    };
    let mut order: Vec<(DateTime<Utc>, usize)> = (1..=n).map(|i| (asked_of(i), i)).collect();
    order.sort_unstable();

    for (id, (asked, i)) in (1..).zip(order) {
        let kind = Kind::of(i);
        let topic = topic_of(i);
        let nudge_due = working.add(asked, nudge_after);
        let escalate_due = working.add(asked, escalate_after);

        // The seed must be what the bench says it is.
        let (nd, ed) = (nudge_due, escalate_due);
        let ok = match kind {
            Kind::DueNudge | Kind::ClaimedDue => nd <= now && ed > next,
            Kind::EscalateDue | Kind::DueBoth => ed <= now,
            Kind::Waiting => nd > next,
            Kind::NudgedWaiting => nd <= now && ed > next,
            Kind::Abandoned => ed <= now,
            Kind::Answered | Kind::Resolved => true,
        } && (matches!(kind, Kind::Abandoned | Kind::Answered | Kind::Resolved)
            || nd > early);
        assert!(
            ok,
            "request {i} ({kind:?}) asked {asked}: nudge due {nd}, escalation due {ed}"
        );

        let mut state = "open";
        let mut claimed = None;
        let mut answered = None;
        let mut resolved = None;
        let mut nudged = None;
        let mut escalated = None;
        let mut helper = |user: String, role: &str, when: DateTime<Utc>| {
            helpers.push(format!(
                "({id}, {}, {}, {})",
                q(&user),
                q(role),
                storage::millis(when)
            ));
        };
        match kind {
            Kind::DueNudge | Kind::DueBoth | Kind::Waiting => {}
            Kind::ClaimedDue => {
                state = "claimed";
                claimed = Some(asked + mins(10));
                helper(format!("UH{:05}", i % 3000), "claimed", asked + mins(10));
            }
            Kind::EscalateDue | Kind::NudgedWaiting => nudged = Some(nudge_due),
            Kind::Abandoned => {
                if i.is_multiple_of(5) {
                    state = "claimed";
                    claimed = Some(asked + mins(30));
                    helper(format!("UH{:05}", i % 3000), "claimed", asked + mins(30));
                }
                nudged = Some(nudge_due);
                escalated = Some(escalate_due);
            }
            Kind::Answered | Kind::Resolved => {
                let a = asked + mins(5 + i * 31 % 600);
                answered = Some(a);
                if i.is_multiple_of(3) {
                    claimed = Some(asked + mins(3));
                    helper(format!("UH{:05}", i % 3000), "claimed", asked + mins(3));
                }
                helper(format!("UH{:05}", (i + 7) % 3000), "replied", a);
                if i.is_multiple_of(4) {
                    helper(format!("UH{:05}", (i + 11) % 3000), "replied", a + mins(20));
                }
                if a > nudge_due {
                    nudged = Some(nudge_due);
                }
                if a > escalate_due {
                    escalated = Some(escalate_due);
                }
                state = "answered";
                if kind == Kind::Resolved {
                    state = "resolved";
                    resolved = Some((a + mins(i * 17 % 3000)).min(now - mins(1)));
                }
            }
        }

        let channel = channel_of(topic);
        let asked_ms = storage::millis(asked);
        requests.push(format!(
            "({id}, {}, {}, {}, {}, {}, {}, 'acme', {}, {}, {}, {asked_ms}, {}, {}, {}, {}, {}, \
             {}, {})",
            q(&format!("UA{:05}", i % 5000)),
            q(if i.is_multiple_of(3) { "en" } else { "ja" }),
            i64::from(i.is_multiple_of(10)),
            q_opt(topic),
            q(&format!("How do I deal with case {i} of the bench?")),
            q(channel),
            q(&format!("{}.{:06}", asked_ms / 1000, i % 1_000_000)),
            q(state),
            i64::from(answered.is_some()),
            ms_opt(claimed),
            ms_opt(answered),
            ms_opt(resolved),
            storage::millis(nudge_due),
            storage::millis(escalate_due),
            ms_opt(nudged),
            ms_opt(escalated),
        ));

        *e.kinds.entry(kind).or_default() += 1;
        if kind.considered() {
            e.considered += 1;
        }
        let (x, c, s) = kind.queues();
        e.experts += x;
        e.claimers += c;
        e.escalations += s;
        if asked >= since {
            *e.window.entry(label(topic)).or_default() += 1;
        }
    }

    let mut seeded = Seeded::default();
    let statements = support::finish_all([
        (requests, &mut seeded.requests),
        (helpers, &mut seeded.helpers),
    ]);
    (statements, seeded, e)
}

async fn seed(
    app: &App,
    n: usize,
    postgres: bool,
    settings: &Settings,
) -> anyhow::Result<(Seeded, Expected)> {
    let (statements, seeded, expected) = seed_statements(n, postgres, settings);
    support::insert_all(app, &statements, postgres, "help_requests").await?;
    Ok((seeded, expected))
}

// ---- the pass's and the stats' read queries, as in src/storage/ask.rs (for EXPLAIN only) ----

const DUE_SQL: &str = "SELECT id, asker_id, asker_locale, anonymous, topic, question, channel_id, \
     team_domain, post_ts, state, asker_notified, asked_at, answered_at, resolved_at, \
     nudge_due_at, escalate_due_at, nudged_at, escalated_at FROM help_requests \
     WHERE state IN ('open', 'claimed') AND escalated_at IS NULL AND nudge_due_at <= $1 \
     AND post_ts IS NOT NULL AND (nudged_at IS NULL OR escalate_due_at <= $1)";

const ASKED_SINCE_SQL: &str =
    "SELECT topic, asked_at, answered_at, resolved_at FROM help_requests WHERE asked_at >= $1";

async fn explain(app: &App, postgres: bool) -> anyhow::Result<String> {
    let now_ms = storage::millis(bench_now()).to_string();
    let since_ms = storage::millis(bench_now() - chrono::Duration::days(STATS_DAYS)).to_string();
    let queries = [
        ("due_nudges", DUE_SQL.replace("$1", &now_ms)),
        (
            "asked_since (30 days)",
            ASKED_SINCE_SQL.replace("$1", &since_ms),
        ),
        (
            "helpers (one request)",
            "SELECT user_id, role FROM help_request_helpers WHERE request_id = 10 \
             ORDER BY helped_at, role, user_id"
                .to_owned(),
        ),
    ];
    support::explain(app, postgres, &queries).await
}

// ---- one run ----

/// What one iteration measured.
#[derive(Debug, Default, Clone)]
struct Run {
    seeded: Seeded,
    expected: Expected,
    seed: Duration,
    nothing_due: Duration,
    nothing_due_considered: usize,
    nothing_due_queued: usize,
    read_due: Duration,
    due_rows: usize,
    dry: Duration,
    dry_considered: usize,
    dry_planned: usize,
    first: Duration,
    first_considered: usize,
    first_queued: usize,
    outbox_pending: i64,
    /// Outbox rows by nudge text: experts, claimers, escalations.
    outbox_kinds: (i64, i64, i64),
    second: Duration,
    second_considered: usize,
    second_queued: usize,
    stats: Duration,
    read_asked_since: Duration,
    asked_since_rows: usize,
    /// `/ask stats`' lines: topic label -> asked.
    stats_lines: BTreeMap<String, usize>,
    stats_reply: String,
}

async fn run_once(
    backend: &Backend,
    n: usize,
    settings: &Settings,
    show_plans: bool,
) -> anyhow::Result<Run> {
    let postgres = backend.is_postgres();
    let slack = FakeSlack::start().await;
    slack.add_user(ADMIN, "en-US");
    let db = Db::create(backend, "ask").await?;
    // Built as `serve` builds it (same pool), but not served: no worker drains the outbox and
    // no scheduler ticks on its own. The clock is set to the bench's instant (for what the
    // outbox records and for `/ask stats`' window).
    let clock = Arc::new(ShiftedClock::new());
    clock.set(bench_now());
    let application = support::build(&db, &slack, settings.clone())
        .await?
        .with_clock(clock.clone());
    let app = application.app().clone();
    let result = measure(&app, &clock, n, postgres, settings, show_plans).await;
    support::close(application, db).await;
    result
}

async fn count_payloads(app: &App, like: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM outbox WHERE payload LIKE '{like}'"
    ))
    .fetch_one(app.store.pool())
    .await?)
}

/// `• #topic: 123 asked, …` lines of the stats reply, as label -> asked.
fn stats_lines(reply: &str) -> BTreeMap<String, usize> {
    let clean: String = reply
        .chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect();
    clean
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix('•')?.trim_start();
            let (label, rest) = rest.split_once(": ")?;
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            Some((label.to_owned(), digits.parse().ok()?))
        })
        .collect()
}

async fn measure(
    app: &App,
    clock: &ShiftedClock,
    n: usize,
    postgres: bool,
    settings: &Settings,
    show_plans: bool,
) -> anyhow::Result<Run> {
    let mut run = Run::default();
    let now = bench_now();

    let t = Instant::now();
    (run.seeded, run.expected) = seed(app, n, postgres, settings).await?;
    run.seed = t.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM help_requests")
        .fetch_one(app.store.pool())
        .await?;
    anyhow::ensure!(stored as usize == n, "seeded {stored} requests, wanted {n}");

    if show_plans {
        println!(
            "\nquery plans ({}, {n} requests):",
            if postgres { "postgres" } else { "sqlite" }
        );
        print!("{}", explain(app, postgres).await?);
    }

    // The day before, early: every waiting request's nudge is still ahead.
    let early = nothing_due_at();
    clock.set(early);
    let t = Instant::now();
    let r = app.run_due_jobs(early, false).await?;
    run.nothing_due = t.elapsed();
    run.nothing_due_considered = r.considered;
    run.nothing_due_queued = r.queued;

    // The pass's read query on its own.
    {
        let mut conn = app.store.pool().acquire().await?;
        let t = Instant::now();
        let due = storage::ask::due_nudges(&mut conn, storage::millis(now)).await?;
        run.read_due = t.elapsed();
        run.due_rows = due.len();
    }

    clock.set(now);
    let t = Instant::now();
    let r = app.run_due_jobs(now, true).await?;
    run.dry = t.elapsed();
    run.dry_considered = r.considered;
    run.dry_planned = r.planned.len();

    let t = Instant::now();
    let r = app.run_due_jobs(now, false).await?;
    run.first = t.elapsed();
    run.first_considered = r.considered;
    run.first_queued = r.queued;
    run.outbox_pending = storage::outbox::counts(&app.store).await?.0;
    run.outbox_kinds = (
        count_payloads(app, "%\"nudge\":\"experts\"%").await?,
        count_payloads(app, "%\"nudge\":\"claimers\"%").await?,
        count_payloads(app, "%\"nudge\":\"escalate_thread\"%").await?,
    );

    // The next tick.
    let next = now + chrono::Duration::seconds(60);
    clock.set(next);
    let t = Instant::now();
    let r = app.run_due_jobs(next, false).await?;
    run.second = t.elapsed();
    run.second_considered = r.considered;
    run.second_queued = r.queued;

    // `/ask stats` by an admin, as of the bench's instant.
    clock.set(now);
    let req = CommandRequest {
        user: UserId::parse(ADMIN).unwrap(),
        channel: None,
        command: "/ask".into(),
        text: "stats".into(),
        request_key: format!("bench-stats-{}", uuid::Uuid::new_v4()),
        response_url: None,
        team_domain: Some("acme".into()),
    };
    // Once untimed, so the admin's profile is cached as in a running workspace.
    let _ = app.handle_command(req.clone()).await;
    let t = Instant::now();
    let reply = app.handle_command(req).await;
    run.stats = t.elapsed();
    run.stats_lines = stats_lines(&reply.text);
    run.stats_reply = reply.text;

    // Its read query on its own (the rest is the working-time arithmetic per request).
    {
        let since = now - chrono::Duration::days(STATS_DAYS);
        let mut conn = app.store.pool().acquire().await?;
        let t = Instant::now();
        let rows = storage::ask::asked_since(&mut conn, storage::millis(since)).await?;
        run.read_asked_since = t.elapsed();
        run.asked_since_rows = rows.len();
    }
    Ok(run)
}

impl Run {
    fn problems(&self) -> Vec<String> {
        let e = &self.expected;
        let mut p = Vec::new();
        let mut check = |ok: bool, what: String| {
            if !ok {
                p.push(what);
            }
        };
        check(
            self.nothing_due_considered == 0 && self.nothing_due_queued == 0,
            format!(
                "nothing-due pass considered {} / queued {} (want 0 / 0)",
                self.nothing_due_considered, self.nothing_due_queued
            ),
        );
        check(
            self.due_rows == e.considered,
            format!(
                "due_nudges read {} rows, want {}",
                self.due_rows, e.considered
            ),
        );
        check(
            self.dry_considered == e.considered && self.dry_planned == e.queued(),
            format!(
                "dry run considered {} / planned {} (want {} / {})",
                self.dry_considered,
                self.dry_planned,
                e.considered,
                e.queued()
            ),
        );
        check(
            self.first_considered == e.considered && self.first_queued == e.queued(),
            format!(
                "first pass considered {} / queued {} (want {} / {})",
                self.first_considered,
                self.first_queued,
                e.considered,
                e.queued()
            ),
        );
        check(
            self.outbox_pending as usize == e.queued(),
            format!(
                "outbox holds {} pending messages after the first pass, want {}",
                self.outbox_pending,
                e.queued()
            ),
        );
        let (x, c, s) = self.outbox_kinds;
        check(
            (x as usize, c as usize, s as usize) == (e.experts, e.claimers, e.escalations),
            format!(
                "outbox holds {x} expert nudges / {c} claimer nudges / {s} escalations, want \
                 {} / {} / {}",
                e.experts, e.claimers, e.escalations
            ),
        );
        check(
            self.second_considered == 0 && self.second_queued == 0,
            format!(
                "second pass considered {} / queued {} (want 0 / 0)",
                self.second_considered, self.second_queued
            ),
        );
        let mut labels: Vec<String> = TOPICS.iter().map(|(t, _)| label(Some(t))).collect();
        labels.push(label(None));
        for l in labels {
            check(
                self.stats_lines.get(&l) == e.window.get(&l),
                format!(
                    "/ask stats shows {l} with {:?} asked, want {:?}",
                    self.stats_lines.get(&l),
                    e.window.get(&l)
                ),
            );
        }
        check(
            self.asked_since_rows == e.window.values().sum::<usize>(),
            format!(
                "asked_since read {} rows, want {}",
                self.asked_since_rows,
                e.window.values().sum::<usize>()
            ),
        );
        check(
            self.stats_lines.len() == TOPICS.len() + 1,
            format!(
                "/ask stats has {} topic lines, want {}: {}",
                self.stats_lines.len(),
                TOPICS.len() + 1,
                self.stats_reply
            ),
        );
        p
    }
}

// ---- reporting ----

fn print_table(results: &[(&'static str, Vec<Run>)], n: usize) {
    let measures: Vec<(&str, support::Measure<Run>)> = vec![
        ("seed (s)", Box::new(|r: &Run| r.seed.as_secs_f64())),
        (
            "pass, nothing due (ms)",
            Box::new(|r: &Run| ms(r.nothing_due)),
        ),
        ("  read due_nudges (ms)", Box::new(|r: &Run| ms(r.read_due))),
        ("dry run (ms)", Box::new(|r: &Run| ms(r.dry))),
        (
            "first pass, enqueues the due (ms)",
            Box::new(|r: &Run| ms(r.first)),
        ),
        (
            "  of which per message (ms)",
            Box::new(|r: &Run| (ms(r.first) - ms(r.read_due)) / r.first_queued.max(1) as f64),
        ),
        (
            "second pass, nothing new (ms)",
            Box::new(|r: &Run| ms(r.second)),
        ),
        ("/ask stats, 30 days (ms)", Box::new(|r: &Run| ms(r.stats))),
        (
            "  read asked_since (ms)",
            Box::new(|r: &Run| ms(r.read_asked_since)),
        ),
    ];
    support::print_table(results, &measures, |backend, runs| {
        let r = &runs[0];
        let e = &r.expected;
        println!(
            "{:<9} counts: considered {} (expected {}), dry-run planned {}, first pass queued {} \
             (expected {}: {} expert nudges, {} claimer nudges, {} escalations), outbox pending \
             {} ({} / {} / {}), second pass queued {}",
            backend,
            r.first_considered,
            e.considered,
            r.dry_planned,
            r.first_queued,
            e.queued(),
            e.experts,
            e.claimers,
            e.escalations,
            r.outbox_pending,
            r.outbox_kinds.0,
            r.outbox_kinds.1,
            r.outbox_kinds.2,
            r.second_queued,
        );
        println!(
            "{:<9} /ask stats: {} requests in the {STATS_DAYS}-day window (expected {}): {}",
            backend,
            r.stats_lines.values().sum::<usize>(),
            e.window.values().sum::<usize>(),
            r.stats_lines
                .iter()
                .map(|(l, c)| format!("{l} {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "{:<9} seeded: {} help requests ({n} requested), {} helper rows",
            backend, r.seeded.requests, r.seeded.helpers
        );
    });
}

fn main() -> anyhow::Result<()> {
    support::init_tracing();
    let full = support::full_run();
    let (n, iterations) = if full {
        (
            env_num("BENCH_REQUESTS", 100_000).max(1),
            env_num("BENCH_ITERATIONS", 3).max(1),
        )
    } else {
        (2_000, 1)
    };
    let backends = support::backends(full);

    let settings = bench_settings();
    let now = bench_now();
    let tz = tokyo();
    let (_, _, e) = seed_statements(n, false, &settings);
    println!(
        "ask bench: {n} help requests, {iterations} iteration(s) per backend, now = {} \
         (working hours 09:00-18:00 Mon-Fri in {}, nudge after {} min, escalate after {} min \
         of working time, escalate to a user group); {} cores",
        now.with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z"),
        settings.org.timezone,
        settings.ask.nudge_after.num_minutes(),
        settings.ask.escalate_after.num_minutes(),
        support::cores()
    );
    println!(
        "nothing-due pass at {}, second pass at {}",
        nothing_due_at().with_timezone(&tz).format("%a %m-%d %H:%M"),
        (now + chrono::Duration::seconds(60))
            .with_timezone(&tz)
            .format("%a %m-%d %H:%M")
    );
    println!(
        "{:<14} {:>9} {:>10} {:>9}",
        "kind", "requests", "considered", "to queue"
    );
    for kind in KINDS {
        let count = e.kinds.get(&kind).copied().unwrap_or(0);
        let (x, c, s) = kind.queues();
        println!(
            "{:<14} {:>9} {:>10} {:>9}",
            format!("{kind:?}"),
            count,
            if kind.considered() { count } else { 0 },
            count * (x + c + s)
        );
    }
    println!(
        "expected: considered {}, queued {} ({} expert nudges, {} claimer nudges, {} \
         escalations); {} requests in /ask stats' {STATS_DAYS}-day window",
        e.considered,
        e.queued(),
        e.experts,
        e.claimers,
        e.escalations,
        e.window.values().sum::<usize>()
    );

    let runtime = tokio::runtime::Runtime::new()?;
    let total = Instant::now();
    let what = format!("{n} requests");
    let results = runtime.block_on(support::iterate(
        &backends,
        iterations,
        &what,
        async |backend, it| {
            let run = run_once(backend, n, &settings, it == 0).await?;
            eprintln!(
                "  seed {:.2} s, nothing due {:.1} ms, dry {:.1} ms, first {:.1} ms \
                 ({} queued), second {:.1} ms ({} queued), stats {:.1} ms",
                run.seed.as_secs_f64(),
                ms(run.nothing_due),
                ms(run.dry),
                ms(run.first),
                run.first_queued,
                ms(run.second),
                run.second_queued,
                ms(run.stats)
            );
            Ok(run)
        },
    ))?;
    print_table(&results, n);
    if let Some((_, runs)) = results.first() {
        println!("/ask stats reply (first run):\n{}", runs[0].stats_reply);
    }
    println!("total bench time: {:.1} s", total.elapsed().as_secs_f64());
    support::verdict(&results, Run::problems)
}
