//! One 1on1 scheduler pass (`App::run_due_jobs`) over a large organisation, on SQLite and, when
//! `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database.
//!
//! `cargo bench --bench scheduler` seeds 100,000 pairs (`BENCH_PAIRS` changes it) with bulk
//! multi-row INSERTs in one transaction: about 2% due a first reminder, a few due a second one or
//! the report nudge, some waiting between reminders or finished, some paused, snoozed or ended,
//! the rest on track; managers in six time zones with cached `slack_users` rows (a few uncached,
//! who fall back to the org zone), open action items and topics on some pairs, reminders of
//! earlier due periods on others. Then, as of Wednesday 2026-06-17 17:45 in Tokyo (08:45 UTC),
//! where the 09:30 window is open in five of the zones and closed (quiet hours) in Los Angeles,
//! it times:
//!
//! * a pass where nothing is due (one month earlier: every pair on track),
//! * the scheduler's two read queries on their own,
//! * a dry run (decides and renders every due reminder, writes nothing),
//! * the first pass (enqueues the due reminders; must queue exactly the expected number),
//! * a second pass a minute later (must queue 0: exactly once).
//!
//! Each iteration (`BENCH_ITERATIONS`, default 3) uses a fresh database; min / median / max are
//! printed. Any wrong count makes the bench exit non-zero. `BENCH_STALE_PERMILLE` adds pairs
//! that are long overdue with every reminder sent (abandoned; `remind_from` keeps them out of
//! every later pass's reads),
//! `BENCH_HISTORY` adds that many earlier due periods of reminders per pair, and
//! `BENCH_KEEP_DB=1` keeps the databases for a look with `sqlite3` or `psql`. Run without `--bench` (as `cargo test
//! --all-targets` does) it only makes a small smoke run on SQLite.

mod support;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use otagai::app::App;
use otagai::config::Settings;
use otagai::domain::BANK;
use otagai::storage::{self, pairs, reminders};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::fake_slack::FakeSlack;
use support::{Backend, Bulk, Db, env_num, minus, ms, plus, q, q_opt};

/// Reports per manager.
const TEAM: usize = 8;

/// `BENCH_STALE_PERMILLE`: extra pairs (per mille) long overdue whose reminders are all sent
/// (an abandoned pair: still read by every pass). Default 0.
static STALE_PERMILLE: AtomicUsize = AtomicUsize::new(0);
/// `BENCH_HISTORY`: reminders of this many earlier due periods on every pair that has met
/// (the table keeps history forever). Default 0.
static HISTORY: AtomicUsize = AtomicUsize::new(0);

/// Managers' zones and how many of every 12 managers live there. Los Angeles is asleep at the
/// bench's instant, so its due pairs are considered but not reminded.
const ZONES: [(&str, usize); 6] = [
    ("Asia/Tokyo", 4),
    ("Asia/Shanghai", 2),
    ("Asia/Kolkata", 2),
    ("Europe/Berlin", 2),
    ("Europe/London", 1),
    ("America/Los_Angeles", 1),
];

/// The bench's "now": Wednesday 2026-06-17, 17:45 in Tokyo.
fn bench_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 17, 8, 45, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 17).unwrap()
}

fn ms_of(d: NaiveDate) -> i64 {
    storage::millis(Utc.from_utc_datetime(&d.and_hms_opt(0, 30, 0).unwrap()))
}

// ---- the organisation ----

/// Where a pair stands at the bench's instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OnTrack,
    /// Due (0..2 days ago), nothing sent yet: reminder 1.
    DueFresh,
    /// Reminder 1 went out yesterday: nothing until the day after tomorrow.
    DueWaiting,
    /// Reminder 1 went out 4 or 5 days ago: reminder 2.
    DueSecond,
    /// Three reminders sent, the last 3 days ago: the report nudge.
    DueNudge,
    /// Three reminders and the nudge sent: nothing more.
    DueFinished,
    /// Due, snoozed until today: reminder 1.
    SnoozeEndsToday,
    Paused,
    SnoozedFuture,
    Ended,
}

impl Kind {
    fn of(i: usize) -> Kind {
        // Spread the kinds over pairs (and so over managers and zones) pseudo-randomly.
        let h = support::per_mille(i);
        let stale = STALE_PERMILLE.load(Ordering::Relaxed) as u64;
        if (55..55 + stale).contains(&h) {
            return Kind::DueFinished;
        }
        match h {
            0..20 => Kind::DueFresh,
            20..24 => Kind::DueWaiting,
            24..26 => Kind::DueSecond,
            26..27 => Kind::DueNudge,
            27..28 => Kind::DueFinished,
            28..30 => Kind::SnoozeEndsToday,
            30..40 => Kind::Paused,
            40..50 => Kind::SnoozedFuture,
            50..55 => Kind::Ended,
            _ => Kind::OnTrack,
        }
    }

    /// Read by the scheduler's candidate query: pairs between two reminders (`DueWaiting`)
    /// and pairs whose reminders are all sent (`DueFinished`) are not.
    fn considered(self) -> bool {
        matches!(
            self,
            Kind::DueFresh | Kind::DueSecond | Kind::DueNudge | Kind::SnoozeEndsToday
        )
    }

    /// Gets a reminder when the manager's window is open.
    fn queues(self) -> bool {
        matches!(
            self,
            Kind::DueFresh | Kind::DueSecond | Kind::DueNudge | Kind::SnoozeEndsToday
        )
    }
}

fn manager_of(i: usize) -> usize {
    (i - 1) / TEAM
}

fn manager_id(m: usize) -> String {
    format!("UM{m:06}")
}

fn report_id(i: usize) -> String {
    format!("UR{i:07}")
}

/// The manager's zone index in [`ZONES`], `None` when users.info was never cached for them
/// (then the org zone, Asia/Tokyo, applies).
fn manager_zone(m: usize) -> Option<usize> {
    if m % 50 == 49 {
        return None;
    }
    let mut slot = m % 12;
    for (z, (_, weight)) in ZONES.iter().enumerate() {
        if slot < *weight {
            return Some(z);
        }
        slot -= weight;
    }
    unreachable!()
}

fn cadence_days(i: usize) -> u64 {
    match i % 10 {
        0..=5 => 14,
        6..=8 => 7,
        _ => 21,
    }
}

fn cadence_text(days: u64) -> String {
    match days {
        7 => "weekly".into(),
        14 => "biweekly".into(),
        n => format!("every {n}d"),
    }
}

/// Three question ids, varying by pair.
fn questions(i: usize, salt: usize) -> String {
    (0..3)
        .map(|k| BANK[(i * 7 + salt * 3 + k * 5) % BANK.len()].id)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the first pass must do, counted from the same rules that seed the data.
#[derive(Debug, Clone, Default)]
struct Expected {
    considered: usize,
    queued: usize,
    /// Per zone (index into ZONES; the uncached managers counted with the org zone): managers,
    /// considered pairs, pairs that queue if the window is open.
    zones: Vec<(usize, usize, usize)>,
}

fn zone_of_pair(i: usize) -> usize {
    // Uncached managers fall back to the org zone, Asia/Tokyo (index 0).
    manager_zone(manager_of(i)).unwrap_or(0)
}

fn expected(n: usize, open: &[bool]) -> Expected {
    let mut e = Expected {
        zones: vec![(0, 0, 0); ZONES.len()],
        ..Expected::default()
    };
    for m in 0..=manager_of(n) {
        e.zones[manager_zone(m).unwrap_or(0)].0 += 1;
    }
    for i in 1..=n {
        let kind = Kind::of(i);
        let z = zone_of_pair(i);
        if kind.considered() {
            e.considered += 1;
            e.zones[z].1 += 1;
        }
        if kind.queues() {
            e.zones[z].2 += 1;
            if open[z] {
                e.queued += 1;
            }
        }
    }
    e
}

/// Row counts of what was seeded.
#[derive(Debug, Default, Clone)]
struct Seeded {
    pairs: usize,
    users: usize,
    reminders: usize,
    action_items: usize,
    topics: usize,
}

/// The whole organisation as INSERT statements (same SQL on both backends but for the explicit
/// identity ids PostgreSQL wants spelled out).
fn seed_statements(n: usize, postgres: bool) -> (Vec<String>, Seeded) {
    let t = today();
    let now_ms = storage::millis(bench_now());
    let overriding = if postgres {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let mut pairs_sql = Bulk::new(format!(
        "INSERT INTO pairs (id, manager_id, report_id, cadence, added_on, added_at, added_by, \
         last_met_on, due_on, remind_from, paused, snoozed_until, ended_at){overriding}"
    ));
    let mut users =
        Bulk::new("INSERT INTO slack_users (user_id, is_bot, deleted, locale, tz, fetched_at)");
    let mut rems = Bulk::new(
        "INSERT INTO reminders (pair_id, due_on, kind, seq, local_day, sent_at, questions)",
    );
    let mut items = Bulk::new(
        "INSERT INTO action_items (pair_id, body, created_by, created_at, done_at, done_by)",
    );
    let mut topics = Bulk::new("INSERT INTO topics (pair_id, body, added_by, added_at)");
    let fetched = now_ms - 3_600_000;

    for m in 0..=manager_of(n) {
        if let Some(z) = manager_zone(m) {
            let locale = if z == 0 { "ja-JP" } else { "en-US" };
            users.push(format!(
                "({}, 0, 0, {}, {}, {fetched})",
                q(&manager_id(m)),
                q(locale),
                q(ZONES[z].0)
            ));
        }
    }

    for i in 1..=n {
        let kind = Kind::of(i);
        let m = manager_of(i);
        let (mgr, rep) = (manager_id(m), report_id(i));
        let cad = cadence_days(i);
        let due = match kind {
            Kind::OnTrack => plus(t, 1 + (i % 13) as u64),
            Kind::DueFresh => minus(t, (i % 3) as u64),
            Kind::DueWaiting => minus(t, 1 + (i % 2) as u64),
            Kind::DueSecond => minus(t, 4 + (i % 2) as u64),
            Kind::DueNudge => minus(t, 9),
            Kind::DueFinished => minus(t, 12),
            Kind::SnoozeEndsToday => minus(t, 2),
            Kind::Paused => minus(t, (i % 20) as u64),
            Kind::SnoozedFuture => minus(t, (i % 5) as u64),
            Kind::Ended => minus(t, (i % 30) as u64),
        };
        // due_on is last_met_on (or added_on) + cadence, as the app keeps it.
        let since = minus(due, cad);
        let never_met = i % 7 == 0;
        let (added_on, last_met_on) = if never_met {
            (since, None)
        } else {
            (minus(since, 90), Some(since))
        };
        let snoozed = match kind {
            Kind::SnoozeEndsToday => Some(t),
            Kind::SnoozedFuture => Some(plus(t, 1 + (i % 7) as u64)),
            _ => None,
        };
        let paused = i64::from(kind == Kind::Paused);
        let ended = if kind == Kind::Ended {
            (now_ms - 86_400_000).to_string()
        } else {
            "NULL".into()
        };
        // remind_from as the scheduler leaves it after the reminders seeded below: the earliest
        // day of the period's next message, or "all sent".
        let remind_from = match kind {
            Kind::DueWaiting => Some(pairs::day(plus(minus(t, 1), 3))),
            Kind::DueSecond => Some(pairs::day(plus(due, 3))),
            Kind::DueNudge => Some(pairs::day(plus(due, 9))),
            Kind::DueFinished => Some("9999-12-31".to_owned()),
            _ => None,
        };
        pairs_sql.push(format!(
            "({i}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {paused}, {}, {ended})",
            q(&mgr),
            q(&rep),
            q(&cadence_text(cad)),
            q(&pairs::day(added_on)),
            ms_of(added_on),
            q(&mgr),
            q_opt(last_met_on.map(pairs::day).as_deref()),
            q(&pairs::day(due)),
            q_opt(remind_from.as_deref()),
            q_opt(snoozed.map(pairs::day).as_deref()),
        ));
        // Two in three reports have a cached profile, in their manager's zone; always those
        // due the nudge (which goes out in the report's zone), so the expected count does not
        // depend on whose zone the nudge waits for.
        if i % 3 != 0 || matches!(kind, Kind::DueNudge | Kind::DueFinished) {
            let locale = if zone_of_pair(i) == 0 {
                "ja-JP"
            } else {
                "en-GB"
            };
            let tz = ZONES[zone_of_pair(i)].0;
            users.push(format!(
                "({}, 0, 0, {}, {}, {fetched})",
                q(&rep),
                q(locale),
                q(tz)
            ));
        }

        // Reminders of this due period.
        let mut reminder = |kind: &str, seq: u32, local: NaiveDate, qs: String| {
            rems.push(format!(
                "({i}, {}, {}, {seq}, {}, {}, {})",
                q(&pairs::day(due)),
                q(kind),
                q(&pairs::day(local)),
                ms_of(local),
                q(&qs)
            ));
        };
        match kind {
            Kind::DueWaiting => reminder("manager", 1, minus(t, 1), questions(i, 1)),
            Kind::DueSecond => reminder("manager", 1, due, questions(i, 1)),
            Kind::DueNudge | Kind::DueFinished => {
                for s in 0..3u32 {
                    reminder(
                        "manager",
                        s + 1,
                        plus(due, 3 * u64::from(s)),
                        questions(i, s as usize + 1),
                    );
                }
                if kind == Kind::DueFinished {
                    reminder("report", 1, plus(due, 9), String::new());
                }
            }
            _ => {}
        }
        // One reminder of the previous due period on a fifth of the pairs.
        if i % 5 == 0 && !never_met {
            let prev = minus(since, cad);
            rems.push(format!(
                "({i}, {}, 'manager', 1, {}, {}, {})",
                q(&pairs::day(prev)),
                q(&pairs::day(since)),
                ms_of(since),
                q(&questions(i, 0))
            ));
        }

        for p in 1..=HISTORY.load(Ordering::Relaxed) as u64 {
            if never_met {
                break;
            }
            let old = minus(since, cad * (p + 1));
            rems.push(format!(
                "({i}, {}, 'manager', 1, {}, {}, {})",
                q(&pairs::day(old)),
                q(&pairs::day(old)),
                ms_of(old),
                q(&questions(i, p as usize))
            ));
        }

        // Action items and topics.
        let created = ms_of(since);
        if i % 10 == 0 {
            items.push(format!(
                "({i}, 'Share the draft plan for item {i}', {}, {created}, NULL, NULL)",
                q(&mgr)
            ));
            items.push(format!(
                "({i}, 'Book the training session {i}', {}, {created}, NULL, NULL)",
                q(&rep)
            ));
            items.push(format!(
                "({i}, 'Review the old proposal {i}', {}, {created}, {now_ms}, {})",
                q(&rep),
                q(&rep)
            ));
        }
        if i % 10 == 5 {
            topics.push(format!(
                "({i}, 'Career path, next steps {i}', {}, {created})",
                q(&rep)
            ));
            topics.push(format!(
                "({i}, 'Team offsite feedback {i}', {}, {created})",
                q(&mgr)
            ));
        }
        // Some due pairs carry more than a reminder lists (8 of each).
        if kind.considered() && i % 4 == 0 {
            for k in 0..10 {
                items.push(format!(
                    "({i}, 'Follow-up number {k} from the last 1on1', {}, {created}, NULL, NULL)",
                    q(if k % 2 == 0 { &mgr } else { &rep })
                ));
                topics.push(format!(
                    "({i}, 'Something to discuss, number {k}', {}, {created})",
                    q(if k % 3 == 0 { &mgr } else { &rep })
                ));
            }
        }
    }

    let mut seeded = Seeded::default();
    let statements = support::finish_all([
        (pairs_sql, &mut seeded.pairs),
        (users, &mut seeded.users),
        (rems, &mut seeded.reminders),
        (items, &mut seeded.action_items),
        (topics, &mut seeded.topics),
    ]);
    (statements, seeded)
}

async fn seed(app: &App, n: usize, postgres: bool) -> anyhow::Result<Seeded> {
    let (statements, seeded) = seed_statements(n, postgres);
    support::insert_all(app, &statements, postgres, "pairs").await?;
    Ok(seeded)
}

// ---- the scheduler's read queries, as in src/storage/reminders.rs (for EXPLAIN only) ----

const CANDIDATES_SQL: &str = "SELECT p.id, p.manager_id, p.report_id, p.cadence, p.added_on, \
     p.last_met_on, p.due_on, p.paused, p.snoozed_until, mu.tz AS manager_tz, \
     mu.locale AS manager_locale, ru.locale AS report_locale, ru.tz AS report_tz FROM pairs p \
     LEFT JOIN slack_users mu ON mu.user_id = p.manager_id \
     LEFT JOIN slack_users ru ON ru.user_id = p.report_id \
     WHERE p.ended_at IS NULL AND p.paused = 0 AND COALESCE(p.remind_from, p.due_on) <= $1 \
     AND (p.snoozed_until IS NULL OR p.snoozed_until <= $1) ORDER BY p.id";

const SENT_SQL: &str = "SELECT r.pair_id, r.kind, r.seq, r.local_day FROM reminders r \
     JOIN pairs p ON p.id = r.pair_id AND p.due_on = r.due_on \
     WHERE p.ended_at IS NULL AND p.paused = 0 AND COALESCE(p.remind_from, p.due_on) <= $1 \
     ORDER BY r.pair_id, r.kind, r.seq";

async fn explain(app: &App, postgres: bool, latest: NaiveDate) -> anyhow::Result<String> {
    let literal = q(&pairs::day(latest));
    let queries = [
        ("due_candidates", CANDIDATES_SQL.replace("$1", &literal)),
        ("sent_this_period", SENT_SQL.replace("$1", &literal)),
        (
            "recent_questions (one pair)",
            "SELECT questions FROM reminders WHERE pair_id = 10 AND kind = 'manager' \
             ORDER BY sent_at DESC, due_on DESC, seq DESC LIMIT 4"
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
    on_track: Duration,
    on_track_considered: usize,
    on_track_queued: usize,
    read_candidates: Duration,
    read_sent: Duration,
    candidates_rows: usize,
    sent_rows: usize,
    dry: Duration,
    dry_considered: usize,
    dry_planned: usize,
    first: Duration,
    first_considered: usize,
    first_queued: usize,
    outbox_pending: i64,
    second: Duration,
    second_queued: usize,
    /// Recipients planned but not expected (+) or expected but not planned (-), a few.
    plan_diff: Vec<String>,
}

/// Compares the dry run's recipients with the expected ones (as multisets).
fn plan_diff(n: usize, open: &[bool], planned: &[otagai::scheduler::Planned]) -> Vec<String> {
    use std::collections::HashMap;
    let mut count: HashMap<String, i64> = HashMap::new();
    for i in 1..=n {
        let kind = Kind::of(i);
        if kind.queues() && open[zone_of_pair(i)] {
            let to = if kind == Kind::DueNudge {
                report_id(i)
            } else {
                manager_id(manager_of(i))
            };
            *count.entry(to).or_default() += 1;
        }
    }
    for p in planned {
        *count.entry(p.to.as_str().to_owned()).or_default() -= 1;
    }
    let mut diff: Vec<String> = count
        .into_iter()
        .filter(|(_, c)| *c != 0)
        .map(|(to, c)| format!("{}{to}", if c < 0 { "+" } else { "-" }))
        .collect();
    diff.sort();
    diff.truncate(10);
    diff
}

fn latest_day(now: DateTime<Utc>) -> NaiveDate {
    // As the scheduler computes it.
    (now + chrono::Duration::hours(14)).date_naive()
}

async fn run_once(
    backend: &Backend,
    n: usize,
    open: &[bool],
    show_plans: bool,
) -> anyhow::Result<Run> {
    let postgres = backend.is_postgres();
    let slack = FakeSlack::start().await;
    let db = Db::create(backend, "sched").await?;
    // Built as `serve` builds it (same pool), but not served: no worker drains the outbox and
    // no scheduler ticks on its own.
    let application = support::build(&db, &slack, Settings::defaults()).await?;
    let app = application.app().clone();
    let result = measure(&app, n, open, postgres, show_plans).await;
    support::close(application, db).await;
    result
}

async fn measure(
    app: &App,
    n: usize,
    open: &[bool],
    postgres: bool,
    show_plans: bool,
) -> anyhow::Result<Run> {
    let mut run = Run {
        expected: expected(n, open),
        ..Run::default()
    };
    let now = bench_now();

    let t = Instant::now();
    run.seeded = seed(app, n, postgres).await?;
    run.seed = t.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pairs")
        .fetch_one(app.store.pool())
        .await?;
    anyhow::ensure!(stored as usize == n, "seeded {stored} pairs, wanted {n}");

    if show_plans {
        println!(
            "\nquery plans ({}, {n} pairs, latest day {}):",
            if postgres { "postgres" } else { "sqlite" },
            latest_day(now)
        );
        print!("{}", explain(app, postgres, latest_day(now)).await?);
    }

    // Four weeks earlier, at the same local time: every pair is on track.
    let early = now - chrono::Duration::days(28);
    let t = Instant::now();
    let r = app.run_due_jobs(early, false).await?;
    run.on_track = t.elapsed();
    run.on_track_considered = r.considered;
    run.on_track_queued = r.queued;

    // The two read queries on their own.
    {
        let mut conn = app.store.pool().acquire().await?;
        let t = Instant::now();
        let c = reminders::due_candidates(&mut conn, latest_day(now)).await?;
        run.read_candidates = t.elapsed();
        let t = Instant::now();
        let s = reminders::sent_this_period(&mut conn, latest_day(now)).await?;
        run.read_sent = t.elapsed();
        run.candidates_rows = c.len();
        run.sent_rows = s.len();
    }

    let t = Instant::now();
    let r = app.run_due_jobs(now, true).await?;
    run.dry = t.elapsed();
    run.dry_considered = r.considered;
    run.dry_planned = r.planned.len();
    run.plan_diff = plan_diff(n, open, &r.planned);

    let t = Instant::now();
    let r = app.run_due_jobs(now, false).await?;
    run.first = t.elapsed();
    run.first_considered = r.considered;
    run.first_queued = r.queued;
    run.outbox_pending = otagai::storage::outbox::counts(&app.store).await?.0;

    // The next tick.
    let t = Instant::now();
    let r = app
        .run_due_jobs(now + chrono::Duration::seconds(60), false)
        .await?;
    run.second = t.elapsed();
    run.second_queued = r.queued;
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
            self.on_track_considered == 0 && self.on_track_queued == 0,
            format!(
                "on-track pass considered {} / queued {} (want 0 / 0)",
                self.on_track_considered, self.on_track_queued
            ),
        );
        check(
            self.candidates_rows == e.considered,
            format!(
                "due_candidates read {} rows, want {}",
                self.candidates_rows, e.considered
            ),
        );
        check(
            self.dry_considered == e.considered && self.dry_planned == e.queued,
            format!(
                "dry run considered {} / planned {} (want {} / {})",
                self.dry_considered, self.dry_planned, e.considered, e.queued
            ),
        );
        check(
            self.first_considered == e.considered && self.first_queued == e.queued,
            format!(
                "first pass considered {} / queued {} (want {} / {})",
                self.first_considered, self.first_queued, e.considered, e.queued
            ),
        );
        check(
            self.outbox_pending as usize == e.queued,
            format!(
                "outbox holds {} pending messages after the first pass, want {}",
                self.outbox_pending, e.queued
            ),
        );
        check(
            self.plan_diff.is_empty(),
            format!(
                "the dry run's recipients differ from the expected (+ unexpected, - missing): {:?}",
                self.plan_diff
            ),
        );
        check(
            self.second_queued == 0,
            format!("second pass queued {} (want 0)", self.second_queued),
        );
        p
    }
}

// ---- reporting ----

fn print_table(results: &[(&'static str, Vec<Run>)], n: usize) {
    let measures: Vec<(&str, support::Measure<Run>)> = vec![
        ("seed (s)", Box::new(|r: &Run| r.seed.as_secs_f64())),
        ("pass, nothing due (ms)", Box::new(|r: &Run| ms(r.on_track))),
        (
            "  read due_candidates (ms)",
            Box::new(|r: &Run| ms(r.read_candidates)),
        ),
        (
            "  read sent_this_period (ms)",
            Box::new(|r: &Run| ms(r.read_sent)),
        ),
        ("dry run (ms)", Box::new(|r: &Run| ms(r.dry))),
        (
            "first pass, enqueues the due (ms)",
            Box::new(|r: &Run| ms(r.first)),
        ),
        (
            "  of which per reminder (ms)",
            Box::new(|r: &Run| {
                (ms(r.first) - ms(r.read_candidates) - ms(r.read_sent))
                    / r.first_queued.max(1) as f64
            }),
        ),
        (
            "second pass, nothing new (ms)",
            Box::new(|r: &Run| ms(r.second)),
        ),
    ];
    support::print_table(results, &measures, |backend, runs| {
        let r = &runs[0];
        println!(
            "{:<9} counts: considered {} (expected {}), dry-run planned {}, first pass queued {} \
             (expected {}), outbox pending {}, second pass queued {}, sent_this_period pairs {}",
            backend,
            r.first_considered,
            r.expected.considered,
            r.dry_planned,
            r.first_queued,
            r.expected.queued,
            r.outbox_pending,
            r.second_queued,
            r.sent_rows,
        );
        println!(
            "{:<9} seeded: {} pairs ({n} requested), {} slack_users, {} reminders, {} action items, {} topics",
            backend,
            r.seeded.pairs,
            r.seeded.users,
            r.seeded.reminders,
            r.seeded.action_items,
            r.seeded.topics
        );
    });
}

fn main() -> anyhow::Result<()> {
    support::init_tracing();
    let full = support::full_run();
    let (n, iterations) = if full {
        (
            env_num("BENCH_PAIRS", 100_000),
            env_num("BENCH_ITERATIONS", 3).max(1),
        )
    } else {
        (2_000, 1)
    };
    STALE_PERMILLE.store(
        env_num("BENCH_STALE_PERMILLE", 0).min(945),
        Ordering::Relaxed,
    );
    HISTORY.store(env_num("BENCH_HISTORY", 0), Ordering::Relaxed);
    let backends = support::backends(full);

    // Which zones' windows are open at the bench's instant, by the app's own rules.
    let settings = Settings::defaults();
    let now = bench_now();
    let open: Vec<bool> = ZONES
        .iter()
        .map(|(z, _)| {
            let tz: Tz = z.parse().expect("a zone");
            settings.one_on_one.window.open_slot(tz, now).is_some()
        })
        .collect();
    let e = expected(n, &open);
    println!(
        "scheduler bench: {n} pairs (stale per mille {}, history periods {}), {iterations} \
         iteration(s) per backend, now = {now} \
         (remind_at `{}`, quiet hours 20:00-08:00, org zone {}); {} cores",
        STALE_PERMILLE.load(Ordering::Relaxed),
        HISTORY.load(Ordering::Relaxed),
        settings.one_on_one.remind_at,
        settings.org.timezone,
        support::cores()
    );
    println!(
        "{:<20} {:>17} {:>7} {:>9} {:>11} {:>10}",
        "manager zone", "local time", "window", "managers", "considered", "to remind"
    );
    for (z, (name, _)) in ZONES.iter().enumerate() {
        let tz: Tz = name.parse().unwrap();
        let (managers, considered, due) = e.zones[z];
        println!(
            "{:<20} {:>17} {:>7} {:>9} {:>11} {:>10}",
            name,
            now.with_timezone(&tz).format("%a %m-%d %H:%M"),
            if open[z] { "open" } else { "closed" },
            managers,
            considered,
            if open[z] {
                due.to_string()
            } else {
                format!("0 (of {due})")
            },
        );
    }
    println!(
        "(Asia/Tokyo includes managers without a cached profile, who fall back to the org zone.) \
         expected: considered {}, queued {}",
        e.considered, e.queued
    );

    let runtime = tokio::runtime::Runtime::new()?;
    let total = Instant::now();
    let what = format!("{n} pairs");
    let results = runtime.block_on(support::iterate(
        &backends,
        iterations,
        &what,
        async |backend, it| {
            let run = run_once(backend, n, &open, it == 0).await?;
            eprintln!(
                "  seed {:.2} s, nothing due {:.1} ms, dry {:.1} ms, first {:.1} ms \
                 ({} queued), second {:.1} ms ({} queued)",
                run.seed.as_secs_f64(),
                ms(run.on_track),
                ms(run.dry),
                ms(run.first),
                run.first_queued,
                ms(run.second),
                run.second_queued
            );
            Ok(run)
        },
    ))?;
    print_table(&results, n);
    println!("total bench time: {:.1} s", total.elapsed().as_secs_f64());
    support::verdict(&results, Run::problems)
}
