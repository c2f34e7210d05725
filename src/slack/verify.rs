//! Request verification: every `/slack/*` request must carry a valid `v0` signature over its
//! raw body from within the last five minutes, or it gets 401 and nothing happens.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use slack_morphism::prelude::SlackSigningSecret;
use slack_morphism::signature_verifier::SlackEventSignatureVerifier;
use std::sync::Arc;

/// The largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Checks signature and timestamp (slack-morphism's verifier: HMAC-SHA256, constant-time
/// comparison, 300-second window) before the body is parsed.
pub async fn verify_slack_request(
    State(verifier): State<Arc<SlackEventSignatureVerifier>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header(SlackEventSignatureVerifier::SLACK_SIGNED_HASH_HEADER),
        header(SlackEventSignatureVerifier::SLACK_SIGNED_TIMESTAMP),
    ) else {
        tracing::warn!(path = %parts.uri.path(), "unsigned request rejected");
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        tracing::warn!(path = %parts.uri.path(), "non-UTF-8 body rejected");
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if let Err(e) = verifier.verify(signature, text, timestamp) {
        // The error names the kind of failure and a short prefix of what was received; it
        // never contains the secret or the expected signature.
        tracing::warn!(path = %parts.uri.path(), reason = %short_reason(&e), "request with a bad or stale signature rejected");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn short_reason(
    e: &slack_morphism::signature_verifier::SlackEventSignatureVerifierError,
) -> &'static str {
    use slack_morphism::signature_verifier::SlackEventSignatureVerifierError as E;
    match e {
        E::WrongSignatureError(_) => "signature mismatch",
        E::IncorrectOrExpiredTimestampError(_) => "timestamp outside the 5-minute window",
        E::CryptoInitError(_) => "verifier not initialised",
        _ => "unverifiable",
    }
}

/// Builds the verifier for a signing secret.
pub fn verifier(secret: &str) -> Arc<SlackEventSignatureVerifier> {
    Arc::new(SlackEventSignatureVerifier::new(&SlackSigningSecret::new(
        secret.to_owned(),
    )))
}
