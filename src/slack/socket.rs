//! The Socket Mode transport: otagai opens a WebSocket to Slack (no public URL needed, so it runs
//! behind a company firewall), receives envelopes, hands each to [`dispatch`] and sends back the
//! acknowledgement it returns. Like the HTTP routes, it only carries bytes.
//!
//! Slack's protocol: `apps.connections.open` with the app-level token (`xapp-…`) gives a
//! `wss://` URL; the first frame is `hello`; then envelopes (`slash_commands`, `interactive`,
//! `events_api`) each with an `envelope_id` to acknowledge, with a `payload` when the envelope
//! accepts one (a command's reply, a modal's `response_action`). A `disconnect` asks for a new
//! connection: it is opened at once while the old one finishes (Slack closes it ~10 s later). A
//! dropped connection is reopened with backoff. An envelope left unacknowledged is re-sent by
//! Slack (`retry_attempt`), and the dispatch recognises repeats (trigger ids, view ids, event
//! ids), so nothing is lost or done twice. Several processes may be connected at once; Slack
//! gives each envelope to one of them.

use super::client::SlackApi;
use super::dispatch::{Ack, Inbound, SlackState, dispatch};
use crate::config::Secret;
use crate::server::stopped;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;

/// Reconnecting waits this long at first, doubling up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How long opening the WebSocket (TCP, TLS, upgrade) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Slack pings every connection; after this long without any frame otagai pings itself, and
/// after twice this long it gives the connection up as half-open and opens a new one.
const QUIET: Duration = Duration::from_secs(30);

/// How long a connection that is shutting down waits for the acknowledgements still being
/// worked on (Slack re-sends what is not acknowledged anyway).
const DRAIN: Duration = Duration::from_secs(3);

/// Socket Mode for one app-level token.
pub struct SocketMode {
    state: SlackState,
    app_token: Secret,
}

/// What a connection tells the loop that keeps one open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum News {
    /// Slack said hello: the connection works.
    Hello,
    /// Slack asked for a new connection (`disconnect`).
    Refresh,
    /// The connection is closed.
    Ended,
}

/// One frame from Slack.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    envelope_id: Option<String>,
    #[serde(default)]
    payload: serde_json::Value,
    #[serde(default)]
    accepts_response_payload: bool,
    #[serde(default)]
    retry_attempt: u32,
    #[serde(default)]
    reason: Option<String>,
}

impl SocketMode {
    pub fn new(state: SlackState, app_token: Secret) -> Self {
        Self { state, app_token }
    }

    /// Keeps a connection open until `shutdown` turns true; then lets the open ones send the
    /// acknowledgements in hand and close.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let (news_tx, mut news) = mpsc::unbounded_channel::<(u64, News)>();
        let mut connections = JoinSet::new();
        let mut backoff = FIRST_BACKOFF;
        let mut current = 0u64;
        'open: loop {
            let opened = tokio::select! {
                opened = open(&self.state.slack, &self.app_token) => opened,
                _ = stopped(&mut shutdown) => break 'open,
            };
            let url = match opened {
                Ok(url) => url,
                Err(e) => {
                    tracing::warn!(error = %e, wait = ?backoff, "could not open a Socket Mode connection");
                    if pause(&mut shutdown, &mut backoff).await {
                        break 'open;
                    }
                    continue 'open;
                }
            };
            current += 1;
            connections.spawn(connection(
                current,
                url,
                self.state.clone(),
                news_tx.clone(),
                shutdown.clone(),
            ));
            loop {
                tokio::select! {
                    Some((id, what)) = news.recv() => match what {
                        News::Hello if id == current => backoff = FIRST_BACKOFF,
                        News::Refresh if id == current => continue 'open,
                        News::Ended if id == current => {
                            tracing::warn!(wait = ?backoff, "Socket Mode connection lost; reconnecting");
                            if pause(&mut shutdown, &mut backoff).await {
                                break 'open;
                            }
                            continue 'open;
                        }
                        // An older connection finishing after a refresh.
                        _ => {}
                    },
                    _ = stopped(&mut shutdown) => break 'open,
                }
            }
        }
        while connections.join_next().await.is_some() {}
        tracing::info!("Socket Mode stopped");
    }
}

/// `apps.connections.open`: a fresh WebSocket URL.
async fn open(slack: &SlackApi, app_token: &Secret) -> anyhow::Result<String> {
    Ok(slack.open_socket(app_token.expose()).await?)
}

/// Waits out the backoff (doubling it); true if asked to stop meanwhile.
async fn pause(shutdown: &mut watch::Receiver<bool>, backoff: &mut Duration) -> bool {
    let wait = *backoff;
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
    tokio::select! {
        _ = tokio::time::sleep(wait) => false,
        _ = stopped(shutdown) => true,
    }
}

/// One WebSocket: reads envelopes, dispatches each in its own task, writes their
/// acknowledgements, until Slack closes it or otagai stops.
async fn connection(
    id: u64,
    url: String,
    state: SlackState,
    news: mpsc::UnboundedSender<(u64, News)>,
    mut shutdown: watch::Receiver<bool>,
) {
    let socket = match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio_tungstenite::connect_async(url.as_str()),
    )
    .await
    {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "could not connect the Socket Mode WebSocket");
            let _ = news.send((id, News::Ended));
            return;
        }
        Err(_) => {
            tracing::warn!("the Socket Mode WebSocket did not open in time");
            let _ = news.send((id, News::Ended));
            return;
        }
    };
    let (mut sink, mut frames) = socket.split();
    let mut work: JoinSet<Option<String>> = JoinSet::new();
    let mut last_heard = tokio::time::Instant::now();
    let mut liveness = tokio::time::interval(QUIET / 2);
    loop {
        tokio::select! {
            _ = liveness.tick() => {
                let quiet = last_heard.elapsed();
                if quiet >= QUIET * 2 {
                    tracing::warn!(?quiet, "Socket Mode connection silent; opening a new one");
                    break;
                }
                if quiet >= QUIET && sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            frame = frames.next() => {
                last_heard = tokio::time::Instant::now();
                match frame {
                Some(Ok(Message::Text(text))) => {
                    if let Some(what) = receive(&text, &state, &mut work) {
                        let _ = news.send((id, what));
                    }
                }
                Some(Ok(Message::Ping(data))) => {
                    if sink.send(Message::Pong(data)).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | None => break,
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "Socket Mode connection failed");
                    break;
                }
                Some(Ok(_)) => {}
                }
            }
            Some(done) = work.join_next() => {
                if let Ok(Some(ack)) = done
                    && sink.send(Message::Text(ack.into())).await.is_err()
                {
                    break;
                }
            }
            _ = stopped(&mut shutdown) => {
                // Acknowledge what is in hand, then close.
                let deadline = tokio::time::Instant::now() + DRAIN;
                while let Ok(Some(done)) = tokio::time::timeout_at(deadline, work.join_next()).await {
                    if let Ok(Some(ack)) = done {
                        let _ = sink.send(Message::Text(ack.into())).await;
                    }
                }
                let _ = sink.send(Message::Close(None)).await;
                break;
            }
        }
    }
    let _ = news.send((id, News::Ended));
}

/// One text frame: news for the connection loop, or an envelope set to work.
fn receive(text: &str, state: &SlackState, work: &mut JoinSet<Option<String>>) -> Option<News> {
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "unreadable Socket Mode frame");
            return None;
        }
    };
    let inbound = match envelope.kind.as_str() {
        "hello" => {
            tracing::info!("Socket Mode connected");
            return Some(News::Hello);
        }
        "disconnect" => {
            tracing::info!(reason = ?envelope.reason, "Slack asked for a new Socket Mode connection");
            return Some(News::Refresh);
        }
        "slash_commands" => serde_json::from_value(envelope.payload)
            .map(Inbound::Command)
            .ok(),
        "interactive" => Some(Inbound::Interaction(envelope.payload)),
        "events_api" => Some(Inbound::Event(envelope.payload, envelope.retry_attempt)),
        other => {
            tracing::info!(
                kind = other,
                "Socket Mode envelope of a kind otagai does not use"
            );
            None
        }
    };
    let id = envelope.envelope_id?;
    let state = state.clone();
    let accepts_payload = envelope.accepts_response_payload;
    work.spawn(async move {
        let ack = match inbound {
            Some(inbound) => dispatch(&state, inbound).await,
            None => Ack::Refused("unreadable envelope"),
        };
        acknowledgement(&id, ack, accepts_payload)
    });
    None
}

/// The frame that acknowledges envelope `id` with `ack`; `None` leaves it unacknowledged, so
/// Slack sends it again.
fn acknowledgement(id: &str, ack: Ack, accepts_payload: bool) -> Option<String> {
    let frame = match ack {
        Ack::Retry => return None,
        Ack::Json(payload) if accepts_payload => json!({ "envelope_id": id, "payload": payload }),
        Ack::Refused(why) => {
            tracing::warn!(why, "Socket Mode envelope refused");
            json!({ "envelope_id": id })
        }
        Ack::Json(_) | Ack::Empty => json!({ "envelope_id": id }),
    };
    Some(frame.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgements_carry_a_payload_only_where_slack_accepts_one() {
        let reply = json!({ "response_type": "ephemeral", "text": "hi" });
        assert_eq!(
            acknowledgement("e1", Ack::Json(reply.clone()), true).unwrap(),
            json!({ "envelope_id": "e1", "payload": reply }).to_string()
        );
        assert_eq!(
            acknowledgement("e2", Ack::Json(reply), false).unwrap(),
            json!({ "envelope_id": "e2" }).to_string()
        );
        assert_eq!(
            acknowledgement("e3", Ack::Empty, true).unwrap(),
            json!({ "envelope_id": "e3" }).to_string()
        );
        assert_eq!(
            acknowledgement("e4", Ack::Refused("x"), true).unwrap(),
            json!({ "envelope_id": "e4" }).to_string()
        );
        assert_eq!(acknowledgement("e5", Ack::Retry, true), None);
    }
}
