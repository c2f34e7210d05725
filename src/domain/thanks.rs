//! What makes a thanks acceptable. A thanks is specific ("your review saved me a day"), goes to
//! real colleagues, and its points fit the rules and the giver's budget.

use super::budget::Cost;
use super::ids::UserId;
use chrono::NaiveDate;
use unicode_segmentation::UnicodeSegmentation;

/// The organisation's rules for thanks, from the `[bonus]` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksRules {
    pub max_points_per_thanks: u32,
    /// The shortest message, in characters a person sees, that may carry points.
    pub min_message_chars: usize,
    /// The most people one thanks may name.
    pub max_recipients: usize,
}

/// What Slack says about a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientStatus {
    Person,
    Bot,
    Deactivated,
    Unknown,
}

/// A thanks that passed every rule that does not need the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidThanks {
    pub recipients: Vec<UserId>,
    pub points_each: u32,
    pub message: String,
    pub cost: Cost,
}

/// Why a thanks was not accepted; each becomes a friendly reply in the giver's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThanksRefusal {
    #[error("you cannot thank yourself")]
    SelfThanks,
    #[error("{0} is a bot")]
    RecipientIsBot(UserId),
    #[error("{0} is deactivated")]
    RecipientDeactivated(UserId),
    #[error("{0} is not a member of this workspace")]
    RecipientUnknown(UserId),
    #[error("too many recipients (at most {max})")]
    TooManyRecipients { max: usize },
    #[error("points must be a whole number from 1 to {max}")]
    PointsOutOfRange { max: u32 },
    #[error("the message is empty")]
    NoMessage,
    #[error("the message is {got} characters, points need at least {min}")]
    MessageTooShort { min: usize, got: usize },
    #[error("the thanks costs {cost} but only {remaining} are left until {resets_on}")]
    OverBudget {
        cost: i64,
        remaining: i64,
        resets_on: NaiveDate,
    },
}

/// Characters as a person sees them: "ありがとう" is 5, an emoji with a skin tone is 1, and
/// Slack's tokens count as what they display (`<@U012AB3CD>` is one mention, `<https://…|the
/// doc>` is "the doc"). The text is as typed ([`crate::domain::text::from_slack`]).
pub fn visible_chars(text: &str) -> usize {
    let mut shown = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        shown.push_str(&rest[..open]);
        let Some(len) = rest[open..].find('>') else {
            shown.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + len];
        let sigil = inner
            .chars()
            .next()
            .filter(|c| matches!(c, '@' | '#' | '!'));
        match (inner.split_once('|'), sigil) {
            (Some((_, label)), Some(c)) => {
                shown.push(c);
                shown.push_str(label.trim_start_matches('@'));
            }
            (Some((_, label)), None) => shown.push_str(label),
            // An unlabelled mention shows as a name we do not know: count it as one.
            (None, Some(c)) => shown.push(c),
            (None, None) => shown.push_str(inner),
        }
        rest = &rest[open + len + 1..];
    }
    shown.push_str(rest);
    shown.graphemes(true).count()
}

/// Checks everything but the budget. `statuses` holds Slack's answer for each recipient, in
/// the same order; `points` is `None` for a thanks without points.
pub fn check_thanks(
    giver: &UserId,
    recipients: &[UserId],
    statuses: &[RecipientStatus],
    points: Option<u32>,
    message: &str,
    rules: &ThanksRules,
) -> Result<ValidThanks, ThanksRefusal> {
    debug_assert_eq!(recipients.len(), statuses.len());
    if recipients.contains(giver) {
        return Err(ThanksRefusal::SelfThanks);
    }
    if recipients.len() > rules.max_recipients {
        return Err(ThanksRefusal::TooManyRecipients {
            max: rules.max_recipients,
        });
    }
    for (who, status) in recipients.iter().zip(statuses) {
        match status {
            RecipientStatus::Person => {}
            RecipientStatus::Bot => return Err(ThanksRefusal::RecipientIsBot(who.clone())),
            RecipientStatus::Deactivated => {
                return Err(ThanksRefusal::RecipientDeactivated(who.clone()));
            }
            RecipientStatus::Unknown => return Err(ThanksRefusal::RecipientUnknown(who.clone())),
        }
    }
    let points_each = match points {
        None => 0,
        Some(n) if (1..=rules.max_points_per_thanks).contains(&n) => n,
        Some(_) => {
            return Err(ThanksRefusal::PointsOutOfRange {
                max: rules.max_points_per_thanks,
            });
        }
    };
    let message = message.trim();
    if message.is_empty() {
        return Err(ThanksRefusal::NoMessage);
    }
    let got = visible_chars(message);
    if points_each > 0 && got < rules.min_message_chars {
        return Err(ThanksRefusal::MessageTooShort {
            min: rules.min_message_chars,
            got,
        });
    }
    Ok(ValidThanks {
        recipients: recipients.to_vec(),
        points_each,
        message: message.to_owned(),
        cost: Cost::of(points_each, recipients.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecipientStatus::*;

    fn u(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    fn rules() -> ThanksRules {
        ThanksRules {
            max_points_per_thanks: 120,
            min_message_chars: 10,
            max_recipients: 3,
        }
    }

    #[test]
    fn a_specific_thanks_with_points_passes_and_costs_points_times_recipients() {
        let ok = check_thanks(
            &u("UGIVER"),
            &[u("UA"), u("UB")],
            &[Person, Person],
            Some(10),
            "  reviewed my PR within the hour  ",
            &rules(),
        )
        .unwrap();
        assert_eq!(ok.cost, Cost(20));
        assert_eq!(ok.points_each, 10);
        assert_eq!(ok.message, "reviewed my PR within the hour");
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table reads best as plain tuples
    fn each_rule_refuses_with_its_own_reason() {
        let r = rules();
        let g = u("UGIVER");
        let cases: Vec<(
            Vec<UserId>,
            Vec<RecipientStatus>,
            Option<u32>,
            &str,
            ThanksRefusal,
        )> = vec![
            (
                vec![u("UGIVER")],
                vec![Person],
                None,
                "thanks me",
                ThanksRefusal::SelfThanks,
            ),
            (
                vec![u("UA"), u("UGIVER")],
                vec![Person, Person],
                None,
                "thanks us",
                ThanksRefusal::SelfThanks,
            ),
            (
                vec![u("UBOT")],
                vec![Bot],
                None,
                "thanks bot",
                ThanksRefusal::RecipientIsBot(u("UBOT")),
            ),
            (
                vec![u("UOLD")],
                vec![Deactivated],
                None,
                "thanks",
                ThanksRefusal::RecipientDeactivated(u("UOLD")),
            ),
            (
                vec![u("UWHO")],
                vec![Unknown],
                None,
                "thanks",
                ThanksRefusal::RecipientUnknown(u("UWHO")),
            ),
            (
                vec![u("UA"), u("UB"), u("UC"), u("UD")],
                vec![Person; 4],
                None,
                "thanks all",
                ThanksRefusal::TooManyRecipients { max: 3 },
            ),
            (
                vec![u("UA")],
                vec![Person],
                Some(0),
                "reviewed my PR",
                ThanksRefusal::PointsOutOfRange { max: 120 },
            ),
            (
                vec![u("UA")],
                vec![Person],
                Some(121),
                "reviewed my PR",
                ThanksRefusal::PointsOutOfRange { max: 120 },
            ),
            (
                vec![u("UA")],
                vec![Person],
                None,
                "   ",
                ThanksRefusal::NoMessage,
            ),
            (
                vec![u("UA")],
                vec![Person],
                Some(5),
                "thanks!",
                ThanksRefusal::MessageTooShort { min: 10, got: 7 },
            ),
        ];
        for (recipients, statuses, points, message, want) in cases {
            let got = check_thanks(&g, &recipients, &statuses, points, message, &r);
            assert_eq!(got, Err(want.clone()), "{message:?} {points:?}");
        }
    }

    #[test]
    fn a_short_thanks_without_points_is_fine() {
        let ok = check_thanks(&u("UG"), &[u("UA")], &[Person], None, "thanks!", &rules()).unwrap();
        assert_eq!(ok.cost, Cost(0));
    }

    #[test]
    fn slack_markup_counts_as_what_it_displays() {
        assert_eq!(visible_chars("A&B"), 3);
        assert_eq!(visible_chars("<3"), 2);
        assert_eq!(visible_chars("hi <@U012AB3CD>"), 4);
        assert_eq!(visible_chars("hi <@U012AB3CD|ann>"), 7);
        assert_eq!(visible_chars("see <https://example.com/x|the doc>"), 11);
        assert_eq!(visible_chars("see <https://a.io>"), 16);
        assert_eq!(visible_chars("in <#C123|general>"), 11);
        assert_eq!(visible_chars("a < b"), 5);
        // Ten characters of mentions are not a specific message.
        let r = rules();
        let got = check_thanks(
            &u("UG"),
            &[u("UA")],
            &[Person],
            Some(5),
            "<@U012AB3CD> <@U0XYZ>",
            &r,
        );
        assert_eq!(got, Err(ThanksRefusal::MessageTooShort { min: 10, got: 3 }));
    }

    #[test]
    fn japanese_and_emoji_count_as_the_characters_a_person_sees() {
        assert_eq!(visible_chars("ありがとうございます"), 10);
        assert_eq!(visible_chars("👍🏽👨‍👩‍👧"), 2);
        let r = rules();
        // Ten Japanese characters are as specific as ten Latin ones.
        assert!(
            check_thanks(
                &u("UG"),
                &[u("UA")],
                &[Person],
                Some(5),
                "資料作成を助けてくれた",
                &r
            )
            .is_ok()
        );
        assert!(check_thanks(&u("UG"), &[u("UA")], &[Person], Some(5), "ありがとう", &r).is_err());
    }
}
