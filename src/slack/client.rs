//! The Web API client (slack-morphism over hyper + rustls), pointed at `SLACK_API_URL`. It
//! implements the two ports the application needs: [`Deliver`] for the outbox and
//! [`UserDirectory`] for users.info.

use super::blocks;
use super::response_url::ResponseUrls;
use crate::app::{DirectoryError, DirectoryUser, UserDirectory};
use crate::commands::CommandNames;
use crate::domain::UserId;
use crate::outbox::pace::Pacer;
use crate::outbox::{Deliver, Delivered, DeliveryError, Destination, OutboundMessage};
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use std::sync::{Arc, RwLock};
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
    /// What Slack last said about the bot token.
    auth: Arc<RwLock<AuthState>>,
    /// When the current refusal was last seen: only a call that started after it shows the
    /// token works again (calls in flight at that moment prove nothing).
    refused_at: Arc<RwLock<Option<std::time::Instant>>>,
    /// users.info's tier (Tier 4, about 100 calls a minute): after a 429 every caller waits
    /// its Retry-After, then calls are paced until Slack has been quiet a while.
    users_info: Arc<Pacer>,
    /// The commands as this workspace names them, for the messages rendered here.
    commands: CommandNames,
}

/// The longest a lookup waits for users.info's pause or pace; past that it fails (a stale cache
/// entry is used when there is one).
const USERS_INFO_MAX_WAIT: Duration = Duration::from_secs(2);

/// What Slack last said about the bot token, for `/readyz` and the logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    /// Not checked yet (Slack could not be reached).
    Unknown,
    /// `auth.test` answered: the bot user and the workspace.
    Accepted { bot: String, team: String },
    /// Slack refused the token or a scope (`invalid_auth`, `token_revoked`, `missing_scope: …`).
    Refused(String),
}

/// Who the bot token belongs to.
#[derive(Debug, Clone)]
pub struct BotIdentity {
    pub user_id: String,
    pub team_id: String,
    pub team: String,
}

/// One Web API method the code calls, and the bot scopes it needs. Every call to Slack's Web
/// API has its line here (a test reads the source to make sure), and the manifest requests
/// exactly these scopes (plus those of the events it subscribes to): adding a method is adding
/// a line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WebApiMethod {
    /// Slack's name for it.
    pub method: &'static str,
    /// How the code calls it (read by the test that checks the table against the source): slack-morphism's function (`chat_post_message`), or Slack's name
    /// when it is called by name (`http_get("users.info", …)`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub call: &'static str,
    pub scopes: &'static [&'static str],
}

/// The Web API methods otagai calls with the bot token.
pub(crate) const WEB_API_METHODS: &[WebApiMethod] = &[
    // Thanks, DMs (a user ID as the channel), thread replies; `chat:write.public` to post in a
    // public channel the bot was not invited to.
    WebApiMethod {
        method: "chat.postMessage",
        call: "chat_post_message",
        scopes: &["chat:write", "chat:write.public"],
    },
    WebApiMethod {
        method: "chat.update",
        call: "chat_update",
        scopes: &["chat:write"],
    },
    // Needs no scope: the trigger_id of a click is the permission.
    WebApiMethod {
        method: "views.open",
        call: "views_open",
        scopes: &[],
    },
    // The Home tab: no scope beyond the app's Home being on (the manifest's `app_home`).
    WebApiMethod {
        method: "views.publish",
        call: "views_publish",
        scopes: &[],
    },
    WebApiMethod {
        method: "users.info",
        call: "users.info",
        scopes: &["users:read"],
    },
    // Experts named as a user group see their topics' questions on the Home tab.
    WebApiMethod {
        method: "usergroups.users.list",
        call: "usergroups_users_list",
        scopes: &["usergroups:read"],
    },
    // Exactly once across crashes: before re-sending a message whose outcome is unknown, look
    // for it (by its metadata) in the conversation or thread, and find a DM's conversation.
    WebApiMethod {
        method: "conversations.history",
        call: "conversations.history",
        scopes: &[
            "channels:history",
            "groups:history",
            "im:history",
            "mpim:history",
        ],
    },
    WebApiMethod {
        method: "conversations.replies",
        call: "conversations.replies",
        scopes: &[
            "channels:history",
            "groups:history",
            "im:history",
            "mpim:history",
        ],
    },
    WebApiMethod {
        method: "conversations.open",
        call: "conversations_open",
        scopes: &["im:write"],
    },
    // The link to a question's post, asked for once when it is posted.
    WebApiMethod {
        method: "chat.getPermalink",
        call: "chat_get_permalink",
        scopes: &[],
    },
    // Whose token this is, at start and for /readyz: any token may ask.
    WebApiMethod {
        method: "auth.test",
        call: "auth_test",
        scopes: &[],
    },
    // Socket Mode: called with the app-level token, whose scope `connections:write` is granted
    // when that token is created, not in the bot's scopes.
    WebApiMethod {
        method: "apps.connections.open",
        call: "apps_connections_open",
        scopes: &[],
    },
];

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

    /// `api_url` is the Web API base (`https://slack.com/api/`, or a fake Slack in tests);
    /// messages name the commands as `commands` (the settings) call them.
    pub fn new(
        api_url: &str,
        bot_token: &str,
        timeout: Duration,
        commands: CommandNames,
    ) -> anyhow::Result<Self> {
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
            auth: Arc::new(RwLock::new(AuthState::Unknown)),
            refused_at: Arc::new(RwLock::new(None)),
            // Tier 4: about 100 a minute; quiet again after a minute without a 429.
            users_info: Arc::new(Pacer::new(
                Duration::from_millis(600),
                Duration::from_secs(60),
            )),
            commands,
        })
    }

    /// `auth.test`: whose token this is. A refusal is remembered for `/readyz`.
    pub async fn check_auth(&self) -> Result<BotIdentity, DeliveryError> {
        let session = self.client.open_session(&self.token);
        let answer = self.timed(session.auth_test()).await;
        let mut state = self.auth.write().expect("auth state lock");
        match &answer {
            Ok(a) => {
                *state = AuthState::Accepted {
                    bot: a.user_id.to_string(),
                    team: a.team.clone(),
                }
            }
            Err(DeliveryError::Permanent(code) | DeliveryError::Unauthorized(code)) => {
                *state = AuthState::Refused(code.clone())
            }
            Err(_) => {}
        }
        answer.map(|a| BotIdentity {
            user_id: a.user_id.to_string(),
            team_id: a.team_id.to_string(),
            team: a.team,
        })
    }

    /// Remembers a refusal of the token (for `/readyz` and one clear log line), and that it
    /// works again once a call succeeds.
    fn note_auth<T>(&self, started: std::time::Instant, result: &Result<T, DeliveryError>) {
        let refused = matches!(result, Err(DeliveryError::Unauthorized(_)));
        let recovered = result.is_ok()
            && self
                .refused_at
                .read()
                .expect("auth state lock")
                .is_some_and(|at| started > at);
        if !(refused || recovered) {
            return;
        }
        let mut state = self.auth.write().expect("auth state lock");
        let mut refused_at = self.refused_at.write().expect("auth state lock");
        match result {
            Err(DeliveryError::Unauthorized(code)) => {
                if *state != AuthState::Refused(code.clone()) {
                    tracing::error!(%code, "Slack refuses the bot token or a scope: messages are held until it is fixed (reinstall the app, or check SLACK_BOT_TOKEN)");
                }
                *state = AuthState::Refused(code.clone());
                *refused_at = Some(std::time::Instant::now());
            }
            Ok(_) => {
                tracing::info!("Slack accepts the bot token again: held messages go out");
                *state = AuthState::Unknown;
                *refused_at = None;
            }
            Err(_) => {}
        }
    }

    /// What Slack last said about the bot token.
    pub fn auth_state(&self) -> AuthState {
        self.auth.read().expect("auth state lock").clone()
    }

    async fn timed<T>(
        &self,
        f: impl Future<Output = Result<T, SlackClientError>>,
    ) -> Result<T, DeliveryError> {
        let started = std::time::Instant::now();
        match tokio::time::timeout(self.timeout, f).await {
            Ok(r) => {
                let r = r.map_err(classify);
                self.note_auth(started, &r);
                r
            }
            Err(_) => Err(DeliveryError::Transient(format!(
                "timed out after {:?}",
                self.timeout
            ))),
        }
    }
}

/// What Slack answers when the token, the account or a scope is the problem, not the message.
const AUTH_CODES: &[&str] = &[
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "missing_scope",
    "no_permission",
];

/// Maps slack-morphism's errors onto what the outbox does next.
fn classify(e: SlackClientError) -> DeliveryError {
    match e {
        SlackClientError::RateLimitError(r) => {
            DeliveryError::RateLimited(r.retry_after.unwrap_or(DEFAULT_RETRY_AFTER))
        }
        SlackClientError::ApiError(a) if TRANSIENT_CODES.contains(&a.code.as_str()) => {
            DeliveryError::Transient(a.code)
        }
        // Which scope is missing is in the answer's `needed`.
        SlackClientError::ApiError(a) if AUTH_CODES.contains(&a.code.as_str()) => {
            let needed = a
                .http_response_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
                .and_then(|v| v.get("needed").and_then(|n| n.as_str()).map(str::to_owned));
            DeliveryError::Unauthorized(match needed {
                Some(scope) => format!("{}: {scope}", a.code),
                None => a.code,
            })
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
        mut content: SlackMessageContent,
        thread_ts: Option<&str>,
        tag: Option<i64>,
    ) -> Result<Delivered, DeliveryError> {
        if let Some(id) = tag {
            content.metadata = Some(SlackMessageMetadata {
                event_type: OUTBOX_EVENT_TYPE.into(),
                event_payload: Some([("outbox_id".to_owned(), id.to_string())].into()),
            });
        }
        let mut req =
            SlackApiChatPostMessageRequest::new(SlackChannelId::new(channel.to_owned()), content);
        if let Some(ts) = thread_ts {
            req = req.with_thread_ts(SlackTs::new(ts.to_owned()));
        }
        let session = self.client.open_session(&self.token);
        let resp = self.timed(session.chat_post_message(&req)).await?;
        Ok(Delivered {
            ts: Some(resp.ts.to_string()),
            permalink: None,
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
    /// `views.publish`: the Home tab of `user`, called by the Home refresher (through
    /// [`Deliver::publish_home`]), which coalesces and throttles refreshes per person.
    async fn publish_view(&self, user: &str, view: SlackView) -> Result<(), DeliveryError> {
        let req = SlackApiViewsPublishRequest::new(SlackUserId::new(user.to_owned()), view);
        let session = self.client.open_session(&self.token);
        self.timed(session.views_publish(&req)).await.map(drop)
    }

    /// Opens a modal for the person whose click gave `trigger_id` (valid for 3 seconds, so
    /// this is called from the interaction itself, not through the outbox). A modal is not a
    /// message: nothing is lost if it fails, the person is told to press again.
    pub async fn open_modal(&self, trigger_id: &str, view: SlackView) -> Result<(), DeliveryError> {
        let req = SlackApiViewsOpenRequest::new(SlackTriggerId::new(trigger_id.to_owned()), view);
        let session = self.client.open_session(&self.token);
        self.timed(session.views_open(&req)).await.map(drop)
    }
}

/// The `event_type` of the metadata on every message the outbox posts: its payload's
/// `outbox_id` is how a re-send after a crash finds out whether the first attempt got through.
pub const OUTBOX_EVENT_TYPE: &str = "otagai_outbox";

/// How far back in a conversation a message in doubt is looked for.
const HISTORY_LOOKBACK: u16 = 200;

/// A page of conversations.history / conversations.replies, kept as JSON: only the ts and the
/// metadata of each message matter here.
#[derive(serde::Deserialize)]
struct HistoryPage {
    #[serde(default)]
    messages: Vec<serde_json::Value>,
}

impl SlackApi {
    /// Posts, updates or answers `message`; posts carry `tag` in their metadata.
    async fn send(
        &self,
        message: &OutboundMessage,
        tag: Option<i64>,
    ) -> Result<Delivered, DeliveryError> {
        let content = blocks::render(message, &self.commands);
        match &message.to {
            Destination::Channel {
                channel,
                fallback_response_url,
            } => match (
                self.post(channel.as_str(), content.clone(), None, tag)
                    .await,
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
                // A question's post: its link as Slack gives it, which works on every Slack
                // (Enterprise Grid, GovSlack); best effort, the domain-built link otherwise.
                (Ok(mut delivered), _)
                    if matches!(message.body, crate::outbox::Body::AskPost(_)) =>
                {
                    if let Some(ts) = &delivered.ts {
                        delivered.permalink = self.permalink(channel.as_str(), ts).await;
                    }
                    Ok(delivered)
                }
                (result, _) => result,
            },
            // A user ID as the channel sends a DM from the bot.
            Destination::Direct { user } => self.post(user.as_str(), content, None, tag).await,
            Destination::Thread { channel, thread_ts } => {
                self.post(channel.as_str(), content, Some(thread_ts), tag)
                    .await
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

    /// The messages of a conversation (or of one thread in it), newest first, with metadata.
    async fn recent(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
    ) -> Result<Vec<serde_json::Value>, DeliveryError> {
        let limit = HISTORY_LOOKBACK.to_string();
        let mut params = vec![
            ("channel", Some(channel.to_owned())),
            ("limit", Some(limit)),
            ("include_all_metadata", Some("true".to_owned())),
        ];
        let span = tracing::debug_span!("slack_history");
        let context = SlackClientApiCallContext {
            rate_control_params: None,
            token: Some(&self.token),
            tracing_span: &span,
            is_sensitive_url: false,
        };
        let connector = &self.client.http_api.connector;
        // Each method by its name, so the table of Web API methods can find the call.
        let page: Result<HistoryPage, SlackClientError> = match thread_ts {
            Some(ts) => {
                params.push(("ts", Some(ts.to_owned())));
                connector
                    .http_get("conversations.replies", &params, context)
                    .await
            }
            None => {
                connector
                    .http_get("conversations.history", &params, context)
                    .await
            }
        };
        Ok(self.timed(async { page }).await?.messages)
    }

    /// chat.getPermalink; `None` when Slack does not say.
    async fn permalink(&self, channel: &str, ts: &str) -> Option<String> {
        let req = SlackApiChatGetPermalinkRequest::new(
            SlackChannelId::new(channel.to_owned()),
            SlackTs::new(ts.to_owned()),
        );
        let session = self.client.open_session(&self.token);
        match self.timed(session.chat_get_permalink(&req)).await {
            Ok(resp) => Some(resp.permalink.to_string()),
            Err(e) => {
                tracing::warn!(error = %e, "no permalink from Slack; building the link from the domain");
                None
            }
        }
    }

    /// The ID of the bot's DM conversation with `user` (conversations.open).
    async fn im_channel(&self, user: &str) -> Result<String, DeliveryError> {
        let req = SlackApiConversationsOpenRequest::new()
            .with_users(vec![SlackUserId::new(user.to_owned())]);
        let session = self.client.open_session(&self.token);
        let resp = self.timed(session.conversations_open(&req)).await?;
        Ok(resp.channel.id.to_string())
    }
}

#[async_trait::async_trait]
impl Deliver for SlackApi {
    async fn deliver(&self, message: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        self.send(message, None).await
    }

    async fn deliver_tagged(
        &self,
        message: &OutboundMessage,
        outbox_id: i64,
    ) -> Result<Delivered, DeliveryError> {
        self.send(message, Some(outbox_id)).await
    }

    /// `views.publish` of the tab the refresher built.
    async fn publish_home(
        &self,
        user: &UserId,
        tab: &crate::app::HomeTab,
    ) -> Result<(), DeliveryError> {
        self.publish_view(user.as_str(), super::home::home_view(tab, &self.commands))
            .await
    }

    /// Looks for the message among the destination's recent messages by the `outbox_id` in
    /// its metadata. A redraw (chat.update) is simply sent again: it is idempotent. A
    /// response_url cannot be read back: it stays at-least-once.
    async fn find_delivered(
        &self,
        message: &OutboundMessage,
        outbox_id: i64,
    ) -> Result<Option<Delivered>, DeliveryError> {
        let (channel, thread_ts) = match &message.to {
            Destination::Channel { channel, .. } => (channel.to_string(), None),
            Destination::Thread { channel, thread_ts } => {
                (channel.to_string(), Some(thread_ts.as_str()))
            }
            Destination::Direct { user } => (self.im_channel(user.as_str()).await?, None),
            Destination::Update { .. } | Destination::ResponseUrl { .. } => return Ok(None),
        };
        let id = outbox_id.to_string();
        let found = self
            .recent(&channel, thread_ts)
            .await?
            .into_iter()
            .find(|m| {
                m["metadata"]["event_type"] == OUTBOX_EVENT_TYPE
                    && (m["metadata"]["event_payload"]["outbox_id"] == id.as_str()
                        || m["metadata"]["event_payload"]["outbox_id"] == outbox_id)
            });
        Ok(found.map(|m| Delivered {
            ts: m["ts"].as_str().map(str::to_owned),
            permalink: None,
        }))
    }
}

impl SlackApi {
    /// Waits for users.info's turn (at once unless Slack rate limited it lately).
    async fn users_info_turn(&self) -> Result<(), DirectoryError> {
        loop {
            let now = tokio::time::Instant::now();
            let Some(until) = self.users_info.admit("users.info", now) else {
                return Ok(());
            };
            if until - now > USERS_INFO_MAX_WAIT {
                return Err(DirectoryError(format!(
                    "users.info is rate limited for {:?}",
                    until - now
                )));
            }
            tokio::time::sleep_until(until).await;
        }
    }
}

impl SlackApi {
    /// `apps.connections.open` with the app-level token: a WebSocket URL for Socket Mode.
    pub async fn open_socket(&self, app_token: &str) -> Result<String, DeliveryError> {
        let token = SlackApiToken::new(SlackApiTokenValue::new(app_token.to_owned()));
        let session = self.client.open_session(&token);
        let answer = self
            .timed(session.apps_connections_open(&SlackApiAppsConnectionOpenRequest::new()))
            .await?;
        Ok(answer.url.0.to_string())
    }

    /// users.info with its URL kept out of the logs: the URL names the person, and next to a
    /// log line about an anonymous question it would say who asked it.
    async fn get_users_info(
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
        self.users_info_turn().await?;
        let mut answer = self.timed(self.get_users_info(user)).await;
        // users.info is Tier 4: a short 429 is worth one wait rather than refusing a thanks.
        if let Err(DeliveryError::RateLimited(wait)) = answer {
            self.users_info
                .limited("users.info", wait, tokio::time::Instant::now());
            if wait <= USERS_INFO_MAX_WAIT {
                self.users_info_turn().await?;
                answer = self.timed(self.get_users_info(user)).await;
            }
        }
        match answer {
            Ok(resp) => {
                let u = resp.user;
                let non_empty = |s: Option<&String>| s.filter(|s| !s.trim().is_empty()).cloned();
                let profile = u.profile.as_ref();
                let name = non_empty(profile.and_then(|p| p.display_name.as_ref()))
                    .or_else(|| non_empty(profile.and_then(|p| p.real_name.as_ref())))
                    .or_else(|| non_empty(u.real_name.as_ref()))
                    .or_else(|| non_empty(u.name.as_ref()));
                Ok(Some(DirectoryUser {
                    // Slackbot is not flagged as a bot, but it is one. `is_app_user` marks a
                    // person who authorised this app (often the admin who installed it).
                    is_bot: u.flags.is_bot.unwrap_or(false) || user.as_str() == "USLACKBOT",
                    deleted: u.deleted.unwrap_or(false),
                    locale: u.locale.map(|l| l.to_string()),
                    tz: u.tz,
                    name,
                }))
            }
            Err(DeliveryError::Permanent(code)) if code == "user_not_found" => Ok(None),
            Err(e) => Err(DirectoryError(e.to_string())),
        }
    }

    /// `usergroups.users.list` (Tier 2): the group's active members.
    async fn group_members(
        &self,
        group: &crate::domain::UserGroupId,
    ) -> Result<Vec<UserId>, DirectoryError> {
        let req = SlackApiUserGroupsUsersListRequest::new(SlackUserGroupId::new(
            group.as_str().to_owned(),
        ));
        let session = self.client.open_session(&self.token);
        let resp = self
            .timed(session.usergroups_users_list(&req))
            .await
            .map_err(|e| DirectoryError(e.to_string()))?;
        Ok(resp
            .users
            .iter()
            .filter_map(|u| UserId::parse(u.as_ref()).ok())
            .collect())
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
        let revoked = SlackClientError::ApiError(SlackClientApiError::new("token_revoked".into()));
        assert_eq!(
            classify(revoked),
            DeliveryError::Unauthorized("token_revoked".into())
        );
        let scope = SlackClientError::ApiError(
            SlackClientApiError::new("missing_scope".into()).with_http_response_body(
                r#"{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"users:read"}"#
                    .into(),
            ),
        );
        assert_eq!(
            classify(scope),
            DeliveryError::Unauthorized("missing_scope: chat:write".into())
        );
        let five =
            SlackClientError::HttpError(SlackClientHttpError::new(http::StatusCode::BAD_GATEWAY));
        assert!(matches!(classify(five), DeliveryError::Transient(_)));
        let four =
            SlackClientError::HttpError(SlackClientHttpError::new(http::StatusCode::FORBIDDEN));
        assert!(matches!(classify(four), DeliveryError::Permanent(_)));
    }
}

#[cfg(test)]
mod web_api_table {
    use super::WEB_API_METHODS;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// slack-morphism functions the code might call on a session (a list to catch calls that
    /// are not made through a variable named `session`).
    const KNOWN_CALLS: &[&str] = &[
        "api_test",
        "apps_connections_open",
        "auth_test",
        "bots_info",
        "chat_delete",
        "chat_get_permalink",
        "chat_post_ephemeral",
        "chat_post_message",
        "chat_schedule_message",
        "chat_update",
        "conversations_history",
        "conversations_info",
        "conversations_join",
        "conversations_members",
        "conversations_open",
        "conversations_replies",
        "reactions_add",
        "reactions_get",
        "reactions_remove",
        "team_info",
        "users_conversations",
        "users_info",
        "users_list",
        "users_lookup_by_email",
        "users_profile_get",
        "usergroups_users_list",
        "views_open",
        "views_publish",
        "views_push",
        "views_update",
    ];

    fn sources(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    /// What the crate's source calls: `session.f(`, `.f(` for a known slack-morphism function,
    /// and `http_get("m"` / `http_post("m"` for a method called by name.
    fn calls_in_source() -> BTreeSet<String> {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut found = BTreeSet::new();
        for file in &files {
            // Not this test itself.
            let text = file.split("mod web_api_table").next().unwrap_or_default();
            let ident = |s: &str| -> String {
                s.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            };
            for (i, _) in text.match_indices("session.") {
                let name = ident(&text[i + "session.".len()..]);
                if text[i + "session.".len() + name.len()..].starts_with('(') && !name.is_empty() {
                    found.insert(name);
                }
            }
            for call in KNOWN_CALLS {
                if text.contains(&format!(".{call}(")) {
                    found.insert((*call).to_owned());
                }
            }
            for raw in ["http_get(", "http_post(", "http_post_uri("] {
                for (i, _) in text.match_indices(raw) {
                    let rest = text[i + raw.len()..].trim_start();
                    if let Some(lit) = rest.strip_prefix('"')
                        && let Some(end) = lit.find('"')
                        && lit[..end].contains('.')
                    {
                        found.insert(lit[..end].to_owned());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_web_api_call_in_the_source_has_its_line_in_the_table_and_every_line_is_called() {
        let found = calls_in_source();
        let table: BTreeSet<String> = WEB_API_METHODS.iter().map(|m| m.call.to_owned()).collect();
        let missing: Vec<_> = found.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "called but not in WEB_API_METHODS (add the method and its scopes): {missing:?}"
        );
        let unused: Vec<_> = table.difference(&found).collect();
        assert!(
            unused.is_empty(),
            "in WEB_API_METHODS but never called (remove the line): {unused:?}"
        );
    }

    #[test]
    fn every_method_has_slacks_name() {
        for m in WEB_API_METHODS {
            let (family, name) = m.method.split_once('.').unwrap();
            assert!(!family.is_empty() && !name.is_empty(), "{}", m.method);
        }
    }
}
