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

use crate::app::{
    App, ButtonAction, Clock, CommandRequest, DirectoryError, DirectoryUser, RequestAction,
    RequestRef, ThanksForm, ThanksModal, TrackOutcome, UserDirectory,
};
use crate::clock::ShiftedClock;
use crate::config::{AskTopic, Settings};
use crate::domain::{ChannelId, Expert, Locale, UserId};
use crate::i18n::{tr, tr0};
use crate::outbox::{
    Body, Deliver, Delivered, DeliveryError, Destination, OutboundMessage, OutboxWorker, ReminderDm,
};
use crate::storage::{self, Store};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The console's channel, where `/thanks` is "typed" and, unless configured otherwise, where
/// `/ask` posts.
const CHANNEL: &str = "CTRYGENERAL";

/// The response_url every console command and `/ask` button gets, as Slack gives one: what is
/// sent there is shown as `(only you)`.
const RESPONSE_URL: &str = "https://hooks.slack.invalid/otagai-try";

/// What `:help` prints.
const HELP: &str = "\
  :as NAME               act as another user (created on first use)
  :lang en|ja            your language
  :who                   everyone in the console
  :time                  the console's time (in org.timezone), when reminders may go out and
                         whether it is working time (when /ask nudges may go out)
  :time +Nd|+Nh|+Nm      move the clock forward, then run the due jobs (1on1 reminders,
                         /ask nudges in working hours);
                         +Nd goes on to the next reminder slot if none could go out then
  :time next-slot        jump to the next reminder slot, then run the due jobs
  :time YYYY-MM-DDTHH:MM jump forward to that local time, then run the due jobs
  :press BUTTON          press a button of the last reminder or pulse you got:
                         held, snooze, done N, useful 1-5, talk me|even|manager;
                         claim, resolve (on the last question); thank (your resolved question)
  :react ✅|👀           react to the last question: ✅ resolves it (the asker's only),
                         👀 takes it on
  :reply TEXT            reply in the last question's thread: someone else's reply answers it
  :thank [+N] [MESSAGE]  send the thanks form :press thank showed (N points; no MESSAGE keeps
                         the prefilled one; start with @NAME … to choose who)
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
    /1on1

  A question from asking to thanks (you are alice; carol is the #payroll expert):
    /ask #payroll How do I change the bank account my salary goes to?
    :as bob
    :reply Profile > Payroll > Bank account; it applies from next month's salary.
    :as alice            alice got a DM: bob answered
    :react ✅            resolved: alice gets a DM naming bob, with a Say thanks button
    :press thank
    :thank +10 your answer saved my payday
  Left unanswered in working hours, a question gets a nudge to its experts: :time +3h.";

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

    /// The name of `id`, if they are in the cast.
    fn name_of(&self, id: &UserId) -> Option<&str> {
        self.people.get(id).map(|(name, _)| name.as_str())
    }

    /// Shows Slack's markup as a person reads it: `<@UBOB>` as `@bob`, `<#CTRYGENERAL>` as
    /// `#general`, `<!subteam^S1>` as `@S1`, `<https://…|open it>` as `open it (https://…)`,
    /// and `&lt;` as `<`.
    fn humanise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('>') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            out.push_str(&self.unmark(&after[..close]));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// One `<…>` of Slack markup, without its brackets, as text.
    fn unmark(&self, inner: &str) -> String {
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t, Some(l)),
            None => (inner, None),
        };
        if let Some(id) = target.strip_prefix('@') {
            let name = UserId::parse(id).ok();
            let name = name.as_ref().and_then(|u| self.name_of(u)).unwrap_or(id);
            format!("@{name}")
        } else if let Some(id) = target.strip_prefix('#') {
            format!(
                "#{}",
                label.map_or_else(|| channel_label(id), str::to_owned)
            )
        } else if let Some(id) = target.strip_prefix("!subteam^") {
            format!("@{}", label.unwrap_or(id))
        } else if let Some(special) = target.strip_prefix('!') {
            format!("@{special}")
        } else if target.starts_with("http") {
            match label {
                Some(l) => format!("{l} ({target})"),
                None => target.to_owned(),
            }
        } else {
            format!("<{inner}>")
        }
    }
}

/// How a channel is shown: the console's own as `general`, others by ID.
fn channel_label(channel: &str) -> String {
    if channel == CHANNEL {
        "general".to_owned()
    } else {
        channel.to_owned()
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

/// The buttons of the last reminder, pulse and resolved question one person got, for `:press`.
#[derive(Debug, Clone, Default)]
struct Buttons {
    /// The latest reminder's pair and the action items it listed, each with a Done button.
    reminder: Option<(i64, Vec<i64>)>,
    /// The meeting the latest pulse asks about.
    pulse: Option<i64>,
    /// The request whose resolution DM came last, with its "Say thanks" button.
    thank: Option<i64>,
}

type ButtonsByUser = Arc<Mutex<HashMap<UserId, Buttons>>>;

/// The last question posted, which `:react`, `:reply` and `:press claim|resolve` act on.
#[derive(Debug, Clone)]
struct PostedQuestion {
    request_id: i64,
    channel: String,
    /// The ts the console gave the post, as Slack would have.
    ts: String,
}

type LastQuestion = Arc<Mutex<Option<PostedQuestion>>>;

/// Delivers to the screen, as Slack would show each message, and remembers the buttons.
struct ConsoleDelivery {
    cast: Arc<Mutex<Cast>>,
    shown: Arc<Mutex<Vec<String>>>,
    buttons: ButtonsByUser,
    last_question: LastQuestion,
    /// The clock posts take their ts from.
    clock: Arc<ShiftedClock>,
    /// The last ts given, in microseconds: each post gets a later one, as in Slack.
    last_ts: Mutex<i64>,
}

impl ConsoleDelivery {
    /// A new post's ts, `seconds.micros` like Slack's: from the console's clock, and later
    /// than any given before, so two posts never share one (requests are found by it).
    fn next_ts(&self) -> String {
        let now = self.clock.now().timestamp_micros();
        let mut last = self.last_ts.lock().expect("ts lock");
        *last = now.max(*last + 1);
        format!("{}.{:06}", *last / 1_000_000, *last % 1_000_000)
    }
}

#[async_trait::async_trait]
impl Deliver for ConsoleDelivery {
    async fn deliver(&self, m: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        let cast = self.cast.lock().expect("cast lock");
        let where_ = match &m.to {
            Destination::Channel { channel, .. } => format!("#{}", channel_label(channel.as_str())),
            Destination::Direct { user } => format!("DM to {}", cast.humanise(&user.mention())),
            Destination::ResponseUrl { .. } => "(only you)".to_owned(),
            Destination::Thread { channel, .. } => {
                format!("thread in #{}", channel_label(channel.as_str()))
            }
            Destination::Update { channel, .. } => {
                format!("#{}, updated", channel_label(channel.as_str()))
            }
        };
        let ts = matches!(m.to, Destination::Channel { .. }).then(|| self.next_ts());
        let mut body = cast.humanise(&m.text());
        if let Body::AskPost(p) = &m.body {
            if p.state != "resolved" {
                body.push_str("\n(buttons: :press claim, :press resolve)");
            }
            if let (Destination::Channel { channel, .. }, Some(ts)) = (&m.to, &ts) {
                *self.last_question.lock().expect("question lock") = Some(PostedQuestion {
                    request_id: p.request_id,
                    channel: channel.as_str().to_owned(),
                    ts: ts.clone(),
                });
            }
        }
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
                Body::AskResolved { request_id, .. } => {
                    mine.thank = Some(*request_id);
                    body.push_str("\n(buttons: :press thank)");
                }
                _ => {}
            }
        }
        let body = body.replace('\n', "\n      ");
        self.shown
            .lock()
            .expect("screen lock")
            .push(format!("  [{where_}]\n      {body}"));
        Ok(Delivered { ts })
    }
}

/// The buttons under a reminder, as the `:press` words that press them.
fn reminder_buttons(r: &ReminderDm) -> String {
    let mut words = vec![":press held".to_owned(), ":press snooze".to_owned()];
    words.extend(r.items.iter().map(|i| format!(":press done {}", i.id)));
    format!("\n(buttons: {})", words.join(", "))
}

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
        }),
        settings.outbox.clone(),
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
        "otagai try: type /thanks, /bonus, /1on1 or /ask as a user. :help lists console \
         commands and walkthroughs of a 1on1 and a question."
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
                (Some("thank"), _) => {
                    let rest = cmd.trim_start()["thank".len()..].trim();
                    console.thank(&me, rest, &mut out).await?;
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
            self.working_hours_note(now, out)?;
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
                "  due jobs ran: {} queued",
                if r.queued == 1 {
                    "1 reminder or nudge".to_owned()
                } else {
                    format!("{} reminders or nudges", r.queued)
                }
            )?,
            Err(e) => writeln!(out, "  due jobs failed: {e:#}")?,
        }
        self.working_hours_note(self.clock.now(), out)?;
        self.deliver(out).await
    }

    /// Whether `/ask` nudges may go out at `now`, and if not, from when.
    fn working_hours_note(&self, now: DateTime<Utc>, out: &mut impl Write) -> anyhow::Result<()> {
        let working = &self.app.settings.org.working;
        if working.is_working(now) {
            writeln!(
                out,
                "  it is working time: unanswered /ask questions may be nudged"
            )?;
        } else {
            writeln!(
                out,
                "  outside working hours: /ask nudges wait until {}",
                self.local(working.next_open(now))
            )?;
        }
        Ok(())
    }

    /// `:press …`: presses a button of the last reminder or pulse `me` got, of the last
    /// question, or of `me`'s last resolved question.
    async fn press(&self, me: &UserId, words: &[&str], out: &mut impl Write) -> anyhow::Result<()> {
        match words {
            ["claim"] | ["resolve"] => return self.press_on_question(me, words[0], out).await,
            ["thank"] => return self.open_thanks_form(me, out).await,
            _ => {}
        }
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
                    "  buttons: held, snooze, done N (a reminder's), useful 1-5, talk me|even|manager \
                     (a pulse's), claim, resolve (a question's), thank (a resolved question's)"
                )?);
            }
        };
        if let Err(e) = self.app.press_button(me, action, None, None).await {
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

/// `/ask` from a terminal: what Slack would send as events (a reaction, a thread reply) and the
/// thanks modal, typed.
impl Console {
    /// The last question posted, or `None` after a line saying there is none yet.
    fn last_question(&self, out: &mut impl Write) -> anyhow::Result<Option<PostedQuestion>> {
        let q = self.last_question.lock().expect("question lock").clone();
        if q.is_none() {
            writeln!(
                out,
                "  there is no question yet; /ask #payroll How do I …? posts one"
            )?;
        }
        Ok(q)
    }

    /// `:press claim|resolve`: a button on the last question's post.
    async fn press_on_question(
        &self,
        me: &UserId,
        word: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        let request_id = q.request_id;
        let action = if word == "claim" {
            ButtonAction::AskClaim { request_id }
        } else {
            ButtonAction::AskResolve { request_id }
        };
        let on = Some((q.channel.as_str(), q.ts.as_str()));
        if let Err(e) = self
            .app
            .press_button(me, action, Some(RESPONSE_URL), on)
            .await
        {
            writeln!(out, "  the button failed: {e:#}")?;
        }
        self.deliver(out).await
    }

    /// `:react ✅|👀`: a reaction on the last question, applied as the events route applies
    /// Slack's `reaction_added`.
    async fn react(&self, me: &UserId, emoji: &str, out: &mut impl Write) -> anyhow::Result<()> {
        let (action, shown) = match emoji.trim_matches(':') {
            "✅"
            | "✔️"
            | "✔"
            | "☑️"
            | "white_check_mark"
            | "heavy_check_mark"
            | "ballot_box_with_check"
            | "check" => (RequestAction::ResolveByReaction, "white_check_mark"),
            "👀" | "eyes" => (RequestAction::Claim, "eyes"),
            _ => {
                writeln!(
                    out,
                    "  otagai reads two reactions on a question: :react ✅ (the asker resolves \
                     it) and :react 👀 (you take it on)"
                )?;
                return Ok(());
            }
        };
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        writeln!(
            out,
            "  [#{}, on the question] @{} reacted :{shown}:",
            channel_label(&q.channel),
            self.name(me)
        )?;
        let outcome = self
            .app
            .track_request(
                RequestRef::Post {
                    channel: q.channel,
                    ts: q.ts,
                },
                action,
                me,
                None,
                None,
            )
            .await;
        self.after_event(me, action, outcome, out).await
    }

    /// `:reply text`: a reply in the last question's thread, applied as the events route
    /// applies Slack's `message` event.
    async fn reply(&self, me: &UserId, text: &str, out: &mut impl Write) -> anyhow::Result<()> {
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        let text = to_slack_text(&self.cast, text, self.app.settings.org.locale);
        let shown = self
            .cast
            .lock()
            .expect("cast lock")
            .humanise(&text)
            .replace('\n', "\n      ");
        writeln!(
            out,
            "  [thread in #{}] {}: {shown}",
            channel_label(&q.channel),
            self.name(me)
        )?;
        let outcome = self
            .app
            .track_request(
                RequestRef::Post {
                    channel: q.channel,
                    ts: q.ts,
                },
                RequestAction::Reply,
                me,
                None,
                None,
            )
            .await;
        self.after_event(me, RequestAction::Reply, outcome, out)
            .await
    }

    /// Shows what an event led to. Slack answers nobody about a reaction, so when nothing
    /// happened the console says why, in the words a button would have used.
    async fn after_event(
        &self,
        me: &UserId,
        action: RequestAction,
        outcome: anyhow::Result<TrackOutcome>,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        match outcome {
            // A reply by the asker, or in a resolved thread, is just a reply.
            Ok(TrackOutcome::Done(_) | TrackOutcome::Unchanged) => {}
            Ok(o) => {
                let l = self.app.locale_of(me).await;
                writeln!(
                    out,
                    "  (nothing happens; Slack shows no answer to a reaction: {})",
                    self.app.explain_track(l, action, &o)
                )?;
            }
            Err(e) => writeln!(out, "  the event failed: {e:#}")?,
        }
        self.deliver(out).await
    }

    /// `:press thank`: the "Say thanks" button of `me`'s last resolution DM. Slack would open
    /// a modal; the console shows the prefilled form and keeps it open for `:thank`.
    async fn open_thanks_form(&self, me: &UserId, out: &mut impl Write) -> anyhow::Result<()> {
        let request_id = self
            .buttons
            .lock()
            .expect("buttons lock")
            .get(me)
            .and_then(|b| b.thank);
        let Some(request_id) = request_id else {
            writeln!(
                out,
                "  you have no Say thanks button; it comes in the DM you get when your question \
                 is resolved"
            )?;
            return Ok(());
        };
        match self.app.thanks_modal(me, request_id).await {
            Ok(Ok(modal)) => {
                self.show_thanks_form(&modal, out)?;
                self.thanks_forms
                    .lock()
                    .expect("forms lock")
                    .insert(me.clone(), modal);
            }
            Ok(Err(refusal)) => writeln!(out, "  [only you]\n      {refusal}")?,
            Err(e) => writeln!(out, "  the button failed: {e:#}")?,
        }
        Ok(())
    }

    /// The thanks modal as text: each field with what it is prefilled with.
    fn show_thanks_form(&self, m: &ThanksModal, out: &mut impl Write) -> anyhow::Result<()> {
        let l = m.locale;
        let cast = self.cast.lock().expect("cast lock");
        let helpers: Vec<String> = m
            .helpers
            .iter()
            .map(|h| cast.humanise(&h.mention()))
            .collect();
        writeln!(out, "  [form: {}]", tr0(l, "ask-modal-title"))?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-recipients"),
            helpers.join(", ")
        )?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-message"),
            cast.humanise(&m.message)
        )?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-points"),
            tr(l, "ask-modal-points-hint", &[("max", m.max_points.into())])
        )?;
        writeln!(
            out,
            "      (send it with :thank [@name …] [+N] [message]; :thank alone sends it as it is)"
        )?;
        Ok(())
    }

    /// `:thank [@name …] [+N] [message]`: submits the open thanks form, with the recipients,
    /// points and message given (the prefilled ones where none are). Refused, the form stays
    /// open and the console shows the message Slack would put next to each field.
    async fn thank(&self, me: &UserId, args: &str, out: &mut impl Write) -> anyhow::Result<()> {
        let open = self
            .thanks_forms
            .lock()
            .expect("forms lock")
            .get(me)
            .cloned();
        let Some(modal) = open else {
            writeln!(
                out,
                "  no thanks form is open; :press thank under your resolution DM opens one"
            )?;
            return Ok(());
        };
        let locale = self.app.settings.org.locale;
        let mut recipients = Vec::new();
        let mut points = String::new();
        let mut rest = args.trim();
        loop {
            let (word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            if let Some(name) = word.strip_prefix('@').filter(|n| !n.is_empty()) {
                let id = self
                    .cast
                    .lock()
                    .expect("cast lock")
                    .add(name, locale, false);
                match id {
                    Some(id) => recipients.push(id.to_string()),
                    None => {
                        writeln!(out, "  names are letters and digits, like bob")?;
                        return Ok(());
                    }
                }
            } else if let Some(n) = word.strip_prefix('+').filter(|_| points.is_empty()) {
                points = n.to_owned();
            } else {
                break;
            }
            rest = after.trim_start();
        }
        if recipients.is_empty() {
            recipients = modal.helpers.iter().map(|h| h.to_string()).collect();
        }
        let message = if rest.is_empty() {
            modal.message.clone()
        } else {
            to_slack_text(&self.cast, rest, locale)
        };
        let form = ThanksForm {
            recipients,
            message,
            points,
        };
        let key = uuid::Uuid::new_v4().to_string();
        match self
            .app
            .submit_request_thanks(me, modal.request_id, &key, form)
            .await
        {
            Ok(Ok(())) => {
                self.thanks_forms.lock().expect("forms lock").remove(me);
            }
            Ok(Err(errors)) => {
                let l = modal.locale;
                let cast = self.cast.lock().expect("cast lock");
                writeln!(out, "  [form: {}, not sent]", tr0(l, "ask-modal-title"))?;
                for (field, text) in errors {
                    let label = match field {
                        "recipients" => tr0(l, "ask-modal-recipients"),
                        "points" => tr0(l, "ask-modal-points"),
                        _ => tr0(l, "ask-modal-message"),
                    };
                    writeln!(out, "      {label}: {}", cast.humanise(&text))?;
                }
                writeln!(out, "      (the form is still open: :thank again)")?;
            }
            Err(e) => writeln!(out, "  the thanks failed: {e:#}")?,
        }
        self.deliver(out).await
    }

    /// A person's console name, or their ID if they are not in the cast.
    fn name(&self, who: &UserId) -> String {
        let cast = self.cast.lock().expect("cast lock");
        cast.name_of(who).unwrap_or(who.as_str()).to_owned()
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
    fn slack_markup_is_shown_as_a_person_reads_it() {
        let mut cast = Cast::default();
        cast.add("bob", Locale::En, false);
        let cases = [
            ("<@UBOB> thanked <@UNOBODY>", "@bob thanked @UNOBODY"),
            (
                "up in <#CTRYGENERAL> and <#C0PAYROLL>",
                "up in #general and #C0PAYROLL",
            ),
            ("<#C0123ABC|payroll>", "#payroll"),
            ("<!subteam^S0HR> <!here>", "@S0HR @here"),
            (
                "<https://slack.com/archives/C1/p1|open it>.",
                "open it (https://slack.com/archives/C1/p1).",
            ),
            ("<https://example.com>", "https://example.com"),
            ("a &lt;b&gt; &amp; c", "a <b> & c"),
            ("1 < 2 and <unclosed", "1 < 2 and <unclosed"),
            ("<odd>", "<odd>"),
        ];
        for (markup, shown) in cases {
            assert_eq!(cast.humanise(markup), shown, "{markup}");
        }
    }

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
