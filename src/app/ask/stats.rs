//! `/ask stats` (admins): per topic over the last 30 days, how many asked, the share answered,
//! and the median time to the first answer and to resolution, counted in working hours. Read
//! from counts and times only: no asker and no question is ever looked at.

use super::super::App;
use crate::domain::{UserId, median_ms};
use crate::i18n::{Lang, tr, tr0};
use crate::storage::{self, ask};
use std::collections::BTreeMap;

/// The window `/ask stats` looks back over.
const STATS_DAYS: i64 = 30;

#[derive(Default)]
struct TopicStats {
    asked: i64,
    answered: i64,
    to_answer: Vec<i64>,
    to_resolve: Vec<i64>,
}

impl App {
    pub(super) async fn ask_stats(&self, user: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        if !self.is_admin(user).await? {
            return Ok(tr0(l, "ask-stats-admins-only"));
        }
        let now = self.clock.now();
        let since = now - chrono::Duration::days(STATS_DAYS);
        let rows = {
            let mut conn = self.store.pool().acquire().await?;
            ask::asked_since(&mut conn, storage::millis(since)).await?
        };
        if rows.is_empty() {
            return Ok(tr(l, "ask-stats-none", &[("days", STATS_DAYS.into())]));
        }
        let working = &self.settings.org.working;
        let work = |from: i64, to: i64| {
            working
                .between(storage::from_millis(from), storage::from_millis(to))
                .num_milliseconds()
        };
        // No topic sorts first, then topics by name.
        let mut by_topic: BTreeMap<Option<String>, TopicStats> = BTreeMap::new();
        for r in rows {
            let t = by_topic.entry(r.topic).or_default();
            t.asked += 1;
            if let Some(a) = r.answered_at {
                t.answered += 1;
                t.to_answer.push(work(r.asked_at, a));
            }
            if let Some(done) = r.resolved_at {
                t.to_resolve.push(work(r.asked_at, done));
            }
        }
        let mut lines = vec![tr(l, "ask-stats-header", &[("days", STATS_DAYS.into())])];
        for (topic, t) in by_topic {
            let name = match topic {
                Some(t) => format!("#{t}"),
                None => tr0(l, "ask-stats-no-topic"),
            };
            let share = (t.answered * 100 + t.asked / 2) / t.asked;
            lines.push(tr(
                l,
                "ask-stats-line",
                &[
                    ("topic", name.into()),
                    ("asked", t.asked.into()),
                    ("share", share.into()),
                    ("answer", self.work_time(l, median_ms(&t.to_answer)).into()),
                    (
                        "resolve",
                        self.work_time(l, median_ms(&t.to_resolve)).into(),
                    ),
                ],
            ));
        }
        lines.push(tr0(l, "ask-stats-footer"));
        Ok(lines.join("\n"))
    }

    /// Working time as people read it: "1h 5m" (「1時間5分」), or "–" when there is none to show.
    fn work_time(&self, l: Lang<'_>, ms: Option<i64>) -> String {
        match ms {
            None => tr0(l, "ask-stats-nothing"),
            Some(ms) => {
                let minutes = ms / 60_000;
                tr(
                    l,
                    "ask-duration",
                    &[("h", (minutes / 60).into()), ("m", (minutes % 60).into())],
                )
            }
        }
    }
}
