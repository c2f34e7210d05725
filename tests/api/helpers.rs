//! `spawn_app`: the real server on a loopback port, a fresh database per test (SQLite file or
//! PostgreSQL database), a fake Slack, and signed requests.

#![allow(dead_code)]

use crate::fake_slack::FakeSlack;
use crate::fake_socket::FakeSocket;
use hmac::{Hmac, KeyInit, Mac};
use otagai::app::App;
use otagai::config::{Deployment, Settings};
use otagai::outbox::OutboxWorker;
use otagai::startup::Application;
use otagai::storage::Store;
use sha2::Sha256;
use std::time::Duration;
use tokio::sync::watch;

pub const SIGNING_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
pub const BOT_TOKEN: &str = "xoxb-test-token";
pub const APP_TOKEN: &str = "xapp-1-test-token";

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The admin URL of a PostgreSQL server (from `TEST_POSTGRES_URL`).
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when `TEST_POSTGRES_URL` is set. In CI it must be: a silent skip there would
    /// hide half the suite.
    pub fn postgres() -> Option<Self> {
        match std::env::var("TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Self::Postgres(url)),
            _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!(
                    "CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite would not run"
                )
            }
            _ => {
                eprintln!("TEST_POSTGRES_URL not set: skipping the PostgreSQL variant");
                None
            }
        }
    }
}

/// A database that exists for one test and is removed after it.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn create(backend: &Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir =
                    std::env::temp_dir().join(format!("otagai-test-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&dir).unwrap();
                let file = dir.join("otagai.db");
                Self {
                    url: format!("sqlite://{}", file.display()),
                    cleanup: Cleanup::File(dir),
                }
            }
            Backend::Postgres(admin_url) => {
                use sqlx::Connection;
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(admin_url)
                    .await
                    .expect("connect to TEST_POSTGRES_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                conn.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                Self {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres {
                        admin_url: admin_url.clone(),
                        name,
                    },
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a fresh thread with its own runtime can block.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async {
                        use sqlx::Connection;
                        if let Ok(mut c) = sqlx::PgConnection::connect(&admin_url).await {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .execute(&mut c)
                            .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A running otagai with its fake Slack and database.
pub struct TestApp {
    pub address: String,
    pub slack: FakeSlack,
    /// The fake Socket Mode server, when the app uses Socket Mode.
    pub socket: Option<FakeSocket>,
    pub app: App,
    pub store: Store,
    pub http: reqwest::Client,
    pub db: TestDb,
    pub settings: Settings,
    /// The app's clock: the wall clock unless a test moves it.
    pub clock: std::sync::Arc<otagai::clock::ShiftedClock>,
    deployment: Deployment,
    shutdown: watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// How a test wants its app.
pub struct Options {
    /// Run the outbox worker inside the server (as `serve` does). Off: the test drives it.
    pub worker: bool,
    /// Run the scheduler inside the server (as `serve` does). Off (the default): tests run due
    /// jobs themselves as of the instant they choose.
    pub scheduler: bool,
    /// Settings changes on top of the defaults.
    pub settings: Box<dyn FnOnce(&mut Settings) + Send>,
    /// Also receive requests over Socket Mode, from a fake Socket Mode server.
    pub socket_mode: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            worker: true,
            scheduler: false,
            settings: Box::new(|_| {}),
            socket_mode: false,
        }
    }
}

impl Options {
    /// No worker or scheduler in the server: the test drives delivery itself (`app.worker()`),
    /// with `tweak` applied to the settings.
    pub fn manual(tweak: impl FnOnce(&mut Settings) + Send + 'static) -> Self {
        Self {
            worker: false,
            scheduler: false,
            settings: Box::new(tweak),
            ..Default::default()
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_test_writer()
        .try_init();
    let slack = FakeSlack::start().await;
    let socket = if options.socket_mode {
        let socket = FakeSocket::start().await;
        slack.serve_socket_mode_at(&socket.url);
        Some(socket)
    } else {
        None
    };
    let db = TestDb::create(&backend).await;
    let mut settings = Settings::defaults();
    settings.org.locale = otagai::domain::Locale::En;
    settings.outbox.poll_interval = Duration::from_millis(50);
    settings.outbox.backoff_base = Duration::from_millis(50);
    settings.outbox.backoff_max = Duration::from_millis(500);
    (options.settings)(&mut settings);
    let deployment = Deployment::from_env(|k| match k {
        "DATABASE_URL" => Some(db.url.clone()),
        "SLACK_API_URL" => Some(slack.api_url.clone()),
        "SLACK_BOT_TOKEN" => Some(BOT_TOKEN.into()),
        "SLACK_SIGNING_SECRET" => Some(SIGNING_SECRET.into()),
        "SLACK_APP_TOKEN" => socket.as_ref().map(|_| APP_TOKEN.into()),
        "OTAGAI_LISTEN" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .unwrap();
    let mut application = Application::build(settings.clone(), &deployment)
        .await
        .expect("build app");
    if !options.worker {
        application = application.without_worker();
    }
    if !options.scheduler {
        application = application.without_scheduler();
    }
    let clock = std::sync::Arc::new(otagai::clock::ShiftedClock::new());
    application = application.with_clock(clock.clone());
    let address = format!("http://{}", application.local_addr());
    let app = application.app().clone();
    let store = app.store.clone();
    let (tx, rx) = watch::channel(false);
    let server = tokio::spawn(application.run_until_stopped(rx));
    TestApp {
        address,
        slack,
        socket,
        app,
        store,
        http: reqwest::Client::new(),
        db,
        settings,
        clock,
        deployment,
        shutdown: tx,
        server: Some(server),
    }
}

/// `otagai serve` as its own process (the binary, as deployed), with `env` on top of what
/// [`spawn_app`] would use and its standard error in a file; the returned [`TestApp`] talks to
/// it over HTTP and reads the same database. Stop it with [`ServeProcess::stop`].
pub async fn spawn_serve_process(
    backend: Backend,
    env: &[(&str, &str)],
    socket_mode: bool,
) -> (TestApp, ServeProcess) {
    let slack = FakeSlack::start().await;
    let socket = if socket_mode {
        let socket = FakeSocket::start().await;
        slack.serve_socket_mode_at(&socket.url);
        Some(socket)
    } else {
        None
    };
    let db = TestDb::create(&backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let stderr_path =
        std::env::temp_dir().join(format!("otagai-serve-{}.log", uuid::Uuid::new_v4()));
    let stderr = std::fs::File::create(&stderr_path).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_otagai"));
    command
        .arg("serve")
        .env_remove("OTAGAI_CONFIG")
        .env("DATABASE_URL", &db.url)
        .env("SLACK_API_URL", &slack.api_url)
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        .env("OTAGAI_LISTEN", &listen)
        .env("OTAGAI__ORG__LOCALE", "en")
        .env("OTAGAI__OUTBOX__POLL_INTERVAL_MS", "50")
        .env_remove("SLACK_APP_TOKEN")
        .stdout(std::process::Stdio::null())
        .stderr(stderr);
    for (k, v) in env {
        command.env(k, v);
    }
    if socket.is_some() {
        command.env("SLACK_APP_TOKEN", APP_TOKEN);
    }
    let child = command.spawn().expect("start otagai serve");
    let address = format!("http://{listen}");
    let http = reqwest::Client::new();
    let started = std::time::Instant::now();
    while http.get(format!("{address}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "otagai serve did not start: {}",
            std::fs::read_to_string(&stderr_path).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut settings = Settings::defaults();
    settings.org.locale = otagai::domain::Locale::En;
    let deployment = Deployment::from_env(|k| match k {
        "DATABASE_URL" => Some(db.url.clone()),
        _ => None,
    })
    .unwrap();
    let app = otagai::startup::offline_app(settings.clone(), &deployment)
        .await
        .expect("the same database");
    let (tx, _) = watch::channel(false);
    let test_app = TestApp {
        address,
        slack,
        socket,
        store: app.store.clone(),
        app,
        http,
        db,
        settings,
        clock: std::sync::Arc::new(otagai::clock::ShiftedClock::new()),
        deployment,
        shutdown: tx,
        server: None,
    };
    (test_app, ServeProcess { child, stderr_path })
}

/// A running `otagai serve` process.
pub struct ServeProcess {
    child: std::process::Child,
    stderr_path: std::path::PathBuf,
}

impl ServeProcess {
    /// SIGTERM, as an operator stops it; returns everything it logged.
    pub fn stop(mut self) -> String {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

/// Slack's `v0` signature of `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A slash command's form body, as Slack sends it.
pub fn command_body(
    user: &str,
    command: &str,
    text: &str,
    trigger_id: &str,
    response_url: &str,
) -> String {
    serde_urlencoded::to_string([
        ("token", "legacy-verification-token"),
        ("team_id", "T0TEST"),
        ("team_domain", "otagai-test"),
        ("channel_id", "C0GENERAL"),
        ("channel_name", "general"),
        ("user_id", user),
        ("user_name", &user.to_lowercase()),
        ("command", command),
        ("text", text),
        ("api_app_id", "A0OTAGAI"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ])
    .unwrap()
}

/// A fresh message `ts`, as Slack writes them (`seconds.micros`), unique in the process.
pub fn fresh_ts() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}.{:06}",
        now_secs(),
        500_000 + N.fetch_add(1, Ordering::Relaxed) % 500_000
    )
}

/// A `reaction_added` event: `user` reacted with `name` to the message `ts` in `channel`.
pub fn reaction_event(user: &str, channel: &str, ts: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item": { "type": "message", "channel": channel, "ts": ts },
        "item_user": "U0SOMEONE",
        "event_ts": fresh_ts(),
    })
}

/// A `message` event: `user` wrote `text` in the thread of `thread_ts` in `channel`.
pub fn thread_reply_event(
    user: &str,
    channel: &str,
    thread_ts: &str,
    text: &str,
) -> serde_json::Value {
    let ts = fresh_ts();
    serde_json::json!({
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel_type": "channel",
        "event_ts": ts,
    })
}

/// The `state.values` of the /ask thanks modal: who, what, how many points (`""`: none).
pub fn view_values(recipients: &[&str], message: &str, points: &str) -> serde_json::Value {
    let points = if points.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::String(points.to_owned())
    };
    serde_json::json!({
        "recipients": { "recipients": { "type": "multi_users_select", "selected_users": recipients } },
        "message": { "message": { "type": "plain_text_input", "value": message } },
        "points": { "points": { "type": "plain_text_input", "value": points } },
    })
}

impl TestApp {
    /// POSTs `body` to `path`, signed now with the right secret.
    pub async fn post_signed(
        &self,
        path: &str,
        content_type: &str,
        body: String,
    ) -> reqwest::Response {
        let ts = now_secs();
        self.post_raw(
            path,
            content_type,
            body.clone(),
            Some((ts, sign(SIGNING_SECRET, ts, &body))),
        )
        .await
    }

    /// POSTs with whatever signature headers the test wants (or none).
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: String,
        signature: Option<(i64, String)>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body);
        if let Some((ts, sig)) = signature {
            req = req
                .header("x-slack-request-timestamp", ts.to_string())
                .header("x-slack-signature", sig);
        }
        req.send().await.expect("request")
    }

    /// Sends a slash command as `user` and returns the HTTP response.
    pub async fn command_with_trigger(
        &self,
        user: &str,
        command: &str,
        text: &str,
        trigger_id: &str,
    ) -> reqwest::Response {
        let body = command_body(
            user,
            command,
            text,
            trigger_id,
            &self.slack.response_url(trigger_id),
        );
        self.post_signed("/slack/commands", "application/x-www-form-urlencoded", body)
            .await
    }

    /// Sends a slash command with a fresh trigger_id; returns the ephemeral text.
    pub async fn command(&self, user: &str, command: &str, text: &str) -> String {
        let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
        let resp = self
            .command_with_trigger(user, command, text, &trigger)
            .await;
        assert_eq!(resp.status(), 200, "command {command} {text}");
        let v: serde_json::Value = resp.json().await.expect("JSON reply");
        assert_eq!(v["response_type"], "ephemeral");
        v["text"].as_str().unwrap_or_default().to_owned()
    }

    /// Presses a button as `user`: a signed `block_actions` interaction, as Slack posts it
    /// (a form with one field, `payload`, holding the JSON). Returns the HTTP response.
    pub async fn press(
        &self,
        user: &str,
        action_id: &str,
        value: &str,
        response_url: &str,
    ) -> reqwest::Response {
        let payload = serde_json::json!({
            "type": "block_actions",
            "user": { "id": user, "username": user.to_lowercase(), "team_id": "T0TEST" },
            "api_app_id": "A0OTAGAI",
            "token": "legacy-verification-token",
            "trigger_id": format!("trig-{}", uuid::Uuid::new_v4().simple()),
            "team": { "id": "T0TEST", "domain": "otagai-test" },
            "container": { "type": "message", "message_ts": "1700000000.000100", "channel_id": "D0DM", "is_ephemeral": false },
            "channel": { "id": "D0DM", "name": "directmessage" },
            "response_url": response_url,
            "actions": [{
                "action_id": action_id,
                "block_id": "b1",
                "text": { "type": "plain_text", "text": "button", "emoji": true },
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000200"
            }]
        });
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
        self.post_signed(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
        )
        .await
    }

    /// Presses a button on a message in a channel (say, the help post in `C0HELP`), as `user`:
    /// a signed `block_actions` with that channel and message as its container. A fresh
    /// `trigger_id` (`trig-…`).
    pub async fn press_on(
        &self,
        user: &str,
        action_id: &str,
        value: &str,
        channel: &str,
        message_ts: &str,
        response_url: &str,
    ) -> reqwest::Response {
        let trigger = format!("trig-{}", uuid::Uuid::new_v4().simple());
        self.press_with_trigger(
            user,
            action_id,
            value,
            channel,
            message_ts,
            response_url,
            &trigger,
        )
        .await
    }

    /// [`TestApp::press_on`] with a chosen `trigger_id` (what `views.open` must be called with).
    #[allow(clippy::too_many_arguments)]
    pub async fn press_with_trigger(
        &self,
        user: &str,
        action_id: &str,
        value: &str,
        channel: &str,
        message_ts: &str,
        response_url: &str,
        trigger_id: &str,
    ) -> reqwest::Response {
        let payload = serde_json::json!({
            "type": "block_actions",
            "user": { "id": user, "username": user.to_lowercase(), "name": user.to_lowercase(), "team_id": "T0TEST" },
            "api_app_id": "A0OTAGAI",
            "token": "legacy-verification-token",
            "trigger_id": trigger_id,
            "team": { "id": "T0TEST", "domain": "otagai-test" },
            "container": { "type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": false },
            "channel": { "id": channel, "name": channel.to_lowercase() },
            "message": { "type": "message", "ts": message_ts, "text": "", "user": "UOTAGAIBOT", "bot_id": "B0OTAGAI" },
            "response_url": response_url,
            "actions": [{
                "action_id": action_id,
                "block_id": "b1",
                "text": { "type": "plain_text", "text": "button", "emoji": true },
                "value": value,
                "type": "button",
                "action_ts": format!("{}.000300", now_secs())
            }]
        });
        self.interaction(payload).await
    }

    /// Submits a modal as `user`: a signed `view_submission` whose state holds `values`
    /// (see [`view_values`]). The answer is an empty 200, or `{"response_action":"errors",…}`.
    pub async fn submit_view(
        &self,
        user: &str,
        callback_id: &str,
        private_metadata: &str,
        values: serde_json::Value,
    ) -> reqwest::Response {
        self.submit_view_with_id(user, callback_id, private_metadata, values, "V1")
            .await
    }

    /// [`Self::submit_view`] of the view `view_id` (a submission is recognised by its view).
    pub async fn submit_view_with_id(
        &self,
        user: &str,
        callback_id: &str,
        private_metadata: &str,
        values: serde_json::Value,
        view_id: &str,
    ) -> reqwest::Response {
        let payload = serde_json::json!({
            "type": "view_submission",
            "team": { "id": "T0TEST", "domain": "otagai-test" },
            "user": { "id": user, "username": user.to_lowercase(), "name": user.to_lowercase(), "team_id": "T0TEST" },
            "api_app_id": "A0OTAGAI",
            "token": "legacy-verification-token",
            "trigger_id": format!("trig-{}", uuid::Uuid::new_v4().simple()),
            "view": {
                "id": view_id,
                "team_id": "T0TEST",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": { "values": values },
                "hash": "h",
                "title": { "type": "plain_text", "text": "t" },
                "blocks": [],
                "previous_view_id": null,
                "root_view_id": view_id,
                "app_id": "A0OTAGAI",
                "bot_id": "B0OTAGAI"
            },
            "response_urls": [],
            "is_enterprise_install": false
        });
        self.interaction(payload).await
    }

    /// POSTs an interaction payload as Slack does: a signed form with one field, `payload`.
    pub async fn interaction(&self, payload: serde_json::Value) -> reqwest::Response {
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
        self.post_signed(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
        )
        .await
    }

    /// Sends `event` (the inner event) as a signed `event_callback` with a fresh `event_id`.
    pub async fn event(&self, event: serde_json::Value) -> reqwest::Response {
        let id = format!("Ev{}", uuid::Uuid::new_v4().simple());
        self.event_with_id(&id, event, None).await
    }

    /// Sends `event` as a signed `event_callback` with `event_id`; `retry: Some(n)` marks it as
    /// Slack's n-th retry (`X-Slack-Retry-Num`, `X-Slack-Retry-Reason: http_timeout`).
    pub async fn event_with_id(
        &self,
        event_id: &str,
        event: serde_json::Value,
        retry: Option<u32>,
    ) -> reqwest::Response {
        let body = serde_json::json!({
            "token": "legacy-verification-token",
            "type": "event_callback",
            "team_id": "T0TEST",
            "api_app_id": "A0OTAGAI",
            "event": event,
            "event_id": event_id,
            "event_time": now_secs(),
            "event_context": "EC0TEST",
            "authorizations": [{ "team_id": "T0TEST", "user_id": "UOTAGAIBOT", "is_bot": true, "is_enterprise_install": false }],
            "is_ext_shared_channel": false
        })
        .to_string();
        let ts = now_secs();
        let mut req = self
            .http
            .post(format!("{}/slack/events", self.address))
            .header("content-type", "application/json")
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", sign(SIGNING_SECRET, ts, &body))
            .body(body);
        if let Some(n) = retry {
            req = req
                .header("x-slack-retry-num", n.to_string())
                .header("x-slack-retry-reason", "http_timeout");
        }
        req.send().await.expect("request")
    }

    /// `user` adds the reaction `name` (`eyes`, `white_check_mark`, …) to the message `ts` in
    /// `channel`: a `reaction_added` event.
    pub async fn reaction(
        &self,
        user: &str,
        channel: &str,
        ts: &str,
        name: &str,
    ) -> reqwest::Response {
        self.event(reaction_event(user, channel, ts, name)).await
    }

    /// `user` writes `text` in the thread of `thread_ts` in `channel`: a `message` event.
    pub async fn thread_reply(
        &self,
        user: &str,
        channel: &str,
        thread_ts: &str,
        text: &str,
    ) -> reqwest::Response {
        self.event(thread_reply_event(user, channel, thread_ts, text))
            .await
    }

    /// `/thanks` as `user`.
    pub async fn thanks(&self, user: &str, text: &str) -> String {
        self.command(user, "/thanks", text).await
    }

    /// A new outbox worker over this app's store, delivering to the fake Slack.
    pub fn worker(&self) -> OutboxWorker {
        let slack = std::sync::Arc::new(
            otagai::slack::SlackApi::new(
                &self.slack.api_url,
                BOT_TOKEN,
                Duration::from_secs(5),
                self.settings.commands.clone(),
            )
            .unwrap(),
        );
        OutboxWorker::new(
            self.store.clone(),
            slack,
            self.settings.outbox.clone(),
            self.app.outbox_wake.clone(),
        )
    }

    /// Runs worker steps until the outbox has nothing due (or `max_steps`).
    pub async fn drain_outbox(&self, max_steps: usize) {
        let worker = self.worker();
        for _ in 0..max_steps {
            let o = worker.try_execute_task().await.expect("outbox step");
            if o.handled() == 0 {
                return;
            }
        }
    }

    /// (pending, sent, failed) in the outbox.
    pub async fn outbox_counts(&self) -> (i64, i64, i64) {
        otagai::storage::outbox::counts(&self.store).await.unwrap()
    }

    /// The ledger agrees with every budget row.
    pub async fn assert_ledger_consistent(&self) {
        let mut conn = self.store.pool().acquire().await.unwrap();
        let bad = otagai::storage::thanks::budget_mismatches(&mut conn)
            .await
            .unwrap();
        assert!(bad.is_empty(), "ledger and budgets disagree: {bad:?}");
    }

    /// Stops the server (and its worker) gracefully.
    pub async fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(s) = self.server.take() {
            let _ = s.await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Declares a test that runs on SQLite and (when configured) PostgreSQL:
/// `both_backends!(a_test_fn);` makes `a_test_fn::sqlite` and `a_test_fn::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(b) = $crate::helpers::Backend::postgres() {
                    super::$name(b).await
                }
            }
        }
    )*};
}
