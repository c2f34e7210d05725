//! Jobs that decide what is due and enqueue it; they never send anything themselves (the outbox
//! does). `serve` runs [`Scheduler::run`]; `otagai jobs run --now …` runs one pass as of any
//! instant (operators with an external cron, tests, the `try` console).
//!
//! The same pass deletes old bookkeeping, at most once an hour (`retention.rs`).
//!
//! Every job is safe to run twice, from several processes at once: what it enqueues is keyed
//! uniquely in the same transaction (see `one_on_one.rs`), so a repeated pass finds the key and
//! sends nothing, and a pass that fails before committing leaves nothing behind to skip.

mod ask;
mod one_on_one;
mod retention;

pub use one_on_one::{JobsReport, Planned};
pub use retention::RetentionReport;

use crate::app::App;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

impl App {
    /// Runs every due job once, as of `now`. With `dry_run`, decides and describes what would
    /// be sent and changes nothing.
    pub async fn run_due_jobs(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> anyhow::Result<JobsReport> {
        let mut report = self.remind_overdue_one_on_ones(now, dry_run).await?;
        let nudges = self.nudge_unanswered_requests(now, dry_run).await?;
        report.considered += nudges.considered;
        report.queued += nudges.queued;
        report.planned.extend(nudges.planned);
        if !dry_run && report.queued > 0 {
            self.outbox_wake.notify_one();
        }
        if !dry_run {
            // Bookkeeping past its retention goes, at most once an hour (see `retention.rs`).
            // A failure there must not hide what the pass queued: it is logged, and the next
            // hour's run does the work (deleting is idempotent).
            // Retention counts from the app's own clock, never from a pass's chosen `now`: a
            // `jobs run --now` in the future must not delete what is still in use.
            if let Err(e) = self.run_retention_if_due(self.clock.now()).await {
                tracing::warn!(error = ?e, "retention failed; the next run retries");
            }
        }
        Ok(report)
    }
}

/// The job loop inside `serve`.
pub struct Scheduler {
    app: App,
}

impl Scheduler {
    pub fn new(app: App) -> Self {
        Self { app }
    }

    /// Every `scheduler.tick_secs`: run the due jobs as of the app's clock, then refresh a few
    /// stale Slack profiles of pair members (their time zone decides when they are reminded).
    /// Stops when `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let tick = self.app.settings.scheduler.tick;
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = shutdown.wait_for(|s| *s) => break,
            }
            let started = std::time::Instant::now();
            let ran = self.app.run_due_jobs(self.app.clock.now(), false).await;
            let m = &crate::metrics::METRICS;
            m.scheduler_pass_duration
                .observe(started.elapsed().as_secs_f64());
            if let Ok(r) = &ran {
                m.reminders_queued.inc_by(r.queued as u64);
            }
            match ran {
                Ok(r) if r.queued > 0 => {
                    tracing::info!(queued = r.queued, considered = r.considered, "due jobs ran")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "due jobs failed; the next tick retries"),
            }
            let refresh = self.app.settings.scheduler.profile_refreshes_per_tick;
            if let Err(e) = self.app.refresh_profiles(refresh).await {
                tracing::warn!(error = ?e, "could not refresh profiles");
            }
        }
    }
}
