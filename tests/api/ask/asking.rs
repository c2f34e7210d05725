//! Asking: `/ask` posts the question in the help channel (or its topic's channel) with its
//! buttons and sends the asker its link; empty, unknown-topic, overlong and (where not allowed)
//! anonymous questions are refused, as is a question with nowhere to go.

use super::*;
use crate::both_backends;
use crate::fake_slack::permalink;

both_backends!(
    a_question_is_posted_in_the_help_channel_with_buttons_and_the_asker_gets_its_link,
    a_question_on_a_topic_goes_to_the_topics_channel_and_one_without_its_own_channel_to_the_help_channel,
    empty_unknown_topic_and_overlong_questions_are_refused_and_nothing_is_posted,
    anonymous_questions_are_refused_when_the_workspace_does_not_allow_them,
    without_a_help_channel_only_topics_with_their_own_channel_can_be_asked,
    the_link_to_a_question_is_the_one_slack_gives_even_without_a_workspace_domain,
);

/// Enterprise Grid and GovSlack links are not `https://<domain>.slack.com/…`, and a command may
/// come without `team_domain`: the link the asker gets is the one chat.getPermalink gives.
async fn the_link_to_a_question_is_the_one_slack_gives_even_without_a_workspace_domain(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let body = serde_urlencoded::to_string([
        ("team_id", "T0TEST"),
        ("team_domain", ""),
        ("channel_id", "C0GENERAL"),
        ("user_id", "UASKER"),
        ("command", "/ask"),
        ("text", "Where is the travel policy?"),
        ("response_url", &app.slack.response_url("trig-nodomain")),
        ("trigger_id", "trig-nodomain"),
    ])
    .unwrap();
    let resp = app
        .post_signed("/slack/commands", "application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(resp.status(), 200);
    let post = app.slack.wait_posts_in("C0HELP", 1, WAIT).await.remove(0);
    // The link is asked for once Slack has answered the post, so it may come a moment later.
    let links = wait_hook(&app, "trig-nodomain", 1).await;
    assert_eq!(app.slack.calls("chat.getPermalink").len(), 1);
    let text = said(&links[0]);
    assert!(
        text.contains(&crate::fake_slack::permalink("C0HELP", &post.ts)),
        "Slack's link, not one built from a missing domain: {text}"
    );
    // `/ask mine` links it the same way.
    let mine = app.command("UASKER", "/ask", "mine").await;
    assert!(
        mine.contains(&crate::fake_slack::permalink("C0HELP", &post.ts)),
        "{mine}"
    );
}

async fn a_question_is_posted_in_the_help_channel_with_buttons_and_the_asker_gets_its_link(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(
        &app,
        "UASKER",
        "How do I get access to the staging database?",
    )
    .await;
    assert!(q.reply.contains("<#C0HELP>"), "{}", q.reply);
    assert_eq!(q.channel, "C0HELP");
    let text = said(&q.post);
    assert!(text.contains("<@UASKER>"), "names the asker: {text}");
    assert!(
        text.contains("How do I get access to the staging database?"),
        "{text}"
    );
    assert!(
        q.post["blocks"].as_array().is_some_and(|b| !b.is_empty()),
        "{}",
        q.post
    );
    assert!(
        q.post["text"].as_str().is_some_and(|t| !t.is_empty()),
        "a text fallback: {}",
        q.post
    );

    // Once Slack has the post, the asker gets its link at the command's response_url.
    let link = permalink("C0HELP", &q.ts);
    let follow_up = app
        .slack
        .wait_until(WAIT, "the link at the response_url", || {
            app.slack
                .accepted(&format!("hooks/{}", q.trigger))
                .into_iter()
                .find(|h| said(h).contains(&link))
        })
        .await;
    assert_ne!(
        follow_up["response_type"], "in_channel",
        "only the asker sees it: {follow_up}"
    );
    settle(&app).await;
    assert_eq!(question_posts(&app).len(), 1, "posted once");
    assert_eq!(count(&app, "help_requests").await, 1);
    assert!(notices_to(&app, "UASKER").is_empty(), "no DM yet");
}

async fn a_question_on_a_topic_goes_to_the_topics_channel_and_one_without_its_own_channel_to_the_help_channel(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let q = ask(&app, "UASKER", "#payroll When is the bonus paid?").await;
    assert_eq!(q.channel, "C0PAYROLL");
    assert!(q.reply.contains("<#C0PAYROLL>"), "{}", q.reply);
    let text = said(&q.post);
    assert!(text.contains("payroll"), "names the topic: {text}");
    assert!(text.contains("<@UASKER>"), "{text}");
    assert!(text.contains("When is the bonus paid?"), "{text}");

    // Topic names are case-insensitive, and `laptops` has no channel of its own.
    let q = ask(&app, "UASKER", "#Laptops My keyboard stopped working").await;
    assert_eq!(q.channel, "C0HELP");
    assert!(q.reply.contains("<#C0HELP>"), "{}", q.reply);
    assert!(said(&q.post).contains("laptops"), "{}", said(&q.post));

    // A question of exactly 2800 characters is accepted.
    let long = "x".repeat(2800);
    let q = ask(&app, "UOTHER", &long).await;
    assert!(said(&q.post).contains(&long));
}

async fn empty_unknown_topic_and_overlong_questions_are_refused_and_nothing_is_posted(
    backend: Backend,
) {
    let app = spawn_ask_app(backend).await;
    let reply = refused(&app, "UASKER", "").await;
    assert!(!reply.is_empty());
    let reply = refused(&app, "UASKER", "   ").await;
    assert!(!reply.is_empty());
    let reply = refused(&app, "UASKER", "anon #payroll").await;
    assert!(!reply.is_empty());

    let reply = refused(&app, "UASKER", "#nosuch Where is the coffee?").await;
    assert!(reply.contains("nosuch"), "{reply}");
    assert!(
        reply.contains("payroll") && reply.contains("laptops"),
        "lists the topics: {reply}"
    );

    let reply = refused(&app, "UASKER", &"y".repeat(2801)).await;
    assert!(reply.contains("2800"), "says the limit: {reply}");

    assert_eq!(count(&app, "help_requests").await, 0);
    assert!(app.slack.calls("chat.postMessage").is_empty());
}

async fn anonymous_questions_are_refused_when_the_workspace_does_not_allow_them(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| s.ask.allow_anonymous = false).await;
    let reply = refused(&app, "UASKER", "anon Is it OK to ask about salaries?").await;
    assert!(!reply.is_empty());
    let reply = refused(
        &app,
        "UASKER",
        "#payroll anon Is it OK to ask about salaries?",
    )
    .await;
    assert!(!reply.is_empty());
    assert_eq!(count(&app, "help_requests").await, 0);
    // With a name it goes up.
    let q = ask(&app, "UASKER", "Is it OK to ask about salaries?").await;
    assert!(said(&q.post).contains("<@UASKER>"));
}

async fn without_a_help_channel_only_topics_with_their_own_channel_can_be_asked(backend: Backend) {
    let app = spawn_ask_app_with(backend, |s| {
        s.ask.channel = None;
        s.ask.topics.remove("laptops");
    })
    .await;
    let reply = refused(&app, "UASKER", "Where do I file expenses?").await;
    assert!(!reply.is_empty());
    assert!(!reply.contains("<#C0"), "names no channel: {reply}");
    let q = ask(&app, "UASKER", "#payroll Where do I file expenses?").await;
    assert_eq!(q.channel, "C0PAYROLL");
}
