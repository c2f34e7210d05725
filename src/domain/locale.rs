//! The two languages every message exists in.

use std::fmt;
use std::str::FromStr;

/// A user's language: their Slack locale when known, else the organisation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Ja,
}

impl Locale {
    /// Maps a Slack locale such as `ja-JP` or `en-US`; anything else is not one of ours.
    pub fn from_slack(raw: &str) -> Option<Self> {
        let lang = raw.split(['-', '_']).next()?.to_ascii_lowercase();
        match lang.as_str() {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale (`LANG=ja_JP.UTF-8`): Japanese for `ja…`, English for
    /// anything else that is set (`en_US.UTF-8`, `C.UTF-8`, `POSIX`, `fr_FR`); `None` when empty.
    pub fn from_posix(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        Some(if raw.to_ascii_lowercase().starts_with("ja") {
            Self::Ja
        } else {
            Self::En
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ja => "ja",
        }
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Self::En),
            "ja" => Ok(Self::Ja),
            other => Err(format!(
                "`{other}` is not a supported language (use en or ja)"
            )),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_locale_maps_to_japanese_or_english() {
        for (raw, want) in [
            ("ja_JP.UTF-8", Some(Locale::Ja)),
            ("ja", Some(Locale::Ja)),
            ("en_US.UTF-8", Some(Locale::En)),
            ("C.UTF-8", Some(Locale::En)),
            ("POSIX", Some(Locale::En)),
            ("fr_FR", Some(Locale::En)),
            ("", None),
        ] {
            assert_eq!(Locale::from_posix(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn slack_locales_map_to_our_languages() {
        assert_eq!(Locale::from_slack("ja-JP"), Some(Locale::Ja));
        assert_eq!(Locale::from_slack("en-GB"), Some(Locale::En));
        assert_eq!(Locale::from_slack("EN"), Some(Locale::En));
        assert_eq!(Locale::from_slack("fr-FR"), None);
        assert_eq!(Locale::from_slack(""), None);
    }
}
