//! The tokens Slack puts in command text when "escape users" is on.

use crate::domain::{ChannelId, UserId};

/// One whitespace-separated token, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mention {
    /// `<@U012AB3CD>` or `<@U012AB3CD|name>`.
    User(UserId),
    /// `<!subteam^S123|@team>`.
    Group,
    /// `<#C123|general>`.
    Channel(ChannelId),
    /// `@name` typed by hand: Slack did not resolve it, so we cannot either.
    Plain(String),
}

impl Mention {
    /// Classifies a token, or `None` when it is ordinary text.
    pub fn classify(token: &str) -> Option<Self> {
        if let Some(inner) = token.strip_prefix("<@").and_then(|t| t.strip_suffix('>')) {
            let id = inner.split('|').next().unwrap_or_default();
            return UserId::parse(id).ok().map(Self::User);
        }
        if token.starts_with("<!subteam^") && token.ends_with('>') {
            return Some(Self::Group);
        }
        if let Some(inner) = token.strip_prefix("<#").and_then(|t| t.strip_suffix('>')) {
            let id = inner.split('|').next().unwrap_or_default();
            return ChannelId::parse(id).ok().map(Self::Channel);
        }
        if let Some(name) = token.strip_prefix('@')
            && !name.is_empty()
        {
            return Some(Self::Plain(token.to_owned()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_escaped_tokens_are_recognised() {
        let u = |s: &str| Mention::User(UserId::parse(s).unwrap());
        let cases = [
            ("<@U012AB3CD>", Some(u("U012AB3CD"))),
            ("<@U012AB3CD|alice>", Some(u("U012AB3CD"))),
            ("<@W0ABC|bob smith>", Some(u("W0ABC"))),
            ("<!subteam^S123|@team>", Some(Mention::Group)),
            (
                "<#C123ABC|general>",
                Some(Mention::Channel(ChannelId::parse("C123ABC").unwrap())),
            ),
            ("@alice", Some(Mention::Plain("@alice".into()))),
            ("@", None),
            ("<@lowercase>", None),
            ("hello", None),
            ("email@example.com", None),
        ];
        for (token, want) in cases {
            assert_eq!(Mention::classify(token), want, "{token}");
        }
    }
}
