//! `/bonus [balance | top [month|all] | history | budget … | grant … | admins …]`

use super::mention::Mention;
use super::{CommandError, Usage};
use crate::domain::UserId;

pub(super) const USAGE: &[Usage] = &[
    Usage {
        syntax: "/bonus",
        explain_key: "usage-bonus-balance",
        admin_only: false,
    },
    Usage {
        syntax: "/bonus top [month|all]",
        explain_key: "usage-bonus-top",
        admin_only: false,
    },
    Usage {
        syntax: "/bonus history",
        explain_key: "usage-bonus-history",
        admin_only: false,
    },
    Usage {
        syntax: "/bonus budget @someone N",
        explain_key: "usage-bonus-budget",
        admin_only: true,
    },
    Usage {
        syntax: "/bonus budget @someone default",
        explain_key: "usage-bonus-budget-clear",
        admin_only: true,
    },
    Usage {
        syntax: "/bonus budget default N",
        explain_key: "usage-bonus-budget-default",
        admin_only: true,
    },
    Usage {
        syntax: "/bonus grant @someone N",
        explain_key: "usage-bonus-grant",
        admin_only: true,
    },
    Usage {
        syntax: "/bonus admins [add|remove @someone]",
        explain_key: "usage-bonus-admins",
        admin_only: true,
    },
];

/// Which receivers `/bonus top` ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopScope {
    ThisMonth,
    AllTime,
}

/// A parsed `/bonus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BonusCommand {
    Balance,
    Top(TopScope),
    History,
    Help,
    /// Admin: this person's monthly budget from now on.
    SetBudget {
        user: UserId,
        amount: i64,
    },
    /// Admin: this person goes back to the default budget, from now on.
    ClearBudget {
        user: UserId,
    },
    /// Admin: everyone's monthly budget from now on, unless they have their own.
    SetDefaultBudget {
        amount: i64,
    },
    /// Admin: a one-time top-up for this month.
    Grant {
        user: UserId,
        amount: i64,
    },
    ListAdmins,
    AddAdmin(UserId),
    RemoveAdmin(UserId),
}

/// The largest amount an admin may set or grant in one go; a typo guard, not a policy.
pub const MAX_AMOUNT: i64 = 1_000_000;

pub(super) fn parse(text: &str) -> Result<BonusCommand, CommandError> {
    let words: Vec<(usize, &str)> = super::thanks::tokens(text);
    let words: Vec<&str> = words.into_iter().map(|(_, w)| w).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        [] | ["balance"] => Ok(BonusCommand::Balance),
        ["help"] => Ok(BonusCommand::Help),
        ["history"] => Ok(BonusCommand::History),
        ["top"] | ["top", "month"] => Ok(BonusCommand::Top(TopScope::ThisMonth)),
        ["top", "all"] => Ok(BonusCommand::Top(TopScope::AllTime)),
        ["top", ..] => Err(CommandError::Usage("/bonus top [month|all]")),
        ["budget", "default", n] => Ok(BonusCommand::SetDefaultBudget {
            amount: amount(n, 0)?,
        }),
        ["budget", _, "default"] => Ok(BonusCommand::ClearBudget {
            user: user(words[1], "/bonus budget @someone default")?,
        }),
        ["budget", _, n] => Ok(BonusCommand::SetBudget {
            user: user(words[1], "/bonus budget @someone N")?,
            amount: amount(n, 0)?,
        }),
        ["budget", ..] => Err(CommandError::Usage("/bonus budget @someone N")),
        ["grant", _, n] => Ok(BonusCommand::Grant {
            user: user(words[1], "/bonus grant @someone N")?,
            amount: amount(n, 1)?,
        }),
        ["grant", ..] => Err(CommandError::Usage("/bonus grant @someone N")),
        ["admins"] => Ok(BonusCommand::ListAdmins),
        ["admins", "add", _] => Ok(BonusCommand::AddAdmin(user(
            words[2],
            "/bonus admins add @someone",
        )?)),
        ["admins", "remove", _] => Ok(BonusCommand::RemoveAdmin(user(
            words[2],
            "/bonus admins remove @someone",
        )?)),
        ["admins", ..] => Err(CommandError::Usage("/bonus admins [add|remove @someone]")),
        [other, ..] => Err(CommandError::UnknownBonus(other.to_string())),
    }
}

fn user(token: &str, usage: &'static str) -> Result<UserId, CommandError> {
    match Mention::classify(token) {
        Some(Mention::User(id)) => Ok(id),
        Some(Mention::Plain(name)) => Err(CommandError::PlainMention(name)),
        _ => Err(CommandError::Usage(usage)),
    }
}

fn amount(token: &str, min: i64) -> Result<i64, CommandError> {
    let n = token.strip_prefix('+').unwrap_or(token);
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CommandError::AmountNotWhole(token.to_owned()));
    }
    match n.parse::<i64>() {
        Ok(v) if v >= min && v <= MAX_AMOUNT => Ok(v),
        _ => Err(CommandError::AmountNotWhole(token.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    #[test]
    fn table_of_accepted_forms() {
        use BonusCommand::*;
        let cases = [
            ("", Balance),
            ("  balance ", Balance),
            ("BALANCE", Balance),
            ("help", Help),
            ("history", History),
            ("top", Top(TopScope::ThisMonth)),
            ("top month", Top(TopScope::ThisMonth)),
            ("top all", Top(TopScope::AllTime)),
            (
                "budget <@U2|bob> 300",
                SetBudget {
                    user: u("U2"),
                    amount: 300,
                },
            ),
            (
                "budget <@U2> 0",
                SetBudget {
                    user: u("U2"),
                    amount: 0,
                },
            ),
            ("budget default 500", SetDefaultBudget { amount: 500 }),
            ("budget <@U2|bob> default", ClearBudget { user: u("U2") }),
            (
                "grant <@U2> +50",
                Grant {
                    user: u("U2"),
                    amount: 50,
                },
            ),
            ("admins", ListAdmins),
            ("admins add <@U9>", AddAdmin(u("U9"))),
            ("admins remove <@U9|carol>", RemoveAdmin(u("U9"))),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn table_of_refusals() {
        let cases = [
            ("top week", CommandError::Usage("/bonus top [month|all]")),
            (
                "budget <@U2>",
                CommandError::Usage("/bonus budget @someone N"),
            ),
            ("budget <@U2> -5", CommandError::AmountNotWhole("-5".into())),
            (
                "budget <@U2> 1.5",
                CommandError::AmountNotWhole("1.5".into()),
            ),
            (
                "budget <@U2> 99999999999",
                CommandError::AmountNotWhole("99999999999".into()),
            ),
            (
                "budget bob 10",
                CommandError::Usage("/bonus budget @someone N"),
            ),
            ("budget @bob 10", CommandError::PlainMention("@bob".into())),
            ("grant <@U2> 0", CommandError::AmountNotWhole("0".into())),
            (
                "grant <@U2> lots",
                CommandError::AmountNotWhole("lots".into()),
            ),
            (
                "admins promote <@U2>",
                CommandError::Usage("/bonus admins [add|remove @someone]"),
            ),
            (
                "admins add <#C1|x>",
                CommandError::Usage("/bonus admins add @someone"),
            ),
            ("gimme", CommandError::UnknownBonus("gimme".into())),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Err(want), "{text}");
        }
    }
}
