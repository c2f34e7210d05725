//! Exactly once across crashes: every post carries its outbox id in Slack's message metadata,
//! and a message whose earlier attempt's outcome is unknown (its worker died mid-send) is
//! looked for in the conversation before it is sent again.

use crate::both_backends;
use crate::helpers::*;
use otagai::outbox::{Deliver, Delivered, DeliveryError, OutboundMessage, OutboxWorker};
use otagai::slack::SlackApi;
use std::sync::Arc;
use std::time::{Duration, Instant};

both_backends!(a_worker_killed_between_slacks_answer_and_the_mark_then_restarted_delivers_once,);

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
        Options {
            worker: false,
            scheduler: false,
            settings: Box::new(|s| s.outbox.lease = Duration::from_secs(2)),
            ..Default::default()
        },
    )
    .await;
    app.slack.add_user("UGIVER", "en-US");
    app.slack.add_user("UBOB", "en-US");
    let reply = app
        .thanks("UGIVER", "<@UBOB> +1 stayed late to fix the release")
        .await;
    assert!(reply.contains("is on its way"), "{reply}");
    assert_eq!(app.outbox_counts().await, (2, 0, 0), "the post and the DM");

    let slack = Arc::new(
        SlackApi::new(
            &app.slack.api_url,
            BOT_TOKEN,
            Duration::from_secs(5),
            app.settings.commands.clone(),
        )
        .unwrap(),
    );
    let doomed = OutboxWorker::new(
        app.store.clone(),
        Arc::new(SendsThenDies(slack)),
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
