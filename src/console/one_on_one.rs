//! `:press`: the buttons of the last 1on1 reminder (held, snooze, done N), pulse (useful
//! 1-5, talk me|even|manager) and invitation (accept, decline) a person got, pressed as Slack would press them. The buttons of
//! a question (claim, resolve, thank) are handed on to `ask.rs`.

use super::Console;
use crate::app::ButtonAction;
use crate::commands::CommandKind;
use crate::domain::UserId;
use std::io::Write;

impl Console {
    /// `:press …`: presses a button of the last reminder or pulse `me` got, of the last
    /// question, or of `me`'s last resolved question.
    pub(super) async fn press(
        &self,
        me: &UserId,
        words: &[&str],
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        match words {
            ["claim"] | ["resolve"] => return self.press_on_question(me, words[0], out).await,
            ["thank"] => return self.open_thanks_form(me, out).await,
            _ => {}
        }
        let mine = self
            .buttons
            .lock()
            .expect("buttons lock")
            .get(me)
            .cloned()
            .unwrap_or_default();
        let no_reminder =
            self.say("  you have no reminder with buttons; :time +8d after /1on1 add brings one");
        let no_pulse = "  you have no pulse with buttons; it comes after a 1on1 is recorded";
        let action = match words {
            ["accept"] | ["decline"] => match mine.invitation {
                Some(invitation_id) if words[0] == "accept" => {
                    ButtonAction::InviteAccept { invitation_id }
                }
                Some(invitation_id) => ButtonAction::InviteDecline { invitation_id },
                None => {
                    return Ok(writeln!(
                        out,
                        "{}",
                        self.say(
                            "  you have no invitation with buttons; it comes when someone who is not an admin does /1on1 add"
                        )
                    )?);
                }
            },
            ["held"] | ["snooze"] => match mine.reminder {
                Some((pair_id, _)) if words[0] == "held" => ButtonAction::Held { pair_id },
                Some((pair_id, _)) => ButtonAction::Snooze { pair_id },
                None => return Ok(writeln!(out, "{no_reminder}")?),
            },
            ["done", n] => {
                let id = n.trim_start_matches('#').parse::<i64>().ok();
                match (mine.reminder, id) {
                    (None, _) => return Ok(writeln!(out, "{no_reminder}")?),
                    (Some((_, items)), Some(id)) if items.contains(&id) => {
                        ButtonAction::TodoDone { item_id: id }
                    }
                    (Some((_, items)), _) => {
                        let listed: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                        return Ok(writeln!(
                            out,
                            "  your last reminder has Done buttons for: {} (or type {} todo done N)",
                            if listed.is_empty() {
                                "none".to_owned()
                            } else {
                                listed.join(", ")
                            },
                            self.app.settings.commands.name(CommandKind::OneOnOne),
                        )?);
                    }
                }
            }
            ["useful", n] => match (mine.pulse, n.parse::<i64>().ok()) {
                (None, _) => return Ok(writeln!(out, "{no_pulse}")?),
                (Some(meeting_id), Some(score)) if (1..=5).contains(&score) => {
                    ButtonAction::PulseUseful { meeting_id, score }
                }
                _ => return Ok(writeln!(out, "  the buttons are useful 1 to useful 5")?),
            },
            ["talk", who] => {
                let who = match who.to_ascii_lowercase().as_str() {
                    "me" | "report" => "report",
                    "even" => "even",
                    "manager" => "manager",
                    _ => {
                        return Ok(writeln!(
                            out,
                            "  the buttons are talk me, talk even, talk manager"
                        )?);
                    }
                };
                match mine.pulse {
                    Some(meeting_id) => ButtonAction::PulseTalk { meeting_id, who },
                    None => return Ok(writeln!(out, "{no_pulse}")?),
                }
            }
            _ => {
                return Ok(writeln!(
                    out,
                    "  buttons: held, snooze, done N (a reminder's), useful 1-5, talk me|even|manager \
                     (a pulse's), accept, decline (an invitation's), claim, resolve (a question's), thank (a resolved question's)"
                )?);
            }
        };
        if let Err(e) = self.app.press_button(me, action, None, None).await {
            writeln!(out, "  the button failed: {e:#}")?;
        }
        // In Slack these two replace the reminder, buttons and all.
        if matches!(
            action,
            ButtonAction::Held { .. } | ButtonAction::Snooze { .. }
        ) && let Some(b) = self.buttons.lock().expect("buttons lock").get_mut(me)
        {
            b.reminder = None;
        }
        self.deliver(out).await
    }
}
