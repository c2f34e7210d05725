//! Help texts, generated from the usage tables next to each command grammar.

use super::App;
use crate::commands::{self, Usage};
use crate::domain::{Cadence, Locale};
use crate::i18n::{tr, tr0};

fn lines(l: Locale, usages: &[Usage], show_admin: bool, max: u32) -> String {
    usages
        .iter()
        .filter(|u| show_admin || !u.admin_only)
        .map(|u| {
            format!(
                "• `{}`: {}",
                u.syntax,
                tr(l, u.explain_key, &[("max", max.into())])
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn thanks_help(app: &App, l: Locale) -> String {
    let b = &app.settings.bonus;
    let tag = b
        .values
        .first()
        .map(|v| format!(" #{v}"))
        .unwrap_or_default();
    let mut out = format!(
        "{}\n{}\n{}\n{}",
        tr0(l, "thanks-help-title"),
        lines(
            l,
            commands::usage("/thanks"),
            false,
            b.max_points_per_thanks
        ),
        tr(l, "thanks-help-example", &[("tag", tag.into())]),
        tr0(l, "thanks-help-tip"),
    );
    if !b.values.is_empty() {
        let tags: Vec<String> = b.values.iter().map(|v| format!("#{v}")).collect();
        out.push('\n');
        out.push_str(&tr(l, "help-values", &[("values", tags.join(" ").into())]));
    }
    out
}

pub(super) fn bonus_help(app: &App, l: Locale, is_admin: bool) -> String {
    format!(
        "{}\n{}",
        tr0(l, "bonus-help-title"),
        lines(
            l,
            commands::usage("/bonus"),
            is_admin,
            app.settings.bonus.max_points_per_thanks
        )
    )
}

/// `/1on1 help`: an intro line, then every form; `report` only for admins. The app is not read
/// yet, but takes the same arguments as the other help texts so settings can shape it later.
pub(super) fn one_on_one_help(_app: &App, l: Locale, is_admin: bool) -> String {
    format!(
        "{}\n{}",
        tr0(l, "help-oneonone-intro"),
        // `max` is the longest `every Nd` cadence and `Nd` snooze: the same year.
        lines(l, commands::usage("/1on1"), is_admin, Cadence::MAX_DAYS)
    )
}

/// `/ask help`: why asking is welcome, every form (`stats` only for admins), and where
/// questions go.
pub(super) async fn ask_help(app: &App, l: Locale, user: &crate::domain::UserId) -> String {
    let is_admin = app.is_admin(user).await.unwrap_or(false);
    let mut out = format!(
        "{}\n{}",
        tr0(l, "help-ask-intro"),
        lines(
            l,
            &commands::usage("/ask")
                .iter()
                .filter(|u| app.settings.ask.allow_anonymous || u.explain_key != "usage-ask-anon")
                .copied()
                .collect::<Vec<_>>(),
            is_admin,
            crate::domain::MAX_QUESTION_CHARS as u32
        )
    );
    if app.settings.ask.allow_anonymous {
        out.push('\n');
        out.push_str(&tr0(l, "help-ask-anon"));
    }
    out
}
