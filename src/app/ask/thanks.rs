//! Closing the loop: the asker of a resolved request thanks who helped, through a modal
//! prefilled with the helpers and a message. The same rules and budget as `/thanks`; the
//! thanks is posted in the request's thread and in the usual thanks channel. After an anonymous
//! question it is posted nowhere (only the people thanked hear of it) and its prefilled text
//! does not quote the question: a thanks names its giver, who is the asker.

use super::super::App;
use super::super::thanks::ThanksOrigin;
use crate::domain::{
    ChannelId, Locale, RecipientStatus, RequestState, ThanksRefusal, UserId, check_thanks,
    helpers_of,
};
use crate::i18n::{Lang, tr, tr0};
use crate::outbox::{Destination, excerpt};
use crate::storage::ask;
use std::collections::BTreeMap;

/// The thanks modal as the asker first sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksModal {
    pub request_id: i64,
    pub locale: Locale,
    /// Preselected recipients: everyone who helped.
    pub helpers: Vec<UserId>,
    /// A message to start from.
    pub message: String,
    /// The most points one thanks may carry, for the hint.
    pub max_points: u32,
    /// The question was asked anonymously: the thanks names its giver, so it is not posted
    /// publicly and the form says so.
    pub anonymous: bool,
}

/// What the asker submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksForm {
    pub recipients: Vec<String>,
    pub message: String,
    /// As typed; empty means no points.
    pub points: String,
}

/// Problems to show next to the modal's fields (`recipients`, `message`, `points`).
pub type ThanksFormError = BTreeMap<&'static str, String>;

impl App {
    /// The prefilled modal for the "Say thanks" button, or why there is none (not the asker's
    /// request, or no such request).
    pub async fn thanks_modal(
        &self,
        user: &UserId,
        request_id: i64,
    ) -> anyhow::Result<Result<ThanksModal, String>> {
        let l = self.lang_of(user).await;
        let mut conn = self.store.pool().acquire().await?;
        let Some(r) = ask::find(&mut conn, request_id).await? else {
            return Ok(Err(tr0(l, "ask-refuse-gone")));
        };
        if &r.asker != user {
            return Ok(Err(tr0(l, "ask-thanks-not-yours")));
        }
        if r.state != RequestState::Resolved {
            return Ok(Err(tr0(l, "ask-thanks-not-resolved")));
        }
        let helpers = helpers_of(&ask::helpers(&mut conn, request_id).await?);
        Ok(Ok(ThanksModal {
            request_id,
            locale: l.locale,
            helpers,
            // An anonymous asker's thanks must not quote the question: it would say who asked.
            message: if r.anonymous {
                tr0(l, "ask-thanks-prefill-anon")
            } else {
                let question = self.plain_text(&r.question).await;
                tr(
                    l,
                    "ask-thanks-prefill",
                    &[("excerpt", excerpt(&question, 60).into())],
                )
            },
            max_points: self.settings.bonus.max_points_per_thanks,
            anonymous: r.anonymous,
        }))
    }

    /// Submits the modal: `Ok` closes it (the thanks is recorded and announced); `Err` keeps it
    /// open with a message next to each field at fault, and changes nothing.
    /// `submission_key` identifies this submission across repeats.
    pub async fn submit_request_thanks(
        &self,
        user: &UserId,
        request_id: i64,
        submission_key: &str,
        form: ThanksForm,
    ) -> anyhow::Result<Result<(), ThanksFormError>> {
        let l = self.lang_of(user).await;
        let err = |field: &'static str, text: String| Ok(Err(BTreeMap::from([(field, text)])));
        let r = {
            let mut conn = self.store.pool().acquire().await?;
            ask::find(&mut conn, request_id).await?
        };
        let Some(r) = r.filter(|r| &r.asker == user) else {
            return err("recipients", tr0(l, "ask-thanks-not-yours"));
        };
        if r.state != RequestState::Resolved {
            return err("recipients", tr0(l, "ask-thanks-not-resolved"));
        }
        let Some(recipients) = crate::app::thanks_form::form_recipients(&form.recipients) else {
            return err("recipients", tr0(l, "err-no-recipient"));
        };
        let points = match self.form_points(l, &form.points) {
            Ok(p) => p,
            Err(e) => return err("points", e),
        };
        // Company values as `/thanks` reads them: `#teamwork` at the end is recorded, not shown.
        let (message, values) =
            crate::commands::split_values(&form.message, &self.settings.bonus.values);
        let rules = self.settings.bonus.rules();
        let assumed = vec![RecipientStatus::Person; recipients.len()];
        if let Err(refusal) = check_thanks(user, &recipients, &assumed, points, &message, &rules) {
            return Ok(Err(self.refusal_field(l, &refusal)));
        }
        let request_channel = ChannelId::parse(&r.channel).map_err(anyhow::Error::msg)?;
        // A thanks names its giver. After an anonymous question, the giver thanking the people
        // the post shows as helpers would say who asked, in the thread or in the thanks
        // channel alike: such a thanks is not posted anywhere, only sent to those thanked.
        let mut posts = Vec::new();
        if !r.anonymous {
            if let Some(ts) = &r.post_ts {
                posts.push(Destination::Thread {
                    channel: request_channel.clone(),
                    thread_ts: ts.clone(),
                });
            }
            if let Some(c) = &self.settings.thanks.channel
                && (c != &request_channel || posts.is_empty())
            {
                posts.push(Destination::Channel {
                    channel: c.clone(),
                    fallback_response_url: None,
                });
            }
        }
        let recorded_in = match r.anonymous {
            true => None,
            false => Some(
                self.settings
                    .thanks
                    .channel
                    .clone()
                    .unwrap_or(request_channel),
            ),
        };
        let key = format!("ask-thanks:{submission_key}");
        let origin = ThanksOrigin {
            giver: user,
            key: &key,
            posts,
            channel: recorded_in.as_ref(),
            // The modal closes; the giver sees what was sent and what is left.
            confirm_to_giver: true,
            link: None,
        };
        self.record_form_thanks(l, &origin, &recipients, points, &message, &values)
            .await
    }

    /// Which field of the modal a refusal belongs to, with its explanation.
    pub(in crate::app) fn refusal_field(&self, l: Lang<'_>, r: &ThanksRefusal) -> ThanksFormError {
        let field = match r {
            ThanksRefusal::SelfThanks
            | ThanksRefusal::RecipientIsBot(_)
            | ThanksRefusal::RecipientDeactivated(_)
            | ThanksRefusal::RecipientUnknown(_)
            | ThanksRefusal::TooManyRecipients { .. } => "recipients",
            ThanksRefusal::PointsOutOfRange { .. } | ThanksRefusal::OverBudget { .. } => "points",
            ThanksRefusal::NoMessage | ThanksRefusal::MessageTooShort { .. } => "message",
        };
        BTreeMap::from([(field, self.explain_refusal(l, r))])
    }
}
