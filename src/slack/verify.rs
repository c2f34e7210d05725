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
use std::time::Duration;

/// The largest slash command accepted (its text is at most a few thousand characters); larger
/// ones get 413.
pub const MAX_COMMAND_BYTES: usize = 64 * 1024;

/// The largest interaction or event accepted. A button press carries the whole message it sits
/// on (up to 40,000 characters of text plus its blocks, escaped into a form field), and an
/// event carries the message that was posted.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

/// What verifying one route needs.
#[derive(Clone)]
pub struct Verification {
    verifier: Arc<SlackEventSignatureVerifier>,
    /// Larger bodies get 413.
    max_body: usize,
    /// A body that has not arrived by then gets 408.
    body_timeout: Duration,
}

impl Verification {
    pub fn new(secret: &str, max_body: usize, body_timeout: Duration) -> Self {
        Self {
            verifier: Arc::new(SlackEventSignatureVerifier::new(&SlackSigningSecret::new(
                secret.to_owned(),
            ))),
            max_body,
            body_timeout,
        }
    }
}

/// Checks signature and timestamp (slack-morphism's verifier: HMAC-SHA256, constant-time
/// comparison, 300-second window) before the body is parsed.
pub async fn verify_slack_request(
    State(v): State<Verification>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(v.body_timeout, axum::body::to_bytes(body, v.max_body));
    let bytes: Bytes = match read.await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
        }
        Err(_) => {
            tracing::warn!(path = %parts.uri.path(), "request body too slow");
            return (StatusCode::REQUEST_TIMEOUT, "request body too slow").into_response();
        }
    };
    if is_ssl_check(&bytes) {
        // Slack checking the certificate of a command URL: nothing to do, nothing to verify.
        return StatusCode::OK.into_response();
    }
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
    if let Err(e) = v.verifier.verify(signature, text, timestamp) {
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

/// Slack's `ssl_check=1` request (sent to command URLs), which only wants a 200.
fn is_ssl_check(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct SslCheck {
        ssl_check: String,
    }
    serde_urlencoded::from_bytes::<SslCheck>(body).is_ok_and(|c| c.ssl_check == "1")
}
