## otagai's messages in English. Every key here exists in ja/main.ftl too (a test checks).
## Variables that hold Slack mentions (<@U…>) are already formatted by the caller.
## Commands are never written out: { $cmd-thanks }, { $cmd-bonus }, { $cmd-1on1 } and { $cmd-ask }
## are the names this workspace gave them (any message may use them; a test checks).

list-separator = {", "}
# One person in running text (a Slack mention).
person = { $name }
date = { $year }-{ $mm }-{ $dd }
points = { $n ->
    [one] 1 point
   *[other] { $n } points
}

## Help
thanks-help-title = *Saying thanks with { $cmd-thanks }*
thanks-help-tip = Be specific: "your review caught the bug before release" means more than "thanks". Mention people with Slack's autocomplete so they appear as @name links.
thanks-help-example = Example: `{ $cmd-thanks } @alex +10 your review caught the bug before the release{ $tag }`
usage-thanks = thank one or more people, in public
usage-thanks-points = add points per person from your monthly budget ({ $max } at most each), and tag company values
bonus-help-title = *Points with { $cmd-bonus }*
usage-bonus-balance = your budget left this month and the points you have received
usage-bonus-top = the 10 people who received the most points this month, or of all time
usage-bonus-history = the last 10 thanks you gave and received
usage-bonus-budget = (admins) set someone's monthly budget from now on
usage-bonus-budget-clear = (admins) put someone back on the default budget
usage-bonus-budget-default = (admins) set everyone's monthly budget from now on
usage-bonus-grant = (admins) top up someone's budget for this month only
usage-bonus-admins = (admins) list, add or remove bonus admins
help-values = Company values you can tag: { $values }

## What was typed could not be understood
err-unknown-command = I don't know the command { $command }.
err-no-recipient = Who would you like to thank? Mention them first, for example: `{ $cmd-thanks } @alex thanks for pairing on the release script`
err-plain-mention = I can't tell who { $name } is when it is typed as plain text. Pick the person from Slack's autocomplete so it becomes a real mention, for example: { $example }
err-example-thanks = `{ $cmd-thanks } @alex thanks for pairing on the release script`
err-example-oneonone = `{ $cmd-1on1 } add @alex weekly`
err-example-bonus = `{ $cmd-bonus } grant @alex 50`
err-person-expected = Name one person here, picked from Slack's autocomplete; a user group or a channel can't take their place.
err-group-mention = User groups can't be thanked as a whole; mention each person you want to thank.
err-channel-mention = A channel can't be thanked; mention the people you want to thank.
err-points-not-whole = `{ $token }` isn't a number of points. Use a whole number from 1 to { $max }, like `+10`.
err-no-message = Please add a message that says what they did, for example: `{ $cmd-thanks } @alex +10 your review caught the bug before release`
err-amount-not-whole = `{ $token }` isn't a valid amount. Use a whole number of points.
err-unknown-bonus = I don't know `{ $cmd-bonus } { $word }`. Try `{ $cmd-bonus } help`.
err-usage = Usage: `{ $usage }`

## Thanks refused; nothing was changed
refuse-self = Thanking yourself doesn't count, but thanks for the spirit! Who helped you recently?
refuse-bot = { $user } is a bot. Thanks are for people.
refuse-deactivated = { $user } has been deactivated in Slack, so they can't receive thanks.
refuse-unknown-user = I couldn't find { $user } in this workspace.
refuse-too-many = One thanks can name at most { $max } people.
refuse-points-range = Points must be a whole number from 1 to { $max } per person.
refuse-no-message = Please add a message that says what they did.
refuse-too-short = Thanks with points need a message of at least { $min } characters (yours has { $got }). Say what exactly helped: it means more to them.
refuse-over-budget = That thanks costs { points } and you have { $remaining } left this month. Your budget resets on { $resets }.
    .hint = Give fewer points, or thank without points.
refuse-slack-unavailable = I couldn't check the recipients with Slack just now, so nothing was sent. Please try again in a moment.
err-unexpected = Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell your admin.

## Thanks accepted
thanks-sent = Your thanks to { $recipients } is on its way.
thanks-sent-points = Your thanks to { $recipients } is on its way with { points } each. You have { $remaining } left this month (resets on { $resets }).
thanks-post = { $giver } thanked { $recipients }
thanks-post-points = +{ points } each
thanks-post-values = Values: { $values }
thanks-dm = { $giver } thanked you: { $message }
thanks-dm-points = You received { points }. See your total with `{ $cmd-bonus }`.
thanks-working = Working on it…

## /bonus
bonus-balance = *Your points*
    .budget = Budget left this month: { $remaining } of { $allowance } (resets on { $resets })
    .received = Received this month: { $month } · all time: { $total }
bonus-top-month = *Most points received this month*
bonus-top-all = *Most points received of all time*
bonus-top-line = { $rank }. { $user } · { points }
bonus-top-empty = No points have been received yet. Be the first to thank someone with `{ $cmd-thanks }`.
bonus-history-given = *Thanks you gave*
bonus-history-received = *Thanks you received*
bonus-history-line = { $date } · { $who } · { $message }
bonus-history-line-points = { $date } · { $who } · +{ points } · { $message }
bonus-history-empty = Nothing yet.

## Admin
admin-only = Only bonus admins can do that. Ask one of them: { $admins }
admin-none = (no admins are configured)
admin-budget-set = { $user }'s monthly budget is now { points }, from this month on.
admin-budget-cleared = { $user } is back on the default monthly budget ({ points }), from this month on.
admin-budget-default-set = The default monthly budget is now { points }, from this month on.
admin-granted = { $user } got a one-time top-up of { points } for this month; they have { $remaining } left.
admin-granted-dm = { $admin } topped up your thanks budget by { points } for this month. You have { $remaining } to give.
admin-not-for-yourself = Admins can't change their own budget or top it up; another admin has to do it: { $admins }. This attempt was recorded in the audit log.
admin-target-invalid = { $user } is a bot, deactivated or not in this workspace, so this does not apply to them.
admin-added = { $user } is now a bonus admin.
admin-already = { $user } is already a bonus admin.
admin-removed = { $user } is no longer a bonus admin.
admin-not-removable = { $user } is an admin in the configuration file (bonus.admins); remove them there.
admin-not-admin = { $user } is not a bonus admin.
admin-list = Bonus admins: { $admins }

## Placeholders of the usage lines in help (the rest of a usage line is typed as shown).
ph-what-they-did = what exactly they did
ph-talk-about = what to talk about
ph-question = your question
ph-action-item = action item
ph-notes = [notes]
ph-someone = @someone
ph-another = @another
ph-value = #value
ph-topic = #topic

## A DM to the bot in its Messages tab.
dm-help-title = *What otagai does* (commands work in any channel, and here too)
dm-help-thanks = • `{ $cmd-thanks } @alex +10 your review caught the bug`: thank people in public, with points if you like
dm-help-bonus = • `{ $cmd-bonus }`: your points and budget; `{ $cmd-bonus } top` for the rankings
dm-help-oneonone = • `{ $cmd-1on1 } add @alex weekly`: regular 1on1s with reminders; `{ $cmd-1on1 } todos` for your action items
dm-help-ask = • `{ $cmd-ask } #payroll how do I change my bank account?`: ask for help; someone always answers
dm-help-tip = Add `help` to any command for all it can do, e.g. `{ $cmd-1on1 } help`.
dm-type-the-command = I don't run commands from messages. Type it as a command, here or in any channel: `{ $command }`
dm-unknown = I answer commands, not messages. Send `help` to see what I can do.
