//! `give_thanks`: validate, pay from the giver's budget, record, and announce, all in one
//! transaction; a retried request gets the first answer and changes nothing more.

use super::{App, CommandRequest, Reply};
use crate::commands::ThanksCommand;
use crate::domain::{Locale, Period, RecipientStatus, ThanksRefusal, ValidThanks, check_thanks};
use crate::i18n::{self, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::{self, budget, requests, thanks};
use anyhow::Context;

impl App {
    pub(super) async fn give_thanks(
        &self,
        req: &CommandRequest,
        locale: Locale,
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
        // Everyone is looked up at once: twenty cold lookups in a row would miss the ack window.
        let lookups =
            futures_util::future::join_all(cmd.recipients.iter().map(|r| self.user(r))).await;
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
                    return Ok(Reply::new(tr0(locale, "refuse-slack-unavailable")));
                }
            }
        }
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
        self.record_thanks(req, locale, &valid, &cmd.values, &locales)
            .await
    }

    async fn record_thanks(
        &self,
        req: &CommandRequest,
        locale: Locale,
        t: &ValidThanks,
        values: &[String],
        recipient_locales: &[Locale],
    ) -> anyhow::Result<Reply> {
        let now = self.clock.now();
        let now_ms = storage::millis(now);
        let period = Period::containing(now, self.settings.org.timezone);
        let giver = &req.user;
        let key = format!("command:{}", req.request_key);

        let mut tx = self.store.begin().await?;
        if let requests::Claim::Seen(reply) = requests::claim(&mut tx, &key, now_ms).await? {
            tx.rollback().await?;
            tracing::info!(key, "repeated request: answering as the first time");
            return Ok(Reply::new(
                reply.unwrap_or_else(|| tr0(locale, "thanks-working")),
            ));
        }
        budget::open(&mut tx, giver, period, self.settings.bonus.monthly_budget).await?;
        let after = if t.cost.0 > 0 {
            match budget::debit(&mut tx, giver, period, t.cost).await? {
                Some(after) => after,
                None => {
                    let now_state = budget::state(&mut tx, giver, period).await?;
                    tx.rollback().await?;
                    let remaining = now_state.map_or(0, |s| s.remaining());
                    let refusal = ThanksRefusal::OverBudget {
                        cost: t.cost.0,
                        remaining,
                        resets_on: period.resets_on(),
                    };
                    return Ok(Reply::new(self.explain_refusal(locale, &refusal)));
                }
            }
        } else {
            budget::state(&mut tx, giver, period)
                .await?
                .context("the budget month was just opened")?
        };
        // The configured thanks channel, else where it was typed; only there may the command's
        // response_url stand in when the bot cannot post (a private channel, a DM).
        let (post_channel, fallback_response_url) = match &self.settings.thanks.channel {
            Some(c) => (Some(c.clone()), None),
            None => (req.channel.clone(), req.response_url.clone()),
        };
        thanks::record(
            &mut tx,
            &thanks::NewThanks {
                giver,
                recipients: &t.recipients,
                message: &t.message,
                points_each: i64::from(t.points_each),
                values,
                channel: post_channel.as_ref().map(|c| c.as_str()),
                period,
                now_ms,
            },
        )
        .await?;
        if let Some(channel) = post_channel {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Channel {
                        channel,
                        fallback_response_url,
                    },
                    locale: self.settings.org.locale,
                    body: Body::ThanksPost {
                        giver: giver.clone(),
                        recipients: t.recipients.clone(),
                        message: t.message.clone(),
                        points_each: i64::from(t.points_each),
                        values: values.to_vec(),
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
        requests::save_reply(&mut tx, &key, &text).await?;
        tx.commit().await?;
        self.outbox_wake.notify_one();
        tracing::info!(
            points_each = t.points_each,
            recipients = t.recipients.len(),
            "thanks given"
        );
        Ok(Reply::new(text))
    }

    pub(super) fn explain_refusal(&self, l: Locale, r: &ThanksRefusal) -> String {
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
