//! The outbox's messages delivered to the screen instead of Slack: [`ConsoleDelivery`] shows
//! each as Slack would (where it went, its text, its buttons as the `:press` words that press
//! them) and remembers what the buttons and the last question were, for `:press`, `:react` and
//! `:reply`. Sends nothing anywhere.

use super::Console;
use super::cast::{Cast, channel_label};
use crate::app::Clock;
use crate::clock::ShiftedClock;
use crate::commands::CommandNames;
use crate::domain::UserId;
use crate::outbox::{
    Body, Deliver, Delivered, DeliveryError, Destination, OutboundMessage, ReminderDm,
};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// The buttons of the last reminder, pulse and resolved question one person got, for `:press`.
#[derive(Debug, Clone, Default)]
pub(super) struct Buttons {
    /// The latest reminder's pair and the action items it listed, each with a Done button.
    pub(super) reminder: Option<(i64, Vec<i64>)>,
    /// The meeting the latest pulse asks about.
    pub(super) pulse: Option<i64>,
    /// The request whose resolution DM came last, with its "Say thanks" button.
    pub(super) thank: Option<i64>,
    /// The latest invitation to be someone's report, with Accept and Decline.
    pub(super) invitation: Option<i64>,
}

pub(super) type ButtonsByUser = Arc<Mutex<HashMap<UserId, Buttons>>>;

/// The last question posted, which `:react`, `:reply` and `:press claim|resolve` act on.
#[derive(Debug, Clone)]
pub(super) struct PostedQuestion {
    pub(super) request_id: i64,
    pub(super) channel: String,
    /// The ts the console gave the post, as Slack would have.
    pub(super) ts: String,
}

pub(super) type LastQuestion = Arc<Mutex<Option<PostedQuestion>>>;

/// Delivers to the screen, as Slack would show each message, and remembers the buttons.
pub(super) struct ConsoleDelivery {
    pub(super) cast: Arc<Mutex<Cast>>,
    pub(super) shown: Arc<Mutex<Vec<String>>>,
    pub(super) buttons: ButtonsByUser,
    pub(super) last_question: LastQuestion,
    /// The clock posts take their ts from.
    pub(super) clock: Arc<ShiftedClock>,
    /// The last ts given, in microseconds: each post gets a later one, as in Slack.
    pub(super) last_ts: Mutex<i64>,
    /// The commands as the settings name them, for the messages shown.
    pub(super) commands: CommandNames,
}

impl ConsoleDelivery {
    /// A new post's ts, `seconds.micros` like Slack's: from the console's clock, and later
    /// than any given before, so two posts never share one (requests are found by it).
    fn next_ts(&self) -> String {
        let now = self.clock.now().timestamp_micros();
        let mut last = self.last_ts.lock().expect("ts lock");
        *last = now.max(*last + 1);
        format!("{}.{:06}", *last / 1_000_000, *last % 1_000_000)
    }
}

#[async_trait::async_trait]
impl Deliver for ConsoleDelivery {
    async fn deliver(&self, m: &OutboundMessage) -> Result<Delivered, DeliveryError> {
        let cast = self.cast.lock().expect("cast lock");
        let where_ = match &m.to {
            Destination::Channel { channel, .. } => format!("#{}", channel_label(channel.as_str())),
            Destination::Direct { user } => format!("DM to {}", cast.humanise(&user.mention())),
            Destination::ResponseUrl { .. } => "(only you)".to_owned(),
            Destination::Thread { channel, .. } => {
                format!("thread in #{}", channel_label(channel.as_str()))
            }
            Destination::Update { channel, .. } => {
                format!("#{}, updated", channel_label(channel.as_str()))
            }
        };
        let ts = matches!(m.to, Destination::Channel { .. }).then(|| self.next_ts());
        let mut body = cast.humanise(&m.text(&self.commands));
        if let Body::AskPost(p) = &m.body {
            if p.state != "resolved" {
                body.push_str("\n(buttons: :press claim, :press resolve)");
            }
            if let (Destination::Channel { channel, .. }, Some(ts)) = (&m.to, &ts) {
                *self.last_question.lock().expect("question lock") = Some(PostedQuestion {
                    request_id: p.request_id,
                    channel: channel.as_str().to_owned(),
                    ts: ts.clone(),
                });
            }
        }
        if let Destination::Direct { user } = &m.to {
            let mut all = self.buttons.lock().expect("buttons lock");
            let mine = all.entry(user.clone()).or_default();
            match &m.body {
                Body::OneOnOneReminder(r) => {
                    mine.reminder = Some((r.pair_id, r.items.iter().map(|i| i.id).collect()));
                    body.push_str(&reminder_buttons(r));
                }
                Body::Pulse { meeting_id, .. } => {
                    mine.pulse = Some(*meeting_id);
                    body.push_str("\n(buttons: :press useful 1-5, :press talk me|even|manager)");
                }
                Body::PairInvitation { invitation_id, .. } => {
                    mine.invitation = Some(*invitation_id);
                    body.push_str("\n(buttons: :press accept, :press decline)");
                }
                Body::AskResolved { request_id, .. } => {
                    mine.thank = Some(*request_id);
                    body.push_str("\n(buttons: :press thank)");
                }
                _ => {}
            }
        }
        let body = body.replace('\n', "\n      ");
        self.shown
            .lock()
            .expect("screen lock")
            .push(format!("  [{where_}]\n      {body}"));
        Ok(Delivered {
            ts,
            permalink: None,
        })
    }
}

/// The buttons under a reminder, as the `:press` words that press them.
fn reminder_buttons(r: &ReminderDm) -> String {
    let mut words = vec![":press held".to_owned(), ":press snooze".to_owned()];
    words.extend(r.items.iter().map(|i| format!(":press done {}", i.id)));
    format!("\n(buttons: {})", words.join(", "))
}

impl Console {
    /// Lets the outbox deliver everything due to the screen, then shows it.
    pub(super) async fn deliver(&self, out: &mut impl Write) -> anyhow::Result<()> {
        loop {
            let o = self.worker.try_execute_task().await?;
            if o.handled() == 0 {
                break;
            }
        }
        for s in self.shown.lock().expect("screen lock").drain(..) {
            writeln!(out, "{s}")?;
        }
        Ok(())
    }
}
