//! `/thanks` end to end under load: the real server (routes, verification, use-case, one
//! transaction, outbox) with its in-server outbox worker delivering to the fake Slack, on SQLite
//! and, when `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database.
//!
//! `cargo bench --bench thanks` sends signed `/thanks <@Rk> +1 …` requests from many givers at
//! concurrency 16 and 1, and prints requests/s, latency percentiles, unexpected answers (must be
//! 0) and how fast the outbox delivered the resulting messages. `BENCH_REQUESTS` changes the
//! number of requests per run (default 2000). Run without `--bench` (as `cargo test
//! --all-targets` does) it only makes a small smoke run on SQLite.

mod support;

use hmac::{Hmac, KeyInit, Mac};
use otagai::config::Settings;
use otagai::domain::{Locale, UserId};
use sha2::Sha256;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::fake_slack::FakeSlack;
use support::{Backend, Db, SIGNING_SECRET};
use tokio::sync::watch;

const GIVERS: usize = 200;
const RECIPIENTS: usize = 50;

/// What one run measured.
struct Report {
    backend: &'static str,
    concurrency: usize,
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    unexpected: usize,
    messages: i64,
    failed_messages: i64,
    delivered_by_slack: usize,
    drain_after_load: Duration,
    delivery_elapsed: Duration,
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn sign(timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SIGNING_SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

fn giver(i: usize) -> String {
    format!("UGIVER{:04}", i % GIVERS)
}

fn recipient(i: usize) -> String {
    format!("URECIP{:04}", (i * 7 + 3) % RECIPIENTS)
}

async fn run_once(
    backend: &Backend,
    concurrency: usize,
    requests: usize,
) -> anyhow::Result<Report> {
    let slack = FakeSlack::start().await;
    let db = Db::create(backend, "").await?;
    let mut settings = Settings::defaults();
    settings.org.locale = Locale::En;
    settings.bonus.monthly_budget = 1_000_000;
    settings.bonus.max_points_per_thanks = 1;
    let application = support::build(&db, &slack, settings).await?;
    let address = format!("http://{}", application.local_addr());
    let app = application.app().clone();
    let store = app.store.clone();
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(application.run_until_stopped(stopped));

    // Everyone exists in Slack, and the users.info cache is warm, as in a running workspace.
    let people: Vec<String> = (0..GIVERS)
        .map(giver)
        .chain((0..RECIPIENTS).map(|i| format!("URECIP{i:04}")))
        .collect();
    for p in &people {
        slack.add_user(p, "en-US");
    }
    for p in &people {
        app.locale_of(&UserId::parse(p).map_err(anyhow::Error::msg)?)
            .await;
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let run = format!("{}-{}", backend.name(), uuid::Uuid::new_v4().simple());
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, next, address, run, api) = (
            http.clone(),
            next.clone(),
            address.clone(),
            run.clone(),
            slack.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut unexpected = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let trigger = format!("bench-{run}-{i}");
                let body = serde_urlencoded::to_string([
                    ("team_id", "T0BENCH"),
                    ("channel_id", "C0GENERAL"),
                    ("channel_name", "general"),
                    ("user_id", giver(i).as_str()),
                    ("user_name", "giver"),
                    ("command", "/thanks"),
                    (
                        "text",
                        format!("<@{}> +1 reviewed my PR within the hour", recipient(i)).as_str(),
                    ),
                    ("api_app_id", "A0OTAGAI"),
                    ("response_url", api.response_url(&trigger).as_str()),
                    ("trigger_id", trigger.as_str()),
                ])
                .expect("form");
                let ts = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64;
                let began = Instant::now();
                let resp = http
                    .post(format!("{address}/slack/commands"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("x-slack-request-timestamp", ts.to_string())
                    .header("x-slack-signature", sign(ts, &body))
                    .body(body)
                    .send()
                    .await;
                let ok = match resp {
                    Ok(r) if r.status() == 200 => match r.json::<serde_json::Value>().await {
                        Ok(v) => v["text"]
                            .as_str()
                            .is_some_and(|t| t.contains("is on its way")),
                        Err(_) => false,
                    },
                    _ => false,
                };
                latencies.push(began.elapsed());
                if !ok {
                    unexpected += 1;
                }
            }
            (latencies, unexpected)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut unexpected = 0;
    for t in tasks {
        let (l, u) = t.await?;
        latencies.extend(l);
        unexpected += u;
    }
    let elapsed = start.elapsed();

    // The worker has been delivering all along; wait for the backlog to clear.
    let load_done = Instant::now();
    let deadline = load_done + Duration::from_secs(120);
    let (pending, sent, failed) = loop {
        let c = otagai::storage::outbox::counts(&store).await?;
        if c.0 == 0 || Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let drained = Instant::now();
    anyhow::ensure!(pending == 0, "the outbox did not drain: {pending} pending");
    let delivered_by_slack = slack.accepted("chat.postMessage").len();

    let _ = stop.send(true);
    server.await??;
    db.remove().await;
    latencies.sort();
    Ok(Report {
        backend: backend.name(),
        concurrency,
        requests,
        elapsed,
        latencies,
        unexpected,
        messages: sent,
        failed_messages: failed,
        delivered_by_slack,
        drain_after_load: drained - load_done,
        delivery_elapsed: drained - start,
    })
}

fn print_table(reports: &[Report]) {
    println!();
    println!(
        "{:<9} {:>4} {:>6} {:>8} {:>7} {:>7} {:>7} {:>6} | {:>6} {:>6} {:>10} {:>9}",
        "backend",
        "conc",
        "reqs",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "unexp",
        "msgs",
        "failed",
        "deliv msg/s",
        "drain s"
    );
    for r in reports {
        println!(
            "{:<9} {:>4} {:>6} {:>8.0} {:>7.2} {:>7.2} {:>7.2} {:>6} | {:>6} {:>6} {:>11.0} {:>9.2}",
            r.backend,
            r.concurrency,
            r.requests,
            r.requests as f64 / r.elapsed.as_secs_f64(),
            percentile(&r.latencies, 0.50),
            percentile(&r.latencies, 0.95),
            percentile(&r.latencies, 0.99),
            r.unexpected,
            r.messages,
            r.failed_messages,
            r.messages as f64 / r.delivery_elapsed.as_secs_f64(),
            r.drain_after_load.as_secs_f64(),
        );
    }
    println!();
    println!(
        "unexp: non-200 or not the thanks reply (must be 0). msgs: outbox messages sent (2 per \
         thanks). deliv msg/s: msgs / (first request .. outbox empty). drain s: time the outbox \
         needed after the last reply."
    );
}

fn main() -> anyhow::Result<()> {
    support::init_tracing();
    let full = support::full_run();
    let requests = if full {
        support::env_num("BENCH_REQUESTS", 2000)
    } else {
        40
    };
    let backends = support::backends(full);
    let concurrencies: &[usize] = if full { &[16, 1] } else { &[4] };
    let runtime = tokio::runtime::Runtime::new()?;
    let total = Instant::now();
    let reports = runtime.block_on(async {
        let mut reports = Vec::new();
        for backend in &backends {
            for &c in concurrencies {
                eprintln!(
                    "running {} requests on {} at concurrency {c}…",
                    requests,
                    backend.name()
                );
                reports.push(run_once(backend, c, requests).await?);
            }
        }
        anyhow::Ok(reports)
    })?;
    print_table(&reports);
    println!("total bench time: {:.1} s", total.elapsed().as_secs_f64());
    let bad: Vec<String> = reports
        .iter()
        .filter(|r| {
            r.unexpected > 0
                || r.failed_messages > 0
                || r.messages != 2 * r.requests as i64
                || r.delivered_by_slack != r.messages as usize
        })
        .map(|r| format!("{} at concurrency {}", r.backend, r.concurrency))
        .collect();
    anyhow::ensure!(
        bad.is_empty(),
        "unexpected replies or undelivered messages in: {bad:?}"
    );
    Ok(())
}
