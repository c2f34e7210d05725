//! Slack identifiers as newtypes: parsed once at the edge, trusted everywhere else.

use std::fmt;

/// The plumbing every string ID shares: `as_str`, serde through `String` (so a stored or sent
/// ID is parsed again on the way in), and `Display` as the bare ID.
macro_rules! string_id {
    ($t:ident) => {
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$t> for String {
            fn from(value: $t) -> Self {
                value.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

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

    /// How Slack renders a mention of this user.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.0)
    }
}

string_id!(UserId);

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
}

string_id!(ChannelId);

/// A Slack user-group ID (`S…`), the handle behind a mention like `@design-team`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct UserGroupId(String);

impl UserGroupId {
    /// Accepts what Slack issues: `S` followed by upper-case letters and digits.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = raw.len() >= 2
            && raw.len() <= 32
            && raw.as_bytes()[0] == b'S'
            && raw[1..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!(
                "`{raw}` is not a Slack user group ID (like S0123ABC)"
            ))
        }
    }

    /// How Slack renders a mention of this group, which notifies its members.
    pub fn mention(&self) -> String {
        format!("<!subteam^{}>", self.0)
    }
}

string_id!(UserGroupId);

/// Who gets mentioned on a help request: a person or a user group.
///
/// Stored and serialised as the plain ID string; its first letter tells which it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Expert {
    User(UserId),
    Group(UserGroupId),
}

impl Expert {
    /// A user ID (`U…`, `W…`) is a person, a user-group ID (`S…`) a group; anything else is
    /// refused with a short English reason naming the text.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.as_bytes().first() {
            Some(b'U' | b'W') => UserId::parse(raw).map(Self::User),
            Some(b'S') => UserGroupId::parse(raw).map(Self::Group),
            _ => Err(format!(
                "`{raw}` is not a Slack user or user group ID (like U012AB3CD or S0123ABC)"
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::User(user) => user.as_str(),
            Self::Group(group) => group.as_str(),
        }
    }

    /// How Slack renders a mention of this person or group.
    pub fn mention(&self) -> String {
        match self {
            Self::User(user) => user.mention(),
            Self::Group(group) => group.mention(),
        }
    }
}

impl From<UserId> for Expert {
    fn from(value: UserId) -> Self {
        Self::User(value)
    }
}

impl From<UserGroupId> for Expert {
    fn from(value: UserGroupId) -> Self {
        Self::Group(value)
    }
}

impl TryFrom<String> for Expert {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Expert> for String {
    fn from(value: Expert) -> Self {
        match value {
            Expert::User(user) => user.into(),
            Expert::Group(group) => group.into(),
        }
    }
}

impl fmt::Display for Expert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

    #[test]
    fn user_group_ids_start_with_s_and_mention_the_subteam() {
        for ok in ["S0123ABC", "SABC", "S1"] {
            let group = UserGroupId::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(group.as_str(), ok);
            assert_eq!(group.to_string(), ok);
            assert_eq!(group.mention(), format!("<!subteam^{ok}>"));
        }
        for bad in [
            "",
            "S",
            "s0123ABC",
            "S0123abc",
            "U012AB3CD",
            "S012-3",
            "@team",
        ] {
            let err = UserGroupId::parse(bad).expect_err(bad);
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn experts_are_people_or_groups_told_apart_by_the_first_letter() {
        let cases = [
            ("U012AB3CD", "<@U012AB3CD>", true),
            ("W0123ABC", "<@W0123ABC>", true),
            ("S0123ABC", "<!subteam^S0123ABC>", false),
        ];
        for (raw, mention, is_user) in cases {
            let expert = Expert::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(expert.as_str(), raw);
            assert_eq!(expert.to_string(), raw);
            assert_eq!(expert.mention(), mention);
            assert_eq!(matches!(expert, Expert::User(_)), is_user, "{raw}");
        }
    }

    #[test]
    fn anything_but_a_user_or_group_id_is_not_an_expert_and_the_error_names_it() {
        for bad in [
            "",
            "C012AB3CD",
            "D024BE91L",
            "u012",
            "S",
            "U",
            "Sabc",
            "<@U012AB3CD>",
        ] {
            let err = Expert::parse(bad).expect_err(bad);
            assert!(err.contains(&format!("`{bad}`")), "{bad}: {err}");
        }
    }

    #[test]
    fn experts_and_groups_serialise_as_the_plain_id_and_refuse_bad_ones() {
        let user = Expert::parse("U012AB3CD").unwrap();
        let group = Expert::parse("S0123ABC").unwrap();
        assert_eq!(serde_json::to_string(&user).unwrap(), r#""U012AB3CD""#);
        assert_eq!(serde_json::to_string(&group).unwrap(), r#""S0123ABC""#);
        for expert in [user, group] {
            let json = serde_json::to_string(&expert).unwrap();
            assert_eq!(serde_json::from_str::<Expert>(&json).unwrap(), expert);
        }
        let id = UserGroupId::parse("S0123ABC").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""S0123ABC""#);
        assert_eq!(
            serde_json::from_str::<UserGroupId>(r#""S0123ABC""#).unwrap(),
            id
        );
        assert!(serde_json::from_str::<Expert>(r#""C012AB3CD""#).is_err());
        assert!(serde_json::from_str::<UserGroupId>(r#""U012AB3CD""#).is_err());
    }

    #[test]
    fn experts_come_from_user_and_group_ids() {
        let user = UserId::parse("U012AB3CD").unwrap();
        let group = UserGroupId::parse("S0123ABC").unwrap();
        assert_eq!(Expert::from(user.clone()), Expert::User(user));
        assert_eq!(Expert::from(group.clone()), Expert::Group(group));
    }
}
