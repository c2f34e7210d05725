//! The HTTP transport: `/slack/commands`, `/slack/interactions`, `/slack/events` (all
//! verified) carry Slack's bytes to [`dispatch`] and its acknowledgement back; `/healthz` and
//! `/readyz`.

use super::client::AuthState;
use super::dispatch::{Ack, Inbound, SlackState, dispatch};
use super::verify::{self, MAX_COMMAND_BYTES, MAX_PAYLOAD_BYTES, Verification};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::time::Duration;

/// All routes, with verification on everything under `/slack`: slash commands are small, while
/// interactions and events carry whole messages.
/// Without a signing secret (Socket Mode only), nothing under `/slack` is served.
pub fn router(state: SlackState, signing_secret: Option<&str>, body_timeout: Duration) -> Router {
    let health = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        // Unauthenticated, like /healthz: counts and timings only, never who or what.
        .route("/metrics", get(metrics))
        .route_layer(axum::middleware::from_fn(time_request));
    let Some(signing_secret) = signing_secret else {
        return health.with_state(state);
    };
    let verified = |max_body| {
        axum::middleware::from_fn_with_state(
            Verification::new(signing_secret, max_body, body_timeout),
            verify::verify_slack_request,
        )
    };
    let commands = Router::new()
        .route("/slack/commands", post(command))
        .route_layer(verified(MAX_COMMAND_BYTES))
        .route_layer(axum::middleware::from_fn(time_request));
    let payloads = Router::new()
        .route("/slack/interactions", post(interaction))
        .route("/slack/events", post(event))
        .route_layer(verified(MAX_PAYLOAD_BYTES))
        .route_layer(axum::middleware::from_fn(time_request));
    health
        .merge(commands)
        .merge(payloads)
        // Bodies are read (and limited, per route) by the verifier; this keeps axum's own limit
        // from cutting in first.
        .layer(DefaultBodyLimit::max(MAX_PAYLOAD_BYTES))
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

/// A slash command: a form.
async fn command(State(state): State<SlackState>, body: Bytes) -> Response {
    match serde_urlencoded::from_bytes(&body) {
        Ok(cmd) => answer(dispatch(&state, Inbound::Command(cmd)).await),
        Err(e) => {
            tracing::warn!(error = %e, "unreadable slash command");
            (StatusCode::BAD_REQUEST, "unreadable slash command").into_response()
        }
    }
}

#[derive(Deserialize)]
struct InteractionForm {
    payload: String,
}

/// An interaction: a form with one field, `payload`, holding JSON.
async fn interaction(State(state): State<SlackState>, body: Bytes) -> Response {
    let Ok(form) = serde_urlencoded::from_bytes::<InteractionForm>(&body) else {
        return (StatusCode::BAD_REQUEST, "missing payload").into_response();
    };
    let Ok(payload) = serde_json::from_str(&form.payload) else {
        return (StatusCode::BAD_REQUEST, "unreadable payload").into_response();
    };
    answer(dispatch(&state, Inbound::Interaction(payload)).await)
}

/// An Events API callback: JSON; a retry says which in `X-Slack-Retry-Num`.
async fn event(State(state): State<SlackState>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(v) = serde_json::from_slice(&body) else {
        return (StatusCode::BAD_REQUEST, "unreadable event").into_response();
    };
    let retry = headers
        .get("x-slack-retry-num")
        .and_then(|h| h.to_str().ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    answer(dispatch(&state, Inbound::Event(v, retry)).await)
}

/// The acknowledgement as an HTTP response.
fn answer(ack: Ack) -> Response {
    match ack {
        Ack::Empty => StatusCode::OK.into_response(),
        Ack::Json(v) => Json(v).into_response(),
        Ack::Refused(why) => (StatusCode::BAD_REQUEST, why).into_response(),
        Ack::Retry => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Ready when the database answers within 2 s and Slack has not refused the bot token; the
/// body says what Slack last said.
async fn ready(State(state): State<SlackState>) -> Response {
    if !matches!(
        tokio::time::timeout(Duration::from_secs(2), state.app.store.ping()).await,
        Ok(true)
    ) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
    }
    match state.slack.auth_state() {
        AuthState::Refused(code) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("slack refuses the bot token: {code}"),
        )
            .into_response(),
        AuthState::Accepted { bot, team } => {
            format!("ready\nslack: bot {bot} in {team}").into_response()
        }
        AuthState::Unknown => "ready\nslack: not reached yet".into_response(),
    }
}
