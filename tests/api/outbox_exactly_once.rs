//! Exactly once across crashes: every post carries its outbox id in Slack's message metadata,
//! and a message whose earlier attempt's outcome is unknown (its worker died mid-send) is
//! looked for in the conversation before it is sent again.

use crate::both_backends;
use crate::fake_slack::Scripted;
use crate::helpers::*;
use otagai::outbox::{Deliver, Delivered, DeliveryError, OutboundMessage, OutboxWorker};
use otagai::slack::SlackApi;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the test commands are typed.
const CHANNEL: &str = "C0GENERAL";

both_backends!(
    a_worker_killed_between_slacks_answer_and_the_mark_then_restarted_delivers_once,
    a_post_whose_answer_was_lost_is_looked_for_before_it_is_retried,
    a_lookup_that_fails_keeps_the_message_in_doubt,
    a_send_that_panics_does_not_stop_delivery,
    a_send_that_never_ends_is_given_up_before_its_claim_runs_out,
    a_message_that_always_panics_ends_as_failed_and_its_channel_moves_on,
    after_a_crash_one_lookup_per_destination_clears_the_messages_behind_it,
);

/// A worker claimed three thanks to one channel and died before sending any: each is in doubt,
/// but once the first is known not to be in Slack, the two behind it cannot be either (a
/// channel's messages leave in order), so the new worker looks once, not three times.
async fn after_a_crash_one_lookup_per_destination_clears_the_messages_behind_it(backend: Backend) {
    let app = spawn_app_with(backend, Options::manual(|_| {})).await;
    app.slack.add_user("UGIVER", "en-US");
    for who in ["UBOB", "UCAROL", "UDAVE"] {
        app.slack.add_user(who, "en-US");
        app.thanks(
            "UGIVER",
            &format!("<@{who}> +1 stayed late to fix the release"),
        )
        .await;
    }
    let now = otagai::storage::millis(chrono::Utc::now());
    let claimed =
        otagai::storage::outbox::claim(&app.store, "worker-that-died", now, now + 1000, 10, 32)
            .await
            .unwrap();
    assert_eq!(claimed.iter().map(|r| r.items.len()).sum::<usize>(), 6);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let worker = app.worker();
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        worker.try_execute_task().await.unwrap();
    }
    assert_eq!(app.slack.posts_in(CHANNEL).len(), 3, "each post once");
    assert_eq!(
        app.slack.calls("conversations.history").len(),
        4,
        "one lookup for the channel, one per DM conversation"
    );
}

/// Delivers through Slack, then never returns: the process dies before it can record.
struct SendsThenDies(Arc<SlackApi>);

#[async_trait::async_trait]
impl Deliver for SendsThenDies {
    async fn deliver(&self, m: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        self.0.deliver(m).await?;
        std::future::pending().await
    }

    async fn deliver_tagged(
        &self,
        m: &OutboundMessage,
        id: i64,
    ) -> Result<Delivered, DeliveryError> {
        self.0.deliver_tagged(m, id).await?;
        std::future::pending().await
    }
}

async fn a_worker_killed_between_slacks_answer_and_the_mark_then_restarted_delivers_once(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| s.outbox.lease = Duration::from_secs(2)),
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let reply = app
        .thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    assert!(reply.contains("is on its way"), "{reply}");
    assert_eq!(app.outbox_counts().await, (2, 0, 0), "the post and the DM");

    let doomed = OutboxWorker::new(
        app.store.clone(),
        Arc::new(SendsThenDies(client(&app))),
        app.settings.outbox.clone(),
        app.app.outbox_wake.clone(),
    );
    let step = tokio::spawn(async move { doomed.try_execute_task().await });
    app.slack
        .wait_for("chat.postMessage", 2, Duration::from_secs(20))
        .await;
    step.abort(); // killed: Slack has both, the outbox knows nothing
    let _ = step.await;
    assert_eq!(app.outbox_counts().await, (2, 0, 0));
    for body in app.slack.accepted("chat.postMessage") {
        assert_eq!(body["metadata"]["event_type"], "otagai_outbox", "{body}");
        assert!(
            body["metadata"]["event_payload"]["outbox_id"].is_string(),
            "{body}"
        );
    }

    // Restarted: once the dead worker's lease runs out, a new one takes over.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let worker = app.worker();
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        worker.try_execute_task().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.outbox_counts().await, (0, 2, 0));
    assert_eq!(
        app.slack.accepted("chat.postMessage").len(),
        2,
        "neither the post nor the DM was sent again"
    );
    assert!(!app.slack.calls("conversations.history").is_empty());
    assert_eq!(
        app.slack.calls("conversations.open").len(),
        1,
        "the DM's conversation"
    );
}

/// The post reached Slack but its answer did not reach us (a 504 on the way back): the retry
/// finds it by its metadata instead of posting it a second time.
async fn a_post_whose_answer_was_lost_is_looked_for_before_it_is_retried(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| s.outbox.backoff_base = Duration::from_millis(10)),
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let reply = app
        .thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    assert!(reply.contains("is on its way"), "{reply}");
    app.slack.script_channel(CHANNEL, Scripted::LostAnswer);
    let worker = app.worker();
    let o = worker.try_execute_task().await.unwrap();
    assert_eq!(
        (o.sent, o.retried),
        (1, 1),
        "the DM went, the post is retried: {o:?}"
    );
    assert_eq!(app.slack.posts_in(CHANNEL).len(), 1, "Slack has the post");
    assert!(app.slack.calls("conversations.history").is_empty());

    let deadline = Instant::now() + Duration::from_secs(10);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        worker.try_execute_task().await.unwrap();
    }
    assert_eq!(app.outbox_counts().await, (0, 2, 0));
    assert_eq!(
        app.slack.posts_in(CHANNEL).len(),
        1,
        "the retry found the post and did not make a second"
    );
    assert_eq!(app.slack.calls("conversations.history").len(), 1);
}

/// When looking for an earlier attempt fails (Slack busy), nothing is sent, and the next try
/// looks again rather than sending blind.
async fn a_lookup_that_fails_keeps_the_message_in_doubt(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| s.outbox.backoff_base = Duration::from_millis(10)),
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    app.slack.script_channel(CHANNEL, Scripted::LostAnswer);
    app.slack
        .script("conversations.history", Scripted::ServerError);
    let worker = app.worker();
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        worker.try_execute_task().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.slack.calls("conversations.history").len(),
        2,
        "looked once (Slack failed), then again"
    );
    assert_eq!(app.slack.posts_in(CHANNEL).len(), 1, "never a second post");
}

/// What goes wrong with a post to a channel.
#[derive(Clone, Copy)]
enum Fault {
    /// The send panics, as a bug would.
    Panic,
    /// The send never ends (a call that hangs).
    Hang,
}

/// Delivers through Slack, except that the first `times` posts to a channel meet `fault`.
struct Faulty {
    slack: Arc<SlackApi>,
    fault: Fault,
    times: std::sync::atomic::AtomicUsize,
}

impl Faulty {
    fn new(app: &TestApp, fault: Fault, times: usize) -> Arc<Self> {
        Arc::new(Self {
            slack: client(app),
            fault,
            times: times.into(),
        })
    }
}

#[async_trait::async_trait]
impl Deliver for Faulty {
    async fn deliver(&self, m: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        self.slack.deliver(m).await
    }

    async fn deliver_tagged(
        &self,
        m: &OutboundMessage,
        id: i64,
    ) -> Result<Delivered, DeliveryError> {
        use std::sync::atomic::Ordering::SeqCst;
        let faulty = matches!(m.to, otagai::outbox::Destination::Channel { .. })
            && self
                .times
                .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
                .is_ok();
        match (faulty, self.fault) {
            (true, Fault::Panic) => panic!("a bug while sending"),
            (true, Fault::Hang) => std::future::pending().await,
            (false, _) => self.slack.deliver_tagged(m, id).await,
        }
    }

    async fn find_delivered(
        &self,
        m: &OutboundMessage,
        id: i64,
    ) -> Result<Option<Delivered>, DeliveryError> {
        self.slack.find_delivered(m, id).await
    }
}

fn client(app: &TestApp) -> Arc<SlackApi> {
    Arc::new(
        SlackApi::new(
            &app.slack.api_url,
            BOT_TOKEN,
            Duration::from_secs(5),
            app.settings.commands.clone(),
        )
        .unwrap(),
    )
}

/// A thanks (a post and a DM) delivered by the long-running worker over `deliver`: waits until
/// both are recorded as sent, then stops the worker.
async fn thank_and_run_worker_until_sent(app: &TestApp, deliver: Arc<dyn Deliver>) {
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let worker = OutboxWorker::new(
        app.store.clone(),
        deliver,
        app.settings.outbox.clone(),
        app.app.outbox_wake.clone(),
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run(stopped));
    app.thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    app.app.outbox_wake.notify_one();
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.outbox_counts().await != (0, 2, 0) {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    running.await.unwrap();
}

/// A send that never ends is given up before its claim does (so no other worker can take
/// the message over while it is still being sent), and retried in doubt.
async fn a_send_that_never_ends_is_given_up_before_its_claim_runs_out(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| {
            s.outbox.lease = Duration::from_secs(2);
            s.outbox.backoff_base = Duration::from_millis(50);
        }),
    )
    .await;
    thank_and_run_worker_until_sent(&app, Faulty::new(&app, Fault::Hang, 1)).await;
    assert_eq!(app.slack.posts_in(CHANNEL).len(), 1, "the post, once");
    assert_eq!(
        app.slack.calls("conversations.history").len(),
        1,
        "looked for before it was sent again"
    );
}

/// A send that panics neither stops the worker nor loses its message: the worker goes on
/// with everything else and sends that message again (once) after a backoff.
async fn a_send_that_panics_does_not_stop_delivery(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| s.outbox.backoff_base = Duration::from_millis(50)),
    )
    .await;
    thank_and_run_worker_until_sent(&app, Faulty::new(&app, Fault::Panic, 1)).await;
    assert_eq!(app.slack.posts_in(CHANNEL).len(), 1, "the post, once");
}

/// A message that makes the sender panic every time ends as failed after max_attempts, and
/// the messages after it to the same channel go.
async fn a_message_that_always_panics_ends_as_failed_and_its_channel_moves_on(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options::manual(|s| {
            s.outbox.max_attempts = 3;
            s.outbox.backoff_base = Duration::from_millis(10);
        }),
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    app.thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    let worker = OutboxWorker::new(
        app.store.clone(),
        Faulty::new(&app, Fault::Panic, usize::MAX),
        app.settings.outbox.clone(),
        app.app.outbox_wake.clone(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.outbox_counts().await.0 > 0 {
        assert!(Instant::now() < deadline, "{:?}", app.outbox_counts().await);
        worker.try_execute_task().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.outbox_counts().await,
        (0, 1, 1),
        "the DM sent, the post failed"
    );
}
