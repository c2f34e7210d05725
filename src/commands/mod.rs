//! Slash-command text -> typed command. Pure: no Slack, no database, no clock.
//!
//! Every grammar lives in its own file with dense table tests. The usage lines that `help`
//! shows are generated from `USAGE` tables next to each grammar, so help cannot drift from
//! what the parser accepts.

mod ask;
mod bonus;
mod mention;
mod one_on_one;
mod thanks;

pub use ask::AskCommand;
pub use bonus::{BonusCommand, TopScope};
pub use mention::Mention;
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

/// Parses the `command` Slack sent (`/thanks`) with its `text`. `values` are the company's
/// value hashtags (without `#`).
pub fn parse(command: &str, text: &str, values: &[String]) -> Result<Command, CommandError> {
    match command {
        "/thanks" => {
            let trimmed = text.trim();
            if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("help") {
                Ok(Command::ThanksHelp)
            } else {
                thanks::parse(trimmed, values).map(Command::Thanks)
            }
        }
        "/bonus" => bonus::parse(text).map(Command::Bonus),
        "/1on1" => one_on_one::parse(text).map(Command::OneOnOne),
        "/ask" => ask::parse(text).map(Command::Ask),
        other => Err(CommandError::UnknownCommand(other.to_owned())),
    }
}

/// Every usage line, for the help texts.
pub fn usage(command: &str) -> &'static [Usage] {
    match command {
        "/thanks" => thanks::USAGE,
        "/bonus" => bonus::USAGE,
        "/1on1" => one_on_one::USAGE,
        "/ask" => ask::USAGE,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unknown_commands_are_named() {
        assert_eq!(
            parse("/kudos", "x", &[]),
            Err(CommandError::UnknownCommand("/kudos".into()))
        );
    }

    #[test]
    fn every_usage_line_starts_with_its_command() {
        for cmd in ["/thanks", "/bonus", "/1on1", "/ask"] {
            assert!(!usage(cmd).is_empty());
            for u in usage(cmd) {
                assert!(u.syntax.starts_with(cmd), "{}", u.syntax);
            }
        }
    }
}
