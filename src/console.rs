//! `otagai try`: the application core driven from a terminal, with no Slack at all.
//!
//! You type slash commands as a console user (`/thanks @bob +10 reviewed my PR #teamwork`,
//! `/1on1 add @bob weekly`), switch user with `:as bob`, language with `:lang ja`, and see what
//! Slack would show: the ephemeral reply, the public post and each DM. State lives in a real
//! SQLite file, and messages go through the real outbox, delivered to the screen instead of
//! Slack.
//!
//! The console has its own clock ([`ShiftedClock`]): `:time +8d` moves it forward and runs the
//! due jobs as `serve`'s scheduler would, so a 1on1 reminder can be seen without waiting a week,
//! and `:press held` presses a button of the last reminder or pulse the current user got.

use crate::app::{
    App, ButtonAction, Clock, CommandRequest, DirectoryError, DirectoryUser, UserDirectory,
};
use crate::clock::ShiftedClock;
use crate::config::Settings;
use crate::domain::{ChannelId, Locale, UserId};
use crate::outbox::{
    Body, Deliver, DeliveryError, Destination, OutboundMessage, OutboxWorker, ReminderDm,
};
use crate::storage::{self, Store};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The console's channel, where `/thanks` is "typed".
const CHANNEL: &str = "CTRYGENERAL";

/// What `:help` prints.
const HELP: &str = "\
  :as NAME               act as another user (created on first use)
  :lang en|ja            your language
  :who                   everyone in the console
  :time                  the console's time (in org.timezone) and when reminders may go out
  :time +Nd|+Nh|+Nm      move the clock forward, then run the due jobs (1on1 reminders);
                         +Nd goes on to the next reminder slot if none could go out then
  :time next-slot        jump to the next reminder slot, then run the due jobs
  :time YYYY-MM-DDTHH:MM jump forward to that local time, then run the due jobs
  :press BUTTON          press a button of the last reminder or pulse you got:
                         held, snooze, done N, useful 1-5, talk me|even|manager
  :quit                  leave (the data stays in the database)

  A 1on1 from start to finish (alice manages bob and carol; you are alice):
    /1on1 add @bob weekly
    /1on1 todo @bob draft the onboarding guide
    :time +8d            a week later the 1on1 is overdue: alice gets a reminder
    :press held          alice held it; bob is asked two anonymous questions
    :as bob
    :press useful 4
    :press talk me
    :as alice
    /1on1";

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

/// The buttons of the last reminder and the last pulse one person got, for `:press`.
#[derive(Debug, Clone, Default)]
struct Buttons {
    /// The latest reminder's pair and the action items it listed, each with a Done button.
    reminder: Option<(i64, Vec<i64>)>,
    /// The meeting the latest pulse asks about.
    pulse: Option<i64>,
}

type ButtonsByUser = Arc<Mutex<HashMap<UserId, Buttons>>>;

/// Delivers to the screen, as Slack would show each message, and remembers the buttons.
struct ConsoleDelivery {
    cast: Arc<Mutex<Cast>>,
    shown: Arc<Mutex<Vec<String>>>,
    buttons: ButtonsByUser,
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
        let mut body = cast.humanise(&m.text());
        if let Destination::Direct { user } = &m.to {
            let mut all = self.buttons.lock().expect("buttons lock");
            let mine = all.entry(user.clone()).or_default();
            match &m.body {
                Body::OneOnOneReminder(r) => {
                    mine.reminder = Some((r.pair_id, r.items.iter().map(|i| i.id).collect()));
                    body.push_str(&reminder_buttons(r));
                }
                Body::Pulse { meeting_id, .. } => {
                    mine.pulse = Some(*meeting_id);
                    body.push_str("\n(buttons: :press useful 1-5, :press talk me|even|manager)");
                }
                _ => {}
            }
        }
        let body = body.replace('\n', "\n      ");
        self.shown
            .lock()
            .expect("screen lock")
            .push(format!("  [{where_}]\n      {body}"));
        Ok(())
    }
}

/// The buttons under a reminder, as the `:press` words that press them.
fn reminder_buttons(r: &ReminderDm) -> String {
    let mut words = vec![":press held".to_owned(), ":press snooze".to_owned()];
    words.extend(r.items.iter().map(|i| format!(":press done {}", i.id)));
    format!("\n(buttons: {})", words.join(", "))
}

/// The console's side of the application: what `:time` and `:press` need.
struct Console {
    app: App,
    clock: Arc<ShiftedClock>,
    worker: OutboxWorker,
    shown: Arc<Mutex<Vec<String>>>,
    buttons: ButtonsByUser,
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
    let buttons = ButtonsByUser::default();
    let wake = Arc::new(Notify::new());
    let clock = Arc::new(ShiftedClock::new());
    let resumed = resume_clock(&store, &clock).await?;
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
            buttons: buttons.clone(),
        }),
        settings.outbox.clone(),
        wake,
    )
    .with_clock(clock.clone());
    let console = Console {
        app: app.clone(),
        clock,
        worker,
        shown,
        buttons,
    };
    let mut me = alice;
    writeln!(
        out,
        "otagai try: type /thanks, /bonus or /1on1 as a user. :help lists console commands \
         and a 1on1 walkthrough."
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
                _ => writeln!(out, "{HELP}")?,
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
        console.deliver(&mut out).await?;
    }
    writeln!(out)?;
    store.close().await;
    Ok(())
}

/// Moves a fresh console clock to the last message in the database when that is later than
/// now, so a session that went `:time +8d` and quit carries on from there instead of seeing its
/// own past in the future. Returns where the clock was moved to.
async fn resume_clock(
    store: &Store,
    clock: &ShiftedClock,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let latest = storage::outbox::latest_written_at(store)
        .await?
        .map(storage::from_millis)
        .filter(|t| *t > clock.now());
    if let Some(t) = latest {
        clock.set(t);
    }
    Ok(latest)
}

/// Where `:time` moves the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeMove {
    /// Forward by whole days, on to the next reminder slot if none can go out then.
    Days(i64),
    /// Forward by exactly this much.
    By(Duration),
    /// To the next reminder slot.
    NextSlot,
    /// To this local time of the organisation.
    At(NaiveDateTime),
}

/// Reads what follows `:time` (never empty).
fn parse_time_move(arg: &str) -> Result<TimeMove, String> {
    let usage = || {
        format!(
            "`{arg}`: write :time +8d, +3h, +30m, next-slot or a local time like 2026-12-01T09:30"
        )
    };
    if matches!(arg, "next-slot" | "next" | "slot") {
        return Ok(TimeMove::NextSlot);
    }
    if let Some(amount) = arg.strip_prefix('+') {
        let Some(unit) = amount.chars().last() else {
            return Err(usage());
        };
        let n = &amount[..amount.len() - unit.len_utf8()];
        let n: i64 = n.parse().map_err(|_| usage())?;
        // Ten years is further than anything in otagai looks.
        if !(0..=3650 * 24 * 60).contains(&n) {
            return Err(usage());
        }
        return match unit {
            'd' if n <= 3650 => Ok(TimeMove::Days(n)),
            'h' if n <= 3650 * 24 => Ok(TimeMove::By(Duration::hours(n))),
            'm' => Ok(TimeMove::By(Duration::minutes(n))),
            _ => Err(usage()),
        };
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(arg, f).ok())
        .map(TimeMove::At)
        .ok_or_else(usage)
}

impl Console {
    /// An instant as the organisation's wall clock shows it.
    fn local(&self, at: DateTime<Utc>) -> String {
        let tz = self.app.settings.org.timezone;
        format!(
            "{} {}",
            at.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
            tz
        )
    }

    /// `:time …`: shows the console's time, or moves it and runs the due jobs.
    async fn time(&self, arg: &str, out: &mut impl Write) -> anyhow::Result<()> {
        let s = &self.app.settings;
        let tz = s.org.timezone;
        let window = &s.one_on_one.window;
        let now = self.clock.now();
        if arg.is_empty() {
            writeln!(out, "  now {}", self.local(now))?;
            if window.open_slot(tz, now).is_some() {
                writeln!(out, "  reminders may go out now")?;
            } else {
                let next = window
                    .next_slot(tz, now)
                    .map_or_else(|| "none within a year".to_owned(), |t| self.local(t));
                let quiet = s
                    .org
                    .quiet_hours
                    .map(|q| format!(", quiet hours {q}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  no reminders go out now (remind_at `{}`{quiet}, never on holidays); \
                     next reminder slot: {next}",
                    s.one_on_one.remind_at
                )?;
            }
            return Ok(());
        }
        let how = match parse_time_move(arg) {
            Ok(how) => how,
            Err(e) => {
                writeln!(out, "  {e}")?;
                return Ok(());
            }
        };
        let mut note = "";
        let target = match how {
            TimeMove::By(d) => now + d,
            TimeMove::Days(n) => {
                let landed = now + Duration::days(n);
                match window.open_slot(tz, landed) {
                    Some(_) => landed,
                    None => match window.next_slot(tz, landed) {
                        Some(slot) => {
                            note = " (no reminder could go out then, so the clock went on to \
                                    the next reminder slot)";
                            slot
                        }
                        None => landed,
                    },
                }
            }
            TimeMove::NextSlot => match window.next_slot(tz, now) {
                Some(slot) => slot,
                None => {
                    writeln!(out, "  there is no reminder slot within a year")?;
                    return Ok(());
                }
            },
            TimeMove::At(local) => match tz.from_local_datetime(&local).earliest() {
                Some(t) if t.with_timezone(&Utc) >= now => t.with_timezone(&Utc),
                Some(_) => {
                    writeln!(
                        out,
                        "  the console's clock only moves forward (it is {}); \
                         a new --db starts again from today",
                        self.local(now)
                    )?;
                    return Ok(());
                }
                None => {
                    writeln!(out, "  {local} does not exist in {tz}")?;
                    return Ok(());
                }
            },
        };
        // A millisecond past: the clock drops what is below a millisecond, and a reminder slot
        // at 09:30:00 must not be read at 09:29:59.9995.
        self.clock.set(target + Duration::milliseconds(1));
        writeln!(out, "  now {}{note}", self.local(target))?;
        match self.app.run_due_jobs(self.clock.now(), false).await {
            Ok(r) => writeln!(
                out,
                "  due jobs ran: {} reminder{} queued",
                r.queued,
                if r.queued == 1 { "" } else { "s" }
            )?,
            Err(e) => writeln!(out, "  due jobs failed: {e:#}")?,
        }
        self.deliver(out).await
    }

    /// `:press …`: presses a button of the last reminder or pulse `me` got.
    async fn press(&self, me: &UserId, words: &[&str], out: &mut impl Write) -> anyhow::Result<()> {
        let mine = self
            .buttons
            .lock()
            .expect("buttons lock")
            .get(me)
            .cloned()
            .unwrap_or_default();
        let no_reminder =
            "  you have no reminder with buttons; :time +8d after /1on1 add brings one";
        let no_pulse = "  you have no pulse with buttons; it comes after a 1on1 is recorded";
        let action = match words {
            ["held"] | ["snooze"] => match mine.reminder {
                Some((pair_id, _)) if words[0] == "held" => ButtonAction::Held { pair_id },
                Some((pair_id, _)) => ButtonAction::Snooze { pair_id },
                None => return Ok(writeln!(out, "{no_reminder}")?),
            },
            ["done", n] => {
                let id = n.trim_start_matches('#').parse::<i64>().ok();
                match (mine.reminder, id) {
                    (None, _) => return Ok(writeln!(out, "{no_reminder}")?),
                    (Some((_, items)), Some(id)) if items.contains(&id) => {
                        ButtonAction::TodoDone { item_id: id }
                    }
                    (Some((_, items)), _) => {
                        let listed: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                        return Ok(writeln!(
                            out,
                            "  your last reminder has Done buttons for: {} (or type /1on1 todo done N)",
                            if listed.is_empty() {
                                "none".to_owned()
                            } else {
                                listed.join(", ")
                            }
                        )?);
                    }
                }
            }
            ["useful", n] => match (mine.pulse, n.parse::<i64>().ok()) {
                (None, _) => return Ok(writeln!(out, "{no_pulse}")?),
                (Some(meeting_id), Some(score)) if (1..=5).contains(&score) => {
                    ButtonAction::PulseUseful { meeting_id, score }
                }
                _ => return Ok(writeln!(out, "  the buttons are useful 1 to useful 5")?),
            },
            ["talk", who] => {
                let who = match who.to_ascii_lowercase().as_str() {
                    "me" | "report" => "report",
                    "even" => "even",
                    "manager" => "manager",
                    _ => {
                        return Ok(writeln!(
                            out,
                            "  the buttons are talk me, talk even, talk manager"
                        )?);
                    }
                };
                match mine.pulse {
                    Some(meeting_id) => ButtonAction::PulseTalk { meeting_id, who },
                    None => return Ok(writeln!(out, "{no_pulse}")?),
                }
            }
            _ => {
                return Ok(writeln!(
                    out,
                    "  buttons: held, snooze, done N (a reminder's), useful 1-5, talk me|even|manager (a pulse's)"
                )?);
            }
        };
        if let Err(e) = self.app.press_button(me, action, None).await {
            writeln!(out, "  the button failed: {e:#}")?;
        }
        // In Slack these two replace the reminder, buttons and all.
        if matches!(
            action,
            ButtonAction::Held { .. } | ButtonAction::Snooze { .. }
        ) && let Some(b) = self.buttons.lock().expect("buttons lock").get_mut(me)
        {
            b.reminder = None;
        }
        self.deliver(out).await
    }

    /// Lets the outbox deliver everything due to the screen, then shows it.
    async fn deliver(&self, out: &mut impl Write) -> anyhow::Result<()> {
        loop {
            let o = self.worker.try_execute_task().await?;
            if o.handled() == 0 {
                break;
            }
        }
        for s in self.shown.lock().expect("screen lock").drain(..) {
            writeln!(out, "{s}")?;
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_moves_are_read_or_refused() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let cases = [
            ("+8d", Ok(TimeMove::Days(8))),
            ("+0m", Ok(TimeMove::By(Duration::zero()))),
            ("+3h", Ok(TimeMove::By(Duration::hours(3)))),
            ("+90m", Ok(TimeMove::By(Duration::minutes(90)))),
            ("next-slot", Ok(TimeMove::NextSlot)),
            ("2026-12-01T09:30", Ok(TimeMove::At(at("2026-12-01 09:30")))),
            ("2026-12-01 09:30", Ok(TimeMove::At(at("2026-12-01 09:30")))),
        ];
        for (arg, want) in cases {
            assert_eq!(parse_time_move(arg), want, "{arg}");
        }
        for arg in [
            "+",
            "+8日",
            "8d",
            "+d",
            "+-1d",
            "+8w",
            "+99999d",
            "+1.5h",
            "tomorrow",
            "2026-13-01T09:30",
        ] {
            assert!(parse_time_move(arg).is_err(), "{arg}");
        }
    }
}
