//! `:home` (the Home tab as text) and `:thanks-form` (the thanks form, submitted from a line:
//! `:thanks-form @bob +10 what they did #value`), with refusals shown next to their field.

use super::Console;
use super::cast::form_args;
use crate::app::{FormContext, ThanksFormInput};
use crate::domain::{ChannelId, UserId};
use crate::i18n::tr0;
use std::io::Write;

impl Console {
    /// Prints `me`'s Home tab as text.
    pub(super) async fn home(&self, me: &UserId, out: &mut impl Write) -> anyhow::Result<()> {
        let h = self.app.home_tab(me).await?;
        let l = self.app.lang(h.locale);
        let cast = self.cast.lock().expect("cast lock");
        let mut lines = Vec::new();
        if h.first_use {
            for key in [
                "home-welcome",
                "home-welcome-thanks",
                "home-welcome-oneonone",
                "home-welcome-ask",
            ] {
                lines.push(tr0(l, key));
            }
        } else {
            lines.push(format!("== {} ==", tr0(l, "home-title-thanks")));
            lines.extend(h.summary.iter().cloned());
            if !h.received.is_empty() {
                lines.push(tr0(l, "home-received"));
                lines.extend(h.received.iter().cloned());
            }
            if !h.given.is_empty() {
                lines.push(tr0(l, "home-given"));
                lines.extend(h.given.iter().cloned());
            }
            lines.push(format!("== {} ==", tr0(l, "home-title-oneonones")));
            for p in &h.pairs {
                lines.push(p.line.clone());
                lines.extend(p.items.iter().map(|(_, line)| format!("  {line}")));
                lines.extend(p.topics.iter().map(|t| format!("  {t}")));
            }
            lines.push(format!("== {} ==", tr0(l, "home-title-questions")));
            lines.extend(h.questions.iter().cloned());
            if !h.to_answer.is_empty() {
                lines.push(tr0(l, "home-to-answer"));
                lines.extend(h.to_answer.iter().cloned());
            }
            if !h.admin.is_empty() {
                lines.push(format!("== {} ==", tr0(l, "home-title-admin")));
                lines.extend(h.admin.iter().cloned());
            }
        }
        lines.push(format!("[{}] (:thanks-form)", tr0(l, "home-say-thanks")));
        for line in lines {
            writeln!(out, "  {}", cast.humanise(&line))?;
        }
        Ok(())
    }

    /// Submits the thanks form as `me` typed it on one line, as from `/thanks` in the console's
    /// channel.
    pub(super) async fn thanks_form(
        &self,
        me: &UserId,
        args: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let locale = self.app.settings.org.locale;
        let Some(args) = form_args(&self.cast, locale, args) else {
            writeln!(out, "  names are letters and digits, like bob")?;
            return Ok(());
        };
        let mut form = ThanksFormInput {
            recipients: args.recipients,
            points: args.points,
            ..Default::default()
        };
        let rest = args.rest;
        // Values picked: the #tags at the end, as the form's list would give them.
        let mut words: Vec<&str> = rest.split_whitespace().collect();
        while let Some(tag) = words.last().and_then(|w| w.strip_prefix('#')) {
            form.values.insert(0, tag.to_owned());
            words.pop();
        }
        // A form's text arrives as typed (Slack escapes command text, not modal input).
        form.message = words.join(" ");
        let context = FormContext {
            channel: ChannelId::parse(super::CHANNEL).ok(),
            response_url: None,
            link: None,
        };
        let key = uuid::Uuid::new_v4().to_string();
        match self.app.submit_thanks_form(me, &context, &key, form).await {
            Ok(Ok(())) => {}
            Ok(Err(errors)) => {
                let l = self.app.lang_of(me).await;
                let cast = self.cast.lock().expect("cast lock");
                writeln!(out, "  [form: {}, not sent]", tr0(l, "form-title"))?;
                for (field, text) in errors {
                    let label = match field {
                        "recipients" => tr0(l, "form-recipients"),
                        "points" => tr0(l, "form-points"),
                        "values" => tr0(l, "form-values"),
                        "channel" => tr0(l, "form-channel"),
                        _ => tr0(l, "form-message"),
                    };
                    writeln!(out, "      {label}: {}", cast.humanise(&text))?;
                }
            }
            Err(e) => writeln!(out, "  the thanks failed: {e:#}")?,
        }
        self.deliver(out).await
    }
}
