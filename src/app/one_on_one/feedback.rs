//! Honest feedback: the report's anonymous pulse after a 1on1, a manager's own aggregate (only
//! once enough answers exist that none can be traced), and the org-level numbers for admins.
//! Nothing here reads notes, and no single answer is ever shown.

use super::super::App;
use crate::domain::{Locale, PairState, UserId};
use crate::i18n::{tr, tr0};
use crate::storage::pairs;
use crate::storage::reminders::{self, PulseAnswer, PulseOutcome, PulseSummary};
use chrono::Days;
use std::collections::BTreeMap;

/// How many teams `/1on1 report` lists by name.
const TEAMS_SHOWN: usize = 10;

impl App {
    /// A report's answer to one pulse question (a button).
    pub(crate) async fn answer_pulse(
        &self,
        user: &UserId,
        l: Locale,
        meeting_id: i64,
        answer: PulseAnswer,
    ) -> anyhow::Result<(PulseOutcome, String)> {
        let today = self.today_of(user).await;
        let mut tx = self.store.begin().await?;
        let outcome = reminders::answer_pulse(&mut tx, meeting_id, user, answer, today).await?;
        tx.commit().await?;
        let key = match outcome {
            PulseOutcome::Partial => "oneonone-pulse-partial",
            PulseOutcome::Complete => "oneonone-pulse-thanks",
            PulseOutcome::Ignored => "oneonone-pulse-closed",
        };
        Ok((outcome, tr0(l, key)))
    }

    pub(super) async fn feedback(&self, me: &UserId, l: Locale) -> anyhow::Result<String> {
        let s = &self.settings.one_on_one;
        let today = self.today_of(me).await;
        let mut conn = self.store.pool().acquire().await?;
        let view = match self.pulse_view(&mut conn, Some(me), today).await? {
            PulseView::NotEnough { have } => {
                return Ok(tr(
                    l,
                    "oneonone-feedback-not-enough",
                    &[
                        ("have", have.into()),
                        ("need", s.pulse_min_responses.into()),
                        ("days", s.pulse_window_days.into()),
                    ],
                ));
            }
            PulseView::OnePerson => return Ok(tr0(l, "oneonone-feedback-one-person")),
            PulseView::Shown { summary, newer } => (summary, newer),
        };
        let (summary, newer) = view;
        let mut out = tr(
            l,
            "oneonone-feedback",
            &[("days", s.pulse_window_days.into())],
        );
        out.push('\n');
        out.push_str(&summary_lines(l, &summary));
        if newer > 0 {
            out.push('\n');
            out.push_str(&tr(
                l,
                "oneonone-pulse-steps",
                &[("newer", newer.into()), ("k", s.pulse_min_responses.into())],
            ));
        }
        if summary.manager_talked_more * 2 > summary.answers {
            out.push('\n');
            out.push_str(&tr0(l, "oneonone-feedback-talk-hint"));
        }
        Ok(out)
    }

    /// What of the pulse may be shown (of one manager's 1on1s, or everyone's with `None`).
    ///
    /// Answers are counted in fixed blocks of `pulse_min_responses`, in the order they came, and
    /// a block shows only when it is complete and wholly inside the window. So a view changes
    /// only by whole blocks, at either end of the window: comparing two views never isolates
    /// one answer. And nothing shows while every answer in the window comes from one person.
    async fn pulse_view(
        &self,
        conn: &mut crate::storage::Conn,
        manager: Option<&UserId>,
        today: chrono::NaiveDate,
    ) -> anyhow::Result<PulseView> {
        let s = &self.settings.one_on_one;
        let k = s.pulse_min_responses;
        let since = today
            .checked_sub_days(Days::new(s.pulse_window_days as u64))
            .unwrap_or(today);
        let (before, total) = reminders::pulse_counts(conn, manager, since).await?;
        let first = (before + k - 1) / k * k;
        let end = total / k * k;
        if end - first < k {
            // Counting towards the first block wholly inside the window.
            return Ok(PulseView::NotEnough {
                have: (total - first).max(0),
            });
        }
        let since_ms = crate::storage::millis(crate::domain::day_starts_at(
            since,
            self.settings.org.timezone,
        ));
        if k > 1 && reminders::pulse_respondents(conn, manager, since_ms).await? < 2 {
            return Ok(PulseView::OnePerson);
        }
        let summary = reminders::pulse_summary(conn, manager, first, end - first).await?;
        Ok(PulseView::Shown {
            summary,
            newer: total - end,
        })
    }

    /// Admins: the share of pairs on track and where 1on1s lapse, by team. Counts only.
    pub(super) async fn org_report(&self, l: Locale) -> anyhow::Result<String> {
        let s = &self.settings.one_on_one;
        let now = self.clock.now();
        let org_today = now.with_timezone(&self.settings.org.timezone).date_naive();
        let mut conn = self.store.pool().acquire().await?;
        let all = pairs::active_pairs(&mut conn).await?;
        if all.is_empty() {
            return Ok(tr0(l, "oneonone-report-empty"));
        }
        let (mut on_track, mut due, mut overdue, mut resting) = (0i64, 0i64, 0i64, 0i64);
        // manager -> (pairs, overdue)
        let mut teams: BTreeMap<&UserId, (i64, i64)> = BTreeMap::new();
        for pair in &all {
            let team = teams.entry(&pair.manager).or_default();
            team.0 += 1;
            match pair.facts().state(org_today) {
                PairState::OnTrack { .. } => on_track += 1,
                PairState::DueToday => due += 1,
                PairState::Overdue { .. } => {
                    overdue += 1;
                    team.1 += 1;
                }
                PairState::Snoozed { .. } | PairState::Paused => resting += 1,
            }
        }
        let active = on_track + due + overdue;
        let share = if active == 0 {
            100
        } else {
            (on_track + due) * 100 / active
        };
        let mut out = tr(
            l,
            "oneonone-report",
            &[
                ("pairs", (all.len() as i64).into()),
                ("share", share.into()),
                ("ontrack", on_track.into()),
                ("due", due.into()),
                ("overdue", overdue.into()),
                ("resting", resting.into()),
            ],
        );
        let mut lapsing: Vec<_> = teams.into_iter().filter(|(_, (_, o))| *o > 0).collect();
        lapsing.sort_by(|a, b| {
            (b.1.1 * 1000 / b.1.0)
                .cmp(&(a.1.1 * 1000 / a.1.0))
                .then(b.1.1.cmp(&a.1.1))
        });
        if !lapsing.is_empty() {
            out.push('\n');
            out.push_str(&tr0(l, "oneonone-report-teams"));
            for (manager, (pairs, late)) in lapsing.iter().take(TEAMS_SHOWN) {
                out.push('\n');
                out.push_str(&tr(
                    l,
                    "oneonone-report-team",
                    &[
                        ("manager", manager.mention().into()),
                        ("overdue", (*late).into()),
                        ("pairs", (*pairs).into()),
                    ],
                ));
            }
        }
        out.push('\n');
        if let PulseView::Shown { summary, .. } =
            self.pulse_view(&mut conn, None, org_today).await?
        {
            out.push_str(&tr(
                l,
                "oneonone-report-pulse",
                &[("days", s.pulse_window_days.into())],
            ));
            out.push('\n');
            out.push_str(&summary_lines(l, &summary));
        } else {
            out.push_str(&tr(
                l,
                "oneonone-report-pulse-not-enough",
                &[("need", s.pulse_min_responses.into())],
            ));
        }
        Ok(out)
    }
}

/// What `/1on1 feedback` and `/1on1 report` may show of the pulse.
enum PulseView {
    /// Fewer than one complete block of answers in the window (`have` counted answers).
    NotEnough { have: i64 },
    /// Enough answers, but all from one person.
    OnePerson,
    /// The aggregate of whole blocks, and how many newer answers wait for their block.
    Shown { summary: PulseSummary, newer: i64 },
}

/// Average usefulness and who talked more, as shares of the answers.
fn summary_lines(l: Locale, s: &PulseSummary) -> String {
    let n = s.answers.max(1);
    let pct = |k: i64| k * 100 / n;
    // One decimal without floating point surprises: 37 / 10 = "3.7".
    let tenths = (s.useful_sum * 10 + n / 2) / n;
    tr(
        l,
        "oneonone-pulse-summary",
        &[
            ("answers", s.answers.into()),
            ("useful", format!("{}.{}", tenths / 10, tenths % 10).into()),
            ("report", pct(s.report_talked_more).into()),
            ("even", pct(s.even).into()),
            ("manager", pct(s.manager_talked_more).into()),
        ],
    )
}
