//! Slash-command text -> typed command. Pure: no Slack, no database, no clock.
//!
//! Every grammar lives in its own file with dense table tests. The usage lines that `help`
//! shows are generated from `USAGE` tables next to each grammar, so help cannot drift from
//! what the parser accepts.

mod ask;
mod bonus;
mod mention;
mod names;
mod one_on_one;
mod thanks;

pub use ask::AskCommand;
pub use bonus::{BonusCommand, TopScope};
pub use mention::Mention;
pub use names::{CommandKind, CommandNames};
pub use one_on_one::{OneOnOneCommand, SnoozeFor};
pub use thanks::{ThanksCommand, split_values};

/// One usage line: the syntax as typed, and the message-catalog key that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub syntax: &'static str,
    pub explain_key: &'static str,
    /// Shown only to admins.
    pub admin_only: bool,
}

/// The placeholders of the usage lines, and the catalog key of each in the reader's language
/// (`@someone` is `@相手` in Japanese); everything else in a usage line is typed as shown.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("what exactly they did", "ph-what-they-did"),
    ("what to talk about", "ph-talk-about"),
    ("your question", "ph-question"),
    ("action item", "ph-action-item"),
    ("[notes]", "ph-notes"),
    ("@someone", "ph-someone"),
    ("@another", "ph-another"),
    ("#value", "ph-value"),
    ("#topic", "ph-topic"),
];

/// The words of usage lines that are typed as shown (besides the command and `[`, `|`, `]`).
pub const KEYWORDS: &[&str] = &[
    "list",
    "add",
    "remove",
    "done",
    "on",
    "todo",
    "todos",
    "topic",
    "notes",
    "snooze",
    "until",
    "pause",
    "resume",
    "feedback",
    "report",
    "weekly",
    "biweekly",
    "monthly",
    "every",
    "Nd",
    "N",
    "YYYY-MM-DD",
    "top",
    "month",
    "all",
    "history",
    "budget",
    "default",
    "grant",
    "admins",
    "anon",
    "mine",
    "topics",
    "stats",
    "+10",
];

/// A slash command otagai understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Thanks(ThanksCommand),
    ThanksHelp,
    Bonus(BonusCommand),
    OneOnOne(OneOnOneCommand),
    Ask(AskCommand),
}

/// Why the text could not be understood; each becomes a friendly reply with the right form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command {0}")]
    UnknownCommand(String),
    #[error("no recipient")]
    NoRecipient,
    #[error("plain @mention {0}")]
    PlainMention(String),
    #[error("a user group cannot be thanked")]
    GroupMention,
    #[error("a channel cannot be thanked")]
    ChannelMention,
    #[error("points `{0}` are not a whole number")]
    PointsNotWhole(String),
    #[error("no message")]
    NoMessage,
    #[error("amount `{0}` is not a whole number of points")]
    AmountNotWhole(String),
    #[error("unknown /bonus subcommand `{0}`")]
    UnknownBonus(String),
    #[error("usage: {0}")]
    Usage(&'static str),
    #[error("unknown /1on1 subcommand `{0}`")]
    UnknownOneOnOne(String),
    /// `/1on1 @alex …`: a person where the subcommand belongs.
    #[error("/1on1 without a subcommand before the person")]
    OneOnOneNoSubcommand,
    #[error("`{0}` is not a cadence")]
    BadCadence(String),
    /// Not `YYYY-MM-DD`, or not a real day (2026-02-30).
    #[error("`{0}` is not a YYYY-MM-DD date")]
    BadDate(String),
    #[error("`{0}` is not a snooze length")]
    BadSnooze(String),
    #[error("`{0}` is not an action item number")]
    BadTodoNumber(String),
    #[error("an action item without text")]
    NoTodoText,
    #[error("a topic without text")]
    NoTopicText,
    /// `/ask` with nothing to ask: empty, or only `anon` and a topic.
    #[error("no question")]
    NoQuestion,
    /// `/ask #…` where the `#` token is not a topic name; the token as typed.
    #[error("`{0}` is not a topic name")]
    BadTopic(String),
}

/// Parses the `command` Slack sent (`/thanks`, or its configured name) with its `text`.
/// `values` are the company's value hashtags (without `#`).
pub fn parse(
    names: &CommandNames,
    command: &str,
    text: &str,
    values: &[String],
) -> Result<Command, CommandError> {
    let Some(kind) = names.kind_of(command) else {
        return Err(CommandError::UnknownCommand(command.to_owned()));
    };
    parse_kind(kind, text, values)
}

/// Parses the text of the command `kind`.
pub fn parse_kind(
    kind: CommandKind,
    text: &str,
    values: &[String],
) -> Result<Command, CommandError> {
    match kind {
        CommandKind::Thanks => {
            let trimmed = text.trim();
            if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("help") {
                Ok(Command::ThanksHelp)
            } else {
                thanks::parse(trimmed, values).map(Command::Thanks)
            }
        }
        CommandKind::Bonus => bonus::parse(text).map(Command::Bonus),
        CommandKind::OneOnOne => one_on_one::parse(text).map(Command::OneOnOne),
        CommandKind::Ask => ask::parse(text).map(Command::Ask),
    }
}

/// Every usage line of `kind`, for the help texts.
pub fn usage(kind: CommandKind) -> &'static [Usage] {
    match kind {
        CommandKind::Thanks => thanks::USAGE,
        CommandKind::Bonus => bonus::USAGE,
        CommandKind::OneOnOne => one_on_one::USAGE,
        CommandKind::Ask => ask::USAGE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(command: &str, text: &str, values: &[String]) -> Result<Command, CommandError> {
        super::parse(&CommandNames::default(), command, text, values)
    }

    #[test]
    fn empty_text_and_help_show_usage() {
        assert_eq!(parse("/thanks", "", &[]), Ok(Command::ThanksHelp));
        assert_eq!(parse("/thanks", "  HELP ", &[]), Ok(Command::ThanksHelp));
        assert_eq!(
            parse("/bonus", "help", &[]),
            Ok(Command::Bonus(BonusCommand::Help))
        );
        assert_eq!(
            parse("/ask", " help ", &[]),
            Ok(Command::Ask(AskCommand::Help))
        );
    }

    #[test]
    fn usage_lines_are_keywords_and_placeholders_only() {
        for kind in CommandKind::ALL {
            for u in usage(kind) {
                let mut rest = u.syntax[kind.builtin().len()..].to_owned();
                for (phrase, _) in PLACEHOLDERS {
                    rest = rest.replace(phrase, " ");
                }
                for word in rest.split(|c: char| c.is_whitespace() || "[]|".contains(c)) {
                    assert!(
                        word.is_empty() || KEYWORDS.contains(&word),
                        "`{word}` in `{}` is neither a keyword nor a placeholder",
                        u.syntax
                    );
                }
            }
        }
    }

    #[test]
    fn unknown_commands_are_named() {
        assert_eq!(
            parse("/kudos", "x", &[]),
            Err(CommandError::UnknownCommand("/kudos".into()))
        );
    }

    #[test]
    fn every_usage_line_starts_with_its_command() {
        for kind in CommandKind::ALL {
            assert!(!usage(kind).is_empty());
            for u in usage(kind) {
                assert!(u.syntax.starts_with(kind.builtin()), "{}", u.syntax);
            }
        }
    }
}
