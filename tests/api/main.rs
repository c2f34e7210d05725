//! Integration tests: the real server on loopback, a fake Slack, real SQLite files and a real
//! PostgreSQL (when `TEST_POSTGRES_URL` is set). One binary, one module per area.

mod fake_slack;
mod fake_socket;
mod helpers;

mod ask;
mod bonus;
mod command_names;
mod endpoints;
mod forget;
mod home;
mod invitations;
mod ledger;
mod messages_tab;
mod migrations;
mod one_on_one;
mod outbox;
mod outbox_exactly_once;
mod outbox_order;
mod outbox_pacing;
mod pulse;
mod reminders;
mod retention;
mod socket_mode;
mod thanks;
mod thanks_form;
