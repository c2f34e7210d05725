//! Nobody is left hanging: a help request still unanswered after `ask.nudge_after` working
//! hours gets a reply in its thread mentioning the topic's experts (or, once someone claimed
//! it, whoever did); after `ask.escalate_after` it goes to `ask.escalate_to`. Only inside the
//! organisation's working hours.
//!
//! Exactly once: each request's `nudged_at` / `escalated_at` is set, only while still empty, in
//! the transaction that writes the outbox row, so repeated and concurrent passes send nothing
//! more.

use super::Planned;
use crate::app::App;
use crate::config::EscalateTo;
use crate::domain::{ChannelId, RequestState};
use crate::outbox::{AskNudge, Body, Destination, NudgeText, OutboundMessage, excerpt};
use crate::storage::{self, ask, ask::NudgeKind};
use chrono::{DateTime, Utc};

/// What a nudge pass did.
#[derive(Debug, Default)]
pub(super) struct NudgeReport {
    pub considered: usize,
    pub queued: usize,
    pub planned: Vec<Planned>,
}

impl App {
    pub(super) async fn nudge_unanswered_requests(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> anyhow::Result<NudgeReport> {
        let mut report = NudgeReport::default();
        let working = &self.settings.org.working;
        if !working.is_working(now) {
            return Ok(report);
        }
        let now_ms = storage::millis(now);
        let due = {
            let mut conn = self.store.pool().acquire().await?;
            ask::due_nudges(&mut conn, now_ms).await?
        };
        report.considered = due.len();
        let claimed: Vec<i64> = due
            .iter()
            .filter(|r| r.state == RequestState::Claimed)
            .map(|r| r.id)
            .collect();
        let mut claimers = {
            let mut conn = self.store.pool().acquire().await?;
            ask::claimers_of(&mut conn, &claimed).await?
        };
        for r in due {
            let Some(ts) = r.post_ts.clone() else {
                continue;
            };
            let channel = ChannelId::parse(&r.channel).map_err(anyhow::Error::msg)?;
            let waited_hours = (working
                .between(storage::from_millis(r.asked_at), now)
                .num_minutes()
                .saturating_add(30)
                / 60)
                .max(1);
            let thread = Destination::Thread {
                channel: channel.clone(),
                thread_ts: ts.clone(),
            };
            let mut messages: Vec<(NudgeKind, Option<OutboundMessage>)> = Vec::new();
            if r.nudged_at.is_none() && r.nudge_due_at <= now_ms {
                let who = claimers.remove(&r.id).unwrap_or_default();
                let (kind, mentions) = if !who.is_empty() {
                    (
                        NudgeText::Claimers,
                        who.iter().map(|u| u.mention()).collect(),
                    )
                } else {
                    let experts = self.settings.ask.experts_for(r.topic.as_deref());
                    (
                        NudgeText::Experts,
                        experts.iter().map(|e| e.mention()).collect(),
                    )
                };
                messages.push((
                    NudgeKind::Nudge,
                    Some(self.nudge(thread.clone(), kind, mentions, &r, None, waited_hours)),
                ));
            }
            if r.escalated_at.is_none() && r.escalate_due_at <= now_ms {
                // Without anyone to escalate to, the mark alone keeps the request out of
                // later passes.
                let message = match &self.settings.ask.escalate_to {
                    None => None,
                    Some(EscalateTo::Group(g)) => Some(self.nudge(
                        thread.clone(),
                        NudgeText::EscalateThread,
                        vec![g.mention()],
                        &r,
                        None,
                        waited_hours,
                    )),
                    Some(EscalateTo::Channel(c)) => Some(self.nudge(
                        Destination::Channel {
                            channel: c.clone(),
                            fallback_response_url: None,
                        },
                        NudgeText::EscalateChannel,
                        vec![],
                        &r,
                        Some(crate::app::post_link(&r, &ts)),
                        waited_hours,
                    )),
                };
                messages.push((NudgeKind::Escalate, message));
            }
            if dry_run {
                for m in messages.iter().filter_map(|(_, m)| m.as_ref()) {
                    report.planned.push(Planned {
                        to: describe(&m.to),
                        text: m.text(&self.settings.commands),
                    });
                }
                continue;
            }
            for (kind, message) in messages {
                let mut tx = self.store.begin().await?;
                if ask::claim_nudge(&mut tx, r.id, kind, now_ms).await? {
                    if let Some(m) = message {
                        self.enqueue(&mut tx, m).await?;
                        report.queued += 1;
                    }
                    tx.commit().await?;
                    tracing::info!(request = r.id, kind = ?kind, "unanswered request nudged");
                } else {
                    tx.rollback().await?;
                }
            }
        }
        Ok(report)
    }

    fn nudge(
        &self,
        to: Destination,
        kind: NudgeText,
        mentions: Vec<String>,
        r: &ask::HelpRequest,
        link: Option<String>,
        waited_hours: i64,
    ) -> OutboundMessage {
        OutboundMessage {
            to,
            locale: self.settings.org.locale,
            body: Body::AskNudge(AskNudge {
                nudge: kind,
                mentions,
                topic: r.topic.clone(),
                excerpt: link.as_ref().map(|_| excerpt(&r.question, 120)),
                link,
                waited_hours,
            }),
        }
    }
}

/// Where a planned message goes, for a dry run's listing.
fn describe(to: &Destination) -> String {
    match to {
        Destination::Channel { channel, .. } => format!("#{channel}"),
        Destination::Thread { channel, .. } => format!("thread in #{channel}"),
        Destination::Direct { user } => user.to_string(),
        Destination::Update { channel, .. } => format!("update in #{channel}"),
        Destination::ResponseUrl { .. } => "response_url".into(),
    }
}
