//! The four slash commands and the names a workspace gave them (`[commands]` in the settings),
//! so `/thanks` can be `/kansha` where another app already took `/thanks`. [`CommandNames`]
//! maps what Slack sends onto a [`CommandKind`]. Outgoing text names the configured commands
//! in two ways, neither of which ever reads what a person typed: catalog messages take the
//! names as arguments (`{ $cmd-thanks }`, see `i18n`), and otagai's own literals in code (the
//! usage tables, the console's English) are renamed by [`CommandNames::rename_literal`],
//! which only accepts `&'static str`.

/// Which of otagai's commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    Thanks,
    Bonus,
    OneOnOne,
    Ask,
}

impl CommandKind {
    pub const ALL: [CommandKind; 4] = [Self::Thanks, Self::Bonus, Self::OneOnOne, Self::Ask];

    /// The built-in name, as the grammars, usage tables and catalogs write it.
    pub const fn builtin(self) -> &'static str {
        match self {
            Self::Thanks => "/thanks",
            Self::Bonus => "/bonus",
            Self::OneOnOne => "/1on1",
            Self::Ask => "/ask",
        }
    }

    /// The settings key under `[commands]`.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Thanks => "thanks",
            Self::Bonus => "bonus",
            Self::OneOnOne => "one_on_one",
            Self::Ask => "ask",
        }
    }
}

/// The configured name of each command, validated: `/`, then 1 to 31 lowercase letters,
/// digits, `-` or `_`; all four distinct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandNames {
    names: [String; 4],
}

impl Default for CommandNames {
    fn default() -> Self {
        Self {
            names: CommandKind::ALL.map(|k| k.builtin().to_owned()),
        }
    }
}

impl CommandNames {
    /// Checks the four names, given in the order of [`CommandKind::ALL`]. The error names the
    /// settings key and says what is wrong.
    pub fn parse(names: [&str; 4]) -> Result<Self, (&'static str, String)> {
        for (kind, name) in CommandKind::ALL.iter().zip(names) {
            let body = name.strip_prefix('/').unwrap_or("");
            if body.is_empty()
                || name.len() > 32
                || !body
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err((
                    kind.key(),
                    format!(
                        "`{name}` is not a slash command name: `/` then at most 31 lowercase \
                         letters, digits, - or _"
                    ),
                ));
            }
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err((
                    CommandKind::ALL[i].key(),
                    format!("`{name}` is already the name of another command"),
                ));
            }
        }
        Ok(Self {
            names: names.map(str::to_owned),
        })
    }

    /// The configured name of `kind`.
    pub fn name(&self, kind: CommandKind) -> &str {
        &self.names[kind as usize]
    }

    /// Which command Slack's `command` field (`/kansha`) is, if it is one of ours.
    pub fn kind_of(&self, command: &str) -> Option<CommandKind> {
        CommandKind::ALL
            .into_iter()
            .find(|k| self.name(*k).eq_ignore_ascii_case(command.trim()))
    }

    /// `text` with every built-in command name (`/thanks`, as a whole word) replaced by its
    /// configured name. Only for literals otagai wrote in its code (usage lines, the console's
    /// English): the `'static` bound keeps out rendered text, which may hold what a person
    /// typed. Catalog messages name commands through their arguments instead (see `i18n`).
    pub fn rename_literal(&self, text: &'static str) -> String {
        if *self == Self::default() || !text.contains('/') {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while let Some(pos) = rest.find('/') {
            let preceding = rest[..pos].chars().last().or_else(|| out.chars().last());
            let starts_word =
                preceding.is_none_or(|c| !(c.is_alphanumeric() || "/:.-_<".contains(c)));
            if starts_word {
                for kind in CommandKind::ALL {
                    let builtin = kind.builtin();
                    if let Some(after) = rest[pos..].strip_prefix(builtin)
                        && after
                            .chars()
                            .next()
                            .is_none_or(|c| !(c.is_alphanumeric() || "-_/".contains(c)))
                    {
                        out.push_str(&rest[..pos]);
                        out.push_str(self.name(kind));
                        rest = after;
                        continue 'scan;
                    }
                }
            }
            out.push_str(&rest[..=pos]);
            rest = &rest[pos + 1..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kansha() -> CommandNames {
        CommandNames::parse(["/kansha", "/points", "/1on1", "/help-me"]).unwrap()
    }

    #[test]
    fn configured_names_are_recognised_and_built_in_ones_then_are_not() {
        let n = kansha();
        assert_eq!(n.kind_of("/kansha"), Some(CommandKind::Thanks));
        assert_eq!(n.kind_of("/help-me"), Some(CommandKind::Ask));
        assert_eq!(n.kind_of("/thanks"), None);
        assert_eq!(
            CommandNames::default().kind_of("/1on1"),
            Some(CommandKind::OneOnOne)
        );
    }

    #[test]
    fn bad_names_are_refused_with_their_key() {
        for (names, key) in [
            (["thanks", "/bonus", "/1on1", "/ask"], "thanks"),
            (["/thanks", "/Bonus", "/1on1", "/ask"], "bonus"),
            (["/thanks", "/bonus", "/", "/ask"], "one_on_one"),
            (["/thanks", "/bonus", "/1on1", "/a sk"], "ask"),
            (["/thanks", "/bonus", "/thanks", "/ask"], "one_on_one"),
        ] {
            assert_eq!(CommandNames::parse(names).unwrap_err().0, key, "{names:?}");
        }
        let long = format!("/{}", "a".repeat(32));
        assert!(CommandNames::parse([long.as_str(), "/bonus", "/1on1", "/ask"]).is_err());
        let max = format!("/{}", "a".repeat(31));
        assert!(CommandNames::parse([max.as_str(), "/bonus", "/1on1", "/ask"]).is_ok());
    }

    #[test]
    fn rename_replaces_whole_command_names_only() {
        let n = kansha();
        for (text, want) in [
            ("Try `/thanks help`.", "Try `/kansha help`."),
            ("/bonus top", "/points top"),
            ("(/ask mine)", "(/help-me mine)"),
            ("/thanksgiving and /asked", "/thanksgiving and /asked"),
            ("https://x.example/thanks", "https://x.example/thanks"),
            ("a/thanks", "a/thanks"),
            ("「/thanks @相手」", "「/kansha @相手」"),
        ] {
            assert_eq!(n.rename_literal(text), want);
        }
        assert_eq!(CommandNames::default().rename_literal("/thanks"), "/thanks");
    }
}
