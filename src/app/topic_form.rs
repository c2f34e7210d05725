//! The Home tab's "Add a topic" form: one field, the same rules and storage as `/1on1 topic`
//! (`add_topic_to_pair`), each refusal shown next to the field; one topic per view, however
//! often it is submitted. Only the pair's two people may open or submit it: the pair id in
//! the view is checked against the person submitting, never trusted.

use super::{App, FormErrors};
use crate::domain::{Locale, UserId};
use crate::i18n::tr0;
use crate::storage::pairs;

/// The form's one field (its block id, where `response_action: errors` puts a message).
pub const TOPIC_FIELD: &str = "topic";

/// The form as the person first sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicFormView {
    pub locale: Locale,
    pub pair_id: i64,
    /// The other person of the pair.
    pub other: UserId,
}

impl App {
    /// The form for a topic of pair `pair_id`; `Err` says why `user` may not add one.
    pub async fn topic_form_view(
        &self,
        user: &UserId,
        pair_id: i64,
    ) -> anyhow::Result<Result<TopicFormView, String>> {
        let locale = self.locale_of(user).await;
        let mut conn = self.store.pool().acquire().await?;
        let pair = pairs::pair_by_id(&mut conn, pair_id)
            .await?
            .filter(|p| &p.manager == user || &p.report == user);
        Ok(match pair {
            Some(p) => Ok(TopicFormView {
                locale,
                pair_id,
                other: p.other(user).clone(),
            }),
            None => Err(tr0(self.lang(locale), "oneonone-pair-gone")),
        })
    }

    /// Submits the form: `Ok` closes it (the topic is stored as `/1on1 topic` stores it);
    /// `Err` keeps it open with the reason next to the field and changes nothing. `view_id`
    /// identifies the submission across Slack's retries and double clicks.
    #[tracing::instrument(name = "topic_form", skip_all)]
    pub async fn submit_topic_form(
        &self,
        user: &UserId,
        pair_id: i64,
        view_id: &str,
        text: &str,
    ) -> anyhow::Result<Result<(), FormErrors>> {
        let l = self.lang_of(user).await;
        if text.trim().is_empty() {
            return Ok(Err(FormErrors::from([(
                TOPIC_FIELD,
                tr0(l, "topic-form-err-empty"),
            )])));
        }
        let key = format!("topic-form:{view_id}");
        Ok(self
            .add_topic_to_pair(user, l, pair_id, text, &key)
            .await?
            .map(drop)
            .map_err(|refusal| FormErrors::from([(TOPIC_FIELD, refusal)])))
    }
}
