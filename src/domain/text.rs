//! What people wrote, on its way to Slack: the one rendering rule for user text.
//!
//! Text reaches otagai in two forms. Slack formats slash-command and message text: it escapes
//! `&`, `<` and `>` that were typed, and writes what the composer produced as `<…>` tokens
//! (`<@U…|ann>`, `<#C…|general>`, `<!channel>`, `<https://…|label>`). Modal input arrives
//! exactly as typed, brackets and all. [`from_slack`] turns the first form into the second at the
//! edge, so everything stored is "as typed", with Slack's tokens where Slack made them.
//!
//! [`user_text`] is the only way such text becomes Slack markup again. It escapes everything and
//! restores only what is safe to show: mentions of people, channel links, and links whose label
//! is the URL itself. Broadcasts (`<!channel>`, `<!here>`, `<!everyone>`), user-group mentions,
//! dates, labelled links and anything else in brackets are shown as text: whatever a person
//! wrote, the bot never notifies a crowd for them or disguises where a link goes.

/// Slack-formatted text (a slash command's or a message's) as the person typed it: `&lt;`,
/// `&gt;` and `&amp;` back to `<`, `>` and `&`. Slack's own tokens (`<@U…>`) are already real
/// brackets and stay as they are.
pub fn from_slack(formatted: &str) -> String {
    let mut out = String::with_capacity(formatted.len());
    let mut rest = formatted;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (ch, len) = if tail.starts_with("&lt;") {
            ('<', 4)
        } else if tail.starts_with("&gt;") {
            ('>', 4)
        } else if tail.starts_with("&amp;") {
            ('&', 5)
        } else {
            ('&', 1)
        };
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// A piece of text: plain characters, or one `<…>` token as Slack writes them.
enum Piece<'a> {
    Text(&'a str),
    /// `<@U…>` / `<@W…>`, with the label Slack may add.
    Person {
        id: &'a str,
        label: Option<&'a str>,
    },
    /// `<#C…>` / `<#G…>`.
    Channel {
        id: &'a str,
        label: Option<&'a str>,
    },
    /// `<!…>`: a broadcast, a user group, a date; its label, else its name (`channel`).
    Special {
        label: Option<&'a str>,
        name: &'a str,
    },
    /// `<https://…>`, `<mailto:…>`, with a label when it is not the address itself.
    Link {
        target: &'a str,
        label: Option<&'a str>,
    },
    /// Anything else in brackets, shown as written (brackets included).
    Other(&'a str),
}

/// Splits `text` into pieces. A token is `<…>` with no `<` inside; an unmatched or nested `<`
/// is plain text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        match after.find(['<', '>']) {
            Some(close) if after.as_bytes()[close] == b'>' => {
                out.push(token(&after[..close]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push(Piece::Text("<"));
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn token(inner: &str) -> Piece<'_> {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(l)),
        None => (inner, None),
    };
    if let Some(id) = target.strip_prefix('@')
        && is_slack_id(id, &['U', 'W'])
    {
        Piece::Person { id, label }
    } else if let Some(id) = target.strip_prefix('#')
        && is_slack_id(id, &['C', 'G'])
    {
        Piece::Channel { id, label }
    } else if let Some(special) = target.strip_prefix('!') {
        Piece::Special {
            label,
            name: special.split('^').next().unwrap_or(special),
        }
    } else if is_link(target) {
        Piece::Link {
            target,
            label: label.filter(|l| !same_link(target, l)),
        }
    } else {
        Piece::Other(inner)
    }
}

/// Text a person wrote, as Slack mrkdwn that shows it and does nothing else (see the module
/// doc). Use it for every piece of user text in a post, a DM, a redraw, a nudge or a reply.
pub fn user_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) | Piece::Special { label: Some(t), .. } => escape_into(&mut out, t),
            Piece::Special { label: None, name } => {
                out.push('@');
                escape_into(&mut out, name);
            }
            Piece::Person { id, .. } => {
                out.push_str("<@");
                out.push_str(id);
                out.push('>');
            }
            Piece::Channel { id, .. } => {
                out.push_str("<#");
                out.push_str(id);
                out.push('>');
            }
            Piece::Link { target, label } => {
                if let Some(l) = label {
                    // The label is shown as text and the real address next to it.
                    escape_into(&mut out, l);
                    out.push_str(" (");
                }
                out.push('<');
                out.push_str(&target.replace('&', "&amp;"));
                out.push('>');
                if label.is_some() {
                    out.push(')');
                }
            }
            Piece::Other(inner) => {
                out.push_str("&lt;");
                escape_into(&mut out, inner);
                out.push_str("&gt;");
            }
        }
    }
    out
}

/// User text for a plain-text place (a form's prefilled value), where Slack renders nothing:
/// people as `@name` (`name_of` gives their name; else the label Slack sent, else the ID),
/// channels as `#name`, broadcasts and groups as their words, links as `label (address)`.
pub fn plain(text: &str, name_of: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) | Piece::Special { label: Some(t), .. } => out.push_str(t),
            Piece::Special { label: None, name } => {
                out.push('@');
                out.push_str(name);
            }
            Piece::Person { id, label } => {
                out.push('@');
                match name_of(id) {
                    Some(name) => out.push_str(&name),
                    None => out.push_str(label.map_or(id, |l| l.trim_start_matches('@'))),
                }
            }
            Piece::Channel { id, label } => {
                out.push('#');
                out.push_str(label.unwrap_or(id));
            }
            Piece::Link { target, label } => match label {
                Some(l) => {
                    out.push_str(l);
                    out.push_str(" (");
                    out.push_str(target);
                    out.push(')');
                }
                None => out.push_str(target),
            },
            Piece::Other(inner) => {
                out.push('<');
                out.push_str(inner);
                out.push('>');
            }
        }
    }
    out
}

/// `U…`/`W…`, `C…`/`G…`: an upper-case letter of `first`, then upper-case letters and digits.
fn is_slack_id(id: &str, first: &[char]) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| first.contains(&c))
        && id.len() >= 3
        && id.len() <= 24
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A web or mail address with nothing in it that could end or break a token.
fn is_link(target: &str) -> bool {
    let scheme = ["https://", "http://", "mailto:"].iter().any(|s| {
        target.len() > s.len()
            && target
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    scheme && !target.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Slack labels a typed `example.com` as `<http://example.com|example.com>`: a label that is
/// the address, with or without its scheme, is no disguise.
fn same_link(target: &str, label: &str) -> bool {
    let bare = |s: &str| {
        let lower = s.to_ascii_lowercase();
        ["https://", "http://", "mailto:"]
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(str::to_owned))
            .unwrap_or(lower)
    };
    bare(target) == bare(label)
}

/// Text with nothing restored: `&`, `<` and `>` escaped. For user text inside a token the bot
/// writes (a link's label), where no other token may stand.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// The people a text mentions (`<@U…>`), in order, without repeats.
pub fn mentioned(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for piece in text.split("<@").skip(1) {
        let id: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if is_slack_id(&id, &['U', 'W']) && !found.contains(&id) {
            found.push(id);
        }
    }
    found
}

/// At most `max` characters of mrkdwn, ending in "…" when cut, never inside a character, a
/// `<…>` token or an `&…;` escape.
pub fn cap_mrkdwn(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    if let Some(open) = out.rfind('<')
        && !out[open..].contains('>')
    {
        out.truncate(open);
    }
    if let Some(amp) = out.rfind('&')
        && !out[amp..].contains(';')
    {
        out.truncate(amp);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a person typed (in a modal: raw) → what Slack is sent.
    const RENDERED: &[(&str, &str)] = &[
        ("plain words", "plain words"),
        ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
        // Broadcasts and groups become their words.
        ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
        ("<!here|here>", "here"),
        ("ping <!subteam^S123|@devs> pls", "ping @devs pls"),
        ("<!subteam^S123>", "@subteam"),
        ("<!date^1392734382^{date}|Feb 18>", "Feb 18"),
        ("<!date^1392734382^{date}>", "@date"),
        // The attack from the review: nested brackets around a broadcast.
        (
            "Thanks <<!x|!channel>> and <<!y|!here>>",
            "Thanks &lt;!channel&gt; and &lt;!here&gt;",
        ),
        ("<<!channel>>", "&lt;@channel&gt;"),
        ("<!channel", "&lt;!channel"),
        ("!channel>", "!channel&gt;"),
        // People and channels stay, without a label Slack would not show anyway.
        (
            "kept <@U123ABC> and <@W0AB1|ann>",
            "kept <@U123ABC> and <@W0AB1>",
        ),
        ("<#C0123|general>", "<#C0123>"),
        ("<@u123>", "&lt;@u123&gt;"),
        ("<@U1 23>", "&lt;@U1 23&gt;"),
        // Links: honest ones stay, labels that lie are shown as text next to the address.
        (
            "<https://example.com/a?b=1&c=2>",
            "<https://example.com/a?b=1&amp;c=2>",
        ),
        ("<http://example.com|example.com>", "<http://example.com>"),
        (
            "<https://evil.example/login|https://intranet.example.com/payroll>",
            "https://intranet.example.com/payroll (<https://evil.example/login>)",
        ),
        ("<mailto:a@b.jp|a@b.jp>", "<mailto:a@b.jp>"),
        (
            "<javascript:alert(1)|click>",
            "&lt;javascript:alert(1)|click&gt;",
        ),
        // Escapes typed as text stay text.
        ("&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"),
        // Look-alikes are only characters.
        ("＜!channel＞", "＜!channel＞"),
        ("<\u{200b}!channel>", "&lt;\u{200b}!channel&gt;"),
        ("<!\u{200b}channel>", "@\u{200b}channel"),
        // Multi-byte characters anywhere in a token (a panic once: a scheme check sliced bytes).
        ("<お知らせ>", "&lt;お知らせ&gt;"),
        ("<ありがとう>ございます", "&lt;ありがとう&gt;ございます"),
        ("<httpsありがとう>", "&lt;httpsありがとう&gt;"),
        ("<mailtoあ|x>", "&lt;mailtoあ|x&gt;"),
        (
            "<https://例え.jp/パス|https://例え.jp/パス>",
            "<https://例え.jp/パス>",
        ),
        ("", ""),
    ];

    #[test]
    fn user_text_shows_what_was_written_and_obeys_nothing() {
        for (input, want) in RENDERED {
            assert_eq!(user_text(input), *want, "{input:?}");
        }
    }

    #[test]
    fn rendered_user_text_never_holds_a_broadcast_a_group_or_a_disguised_link() {
        let hostile = [
            "<!channel>",
            "<<!channel>>",
            "<!subteam^S1|@all>",
            "<https://a.example|https://b.example>",
            "<<https://a.example|b>|c>",
            "<!here|<!channel>>",
            "a <!everyone> b <@U1> c <#C1> <!date^1^x|y>",
        ];
        let long_label = format!(
            "<https://evil.example|{}>",
            "https://ok.example/".repeat(500)
        );
        for input in hostile.iter().copied().chain([long_label.as_str()]) {
            for text in [input.to_owned(), from_slack(input)] {
                assert_no_unsafe_markup(&user_text(&text));
            }
        }
    }

    /// No broadcast, no user-group mention, no link whose label differs from its URL.
    pub(crate) fn assert_no_unsafe_markup(out: &str) {
        let mut rest = out;
        while let Some(open) = rest.find('<') {
            let close = rest[open..]
                .find('>')
                .map(|c| open + c)
                .expect("closed token");
            let inner = &rest[open + 1..close];
            assert!(!inner.starts_with('!'), "special token in {out:?}");
            assert!(!inner.contains('|'), "labelled token in {out:?}");
            rest = &rest[close + 1..];
        }
    }

    #[test]
    fn slack_formatted_text_becomes_what_was_typed() {
        assert_eq!(from_slack("a &lt;b&gt; &amp;amp; c"), "a <b> &amp; c");
        assert_eq!(from_slack("<@U1|ann> & co"), "<@U1|ann> & co");
        assert_eq!(from_slack("&lt;!channel&gt;"), "<!channel>");
        // Typed brackets round-trip to themselves; nothing typed turns into a broadcast.
        assert_eq!(user_text(&from_slack("&lt;!channel&gt;")), "@channel");
    }

    #[test]
    fn plain_text_names_people_and_shows_what_was_written() {
        let names = |id: &str| (id == "U0A1").then(|| "Ann Abe".to_owned());
        for (input, want) in [
            (
                "ask <@U0A1> & <@U0B2|bob> in <#C0G1|general>",
                "ask @Ann Abe & @bob in #general",
            ),
            ("<@W0Z9>", "@W0Z9"),
            ("<!here> <!subteam^S1|@devs>", "@here @devs"),
            (
                "<https://a.example|docs> <https://b.example>",
                "docs (https://a.example) https://b.example",
            ),
            ("a < b > c <not a token>", "a < b > c <not a token>"),
            ("<お知らせ> <https例>", "<お知らせ> <https例>"),
        ] {
            assert_eq!(plain(input, names), want, "{input:?}");
        }
        assert_eq!(
            mentioned("<@U0A1> and <@U0B2|b> and <@U0A1> <@x>"),
            ["U0A1", "U0B2"]
        );
    }

    #[test]
    fn capping_never_cuts_a_token_or_an_escape() {
        assert_eq!(cap_mrkdwn("abc", 3), "abc");
        assert_eq!(cap_mrkdwn("ab <@U1234>", 8), "ab …");
        assert_eq!(cap_mrkdwn("ab &amp; c", 6), "ab …");
        assert_eq!(cap_mrkdwn("ab &amp; c", 9), "ab &amp;…");
        assert_eq!(cap_mrkdwn("ありがとう", 3), "あり…");
    }
}
