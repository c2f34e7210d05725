//! `/thanks <@U…> [<@U…> …] [+N] <message> [#value …]`

use super::mention::Mention;
use super::{CommandError, Usage};
use crate::domain::UserId;

pub(super) const USAGE: &[Usage] = &[
    Usage {
        syntax: "/thanks @someone what exactly they did",
        explain_key: "usage-thanks",
        admin_only: false,
    },
    Usage {
        syntax: "/thanks @someone @another +10 what exactly they did #value",
        explain_key: "usage-thanks-points",
        admin_only: false,
    },
];

/// A parsed `/thanks`: who, how many points each (if any), what for, and which values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksCommand {
    /// In the order typed, without duplicates.
    pub recipients: Vec<UserId>,
    /// Points per recipient; `None` when no `+N` was given. Range is checked by the domain.
    pub points: Option<u32>,
    /// The message as typed, less the trailing value hashtags.
    pub message: String,
    /// Company values named with `#value`, lower-cased, without duplicates.
    pub values: Vec<String>,
}

/// Splits text into tokens with their byte offsets, keeping `<…>` escapes (which may contain
/// spaces, as in `<@U1|Ann Lee>`) in one piece.
pub(super) fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut end = text.len();
        let mut in_escape = false;
        while let Some(&(i, c)) = chars.peek() {
            if c == '<' {
                in_escape = true;
            } else if c == '>' {
                in_escape = false;
            } else if c.is_whitespace() && !in_escape {
                end = i;
                break;
            }
            chars.next();
        }
        out.push((start, &text[start..end]));
    }
    out
}

pub(super) fn parse(text: &str, values: &[String]) -> Result<ThanksCommand, CommandError> {
    let toks = tokens(text);
    let mut recipients: Vec<UserId> = Vec::new();
    let mut rest_at = text.len();
    let mut idx = 0;
    while let Some(&(at, tok)) = toks.get(idx) {
        match Mention::classify(tok) {
            Some(Mention::User(id)) => {
                if !recipients.contains(&id) {
                    recipients.push(id);
                }
            }
            Some(Mention::Plain(name)) => return Err(CommandError::PlainMention(name)),
            Some(Mention::Group) => return Err(CommandError::GroupMention),
            Some(Mention::Channel(_)) => return Err(CommandError::ChannelMention),
            None => {
                rest_at = at;
                break;
            }
        }
        idx += 1;
    }
    if recipients.is_empty() {
        // "@bob thanks" typed by hand deserves the hint about the right form.
        if let Some(Mention::Plain(name)) = toks.iter().find_map(|(_, t)| Mention::classify(t)) {
            return Err(CommandError::PlainMention(name));
        }
        return Err(CommandError::NoRecipient);
    }
    let mut points = None;
    if let Some(&(_, tok)) = toks.get(idx)
        && let Some(n) = tok.strip_prefix('+')
    {
        points = Some(parse_points(tok, n)?);
        idx += 1;
        rest_at = toks.get(idx).map_or(text.len(), |&(at, _)| at);
    }
    let rest = &text[rest_at..];
    let (message, values) = split_values(rest, values);
    if message.is_empty() {
        return Err(CommandError::NoMessage);
    }
    Ok(ThanksCommand {
        recipients,
        points,
        message,
        values,
    })
}

fn parse_points(token: &str, digits: &str) -> Result<u32, CommandError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CommandError::PointsNotWhole(token.to_owned()));
    }
    // Anything too large for u32 is certainly over the per-thanks maximum.
    Ok(digits.parse().unwrap_or(u32::MAX))
}

/// Records every `#tag` that names a company value; drops the trailing run of such tags from
/// the message (so "… #teamwork" reads cleanly) but keeps tags inside a sentence as typed.
/// Where a channel has the value's name, Slack sends the tag as a channel link
/// (`<#C0123|teamwork>`): that counts as the value too.
pub fn split_values(rest: &str, company_values: &[String]) -> (String, Vec<String>) {
    let is_value = |tok: &str| -> Option<String> {
        let tag = match tok.strip_prefix("<#") {
            Some(link) => link.split_once('|')?.1.split_once('>')?.0,
            None => tok.strip_prefix('#')?,
        };
        let tag = tag.trim_end_matches(['.', ',', '!', '?', '。', '、', '！']);
        company_values
            .iter()
            .find(|v| v.to_lowercase() == tag.to_lowercase())
            .map(|v| v.to_lowercase())
    };
    let toks = tokens(rest);
    let mut values = Vec::new();
    for (_, tok) in &toks {
        if let Some(v) = is_value(tok)
            && !values.contains(&v)
        {
            values.push(v);
        }
    }
    let mut cut = rest.len();
    for &(at, tok) in toks.iter().rev() {
        if is_value(tok).is_some() {
            cut = at;
        } else {
            break;
        }
    }
    (rest[..cut].trim().to_owned(), values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals() -> Vec<String> {
        vec!["teamwork".into(), "Ownership".into(), "チームワーク".into()]
    }

    fn u(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    fn ok(text: &str) -> ThanksCommand {
        parse(text, &vals()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn the_full_grammar_parses() {
        let c = ok("<@U2> +10 reviewed my PR within the hour #teamwork");
        assert_eq!(c.recipients, vec![u("U2")]);
        assert_eq!(c.points, Some(10));
        assert_eq!(c.message, "reviewed my PR within the hour");
        assert_eq!(c.values, vec!["teamwork"]);
    }

    #[test]
    #[allow(clippy::type_complexity)] // a table reads best as plain tuples
    fn table_of_accepted_forms() {
        let cases: &[(&str, &[&str], Option<u32>, &str, &[&str])] = &[
            (
                "<@U2> thanks for the help",
                &["U2"],
                None,
                "thanks for the help",
                &[],
            ),
            (
                "<@U2|bob> <@W3|Ann Lee> +5 great demo",
                &["U2", "W3"],
                Some(5),
                "great demo",
                &[],
            ),
            (
                "<@U2> <@U2> dup is one person",
                &["U2"],
                None,
                "dup is one person",
                &[],
            ),
            (
                "<@U2> +120 took #ownership of the release #TEAMWORK #ownership",
                &["U2"],
                Some(120),
                "took #ownership of the release",
                &["ownership", "teamwork"],
            ),
            (
                // A channel named like a value arrives as a channel link.
                "<@U2> shipped it together <#C0123ABC|teamwork> <#C0456|random>",
                &["U2"],
                None,
                "shipped it together <#C0123ABC|teamwork> <#C0456|random>",
                &["teamwork"],
            ),
            (
                "<@U2> +5 <#C0123ABC|Ownership>. of the fix <#C0123ABC|teamwork>",
                &["U2"],
                Some(5),
                "<#C0123ABC|Ownership>. of the fix",
                &["ownership", "teamwork"],
            ),
            (
                "<@U2> fixed it #unknown",
                &["U2"],
                None,
                "fixed it #unknown",
                &[],
            ),
            (
                "<@U2> 資料を一緒に作ってくれて助かりました #チームワーク",
                &["U2"],
                None,
                "資料を一緒に作ってくれて助かりました",
                &["チームワーク"],
            ),
            (
                "<@U2>   +7   spaced   out  ",
                &["U2"],
                Some(7),
                "spaced   out",
                &[],
            ),
            (
                "<@U2> +99999999999 huge",
                &["U2"],
                Some(u32::MAX),
                "huge",
                &[],
            ),
            (
                "<@U2> kept <@U3> in the loop",
                &["U2"],
                None,
                "kept <@U3> in the loop",
                &[],
            ),
        ];
        for (text, recipients, points, message, values) in cases {
            let c = ok(text);
            let want: Vec<UserId> = recipients.iter().map(|s| u(s)).collect();
            assert_eq!(c.recipients, want, "{text}");
            assert_eq!(c.points, *points, "{text}");
            assert_eq!(c.message, *message, "{text}");
            assert_eq!(
                c.values,
                values.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{text}"
            );
        }
    }

    #[test]
    fn table_of_refusals() {
        let cases: &[(&str, CommandError)] = &[
            ("thanks everyone", CommandError::NoRecipient),
            (
                "@bob thanks for the help",
                CommandError::PlainMention("@bob".into()),
            ),
            (
                "<@U2> @carol thanks",
                CommandError::PlainMention("@carol".into()),
            ),
            (
                "<!subteam^S1|@devs> thanks team",
                CommandError::GroupMention,
            ),
            ("<#C123|general> thanks", CommandError::ChannelMention),
            ("<@U2>", CommandError::NoMessage),
            ("<@U2> +10", CommandError::NoMessage),
            ("<@U2> +10 #teamwork", CommandError::NoMessage),
            (
                "<@U2> +ten for the help",
                CommandError::PointsNotWhole("+ten".into()),
            ),
            (
                "<@U2> +1.5 for the help",
                CommandError::PointsNotWhole("+1.5".into()),
            ),
            (
                "<@U2> +-5 for the help",
                CommandError::PointsNotWhole("+-5".into()),
            ),
            (
                "<@U2> + for the help",
                CommandError::PointsNotWhole("+".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text, &vals()).as_ref().err(), Some(want), "{text}");
        }
    }

    #[test]
    fn escapes_with_spaces_stay_one_token() {
        let t: Vec<&str> = tokens("<@U1|Ann Lee> +3  hi there")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(t, vec!["<@U1|Ann Lee>", "+3", "hi", "there"]);
    }
}
