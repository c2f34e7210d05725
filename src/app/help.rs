//! Help texts, generated from the usage tables next to each command grammar.

use super::App;
use crate::commands::{self, CommandKind, Usage};
use crate::domain::Cadence;
use crate::i18n::{Lang, tr, tr0};

/// A usage line as the reader types it here: the configured command name, keywords as they
/// are, placeholders in the reader's language (`/kansha @相手 具体的に何をしてくれたか`).
pub(crate) fn syntax(l: Lang<'_>, syntax: &'static str) -> String {
    let mut out = l.commands.rename_literal(syntax);
    for (phrase, key) in commands::PLACEHOLDERS {
        if out.contains(phrase) {
            out = out.replace(phrase, &tr0(l, key));
        }
    }
    out
}

fn lines(l: Lang<'_>, usages: &[Usage], show_admin: bool, max: u32) -> String {
    usages
        .iter()
        .filter(|u| show_admin || !u.admin_only)
        .map(|u| {
            format!(
                "• `{}`: {}",
                syntax(l, u.syntax),
                tr(l, u.explain_key, &[("max", max.into())])
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn thanks_help(app: &App, l: Lang<'_>) -> String {
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
            commands::usage(CommandKind::Thanks),
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

pub(super) fn bonus_help(app: &App, l: Lang<'_>, is_admin: bool) -> String {
    format!(
        "{}\n{}",
        tr0(l, "bonus-help-title"),
        lines(
            l,
            commands::usage(CommandKind::Bonus),
            is_admin,
            app.settings.bonus.max_points_per_thanks
        )
    )
}

/// `/1on1 help`: an intro line, then every form; `report` only for admins.
pub(super) fn one_on_one_help(l: Lang<'_>, is_admin: bool) -> String {
    format!(
        "{}\n{}",
        tr0(l, "help-oneonone-intro"),
        // `max` is the longest `every Nd` cadence and `Nd` snooze: the same year.
        lines(
            l,
            commands::usage(CommandKind::OneOnOne),
            is_admin,
            Cadence::MAX_DAYS
        )
    )
}

/// `/ask help`: why asking is welcome, every form (`stats` only for admins), and where
/// questions go.
pub(super) async fn ask_help(app: &App, l: Lang<'_>, user: &crate::domain::UserId) -> String {
    let is_admin = app.is_admin(user).await.unwrap_or(false);
    let mut out = format!(
        "{}\n{}",
        tr0(l, "help-ask-intro"),
        lines(
            l,
            &commands::usage(CommandKind::Ask)
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
