//! The rules of otagai, pure: identities, languages, budget periods, points and what makes a
//! thanks acceptable; 1on1 cadences, pair states, reminders, when they may be sent (schedule,
//! holidays, quiet hours) and the questions suggested for opening a 1on1; working-hours
//! arithmetic and the life of a help request (`/ask`).
//!
//! Nothing here reads a clock, a database or Slack: `now` and every fact from outside arrive as
//! parameters, so each rule is a plain function that a table test can pin down.

mod ask;
mod budget;
mod cadence;
mod calendar;
mod ids;
mod locale;
mod pair;
mod period;
mod pulse;
pub mod questions;
mod reminders;
mod send_window;
pub mod text;
mod thanks;
mod working_hours;

pub use ask::{
    AskRefusal, HelperRole, MAX_QUESTION_CHARS, MAX_TOPIC_CHARS, QuestionRefusal, RequestEvent,
    RequestFacts, RequestState, Transition, apply, check_question, helpers_of, median_ms,
    topic_name,
};
pub use budget::{BudgetState, Cost};
pub use cadence::{Cadence, CadenceError};
pub use calendar::{Holidays, QuietHours};
pub use ids::{ChannelId, Expert, UserGroupId, UserId};
pub use locale::Locale;
pub use pair::{MAX_SNOOZE_DAYS, PairFacts, PairState};
pub use period::{Period, day_starts_at};
pub use pulse::{PulseKey, pulse_blocks};
pub use questions::{BANK, Question, Theme, pick};
pub use reminders::{NextReminder, ReminderPolicy, next_reminder};
pub use send_window::{ScheduleError, SendWindow};
pub use thanks::{RecipientStatus, ThanksRefusal, ThanksRules, ValidThanks, check_thanks};
pub use working_hours::{WorkingHours, parse_work_duration};
