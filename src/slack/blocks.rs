//! Block Kit rendering of outbox messages, always with a plain-text fallback.

use crate::app::{ButtonAction, ThanksForm, ThanksModal};
use crate::commands::CommandNames;
use crate::domain::text::cap_mrkdwn as capped;
use crate::i18n::{Lang, tr0};
use crate::outbox::{AskPost, Body, OutboundMessage, ReminderDm};
use slack_morphism::prelude::*;

/// Slack refuses a section whose text is longer than this many characters.
const MAX_SECTION_CHARS: usize = 3000;

/// Slack accepts at most this many blocks in one message.
const MAX_BLOCKS: usize = 50;

/// `message` as Slack shows it; `commands` are the settings' command names, which catalog
/// messages name.
pub fn render(message: &OutboundMessage, commands: &CommandNames) -> SlackMessageContent {
    let l = message.lang(commands);
    let content = SlackMessageContent::new().with_text(capped(&message.text(commands), 40_000));
    match &message.body {
        Body::OneOnOneReminder(r) => return content.with_blocks(reminder(l, r)),
        Body::Pulse { meeting_id, .. } => {
            return content.with_blocks(pulse(l, &message.text(commands), *meeting_id));
        }
        Body::AskPost(p) => return content.with_blocks(ask_post(l, p)),
        Body::PairInvitation {
            invitation_id,
            text,
        } => {
            let id = *invitation_id;
            return content.with_blocks(vec![
                markdown(text),
                SlackBlock::Actions(SlackActionsBlock::new(vec![
                    button(
                        tr0(l, "oneonone-invite-button-accept"),
                        ButtonAction::InviteAccept { invitation_id: id },
                    )
                    .with_style(SlackBlockButtonStyle::Primary)
                    .into(),
                    button(
                        tr0(l, "oneonone-invite-button-decline"),
                        ButtonAction::InviteDecline { invitation_id: id },
                    )
                    .into(),
                ])),
            ]);
        }
        Body::AskResolved { request_id, .. } => {
            return content.with_blocks(vec![
                markdown(&message.text(commands)),
                SlackBlock::Actions(SlackActionsBlock::new(vec![
                    button(
                        tr0(l, "ask-button-thank"),
                        ButtonAction::AskThank {
                            request_id: *request_id,
                        },
                    )
                    .with_style(SlackBlockButtonStyle::Primary)
                    .into(),
                ])),
            ]);
        }
        _ => {}
    }
    let Some(post) = message.post_parts(commands) else {
        return content;
    };
    let section = capped(
        &format!(":sparkles: {}\n{}", post.header, post.quote),
        MAX_SECTION_CHARS,
    );
    let mut blocks = vec![SlackBlock::Section(
        SlackSectionBlock::new().with_text(SlackBlockText::MarkDown(verbatim(section))),
    )];
    if !post.notes.is_empty() {
        blocks.push(SlackBlock::Context(SlackContextBlock::new(
            post.notes
                .into_iter()
                .map(|n| SlackContextBlockElement::MarkDown(verbatim(n)))
                .collect(),
        )));
    }
    content.with_blocks(blocks)
}

/// mrkdwn that Slack renders as written: no names turned into links or mentions behind our
/// back. Every token the bot means (`<@U…>`, links) is explicit, and people's text has been
/// through `domain::text::user_text`.
fn verbatim(text: String) -> SlackBlockMarkDownText {
    SlackBlockMarkDownText::new(text).with_verbatim(true)
}

fn markdown(text: &str) -> SlackBlock {
    SlackBlock::Section(
        SlackSectionBlock::new().with_text(SlackBlockText::MarkDown(verbatim(capped(
            text,
            MAX_SECTION_CHARS,
        )))),
    )
}

fn button(label: String, action: ButtonAction) -> SlackBlockButtonElement {
    SlackBlockButtonElement::new(SlackBlockPlainText::new(label).into())
        .with_action_id(SlackActionId::new(action.action_id()))
        .with_value(action.value())
}

/// The reminder: header, open action items each with a "Done" button, topics, questions, and
/// the two buttons that close the loop.
fn reminder(l: Lang<'_>, r: &ReminderDm) -> Vec<SlackBlock> {
    let p = r.parts(l);
    let mut blocks = vec![markdown(&p.header)];
    if p.items.is_some() {
        blocks.push(markdown(&tr0(l, "oneonone-remind-items")));
        for item in &r.items {
            let line = item.action_line(l);
            blocks.push(SlackBlock::Section(
                SlackSectionBlock::new()
                    .with_text(SlackBlockText::MarkDown(verbatim(capped(
                        &line,
                        MAX_SECTION_CHARS,
                    ))))
                    .with_accessory(
                        button(
                            tr0(l, "oneonone-button-done"),
                            ButtonAction::TodoDone { item_id: item.id },
                        )
                        .into(),
                    ),
            ));
        }
        if r.more_items > 0 {
            blocks.push(markdown(&crate::i18n::tr(
                l,
                "oneonone-more",
                &[("n", (r.more_items as i64).into())],
            )));
        }
    }
    blocks.extend(p.topics.as_deref().map(markdown));
    blocks.extend(p.questions.as_deref().map(markdown));
    blocks.push(markdown(&p.footer));
    blocks.truncate(MAX_BLOCKS - 1);
    blocks.push(SlackBlock::Actions(SlackActionsBlock::new(vec![
        button(
            tr0(l, "oneonone-button-held"),
            ButtonAction::Held { pair_id: r.pair_id },
        )
        .with_style(SlackBlockButtonStyle::Primary)
        .into(),
        button(
            tr0(l, "oneonone-button-snooze"),
            ButtonAction::Snooze { pair_id: r.pair_id },
        )
        .into(),
    ])));
    blocks
}

/// The pulse: the question text, 1–5 buttons, and who-talked-more buttons.
fn pulse(l: Lang<'_>, text: &str, meeting_id: i64) -> Vec<SlackBlock> {
    let useful = (1..=5)
        .map(|score| {
            button(
                score.to_string(),
                ButtonAction::PulseUseful { meeting_id, score },
            )
            .into()
        })
        .collect();
    let talk = [
        ("report", "oneonone-pulse-talk-report"),
        ("even", "oneonone-pulse-talk-even"),
        ("manager", "oneonone-pulse-talk-manager"),
    ]
    .into_iter()
    .map(|(who, key)| button(tr0(l, key), ButtonAction::PulseTalk { meeting_id, who }).into())
    .collect();
    let mut lines = text.lines();
    let intro = lines.next().unwrap_or_default();
    let q1 = lines.next().unwrap_or_default();
    let q2 = lines.next().unwrap_or_default();
    vec![
        markdown(intro),
        markdown(q1),
        SlackBlock::Actions(SlackActionsBlock::new(useful)),
        markdown(q2),
        SlackBlock::Actions(SlackActionsBlock::new(talk)),
    ]
}

/// A help request's post: who asks about what, the question, where it stands, and the two
/// buttons while it is not resolved.
fn ask_post(l: Lang<'_>, p: &AskPost) -> Vec<SlackBlock> {
    let parts = p.parts(l);
    let mut blocks = vec![
        markdown(&format!(":raising_hand: {}", parts.header)),
        markdown(&parts.quote),
        SlackBlock::Context(SlackContextBlock::new(vec![
            SlackContextBlockElement::MarkDown(verbatim(parts.status)),
        ])),
    ];
    if !parts.resolved {
        blocks.push(SlackBlock::Actions(SlackActionsBlock::new(vec![
            button(
                tr0(l, "ask-button-claim"),
                ButtonAction::AskClaim {
                    request_id: p.request_id,
                },
            )
            .with_style(SlackBlockButtonStyle::Primary)
            .into(),
            button(
                tr0(l, "ask-button-resolve"),
                ButtonAction::AskResolve {
                    request_id: p.request_id,
                },
            )
            .into(),
        ])));
    }
    blocks
}

/// The thanks modal of a resolved request: recipients preselected, a message to start from,
/// optional points. Block and action IDs are what [`thanks_form`] reads back.
pub fn thanks_modal(m: &ThanksModal, commands: &CommandNames) -> SlackView {
    let l = Lang::new(m.locale, commands);
    let plain = |key: &str| SlackBlockPlainTextOnly::from(tr0(l, key));
    let recipients = SlackInputBlock::new(
        plain("ask-modal-recipients"),
        SlackInputBlockElement::MultiUsersSelect(
            SlackBlockMultiUsersSelectElement::new()
                .with_action_id(SlackActionId::new("recipients".into()))
                .with_initial_users(m.helpers.iter().map(|u| u.to_string()).collect()),
        ),
    )
    .with_block_id(SlackBlockId::new("recipients".into()));
    let message = SlackInputBlock::new(
        plain("ask-modal-message"),
        SlackInputBlockElement::PlainTextInput(
            SlackBlockPlainTextInputElement::new()
                .with_action_id(SlackActionId::new("message".into()))
                .with_multiline(true)
                .with_max_length(2000)
                .with_initial_value(m.message.clone()),
        ),
    )
    .with_block_id(SlackBlockId::new("message".into()));
    let points = SlackInputBlock::new(
        plain("ask-modal-points"),
        SlackInputBlockElement::PlainTextInput(
            SlackBlockPlainTextInputElement::new()
                .with_action_id(SlackActionId::new("points".into())),
        ),
    )
    .with_block_id(SlackBlockId::new("points".into()))
    .with_optional(true)
    .with_hint(SlackBlockPlainTextOnly::from(crate::i18n::tr(
        l,
        "ask-modal-points-hint",
        &[("max", m.max_points.into())],
    )));
    let mut blocks: Vec<SlackBlock> = Vec::new();
    if m.anonymous {
        blocks.push(SlackBlock::Context(SlackContextBlock::new(vec![
            SlackContextBlockElement::MarkDown(verbatim(tr0(l, "ask-modal-anon-note"))),
        ])));
    }
    blocks.extend([recipients.into(), message.into(), points.into()]);
    SlackView::Modal(
        SlackModalView::new(plain("ask-modal-title"), blocks)
            .with_callback_id(SlackCallbackId::new(THANKS_MODAL.into()))
            .with_private_metadata(m.request_id.to_string())
            .with_submit(plain("ask-modal-submit"))
            .with_close(plain("ask-modal-close")),
    )
}

/// The callback_id of the thanks modal.
pub const THANKS_MODAL: &str = "ask_thanks";

/// Reads a submitted thanks modal's `view.state.values` back into a form (its fields are
/// the thanks form's, read the same way).
pub fn thanks_form(values: &serde_json::Value) -> ThanksForm {
    let f = super::forms::read_thanks_form(values);
    ThanksForm {
        recipients: f.recipients,
        message: f.message,
        points: f.points,
    }
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
                link: None,
            },
        };
        let content = render(&m, &CommandNames::default());
        let blocks = content.blocks.unwrap();
        assert_eq!(blocks.len(), 2);
        let json = serde_json::to_value(&blocks[0]).unwrap();
        let text = json["text"]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), MAX_SECTION_CHARS);
        assert!(text.ends_with('…'));
    }
}
