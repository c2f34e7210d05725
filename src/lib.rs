//! otagai (お互い, "each other"): a self-hosted Slack bot that makes relying on each other a
//! habit at work: `/thanks` with peer-bonus points from a monthly budget, `/bonus` to see and
//! administer points, `/1on1` with a scheduler that keeps manager–report 1on1s regular, and
//! `/ask`: help requests that are followed until resolved, nudged when nobody answers, and
//! closed with a thanks.
//!
//! # Layout
//! - [`domain`]: the rules, pure (identities, languages, budget periods, thanks validation,
//!   1on1 cadences and reminders, working hours, the help-request state machine).
//! - [`commands`]: slash-command text -> typed command, pure; help generated from it.
//! - [`app`]: use-cases. Domain + store + outbox in one transaction; what tests call.
//! - [`storage`]: the Store facade over SQLite or PostgreSQL, one portable SQL dialect.
//! - [`outbox`]: the only path by which messages leave, and its delivery worker.
//! - [`scheduler`]: jobs that decide what is due (1on1 reminders, nudges of unanswered
//!   questions) and enqueue it, exactly once.
//! - [`slack`]: the only module that knows Slack (routes, verification, Block Kit, Web API).
//! - [`console`]: `otagai try`, the same application core driven from a terminal.
//! - [`server`]: HTTP on hyper with timeouts and a connection cap.
//! - [`config`], [`i18n`], [`clock`], [`startup`], [`telemetry`], [`metrics`]: settings,
//!   message catalogs, the time, wiring, logs, `/metrics`.
//! - [`files`]: the database and exports are created private to the account (0600, folders
//!   0700).
//!
//! Data flows one way: Slack request -> `slack` (verify, parse) -> `commands` -> `app`
//! (rules from `domain`, one transaction through `storage`, outgoing messages into the outbox
//! in that transaction) -> ack. The outbox worker and the scheduler are the only other entry
//! points.

pub mod app;
pub mod clock;
pub mod commands;
pub mod config;
pub mod console;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod metrics;
pub mod outbox;
pub mod scheduler;
pub mod server;
pub mod slack;
pub mod startup;
pub mod storage;
pub mod telemetry;
