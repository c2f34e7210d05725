//! Message catalogs: every user-facing sentence comes from `locales/{en,ja}/*.ftl`
//! (Project Fluent). Code passes keys and arguments, never sentences.

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

/// Looks `key` (or `key.attribute`) up in `locale`'s catalog with `args`.
///
/// A missing key is a bug the catalog test catches; at run time it falls back to English and
/// then to the key itself rather than failing a user's request.
pub fn tr(locale: Locale, key: &str, args: &[(&'static str, Arg)]) -> String {
    let lang = match locale {
        Locale::En => &EN,
        Locale::Ja => &JA,
    };
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    LOCALES
        .try_lookup_with_args(lang, key, &map)
        .unwrap_or_else(|| {
            tracing::error!(key, %locale, "missing message in catalog");
            key.to_owned()
        })
}

/// A message without arguments.
pub fn tr0(locale: Locale, key: &str) -> String {
    tr(locale, key, &[])
}

/// Joins items the way the language lists them ("a, b" / "a、b").
pub fn list(locale: Locale, items: &[String]) -> String {
    items.join(&tr0(locale, "list-separator"))
}

/// People in running text ("<@U1>, <@U2>" / "<@U1> さん、<@U2> さん").
pub fn people(locale: Locale, users: &[crate::domain::UserId]) -> String {
    let named: Vec<String> = users
        .iter()
        .map(|u| tr(locale, "person", &[("name", u.mention().into())]))
        .collect();
    list(locale, &named)
}

/// A calendar date as people read it in `locale`.
pub fn date(locale: Locale, d: NaiveDate) -> String {
    tr(
        locale,
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
        assert_eq!(tr(Locale::En, "points", &[("n", 1.into())]), "1 point");
        assert_eq!(tr(Locale::En, "points", &[("n", 12.into())]), "12 points");
        assert_eq!(tr(Locale::Ja, "points", &[("n", 12.into())]), "12ポイント");
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(date(Locale::En, d), "2026-12-01");
        assert_eq!(date(Locale::Ja, d), "12月1日");
        let s = tr(Locale::En, "refuse-bot", &[("user", "<@U1>".into())]);
        assert_eq!(s, "<@U1> is a bot. Thanks are for people.");
        assert!(!s.contains('\u{2068}'));
    }

    #[test]
    fn attributes_are_reachable() {
        let s = tr(
            Locale::Ja,
            "bonus-balance.budget",
            &[
                ("remaining", 10.into()),
                ("allowance", 400.into()),
                ("resets", "12月1日".into()),
            ],
        );
        assert!(s.contains("10 / 400"), "{s}");
    }
}
