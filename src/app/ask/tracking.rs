//! A request's life after it is posted: claimed (button or 👀), answered (a thread reply by
//! someone else), resolved (the asker's button or ✅). Each change is one transaction that
//! reads the request locked, applies the pure state machine (`domain::ask`), records the
//! result and queues its messages: the post's update, the asker's one DM, the resolution DM.

use super::super::App;
use crate::domain::{
    AskRefusal, ChannelId, HelperRole, RequestEvent, RequestFacts, RequestState, UserId, apply,
    helpers_of,
};
use crate::i18n::{Lang, tr0};
use crate::outbox::{AskPost, Body, Destination, OutboundMessage, excerpt};
use crate::storage::{self, ask, requests};

/// Which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestRef {
    /// From a button's value.
    Id(i64),
    /// From an event about the post (a reaction, a thread reply).
    Post { channel: String, ts: String },
}

/// What someone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Claim,
    Reply,
    Resolve,
    /// A ✅ reaction. Slack shows who reacted, so on an anonymous question it does not count:
    /// the post turning "resolved" would confirm who asked.
    ResolveByReaction,
}

/// How it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackOutcome {
    Done(RequestState),
    /// Nothing changed (a reply by the asker, a reply after resolution).
    Unchanged,
    Refused(AskRefusal),
    /// No such request (an event about some other message).
    NotARequest,
    /// This event was processed before (Slack's retry).
    Repeated,
    /// The event may be about a question whose post Slack has but whose ts is not recorded
    /// yet: not processed, so that Slack's retry finds it.
    NotPostedYet,
}

/// How long after asking an event about an unknown message may still be about the question's
/// post, not yet recorded.
const POSTING_GRACE_MS: i64 = 10 * 60 * 1000;

impl App {
    /// Applies `action` by `by` to the request. `event_key` (an Events API event_id) makes a
    /// retried event change nothing; `seen_at` is the post's channel and ts when the caller
    /// knows them (a button on the post), in case the outbox has not recorded them yet.
    #[tracing::instrument(name = "request_event", skip_all, fields(action = ?action))]
    pub async fn track_request(
        &self,
        request: RequestRef,
        action: RequestAction,
        by: &UserId,
        event_key: Option<&str>,
        seen_at: Option<(&str, &str)>,
    ) -> anyhow::Result<TrackOutcome> {
        let now_ms = storage::millis(self.clock.now());
        if let RequestRef::Post { channel, ts } = &request {
            // Most events are about other messages: tell them apart with a plain read, before
            // taking the write lock.
            let mut conn = self.store.pool().acquire().await?;
            if ask::find_by_post(&mut conn, channel, ts).await?.is_none() {
                return Ok(
                    if ask::has_unposted(&mut conn, channel, now_ms - POSTING_GRACE_MS).await? {
                        TrackOutcome::NotPostedYet
                    } else {
                        TrackOutcome::NotARequest
                    },
                );
            }
        }
        let mut tx = self.store.begin().await?;
        if let Some(key) = event_key
            && requests::claim(&mut tx, &format!("event:{key}"), now_ms).await?
                != requests::Claim::New
        {
            tx.rollback().await?;
            return Ok(TrackOutcome::Repeated);
        }
        let found = match &request {
            RequestRef::Id(id) => ask::lock(&mut tx, *id).await?,
            RequestRef::Post { channel, ts } => ask::lock_by_post(&mut tx, channel, ts).await?,
        };
        let Some(r) = found else {
            // Nothing happened, so there is nothing to de-duplicate: the event's id is not
            // kept (busy channels would otherwise fill the table with every thread reply).
            tx.rollback().await?;
            return Ok(TrackOutcome::NotARequest);
        };
        let mut helpers = ask::helpers(&mut tx, r.id).await?;
        let facts = RequestFacts {
            asker: r.asker.clone(),
            state: r.state,
            asker_notified: r.asker_notified,
            helpers: helpers.clone(),
        };
        let event = match action {
            RequestAction::Claim => RequestEvent::Claim { by: by.clone() },
            RequestAction::Reply => RequestEvent::Reply { by: by.clone() },
            RequestAction::ResolveByReaction if r.anonymous => {
                tx.commit().await?;
                return Ok(TrackOutcome::Unchanged);
            }
            RequestAction::Resolve | RequestAction::ResolveByReaction => {
                RequestEvent::Resolve { by: by.clone() }
            }
        };
        let t = match apply(&facts, &event) {
            Ok(t) => t,
            Err(refusal) => {
                tx.commit().await?;
                return Ok(TrackOutcome::Refused(refusal));
            }
        };
        if t.state == r.state && t.new_helper.is_none() && !t.notify_asker {
            tx.commit().await?;
            return Ok(TrackOutcome::Unchanged);
        }
        let post_ts = match (&r.post_ts, seen_at) {
            (Some(ts), _) => Some(ts.clone()),
            (None, Some((channel, ts))) if channel == r.channel => {
                ask::set_post_ts(&mut tx, r.id, ts, None).await?;
                Some(ts.to_owned())
            }
            _ => None,
        };
        let version = ask::record_transition(
            &mut tx,
            r.id,
            t.state,
            t.notify_asker,
            t.new_helper.as_ref(),
            t.update_post,
            now_ms,
        )
        .await?;
        if let Some(h) = &t.new_helper
            && !helpers.contains(h)
        {
            helpers.push(h.clone());
        }
        let channel = ChannelId::parse(&r.channel).map_err(anyhow::Error::msg)?;
        let link = post_ts
            .as_deref()
            .map(|ts| super::post_link(&r, ts))
            .unwrap_or_default();
        if t.update_post
            && let Some(ts) = &post_ts
        {
            let of = |role: HelperRole| -> Vec<UserId> {
                helpers
                    .iter()
                    .filter(|(_, x)| *x == role)
                    .map(|(u, _)| u.clone())
                    .collect()
            };
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Update {
                        channel: channel.clone(),
                        ts: ts.clone(),
                    },
                    locale: self.settings.org.locale,
                    body: Body::AskPost(AskPost {
                        request_id: r.id,
                        asker: (!r.anonymous).then(|| r.asker.clone()),
                        topic: r.topic.clone(),
                        question: r.question.clone(),
                        state: t.state.as_str().into(),
                        claimers: of(HelperRole::Claimed),
                        repliers: of(HelperRole::Replied),
                        announce: None,
                        version,
                    }),
                },
            )
            .await?;
        }
        if t.notify_asker {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Direct {
                        user: r.asker.clone(),
                    },
                    locale: r.asker_locale,
                    body: Body::AskHelped {
                        link: link.clone(),
                        by: by.clone(),
                        replied: action == RequestAction::Reply,
                        anonymous: r.anonymous,
                    },
                },
            )
            .await?;
        }
        let helped = helpers_of(&helpers);
        if t.state == RequestState::Resolved
            && r.state != RequestState::Resolved
            && !helped.is_empty()
        {
            self.enqueue(
                &mut tx,
                OutboundMessage {
                    to: Destination::Direct {
                        user: r.asker.clone(),
                    },
                    locale: r.asker_locale,
                    body: Body::AskResolved {
                        request_id: r.id,
                        link,
                        helpers: helped,
                        excerpt: excerpt(&r.question, 80),
                    },
                },
            )
            .await?;
        }
        // The asker's open questions, the helper's and the experts' lists of waiting ones.
        let experts = self.person_experts(r.topic.as_deref());
        self.refresh_homes(
            &mut tx,
            std::iter::once(&r.asker)
                .chain(std::iter::once(by))
                .chain(&experts),
        )
        .await?;
        tx.commit().await?;
        self.committed();
        tracing::info!(request = r.id, state = t.state.as_str(), "request changed");
        Ok(TrackOutcome::Done(t.state))
    }

    /// What the presser of a request's button is told, in their language.
    pub(crate) fn explain_track(
        &self,
        l: Lang<'_>,
        action: RequestAction,
        o: &TrackOutcome,
    ) -> String {
        let key = match o {
            TrackOutcome::Done(_) if action == RequestAction::Claim => "ask-you-claimed",
            TrackOutcome::Done(_) if action == RequestAction::Resolve => "ask-you-resolved",
            TrackOutcome::Done(_) | TrackOutcome::Unchanged | TrackOutcome::Repeated => {
                "ask-you-noted"
            }
            TrackOutcome::NotPostedYet => "ask-refuse-gone",
            TrackOutcome::Refused(AskRefusal::OwnRequest) => "ask-refuse-own",
            TrackOutcome::Refused(AskRefusal::AlreadyClaimedByYou) => "ask-refuse-claimed-twice",
            TrackOutcome::Refused(AskRefusal::OnlyAskerResolves) => "ask-refuse-not-asker",
            TrackOutcome::Refused(AskRefusal::AlreadyResolved) => "ask-refuse-resolved",
            TrackOutcome::NotARequest => "ask-refuse-gone",
        };
        tr0(l, key)
    }
}
