//! The thanks form: a modal opened by `/thanks` with no text, the "Say thanks" global
//! shortcut, the "Thank for this message" message shortcut and the Home tab's button. The same
//! rules, budget and ledger as `/thanks` (`check_thanks`, then the shared `record_thanks`),
//! each refusal shown next to its field; one thanks per view, however often it is submitted.

use super::App;
use super::thanks::ThanksOrigin;
use crate::domain::{ChannelId, Locale, Period, RecipientStatus, UserId, check_thanks};
use crate::i18n::{Lang, tr, tr0};
use crate::outbox::Destination;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the form was opened from: carried through the modal in `private_metadata`, so it
/// must stay small (Slack allows 3,000 characters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormContext {
    /// The channel `/thanks` was typed in; none from a shortcut or the Home tab.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "c")]
    pub channel: Option<ChannelId>,
    /// The command's response_url: where the post may go when the bot cannot post in that
    /// channel (as with `/thanks`).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "r")]
    pub response_url: Option<String>,
    /// The permalink of the message thanked for (message shortcut).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "l")]
    pub link: Option<String>,
}

impl FormContext {
    /// As `private_metadata`.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From `private_metadata`; `None` if it is not ours.
    pub fn decode(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok()
    }
}

/// The form as the giver first sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThanksFormView {
    pub locale: Locale,
    /// Preselected people (a message's author).
    pub preselected: Vec<UserId>,
    /// Points left to give this month, and when the budget resets.
    pub remaining: i64,
    pub resets_on: NaiveDate,
    pub max_points: u32,
    /// The company values to pick from (none configured: no field).
    pub values: Vec<String>,
    /// No `thanks.channel` and no channel of origin: the form asks where to post.
    pub pick_channel: bool,
    pub context: FormContext,
}

/// What the giver submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThanksFormInput {
    pub recipients: Vec<String>,
    pub message: String,
    /// As typed; empty means no points.
    pub points: String,
    pub values: Vec<String>,
    /// The channel picked in the form, if it asked.
    pub channel: Option<String>,
}

/// Problems to show next to the form's fields (`recipients`, `message`, `points`, `values`,
/// `channel`).
pub type FormErrors = BTreeMap<&'static str, String>;

impl App {
    /// The form for `user`, opened from `context`, with `preselected` people.
    pub async fn thanks_form_view(
        &self,
        user: &UserId,
        context: FormContext,
        preselected: Vec<UserId>,
    ) -> anyhow::Result<ThanksFormView> {
        let locale = self.lang_of(user).await;
        let period = Period::containing(self.clock.now(), self.settings.org.timezone);
        let mut conn = self.store.pool().acquire().await?;
        let budget = self.budget_now(&mut conn, user, period).await?;
        Ok(ThanksFormView {
            locale: locale.locale,
            preselected: preselected.into_iter().filter(|u| u != user).collect(),
            remaining: budget.remaining(),
            resets_on: period.resets_on(),
            max_points: self.settings.bonus.max_points_per_thanks,
            values: self.settings.bonus.values.clone(),
            pick_channel: self.settings.thanks.channel.is_none() && context.channel.is_none(),
            context,
        })
    }

    /// Submits the form: `Ok` closes it (the thanks is recorded and announced); `Err` keeps it
    /// open with a message next to each field at fault, and changes nothing. `view_id`
    /// identifies the submission across Slack's retries and double clicks.
    #[tracing::instrument(name = "thanks_form", skip_all)]
    pub async fn submit_thanks_form(
        &self,
        user: &UserId,
        context: &FormContext,
        view_id: &str,
        form: ThanksFormInput,
    ) -> anyhow::Result<Result<(), FormErrors>> {
        let l = self.lang_of(user).await;
        let mut errors = FormErrors::new();
        let recipients = form_recipients(&form.recipients).unwrap_or_else(|| {
            errors.insert("recipients", tr0(l, "err-no-recipient"));
            Vec::new()
        });
        let points = self.form_points(l, &form.points).unwrap_or_else(|e| {
            errors.insert("points", e);
            None
        });
        let values: Vec<String> = form
            .values
            .iter()
            .filter(|v| self.settings.bonus.values.contains(v))
            .cloned()
            .collect();
        if values.len() != form.values.len() {
            errors.insert("values", tr0(l, "form-err-value"));
        }
        let picked = match (&context.channel, &self.settings.thanks.channel) {
            (None, None) => match form.channel.as_deref().map(ChannelId::parse) {
                Some(Ok(c)) => Some(c),
                _ => {
                    errors.insert("channel", tr0(l, "form-err-channel"));
                    None
                }
            },
            _ => None,
        };
        let message = form.message.trim().to_owned();
        let rules = self.settings.bonus.rules();
        let assumed = vec![RecipientStatus::Person; recipients.len()];
        if let Err(refusal) = check_thanks(user, &recipients, &assumed, points, &message, &rules)
            && !recipients.is_empty()
        {
            for (field, text) in self.refusal_field(l, &refusal) {
                errors.entry(field).or_insert(text);
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        // Where `/thanks` would post: the thanks channel, else where it was typed (with the
        // command's response_url standing in), else the channel picked in the form.
        let (post_channel, fallback_response_url) = match &self.settings.thanks.channel {
            Some(c) => (c.clone(), None),
            None => match &context.channel {
                Some(c) => (c.clone(), context.response_url.clone()),
                None => (picked.expect("checked above"), None),
            },
        };
        let key = format!("thanks-form:{view_id}");
        let origin = ThanksOrigin {
            giver: user,
            key: &key,
            posts: vec![Destination::Channel {
                channel: post_channel.clone(),
                fallback_response_url,
            }],
            channel: Some(&post_channel),
            // The modal closes; the giver sees what was sent and what is left.
            confirm_to_giver: true,
            link: context.link.clone(),
        };
        self.record_form_thanks(l, &origin, &recipients, points, &message, &values)
            .await
    }

    /// Points as a form gives them: blank for none, `5` or `+5`; `Err` explains a bad entry.
    pub(in crate::app) fn form_points(
        &self,
        l: Lang<'_>,
        raw: &str,
    ) -> Result<Option<u32>, String> {
        match raw.trim() {
            "" => Ok(None),
            p => p
                .trim_start_matches('+')
                .parse::<u32>()
                .map(Some)
                .map_err(|_| {
                    tr(
                        l,
                        "err-points-not-whole",
                        &[
                            ("token", p.to_owned().into()),
                            ("max", self.settings.bonus.max_points_per_thanks.into()),
                        ],
                    )
                }),
        }
    }

    /// The end of every thanks form (this one, and the one after a resolved question): the
    /// rules checked against what Slack says of the recipients, then recorded and announced
    /// as `/thanks` would; a refusal goes next to its field.
    pub(in crate::app) async fn record_form_thanks(
        &self,
        l: Lang<'_>,
        origin: &ThanksOrigin<'_>,
        recipients: &[UserId],
        points: Option<u32>,
        message: &str,
        values: &[String],
    ) -> anyhow::Result<Result<(), FormErrors>> {
        let Some((statuses, locales)) = self.recipient_facts(recipients).await else {
            return Ok(Err(BTreeMap::from([(
                "recipients",
                tr0(l, "refuse-slack-unavailable"),
            )])));
        };
        let rules = self.settings.bonus.rules();
        let valid = match check_thanks(origin.giver, recipients, &statuses, points, message, &rules)
        {
            Ok(v) => v,
            Err(refusal) => return Ok(Err(self.refusal_field(l, &refusal))),
        };
        match self
            .record_thanks(origin, l, &valid, values, &locales)
            .await?
        {
            Ok(_) => Ok(Ok(())),
            Err(refusal) => Ok(Err(self.refusal_field(l, &refusal))),
        }
    }
}

/// The people a form names, each once; `None` when it names nobody or something that is not
/// a person's ID.
pub(in crate::app) fn form_recipients(raw: &[String]) -> Option<Vec<UserId>> {
    let mut recipients: Vec<UserId> = Vec::new();
    for r in raw {
        let u = UserId::parse(r).ok()?;
        if !recipients.contains(&u) {
            recipients.push(u);
        }
    }
    (!recipients.is_empty()).then_some(recipients)
}
