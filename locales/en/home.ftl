# The thanks form (a modal): /thanks with no text, the shortcuts and the Home tab's button.
form-title = Say thanks
form-submit = Send thanks
form-close = Cancel
form-recipients = Who would you like to thank?
form-message = What did they do?
form-message-hint = Be specific: "your review caught the bug before release" means more than "thanks". End with #value to name a company value.
form-points = Points (optional)
form-points-hint = At most { $max } per person. You have { $remaining } left this month (resets { $resets }).
form-values = Company values
form-channel = Post in
form-link-note = Thanking for this message: { $link }
form-err-value = Pick values from the list.
form-err-channel = Pick the channel to post the thanks in.
form-failed = I could not open the thanks form in time. Please try again.
thanks-post-link = For { $link }
thanks-post-link-label = this message

# The Home tab.
home-title-thanks = My thanks
home-title-oneonones = My 1on1s
home-title-questions = My questions
home-title-admin = Admin
home-received = Received lately
home-given = Given lately
home-received-line = • From { $who }: { $message }
home-given-line = • To { $who }: { $message }
home-say-thanks = Say thanks
home-topics = Topics for next time
home-items = Open action items
home-none = Nothing here yet.
home-more = …and { $n } more
home-admin-exports = CSV exports, run on the server: `otagai export ledger -o ledger.csv` (every movement of points) and `otagai org export -o org.csv` (the org chart).
home-welcome = *Welcome to otagai!* Three commands make relying on each other a habit:
home-welcome-thanks = *Thank someone:* `{ $cmd-thanks } @alex +10 your review caught the bug before the release`, or press the button below for a form.
home-welcome-oneonone = *Keep 1on1s going:* `{ $cmd-1on1 } add @sam biweekly`, then `{ $cmd-1on1 } done @sam` after each one.
home-welcome-ask = *Ask for help:* `{ $cmd-ask } #payroll how do I fix my commute allowance?`, and someone always answers.
home-to-answer = *Waiting for an answer in your topics*
home-admin-points = Points given this month: { $given } of { $allowance } (the budgets opened this month).
home-admin-pairs = 1on1 pairs on track: { $on_track } of { $pairs }.
home-admin-late = Questions unanswered past the nudge time: { $n }.

# The Home tab's "Add a topic" form.
home-add-topic = Add a topic
home-topic-use-command = Add a topic with `{ $cmd-1on1 } topic @someone what to talk about`.
topic-form-title = Add a topic
topic-form-submit = Add
topic-form-label = What would you like to talk about?
topic-form-with = For your next 1on1 with { $other }. You both see it; it is not a private note.
topic-form-err-empty = Write what you would like to talk about.
topic-form-failed = I could not open the form in time. Please try again.
