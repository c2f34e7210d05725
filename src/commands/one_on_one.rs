//! `/1on1 [list | add … | remove … | done … | todo … | todos | topic … | snooze … | pause … |
//! resume … | feedback | report | help]`
//!
//! Subcommand words (and `on`, `until`, `done`) are case-insensitive; people must be real Slack
//! mentions. Notes, action items and topics are kept as typed. Whether a person may be named
//! (self, bots, not my report) is for the use-case to decide, not the grammar.

use super::mention::Mention;
use super::thanks::tokens;
use super::{CommandError, Usage};
use crate::domain::{Cadence, MAX_SNOOZE_DAYS, UserId};
use chrono::NaiveDate;

const LIST: &str = "/1on1 list";
const ADD: &str = "/1on1 add @someone [weekly|biweekly|monthly|every Nd]";
const REMOVE: &str = "/1on1 remove @someone";
const DONE: &str = "/1on1 done @someone [on YYYY-MM-DD] [notes]";
const TODO: &str = "/1on1 todo @someone action item";
const TODOS: &str = "/1on1 todos";
const TODO_DONE: &str = "/1on1 todo done N";
const TOPIC: &str = "/1on1 topic @someone what to talk about";
const NOTES: &str = "/1on1 notes @someone";
const SNOOZE: &str = "/1on1 snooze @someone Nd";
const SNOOZE_UNTIL: &str = "/1on1 snooze @someone until YYYY-MM-DD";
/// Both snooze forms at once, for when neither was given.
const SNOOZE_EITHER: &str = "/1on1 snooze @someone Nd|until YYYY-MM-DD";
const PAUSE: &str = "/1on1 pause @someone";
const RESUME: &str = "/1on1 resume @someone";
const FEEDBACK: &str = "/1on1 feedback";
const REPORT: &str = "/1on1 report";

const fn line(syntax: &'static str, explain_key: &'static str) -> Usage {
    Usage {
        syntax,
        explain_key,
        admin_only: false,
    }
}

pub(super) const USAGE: &[Usage] = &[
    line(LIST, "usage-oneonone-list"),
    line(ADD, "usage-oneonone-add"),
    line(REMOVE, "usage-oneonone-remove"),
    line(DONE, "usage-oneonone-done"),
    line(TOPIC, "usage-oneonone-topic"),
    line(TODO, "usage-oneonone-todo"),
    line(TODOS, "usage-oneonone-todos"),
    line(TODO_DONE, "usage-oneonone-todo-done"),
    line(NOTES, "usage-oneonone-notes"),
    line(SNOOZE, "usage-oneonone-snooze"),
    line(SNOOZE_UNTIL, "usage-oneonone-snooze-until"),
    line(PAUSE, "usage-oneonone-pause"),
    line(RESUME, "usage-oneonone-resume"),
    line(FEEDBACK, "usage-oneonone-feedback"),
    Usage {
        syntax: REPORT,
        explain_key: "usage-oneonone-report",
        admin_only: true,
    },
];

/// How long a snooze lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnoozeFor {
    /// `Nd`: N days from today.
    Days(u32),
    /// `until YYYY-MM-DD`: reminders resume on that day.
    Until(NaiveDate),
}

/// A parsed `/1on1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneOnOneCommand {
    /// `/1on1` or `/1on1 list`: my pairs, as manager and as report.
    List,
    /// `/1on1 help`.
    Help,
    /// `add @report [cadence]`.
    Add {
        report: UserId,
        cadence: Option<Cadence>,
    },
    /// `remove @report`.
    Remove { report: UserId },
    /// `done @other [on YYYY-MM-DD] [notes]`.
    Done {
        other: UserId,
        on: Option<NaiveDate>,
        notes: Option<String>,
    },
    /// `todo @other text`.
    Todo { other: UserId, text: String },
    /// `notes @other`: the notes of our recent 1on1s (only the two of us).
    Notes { other: UserId },
    /// `todos`: open action items of all my pairs.
    Todos,
    /// `todo done N`.
    TodoDone { id: i64 },
    /// `topic @other text`.
    Topic { other: UserId, text: String },
    /// `snooze @report Nd | until YYYY-MM-DD`.
    Snooze { report: UserId, until: SnoozeFor },
    /// `pause @report`.
    Pause { report: UserId },
    /// `resume @report`.
    Resume { report: UserId },
    /// `feedback`: the pulse aggregate of my 1on1s as a manager.
    Feedback,
    /// `report` (admins): org-level numbers.
    Report,
}

/// Parses the text after `/1on1`.
pub(super) fn parse(text: &str) -> Result<OneOnOneCommand, CommandError> {
    use OneOnOneCommand::*;
    let toks = tokens(text);
    let Some(&(_, verb)) = toks.first() else {
        return Ok(List);
    };
    let args = Args {
        text,
        toks: &toks[1..],
    };
    match verb.to_lowercase().as_str() {
        "list" => args.nothing(LIST).map(|()| List),
        // `help add` and the like still deserve the help text.
        "help" => Ok(Help),
        "add" => {
            let (report, rest) = args.person(ADD)?;
            let cadence = match rest.text() {
                "" => None,
                words => Some(
                    Cadence::parse(words).map_err(|_| CommandError::BadCadence(words.into()))?,
                ),
            };
            Ok(Add { report, cadence })
        }
        "remove" => args.only_person(REMOVE).map(|report| Remove { report }),
        "done" => {
            let (other, mut rest) = args.person(DONE)?;
            let mut on = None;
            // `on 2026-11-20` dates the 1on1; notes may still begin with the word "on"
            // ("on call rotation went well"), so only something number-like after it is read
            // as a date.
            if rest.word(0).is_some_and(|w| w.eq_ignore_ascii_case("on")) {
                match rest.word(1) {
                    None => return Err(CommandError::Usage(DONE)),
                    Some(day) if looks_like_a_day(day) => {
                        on = Some(date(day)?);
                        rest = rest.skip(2);
                    }
                    Some(_) => {}
                }
            }
            let notes = Some(rest.text().to_owned()).filter(|n| !n.is_empty());
            Ok(Done { other, on, notes })
        }
        "todo" if args.word(0).is_some_and(|w| w.eq_ignore_ascii_case("done")) => {
            match args.skip(1).words().as_slice() {
                [n] => todo_id(n).map(|id| TodoDone { id }),
                _ => Err(CommandError::Usage(TODO_DONE)),
            }
        }
        "todo" => {
            let (other, rest) = args.person(TODO)?;
            match rest.text() {
                "" => Err(CommandError::NoTodoText),
                text => Ok(Todo {
                    other,
                    text: text.into(),
                }),
            }
        }
        "todos" => args.nothing(TODOS).map(|()| Todos),
        "topic" => {
            let (other, rest) = args.person(TOPIC)?;
            match rest.text() {
                "" => Err(CommandError::NoTopicText),
                text => Ok(Topic {
                    other,
                    text: text.into(),
                }),
            }
        }
        "snooze" => {
            let (report, rest) = args.person(SNOOZE_EITHER)?;
            snooze_for(&rest).map(|until| Snooze { report, until })
        }
        "notes" => args.only_person(NOTES).map(|other| Notes { other }),
        "pause" => args.only_person(PAUSE).map(|report| Pause { report }),
        "resume" => args.only_person(RESUME).map(|report| Resume { report }),
        "feedback" => args.nothing(FEEDBACK).map(|()| Feedback),
        "report" => args.nothing(REPORT).map(|()| Report),
        // `/1on1 @alex …`: the person came first, so say what goes in front of them.
        _ if Mention::classify(verb).is_some() => Err(CommandError::OneOnOneNoSubcommand),
        _ => Err(CommandError::UnknownOneOnOne(verb.to_owned())),
    }
}

/// Whether the word after `on` was meant as a day (then it must be YYYY-MM-DD) rather than
/// the start of notes.
fn looks_like_a_day(word: &str) -> bool {
    const DAY_WORDS: &[&str] = &[
        "today",
        "yesterday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ];
    word.starts_with(|c: char| c.is_ascii_digit() || c == '+')
        || DAY_WORDS.contains(&word.to_lowercase().as_str())
}

/// What follows the subcommand: the original text (so notes keep their spacing) and its tokens.
#[derive(Clone, Copy)]
struct Args<'a> {
    text: &'a str,
    toks: &'a [(usize, &'a str)],
}

impl<'a> Args<'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).map(|&(_, w)| w)
    }

    fn words(&self) -> Vec<&'a str> {
        self.toks.iter().map(|&(_, w)| w).collect()
    }

    fn skip(&self, n: usize) -> Self {
        Self {
            text: self.text,
            toks: self.toks.get(n..).unwrap_or_default(),
        }
    }

    /// Everything from the first remaining word on, as typed, without the outer whitespace.
    fn text(&self) -> &'a str {
        self.toks
            .first()
            .map_or("", |&(at, _)| self.text[at..].trim())
    }

    fn nothing(&self, usage: &'static str) -> Result<(), CommandError> {
        if self.toks.is_empty() {
            Ok(())
        } else {
            Err(CommandError::Usage(usage))
        }
    }

    /// The person named first, and what follows them.
    fn person(&self, usage: &'static str) -> Result<(UserId, Self), CommandError> {
        let word = self.word(0).ok_or(CommandError::Usage(usage))?;
        match Mention::classify(word) {
            Some(Mention::User(id)) => Ok((id, self.skip(1))),
            Some(Mention::Plain(name)) => Err(CommandError::PlainMention(name)),
            Some(Mention::Group) => Err(CommandError::GroupMention),
            Some(Mention::Channel(_)) => Err(CommandError::ChannelMention),
            None => Err(CommandError::Usage(usage)),
        }
    }

    fn only_person(&self, usage: &'static str) -> Result<UserId, CommandError> {
        let (id, rest) = self.person(usage)?;
        rest.nothing(usage).map(|()| id)
    }
}

/// `Nd`, `N d`, `N days` or `until YYYY-MM-DD`.
fn snooze_for(rest: &Args) -> Result<SnoozeFor, CommandError> {
    let words = rest.words();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let bad = || CommandError::BadSnooze(rest.text().to_owned());
    let n = match lower.as_slice() {
        [] => return Err(CommandError::Usage(SNOOZE_EITHER)),
        ["until", _] => return date(words[1]).map(SnoozeFor::Until),
        ["until", ..] => return Err(CommandError::Usage(SNOOZE_UNTIL)),
        [nd] => nd.strip_suffix('d').ok_or_else(bad)?,
        [n, "d" | "day" | "days"] => n,
        _ => return Err(bad()),
    };
    whole(n)
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| (1..=MAX_SNOOZE_DAYS).contains(d))
        .map(SnoozeFor::Days)
        .ok_or_else(bad)
}

/// Strictly `YYYY-MM-DD`, and a day the calendar has.
fn date(token: &str) -> Result<NaiveDate, CommandError> {
    let shaped = token.len() == 10
        && token.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(token, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| CommandError::BadDate(token.to_owned()))
}

/// An action item's number as listed: `12` or `#12`.
fn todo_id(token: &str) -> Result<i64, CommandError> {
    match whole(token.strip_prefix('#').unwrap_or(token)) {
        Some(id) if id > 0 => Ok(id),
        _ => Err(CommandError::BadTodoNumber(token.to_owned())),
    }
}

/// Plain ASCII digits only (no sign, no spaces) that fit an `i64`.
fn whole(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::OneOnOneCommand::*;
    use super::*;
    use CommandError as E;

    fn u(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn table_of_accepted_forms() {
        let cases = [
            ("", List),
            ("   ", List),
            ("list", List),
            (" LIST ", List),
            ("help", Help),
            ("Help add", Help),
            (
                "add <@U2>",
                Add {
                    report: u("U2"),
                    cadence: None,
                },
            ),
            (
                "ADD <@U2|bob> Weekly",
                Add {
                    report: u("U2"),
                    cadence: Some(Cadence::Weekly),
                },
            ),
            (
                "add <@W3|Ann Lee> biweekly",
                Add {
                    report: u("W3"),
                    cadence: Some(Cadence::Biweekly),
                },
            ),
            (
                "add <@U2> monthly",
                Add {
                    report: u("U2"),
                    cadence: Some(Cadence::Monthly),
                },
            ),
            (
                "add  <@U2>   every   10d ",
                Add {
                    report: u("U2"),
                    cadence: Some(Cadence::EveryDays(10)),
                },
            ),
            (
                "add <@U2> every 10 days",
                Add {
                    report: u("U2"),
                    cadence: Some(Cadence::EveryDays(10)),
                },
            ),
            ("remove <@U2|bob>", Remove { report: u("U2") }),
            (
                "done <@U2>",
                Done {
                    other: u("U2"),
                    on: None,
                    notes: None,
                },
            ),
            (
                "done <@U2> on call rotation went well",
                Done {
                    other: u("U2"),
                    on: None,
                    notes: Some("on call rotation went well".into()),
                },
            ),
            ("notes <@U2>", Notes { other: u("U2") }),
            (
                "done <@U2> on 2026-02-28",
                Done {
                    other: u("U2"),
                    on: Some(d("2026-02-28")),
                    notes: None,
                },
            ),
            (
                "Done <@U2|bob> ON 2028-02-29 talked about  growth\n- next: a mentor ",
                Done {
                    other: u("U2"),
                    on: Some(d("2028-02-29")),
                    notes: Some("talked about  growth\n- next: a mentor".into()),
                },
            ),
            (
                "done <@U2>\n\n  1. career\n  2. on-call load\n",
                Done {
                    other: u("U2"),
                    on: None,
                    notes: Some("1. career\n  2. on-call load".into()),
                },
            ),
            (
                "done <@U2> キャリアについて話した",
                Done {
                    other: u("U2"),
                    on: None,
                    notes: Some("キャリアについて話した".into()),
                },
            ),
            (
                "done <@U2> kept <@U3> in the loop about on 2026-01-01",
                Done {
                    other: u("U2"),
                    on: None,
                    notes: Some("kept <@U3> in the loop about on 2026-01-01".into()),
                },
            ),
            (
                "todo <@U2> share the  hiring plan",
                Todo {
                    other: u("U2"),
                    text: "share the  hiring plan".into(),
                },
            ),
            (
                "TODO <@U2|bob> done by Friday",
                Todo {
                    other: u("U2"),
                    text: "done by Friday".into(),
                },
            ),
            ("todo done 12", TodoDone { id: 12 }),
            ("todo DONE #7", TodoDone { id: 7 }),
            ("todos", Todos),
            ("Todos ", Todos),
            (
                "topic <@U2> how on-call is going",
                Topic {
                    other: u("U2"),
                    text: "how on-call is going".into(),
                },
            ),
            (
                "snooze <@U2> 3d",
                Snooze {
                    report: u("U2"),
                    until: SnoozeFor::Days(3),
                },
            ),
            (
                "snooze <@U2> 365D",
                Snooze {
                    report: u("U2"),
                    until: SnoozeFor::Days(365),
                },
            ),
            (
                "snooze <@U2> 10 days",
                Snooze {
                    report: u("U2"),
                    until: SnoozeFor::Days(10),
                },
            ),
            (
                "snooze <@U2|bob> Until 2026-12-01",
                Snooze {
                    report: u("U2"),
                    until: SnoozeFor::Until(d("2026-12-01")),
                },
            ),
            ("pause <@U2>", Pause { report: u("U2") }),
            ("RESUME <@U2|bob>", Resume { report: u("U2") }),
            ("feedback", Feedback),
            ("Report", Report),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn table_of_refusals() {
        let cases = [
            ("hello", E::UnknownOneOnOne("hello".into())),
            ("Lists", E::UnknownOneOnOne("Lists".into())),
            ("<@U2> weekly", E::OneOnOneNoSubcommand),
            ("@bob done", E::OneOnOneNoSubcommand),
            ("list mine", E::Usage(LIST)),
            ("todos <@U2>", E::Usage(TODOS)),
            ("feedback please", E::Usage(FEEDBACK)),
            ("report 2026", E::Usage(REPORT)),
            ("add", E::Usage(ADD)),
            ("add bob weekly", E::Usage(ADD)),
            ("add @bob weekly", E::PlainMention("@bob".into())),
            ("add <!subteam^S1|@devs>", E::GroupMention),
            ("add <#C123|general>", E::ChannelMention),
            ("add <@U2> daily", E::BadCadence("daily".into())),
            ("add <@U2> every 0d", E::BadCadence("every 0d".into())),
            (
                "add <@U2> every  400 days",
                E::BadCadence("every  400 days".into()),
            ),
            ("remove", E::Usage(REMOVE)),
            ("remove <@U2> now", E::Usage(REMOVE)),
            ("remove @bob", E::PlainMention("@bob".into())),
            ("done", E::Usage(DONE)),
            ("done @bob on 2026-01-05", E::PlainMention("@bob".into())),
            ("done <@U2> on", E::Usage(DONE)),
            ("done <@U2> on 2026-02-30", E::BadDate("2026-02-30".into())),
            ("done <@U2> on 2026-2-3", E::BadDate("2026-2-3".into())),
            ("done <@U2> on 2026/02/03", E::BadDate("2026/02/03".into())),
            ("done <@U2> on 03-02-2026", E::BadDate("03-02-2026".into())),
            ("done <@U2> on +2026-0203", E::BadDate("+2026-0203".into())),
            ("done <@U2> on tuesday", E::BadDate("tuesday".into())),
            ("todo", E::Usage(TODO)),
            ("todo <@U2>", E::NoTodoText),
            ("todo <@U2>   ", E::NoTodoText),
            ("todo bob write docs", E::Usage(TODO)),
            ("todo <#C1|general> write docs", E::ChannelMention),
            ("todo done", E::Usage(TODO_DONE)),
            ("todo done 3 4", E::Usage(TODO_DONE)),
            ("todo done 0", E::BadTodoNumber("0".into())),
            ("todo done #", E::BadTodoNumber("#".into())),
            ("todo done -3", E::BadTodoNumber("-3".into())),
            ("todo done three", E::BadTodoNumber("three".into())),
            (
                "todo done 99999999999999999999",
                E::BadTodoNumber("99999999999999999999".into()),
            ),
            ("topic", E::Usage(TOPIC)),
            ("topic <@U2>", E::NoTopicText),
            ("topic @bob growth", E::PlainMention("@bob".into())),
            ("topic <!subteam^S1|@devs> growth", E::GroupMention),
            ("snooze", E::Usage(SNOOZE_EITHER)),
            ("snooze <@U2>", E::Usage(SNOOZE_EITHER)),
            ("snooze @bob 3d", E::PlainMention("@bob".into())),
            ("snooze <@U2> 0d", E::BadSnooze("0d".into())),
            ("snooze <@U2> 366d", E::BadSnooze("366d".into())),
            ("snooze <@U2> 3", E::BadSnooze("3".into())),
            ("snooze <@U2> 2w", E::BadSnooze("2w".into())),
            ("snooze <@U2> -3d", E::BadSnooze("-3d".into())),
            ("snooze <@U2> 3 weeks", E::BadSnooze("3 weeks".into())),
            ("snooze <@U2> a while", E::BadSnooze("a while".into())),
            ("snooze <@U2> until", E::Usage(SNOOZE_UNTIL)),
            (
                "snooze <@U2> until 2026-12-01 maybe",
                E::Usage(SNOOZE_UNTIL),
            ),
            (
                "snooze <@U2> until 2026-13-01",
                E::BadDate("2026-13-01".into()),
            ),
            ("snooze <@U2> until friday", E::BadDate("friday".into())),
            ("pause", E::Usage(PAUSE)),
            ("pause <@U2> <@U3>", E::Usage(PAUSE)),
            ("resume <#C1|general>", E::ChannelMention),
            ("resume @bob", E::PlainMention("@bob".into())),
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
                .strip_prefix("/1on1")
                .unwrap()
                .replace("@someone", "<@U2>")
                .replace(" [weekly|biweekly|monthly|every Nd]", " every 10d")
                .replace(" [on YYYY-MM-DD] [notes]", " on 2026-12-01 notes")
                .replace("YYYY-MM-DD", "2026-12-01")
                .replace(" Nd", " 3d")
                .replace(" N", " 3");
            assert!(parse(&text).is_ok(), "{} -> {text:?}", usage.syntax);
        }
    }

    #[test]
    fn usage_lines_have_their_own_keys_and_only_report_is_for_admins() {
        let mut keys: Vec<&str> = USAGE.iter().map(|u| u.explain_key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), USAGE.len());
        // Split so the catalog test does not take the prefix itself for a key.
        assert!(
            keys.iter()
                .all(|k| k.split('-').take(2).eq(["usage", "oneonone"]))
        );
        let admin: Vec<&str> = USAGE
            .iter()
            .filter(|u| u.admin_only)
            .map(|u| u.syntax)
            .collect();
        assert_eq!(admin, [REPORT]);
    }
}
