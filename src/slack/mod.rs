//! The only module that knows Slack: request verification, payload mapping, the HTTP routes,
//! Block Kit rendering and the Web API client. Everything it receives is handed to `app` as
//! plain product types; everything it sends comes from the outbox.

mod blocks;
mod client;
mod dispatch;
mod forms;
mod home;
mod manifest;
mod response_url;
mod routes;
mod socket;
mod verify;

pub use client::{AuthState, BotIdentity, SlackApi};
pub use dispatch::{Ack, Inbound, SlackState, dispatch};
pub use manifest::{BOT_EVENTS, Transport, bot_scopes, manifest};
pub use response_url::ResponseUrls;
pub use routes::router;
pub use socket::SocketMode;
