//! Building and running the application: settings -> store -> app -> HTTP server + outbox
//! worker + scheduler, until a shutdown signal.

use crate::app::{
    App, Clock, DirectoryError, DirectoryUser, SingleFlight, SystemClock, UserDirectory,
};
use crate::config::{Deployment, Settings};
use crate::domain::UserId;
use crate::outbox::{Deliver, OutboxWorker};
use crate::scheduler::Scheduler;
use crate::slack::{SlackApi, SlackState, router};
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
    signing_secret: String,
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
        let (token, secret) = deployment.require_slack_secrets()?;
        let store =
            Store::connect(&deployment.database_url, settings.database.max_connections).await?;
        store.migrate().await?;
        let worker_store = store.with_own_pool(WORKER_CONNECTIONS).await?;
        let slack = Arc::new(SlackApi::new(
            &deployment.slack_api_url,
            token.expose(),
            settings.slack.request_timeout,
        )?);
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
        };
        Ok(Self {
            listener,
            app,
            signing_secret: secret.expose().to_owned(),
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
        OutboxWorker::new(
            self.worker_store.clone(),
            self.deliver.clone(),
            self.app.settings.outbox.clone(),
            self.app.outbox_wake.clone(),
        )
        .with_clock(self.app.clock.clone())
    }

    /// Serves until `shutdown` turns true; in-flight requests and the message in hand finish.
    pub async fn run_until_stopped(self, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
        let worker = self
            .run_worker
            .then(|| tokio::spawn(self.worker().run(shutdown.clone())));
        let scheduler = self
            .run_scheduler
            .then(|| tokio::spawn(Scheduler::new(self.app.clone()).run(shutdown.clone())));
        let state = SlackState {
            ack_timeout: self.app.settings.slack.ack_timeout,
            app: self.app.clone(),
            slack: self.slack.clone(),
        };
        let routes = router(state, &self.signing_secret);
        tracing::info!(addr = %self.local_addr(), "otagai is serving");
        let mut stop = shutdown.clone();
        axum::serve(self.listener, routes)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|s| *s).await;
            })
            .await
            .context("serving HTTP")?;
        if let Some(w) = worker {
            let _ = w.await;
        }
        if let Some(s) = scheduler {
            let _ = s.await;
        }
        self.app.store.close().await;
        self.worker_store.close().await;
        Ok(())
    }
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
    })
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
