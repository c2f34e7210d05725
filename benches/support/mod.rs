//! What the benches share, included by each with `mod support;` (it sits in `support/` so that
//! Cargo does not take it for a bench of its own): the smoke-or-`--bench` switch and the
//! `BENCH_*` / `TEST_POSTGRES_URL` variables, a fresh SQLite file or PostgreSQL database per
//! run, the application built on it against the fake Slack, bulk seeding, query plans, and the
//! min / median / max table with its checks.

// Each bench uses its own part of this.
#![allow(dead_code)]

#[path = "../../tests/api/fake_slack.rs"]
pub mod fake_slack;

use chrono::{Days, NaiveDate};
use fake_slack::FakeSlack;
use otagai::app::App;
use otagai::config::{Deployment, Settings};
use otagai::startup::Application;
use sqlx::Row;
use std::fmt::Write as _;
use std::time::Duration;

pub const SIGNING_SECRET: &str = "bench-signing-secret-0123456789";
pub const BOT_TOKEN: &str = "xoxb-bench-token";
/// Rows per multi-row INSERT.
pub const CHUNK: usize = 500;

// ---- the environment ----

/// Logs to stderr, at `warn` unless `RUST_LOG` says otherwise.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
}

/// Run by `cargo bench` (`--bench`), not as the small smoke run of `cargo test`.
pub fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The number in the environment variable `key`, or `default` when it is unset or not a number.
pub fn env_num(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SQLite; and on a full run PostgreSQL too, when `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL`
/// names a server.
pub fn backends(full: bool) -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if full {
        let pg = ["BENCH_POSTGRES_URL", "TEST_POSTGRES_URL"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match pg {
            Some(url) => backends.push(Backend::Postgres(url)),
            None => eprintln!("BENCH_POSTGRES_URL / TEST_POSTGRES_URL not set: SQLite only"),
        }
    }
    backends
}

/// The machine's cores, as the benches' headers state them.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, |p| p.get())
}

#[derive(Clone)]
pub enum Backend {
    Sqlite,
    /// The URL of a database to create the bench's own databases from.
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }
}

// ---- one run's database and application ----

/// A database for one run, removed afterwards.
pub struct Db {
    pub url: String,
    drop_with: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Db {
    /// A new SQLite file in its own temporary folder (`otagai-bench-{tag}-…`), or a new
    /// PostgreSQL database (`bench_{tag}_…`); without the tag when it is empty.
    pub async fn create(backend: &Backend, tag: &str) -> anyhow::Result<Self> {
        let (dash, underscore) = if tag.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("{tag}-"), format!("{tag}_"))
        };
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir()
                    .join(format!("otagai-bench-{dash}{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&dir)?;
                Ok(Self {
                    url: format!("sqlite://{}", dir.join("bench.db").display()),
                    drop_with: None,
                    dir: Some(dir),
                })
            }
            Backend::Postgres(admin) => {
                use sqlx::Connection;
                let name = format!("bench_{underscore}{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(admin).await?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await?;
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Ok(Self {
                    url: format!("{base}/{name}"),
                    drop_with: Some((admin.clone(), name)),
                    dir: None,
                })
            }
        }
    }

    pub async fn remove(self) {
        if let Some((admin, name)) = &self.drop_with {
            use sqlx::Connection;
            if let Ok(mut c) = sqlx::PgConnection::connect(admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c)
                    .await;
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// Removed, unless `BENCH_KEEP_DB` is set: then kept for a look with `sqlite3` or `psql`,
    /// saying where.
    pub async fn remove_unless_kept(self) {
        if std::env::var_os("BENCH_KEEP_DB").is_some() {
            eprintln!("  kept the database (BENCH_KEEP_DB): {}", self.url);
        } else {
            self.remove().await;
        }
    }
}

/// The application as `serve` builds it (connected, migrated, bound to a free port) on `db`,
/// talking to `slack`, with `settings`.
pub async fn build(db: &Db, slack: &FakeSlack, settings: Settings) -> anyhow::Result<Application> {
    let deployment = Deployment::from_env(|k| match k {
        "DATABASE_URL" => Some(db.url.clone()),
        "SLACK_API_URL" => Some(slack.api_url.clone()),
        "SLACK_BOT_TOKEN" => Some(BOT_TOKEN.into()),
        "SLACK_SIGNING_SECRET" => Some(SIGNING_SECRET.into()),
        "OTAGAI_LISTEN" => Some("127.0.0.1:0".into()),
        _ => None,
    })?;
    Application::build(settings, &deployment).await
}

/// Closes an application that was built but not served, and its database
/// ([`Db::remove_unless_kept`]).
pub async fn close(application: Application, db: Db) {
    application.app().store.close().await;
    drop(application);
    db.remove_unless_kept().await;
}

// ---- seeding ----

/// Spreads `i` pseudo-randomly over 0..1000, for mixing kinds of rows over ids.
pub fn per_mille(i: usize) -> u64 {
    ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % 1000
}

pub fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap()
}

pub fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap()
}

/// A quoted SQL string literal (the benches' values hold no quotes).
pub fn q(s: &str) -> String {
    format!("'{s}'")
}

pub fn q_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".into(), q)
}

/// Collects rows into multi-row INSERT statements of [`CHUNK`] rows.
pub struct Bulk {
    head: String,
    rows: Vec<String>,
    statements: Vec<String>,
    total: usize,
}

impl Bulk {
    pub fn new(head: impl Into<String>) -> Self {
        Self {
            head: head.into(),
            rows: Vec::with_capacity(CHUNK),
            statements: Vec::new(),
            total: 0,
        }
    }

    pub fn push(&mut self, row: String) {
        self.rows.push(row);
        self.total += 1;
        if self.rows.len() == CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.rows.is_empty() {
            return;
        }
        let values = self.rows.join(", ");
        self.statements
            .push(format!("{} VALUES {values}", self.head));
        self.rows.clear();
    }

    /// The statements, and how many rows they insert.
    fn finish(mut self) -> (Vec<String>, usize) {
        self.flush();
        (self.statements, self.total)
    }
}

/// The statements of `bulks`, in order, setting each count to its number of rows.
pub fn finish_all<'a>(bulks: impl IntoIterator<Item = (Bulk, &'a mut usize)>) -> Vec<String> {
    let mut statements = Vec::new();
    for (bulk, count) in bulks {
        let (s, total) = bulk.finish();
        statements.extend(s);
        *count = total;
    }
    statements
}

/// Runs `statements` in one transaction. On PostgreSQL, then moves `table`'s identity past the
/// explicit ids they gave, and analyses (autovacuum would have analysed tables this size long
/// ago in a running workspace).
pub async fn insert_all(
    app: &App,
    statements: &[String],
    postgres: bool,
    table: &str,
) -> anyhow::Result<()> {
    let mut tx = app.store.begin().await?;
    for sql in statements {
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if postgres {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table})); \
             ANALYZE"
        );
        sqlx::raw_sql(&sql).execute(app.store.pool()).await?;
    }
    Ok(())
}

/// The plans of `queries` (name, SQL), each under its name: `EXPLAIN (ANALYZE, BUFFERS)` on
/// PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite.
pub async fn explain(
    app: &App,
    postgres: bool,
    queries: &[(&str, String)],
) -> anyhow::Result<String> {
    let (explain, column) = if postgres {
        ("EXPLAIN (ANALYZE, BUFFERS)", 0)
    } else {
        ("EXPLAIN QUERY PLAN", 3)
    };
    let mut out = String::new();
    for (name, sql) in queries {
        let _ = writeln!(out, "  {name}:");
        let rows = sqlx::query(&format!("{explain} {sql}"))
            .fetch_all(app.store.pool())
            .await?;
        for r in rows {
            let _ = writeln!(out, "    {}", r.try_get::<String, _>(column)?);
        }
    }
    Ok(out)
}

// ---- iterations, the table, the checks ----

/// Runs `once(backend, iteration)` `iterations` times on each backend, saying on stderr which
/// (`what`: the size, as "100000 pairs"); the runs by backend.
pub async fn iterate<R>(
    backends: &[Backend],
    iterations: usize,
    what: &str,
    mut once: impl AsyncFnMut(&Backend, usize) -> anyhow::Result<R>,
) -> anyhow::Result<Vec<(&'static str, Vec<R>)>> {
    let mut results = Vec::new();
    for backend in backends {
        let mut runs = Vec::new();
        for it in 0..iterations {
            eprintln!(
                "{}: iteration {}/{iterations} ({what})…",
                backend.name(),
                it + 1
            );
            runs.push(once(backend, it).await?);
        }
        results.push((backend.name(), runs));
    }
    Ok(results)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Min, median, max.
fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

/// A figure taken from each run.
pub type Measure<R> = Box<dyn Fn(&R) -> f64>;

/// A row of min / median / max per backend and measure (seconds for the `seed` ones with two
/// decimals, the rest with one), then what `footer` says about the backend's runs and a blank
/// line.
pub fn print_table<R>(
    results: &[(&'static str, Vec<R>)],
    measures: &[(&str, Measure<R>)],
    footer: impl Fn(&str, &[R]),
) {
    println!();
    println!(
        "{:<9} {:<44} {:>10} {:>10} {:>10}",
        "backend", "measure", "min", "median", "max"
    );
    for (backend, runs) in results {
        for (name, f) in measures {
            let (min, med, max) = stats(runs.iter().map(f).collect());
            let prec = if name.starts_with("seed") { 2 } else { 1 };
            println!(
                "{:<9} {:<44} {:>10.prec$} {:>10.prec$} {:>10.prec$}",
                backend, name, min, med, max
            );
        }
        footer(backend, runs);
        println!();
    }
}

/// Prints every failed check of every run (`FAIL …`) to stderr, and fails if there was one.
pub fn verdict<R>(
    results: &[(&'static str, Vec<R>)],
    problems: impl Fn(&R) -> Vec<String>,
) -> anyhow::Result<()> {
    let problems = &problems;
    let problems: Vec<String> = results
        .iter()
        .flat_map(|(b, runs)| {
            runs.iter().enumerate().flat_map(move |(i, r)| {
                problems(r)
                    .into_iter()
                    .map(move |p| format!("{b} iteration {}: {p}", i + 1))
            })
        })
        .collect();
    for p in &problems {
        eprintln!("FAIL {p}");
    }
    anyhow::ensure!(problems.is_empty(), "{} check(s) failed", problems.len());
    Ok(())
}
