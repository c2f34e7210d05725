//! Message catalogs: every user-facing sentence comes from `locales/{en,ja}/*.ftl`
//! (Project Fluent). Code passes keys and arguments, never sentences.
//!
//! A catalog message never writes a command's name: it says `{ $cmd-thanks }`, `{ $cmd-bonus }`,
//! `{ $cmd-1on1 }` or `{ $cmd-ask }`, and [`tr`] fills them from the [`Lang`] it is given, so a
//! workspace whose `/thanks` is `/kansha` is told to type `/kansha`. The names go in as
//! arguments, like everything else: what a person wrote, passed as another argument, is never
//! scanned for command names (a thanks that says "use /thanks more" keeps its words).

use crate::commands::{CommandKind, CommandNames};
use crate::domain::Locale;
use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Slack shows the Unicode isolation marks Fluent adds around arguments as stray
        // characters, so they are turned off.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const EN: LanguageIdentifier = langid!("en");
const JA: LanguageIdentifier = langid!("ja");

/// One argument of a message.
pub type Arg = FluentValue<'static>;

/// What rendering a message takes besides its own arguments: the reader's language, and the
/// names this workspace gave the commands (`[commands]` in the settings).
#[derive(Debug, Clone, Copy)]
pub struct Lang<'a> {
    pub locale: Locale,
    pub commands: &'a CommandNames,
}

impl<'a> Lang<'a> {
    pub fn new(locale: Locale, commands: &'a CommandNames) -> Self {
        Self { locale, commands }
    }
}

/// The catalog argument that names `kind` (`cmd-thanks` for `{ $cmd-thanks }`).
pub const fn command_arg(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::Thanks => "cmd-thanks",
        CommandKind::Bonus => "cmd-bonus",
        CommandKind::OneOnOne => "cmd-1on1",
        CommandKind::Ask => "cmd-ask",
    }
}

/// Looks `key` (or `key.attribute`) up in the reader's catalog with `args`, and with the
/// workspace's command names as `$cmd-thanks`, `$cmd-bonus`, `$cmd-1on1` and `$cmd-ask`.
///
/// A missing key is a bug the catalog test catches; at run time it falls back to English and
/// then to the key itself rather than failing a user's request.
pub fn tr(l: Lang<'_>, key: &str, args: &[(&'static str, Arg)]) -> String {
    let locale = l.locale;
    let lang = match locale {
        Locale::En => &EN,
        Locale::Ja => &JA,
    };
    let mut map: HashMap<Cow<'static, str>, FluentValue> = CommandKind::ALL
        .iter()
        .map(|&k| {
            (
                Cow::Borrowed(command_arg(k)),
                FluentValue::from(l.commands.name(k).to_owned()),
            )
        })
        .collect();
    map.extend(args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())));
    LOCALES
        .try_lookup_with_args(lang, key, &map)
        .unwrap_or_else(|| {
            tracing::error!(key, %locale, "missing message in catalog");
            key.to_owned()
        })
}

/// A message without arguments of its own.
pub fn tr0(l: Lang<'_>, key: &str) -> String {
    tr(l, key, &[])
}

/// Joins items the way the language lists them ("a, b" / "a、b").
pub fn list(l: Lang<'_>, items: &[String]) -> String {
    items.join(&tr0(l, "list-separator"))
}

/// People in running text ("<@U1>, <@U2>" / "<@U1> さん、<@U2> さん").
pub fn people(l: Lang<'_>, users: &[crate::domain::UserId]) -> String {
    let named: Vec<String> = users
        .iter()
        .map(|u| tr(l, "person", &[("name", u.mention().into())]))
        .collect();
    list(l, &named)
}

/// A calendar date as people read it in the reader's language.
pub fn date(l: Lang<'_>, d: NaiveDate) -> String {
    tr(
        l,
        "date",
        &[
            ("year", d.year().into()),
            ("month", d.month().into()),
            ("day", d.day().into()),
            ("mm", format!("{:02}", d.month()).into()),
            ("dd", format!("{:02}", d.day()).into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    static BUILT_IN: std::sync::LazyLock<CommandNames> =
        std::sync::LazyLock::new(CommandNames::default);

    /// A language with the built-in command names.
    fn en_or_ja(locale: Locale) -> Lang<'static> {
        Lang::new(locale, &BUILT_IN)
    }

    fn keys(ftl: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut current = String::new();
        for line in ftl.lines() {
            if let Some((k, _)) = line.split_once(" =")
                && !k.starts_with([' ', '#'])
                && !k.is_empty()
            {
                current = k.trim().to_owned();
                out.insert(current.clone());
            } else if let Some(rest) = line.trim_start().strip_prefix('.')
                && let Some((attr, _)) = rest.split_once(" =")
            {
                out.insert(format!("{current}.{attr}"));
            }
        }
        out
    }

    /// Every key of every `.ftl` file of one language.
    fn catalog_keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut all = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ftl") {
                let text = std::fs::read_to_string(&path).unwrap();
                for key in keys(&text) {
                    assert!(all.insert(key.clone()), "{key} is defined twice in {lang}");
                }
            }
        }
        all
    }

    #[test]
    fn english_and_japanese_have_exactly_the_same_keys() {
        let en = catalog_keys("en");
        let ja = catalog_keys("ja");
        assert!(en.len() > 40, "parsed {} keys", en.len());
        let only_en: Vec<_> = en.difference(&ja).collect();
        let only_ja: Vec<_> = ja.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_ja.is_empty(),
            "en only: {only_en:?}, ja only: {only_ja:?}"
        );
    }

    #[test]
    fn every_key_in_source_exists_in_the_catalogs() {
        let en = catalog_keys("en");
        let mut missing = Vec::new();
        visit(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut |src| {
                for part in src.split('"').skip(1).step_by(2) {
                    let looks_like_key = part.len() > 3
                        && part.contains('-')
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.')
                        && KEY_PREFIXES
                            .iter()
                            .any(|p| part.starts_with(p) && part != *p);
                    if looks_like_key && !en.contains(part) {
                        missing.push(part.to_owned());
                    }
                }
            },
        );
        assert!(
            missing.is_empty(),
            "keys used in src but not in the catalogs: {missing:?}"
        );
    }

    const KEY_PREFIXES: &[&str] = &[
        "thanks-",
        "usage-",
        "bonus-",
        "err-",
        "refuse-",
        "admin-",
        "help-",
        "oneonone-",
        "ask-",
        "question-",
    ];

    fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&str)) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, f);
            } else if path.extension().is_some_and(|e| e == "rs") {
                f(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn plurals_and_arguments_render_without_isolation_marks() {
        assert_eq!(
            tr(en_or_ja(Locale::En), "points", &[("n", 1.into())]),
            "1 point"
        );
        assert_eq!(
            tr(en_or_ja(Locale::En), "points", &[("n", 12.into())]),
            "12 points"
        );
        assert_eq!(
            tr(en_or_ja(Locale::Ja), "points", &[("n", 12.into())]),
            "12ポイント"
        );
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(date(en_or_ja(Locale::En), d), "2026-12-01");
        assert_eq!(date(en_or_ja(Locale::Ja), d), "12月1日");
        let s = tr(
            en_or_ja(Locale::En),
            "refuse-bot",
            &[("user", "<@U1>".into())],
        );
        assert_eq!(s, "<@U1> is a bot. Thanks are for people.");
        assert!(!s.contains('\u{2068}'));
    }

    #[test]
    fn attributes_are_reachable() {
        let s = tr(
            en_or_ja(Locale::Ja),
            "bonus-balance.budget",
            &[
                ("remaining", 10.into()),
                ("allowance", 400.into()),
                ("resets", "12月1日".into()),
            ],
        );
        assert!(s.contains("10 / 400"), "{s}");
    }

    /// Each `.ftl` line that is part of a message (not a comment), with its file.
    fn pattern_lines() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for lang in ["en", "ja"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(lang);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "ftl") {
                    let file = format!("{lang}/{}", path.file_name().unwrap().to_string_lossy());
                    for line in std::fs::read_to_string(&path).unwrap().lines() {
                        if !line.trim_start().starts_with('#') && !line.trim().is_empty() {
                            out.push((file.clone(), line.to_owned()));
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether `line` writes `name` (`/thanks`) as a command: not inside a word or a path.
    fn names_command(line: &str, name: &str) -> bool {
        line.match_indices(name).any(|(at, _)| {
            let before = line[..at].chars().last();
            let after = line[at + name.len()..].chars().next();
            before.is_none_or(|c| !(c.is_ascii_alphanumeric() || "/:.-_<".contains(c)))
                && after.is_none_or(|c| !(c.is_ascii_alphanumeric() || "-_/".contains(c)))
        })
    }

    #[test]
    fn no_catalog_message_writes_a_command_name_it_does_not_take_from_the_settings() {
        let lines = pattern_lines();
        assert!(lines.len() > 200, "read {} lines", lines.len());
        let written: Vec<_> = lines
            .iter()
            .filter(|(_, line)| {
                CommandKind::ALL
                    .iter()
                    .any(|k| names_command(line, k.builtin()))
            })
            .collect();
        assert!(
            written.is_empty(),
            "write `{{ $cmd-thanks }}` (and $cmd-bonus, $cmd-1on1, $cmd-ask) instead: {written:#?}"
        );
        // And the check itself sees a command where one is written.
        assert!(names_command("Try `/thanks @alex`.", "/thanks"));
        assert!(names_command("*/1on1 で1on1を続ける*", "/1on1"));
        assert!(!names_command("see https://example.com/ask", "/ask"));
    }

    #[test]
    fn every_command_argument_in_the_catalogs_is_one_that_tr_fills() {
        let known: Vec<&str> = CommandKind::ALL.iter().map(|&k| command_arg(k)).collect();
        let mut unknown = Vec::new();
        let mut used = BTreeSet::new();
        for (file, line) in pattern_lines() {
            for (at, _) in line.match_indices("$cmd") {
                let arg: String = line[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if known.contains(&arg.as_str()) {
                    used.insert(arg);
                } else {
                    unknown.push(format!("{file}: ${arg}"));
                }
            }
        }
        assert!(unknown.is_empty(), "not a command argument: {unknown:?}");
        assert_eq!(used.len(), known.len(), "each command is named somewhere");
    }

    #[test]
    fn messages_name_the_commands_as_the_settings_call_them_and_leave_arguments_as_given() {
        let kansha = CommandNames::parse(["/kansha", "/pb", "/one-on-one", "/tasukete"]).unwrap();
        let en = Lang::new(Locale::En, &kansha);
        let ja = Lang::new(Locale::Ja, &kansha);
        assert_eq!(
            tr0(en, "err-example-oneonone"),
            "`/one-on-one add @alex weekly`"
        );
        assert_eq!(tr0(ja, "err-example-bonus"), "`/pb grant @alex 50`");
        assert!(tr0(ja, "thanks-help-title").contains("/kansha"));
        // What a person typed arrives as an argument, and is never renamed.
        let s = tr(en, "err-unknown-bonus", &[("word", "/thanks".into())]);
        assert_eq!(s, "I don't know `/pb /thanks`. Try `/pb help`.");
        assert_eq!(
            tr0(en_or_ja(Locale::En), "err-example-oneonone"),
            "`/1on1 add @alex weekly`"
        );
    }
}
