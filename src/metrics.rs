//! What operators see at `GET /metrics`, in Prometheus' text format (the `prometheus` crate,
//! one process-wide registry). Labels are methods, routes and command names only: never a
//! user, a channel or any text, since `/metrics` is not authenticated.

use crate::commands::CommandKind;
use crate::outbox::Destination;
use crate::storage::{self, Store};
use prometheus::{
    Encoder, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    Opts, Registry, TextEncoder,
};
use std::sync::LazyLock;

/// Every metric otagai exports.
pub struct Metrics {
    registry: Registry,
    /// Messages Slack accepted, by Web API method.
    pub outbox_sent: IntCounterVec,
    /// Sends put back for later (5xx, timeout, 429, paced), by method.
    pub outbox_retries: IntCounterVec,
    /// 429 answers, by method.
    pub outbox_rate_limited: IntCounterVec,
    /// Messages kept as failed, by method.
    pub outbox_failed: IntCounterVec,
    /// Pending messages, read at each scrape.
    pub outbox_backlog: IntGauge,
    /// Age in seconds of the oldest pending message (0 when none), read at each scrape.
    pub outbox_oldest_pending_age: Gauge,
    /// HTTP request duration, by route pattern.
    pub http_request_duration: HistogramVec,
    /// Time to acknowledge a slash command, by command.
    pub command_ack_duration: HistogramVec,
    /// Duration of one scheduler pass.
    pub scheduler_pass_duration: Histogram,
    /// Reminders and nudges the scheduler queued.
    pub reminders_queued: IntCounter,
    /// Background tasks (the outbox worker, the scheduler, a send) that panicked, by task.
    pub task_panics: IntCounterVec,
}

/// The process's metrics.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| {
            let c = IntCounterVec::new(Opts::new(name, help), &["method"]).expect("valid metric");
            registry
                .register(Box::new(c.clone()))
                .expect("registered once");
            c
        };
        let outbox_sent = counter(
            "otagai_outbox_sent_total",
            "Outbox messages Slack accepted, by method.",
        );
        let outbox_retries = counter(
            "otagai_outbox_retries_total",
            "Outbox sends put back for later (5xx, timeout, 429, paced), by method.",
        );
        let outbox_rate_limited = counter(
            "otagai_outbox_rate_limited_total",
            "429 answers to outbox sends, by method.",
        );
        let outbox_failed = counter(
            "otagai_outbox_failed_total",
            "Outbox messages kept as failed, by method.",
        );
        let outbox_backlog =
            IntGauge::new("otagai_outbox_backlog", "Pending outbox messages.").expect("valid");
        let outbox_oldest_pending_age = Gauge::new(
            "otagai_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox message (0 when none).",
        )
        .expect("valid");
        let http_request_duration = HistogramVec::new(
            HistogramOpts::new(
                "otagai_http_request_duration_seconds",
                "HTTP request duration, by route.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route"],
        )
        .expect("valid");
        let command_ack_duration = HistogramVec::new(
            HistogramOpts::new(
                "otagai_command_ack_duration_seconds",
                "Time to acknowledge a slash command, by command.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["command"],
        )
        .expect("valid");
        let scheduler_pass_duration = Histogram::with_opts(
            HistogramOpts::new(
                "otagai_scheduler_pass_duration_seconds",
                "Duration of one scheduler pass.",
            )
            .buckets(vec![0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0]),
        )
        .expect("valid");
        let reminders_queued = IntCounter::new(
            "otagai_reminders_queued_total",
            "Reminders and nudges the scheduler queued.",
        )
        .expect("valid");
        let task_panics = IntCounterVec::new(
            Opts::new(
                "otagai_task_panics_total",
                "Background tasks that panicked (and were started again), by task.",
            ),
            &["task"],
        )
        .expect("valid");
        for m in [
            Box::new(task_panics.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(outbox_backlog.clone()),
            Box::new(outbox_oldest_pending_age.clone()),
            Box::new(http_request_duration.clone()),
            Box::new(command_ack_duration.clone()),
            Box::new(scheduler_pass_duration.clone()),
            Box::new(reminders_queued.clone()),
        ] {
            registry.register(m).expect("registered once");
        }
        Self {
            registry,
            outbox_sent,
            outbox_retries,
            outbox_rate_limited,
            outbox_failed,
            outbox_backlog,
            outbox_oldest_pending_age,
            http_request_duration,
            command_ack_duration,
            scheduler_pass_duration,
            reminders_queued,
            task_panics,
        }
    }
}

/// The Web API method (or `response_url`) a message to `to` goes through.
pub fn method_of(to: &Destination) -> &'static str {
    match to {
        Destination::Channel { .. } | Destination::Direct { .. } | Destination::Thread { .. } => {
            "chat.postMessage"
        }
        Destination::Update { .. } => "chat.update",
        Destination::ResponseUrl { .. } => "response_url",
    }
}

/// A command's label: the built-in name of an otagai command, whatever this workspace calls
/// it (so dashboards read the same everywhere), and `other` for anything else (what Slack
/// sends is not ours to turn into label values).
pub fn command_label(command: Option<CommandKind>) -> &'static str {
    command.map_or("other", CommandKind::builtin)
}

/// The text exposition, with the outbox gauges read from `store` now.
pub async fn render(store: &Store) -> String {
    let m = &*METRICS;
    match storage::outbox::backlog(store).await {
        Ok((pending, oldest)) => {
            m.outbox_backlog.set(pending);
            let now = storage::millis(chrono::Utc::now());
            let age = oldest.map_or(0.0, |t| (now - t).max(0) as f64 / 1000.0);
            m.outbox_oldest_pending_age.set(age);
        }
        Err(e) => tracing::warn!(error = %e, "could not read the outbox backlog for /metrics"),
    }
    let mut out = Vec::new();
    TextEncoder::new()
        .encode(&m.registry.gather(), &mut out)
        .expect("text encoding");
    String::from_utf8(out).expect("UTF-8")
}
