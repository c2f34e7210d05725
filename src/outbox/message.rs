//! What the application asks to send, in product terms. Rendering to Block Kit happens in
//! `slack/`, to plain text here (the Slack fallback text and the console).

use super::ask::{AskNudge, AskPost};
use super::one_on_one::ReminderDm;
use crate::commands::CommandNames;
use crate::domain::text::user_text;
use crate::domain::{ChannelId, Locale, UserId};
use crate::i18n::{self, Lang, tr, tr0};
use serde::{Deserialize, Serialize};

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Destination {
    /// Posted in a channel. When the bot may not post there (a private channel it is not in, a
    /// DM between two people), the post goes to the command's response_url instead, in public.
    Channel {
        channel: ChannelId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback_response_url: Option<String>,
    },
    /// A direct message from the bot.
    Direct { user: UserId },
    /// A reply in the thread of message `thread_ts` in `channel`.
    Thread {
        channel: ChannelId,
        thread_ts: String,
    },
    /// Replaces the bot's own message `ts` in `channel` (`chat.update`).
    Update { channel: ChannelId, ts: String },
    /// An answer through a response_url: the reply to a slash command that took longer than the
    /// acknowledgement, or the answer to a button, which may replace the message it was on.
    ResponseUrl {
        url: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        replace_original: bool,
    },
}

impl Destination {
    /// The place a message goes, as the outbox orders it: messages with one key leave in the
    /// order they were written, one at a time. A `chat.update` shares its channel's key, so a
    /// redraw never overtakes the post it redraws (nor an earlier redraw); a thread is a place
    /// of its own, as are a DM and a response_url.
    pub fn order_key(&self) -> String {
        match self {
            Destination::Channel { channel, .. } | Destination::Update { channel, .. } => {
                format!("C:{channel}")
            }
            Destination::Thread { channel, thread_ts } => format!("T:{channel}/{thread_ts}"),
            Destination::Direct { user } => format!("D:{user}"),
            Destination::ResponseUrl { url, .. } => format!("R:{url}"),
        }
    }
}

impl Destination {
    /// What a 429 on a send here is about: Slack limits `chat.postMessage` per channel (a DM's
    /// channel is the person's), `chat.update` per workspace, and each response_url on its own.
    pub fn rate_scope(&self) -> String {
        match self {
            Destination::Channel { channel, .. } | Destination::Thread { channel, .. } => {
                format!("chat.postMessage:{channel}")
            }
            Destination::Direct { user } => format!("chat.postMessage:{user}"),
            Destination::Update { .. } => "chat.update".into(),
            Destination::ResponseUrl { url, .. } => format!("response_url:{url}"),
        }
    }
}

/// What the message says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// The public post of a thanks.
    ThanksPost {
        giver: UserId,
        recipients: Vec<UserId>,
        message: String,
        points_each: i64,
        values: Vec<String>,
        /// The message thanked for (a permalink built by otagai), when thanked from it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<String>,
    },
    /// The DM a recipient gets.
    ThanksReceived {
        giver: UserId,
        message: String,
        points: i64,
    },
    /// Text already written in the reader's language (command replies, admin notices).
    Text { text: String },
    /// The DM to a manager whose 1on1 with a report is due or overdue.
    OneOnOneReminder(ReminderDm),
    /// To a report: a manager invites them to regular 1on1s (Accept / Decline buttons). The
    /// text is written in the reader's language.
    PairInvitation { invitation_id: i64, text: String },
    /// The two anonymous questions a report gets after a recorded 1on1.
    Pulse {
        meeting_id: i64,
        manager: UserId,
        held_on: chrono::NaiveDate,
    },
    /// A help request's post in its channel (first posted, or updated).
    AskPost(AskPost),
    /// To the asker: the question is up, here is its link.
    AskPosted { channel: ChannelId, link: String },
    /// To the asker: the bot could not post in the channel.
    AskNotPosted { channel: ChannelId },
    /// A nudge or escalation of an unanswered request.
    AskNudge(AskNudge),
    /// To the asker, once: someone took or answered the request.
    AskHelped {
        link: String,
        by: UserId,
        replied: bool,
        /// The question is anonymous: the DM does not suggest a ✅ reaction (Slack shows who
        /// reacted) and warns that a reply in the thread shows the asker's name.
        #[serde(default)]
        anonymous: bool,
    },
    /// To the asker when resolved: who helped, with a "Say thanks" button.
    AskResolved {
        request_id: i64,
        link: String,
        helpers: Vec<UserId>,
        excerpt: String,
    },
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMessage {
    pub to: Destination,
    /// The reader's language.
    pub locale: Locale,
    pub body: Body,
}

/// A public thanks post in parts, so the text fallback and Block Kit say the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostParts {
    /// "@ann thanked @ben".
    pub header: String,
    /// The message, each line quoted, without broadcasts.
    pub quote: String,
    /// Points and values, one line each.
    pub notes: Vec<String>,
}

impl PostParts {
    fn new(
        l: Lang<'_>,
        giver: &UserId,
        recipients: &[UserId],
        message: &str,
        points_each: i64,
        values: &[String],
        link: Option<&str>,
    ) -> Self {
        let header = tr(
            l,
            "thanks-post",
            &[
                ("giver", i18n::people(l, std::slice::from_ref(giver)).into()),
                ("recipients", i18n::people(l, recipients).into()),
            ],
        );
        let quote = user_text(message)
            .lines()
            .map(|line| format!("> {line}"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut notes = Vec::new();
        if points_each > 0 {
            notes.push(tr(l, "thanks-post-points", &[("n", points_each.into())]));
        }
        if !values.is_empty() {
            let tags: Vec<String> = values.iter().map(|v| format!("#{v}")).collect();
            notes.push(tr(
                l,
                "thanks-post-values",
                &[("values", tags.join(" ").into())],
            ));
        }
        if let Some(link) = link {
            notes.push(tr(
                l,
                "thanks-post-link",
                &[(
                    "link",
                    format!("<{link}|{}>", tr0(l, "thanks-post-link-label")).into(),
                )],
            ));
        }
        Self {
            header,
            quote,
            notes,
        }
    }
}

impl OutboundMessage {
    /// The reader's language, with the commands named as `commands` (the settings) call them.
    pub fn lang<'a>(&self, commands: &'a CommandNames) -> Lang<'a> {
        Lang::new(self.locale, commands)
    }

    /// The parts of a public thanks post; `None` for other messages.
    pub fn post_parts(&self, commands: &CommandNames) -> Option<PostParts> {
        match &self.body {
            Body::ThanksPost {
                giver,
                recipients,
                message,
                points_each,
                values,
                link,
            } => Some(PostParts::new(
                self.lang(commands),
                giver,
                recipients,
                message,
                *points_each,
                values,
                link.as_deref(),
            )),
            _ => None,
        }
    }

    /// The message as plain Slack text (mentions as `<@U…>`): the fallback for notifications
    /// and screen readers, and what the console shows. `commands` are the settings' command
    /// names, which the catalog messages name.
    pub fn text(&self, commands: &CommandNames) -> String {
        let l = self.lang(commands);
        match &self.body {
            Body::ThanksPost { .. } => {
                let p = self.post_parts(commands).expect("a thanks post has parts");
                let mut lines = vec![p.header, p.quote];
                lines.extend(p.notes);
                lines.join("\n")
            }
            Body::ThanksReceived {
                giver,
                message,
                points,
            } => {
                let mut out = tr(
                    l,
                    "thanks-dm",
                    &[
                        ("giver", giver.mention().into()),
                        ("message", user_text(message).into()),
                    ],
                );
                if *points > 0 {
                    out.push('\n');
                    out.push_str(&tr(l, "thanks-dm-points", &[("n", (*points).into())]));
                }
                out
            }
            Body::Text { text } | Body::PairInvitation { text, .. } => text.clone(),
            Body::OneOnOneReminder(r) => r.text(l),
            Body::Pulse { manager, .. } => super::one_on_one::pulse_text(l, manager),
            Body::AskPost(p) => p.text(l),
            Body::AskPosted { channel, link } => tr(
                l,
                "ask-posted",
                &[
                    ("channel", format!("<#{channel}>").into()),
                    ("link", link.clone().into()),
                ],
            ),
            Body::AskNotPosted { channel } => tr(
                l,
                "ask-not-posted",
                &[("channel", format!("<#{channel}>").into())],
            ),
            Body::AskNudge(n) => n.text(l),
            Body::AskHelped {
                link,
                by,
                replied,
                anonymous,
            } => tr(
                l,
                match (*replied, *anonymous) {
                    (true, false) => "ask-dm-replied",
                    (true, true) => "ask-dm-replied-anon",
                    (false, false) => "ask-dm-claimed",
                    (false, true) => "ask-dm-claimed-anon",
                },
                &[("by", by.mention().into()), ("link", link.clone().into())],
            ),
            Body::AskResolved {
                link,
                helpers,
                excerpt,
                ..
            } => tr(
                l,
                "ask-dm-resolved",
                &[
                    ("people", i18n::people(l, helpers).into()),
                    ("excerpt", user_text(excerpt).into()),
                    ("link", link.clone().into()),
                ],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_post_quotes_every_line_without_broadcasts() {
        let m = OutboundMessage {
            to: Destination::Direct {
                user: UserId::parse("U1").unwrap(),
            },
            locale: Locale::En,
            body: Body::ThanksPost {
                giver: UserId::parse("U1").unwrap(),
                recipients: vec![UserId::parse("U2").unwrap()],
                message: "line one <!here>\nline two".into(),
                points_each: 0,
                values: vec![],
                link: None,
            },
        };
        let text = m.text(&CommandNames::default());
        assert!(text.contains("> line one @here\n> line two"), "{text}");
        assert!(!text.contains("<!here>"));
    }

    #[test]
    fn every_help_request_message_reads_back_from_the_outbox() {
        use crate::outbox::{Announce, AskNudge, AskPost, NudgeText};
        let u = |s: &str| UserId::parse(s).unwrap();
        let c = ChannelId::parse("C0HELP").unwrap();
        let bodies = [
            Body::AskPost(AskPost {
                request_id: 1,
                asker: None,
                topic: Some("payroll".into()),
                question: "how?".into(),
                state: "open".into(),
                claimers: vec![u("U1")],
                repliers: vec![],
                version: 3,
                announce: Some(Announce {
                    response_url: "https://hooks.example/1".into(),
                    team_domain: None,
                    locale: Locale::Ja,
                }),
            }),
            Body::AskPosted {
                channel: c.clone(),
                link: "https://x.slack.com/archives/C0HELP/p1".into(),
            },
            Body::AskNotPosted { channel: c.clone() },
            Body::AskNudge(AskNudge {
                nudge: NudgeText::EscalateChannel,
                mentions: vec!["<!subteam^S1>".into()],
                topic: None,
                link: Some("l".into()),
                excerpt: Some("e".into()),
                waited_hours: 9,
            }),
            Body::AskHelped {
                link: "l".into(),
                by: u("U2"),
                replied: true,
                anonymous: true,
            },
            Body::AskResolved {
                request_id: 1,
                link: "l".into(),
                helpers: vec![u("U2")],
                excerpt: "e".into(),
            },
        ];
        let destinations = [
            Destination::Thread {
                channel: c.clone(),
                thread_ts: "1.2".into(),
            },
            Destination::Update {
                channel: c,
                ts: "1.2".into(),
            },
        ];
        for body in bodies {
            for to in destinations.clone() {
                let m = OutboundMessage {
                    to,
                    locale: Locale::En,
                    body: body.clone(),
                };
                let json = serde_json::to_string(&m).unwrap();
                let back: OutboundMessage = serde_json::from_str(&json).expect(&json);
                assert_eq!(back, m);
                assert!(!m.text(&CommandNames::default()).is_empty());
            }
        }
    }
}
