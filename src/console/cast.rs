//! The people in the console and how Slack's text looks to them: a name, a language and
//! whether they are a bot for each ID; `@name` typed into a mention and `<@U…>` shown back as
//! `@name`. [`ConsoleDirectory`] is the `users.info` of the console. Knows nothing of the
//! outbox or of commands.

use super::CHANNEL;
use crate::app::{DirectoryError, DirectoryUser, UserDirectory};
use crate::domain::{Locale, UserId};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The people in the console: a name for each ID, their language, and which are bots.
#[derive(Default)]
pub(super) struct Cast {
    pub(super) people: BTreeMap<UserId, (String, DirectoryUser)>,
}

impl Cast {
    pub(super) fn id_for(name: &str) -> Option<UserId> {
        let clean: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        if clean.is_empty() || clean.len() > 20 || clean.len() != name.len() {
            return None;
        }
        UserId::parse(&format!("U{}", clean.to_ascii_uppercase())).ok()
    }

    pub(super) fn add(&mut self, name: &str, locale: Locale, is_bot: bool) -> Option<UserId> {
        let id = Self::id_for(name)?;
        self.people.entry(id.clone()).or_insert_with(|| {
            (
                name.to_lowercase(),
                DirectoryUser {
                    is_bot,
                    deleted: false,
                    locale: Some(locale.code().to_owned()),
                    tz: None,
                    name: Some(name.to_lowercase()),
                },
            )
        });
        Some(id)
    }

    /// The name of `id`, if they are in the cast.
    pub(super) fn name_of(&self, id: &UserId) -> Option<&str> {
        self.people.get(id).map(|(name, _)| name.as_str())
    }

    /// Shows Slack's markup as a person reads it: `<@UBOB>` as `@bob`, `<#CTRYGENERAL>` as
    /// `#general`, `<!subteam^S1>` as `@S1`, `<https://…|open it>` as `open it (https://…)`,
    /// and `&lt;` as `<`.
    pub(super) fn humanise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('>') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            out.push_str(&self.unmark(&after[..close]));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// One `<…>` of Slack markup, without its brackets, as text.
    fn unmark(&self, inner: &str) -> String {
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t, Some(l)),
            None => (inner, None),
        };
        if let Some(id) = target.strip_prefix('@') {
            let name = UserId::parse(id).ok();
            let name = name.as_ref().and_then(|u| self.name_of(u)).unwrap_or(id);
            format!("@{name}")
        } else if let Some(id) = target.strip_prefix('#') {
            format!(
                "#{}",
                label.map_or_else(|| channel_label(id), str::to_owned)
            )
        } else if let Some(id) = target.strip_prefix("!subteam^") {
            format!("@{}", label.unwrap_or(id))
        } else if let Some(special) = target.strip_prefix('!') {
            format!("@{special}")
        } else if target.starts_with("http") {
            match label {
                Some(l) => format!("{l} ({target})"),
                None => target.to_owned(),
            }
        } else {
            format!("<{inner}>")
        }
    }
}

/// How a channel is shown: the console's own as `general`, others by ID.
pub(super) fn channel_label(channel: &str) -> String {
    if channel == CHANNEL {
        "general".to_owned()
    } else {
        channel.to_owned()
    }
}

pub(super) struct ConsoleDirectory(pub(super) Arc<Mutex<Cast>>);

#[async_trait::async_trait]
impl UserDirectory for ConsoleDirectory {
    async fn lookup(&self, user: &UserId) -> Result<Option<DirectoryUser>, DirectoryError> {
        let cast = self.0.lock().expect("cast lock");
        Ok(cast.people.get(user).map(|(_, u)| u.clone()))
    }
}

/// Escapes text the way Slack does and turns `@name` into the mention Slack would send.
pub(super) fn to_slack_text(cast: &Arc<Mutex<Cast>>, text: &str, locale: Locale) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split(' ')
        .map(|word| match word.strip_prefix('@') {
            // Slack sends these as special mentions, not as people.
            Some(b @ ("here" | "channel" | "everyone")) => format!("<!{b}>"),
            Some(name) if !name.is_empty() => {
                match cast.lock().expect("cast lock").add(name, locale, false) {
                    Some(id) => id.mention(),
                    None => word.to_owned(),
                }
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `:thank` and `:thanks-form` take before the message: people as `@name` and one `+N`.
pub(super) struct FormArgs<'a> {
    pub(super) recipients: Vec<String>,
    pub(super) points: String,
    /// The message (and, for the form, its `#values`).
    pub(super) rest: &'a str,
}

/// Reads [`FormArgs`]; `None` when a name is not one the console can make a person of.
pub(super) fn form_args<'a>(
    cast: &Arc<Mutex<Cast>>,
    locale: Locale,
    args: &'a str,
) -> Option<FormArgs<'a>> {
    let mut form = FormArgs {
        recipients: Vec::new(),
        points: String::new(),
        rest: args.trim(),
    };
    loop {
        let (word, after) = form
            .rest
            .split_once(char::is_whitespace)
            .unwrap_or((form.rest, ""));
        if let Some(name) = word.strip_prefix('@').filter(|n| !n.is_empty()) {
            let id = cast.lock().expect("cast lock").add(name, locale, false)?;
            form.recipients.push(id.to_string());
        } else if let Some(n) = word.strip_prefix('+').filter(|_| form.points.is_empty()) {
            form.points = n.to_owned();
        } else {
            return Some(form);
        }
        form.rest = after.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_markup_is_shown_as_a_person_reads_it() {
        let mut cast = Cast::default();
        cast.add("bob", Locale::En, false);
        let cases = [
            ("<@UBOB> thanked <@UNOBODY>", "@bob thanked @UNOBODY"),
            (
                "up in <#CTRYGENERAL> and <#C0PAYROLL>",
                "up in #general and #C0PAYROLL",
            ),
            ("<#C0123ABC|payroll>", "#payroll"),
            ("<!subteam^S0HR> <!here>", "@S0HR @here"),
            (
                "<https://slack.com/archives/C1/p1|open it>.",
                "open it (https://slack.com/archives/C1/p1).",
            ),
            ("<https://example.com>", "https://example.com"),
            ("a &lt;b&gt; &amp; c", "a <b> & c"),
            ("1 < 2 and <unclosed", "1 < 2 and <unclosed"),
            ("<odd>", "<odd>"),
        ];
        for (markup, shown) in cases {
            assert_eq!(cast.humanise(markup), shown, "{markup}");
        }
    }
}
