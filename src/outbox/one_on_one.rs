//! The 1on1 messages: the reminder a manager gets and the pulse a report gets, in parts that
//! the plain-text fallback and Block Kit both use.

use crate::domain::UserId;
use crate::domain::text::user_text;
use crate::i18n::{self, Lang, tr, tr0};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An action item or topic as a reminder lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedItem {
    pub id: i64,
    pub body: String,
    pub by: UserId,
}

impl ListedItem {
    /// "• #12 write the plan (@ann)": one open action item as a reminder lists it.
    pub fn action_line(&self, l: Lang<'_>) -> String {
        tr(
            l,
            "oneonone-item-line",
            &[
                ("id", self.id.into()),
                ("text", user_text(&self.body).into()),
                ("by", self.by.mention().into()),
            ],
        )
    }
}

/// The reminder DM to a manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderDm {
    pub pair_id: i64,
    pub report: UserId,
    /// 1 for the first reminder of this due period.
    pub seq: u32,
    pub last_met_on: Option<NaiveDate>,
    /// Days since the last 1on1, or since the pair was added when they never met.
    pub days_since: i64,
    /// 0 when due today.
    pub overdue_days: i64,
    pub items: Vec<ListedItem>,
    /// Open items not listed (a message has limits).
    pub more_items: usize,
    pub topics: Vec<ListedItem>,
    pub more_topics: usize,
    /// Catalog keys of the opening questions.
    pub questions: Vec<String>,
}

/// A reminder in parts: each is one block of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderParts {
    pub header: String,
    pub items: Option<String>,
    pub topics: Option<String>,
    pub questions: Option<String>,
    pub footer: String,
}

impl ReminderDm {
    pub fn parts(&self, l: Lang<'_>) -> ReminderParts {
        let report = self.report.mention();
        let header = match (self.seq, self.last_met_on) {
            (1, Some(last)) => tr(
                l,
                "oneonone-remind-due",
                &[
                    ("report", report.clone().into()),
                    ("days", self.days_since.into()),
                    ("last", i18n::date(l, last).into()),
                ],
            ),
            (1, None) => tr(
                l,
                "oneonone-remind-first",
                &[
                    ("report", report.clone().into()),
                    ("days", self.days_since.into()),
                ],
            ),
            (_, None) => tr(
                l,
                "oneonone-remind-again-never",
                &[
                    ("report", report.clone().into()),
                    ("days", self.days_since.into()),
                    ("overdue", self.overdue_days.into()),
                ],
            ),
            (_, Some(_)) => tr(
                l,
                "oneonone-remind-again",
                &[
                    ("report", report.clone().into()),
                    ("days", self.days_since.into()),
                    ("overdue", self.overdue_days.into()),
                ],
            ),
        };
        let listed = |title: String, items: &[ListedItem], more: usize, with_id: bool| {
            if items.is_empty() {
                return None;
            }
            let mut out = title;
            for item in items {
                out.push('\n');
                out.push_str(&if with_id {
                    item.action_line(l)
                } else {
                    tr(
                        l,
                        "oneonone-topic-line",
                        &[
                            ("text", user_text(&item.body).into()),
                            ("by", item.by.mention().into()),
                        ],
                    )
                });
            }
            if more > 0 {
                out.push('\n');
                out.push_str(&tr(l, "oneonone-more", &[("n", (more as i64).into())]));
            }
            Some(out)
        };
        let items = listed(
            tr0(l, "oneonone-remind-items"),
            &self.items,
            self.more_items,
            true,
        );
        let topics = listed(
            tr(
                l,
                "oneonone-remind-topics",
                &[("report", report.clone().into())],
            ),
            &self.topics,
            self.more_topics,
            false,
        );
        let questions = (!self.questions.is_empty()).then(|| {
            let mut out = tr0(l, "oneonone-remind-questions");
            for q in &self.questions {
                out.push_str("\n• ");
                out.push_str(&tr0(l, q));
            }
            out
        });
        ReminderParts {
            header,
            items,
            topics,
            questions,
            footer: tr(l, "oneonone-remind-footer", &[("report", report.into())]),
        }
    }

    /// The whole reminder as plain text.
    pub fn text(&self, l: Lang<'_>) -> String {
        let p = self.parts(l);
        let mut blocks = vec![p.header];
        blocks.extend(p.items);
        blocks.extend(p.topics);
        blocks.extend(p.questions);
        blocks.push(p.footer);
        blocks.join("\n\n")
    }
}

/// The pulse as plain text (the buttons carry the answers).
pub fn pulse_text(l: Lang<'_>, manager: &UserId) -> String {
    format!(
        "{}\n{}\n{}",
        tr(
            l,
            "oneonone-pulse-intro",
            &[("manager", manager.mention().into())]
        ),
        tr0(l, "oneonone-pulse-useful"),
        tr0(l, "oneonone-pulse-talk"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::CommandNames;
    use crate::domain::Locale;

    fn u(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    fn reminder(seq: u32) -> ReminderDm {
        ReminderDm {
            pair_id: 7,
            report: u("U2"),
            seq,
            last_met_on: NaiveDate::from_ymd_opt(2026, 11, 2),
            days_since: 19,
            overdue_days: 5,
            items: vec![ListedItem {
                id: 12,
                body: "write the <!here> plan".into(),
                by: u("U1"),
            }],
            more_items: 2,
            topics: vec![],
            more_topics: 0,
            questions: vec!["question-how-are-you".into()],
        }
    }

    #[test]
    fn a_reminder_lists_items_without_broadcasts_and_skips_empty_sections() {
        let p = reminder(1).parts(Lang::new(Locale::En, &CommandNames::default()));
        assert!(p.header.contains("<@U2>"), "{}", p.header);
        let items = p.items.unwrap();
        assert!(
            items.contains("12") && items.contains("@here plan"),
            "{items}"
        );
        assert!(!items.contains("<!here>"));
        assert!(p.topics.is_none());
        assert!(p.questions.is_some());
    }

    #[test]
    fn later_reminders_say_how_overdue_in_both_languages() {
        for l in [Locale::En, Locale::Ja] {
            let text = reminder(2).text(Lang::new(l, &CommandNames::default()));
            assert!(text.contains('5'), "{text}");
            assert!(!text.contains("oneonone-"), "{text}");
        }
    }
}
