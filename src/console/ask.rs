//! `/ask` from a terminal: what Slack would send as events, typed (`:react ✅|👀` on the last
//! question, `:reply` in its thread), the buttons on a question's post (`:press claim|resolve`)
//! and the thanks modal, which has no screen here (`:press thank` shows the prefilled form,
//! `:thank` submits it). Events go through
//! [`App::track_request`](crate::app::App::track_request) exactly as the events route does.

use super::cast::{FormArgs, form_args};
use super::cast::{channel_label, to_slack_text};
use super::delivery::PostedQuestion;
use super::{Console, RESPONSE_URL};
use crate::app::{ButtonAction, RequestAction, RequestRef, ThanksForm, ThanksModal, TrackOutcome};
use crate::domain::UserId;
use crate::i18n::{tr, tr0};
use std::io::Write;

/// `/ask` from a terminal: what Slack would send as events (a reaction, a thread reply) and the
/// thanks modal, typed.
impl Console {
    /// The last question posted, or `None` after a line saying there is none yet.
    fn last_question(&self, out: &mut impl Write) -> anyhow::Result<Option<PostedQuestion>> {
        let q = self.last_question.lock().expect("question lock").clone();
        if q.is_none() {
            writeln!(
                out,
                "{}",
                self.say("  there is no question yet; /ask #payroll How do I …? posts one")
            )?;
        }
        Ok(q)
    }

    /// `:press claim|resolve`: a button on the last question's post.
    pub(super) async fn press_on_question(
        &self,
        me: &UserId,
        word: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        let request_id = q.request_id;
        let action = if word == "claim" {
            ButtonAction::AskClaim { request_id }
        } else {
            ButtonAction::AskResolve { request_id }
        };
        let on = Some((q.channel.as_str(), q.ts.as_str()));
        if let Err(e) = self
            .app
            .press_button(me, action, Some(RESPONSE_URL), on)
            .await
        {
            writeln!(out, "  the button failed: {e:#}")?;
        }
        self.deliver(out).await
    }

    /// `:react ✅|👀`: a reaction on the last question, applied as the events route applies
    /// Slack's `reaction_added`.
    pub(super) async fn react(
        &self,
        me: &UserId,
        emoji: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let (action, shown) = match emoji.trim_matches(':') {
            "✅"
            | "✔️"
            | "✔"
            | "☑️"
            | "white_check_mark"
            | "heavy_check_mark"
            | "ballot_box_with_check"
            | "check" => (RequestAction::ResolveByReaction, "white_check_mark"),
            "👀" | "eyes" => (RequestAction::Claim, "eyes"),
            _ => {
                writeln!(
                    out,
                    "  otagai reads two reactions on a question: :react ✅ (the asker resolves \
                     it) and :react 👀 (you take it on)"
                )?;
                return Ok(());
            }
        };
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        writeln!(
            out,
            "  [#{}, on the question] @{} reacted :{shown}:",
            channel_label(&q.channel),
            self.name(me)
        )?;
        self.apply_event(me, q, action, out).await
    }

    /// `:reply text`: a reply in the last question's thread, applied as the events route
    /// applies Slack's `message` event.
    pub(super) async fn reply(
        &self,
        me: &UserId,
        text: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let Some(q) = self.last_question(out)? else {
            return Ok(());
        };
        let text = to_slack_text(&self.cast, text, self.app.settings.org.locale);
        let shown = self
            .cast
            .lock()
            .expect("cast lock")
            .humanise(&text)
            .replace('\n', "\n      ");
        writeln!(
            out,
            "  [thread in #{}] {}: {shown}",
            channel_label(&q.channel),
            self.name(me)
        )?;
        self.apply_event(me, q, RequestAction::Reply, out).await
    }

    /// Applies what `me` did on the question's post as the events route applies Slack's event
    /// (found by channel and ts), then shows what it led to.
    async fn apply_event(
        &self,
        me: &UserId,
        q: PostedQuestion,
        action: RequestAction,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let post = RequestRef::Post {
            channel: q.channel,
            ts: q.ts,
        };
        let outcome = self.app.track_request(post, action, me, None, None).await;
        self.after_event(me, action, outcome, out).await
    }

    /// Shows what an event led to. Slack answers nobody about a reaction, so when nothing
    /// happened the console says why, in the words a button would have used.
    async fn after_event(
        &self,
        me: &UserId,
        action: RequestAction,
        outcome: anyhow::Result<TrackOutcome>,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        match outcome {
            // A reply by the asker, or in a resolved thread, is just a reply.
            Ok(TrackOutcome::Done(_) | TrackOutcome::Unchanged) => {}
            Ok(o) => {
                let l = self.app.lang_of(me).await;
                writeln!(
                    out,
                    "  (nothing happens; Slack shows no answer to a reaction: {})",
                    self.app.explain_track(l, action, &o)
                )?;
            }
            Err(e) => writeln!(out, "  the event failed: {e:#}")?,
        }
        self.deliver(out).await
    }

    /// `:press thank`: the "Say thanks" button of `me`'s last resolution DM. Slack would open
    /// a modal; the console shows the prefilled form and keeps it open for `:thank`.
    pub(super) async fn open_thanks_form(
        &self,
        me: &UserId,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let request_id = self
            .buttons
            .lock()
            .expect("buttons lock")
            .get(me)
            .and_then(|b| b.thank);
        let Some(request_id) = request_id else {
            writeln!(
                out,
                "  you have no Say thanks button; it comes in the DM you get when your question \
                 is resolved"
            )?;
            return Ok(());
        };
        match self.app.thanks_modal(me, request_id).await {
            Ok(Ok(modal)) => {
                self.show_thanks_form(&modal, out)?;
                self.thanks_forms
                    .lock()
                    .expect("forms lock")
                    .insert(me.clone(), modal);
            }
            Ok(Err(refusal)) => writeln!(out, "  [only you]\n      {refusal}")?,
            Err(e) => writeln!(out, "  the button failed: {e:#}")?,
        }
        Ok(())
    }

    /// The thanks modal as text: each field with what it is prefilled with.
    fn show_thanks_form(&self, m: &ThanksModal, out: &mut impl Write) -> anyhow::Result<()> {
        let l = self.app.lang(m.locale);
        let cast = self.cast.lock().expect("cast lock");
        let helpers: Vec<String> = m
            .helpers
            .iter()
            .map(|h| cast.humanise(&h.mention()))
            .collect();
        writeln!(out, "  [form: {}]", tr0(l, "ask-modal-title"))?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-recipients"),
            helpers.join(", ")
        )?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-message"),
            cast.humanise(&m.message)
        )?;
        writeln!(
            out,
            "      {}: {}",
            tr0(l, "ask-modal-points"),
            tr(l, "ask-modal-points-hint", &[("max", m.max_points.into())])
        )?;
        writeln!(
            out,
            "      (send it with :thank [@name …] [+N] [message]; :thank alone sends it as it is)"
        )?;
        Ok(())
    }

    /// `:thank [@name …] [+N] [message]`: submits the open thanks form, with the recipients,
    /// points and message given (the prefilled ones where none are). Refused, the form stays
    /// open and the console shows the message Slack would put next to each field.
    pub(super) async fn thank(
        &self,
        me: &UserId,
        args: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        let open = self
            .thanks_forms
            .lock()
            .expect("forms lock")
            .get(me)
            .cloned();
        let Some(modal) = open else {
            writeln!(
                out,
                "  no thanks form is open; :press thank under your resolution DM opens one"
            )?;
            return Ok(());
        };
        let locale = self.app.settings.org.locale;
        let Some(FormArgs {
            mut recipients,
            points,
            rest,
        }) = form_args(&self.cast, locale, args)
        else {
            writeln!(out, "  names are letters and digits, like bob")?;
            return Ok(());
        };
        if recipients.is_empty() {
            recipients = modal.helpers.iter().map(|h| h.to_string()).collect();
        }
        // A form's text arrives as typed (Slack escapes command text, not modal input).
        let message = if rest.is_empty() {
            modal.message.clone()
        } else {
            rest.to_owned()
        };
        let form = ThanksForm {
            recipients,
            message,
            points,
        };
        let key = uuid::Uuid::new_v4().to_string();
        match self
            .app
            .submit_request_thanks(me, modal.request_id, &key, form)
            .await
        {
            Ok(Ok(())) => {
                self.thanks_forms.lock().expect("forms lock").remove(me);
            }
            Ok(Err(errors)) => {
                let l = self.app.lang(modal.locale);
                let cast = self.cast.lock().expect("cast lock");
                writeln!(out, "  [form: {}, not sent]", tr0(l, "ask-modal-title"))?;
                for (field, text) in errors {
                    let label = match field {
                        "recipients" => tr0(l, "ask-modal-recipients"),
                        "points" => tr0(l, "ask-modal-points"),
                        _ => tr0(l, "ask-modal-message"),
                    };
                    writeln!(out, "      {label}: {}", cast.humanise(&text))?;
                }
                writeln!(out, "      (the form is still open: :thank again)")?;
            }
            Err(e) => writeln!(out, "  the thanks failed: {e:#}")?,
        }
        self.deliver(out).await
    }

    /// A person's console name, or their ID if they are not in the cast.
    fn name(&self, who: &UserId) -> String {
        let cast = self.cast.lock().expect("cast lock");
        cast.name_of(who).unwrap_or(who.as_str()).to_owned()
    }
}
