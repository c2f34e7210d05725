//! Building and running the application: settings -> store -> app -> HTTP server + outbox
//! worker + scheduler, until a shutdown signal.

use crate::app::{
    App, Clock, DirectoryError, DirectoryUser, SingleFlight, SystemClock, UserDirectory,
};
use crate::config::{ConfigError, Deployment, Secret, Settings};
use crate::domain::{PulseKey, UserId};
use crate::outbox::{Deliver, DeliveryError, HomeRefresher, OutboxWorker};
use crate::scheduler::Scheduler;
use crate::slack::{SlackApi, SlackState, SocketMode, router};
use crate::storage::Store;
use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Connections of the outbox worker's own pool: one claims or records (in batches) while
/// another reads a post's version for a redraw.
const WORKER_CONNECTIONS: u32 = 2;

/// A built application: bound to its port, migrations applied, ready to run.
pub struct Application {
    listener: TcpListener,
    app: App,
    /// Verifies HTTP requests; without it only `/healthz` and `/readyz` are served.
    signing_secret: Option<Secret>,
    /// Socket Mode, when set.
    app_token: Option<Secret>,
    deliver: Arc<dyn Deliver>,
    /// The Web API, for what cannot go through the outbox (opening a modal).
    slack: Arc<SlackApi>,
    /// The database as the outbox worker reaches it: a small pool of its own, so it never
    /// waits behind request handlers for a connection.
    worker_store: Store,
    run_worker: bool,
    run_scheduler: bool,
}

impl Application {
    /// Connects, migrates and binds. `OTAGAI_LISTEN` with port 0 picks a free port (tests).
    pub async fn build(settings: Settings, deployment: &Deployment) -> anyhow::Result<Self> {
        let secrets = deployment.require_slack_secrets()?;
        let store =
            Store::connect(&deployment.database_url, settings.database.max_connections).await?;
        store.migrate().await?;
        let worker_store = store.with_own_pool(WORKER_CONNECTIONS).await?;
        let slack = Arc::new(SlackApi::new(
            &deployment.slack_api_url,
            secrets.bot_token.expose(),
            settings.slack.request_timeout,
            settings.commands.clone(),
        )?);
        check_slack_tokens(&slack, secrets.app_token.as_ref()).await?;
        let listener = TcpListener::bind(&deployment.listen)
            .await
            .with_context(|| format!("binding {}", deployment.listen))?;
        // One users.info per person at a time, however many requests need them at once.
        let directory: Arc<dyn UserDirectory> = Arc::new(SingleFlight::new(slack.clone()));
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let app = App {
            store,
            settings: Arc::new(settings),
            directory,
            clock,
            outbox_wake: Arc::new(Notify::new()),
            pulse_key: pulse_key(deployment),
            groups: Default::default(),
            home_wake: Arc::new(Notify::new()),
        };
        Ok(Self {
            listener,
            app,
            signing_secret: secrets.signing_secret,
            app_token: secrets.app_token,
            deliver: slack.clone(),
            slack,
            worker_store,
            run_worker: true,
            run_scheduler: true,
        })
    }

    /// Runs no scheduler; the caller runs due jobs itself (tests that choose the time).
    pub fn without_scheduler(mut self) -> Self {
        self.run_scheduler = false;
        self
    }

    /// Reads the time from `clock` (tests that move it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.app.clock = clock;
        self
    }

    /// Serve HTTP only; the caller drives the outbox (tests of the worker itself).
    pub fn without_worker(mut self) -> Self {
        self.run_worker = false;
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener")
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// A worker over this application's store, delivering to Slack.
    pub fn worker(&self) -> OutboxWorker {
        self.worker_factory()()
    }

    /// Makes workers over this application's store (a new one after a panic).
    fn worker_factory(&self) -> impl Fn() -> OutboxWorker + Send + 'static {
        let (store, deliver) = (self.worker_store.clone(), self.deliver.clone());
        let (settings, wake, clock) = (
            self.app.settings.outbox.clone(),
            self.app.outbox_wake.clone(),
            self.app.clock.clone(),
        );
        move || {
            OutboxWorker::new(
                store.clone(),
                deliver.clone(),
                settings.clone(),
                wake.clone(),
            )
            .with_clock(clock.clone())
        }
    }

    /// The Home tab refresher over this application's store, building tabs with its app and
    /// publishing them to Slack.
    pub fn home_refresher(&self) -> HomeRefresher {
        self.refresher_factory()()
    }

    /// Makes Home tab refreshers (a new one after a panic).
    fn refresher_factory(&self) -> impl Fn() -> HomeRefresher + Send + 'static {
        let (app, deliver) = (self.app.clone(), self.deliver.clone());
        move || {
            HomeRefresher::new(
                app.store.clone(),
                Arc::new(app.clone()),
                deliver.clone(),
                app.settings.outbox.clone(),
                app.home_wake.clone(),
            )
        }
    }

    /// Serves until `shutdown` turns true; in-flight requests and the message in hand finish.
    pub async fn run_until_stopped(self, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
        let worker = self.run_worker.then(|| {
            let (make, stop) = (self.worker_factory(), shutdown.clone());
            tokio::spawn(supervised("outbox worker", shutdown.clone(), move || {
                make().run(stop.clone())
            }))
        });
        let refresher = self.run_worker.then(|| {
            let (make, stop) = (self.refresher_factory(), shutdown.clone());
            tokio::spawn(supervised("home refresher", shutdown.clone(), move || {
                make().run(stop.clone())
            }))
        });
        let scheduler = self.run_scheduler.then(|| {
            let (app, stop) = (self.app.clone(), shutdown.clone());
            tokio::spawn(supervised("scheduler", shutdown.clone(), move || {
                Scheduler::new(app.clone()).run(stop.clone())
            }))
        });
        let state = SlackState {
            ack_timeout: self.app.settings.slack.ack_timeout,
            app: self.app.clone(),
            slack: self.slack.clone(),
        };
        let socket = self.app_token.clone().map(|token| {
            tracing::info!("receiving Slack's requests over Socket Mode");
            tokio::spawn(SocketMode::new(state.clone(), token).run(shutdown.clone()))
        });
        let limits = self.app.settings.http.clone();
        let secret = self.signing_secret.as_ref().map(Secret::expose);
        if secret.is_none() {
            tracing::info!("no SLACK_SIGNING_SECRET: HTTP serves /healthz and /readyz only");
        }
        let routes = router(state, secret, limits.body_timeout);
        tracing::info!(addr = %self.local_addr(), "otagai is serving");
        crate::server::serve(self.listener, routes, &limits, shutdown.clone())
            .await
            .context("serving HTTP")?;
        if let Some(w) = worker {
            let _ = w.await;
        }
        if let Some(r) = refresher {
            let _ = r.await;
        }
        if let Some(s) = scheduler {
            let _ = s.await;
        }
        if let Some(s) = socket {
            let _ = s.await;
        }
        self.app.store.close().await;
        self.worker_store.close().await;
        Ok(())
    }
}

/// Asks Slack whose tokens these are before serving: a token Slack refuses stops `serve` with
/// one line naming the variable (never its value); a Slack that cannot be reached only warns,
/// since messages wait in the outbox until it can.
async fn check_slack_tokens(slack: &SlackApi, app_token: Option<&Secret>) -> anyhow::Result<()> {
    match slack.check_auth().await {
        Ok(me) => {
            tracing::info!(bot = %me.user_id, team = %me.team, team_id = %me.team_id, "Slack accepts the bot token")
        }
        Err(DeliveryError::Permanent(code) | DeliveryError::Unauthorized(code)) => {
            return Err(ConfigError::new(
                "SLACK_BOT_TOKEN",
                format!(
                    "Slack refused it ({code}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, and reinstall the app if it was revoked"
                ),
            )
            .into());
        }
        Err(e) => tracing::warn!(error = %e, "could not reach Slack to check the bot token"),
    }
    if let Some(token) = app_token {
        match slack.open_socket(token.expose()).await {
            Ok(_) => tracing::info!("Slack accepts the app-level token"),
            Err(DeliveryError::Permanent(code) | DeliveryError::Unauthorized(code)) => {
                return Err(ConfigError::new(
                    "SLACK_APP_TOKEN",
                    format!(
                        "Slack refused it ({code}): create an app-level token with the connections:write scope under Basic Information > App-Level Tokens, and turn on Socket Mode"
                    ),
                )
                .into());
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not reach Slack to check the app-level token")
            }
        }
    }
    Ok(())
}

/// The application core without Slack, for command-line jobs (`jobs run`) that only read the
/// database and write the outbox: a running `serve` delivers what they enqueue.
pub async fn offline_app(settings: Settings, deployment: &Deployment) -> anyhow::Result<App> {
    let store = Store::connect(&deployment.database_url, 2).await?;
    store.migrate().await?;
    Ok(App {
        store,
        settings: Arc::new(settings),
        directory: Arc::new(NoDirectory),
        clock: Arc::new(SystemClock),
        outbox_wake: Arc::new(Notify::new()),
        pulse_key: pulse_key(deployment),
        groups: Default::default(),
        home_wake: Arc::new(Notify::new()),
    })
}

/// The key of the pulse's per-report buckets: a secret that is not in the database, the same
/// for `serve` and `jobs run` — the signing secret, else (Socket Mode without one) the
/// app-level token, else (a job with neither; jobs answer no pulse) a key nobody can reproduce.
fn pulse_key(deployment: &Deployment) -> PulseKey {
    match deployment
        .signing_secret
        .as_ref()
        .or(deployment.app_token.as_ref())
    {
        Some(secret) => PulseKey::derive(secret.expose()),
        None => PulseKey::derive(&uuid::Uuid::new_v4().to_string()),
    }
}

/// A directory that cannot be reached: jobs use what the cache knows.
struct NoDirectory;

#[async_trait::async_trait]
impl UserDirectory for NoDirectory {
    async fn lookup(&self, _user: &UserId) -> Result<Option<DirectoryUser>, DirectoryError> {
        Err(DirectoryError(
            "Slack is not reachable from this command".into(),
        ))
    }
}

/// Turns Ctrl-C or SIGTERM into a shutdown signal.
pub fn shutdown_on_signals() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let term = async {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {}
            _ = term => {}
        }
        tracing::info!("shutting down");
        let _ = tx.send(true);
    });
    rx
}

/// Runs the task `start` makes until `shutdown` turns true; if it panics first, logs it and
/// starts a new one a second later, so one bad message or bug does not end delivery or the
/// reminders until the next restart. What the dead task had claimed is taken over when its
/// leases run out.
async fn supervised<F, Fut>(name: &'static str, shutdown: watch::Receiver<bool>, start: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(start()).await {
            Ok(()) => return,
            Err(e) if e.is_panic() && !*shutdown.borrow() => {
                crate::metrics::METRICS
                    .task_panics
                    .with_label_values(&[name])
                    .inc();
                tracing::error!(task = name, error = %e, "panicked; starting it again in 1 s");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_task_that_panics_is_started_again_and_one_that_ends_is_not() {
        let (_stop, shutdown) = watch::channel(false);
        let starts = Arc::new(AtomicUsize::new(0));
        let counted = starts.clone();
        supervised("test task", shutdown, move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    panic!("a bug in pass {n}");
                }
            }
        })
        .await;
        assert_eq!(
            starts.load(Ordering::SeqCst),
            3,
            "two panics, then a clean end"
        );
    }
}
