# /1on1: pairs, records, reminders and the pulse.

oneonone-cadence-weekly = weekly
oneonone-cadence-biweekly = every 2 weeks
oneonone-cadence-monthly = monthly
oneonone-cadence-days = { $n ->
    [one] every day
   *[other] every { $n } days
}
oneonone-never = never

oneonone-not-a-person = { $user } isn't a person in this workspace (a bot, deactivated, or unknown), so they can't have 1on1s.
oneonone-add-self = You can't be your own report. Try `{ $cmd-1on1 } add @someone`.
oneonone-added = Added { $report } as your report: 1on1s { $cadence }. The first is due on { $due }; I'll remind you if it slips.
oneonone-added-dm = { $manager } added you for regular 1on1s ({ $cadence }). The 1on1 is your time: add what you want to talk about with `{ $cmd-1on1 } topic { $manager } …`. If { $manager } isn't your manager, `{ $cmd-1on1 } remove { $manager }` ends it.
oneonone-already-added = { $report } is already your report, with 1on1s { $cadence }.
oneonone-cadence-changed = 1on1s with { $report } are now { $cadence }. The next is due on { $due }.
oneonone-has-manager = { $report } already has 1on1s with { $manager }. Ask { $manager } to `{ $cmd-1on1 } remove` them, or an admin to import the new org chart; their history stays with the old pair.
oneonone-has-manager-neutral = { $report } already has a manager in otagai; they or an admin can change it.
oneonone-invited = I've asked { $report } to confirm 1on1s with you ({ $cadence }). The pair starts once they accept; the invitation expires in { $days } days.
oneonone-invite-pending = Your invitation to { $report } is still waiting for their answer; nothing was sent again.
oneonone-invite-declined-recently = { $report } declined your last invitation, so otagai will not ask them again before { $date }. If you should be their manager, ask them, or an admin can add the pair.
oneonone-invite-too-many = You have sent { $n } invitations in the last 24 hours, the most otagai sends in a day. Try again tomorrow, or ask an admin to add the pairs (or import your org chart).
oneonone-invite-dm = { $manager } would like to have regular 1on1s with you as your manager ({ $cadence }). Accept if { $manager } is your manager; otherwise decline, and nothing changes. This invitation expires in { $days } days.
oneonone-invite-button-accept = Accept
oneonone-invite-button-decline = Decline
oneonone-invite-accepted = You accepted: regular 1on1s with { $manager } ({ $cadence }). The 1on1 is your time: add what you want to talk about with `{ $cmd-1on1 } topic { $manager } …`.
oneonone-invite-accepted-dm = { $report } accepted your invitation: 1on1s { $cadence }. The first is due on { $due }; I'll remind you if it slips.
oneonone-invite-declined = You declined the 1on1s with { $manager }. Nothing was changed.
oneonone-invite-declined-dm = { $report } declined your invitation to regular 1on1s. If that is unexpected, talk to them or ask an admin.
oneonone-invite-not-yours = This invitation is not for you, so nothing was changed.
oneonone-invite-expired = This invitation from { $manager } has expired, so nothing was changed. { $manager } can send a new one with `{ $cmd-1on1 } add`.
oneonone-invite-was-accepted = You already accepted this invitation from { $manager }.
oneonone-invite-was-declined = You declined this invitation from { $manager }, so nothing was changed. { $manager } can send a new one with `{ $cmd-1on1 } add`.
oneonone-invite-has-manager = You already have 1on1s with { $current }. To accept { $manager }'s invitation, first leave that pair with `{ $cmd-1on1 } remove { $current }`, then press Accept again.
oneonone-list-pending = • { $report } (invited, { $cadence }): waiting for them to accept
oneonone-add-own-manager = { $manager } is your manager here, so they can't also be your report.
oneonone-removed = { $report } is no longer your report. Your 1on1 history together is kept.
oneonone-left = You no longer have regular 1on1s with { $manager }. Your history together is kept.
oneonone-not-your-report = { $report } isn't one of your reports. Only their manager can change their 1on1s.
oneonone-no-pair = You and { $other } don't have regular 1on1s. A manager starts them with `{ $cmd-1on1 } add @report`.
oneonone-pair-gone = That 1on1 pair no longer exists, or isn't yours.

oneonone-snoozed = No reminders about { $report } until { $date }.
oneonone-snooze-past = { $date } has already come. Snooze until a later day, like `{ $cmd-1on1 } snooze @someone 3d`.
oneonone-snooze-too-long = A snooze can last at most a year. For a long absence, use `{ $cmd-1on1 } pause @someone`.
oneonone-paused = 1on1 reminders for { $report } are paused. `{ $cmd-1on1 } resume` when they are back.
oneonone-resumed = Reminders for { $report } are back on. The next 1on1 is due on { $due }.
oneonone-not-paused = Reminders for { $report } were not paused or snoozed. The next 1on1 is due on { $due }.

oneonone-list-none = You have no regular 1on1s yet. Managers start with `{ $cmd-1on1 } add @report`.
oneonone-list-header = *Your 1on1s*
oneonone-list-as-manager = • { $other } (your report, { $cadence }): last { $last }, next due { $due }, { $state }, { $items } open items
oneonone-list-as-report = • { $other } (your manager, { $cadence }): last { $last }, next due { $due }, { $state }, { $items } open items
oneonone-state-on-track = on track
oneonone-state-due = due today
oneonone-state-overdue = overdue by { $days ->
    [one] 1 day
   *[other] { $days } days
}
oneonone-state-snoozed = snoozed until { $until }
oneonone-state-paused = paused

oneonone-done = Recorded your 1on1 with { $other } on { $date }. The next is due on { $due }.
oneonone-done-notes-private = Your notes are saved; only the two of you can read them, with `{ $cmd-1on1 } notes`.
oneonone-done-topics = { $n ->
    [one] 1 topic was
   *[other] { $n } topics were
} marked as talked about.
oneonone-done-open-items = { $n ->
    [one] 1 action item is
   *[other] { $n } action items are
} still open: `{ $cmd-1on1 } todos`.
oneonone-done-already = A 1on1 with { $other } on { $date } is already recorded.
oneonone-done-already-noted = A 1on1 with { $other } on { $date } was already recorded; your notes were added to it.
oneonone-done-too-old = { $date } is more than a year ago. Please check the date (YYYY-MM-DD).
oneonone-done-future = { $date } hasn't happened yet. Record a 1on1 once it's held.
oneonone-too-long = That's too long: at most { $max } characters.

oneonone-todo-added = Action item #{ $id } added for you and { $other }. It stays open until someone closes it with `{ $cmd-1on1 } todo done { $id }`.
oneonone-topic-added = Topic added for your next 1on1 with { $other }.
oneonone-todos-none = No open action items. Nice.
oneonone-todos-header = *Open action items*
oneonone-todos-line = • #{ $id } { $text } (with { $other })
oneonone-todos-footer = Close one with `{ $cmd-1on1 } todo done N`.
oneonone-todo-closed = Closed #{ $id }: { $text }
oneonone-todo-already = #{ $id } was already closed.
oneonone-todo-unknown = There is no action item #{ $id } of yours. `{ $cmd-1on1 } todos` lists them.

oneonone-notes-none = No notes from your 1on1s with { $other } yet.
oneonone-notes-header = *Notes from your recent 1on1s with { $other }* (only the two of you can see these)
oneonone-notes-line = • { $date }, { $author }: { $text }

oneonone-private-too-slow = Your notes took too long to load, and they are not sent by any way that would keep a copy. Please run `{ $cmd-1on1 } notes` again.

oneonone-remind-first = Time for a 1on1 with { $report }: you haven't had one since they were added { $days ->
    [one] 1 day
   *[other] { $days } days
} ago.
oneonone-remind-due = Time for a 1on1 with { $report }: the last one was on { $last }, { $days ->
    [one] 1 day
   *[other] { $days } days
} ago.
oneonone-remind-again = Your 1on1 with { $report } is overdue by { $overdue ->
    [one] 1 day
   *[other] { $overdue } days
} ({ $days } days since the last one). Even 15 minutes helps.
oneonone-remind-again-never = Your first 1on1 with { $report } is overdue by { $overdue ->
    [one] 1 day
   *[other] { $overdue } days
} (they were added { $days } days ago). Even 15 minutes helps.
oneonone-remind-items = *Open action items*
oneonone-remind-topics = *Topics* ({ $report }'s first: it's their time)
oneonone-remind-questions = *Questions to open with*
oneonone-item-line = • #{ $id } { $text } ({ $by })
oneonone-topic-line = • { $text } ({ $by })
oneonone-more = …and { $n } more
oneonone-remind-footer = Held it? Press *Held it today* or type `{ $cmd-1on1 } done { $report }`. Need a few days? *Snooze 2 days*.
oneonone-button-held = Held it today
oneonone-button-snooze = Snooze 2 days
oneonone-button-done = Done
oneonone-nudge-report = Your regular 1on1 with { $manager } hasn't happened for a while. It's your time: feel free to ask them for one, or add a topic with `{ $cmd-1on1 } topic { $manager } …`.

oneonone-pulse-intro = Two quick questions about your 1on1 with { $manager }. Answers are anonymous: { $manager } only ever sees totals of several answers.
oneonone-pulse-useful = Was it useful? (1 = not at all, 5 = very)
oneonone-pulse-talk = Who talked more?
oneonone-pulse-talk-report = Me
oneonone-pulse-talk-even = About even
oneonone-pulse-talk-manager = My manager
oneonone-pulse-partial = Got it. One more question above.
oneonone-pulse-thanks = Thank you. Your answers were recorded anonymously.
oneonone-pulse-closed = This pulse is already answered or no longer open.
oneonone-pulse-summary = { $answers } answers: usefulness { $useful } / 5. Who talked more: the report { $report }%, about even { $even }%, the manager { $manager }%.

oneonone-feedback = *Pulse of your 1on1s, last { $days } days*
oneonone-feedback-not-enough = Your pulse shows once there are at least { $need } answers in the last { $days } days, so no single answer can be traced to a person. So far: { $have }.
oneonone-feedback-one-person = All the answers so far come from one person, so showing them would point at them. Your pulse shows once at least two of your reports have answered.
oneonone-pulse-steps = Answers count in groups of at least { $k } from at least two people, so no single answer and no one person's answers can be singled out; { $newer } newer will count once their group is complete.
oneonone-feedback-talk-hint = In most of your 1on1s you talked more. Try opening with a question and letting silence work: the 1on1 is their time.

oneonone-report-admins-only = `{ $cmd-1on1 } report` is for admins.
oneonone-report-empty = No 1on1 pairs yet. Managers add theirs with `{ $cmd-1on1 } add @report`; admins can import an org chart with `otagai org import`.
oneonone-report = *1on1s across the organisation*: { $pairs } pairs, { $share }% on track ({ $ontrack } on track, { $due } due today, { $overdue } overdue, { $resting } paused or snoozed).
oneonone-report-teams = *Where 1on1s are lapsing*
oneonone-report-team = • team of { $manager }: { $overdue } of { $pairs } overdue
oneonone-report-pulse = *Pulse, last { $days } days*
oneonone-report-pulse-not-enough = The organisation's pulse shows once there are at least { $need } answers.
