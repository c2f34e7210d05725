//! `otagai try`: the application core driven from a terminal, with no Slack at all.
//!
//! You type slash commands as a console user (`/thanks @bob +10 reviewed my PR #teamwork`,
//! `/1on1 add @bob weekly`), switch user with `:as bob`, language with `:lang ja`, and see what
//! Slack would show: the ephemeral reply, the public post and each DM. State lives in a real
//! SQLite file, and messages go through the real outbox, delivered to the screen instead of
//! Slack.
//!
//! The console has its own clock ([`ShiftedClock`]): `:time +8d` moves it forward and runs the
//! due jobs as `serve`'s scheduler would, so a 1on1 reminder or an `/ask` nudge can be seen
//! without waiting, and `:press held` presses a button of the last reminder or pulse the current
//! user got.
//!
//! `/ask` works out of the box: without a configured help channel questions go to the console's
//! #general, and without topics there is `#payroll` with carol as its expert. What Slack would
//! send as events is typed: `:react ✅` / `:react 👀` on the last question and `:reply text` in
//! its thread go through [`App::track_request`] exactly as the events route does. The thanks
//! modal has no screen here: `:press thank` shows the prefilled form and `:thank` submits it.
//!
//! # Layout
//! - `mod.rs`: [`run`], the command loop, and the `Console` the other files add to.
//! - `cast.rs`: the people in the console, Slack markup shown as a person reads it, and the
//!   directory the application looks them up in.
//! - `delivery.rs`: the outbox's messages delivered to the screen; the buttons and the last
//!   question they leave for `:press`, `:react` and `:reply`.
//! - `time.rs`: `:time`, the console's clock and the due jobs it runs.
//! - `one_on_one.rs`: `:press`, and the buttons of 1on1 reminders and pulses.
//! - `ask.rs`: `/ask` from a terminal: `:press claim|resolve|thank`, `:react`, `:reply`, `:thank`.
//! - `help.rs`: what `:help` prints.

mod ask;
mod cast;
mod delivery;
mod help;
mod home;
mod one_on_one;
mod time;

use crate::app::{App, CommandRequest, ThanksModal};
use crate::clock::ShiftedClock;
use crate::config::{AskTopic, OutboxSettings, Settings};
use crate::domain::{ChannelId, Expert, Locale, UserId};
use crate::outbox::OutboxWorker;
use crate::storage::Store;
use cast::{Cast, ConsoleDirectory, to_slack_text};
use delivery::{ButtonsByUser, ConsoleDelivery, LastQuestion};
use help::HELP;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use time::resume_clock;
use tokio::sync::Notify;

/// The console's channel, where `/thanks` is "typed" and, unless configured otherwise, where
/// `/ask` posts.
const CHANNEL: &str = "CTRYGENERAL";

/// The response_url every console command and `/ask` button gets, as Slack gives one: what is
/// sent there is shown as `(only you)`.
const RESPONSE_URL: &str = "https://hooks.slack.invalid/otagai-try";

/// The console's side of the application: what `:time`, `:press`, `:react`, `:reply` and
/// `:thank` need.
struct Console {
    app: App,
    clock: Arc<ShiftedClock>,
    worker: OutboxWorker,
    cast: Arc<Mutex<Cast>>,
    shown: Arc<Mutex<Vec<String>>>,
    buttons: ButtonsByUser,
    last_question: LastQuestion,
    /// The thanks form each person has open (`:press thank`), until `:thank` sends it.
    thanks_forms: Mutex<HashMap<UserId, ThanksModal>>,
}

impl Console {
    /// One of the console's own lines, with the commands named as the settings call them.
    fn say(&self, line: &'static str) -> String {
        self.app.settings.commands.rename_literal(line)
    }
}

/// The console command that submits the thanks form (`:thanks-form @bob +10 …`).
const FORM_COMMAND: &str = concat!("thanks", "-form");

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
    // `/ask` needs somewhere to post: the console's channel, and a topic to try it with.
    if settings.ask.channel.is_none() {
        settings.ask.channel = ChannelId::parse(CHANNEL).ok();
    }
    if settings.ask.topics.is_empty() {
        let carol = Cast::id_for("carol").expect("carol is a valid name");
        settings.ask.topics.insert(
            "payroll".to_owned(),
            AskTopic {
                channel: None,
                experts: vec![Expert::User(carol)],
            },
        );
    }
    let org_locale = settings.org.locale;
    // The console speaks of the commands by the names they have in these settings.
    let names = settings.commands.clone();
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
    let buttons = ButtonsByUser::default();
    let last_question = LastQuestion::default();
    let wake = Arc::new(Notify::new());
    let clock = Arc::new(ShiftedClock::new());
    let resumed = resume_clock(&store, &clock).await?;
    let app = App {
        store: store.clone(),
        settings: Arc::new(settings.clone()),
        directory: Arc::new(ConsoleDirectory(cast.clone())),
        clock: clock.clone(),
        outbox_wake: wake.clone(),
        // The console's database is a trial: a fixed key keeps buckets stable across runs.
        pulse_key: crate::domain::PulseKey::derive("otagai try"),
        groups: Default::default(),
        home_wake: Arc::new(Notify::new()),
    };
    let worker = OutboxWorker::new(
        store.clone(),
        Arc::new(ConsoleDelivery {
            cast: cast.clone(),
            shown: shown.clone(),
            buttons: buttons.clone(),
            last_question: last_question.clone(),
            clock: clock.clone(),
            last_ts: Mutex::new(0),
            commands: names.clone(),
        }),
        // One message at a time: the console shows them in the order they were written.
        OutboxSettings {
            max_in_flight: 1,
            ..settings.outbox.clone()
        },
        wake,
    )
    .with_clock(clock.clone());
    let console = Console {
        app: app.clone(),
        clock,
        worker,
        cast: cast.clone(),
        shown,
        buttons,
        last_question,
        thanks_forms: Mutex::new(HashMap::new()),
    };
    let mut me = alice;
    writeln!(
        out,
        "{}",
        names.rename_literal(
            "otagai try: type /thanks, /bonus, /1on1 or /ask as a user. :help lists console \
             commands and walkthroughs of a 1on1 and a question."
        )
    )?;
    if let Some(at) = resumed {
        writeln!(
            out,
            "  the console's clock resumes where this database left off: {}",
            console.local(at)
        )?;
    }
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
                (Some("time"), first) => {
                    let arg: Vec<&str> = first.into_iter().chain(parts).collect();
                    console.time(&arg.join(" "), &mut out).await?;
                }
                (Some("press"), first) => {
                    let words: Vec<&str> = first.into_iter().chain(parts).collect();
                    console.press(&me, &words, &mut out).await?;
                }
                (Some("react"), Some(emoji)) => console.react(&me, emoji, &mut out).await?,
                (Some("reply"), Some(_)) => {
                    let text = cmd.trim_start()["reply".len()..].trim();
                    console.reply(&me, text, &mut out).await?;
                }
                (Some("home"), _) => console.home(&me, &mut out).await?,
                // (`thanks_form`, the console command `:thanks-form`.)
                (Some(c), _) if c == FORM_COMMAND => {
                    let args = cmd.trim_start()[FORM_COMMAND.len()..].trim();
                    console.thanks_form(&me, args, &mut out).await?;
                }
                (Some("thank"), _) => {
                    let rest = cmd.trim_start()["thank".len()..].trim();
                    console.thank(&me, rest, &mut out).await?;
                }
                _ => writeln!(out, "{}", names.rename_literal(HELP))?,
            }
            continue;
        }
        let (command, text) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if !command.starts_with('/') {
            writeln!(
                out,
                "{}",
                names.rename_literal(
                    "  type a slash command such as /thanks @bob thanks for the review, or :help"
                )
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
                response_url: Some(RESPONSE_URL.to_owned()),
                team_domain: None,
            })
            .await;
        let rendered = cast
            .lock()
            .expect("cast lock")
            .humanise(&reply.text)
            .replace('\n', "\n      ");
        writeln!(out, "  [only you]\n      {rendered}")?;
        console.deliver(&mut out).await?;
    }
    writeln!(out)?;
    store.close().await;
    Ok(())
}
