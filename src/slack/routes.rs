//! HTTP routes: `/slack/commands`, `/slack/interactions`, `/slack/events` (all verified),
//! `/healthz` and `/readyz`.

use super::verify::{self, MAX_BODY_BYTES};
use crate::app::{App, ButtonAction, CommandRequest};
use crate::domain::{ChannelId, UserId};
use crate::i18n::tr0;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// What the routes share.
#[derive(Clone)]
pub struct SlackState {
    pub app: App,
    /// How long a command may work before Slack gets its acknowledgement.
    pub ack_timeout: Duration,
}

/// All routes, with verification on everything under `/slack`.
pub fn router(state: SlackState, signing_secret: &str) -> Router {
    let slack = Router::new()
        .route("/slack/commands", post(command))
        .route("/slack/interactions", post(interaction))
        .route("/slack/events", post(event))
        .route_layer(axum::middleware::from_fn_with_state(
            verify::verifier(signing_secret),
            verify::verify_slack_request,
        ));
    Router::new()
        .merge(slack)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        // Bodies are read (and limited) by the verifier; this keeps axum's own limit in step.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The fields of a slash command that otagai uses (Slack sends more).
#[derive(Debug, Deserialize)]
struct SlashCommand {
    user_id: String,
    #[serde(default)]
    channel_id: String,
    command: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    response_url: String,
    #[serde(default)]
    trigger_id: String,
}

fn ephemeral(text: &str) -> Response {
    Json(json!({ "response_type": "ephemeral", "text": text })).into_response()
}

/// Verified by the middleware; parsed here; answered within the acknowledgement window. Work
/// that takes longer goes on after the ack and answers through the response_url (outbox).
#[tracing::instrument(name = "slash_command", skip_all)]
async fn command(State(state): State<SlackState>, body: Bytes) -> Response {
    let cmd: SlashCommand = match serde_urlencoded::from_bytes(&body) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "unreadable slash command");
            return (StatusCode::BAD_REQUEST, "unreadable slash command").into_response();
        }
    };
    let Ok(user) = UserId::parse(&cmd.user_id) else {
        return (StatusCode::BAD_REQUEST, "bad user_id").into_response();
    };
    let request_key = if cmd.trigger_id.is_empty() {
        // Slack always sends one; without it a request cannot be recognised when repeated.
        format!("untriggered:{}", uuid::Uuid::new_v4())
    } else {
        cmd.trigger_id.clone()
    };
    let req = CommandRequest {
        user: user.clone(),
        channel: ChannelId::parse(&cmd.channel_id).ok(),
        command: cmd.command.clone(),
        text: cmd.text.clone(),
        request_key,
        response_url: Some(cmd.response_url.clone()).filter(|u| !u.is_empty()),
    };
    let app = state.app.clone();
    let mut work = tokio::spawn(async move { app.handle_command(req).await });
    match tokio::time::timeout(state.ack_timeout, &mut work).await {
        Ok(Ok(reply)) => ephemeral(&reply.text),
        Ok(Err(join)) => {
            tracing::error!(error = %join, "command task failed");
            ephemeral(&tr0(quick_locale(&state, &user).await, "err-unexpected"))
        }
        Err(_) => {
            tracing::info!("command is slow: acknowledging now, answering via response_url");
            let app = state.app.clone();
            let url = cmd.response_url.clone();
            let locale = quick_locale(&state, &user).await;
            tokio::spawn(async move {
                match work.await {
                    Ok(reply) if !url.is_empty() => {
                        if let Err(e) = app.deliver_late_reply(&user, &url, reply).await {
                            tracing::error!(error = ?e, "could not queue the late reply");
                        }
                    }
                    Ok(_) => tracing::warn!("late reply dropped: the request had no response_url"),
                    Err(e) => tracing::error!(error = %e, "command task failed after the ack"),
                }
            });
            ephemeral(&tr0(locale, "thanks-working"))
        }
    }
}

/// The caller's language from the cache, if it answers at once; the ack cannot wait longer.
async fn quick_locale(state: &SlackState, user: &UserId) -> crate::domain::Locale {
    tokio::time::timeout(Duration::from_millis(150), state.app.cached_locale_of(user))
        .await
        .unwrap_or(state.app.settings.org.locale)
}

#[derive(Deserialize)]
struct InteractionForm {
    payload: String,
}

/// The parts of a `block_actions` payload that otagai reads.
#[derive(Deserialize)]
struct BlockActions {
    user: PayloadUser,
    #[serde(default)]
    actions: Vec<PressedButton>,
    response_url: Option<String>,
}

#[derive(Deserialize)]
struct PayloadUser {
    id: String,
}

#[derive(Deserialize)]
struct PressedButton {
    action_id: String,
    #[serde(default)]
    value: String,
}

/// Buttons. A press of one of otagai's buttons is handled in a task; Slack gets its empty 200
/// within the acknowledgement window either way, and the answer follows through the
/// payload's response_url. Other interaction types are acknowledged and ignored; a malformed
/// payload is refused.
#[tracing::instrument(name = "interaction", skip_all)]
async fn interaction(State(state): State<SlackState>, body: Bytes) -> Response {
    let Ok(form) = serde_urlencoded::from_bytes::<InteractionForm>(&body) else {
        return (StatusCode::BAD_REQUEST, "missing payload").into_response();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&form.payload) else {
        return (StatusCode::BAD_REQUEST, "unreadable payload").into_response();
    };
    let Some(kind) = v.get("type").and_then(|t| t.as_str()) else {
        return (StatusCode::BAD_REQUEST, "unreadable payload").into_response();
    };
    if kind != "block_actions" {
        tracing::info!(kind, "interaction acknowledged");
        return StatusCode::OK.into_response();
    }
    let Ok(actions) = serde_json::from_value::<BlockActions>(v) else {
        return (StatusCode::BAD_REQUEST, "unreadable block_actions").into_response();
    };
    let Ok(user) = UserId::parse(&actions.user.id) else {
        return (StatusCode::BAD_REQUEST, "bad user").into_response();
    };
    let pressed: Vec<ButtonAction> = actions
        .actions
        .iter()
        .filter_map(|a| ButtonAction::parse(&a.action_id, &a.value))
        .collect();
    if pressed.is_empty() {
        tracing::info!("a button otagai did not write was pressed; ignored");
        return StatusCode::OK.into_response();
    }
    let app = state.app.clone();
    let url = actions.response_url.filter(|u| !u.is_empty());
    let work = tokio::spawn(async move {
        for action in pressed {
            if let Err(e) = app.press_button(&user, action, url.as_deref()).await {
                tracing::error!(error = ?e, kind = action.kind(), "button failed");
            }
        }
    });
    // Wait while there is time, so that quick answers are in the outbox when Slack hears back;
    // a slow one finishes in the task.
    let _ = tokio::time::timeout(state.ack_timeout, work).await;
    StatusCode::OK.into_response()
}

/// Events API: answers `url_verification`, processes each `event_id` at most once.
#[tracing::instrument(name = "event", skip_all)]
async fn event(State(state): State<SlackState>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "unreadable event").into_response();
    };
    match v.get("type").and_then(|t| t.as_str()) {
        Some("url_verification") => {
            let challenge = v
                .get("challenge")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            Json(json!({ "challenge": challenge })).into_response()
        }
        Some("event_callback") => {
            let Some(event_id) = v.get("event_id").and_then(|e| e.as_str()) else {
                return (StatusCode::BAD_REQUEST, "event without event_id").into_response();
            };
            let retry = headers
                .get("x-slack-retry-num")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("0");
            match state.app.first_time_event(event_id).await {
                Ok(true) => {
                    let kind = v
                        .pointer("/event/type")
                        .and_then(|t| t.as_str())
                        .unwrap_or("?");
                    tracing::info!(event_id, kind, retry, "event received");
                    StatusCode::OK.into_response()
                }
                Ok(false) => {
                    tracing::info!(event_id, retry, "repeated event ignored");
                    StatusCode::OK.into_response()
                }
                Err(e) => {
                    // Not recorded: let Slack retry it.
                    tracing::error!(error = ?e, event_id, "could not record event");
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                }
            }
        }
        _ => StatusCode::OK.into_response(),
    }
}

async fn ready(State(state): State<SlackState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.app.store.ping()).await {
        Ok(true) => "ready".into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}
