//! `otagai forget USER`: removes what otagai keeps about someone who has left, in one
//! transaction, audited (who, when, how many of each kind; never the content).
//!
//! What goes: the notes, topics and action items of every 1on1 pair they were in (a 1on1's
//! notes belong to the pair, so both people's notes of those pairs go), the pulse requests sent
//! to them (the only link between a pulse answer and who gave it; the anonymous answers stay in
//! the aggregates), the texts of the questions they asked (replaced by `[removed]`; the rows
//! stay so `/ask stats` keeps its counts), their cached Slack profile, and the messages still
//! waiting to be sent to them by DM. Their active pairs are ended and their open invitations
//! closed, so nobody is reminded about them again or paired with them later.
//!
//! What stays, on purpose: the ledger and budgets (payroll needs the amounts), the thanks they
//! gave and received with their messages (posted publicly in Slack, and part of the recipients'
//! history), the pairs and dates of past 1on1s (without content), the audit log, and messages
//! already sent (deleted by retention, `[retention]`).

use crate::domain::UserId;
use crate::outbox::{Destination, OutboundMessage};
use crate::storage::forget::{self, Personal};
use crate::storage::{self, Store, admin};
use chrono::{DateTime, Utc};
use serde_json::json;

/// How many of each kind were (or, in a dry run, would be) removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForgetReport {
    pub notes: u64,
    pub topics: u64,
    pub action_items: u64,
    pub pulse_requests: u64,
    pub questions: u64,
    pub profile: u64,
    pub pairs_ended: u64,
    pub invitations_closed: u64,
    pub pending_messages: u64,
}

impl ForgetReport {
    /// Each kind with a label for people, in a stable order.
    pub fn lines(&self) -> [(&'static str, u64); 9] {
        [
            ("1on1 notes of their pairs", self.notes),
            ("1on1 topics of their pairs", self.topics),
            ("action items of their pairs", self.action_items),
            ("pulse requests sent to them", self.pulse_requests),
            ("question texts they asked (blanked)", self.questions),
            ("cached Slack profile", self.profile),
            ("active 1on1 pairs (ended)", self.pairs_ended),
            ("open 1on1 invitations (closed)", self.invitations_closed),
            ("pending messages to them", self.pending_messages),
        ]
    }

    pub fn total(&self) -> u64 {
        self.lines().iter().map(|(_, n)| n).sum()
    }

    fn slot(&mut self, kind: Personal) -> &mut u64 {
        match kind {
            Personal::Notes => &mut self.notes,
            Personal::Topics => &mut self.topics,
            Personal::ActionItems => &mut self.action_items,
            Personal::PulseRequests => &mut self.pulse_requests,
            Personal::Questions => &mut self.questions,
            Personal::Profile => &mut self.profile,
            Personal::ActivePairs => &mut self.pairs_ended,
            Personal::OpenInvitations => &mut self.invitations_closed,
        }
    }
}

/// Forgets `user` as of `now`, or with `dry_run` only counts what would go and changes nothing.
/// One transaction: all of it or nothing. Audited as `user.forget` by `cli`.
pub async fn forget_user(
    store: &Store,
    user: &UserId,
    now: DateTime<Utc>,
    dry_run: bool,
) -> anyhow::Result<ForgetReport> {
    let now_ms = storage::millis(now);
    let mut report = ForgetReport::default();
    let mut tx = store.begin().await?;
    for kind in Personal::ALL {
        *report.slot(kind) = if dry_run {
            forget::count(&mut tx, kind, user).await?
        } else {
            forget::apply(&mut tx, kind, user, now_ms).await?
        };
    }
    for (id, payload) in forget::pending_messages(&mut tx).await? {
        let to_them = serde_json::from_str::<OutboundMessage>(&payload)
            .is_ok_and(|m| matches!(&m.to, Destination::Direct { user: u } if u == user));
        if to_them {
            report.pending_messages += if dry_run {
                1
            } else {
                forget::delete_pending_message(&mut tx, id).await?
            };
        }
    }
    if dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    // Their pending Home tab refresh: bookkeeping that names them, nothing they wrote.
    crate::storage::home::forget(&mut tx, user).await?;
    let counts: serde_json::Map<String, serde_json::Value> = [
        ("notes", report.notes),
        ("topics", report.topics),
        ("action_items", report.action_items),
        ("pulse_requests", report.pulse_requests),
        ("questions", report.questions),
        ("profile", report.profile),
        ("pairs_ended", report.pairs_ended),
        ("invitations_closed", report.invitations_closed),
        ("pending_messages", report.pending_messages),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), json!(v)))
    .collect();
    admin::audit_as(
        &mut tx,
        "cli",
        "user.forget",
        Some(user),
        &serde_json::Value::Object(counts),
        now_ms,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %user, removed = report.total(), "forgot a user");
    Ok(report)
}

/// Whether an answer to "are you sure?" says yes (`y` or `yes`, any case).
pub fn confirms(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::confirms;

    #[test]
    fn only_y_or_yes_confirms_forgetting() {
        for yes in ["y", "yes", "YES", " Yes\n"] {
            assert!(confirms(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yess", "ok", "oui"] {
            assert!(!confirms(no), "{no:?}");
        }
    }
}
