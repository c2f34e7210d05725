//! The 1on1 reminder job: which pairs are due a reminder now, in each manager's own time zone,
//! and enqueueing each reminder exactly once.
//!
//! Schedule (plain English): on the slots of `one_on_one.remind_at` (default weekdays at 09:30)
//! in the manager's time zone, skipping holidays and quiet hours, remind the manager of a due
//! 1on1; again every `remind_every_days` while it stays overdue, at most `max_reminders` times;
//! then, if `nudge_report` is on, tell the report once that they can ask for one, on a slot of
//! the report's own time zone (quiet hours are read in each reader's zone).

use crate::app::App;
use crate::domain::{Locale, NextReminder, questions};
use crate::i18n::tr;
use crate::outbox::{Body, Destination, ListedItem, OutboundMessage, ReminderDm};
use crate::storage::pairs::{self, Item};
use crate::storage::reminders::{self, Candidate, ReminderKey, ReminderKind};
use crate::storage::{self, Conn};
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
    pub to: crate::domain::UserId,
    pub text: String,
}

/// A reminder that is due.
struct Job<'a> {
    candidate: &'a Candidate,
    kind: ReminderKind,
    seq: u32,
    local_day: NaiveDate,
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
                NextReminder::NudgeReport { not_before } => {
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
            });
        }
        let mut report = JobsReport {
            considered: candidates.len(),
            ..JobsReport::default()
        };
        if dry_run {
            let mut conn = self.store.pool().acquire().await?;
            for job in &jobs {
                let recent =
                    reminders::recent_questions(&mut conn, job.candidate.pair.id, RECENT_REMINDERS)
                        .await?;
                let picked = self.pick_questions(job, &recent);
                let message = self.reminder_message(&mut conn, job, &picked, now).await?;
                report.planned.push(Planned {
                    to: direct_to(&message),
                    text: message.text(),
                });
            }
            return Ok(report);
        }
        let now_ms = storage::millis(now);
        for batch in jobs.chunks(BATCH) {
            let mut tx = self.store.begin().await?;
            let mut queued = 0;
            for job in batch {
                let recent =
                    reminders::recent_questions(&mut tx, job.candidate.pair.id, RECENT_REMINDERS)
                        .await?;
                let picked = self.pick_questions(job, &recent);
                let key = ReminderKey {
                    pair_id: job.candidate.pair.id,
                    due_on: job.candidate.pair.due_on,
                    kind: job.kind,
                    seq: job.seq,
                    local_day: job.local_day,
                    questions: &picked,
                };
                if !reminders::claim_reminder(&mut tx, &key, now_ms).await? {
                    continue;
                }
                let message = self.reminder_message(&mut tx, job, &picked, now).await?;
                self.enqueue(&mut tx, message).await?;
                queued += 1;
            }
            tx.commit().await?;
            report.queued += queued;
        }
        Ok(report)
    }

    fn pick_questions(&self, job: &Job<'_>, recent: &[String]) -> Vec<&'static str> {
        if job.kind == ReminderKind::Report {
            return Vec::new();
        }
        let pair = &job.candidate.pair;
        let seed = (pair.id as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(u64::from(job.seq))
            .wrapping_add(pair.due_on.num_days_from_ce() as u64);
        questions::pick(recent, seed, self.settings.one_on_one.questions)
            .into_iter()
            .map(|q| q.id)
            .collect()
    }

    async fn reminder_message(
        &self,
        conn: &mut Conn,
        job: &Job<'_>,
        picked: &[&str],
        now: DateTime<Utc>,
    ) -> anyhow::Result<OutboundMessage> {
        let c = job.candidate;
        let pair = &c.pair;
        let org = self.settings.org.locale;
        let locale_of =
            |l: &Option<String>| l.as_deref().and_then(Locale::from_slack).unwrap_or(org);
        if job.kind == ReminderKind::Report {
            let l = locale_of(&c.report_locale);
            return Ok(OutboundMessage {
                to: Destination::Direct {
                    user: pair.report.clone(),
                },
                locale: l,
                body: Body::Text {
                    text: tr(
                        l,
                        "oneonone-nudge-report",
                        &[("manager", pair.manager.mention().into())],
                    ),
                },
            });
        }
        let l = locale_of(&c.manager_locale);
        let today = now
            .with_timezone(&self.zone(c.manager_tz.as_deref()))
            .date_naive();
        let since = pair.last_met_on.unwrap_or(pair.added_on);
        let items = pairs::open_action_items(conn, pair.id).await?;
        let topics = pairs::open_topics(conn, pair.id, &pair.report).await?;
        let listed = |all: &[Item]| -> Vec<ListedItem> {
            all.iter()
                .take(LISTED)
                .map(|i| ListedItem {
                    id: i.id,
                    body: i.body.clone(),
                    by: i.by.clone(),
                })
                .collect()
        };
        Ok(OutboundMessage {
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
                items: listed(&items),
                more_items: items.len().saturating_sub(LISTED),
                topics: listed(&topics),
                more_topics: topics.len().saturating_sub(LISTED),
                questions: picked.iter().map(|id| format!("question-{id}")).collect(),
            }),
        })
    }

    /// Refreshes the cached Slack profile of up to `limit` managers whose entry is missing or
    /// older than `slack.user_cache_ttl_secs`.
    pub async fn refresh_manager_profiles(&self, limit: usize) -> anyhow::Result<usize> {
        if limit == 0 {
            return Ok(0);
        }
        let now = storage::millis(self.clock.now());
        let stale_before = now - self.settings.slack.user_cache_ttl.as_millis() as i64;
        let mut conn = self.store.pool().acquire().await?;
        let stale = reminders::stale_managers(&mut conn, stale_before, limit as i64).await?;
        drop(conn);
        let mut refreshed = 0;
        for manager in stale {
            match self.user(&manager).await {
                Ok(_) => refreshed += 1,
                Err(e) => {
                    tracing::warn!(error = %e, "users.info unavailable; profiles refresh later");
                    break;
                }
            }
        }
        Ok(refreshed)
    }
}

fn direct_to(m: &OutboundMessage) -> crate::domain::UserId {
    match &m.to {
        Destination::Direct { user } => user.clone(),
        _ => unreachable!("reminders are direct messages"),
    }
}
