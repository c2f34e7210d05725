//! Integration tests: the real server on loopback, a fake Slack, real SQLite files and a real
//! PostgreSQL (when `TEST_POSTGRES_URL` is set). One binary, one module per area.

mod fake_slack;
mod helpers;

mod ask;
mod bonus;
mod endpoints;
mod forget;
mod home;
mod invitations;
mod ledger;
mod one_on_one;
mod outbox;
mod pulse;
mod reminders;
mod retention;
mod thanks;
mod thanks_form;
