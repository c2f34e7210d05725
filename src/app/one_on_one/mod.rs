//! `/1on1`: who meets whom (add, remove, pause, resume, snooze), my pairs at a glance, and the
//! dispatch to records (`records.rs`) and honest feedback (`feedback.rs`).
//!
//! Who may do what: a pair's manager changes its rhythm (add, remove, snooze, pause, resume);
//! either of the two records a 1on1, adds items and topics, and reads the pair's notes; nobody
//! else sees anything of a pair but the numbers of `/1on1 report` (admins).

mod feedback;
mod invitations;
mod records;

use super::{App, CommandRequest, Reply, help};
use crate::commands::{OneOnOneCommand, SnoozeFor};
use crate::domain::{Cadence, MAX_SNOOZE_DAYS, PairState, RecipientStatus, UserId};
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::pairs::{self, NewPair, Pair};
use crate::storage::{self, Tx, admin, requests};
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

impl App {
    pub(crate) async fn one_on_one(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        cmd: OneOnOneCommand,
    ) -> anyhow::Result<Reply> {
        let me = &req.user;
        let private = matches!(cmd, OneOnOneCommand::Notes { .. });
        let text = match cmd {
            OneOnOneCommand::List => self.list_pairs(me, l).await?,
            OneOnOneCommand::Help => help::one_on_one_help(l, self.is_admin(me).await?),
            OneOnOneCommand::Add { report, cadence } => {
                self.add_report(req, l, &report, cadence).await?
            }
            OneOnOneCommand::Remove { report } => self.remove_report(req, l, &report).await?,
            OneOnOneCommand::Snooze { report, until } => {
                self.change_rhythm(req, l, &report, Rhythm::Snooze(until))
                    .await?
            }
            OneOnOneCommand::Pause { report } => {
                self.change_rhythm(req, l, &report, Rhythm::Pause).await?
            }
            OneOnOneCommand::Resume { report } => {
                self.change_rhythm(req, l, &report, Rhythm::Resume).await?
            }
            OneOnOneCommand::Done { other, on, notes } => {
                self.record_one_on_one(req, l, &other, on, notes.as_deref())
                    .await?
            }
            OneOnOneCommand::Todo { other, text } => self.add_todo(req, l, &other, &text).await?,
            OneOnOneCommand::Todos => self.list_todos(me, l).await?,
            OneOnOneCommand::TodoDone { id } => self.close_todo(me, l, id).await?,
            OneOnOneCommand::Topic { other, text } => self.add_topic(req, l, &other, &text).await?,
            OneOnOneCommand::Notes { other } => self.pair_notes(me, l, &other).await?,
            OneOnOneCommand::Feedback => self.feedback(me, l).await?,
            OneOnOneCommand::Report => {
                if self.is_admin(me).await? {
                    self.org_report(l).await?
                } else {
                    tr0(l, "oneonone-report-admins-only")
                }
            }
        };
        Ok(Reply { text, private })
    }

    /// A person's time zone: their Slack profile's when known, else the organisation's.
    pub(crate) fn zone(&self, tz: Option<&str>) -> Tz {
        tz.and_then(|t| t.parse().ok())
            .unwrap_or(self.settings.org.timezone)
    }

    /// Today where `user` is.
    pub(crate) async fn today_of(&self, user: &UserId) -> NaiveDate {
        let tz = match self.user(user).await {
            Ok(Some(u)) => self.zone(u.tz.as_deref()),
            _ => self.settings.org.timezone,
        };
        self.clock.now().with_timezone(&tz).date_naive()
    }

    /// Starts the transaction of a command that changes something. `Err(reply)` when this
    /// request was handled before (a retry or double submit): answer the same, change nothing.
    async fn begin_once(&self, req: &CommandRequest) -> anyhow::Result<Result<Tx, String>> {
        self.begin_once_key(&format!("command:{}", req.request_key))
            .await
    }

    /// [`Self::begin_once`] for any idempotency key (a form's view id).
    async fn begin_once_key(&self, key: &str) -> anyhow::Result<Result<Tx, String>> {
        let mut tx = self.store.begin().await?;
        let now_ms = storage::millis(self.clock.now());
        match requests::claim(&mut tx, key, now_ms).await? {
            requests::Claim::New => Ok(Ok(tx)),
            requests::Claim::Seen(reply) => {
                tx.rollback().await?;
                Ok(Err(reply.unwrap_or_default()))
            }
        }
    }

    /// Commits a command's transaction with the reply a retry should get.
    async fn finish_once(
        &self,
        tx: Tx,
        req: &CommandRequest,
        reply: String,
    ) -> anyhow::Result<String> {
        self.finish_once_key(tx, &format!("command:{}", req.request_key), reply)
            .await
    }

    /// [`Self::finish_once`] for any idempotency key.
    async fn finish_once_key(
        &self,
        mut tx: Tx,
        key: &str,
        reply: String,
    ) -> anyhow::Result<String> {
        requests::save_reply(&mut tx, key, &reply).await?;
        tx.commit().await?;
        self.committed();
        Ok(reply)
    }

    /// `None` when `user` is a person in this workspace; else the reply that says why not.
    async fn refuse_non_person(&self, l: Lang<'_>, user: &UserId) -> Option<String> {
        let found = match self.user(user).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "cannot check the person named in /1on1");
                return Some(tr0(l, "refuse-slack-unavailable"));
            }
        };
        match Self::status_of(found.as_ref()) {
            RecipientStatus::Person => None,
            _ => Some(tr(
                l,
                "oneonone-not-a-person",
                &[("user", user.mention().into())],
            )),
        }
    }

    async fn add_report(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        report: &UserId,
        cadence: Option<Cadence>,
    ) -> anyhow::Result<String> {
        let me = &req.user;
        if report == me {
            return Ok(tr0(l, "oneonone-add-self"));
        }
        if let Some(refusal) = self.refuse_non_person(l, report).await {
            return Ok(refusal);
        }
        let today = self.today_of(me).await;
        let report_locale = self.lang_of(report).await;
        let now_ms = storage::millis(self.clock.now());
        // Admins add directly; anyone else invites the report, who accepts or declines.
        let is_admin = self.is_admin(me).await?;
        let mut tx = match self.begin_once(req).await? {
            Ok(tx) => tx,
            Err(reply) => return Ok(reply),
        };
        let existing = locked_pair_of_report(&mut tx, report).await?;
        let reply = match existing {
            Some(mut pair) if &pair.manager == me => match cadence {
                Some(c) if c != pair.cadence => {
                    let was = pair.cadence;
                    pair.cadence = c;
                    pair.due_on = pair.facts().due_on();
                    pairs::update_schedule(&mut tx, &pair).await?;
                    self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                        .await?;
                    admin::audit(
                        &mut tx,
                        me,
                        "pair.cadence",
                        Some(report),
                        &json!({ "from": was.to_string(), "to": c.to_string() }),
                        now_ms,
                    )
                    .await?;
                    tr(
                        l,
                        "oneonone-cadence-changed",
                        &[
                            ("report", report.mention().into()),
                            ("cadence", cadence_words(l, c).into()),
                            ("due", i18n::date(l, pair.due_on).into()),
                        ],
                    )
                }
                _ => tr(
                    l,
                    "oneonone-already-added",
                    &[
                        ("report", report.mention().into()),
                        ("cadence", cadence_words(l, pair.cadence).into()),
                    ],
                ),
            },
            Some(pair) => has_manager(l, report, &pair.manager, is_admin),
            None => {
                if let Some(mine) = pairs::active_pair_of_report(&mut tx, me).await?
                    && &mine.manager == report
                {
                    tr(
                        l,
                        "oneonone-add-own-manager",
                        &[("manager", report.mention().into())],
                    )
                } else if !is_admin {
                    let cadence = cadence.unwrap_or(self.settings.one_on_one.default_cadence);
                    self.invite(&mut tx, l, me, report, cadence, report_locale)
                        .await?
                } else {
                    let cadence = cadence.unwrap_or(self.settings.one_on_one.default_cadence);
                    let due_on = cadence.next_due(today);
                    let added = pairs::insert_pair(
                        &mut tx,
                        &NewPair {
                            manager: me,
                            report,
                            cadence,
                            added_on: today,
                            due_on,
                            added_by: me,
                            now_ms,
                        },
                    )
                    .await;
                    // Another manager added them between our read and this write (the unique
                    // index on active reports decided): answer as if we had seen it.
                    if let Err(sqlx::Error::Database(e)) = &added
                        && e.is_unique_violation()
                    {
                        tx.rollback().await?;
                        return self.already_paired(l, me, report, is_admin).await;
                    }
                    added?;
                    self.refresh_homes(&mut tx, [me, report]).await?;
                    admin::audit(
                        &mut tx,
                        me,
                        "pair.add",
                        Some(report),
                        &json!({ "cadence": cadence.to_string() }),
                        now_ms,
                    )
                    .await?;
                    self.enqueue(
                        &mut tx,
                        OutboundMessage {
                            to: Destination::Direct {
                                user: report.clone(),
                            },
                            locale: report_locale.locale,
                            body: Body::Text {
                                text: tr(
                                    report_locale,
                                    "oneonone-added-dm",
                                    &[
                                        ("manager", me.mention().into()),
                                        ("cadence", cadence_words(report_locale, cadence).into()),
                                    ],
                                ),
                            },
                        },
                    )
                    .await?;
                    tr(
                        l,
                        "oneonone-added",
                        &[
                            ("report", report.mention().into()),
                            ("cadence", cadence_words(l, cadence).into()),
                            ("due", i18n::date(l, due_on).into()),
                        ],
                    )
                }
            }
        };
        self.finish_once(tx, req, reply).await
    }

    /// The answer to `/1on1 add` for a report who, it turned out, already has a manager.
    async fn already_paired(
        &self,
        l: Lang<'_>,
        me: &UserId,
        report: &UserId,
        is_admin: bool,
    ) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let pair = pairs::active_pair_of_report(&mut conn, report).await?;
        Ok(match pair {
            Some(p) if &p.manager == me => tr(
                l,
                "oneonone-already-added",
                &[
                    ("report", report.mention().into()),
                    ("cadence", cadence_words(l, p.cadence).into()),
                ],
            ),
            Some(p) => has_manager(l, report, &p.manager, is_admin),
            None => tr0(l, "err-unexpected"),
        })
    }

    async fn remove_report(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        report: &UserId,
    ) -> anyhow::Result<String> {
        let me = &req.user;
        let is_admin = self.is_admin(me).await?;
        let now_ms = storage::millis(self.clock.now());
        let mut tx = match self.begin_once(req).await? {
            Ok(tx) => tx,
            Err(reply) => return Ok(reply),
        };
        // A report may also leave a pair (`/1on1 remove @manager`): nobody can be kept as
        // someone's report against their will, whether an admin or the org chart made it.
        let mine = pairs::active_pair_of_report(&mut tx, me).await?;
        if let Some(pair) = mine.filter(|p| &p.manager == report) {
            pairs::end_pair(&mut tx, pair.id, now_ms).await?;
            self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                .await?;
            admin::audit(
                &mut tx,
                me,
                "pair.leave",
                Some(report),
                &json!({ "manager": pair.manager.as_str() }),
                now_ms,
            )
            .await?;
            let reply = tr(l, "oneonone-left", &[("manager", report.mention().into())]);
            return self.finish_once(tx, req, reply).await;
        }
        let reply = match pairs::active_pair_of_report(&mut tx, report).await? {
            Some(pair) if &pair.manager == me || is_admin => {
                pairs::end_pair(&mut tx, pair.id, now_ms).await?;
                self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                    .await?;
                admin::audit(
                    &mut tx,
                    me,
                    "pair.remove",
                    Some(report),
                    &json!({ "manager": pair.manager.as_str() }),
                    now_ms,
                )
                .await?;
                tr(
                    l,
                    "oneonone-removed",
                    &[("report", report.mention().into())],
                )
            }
            _ => not_your_report(l, report),
        };
        self.finish_once(tx, req, reply).await
    }

    async fn change_rhythm(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        report: &UserId,
        change: Rhythm,
    ) -> anyhow::Result<String> {
        let me = &req.user;
        let today = self.today_of(me).await;
        let mut tx = match self.begin_once(req).await? {
            Ok(tx) => tx,
            Err(reply) => return Ok(reply),
        };
        let reply = match locked_pair_of_report(&mut tx, report).await? {
            Some(pair) if &pair.manager == me => match apply_rhythm(l, pair, change, today) {
                Ok((pair, reply)) => {
                    pairs::update_schedule(&mut tx, &pair).await?;
                    self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                        .await?;
                    reply
                }
                Err(refusal) => refusal,
            },
            _ => not_your_report(l, report),
        };
        self.finish_once(tx, req, reply).await
    }

    /// The "Snooze 2 days" button: the same rule as `/1on1 snooze @report 2d`.
    pub(crate) async fn snooze_from_button(
        &self,
        user: &UserId,
        l: Lang<'_>,
        pair_id: i64,
    ) -> anyhow::Result<String> {
        let today = self.today_of(user).await;
        let mut tx = self.store.begin().await?;
        let reply = match pairs::lock(&mut tx, pair_id).await? {
            Some(pair) if &pair.manager == user => {
                match apply_rhythm(l, pair, Rhythm::Snooze(SnoozeFor::Days(2)), today) {
                    Ok((pair, reply)) => {
                        pairs::update_schedule(&mut tx, &pair).await?;
                        self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                            .await?;
                        reply
                    }
                    Err(refusal) => refusal,
                }
            }
            _ => tr0(l, "oneonone-pair-gone"),
        };
        tx.commit().await?;
        self.committed();
        Ok(reply)
    }

    async fn list_pairs(&self, me: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        let today = self.today_of(me).await;
        let mut conn = self.store.pool().acquire().await?;
        let mine = pairs::pairs_of(&mut conn, me).await?;
        let pending = self.pending_invitation_lines(&mut conn, me, l).await?;
        if mine.is_empty() && pending.is_empty() {
            return Ok(tr0(l, "oneonone-list-none"));
        }
        let mut out = tr0(l, "oneonone-list-header");
        for pair in &mine {
            let open = pairs::open_action_items(&mut conn, pair.id).await?.len();
            out.push('\n');
            out.push_str(&pair_line(l, me, pair, today, open));
        }
        for line in pending {
            out.push('\n');
            out.push_str(&line);
        }
        Ok(out)
    }
}

/// What a manager changes about a pair's reminders.
#[derive(Debug, Clone, Copy)]
enum Rhythm {
    Snooze(SnoozeFor),
    Pause,
    Resume,
}

/// The pair after the change and the reply, or the refusal.
fn apply_rhythm(
    l: Lang<'_>,
    mut pair: Pair,
    change: Rhythm,
    today: NaiveDate,
) -> Result<(Pair, String), String> {
    let who = pair.report.mention();
    match change {
        Rhythm::Snooze(until) => {
            let until = match until {
                SnoozeFor::Days(n) => today.checked_add_days(Days::new(u64::from(n))),
                SnoozeFor::Until(d) => Some(d),
            };
            let latest = today.checked_add_days(Days::new(u64::from(MAX_SNOOZE_DAYS)));
            match until {
                Some(d) if d <= today => Err(tr(
                    l,
                    "oneonone-snooze-past",
                    &[("date", i18n::date(l, d).into())],
                )),
                Some(d) if latest.is_some_and(|max| d <= max) => {
                    pair.snoozed_until = Some(d);
                    Ok((
                        pair,
                        tr(
                            l,
                            "oneonone-snoozed",
                            &[("report", who.into()), ("date", i18n::date(l, d).into())],
                        ),
                    ))
                }
                _ => Err(tr0(l, "oneonone-snooze-too-long")),
            }
        }
        Rhythm::Pause => {
            pair.paused = true;
            Ok((pair, tr(l, "oneonone-paused", &[("report", who.into())])))
        }
        Rhythm::Resume => {
            let was_quiet = pair.paused || pair.snoozed_until.is_some_and(|d| d > today);
            pair.paused = false;
            pair.snoozed_until = None;
            let key = if was_quiet {
                "oneonone-resumed"
            } else {
                "oneonone-not-paused"
            };
            let due = i18n::date(l, pair.due_on);
            Ok((
                pair,
                tr(l, key, &[("report", who.into()), ("due", due.into())]),
            ))
        }
    }
}

/// The report's active pair, locked for this transaction (see [`pairs::lock`]).
pub(crate) async fn locked_pair_of_report(
    tx: &mut Tx,
    report: &UserId,
) -> anyhow::Result<Option<Pair>> {
    match pairs::active_pair_of_report(tx, report).await? {
        Some(pair) => Ok(pairs::lock(tx, pair.id).await?),
        None => Ok(None),
    }
}

/// The refusal of `/1on1 add` for a report who has a manager already. It names the manager
/// to admins only: to anyone else, who manages whom is none of their business (the caller is
/// never the report here, and a manager adding their own report gets another answer).
fn has_manager(l: Lang<'_>, report: &UserId, manager: &UserId, is_admin: bool) -> String {
    if is_admin {
        tr(
            l,
            "oneonone-has-manager",
            &[
                ("report", report.mention().into()),
                ("manager", manager.mention().into()),
            ],
        )
    } else {
        tr(
            l,
            "oneonone-has-manager-neutral",
            &[("report", report.mention().into())],
        )
    }
}

fn not_your_report(l: Lang<'_>, report: &UserId) -> String {
    tr(
        l,
        "oneonone-not-your-report",
        &[("report", report.mention().into())],
    )
}

/// A cadence in words: "every 2 weeks" / "2週間ごと".
pub(crate) fn cadence_words(l: Lang<'_>, c: Cadence) -> String {
    match c {
        Cadence::Weekly => tr0(l, "oneonone-cadence-weekly"),
        Cadence::Biweekly => tr0(l, "oneonone-cadence-biweekly"),
        Cadence::Monthly => tr0(l, "oneonone-cadence-monthly"),
        Cadence::EveryDays(n) => tr(l, "oneonone-cadence-days", &[("n", n.into())]),
    }
}

/// A pair's state in words.
pub(crate) fn state_words(l: Lang<'_>, state: PairState) -> String {
    match state {
        PairState::OnTrack { due_on } => tr(
            l,
            "oneonone-state-on-track",
            &[("due", i18n::date(l, due_on).into())],
        ),
        PairState::DueToday => tr0(l, "oneonone-state-due"),
        PairState::Overdue { days, .. } => {
            tr(l, "oneonone-state-overdue", &[("days", days.into())])
        }
        PairState::Snoozed { until, .. } => tr(
            l,
            "oneonone-state-snoozed",
            &[("until", i18n::date(l, until).into())],
        ),
        PairState::Paused => tr0(l, "oneonone-state-paused"),
    }
}

/// One line of `/1on1 list`.
pub(in crate::app) fn pair_line(
    l: Lang<'_>,
    me: &UserId,
    pair: &Pair,
    today: NaiveDate,
    open_items: usize,
) -> String {
    let key = if &pair.manager == me {
        "oneonone-list-as-manager"
    } else {
        "oneonone-list-as-report"
    };
    let last = match pair.last_met_on {
        Some(d) => i18n::date(l, d),
        None => tr0(l, "oneonone-never"),
    };
    tr(
        l,
        key,
        &[
            ("other", pair.other(me).mention().into()),
            ("cadence", cadence_words(l, pair.cadence).into()),
            ("last", last.into()),
            ("due", i18n::date(l, pair.due_on).into()),
            ("state", state_words(l, pair.facts().state(today)).into()),
            ("items", (open_items as i64).into()),
        ],
    )
}
