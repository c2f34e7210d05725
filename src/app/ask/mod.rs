//! `/ask`: post a question where helping is welcome, follow it until the asker says it is
//! resolved ([`tracking`]), and close the loop with a thanks ([`thanks`]). Nudges of unanswered
//! requests are decided in `scheduler/ask.rs`.
//!
//! Anonymity: an anonymous request's post, updates and nudges are built without the asker
//! (`AskPost::asker` is `None`); only the asker's own DMs and ephemeral answers mention them,
//! and `/ask stats` reads no asker at all.

mod stats;
mod thanks;
mod tracking;

pub use thanks::{ThanksForm, ThanksFormError, ThanksModal};
pub use tracking::{RequestAction, RequestRef, TrackOutcome};

use super::{App, CommandRequest, Reply};
use crate::commands::AskCommand;
use crate::domain::{QuestionRefusal, UserId, check_question, text};
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Announce, AskPost, Body, Destination, OutboundMessage, excerpt, permalink};
use crate::storage::{self, ask, requests};

impl App {
    pub(super) async fn ask(
        &self,
        req: &CommandRequest,
        locale: Lang<'_>,
        cmd: AskCommand,
    ) -> anyhow::Result<Reply> {
        match cmd {
            AskCommand::Help => Ok(Reply::new(
                super::help::ask_help(self, locale, &req.user).await,
            )),
            AskCommand::Topics => Ok(Reply::new(self.ask_topics(locale))),
            AskCommand::Mine => self.my_requests(&req.user, locale).await.map(Reply::new),
            AskCommand::Stats => self.ask_stats(&req.user, locale).await.map(Reply::new),
            AskCommand::Ask {
                topic,
                anonymous,
                question,
            } => {
                self.post_question(req, locale, topic, anonymous, &question)
                    .await
            }
        }
    }

    /// Validates and posts a question; the asker's reply names the channel, and the link
    /// follows once Slack has the post.
    async fn post_question(
        &self,
        req: &CommandRequest,
        locale: Lang<'_>,
        topic: Option<String>,
        anonymous: bool,
        question: &str,
    ) -> anyhow::Result<Reply> {
        let s = &self.settings.ask;
        if anonymous && !s.allow_anonymous {
            return Ok(Reply::new(tr0(locale, "ask-anon-off")));
        }
        if let Some(t) = &topic
            && !s.topics.contains_key(t)
        {
            return Ok(Reply::new(self.unknown_topic(locale, t)));
        }
        let question = match check_question(question) {
            Ok(q) => q,
            Err(QuestionRefusal::Empty) => {
                return Ok(Reply::new(tr0(locale, "err-ask-no-question")));
            }
            Err(QuestionRefusal::TooLong { max, got }) => {
                return Ok(Reply::new(tr(
                    locale,
                    "ask-too-long",
                    &[("max", (max as i64).into()), ("got", (got as i64).into())],
                )));
            }
        };
        let Some(channel) = s.channel_for(topic.as_deref()) else {
            return Ok(Reply::new(tr0(locale, "ask-no-channel")));
        };
        let now = self.clock.now();
        let now_ms = storage::millis(now);
        let working = &self.settings.org.working;
        let nudge_due = working.add(now, s.nudge_after);
        let escalate_due = working.add(now, s.escalate_after);
        let key = format!("command:{}", req.request_key);

        let mut tx = self.store.begin().await?;
        if let requests::Claim::Seen(reply) = requests::claim(&mut tx, &key, now_ms).await? {
            tx.rollback().await?;
            return Ok(Reply::new(
                reply.unwrap_or_else(|| tr0(locale, "thanks-working")),
            ));
        }
        let id = ask::insert(
            &mut tx,
            &ask::NewRequest {
                asker: &req.user,
                asker_locale: locale.locale,
                anonymous,
                topic: topic.as_deref(),
                question: &question,
                channel: channel.as_str(),
                team_domain: req.team_domain.as_deref(),
                asked_at: now_ms,
                nudge_due_at: storage::millis(nudge_due),
                escalate_due_at: storage::millis(escalate_due),
            },
        )
        .await?;
        let announce = req.response_url.clone().map(|url| Announce {
            response_url: url,
            team_domain: req.team_domain.clone(),
            locale: locale.locale,
        });
        self.enqueue(
            &mut tx,
            OutboundMessage {
                to: Destination::Channel {
                    channel: channel.clone(),
                    fallback_response_url: None,
                },
                locale: self.settings.org.locale,
                body: Body::AskPost(AskPost {
                    request_id: id,
                    asker: (!anonymous).then(|| req.user.clone()),
                    topic: topic.clone(),
                    question: question.clone(),
                    state: "open".into(),
                    claimers: vec![],
                    repliers: vec![],
                    announce,
                    version: 0,
                }),
            },
        )
        .await?;
        let text = tr(
            locale,
            if anonymous {
                "ask-posting-anon"
            } else {
                "ask-posting"
            },
            &[("channel", format!("<#{channel}>").into())],
        );
        requests::save_reply(&mut tx, &key, &text).await?;
        let experts = self.person_experts(topic.as_deref());
        self.refresh_homes(&mut tx, std::iter::once(&req.user).chain(&experts))
            .await?;
        tx.commit().await?;
        self.committed();
        // Neither the asker nor the question in the log: the request id is enough to trace it.
        tracing::info!(request = id, anonymous, "question posted");
        Ok(Reply::new(text))
    }

    fn unknown_topic(&self, l: Lang<'_>, topic: &str) -> String {
        let names: Vec<String> = self
            .settings
            .ask
            .topics
            .keys()
            .map(|t| format!("`#{t}`"))
            .collect();
        if names.is_empty() {
            tr(
                l,
                "ask-unknown-topic-none",
                &[("topic", text::user_text(topic).into())],
            )
        } else {
            tr(
                l,
                "ask-unknown-topic",
                &[
                    ("topic", text::user_text(topic).into()),
                    ("topics", i18n::list(l, &names).into()),
                ],
            )
        }
    }

    /// `/ask topics`: each topic, where it goes and whether it has experts.
    fn ask_topics(&self, l: Lang<'_>) -> String {
        let s = &self.settings.ask;
        if s.topics.is_empty() {
            return match &s.channel {
                Some(c) => tr(
                    l,
                    "ask-topics-none",
                    &[("channel", format!("<#{c}>").into())],
                ),
                None => tr0(l, "ask-no-channel"),
            };
        }
        let mut lines = vec![tr0(l, "ask-topics-header")];
        for name in s.topics.keys() {
            let channel = s
                .channel_for(Some(name))
                .map(|c| format!("<#{c}>"))
                .unwrap_or_default();
            lines.push(tr(
                l,
                "ask-topics-line",
                &[
                    ("topic", name.clone().into()),
                    ("channel", channel.into()),
                    ("experts", (s.experts_for(Some(name)).len() as i64).into()),
                ],
            ));
        }
        lines.join("\n")
    }

    /// `/ask mine`: my requests that are not resolved, with links.
    async fn my_requests(&self, user: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let open = ask::open_of(&mut conn, user).await?;
        if open.is_empty() {
            return Ok(tr0(l, "ask-mine-none"));
        }
        let mut lines = vec![tr(
            l,
            "ask-mine-header",
            &[("n", (open.len() as i64).into())],
        )];
        for r in open {
            let what = excerpt(&r.question, 80);
            let link = match &r.post_ts {
                Some(ts) => format!("<{}|{}>", post_link(&r, ts), text::escaped(&what)),
                None => text::user_text(&what),
            };
            let asked = r.asked_at;
            let day = storage::from_millis(asked)
                .with_timezone(&self.settings.org.timezone)
                .date_naive();
            lines.push(tr(
                l,
                "ask-mine-line",
                &[
                    ("link", link.into()),
                    (
                        "state",
                        tr0(l, &format!("ask-state-{}", r.state.as_str())).into(),
                    ),
                    ("asked", i18n::date(l, day).into()),
                    ("anon", if r.anonymous { "yes" } else { "no" }.into()),
                ],
            ));
        }
        Ok(lines.join("\n"))
    }
}

/// The link to a request's post: the one Slack gave when it was posted (chat.getPermalink),
/// else one built from the workspace's domain (posts made before, or Slack did not say).
pub(crate) fn post_link(r: &ask::HelpRequest, ts: &str) -> String {
    r.post_link
        .clone()
        .unwrap_or_else(|| permalink(r.team_domain.as_deref(), &r.channel, ts))
}
