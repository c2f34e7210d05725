//! Logging: `RUST_LOG` filters (default `info`), to standard error, coloured only on a terminal
//! (a log file or journald gets plain text).
//!
//! No level may name what people keep private: an anonymous asker, a 1on1's notes, a secret.
//! Code that logs a Slack call whose URL names a person marks it sensitive (see
//! `slack::client`), and use-cases log request IDs, never an anonymous asker.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Libraries that log what they carry at debug or trace: the WebSocket logs every Socket Mode
/// envelope (who typed what, an anonymous question included). Capped whatever `RUST_LOG` says.
const CAPPED: &[&str] = &["tungstenite=info", "tokio_tungstenite=info"];

pub fn init(default_filter: &str) {
    let mut filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    for directive in CAPPED {
        filter = filter.add_directive(directive.parse().expect("a valid directive"));
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
