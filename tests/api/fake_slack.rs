//! A fake Slack on 127.0.0.1 that speaks Slack's wire format: the Web API under `/api/`
//! (`users.info`, `chat.postMessage`, …) and `response_url`s under `/hooks/`. It records every
//! call, and failures can be scripted per method (429 with Retry-After, 5xx, API errors, delays).
//!
//! Shared by the integration tests and the bench (`#[path]`-included), so it depends only on
//! axum, tokio and serde_json.

#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// JSON body, or form/query fields as a JSON object.
    pub body: Value,
    pub authorization: Option<String>,
    pub at: Instant,
    /// When the fake answered (`None` until it has, and for scripted failures).
    pub answered_at: Option<Instant>,
    /// What the fake answered (`Null` until it has, and for scripted failures).
    pub answer: Value,
}

/// A message the bot posted and Slack accepted: the request and the `ts` Slack gave it.
#[derive(Debug, Clone)]
pub struct Posted {
    pub channel: String,
    pub ts: String,
    pub body: Value,
}

impl Posted {
    /// The `text` fallback of the request.
    pub fn text(&self) -> &str {
        self.body["text"].as_str().unwrap_or_default()
    }
}

/// A scripted answer that replaces the normal one, once.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// HTTP 429 with `Retry-After: secs`.
    RateLimited(u64),
    /// HTTP 500.
    ServerError,
    /// `{"ok": false, "error": code}`.
    ApiError(&'static str),
    /// Answer normally, but only after this long.
    Delay(Duration),
    /// Do what was asked (a post is made), but the answer never arrives: a 504 from a proxy
    /// on the way back, as when a connection drops after Slack has the message.
    LostAnswer,
}

#[derive(Default)]
struct FakeState {
    users: HashMap<String, Value>,
    /// User groups (`S…`) and their members, for usergroups.users.list.
    groups: HashMap<String, Vec<String>>,
    calls: Vec<Call>,
    scripted: HashMap<String, VecDeque<Scripted>>,
    /// Every users.info answer waits this long (a slow Slack).
    users_info_delay: Option<Duration>,
    /// What `apps.connections.open` answers: a fake Socket Mode server's URL.
    socket_url: Option<String>,
    /// The bot token was revoked: every Web API call answers `token_revoked`.
    revoked: bool,
    /// Every Web API answer waits this long plus up to the second figure more, spread
    /// pseudo-randomly (Slack's own latency, and its variation, which reorders what is sent
    /// side by side).
    latency: Option<(Duration, Duration)>,
    /// Scripted answers for chat.postMessage to one channel, before the method's own.
    scripted_channel: HashMap<String, VecDeque<Scripted>>,
    /// Slack's per-channel rule for chat.postMessage, when set: a bucket of `burst` posts
    /// refilled at `per_sec`; an empty bucket answers 429 with Retry-After: 1.
    channel_rate: Option<(f64, f64)>,
    /// Each channel's bucket: (tokens, when last refilled).
    buckets: HashMap<String, (f64, Instant)>,
}

/// The running fake.
#[derive(Clone)]
pub struct FakeSlack {
    /// The Web API base to give the bot as `SLACK_API_URL`.
    pub api_url: String,
    origin: String,
    state: Arc<Mutex<FakeState>>,
}

impl FakeSlack {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let router = Router::new()
            .route("/api/{method}", any(api))
            .route("/hooks/{id}", any(hook))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake slack");
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.expect("fake slack");
        });
        Self {
            api_url: format!("http://{addr}/api/"),
            origin: format!("http://{addr}"),
            state,
        }
    }

    /// Revokes the bot token (every Web API call answers `token_revoked`), or reinstates it.
    pub fn set_token_revoked(&self, revoked: bool) {
        self.state.lock().unwrap().revoked = revoked;
    }

    /// `apps.connections.open` answers with `url` (a fake Socket Mode server).
    pub fn serve_socket_mode_at(&self, url: &str) {
        self.state.lock().unwrap().socket_url = Some(url.to_owned());
    }

    /// Adds a person users.info knows. `locale` like `en-US` or `ja-JP`.
    pub fn add_user(&self, id: &str, locale: &str) {
        self.put_user(id, json!({ "id": id, "name": id.to_lowercase(), "locale": locale, "tz": "Asia/Tokyo", "is_bot": false, "deleted": false }));
    }

    /// Adds a person in time zone `tz` (an IANA name such as `America/New_York`).
    pub fn add_user_in(&self, id: &str, locale: &str, tz: &str) {
        self.put_user(id, json!({ "id": id, "name": id.to_lowercase(), "locale": locale, "tz": tz, "is_bot": false, "deleted": false }));
    }

    /// A person who authorised the app (`is_app_user`): often the admin who installed it.
    pub fn add_app_user(&self, id: &str, locale: &str) {
        self.put_user(id, json!({ "id": id, "name": id.to_lowercase(), "locale": locale, "tz": "Asia/Tokyo", "is_bot": false, "is_app_user": true, "deleted": false }));
    }

    pub fn add_bot(&self, id: &str) {
        self.put_user(
            id,
            json!({ "id": id, "name": id.to_lowercase(), "is_bot": true, "deleted": false }),
        );
    }

    pub fn add_deactivated(&self, id: &str) {
        self.put_user(
            id,
            json!({ "id": id, "name": id.to_lowercase(), "is_bot": false, "deleted": true }),
        );
    }

    /// A user group (`S…`) with these members.
    pub fn add_group(&self, id: &str, members: &[&str]) {
        self.state.lock().unwrap().groups.insert(
            id.to_owned(),
            members.iter().map(|m| (*m).to_owned()).collect(),
        );
    }

    fn put_user(&self, id: &str, user: Value) {
        self.state.lock().unwrap().users.insert(id.to_owned(), user);
    }

    /// The next call of `method` gets `answer` instead of the normal one (queued, in order).
    pub fn script(&self, method: &str, answer: Scripted) {
        self.state
            .lock()
            .unwrap()
            .scripted
            .entry(method.to_owned())
            .or_default()
            .push_back(answer);
    }

    pub fn slow_users_info(&self, delay: Duration) {
        self.state.lock().unwrap().users_info_delay = Some(delay);
    }

    /// The next chat.postMessage to `channel` gets `answer` (queued, in order).
    pub fn script_channel(&self, channel: &str, answer: Scripted) {
        self.state
            .lock()
            .unwrap()
            .scripted_channel
            .entry(channel.to_owned())
            .or_default()
            .push_back(answer);
    }

    /// Limits chat.postMessage per channel as Slack does: `burst` at once, then `per_sec`.
    pub fn limit_channel_rate(&self, burst: u32, per_sec: f64) {
        self.state.lock().unwrap().channel_rate = Some((f64::from(burst), per_sec));
    }

    /// Every Web API call is answered after `base` plus up to `jitter`.
    pub fn set_latency(&self, base: Duration, jitter: Duration) {
        self.state.lock().unwrap().latency = Some((base, jitter));
    }

    /// A response_url for a slash command; its calls are recorded as method `hooks/ID`.
    pub fn response_url(&self, id: &str) -> String {
        format!("{}/hooks/{id}", self.origin)
    }

    /// Every recorded call of `method`, in order.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Every recorded call of any method (Web API and response_urls), in order.
    pub fn all_calls(&self) -> Vec<Call> {
        self.state.lock().unwrap().calls.clone()
    }

    /// Calls of `method` that Slack answered normally (not a scripted failure), in order.
    pub fn accepted(&self, method: &str) -> Vec<Value> {
        self.calls(method)
            .into_iter()
            .filter(|c| c.body.get("__scripted").is_none())
            .map(|c| c.body)
            .collect()
    }

    /// Every chat.postMessage Slack accepted for `channel` (a channel ID, or a user ID for a DM).
    pub fn posts_in(&self, channel: &str) -> Vec<Value> {
        self.posted_in(channel)
            .into_iter()
            .map(|p| p.body)
            .collect()
    }

    /// Every chat.postMessage Slack accepted for `channel`, with the `ts` it answered, in order.
    pub fn posted_in(&self, channel: &str) -> Vec<Posted> {
        self.posted()
            .into_iter()
            .filter(|p| p.channel == channel)
            .collect()
    }

    /// Every chat.postMessage Slack accepted, with the `ts` it answered, in order.
    pub fn posted(&self) -> Vec<Posted> {
        self.calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.body.get("__scripted").is_none())
            .filter_map(|c| {
                Some(Posted {
                    channel: c.answer.get("channel")?.as_str()?.to_owned(),
                    ts: c.answer.get("ts")?.as_str()?.to_owned(),
                    body: c.body,
                })
            })
            .collect()
    }

    /// The `ts` of the last message posted in `channel`.
    pub fn last_post_ts(&self, channel: &str) -> Option<String> {
        self.posted_in(channel).pop().map(|p| p.ts)
    }

    /// The messages posted in `channel` as replies in the thread of `thread_ts`.
    pub fn thread_replies(&self, channel: &str, thread_ts: &str) -> Vec<Value> {
        self.posts_in(channel)
            .into_iter()
            .filter(|p| p["thread_ts"] == thread_ts)
            .collect()
    }

    /// Every chat.update Slack accepted for the message `ts` in `channel`, in order.
    pub fn updates_of(&self, channel: &str, ts: &str) -> Vec<Value> {
        self.accepted("chat.update")
            .into_iter()
            .filter(|u| u["channel"] == channel && u["ts"] == ts)
            .collect()
    }

    /// Waits until `channel` has at least `n` accepted posts, or panics after `timeout`.
    pub async fn wait_posts_in(&self, channel: &str, n: usize, timeout: Duration) -> Vec<Posted> {
        self.wait_until(timeout, &format!("{n} posts in {channel}"), || {
            let got = self.posted_in(channel);
            (got.len() >= n).then_some(got)
        })
        .await
    }

    /// Polls `check` until it gives something, or panics after `timeout` naming `what`.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut() -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(got) = check() {
                return got;
            }
            if Instant::now() > deadline {
                panic!(
                    "waited {timeout:?} for {what}; calls so far: {:#?}",
                    self.all_calls()
                        .iter()
                        .map(|c| (&c.method, &c.body))
                        .collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until at least `n` calls of `method` were answered normally, or panics after `timeout`.
    pub async fn wait_for(&self, method: &str, n: usize, timeout: Duration) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.accepted(method);
            if got.len() >= n {
                return got;
            }
            if Instant::now() > deadline {
                panic!(
                    "expected {n} accepted {method} calls within {timeout:?}, got {}: {got:?}",
                    got.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn parse_body(headers: &HeaderMap, query: Option<String>, body: &Bytes) -> Value {
    let mut fields = serde_json::Map::new();
    if let Some(q) = query {
        for (k, v) in url_pairs(&q) {
            fields.insert(k, Value::String(v));
        }
    }
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
            fields.extend(map);
        }
    } else if let Ok(text) = std::str::from_utf8(body) {
        for (k, v) in url_pairs(text) {
            fields.insert(k, Value::String(v));
        }
    }
    Value::Object(fields)
}

fn url_pairs(s: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(s).unwrap_or_default()
}

async fn api(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(method): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut fields = parse_body(&headers, query, &body);
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (scripted, delay) = {
        let mut s = state.lock().unwrap();
        let channel = (method == "chat.postMessage")
            .then(|| {
                fields
                    .get("channel")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .flatten();
        let mut scripted = channel
            .as_ref()
            .and_then(|c| s.scripted_channel.get_mut(c))
            .and_then(VecDeque::pop_front)
            .or_else(|| s.scripted.get_mut(&method).and_then(VecDeque::pop_front));
        if s.revoked {
            scripted = Some(Scripted::ApiError("token_revoked"));
        }
        if scripted.is_none()
            && let (Some((burst, per_sec)), Some(c)) = (s.channel_rate, channel)
        {
            let now = Instant::now();
            let (tokens, at) = s.buckets.entry(c).or_insert((burst, now));
            *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(burst);
            *at = now;
            if *tokens >= 1.0 {
                *tokens -= 1.0;
            } else {
                scripted = Some(Scripted::RateLimited(1));
            }
        }
        let delay = if method == "users.info" {
            s.users_info_delay
        } else {
            None
        };
        let latency = s.latency.map(|(base, jitter)| {
            let spread = jitter.as_micros() as u64;
            let r = fastrand_ts().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            base + Duration::from_micros(if spread == 0 { 0 } else { r % spread })
        });
        (scripted, delay.or(latency))
    };
    let mut delay = delay;
    let failure: Option<Response> = match scripted {
        Some(Scripted::RateLimited(secs)) => Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", secs.to_string())],
                axum::Json(json!({"ok": false, "error": "ratelimited"})),
            )
                .into_response(),
        ),
        Some(Scripted::ServerError) => {
            Some((StatusCode::INTERNAL_SERVER_ERROR, "upstream trouble").into_response())
        }
        Some(Scripted::ApiError(code)) => {
            Some(axum::Json(json!({ "ok": false, "error": code })).into_response())
        }
        Some(Scripted::Delay(d)) => {
            delay = Some(d);
            None
        }
        Some(Scripted::LostAnswer) | None => None,
    };
    let lost = matches!(scripted, Some(Scripted::LostAnswer));
    if failure.is_some() {
        fields["__scripted"] = Value::Bool(true);
    }
    let index = {
        let mut s = state.lock().unwrap();
        s.calls.push(Call {
            method: method.clone(),
            body: fields.clone(),
            authorization,
            at: Instant::now(),
            answered_at: None,
            answer: Value::Null,
        });
        s.calls.len() - 1
    };
    if let Some(f) = failure {
        return f;
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let answer = match method.as_str() {
        "users.info" => {
            let id = fields
                .get("user")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match state.lock().unwrap().users.get(id) {
                Some(u) => json!({ "ok": true, "user": u }),
                None => json!({ "ok": false, "error": "user_not_found" }),
            }
        }
        // As Slack answers: the members' IDs; an unknown group is `no_such_subteam`.
        "usergroups.users.list" => {
            let id = fields
                .get("usergroup")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match state.lock().unwrap().groups.get(id) {
                Some(members) => json!({ "ok": true, "users": members }),
                None => json!({ "ok": false, "error": "no_such_subteam" }),
            }
        }
        "chat.postMessage" => {
            let channel = fields.get("channel").cloned().unwrap_or(Value::Null);
            let ts = format!("{}.000100", 1_700_000_000u64 + fastrand_ts());
            // Slack answers with the message it posted; slack-morphism requires it.
            let text = fields.get("text").cloned().unwrap_or(Value::Null);
            json!({ "ok": true, "channel": channel, "ts": ts, "message": { "ts": ts, "text": text } })
        }
        "chat.update" => {
            let channel = fields.get("channel").cloned().unwrap_or(Value::Null);
            let ts = fields.get("ts").cloned().unwrap_or(Value::Null);
            let text = fields.get("text").cloned().unwrap_or(Value::Null);
            json!({ "ok": true, "channel": channel, "ts": ts, "text": text, "message": { "text": text } })
        }
        "chat.getPermalink" => {
            let channel = fields
                .get("channel")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let ts = fields
                .get("message_ts")
                .and_then(Value::as_str)
                .unwrap_or_default();
            json!({ "ok": true, "channel": channel, "permalink": permalink(channel, ts) })
        }
        "views.open" | "views.publish" => {
            // Slack answers with the view it opened, stateful: the request's view plus its id,
            // team, empty state and hash (slack-morphism's SlackStatefulView needs them).
            let mut view = fields.get("view").cloned().unwrap_or_else(|| json!({}));
            if let Value::String(s) = &view {
                view = serde_json::from_str(s).unwrap_or_else(|_| json!({}));
            }
            if let Value::Object(m) = &mut view {
                let id = format!("V{:08}", fastrand_ts());
                m.insert("id".into(), json!(id));
                m.insert("team_id".into(), json!("T0TEST"));
                m.insert("state".into(), json!({ "values": {} }));
                m.insert("hash".into(), json!(format!("{id}.hash")));
                m.insert("root_view_id".into(), json!(id));
                m.insert("app_id".into(), json!("A0OTAGAI"));
                m.insert("bot_id".into(), json!("B0OTAGAI"));
            }
            json!({ "ok": true, "view": view })
        }
        "auth.test" => json!({
            "ok": true, "url": "https://otagai-test.slack.com/", "team": "otagai test",
            "user": "otagai", "team_id": "T0TEST", "user_id": "UOTAGAIBOT", "bot_id": "B0OTAGAI",
            "is_enterprise_install": false
        }),
        "apps.connections.open" => match &state.lock().unwrap().socket_url {
            Some(url) => json!({ "ok": true, "url": url }),
            None => json!({ "ok": false, "error": "invalid_auth" }),
        },
        // The bot's DM with a person: `D` + their user ID.
        "conversations.open" => {
            let user = match fields.get("users") {
                Some(Value::Array(a)) => a
                    .first()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                Some(Value::String(s)) => s.split(',').next().unwrap_or_default().to_owned(),
                _ => String::new(),
            };
            json!({ "ok": true, "channel": { "id": format!("D{user}") } })
        }
        "conversations.history" | "conversations.replies" => {
            let field = |k: &str| {
                fields
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let (channel, thread) = (field("channel"), field("ts"));
            let with_metadata = field("include_all_metadata") == "true";
            let s = state.lock().unwrap();
            let mut messages: Vec<Value> = s
                .calls
                .iter()
                .filter(|c| c.method == "chat.postMessage" && c.body.get("__scripted").is_none())
                .filter_map(|c| {
                    let ts = c.answer.get("ts")?.as_str()?.to_owned();
                    let to = c.body.get("channel")?.as_str()?;
                    // A DM was posted to the user ID; its conversation is `D` + that ID.
                    if to != channel && format!("D{to}") != channel {
                        return None;
                    }
                    let in_thread = c.body.get("thread_ts").and_then(Value::as_str);
                    let wanted = if method == "conversations.replies" {
                        ts == thread || in_thread == Some(thread.as_str())
                    } else {
                        in_thread.is_none()
                    };
                    wanted.then(|| {
                        let mut m = json!({ "type": "message", "ts": ts, "text": c.body.get("text").cloned().unwrap_or(Value::Null), "bot_id": "B0OTAGAI" });
                        if with_metadata && let Some(meta) = c.body.get("metadata") {
                            m["metadata"] = meta.clone();
                        }
                        m
                    })
                })
                .collect();
            // History is newest first; a thread oldest first.
            if method == "conversations.history" {
                messages.reverse();
            }
            json!({ "ok": true, "messages": messages, "has_more": false })
        }
        _ => json!({ "ok": true }),
    };
    {
        let mut s = state.lock().unwrap();
        s.calls[index].answer = answer.clone();
        s.calls[index].answered_at = Some(Instant::now());
    }
    if lost {
        return (StatusCode::GATEWAY_TIMEOUT, "the answer was lost").into_response();
    }
    axum::Json(answer).into_response()
}

/// The permalink Slack gives a message in the test workspace (domain `otagai-test`).
pub fn permalink(channel: &str, ts: &str) -> String {
    format!(
        "https://otagai-test.slack.com/archives/{channel}/p{}",
        ts.replace('.', "")
    )
}

fn fastrand_ts() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn hook(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = parse_body(&headers, None, &body);
    state.lock().unwrap().calls.push(Call {
        method: format!("hooks/{id}"),
        body: fields,
        authorization: None,
        at: Instant::now(),
        answered_at: Some(Instant::now()),
        answer: json!({ "ok": true }),
    });
    axum::Json(json!({ "ok": true })).into_response()
}
