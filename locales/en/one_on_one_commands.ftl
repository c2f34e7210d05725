## /1on1: help lines and the replies to text that could not be understood.
## Same keys as ja/one_on_one_commands.ftl (checked by a test).

## Help
help-oneonone-intro = *1on1s with { $cmd-1on1 }*: keep a steady rhythm with your reports, and keep topics and action items in one place. Pick people from Slack's autocomplete so they appear as @name links.
usage-oneonone-list = your 1on1s, as a manager and as a report
usage-oneonone-add = start regular 1on1s with one of your reports, optionally saying how often (every N days: { $max } at most); they accept your invitation first, unless you are an admin
usage-oneonone-remove = stop the 1on1s with this report (or, as a report, with this manager)
usage-oneonone-done = record a 1on1 as held (today unless you give the date), with notes if you like
usage-oneonone-topic = add something to talk about at your next 1on1 with this person
usage-oneonone-todo = add an action item to your 1on1s with this person
usage-oneonone-todos = the open action items of all your 1on1s
usage-oneonone-todo-done = mark action item N as done
usage-oneonone-notes = read the notes of your recent 1on1s with someone (only the two of you can)
usage-oneonone-snooze = hold the reminders for this report for N days ({ $max } at most)
usage-oneonone-snooze-until = hold the reminders for this report until that day
usage-oneonone-pause = stop the reminders for this report until you resume them
usage-oneonone-resume = turn the reminders for this report back on
usage-oneonone-feedback = what your reports say about your 1on1s, in aggregate
usage-oneonone-report = (admins) 1on1 numbers for the whole organization

## Text that could not be understood
err-oneonone-unknown = I don't know `{ $cmd-1on1 } { $word }`. Try `{ $cmd-1on1 } help`.
err-oneonone-no-subcommand = Start with what you'd like to do, then the person, for example `{ $cmd-1on1 } done @alex` or `{ $cmd-1on1 } add @alex weekly`. `{ $cmd-1on1 } help` lists everything.
err-oneonone-bad-cadence = `{ $cadence }` isn't a rhythm I understand. Use weekly, biweekly, monthly or every Nd (N from 1 to { $max }), for example `{ $cmd-1on1 } add @alex biweekly` or `{ $cmd-1on1 } add @alex every 10d`.
err-oneonone-bad-date = `{ $token }` isn't a date I can read. Write a real calendar day as YYYY-MM-DD, for example `2026-12-01`.
err-oneonone-bad-snooze = `{ $token }` isn't a snooze I understand. Try `{ $cmd-1on1 } snooze @alex 3d` (1 to { $max } days) or `{ $cmd-1on1 } snooze @alex until 2026-12-01`.
err-oneonone-bad-todo-number = `{ $token }` isn't an action item number. Use the number `{ $cmd-1on1 } todos` shows, for example `{ $cmd-1on1 } todo done 12`.
err-oneonone-no-todo-text = What is the action item? Write it after the person, for example: `{ $cmd-1on1 } todo @alex share the hiring plan draft by Friday`
err-oneonone-no-topic-text = What would you like to talk about? Write it after the person, for example: `{ $cmd-1on1 } topic @alex how on-call is going`
