## Questions for opening a 1on1, offered to the manager. Every key here exists in
## ja/questions.ftl too, and each is a question in src/domain/questions.rs (tests check both).

## How they are doing
question-how-are-you = Before we get to work: how are you doing, really?
question-energy-lately = What has been giving you energy lately, and what has been draining it?
question-week-in-a-word = If you had to sum up your week in a word or two, what would they be?
question-workload-pace = How does your workload feel right now: too much, too little, or about right?
question-switching-off = Have you been able to switch off and rest outside work?

## What is in their way
question-slowing-you-down = What is slowing you down at the moment?
question-one-obstacle = If I could clear one obstacle out of your way this week, which one would you pick?
question-waiting-on-others = Are you waiting on anyone for something I could help move along?
question-unclear-priorities = Is anything about your priorities or what is expected of you unclear right now?
question-process-friction = Which meeting, process or tool takes more from you than it gives back?

## What they are proud of
question-proud-of = What are you proud of from the last couple of weeks?
question-small-win = What is a small win of yours lately that others may have missed?
question-better-than-expected = What went better than you expected recently?
question-helped-or-helped-by = Who did you help recently, or who helped you?
question-best-work = When did you last feel you were doing your best work? What made it possible?

## What they need from their manager
question-need-from-me = What do you need from me that you are not getting yet?
question-more-or-less-of = What should I do more of, or less of, to support you?
question-how-i-work = Is there anything about the way I work that makes your job harder? I would rather know.
question-where-to-help = Where could I be most useful to you over the next few weeks?
question-feeling-heard = Do you feel your ideas get heard on this team? Where could that be better?

## Where they want to grow
question-want-to-learn = What would you like to learn or get better at this year?
question-stretch = Is there a piece of work you would like to stretch yourself on?
question-year-from-now = Where would you like to be a year or two from now, and how could we get there together?
question-unused-strengths = Which of your strengths do you feel we are not making enough use of?
question-feedback-wanted = Is there an area where you would like more feedback from me?
