//! One dispatch for everything Slack sends, whichever way it came: HTTP (`routes`) and Socket
//! Mode (`socket`) only carry bytes. Given what Slack sent (a slash command, an interaction
//! payload, an Events API callback), [`dispatch`] parses it, runs it under the acknowledgement
//! deadline and says what to acknowledge with; rules, deadlines and de-duplication live here
//! once.

use super::client::SlackApi;
use super::{blocks, forms};
use crate::app::{
    App, ButtonAction, CommandRequest, FormContext, RequestAction, RequestRef, TrackOutcome,
};
use crate::commands::CommandKind;
use crate::domain::{ChannelId, UserId};
use crate::i18n::{Lang, tr0};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// What handling a request needs, whichever way it came.
#[derive(Clone)]
pub struct SlackState {
    pub app: App,
    /// How long a command may work before Slack gets its acknowledgement.
    pub ack_timeout: Duration,
    /// Opens modals (`views.open` must answer a click within 3 seconds, so it cannot wait in
    /// the outbox).
    pub slack: Arc<SlackApi>,
}

/// What Slack sent, already verified (HTTP: the signature; Socket Mode: the connection itself).
#[derive(Debug)]
pub enum Inbound {
    /// A slash command's fields (a form over HTTP, a JSON object in Socket Mode).
    Command(SlashCommand),
    /// An interaction payload (`block_actions`, `view_submission`, …).
    Interaction(serde_json::Value),
    /// An Events API body (`url_verification` or `event_callback`), and which of Slack's
    /// retries it is (0 for the first delivery).
    Event(serde_json::Value, u32),
}

/// What to acknowledge with.
#[derive(Debug, Clone, PartialEq)]
pub enum Ack {
    /// Received; nothing to say.
    Empty,
    /// Received, with an answer: an ephemeral reply, a `response_action`, a challenge.
    Json(serde_json::Value),
    /// Unreadable: HTTP answers 400; Socket Mode acknowledges it (a re-send would be no better).
    Refused(&'static str),
    /// Not processed now, and nothing recorded: Slack should send it again (HTTP 503; Socket
    /// Mode leaves the envelope unacknowledged).
    Retry,
}

/// Handles one request from Slack and says what to acknowledge with.
pub async fn dispatch(state: &SlackState, inbound: Inbound) -> Ack {
    match inbound {
        Inbound::Command(cmd) => {
            // How long Slack waits for its acknowledgement, by command, whatever the transport.
            let started = std::time::Instant::now();
            let label =
                crate::metrics::command_label(state.app.settings.commands.kind_of(&cmd.command));
            let ack = command(state, cmd).await;
            crate::metrics::METRICS
                .command_ack_duration
                .with_label_values(&[label])
                .observe(started.elapsed().as_secs_f64());
            ack
        }
        Inbound::Interaction(payload) => interaction(state, payload).await,
        Inbound::Event(body, retry) => event(state, body, retry).await,
    }
}

/// The fields of a slash command that otagai uses (Slack sends more).
#[derive(Debug, Deserialize)]
pub struct SlashCommand {
    user_id: String,
    #[serde(default)]
    channel_id: String,
    command: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    response_url: String,
    #[serde(default)]
    trigger_id: String,
    #[serde(default)]
    team_domain: String,
}

fn ephemeral(text: &str) -> Ack {
    Ack::Json(json!({ "response_type": "ephemeral", "text": text }))
}

/// Answered within the acknowledgement window. Work that takes longer goes on after the ack
/// and answers through the response_url (outbox).
#[tracing::instrument(name = "slash_command", skip_all)]
async fn command(state: &SlackState, cmd: SlashCommand) -> Ack {
    let Ok(user) = UserId::parse(&cmd.user_id) else {
        return Ack::Refused("bad user_id");
    };
    let response_url = state
        .slack
        .response_urls()
        .checked(Some(cmd.response_url.clone()));
    // `/thanks` (by whatever name it has here) alone opens the form (`/thanks help` still
    // prints help). The trigger_id lives 3 seconds: the modal opens now, on this request.
    if state.app.settings.commands.kind_of(&cmd.command) == Some(CommandKind::Thanks)
        && cmd.text.trim().is_empty()
        && !cmd.trigger_id.is_empty()
    {
        let context = FormContext {
            channel: ChannelId::parse(&cmd.channel_id).ok(),
            response_url,
            link: None,
        };
        return match open_thanks_form(state, &user, &cmd.trigger_id, context, vec![]).await {
            Ok(()) => Ack::Empty,
            Err(text) => ephemeral(&text),
        };
    }
    let request_key = if cmd.trigger_id.is_empty() {
        // Slack always sends one; without it a request cannot be recognised when repeated.
        format!("untriggered:{}", uuid::Uuid::new_v4())
    } else {
        cmd.trigger_id.clone()
    };
    let req = CommandRequest {
        user: user.clone(),
        channel: ChannelId::parse(&cmd.channel_id).ok(),
        command: cmd.command.clone(),
        text: cmd.text.clone(),
        request_key,
        response_url: response_url.clone(),
        team_domain: Some(cmd.team_domain.clone()).filter(|d| !d.is_empty()),
    };
    let app = state.app.clone();
    let mut work = tokio::spawn(async move { app.handle_command(req).await });
    match tokio::time::timeout(state.ack_timeout, &mut work).await {
        Ok(Ok(reply)) => ephemeral(&reply.text),
        Ok(Err(join)) => {
            tracing::error!(error = %join, "command task failed");
            ephemeral(&tr0(quick_lang(state, &user).await, "err-unexpected"))
        }
        Err(_) => {
            tracing::info!("command is slow: acknowledging now, answering via response_url");
            let app = state.app.clone();
            let url = response_url.unwrap_or_default();
            let locale = quick_lang(state, &user).await;
            tokio::spawn(async move {
                match work.await {
                    Ok(reply) if !url.is_empty() => {
                        if let Err(e) = app.deliver_late_reply(&user, &url, reply).await {
                            tracing::error!(error = ?e, "could not queue the late reply");
                        }
                    }
                    Ok(_) => tracing::warn!("late reply dropped: the request had no response_url"),
                    Err(e) => tracing::error!(error = %e, "command task failed after the ack"),
                }
            });
            ephemeral(&tr0(locale, "thanks-working"))
        }
    }
}

/// The caller's language from the cache, if it answers at once; the ack cannot wait longer.
async fn quick_lang<'a>(state: &'a SlackState, user: &UserId) -> Lang<'a> {
    let locale = tokio::time::timeout(Duration::from_millis(150), state.app.cached_locale_of(user))
        .await
        .unwrap_or(state.app.settings.org.locale);
    state.app.lang(locale)
}

/// The parts of a `block_actions` payload that otagai reads.
#[derive(Deserialize)]
struct BlockActions {
    user: PayloadUser,
    #[serde(default)]
    actions: Vec<PressedButton>,
    response_url: Option<String>,
    #[serde(default)]
    trigger_id: String,
    /// The message the button is on.
    container: Option<Container>,
}

#[derive(Deserialize)]
struct Container {
    channel_id: Option<String>,
    message_ts: Option<String>,
}

/// The parts of a `view_submission` payload that otagai reads.
#[derive(Deserialize)]
struct ViewSubmission {
    user: PayloadUser,
    view: SubmittedView,
}

#[derive(Deserialize)]
struct SubmittedView {
    id: String,
    #[serde(default)]
    callback_id: String,
    #[serde(default)]
    private_metadata: String,
    #[serde(default)]
    state: serde_json::Value,
}

#[derive(Deserialize)]
struct PayloadUser {
    id: String,
}

#[derive(Deserialize)]
struct PressedButton {
    action_id: String,
    #[serde(default)]
    value: String,
}

/// Buttons. A press of one of otagai's buttons is handled in a task; Slack gets its empty 200
/// within the acknowledgement window either way, and the answer follows through the
/// payload's response_url. Other interaction types are acknowledged and ignored; a malformed
/// payload is refused.
#[tracing::instrument(name = "interaction", skip_all)]
async fn interaction(state: &SlackState, v: serde_json::Value) -> Ack {
    let Some(kind) = v.get("type").and_then(|t| t.as_str()) else {
        return Ack::Refused("unreadable payload");
    };
    if kind == "view_submission" {
        return view_submission(state, v).await;
    }
    if kind == "shortcut" || kind == "message_action" {
        return shortcut(state, &v).await;
    }
    if kind != "block_actions" {
        tracing::info!(kind, "interaction acknowledged");
        return Ack::Empty;
    }
    let Ok(actions) = serde_json::from_value::<BlockActions>(v) else {
        return Ack::Refused("unreadable block_actions");
    };
    let Ok(user) = UserId::parse(&actions.user.id) else {
        return Ack::Refused("bad user");
    };
    let pressed: Vec<ButtonAction> = actions
        .actions
        .iter()
        .filter_map(|a| ButtonAction::parse(&a.action_id, &a.value))
        .collect();
    if pressed.is_empty() {
        tracing::info!("a button otagai did not write was pressed; ignored");
        return Ack::Empty;
    }
    let app = state.app.clone();
    let url = state.slack.response_urls().checked(actions.response_url);
    let on_message = actions
        .container
        .and_then(|c| Some((c.channel_id?, c.message_ts?)));
    let trigger_id = actions.trigger_id;
    let slack = state.slack.clone();
    let work = tokio::spawn(async move {
        for action in pressed {
            let done = match action {
                ButtonAction::ThanksOpen if !trigger_id.is_empty() => {
                    let state = SlackState {
                        app: app.clone(),
                        ack_timeout: Duration::ZERO,
                        slack: slack.clone(),
                    };
                    match open_thanks_form(
                        &state,
                        &user,
                        &trigger_id,
                        FormContext::default(),
                        vec![],
                    )
                    .await
                    {
                        Ok(()) => Ok(()),
                        Err(text) => app.answer_press(&user, url.as_deref(), text, false).await,
                    }
                }
                ButtonAction::TopicOpen { pair_id } if !trigger_id.is_empty() => {
                    open_topic_form(&app, &slack, &user, pair_id, &trigger_id, url.as_deref()).await
                }
                ButtonAction::AskThank { request_id } if !trigger_id.is_empty() => {
                    open_thanks_modal(&app, &slack, &user, request_id, &trigger_id, url.as_deref())
                        .await
                }
                _ => {
                    let on = on_message.as_ref().map(|(c, ts)| (c.as_str(), ts.as_str()));
                    app.press_button(&user, action, url.as_deref(), on).await
                }
            };
            if let Err(e) = done {
                tracing::error!(error = ?e, kind = action.kind(), "button failed");
            }
        }
    });
    // Wait while there is time, so that quick answers are in the outbox when Slack hears back;
    // a slow one finishes in the task.
    let _ = tokio::time::timeout(state.ack_timeout, work).await;
    Ack::Empty
}

/// "Say thanks": the prefilled modal, or why there is none (told through the response_url).
async fn open_thanks_modal(
    app: &App,
    slack: &SlackApi,
    user: &UserId,
    request_id: i64,
    trigger_id: &str,
    response_url: Option<&str>,
) -> anyhow::Result<()> {
    let refusal = match app.thanks_modal(user, request_id).await? {
        Ok(modal) => match slack
            .open_modal(
                trigger_id,
                blocks::thanks_modal(&modal, &app.settings.commands),
            )
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "could not open the thanks modal");
                tr0(app.lang(modal.locale), "ask-modal-failed")
            }
        },
        Err(text) => text,
    };
    app.answer_press(user, response_url, refusal, false).await
}

/// "Add a topic" on the Home tab: the form, or why there is none (told through the
/// response_url, or by DM: a Home tab's button has no response_url).
async fn open_topic_form(
    app: &App,
    slack: &SlackApi,
    user: &UserId,
    pair_id: i64,
    trigger_id: &str,
    response_url: Option<&str>,
) -> anyhow::Result<()> {
    let refusal = match app.topic_form_view(user, pair_id).await? {
        Ok(form) => match slack
            .open_modal(
                trigger_id,
                forms::topic_form_modal(&form, &app.settings.commands),
            )
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "could not open the topic form");
                tr0(app.lang(form.locale), "topic-form-failed")
            }
        },
        Err(text) => text,
    };
    app.answer_press(user, response_url, refusal, false).await
}

/// The shortcuts: "Say thanks" (global, `thanks_global`) opens the form; "Thank for this
/// message" (`thanks_message`) opens it with the message's author preselected and the message
/// linked in the post. Other shortcuts are acknowledged and ignored.
async fn shortcut(state: &SlackState, v: &serde_json::Value) -> Ack {
    let text = |p: &str| v.pointer(p).and_then(|t| t.as_str()).unwrap_or_default();
    let Ok(user) = UserId::parse(text("/user/id")) else {
        return Ack::Refused("bad user");
    };
    let trigger = text("/trigger_id");
    if trigger.is_empty() {
        return Ack::Refused("shortcut without trigger_id");
    }
    let (context, preselected) = match (text("/type"), text("/callback_id")) {
        ("shortcut", "thanks_global") => (FormContext::default(), vec![]),
        ("message_action", "thanks_message") => {
            let author = UserId::parse(text("/message/user")).ok();
            let link = message_link(
                text("/team/domain"),
                text("/channel/id"),
                text("/message/ts"),
            );
            (
                FormContext {
                    channel: None,
                    response_url: None,
                    link,
                },
                author.into_iter().collect(),
            )
        }
        (kind, callback) => {
            tracing::info!(kind, callback, "a shortcut otagai does not know; ignored");
            return Ack::Empty;
        }
    };
    if let Err(text) = open_thanks_form(state, &user, trigger, context, preselected).await {
        // A shortcut has no response_url: the refusal goes by DM.
        if let Err(e) = state.app.answer_press(&user, None, text, false).await {
            tracing::error!(error = ?e, "could not say why the form did not open");
        }
    }
    Ack::Empty
}

/// The permalink of a message, built from parts Slack sent and checked to be what they claim
/// (a workspace domain, a channel id, a ts), so the link in the post is honest.
fn message_link(domain: &str, channel: &str, ts: &str) -> Option<String> {
    let channel = ChannelId::parse(channel).ok()?;
    let ts_ok = !ts.is_empty() && ts.chars().all(|c| c.is_ascii_digit() || c == '.');
    let domain_ok = domain
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (ts_ok && domain_ok).then(|| {
        crate::outbox::permalink(Some(domain).filter(|d| !d.is_empty()), channel.as_str(), ts)
    })
}

/// Opens the thanks form on `trigger_id` (which Slack honours for 3 seconds); `Err` is what
/// to tell the person when it could not open.
async fn open_thanks_form(
    state: &SlackState,
    user: &UserId,
    trigger_id: &str,
    context: FormContext,
    preselected: Vec<UserId>,
) -> Result<(), String> {
    let form = match state.app.thanks_form_view(user, context, preselected).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = ?e, "could not prepare the thanks form");
            return Err(tr0(quick_lang(state, user).await, "err-unexpected"));
        }
    };
    let lang = state.app.lang(form.locale);
    match state
        .slack
        .open_modal(
            trigger_id,
            forms::thanks_form_modal(&form, &state.app.settings.commands),
        )
        .await
    {
        Ok(()) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "could not open the thanks form");
            Err(tr0(lang, "form-failed"))
        }
    }
}

/// A submitted thanks form: recorded (an empty 200 closes the modal) or refused with a message
/// next to each field at fault. A submission still working after the acknowledgement window
/// closes the modal; a late refusal reaches the giver by DM.
async fn submit_thanks_form(state: &SlackState, sub: ViewSubmission) -> Ack {
    let (Ok(user), Some(context)) = (
        UserId::parse(&sub.user.id),
        FormContext::decode(&sub.view.private_metadata),
    ) else {
        return Ack::Refused("bad view_submission");
    };
    let form = forms::read_thanks_form(&sub.view.state["values"]);
    let app = state.app.clone();
    let key = sub.view.id.clone();
    let submitter = user.clone();
    let work = tokio::spawn(async move {
        app.submit_thanks_form(&submitter, &context, &key, form)
            .await
    });
    settle_submission(state, user, work, "message").await
}

/// A submitted "Add a topic" form: stored (an empty 200 closes the modal) or refused with the
/// reason next to the field. Whoever submits must be one of the pair's two people: the pair
/// id in `private_metadata` is only a claim, checked by the use-case.
async fn submit_topic_form(state: &SlackState, sub: ViewSubmission) -> Ack {
    let (Ok(user), Ok(pair_id)) = (
        UserId::parse(&sub.user.id),
        sub.view.private_metadata.parse::<i64>(),
    ) else {
        return Ack::Refused("bad view_submission");
    };
    let text = forms::read_topic_form(&sub.view.state["values"]);
    let app = state.app.clone();
    let key = sub.view.id.clone();
    let submitter = user.clone();
    let work = tokio::spawn(async move {
        app.submit_topic_form(&submitter, pair_id, &key, &text)
            .await
    });
    settle_submission(state, user, work, crate::app::TOPIC_FIELD).await
}

/// A submitted modal. The thanks modal answers within the acknowledgement window: an empty 200
/// closes it, `response_action: errors` keeps it open with a message next to each field.
async fn view_submission(state: &SlackState, v: serde_json::Value) -> Ack {
    let Ok(sub) = serde_json::from_value::<ViewSubmission>(v) else {
        return Ack::Refused("unreadable view_submission");
    };
    if sub.view.callback_id == forms::THANKS_FORM {
        return submit_thanks_form(state, sub).await;
    }
    if sub.view.callback_id == forms::TOPIC_FORM {
        return submit_topic_form(state, sub).await;
    }
    if sub.view.callback_id != blocks::THANKS_MODAL {
        tracing::info!("a view otagai did not open was submitted; closed");
        return Ack::Empty;
    }
    let (Ok(user), Ok(request_id)) = (
        UserId::parse(&sub.user.id),
        sub.view.private_metadata.parse::<i64>(),
    ) else {
        return Ack::Refused("bad view_submission");
    };
    let form = blocks::thanks_form(&sub.view.state["values"]);
    let app = state.app.clone();
    let key = sub.view.id.clone();
    let submitter = user.clone();
    let work = tokio::spawn(async move {
        app.submit_request_thanks(&submitter, request_id, &key, form)
            .await
    });
    settle_submission(state, user, work, "message").await
}

/// Waits for a submission within the acknowledgement window and says what to answer; an
/// unexpected failure is shown next to `field` (a block of that modal).
async fn settle_submission(
    state: &SlackState,
    user: UserId,
    mut work: tokio::task::JoinHandle<
        anyhow::Result<Result<(), std::collections::BTreeMap<&'static str, String>>>,
    >,
    field: &'static str,
) -> Ack {
    match tokio::time::timeout(state.ack_timeout, &mut work).await {
        Ok(Ok(Ok(Err(errors)))) => Ack::Json(json!({
            "response_action": "errors",
            "errors": errors,
        })),
        Ok(Ok(Ok(Ok(())))) => Ack::Empty,
        Ok(Ok(Err(e))) => {
            tracing::error!(error = ?e, "thanks from a modal failed");
            Ack::Json(json!({
                "response_action": "errors",
                "errors": { (field): tr0(quick_lang(state, &user).await, "err-unexpected") },
            }))
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "thanks task failed");
            Ack::Json(json!({
                "response_action": "errors",
                "errors": { (field): tr0(quick_lang(state, &user).await, "err-unexpected") },
            }))
        }
        // Still working (Slack was slow to say who the recipients are): the modal closes, and
        // if the thanks is then refused the giver hears why in a DM instead of believing it
        // went through.
        Err(_) => {
            let app = state.app.clone();
            tokio::spawn(async move {
                let problem = match work.await {
                    Ok(Ok(Ok(()))) => return,
                    Ok(Ok(Err(errors))) => errors.into_values().collect::<Vec<_>>().join("\n"),
                    Ok(Err(e)) => {
                        tracing::error!(error = ?e, "thanks from a modal failed after the ack");
                        tr0(app.lang_of(&user).await, "err-unexpected")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "thanks task failed after the ack");
                        tr0(app.lang_of(&user).await, "err-unexpected")
                    }
                };
                if let Err(e) = app.answer_press(&user, None, problem, false).await {
                    tracing::error!(error = ?e, "could not tell the giver their thanks failed");
                }
            });
            Ack::Empty
        }
    }
}

/// Someone opened the app's Home: their Home tab is published again, in their language
/// (through the Home refresher, throttled per person like every refresh). The Messages and
/// About tabs need nothing. Each event once: a retry finds it recorded.
async fn home_opened(state: &SlackState, v: &serde_json::Value, event_id: &str, retry: u32) -> Ack {
    let text = |p: &str| v.pointer(p).and_then(|t| t.as_str()).unwrap_or_default();
    let Ok(user) = UserId::parse(text("/event/user")) else {
        return Ack::Empty;
    };
    if text("/event/tab") != "home" {
        // Recorded like any other event, so its retries are recognised.
        return match state.app.first_time_event(event_id).await {
            Ok(_) => Ack::Empty,
            Err(e) => {
                tracing::error!(error = ?e, event_id, "could not record event");
                Ack::Retry
            }
        };
    }
    match state.app.home_opened(&user, event_id).await {
        Ok(true) => tracing::info!(event_id, retry, "home tab opened"),
        Ok(false) => tracing::info!(event_id, retry, "repeated event ignored"),
        Err(e) => {
            tracing::error!(error = ?e, event_id, "could not ask for the home tab");
            return Ack::Retry;
        }
    }
    Ack::Empty
}

/// What a Slack event means for a help request, if anything.
fn request_event(event: &serde_json::Value) -> Option<(RequestRef, RequestAction, UserId)> {
    let text = |p: &str| event.pointer(p).and_then(|v| v.as_str());
    let user = UserId::parse(text("/user")?).ok()?;
    match text("/type")? {
        // A reply in a thread, by a person (bots and edits carry bot_id or a subtype).
        "message" => {
            let thread_ts = text("/thread_ts")?;
            let subtype = text("/subtype");
            // A reply that is also sent to the channel, or that carries a file (a screenshot
            // is an answer too), counts; edits, deletions and joins do not.
            if event.get("bot_id").is_some()
                || subtype.is_some_and(|s| s != "thread_broadcast" && s != "file_share")
                || text("/ts") == Some(thread_ts)
            {
                return None;
            }
            Some((
                RequestRef::Post {
                    channel: text("/channel")?.to_owned(),
                    ts: thread_ts.to_owned(),
                },
                RequestAction::Reply,
                user,
            ))
        }
        "reaction_added" if text("/item/type") == Some("message") => {
            let action = match text("/reaction")? {
                "eyes" => RequestAction::Claim,
                "white_check_mark" | "heavy_check_mark" | "ballot_box_with_check" => {
                    RequestAction::ResolveByReaction
                }
                _ => return None,
            };
            Some((
                RequestRef::Post {
                    channel: text("/item/channel")?.to_owned(),
                    ts: text("/item/ts")?.to_owned(),
                },
                action,
                user,
            ))
        }
        _ => None,
    }
}

/// A person's message to the bot in its Messages tab (`message.im`): who, and what they
/// wrote. Not the bot's own messages (they carry `bot_id`, or are by the user the event was
/// delivered for), nor edits, deletions and other subtypes.
fn direct_message(body: &serde_json::Value) -> Option<(UserId, String)> {
    let event = body.get("event")?;
    let text = |p: &str| event.pointer(p).and_then(|v| v.as_str());
    if text("/type") != Some("message")
        || text("/channel_type") != Some("im")
        || event.get("subtype").is_some()
        || event.get("bot_id").is_some()
    {
        return None;
    }
    let user = text("/user")?;
    let is_bot_itself = body
        .get("authorizations")
        .and_then(|a| a.as_array())
        .is_some_and(|a| {
            a.iter().any(|x| {
                x.get("is_bot").and_then(|b| b.as_bool()) == Some(true)
                    && x.get("user_id").and_then(|u| u.as_str()) == Some(user)
            })
        });
    if is_bot_itself {
        return None;
    }
    Some((
        UserId::parse(user).ok()?,
        text("/text").unwrap_or("").to_owned(),
    ))
}

/// Events API: answers `url_verification`, processes each `event_id` at most once.
#[tracing::instrument(name = "event", skip_all)]
async fn event(state: &SlackState, v: serde_json::Value, retry: u32) -> Ack {
    match v.get("type").and_then(|t| t.as_str()) {
        Some("url_verification") => {
            let challenge = v
                .get("challenge")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            Ack::Json(json!({ "challenge": challenge }))
        }
        Some("event_callback") => {
            let Some(event_id) = v.get("event_id").and_then(|e| e.as_str()) else {
                return Ack::Refused("event without event_id");
            };
            let kind = v.pointer("/event/type").and_then(|t| t.as_str());
            if kind == Some("app_home_opened") {
                return home_opened(state, &v, event_id, retry).await;
            }
            if let Some((user, text)) = direct_message(&v) {
                return match state
                    .app
                    .answer_direct_message(&user, &text, event_id)
                    .await
                {
                    Ok(answered) => {
                        tracing::info!(event_id, retry, answered, "direct message");
                        Ack::Empty
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, event_id, "could not answer a direct message");
                        Ack::Retry
                    }
                };
            }
            let request = v.get("event").and_then(request_event);
            if request.is_none() && matches!(kind, Some("message" | "reaction_added")) {
                // Every message and reaction in the help channels arrives here; only those
                // about otagai's questions matter, and the others are not even recorded.
                return Ack::Empty;
            }
            if let Some((request, action, user)) = request {
                // The event's id is recorded in the transaction that applies it: a retry finds
                // it, a failure records nothing and Slack's retry tries again.
                return match state
                    .app
                    .track_request(request, action, &user, Some(event_id), None)
                    .await
                {
                    Ok(TrackOutcome::Repeated) => {
                        tracing::info!(event_id, retry, "repeated event ignored");
                        Ack::Empty
                    }
                    Ok(TrackOutcome::NotPostedYet) => {
                        tracing::info!(
                            event_id,
                            retry,
                            "event may be about a post not recorded yet: Slack will retry"
                        );
                        Ack::Retry
                    }
                    Ok(outcome) => {
                        tracing::info!(event_id, retry, ?action, ?outcome, "request event");
                        Ack::Empty
                    }
                    Err(e) => {
                        tracing::error!(error = ?e, event_id, "could not apply event");
                        Ack::Retry
                    }
                };
            }
            match state.app.first_time_event(event_id).await {
                Ok(true) => {
                    let kind = v
                        .pointer("/event/type")
                        .and_then(|t| t.as_str())
                        .unwrap_or("?");
                    tracing::info!(event_id, kind, retry, "event received");
                    Ack::Empty
                }
                Ok(false) => {
                    tracing::info!(event_id, retry, "repeated event ignored");
                    Ack::Empty
                }
                Err(e) => {
                    // Not recorded: let Slack retry it.
                    tracing::error!(error = ?e, event_id, "could not record event");
                    Ack::Retry
                }
            }
        }
        _ => Ack::Empty,
    }
}
