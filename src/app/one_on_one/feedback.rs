//! Honest feedback: the report's anonymous pulse after a 1on1, a manager's own aggregate (only
//! once enough answers exist that none can be traced), and the org-level numbers for admins.
//! Nothing here reads notes, and no single answer is ever shown.

use super::super::App;
use crate::domain::{PairState, UserId, pulse_blocks};
use crate::i18n::{Lang, tr, tr0};
use crate::storage::pairs;
use crate::storage::reminders::{self, PulseAnswer, PulseOutcome, StoredPulseAnswer};
use chrono::Days;
use std::collections::BTreeMap;

/// How many teams `/1on1 report` lists by name.
const TEAMS_SHOWN: usize = 10;

impl App {
    /// A report's answer to one pulse question (a button).
    pub(crate) async fn answer_pulse(
        &self,
        user: &UserId,
        l: Lang<'_>,
        meeting_id: i64,
        answer: PulseAnswer,
    ) -> anyhow::Result<(PulseOutcome, String)> {
        let today = self.today_of(user).await;
        let mut tx = self.store.begin().await?;
        let outcome =
            reminders::answer_pulse(&mut tx, meeting_id, user, answer, today, &self.pulse_key)
                .await?;
        tx.commit().await?;
        let key = match outcome {
            PulseOutcome::Partial => "oneonone-pulse-partial",
            PulseOutcome::Complete => "oneonone-pulse-thanks",
            PulseOutcome::Ignored => "oneonone-pulse-closed",
        };
        Ok((outcome, tr0(l, key)))
    }

    pub(super) async fn feedback(&self, me: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
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
    /// Answers are grouped into blocks in the order they came (`domain::pulse_blocks`): a block
    /// closes once it holds `pulse_min_responses` answers from at least two different reports,
    /// and the answers after the last closed block stay hidden. A block shows only when it is
    /// wholly inside the window. So a view changes only by whole blocks, at either end of the
    /// window, and no block is one person's answers: comparing two views never isolates one
    /// answer, nor one report's answers.
    async fn pulse_view(
        &self,
        conn: &mut crate::storage::Conn,
        manager: Option<&UserId>,
        today: chrono::NaiveDate,
    ) -> anyhow::Result<PulseView> {
        let s = &self.settings.one_on_one;
        let since = today
            .checked_sub_days(Days::new(s.pulse_window_days as u64))
            .unwrap_or(today);
        let answers = reminders::pulse_answers(conn, manager).await?;
        Ok(view_of_blocks(
            &answers,
            s.pulse_min_responses,
            reminders::week_of(since),
        ))
    }

    /// Admins: the share of pairs on track and where 1on1s lapse, by team. Counts only.
    pub(super) async fn org_report(&self, l: Lang<'_>) -> anyhow::Result<String> {
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
#[derive(Debug, PartialEq)]
enum PulseView {
    /// Not yet a block to show; `have` answers in the window wait for one.
    NotEnough { have: i64 },
    /// Enough answers in the window, but all from one person.
    OnePerson,
    /// The aggregate of whole blocks, and how many newer answers wait for their block.
    Shown { summary: PulseSummary, newer: i64 },
}

/// The anonymous pulse of whole blocks of answers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PulseSummary {
    answers: i64,
    useful_sum: i64,
    report_talked_more: i64,
    even: i64,
    manager_talked_more: i64,
}

/// The view of `answers` (in the order they came) with blocks of at least `k`, showing the
/// blocks whose answers all came in or after the week of `first_week`.
fn view_of_blocks(
    answers: &[StoredPulseAnswer],
    k: i64,
    first_week: chrono::NaiveDate,
) -> PulseView {
    let buckets: Vec<Option<&str>> = answers.iter().map(|a| a.bucket.as_deref()).collect();
    let ends = pulse_blocks(&buckets, k.max(1) as usize);
    let mut summary = PulseSummary::default();
    let mut start = 0;
    for end in &ends {
        let block = &answers[start..*end];
        if block.iter().all(|a| a.week >= first_week) {
            for a in block {
                summary.answers += 1;
                summary.useful_sum += a.useful;
                match a.talk.as_str() {
                    "report" => summary.report_talked_more += 1,
                    "even" => summary.even += 1,
                    _ => summary.manager_talked_more += 1,
                }
            }
        }
        start = *end;
    }
    let waiting = &answers[start..];
    if summary.answers > 0 {
        return PulseView::Shown {
            summary,
            newer: waiting.len() as i64,
        };
    }
    let have = waiting.iter().filter(|a| a.week >= first_week).count() as i64;
    if have >= k {
        PulseView::OnePerson
    } else {
        PulseView::NotEnough { have }
    }
}

/// Average usefulness and who talked more, as shares of the answers.
fn summary_lines(l: Lang<'_>, s: &PulseSummary) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn week(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// Answers `(bucket, week's day in November 2026, useful)`, each with "even".
    fn answers(list: &[(&str, u32, i64)]) -> Vec<StoredPulseAnswer> {
        list.iter()
            .map(|(b, w, u)| StoredPulseAnswer {
                bucket: (!b.is_empty()).then(|| (*b).to_owned()),
                week: week(*w),
                useful: *u,
                talk: "even".into(),
            })
            .collect()
    }

    fn shown(answers: i64, useful_sum: i64, newer: i64) -> PulseView {
        PulseView::Shown {
            summary: PulseSummary {
                answers,
                useful_sum,
                even: answers,
                ..PulseSummary::default()
            },
            newer,
        }
    }

    #[test]
    fn pulse_view_shows_whole_blocks_of_two_people_inside_the_window() {
        #[rustfmt::skip]
        let cases: Vec<(Vec<StoredPulseAnswer>, PulseView)> = vec![
            (answers(&[]), PulseView::NotEnough { have: 0 }),
            (answers(&[("a", 9, 5), ("b", 9, 1)]), PulseView::NotEnough { have: 2 }),
            (answers(&[("a", 9, 5), ("a", 9, 5), ("a", 9, 5)]), PulseView::OnePerson),
            (answers(&[("a", 9, 5), ("b", 9, 1), ("a", 9, 3)]), shown(3, 9, 0)),
            // The attack: more answers of one report never show on their own.
            (
                answers(&[("a", 9, 5), ("b", 9, 1), ("a", 9, 3), ("a", 16, 1), ("a", 16, 1), ("a", 16, 1)]),
                shown(3, 9, 3),
            ),
            // A block that began before the window is not shown, nor counted as waiting.
            (
                answers(&[("a", 2, 5), ("b", 9, 1), ("a", 9, 3), ("b", 9, 2)]),
                PulseView::NotEnough { have: 1 },
            ),
            // Answers from before buckets existed never count as a second person.
            (answers(&[("", 9, 5), ("", 9, 5), ("a", 9, 5)]), PulseView::OnePerson),
            (answers(&[("", 9, 5), ("", 9, 5), ("a", 9, 5), ("b", 9, 1)]), shown(4, 16, 0)),
        ];
        for (i, (answers, want)) in cases.iter().enumerate() {
            assert_eq!(view_of_blocks(answers, 3, week(9)), *want, "case {i}");
        }
    }
}
