//! The Web API client (slack-morphism over hyper + rustls), pointed at `SLACK_API_URL`. It
//! implements the two ports the application needs: [`Deliver`] for the outbox and
//! [`UserDirectory`] for users.info.

use super::blocks;
use super::response_url::ResponseUrls;
use crate::app::{DirectoryError, DirectoryUser, UserDirectory};
use crate::domain::UserId;
use crate::outbox::{Deliver, Delivered, DeliveryError, Destination, OutboundMessage};
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use std::sync::Arc;
use std::time::Duration;

type Connector = SlackClientHyperConnector<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
>;

/// Slack's Web API with our bot token.
#[derive(Clone)]
pub struct SlackApi {
    client: Arc<SlackClient<Connector>>,
    token: SlackApiToken,
    timeout: Duration,
    /// Where answers to commands and buttons may be sent.
    response_urls: ResponseUrls,
    /// When each person's Home tab was last published.
    pub home_throttle: HomeThrottle,
}

/// At most one `views.publish` per person per [`HomeThrottle::MIN_INTERVAL`], coalesced: a
/// change within the interval schedules one publish at its end, and further changes meanwhile
/// ride along with it. A burst of thanks to one busy person costs two publishes, and the Tier 4
/// limit is kept for everyone.
#[derive(Default, Clone)]
pub struct HomeThrottle {
    last: Arc<std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, bool)>>>,
}

/// When to publish someone's Home tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomePlan {
    Now,
    /// After this long (one publish is now scheduled).
    After(Duration),
    /// One is already scheduled, and will show this change too.
    Scheduled,
}

impl HomeThrottle {
    pub const MIN_INTERVAL: Duration = Duration::from_secs(5);

    /// When `user`'s tab may be published, recording the plan.
    pub fn plan(&self, user: &str) -> HomePlan {
        let now = std::time::Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.retain(|_, (t, pending)| *pending || now.duration_since(*t) < Self::MIN_INTERVAL);
        match last.get_mut(user) {
            None => {
                last.insert(user.to_owned(), (now, false));
                HomePlan::Now
            }
            Some((_, true)) => HomePlan::Scheduled,
            Some((t, pending)) => {
                let wait = Self::MIN_INTERVAL.saturating_sub(now.duration_since(*t));
                *pending = true;
                HomePlan::After(wait)
            }
        }
    }

    /// The scheduled publish is happening now.
    pub fn publishing(&self, user: &str) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.insert(user.to_owned(), (std::time::Instant::now(), false));
    }
}

/// Errors Slack documents as temporary.
const TRANSIENT_CODES: &[&str] = &[
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "ratelimited",
];

/// When Slack answers 429 without a Retry-After.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

impl SlackApi {
    /// Where answers to commands and buttons may be sent.
    pub fn response_urls(&self) -> &ResponseUrls {
        &self.response_urls
    }

    /// `api_url` is the Web API base (`https://slack.com/api/`, or a fake Slack in tests).
    pub fn new(api_url: &str, bot_token: &str, timeout: Duration) -> anyhow::Result<Self> {
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        // The host's CA store when it has one (corporate proxies); Mozilla's roots otherwise,
        // so the single binary also runs on a bare container.
        let builder = match builder.with_native_roots() {
            Ok(b) => b,
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots(),
        };
        let https = builder
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .build();
        // slack-morphism joins the base and the method with a '/' of its own.
        let connector = SlackClientHyperConnector::with_connector(https)
            .with_slack_api_url(api_url.trim_end_matches('/'));
        Ok(Self {
            client: Arc::new(SlackClient::new(connector)),
            token: SlackApiToken::new(SlackApiTokenValue::new(bot_token.to_owned())),
            timeout,
            response_urls: ResponseUrls::for_api(api_url),
            home_throttle: HomeThrottle::default(),
        })
    }

    async fn timed<T>(
        &self,
        f: impl Future<Output = Result<T, SlackClientError>>,
    ) -> Result<T, DeliveryError> {
        match tokio::time::timeout(self.timeout, f).await {
            Ok(r) => r.map_err(classify),
            Err(_) => Err(DeliveryError::Transient(format!(
                "timed out after {:?}",
                self.timeout
            ))),
        }
    }
}

/// Maps slack-morphism's errors onto what the outbox does next.
fn classify(e: SlackClientError) -> DeliveryError {
    match e {
        SlackClientError::RateLimitError(r) => {
            DeliveryError::RateLimited(r.retry_after.unwrap_or(DEFAULT_RETRY_AFTER))
        }
        SlackClientError::ApiError(a) if TRANSIENT_CODES.contains(&a.code.as_str()) => {
            DeliveryError::Transient(a.code)
        }
        SlackClientError::ApiError(a) => DeliveryError::Permanent(a.code),
        SlackClientError::HttpError(h)
            if h.status_code.is_server_error() || h.status_code.as_u16() == 408 =>
        {
            DeliveryError::Transient(format!("HTTP {}", h.status_code))
        }
        SlackClientError::HttpError(h) => {
            DeliveryError::Permanent(format!("HTTP {}", h.status_code))
        }
        // An HTTP 200 whose body could not be read: Slack most likely did what was asked, so
        // sending again could post twice. Recorded, not retried. (The error text, which holds the
        // whole body, e.g. a user's profile, is not kept.)
        SlackClientError::ProtocolError(_) => {
            DeliveryError::Permanent("unreadable answer from Slack".into())
        }
        SlackClientError::HttpProtocolError(_) => {
            DeliveryError::Transient("HTTP protocol error".into())
        }
        SlackClientError::EndOfStream(_) => {
            DeliveryError::Transient("connection closed early".into())
        }
        SlackClientError::SystemError(_) => DeliveryError::Transient("connection failed".into()),
        _ => DeliveryError::Transient("Slack client error".into()),
    }
}

/// What chat.postMessage answers where the bot is not a member and cannot join (a private
/// channel, a DM or group DM between people).
const CANNOT_POST_THERE: &[&str] = &["channel_not_found", "not_in_channel"];

/// Who sees an answer sent to a response_url.
#[derive(Clone, Copy, serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Visibility {
    Ephemeral,
    InChannel,
}

/// A response_url message; slack-morphism's webhook request has no `response_type`.
#[derive(serde::Serialize)]
struct ResponseUrlMessage {
    #[serde(flatten)]
    content: SlackMessageContent,
    response_type: Visibility,
    /// Replaces the message a button was pressed on.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    replace_original: bool,
}

impl SlackApi {
    async fn respond(
        &self,
        url: &str,
        content: SlackMessageContent,
        visibility: Visibility,
        replace_original: bool,
    ) -> Result<(), DeliveryError> {
        if !self.response_urls.allows(url) {
            return Err(DeliveryError::Permanent(
                "response_url outside Slack refused".into(),
            ));
        }
        let url: url::Url = url
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("bad response_url: {e}")))?;
        let body = ResponseUrlMessage {
            content,
            response_type: visibility,
            replace_original,
        };
        let span = tracing::debug_span!("slack_response_url");
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: None,
            tracing_span: &span,
            // The URL itself is a credential for this command's answers.
            is_sensitive_url: true,
        };
        let call = self
            .client
            .http_api
            .connector
            .http_post_uri::<_, SlackApiPostWebhookMessageResponse>(url, &body, context);
        self.timed(call).await.map(drop)
    }

    async fn post(
        &self,
        channel: &str,
        content: SlackMessageContent,
        thread_ts: Option<&str>,
    ) -> Result<Delivered, DeliveryError> {
        let mut req =
            SlackApiChatPostMessageRequest::new(SlackChannelId::new(channel.to_owned()), content);
        if let Some(ts) = thread_ts {
            req = req.with_thread_ts(SlackTs::new(ts.to_owned()));
        }
        let session = self.client.open_session(&self.token);
        let resp = self.timed(session.chat_post_message(&req)).await?;
        Ok(Delivered {
            ts: Some(resp.ts.to_string()),
        })
    }

    async fn update(
        &self,
        channel: &str,
        ts: &str,
        content: SlackMessageContent,
    ) -> Result<Delivered, DeliveryError> {
        let req = SlackApiChatUpdateRequest::new(
            SlackChannelId::new(channel.to_owned()),
            content,
            SlackTs::new(ts.to_owned()),
        );
        let session = self.client.open_session(&self.token);
        self.timed(session.chat_update(&req)).await?;
        Ok(Delivered::default())
    }
}

impl SlackApi {
    /// Opens a modal for the person whose click gave `trigger_id` (valid for 3 seconds, so
    /// this is called from the interaction itself, not through the outbox). A modal is not a
    /// message: nothing is lost if it fails, the person is told to press again.
    /// `views.publish`: the Home tab of `user`. Not a message, so not through the outbox; the
    /// dispatch throttles it per person ([`HomeThrottle`]).
    pub async fn publish_home(&self, user: &str, view: SlackView) -> Result<(), DeliveryError> {
        let req = SlackApiViewsPublishRequest::new(SlackUserId::new(user.to_owned()), view);
        let session = self.client.open_session(&self.token);
        self.timed(session.views_publish(&req)).await.map(drop)
    }

    pub async fn open_modal(&self, trigger_id: &str, view: SlackView) -> Result<(), DeliveryError> {
        let req = SlackApiViewsOpenRequest::new(SlackTriggerId::new(trigger_id.to_owned()), view);
        let session = self.client.open_session(&self.token);
        self.timed(session.views_open(&req)).await.map(drop)
    }
}

#[async_trait::async_trait]
impl Deliver for SlackApi {
    async fn deliver(&self, message: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        let content = blocks::render(message);
        match &message.to {
            Destination::Channel {
                channel,
                fallback_response_url,
            } => match (
                self.post(channel.as_str(), content.clone(), None).await,
                fallback_response_url,
            ) {
                (Err(DeliveryError::Permanent(code)), Some(url))
                    if CANNOT_POST_THERE.contains(&code.as_str()) =>
                {
                    tracing::info!(%code, "the bot may not post there: posting through the command's response_url");
                    self.respond(url, content, Visibility::InChannel, false)
                        .await
                        .map(|()| Delivered::default())
                }
                (result, _) => result,
            },
            // A user ID as the channel sends a DM from the bot.
            Destination::Direct { user } => self.post(user.as_str(), content, None).await,
            Destination::Thread { channel, thread_ts } => {
                self.post(channel.as_str(), content, Some(thread_ts)).await
            }
            Destination::Update { channel, ts } => self.update(channel.as_str(), ts, content).await,
            Destination::ResponseUrl {
                url,
                replace_original,
            } => self
                .respond(url, content, Visibility::Ephemeral, *replace_original)
                .await
                .map(|()| Delivered::default()),
        }
    }
}

impl SlackApi {
    /// users.info with its URL kept out of the logs: the URL names the person, and next to a
    /// log line about an anonymous question it would say who asked it.
    async fn users_info(
        &self,
        user: &UserId,
    ) -> Result<SlackApiUsersInfoResponse, SlackClientError> {
        let span = tracing::debug_span!("slack_users_info");
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: Some(&self.token),
            tracing_span: &span,
            is_sensitive_url: true,
        };
        self.client
            .http_api
            .connector
            .http_get(
                "users.info",
                &[
                    ("user", Some(user.as_str())),
                    ("include_locale", Some("true")),
                ],
                context,
            )
            .await
    }
}

#[async_trait::async_trait]
impl UserDirectory for SlackApi {
    async fn lookup(&self, user: &UserId) -> Result<Option<DirectoryUser>, DirectoryError> {
        let mut answer = self.timed(self.users_info(user)).await;
        // users.info is Tier 4: a short 429 is worth one wait rather than refusing a thanks.
        if let Err(DeliveryError::RateLimited(wait)) = answer
            && wait <= Duration::from_secs(2)
        {
            tokio::time::sleep(wait).await;
            answer = self.timed(self.users_info(user)).await;
        }
        match answer {
            Ok(resp) => {
                let u = resp.user;
                Ok(Some(DirectoryUser {
                    // Slackbot is not flagged as a bot, but it is one. `is_app_user` marks a
                    // person who authorised this app (often the admin who installed it).
                    is_bot: u.flags.is_bot.unwrap_or(false) || user.as_str() == "USLACKBOT",
                    deleted: u.deleted.unwrap_or(false),
                    locale: u.locale.map(|l| l.to_string()),
                    tz: u.tz,
                }))
            }
            Err(DeliveryError::Permanent(code)) if code == "user_not_found" => Ok(None),
            Err(e) => Err(DirectoryError(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_morphism::errors::*;

    #[test]
    fn slack_errors_map_to_what_the_outbox_does_next() {
        let rate = SlackClientError::RateLimitError(
            SlackRateLimitError::new().with_retry_after(Duration::from_secs(7)),
        );
        assert_eq!(
            classify(rate),
            DeliveryError::RateLimited(Duration::from_secs(7))
        );
        let gone = SlackClientError::ApiError(SlackClientApiError::new("channel_not_found".into()));
        assert_eq!(
            classify(gone),
            DeliveryError::Permanent("channel_not_found".into())
        );
        let busy =
            SlackClientError::ApiError(SlackClientApiError::new("service_unavailable".into()));
        assert!(matches!(classify(busy), DeliveryError::Transient(_)));
        let five =
            SlackClientError::HttpError(SlackClientHttpError::new(http::StatusCode::BAD_GATEWAY));
        assert!(matches!(classify(five), DeliveryError::Transient(_)));
        let four =
            SlackClientError::HttpError(SlackClientHttpError::new(http::StatusCode::FORBIDDEN));
        assert!(matches!(classify(four), DeliveryError::Permanent(_)));
    }
}
