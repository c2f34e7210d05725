//! The Home tab in Block Kit (`views.publish`), within Slack's 100-block limit: long lists end
//! with "…and N more".

use crate::app::{ButtonAction, HomeTab};
use crate::commands::CommandNames;
use crate::domain::text::cap_mrkdwn;
use crate::i18n::{Lang, tr, tr0};
use slack_morphism::prelude::*;

/// Slack accepts at most this many blocks in a Home view.
pub const MAX_HOME_BLOCKS: usize = 100;
/// Lines of one list shown before "…and N more".
const MAX_LIST: usize = 10;

fn section(text: &str) -> SlackBlock {
    SlackBlock::Section(SlackSectionBlock::new().with_text(SlackBlockText::MarkDown(
        SlackBlockMarkDownText::new(cap_mrkdwn(text, 3000)).with_verbatim(true),
    )))
}

fn header(text: String) -> SlackBlock {
    SlackBlock::Header(SlackHeaderBlock::new(SlackBlockPlainTextOnly::from(
        cap_mrkdwn(&text, 150),
    )))
}

fn button(label: String, action: ButtonAction) -> SlackBlockButtonElement {
    SlackBlockButtonElement::new(SlackBlockPlainText::new(label).into())
        .with_action_id(SlackActionId::new(action.action_id()))
        .with_value(action.value())
}

fn say_thanks(l: Lang<'_>) -> SlackBlock {
    SlackBlock::Actions(SlackActionsBlock::new(vec![
        button(tr0(l, "home-say-thanks"), ButtonAction::ThanksOpen)
            .with_style(SlackBlockButtonStyle::Primary)
            .into(),
    ]))
}

/// Lines joined in one section, at most [`MAX_LIST`] of them, then "…and N more".
fn list(l: Lang<'_>, lines: &[String]) -> SlackBlock {
    let mut shown: Vec<String> = lines.iter().take(MAX_LIST).cloned().collect();
    if lines.len() > MAX_LIST {
        shown.push(more(l, lines.len() - MAX_LIST));
    }
    section(&shown.join("\n"))
}

fn more(l: Lang<'_>, n: usize) -> String {
    tr(l, "home-more", &[("n", (n as i64).into())])
}

/// The blocks of the Home tab.
pub fn home_blocks(h: &HomeTab, commands: &CommandNames) -> Vec<SlackBlock> {
    let l = Lang::new(h.locale, commands);
    if h.first_use {
        return vec![
            section(&tr0(l, "home-welcome")),
            section(&tr0(l, "home-welcome-thanks")),
            section(&tr0(l, "home-welcome-oneonone")),
            section(&tr0(l, "home-welcome-ask")),
            say_thanks(l),
        ];
    }
    let mut blocks = vec![
        header(tr0(l, "home-title-thanks")),
        section(&h.summary.join("\n")),
    ];
    if !h.received.is_empty() {
        blocks.push(section(&format!("*{}*", tr0(l, "home-received"))));
        blocks.push(list(l, &h.received));
    }
    if !h.given.is_empty() {
        blocks.push(section(&format!("*{}*", tr0(l, "home-given"))));
        blocks.push(list(l, &h.given));
    }
    blocks.push(say_thanks(l));
    // The tail that must fit whatever the 1on1s take: questions and admin.
    let mut tail = vec![SlackBlock::Divider(SlackDividerBlock::new())];
    tail.push(header(tr0(l, "home-title-questions")));
    tail.push(if h.questions.is_empty() {
        section(&tr0(l, "home-none"))
    } else {
        list(l, &h.questions)
    });
    if !h.to_answer.is_empty() {
        tail.push(section(&tr0(l, "home-to-answer")));
        tail.push(list(l, &h.to_answer));
    }
    if !h.admin.is_empty() {
        tail.push(SlackBlock::Divider(SlackDividerBlock::new()));
        tail.push(header(tr0(l, "home-title-admin")));
        tail.push(list(l, &h.admin));
    }
    blocks.push(SlackBlock::Divider(SlackDividerBlock::new()));
    blocks.push(header(tr0(l, "home-title-oneonones")));
    if h.pairs.is_empty() {
        blocks.push(section(&tr0(l, "home-none")));
    }
    // Room for the pairs: what is left after the tail and one "…and N more" line.
    let budget = MAX_HOME_BLOCKS - tail.len() - 1;
    let mut hidden_items = 0usize;
    for (i, p) in h.pairs.iter().enumerate() {
        // A pair needs its line, its topics, and its buttons at least.
        if blocks.len() + 3 > budget {
            blocks.push(section(&more(l, h.pairs.len() - i)));
            break;
        }
        blocks.push(section(&p.line));
        for (item_id, line) in &p.items {
            if blocks.len() + 3 > budget {
                hidden_items += 1;
                continue;
            }
            blocks.push(SlackBlock::Section(
                SlackSectionBlock::new()
                    .with_text(SlackBlockText::MarkDown(
                        SlackBlockMarkDownText::new(cap_mrkdwn(line, 3000)).with_verbatim(true),
                    ))
                    .with_accessory(
                        button(
                            tr0(l, "oneonone-button-done"),
                            ButtonAction::TodoDone { item_id: *item_id },
                        )
                        .into(),
                    ),
            ));
        }
        if hidden_items > 0 {
            blocks.push(section(&more(l, hidden_items)));
            hidden_items = 0;
        }
        if !p.topics.is_empty() {
            let mut lines = vec![format!("*{}*", tr0(l, "home-topics"))];
            lines.extend(p.topics.iter().take(MAX_LIST).cloned());
            if p.topics.len() > MAX_LIST {
                lines.push(more(l, p.topics.len() - MAX_LIST));
            }
            blocks.push(section(&lines.join("\n")));
        }
        // Held it today and Snooze for the manager; a topic for the next 1on1 for both.
        let mut buttons: Vec<SlackActionBlockElement> = Vec::new();
        if p.as_manager {
            buttons.push(
                button(
                    tr0(l, "oneonone-button-held"),
                    ButtonAction::Held { pair_id: p.pair_id },
                )
                .into(),
            );
            buttons.push(
                button(
                    tr0(l, "oneonone-button-snooze"),
                    ButtonAction::Snooze { pair_id: p.pair_id },
                )
                .into(),
            );
        }
        buttons.push(
            button(
                tr0(l, "home-add-topic"),
                ButtonAction::TopicOpen { pair_id: p.pair_id },
            )
            .into(),
        );
        blocks.push(SlackBlock::Actions(SlackActionsBlock::new(buttons)));
    }
    blocks.extend(tail);
    blocks.truncate(MAX_HOME_BLOCKS);
    blocks
}

/// The Home tab as a view.
pub fn home_view(h: &HomeTab, commands: &CommandNames) -> SlackView {
    SlackView::Home(SlackHomeView::new(home_blocks(h, commands)))
}
