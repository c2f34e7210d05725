//! The Slack app manifest for the current settings (`otagai manifest`): the commands under
//! their configured names, the scopes the code needs ([`super::client::WEB_API_METHODS`] and
//! [`BOT_EVENTS`]), the events, the shortcuts, interactivity and the App Home. YAML written
//! from a template, so the comments that explain each part stay with it;
//! `config/slack-manifest.yml` is its output with the defaults in Socket Mode.

use super::client::WEB_API_METHODS;
use crate::commands::{CommandKind, CommandNames};
use crate::config::Settings;

/// How Slack reaches otagai.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Over a WebSocket otagai opens (`SLACK_APP_TOKEN`): no public URL, no request URLs.
    SocketMode,
    /// HTTPS requests to `BASE/slack/…` (`https://otagai.example.com`, no trailing `/`).
    Http { base_url: String },
}

impl Transport {
    /// `--url BASE`: an `https://` address; a trailing `/` is dropped.
    pub fn http(base_url: &str) -> Result<Self, String> {
        let base = base_url.trim().trim_end_matches('/');
        let host = base.strip_prefix("https://").unwrap_or("");
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(format!(
                "`{base_url}` is not an https:// address (Slack sends requests only over HTTPS)"
            ));
        }
        Ok(Self::Http {
            base_url: base.to_owned(),
        })
    }
}

/// The Events API events otagai subscribes to, and the bot scope each needs.
pub const BOT_EVENTS: &[(&str, &str)] = &[
    // /ask: thread replies in help channels answer a question.
    ("message.channels", "channels:history"),
    ("message.groups", "groups:history"),
    // A DM to the bot in its Messages tab gets an answer.
    ("message.im", "im:history"),
    // /ask: 👀 on a question claims it, the asker's ✅ resolves it.
    ("reaction_added", "reactions:read"),
    // Someone opened the app's Home tab.
    ("app_home_opened", ""),
];

/// Scopes needed by no one method or event: receiving slash commands.
const OTHER_SCOPES: &[&str] = &["commands"];

/// What each requested bot scope is for, in the manifest's comments.
const SCOPE_COMMENTS: &[(&str, &str)] = &[
    ("commands", "Receive the slash commands above."),
    (
        "chat:write",
        "post thanks, send DMs (posting to a user ID), update posts.",
    ),
    (
        "chat:write.public",
        "post in public channels without being invited first (thanks.channel, or\n      # wherever the thanks command was typed).",
    ),
    (
        "users:read",
        "is someone a bot or deactivated, which language do they read, and their\n      # time zone (1on1 reminders go out at 09:30 where the manager is).",
    ),
    (
        "usergroups:read",
        "experts named as a user group see their topics' unanswered questions on\n      # the Home tab.",
    ),
    (
        "channels:history",
        "message.channels / message.groups: replies in the threads of the bot's question posts\n      # (a question is answered), in public and private help channels the bot is a member of.",
    ),
    ("groups:history", ""),
    (
        "im:history",
        "message.im: DMs people send the bot in its Messages tab.",
    ),
    (
        "reactions:read",
        "reaction_added: 👀 on a question claims it, ✅ by the asker resolves it.",
    ),
];

/// Every bot scope the code needs, each once, in a stable order: the Web API methods' scopes,
/// the events' scopes, then receiving commands.
pub fn bot_scopes() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let all = OTHER_SCOPES
        .iter()
        .copied()
        .chain(
            WEB_API_METHODS
                .iter()
                .flat_map(|m| m.scopes.iter().copied()),
        )
        .chain(BOT_EVENTS.iter().map(|(_, s)| *s));
    for scope in all {
        if !scope.is_empty() && !out.contains(&scope) {
            out.push(scope);
        }
    }
    out
}

/// What each command is for and how it is typed, for Slack's autocomplete.
fn command_text(kind: CommandKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        CommandKind::Thanks => (
            "Thank colleagues in public, optionally with points",
            "@someone [+points] what they did #value",
            "Escaping makes Slack send mentions as <@U012AB3CD> instead of plain text, which is\n      # how otagai knows exactly who is meant. Without it thanks cannot work.",
        ),
        CommandKind::Bonus => (
            "Your points, the rankings and your thanks history",
            "[balance | top [month|all] | history | help]",
            "Admin forms (budget @someone N, grant @someone N, admins add @someone) name people\n      # too, so mentions must arrive escaped here as well.",
        ),
        CommandKind::OneOnOne => (
            "Regular 1on1s with your reports, with action items, topics and reminders",
            "[list | add @report [weekly|biweekly|monthly|every Nd] | done @someone [notes] | todo … | topic … | help]",
            "Every 1on1 form names a person; mentions must arrive escaped.",
        ),
        CommandKind::Ask => (
            "Ask for help; someone always answers",
            "[anon] [#topic] your question | mine | topics | help",
            "Questions may mention people; escaped mentions are re-posted as real mentions.",
        ),
    }
}

/// YAML double-quoted string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The manifest for `settings`, reached over `transport`.
pub fn manifest(settings: &Settings, transport: &Transport) -> String {
    let names: &CommandNames = &settings.commands;
    let url = |path: &str| match transport {
        Transport::SocketMode => None,
        Transport::Http { base_url } => Some(format!("{base_url}{path}")),
    };
    let mut y = String::new();
    let header = match transport {
        Transport::SocketMode => {
            "# The Slack app manifest for otagai in Socket Mode, as `otagai manifest --socket-mode` prints it\n\
             # for the built-in settings (with other command names in your settings, print your own).\n\
             #\n\
             # How to use it (the README has the full steps):\n\
             #   1. https://api.slack.com/apps -> Create New App -> From a manifest -> pick the workspace ->\n\
             #      paste this file.\n\
             #   2. Install the app; copy the Bot User OAuth Token (xoxb-...) into SLACK_BOT_TOKEN.\n\
             #   3. Basic Information -> App-Level Tokens -> Generate, with the scope connections:write;\n\
             #      copy it (xapp-...) into SLACK_APP_TOKEN.\n\
             #   4. `otagai serve`: it opens the WebSocket itself, no public address is needed.\n"
        }
        Transport::Http { .. } => {
            "# The Slack app manifest for otagai over HTTPS, as `otagai manifest --url …` prints it.\n\
             #\n\
             # otagai serves three Slack endpoints, all of them signature-checked (SLACK_SIGNING_SECRET):\n\
             #   /slack/commands      slash commands\n\
             #   /slack/events        Events API\n\
             #   /slack/interactions  buttons, dialogs and shortcuts\n"
        }
    };
    y.push_str(header);
    y.push_str(
        "\n\
display_information:
  name: otagai
  # Shown in the app directory and the app's profile; at most 140 characters.
  description: Thanks with points, 1on1s that don't lapse, and questions that never go unanswered. Makes relying on each other a habit.

features:
  bot_user:
    # The name people see on the bot's posts and DMs.
    display_name: otagai
    # Show the bot as active; it is a server, not a person who goes away.
    always_online: true
  app_home:
    home_tab_enabled: true
    # The Messages tab: people answer reminder DMs there, and a DM to the bot (`help`, or a
    # command's text without the slash) gets an answer. Off, Slack shows \"Sending messages to
    # this app has been turned off\".
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  shortcuts:
    # From the ⚡ menu anywhere: the thanks form.
    - name: Say thanks
      type: global
      callback_id: thanks_global
      description: Thank colleagues for something specific
    # From a message's ⋯ menu: thanks for that message, to the person who wrote it.
    - name: Thank for this message
      type: message
      callback_id: thanks_message
      description: Thank the author of this message
  slash_commands:
",
    );
    for kind in CommandKind::ALL {
        let (description, hint, why) = command_text(kind);
        y.push_str(&format!("    - command: {}\n", names.name(kind)));
        if let Some(u) = url("/slack/commands") {
            y.push_str(&format!("      url: {u}\n"));
        }
        y.push_str(&format!(
            "      description: {description}\n      usage_hint: {}\n      # {why}\n      should_escape: true\n",
            quoted(hint)
        ));
    }
    y.push_str("\noauth_config:\n  scopes:\n    bot:\n");
    for scope in bot_scopes() {
        let comment = SCOPE_COMMENTS
            .iter()
            .find(|(s, _)| *s == scope)
            .map(|(_, c)| *c)
            .unwrap_or("");
        let methods: Vec<&str> = WEB_API_METHODS
            .iter()
            .filter(|m| m.scopes.contains(&scope))
            .map(|m| m.method)
            .collect();
        match (methods.is_empty(), comment.is_empty()) {
            (_, true) => {}
            (true, false) => y.push_str(&format!("      # {comment}\n")),
            (false, false) => y.push_str(&format!("      # {}: {comment}\n", methods.join(", "))),
        }
        y.push_str(&format!("      - {scope}\n"));
    }
    y.push_str("\nsettings:\n  event_subscriptions:\n");
    if let Some(u) = url("/slack/events") {
        y.push_str(
            "    # Slack sends a url_verification challenge here when the manifest is saved; otagai answers\n    # it, so start `otagai serve` first (or re-verify later under Event Subscriptions).\n",
        );
        y.push_str(&format!("    request_url: {u}\n"));
    }
    y.push_str("    bot_events:\n");
    for (event, _) in BOT_EVENTS {
        y.push_str(&format!("      - {event}\n"));
    }
    y.push_str(
        "  interactivity:\n    # Buttons on reminders, pulses and questions, the thanks form, and the shortcuts above.\n    is_enabled: true\n",
    );
    if let Some(u) = url("/slack/interactions") {
        y.push_str(&format!("    request_url: {u}\n"));
    }
    y.push_str(
        "  # A workspace app, not an Enterprise Grid org-wide one.\n  org_deploy_enabled: false\n",
    );
    match transport {
        Transport::SocketMode => y.push_str(
            "  # Slack's requests arrive over a WebSocket otagai opens with SLACK_APP_TOKEN (xapp-…, an\n  # app-level token with the scope connections:write); no request URLs.\n  socket_mode_enabled: true\n",
        ),
        Transport::Http { .. } => y.push_str(
            "  # Slack's requests arrive over HTTPS at the URLs above.\n  socket_mode_enabled: false\n",
        ),
    }
    y.push_str(
        "  # The bot token does not expire; otagai has no token refresh.\n  token_rotation_enabled: false\n",
    );
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_mode_manifest_has_no_request_urls() {
        let m = manifest(&Settings::defaults(), &Transport::SocketMode);
        assert!(m.contains("socket_mode_enabled: true"));
        assert!(!m.contains("url:"), "{m}");
    }

    #[test]
    fn http_manifest_names_the_three_endpoints() {
        let t = Transport::http("https://otagai.example.com/").unwrap();
        let m = manifest(&Settings::defaults(), &t);
        assert!(m.contains("url: https://otagai.example.com/slack/commands"));
        assert!(m.contains("request_url: https://otagai.example.com/slack/events"));
        assert!(m.contains("request_url: https://otagai.example.com/slack/interactions"));
        assert!(m.contains("socket_mode_enabled: false"));
        assert!(Transport::http("http://x").is_err());
        assert!(Transport::http("https://").is_err());
    }
}
