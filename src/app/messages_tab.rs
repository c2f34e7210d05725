//! A DM to the bot in its Messages tab. Commands are not run from a DM: a message is not a
//! command (no trigger_id, no response_url, and anyone reading over a shoulder sees it in the
//! conversation), so `thanks @bob for the review` gets "type it as `/thanks …`" with what the
//! grammar makes of it, `help` gets an overview of the commands, anything else a pointer to
//! `help`. One answer per Slack event, sent through the outbox.

use super::App;
use crate::commands::{self, CommandKind};
use crate::domain::UserId;
use crate::i18n::{Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage;

impl App {
    /// Answers `text`, which `user` sent the bot in a DM (Slack's event `event_id`). False if
    /// that event was answered already.
    #[tracing::instrument(skip_all)]
    pub async fn answer_direct_message(
        &self,
        user: &UserId,
        text: &str,
        event_id: &str,
    ) -> anyhow::Result<bool> {
        let locale = self.lang_of(user).await;
        let text = crate::domain::text::from_slack(text);
        let answer = self.dm_answer(locale, &text);
        let mut tx = self.store.begin().await?;
        let now = storage::millis(self.clock.now());
        let key = format!("event:{event_id}");
        if storage::requests::claim(&mut tx, &key, now).await? != storage::requests::Claim::New {
            return Ok(false);
        }
        self.enqueue(
            &mut tx,
            OutboundMessage {
                to: Destination::Direct { user: user.clone() },
                locale: locale.locale,
                body: Body::Text { text: answer },
            },
        )
        .await?;
        tx.commit().await?;
        self.committed();
        Ok(true)
    }

    /// What to answer, naming the commands as they are called here.
    fn dm_answer(&self, l: Lang<'_>, text: &str) -> String {
        let names = &self.settings.commands;
        let trimmed = text.trim();
        let (first, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let word = first.to_lowercase();
        if matches!(word.as_str(), "" | "help" | "?" | "ヘルプ" | "使い方") {
            return self.dm_overview(l);
        }
        let kind = CommandKind::ALL.into_iter().find(|k| {
            let name = names.name(*k);
            word == name || Some(word.as_str()) == name.strip_prefix('/')
        });
        let Some(kind) = kind else {
            return tr0(l, "dm-unknown");
        };
        let typed = format!("{} {}", names.name(kind), rest.trim())
            .trim()
            .to_owned();
        let how = tr(
            l,
            "dm-type-the-command",
            &[("command", crate::domain::text::user_text(&typed).into())],
        );
        match commands::parse_kind(kind, rest, &self.settings.bonus.values) {
            Ok(_) => how,
            Err(e) => format!("{how}\n{}", self.explain_command_error(l, Some(kind), &e)),
        }
    }

    /// `help` in a DM: each command in a line, with an example.
    fn dm_overview(&self, l: Lang<'_>) -> String {
        [
            "dm-help-title",
            "dm-help-thanks",
            "dm-help-bonus",
            "dm-help-oneonone",
            "dm-help-ask",
            "dm-help-tip",
        ]
        .iter()
        .map(|k| tr0(l, k))
        .collect::<Vec<_>>()
        .join("\n")
    }
}
