//! The 1on1 reminder job: which pairs are due a reminder now, in each manager's own time zone,
//! and enqueueing each reminder exactly once.
//!
//! Schedule (plain English): on the slots of `one_on_one.remind_at` (default weekdays at 09:30)
//! in the manager's time zone, skipping holidays and quiet hours, remind the manager of a due
//! 1on1; again every `remind_every_days` while it stays overdue, at most `max_reminders` times;
//! then, if `nudge_report` is on, tell the report once that they can ask for one, on a slot of
//! the report's own time zone (quiet hours are read in each reader's zone).

use crate::app::App;
use crate::domain::{Locale, NextReminder, Question, questions};
use crate::i18n::{Lang, tr};
use crate::outbox::{Body, Destination, ListedItem, OutboundMessage, ReminderDm};
use crate::storage;
use crate::storage::pairs::{self, Item};
use crate::storage::reminders::{self, Candidate, ReminderKey, ReminderKind, Sent};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Reminders written per transaction: large enough to be quick, small enough that SQLite's one
/// writer is never held long.
const BATCH: usize = 64;
/// Items and topics listed in one reminder; the rest are counted.
const LISTED: usize = 8;
/// Recent reminders whose questions a pair should not see again.
const RECENT_REMINDERS: i64 = 4;

/// What one pass did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct JobsReport {
    /// Pairs whose due day had come somewhere.
    pub considered: usize,
    /// Reminders enqueued (0 in a dry run).
    pub queued: usize,
    /// Each reminder decided, with its text; filled only in a dry run.
    pub planned: Vec<Planned>,
}

/// A reminder a dry run would send.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Where: a user ID for a DM, `#C…` or `thread in #C…` for channel messages.
    pub to: String,
    pub text: String,
}

/// Open action items and topics of a batch's pairs, by pair.
struct Listed<'a> {
    items: &'a HashMap<i64, Vec<Item>>,
    topics: &'a HashMap<i64, Vec<Item>>,
}

/// A reminder that is due.
struct Job<'a> {
    candidate: &'a Candidate,
    kind: ReminderKind,
    seq: u32,
    local_day: NaiveDate,
    /// What this due period already sent, before this job.
    sent: Sent,
}

impl App {
    pub(super) async fn remind_overdue_one_on_ones(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> anyhow::Result<JobsReport> {
        // The latest calendar day anywhere on Earth (UTC+14): no zone's due pair is missed.
        let latest_day = (now + Duration::hours(14)).date_naive();
        let mut conn = self.store.pool().acquire().await?;
        let candidates = reminders::due_candidates(&mut conn, latest_day).await?;
        let sent = reminders::sent_this_period(&mut conn, latest_day).await?;
        drop(conn);
        let s = &self.settings.one_on_one;
        let mut windows: HashMap<Tz, bool> = HashMap::new();
        let mut open = |tz: Tz| {
            *windows
                .entry(tz)
                .or_insert_with(|| s.window.open_slot(tz, now).is_some())
        };
        let mut jobs = Vec::new();
        for c in &candidates {
            let pair_sent = sent.get(&c.pair.id).cloned().unwrap_or_default();
            let manager_tz = self.zone(c.manager_tz.as_deref());
            let today = now.with_timezone(&manager_tz).date_naive();
            if !c.pair.facts().may_remind(today) {
                continue;
            }
            let next = crate::domain::next_reminder(
                &s.policy,
                c.pair.due_on,
                &pair_sent.manager,
                pair_sent.report,
            );
            // Each message waits for its reader's own day and hours: the reminder for the
            // manager's, the nudge for the report's.
            let (kind, seq, tz) = match next {
                NextReminder::Manager { seq, not_before } if today >= not_before => {
                    (ReminderKind::Manager, seq, manager_tz)
                }
                NextReminder::NudgeReport { not_before } if !c.report_gone => {
                    let report_tz = self.zone(c.report_tz.as_deref());
                    if now.with_timezone(&report_tz).date_naive() < not_before {
                        continue;
                    }
                    (ReminderKind::Report, 1, report_tz)
                }
                _ => continue,
            };
            if !open(tz) {
                continue;
            }
            jobs.push(Job {
                candidate: c,
                kind,
                seq,
                local_day: now.with_timezone(&tz).date_naive(),
                sent: pair_sent,
            });
        }
        let mut report = JobsReport {
            considered: candidates.len(),
            ..JobsReport::default()
        };
        let now_ms = storage::millis(now);
        for batch in jobs.chunks(BATCH) {
            // What the messages list is read before the transaction, once for the batch, so
            // that SQLite's one writer is held only for the writes.
            let ids: Vec<i64> = batch.iter().map(|j| j.candidate.pair.id).collect();
            let mut conn = self.store.pool().acquire().await?;
            let recent = reminders::recent_questions_of(&mut conn, &ids, RECENT_REMINDERS).await?;
            let items = pairs::open_action_items_of(&mut conn, &ids).await?;
            let topics = pairs::open_topics_of(&mut conn, &ids).await?;
            drop(conn);
            let listed = Listed {
                items: &items,
                topics: &topics,
            };
            let picks: Vec<Vec<&'static Question>> = batch
                .iter()
                .map(|job| {
                    let seen = recent.get(&job.candidate.pair.id);
                    self.pick_questions(job, seen.map_or(&[][..], Vec::as_slice))
                })
                .collect();
            if dry_run {
                for (job, picked) in batch.iter().zip(&picks) {
                    let message = self.reminder_message(job, picked, &listed, now);
                    report.planned.push(Planned {
                        to: direct_to(&message),
                        text: message.text(&self.settings.commands),
                    });
                }
                continue;
            }
            let mut tx = self.store.begin().await?;
            let mut sent = Vec::new();
            for (job, picked) in batch.iter().zip(&picks) {
                let ids: Vec<&str> = picked.iter().map(|q| q.id).collect();
                let key = ReminderKey {
                    pair_id: job.candidate.pair.id,
                    due_on: job.candidate.pair.due_on,
                    kind: job.kind,
                    seq: job.seq,
                    local_day: job.local_day,
                    questions: &ids,
                };
                if !reminders::claim_reminder(&mut tx, &key, now_ms).await? {
                    continue;
                }
                let message = self.reminder_message(job, picked, &listed, now);
                self.enqueue(&mut tx, message).await?;
                sent.push((key.pair_id, key.due_on, self.next_reminder_day(job)));
            }
            reminders::set_remind_from(&mut tx, &sent).await?;
            tx.commit().await?;
            report.queued += sent.len();
        }
        Ok(report)
    }

    /// After `job` is sent: the earliest day of this due period's next message, if any.
    fn next_reminder_day(&self, job: &Job<'_>) -> Option<NaiveDate> {
        let mut sent = job.sent.clone();
        match job.kind {
            ReminderKind::Manager => sent.manager.push(job.local_day),
            ReminderKind::Report => sent.report = true,
        }
        match crate::domain::next_reminder(
            &self.settings.one_on_one.policy,
            job.candidate.pair.due_on,
            &sent.manager,
            sent.report,
        ) {
            NextReminder::Manager { not_before, .. } | NextReminder::NudgeReport { not_before } => {
                Some(not_before)
            }
            NextReminder::Finished => None,
        }
    }

    fn pick_questions(&self, job: &Job<'_>, recent: &[String]) -> Vec<&'static Question> {
        if job.kind == ReminderKind::Report {
            return Vec::new();
        }
        let pair = &job.candidate.pair;
        let seed = (pair.id as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(u64::from(job.seq))
            .wrapping_add(pair.due_on.num_days_from_ce() as u64);
        questions::pick(recent, seed, self.settings.one_on_one.questions)
    }

    fn reminder_message(
        &self,
        job: &Job<'_>,
        picked: &[&'static Question],
        listed: &Listed<'_>,
        now: DateTime<Utc>,
    ) -> OutboundMessage {
        let c = job.candidate;
        let pair = &c.pair;
        let org = self.settings.org.locale;
        let locale_of =
            |l: &Option<String>| l.as_deref().and_then(Locale::from_slack).unwrap_or(org);
        if job.kind == ReminderKind::Report {
            let l = locale_of(&c.report_locale);
            return OutboundMessage {
                to: Destination::Direct {
                    user: pair.report.clone(),
                },
                locale: l,
                body: Body::Text {
                    text: tr(
                        Lang::new(l, &self.settings.commands),
                        "oneonone-nudge-report",
                        &[("manager", pair.manager.mention().into())],
                    ),
                },
            };
        }
        let l = locale_of(&c.manager_locale);
        let today = now
            .with_timezone(&self.zone(c.manager_tz.as_deref()))
            .date_naive();
        let since = pair.last_met_on.unwrap_or(pair.added_on);
        let none = Vec::new();
        let items = listed.items.get(&pair.id).unwrap_or(&none);
        let topics = listed.topics.get(&pair.id).unwrap_or(&none);
        let list = |all: &[Item]| -> Vec<ListedItem> {
            all.iter()
                .take(LISTED)
                .map(|i| ListedItem {
                    id: i.id,
                    body: i.body.clone(),
                    by: i.by.clone(),
                })
                .collect()
        };
        OutboundMessage {
            to: Destination::Direct {
                user: pair.manager.clone(),
            },
            locale: l,
            body: Body::OneOnOneReminder(ReminderDm {
                pair_id: pair.id,
                report: pair.report.clone(),
                seq: job.seq,
                last_met_on: pair.last_met_on,
                days_since: (today - since).num_days(),
                overdue_days: (today - pair.due_on).num_days().max(0),
                items: list(items),
                more_items: items.len().saturating_sub(LISTED),
                topics: list(topics),
                more_topics: topics.len().saturating_sub(LISTED),
                questions: picked.iter().map(|q| q.key()).collect(),
            }),
        }
    }

    /// Refreshes the cached Slack profile (time zone, language) of up to `limit` people of
    /// active pairs, managers first, whose entry is missing or older than
    /// `slack.user_cache_ttl_secs`.
    pub async fn refresh_profiles(&self, limit: usize) -> anyhow::Result<usize> {
        if limit == 0 {
            return Ok(0);
        }
        let now = storage::millis(self.clock.now());
        let stale_before = now - self.settings.slack.user_cache_ttl.as_millis() as i64;
        let mut conn = self.store.pool().acquire().await?;
        let stale = reminders::stale_pair_members(&mut conn, stale_before, limit as i64).await?;
        drop(conn);
        let mut refreshed = 0;
        for person in stale {
            match self.user(&person).await {
                Ok(Some(_)) => refreshed += 1,
                Ok(None) => {
                    // Gone from the workspace: remember that, or this person would be asked
                    // about on every tick ahead of everyone else.
                    let gone = crate::storage::users::CachedUser {
                        is_bot: false,
                        deleted: true,
                        locale: None,
                        tz: None,
                        name: None,
                        fetched_at_ms: now,
                    };
                    self.cache_user(&person, &gone).await?;
                    refreshed += 1;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "users.info unavailable; profiles refresh later");
                    break;
                }
            }
        }
        Ok(refreshed)
    }
}

fn direct_to(m: &OutboundMessage) -> String {
    match &m.to {
        Destination::Direct { user } => user.to_string(),
        _ => unreachable!("reminders are direct messages"),
    }
}
