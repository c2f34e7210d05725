//! Invitations: a self-service `/1on1 add @report` asks the report first. The report accepts or
//! declines with the buttons of a DM; only an accepted invitation becomes a pair, so nobody can
//! claim someone as their report and lock the real manager out. Admins and `otagai org import`
//! add pairs directly (`mod.rs`, `app/org.rs`).

use super::super::App;
use super::cadence_words;
use crate::domain::{Cadence, UserId};
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::pairs::{self, NewPair};
use crate::storage::{self, Tx, admin, invitations};
use chrono::Days;
use serde_json::json;

/// After a decline, the same person may not be invited by the same manager again for this
/// long: an invitation is a DM, and a declined one must not turn into a stream of them.
const DECLINED_QUIET_DAYS: u64 = 30;

/// Invitations one person may send in a day: far above what a manager needs, far below a
/// flood of DMs.
const INVITATIONS_PER_DAY: i64 = 20;

impl App {
    /// Inside `/1on1 add`'s transaction: invites `report` (a DM with Accept / Decline), or says
    /// that an invitation of `me` to them is already waiting. Returns the reply.
    pub(super) async fn invite(
        &self,
        tx: &mut Tx,
        l: Lang<'_>,
        me: &UserId,
        report: &UserId,
        cadence: Cadence,
        report_locale: Lang<'_>,
    ) -> anyhow::Result<String> {
        let now = self.clock.now();
        let now_ms = storage::millis(now);
        if let Some(open) = invitations::open_invitation(tx, me, report).await? {
            if open.expires_at > now_ms {
                return Ok(tr(
                    l,
                    "oneonone-invite-pending",
                    &[("report", report.mention().into())],
                ));
            }
            invitations::close(tx, open.id, "expired", now_ms).await?;
        }
        if let Some(declined) = invitations::last_declined(tx, me, report).await? {
            let again = storage::from_millis(declined)
                .checked_add_days(Days::new(DECLINED_QUIET_DAYS))
                .unwrap_or(now);
            if again > now {
                return Ok(tr(
                    l,
                    "oneonone-invite-declined-recently",
                    &[
                        ("report", report.mention().into()),
                        (
                            "date",
                            i18n::date(
                                l,
                                again
                                    .with_timezone(&self.settings.org.timezone)
                                    .date_naive(),
                            )
                            .into(),
                        ),
                    ],
                ));
            }
        }
        let day_ago = now_ms - 24 * 3600 * 1000;
        if invitations::sent_since(tx, me, day_ago).await? >= INVITATIONS_PER_DAY {
            return Ok(tr(
                l,
                "oneonone-invite-too-many",
                &[("n", INVITATIONS_PER_DAY.into())],
            ));
        }
        let days = self.settings.one_on_one.invitation_expiry_days;
        let expires = now.checked_add_days(Days::new(days as u64)).unwrap_or(now);
        let Some(id) = invitations::insert_invitation(
            tx,
            me,
            report,
            cadence,
            now_ms,
            storage::millis(expires),
        )
        .await?
        else {
            return Ok(tr(
                l,
                "oneonone-invite-pending",
                &[("report", report.mention().into())],
            ));
        };
        admin::audit(
            tx,
            me,
            "pair.invite",
            Some(report),
            &json!({ "cadence": cadence.to_string() }),
            now_ms,
        )
        .await?;
        self.enqueue(
            tx,
            OutboundMessage {
                to: Destination::Direct {
                    user: report.clone(),
                },
                locale: report_locale.locale,
                body: Body::PairInvitation {
                    invitation_id: id,
                    text: tr(
                        report_locale,
                        "oneonone-invite-dm",
                        &[
                            ("manager", me.mention().into()),
                            ("cadence", cadence_words(report_locale, cadence).into()),
                            ("days", days.into()),
                        ],
                    ),
                },
            },
        )
        .await?;
        Ok(tr(
            l,
            "oneonone-invited",
            &[
                ("report", report.mention().into()),
                ("cadence", cadence_words(l, cadence).into()),
                ("days", days.into()),
            ],
        ))
    }

    /// The Accept or Decline button of an invitation, pressed by `user`. Returns the answer and
    /// whether it replaces the invitation (its work is done, or it can no longer be answered).
    pub(crate) async fn answer_invitation(
        &self,
        user: &UserId,
        l: Lang<'_>,
        invitation_id: i64,
        accept: bool,
    ) -> anyhow::Result<(String, bool)> {
        let not_yours = || (tr0(l, "oneonone-invite-not-yours"), false);
        // Read first, without a transaction, for what needs Slack (the manager's language).
        let mut conn = self.store.pool().acquire().await?;
        let Some(seen) = invitations::by_id(&mut conn, invitation_id).await? else {
            return Ok(not_yours());
        };
        drop(conn);
        if &seen.report != user {
            return Ok(not_yours());
        }
        let manager = seen.manager.clone();
        let manager_locale = self.lang_of(&manager).await;
        // The pair starts on the manager's day, as a direct add would.
        let today = self.today_of(&manager).await;
        let now_ms = storage::millis(self.clock.now());

        let mut tx = self.store.begin().await?;
        let Some(inv) = invitations::lock(&mut tx, invitation_id).await? else {
            tx.rollback().await?;
            return Ok(not_yours());
        };
        let closed = |key: &str| (tr(l, key, &[("manager", manager.mention().into())]), true);
        let answered = match inv.answer.as_deref() {
            Some("accepted") => Some("oneonone-invite-was-accepted"),
            Some("declined") => Some("oneonone-invite-was-declined"),
            Some(_) => Some("oneonone-invite-expired"),
            None => None,
        };
        if let Some(key) = answered {
            tx.rollback().await?;
            return Ok(closed(key));
        }
        if inv.expires_at <= now_ms {
            invitations::close(&mut tx, inv.id, "expired", now_ms).await?;
            tx.commit().await?;
            return Ok(closed("oneonone-invite-expired"));
        }
        let (reply, dm) = if !accept {
            invitations::close(&mut tx, inv.id, "declined", now_ms).await?;
            admin::audit(
                &mut tx,
                user,
                "pair.decline",
                Some(&manager),
                &json!({}),
                now_ms,
            )
            .await?;
            (
                tr(
                    l,
                    "oneonone-invite-declined",
                    &[("manager", manager.mention().into())],
                ),
                tr(
                    manager_locale,
                    "oneonone-invite-declined-dm",
                    &[("report", user.mention().into())],
                ),
            )
        } else {
            // The report's own manager of the moment: telling the report is no leak.
            if let Some(current) = pairs::active_pair_of_report(&mut tx, user).await? {
                tx.rollback().await?;
                return Ok((
                    tr(
                        l,
                        "oneonone-invite-has-manager",
                        &[
                            ("manager", manager.mention().into()),
                            ("current", current.manager.mention().into()),
                        ],
                    ),
                    false,
                ));
            }
            let due_on = inv.cadence.next_due(today);
            pairs::insert_pair(
                &mut tx,
                &NewPair {
                    manager: &manager,
                    report: user,
                    cadence: inv.cadence,
                    added_on: today,
                    due_on,
                    added_by: &manager,
                    now_ms,
                },
            )
            .await?;
            invitations::close(&mut tx, inv.id, "accepted", now_ms).await?;
            // A new pair on both people's Home tabs.
            self.refresh_homes(&mut tx, [&manager, user]).await?;
            admin::audit(
                &mut tx,
                user,
                "pair.accept",
                Some(&manager),
                &json!({ "cadence": inv.cadence.to_string() }),
                now_ms,
            )
            .await?;
            (
                tr(
                    l,
                    "oneonone-invite-accepted",
                    &[
                        ("manager", manager.mention().into()),
                        ("cadence", cadence_words(l, inv.cadence).into()),
                    ],
                ),
                tr(
                    manager_locale,
                    "oneonone-invite-accepted-dm",
                    &[
                        ("report", user.mention().into()),
                        ("cadence", cadence_words(manager_locale, inv.cadence).into()),
                        ("due", i18n::date(manager_locale, due_on).into()),
                    ],
                ),
            )
        };
        self.enqueue(
            &mut tx,
            OutboundMessage {
                to: Destination::Direct {
                    user: manager.clone(),
                },
                locale: manager_locale.locale,
                body: Body::Text { text: dm },
            },
        )
        .await?;
        tx.commit().await?;
        self.committed();
        Ok((reply, true))
    }

    /// The lines of `/1on1` for `me`'s invitations still waiting for an answer.
    pub(super) async fn pending_invitation_lines(
        &self,
        conn: &mut storage::Conn,
        me: &UserId,
        l: Lang<'_>,
    ) -> anyhow::Result<Vec<String>> {
        let now_ms = storage::millis(self.clock.now());
        let open = invitations::pending_of_manager(conn, me, now_ms).await?;
        Ok(open
            .iter()
            .map(|inv| {
                tr(
                    l,
                    "oneonone-list-pending",
                    &[
                        ("report", inv.report.mention().into()),
                        ("cadence", cadence_words(l, inv.cadence).into()),
                    ],
                )
            })
            .collect())
    }
}
