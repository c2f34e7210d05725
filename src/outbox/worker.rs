//! The delivery worker. [`OutboxWorker::try_execute_task`] is one step (claim a batch, send,
//! record) that tests drive directly; [`OutboxWorker::run`] repeats it until shutdown.

use super::{Body, Deliver, Delivered, DeliveryError, Destination, OutboundMessage};
use crate::clock::{Clock, SystemClock};
use crate::config::OutboxSettings;
use crate::storage::{self, Store, outbox};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Slack asked us to slow down: the worker pauses this long before its next step.
    pub pause: Option<Duration>,
}

impl Outcome {
    pub fn handled(&self) -> usize {
        self.sent + self.retried + self.failed
    }
}

/// Claims, delivers and records outbox messages.
pub struct OutboxWorker {
    store: Store,
    deliver: Arc<dyn Deliver>,
    settings: OutboxSettings,
    /// A name unique to this worker, so leases say whose a claim is.
    owner: String,
    /// Woken by use-cases after they commit messages, so delivery starts at once.
    wake: Arc<Notify>,
    /// The clock the use-cases stamp messages with.
    clock: Arc<dyn Clock>,
}

impl OutboxWorker {
    pub fn new(
        store: Store,
        deliver: Arc<dyn Deliver>,
        settings: OutboxSettings,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            deliver,
            settings,
            owner: format!("worker-{}", uuid::Uuid::new_v4()),
            wake,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads `clock` instead of the wall clock (the application's, when it has its own).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// One step: claim up to a batch of due messages and deliver them in order.
    #[tracing::instrument(name = "outbox_step", skip(self), fields(owner = %self.owner))]
    pub async fn try_execute_task(&self) -> anyhow::Result<Outcome> {
        self.step(None).await
    }

    /// One step; with `shutdown`, a stop request between two messages gives the rest back.
    async fn step(&self, shutdown: Option<&watch::Receiver<bool>>) -> anyhow::Result<Outcome> {
        let now = self.clock.now();
        // Past half the lease, the rest of the batch goes back: another worker may take over a
        // message whose lease ran out, so none may be sent that close to the end.
        let use_by = tokio::time::Instant::now() + self.settings.lease / 2;
        let lease_until = now + chrono::Duration::from_std(self.settings.lease)?;
        let claimed = outbox::claim(
            &self.store,
            &self.owner,
            storage::millis(now),
            storage::millis(lease_until),
            self.settings.batch_size,
        )
        .await?;
        let mut outcome = Outcome::default();
        let mut batch = claimed.into_iter();
        let mut held = batch.by_ref().peekable();
        while let Some(item) = held.next_if(|_| {
            tokio::time::Instant::now() < use_by && !shutdown.is_some_and(|s| *s.borrow())
        }) {
            let message: OutboundMessage = match serde_json::from_str(&item.payload) {
                Ok(m) => m,
                Err(e) => {
                    tracing::error!(id = item.id, error = %e, "unreadable outbox message");
                    outbox::mark_failed(
                        &self.store,
                        item.id,
                        &self.owner,
                        &format!("unreadable: {e}"),
                    )
                    .await?;
                    outcome.failed += 1;
                    continue;
                }
            };
            if self.superseded(&message).await? {
                tracing::info!(
                    id = item.id,
                    "post update superseded by a newer one; dropped"
                );
                outbox::mark_sent(&self.store, item.id, &self.owner, storage::millis(now)).await?;
                outcome.sent += 1;
                continue;
            }
            let result = self.deliver.deliver(&message).await;
            let now_ms = storage::millis(self.clock.now());
            match result {
                Ok(delivered) => {
                    self.record_sent(item.id, &message, &delivered, now_ms)
                        .await?;
                    outcome.sent += 1;
                }
                Err(DeliveryError::RateLimited(wait)) => {
                    tracing::warn!(id = item.id, ?wait, "Slack rate limit: waiting Retry-After");
                    let next = now_ms + wait.as_millis() as i64;
                    outbox::mark_retry(
                        &self.store,
                        item.id,
                        &self.owner,
                        next,
                        "rate limited (429)",
                        false,
                    )
                    .await?;
                    outcome.retried += 1;
                    outcome.pause = Some(wait);
                    break;
                }
                Err(DeliveryError::Transient(reason))
                    if item.attempts + 1 < self.settings.max_attempts =>
                {
                    let delay = backoff(&self.settings, item.attempts);
                    tracing::warn!(id = item.id, attempt = item.attempts + 1, ?delay, %reason, "delivery failed, will retry");
                    let next = now_ms + delay.as_millis() as i64;
                    outbox::mark_retry(&self.store, item.id, &self.owner, next, &reason, true)
                        .await?;
                    outcome.retried += 1;
                }
                Err(DeliveryError::Transient(reason) | DeliveryError::Permanent(reason)) => {
                    tracing::error!(id = item.id, %reason, "message could not be delivered; kept as failed");
                    outbox::mark_failed(&self.store, item.id, &self.owner, &reason).await?;
                    self.tell_asker_not_posted(&message, now_ms).await?;
                    outcome.failed += 1;
                }
            }
        }
        // After a 429, a stop request or near the lease's end, the rest of the batch goes back
        // to the queue, in order.
        for rest in held {
            outbox::release(&self.store, rest.id, &self.owner).await?;
        }
        Ok(outcome)
    }

    /// Marks a message sent. A help request's first post also records where Slack put it (so
    /// reactions and thread replies find the request) and queues the link for the asker, in
    /// the same transaction.
    async fn record_sent(
        &self,
        id: i64,
        message: &OutboundMessage,
        delivered: &Delivered,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let mut tx = self.store.begin().await?;
        outbox::mark_sent_in(&mut tx, id, &self.owner, now_ms).await?;
        let mut wake = false;
        if let (Body::AskPost(post), Destination::Channel { channel, .. }, Some(ts)) =
            (&message.body, &message.to, &delivered.ts)
        {
            // The recorded ts, which is this one unless an earlier send of the same post got
            // through before a crash: the link must point where reactions and replies count.
            let recorded = storage::ask::set_post_ts(&mut tx, post.request_id, ts).await?;
            if let (Some(a), Some(ts)) = (&post.announce, recorded) {
                let link = super::permalink(a.team_domain.as_deref(), channel.as_str(), &ts);
                let body = Body::AskPosted {
                    channel: channel.clone(),
                    link,
                };
                outbox::enqueue(&mut tx, &a.reply(body)?, now_ms).await?;
                wake = true;
            }
        }
        tx.commit().await?;
        if wake {
            self.wake.notify_one();
        }
        Ok(())
    }

    /// Whether `message` re-renders a question's post that a newer rendering has replaced
    /// (a retried update delivered after a later one must not put an old state back).
    async fn superseded(&self, message: &OutboundMessage) -> anyhow::Result<bool> {
        let (Body::AskPost(post), Destination::Update { .. }) = (&message.body, &message.to) else {
            return Ok(false);
        };
        let mut conn = self.store.pool().acquire().await?;
        let current = storage::ask::post_version(&mut conn, post.request_id).await?;
        Ok(current.is_some_and(|v| post.version < v))
    }

    /// When a question could not be posted for good (the bot is not in the channel), the
    /// asker hears so instead of waiting for answers that cannot come.
    async fn tell_asker_not_posted(
        &self,
        message: &OutboundMessage,
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let (Body::AskPost(post), Destination::Channel { channel, .. }) =
            (&message.body, &message.to)
        else {
            return Ok(());
        };
        let Some(a) = &post.announce else {
            return Ok(());
        };
        let reply = a.reply(Body::AskNotPosted {
            channel: channel.clone(),
        })?;
        let mut tx = self.store.begin().await?;
        storage::ask::withdraw_unposted(&mut tx, post.request_id).await?;
        outbox::enqueue(&mut tx, &reply, now_ms).await?;
        tx.commit().await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Delivers until `shutdown` turns true, finishing the message in hand first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(owner = %self.owner, "outbox worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let outcome = self.step(Some(&shutdown)).await;
            match outcome {
                // Slack asked for a pause: new messages wait too, or they would hit the limit.
                Ok(Outcome {
                    pause: Some(wait), ..
                }) => {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = shutdown.changed() => {}
                    }
                }
                Ok(o) if o.handled() > 0 => {}
                other => {
                    if let Err(e) = other {
                        tracing::error!(error = ?e, "outbox step failed");
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(self.settings.poll_interval) => {}
                        _ = self.wake.notified() => {}
                        _ = shutdown.changed() => {}
                    }
                }
            }
        }
        tracing::info!(owner = %self.owner, "outbox worker stopped");
    }
}

/// Exponential backoff: base × 2^attempts, capped.
fn backoff(s: &OutboxSettings, attempts: i64) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(0, 30) as u32);
    s.backoff_base.saturating_mul(factor).min(s.backoff_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let s = crate::config::Settings::defaults().outbox;
        assert_eq!(backoff(&s, 0), Duration::from_secs(1));
        assert_eq!(backoff(&s, 3), Duration::from_secs(8));
        assert_eq!(backoff(&s, 50), s.backoff_max);
    }
}
