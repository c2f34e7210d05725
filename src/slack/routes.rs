//! HTTP routes: `/slack/commands`, `/slack/interactions`, `/slack/events` (all verified),
//! `/healthz` and `/readyz`.

use super::blocks;
use super::client::SlackApi;
use super::verify::{self, MAX_BODY_BYTES};
use crate::app::{App, ButtonAction, CommandRequest, RequestAction, RequestRef, TrackOutcome};
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
use std::sync::Arc;
use std::time::Duration;

/// What the routes share.
#[derive(Clone)]
pub struct SlackState {
    pub app: App,
    /// How long a command may work before Slack gets its acknowledgement.
    pub ack_timeout: Duration,
    /// Opens modals (`views.open` must answer a click within 3 seconds, so it cannot wait in
    /// the outbox).
    pub slack: Arc<SlackApi>,
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
        // Unauthenticated, like /healthz: counts and timings only, never who or what.
        .route("/metrics", get(metrics))
        .route_layer(axum::middleware::from_fn(time_request))
        // Bodies are read (and limited) by the verifier; this keeps axum's own limit in step.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Prometheus text exposition of [`crate::metrics`].
async fn metrics(State(state): State<SlackState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&state.app.store).await,
    )
        .into_response()
}

/// Times every request by its route pattern (never its concrete path).
async fn time_request(
    path: Option<axum::extract::MatchedPath>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let route = path.as_ref().map_or("unmatched", |p| p.as_str());
    crate::metrics::METRICS
        .http_request_duration
        .with_label_values(&[route])
        .observe(started.elapsed().as_secs_f64());
    resp
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
    #[serde(default)]
    team_domain: String,
}

fn ephemeral(text: &str) -> Response {
    Json(json!({ "response_type": "ephemeral", "text": text })).into_response()
}

/// Verified by the middleware; parsed here; answered within the acknowledgement window. Work
/// that takes longer goes on after the ack and answers through the response_url (outbox).
#[tracing::instrument(name = "slash_command", skip_all)]
async fn command(State(state): State<SlackState>, body: Bytes) -> Response {
    let started = std::time::Instant::now();
    let label = serde_urlencoded::from_bytes::<SlashCommand>(&body)
        .map_or("other", |c| crate::metrics::command_label(&c.command));
    let resp = answer_command(state, body).await;
    crate::metrics::METRICS
        .command_ack_duration
        .with_label_values(&[label])
        .observe(started.elapsed().as_secs_f64());
    resp
}

async fn answer_command(state: SlackState, body: Bytes) -> Response {
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
        team_domain: Some(cmd.team_domain.clone()).filter(|d| !d.is_empty()),
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
    #[serde(default)]
    trigger_id: String,
    /// The message the button is on.
    container: Option<Container>,
}

#[derive(Deserialize)]
struct Container {
    channel_id: Option<String>,
    message_ts: Option<String>,
}

/// The parts of a `view_submission` payload that otagai reads.
#[derive(Deserialize)]
struct ViewSubmission {
    user: PayloadUser,
    view: SubmittedView,
}

#[derive(Deserialize)]
struct SubmittedView {
    id: String,
    #[serde(default)]
    callback_id: String,
    #[serde(default)]
    private_metadata: String,
    #[serde(default)]
    state: serde_json::Value,
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
    if kind == "view_submission" {
        return view_submission(&state, v).await;
    }
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
    let on_message = actions
        .container
        .and_then(|c| Some((c.channel_id?, c.message_ts?)));
    let trigger_id = actions.trigger_id;
    let slack = state.slack.clone();
    let work = tokio::spawn(async move {
        for action in pressed {
            let done = match action {
                ButtonAction::AskThank { request_id } if !trigger_id.is_empty() => {
                    open_thanks_modal(&app, &slack, &user, request_id, &trigger_id, url.as_deref())
                        .await
                }
                _ => {
                    let on = on_message.as_ref().map(|(c, ts)| (c.as_str(), ts.as_str()));
                    app.press_button(&user, action, url.as_deref(), on).await
                }
            };
            if let Err(e) = done {
                tracing::error!(error = ?e, kind = action.kind(), "button failed");
            }
        }
    });
    // Wait while there is time, so that quick answers are in the outbox when Slack hears back;
    // a slow one finishes in the task.
    let _ = tokio::time::timeout(state.ack_timeout, work).await;
    StatusCode::OK.into_response()
}

/// "Say thanks": the prefilled modal, or why there is none (told through the response_url).
async fn open_thanks_modal(
    app: &App,
    slack: &SlackApi,
    user: &UserId,
    request_id: i64,
    trigger_id: &str,
    response_url: Option<&str>,
) -> anyhow::Result<()> {
    let refusal = match app.thanks_modal(user, request_id).await? {
        Ok(modal) => match slack
            .open_modal(trigger_id, blocks::thanks_modal(&modal))
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "could not open the thanks modal");
                tr0(modal.locale, "ask-modal-failed")
            }
        },
        Err(text) => text,
    };
    app.answer_press(user, response_url, refusal, false).await
}

/// A submitted modal. The thanks modal answers within the acknowledgement window: an empty 200
/// closes it, `response_action: errors` keeps it open with a message next to each field.
async fn view_submission(state: &SlackState, v: serde_json::Value) -> Response {
    let Ok(sub) = serde_json::from_value::<ViewSubmission>(v) else {
        return (StatusCode::BAD_REQUEST, "unreadable view_submission").into_response();
    };
    if sub.view.callback_id != blocks::THANKS_MODAL {
        tracing::info!("a view otagai did not open was submitted; closed");
        return StatusCode::OK.into_response();
    }
    let (Ok(user), Ok(request_id)) = (
        UserId::parse(&sub.user.id),
        sub.view.private_metadata.parse::<i64>(),
    ) else {
        return (StatusCode::BAD_REQUEST, "bad view_submission").into_response();
    };
    let form = blocks::thanks_form(&sub.view.state["values"]);
    let app = state.app.clone();
    let key = sub.view.id.clone();
    let submitter = user.clone();
    let mut work = tokio::spawn(async move {
        app.submit_request_thanks(&submitter, request_id, &key, form)
            .await
    });
    match tokio::time::timeout(state.ack_timeout, &mut work).await {
        Ok(Ok(Ok(Err(errors)))) => Json(json!({
            "response_action": "errors",
            "errors": errors,
        }))
        .into_response(),
        Ok(Ok(Ok(Ok(())))) => StatusCode::OK.into_response(),
        Ok(Ok(Err(e))) => {
            tracing::error!(error = ?e, "thanks from a modal failed");
            Json(json!({
                "response_action": "errors",
                "errors": { "message": tr0(state.app.settings.org.locale, "err-unexpected") },
            }))
            .into_response()
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "thanks task failed");
            Json(json!({
                "response_action": "errors",
                "errors": { "message": tr0(state.app.settings.org.locale, "err-unexpected") },
            }))
            .into_response()
        }
        // Still working (Slack was slow to say who the recipients are): the modal closes, and
        // if the thanks is then refused the giver hears why in a DM instead of believing it
        // went through.
        Err(_) => {
            let app = state.app.clone();
            tokio::spawn(async move {
                let problem = match work.await {
                    Ok(Ok(Ok(()))) => return,
                    Ok(Ok(Err(errors))) => errors.into_values().collect::<Vec<_>>().join("\n"),
                    Ok(Err(e)) => {
                        tracing::error!(error = ?e, "thanks from a modal failed after the ack");
                        tr0(app.locale_of(&user).await, "err-unexpected")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "thanks task failed after the ack");
                        tr0(app.locale_of(&user).await, "err-unexpected")
                    }
                };
                if let Err(e) = app.answer_press(&user, None, problem, false).await {
                    tracing::error!(error = ?e, "could not tell the giver their thanks failed");
                }
            });
            StatusCode::OK.into_response()
        }
    }
}

/// What a Slack event means for a help request, if anything.
fn request_event(event: &serde_json::Value) -> Option<(RequestRef, RequestAction, UserId)> {
    let text = |p: &str| event.pointer(p).and_then(|v| v.as_str());
    let user = UserId::parse(text("/user")?).ok()?;
    match text("/type")? {
        // A reply in a thread, by a person (bots and edits carry bot_id or a subtype).
        "message" => {
            let thread_ts = text("/thread_ts")?;
            let subtype = text("/subtype");
            // A reply that is also sent to the channel, or that carries a file (a screenshot
            // is an answer too), counts; edits, deletions and joins do not.
            if event.get("bot_id").is_some()
                || subtype.is_some_and(|s| s != "thread_broadcast" && s != "file_share")
                || text("/ts") == Some(thread_ts)
            {
                return None;
            }
            Some((
                RequestRef::Post {
                    channel: text("/channel")?.to_owned(),
                    ts: thread_ts.to_owned(),
                },
                RequestAction::Reply,
                user,
            ))
        }
        "reaction_added" if text("/item/type") == Some("message") => {
            let action = match text("/reaction")? {
                "eyes" => RequestAction::Claim,
                "white_check_mark" | "heavy_check_mark" | "ballot_box_with_check" => {
                    RequestAction::ResolveByReaction
                }
                _ => return None,
            };
            Some((
                RequestRef::Post {
                    channel: text("/item/channel")?.to_owned(),
                    ts: text("/item/ts")?.to_owned(),
                },
                action,
                user,
            ))
        }
        _ => None,
    }
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
            let kind = v.pointer("/event/type").and_then(|t| t.as_str());
            let request = v.get("event").and_then(request_event);
            if request.is_none() && matches!(kind, Some("message" | "reaction_added")) {
                // Every message and reaction in the help channels arrives here; only those
                // about otagai's questions matter, and the others are not even recorded.
                return StatusCode::OK.into_response();
            }
            if let Some((request, action, user)) = request {
                // The event's id is recorded in the transaction that applies it: a retry finds
                // it, a failure records nothing and Slack's retry tries again.
                return match state
                    .app
                    .track_request(request, action, &user, Some(event_id), None)
                    .await
                {
                    Ok(TrackOutcome::Repeated) => {
                        tracing::info!(event_id, retry, "repeated event ignored");
                        StatusCode::OK.into_response()
                    }
                    Ok(TrackOutcome::NotPostedYet) => {
                        tracing::info!(
                            event_id,
                            retry,
                            "event may be about a post not recorded yet: Slack will retry"
                        );
                        StatusCode::SERVICE_UNAVAILABLE.into_response()
                    }
                    Ok(outcome) => {
                        tracing::info!(event_id, retry, ?action, ?outcome, "request event");
                        StatusCode::OK.into_response()
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, event_id, "could not apply event");
                        StatusCode::SERVICE_UNAVAILABLE.into_response()
                    }
                };
            }
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
