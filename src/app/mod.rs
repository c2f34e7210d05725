//! Use-cases: the rules from `domain`, one transaction through `storage`, outgoing messages
//! written to the outbox in that same transaction. This is what the Slack routes, the `try`
//! console and the tests call.

mod actions;
mod ask;
mod bonus;
mod export;
mod forget;
mod help;
mod home;
mod messages_tab;
mod one_on_one;
mod org;
mod thanks;
mod thanks_form;
mod topic_form;
mod users;

pub use crate::clock::{Clock, SystemClock};
pub use actions::ButtonAction;
pub(crate) use ask::post_link;
pub use ask::{RequestAction, RequestRef, ThanksForm, ThanksFormError, ThanksModal, TrackOutcome};
pub use export::export_ledger_csv;
pub use forget::{ForgetReport, confirms, forget_user};
pub use home::{HomePair, HomeTab};
pub use org::{BadRow, ImportError, ImportSummary, export_org_chart, import_org_chart};
pub use thanks_form::{FormContext, FormErrors, ThanksFormInput, ThanksFormView};
pub use topic_form::{TOPIC_FIELD, TopicFormView};
pub use users::{DirectoryError, DirectoryUser, GroupCache, SingleFlight, UserDirectory};

use crate::commands::{self, Command, CommandError, CommandKind};
use crate::config::Settings;
use crate::domain::text::user_text;
use crate::domain::{ChannelId, UserId};
use crate::i18n::{Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::{self, Conn, Store};
use std::sync::Arc;
use tokio::sync::Notify;

/// Everything a use-case needs.
#[derive(Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// Validated settings.
    pub settings: Arc<Settings>,
    /// Who is who in Slack (users.info), behind a cache in the store.
    pub directory: Arc<dyn UserDirectory>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Woken after a use-case commits outbox messages, so the worker sends them at once.
    pub outbox_wake: Arc<Notify>,
    /// The key of the pulse's per-report buckets; kept out of the database.
    pub pulse_key: crate::domain::PulseKey,
    /// User groups' members as Slack last named them (experts named as a group).
    pub groups: Arc<GroupCache>,
    /// Woken after a use-case asked for Home tabs to be refreshed, so the refresher publishes
    /// them at once.
    pub home_wake: Arc<Notify>,
}

/// A slash command as the edge received it.
#[derive(Debug, Clone)]
pub struct CommandRequest {
    pub user: UserId,
    pub channel: Option<ChannelId>,
    /// `/thanks`, `/bonus`.
    pub command: String,
    /// As Slack sends it: typed `&`, `<` and `>` escaped, mentions as `<@U…>` tokens.
    pub text: String,
    /// Identifies this request across Slack's retries and double submits (the trigger_id).
    pub request_key: String,
    /// Where Slack accepts answers to this command for 30 minutes, if it gave one.
    pub response_url: Option<String>,
    /// The workspace's domain (`acme` of acme.slack.com), for links to messages.
    pub team_domain: Option<String>,
}

/// The ephemeral answer to a command, in the caller's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    /// Shows what only the caller may read (a pair's notes): it may be shown in the
    /// acknowledgement, but never written to the outbox as a late reply.
    pub private: bool,
}

impl Reply {
    fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            private: false,
        }
    }
}

impl App {
    /// Answers a slash command. Never fails: a problem becomes a friendly reply in the
    /// caller's language, and its cause is logged.
    // The caller is logged for every command but `/ask`: next to "question posted" it would say
    // who asked an anonymous question.
    #[tracing::instrument(name = "command", skip_all, fields(command = %req.command, user = tracing::field::Empty))]
    pub async fn handle_command(&self, req: CommandRequest) -> Reply {
        let names = &self.settings.commands;
        let kind = names.kind_of(&req.command);
        if kind != Some(CommandKind::Ask) {
            tracing::Span::current().record("user", tracing::field::display(&req.user));
        }
        let locale = self.lang_of(&req.user).await;
        // Slack escapes what was typed; from here on, text is as the person typed it, and
        // `domain::text::user_text` is what makes it Slack markup again.
        let text = crate::domain::text::from_slack(&req.text);
        let parsed = commands::parse(names, &req.command, &text, &self.settings.bonus.values);
        let result = match parsed {
            Err(e) => Ok(Reply::new(self.explain_command_error(locale, kind, &e))),
            Ok(Command::ThanksHelp) => Ok(Reply::new(help::thanks_help(self, locale))),
            Ok(Command::Thanks(cmd)) => self.give_thanks(&req, locale, cmd).await,
            Ok(Command::Bonus(cmd)) => self.bonus(&req, locale, cmd).await,
            Ok(Command::OneOnOne(cmd)) => self.one_on_one(&req, locale, cmd).await,
            Ok(Command::Ask(cmd)) => self.ask(&req, locale, cmd).await,
        };
        result.unwrap_or_else(|e| {
            tracing::error!(error = ?e, "command failed");
            Reply::new(tr0(locale, "err-unexpected"))
        })
    }

    /// Sends a reply that missed the acknowledgement window to the command's response_url.
    pub async fn deliver_late_reply(
        &self,
        user: &UserId,
        response_url: &str,
        reply: Reply,
    ) -> anyhow::Result<()> {
        let locale = self.lang_of(user).await;
        let text = if reply.private {
            tr0(locale, "oneonone-private-too-slow")
        } else {
            reply.text
        };
        let mut tx = self.store.begin().await?;
        self.enqueue(
            &mut tx,
            OutboundMessage {
                to: Destination::ResponseUrl {
                    url: response_url.to_owned(),
                    replace_original: false,
                },
                locale: locale.locale,
                body: Body::Text { text },
            },
        )
        .await?;
        tx.commit().await?;
        self.committed();
        Ok(())
    }

    /// Wakes the outbox worker and the Home refresher after a transaction that may have written
    /// messages or asked for refreshes committed.
    pub(crate) fn committed(&self) {
        self.outbox_wake.notify_one();
        self.home_wake.notify_one();
    }

    /// Records that a Slack event was processed; false if it had been already.
    pub async fn first_time_event(&self, event_id: &str) -> anyhow::Result<bool> {
        let mut tx = self.store.begin().await?;
        let now = storage::millis(self.clock.now());
        let fresh = storage::requests::claim(&mut tx, &format!("event:{event_id}"), now).await?;
        tx.commit().await?;
        Ok(fresh == storage::requests::Claim::New)
    }

    pub(crate) async fn enqueue(
        &self,
        conn: &mut Conn,
        message: OutboundMessage,
    ) -> anyhow::Result<()> {
        crate::outbox::enqueue(conn, &message, storage::millis(self.clock.now())).await?;
        Ok(())
    }

    fn explain_command_error(
        &self,
        l: Lang<'_>,
        command: Option<CommandKind>,
        e: &CommandError,
    ) -> String {
        let max = self.settings.bonus.max_points_per_thanks;
        match e {
            CommandError::UnknownCommand(c) => tr(
                l,
                "err-unknown-command",
                &[("command", user_text(c).into())],
            ),
            CommandError::NoRecipient => tr0(l, "err-no-recipient"),
            CommandError::PlainMention(name) => {
                let example = match command {
                    Some(CommandKind::OneOnOne) => tr0(l, "err-example-oneonone"),
                    Some(CommandKind::Bonus) => tr0(l, "err-example-bonus"),
                    _ => tr0(l, "err-example-thanks"),
                };
                tr(
                    l,
                    "err-plain-mention",
                    &[
                        ("name", user_text(name).into()),
                        ("example", example.into()),
                    ],
                )
            }
            // Only /thanks addresses many people at once; elsewhere one person is meant.
            CommandError::GroupMention if command == Some(CommandKind::Thanks) => {
                tr0(l, "err-group-mention")
            }
            CommandError::ChannelMention if command == Some(CommandKind::Thanks) => {
                tr0(l, "err-channel-mention")
            }
            CommandError::GroupMention | CommandError::ChannelMention => {
                tr0(l, "err-person-expected")
            }
            CommandError::PointsNotWhole(t) => tr(
                l,
                "err-points-not-whole",
                &[("token", user_text(t).into()), ("max", max.into())],
            ),
            CommandError::NoMessage => tr0(l, "err-no-message"),
            CommandError::AmountNotWhole(t) => {
                tr(l, "err-amount-not-whole", &[("token", user_text(t).into())])
            }
            CommandError::UnknownBonus(w) => {
                tr(l, "err-unknown-bonus", &[("word", user_text(w).into())])
            }
            CommandError::Usage(u) => tr(l, "err-usage", &[("usage", help::syntax(l, u).into())]),
            CommandError::UnknownOneOnOne(w) => {
                tr(l, "err-oneonone-unknown", &[("word", user_text(w).into())])
            }
            CommandError::OneOnOneNoSubcommand => tr0(l, "err-oneonone-no-subcommand"),
            CommandError::BadCadence(c) => tr(
                l,
                "err-oneonone-bad-cadence",
                &[
                    ("cadence", user_text(c).into()),
                    ("max", crate::domain::Cadence::MAX_DAYS.into()),
                ],
            ),
            CommandError::BadDate(t) => tr(
                l,
                "err-oneonone-bad-date",
                &[("token", user_text(t).into())],
            ),
            CommandError::BadSnooze(t) => tr(
                l,
                "err-oneonone-bad-snooze",
                &[
                    ("token", user_text(t).into()),
                    ("max", crate::domain::Cadence::MAX_DAYS.into()),
                ],
            ),
            CommandError::BadTodoNumber(t) => tr(
                l,
                "err-oneonone-bad-todo-number",
                &[("token", user_text(t).into())],
            ),
            CommandError::NoTodoText => tr0(l, "err-oneonone-no-todo-text"),
            CommandError::NoTopicText => tr0(l, "err-oneonone-no-topic-text"),
            CommandError::NoQuestion => tr0(l, "err-ask-no-question"),
            CommandError::BadTopic(t) => {
                tr(l, "err-ask-bad-topic", &[("token", user_text(t).into())])
            }
        }
    }
}
