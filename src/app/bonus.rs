//! `/bonus`: balances, rankings, history, and the admin commands (each audited).

use super::{App, CommandRequest, Reply, help};
use crate::commands::{BonusCommand, TopScope};
use crate::domain::{BudgetState, Locale, Period, RecipientStatus, UserId};
use crate::i18n::{self, Lang, tr, tr0};
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::budget::RulesUse;
use crate::storage::{self, admin, budget, requests, thanks};
use serde_json::json;

const TOP_N: i64 = 10;
const HISTORY_N: i64 = 10;

impl App {
    pub(super) async fn bonus(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        cmd: BonusCommand,
    ) -> anyhow::Result<Reply> {
        let user = &req.user;
        let text = match cmd {
            BonusCommand::Help => help::bonus_help(self, l, self.is_admin(user).await?),
            BonusCommand::Balance => self.balance(user, l).await?,
            BonusCommand::Top(scope) => self.top(l, scope).await?,
            BonusCommand::History => self.history(user, l).await?,
            BonusCommand::ListAdmins => self.list_admins(l).await?,
            admin_cmd => {
                if !self.is_admin(user).await? {
                    let admins = self.list_admin_mentions(l).await?;
                    tr(l, "admin-only", &[("admins", admins.into())])
                } else {
                    self.admin_command(req, l, admin_cmd).await?
                }
            }
        };
        Ok(Reply::new(text))
    }

    /// Admins: those in `bonus.admins` and those granted in the app.
    pub async fn is_admin(&self, user: &UserId) -> anyhow::Result<bool> {
        if self.settings.bonus.admins.contains(user) {
            return Ok(true);
        }
        let mut conn = self.store.pool().acquire().await?;
        Ok(admin::is_granted_admin(&mut conn, user).await?)
    }

    async fn list_admin_mentions(&self, l: Lang<'_>) -> anyhow::Result<String> {
        self.list_admin_mentions_but(l, None).await
    }

    /// The admins as mentions, leaving out `but` (the caller, when pointed to the others).
    async fn list_admin_mentions_but(
        &self,
        l: Lang<'_>,
        but: Option<&UserId>,
    ) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let mut all = self.settings.bonus.admins.clone();
        for a in admin::granted_admins(&mut conn).await? {
            if !all.contains(&a) {
                all.push(a);
            }
        }
        all.retain(|a| Some(a) != but);
        if all.is_empty() {
            return Ok(tr0(l, "admin-none"));
        }
        let names: Vec<String> = all.iter().map(UserId::mention).collect();
        Ok(i18n::list(l, &names))
    }

    async fn list_admins(&self, l: Lang<'_>) -> anyhow::Result<String> {
        Ok(tr(
            l,
            "admin-list",
            &[("admins", self.list_admin_mentions(l).await?.into())],
        ))
    }

    /// The budget for `user` this period, whether or not they have given anything yet.
    pub(super) async fn budget_now(
        &self,
        conn: &mut storage::Conn,
        user: &UserId,
        period: Period,
    ) -> anyhow::Result<BudgetState> {
        if let Some(s) = budget::state(conn, user, period).await? {
            return Ok(s);
        }
        let base =
            budget::monthly_budget_for(conn, user, self.settings.bonus.monthly_budget).await?;
        Ok(BudgetState {
            base,
            granted: 0,
            spent: 0,
        })
    }

    async fn balance(&self, user: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        let period = Period::containing(self.clock.now(), self.settings.org.timezone);
        let mut conn = self.store.pool().acquire().await?;
        let b = self.budget_now(&mut conn, user, period).await?;
        let month = thanks::received(&mut conn, user, Some(period)).await?;
        let total = thanks::received(&mut conn, user, None).await?;
        let budget_line = tr(
            l,
            "bonus-balance.budget",
            &[
                ("remaining", b.remaining().into()),
                ("allowance", (b.base + b.granted).into()),
                ("resets", i18n::date(l, period.resets_on()).into()),
            ],
        );
        let received_line = tr(
            l,
            "bonus-balance.received",
            &[("month", month.into()), ("total", total.into())],
        );
        Ok(format!(
            "{}\n{budget_line}\n{received_line}",
            tr0(l, "bonus-balance")
        ))
    }

    async fn top(&self, l: Lang<'_>, scope: TopScope) -> anyhow::Result<String> {
        let period = Period::containing(self.clock.now(), self.settings.org.timezone);
        let (title, period) = match scope {
            TopScope::ThisMonth => ("bonus-top-month", Some(period)),
            TopScope::AllTime => ("bonus-top-all", None),
        };
        let mut conn = self.store.pool().acquire().await?;
        let rows = thanks::top_receivers(&mut conn, period, TOP_N).await?;
        let mut out = tr0(l, title);
        if rows.is_empty() {
            out.push('\n');
            out.push_str(&tr0(l, "bonus-top-empty"));
        }
        for (i, (who, points)) in rows.iter().enumerate() {
            out.push('\n');
            out.push_str(&tr(
                l,
                "bonus-top-line",
                &[
                    ("rank", (i as i64 + 1).into()),
                    ("user", who.mention().into()),
                    ("n", (*points).into()),
                ],
            ));
        }
        Ok(out)
    }

    async fn history(&self, user: &UserId, l: Lang<'_>) -> anyhow::Result<String> {
        let mut conn = self.store.pool().acquire().await?;
        let given = thanks::given_by(&mut conn, user, HISTORY_N).await?;
        let received = thanks::received_by(&mut conn, user, HISTORY_N).await?;
        let mut out = String::new();
        for (title, items) in [
            ("bonus-history-given", given),
            ("bonus-history-received", received),
        ] {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&tr0(l, title));
            if items.is_empty() {
                out.push('\n');
                out.push_str(&tr0(l, "bonus-history-empty"));
            }
            for item in items {
                let date = storage::from_millis(item.created_at_ms)
                    .with_timezone(&self.settings.org.timezone)
                    .date_naive();
                let who: Vec<String> = item.others.iter().map(UserId::mention).collect();
                let key = if item.points_each > 0 {
                    "bonus-history-line-points"
                } else {
                    "bonus-history-line"
                };
                out.push('\n');
                out.push_str(&tr(
                    l,
                    key,
                    &[
                        ("date", i18n::date(l, date).into()),
                        ("who", i18n::list(l, &who).into()),
                        ("n", item.points_each.into()),
                        (
                            "message",
                            crate::domain::text::user_text(&item.message).into(),
                        ),
                    ],
                ));
            }
        }
        Ok(out)
    }

    /// The target of an admin command that would change the caller's own budget (security
    /// review, issue 9): an admin must not mint points for themselves, so their own override,
    /// its removal and grants to themselves are another admin's to do. `budget default` is
    /// not self-targeted and stays allowed: it applies to everyone alike, the admin included,
    /// and is audited like any change. Adding or removing admins is not a budget change.
    fn self_targeted<'a>(actor: &UserId, cmd: &'a BonusCommand) -> Option<&'a UserId> {
        match cmd {
            BonusCommand::Grant { user, .. }
            | BonusCommand::SetBudget { user, .. }
            | BonusCommand::ClearBudget { user }
                if user == actor =>
            {
                Some(user)
            }
            _ => None,
        }
    }

    /// Refuses a self-targeted budget change, recording the attempt in the audit log. The
    /// request key is claimed like any admin command's, so a retried request answers the
    /// same and is audited once.
    async fn refuse_self_change(
        &self,
        l: Lang<'_>,
        actor: &UserId,
        target: &UserId,
        key: &str,
        cmd: &BonusCommand,
        now_ms: i64,
    ) -> anyhow::Result<String> {
        let admins = self.list_admin_mentions_but(l, Some(actor)).await?;
        let mut tx = self.store.begin().await?;
        if let requests::Claim::Seen(reply) = requests::claim(&mut tx, key, now_ms).await? {
            tx.rollback().await?;
            return Ok(reply.unwrap_or_default());
        }
        let attempted = match cmd {
            BonusCommand::Grant { amount, .. } => {
                json!({ "attempted": "budget.grant", "points": amount })
            }
            BonusCommand::SetBudget { amount, .. } => {
                json!({ "attempted": "budget.set", "monthly_budget": amount })
            }
            _ => json!({ "attempted": "budget.clear" }),
        };
        admin::audit(
            &mut tx,
            actor,
            "budget.self_refused",
            Some(target),
            &attempted,
            now_ms,
        )
        .await?;
        let text = tr(l, "admin-not-for-yourself", &[("admins", admins.into())]);
        requests::save_reply(&mut tx, key, &text).await?;
        tx.commit().await?;
        tracing::warn!(actor = %actor, ?cmd, "refused an admin change to the admin's own budget");
        Ok(text)
    }

    async fn admin_command(
        &self,
        req: &CommandRequest,
        l: Lang<'_>,
        cmd: BonusCommand,
    ) -> anyhow::Result<String> {
        let actor = &req.user;
        let key = format!("command:{}", req.request_key);
        let now = self.clock.now();
        let now_ms = storage::millis(now);
        let period = Period::containing(now, self.settings.org.timezone);
        if let Some(target) = Self::self_targeted(actor, &cmd) {
            return self
                .refuse_self_change(l, actor, target, &key, &cmd, now_ms)
                .await;
        }
        // Slack is asked before the transaction: nothing slow may happen while it holds locks.
        let mut target_locale = None;
        if let BonusCommand::Grant { user, .. }
        | BonusCommand::SetBudget { user, .. }
        | BonusCommand::AddAdmin(user) = &cmd
        {
            let found = match self.user(user).await {
                Ok(found) => found,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot check the admin command's target");
                    return Ok(tr0(l, "refuse-slack-unavailable"));
                }
            };
            if Self::status_of(found.as_ref()) != RecipientStatus::Person {
                return Ok(tr(
                    l,
                    "admin-target-invalid",
                    &[("user", user.mention().into())],
                ));
            }
            target_locale = found.and_then(|u| u.locale.as_deref().and_then(Locale::from_slack));
        }
        let mut tx = self.store.begin().await?;
        // A repeated request (Slack retry, double submit) must not grant or change twice.
        if let requests::Claim::Seen(reply) = requests::claim(&mut tx, &key, now_ms).await? {
            tx.rollback().await?;
            return Ok(reply.unwrap_or_default());
        }
        let text = match &cmd {
            BonusCommand::SetBudget { user, amount } => {
                budget::guard_rules(&mut tx, RulesUse::Change).await?;
                budget::set_override(&mut tx, user, *amount, actor, now_ms, period).await?;
                admin::audit(
                    &mut tx,
                    actor,
                    "budget.set",
                    Some(user),
                    &json!({ "monthly_budget": amount }),
                    now_ms,
                )
                .await?;
                tr(
                    l,
                    "admin-budget-set",
                    &[("user", user.mention().into()), ("n", (*amount).into())],
                )
            }
            BonusCommand::ClearBudget { user } => {
                budget::guard_rules(&mut tx, RulesUse::Change).await?;
                let default = budget::clear_override(
                    &mut tx,
                    user,
                    self.settings.bonus.monthly_budget,
                    period,
                )
                .await?;
                admin::audit(
                    &mut tx,
                    actor,
                    "budget.clear",
                    Some(user),
                    &json!({ "monthly_budget": default }),
                    now_ms,
                )
                .await?;
                tr(
                    l,
                    "admin-budget-cleared",
                    &[("user", user.mention().into()), ("n", default.into())],
                )
            }
            BonusCommand::SetDefaultBudget { amount } => {
                budget::guard_rules(&mut tx, RulesUse::Change).await?;
                let before =
                    budget::default_budget(&mut tx, self.settings.bonus.monthly_budget).await?;
                budget::set_default(&mut tx, *amount, actor, now_ms, period).await?;
                admin::audit(
                    &mut tx,
                    actor,
                    "budget.default",
                    None,
                    &json!({ "monthly_budget": amount, "was": before }),
                    now_ms,
                )
                .await?;
                tr(l, "admin-budget-default-set", &[("n", (*amount).into())])
            }
            BonusCommand::Grant { user, amount } => {
                budget::open(&mut tx, user, period, self.settings.bonus.monthly_budget).await?;
                budget::add_grant(&mut tx, user, period, *amount).await?;
                thanks::ledger_row(
                    &mut tx,
                    user,
                    &period.to_string(),
                    "grant",
                    *amount,
                    None,
                    Some(actor),
                    now_ms,
                )
                .await?;
                admin::audit(
                    &mut tx,
                    actor,
                    "budget.grant",
                    Some(user),
                    &json!({ "points": amount, "period": period.to_string() }),
                    now_ms,
                )
                .await?;
                let remaining = budget::state(&mut tx, user, period)
                    .await?
                    .map_or(0, |s| s.remaining());
                let their_locale = target_locale.unwrap_or(self.settings.org.locale);
                let notice = tr(
                    self.lang(their_locale),
                    "admin-granted-dm",
                    &[
                        ("admin", actor.mention().into()),
                        ("n", (*amount).into()),
                        ("remaining", remaining.into()),
                    ],
                );
                self.enqueue(
                    &mut tx,
                    OutboundMessage {
                        to: Destination::Direct { user: user.clone() },
                        locale: their_locale,
                        body: Body::Text { text: notice },
                    },
                )
                .await?;
                tr(
                    l,
                    "admin-granted",
                    &[
                        ("user", user.mention().into()),
                        ("n", (*amount).into()),
                        ("remaining", remaining.into()),
                    ],
                )
            }
            BonusCommand::AddAdmin(user) => {
                let m = [("user", user.mention().into())];
                if self.settings.bonus.admins.contains(user)
                    || !admin::add_admin(&mut tx, user, actor, now_ms).await?
                {
                    tr(l, "admin-already", &m)
                } else {
                    admin::audit(&mut tx, actor, "admins.add", Some(user), &json!({}), now_ms)
                        .await?;
                    tr(l, "admin-added", &m)
                }
            }
            BonusCommand::RemoveAdmin(user) => {
                let m = [("user", user.mention().into())];
                if self.settings.bonus.admins.contains(user) {
                    tr(l, "admin-not-removable", &m)
                } else if admin::remove_admin(&mut tx, user).await? {
                    admin::audit(
                        &mut tx,
                        actor,
                        "admins.remove",
                        Some(user),
                        &json!({}),
                        now_ms,
                    )
                    .await?;
                    tr(l, "admin-removed", &m)
                } else {
                    tr(l, "admin-not-admin", &m)
                }
            }
            BonusCommand::Balance
            | BonusCommand::Top(_)
            | BonusCommand::History
            | BonusCommand::Help
            | BonusCommand::ListAdmins => {
                unreachable!("not an admin command")
            }
        };
        requests::save_reply(&mut tx, &key, &text).await?;
        tx.commit().await?;
        self.committed();
        tracing::info!(actor = %actor, ?cmd, "admin change");
        Ok(text)
    }
}
