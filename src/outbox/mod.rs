//! The one path by which messages leave: use-cases write [`OutboundMessage`]s into the outbox
//! table in their own transaction; the [`worker`] claims them with a lease, hands each to a
//! [`Deliver`] (Slack in production, the console in `otagai try`) and records the outcome.
//!
//! Sends run side by side, one at a time per destination, in the order written. A post carries
//! its outbox id in Slack's message metadata, so after a crash mid-send the worker looks before
//! sending again: exactly once where Slack can be read back, at-least-once for response_urls.
//! Nothing is ever dropped: a 429 pauses what it was about for `Retry-After`, 5xx and timeouts
//! back off, permanent errors are kept with the reason. See docs/design.md, "The outbox".

mod ask;
pub mod home;
mod message;
mod one_on_one;
pub mod pace;
pub mod worker;

pub use ask::{Announce, AskNudge, AskPost, NudgeText, excerpt, permalink};
pub use home::{HOME_REFRESH_INTERVAL, HomeRefresher, HomeSource};
pub use message::{Body, Destination, OutboundMessage};
pub use one_on_one::{ListedItem, ReminderDm, ReminderParts};
pub use worker::{OutboxWorker, Outcome};

use crate::storage::{self, Conn};
use std::time::Duration;

/// Writes `message` to the outbox inside the caller's transaction, with the key that keeps its
/// destination's order ([`Destination::order_key`]).
pub async fn enqueue(
    conn: &mut Conn,
    message: &OutboundMessage,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let payload = serde_json::to_string(message)?;
    Ok(storage::outbox::enqueue(conn, &payload, &message.to.order_key(), now_ms).await?)
}

/// Why a message could not be delivered this time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Slack said 429: wait this long, then try again. Does not count as an attempt.
    #[error("rate limited, retry after {0:?}")]
    RateLimited(Duration),
    /// 5xx, timeout, connection trouble: try again later.
    #[error("transient: {0}")]
    Transient(String),
    /// Slack refused it for good (`channel_not_found`, `not_in_channel`, …).
    #[error("permanent: {0}")]
    Permanent(String),
    /// Slack refused the token or a scope (`invalid_auth`, `token_revoked`, `account_inactive`,
    /// `missing_scope: chat:write`): nothing is wrong with the message, so it is held, not
    /// failed, and goes out once an operator fixes the token or reinstalls the app. Does not
    /// count as an attempt.
    #[error("refused by Slack: {0}")]
    Unauthorized(String),
}

/// Something that can deliver a message: the Slack Web API, or the `try` console.
#[async_trait::async_trait]
pub trait Deliver: Send + Sync {
    async fn deliver(&self, message: &OutboundMessage) -> Result<Delivered, DeliveryError>;

    /// Delivers outbox message `outbox_id`, tagged with its id where the destination keeps
    /// such a tag (Slack's message metadata), so [`Deliver::find_delivered`] can find it.
    async fn deliver_tagged(
        &self,
        message: &OutboundMessage,
        outbox_id: i64,
    ) -> Result<Delivered, DeliveryError> {
        let _ = outbox_id;
        self.deliver(message).await
    }

    /// Publishes `user`'s Home tab (built at this moment by the refresher). Where there is no
    /// Home tab (the console) it is not published.
    async fn publish_home(
        &self,
        user: &crate::domain::UserId,
        tab: &crate::app::HomeTab,
    ) -> Result<(), DeliveryError> {
        let _ = (user, tab);
        Err(DeliveryError::Permanent("no Home tab here".into()))
    }

    /// Whether tagged message `outbox_id`, whose earlier attempt's outcome is unknown, is
    /// already there. `Ok(None)`: not found, or it cannot be looked up (a response_url).
    async fn find_delivered(
        &self,
        message: &OutboundMessage,
        outbox_id: i64,
    ) -> Result<Option<Delivered>, DeliveryError> {
        let _ = (message, outbox_id);
        Ok(None)
    }
}

/// What Slack said about a delivered message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    /// The ts of a posted message (chat.postMessage), when Slack gave one.
    pub ts: Option<String>,
    /// Its link as Slack gives it (chat.getPermalink), asked for a question's post only.
    pub permalink: Option<String>,
}
