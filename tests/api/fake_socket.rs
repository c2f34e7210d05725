//! A fake Socket Mode server on loopback: a WebSocket that speaks Slack's envelope format. It
//! says `hello` to every connection, lets a test send envelopes (`slash_commands`,
//! `interactive`, `events_api`, `disconnect`) on a chosen connection, records every frame the
//! bot sends back, and can drop a connection.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// A frame the bot sent: which connection, when, what.
#[derive(Debug, Clone)]
pub struct Received {
    pub connection: usize,
    pub at: Instant,
    pub frame: Value,
}

#[derive(Default)]
struct State {
    /// Per connection, a way to send it frames (`None` once dropped).
    connections: Vec<Option<mpsc::UnboundedSender<Message>>>,
    received: Vec<Received>,
}

#[derive(Clone)]
pub struct FakeSocket {
    /// What `apps.connections.open` should answer.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeSocket {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/link", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
                    continue;
                };
                let (mut sink, mut frames) = socket.split();
                let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
                let index = {
                    let mut s = shared.lock().unwrap();
                    s.connections.push(Some(tx.clone()));
                    s.connections.len() - 1
                };
                let _ = tx.send(Message::Text(
                    json!({ "type": "hello", "num_connections": index + 1, "connection_info": { "app_id": "A0OTAGAI" } })
                        .to_string()
                        .into(),
                ));
                tokio::spawn(async move {
                    while let Some(m) = rx.recv().await {
                        let close = matches!(m, Message::Close(_));
                        if sink.send(m).await.is_err() || close {
                            break;
                        }
                    }
                    let _ = sink.close().await;
                });
                let reader_state = shared.clone();
                tokio::spawn(async move {
                    while let Some(Ok(m)) = frames.next().await {
                        if let Message::Text(t) = m {
                            let frame = serde_json::from_str(&t).unwrap_or(Value::Null);
                            reader_state.lock().unwrap().received.push(Received {
                                connection: index,
                                at: Instant::now(),
                                frame,
                            });
                        }
                    }
                    if let Some(c) = reader_state.lock().unwrap().connections.get_mut(index) {
                        *c = None;
                    }
                });
            }
        });
        Self { url, state }
    }

    /// Connections opened so far (open or not).
    pub fn opened(&self) -> usize {
        self.state.lock().unwrap().connections.len()
    }

    /// Waits until `n` connections have been opened.
    pub async fn wait_opened(&self, n: usize, timeout: Duration) {
        let start = Instant::now();
        while self.opened() < n {
            assert!(
                start.elapsed() < timeout,
                "expected {n} Socket Mode connections, got {}",
                self.opened()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends `frame` on connection `connection`; returns when it was sent.
    pub fn send(&self, connection: usize, frame: Value) -> Instant {
        let s = self.state.lock().unwrap();
        let tx = s.connections[connection]
            .as_ref()
            .expect("the connection is open");
        tx.send(Message::Text(frame.to_string().into())).unwrap();
        Instant::now()
    }

    /// Closes connection `connection` from Slack's side.
    pub fn drop_connection(&self, connection: usize) {
        let mut s = self.state.lock().unwrap();
        if let Some(tx) = s.connections[connection].take() {
            let _ = tx.send(Message::Close(None));
        }
    }

    /// Every frame the bot sent.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// The acknowledgements of `envelope_id` so far.
    pub fn acks_of(&self, envelope_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.frame["envelope_id"] == envelope_id)
            .collect()
    }

    /// Waits for the first acknowledgement of `envelope_id`.
    pub async fn wait_ack(&self, envelope_id: &str, timeout: Duration) -> Received {
        let start = Instant::now();
        loop {
            if let Some(r) = self.acks_of(envelope_id).into_iter().next() {
                return r;
            }
            assert!(
                start.elapsed() < timeout,
                "no acknowledgement of {envelope_id} within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A `slash_commands` envelope as Slack sends it.
pub fn command_envelope(
    envelope_id: &str,
    user: &str,
    command: &str,
    text: &str,
    trigger: &str,
    response_url: &str,
) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": true,
        "payload": {
            "token": "legacy-verification-token",
            "team_id": "T0TEST",
            "team_domain": "otagai-test",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.to_lowercase(),
            "command": command,
            "text": text,
            "api_app_id": "A0OTAGAI",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger
        }
    })
}

/// An `events_api` envelope around `event` (retry `retry_attempt`).
pub fn event_envelope(
    envelope_id: &str,
    event_id: &str,
    event: Value,
    retry_attempt: u32,
) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": false,
        "retry_attempt": retry_attempt,
        "retry_reason": if retry_attempt > 0 { "timeout" } else { "" },
        "payload": {
            "token": "legacy-verification-token",
            "team_id": "T0TEST",
            "api_app_id": "A0OTAGAI",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1_700_000_000
        }
    })
}

/// An `interactive` envelope around an interaction payload.
pub fn interactive_envelope(envelope_id: &str, payload: Value) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "interactive",
        "accepts_response_payload": true,
        "payload": payload
    })
}
