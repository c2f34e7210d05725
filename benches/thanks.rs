//! `/thanks` end to end under closed-loop load: the real server (routes, verification,
//! use-case, one transaction, outbox) with its in-server outbox worker delivering to the fake
//! Slack, on SQLite and, when `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL` is set, on a fresh
//! PostgreSQL database per run.
//!
//! `cargo bench --bench thanks` runs, for each backend, each fake Slack latency (0 and 50 ms a
//! Web API call) and each concurrency (1, 8, 64), `BENCH_SECONDS` (10) of clients that each send
//! a signed `/thanks <@R> +1 …` and, as soon as it is answered, the next one. otagai runs as
//! `otagai serve` (the release binary) in a process of its own; the load generator and the fake
//! Slack share this one. A thanks is *done* when its channel post reaches the fake. It prints
//! acks/s, ack p50/p99, thanks done per second within the window, drain (how long after the load
//! stops the outbox is empty), the delay from a thanks' acknowledgement to its post (p50/p99),
//! and otagai's peak RSS. Then the fake's own ceiling (chat.postMessage straight from a client
//! at concurrency 64) and a reminder run: `BENCH_REMINDERS` (2,000) DMs written at once, as the
//! 09:30 reminder pass writes them, and how long until the fake has them all.
//!
//! Subsets: `BENCH_LATENCIES_MS=50`, `BENCH_CONCURRENCY=64`, `BENCH_RECIPIENTS` (500),
//! `BENCH_SKIP_REMINDERS=1`, `BENCH_SKIP_CEILING=1`, `BENCH_IN_PROCESS=1` (otagai inside the
//! bench process, as the smoke run does). `BENCH_CHANNELS` (64) is where the thanks are typed:
//! the outbox keeps each channel's order, so a channel takes one post per Slack round trip
//! (20 a second at 50 ms; real Slack allows about one a second per channel), and the thanks
//! done per second can never exceed channels / latency (8 channels at 50 ms: 160).
//! Run without `--bench` (as `cargo test --all-targets` does) it makes one small smoke run on
//! SQLite, in process.

mod support;

use hmac::{Hmac, KeyInit, Mac};
use otagai::config::Settings;
use otagai::domain::{Locale, UserId};
use otagai::outbox::{Body, Destination, OutboundMessage};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::fake_slack::FakeSlack;
use support::{Backend, Db, SIGNING_SECRET};
use tokio::sync::watch;

const GIVERS: usize = 200;
const MESSAGE: &str = "reviewed my PR within the hour";

/// The load's shape.
#[derive(Clone, Copy)]
struct Load {
    latency: Duration,
    concurrency: usize,
    window: Duration,
    channels: usize,
    recipients: usize,
}

/// What one run measured.
struct Report {
    backend: &'static str,
    load: Load,
    acks: usize,
    unexpected: usize,
    ack_latencies: Vec<Duration>,
    /// Channel posts the fake saw within the window.
    done_in_window: usize,
    drain: Duration,
    /// From each thanks' acknowledgement to its post reaching the fake.
    ack_to_post: Vec<Duration>,
    messages_sent: i64,
    messages_failed: i64,
    /// Still pending when the bench gave up waiting (120 s after the load).
    pending_after: i64,
    posts_seen: usize,
    peak_rss_kib: u64,
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

/// The peak resident set of process `pid` ("self" for this one) since the last
/// [`reset_peak_rss`], in KiB (Linux).
fn peak_rss_kib(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Starts the peak RSS afresh (writing 5 to clear_refs resets VmHWM).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn settings() -> Settings {
    let mut settings = Settings::defaults();
    settings.org.locale = Locale::En;
    settings.bonus.monthly_budget = 1_000_000;
    settings.bonus.max_points_per_thanks = 1;
    settings
}

/// Where otagai runs during a load.
enum Otagai {
    /// In this process: the server task and its stop switch.
    InProcess(
        tokio::task::JoinHandle<anyhow::Result<()>>,
        watch::Sender<bool>,
    ),
    /// `otagai serve`, the release binary, as a process of its own (its RSS is its own).
    Process(std::process::Child),
}

/// Starts `otagai serve` on `db` against `slack` with the bench's settings, and waits until it
/// answers: its address.
async fn serve_process(
    db: &Db,
    slack: &FakeSlack,
) -> anyhow::Result<(std::process::Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_otagai"))
        .arg("serve")
        .env_remove("OTAGAI_CONFIG")
        .env_remove("SLACK_APP_TOKEN")
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", &db.url)
        .env("SLACK_API_URL", &slack.api_url)
        .env("SLACK_BOT_TOKEN", support::BOT_TOKEN)
        .env("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        .env("OTAGAI_LISTEN", &listen)
        .env("OTAGAI__ORG__LOCALE", "en")
        .env("OTAGAI__BONUS__MONTHLY_BUDGET", "1000000")
        .env("OTAGAI__BONUS__MAX_POINTS_PER_THANKS", "1")
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let address = format!("http://{listen}");
    let started = Instant::now();
    while reqwest::get(format!("{address}/healthz")).await.is_err() {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(30),
            "otagai serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((child, address))
}

async fn run_once(backend: &Backend, load: Load, own_process: bool) -> anyhow::Result<Report> {
    let slack = FakeSlack::start().await;
    let db = Db::create(backend, "").await?;
    let application = support::build(&db, &slack, settings()).await?;
    let app = application.app().clone();
    let store = app.store.clone();

    // Everyone exists in Slack, and the users.info cache (in the database) is warm, as in a
    // running workspace.
    let recipients = load.recipients;
    let recipient = move |i: usize| format!("URECIP{:04}", (i * 7 + 3) % recipients);
    let people: Vec<String> = (0..GIVERS)
        .map(giver)
        .chain((0..load.recipients).map(|i| format!("URECIP{i:04}")))
        .collect();
    for p in &people {
        slack.add_user(p, "en-US");
    }
    for p in &people {
        app.locale_of(&UserId::parse(p).map_err(anyhow::Error::msg)?)
            .await;
    }
    let (otagai, address) = if own_process {
        drop(application);
        let (child, address) = serve_process(&db, &slack).await?;
        (Otagai::Process(child), address)
    } else {
        let address = format!("http://{}", application.local_addr());
        let (stop, stopped) = watch::channel(false);
        let server = tokio::spawn(application.run_until_stopped(stopped));
        (Otagai::InProcess(server, stop), address)
    };
    slack.set_latency(load.latency, Duration::ZERO);
    reset_peak_rss();

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(load.concurrency)
        .build()?;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let over = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..load.concurrency {
        let (http, address, run, api, over, next) = (
            http.clone(),
            address.clone(),
            run.clone(),
            slack.clone(),
            over.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            // (thanks token, acknowledged at, latency, as expected)
            let mut answers = Vec::new();
            while !over.load(Ordering::Relaxed) {
                // Each thanks the next giver, recipient and channel in turn.
                let i = next.fetch_add(1, Ordering::Relaxed);
                let token = format!("t{i}");
                let trigger = format!("bench-{run}-{token}");
                let channel = format!("C0CHAN{:03}", i % load.channels);
                let body = serde_urlencoded::to_string([
                    ("team_id", "T0BENCH"),
                    ("channel_id", channel.as_str()),
                    ("channel_name", "general"),
                    ("user_id", giver(i).as_str()),
                    ("user_name", "giver"),
                    ("command", "/thanks"),
                    (
                        "text",
                        format!("<@{}> +1 {MESSAGE} [{token}]", recipient(i)).as_str(),
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
                let acked = Instant::now();
                answers.push((token, acked, acked - began, ok));
            }
            answers
        }));
    }
    tokio::time::sleep(load.window).await;
    over.store(true, Ordering::Relaxed);
    let window_end = Instant::now();
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await?);
    }
    // The load has stopped (the last requests answered): wait for the backlog to clear.
    let load_done = Instant::now();
    let deadline = load_done + Duration::from_secs(120);
    let (pending, sent, failed) = loop {
        let c = otagai::storage::outbox::counts(&store).await?;
        if c.0 == 0 || Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let drain = load_done.elapsed();
    if pending > 0 {
        eprintln!("  the outbox did not drain in 120 s: {pending} still pending");
    }
    let peak_rss_kib = match &otagai {
        Otagai::Process(child) => peak_rss_kib(&child.id().to_string()),
        Otagai::InProcess(..) => peak_rss_kib("self"),
    };

    // Each thanks' channel post, by the token in its text.
    let mut posted_at: HashMap<String, Instant> = HashMap::new();
    for c in slack.calls("chat.postMessage") {
        if c.body.get("__scripted").is_some()
            || !c.body["channel"]
                .as_str()
                .is_some_and(|ch| ch.starts_with("C0CHAN"))
        {
            continue;
        }
        let text = c.body["text"].as_str().unwrap_or_default();
        if let Some(token) = text
            .rsplit_once('[')
            .and_then(|(_, t)| t.split_once(']'))
            .map(|(t, _)| t.to_owned())
        {
            posted_at.insert(token, c.at);
        }
    }
    let done_in_window = posted_at.values().filter(|at| **at <= window_end).count();
    let mut ack_latencies = Vec::new();
    let mut ack_to_post = Vec::new();
    let mut unexpected = 0;
    let mut acks = 0;
    for (token, acked, latency, ok) in &answers {
        if !ok {
            unexpected += 1;
            continue;
        }
        if *acked <= window_end {
            acks += 1;
            ack_latencies.push(*latency);
        }
        if let Some(at) = posted_at.get(token) {
            ack_to_post.push(at.saturating_duration_since(*acked));
        }
    }
    let posts_seen = posted_at.len();

    match otagai {
        Otagai::InProcess(server, stop) => {
            let _ = stop.send(true);
            server.await??;
        }
        Otagai::Process(mut child) => {
            child.kill()?;
            child.wait()?;
        }
    }
    db.remove().await;
    ack_latencies.sort();
    ack_to_post.sort();
    Ok(Report {
        backend: backend.name(),
        load,
        acks,
        unexpected,
        ack_latencies,
        done_in_window,
        drain,
        ack_to_post,
        messages_sent: sent,
        messages_failed: failed,
        pending_after: pending,
        posts_seen,
        peak_rss_kib,
    })
}

/// How many chat.postMessage calls a second the fake answers at concurrency 64, called
/// straight from a client for two seconds: the ceiling of the rig, not of otagai.
async fn fake_ceiling() -> anyhow::Result<f64> {
    let slack = FakeSlack::start().await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let over = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..64 {
        let (http, url, over) = (
            http.clone(),
            format!("{}chat.postMessage", slack.api_url),
            over.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !over.load(Ordering::Relaxed) {
                let body = serde_json::json!({"channel": format!("C0CEIL{c:03}"), "text": format!("ceiling {n}")});
                if http.post(&url).json(&body).send().await.is_ok() {
                    n += 1;
                }
            }
            n
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    over.store(true, Ordering::Relaxed);
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

/// `n` reminder DMs to `n` managers written in one transaction (as the reminder pass writes
/// them), with the in-server worker running against a fake answering after `latency`: how long
/// until the fake has them all.
async fn reminder_run(backend: &Backend, n: usize, latency: Duration) -> anyhow::Result<Duration> {
    let slack = FakeSlack::start().await;
    slack.set_latency(latency, Duration::ZERO);
    let db = Db::create(backend, "reminders").await?;
    let application = support::build(&db, &slack, settings()).await?;
    let app = application.app().clone();
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(application.run_until_stopped(stopped));
    let now = otagai::storage::millis(chrono::Utc::now());
    let start = Instant::now();
    let mut tx = app.store.begin().await?;
    for m in 0..n {
        let message = OutboundMessage {
            to: Destination::Direct {
                user: UserId::parse(&format!("UMANAGER{m:05}")).map_err(anyhow::Error::msg)?,
            },
            locale: Locale::En,
            body: Body::Text {
                text: format!("Your 1on1 with <@UREPORT{m:05}> is due"),
            },
        };
        otagai::outbox::enqueue(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    app.outbox_wake.notify_one();
    let deadline = start + Duration::from_secs(120);
    while slack.accepted("chat.postMessage").len() < n {
        anyhow::ensure!(
            Instant::now() < deadline,
            "the reminders were not all delivered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = start.elapsed();
    let _ = stop.send(true);
    server.await??;
    db.remove().await;
    Ok(took)
}

fn print_table(reports: &[Report]) {
    println!();
    println!(
        "{:<9} {:>4} {:>4} {:>4} {:>7} {:>7} {:>7} {:>8} {:>6} {:>7} {:>8} {:>8} {:>7} {:>5}",
        "backend",
        "lat",
        "conc",
        "chan",
        "acks/s",
        "ack p50",
        "ack p99",
        "done/s",
        "done%",
        "drain s",
        "a→p p50",
        "a→p p99",
        "RSS MiB",
        "unexp"
    );
    for r in reports {
        let secs = r.load.window.as_secs_f64();
        println!(
            "{:<9} {:>4} {:>4} {:>4} {:>7.0} {:>7.1} {:>7.1} {:>8.0} {:>5.0}% {:>7.2} {:>8.1} {:>8.1} {:>7.1} {:>5}",
            r.backend,
            r.load.latency.as_millis(),
            r.load.concurrency,
            r.load.channels,
            r.acks as f64 / secs,
            percentile(&r.ack_latencies, 0.50),
            percentile(&r.ack_latencies, 0.99),
            r.done_in_window as f64 / secs,
            100.0 * r.done_in_window as f64 / r.acks.max(1) as f64,
            r.drain.as_secs_f64(),
            percentile(&r.ack_to_post, 0.50),
            percentile(&r.ack_to_post, 0.99),
            r.peak_rss_kib as f64 / 1024.0,
            r.unexpected,
        );
    }
    println!();
    println!(
        "lat: fake Slack ms per Web API call. acks/s, ack p50/p99 (ms): answers within the window. \
         done/s: channel posts the fake saw within the window; done%: of acks. drain s: after the \
         last answer until the outbox is empty. a→p (ms): acknowledgement to channel post. RSS: \
         otagai's peak (its own process; with BENCH_IN_PROCESS, the whole bench process: load \
         generator + fake + otagai). unexp: must be 0."
    );
}

fn list(key: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(key)
        .ok()
        .map(|v| {
            v.split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

fn main() -> anyhow::Result<()> {
    support::init_tracing();
    let full = support::full_run();
    let backends = support::backends(full);
    let window = Duration::from_secs(if full {
        support::env_num("BENCH_SECONDS", 10) as u64
    } else {
        1
    });
    let latencies = if full {
        list("BENCH_LATENCIES_MS", &[0, 50])
    } else {
        vec![0]
    };
    let concurrencies = if full {
        list("BENCH_CONCURRENCY", &[1, 8, 64])
    } else {
        vec![4]
    };
    let channels = support::env_num("BENCH_CHANNELS", 64).max(1);
    let own_process = full && std::env::var_os("BENCH_IN_PROCESS").is_none();
    let recipients = support::env_num("BENCH_RECIPIENTS", 500).max(1);
    let reminders = if full {
        support::env_num("BENCH_REMINDERS", 2000)
    } else {
        50
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let total = Instant::now();
    runtime.block_on(async {
        if full && std::env::var_os("BENCH_SKIP_CEILING").is_none() {
            println!("fake Slack ceiling: {:.0} chat.postMessage/s at concurrency 64 (0 ms)", fake_ceiling().await?);
        }
        let mut reports = Vec::new();
        for backend in &backends {
            for &lat in &latencies {
                for &c in &concurrencies {
                    let load = Load {
                        latency: Duration::from_millis(lat as u64),
                        concurrency: c,
                        window,
                        channels,
                        recipients,
                    };
                    eprintln!("{}: {lat} ms, concurrency {c}, {channels} channels…", backend.name());
                    let r = run_once(backend, load, own_process).await?;
                    print_table(std::slice::from_ref(&r));
                    reports.push(r);
                }
            }
        }
        print_table(&reports);
        if std::env::var_os("BENCH_SKIP_REMINDERS").is_none() {
            for backend in &backends {
                let took = reminder_run(backend, reminders, Duration::from_millis(50)).await?;
                println!(
                    "{:<9} {reminders} reminder DMs due at once, fake at 50 ms: all delivered in {:.2} s",
                    backend.name(),
                    took.as_secs_f64()
                );
            }
        }
        println!("total bench time: {:.1} s", total.elapsed().as_secs_f64());
        let bad: Vec<String> = reports
            .iter()
            .filter(|r| {
                r.unexpected > 0
                    || r.messages_failed > 0
                    || r.pending_after > 0
                    || (r.pending_after == 0 && r.messages_sent != 2 * r.posts_seen as i64)
            })
            .map(|r| format!("{} at {} ms, concurrency {}", r.backend, r.load.latency.as_millis(), r.load.concurrency))
            .collect();
        anyhow::ensure!(
            bad.is_empty(),
            "unexpected replies or undelivered messages in: {bad:?}"
        );
        anyhow::Ok(())
    })
}
