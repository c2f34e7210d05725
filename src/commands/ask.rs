//! `/ask [anon] [#topic] <question> | mine | topics | stats | help`
//!
//! A subcommand word counts only when it is the whole text, so a question may start with any
//! word ("mine craft server is down?"). In front of the question may come `anon` (or `匿名`, `(anon)`, `anon:` …) and a
//! `#topic`, in either order; the question itself is kept as typed. Whether the topic exists,
//! how long the question may be and who may see stats are for the use-case to decide.

use super::thanks::tokens;
use super::{CommandError, Usage};

const fn line(syntax: &'static str, explain_key: &'static str) -> Usage {
    Usage {
        syntax,
        explain_key,
        admin_only: false,
    }
}

pub(super) const USAGE: &[Usage] = &[
    line("/ask your question", "usage-ask-question"),
    line("/ask #topic your question", "usage-ask-topic"),
    line("/ask anon your question", "usage-ask-anon"),
    line("/ask mine", "usage-ask-mine"),
    line("/ask topics", "usage-ask-topics"),
    Usage {
        syntax: "/ask stats",
        explain_key: "usage-ask-stats",
        admin_only: true,
    },
];

/// A parsed `/ask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskCommand {
    /// `/ask help`
    Help,
    /// `/ask mine`: my open requests.
    Mine,
    /// `/ask stats` (admins).
    Stats,
    /// `/ask topics`: the topics and where each goes.
    Topics,
    /// A question: `/ask [anon] [#topic] <question>` (anon and #topic in either order).
    Ask {
        /// Lower-cased, without `#`; not yet checked against the configured topics.
        topic: Option<String>,
        anonymous: bool,
        /// As typed (newlines, spacing, mentions and Slack's `&lt;` escapes kept), trimmed.
        question: String,
    },
}

/// Parses the text after `/ask`.
pub(super) fn parse(text: &str) -> Result<AskCommand, CommandError> {
    let whole = text.trim();
    for (word, cmd) in [
        ("help", AskCommand::Help),
        ("mine", AskCommand::Mine),
        ("stats", AskCommand::Stats),
        ("topics", AskCommand::Topics),
    ] {
        if whole.eq_ignore_ascii_case(word) {
            return Ok(cmd);
        }
    }

    let toks = tokens(text);
    let mut anonymous = false;
    let mut topic = None;
    let mut rest = toks.as_slice();
    // Where the question starts, when a marker is glued to it (`【匿名】給与は?`).
    let mut glued = None;
    // At most one of each, in either order; a second `anon` or `#word` is part of the question.
    while let Some(&(at, tok)) = rest.first() {
        if !anonymous && is_anon(tok) {
            anonymous = true;
        } else if !anonymous && let Some(n) = glued_anon(tok) {
            anonymous = true;
            glued = Some(at + n);
            break;
        } else if topic.is_none() && (tok.starts_with('#') || tok.starts_with("<#")) {
            topic = Some(topic_name(tok)?);
        } else {
            break;
        }
        rest = &rest[1..];
    }
    let start = glued.or_else(|| rest.first().map(|&(at, _)| at));
    match start.map(|at| text[at..].trim()) {
        None | Some("") => Err(CommandError::NoQuestion),
        Some(question) => Ok(AskCommand::Ask {
            topic,
            anonymous,
            question: question.to_owned(),
        }),
    }
}

/// An anon marker written without a space before the question (`【匿名】給与は?`,
/// `匿名：給与は?`, `(anon)why?`): the length of the marker.
fn glued_anon(token: &str) -> Option<usize> {
    const MARKERS: &[&str] = &[
        "【匿名】",
        "[匿名]",
        "［匿名］",
        "(匿名)",
        "（匿名）",
        "「匿名」",
        "〔匿名〕",
        "匿名:",
        "匿名：",
        "匿名、",
        "[anon]",
        "(anon)",
        "anon:",
        "【anon】",
    ];
    MARKERS.iter().find_map(|m| {
        let head = token.get(..m.len())?;
        (head.eq_ignore_ascii_case(m) && token.len() > m.len()).then_some(m.len())
    })
}

/// `anon` as people write it: `anon`, `anonymous(ly)`, `匿名(で)`, in brackets or followed by a
/// colon or comma (`(anon)`, `[匿名]`, `anon:`, `匿名：`). Taking a near miss for plain text would
/// post the question under the asker's name, so the net is wide.
fn is_anon(token: &str) -> bool {
    const WRAPPING: &[char] = &[
        '(', ')', '[', ']', '{', '}', '<', '>', '（', '）', '［', '］', '【', '】', '「', '」',
        '『', '』', '〔', '〕', ':', '：', ',', '、', '.', '。', '!', '！', '-', '－',
    ];
    let word = token.trim_matches(WRAPPING).to_lowercase();
    matches!(
        word.as_str(),
        "anon" | "anonymous" | "anonymously" | "匿名" | "匿名で" | "とくめい"
    )
}

/// `#Payroll` or Slack's channel escape `<#C0123ABC|payroll>` -> `payroll`.
fn topic_name(token: &str) -> Result<String, CommandError> {
    let bad = || CommandError::BadTopic(token.to_owned());
    let name = match token.strip_prefix("<#") {
        Some(escape) => {
            let inner = escape.strip_suffix('>').ok_or_else(bad)?;
            inner.split_once('|').ok_or_else(bad)?.1
        }
        None => &token[1..],
    };
    crate::domain::topic_name(name).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::AskCommand::*;
    use super::*;
    use crate::domain::MAX_TOPIC_CHARS;
    use CommandError as E;

    fn ask(topic: Option<&str>, anonymous: bool, question: &str) -> AskCommand {
        Ask {
            topic: topic.map(str::to_owned),
            anonymous,
            question: question.to_owned(),
        }
    }

    #[test]
    fn table_of_accepted_forms() {
        let forty = "a".repeat(MAX_TOPIC_CHARS);
        let at_forty = format!("#{forty} ok?");
        let cases = [
            // Subcommands, only as the whole text.
            ("help", Help),
            (" HELP ", Help),
            ("mine", Mine),
            ("Mine\n", Mine),
            ("\u{3000}mine\u{3000}", Mine),
            ("stats", Stats),
            ("STATS", Stats),
            ("topics", Topics),
            ("  Topics  ", Topics),
            // Subcommand words inside or at the start of a question are text.
            (
                "mine craft server is down?",
                ask(None, false, "mine craft server is down?"),
            ),
            ("help me please", ask(None, false, "help me please")),
            ("stats for Q3?", ask(None, false, "stats for Q3?")),
            ("what topics exist?", ask(None, false, "what topics exist?")),
            ("topics?", ask(None, false, "topics?")),
            ("anon mine", ask(None, true, "mine")),
            ("#payroll help", ask(Some("payroll"), false, "help")),
            // Plain questions.
            (
                "How do I change my bank account?",
                ask(None, false, "How do I change my bank account?"),
            ),
            ("  why?  ", ask(None, false, "why?")),
            ("x", ask(None, false, "x")),
            // A topic.
            (
                "#payroll How do I change my bank account?",
                ask(Some("payroll"), false, "How do I change my bank account?"),
            ),
            ("#Payroll why?", ask(Some("payroll"), false, "why?")),
            ("#IT-Help_2 why?", ask(Some("it-help_2"), false, "why?")),
            ("#a why?", ask(Some("a"), false, "why?")),
            (at_forty.as_str(), ask(Some(forty.as_str()), false, "ok?")),
            (
                "<#C0123ABC|payroll> why?",
                ask(Some("payroll"), false, "why?"),
            ),
            (
                "<#C0123ABC|Payroll> why?",
                ask(Some("payroll"), false, "why?"),
            ),
            // Anonymous, either spelling, any case.
            ("anon why?", ask(None, true, "why?")),
            ("ANON why?", ask(None, true, "why?")),
            ("anonymous why?", ask(None, true, "why?")),
            ("Anonymous why?", ask(None, true, "why?")),
            // Both, in either order.
            ("anon #payroll why?", ask(Some("payroll"), true, "why?")),
            ("#payroll anon why?", ask(Some("payroll"), true, "why?")),
            (
                "#payroll Anonymous why?",
                ask(Some("payroll"), true, "why?"),
            ),
            (
                "anon <#C0123ABC|payroll> why?",
                ask(Some("payroll"), true, "why?"),
            ),
            (
                "<#C0123ABC|payroll> anon why?",
                ask(Some("payroll"), true, "why?"),
            ),
            // Only one of each: what repeats is the question.
            ("anon anon why?", ask(None, true, "anon why?")),
            (
                "anon #payroll anon why?",
                ask(Some("payroll"), true, "anon why?"),
            ),
            (
                "#payroll anon #it why?",
                ask(Some("payroll"), true, "#it why?"),
            ),
            ("#payroll #it why?", ask(Some("payroll"), false, "#it why?")),
            // A `#word` later in the question is text, valid topic name or not.
            (
                "why is #general so noisy?",
                ask(None, false, "why is #general so noisy?"),
            ),
            ("why #!?", ask(None, false, "why #!?")),
            ("anon why #", ask(None, true, "why #")),
            // Anon as people write it, in English and Japanese.
            ("anonymously, why?", ask(None, true, "why?")),
            ("anon: why?", ask(None, true, "why?")),
            ("(anon) why?", ask(None, true, "why?")),
            ("[Anon] why?", ask(None, true, "why?")),
            ("匿名 給与の口座は?", ask(None, true, "給与の口座は?")),
            ("匿名： 給与の口座は?", ask(None, true, "給与の口座は?")),
            (
                "【匿名】 #payroll 口座は?",
                ask(Some("payroll"), true, "口座は?"),
            ),
            ("（匿名） 口座は?", ask(None, true, "口座は?")),
            ("匿名で 口座は?", ask(None, true, "口座は?")),
            // Markers glued to the question, as people type them in Japanese.
            ("【匿名】給与は?", ask(None, true, "給与は?")),
            (
                "匿名：給与の口座は 変えられますか?",
                ask(None, true, "給与の口座は 変えられますか?"),
            ),
            (
                "#payroll 【匿名】給与は?",
                ask(Some("payroll"), true, "給与は?"),
            ),
            ("(anon)why?", ask(None, true, "why?")),
            ("[ANON]why?", ask(None, true, "why?")),
            // Words that only start like anon are text.
            ("anonymity matters?", ask(None, false, "anonymity matters?")),
            ("anonymize:why?", ask(None, false, "anonymize:why?")),
            ("anon:why?", ask(None, true, "why?")),
            // Japanese, with ideographic spaces between the tokens.
            (
                "給与振込の口座を変えるには？",
                ask(None, false, "給与振込の口座を変えるには？"),
            ),
            (
                "#payroll\u{3000}給与振込の口座を変えるには？",
                ask(Some("payroll"), false, "給与振込の口座を変えるには？"),
            ),
            (
                "anon\u{3000}#payroll\u{3000}口座の 変更\u{3000}方法は？\u{3000}",
                ask(Some("payroll"), true, "口座の 変更\u{3000}方法は？"),
            ),
            (
                "\u{3000}#payroll\u{3000}\u{3000}anon\u{3000}質問です",
                ask(Some("payroll"), true, "質問です"),
            ),
            // Multi-line questions are kept byte for byte, less the outer whitespace.
            (
                "#payroll\nTwo things:\n\n  1. my bank  changed\n  2. my address\n",
                ask(
                    Some("payroll"),
                    false,
                    "Two things:\n\n  1. my bank  changed\n  2. my address",
                ),
            ),
            (
                "anon  \t first line\r\nsecond line  ",
                ask(None, true, "first line\r\nsecond line"),
            ),
            // Mentions and Slack's escapes stay as Slack sent them.
            (
                "#it can <@U2|bob> reset my password? &lt;urgent&gt; &amp; soon",
                ask(
                    Some("it"),
                    false,
                    "can <@U2|bob> reset my password? &lt;urgent&gt; &amp; soon",
                ),
            ),
            (
                "<@U2> said to ask here",
                ask(None, false, "<@U2> said to ask here"),
            ),
            (
                "anon <!subteam^S1|@hr> is this right?",
                ask(None, true, "<!subteam^S1|@hr> is this right?"),
            ),
            (
                "is <#C0123ABC|general> the right place?",
                ask(None, false, "is <#C0123ABC|general> the right place?"),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn table_of_refusals() {
        let too_long = format!("#{}", "a".repeat(MAX_TOPIC_CHARS + 1));
        let cases = [
            // Nothing to ask.
            ("", E::NoQuestion),
            ("   ", E::NoQuestion),
            ("\u{3000}\n", E::NoQuestion),
            ("anon", E::NoQuestion),
            ("Anonymous  ", E::NoQuestion),
            ("#payroll", E::NoQuestion),
            ("#payroll\u{3000}", E::NoQuestion),
            ("anon #payroll", E::NoQuestion),
            ("#payroll anon\n", E::NoQuestion),
            ("<#C0123ABC|payroll>", E::NoQuestion),
            // Not a topic name, reported as typed.
            ("# why?", E::BadTopic("#".into())),
            ("#", E::BadTopic("#".into())),
            ("## why?", E::BadTopic("##".into())),
            ("#payroll? why", E::BadTopic("#payroll?".into())),
            ("#pay.roll why?", E::BadTopic("#pay.roll".into())),
            ("#給与 口座は？", E::BadTopic("#給与".into())),
            (
                "#ｐａｙｒｏｌｌ why?",
                E::BadTopic("#ｐａｙｒｏｌｌ".into()),
            ),
            ("#\u{212A}ey why?", E::BadTopic("#\u{212A}ey".into())),
            (too_long.as_str(), E::BadTopic(too_long.clone())),
            ("anon #Bad! why?", E::BadTopic("#Bad!".into())),
            ("#Bad! anon why?", E::BadTopic("#Bad!".into())),
            ("#bad!", E::BadTopic("#bad!".into())),
            // Slack's channel escape needs a label that is a topic name.
            ("<#C0123ABC> why?", E::BadTopic("<#C0123ABC>".into())),
            ("<#C0123ABC|> why?", E::BadTopic("<#C0123ABC|>".into())),
            (
                "<#C0123ABC|pay roll> why?",
                E::BadTopic("<#C0123ABC|pay roll>".into()),
            ),
            (
                "<#C0123ABC|payroll>? why",
                E::BadTopic("<#C0123ABC|payroll>?".into()),
            ),
            ("anon <#C0123ABC>", E::BadTopic("<#C0123ABC>".into())),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Err(want), "{text:?}");
        }
    }

    #[test]
    fn every_usage_line_parses_once_its_placeholders_are_filled() {
        for usage in USAGE {
            let text = usage
                .syntax
                .strip_prefix("/ask")
                .unwrap()
                .replace("your question", "why?")
                .replace("#topic", "#payroll");
            assert!(parse(&text).is_ok(), "{} -> {text:?}", usage.syntax);
        }
    }

    #[test]
    fn usage_lines_have_their_own_keys_and_only_stats_is_for_admins() {
        let mut keys: Vec<&str> = USAGE.iter().map(|u| u.explain_key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), USAGE.len());
        // Split so the catalog test does not take the prefix itself for a key.
        assert!(
            keys.iter()
                .all(|k| k.split('-').take(2).eq(["usage", "ask"]))
        );
        let admin: Vec<&str> = USAGE
            .iter()
            .filter(|u| u.admin_only)
            .map(|u| u.syntax)
            .collect();
        assert_eq!(admin, ["/ask stats"]);
    }
}
