//! What the two people of a pair write down: the 1on1 itself (with private notes), action items
//! that carry forward until closed, and topics for the next one.

use super::super::{App, CommandRequest};
use crate::domain::UserId;
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::pairs::{self, Pair};
use crate::storage::{self, Tx, reminders};
use chrono::{Days, NaiveDate};

/// The longest action item or topic: it must fit a reminder.
const MAX_ITEM_CHARS: usize = 500;
/// The longest note of one 1on1.
const MAX_NOTE_CHARS: usize = 10_000;
/// A 1on1 recorded more than this many days after it was held gets no pulse: memories fade.
const PULSE_WITHIN_DAYS: u64 = 7;
/// A 1on1 may be recorded up to a year after it was held; anything older is more likely a typo
/// (2016 for 2026) than a record, and would make the pair look overdue for years.
const MAX_BACKDATE_DAYS: u64 = 365;
/// How many recent 1on1s `/1on1 notes` shows.
const NOTES_SHOWN: i64 = 3;

impl App {
    /// `/1on1 done` and the "Held it today" button: records the 1on1, attaches the open topics to
    /// it, keeps the notes private to the pair, moves the due day and asks the report for a pulse.
    pub(crate) async fn record_one_on_one(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        other: &UserId,
        on: Option<NaiveDate>,
        notes: Option<&str>,
    ) -> anyhow::Result<String> {
        let me = &req.user;
        let today = self.today_of(me).await;
        let held_on = on.unwrap_or(today);
        if today
            .checked_sub_days(Days::new(MAX_BACKDATE_DAYS))
            .is_some_and(|oldest| held_on < oldest)
        {
            return Ok(tr(
                l,
                "oneonone-done-too-old",
                &[("date", i18n::date(l, held_on).into())],
            ));
        }
        if held_on > today {
            return Ok(tr(
                l,
                "oneonone-done-future",
                &[("date", i18n::date(l, held_on).into())],
            ));
        }
        if let Some(n) = notes
            && n.chars().count() > MAX_NOTE_CHARS
        {
            return Ok(tr(
                l,
                "oneonone-too-long",
                &[("max", (MAX_NOTE_CHARS as i64).into())],
            ));
        }
        let mut conn = self.store.pool().acquire().await?;
        let Some(pair) = pairs::pair_between(&mut conn, me, other).await? else {
            return Ok(no_pair(l, other));
        };
        drop(conn);
        let report_locale = self.lang_of(&pair.report).await;
        let mut tx = match self.begin_once(req).await? {
            Ok(tx) => tx,
            Err(reply) => return Ok(reply),
        };
        // Read again, locked, inside the transaction: the pair may have changed since.
        let reply = match pairs::lock(&mut tx, pair.id).await? {
            Some(pair) => {
                self.record_in(&mut tx, me, l, &pair, held_on, today, notes, report_locale)
                    .await?
            }
            None => no_pair(l, other),
        };
        self.finish_once(tx, req, reply).await
    }

    /// The "Held it today" button.
    pub(crate) async fn held_from_button(
        &self,
        user: &UserId,
        l: Lang<'_>,
        pair_id: i64,
    ) -> anyhow::Result<String> {
        let today = self.today_of(user).await;
        let mut conn = self.store.pool().acquire().await?;
        let pair = pairs::pair_by_id(&mut conn, pair_id).await?;
        drop(conn);
        let Some(pair) = pair.filter(|p| &p.manager == user || &p.report == user) else {
            return Ok(tr0(l, "oneonone-pair-gone"));
        };
        let report_locale = self.lang_of(&pair.report).await;
        let mut tx = self.store.begin().await?;
        let reply = match pairs::lock(&mut tx, pair.id).await? {
            Some(pair) => {
                self.record_in(&mut tx, user, l, &pair, today, today, None, report_locale)
                    .await?
            }
            None => tr0(l, "oneonone-pair-gone"),
        };
        tx.commit().await?;
        self.committed();
        Ok(reply)
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_in(
        &self,
        tx: &mut Tx,
        me: &UserId,
        l: Lang<'_>,
        pair: &Pair,
        held_on: NaiveDate,
        today: NaiveDate,
        notes: Option<&str>,
        report_locale: Lang<'_>,
    ) -> anyhow::Result<String> {
        let now_ms = storage::millis(self.clock.now());
        let other = pair.other(me).mention();
        let date = i18n::date(l, held_on);
        let Some(meeting) = pairs::record_meeting(tx, pair.id, held_on, me, now_ms).await? else {
            // Recorded already (by the other person, or twice): keep any new notes with it.
            if let Some(n) = notes
                && let Some(meeting) = pairs::meeting_on(tx, pair.id, held_on).await?
            {
                pairs::add_note(tx, meeting, me, n, now_ms).await?;
                return Ok(tr(
                    l,
                    "oneonone-done-already-noted",
                    &[("other", other.into()), ("date", date.into())],
                ));
            }
            return Ok(tr(
                l,
                "oneonone-done-already",
                &[("other", other.into()), ("date", date.into())],
            ));
        };
        if let Some(n) = notes {
            pairs::add_note(tx, meeting, me, n, now_ms).await?;
        }
        let mut updated = pair.clone();
        if updated.last_met_on.is_none_or(|last| held_on > last) {
            updated.last_met_on = Some(held_on);
            // The snooze was about the period that just ended.
            updated.snoozed_until = None;
        }
        updated.due_on = updated.facts().due_on();
        pairs::update_schedule(tx, &updated).await?;
        // The pair's line (last 1on1, next due day), its topics now attached to the meeting.
        self.refresh_homes(tx, [&pair.manager, &pair.report])
            .await?;
        let topics = pairs::attach_topics(tx, pair.id, meeting).await?;
        let recent = today
            .checked_sub_days(Days::new(PULSE_WITHIN_DAYS))
            .is_none_or(|since| held_on >= since);
        if self.settings.one_on_one.pulse && recent {
            reminders::insert_pulse_request(tx, meeting, pair, now_ms).await?;
            self.enqueue(
                tx,
                OutboundMessage {
                    to: Destination::Direct {
                        user: pair.report.clone(),
                    },
                    locale: report_locale.locale,
                    body: Body::Pulse {
                        meeting_id: meeting,
                        manager: pair.manager.clone(),
                        held_on,
                    },
                },
            )
            .await?;
        }
        let open = pairs::open_action_items(tx, pair.id).await?.len();
        let mut reply = tr(
            l,
            "oneonone-done",
            &[
                ("other", other.into()),
                ("date", date.into()),
                ("due", i18n::date(l, updated.due_on).into()),
            ],
        );
        if notes.is_some() {
            reply.push('\n');
            reply.push_str(&tr0(l, "oneonone-done-notes-private"));
        }
        if topics > 0 {
            reply.push('\n');
            reply.push_str(&tr(
                l,
                "oneonone-done-topics",
                &[("n", (topics as i64).into())],
            ));
        }
        if open > 0 {
            reply.push('\n');
            reply.push_str(&tr(
                l,
                "oneonone-done-open-items",
                &[("n", (open as i64).into())],
            ));
        }
        Ok(reply)
    }

    pub(super) async fn add_todo(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        other: &UserId,
        text: &str,
    ) -> anyhow::Result<String> {
        let key = format!("command:{}", req.request_key);
        let added = self
            .add_item(
                &req.user,
                l,
                PairRef::With(other),
                text,
                ItemKind::ActionItem,
                &key,
            )
            .await?;
        Ok(added.unwrap_or_else(|refusal| refusal))
    }

    pub(super) async fn add_topic(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        other: &UserId,
        text: &str,
    ) -> anyhow::Result<String> {
        let key = format!("command:{}", req.request_key);
        let added = self
            .add_item(
                &req.user,
                l,
                PairRef::With(other),
                text,
                ItemKind::Topic,
                &key,
            )
            .await?;
        Ok(added.unwrap_or_else(|refusal| refusal))
    }

    /// A topic for pair `pair_id`'s next 1on1, by one of its two people (the Home tab's
    /// "Add a topic" form): the same rules and storage as `/1on1 topic`. `key` identifies the
    /// submission, so a retry adds nothing twice. `Err` says why nothing was added.
    pub(crate) async fn add_topic_to_pair(
        &self,
        me: &UserId,
        l: Lang<'_>,
        pair_id: i64,
        text: &str,
        key: &str,
    ) -> anyhow::Result<Result<String, String>> {
        self.add_item(me, l, PairRef::Id(pair_id), text, ItemKind::Topic, key)
            .await
    }

    /// Adds an action item or a topic to the active pair of `me` and the other person, once
    /// per `key`. `Ok` is the confirmation (or the one a repeat of `key` got), `Err` the
    /// refusal: empty or too long, or no such pair of theirs.
    async fn add_item(
        &self,
        me: &UserId,
        l: Lang<'_>,
        pair: PairRef<'_>,
        text: &str,
        kind: ItemKind,
        key: &str,
    ) -> anyhow::Result<Result<String, String>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Err(tr0(
                l,
                match kind {
                    ItemKind::ActionItem => "err-oneonone-no-todo-text",
                    ItemKind::Topic => "err-oneonone-no-topic-text",
                },
            )));
        }
        if text.chars().count() > MAX_ITEM_CHARS {
            return Ok(Err(tr(
                l,
                "oneonone-too-long",
                &[("max", (MAX_ITEM_CHARS as i64).into())],
            )));
        }
        let now_ms = storage::millis(self.clock.now());
        let mut tx = match self.begin_once_key(key).await? {
            Ok(tx) => tx,
            Err(reply) => return Ok(Ok(reply)),
        };
        // The caller must be one of the pair's two people, whatever the request names.
        let found = match pair {
            PairRef::With(other) => pairs::pair_between(&mut tx, me, other).await?,
            PairRef::Id(id) => pairs::lock(&mut tx, id)
                .await?
                .filter(|p| &p.manager == me || &p.report == me),
        };
        let Some(found) = found else {
            tx.rollback().await?;
            return Ok(Err(match pair {
                PairRef::With(other) => no_pair(l, other),
                PairRef::Id(_) => tr0(l, "oneonone-pair-gone"),
            }));
        };
        let other = found.other(me).clone();
        self.refresh_homes(&mut tx, [&found.manager, &found.report])
            .await?;
        let reply = match kind {
            ItemKind::ActionItem => {
                let id = pairs::add_action_item(&mut tx, found.id, text, me, now_ms).await?;
                tr(
                    l,
                    "oneonone-todo-added",
                    &[("id", id.into()), ("other", other.mention().into())],
                )
            }
            ItemKind::Topic => {
                pairs::add_topic(&mut tx, found.id, text, me, now_ms).await?;
                tr(
                    l,
                    "oneonone-topic-added",
                    &[("other", other.mention().into())],
                )
            }
        };
        Ok(Ok(self.finish_once_key(tx, key, reply).await?))
    }

    pub(super) async fn list_todos(&self, me: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let mut lines = Vec::new();
        for pair in pairs::pairs_of(&mut conn, me).await? {
            for item in pairs::open_action_items(&mut conn, pair.id).await? {
                lines.push(tr(
                    l,
                    "oneonone-todos-line",
                    &[
                        ("id", item.id.into()),
                        ("text", crate::domain::text::user_text(&item.body).into()),
                        ("other", pair.other(me).mention().into()),
                    ],
                ));
            }
        }
        if lines.is_empty() {
            return Ok(tr0(l, "oneonone-todos-none"));
        }
        Ok(format!(
            "{}\n{}\n{}",
            tr0(l, "oneonone-todos-header"),
            lines.join("\n"),
            tr0(l, "oneonone-todos-footer")
        ))
    }

    /// `/1on1 todo done N` and the item's "Done" button. Only the pair's two people may close
    /// an item; to anyone else it does not exist.
    pub(crate) async fn close_todo(
        &self,
        me: &UserId,
        l: Lang<'_>,
        id: i64,
    ) -> anyhow::Result<String> {
        let now_ms = storage::millis(self.clock.now());
        let mut tx = self.store.begin().await?;
        let reply = match pairs::action_item(&mut tx, id).await? {
            Some((item, closed)) if pairs::is_member(&mut tx, item.pair_id, me).await? => {
                if closed || !pairs::close_action_item(&mut tx, id, me, now_ms).await? {
                    tr(l, "oneonone-todo-already", &[("id", id.into())])
                } else {
                    if let Some(pair) = pairs::pair_by_id(&mut tx, item.pair_id).await? {
                        self.refresh_homes(&mut tx, [&pair.manager, &pair.report])
                            .await?;
                    }
                    tr(
                        l,
                        "oneonone-todo-closed",
                        &[
                            ("id", id.into()),
                            ("text", crate::domain::text::user_text(&item.body).into()),
                        ],
                    )
                }
            }
            _ => tr(l, "oneonone-todo-unknown", &[("id", id.into())]),
        };
        tx.commit().await?;
        self.committed();
        Ok(reply)
    }

    /// The pair's own notes: only its two people ever get here.
    pub(super) async fn pair_notes(
        &self,
        me: &UserId,
        l: Lang<'_>,
        other: &UserId,
    ) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let Some(pair) = pairs::pair_between(&mut conn, me, other).await? else {
            return Ok(no_pair(l, other));
        };
        let notes = pairs::notes_of_pair(&mut conn, pair.id, NOTES_SHOWN).await?;
        if notes.is_empty() {
            return Ok(tr(
                l,
                "oneonone-notes-none",
                &[("other", other.mention().into())],
            ));
        }
        let mut out = tr(
            l,
            "oneonone-notes-header",
            &[("other", other.mention().into())],
        );
        for n in notes {
            out.push('\n');
            out.push_str(&tr(
                l,
                "oneonone-notes-line",
                &[
                    ("date", i18n::date(l, n.held_on).into()),
                    ("author", n.author.mention().into()),
                    ("text", crate::domain::text::user_text(&n.body).into()),
                ],
            ));
        }
        Ok(out)
    }
}

/// Which pair an item is for: the one with this person, or this one by id (a form).
#[derive(Debug, Clone, Copy)]
enum PairRef<'a> {
    With(&'a UserId),
    Id(i64),
}

#[derive(Debug, Clone, Copy)]
enum ItemKind {
    ActionItem,
    Topic,
}

fn no_pair(l: Lang<'_>, other: &UserId) -> String {
    tr(l, "oneonone-no-pair", &[("other", other.mention().into())])
}
