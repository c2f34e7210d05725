//! The rules of otagai, pure: identities, languages, budget periods, points and what makes a
//! thanks acceptable.
//!
//! Nothing here reads a clock, a database or Slack: `now` and every fact from outside arrive as
//! parameters, so each rule is a plain function that a table test can pin down.

mod budget;
mod ids;
mod locale;
mod period;
mod thanks;

pub use budget::{BudgetState, Cost};
pub use ids::{ChannelId, UserId};
pub use locale::Locale;
pub use period::{Period, day_starts_at};
pub use thanks::{RecipientStatus, ThanksRefusal, ThanksRules, ValidThanks, check_thanks};
