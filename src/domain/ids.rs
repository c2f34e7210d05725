//! Slack identifiers as newtypes: parsed once at the edge, trusted everywhere else.

use std::fmt;

/// A Slack user ID (`U…` or `W…` for Enterprise Grid), the only way otagai names a person.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct UserId(String);

impl UserId {
    /// Accepts what Slack issues: `U` or `W` followed by upper-case letters and digits.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = raw.len() >= 2
            && raw.len() <= 32
            && matches!(raw.as_bytes()[0], b'U' | b'W')
            && raw[1..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!("`{raw}` is not a Slack user ID (like U012AB3CD)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How Slack renders a mention of this user.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.0)
    }
}

impl TryFrom<String> for UserId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<UserId> for String {
    fn from(value: UserId) -> Self {
        value.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Slack conversation ID: a channel (`C…`), a private channel or group (`G…`) or a DM (`D…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChannelId(String);

impl ChannelId {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = raw.len() >= 2
            && raw.len() <= 32
            && matches!(raw.as_bytes()[0], b'C' | b'G' | b'D')
            && raw[1..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!(
                "`{raw}` is not a Slack channel ID (like C012AB3CD)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChannelId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ChannelId> for String {
    fn from(value: ChannelId) -> Self {
        value.0
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_what_slack_issues() {
        for ok in ["U012AB3CD", "W0123ABC", "UBOB"] {
            assert!(UserId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "U", "u012", "C012AB3CD", "U012-AB", "Uab", "@bob"] {
            assert!(UserId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn channel_ids_are_channels_groups_or_dms() {
        for ok in ["C012AB3CD", "G8PSS9T3V", "D024BE91L"] {
            assert!(ChannelId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "U012AB3CD", "c012", "#general"] {
            assert!(ChannelId::parse(bad).is_err(), "{bad}");
        }
    }
}
