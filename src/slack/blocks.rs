//! Block Kit rendering of outbox messages, always with a plain-text fallback.

use crate::i18n::tr;
use crate::outbox::{Body, OutboundMessage};
use slack_morphism::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Slack's limit for one section's text is 3000 characters; leave room for the header.
const MAX_QUOTE_CHARS: usize = 2500;

pub fn render(message: &OutboundMessage) -> SlackMessageContent {
    let text = message.text();
    let content = SlackMessageContent::new().with_text(text.clone());
    match &message.body {
        Body::ThanksPost {
            giver,
            recipients,
            message: said,
            points_each,
            values,
        } => {
            let l = message.locale;
            let names: Vec<String> = recipients.iter().map(|r| r.mention()).collect();
            let header = tr(
                l,
                "thanks-post",
                &[
                    ("giver", giver.mention().into()),
                    ("recipients", crate::i18n::list(l, &names).into()),
                ],
            );
            let said = crate::outbox::without_broadcasts(said);
            let quote: String = said.graphemes(true).take(MAX_QUOTE_CHARS).collect();
            let quote = quote
                .lines()
                .map(|line| format!("> {line}"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut blocks = vec![SlackBlock::Section(SlackSectionBlock::new().with_text(
                SlackBlockText::MarkDown(SlackBlockMarkDownText::new(format!(
                    ":sparkles: {header}\n{quote}"
                ))),
            ))];
            let mut context = Vec::new();
            if *points_each > 0 {
                context.push(tr(l, "thanks-post-points", &[("n", (*points_each).into())]));
            }
            if !values.is_empty() {
                let tags: Vec<String> = values.iter().map(|v| format!("#{v}")).collect();
                context.push(tr(
                    l,
                    "thanks-post-values",
                    &[("values", tags.join(" ").into())],
                ));
            }
            if !context.is_empty() {
                blocks.push(SlackBlock::Context(SlackContextBlock::new(
                    context
                        .into_iter()
                        .map(|c| SlackContextBlockElement::MarkDown(SlackBlockMarkDownText::new(c)))
                        .collect(),
                )));
            }
            content.with_blocks(blocks)
        }
        Body::ThanksReceived { .. } | Body::Text { .. } => content,
    }
}
