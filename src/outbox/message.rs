//! What the application asks to send, in product terms. Rendering to Block Kit happens in
//! `slack/`, to plain text here (the Slack fallback text and the console).

use crate::domain::{ChannelId, Locale, UserId};
use crate::i18n::{self, tr};
use serde::{Deserialize, Serialize};

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Destination {
    /// Posted in a channel.
    Channel { channel: ChannelId },
    /// A direct message from the bot.
    Direct { user: UserId },
    /// The reply to a slash command that took longer than the acknowledgement.
    ResponseUrl { url: String },
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
    },
    /// The DM a recipient gets.
    ThanksReceived {
        giver: UserId,
        message: String,
        points: i64,
    },
    /// Text already written in the reader's language (command replies, admin notices).
    Text { text: String },
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMessage {
    pub to: Destination,
    /// The reader's language.
    pub locale: Locale,
    pub body: Body,
}

impl OutboundMessage {
    /// The message as plain Slack text (mentions as `<@U…>`): the fallback for notifications
    /// and screen readers, and what the console shows.
    pub fn text(&self) -> String {
        let l = self.locale;
        match &self.body {
            Body::ThanksPost {
                giver,
                recipients,
                message,
                points_each,
                values,
            } => {
                let names: Vec<String> = recipients.iter().map(UserId::mention).collect();
                let mut out = tr(
                    l,
                    "thanks-post",
                    &[
                        ("giver", giver.mention().into()),
                        ("recipients", i18n::list(l, &names).into()),
                    ],
                );
                for line in message.lines() {
                    out.push_str(&format!("\n> {line}"));
                }
                if *points_each > 0 {
                    out.push('\n');
                    out.push_str(&tr(
                        l,
                        "thanks-post-points",
                        &[("n", (*points_each).into())],
                    ));
                }
                if !values.is_empty() {
                    let tags: Vec<String> = values.iter().map(|v| format!("#{v}")).collect();
                    out.push('\n');
                    out.push_str(&tr(
                        l,
                        "thanks-post-values",
                        &[("values", tags.join(" ").into())],
                    ));
                }
                out
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
                        ("message", message.clone().into()),
                    ],
                );
                if *points > 0 {
                    out.push('\n');
                    out.push_str(&tr(l, "thanks-dm-points", &[("n", (*points).into())]));
                }
                out
            }
            Body::Text { text } => text.clone(),
        }
    }
}
