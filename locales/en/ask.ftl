## /ask: help requests. Same keys as ja/ask.ftl (checked by a test).

help-ask-intro = Stuck? Asking early is how good teams work. Your question goes to a channel where people are glad to help, and otagai makes sure it gets an answer.
help-ask-anon = With `anon`, the post does not show your name; you still hear when someone answers. Use the Resolved button rather than a ✅ reaction, since reactions show who added them.

## Asking
ask-posting = Thanks for asking! Your question is going up in { $channel }; the link follows in a moment.
ask-posting-anon = Thanks for asking! Your question is going up in { $channel } anonymously: your name is not shown on it, to anyone. The link follows in a moment.
ask-posted = Your question is up in { $channel }: <{ $link }|open it>. You will hear from me when someone takes it or answers.
ask-not-posted = I could not post your question in { $channel }: I am probably not a member there. Please ask an admin to invite me, then ask again.
ask-anon-off = Anonymous questions are turned off here. Ask with your name; people are glad to help.
ask-too-long = Your question is { $got } characters long; Slack shows at most { $max } in one post. Please shorten it and add details in the thread.
ask-no-channel = No help channel is set up yet, so there is nowhere to post your question. Please ask an admin to set `ask.channel`.
ask-unknown-topic = There is no topic `#{ $topic }`. Topics: { $topics }. Or ask without a topic.
ask-unknown-topic-none = There is no topic `#{ $topic }`; no topics are set up. Ask without a topic, e.g. `{ $cmd-ask } How do I …?`
ask-topics-none = No topics are set up; every question goes to { $channel }.
ask-topics-header = Topics you can ask about:
ask-topics-line = • `#{ $topic }` → { $channel }{ $experts ->
    [0] {""}
    [one] , 1 expert
   *[other] , { $experts } experts
}

## The post in the help channel
ask-post-header = *Question from { $asker }*{ $topic }
ask-post-header-anon = *Anonymous question*{ $topic }
ask-status-open = :large_green_circle: Open: nobody has taken it yet. Press “I'll take it” or react with :eyes:.
ask-status-claimed = :eyes: On it: { $people }.
ask-status-answered = :speech_balloon: Answered by { $people }. Waiting for the asker to confirm.
ask-status-resolved = :white_check_mark: Resolved, with help from { $people }.
ask-status-resolved-alone = :white_check_mark: Resolved.
ask-button-claim = I'll take it
ask-button-resolve = Resolved
ask-state-open = open
ask-state-claimed = taken
ask-state-answered = answered
ask-state-resolved = resolved

## Answers to the person who pressed a button
ask-you-claimed = Thank you for taking it! Answer in the thread; the asker hears from me.
ask-you-resolved = Marked as resolved. Glad it's sorted!
ask-you-noted = Noted.
ask-refuse-own = That's your own question; someone else will take it.
ask-refuse-claimed-twice = You have already taken this one.
ask-refuse-not-asker = Only the person who asked can mark it resolved.
ask-refuse-resolved = This question is already resolved.
ask-refuse-gone = I cannot find that question any more.

## DMs to the asker
ask-dm-claimed = Good news: { $by } is looking at <{ $link }|your question>.
ask-dm-claimed-anon = Good news: { $by } is looking at <{ $link }|your anonymous question>. To stay anonymous, reply in its thread only if you don't mind your name showing.
ask-dm-replied-anon = Good news: { $by } answered <{ $link }|your anonymous question>. Have a look in the thread; when it's sorted, press Resolved on the post (a ✅ reaction would show your name, so it does not count on anonymous questions).
ask-dm-replied = Good news: { $by } answered <{ $link }|your question>. Have a look in the thread; press Resolved or react with ✅ when it's sorted.
ask-dm-resolved = Your question “{ $excerpt }” is resolved. { $people } helped: a specific thank-you makes their day.
ask-button-thank = Say thanks

## /ask mine
ask-mine-none = You have no open questions.
ask-mine-header = Your open questions ({ $n }):
ask-mine-line = • { $link }: { $state }, asked { $asked }{ $anon ->
    [yes] {" "}(anonymous)
   *[no] {""}
}

## Nudges
ask-nudge-experts = { $who }: this question has been waiting for { $hours ->
    [one] 1 working hour
   *[other] { $hours } working hours
}. Could one of you take it?
ask-nudge-nobody = This question has been waiting for { $hours ->
    [one] 1 working hour
   *[other] { $hours } working hours
}. Can anyone help?
ask-nudge-claimers = { $who }: you took this question, and it has been waiting for { $hours ->
    [one] 1 working hour
   *[other] { $hours } working hours
} in all. Is there an answer yet? If you are stuck, say so here so someone else can step in.
ask-escalate-thread = { $who }: this question has had no answer for { $hours ->
    [one] 1 working hour
   *[other] { $hours } working hours
}. Could your team help?
ask-escalate-channel = A question{ $topic ->
    [none] {""}
   *[other] {" "}in { $topic }
} has had no answer for { $hours ->
    [one] 1 working hour
   *[other] { $hours } working hours
}: “{ $excerpt }” <{ $link }|open it>

## Saying thanks
ask-thanks-prefill = Thank you for helping me with “{ $excerpt }”
ask-thanks-prefill-anon = Thank you for your help with my question!
ask-modal-anon-note = You asked anonymously. A thanks shows your name, so this one is not posted anywhere public and does not quote your question; only the people you thank see it, and they will know it is from you.
ask-thanks-not-resolved = This question is not resolved yet. Mark it resolved first, or thank now with `{ $cmd-thanks } @person what they did`.
ask-thanks-not-yours = Only the person who asked can thank for this question.
ask-thanks-use-command = Use `{ $cmd-thanks } @person what they did` to thank them.
ask-modal-title = Say thanks
ask-modal-recipients = Who helped
ask-modal-message = Your message
ask-modal-points = Points (optional)
ask-modal-points-hint = From your monthly budget, at most { $max } per person. Leave empty for none.
ask-modal-submit = Send thanks
ask-modal-close = Cancel
ask-modal-failed = I could not open the thanks form in time. Please press the button again.

## /ask stats
ask-stats-admins-only = Only admins can see question stats.
ask-stats-none = No questions in the last { $days } days.
ask-stats-header = Questions in the last { $days } days (times in working hours, medians):
ask-stats-line = • { $topic }: { $asked } asked, { $share }% answered; first answer { $answer }, resolved { $resolve }
ask-stats-no-topic = (no topic)
ask-stats-nothing = –
ask-stats-footer = Counts only: no asker is shown.
ask-duration = { $h }h { $m }m
