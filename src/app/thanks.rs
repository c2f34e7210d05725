//! `give_thanks`: validate, pay from the giver's budget, record, and announce, all in one
//! transaction; a retried request gets the first answer and changes nothing more.

use super::{App, CommandRequest, Reply};
use crate::commands::ThanksCommand;
use crate::domain::{
    ChannelId, Locale, Period, RecipientStatus, ThanksRefusal, UserId, ValidThanks, check_thanks,
};
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::{self, budget, requests, thanks};
use anyhow::Context;

/// Where a thanks comes from and where it is announced.
pub(super) struct ThanksOrigin<'a> {
    pub giver: &'a UserId,
    /// The idempotency key: a retried request gets the first answer and changes nothing.
    pub key: &'a str,
    /// Where the public post goes (none, one channel, or a thread and a channel).
    pub posts: Vec<Destination>,
    /// The channel recorded with the thanks.
    pub channel: Option<&'a ChannelId>,
    /// Also DM the giver what was sent (when there is no command reply to show it in).
    pub confirm_to_giver: bool,
    /// The message thanked for (a permalink), shown with the post.
    pub link: Option<String>,
}

impl App {
    pub(super) async fn give_thanks(
        &self,
        req: &CommandRequest,
        locale: Lang<'_>,
        cmd: ThanksCommand,
    ) -> anyhow::Result<Reply> {
        let rules = self.settings.bonus.rules();
        let giver = &req.user;
        // The rules that need nobody's help first, so a typo costs no Slack call.
        let assumed = vec![RecipientStatus::Person; cmd.recipients.len()];
        if let Err(refusal) = check_thanks(
            giver,
            &cmd.recipients,
            &assumed,
            cmd.points,
            &cmd.message,
            &rules,
        ) {
            return Ok(Reply::new(self.explain_refusal(locale, &refusal)));
        }
        let Some((statuses, locales)) = self.recipient_facts(&cmd.recipients).await else {
            return Ok(Reply::new(tr0(locale, "refuse-slack-unavailable")));
        };
        let valid = match check_thanks(
            giver,
            &cmd.recipients,
            &statuses,
            cmd.points,
            &cmd.message,
            &rules,
        ) {
            Ok(v) => v,
            Err(refusal) => return Ok(Reply::new(self.explain_refusal(locale, &refusal))),
        };
        // The configured thanks channel, else where it was typed; only there may the command's
        // response_url stand in when the bot cannot post (a private channel, a DM).
        let (post_channel, fallback_response_url) = match &self.settings.thanks.channel {
            Some(c) => (Some(c.clone()), None),
            None => (req.channel.clone(), req.response_url.clone()),
        };
        let posts = post_channel
            .iter()
            .map(|channel| Destination::Channel {
                channel: channel.clone(),
                fallback_response_url: fallback_response_url.clone(),
            })
            .collect();
        let key = format!("command:{}", req.request_key);
        let recorded = self
            .record_thanks(
                &ThanksOrigin {
                    giver: &req.user,
                    key: &key,
                    posts,
                    channel: post_channel.as_ref(),
                    confirm_to_giver: false,
                    link: None,
                },
                locale,
                &valid,
                &cmd.values,
                &locales,
            )
            .await?;
        Ok(match recorded {
            Ok(text) => Reply::new(text),
            Err(refusal) => Reply::new(self.explain_refusal(locale, &refusal)),
        })
    }

    /// Whether each recipient is a person who can be thanked, and their language; `None` when
    /// Slack cannot say. Everyone is looked up at once: twenty cold lookups in a row would miss
    /// the acknowledgement window.
    pub(super) async fn recipient_facts(
        &self,
        recipients: &[UserId],
    ) -> Option<(Vec<RecipientStatus>, Vec<Locale>)> {
        let lookups = futures_util::future::join_all(recipients.iter().map(|r| self.user(r))).await;
        let mut statuses = Vec::with_capacity(lookups.len());
        let mut locales = Vec::with_capacity(lookups.len());
        for found in lookups {
            match found {
                Ok(u) => {
                    statuses.push(Self::status_of(u.as_ref()));
                    locales.push(
                        u.and_then(|u| u.locale.as_deref().and_then(Locale::from_slack))
                            .unwrap_or(self.settings.org.locale),
                    );
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot check recipients");
                    return None;
                }
            }
        }
        Some((statuses, locales))
    }

    /// Pays, records and announces a thanks that passed every rule; the answer for the giver,
    /// or the refusal when the budget does not cover it (checked inside the transaction).
    pub(super) async fn record_thanks(
        &self,
        origin: &ThanksOrigin<'_>,
        locale: Lang<'_>,
        t: &ValidThanks,
        values: &[String],
        recipient_locales: &[Locale],
    ) -> anyhow::Result<Result<String, ThanksRefusal>> {
        let now = self.clock.now();
        let now_ms = storage::millis(now);
        let period = Period::containing(now, self.settings.org.timezone);
        let giver = origin.giver;
        let key = origin.key;

        let mut tx = self.store.begin().await?;
        if let requests::Claim::Seen(reply) = requests::claim(&mut tx, key, now_ms).await? {
            tx.rollback().await?;
            tracing::info!(key, "repeated request: answering as the first time");
            return Ok(Ok(reply.unwrap_or_else(|| tr0(locale, "thanks-working"))));
        }
        budget::open(&mut tx, giver, period, self.settings.bonus.monthly_budget).await?;
        let after = if t.cost.0 > 0 {
            match budget::debit(&mut tx, giver, period, t.cost).await? {
                Some(after) => after,
                None => {
                    let now_state = budget::state(&mut tx, giver, period).await?;
                    tx.rollback().await?;
                    let remaining = now_state.map_or(0, |s| s.remaining());
                    return Ok(Err(ThanksRefusal::OverBudget {
                        cost: t.cost.0,
                        remaining,
                        resets_on: period.resets_on(),
                    }));
                }
            }
        } else {
            budget::state(&mut tx, giver, period)
                .await?
                .context("the budget month was just opened")?
        };
        thanks::record(
            &mut tx,
            &thanks::NewThanks {
                giver,
                recipients: &t.recipients,
                message: &t.message,
                points_each: i64::from(t.points_each),
                values,
                channel: origin.channel.map(|c| c.as_str()),
                period,
                now_ms,
            },
        )
        .await?;
        for to in &origin.posts {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: to.clone(),
                    locale: self.settings.org.locale,
                    body: Body::ThanksPost {
                        giver: giver.clone(),
                        recipients: t.recipients.clone(),
                        message: t.message.clone(),
                        points_each: i64::from(t.points_each),
                        values: values.to_vec(),
                        link: origin.link.clone(),
                    },
                },
            )
            .await?;
        }
        for (recipient, l) in t.recipients.iter().zip(recipient_locales) {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Direct {
                        user: recipient.clone(),
                    },
                    locale: *l,
                    body: Body::ThanksReceived {
                        giver: giver.clone(),
                        message: t.message.clone(),
                        points: i64::from(t.points_each),
                    },
                },
            )
            .await?;
        }
        let names = i18n::people(locale, &t.recipients);
        let text = if t.points_each > 0 {
            tr(
                locale,
                "thanks-sent-points",
                &[
                    ("recipients", names.into()),
                    ("n", t.points_each.into()),
                    ("remaining", after.remaining().into()),
                    ("resets", i18n::date(locale, period.resets_on()).into()),
                ],
            )
        } else {
            tr(locale, "thanks-sent", &[("recipients", names.into())])
        };
        if origin.confirm_to_giver {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Direct {
                        user: giver.clone(),
                    },
                    locale: locale.locale,
                    body: Body::Text { text: text.clone() },
                },
            )
            .await?;
        }
        requests::save_reply(&mut tx, key, &text).await?;
        // The giver's budget and thanks given, the recipients' points and thanks received.
        self.refresh_homes(&mut tx, std::iter::once(giver).chain(&t.recipients))
            .await?;
        tx.commit().await?;
        self.committed();
        tracing::info!(
            points_each = t.points_each,
            recipients = t.recipients.len(),
            "thanks given"
        );
        Ok(Ok(text))
    }

    pub(super) fn explain_refusal(&self, l: Lang<'_>, r: &ThanksRefusal) -> String {
        match r {
            ThanksRefusal::SelfThanks => tr0(l, "refuse-self"),
            ThanksRefusal::RecipientIsBot(u) => {
                tr(l, "refuse-bot", &[("user", u.mention().into())])
            }
            ThanksRefusal::RecipientDeactivated(u) => {
                tr(l, "refuse-deactivated", &[("user", u.mention().into())])
            }
            ThanksRefusal::RecipientUnknown(u) => {
                tr(l, "refuse-unknown-user", &[("user", u.mention().into())])
            }
            ThanksRefusal::TooManyRecipients { max } => {
                tr(l, "refuse-too-many", &[("max", (*max as i64).into())])
            }
            ThanksRefusal::PointsOutOfRange { max } => {
                tr(l, "refuse-points-range", &[("max", (*max).into())])
            }
            ThanksRefusal::NoMessage => tr0(l, "refuse-no-message"),
            ThanksRefusal::MessageTooShort { min, got } => tr(
                l,
                "refuse-too-short",
                &[("min", (*min as i64).into()), ("got", (*got as i64).into())],
            ),
            ThanksRefusal::OverBudget {
                cost,
                remaining,
                resets_on,
            } => {
                let args = [
                    ("n", (*cost).into()),
                    ("remaining", (*remaining).into()),
                    ("resets", i18n::date(l, *resets_on).into()),
                ];
                format!(
                    "{}\n{}",
                    tr(l, "refuse-over-budget", &args),
                    tr0(l, "refuse-over-budget.hint")
                )
            }
        }
    }
}
