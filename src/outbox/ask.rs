//! The messages of help requests (`/ask`), in product terms, and their plain text: the post in
//! the help channel (re-rendered whenever its state changes), the link to it, the asker's DMs,
//! the nudges. Block Kit rendering is in `slack/blocks.rs`.
//!
//! An anonymous request's post carries no asker at all (`asker: None`), so no rendering can
//! show who asked.

use crate::domain::text::user_text;
use crate::domain::{Locale, UserId};
use crate::i18n::{self, Lang, tr, tr0};
use serde::{Deserialize, Serialize};

/// The post of a request in its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskPost {
    pub request_id: i64,
    /// `None` for an anonymous request.
    pub asker: Option<UserId>,
    pub topic: Option<String>,
    pub question: String,
    /// `open`, `claimed`, `answered` or `resolved`.
    pub state: String,
    /// Who said they would take it.
    pub claimers: Vec<UserId>,
    /// Who replied in the thread.
    pub repliers: Vec<UserId>,
    /// Only on the first post: where to tell the asker it is up, with its link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announce: Option<Announce>,
    /// Which rendering of the post this is; an update older than the request's current
    /// `post_version` is dropped by the worker instead of putting an old state back.
    #[serde(default)]
    pub version: i64,
}

/// Where the asker hears that their question was posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announce {
    /// The command's response_url.
    pub response_url: String,
    /// The workspace's domain (`acme` of acme.slack.com), for the link.
    pub team_domain: Option<String>,
    /// The asker's language.
    pub locale: Locale,
}

impl Announce {
    /// An ephemeral answer to the asker's `/ask`.
    pub fn reply(&self, body: super::Body) -> super::OutboundMessage {
        super::OutboundMessage {
            to: super::Destination::ResponseUrl {
                url: self.response_url.clone(),
                replace_original: false,
            },
            locale: self.locale,
            body,
        }
    }
}

/// A link to message `ts` in `channel`.
pub fn permalink(team_domain: Option<&str>, channel: &str, ts: &str) -> String {
    let host = match team_domain {
        Some(d) if !d.is_empty() => format!("https://{d}.slack.com"),
        _ => "https://slack.com".to_owned(),
    };
    format!("{host}/archives/{channel}/p{}", ts.replace('.', ""))
}

/// A question cut to `max` characters for a one-line mention of it.
pub fn excerpt(question: &str, max: usize) -> String {
    let one_line = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The post in parts, so Block Kit and the text fallback say the same thing.
pub struct AskPostParts {
    /// "Question from @ann · #payroll".
    pub header: String,
    /// The question as asked, without broadcasts. Not quoted line by line: a `> ` per line
    /// would push a long question of many lines past Slack's 3000-character section.
    pub quote: String,
    /// Where it stands and who is on it.
    pub status: String,
    pub resolved: bool,
}

impl AskPost {
    pub fn parts(&self, l: Lang<'_>) -> AskPostParts {
        let topic = self
            .topic
            .as_deref()
            .map(|t| format!(" · #{t}"))
            .unwrap_or_default();
        let header = match &self.asker {
            Some(a) => tr(
                l,
                "ask-post-header",
                &[("asker", a.mention().into()), ("topic", topic.into())],
            ),
            None => tr(l, "ask-post-header-anon", &[("topic", topic.into())]),
        };
        let quote = user_text(&self.question);
        let mut helpers: Vec<UserId> = self.claimers.clone();
        for r in &self.repliers {
            if !helpers.contains(r) {
                helpers.push(r.clone());
            }
        }
        let people = i18n::people(l, &helpers);
        let status = match self.state.as_str() {
            "claimed" => tr(l, "ask-status-claimed", &[("people", people.into())]),
            "answered" => tr(l, "ask-status-answered", &[("people", people.into())]),
            "resolved" if helpers.is_empty() => tr0(l, "ask-status-resolved-alone"),
            "resolved" => tr(l, "ask-status-resolved", &[("people", people.into())]),
            _ => tr0(l, "ask-status-open"),
        };
        AskPostParts {
            header,
            quote,
            status,
            resolved: self.state == "resolved",
        }
    }

    pub fn text(&self, l: Lang<'_>) -> String {
        let p = self.parts(l);
        format!("{}\n{}\n{}", p.header, p.quote, p.status)
    }
}

/// A nudge or escalation about an unanswered request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskNudge {
    /// Which text (not `kind`: the enclosing `Body` is tagged with that).
    pub nudge: NudgeText,
    /// Mentions, already written (`<@U…>`, `<!subteam^S…>`).
    pub mentions: Vec<String>,
    pub topic: Option<String>,
    /// For an escalation posted elsewhere: the request's link and a short excerpt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// Working hours it has waited, for the text.
    pub waited_hours: i64,
}

/// Which nudge text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NudgeText {
    /// In the thread, to the topic's experts: nobody has taken it.
    Experts,
    /// In the thread, to whoever claimed it: no answer yet.
    Claimers,
    /// In the thread, to the escalation group.
    EscalateThread,
    /// In the escalation channel, with a link.
    EscalateChannel,
}

impl AskNudge {
    pub fn text(&self, l: Lang<'_>) -> String {
        let who = self.mentions.join(" ");
        let hours = ("hours", self.waited_hours.into());
        let topic = self
            .topic
            .as_deref()
            .map(|t| format!("#{t}"))
            .unwrap_or_else(|| "none".to_owned());
        match self.nudge {
            NudgeText::Experts if who.is_empty() => tr(l, "ask-nudge-nobody", &[hours]),
            NudgeText::Experts => tr(l, "ask-nudge-experts", &[("who", who.into()), hours]),
            NudgeText::Claimers => tr(l, "ask-nudge-claimers", &[("who", who.into()), hours]),
            NudgeText::EscalateThread => {
                tr(l, "ask-escalate-thread", &[("who", who.into()), hours])
            }
            NudgeText::EscalateChannel => tr(
                l,
                "ask-escalate-channel",
                &[
                    ("topic", topic.into()),
                    ("hours", self.waited_hours.into()),
                    (
                        "excerpt",
                        user_text(self.excerpt.as_deref().unwrap_or_default()).into(),
                    ),
                    ("link", self.link.clone().unwrap_or_default().into()),
                ],
            ),
        }
    }
}
