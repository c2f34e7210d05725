//! The Home tab's content for one person, in their language: their thanks (budget left and its
//! reset day, points received, the last thanks received and given), their 1on1s (without
//! private notes: only the pair's state, open action items and topics), their open questions,
//! and for admins the export commands. Text people wrote goes through `user_text`. Rendering
//! to Block Kit (and the 100-block cap) is `slack::home`'s business.

use super::App;
use super::one_on_one::pair_line;
use crate::domain::text::{escaped, user_text};
use crate::domain::{Locale, Period, UserId};
use crate::i18n::{self, tr, tr0};
use crate::outbox::excerpt;
use crate::storage::{ask, pairs, thanks};

/// How many thanks received and given the tab lists.
const RECENT: i64 = 5;

/// One pair as the Home tab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomePair {
    pub pair_id: i64,
    /// The viewer is the manager (Held it today / Snooze buttons).
    pub as_manager: bool,
    /// Who, cadence, last 1on1, next due day and state.
    pub line: String,
    /// Open action items: (id, line).
    pub items: Vec<(i64, String)>,
    /// Topics for the next 1on1, one line each.
    pub topics: Vec<String>,
}

/// Everything the Home tab shows one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeTab {
    pub locale: Locale,
    /// Nothing yet: the tab explains the three commands instead.
    pub first_use: bool,
    /// Budget left and when it resets; points received this month and in all.
    pub summary: Vec<String>,
    pub received: Vec<String>,
    pub given: Vec<String>,
    pub pairs: Vec<HomePair>,
    /// Open questions the viewer asked.
    pub questions: Vec<String>,
    /// For experts: unanswered questions of their topics.
    pub to_answer: Vec<String>,
    /// For admins: what to run for the CSV exports.
    pub admin: Vec<String>,
}

impl App {
    /// The Home tab of `user`, as of now.
    pub async fn home_tab(&self, user: &UserId) -> anyhow::Result<HomeTab> {
        let l = self.lang_of(user).await;
        let today = self.today_of(user).await;
        let period = Period::containing(self.clock.now(), self.settings.org.timezone);
        let is_admin = self.is_admin(user).await?;
        let mut conn = self.store.pool().acquire().await?;
        let budget = self.budget_now(&mut conn, user, period).await?;
        let month = thanks::received(&mut conn, user, Some(period)).await?;
        let total = thanks::received(&mut conn, user, None).await?;
        let summary = vec![
            tr(
                l,
                "bonus-balance.budget",
                &[
                    ("remaining", budget.remaining().into()),
                    ("allowance", (budget.base + budget.granted).into()),
                    ("resets", i18n::date(l, period.resets_on()).into()),
                ],
            ),
            tr(
                l,
                "bonus-balance.received",
                &[("month", month.into()), ("total", total.into())],
            ),
        ];
        let line = |key: &str, item: &thanks::HistoryItem| {
            let mut s = tr(
                l,
                key,
                &[
                    ("who", i18n::people(l, &item.others).into()),
                    ("message", user_text(&excerpt(&item.message, 120)).into()),
                ],
            );
            if item.points_each > 0 {
                s.push_str(&format!(" (+{})", item.points_each));
            }
            // Values are the organisation's words from the settings, shown as text all the same.
            for v in &item.values {
                s.push_str(&format!(" #{}", escaped(v)));
            }
            s
        };
        let received: Vec<String> = thanks::received_by(&mut conn, user, RECENT)
            .await?
            .iter()
            .map(|i| line("home-received-line", i))
            .collect();
        let given: Vec<String> = thanks::given_by(&mut conn, user, RECENT)
            .await?
            .iter()
            .map(|i| line("home-given-line", i))
            .collect();
        let mut home_pairs = Vec::new();
        for pair in pairs::pairs_of(&mut conn, user).await? {
            let items = pairs::open_action_items(&mut conn, pair.id).await?;
            let topics = pairs::open_topics(&mut conn, pair.id, &pair.report).await?;
            home_pairs.push(HomePair {
                pair_id: pair.id,
                as_manager: &pair.manager == user,
                line: pair_line(l, user, &pair, today, items.len()),
                items: items
                    .iter()
                    .map(|i| {
                        let line = tr(
                            l,
                            "oneonone-item-line",
                            &[
                                ("id", i.id.into()),
                                ("text", user_text(&i.body).into()),
                                ("by", i.by.mention().into()),
                            ],
                        );
                        (i.id, line)
                    })
                    .collect(),
                topics: topics
                    .iter()
                    .map(|t| format!("• {} ({})", user_text(&t.body), t.by.mention()))
                    .collect(),
            });
        }
        let question_line = |r: &ask::HelpRequest| {
            let what = excerpt(&r.question, 80);
            let link = match &r.post_ts {
                Some(ts) => format!("<{}|{}>", super::ask::post_link(r, ts), escaped(&what)),
                None => user_text(&what),
            };
            let state = tr0(l, &format!("ask-state-{}", r.state.as_str()));
            format!("• {link} ({state})")
        };
        let unanswered = ask::unanswered(&mut conn, 500).await?;
        let ask_settings = &self.settings.ask;
        // The experts of a question are those its nudge would name (its topic's, else the help
        // channel's), people or user groups. A group's members come from Slack, cached, and
        // within a bounded wait: a slow Slack leaves group questions out rather than the tab.
        let waiting: Vec<&ask::HelpRequest> =
            unanswered.iter().filter(|r| &r.asker != user).collect();
        let groups: std::collections::BTreeSet<&crate::domain::UserGroupId> = waiting
            .iter()
            .flat_map(|r| ask_settings.experts_for(r.topic.as_deref()))
            .filter_map(|e| match e {
                crate::domain::Expert::Group(g) => Some(g),
                crate::domain::Expert::User(_) => None,
            })
            .collect();
        let members =
            futures_util::future::join_all(groups.iter().map(|g| self.group_members(g))).await;
        let my_groups: Vec<&crate::domain::UserGroupId> = groups
            .iter()
            .zip(members)
            .filter(|(_, m)| m.as_ref().is_some_and(|m| m.contains(user)))
            .map(|(g, _)| *g)
            .collect();
        let is_mine = |e: &crate::domain::Expert| match e {
            crate::domain::Expert::User(u) => u == user,
            crate::domain::Expert::Group(g) => my_groups.contains(&g),
        };
        let to_answer: Vec<String> = waiting
            .into_iter()
            .filter(|r| {
                ask_settings
                    .experts_for(r.topic.as_deref())
                    .iter()
                    .any(is_mine)
            })
            .map(question_line)
            .collect();
        let questions: Vec<String> = ask::open_of(&mut conn, user)
            .await?
            .iter()
            .map(question_line)
            .collect();
        let admin = if is_admin {
            let now_ms = crate::storage::millis(self.clock.now());
            let (given, allowance) = thanks::period_totals(&mut conn, period).await?;
            let active = pairs::active_pairs(&mut conn).await?;
            let on_track = active
                .iter()
                .filter(|p| {
                    matches!(
                        p.facts().state(today),
                        crate::domain::PairState::OnTrack { .. }
                    )
                })
                .count();
            let late = unanswered
                .iter()
                .filter(|r| r.nudge_due_at <= now_ms)
                .count();
            vec![
                tr(
                    l,
                    "home-admin-points",
                    &[("given", given.into()), ("allowance", allowance.into())],
                ),
                tr(
                    l,
                    "home-admin-pairs",
                    &[
                        ("on_track", (on_track as i64).into()),
                        ("pairs", (active.len() as i64).into()),
                    ],
                ),
                tr(l, "home-admin-late", &[("n", (late as i64).into())]),
                tr0(l, "home-admin-exports"),
            ]
        } else {
            vec![]
        };
        let first_use = budget.spent == 0
            && received.is_empty()
            && given.is_empty()
            && home_pairs.is_empty()
            && questions.is_empty()
            && to_answer.is_empty();
        Ok(HomeTab {
            locale: l.locale,
            first_use,
            summary,
            received,
            given,
            pairs: home_pairs,
            questions,
            to_answer,
            admin,
        })
    }
}

#[async_trait::async_trait]
impl crate::outbox::HomeSource for App {
    async fn home_tab(&self, user: &UserId) -> anyhow::Result<HomeTab> {
        App::home_tab(self, user).await
    }
}

impl App {
    /// The experts of `topic` named as people: their Home tab lists its unanswered questions.
    /// (Members of an expert user group see a change when they next open the tab: asking
    /// Slack who they are inside a use-case would hold its transaction.)
    pub(crate) fn person_experts(&self, topic: Option<&str>) -> Vec<UserId> {
        self.settings
            .ask
            .experts_for(topic)
            .iter()
            .filter_map(|e| match e {
                crate::domain::Expert::User(u) => Some(u.clone()),
                crate::domain::Expert::Group(_) => None,
            })
            .collect()
    }

    /// Asks, inside the caller's transaction, for the Home tabs of `users` to be published
    /// again (coalesced and throttled per person; built when published). Call
    /// [`App::committed`] after the commit so they go out at once.
    pub(crate) async fn refresh_homes<'a>(
        &self,
        conn: &mut crate::storage::Conn,
        users: impl IntoIterator<Item = &'a UserId>,
    ) -> anyhow::Result<()> {
        // In one order everywhere: two transactions asking for the same people never wait
        // for each other in opposite orders.
        let users: std::collections::BTreeSet<&UserId> = users.into_iter().collect();
        let now = crate::outbox::home::wall_ms();
        let interval = crate::outbox::HOME_REFRESH_INTERVAL.as_millis() as i64;
        for user in users {
            crate::storage::home::request(conn, user, now, interval).await?;
        }
        Ok(())
    }

    /// `user` opened the app's Home tab: publish it (throttled like every refresh: a tab
    /// published moments ago is still current, since every change asks for a refresh). The
    /// event is recorded in the same transaction; false when it had been already (a retry).
    pub async fn home_opened(&self, user: &UserId, event_id: &str) -> anyhow::Result<bool> {
        let mut tx = self.store.begin().await?;
        let now = crate::storage::millis(self.clock.now());
        let key = format!("event:{event_id}");
        if crate::storage::requests::claim(&mut tx, &key, now).await?
            != crate::storage::requests::Claim::New
        {
            tx.rollback().await?;
            return Ok(false);
        }
        self.refresh_homes(&mut tx, [user]).await?;
        tx.commit().await?;
        self.committed();
        Ok(true)
    }
}
