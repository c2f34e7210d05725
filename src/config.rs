//! Settings: `config/default.toml` (built in) < `--config FILE` / `OTAGAI_CONFIG` <
//! `OTAGAI__SECTION__KEY` environment variables. Secrets and deployment come only from the
//! environment (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, `DATABASE_URL`, `SLACK_API_URL`,
//! `OTAGAI_LISTEN`).
//!
//! Everything is validated at start-up; a problem becomes one line naming the key, and the
//! binary exits with code 2. Secrets never appear in errors or `Debug` output.

use crate::commands::CommandNames;
use crate::domain::{
    Cadence, ChannelId, Expert, Holidays, Locale, QuietHours, ReminderPolicy, SendWindow,
    ThanksRules, UserGroupId, UserId, WorkingHours, parse_work_duration, topic_name,
};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// A setting or variable that is missing or wrong. Display is the one line users see.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    /// A problem with the setting (or option) `key`.
    pub fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            problem: problem.into(),
        }
    }
}

/// The organisation.
#[derive(Debug, Clone)]
pub struct OrgSettings {
    pub timezone: Tz,
    pub locale: Locale,
    /// Whether `org.locale` was set in a file or the environment (not only the built-in
    /// default): `otagai try` otherwise speaks the terminal's language.
    pub locale_explicit: bool,
    /// The organisation's days off, plus Japan's public holidays when chosen.
    pub holidays: Holidays,
    /// Local hours in which nobody is reminded or nudged.
    pub quiet_hours: Option<QuietHours>,
    /// Working hours and days in the organisation's zone, minus the holidays: help requests'
    /// nudges fire only inside them, and `/ask stats` counts time in them.
    pub working: WorkingHours,
}

/// Help requests (`/ask`).
#[derive(Debug, Clone)]
pub struct AskSettings {
    /// Where questions without a topic (and topics without their own channel) are posted.
    pub channel: Option<ChannelId>,
    /// Whether `/ask anon` is allowed.
    pub allow_anonymous: bool,
    /// Mentioned when a question without a topic goes unanswered.
    pub experts: Vec<Expert>,
    /// Working time after which an unanswered request gets a nudge in its thread.
    pub nudge_after: chrono::Duration,
    /// Working time after which it is escalated to `escalate_to`.
    pub escalate_after: chrono::Duration,
    pub escalate_to: Option<EscalateTo>,
    /// Topics by name (lowercase).
    pub topics: BTreeMap<String, AskTopic>,
}

/// One `[ask.topics.NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskTopic {
    /// Its own channel; `None`: `ask.channel`.
    pub channel: Option<ChannelId>,
    pub experts: Vec<Expert>,
}

/// Who hears about a request nobody answered for a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalateTo {
    /// Mentioned in the request's thread.
    Group(UserGroupId),
    /// Gets a post linking the request.
    Channel(ChannelId),
}

impl AskSettings {
    /// Where a request on `topic` is posted, if anywhere.
    pub fn channel_for(&self, topic: Option<&str>) -> Option<ChannelId> {
        topic
            .and_then(|t| self.topics.get(t))
            .and_then(|t| t.channel.clone())
            .or_else(|| self.channel.clone())
    }

    /// Who is mentioned when a request on `topic` goes unanswered.
    pub fn experts_for(&self, topic: Option<&str>) -> &[Expert] {
        match topic.and_then(|t| self.topics.get(t)) {
            Some(t) if !t.experts.is_empty() => &t.experts,
            _ => &self.experts,
        }
    }
}

/// Peer-bonus rules.
#[derive(Debug, Clone)]
pub struct BonusSettings {
    pub monthly_budget: i64,
    pub max_points_per_thanks: u32,
    pub min_message_chars: usize,
    pub max_recipients: usize,
    pub admins: Vec<UserId>,
    pub values: Vec<String>,
}

impl BonusSettings {
    pub fn rules(&self) -> ThanksRules {
        ThanksRules {
            max_points_per_thanks: self.max_points_per_thanks,
            min_message_chars: self.min_message_chars,
            max_recipients: self.max_recipients,
        }
    }
}

/// Where thanks are posted.
#[derive(Debug, Clone)]
pub struct ThanksSettings {
    pub channel: Option<ChannelId>,
}

/// Slack behaviour that is not a secret.
#[derive(Debug, Clone)]
pub struct SlackSettings {
    pub ack_timeout: Duration,
    pub user_cache_ttl: Duration,
    pub request_timeout: Duration,
}

/// The HTTP server's limits: what a slow or silent client may hold.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// A connection must send a request's headers within this long (also how long an idle
    /// connection is kept open).
    pub header_timeout: Duration,
    /// A request's body must arrive within this long.
    pub body_timeout: Duration,
    /// A whole request, body and answer, may take at most this long.
    pub request_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
}

/// The delivery worker.
#[derive(Debug, Clone)]
pub struct OutboxSettings {
    pub poll_interval: Duration,
    pub batch_size: i64,
    /// Of each destination claimed, up to this many messages sent in a row.
    pub run_length: usize,
    /// How many sends one worker has going at once (each to a different destination).
    pub max_in_flight: usize,
    /// After a 429, the time between two sends to what it was about (a channel, a method).
    pub paced_interval: Duration,
    /// ...until it has had no 429 for this long.
    pub paced_quiet: Duration,
    pub lease: Duration,
    pub max_attempts: i64,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

/// 1on1 cadences, reminders and the pulse.
#[derive(Debug, Clone)]
pub struct OneOnOneSettings {
    /// For `/1on1 add` without a cadence and imported rows without one.
    pub default_cadence: Cadence,
    /// `remind_at` as written, for help and the console.
    pub remind_at: String,
    /// When reminders may go out: `remind_at` read in each manager's time zone, never on a
    /// holiday or inside quiet hours.
    pub window: SendWindow,
    pub policy: ReminderPolicy,
    /// Ask the report two anonymous questions after a recorded 1on1.
    pub pulse: bool,
    /// Managers see the pulse only in blocks of at least this many answers, from two reports.
    pub pulse_min_responses: i64,
    pub pulse_window_days: i64,
    /// How long the invitation of a self-service `/1on1 add` waits for the report's answer.
    pub invitation_expiry_days: i64,
    /// Opening questions per reminder.
    pub questions: usize,
}

/// The job runner inside `serve`.
#[derive(Debug, Clone)]
pub struct SchedulerSettings {
    /// How often due jobs are looked for.
    pub tick: Duration,
    /// How many stale profiles (time zone, language) of pair members one tick refreshes.
    pub profile_refreshes_per_tick: usize,
}

/// How long records that are only bookkeeping are kept (the retention job, run by the
/// scheduler at most once an hour). The ledger, the audit log, 1on1 notes and pulse answers
/// are not bookkeeping and are kept; messages still to be sent are never removed.
#[derive(Debug, Clone)]
pub struct RetentionSettings {
    /// Delivered outbox messages (they hold thanks texts, reminder topics and which DM went
    /// to an anonymous asker), counted from when they were sent.
    pub delivered_messages_days: i64,
    /// Messages that could not be delivered, kept longer so an operator can see why.
    pub failed_messages_days: i64,
    /// Idempotency keys of Slack requests and events; far above Slack's retry window (minutes).
    pub processed_requests_days: i64,
    /// Reminder keys of 1on1 periods that are over (a 1on1 was held since, or the pair ended)
    /// and pulse requests; longer than `one_on_one.pulse_window_days`, so a pulse that could still
    /// count in a view can still be answered.
    pub reminders_days: i64,
}

/// Database pool.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub max_connections: u32,
}

/// Every non-secret setting, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub org: OrgSettings,
    pub bonus: BonusSettings,
    pub thanks: ThanksSettings,
    pub slack: SlackSettings,
    pub http: HttpSettings,
    pub outbox: OutboxSettings,
    pub database: DatabaseSettings,
    pub one_on_one: OneOnOneSettings,
    pub ask: AskSettings,
    pub scheduler: SchedulerSettings,
    pub retention: RetentionSettings,
    /// The slash commands' names in this workspace (`[commands]`).
    pub commands: CommandNames,
}

/// A secret that must never be printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Deployment facts and secrets, from the environment only.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub database_url: String,
    pub listen: String,
    pub slack_api_url: String,
    pub bot_token: Option<Secret>,
    pub signing_secret: Option<Secret>,
    /// The app-level token (`xapp-…`): Socket Mode when set.
    pub app_token: Option<Secret>,
}

/// The secrets `serve` runs with: the bot token, and at least one way to receive requests.
#[derive(Debug, Clone)]
pub struct SlackSecrets {
    pub bot_token: Secret,
    /// Verifies requests over HTTP; without it the `/slack/` routes are not served.
    pub signing_secret: Option<Secret>,
    /// Socket Mode.
    pub app_token: Option<Secret>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/otagai.db";
pub const DEFAULT_SLACK_API_URL: &str = "https://slack.com/api/";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";

impl Deployment {
    /// Reads the deployment variables through `var` (the process environment in production).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let database_url =
            non_empty("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }
        let listen = non_empty("OTAGAI_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        if listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::new(
                "OTAGAI_LISTEN",
                "must be an address and port like 127.0.0.1:3000",
            ));
        }
        let mut slack_api_url =
            non_empty("SLACK_API_URL").unwrap_or_else(|| DEFAULT_SLACK_API_URL.to_owned());
        if !(slack_api_url.starts_with("https://") || slack_api_url.starts_with("http://")) {
            return Err(ConfigError::new(
                "SLACK_API_URL",
                "must be an http(s) URL like https://slack.com/api/",
            ));
        }
        if !slack_api_url.ends_with('/') {
            slack_api_url.push('/');
        }
        Ok(Self {
            database_url,
            listen,
            slack_api_url,
            bot_token: non_empty("SLACK_BOT_TOKEN").map(Secret::new),
            signing_secret: non_empty("SLACK_SIGNING_SECRET").map(Secret::new),
            app_token: non_empty("SLACK_APP_TOKEN").map(Secret::new),
        })
    }

    /// What `serve` needs: the bot token, and the app-level token (Socket Mode) or the signing
    /// secret (HTTP), or both; each well formed.
    pub fn require_slack_secrets(&self) -> Result<SlackSecrets, ConfigError> {
        let token = self.bot_token.clone().ok_or_else(|| {
            ConfigError::new("SLACK_BOT_TOKEN", "is not set (the app's xoxb-… bot token)")
        })?;
        if !token.expose().starts_with("xoxb-") {
            return Err(ConfigError::new(
                "SLACK_BOT_TOKEN",
                "must be a bot token starting with xoxb-",
            ));
        }
        if let Some(app) = &self.app_token
            && !app.expose().starts_with("xapp-")
        {
            return Err(ConfigError::new(
                "SLACK_APP_TOKEN",
                "must be an app-level token starting with xapp- (Basic Information > App-Level Tokens, with connections:write)",
            ));
        }
        if self.app_token.is_none() && self.signing_secret.is_none() {
            return Err(ConfigError::new(
                "SLACK_APP_TOKEN",
                "is not set, and neither is SLACK_SIGNING_SECRET: set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET to receive requests over HTTP",
            ));
        }
        Ok(SlackSecrets {
            bot_token: token,
            signing_secret: self.signing_secret.clone(),
            app_token: self.app_token.clone(),
        })
    }
}

/// `v` when it lies in `lo..=hi`, else an error naming `key`.
fn range(key: &str, v: i64, lo: i64, hi: i64) -> Result<i64, ConfigError> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::new(key, format!("{v} is outside {lo}..={hi}")))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    org: RawOrg,
    bonus: RawBonus,
    thanks: RawThanks,
    slack: RawSlack,
    http: RawHttp,
    outbox: RawOutbox,
    database: RawDatabase,
    one_on_one: RawOneOnOne,
    ask: RawAsk,
    scheduler: RawScheduler,
    retention: RawRetention,
    commands: RawCommands,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommands {
    thanks: String,
    bonus: String,
    one_on_one: String,
    ask: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAsk {
    channel: String,
    allow_anonymous: bool,
    experts: Vec<String>,
    nudge_after: String,
    escalate_after: String,
    escalate_to: String,
    #[serde(default)]
    topics: BTreeMap<String, RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    experts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrg {
    timezone: String,
    locale: String,
    holidays: Vec<String>,
    public_holidays: String,
    quiet_hours: String,
    working_hours: String,
    working_days: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOneOnOne {
    default_cadence: String,
    remind_at: String,
    remind_every_days: i64,
    max_reminders: i64,
    nudge_report: bool,
    pulse: bool,
    pulse_min_responses: i64,
    pulse_window_days: i64,
    invitation_expiry_days: i64,
    questions: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheduler {
    tick_secs: i64,
    profile_refreshes_per_tick: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBonus {
    monthly_budget: i64,
    max_points_per_thanks: i64,
    min_message_chars: i64,
    max_recipients: i64,
    admins: Vec<String>,
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThanks {
    channel: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlack {
    ack_timeout_ms: i64,
    user_cache_ttl_secs: i64,
    request_timeout_secs: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutbox {
    poll_interval_ms: i64,
    batch_size: i64,
    run_length: i64,
    max_in_flight: i64,
    paced_interval_ms: i64,
    paced_quiet_secs: i64,
    lease_secs: i64,
    max_attempts: i64,
    backoff_base_ms: i64,
    backoff_max_secs: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    header_timeout_secs: i64,
    body_timeout_secs: i64,
    request_timeout_secs: i64,
    max_connections: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    delivered_messages_days: i64,
    failed_messages_days: i64,
    processed_requests_days: i64,
    reminders_days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    max_connections: i64,
}

impl Settings {
    /// The built-in defaults, overlaid by `file` (if any), overlaid by `OTAGAI__…` variables
    /// from `env` (name, value) pairs.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut builder = config::Config::builder().add_source(config::File::from_str(
            DEFAULT_TOML,
            config::FileFormat::Toml,
        ));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::new(
                    "--config",
                    format!("{} does not exist or is not a file", path.display()),
                ));
            }
            builder = builder.add_source(
                config::File::from(path.to_path_buf()).format(config::FileFormat::Toml),
            );
        }
        let vars: config::Map<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("OTAGAI__"))
            .collect();
        let env_sets_locale = vars.contains_key("OTAGAI__ORG__LOCALE");
        builder = builder.add_source(
            config::Environment::with_prefix("OTAGAI")
                .prefix_separator("__")
                .separator("__")
                .list_separator(",")
                .with_list_parse_key("bonus.admins")
                .with_list_parse_key("bonus.values")
                .with_list_parse_key("org.holidays")
                .with_list_parse_key("org.working_days")
                .with_list_parse_key("ask.experts")
                .try_parsing(true)
                .source(Some(vars)),
        );
        let locale_explicit = env_sets_locale
            || file.is_some_and(|path| {
                config::Config::builder()
                    .add_source(
                        config::File::from(path.to_path_buf()).format(config::FileFormat::Toml),
                    )
                    .build()
                    .is_ok_and(|c| c.get_string("org.locale").is_ok())
            });
        let raw: Raw = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| ConfigError::new("settings", e.to_string()))?;
        let mut settings = Self::validate(raw)?;
        settings.org.locale_explicit = locale_explicit;
        Ok(settings)
    }

    /// Defaults only, as `try` and tests start from.
    pub fn defaults() -> Self {
        Self::load(None, std::iter::empty()).expect("the built-in defaults are valid")
    }

    fn validate(raw: Raw) -> Result<Self, ConfigError> {
        let c = &raw.commands;
        let commands = CommandNames::parse([
            c.thanks.trim(),
            c.bonus.trim(),
            c.one_on_one.trim(),
            c.ask.trim(),
        ])
        .map_err(|(key, why)| ConfigError::new(format!("commands.{key}"), why))?;
        let timezone: Tz = raw.org.timezone.parse().map_err(|_| {
            ConfigError::new(
                "org.timezone",
                format!(
                    "`{}` is not an IANA time zone like Asia/Tokyo",
                    raw.org.timezone
                ),
            )
        })?;
        let locale: Locale = raw
            .org
            .locale
            .parse()
            .map_err(|e: String| ConfigError::new("org.locale", e))?;
        let b = raw.bonus;
        let monthly_budget = range("bonus.monthly_budget", b.monthly_budget, 0, 1_000_000)?;
        let max_points = range(
            "bonus.max_points_per_thanks",
            b.max_points_per_thanks,
            1,
            1_000_000,
        )?;
        let min_chars = range("bonus.min_message_chars", b.min_message_chars, 0, 1000)?;
        let max_recipients = range("bonus.max_recipients", b.max_recipients, 1, 100)?;
        let admins = b
            .admins
            .iter()
            .map(|a| UserId::parse(a.trim()).map_err(|e| ConfigError::new("bonus.admins", e)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut values = Vec::new();
        for v in &b.values {
            let v = v.trim().trim_start_matches('#').to_lowercase();
            if v.is_empty() || v.chars().any(char::is_whitespace) {
                return Err(ConfigError::new(
                    "bonus.values",
                    format!("`{v}` must be one word, like teamwork"),
                ));
            }
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let channel = match raw.thanks.channel.trim() {
            "" => None,
            c => Some(ChannelId::parse(c).map_err(|e| ConfigError::new("thanks.channel", e))?),
        };
        let s = raw.slack;
        let ack = range("slack.ack_timeout_ms", s.ack_timeout_ms, 100, 2900)?;
        let ttl = range(
            "slack.user_cache_ttl_secs",
            s.user_cache_ttl_secs,
            0,
            30 * 86400,
        )?;
        let req = range("slack.request_timeout_secs", s.request_timeout_secs, 1, 120)?;
        let o = raw.outbox;
        let poll = range("outbox.poll_interval_ms", o.poll_interval_ms, 10, 60_000)?;
        let batch = range("outbox.batch_size", o.batch_size, 1, 1000)?;
        let run_length = range("outbox.run_length", o.run_length, 1, 1000)?;
        let in_flight = range("outbox.max_in_flight", o.max_in_flight, 1, 4096)?;
        let paced = range("outbox.paced_interval_ms", o.paced_interval_ms, 1, 60_000)?;
        let quiet = range("outbox.paced_quiet_secs", o.paced_quiet_secs, 1, 3600)?;
        let lease = range("outbox.lease_secs", o.lease_secs, 5, 3600)?;
        let attempts = range("outbox.max_attempts", o.max_attempts, 1, 1000)?;
        let base = range("outbox.backoff_base_ms", o.backoff_base_ms, 1, 3_600_000)?;
        let max = range("outbox.backoff_max_secs", o.backoff_max_secs, 1, 86_400)?;
        let conns = range(
            "database.max_connections",
            raw.database.max_connections,
            1,
            200,
        )?;
        // A worker sends only in the first half of its lease, so one Slack call must fit in the
        // other half: then no message can be taken over while it is being sent.
        if lease < 2 * req {
            return Err(ConfigError::new(
                "outbox.lease_secs",
                format!("{lease} must be at least twice slack.request_timeout_secs ({req})"),
            ));
        }
        let mut days = Vec::new();
        for d in &raw.org.holidays {
            let parsed = chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                ConfigError::new(
                    "org.holidays",
                    format!("`{d}` is not a date like 2026-12-29"),
                )
            })?;
            days.push(parsed);
        }
        let japan = match raw.org.public_holidays.trim() {
            "jp" => true,
            "none" | "" => false,
            other => {
                return Err(ConfigError::new(
                    "org.public_holidays",
                    format!("`{other}` must be jp (Japan) or none"),
                ));
            }
        };
        let holidays = Holidays::new(days, japan);
        let quiet_hours = match raw.org.quiet_hours.trim() {
            "" => None,
            q => Some(QuietHours::parse(q).map_err(|e| ConfigError::new("org.quiet_hours", e))?),
        };
        let (start, end) = WorkingHours::parse_hours(&raw.org.working_hours)
            .map_err(|e| ConfigError::new("org.working_hours", e))?;
        let working_days = WorkingHours::parse_days(&raw.org.working_days)
            .map_err(|e| ConfigError::new("org.working_days", e))?;
        let working = WorkingHours::new(timezone, start, end, &working_days, holidays.clone())
            .map_err(|e| ConfigError::new("org.working_hours", e))?;
        let ask = Self::validate_ask(raw.ask, &working)?;
        let o3 = raw.one_on_one;
        let default_cadence = Cadence::parse(&o3.default_cadence)
            .map_err(|e| ConfigError::new("one_on_one.default_cadence", e.to_string()))?;
        let window = SendWindow::new(&o3.remind_at, holidays.clone(), quiet_hours)
            .map_err(|e| ConfigError::new("one_on_one.remind_at", e.to_string()))?;
        // A schedule whose every slot falls in quiet hours (or on holidays) would silently
        // never remind anyone. Any fixed instant will do to look for one slot.
        let reference = chrono::DateTime::<chrono::Utc>::from_timestamp(1_767_225_600, 0)
            .expect("2026-01-01 is a valid instant");
        if window.next_slot(timezone, reference).is_none() {
            return Err(ConfigError::new(
                "one_on_one.remind_at",
                format!(
                    "`{}` never falls outside org.quiet_hours and the holidays, so no reminder could ever go out",
                    o3.remind_at.trim()
                ),
            ));
        }
        let every = range("one_on_one.remind_every_days", o3.remind_every_days, 1, 365)?;
        let max_reminders = range("one_on_one.max_reminders", o3.max_reminders, 0, 100)?;
        let min_responses = range(
            "one_on_one.pulse_min_responses",
            o3.pulse_min_responses,
            1,
            1000,
        )?;
        let pulse_window = range(
            "one_on_one.pulse_window_days",
            o3.pulse_window_days,
            1,
            3660,
        )?;
        let invitation_expiry = range(
            "one_on_one.invitation_expiry_days",
            o3.invitation_expiry_days,
            1,
            365,
        )?;
        let questions = range("one_on_one.questions", o3.questions, 0, 5)?;
        let h = &raw.http;
        let header_timeout = range("http.header_timeout_secs", h.header_timeout_secs, 1, 300)?;
        let body_timeout = range("http.body_timeout_secs", h.body_timeout_secs, 1, 300)?;
        let request_timeout = range("http.request_timeout_secs", h.request_timeout_secs, 4, 600)?;
        if request_timeout < body_timeout {
            return Err(ConfigError::new(
                "http.request_timeout_secs",
                format!(
                    "{request_timeout} must be at least http.body_timeout_secs ({body_timeout})"
                ),
            ));
        }
        let max_connections = range("http.max_connections", h.max_connections, 16, 1_000_000)?;
        let tick = range("scheduler.tick_secs", raw.scheduler.tick_secs, 1, 3600)?;
        let refreshes = range(
            "scheduler.profile_refreshes_per_tick",
            raw.scheduler.profile_refreshes_per_tick,
            0,
            1000,
        )?;
        let retention = Self::validate_retention(&raw.retention, pulse_window)?;
        Ok(Self {
            org: OrgSettings {
                timezone,
                locale,
                locale_explicit: false,
                holidays,
                quiet_hours,
                working,
            },
            ask,
            bonus: BonusSettings {
                monthly_budget,
                max_points_per_thanks: max_points as u32,
                min_message_chars: min_chars as usize,
                max_recipients: max_recipients as usize,
                admins,
                values,
            },
            thanks: ThanksSettings { channel },
            slack: SlackSettings {
                ack_timeout: Duration::from_millis(ack as u64),
                user_cache_ttl: Duration::from_secs(ttl as u64),
                request_timeout: Duration::from_secs(req as u64),
            },
            http: HttpSettings {
                header_timeout: Duration::from_secs(header_timeout as u64),
                body_timeout: Duration::from_secs(body_timeout as u64),
                request_timeout: Duration::from_secs(request_timeout as u64),
                max_connections: max_connections as usize,
            },
            outbox: OutboxSettings {
                poll_interval: Duration::from_millis(poll as u64),
                batch_size: batch,
                run_length: run_length as usize,
                max_in_flight: in_flight as usize,
                paced_interval: Duration::from_millis(paced as u64),
                paced_quiet: Duration::from_secs(quiet as u64),
                lease: Duration::from_secs(lease as u64),
                max_attempts: attempts,
                backoff_base: Duration::from_millis(base as u64),
                backoff_max: Duration::from_secs(max as u64),
            },
            database: DatabaseSettings {
                max_connections: conns as u32,
            },
            one_on_one: OneOnOneSettings {
                default_cadence,
                remind_at: o3.remind_at.trim().to_owned(),
                window,
                policy: ReminderPolicy {
                    remind_every_days: every as u32,
                    max_reminders: max_reminders as u32,
                    nudge_report: o3.nudge_report,
                },
                pulse: o3.pulse,
                pulse_min_responses: min_responses,
                pulse_window_days: pulse_window,
                invitation_expiry_days: invitation_expiry,
                questions: questions as usize,
            },
            scheduler: SchedulerSettings {
                tick: Duration::from_secs(tick as u64),
                profile_refreshes_per_tick: refreshes as usize,
            },
            retention,
            commands,
        })
    }

    fn validate_retention(
        r: &RawRetention,
        pulse_window_days: i64,
    ) -> Result<RetentionSettings, ConfigError> {
        let delivered = range(
            "retention.delivered_messages_days",
            r.delivered_messages_days,
            1,
            36_600,
        )?;
        let failed = range(
            "retention.failed_messages_days",
            r.failed_messages_days,
            1,
            36_600,
        )?;
        // Slack retries a request or event within minutes; a day is already far above that.
        let requests = range(
            "retention.processed_requests_days",
            r.processed_requests_days,
            1,
            36_600,
        )?;
        let reminders = range("retention.reminders_days", r.reminders_days, 1, 36_600)?;
        // A pulse request is the report's open pulse: while it exists they can still answer it
        // from the DM. Keeping requests longer than the window means every answer that could
        // still count in a view can still be given.
        if reminders <= pulse_window_days {
            return Err(ConfigError::new(
                "retention.reminders_days",
                format!(
                    "{reminders} must be more than one_on_one.pulse_window_days ({pulse_window_days})"
                ),
            ));
        }
        Ok(RetentionSettings {
            delivered_messages_days: delivered,
            failed_messages_days: failed,
            processed_requests_days: requests,
            reminders_days: reminders,
        })
    }
}

impl Settings {
    fn validate_ask(a: RawAsk, working: &WorkingHours) -> Result<AskSettings, ConfigError> {
        let channel = |key: &str, c: &str| match c.trim() {
            "" => Ok(None),
            c => ChannelId::parse(c)
                .map(Some)
                .map_err(|e| ConfigError::new(key, e)),
        };
        let experts = |key: &str, list: &[String]| {
            list.iter()
                .map(|e| Expert::parse(e.trim()).map_err(|e| ConfigError::new(key, e)))
                .collect::<Result<Vec<_>, _>>()
        };
        let duration = |key: &str, text: &str| {
            parse_work_duration(text, working.day_length()).map_err(|e| ConfigError::new(key, e))
        };
        let nudge_after = duration("ask.nudge_after", &a.nudge_after)?;
        let escalate_after = duration("ask.escalate_after", &a.escalate_after)?;
        if escalate_after <= nudge_after {
            return Err(ConfigError::new(
                "ask.escalate_after",
                format!(
                    "`{}` must be longer than ask.nudge_after (`{}`)",
                    a.escalate_after.trim(),
                    a.nudge_after.trim()
                ),
            ));
        }
        let escalate_to = match a.escalate_to.trim() {
            "" => None,
            t if t.starts_with('S') => Some(EscalateTo::Group(
                UserGroupId::parse(t).map_err(|e| ConfigError::new("ask.escalate_to", e))?,
            )),
            t => Some(EscalateTo::Channel(ChannelId::parse(t).map_err(|_| {
                ConfigError::new(
                    "ask.escalate_to",
                    format!("`{t}` is neither a user group (S…) nor a channel (C…) ID"),
                )
            })?)),
        };
        let mut topics = BTreeMap::new();
        for (name, t) in &a.topics {
            let key = format!("ask.topics.{name}");
            let Some(lower) = topic_name(name) else {
                return Err(ConfigError::new(
                    key,
                    "a topic name is 1 to 40 of a-z, 0-9, - and _, like payroll",
                ));
            };
            let topic = AskTopic {
                channel: channel(&format!("{key}.channel"), &t.channel)?,
                experts: experts(&format!("{key}.experts"), &t.experts)?,
            };
            if topics.insert(lower, topic).is_some() {
                return Err(ConfigError::new(key, "this topic is named twice"));
            }
        }
        let ask = AskSettings {
            channel: channel("ask.channel", &a.channel)?,
            allow_anonymous: a.allow_anonymous,
            experts: experts("ask.experts", &a.experts)?,
            nudge_after,
            escalate_after,
            escalate_to,
            topics,
        };
        // Every topic must land somewhere once any does: a topic without a channel uses
        // ask.channel, so that must then be set.
        if ask.channel.is_none()
            && let Some((name, _)) = ask.topics.iter().find(|(_, t)| t.channel.is_none())
        {
            return Err(ConfigError::new(
                format!("ask.topics.{name}.channel"),
                "is empty and ask.channel is not set either, so its questions could go nowhere",
            ));
        }
        Ok(ask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_defaults_are_the_documented_ones() {
        let s = Settings::defaults();
        assert_eq!(s.org.timezone, chrono_tz::Asia::Tokyo);
        assert_eq!(s.bonus.monthly_budget, 400);
        assert_eq!(s.bonus.max_points_per_thanks, 120);
        assert_eq!(s.bonus.min_message_chars, 10);
        assert!(s.thanks.channel.is_none());
    }

    #[test]
    fn one_on_one_defaults_and_holiday_lists_from_the_environment() {
        let s = Settings::defaults();
        assert_eq!(s.one_on_one.default_cadence, Cadence::Biweekly);
        assert_eq!(s.one_on_one.remind_at, "0 30 9 * * Mon-Fri");
        assert_eq!(s.one_on_one.policy.max_reminders, 3);
        assert_eq!(s.scheduler.tick, Duration::from_secs(60));
        let d = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        // Japan's Labour Thanksgiving Day is built in by default.
        assert!(s.org.holidays.is_holiday(d("2026-11-23")));
        let s = Settings::load(
            None,
            env(&[
                ("OTAGAI__ORG__HOLIDAYS", "2026-12-29,2026-12-30"),
                ("OTAGAI__ORG__PUBLIC_HOLIDAYS", "none"),
                ("OTAGAI__ORG__QUIET_HOURS", ""),
            ]),
        )
        .unwrap();
        assert!(s.org.holidays.is_holiday(d("2026-12-30")));
        assert!(!s.org.holidays.is_holiday(d("2026-11-23")));
        assert!(s.org.quiet_hours.is_none());
    }

    #[test]
    fn environment_overrides_the_file_including_lists() {
        let s = Settings::load(
            None,
            env(&[
                ("OTAGAI__BONUS__MONTHLY_BUDGET", "500"),
                ("OTAGAI__BONUS__ADMINS", "U1AAA,U2BBB"),
                ("OTAGAI__BONUS__VALUES", "Teamwork,#ownership"),
                ("OTAGAI__ORG__TIMEZONE", "Europe/Berlin"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(s.bonus.monthly_budget, 500);
        assert_eq!(s.bonus.admins.len(), 2);
        assert_eq!(s.bonus.values, vec!["teamwork", "ownership"]);
        assert_eq!(s.org.timezone, chrono_tz::Europe::Berlin);
    }

    #[test]
    fn a_bad_setting_is_one_line_naming_the_key() {
        let cases = [
            ("OTAGAI__ORG__TIMEZONE", "Mars/Olympus", "org.timezone"),
            ("OTAGAI__ORG__LOCALE", "fr", "org.locale"),
            (
                "OTAGAI__BONUS__MONTHLY_BUDGET",
                "-1",
                "bonus.monthly_budget",
            ),
            (
                "OTAGAI__BONUS__MAX_POINTS_PER_THANKS",
                "0",
                "bonus.max_points_per_thanks",
            ),
            ("OTAGAI__BONUS__ADMINS", "bob", "bonus.admins"),
            ("OTAGAI__THANKS__CHANNEL", "#general", "thanks.channel"),
            ("OTAGAI__BONUS__MONTHLY_BUDGET", "lots", "monthly_budget"),
            ("OTAGAI__BONUS__TYPO", "1", "typo"),
            ("OTAGAI__OUTBOX__LEASE_SECS", "15", "outbox.lease_secs"),
            ("OTAGAI__ORG__HOLIDAYS", "2026-13-01", "org.holidays"),
            ("OTAGAI__ORG__PUBLIC_HOLIDAYS", "us", "org.public_holidays"),
            ("OTAGAI__ORG__QUIET_HOURS", "8pm-8am", "org.quiet_hours"),
            (
                "OTAGAI__ONE_ON_ONE__DEFAULT_CADENCE",
                "daily",
                "one_on_one.default_cadence",
            ),
            (
                "OTAGAI__ONE_ON_ONE__REMIND_AT",
                "0 30 9 * * 1-5",
                "one_on_one.remind_at",
            ),
            (
                "OTAGAI__ONE_ON_ONE__REMIND_AT",
                "30 9 * * Mon-Fri",
                "one_on_one.remind_at",
            ),
            (
                "OTAGAI__ONE_ON_ONE__REMIND_EVERY_DAYS",
                "0",
                "one_on_one.remind_every_days",
            ),
            ("OTAGAI__ONE_ON_ONE__QUESTIONS", "9", "one_on_one.questions"),
            (
                "OTAGAI__ORG__QUIET_HOURS",
                "08:00-10:00",
                "one_on_one.remind_at",
            ),
            ("OTAGAI__SCHEDULER__TICK_SECS", "0", "scheduler.tick_secs"),
            (
                "OTAGAI__RETENTION__PROCESSED_REQUESTS_DAYS",
                "0",
                "retention.processed_requests_days",
            ),
            (
                "OTAGAI__RETENTION__DELIVERED_MESSAGES_DAYS",
                "-1",
                "retention.delivered_messages_days",
            ),
            (
                "OTAGAI__RETENTION__REMINDERS_DAYS",
                "90",
                "retention.reminders_days",
            ),
        ];
        for (k, v, key) in cases {
            let err = Settings::load(None, env(&[(k, v)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{k}={v}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn a_config_file_overlays_the_defaults() {
        let dir = std::env::temp_dir().join(format!("otagai-cfg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("site.toml");
        std::fs::write(
            &path,
            "[bonus]\nmonthly_budget = 250\nvalues = [\"kaizen\"]\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path), env(&[])).unwrap();
        assert_eq!(s.bonus.monthly_budget, 250);
        assert_eq!(s.bonus.values, vec!["kaizen"]);
        assert_eq!(s.bonus.max_points_per_thanks, 120);
        let missing = Settings::load(Some(&dir.join("nope.toml")), env(&[])).unwrap_err();
        assert_eq!(missing.key, "--config");
    }

    #[test]
    fn deployment_defaults_and_secret_checks() {
        let d = Deployment::from_env(|_| None).unwrap();
        assert_eq!(d.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(d.slack_api_url, DEFAULT_SLACK_API_URL);
        assert_eq!(
            d.require_slack_secrets().unwrap_err().key,
            "SLACK_BOT_TOKEN"
        );
        let d = Deployment::from_env(|k| match k {
            "SLACK_BOT_TOKEN" => Some("xoxb-secret-value".into()),
            "SLACK_API_URL" => Some("http://127.0.0.1:9/api".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(d.slack_api_url, "http://127.0.0.1:9/api/");
        let err = d.require_slack_secrets().unwrap_err();
        assert_eq!(err.key, "SLACK_APP_TOKEN", "neither Socket Mode nor HTTP");
        assert!(err.to_string().contains("SLACK_SIGNING_SECRET"), "{err}");
        assert!(!format!("{d:?}").contains("secret-value"));
        let with = |app: &'static str, secret: Option<&'static str>| {
            Deployment::from_env(move |k| match k {
                "SLACK_BOT_TOKEN" => Some("xoxb-secret-value".into()),
                "SLACK_APP_TOKEN" => Some(app.into()),
                "SLACK_SIGNING_SECRET" => secret.map(Into::into),
                _ => None,
            })
            .unwrap()
        };
        let socket = with("xapp-1-secret-value", None)
            .require_slack_secrets()
            .unwrap();
        assert!(socket.app_token.is_some() && socket.signing_secret.is_none());
        assert!(!format!("{socket:?}").contains("secret-value"));
        let both = with("xapp-1-x", Some("s")).require_slack_secrets().unwrap();
        assert!(both.app_token.is_some() && both.signing_secret.is_some());
        let http = with("", Some("s")).require_slack_secrets().unwrap();
        assert!(http.app_token.is_none());
        let wrong = with("xoxb-not-an-app-token", None).require_slack_secrets();
        assert_eq!(wrong.unwrap_err().key, "SLACK_APP_TOKEN");
        let bad = Deployment::from_env(|k| (k == "DATABASE_URL").then(|| "mysql://x".into()));
        assert_eq!(bad.unwrap_err().key, "DATABASE_URL");
    }
}
