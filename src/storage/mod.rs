//! The Store: one facade of intention-named methods over SQLite or PostgreSQL.
//!
//! Both backends run the same portable SQL through sqlx's `Any` driver (`$1` placeholders,
//! BIGINT unix-millisecond times, `ON CONFLICT`, `RETURNING`), so every rule is written once.
//! Where the backends must differ (how a write transaction starts, how the outbox is claimed)
//! the difference is a [`Backend`] match in one place. Schemas live in `migrations/sqlite` and
//! `migrations/postgres` with the same version numbers.
//!
//! Query functions take `&mut AnyConnection`, so a use-case composes them inside one
//! transaction from [`Store::begin`].

pub mod admin;
pub mod ask;
pub mod budget;
pub mod forget;
pub mod home;
pub mod invitations;
pub mod outbox;
pub mod pairs;
pub mod reminders;
pub mod requests;
pub mod retention;
pub mod thanks;
pub mod users;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use sqlx::AnyConnection as Conn;

/// A write transaction. It derefs to the connection, so query functions take `&mut tx`.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    /// On SQLite, this process's turn to write (see [`Store::begin`]).
    _turn: Option<OwnedSemaphorePermit>,
}

impl Tx {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, shared by every use-case.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time. Writers of this process queue here, first come first
    /// served, instead of polling SQLite's lock with growing sleeps (which made the slowest
    /// of many concurrent writers wait far longer than the work in front of it).
    sqlite_writer: Option<Arc<Semaphore>>,
    /// On SQLite, where ordinary writers queue before they may wait for [`Store::sqlite_writer`]:
    /// one at a time, so a store with `priority` (the outbox worker's) waits behind at most one
    /// transaction, not behind every request handler in the queue.
    sqlite_queue: Option<Arc<Semaphore>>,
    /// This store's writers skip [`Store::sqlite_queue`].
    priority: bool,
    /// How to open more connections ([`Store::with_own_pool`]).
    options: AnyConnectOptions,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). A SQLite file and its folder are
    /// created if missing, private to this account ([`crate::files`]).
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            let file = path.split('?').next().unwrap_or_default();
            if file.is_empty() || file.contains(":memory:") {
                anyhow::bail!(
                    "DATABASE_URL: an in-memory SQLite database would vanish between connections; name a file"
                );
            }
            // The database holds private 1on1 notes: created 0600 (its folder 0700) before
            // SQLite opens it, so its -wal and -shm, which SQLite creates with the database
            // file's permissions, are private too. A read-only URL creates nothing.
            if !path.contains("mode=") || path.contains("mode=rwc") {
                crate::files::prepare_sqlite_file(std::path::Path::new(file))?;
            }
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = if path.contains("mode=") {
                format!("sqlite://{path}")
            } else {
                format!("sqlite://{path}{sep}mode=rwc")
            };
            (Backend::Sqlite, url)
        } else {
            (Backend::Postgres, url.to_owned())
        };
        let options = AnyConnectOptions::from_str(&url).context("parsing DATABASE_URL")?;
        let pool = open_pool(backend, &options, max_connections).await?;
        let sqlite_writer = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        let sqlite_queue = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        Ok(Self {
            pool,
            backend,
            sqlite_writer,
            sqlite_queue,
            priority: false,
            options,
        })
    }

    /// The same database through a pool of its own with `max_connections`, so its user (the
    /// outbox worker) never queues for a connection behind request handlers. On SQLite its
    /// writers also go before the queue of ordinary writers: they wait for the one transaction
    /// in progress and at most one other, not for every request in line (under load the worker
    /// would otherwise deliver a few messages a second).
    pub async fn with_own_pool(&self, max_connections: u32) -> anyhow::Result<Self> {
        Ok(Self {
            pool: open_pool(self.backend, &self.options, max_connections).await?,
            backend: self.backend,
            sqlite_writer: self.sqlite_writer.clone(),
            sqlite_queue: self.sqlite_queue.clone(),
            priority: true,
            options: self.options.clone(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every pending migration of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes can never fail half-way with
    /// "database is locked"; on PostgreSQL row locks and conditional updates do the work.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        let turn = match &self.sqlite_writer {
            Some(w) => {
                let in_line = match (&self.sqlite_queue, self.priority) {
                    (Some(q), false) => Some(q.acquire().await.context("waiting to write")?),
                    _ => None,
                };
                let turn = w
                    .clone()
                    .acquire_owned()
                    .await
                    .context("waiting to write")?;
                drop(in_line);
                Some(turn)
            }
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        };
        Ok(Tx {
            tx: tx.context("starting a transaction")?,
            backend: self.backend,
            _turn: turn,
        })
    }

    /// For reads. Every write goes through [`Store::begin`].
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Is the database reachable? (`/readyz`)
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn open_pool(
    backend: Backend,
    options: &AnyConnectOptions,
    max_connections: u32,
) -> anyhow::Result<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers work while one writer commits; the busy timeout makes
                    // concurrent writers queue instead of failing.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 15000; \
                         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await
        .context("connecting to the database")
}

/// Unix milliseconds, the one time representation in the database.
pub fn millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`millis`].
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
