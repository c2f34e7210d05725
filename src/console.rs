//! `otagai try`: the application core driven from a terminal, with no Slack at all.
//!
//! You type slash commands as a console user (`/thanks @bob +10 reviewed my PR #teamwork`),
//! switch user with `:as bob`, language with `:lang ja`, and see what Slack would show: the
//! ephemeral reply, the public post and each DM. State lives in a real SQLite file, and
//! messages go through the real outbox, delivered to the screen instead of Slack.

use crate::app::{
    App, Clock, CommandRequest, DirectoryError, DirectoryUser, SystemClock, UserDirectory,
};
use crate::config::Settings;
use crate::domain::{ChannelId, Locale, UserId};
use crate::outbox::{Deliver, DeliveryError, Destination, OutboundMessage, OutboxWorker};
use crate::storage::Store;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The console's channel, where `/thanks` is "typed".
const CHANNEL: &str = "CTRYGENERAL";

/// The people in the console: a name for each ID, their language, and which are bots.
#[derive(Default)]
struct Cast {
    people: BTreeMap<UserId, (String, DirectoryUser)>,
}

impl Cast {
    fn id_for(name: &str) -> Option<UserId> {
        let clean: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        if clean.is_empty() || clean.len() > 20 || clean.len() != name.len() {
            return None;
        }
        UserId::parse(&format!("U{}", clean.to_ascii_uppercase())).ok()
    }

    fn add(&mut self, name: &str, locale: Locale, is_bot: bool) -> Option<UserId> {
        let id = Self::id_for(name)?;
        self.people.entry(id.clone()).or_insert_with(|| {
            (
                name.to_lowercase(),
                DirectoryUser {
                    is_bot,
                    deleted: false,
                    locale: Some(locale.code().to_owned()),
                    tz: None,
                },
            )
        });
        Some(id)
    }

    /// Shows `<@UBOB>` as `@bob`.
    fn humanise(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (id, (name, _)) in &self.people {
            out = out.replace(&format!("<@{id}>"), &format!("@{name}"));
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}

struct ConsoleDirectory(Arc<Mutex<Cast>>);

#[async_trait::async_trait]
impl UserDirectory for ConsoleDirectory {
    async fn lookup(&self, user: &UserId) -> Result<Option<DirectoryUser>, DirectoryError> {
        let cast = self.0.lock().expect("cast lock");
        Ok(cast.people.get(user).map(|(_, u)| u.clone()))
    }
}

/// Delivers to the screen, as Slack would show each message.
struct ConsoleDelivery {
    cast: Arc<Mutex<Cast>>,
    shown: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl Deliver for ConsoleDelivery {
    async fn deliver(&self, m: &OutboundMessage) -> Result<(), DeliveryError> {
        let cast = self.cast.lock().expect("cast lock");
        let where_ = match &m.to {
            Destination::Channel { channel, .. } => format!(
                "#{}",
                if channel.as_str() == CHANNEL {
                    "general"
                } else {
                    channel.as_str()
                }
            ),
            Destination::Direct { user } => format!("DM to {}", cast.humanise(&user.mention())),
            Destination::ResponseUrl { .. } => "(only you)".to_owned(),
        };
        let body = cast.humanise(&m.text()).replace('\n', "\n      ");
        self.shown
            .lock()
            .expect("screen lock")
            .push(format!("  [{where_}]\n      {body}"));
        Ok(())
    }
}

/// Runs the console over `input` until it ends or `:quit`, writing to `out`.
pub async fn run(
    settings: Settings,
    database_url: &str,
    input: impl BufRead,
    mut out: impl Write,
) -> anyhow::Result<()> {
    let mut settings = settings;
    // The cast lives in memory, so the users.info cache would only hide `:lang` changes.
    settings.slack.user_cache_ttl = std::time::Duration::ZERO;
    let alice = Cast::id_for("alice").expect("alice is a valid name");
    // Without configured admins, alice administers the console so every command can be tried.
    let alice_admin = settings.bonus.admins.is_empty();
    if alice_admin {
        settings.bonus.admins.push(alice.clone());
    }
    let org_locale = settings.org.locale;
    let store = Store::connect(database_url, 2).await?;
    store.migrate().await?;
    let cast = Arc::new(Mutex::new(Cast::default()));
    {
        let mut c = cast.lock().expect("cast lock");
        for name in ["alice", "bob", "carol"] {
            c.add(name, org_locale, false);
        }
        c.add("deploybot", Locale::En, true);
    }
    let shown = Arc::new(Mutex::new(Vec::new()));
    let wake = Arc::new(Notify::new());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let app = App {
        store: store.clone(),
        settings: Arc::new(settings.clone()),
        directory: Arc::new(ConsoleDirectory(cast.clone())),
        clock: clock.clone(),
        outbox_wake: wake.clone(),
    };
    let worker = OutboxWorker::new(
        store.clone(),
        Arc::new(ConsoleDelivery {
            cast: cast.clone(),
            shown: shown.clone(),
        }),
        settings.outbox.clone(),
        wake,
    )
    .with_clock(clock);
    let mut me = Cast::id_for("alice").expect("alice is a valid name");
    writeln!(
        out,
        "otagai try: type /thanks or /bonus as a user. :help lists console commands."
    )?;
    let mut lines = input.lines();
    loop {
        let name = cast
            .lock()
            .expect("cast lock")
            .people
            .get(&me)
            .map(|p| p.0.clone())
            .unwrap_or_default();
        write!(out, "{name}> ")?;
        out.flush()?;
        let Some(line) = lines.next() else { break };
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(cmd) = line.strip_prefix(':') {
            let mut parts = cmd.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some("quit" | "q" | "exit"), _) => break,
                (Some("as"), Some(who)) => {
                    let who = who.trim_start_matches('@');
                    match cast.lock().expect("cast lock").add(who, org_locale, false) {
                        Some(id) => me = id,
                        None => writeln!(out, "  names are letters and digits, like bob")?,
                    }
                }
                (Some("lang"), Some(l)) => match l.parse::<Locale>() {
                    Ok(l) => {
                        if let Some(p) = cast.lock().expect("cast lock").people.get_mut(&me) {
                            p.1.locale = Some(l.code().to_owned());
                        }
                    }
                    Err(e) => writeln!(out, "  {e}")?,
                },
                (Some("who"), _) => {
                    for (name, u) in cast.lock().expect("cast lock").people.values() {
                        let kind = if u.is_bot { " (bot)" } else { "" };
                        writeln!(
                            out,
                            "  @{name} [{}]{kind}",
                            u.locale.as_deref().unwrap_or("-")
                        )?;
                    }
                }
                _ => writeln!(
                    out,
                    "  :as NAME      act as another user (created on first use)\n  \
                     :lang en|ja   your language\n  :who          everyone in the console\n  \
                     :quit         leave (the data stays in the database)"
                )?,
            }
            continue;
        }
        let (command, text) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if !command.starts_with('/') {
            writeln!(
                out,
                "  type a slash command such as /thanks @bob thanks for the review, or :help"
            )?;
            continue;
        }
        let text = to_slack_text(&cast, text, org_locale);
        let reply = app
            .handle_command(CommandRequest {
                user: me.clone(),
                channel: ChannelId::parse(CHANNEL).ok(),
                command: command.to_owned(),
                text,
                request_key: format!("try-{}", uuid::Uuid::new_v4()),
                response_url: None,
            })
            .await;
        let rendered = cast
            .lock()
            .expect("cast lock")
            .humanise(&reply.text)
            .replace('\n', "\n      ");
        writeln!(out, "  [only you]\n      {rendered}")?;
        loop {
            let o = worker.try_execute_task().await?;
            if o.handled() == 0 {
                break;
            }
        }
        for s in shown.lock().expect("screen lock").drain(..) {
            writeln!(out, "{s}")?;
        }
    }
    writeln!(out)?;
    store.close().await;
    Ok(())
}

/// Escapes text the way Slack does and turns `@name` into the mention Slack would send.
fn to_slack_text(cast: &Arc<Mutex<Cast>>, text: &str, locale: Locale) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split(' ')
        .map(|word| match word.strip_prefix('@') {
            // Slack sends these as special mentions, not as people.
            Some(b @ ("here" | "channel" | "everyone")) => format!("<!{b}>"),
            Some(name) if !name.is_empty() => {
                match cast.lock().expect("cast lock").add(name, locale, false) {
                    Some(id) => id.mention(),
                    None => word.to_owned(),
                }
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
