//! The delivery worker. [`OutboxWorker::try_execute_task`] is one step (claim a batch, send,
//! record) that tests drive directly; [`OutboxWorker::run`] is the long-running form: it keeps
//! up to `max_in_flight` destinations sending, records finished runs together and claims more
//! as room frees up. A claim gives of each destination a *run*: its oldest pending message and
//! up to `run_length - 1` written after it, which one task sends one after the other, stopping
//! at the first that does not go (a retry, a pause); the rest go back. So sends run side by
//! side only between different destinations, each destination keeps its order, and a busy
//! channel sends one message per Slack round trip with no database round trip between them.

use super::pace::Pacer;
use super::{Body, Deliver, Delivered, DeliveryError, Destination, OutboundMessage};
use crate::clock::{Clock, SystemClock};
use crate::config::OutboxSettings;
use crate::storage::outbox::{self, Claimed, Doubt, Run};
use crate::storage::{self, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Slack asked to slow down (the longest Retry-After of the step). Only what the 429 was
    /// about waits: that channel, or that method.
    pub pause: Option<Duration>,
    /// The soonest a message put back for later (a retry, a paced send) is due again.
    pub wake_in: Option<Duration>,
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
    /// What Slack rate limited lately, paused and paced.
    pacer: Arc<Pacer>,
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
            settings: settings.clone(),
            owner: format!("worker-{}", uuid::Uuid::new_v4()),
            pacer: Arc::new(Pacer::new(settings.paced_interval, settings.paced_quiet)),
            wake,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads `clock` instead of the wall clock (the application's, when it has its own).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// One step: claim up to a batch of due messages (of each destination its oldest), send
    /// up to `max_in_flight` of them at a time, and record every outcome in one transaction.
    #[tracing::instrument(name = "outbox_step", skip(self), fields(owner = %self.owner))]
    pub async fn try_execute_task(&self) -> anyhow::Result<Outcome> {
        self.step(None).await
    }

    /// Claims the runs of up to `destinations` destinations for this worker.
    async fn claim(&self, destinations: usize) -> anyhow::Result<Vec<Run>> {
        let now = self.clock.now();
        let lease_until = now + chrono::Duration::from_std(self.settings.lease)?;
        outbox::claim(
            &self.store,
            &self.owner,
            storage::millis(now),
            storage::millis(lease_until),
            destinations as i64,
            self.settings.run_length as i64,
        )
        .await
    }

    /// Starts sending `run` on its own task. Past `use_by` (half the lease after the claim) or
    /// once `stop` turns true it sends no more of it: another worker may take over a message
    /// whose lease ran out, so none may be sent that close to the end.
    fn start(
        &self,
        set: &mut JoinSet<RunDone>,
        run: Run,
        claimed_at: tokio::time::Instant,
        stop: Option<watch::Receiver<bool>>,
    ) -> tokio::task::Id {
        let lease = self.settings.lease;
        set.spawn(send_run(
            self.store.clone(),
            self.deliver.clone(),
            self.pacer.clone(),
            run,
            claimed_at + lease / 2,
            claimed_at + lease * 3 / 4,
            stop,
        ))
        .id()
    }

    /// One step; with `shutdown`, a stop request gives back what has not started.
    async fn step(&self, shutdown: Option<&watch::Receiver<bool>>) -> anyhow::Result<Outcome> {
        let claimed_at = tokio::time::Instant::now();
        let use_by = claimed_at + self.settings.lease / 2;
        let claimed = self.claim(self.settings.batch_size as usize).await?;
        let mut queue = claimed.into_iter();
        let mut set = JoinSet::new();
        let mut finished = RunDone::default();
        loop {
            while set.len() < self.settings.max_in_flight
                && tokio::time::Instant::now() < use_by
                && !shutdown.is_some_and(|s| *s.borrow())
            {
                match queue.next() {
                    Some(run) => {
                        self.start(&mut set, run, claimed_at, shutdown.cloned());
                    }
                    None => break,
                }
            }
            let Some(one) = set.join_next().await else {
                break;
            };
            match one {
                Ok(one) => finished.absorb(one),
                // Attempts run as tasks of their own, so this is a bug in the run itself: its
                // messages come back when their lease runs out, in doubt.
                Err(e) => tracing::error!(error = %e, "a send run panicked"),
            }
        }
        // After a stop request or near the lease's end, the runs not started go back to the
        // queue, in order.
        finished
            .untried
            .extend(queue.flat_map(|r| r.items).map(|c| c.id));
        self.record(finished).await
    }

    /// Records what became of sent messages, all in one transaction. A help request's first
    /// post also records where Slack put it (so reactions and thread replies find the request)
    /// and queues the link for the asker: the link is written only once the question is in
    /// Slack, so it can never arrive first.
    async fn record(&self, finished: RunDone) -> anyhow::Result<Outcome> {
        let mut outcome = Outcome::default();
        let RunDone { done, untried } = finished;
        if done.is_empty() && untried.is_empty() {
            return Ok(outcome);
        }
        let now_ms = storage::millis(self.clock.now());
        let now = tokio::time::Instant::now();
        let mut wake = false;
        let soonest = |outcome: &mut Outcome, d: Duration| {
            outcome.wake_in = Some(outcome.wake_in.map_or(d, |w| w.min(d)));
        };
        let mut sent = Vec::new();
        let mut tx = self.store.begin().await?;
        let m = &crate::metrics::METRICS;
        for Done {
            id,
            attempts,
            message,
            verdict,
            looked_up,
            absent: _,
        } in done
        {
            let method = message
                .as_ref()
                .map_or("unknown", |msg| crate::metrics::method_of(&msg.to));
            match &verdict {
                Verdict::Tried(Ok(_)) => m.outbox_sent.with_label_values(&[method]).inc(),
                Verdict::Tried(Err(DeliveryError::RateLimited(_))) => {
                    m.outbox_rate_limited.with_label_values(&[method]).inc();
                    m.outbox_retries.with_label_values(&[method]).inc();
                }
                Verdict::Deferred(_) => m.outbox_retries.with_label_values(&[method]).inc(),
                Verdict::Tried(Err(DeliveryError::Transient(_)))
                    if attempts + 1 < self.settings.max_attempts =>
                {
                    m.outbox_retries.with_label_values(&[method]).inc()
                }
                Verdict::Tried(Err(_)) | Verdict::Unreadable(_) => {
                    m.outbox_failed.with_label_values(&[method]).inc()
                }
                Verdict::Superseded => {}
            }
            match verdict {
                Verdict::Unreadable(e) => {
                    tracing::error!(id, error = %e, "unreadable outbox message");
                    outbox::mark_failed_in(&mut tx, id, &self.owner, &format!("unreadable: {e}"))
                        .await?;
                    outcome.failed += 1;
                }
                Verdict::Superseded => {
                    tracing::info!(id, "post update superseded by a newer one; dropped");
                    sent.push(id);
                    outcome.sent += 1;
                }
                Verdict::Tried(Ok(delivered)) => {
                    let message = message.as_ref().expect("a sent message was read");
                    if self
                        .record_post(&mut tx, message, &delivered, now_ms)
                        .await?
                    {
                        wake = true;
                    }
                    sent.push(id);
                    outcome.sent += 1;
                }
                Verdict::Deferred(until) => {
                    // Its scope is paused or paced: back in the queue, still the head of its
                    // destination, due when its slot comes. Not an attempt.
                    let wait = until.saturating_duration_since(now);
                    let next = now_ms + wait.as_millis() as i64;
                    outbox::mark_retry_in(
                        &mut tx,
                        id,
                        &self.owner,
                        next,
                        "paced after a 429",
                        false,
                        Doubt::Unchanged,
                    )
                    .await?;
                    soonest(&mut outcome, wait);
                    outcome.retried += 1;
                }
                Verdict::Tried(Err(DeliveryError::RateLimited(wait))) => {
                    let scope = message
                        .as_ref()
                        .map(|m| m.to.rate_scope())
                        .unwrap_or_default();
                    tracing::warn!(
                        id,
                        ?wait,
                        method,
                        "Slack rate limit: this channel or method waits Retry-After"
                    );
                    self.pacer.limited(&scope, wait, now);
                    soonest(&mut outcome, wait);
                    let next = now_ms + wait.as_millis() as i64;
                    outbox::mark_retry_in(
                        &mut tx,
                        id,
                        &self.owner,
                        next,
                        "rate limited (429)",
                        false,
                        looked_up.unwrap_or(Doubt::Known),
                    )
                    .await?;
                    outcome.retried += 1;
                    outcome.pause = outcome.pause.max(Some(wait));
                }
                Verdict::Tried(Err(DeliveryError::Unauthorized(reason))) => {
                    // The token or a scope, not the message: held at the longest backoff until
                    // Slack accepts the token again (the client logs it once, /readyz shows it).
                    let hold = self.settings.backoff_max;
                    soonest(&mut outcome, hold);
                    let next = now_ms + hold.as_millis() as i64;
                    outbox::mark_retry_in(
                        &mut tx,
                        id,
                        &self.owner,
                        next,
                        &reason,
                        false,
                        looked_up.unwrap_or(Doubt::Known),
                    )
                    .await?;
                    outcome.retried += 1;
                }
                Verdict::Tried(Err(DeliveryError::Transient(reason)))
                    if attempts + 1 < self.settings.max_attempts =>
                {
                    let delay = backoff(&self.settings, attempts);
                    soonest(&mut outcome, delay);
                    tracing::warn!(id, attempt = attempts + 1, ?delay, %reason, "delivery failed, will retry");
                    let next = now_ms + delay.as_millis() as i64;
                    // Slack may have it: the next try looks first, unless this one never got
                    // past looking for an earlier one.
                    outbox::mark_retry_in(
                        &mut tx,
                        id,
                        &self.owner,
                        next,
                        &reason,
                        true,
                        looked_up.unwrap_or(Doubt::Unknown),
                    )
                    .await?;
                    outcome.retried += 1;
                }
                Verdict::Tried(Err(
                    DeliveryError::Transient(reason) | DeliveryError::Permanent(reason),
                )) => {
                    tracing::error!(id, %reason, "message could not be delivered; kept as failed");
                    outbox::mark_failed_in(&mut tx, id, &self.owner, &reason).await?;
                    if let Some(m) = &message
                        && tell_asker_not_posted(&mut tx, m, now_ms).await?
                    {
                        wake = true;
                    }
                    outcome.failed += 1;
                }
            }
        }
        outbox::mark_many_sent_in(&mut tx, &sent, &self.owner, now_ms).await?;
        outbox::release_many_in(&mut tx, &untried, &self.owner).await?;
        tx.commit().await?;
        if wake {
            self.wake.notify_one();
        }
        Ok(outcome)
    }

    /// The messages of a run task that panicked outside its attempts (each attempt is a task of
    /// its own, whose panic is that message's failure): each may or may not be in Slack, and
    /// it counts as an attempt, so a run that panics every time ends as failed after
    /// `max_attempts` instead of stopping its destination for good.
    async fn after_panic(&self, ids: &[i64]) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let next =
            storage::millis(self.clock.now()) + self.settings.backoff_base.as_millis() as i64;
        let mut tx = self.store.begin().await?;
        for id in ids {
            outbox::mark_retry_in(
                &mut tx,
                *id,
                &self.owner,
                next,
                "the send panicked",
                true,
                Doubt::Unknown,
            )
            .await?;
        }
        outbox::fail_exhausted_in(&mut tx, ids, self.settings.max_attempts).await?;
        tx.commit().await?;
        self.wake.notify_one();
        Ok(())
    }

    /// For a help request's first post: records its ts and queues the link for the asker.
    /// True when a message was queued.
    async fn record_post(
        &self,
        tx: &mut storage::Tx,
        message: &OutboundMessage,
        delivered: &Delivered,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let (Body::AskPost(post), Destination::Channel { channel, .. }, Some(ts)) =
            (&message.body, &message.to, &delivered.ts)
        else {
            return Ok(false);
        };
        // The recorded ts, which is this one unless an earlier send of the same post got
        // through before a crash: the link must point where reactions and replies count.
        let recorded =
            storage::ask::set_post_ts(tx, post.request_id, ts, delivered.permalink.as_deref())
                .await?;
        let (Some(a), Some((ts, link))) = (&post.announce, recorded) else {
            return Ok(false);
        };
        let link = link
            .unwrap_or_else(|| super::permalink(a.team_domain.as_deref(), channel.as_str(), &ts));
        let body = Body::AskPosted {
            channel: channel.clone(),
            link,
        };
        super::enqueue(tx, &a.reply(body), now_ms).await?;
        Ok(true)
    }

    /// Delivers until `shutdown` turns true, then finishes the runs in flight and records
    /// them. Up to `max_in_flight` destinations send at once; finished runs are recorded
    /// together and the room they leave is filled by the next claim, so a slow send holds up
    /// only its own destination.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(owner = %self.owner, "outbox worker started");
        let max = self.settings.max_in_flight;
        let mut set: JoinSet<RunDone> = JoinSet::new();
        // The ids being sent. A claim never returns one of them while its lease holds, but the
        // clock may jump (a test moving it, the wall clock corrected): a message this worker is
        // still sending must not be started a second time.
        let mut sending: HashSet<i64> = HashSet::new();
        // The messages of each run in flight, by its task, for when a task panics.
        let mut in_flight: HashMap<tokio::task::Id, Vec<i64>> = HashMap::new();
        let mut claim_now = true;
        let mut stopping = false;
        // When a message put back for later (a retry, a paced send) is due again.
        let mut due_at: Option<tokio::time::Instant> = None;
        loop {
            stopping |= *shutdown.borrow();
            if due_at.is_some_and(|t| tokio::time::Instant::now() >= t) {
                due_at = None;
                claim_now = true;
            }
            let room = max.saturating_sub(set.len());
            if claim_now && !stopping && room > 0 {
                let limit = room.min(self.settings.batch_size as usize);
                let claimed_at = tokio::time::Instant::now();
                match self.claim(limit).await {
                    Ok(runs) => {
                        // A full claim says more may be due: claim again at once.
                        claim_now = runs.len() == limit;
                        let mut again = Vec::new();
                        for run in runs {
                            if run.items.iter().any(|c| sending.contains(&c.id)) {
                                again.extend(
                                    run.items
                                        .iter()
                                        .map(|c| c.id)
                                        .filter(|id| !sending.contains(id)),
                                );
                                continue;
                            }
                            let ids: Vec<i64> = run.items.iter().map(|c| c.id).collect();
                            sending.extend(ids.iter().copied());
                            let task =
                                self.start(&mut set, run, claimed_at, Some(shutdown.clone()));
                            in_flight.insert(task, ids);
                        }
                        if let Err(e) = outbox::release_many(&self.store, &again, &self.owner).await
                        {
                            tracing::error!(error = ?e, "giving back outbox messages failed");
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, "claiming outbox messages failed");
                        claim_now = false;
                    }
                }
                if claim_now && set.len() < max {
                    continue;
                }
            }
            if stopping && set.is_empty() {
                break;
            }
            let due = async {
                match due_at {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                Some(first) = set.join_next_with_id(), if !set.is_empty() => {
                    let mut finished = RunDone::default();
                    let mut panicked = Vec::new();
                    for one in std::iter::once(first).chain(std::iter::from_fn(|| set.try_join_next_with_id())) {
                        match one {
                            Ok((task, one)) => {
                                in_flight.remove(&task);
                                finished.absorb(one);
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "a send task panicked");
                                crate::metrics::METRICS.task_panics.with_label_values(&["send"]).inc();
                                panicked.extend(in_flight.remove(&e.id()).unwrap_or_default());
                            }
                        }
                    }
                    for id in finished.done.iter().map(|d| d.id).chain(finished.untried.iter().copied()).chain(panicked.iter().copied()) {
                        sending.remove(&id);
                    }
                    if let Err(e) = self.after_panic(&panicked).await {
                        tracing::error!(error = ?e, "recording a panicked send failed");
                    }
                    match self.record(finished).await {
                        Ok(Outcome { wake_in: Some(wait), .. }) => {
                            let at = tokio::time::Instant::now() + wait;
                            due_at = Some(due_at.map_or(at, |d| d.min(at)));
                        }
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = ?e, "recording outbox outcomes failed"),
                    }
                    claim_now = true;
                }
                _ = self.wake.notified(), if !stopping => claim_now = true,
                _ = tokio::time::sleep(self.settings.poll_interval), if !stopping => claim_now = true,
                _ = due => {}
                _ = shutdown.changed(), if !stopping => stopping = true,
            }
        }
        tracing::info!(owner = %self.owner, "outbox worker stopped");
    }
}

/// What became of claimed runs: the messages tried (or found paced), and those not reached.
#[derive(Default)]
struct RunDone {
    done: Vec<Done>,
    untried: Vec<i64>,
}

impl RunDone {
    fn absorb(&mut self, other: RunDone) {
        self.done.extend(other.done);
        self.untried.extend(other.untried);
    }
}

/// A claimed message once its send is over.
struct Done {
    id: i64,
    attempts: i64,
    message: Option<OutboundMessage>,
    verdict: Verdict,
    /// `Some` when the verdict came from looking for an earlier attempt, not from sending: what
    /// was known before still holds.
    looked_up: Option<Doubt>,
    /// It was in doubt, and Slack does not have it: no earlier attempt got through.
    absent: bool,
}

impl Done {
    /// Whether the destination's next message may follow: this one left the queue (sent,
    /// superseded, failed for good), rather than waiting for another try.
    fn lets_next_go(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Tried(Ok(_))
                | Verdict::Superseded
                | Verdict::Unreadable(_)
                | Verdict::Tried(Err(DeliveryError::Permanent(_)))
        )
    }
}

enum Verdict {
    /// The payload could not be read: kept as failed.
    Unreadable(String),
    /// A redraw that a newer one has replaced: not sent, counted as done.
    Superseded,
    /// Its rate-limit scope is paused or paced: not sent, due again at this instant.
    Deferred(tokio::time::Instant),
    /// What Slack said.
    Tried(Result<Delivered, DeliveryError>),
}

/// Sends a destination's run one message after the other, while each goes; stops at the
/// first that must wait (its retry, a pause), past `use_by`, or when `stop` turns true, and
/// hands back the rest untried. Each attempt runs as a task of its own, so a panic in it is
/// that message's failure (retried in doubt, failed after `max_attempts`) rather than the
/// run's, and none may outlast `deadline` (three quarters of the lease): one attempt can make
/// several Slack calls (a lookup, the post, its permalink), and another worker may take the
/// message over once the lease is gone.
async fn send_run(
    store: Store,
    deliver: Arc<dyn Deliver>,
    pacer: Arc<Pacer>,
    run: Run,
    use_by: tokio::time::Instant,
    deadline: tokio::time::Instant,
    stop: Option<watch::Receiver<bool>>,
) -> RunDone {
    let mut out = RunDone::default();
    let mut items = run.items.into_iter();
    // A destination's messages leave in order, one run stopping at the first that does not
    // go: once one in doubt is known not to be in Slack, none after it can be either, and
    // they are sent without looking (after a crash, one lookup per destination, not per
    // message).
    let mut cleared = false;
    for mut item in items.by_ref() {
        item.in_doubt &= !cleared;
        let late =
            tokio::time::Instant::now() >= use_by || stop.as_ref().is_some_and(|s| *s.borrow());
        if late && !out.done.is_empty() {
            out.untried.push(item.id);
            break;
        }
        let (id, attempts) = (item.id, item.attempts);
        let message: OutboundMessage = match serde_json::from_str(&item.payload) {
            Ok(m) => m,
            Err(e) => {
                out.done.push(Done {
                    id,
                    attempts,
                    message: None,
                    verdict: Verdict::Unreadable(e.to_string()),
                    looked_up: None,
                    absent: false,
                });
                continue;
            }
        };
        let mut task = tokio::spawn(attempt(
            store.clone(),
            deliver.clone(),
            pacer.clone(),
            item,
            message.clone(),
        ));
        let done = match tokio::time::timeout_at(deadline, &mut task).await {
            Ok(Ok(done)) => done,
            Ok(Err(e)) => {
                tracing::error!(id, error = %e, "a send panicked");
                crate::metrics::METRICS
                    .task_panics
                    .with_label_values(&["send"])
                    .inc();
                lost(id, attempts, message, "the send panicked")
            }
            Err(_) => {
                task.abort();
                tracing::warn!(
                    id,
                    "a send outlasted its claim; it will be looked for and retried"
                );
                lost(id, attempts, message, "the send outlasted its claim")
            }
        };
        cleared |= done.absent;
        let go_on = done.lets_next_go();
        out.done.push(done);
        if !go_on {
            break;
        }
    }
    out.untried.extend(items.map(|c| c.id));
    out
}

/// An attempt whose outcome nobody saw: retried (in doubt, so looked for first) like a timeout.
fn lost(id: i64, attempts: i64, message: OutboundMessage, why: &str) -> Done {
    Done {
        id,
        attempts,
        message: Some(message),
        verdict: Verdict::Tried(Err(DeliveryError::Transient(why.into()))),
        looked_up: None,
        absent: false,
    }
}

/// Sends one claimed message (read already), unless it is superseded or its scope must wait.
async fn attempt(
    store: Store,
    deliver: Arc<dyn Deliver>,
    pacer: Arc<Pacer>,
    item: Claimed,
    message: OutboundMessage,
) -> Done {
    let mut looked_up = None;
    let mut absent = false;
    let verdict = match superseded(&store, &message).await {
        Ok(true) => Verdict::Superseded,
        Ok(false) => match pacer.admit(&message.to.rate_scope(), tokio::time::Instant::now()) {
            Some(until) => Verdict::Deferred(until),
            None => {
                let (result, lookup) = send_once(deliver.as_ref(), &item, &message).await;
                match lookup {
                    Lookup::Failed => looked_up = Some(Doubt::Unchanged),
                    Lookup::Absent => absent = true,
                    Lookup::NotNeeded | Lookup::Found => {}
                }
                Verdict::Tried(result)
            }
        },
        Err(e) => {
            // Nothing was sent: try again later, no doubt added.
            looked_up = Some(Doubt::Unchanged);
            Verdict::Tried(Err(DeliveryError::Transient(format!(
                "reading the post's version: {e}"
            ))))
        }
    };
    Done {
        id: item.id,
        attempts: item.attempts,
        message: Some(message),
        verdict,
        looked_up,
        absent,
    }
}

/// Sends `message`, unless an earlier attempt whose outcome is unknown already got it there.
/// True beside the result when it came from looking for the earlier attempt (nothing was sent).
async fn send_once(
    deliver: &dyn Deliver,
    item: &Claimed,
    message: &OutboundMessage,
) -> (Result<Delivered, DeliveryError>, Lookup) {
    let mut lookup = Lookup::NotNeeded;
    if item.in_doubt {
        match deliver.find_delivered(message, item.id).await {
            Ok(Some(found)) => {
                tracing::info!(
                    id = item.id,
                    "an earlier attempt got through: not sent again"
                );
                return (Ok(found), Lookup::Found);
            }
            Ok(None) => lookup = Lookup::Absent,
            // The conversation cannot be read (a scope missing, the bot not in it): better
            // twice than never.
            Err(DeliveryError::Permanent(reason)) => {
                tracing::warn!(id = item.id, %reason, "cannot look for an earlier attempt; sending again");
            }
            // Slack busy or limited: look again later rather than send blind.
            Err(e) => return (Err(e), Lookup::Failed),
        }
    }
    (deliver.deliver_tagged(message, item.id).await, lookup)
}

/// What looking for an earlier attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// Not in doubt, or the conversation cannot be read.
    NotNeeded,
    /// It is there: not sent again.
    Found,
    /// It is not there: no earlier attempt got through.
    Absent,
    /// Slack could not be asked: nothing was sent.
    Failed,
}

/// Whether `message` re-renders a question's post that a newer rendering has replaced
/// (a retried update delivered after a later one must not put an old state back).
async fn superseded(store: &Store, message: &OutboundMessage) -> anyhow::Result<bool> {
    let (Body::AskPost(post), Destination::Update { .. }) = (&message.body, &message.to) else {
        return Ok(false);
    };
    let mut conn = store.pool().acquire().await?;
    let current = storage::ask::post_version(&mut conn, post.request_id).await?;
    Ok(current.is_some_and(|v| post.version < v))
}

/// When a question could not be posted for good (the bot is not in the channel), the asker
/// hears so instead of waiting for answers that cannot come. True when a message was queued.
async fn tell_asker_not_posted(
    tx: &mut storage::Tx,
    message: &OutboundMessage,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let (Body::AskPost(post), Destination::Channel { channel, .. }) = (&message.body, &message.to)
    else {
        return Ok(false);
    };
    let Some(a) = &post.announce else {
        return Ok(false);
    };
    let reply = a.reply(Body::AskNotPosted {
        channel: channel.clone(),
    });
    storage::ask::withdraw_unposted(tx, post.request_id).await?;
    super::enqueue(tx, &reply, now_ms).await?;
    Ok(true)
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
