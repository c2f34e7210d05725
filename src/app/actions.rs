//! Buttons: what each one means, how it is written into a message (action_id and value), and
//! what pressing it does. The Slack edge maps a `block_actions` payload to [`ButtonAction`];
//! Block Kit rendering writes them with [`ButtonAction::action_id`] and [`ButtonAction::value`].

use super::App;
use super::ask::{RequestAction, RequestRef};
use crate::domain::UserId;
use crate::i18n::tr0;
use crate::outbox::{Body, Destination, OutboundMessage};
use crate::storage::reminders::{PulseAnswer, PulseOutcome};

/// A button otagai put in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    /// "Held it today" on a reminder.
    Held { pair_id: i64 },
    /// "Snooze 2 days" on a reminder.
    Snooze { pair_id: i64 },
    /// "Done" next to an action item.
    TodoDone { item_id: i64 },
    /// A pulse answer: usefulness 1–5.
    PulseUseful { meeting_id: i64, score: i64 },
    /// A pulse answer: who talked more (`report`, `even`, `manager`).
    PulseTalk { meeting_id: i64, who: &'static str },
    /// "Accept" on an invitation to be someone's report.
    InviteAccept { invitation_id: i64 },
    /// "Decline" on an invitation to be someone's report.
    InviteDecline { invitation_id: i64 },
    /// "I'll take it" on a help request's post.
    AskClaim { request_id: i64 },
    /// "Resolved" on a help request's post (the asker's).
    AskResolve { request_id: i64 },
    /// "Say thanks" in the asker's DM after resolution: opens the thanks modal.
    AskThank { request_id: i64 },
    /// "Say thanks" on the Home tab: opens the thanks form.
    ThanksOpen,
    /// "Add a topic" on a pair of the Home tab: opens the topic form.
    TopicOpen { pair_id: i64 },
}

const TALK: [&str; 3] = ["report", "even", "manager"];

impl ButtonAction {
    /// Unique within a message, as Slack requires.
    pub fn action_id(&self) -> String {
        match self {
            Self::Held { .. } => "oneonone_held".into(),
            Self::Snooze { .. } => "oneonone_snooze".into(),
            Self::TodoDone { item_id } => format!("oneonone_todo_done_{item_id}"),
            Self::PulseUseful { score, .. } => format!("pulse_useful_{score}"),
            Self::PulseTalk { who, .. } => format!("pulse_talk_{who}"),
            Self::InviteAccept { .. } => "oneonone_invite_accept".into(),
            Self::InviteDecline { .. } => "oneonone_invite_decline".into(),
            Self::AskClaim { .. } => "ask_claim".into(),
            Self::AskResolve { .. } => "ask_resolve".into(),
            Self::AskThank { .. } => "ask_thank".into(),
            Self::ThanksOpen => "thanks_open".into(),
            Self::TopicOpen { .. } => "oneonone_topic_open".into(),
        }
    }

    pub fn value(&self) -> String {
        match self {
            Self::Held { pair_id } | Self::Snooze { pair_id } | Self::TopicOpen { pair_id } => {
                pair_id.to_string()
            }
            Self::TodoDone { item_id } => item_id.to_string(),
            Self::InviteAccept { invitation_id } | Self::InviteDecline { invitation_id } => {
                invitation_id.to_string()
            }
            Self::PulseUseful { meeting_id, score } => format!("{meeting_id}:{score}"),
            Self::PulseTalk { meeting_id, who } => format!("{meeting_id}:{who}"),
            Self::AskClaim { request_id }
            | Self::AskResolve { request_id }
            | Self::AskThank { request_id } => request_id.to_string(),
            Self::ThanksOpen => "form".into(),
        }
    }

    /// What kind of button this is, for logs (never its answer).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Held { .. } => "held",
            Self::Snooze { .. } => "snooze",
            Self::TodoDone { .. } => "todo_done",
            Self::PulseUseful { .. } | Self::PulseTalk { .. } => "pulse",
            Self::InviteAccept { .. } | Self::InviteDecline { .. } => "invitation",
            Self::AskClaim { .. } => "ask_claim",
            Self::AskResolve { .. } => "ask_resolve",
            Self::AskThank { .. } => "ask_thank",
            Self::ThanksOpen => "thanks_open",
            Self::TopicOpen { .. } => "topic_open",
        }
    }

    /// Reads a pressed button back; `None` for anything otagai did not write.
    pub fn parse(action_id: &str, value: &str) -> Option<Self> {
        let id = || value.parse::<i64>().ok().filter(|n| *n > 0);
        let pair = || {
            let (a, b) = value.split_once(':')?;
            Some((a.parse::<i64>().ok().filter(|n| *n > 0)?, b))
        };
        match action_id {
            "oneonone_held" => Some(Self::Held { pair_id: id()? }),
            "oneonone_snooze" => Some(Self::Snooze { pair_id: id()? }),
            a if a.starts_with("oneonone_todo_done_") => Some(Self::TodoDone { item_id: id()? }),
            "oneonone_invite_accept" => Some(Self::InviteAccept {
                invitation_id: id()?,
            }),
            "oneonone_invite_decline" => Some(Self::InviteDecline {
                invitation_id: id()?,
            }),
            "ask_claim" => Some(Self::AskClaim { request_id: id()? }),
            "ask_resolve" => Some(Self::AskResolve { request_id: id()? }),
            "ask_thank" => Some(Self::AskThank { request_id: id()? }),
            "thanks_open" => Some(Self::ThanksOpen),
            "oneonone_topic_open" => Some(Self::TopicOpen { pair_id: id()? }),
            a if a.starts_with("pulse_useful_") => {
                let (meeting_id, score) = pair()?;
                let score = score.parse().ok().filter(|s| (1..=5).contains(s))?;
                Some(Self::PulseUseful { meeting_id, score })
            }
            a if a.starts_with("pulse_talk_") => {
                let (meeting_id, who) = pair()?;
                let who = TALK.into_iter().find(|t| *t == who)?;
                Some(Self::PulseTalk { meeting_id, who })
            }
            _ => None,
        }
    }
}

impl App {
    /// Someone pressed one of otagai's buttons. The answer goes back through the message's
    /// response_url: it replaces the message when the button's work is finished (a recorded
    /// 1on1, a snooze, a completed pulse), and is shown to the presser alone otherwise.
    // Only the kind of button is logged: a pulse answer next to who pressed it would undo its
    // anonymity.
    // Nor who pressed a question's button: only the asker can resolve, and on an anonymous
    // question that would name them.
    #[tracing::instrument(name = "button", skip(self, user, action, response_url, on_message), fields(user = tracing::field::Empty, kind = action.kind()))]
    pub async fn press_button(
        &self,
        user: &UserId,
        action: ButtonAction,
        response_url: Option<&str>,
        on_message: Option<(&str, &str)>,
    ) -> anyhow::Result<()> {
        if !action.kind().starts_with("ask_") {
            tracing::Span::current().record("user", tracing::field::display(user));
        }
        let l = self.lang_of(user).await;
        let (text, replace) = match action {
            ButtonAction::AskClaim { request_id } | ButtonAction::AskResolve { request_id } => {
                let what = if matches!(action, ButtonAction::AskClaim { .. }) {
                    RequestAction::Claim
                } else {
                    RequestAction::Resolve
                };
                let outcome = self
                    .track_request(RequestRef::Id(request_id), what, user, None, on_message)
                    .await?;
                // The post itself is updated for everyone; the presser alone hears this.
                (self.explain_track(l, what, &outcome), false)
            }
            // Opened by the Slack edge with the press's trigger_id; here only when there is
            // none (the console): say how to thank instead.
            ButtonAction::AskThank { .. } | ButtonAction::ThanksOpen => {
                (tr0(l, "ask-thanks-use-command"), false)
            }
            ButtonAction::TopicOpen { .. } => (tr0(l, "home-topic-use-command"), false),
            ButtonAction::Held { pair_id } => {
                (self.held_from_button(user, l, pair_id).await?, true)
            }
            ButtonAction::Snooze { pair_id } => {
                (self.snooze_from_button(user, l, pair_id).await?, true)
            }
            ButtonAction::TodoDone { item_id } => (self.close_todo(user, l, item_id).await?, false),
            ButtonAction::InviteAccept { invitation_id } => {
                self.answer_invitation(user, l, invitation_id, true).await?
            }
            ButtonAction::InviteDecline { invitation_id } => {
                self.answer_invitation(user, l, invitation_id, false)
                    .await?
            }
            ButtonAction::PulseUseful { meeting_id, score } => {
                let (o, t) = self
                    .answer_pulse(user, l, meeting_id, PulseAnswer::Useful(score))
                    .await?;
                (t, o == PulseOutcome::Complete)
            }
            ButtonAction::PulseTalk { meeting_id, who } => {
                let (o, t) = self
                    .answer_pulse(user, l, meeting_id, PulseAnswer::Talk(who))
                    .await?;
                (t, o == PulseOutcome::Complete)
            }
        };
        self.answer_press(user, response_url, text, replace).await
    }

    /// Answers whoever pressed a button: through the message's response_url (replacing the
    /// message when `replace`), else in a DM.
    pub async fn answer_press(
        &self,
        user: &UserId,
        response_url: Option<&str>,
        text: String,
        replace: bool,
    ) -> anyhow::Result<()> {
        let l = self.lang_of(user).await;
        let to = match response_url {
            Some(url) => Destination::ResponseUrl {
                url: url.to_owned(),
                replace_original: replace,
            },
            None => Destination::Direct { user: user.clone() },
        };
        let mut tx = self.store.begin().await?;
        self.enqueue(
            &mut tx,
            OutboundMessage {
                to,
                locale: l.locale,
                body: Body::Text { text },
            },
        )
        .await?;
        tx.commit().await?;
        self.committed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_reads_back_as_itself() {
        let all = [
            ButtonAction::Held { pair_id: 3 },
            ButtonAction::Snooze { pair_id: 3 },
            ButtonAction::TodoDone { item_id: 12 },
            ButtonAction::PulseUseful {
                meeting_id: 9,
                score: 5,
            },
            ButtonAction::PulseTalk {
                meeting_id: 9,
                who: "even",
            },
            ButtonAction::AskClaim { request_id: 4 },
            ButtonAction::AskResolve { request_id: 4 },
            ButtonAction::AskThank { request_id: 4 },
            ButtonAction::InviteAccept { invitation_id: 7 },
            ButtonAction::InviteDecline { invitation_id: 7 },
            ButtonAction::ThanksOpen,
            ButtonAction::TopicOpen { pair_id: 3 },
        ];
        for a in all {
            assert_eq!(ButtonAction::parse(&a.action_id(), &a.value()), Some(a));
        }
    }

    #[test]
    fn forged_or_foreign_buttons_are_not_understood() {
        let cases = [
            ("oneonone_held", "x"),
            ("oneonone_held", "-1"),
            ("pulse_useful_6", "9:6"),
            ("pulse_useful_1", "9"),
            ("pulse_talk_me", "9:me"),
            ("approve_request", "1"),
            ("ask_claim", "0"),
            ("ask_thank", "4:1"),
            ("oneonone_invite_accept", "0"),
            ("oneonone_invite_decline", "x"),
            ("oneonone_topic_open", "0"),
        ];
        for (a, v) in cases {
            assert_eq!(ButtonAction::parse(a, v), None, "{a} {v}");
        }
    }
}
