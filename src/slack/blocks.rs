//! Block Kit rendering of outbox messages, always with a plain-text fallback.

use crate::outbox::OutboundMessage;
use slack_morphism::prelude::*;

/// Slack refuses a section whose text is longer than this many characters.
const MAX_SECTION_CHARS: usize = 3000;

pub fn render(message: &OutboundMessage) -> SlackMessageContent {
    let content = SlackMessageContent::new().with_text(message.text());
    let Some(post) = message.post_parts() else {
        return content;
    };
    let section = capped(
        &format!(":sparkles: {}\n{}", post.header, post.quote),
        MAX_SECTION_CHARS,
    );
    let mut blocks = vec![SlackBlock::Section(SlackSectionBlock::new().with_text(
        SlackBlockText::MarkDown(SlackBlockMarkDownText::new(section)),
    ))];
    if !post.notes.is_empty() {
        blocks.push(SlackBlock::Context(SlackContextBlock::new(
            post.notes
                .into_iter()
                .map(|n| SlackContextBlockElement::MarkDown(SlackBlockMarkDownText::new(n)))
                .collect(),
        )));
    }
    content.with_blocks(blocks)
}

/// At most `max` characters, ending in "…" when cut, never in the middle of a character.
fn capped(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Locale, UserId};
    use crate::outbox::{Body, Destination};

    #[test]
    fn a_long_multiline_thanks_stays_within_slacks_section_limit() {
        let u = |s: &str| UserId::parse(s).unwrap();
        let m = OutboundMessage {
            to: Destination::Direct { user: u("U1") },
            locale: Locale::Ja,
            body: Body::ThanksPost {
                giver: u("U1"),
                recipients: (0..20).map(|i| u(&format!("U0123456789{i:02}"))).collect(),
                message: "ありがとう\n".repeat(700),
                points_each: 5,
                values: vec!["teamwork".into()],
            },
        };
        let content = render(&m);
        let blocks = content.blocks.unwrap();
        assert_eq!(blocks.len(), 2);
        let json = serde_json::to_value(&blocks[0]).unwrap();
        let text = json["text"]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), MAX_SECTION_CHARS);
        assert!(text.ends_with('…'));
    }
}
