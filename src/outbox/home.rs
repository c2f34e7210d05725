//! Home tab refreshes: the outbox's second kind of work. A use-case asks for a person's tab to
//! be published again in its own transaction (`storage::home::request`); the
//! [`HomeRefresher`] claims due refreshes with a lease, builds each tab **when it publishes
//! it** (through [`HomeSource`], so it shows what the database holds then) and publishes it
//! through [`Deliver::publish_home`]. It knows neither axum nor Slack: both are behind those
//! two ports, as the outbox worker's messages are behind `Deliver`.
//!
//! Unlike a message, a refresh is not a thing to send once in order but a state ("this tab is
//! stale"): one row per person coalesces any number of changes, and its due time is a throttle
//! every instance shares (a publish per person per [`HOME_REFRESH_INTERVAL`]).

use super::pace::Pacer;
use super::{Deliver, DeliveryError};
use crate::app::HomeTab;
use crate::config::OutboxSettings;
use crate::domain::UserId;
use crate::storage::{self, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// At most one publish of a person's tab per interval: a change within it is shown at its end,
/// together with every other change meanwhile.
pub const HOME_REFRESH_INTERVAL: Duration = Duration::from_secs(5);

/// Refreshes claimed at once.
const BATCH: i64 = 20;
/// How many times a refresh is tried before it waits for the next change or the next open.
const MAX_ATTEMPTS: i64 = 5;
/// A 429 on views.publish is about the method: it pauses every tab's publish, not one.
const SCOPE: &str = "views.publish";

/// Milliseconds of the wall clock. The throttle guards Slack's rate limit, which runs on real
/// time, so it does not follow the application's clock (which tests and the console move).
pub fn wall_ms() -> i64 {
    storage::millis(chrono::Utc::now())
}

/// What a Home tab shows, built at the moment it is published.
#[async_trait::async_trait]
pub trait HomeSource: Send + Sync {
    async fn home_tab(&self, user: &UserId) -> anyhow::Result<HomeTab>;
}

/// Claims due Home tab refreshes, builds and publishes them, and records the outcome.
pub struct HomeRefresher {
    store: Store,
    source: Arc<dyn HomeSource>,
    deliver: Arc<dyn Deliver>,
    settings: OutboxSettings,
    owner: String,
    /// Woken after a use-case asked for a refresh.
    wake: Arc<Notify>,
    /// views.publish paused and paced after a 429.
    pacer: Pacer,
}

/// What one step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HomeOutcome {
    pub published: usize,
    pub retried: usize,
    /// Not tried: views.publish was paused or paced, so put back for its turn.
    pub paced: usize,
}

/// What became of one claimed refresh.
enum Tried {
    Done(Result<(), DeliveryError>),
    /// Not tried: its turn comes at this instant.
    Paced(tokio::time::Instant),
}

impl HomeRefresher {
    pub fn new(
        store: Store,
        source: Arc<dyn HomeSource>,
        deliver: Arc<dyn Deliver>,
        settings: OutboxSettings,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            source,
            deliver,
            owner: format!("home-{}", uuid::Uuid::new_v4()),
            wake,
            pacer: Pacer::new(settings.paced_interval, settings.paced_quiet),
            settings,
        }
    }

    /// One step: claim what is due, build and publish each tab (side by side), record.
    #[tracing::instrument(name = "home_step", skip(self))]
    pub async fn try_execute_task(&self) -> anyhow::Result<HomeOutcome> {
        let now = wall_ms();
        let lease = self.settings.lease.as_millis() as i64;
        let claimed =
            storage::home::claim(&self.store, &self.owner, now, now + lease, BATCH).await?;
        // Those whose turn falls inside a pause (or between paced sends) wait for it.
        let started = tokio::time::Instant::now();
        let turns: Vec<_> = claimed
            .iter()
            .map(|_| self.pacer.admit(SCOPE, started))
            .collect();
        let results = futures_util::future::join_all(claimed.iter().zip(&turns).map(
            |(c, turn)| async move {
                match turn {
                    Some(at) => Tried::Paced(*at),
                    None => Tried::Done(self.publish(c).await),
                }
            },
        ))
        .await;
        let mut outcome = HomeOutcome::default();
        let interval = HOME_REFRESH_INTERVAL.as_millis() as i64;
        let now = wall_ms();
        let now_instant = tokio::time::Instant::now();
        // Rows are updated in user order, the order use-cases lock them in (a refresh asked
        // for several people at once), so the two never wait for each other in a cycle.
        let mut done: Vec<_> = claimed.iter().zip(results).collect();
        done.sort_by(|a, b| a.0.user.cmp(&b.0.user));
        let mut tx = self.store.begin().await?;
        for (c, result) in done {
            let result = match result {
                Tried::Done(result) => result,
                Tried::Paced(at) => {
                    let next = now + at.saturating_duration_since(now_instant).as_millis() as i64;
                    storage::home::retry(
                        &mut tx,
                        c,
                        &self.owner,
                        Some(next),
                        now + interval,
                        "paced after a 429",
                        false,
                    )
                    .await?;
                    outcome.paced += 1;
                    continue;
                }
            };
            match result {
                Ok(()) => {
                    storage::home::published(&mut tx, c, &self.owner, now, interval).await?;
                    outcome.published += 1;
                    continue;
                }
                Err(DeliveryError::RateLimited(wait)) => {
                    self.pacer.limited(SCOPE, wait, now_instant);
                    let next = now + wait.as_millis() as i64;
                    storage::home::retry(
                        &mut tx,
                        c,
                        &self.owner,
                        Some(next),
                        now + interval,
                        "rate limited (429)",
                        false,
                    )
                    .await?;
                }
                Err(DeliveryError::Unauthorized(reason)) => {
                    let next = now + self.settings.backoff_max.as_millis() as i64;
                    storage::home::retry(
                        &mut tx,
                        c,
                        &self.owner,
                        Some(next),
                        now + interval,
                        &reason,
                        false,
                    )
                    .await?;
                }
                Err(DeliveryError::Transient(reason)) if c.attempts + 1 < MAX_ATTEMPTS => {
                    let factor = 2u32.saturating_pow(c.attempts.clamp(0, 30) as u32);
                    let delay = self
                        .settings
                        .backoff_base
                        .saturating_mul(factor)
                        .min(self.settings.backoff_max);
                    let next = now + delay.as_millis() as i64;
                    storage::home::retry(
                        &mut tx,
                        c,
                        &self.owner,
                        Some(next),
                        now + interval,
                        &reason,
                        true,
                    )
                    .await?;
                }
                // A tab is not a message: nothing is lost by giving up, the next change or the
                // next time the person opens it publishes it afresh (and a change made while
                // this publish was failing is such a change: the row stays due for it).
                Err(DeliveryError::Transient(reason) | DeliveryError::Permanent(reason)) => {
                    tracing::warn!(%reason, "home tab not published; waiting for the next change");
                    storage::home::retry(
                        &mut tx,
                        c,
                        &self.owner,
                        None,
                        now + interval,
                        &reason,
                        true,
                    )
                    .await?;
                }
            }
            outcome.retried += 1;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Builds `c`'s tab now and publishes it.
    async fn publish(&self, c: &storage::home::Claimed) -> Result<(), DeliveryError> {
        let user = UserId::parse(&c.user).map_err(DeliveryError::Permanent)?;
        let tab = self.source.home_tab(&user).await.map_err(|e| {
            tracing::error!(error = ?e, "could not build the home tab");
            DeliveryError::Transient("building the tab failed".into())
        })?;
        let timeout = self.settings.lease / 2;
        match tokio::time::timeout(timeout, self.deliver.publish_home(&user, &tab)).await {
            Ok(result) => result,
            Err(_) => Err(DeliveryError::Transient("publish timed out".into())),
        }
    }

    /// Publishes until `shutdown` turns true: at once when woken, else when the soonest
    /// refresh is due, else every poll interval.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(owner = %self.owner, "home refresher started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let mut wait = self.settings.poll_interval;
            match self.try_execute_task().await {
                Ok(o) if o.published + o.retried + o.paced > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "home refresh step failed"),
            }
            if let Ok(Some(due)) = storage::home::next_due(&self.store).await {
                let until = Duration::from_millis(due.saturating_sub(wall_ms()).max(0) as u64);
                wait = wait.min(until.max(Duration::from_millis(10)));
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => break,
            }
        }
        tracing::info!(owner = %self.owner, "home refresher stopped");
    }
}
