//! The thanks form in Block Kit: the modal (`thanks_form_modal`) and reading its submission back
//! (`read_thanks_form`). Block ids are the field names the app's errors use, so
//! `response_action: errors` lands next to the right field.

use crate::app::{ThanksFormInput, ThanksFormView};
use crate::commands::CommandNames;
use crate::i18n::{self, Lang, tr, tr0};
use slack_morphism::prelude::*;

/// The callback_id of the thanks form.
pub const THANKS_FORM: &str = "thanks_form";

/// Slack's limits for what a modal shows.
pub const MAX_TITLE_CHARS: usize = 24;
pub const MAX_LABEL_CHARS: usize = 2000;
pub const MAX_METADATA_CHARS: usize = 3000;
/// A multi_static_select holds at most this many options.
const MAX_OPTIONS: usize = 100;

fn plain(text: String) -> SlackBlockPlainTextOnly {
    SlackBlockPlainTextOnly::from(text)
}

/// Cut to `max` characters (Slack refuses longer labels and titles).
fn cut(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        text
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn input(block_id: &str, label: String, element: SlackInputBlockElement) -> SlackInputBlock {
    SlackInputBlock::new(plain(cut(label, MAX_LABEL_CHARS)), element)
        .with_block_id(SlackBlockId::new(block_id.into()))
}

/// The form: people, message (with the specificity hint), optional points (with the budget
/// left), the company values when configured, and where to post when nothing else says.
pub fn thanks_form_modal(f: &ThanksFormView, commands: &CommandNames) -> SlackView {
    let l = Lang::new(f.locale, commands);
    let mut users = SlackBlockMultiUsersSelectElement::new()
        .with_action_id(SlackActionId::new("recipients".into()));
    if !f.preselected.is_empty() {
        users = users.with_initial_users(f.preselected.iter().map(|u| u.to_string()).collect());
    }
    let mut blocks: Vec<SlackBlock> = Vec::new();
    if let Some(link) = &f.context.link {
        let note = tr(
            l,
            "form-link-note",
            &[(
                "link",
                format!("<{link}|{}>", tr0(l, "thanks-post-link-label")).into(),
            )],
        );
        blocks.push(SlackBlock::Context(SlackContextBlock::new(vec![
            SlackContextBlockElement::MarkDown(
                SlackBlockMarkDownText::new(note).with_verbatim(true),
            ),
        ])));
    }
    blocks.push(
        input(
            "recipients",
            tr0(l, "form-recipients"),
            SlackInputBlockElement::MultiUsersSelect(users),
        )
        .into(),
    );
    blocks.push(
        input(
            "message",
            tr0(l, "form-message"),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new()
                    .with_action_id(SlackActionId::new("message".into()))
                    .with_multiline(true)
                    .with_max_length(2000),
            ),
        )
        .with_hint(plain(cut(tr0(l, "form-message-hint"), MAX_LABEL_CHARS)))
        .into(),
    );
    blocks.push(
        input(
            "points",
            tr0(l, "form-points"),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new()
                    .with_action_id(SlackActionId::new("points".into())),
            ),
        )
        .with_optional(true)
        .with_hint(plain(tr(
            l,
            "form-points-hint",
            &[
                ("max", f.max_points.into()),
                ("remaining", f.remaining.into()),
                ("resets", i18n::date(l, f.resets_on).into()),
            ],
        )))
        .into(),
    );
    if !f.values.is_empty() {
        let options = f
            .values
            .iter()
            .take(MAX_OPTIONS)
            .map(|v| SlackBlockChoiceItem::new(plain(cut(format!("#{v}"), 75)), v.clone()))
            .collect();
        blocks.push(
            input(
                "values",
                tr0(l, "form-values"),
                SlackInputBlockElement::MultiStaticSelect(
                    SlackBlockMultiStaticSelectElement::new()
                        .with_action_id(SlackActionId::new("values".into()))
                        .with_options(options),
                ),
            )
            .with_optional(true)
            .into(),
        );
    }
    if f.pick_channel {
        blocks.push(
            input(
                "channel",
                tr0(l, "form-channel"),
                SlackInputBlockElement::ConversationsSelect(
                    SlackBlockConversationsSelectElement::new()
                        .with_action_id(SlackActionId::new("channel".into()))
                        .with_filter(SlackBlockConversationFilter::new().with_include(vec![
                            SlackConversationFilterInclude::Public,
                            SlackConversationFilterInclude::Private,
                        ])),
                ),
            )
            .into(),
        );
    }
    SlackView::Modal(
        SlackModalView::new(plain(cut(tr0(l, "form-title"), MAX_TITLE_CHARS)), blocks)
            .with_callback_id(SlackCallbackId::new(THANKS_FORM.into()))
            .with_private_metadata(metadata(f))
            .with_submit(plain(cut(tr0(l, "form-submit"), MAX_TITLE_CHARS)))
            .with_close(plain(cut(tr0(l, "form-close"), MAX_TITLE_CHARS))),
    )
}

/// The form's context as `private_metadata`, within Slack's limit: an over-long response_url
/// or link is left out rather than the form refused.
fn metadata(f: &ThanksFormView) -> String {
    let mut context = f.context.clone();
    let fits = |c: &crate::app::FormContext| c.encode().chars().count() <= MAX_METADATA_CHARS;
    if !fits(&context) {
        context.response_url = None;
    }
    if !fits(&context) {
        context.link = None;
    }
    context.encode()
}

/// Reads a submitted form's `view.state.values` back. Text arrives as typed (modal input is not
/// escaped); it is rendered through `user_text` wherever it is shown.
pub fn read_thanks_form(values: &serde_json::Value) -> ThanksFormInput {
    let field = |block: &str| &values[block][block];
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    ThanksFormInput {
        recipients: strings(&field("recipients")["selected_users"]),
        message: field("message")["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        points: field("points")["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        values: field("values")["selected_options"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o["value"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        channel: field("channel")["selected_conversation"]
            .as_str()
            .map(str::to_owned),
    }
}

/// The callback_id of the Home tab's "Add a topic" form.
pub const TOPIC_FORM: &str = "topic_form";

/// The longest topic, as `/1on1 topic` accepts it.
const MAX_TOPIC_CHARS: u64 = 500;

/// The "Add a topic" form: who the 1on1 is with, and one field. The pair travels in
/// `private_metadata` and is checked against the submitter when submitted.
pub fn topic_form_modal(f: &crate::app::TopicFormView, commands: &CommandNames) -> SlackView {
    let l = Lang::new(f.locale, commands);
    let with = tr(l, "topic-form-with", &[("other", f.other.mention().into())]);
    let blocks: Vec<SlackBlock> = vec![
        SlackBlock::Context(SlackContextBlock::new(vec![
            SlackContextBlockElement::MarkDown(
                SlackBlockMarkDownText::new(with).with_verbatim(true),
            ),
        ])),
        input(
            crate::app::TOPIC_FIELD,
            tr0(l, "topic-form-label"),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new()
                    .with_action_id(SlackActionId::new(crate::app::TOPIC_FIELD.into()))
                    .with_multiline(true)
                    .with_max_length(MAX_TOPIC_CHARS),
            ),
        )
        .into(),
    ];
    SlackView::Modal(
        SlackModalView::new(
            plain(cut(tr0(l, "topic-form-title"), MAX_TITLE_CHARS)),
            blocks,
        )
        .with_callback_id(SlackCallbackId::new(TOPIC_FORM.into()))
        .with_private_metadata(f.pair_id.to_string())
        .with_submit(plain(cut(tr0(l, "topic-form-submit"), MAX_TITLE_CHARS)))
        .with_close(plain(cut(tr0(l, "form-close"), MAX_TITLE_CHARS))),
    )
}

/// The topic as typed (modal input is not escaped).
pub fn read_topic_form(values: &serde_json::Value) -> String {
    values[crate::app::TOPIC_FIELD][crate::app::TOPIC_FIELD]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
