//! Claiming, answering and resolving, by button and by event (👀, thread replies, ✅): who may
//! do what, what the post and the asker are told, retried and overlapping events, events about
//! messages otagai did not post or has not recorded yet, replies with files, and a retried old
//! update that must not put an earlier state back on the post.

use super::*;
use crate::both_backends;
use crate::fake_slack::{Scripted, permalink};

both_backends!(
    a_claim_by_button_updates_the_post_and_tells_the_asker_once,
    a_claim_with_the_eyes_reaction_updates_the_post_and_tells_the_asker,
    the_asker_cannot_claim_their_own_question,
    a_reply_in_the_thread_answers_the_question_but_the_askers_own_and_bots_replies_do_not,
    only_the_asker_resolves_with_the_button_or_a_check_mark,
    a_retried_event_has_one_effect,
    events_about_messages_otagai_did_not_post_are_ignored,
    a_retried_old_update_never_puts_an_earlier_state_back_on_the_post,
    a_reply_with_a_file_answers_the_question,
    an_event_about_a_post_not_yet_recorded_is_left_for_slacks_retry,
);

async fn a_claim_by_button_updates_the_post_and_tells_the_asker_once(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "#payroll Why is my payslip missing?").await;
    let hook = press_on_question(&app, &q, "UHELPER", "ask_claim").await;
    let updates = wait_updates(&app, &q, 1).await;
    assert_eq!(updates[0]["channel"], "C0PAYROLL");
    assert_eq!(updates[0]["ts"], q.ts.as_str());
    let text = said(&updates[0]);
    assert!(text.contains("<@UHELPER>"), "names the claimer: {text}");
    assert!(text.contains("<@UASKER>"), "still names the asker: {text}");
    // The claimer hears back privately.
    let told = wait_hook(&app, &hook, 1).await;
    assert_ne!(told[0]["response_type"], "in_channel", "{told:?}");

    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert!(
        said(&dms[0]).contains(&permalink("C0PAYROLL", &q.ts)),
        "links the question: {}",
        dms[0]
    );
    assert_eq!(state_of(&app, &q).await, "claimed");

    // A second claimer and an answer later: no second DM.
    claim(&app, &q, "UHELPER2").await;
    answer(
        &app,
        &q,
        "UHELPER",
        "HR resends them on request; I asked them.",
    )
    .await;
    settle(&app).await;
    assert_eq!(
        notices_to(&app, "UASKER").len(),
        1,
        "{:?}",
        notices_to(&app, "UASKER")
    );
    let last = app.slack.updates_of(&q.channel, &q.ts).pop().unwrap();
    let text = said(&last);
    assert!(
        text.contains("<@UHELPER>"),
        "the helpers stay on the post: {text}"
    );
}

async fn a_claim_with_the_eyes_reaction_updates_the_post_and_tells_the_asker(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Which VPN profile should I use?").await;
    // Other reactions mean nothing.
    ok(app.reaction("UHELPER", &q.channel, &q.ts, "tada").await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());

    ok(app.reaction("UHELPER", &q.channel, &q.ts, "eyes").await).await;
    let updates = wait_updates(&app, &q, 1).await;
    assert!(said(&updates[0]).contains("<@UHELPER>"), "{}", updates[0]);
    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert_eq!(state_of(&app, &q).await, "claimed");

    // The asker's own 👀 claims nothing.
    let q2 = ask(&app, "UASKER", "And the VPN password?").await;
    ok(app.reaction("UASKER", &q2.channel, &q2.ts, "eyes").await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q2.channel, &q2.ts).is_empty());
    assert_eq!(state_of(&app, &q2).await, "open");
}

async fn the_asker_cannot_claim_their_own_question(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Who owns the billing service?").await;
    let hook = press_on_question(&app, &q, "UASKER", "ask_claim").await;
    let answer = wait_hook(&app, &hook, 1).await;
    assert!(!said(&answer[0]).is_empty(), "told why: {answer:?}");
    assert_ne!(answer[0]["response_type"], "in_channel", "{answer:?}");
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());
    assert!(notices_to(&app, "UASKER").is_empty());
    assert_eq!(state_of(&app, &q).await, "open");
}

async fn a_reply_in_the_thread_answers_the_question_but_the_askers_own_and_bots_replies_do_not(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "How do I rotate my SSH key?").await;

    // The asker adding detail, a bot, and a message edit: none of them an answer.
    ok(app
        .thread_reply("UASKER", &q.channel, &q.ts, "It's for the build server.")
        .await)
    .await;
    let mut bot = thread_reply_event("UBOT", &q.channel, &q.ts, "Beep: ticket created.");
    bot["bot_id"] = "B0OTHER".into();
    bot["subtype"] = "bot_message".into();
    ok(app.event(bot).await).await;
    let mut otagai_itself = thread_reply_event("UOTAGAIBOT", &q.channel, &q.ts, "nudge");
    otagai_itself["bot_id"] = "B0OTAGAI".into();
    ok(app.event(otagai_itself).await).await;
    let mut edit = thread_reply_event("UHELPER", &q.channel, &q.ts, "edited");
    edit["subtype"] = "message_changed".into();
    ok(app.event(edit).await).await;
    settle(&app).await;
    assert!(
        app.slack.updates_of(&q.channel, &q.ts).is_empty(),
        "{:?}",
        app.slack.updates_of(&q.channel, &q.ts)
    );
    assert!(notices_to(&app, "UASKER").is_empty());
    assert_eq!(state_of(&app, &q).await, "open");

    // A top-level message in the channel (not in the thread) is no answer either.
    let mut top = thread_reply_event("UHELPER", &q.channel, &q.ts, "unrelated");
    top.as_object_mut().unwrap().remove("thread_ts");
    ok(app.event(top).await).await;
    settle(&app).await;
    assert!(app.slack.updates_of(&q.channel, &q.ts).is_empty());

    // Someone else's reply answers it.
    ok(app
        .thread_reply(
            "UHELPER",
            &q.channel,
            &q.ts,
            "`ssh-keygen`, then upload it.",
        )
        .await)
    .await;
    let updates = wait_updates(&app, &q, 1).await;
    assert_eq!(updates[0]["ts"], q.ts.as_str());
    assert!(said(&updates[0]).contains("<@UHELPER>"), "{}", updates[0]);
    let dms = app
        .slack
        .wait_until(WAIT, "a DM to the asker", || {
            let got = notices_to(&app, "UASKER");
            (!got.is_empty()).then_some(got)
        })
        .await;
    assert!(said(&dms[0]).contains("<@UHELPER>"), "{}", dms[0]);
    assert_eq!(state_of(&app, &q).await, "answered");

    // More replies, from the same or another helper: no more DMs.
    ok(app
        .thread_reply("UHELPER", &q.channel, &q.ts, "And restart the agent.")
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER2", &q.channel, &q.ts, "+1 to that.")
        .await)
    .await;
    settle(&app).await;
    assert_eq!(notices_to(&app, "UASKER").len(), 1);
}

async fn only_the_asker_resolves_with_the_button_or_a_check_mark(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Where are the brand assets?").await;
    answer(&app, &q, "UHELPER", "In the design drive.").await;
    let updates = app.slack.updates_of(&q.channel, &q.ts).len();

    // Someone else's ✅ and Resolved button change nothing; the presser is told.
    ok(app
        .reaction("UOTHER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    let hook = press_on_question(&app, &q, "UOTHER", "ask_resolve").await;
    let told = wait_hook(&app, &hook, 1).await;
    assert!(!said(&told[0]).is_empty(), "{told:?}");
    assert_ne!(told[0]["response_type"], "in_channel", "{told:?}");
    // The helper's ✅ does not resolve it either.
    ok(app
        .reaction("UHELPER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), updates);
    assert_eq!(state_of(&app, &q).await, "answered");

    // The asker's ✅ does.
    ok(app
        .reaction("UASKER", &q.channel, &q.ts, "white_check_mark")
        .await)
    .await;
    let all = wait_updates(&app, &q, updates + 1).await;
    assert_eq!(all.last().unwrap()["ts"], q.ts.as_str());
    assert_eq!(state_of(&app, &q).await, "resolved");

    // And the asker's button, on another question.
    let q2 = ask(&app, "UASKER", "And the font licences?").await;
    let hook = press_on_question(&app, &q2, "UASKER", "ask_resolve").await;
    wait_updates(&app, &q2, 1).await;
    wait_hook(&app, &hook, 1).await;
    assert_eq!(state_of(&app, &q2).await, "resolved");
    // Without helpers, no thanks to offer.
    settle(&app).await;
    let offers = thank_offers_to(&app, "UASKER");
    assert_eq!(
        offers.len(),
        1,
        "only for the question that had help: {offers:?}"
    );
    assert_eq!(button_value(&offers[0], "ask_thank"), Some(q.id.clone()));
}

async fn a_retried_event_has_one_effect(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Who can approve my access request?").await;
    let claim = reaction_event("UHELPER", &q.channel, &q.ts, "eyes");
    ok(app.event_with_id("Ev0CLAIM1", claim.clone(), None).await).await;
    ok(app.event_with_id("Ev0CLAIM1", claim.clone(), Some(1)).await).await;
    wait_updates(&app, &q, 1).await;
    ok(app.event_with_id("Ev0CLAIM1", claim, Some(2)).await).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 1);
    assert_eq!(notices_to(&app, "UASKER").len(), 1);

    let reply = thread_reply_event("UHELPER2", &q.channel, &q.ts, "I can, sending it now.");
    // Slack's retries may overlap the first delivery.
    let (a, b, c, d) = tokio::join!(
        app.event_with_id("Ev0REPLY1", reply.clone(), None),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(1)),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(2)),
        app.event_with_id("Ev0REPLY1", reply.clone(), Some(3)),
    );
    for r in [a, b, c, d] {
        ok(r).await;
    }
    wait_updates(&app, &q, 2).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 2);
    assert_eq!(notices_to(&app, "UASKER").len(), 1);
    let helpers =
        crate::one_on_one::scalar(&app, "SELECT COUNT(*) FROM help_request_helpers").await;
    assert_eq!(helpers, 2);

    // The same resolve sent twice at once.
    let done = reaction_event("UASKER", &q.channel, &q.ts, "white_check_mark");
    let (a, b) = tokio::join!(
        app.event_with_id("Ev0DONE1", done.clone(), None),
        app.event_with_id("Ev0DONE1", done, Some(1))
    );
    ok(a).await;
    ok(b).await;
    wait_updates(&app, &q, 3).await;
    settle(&app).await;
    assert_eq!(app.slack.updates_of(&q.channel, &q.ts).len(), 3);
    assert_eq!(thank_offers_to(&app, "UASKER").len(), 1);
}

async fn events_about_messages_otagai_did_not_post_are_ignored(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Is the wiki down?").await;
    // The asker's link to the post goes out right after the post is recorded: let it.
    settle(&app).await;
    let before = app.slack.all_calls().len();
    ok(app
        .reaction("UHELPER", &q.channel, "1600000000.000100", "eyes")
        .await)
    .await;
    ok(app.reaction("UHELPER", "C0ELSEWHERE", &q.ts, "eyes").await).await;
    ok(app
        .reaction(
            "UASKER",
            "C0RANDOM",
            "1600000000.000200",
            "white_check_mark",
        )
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER", &q.channel, "1600000000.000300", "yes")
        .await)
    .await;
    ok(app
        .thread_reply("UHELPER", "C0ELSEWHERE", &q.ts, "yes")
        .await)
    .await;
    // A reaction to a file, an event otagai does not use, a malformed reaction.
    ok(app
        .event(serde_json::json!({
            "type": "reaction_added", "user": "UHELPER", "reaction": "eyes",
            "item": { "type": "file", "file": "F0123" }, "event_ts": fresh_ts()
        }))
        .await)
    .await;
    ok(app
        .event(serde_json::json!({ "type": "app_mention", "user": "UHELPER", "text": "<@UOTAGAIBOT> hi",
            "ts": fresh_ts(), "channel": "C0HELP", "event_ts": fresh_ts() }))
        .await)
    .await;
    settle(&app).await;
    let after: Vec<String> = app.slack.all_calls()[before..]
        .iter()
        .map(|c| c.method.clone())
        .filter(|m| m != "users.info")
        .collect();
    assert!(after.is_empty(), "{after:?}");
    assert_eq!(state_of(&app, &q).await, "open");
}

async fn a_retried_old_update_never_puts_an_earlier_state_back_on_the_post(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        // A failed update waits long enough for a later one to go first.
        s.outbox.backoff_base = Duration::from_millis(1500);
        s.outbox.backoff_max = Duration::from_millis(1500);
    })
    .await;
    let q = ask(&app, "UASKER", "How do I reset my VPN token?").await;
    app.slack.script("chat.update", Scripted::ServerError);
    press_on_question(&app, &q, "UHELPER", "ask_claim").await;
    app.slack
        .wait_until(WAIT, "the failed claim update", || {
            (!app.slack.calls("chat.update").is_empty()).then_some(())
        })
        .await;
    resolve(&app, &q, "UASKER").await;
    // The claim's update comes due again after the resolution was shown.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    settle(&app).await;
    let shown = app.slack.updates_of(&q.channel, &q.ts);
    let last = said(shown.last().expect("an update"));
    assert!(
        last.contains("Resolved") && buttons(shown.last().unwrap()).is_empty(),
        "the post must stay resolved: {shown:#?}"
    );
    assert_eq!(shown.len(), 1, "the stale update is dropped: {shown:#?}");
    assert_eq!(app.outbox_counts().await.2, 0, "nothing failed");
}

async fn a_reply_with_a_file_answers_the_question(backend: Backend) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "Which cable fits the projector?").await;
    let mut event = thread_reply_event("UHELPER", &q.channel, &q.ts, "This one:");
    event["subtype"] = "file_share".into();
    ok(app.event(event).await).await;
    wait_updates(&app, &q, 1).await;
    assert_eq!(state_of(&app, &q).await, "answered");
}

async fn an_event_about_a_post_not_yet_recorded_is_left_for_slacks_retry(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            worker: false,
            ..ask_options(|_| {})
        },
    )
    .await;
    app.slack.add_user("UASKER", "en-US");
    app.slack.add_user("UHELPER", "en-US");
    app.command("UASKER", "/ask", "Where is the wiki?").await;
    // Slack has the post (it is in the channel) but otagai has not recorded its ts yet.
    let resp = app
        .reaction("UHELPER", "C0HELP", "1800000000.000100", "eyes")
        .await;
    assert_eq!(resp.status(), 503, "Slack retries it later");
    // A reaction in some other channel is simply not about a question.
    let resp = app
        .reaction("UHELPER", "C0OTHER", "1800000000.000100", "eyes")
        .await;
    assert_eq!(resp.status(), 200);
}
