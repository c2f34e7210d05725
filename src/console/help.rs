//! What `:help` prints: the console's own commands, and walkthroughs of a 1on1 and of a
//! question from asking to thanks. Text only; the commands themselves are in the other files.

/// What `:help` prints.
pub(super) const HELP: &str = "\
  :as NAME               act as another user (created on first use)
  :lang en|ja            your language
  :who                   everyone in the console
  :time                  the console's time (in org.timezone), when reminders may go out and
                         whether it is working time (when /ask nudges may go out)
  :time +Nd|+Nh|+Nm      move the clock forward, then run the due jobs (1on1 reminders,
                         /ask nudges in working hours);
                         +Nd goes on to the next reminder slot if none could go out then
  :time next-slot        jump to the next reminder slot, then run the due jobs
  :time YYYY-MM-DDTHH:MM jump forward to that local time, then run the due jobs
  :press BUTTON          press a button of the last reminder or pulse you got:
                         held, snooze, done N, useful 1-5, talk me|even|manager;
                         claim, resolve (on the last question); thank (your resolved question)
  :react ✅|👀           react to the last question: ✅ resolves it (the asker's only),
                         👀 takes it on
  :reply TEXT            reply in the last question's thread: someone else's reply answers it
  :thank [+N] [MESSAGE]  send the thanks form :press thank showed (N points; no MESSAGE keeps
                         the prefilled one; start with @NAME … to choose who)
  :home                  your Home tab as text: thanks, 1on1s, questions
  :thanks-form @NAME … [+N] MESSAGE [#value …]
                         send the thanks form (what /thanks alone opens in Slack); a
                         refusal is shown next to its field
  :quit                  leave (the data stays in the database)

  A 1on1 from start to finish (alice manages bob and carol; you are alice):
    /1on1 add @bob weekly
    /1on1 todo @bob draft the onboarding guide
    :time +8d            a week later the 1on1 is overdue: alice gets a reminder
    :press held          alice held it; bob is asked two anonymous questions
    :as bob
    :press useful 4
    :press talk me
    :as alice
    /1on1

  A question from asking to thanks (you are alice; carol is the #payroll expert):
    /ask #payroll How do I change the bank account my salary goes to?
    :as bob
    :reply Profile > Payroll > Bank account; it applies from next month's salary.
    :as alice            alice got a DM: bob answered
    :react ✅            resolved: alice gets a DM naming bob, with a Say thanks button
    :press thank
    :thank +10 your answer saved my payday
  Left unanswered in working hours, a question gets a nudge to its experts: :time +3h.";
