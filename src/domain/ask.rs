//! Help requests (`/ask`): the rules of a request's life, from open through claimed and
//! answered to resolved, who may move it and when the asker hears about it; plus what makes a
//! question acceptable and the helpers and medians the reports show.
//!
//! Pure: the request's current facts and the event arrive as parameters and the answer says
//! what to record, whether to tell the asker and whether the post must be redrawn. Storing
//! that and talking to Slack are the caller's business.

use super::ids::UserId;

/// Where a help request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// Asked, nobody has taken it on yet.
    Open,
    /// Someone said they would help, nobody has answered yet.
    Claimed,
    /// Someone other than the asker replied in the thread.
    Answered,
    /// The asker said it is sorted; nothing moves it any more.
    Resolved,
}

impl RequestState {
    /// How the state is stored: `open`, `claimed`, `answered` or `resolved`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Claimed => "claimed",
            Self::Answered => "answered",
            Self::Resolved => "resolved",
        }
    }

    /// The state stored as `s` (see [`RequestState::as_str`]), if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Claimed, Self::Answered, Self::Resolved]
            .into_iter()
            .find(|state| state.as_str() == s)
    }
}

/// How someone helped with a request; one person can hold both roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperRole {
    /// Said they would help.
    Claimed,
    /// Replied in the request's thread.
    Replied,
}

impl HelperRole {
    /// How the role is stored: `claimed` or `replied`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Claimed => "claimed",
            Self::Replied => "replied",
        }
    }

    /// The role stored as `s` (see [`HelperRole::as_str`]), if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Claimed, Self::Replied]
            .into_iter()
            .find(|role| role.as_str() == s)
    }
}

/// What is known about a request when something happens to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    /// Who asked.
    pub asker: UserId,
    /// Where the request stands now.
    pub state: RequestState,
    /// Whether the asker has had their one DM saying help is on the way.
    pub asker_notified: bool,
    /// Everyone who helped so far and how, oldest first.
    pub helpers: Vec<(UserId, HelperRole)>,
}

impl RequestFacts {
    fn has_role(&self, who: &UserId, role: HelperRole) -> bool {
        self.helpers.iter().any(|(u, r)| u == who && *r == role)
    }
}

/// Something a person did to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEvent {
    /// Pressed "I'll help".
    Claim { by: UserId },
    /// Replied in the request's thread.
    Reply { by: UserId },
    /// Marked the request resolved (the ✅ button or reaction).
    Resolve { by: UserId },
}

/// What the event does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The state after the event.
    pub state: RequestState,
    /// A helper and role to record.
    pub new_helper: Option<(UserId, HelperRole)>,
    /// Send the asker their one DM: the first claim or the first answer does.
    pub notify_asker: bool,
    /// The post in Slack must be redrawn: its state or the people on it changed.
    pub update_post: bool,
}

impl Transition {
    /// Nothing to do: the request stays `state` and nobody hears anything.
    fn nothing(state: RequestState) -> Self {
        Self {
            state,
            new_helper: None,
            notify_asker: false,
            update_post: false,
        }
    }
}

/// Why an event may not happen to a request. Who did what is refused before the state is
/// looked at, so an asker claiming their own resolved request hears `OwnRequest`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AskRefusal {
    /// The asker tried to claim their own request.
    #[error("you cannot claim your own request")]
    OwnRequest,
    /// The person already claimed this request.
    #[error("you have already claimed this request")]
    AlreadyClaimedByYou,
    /// Someone other than the asker tried to resolve it.
    #[error("only the person who asked can resolve a request")]
    OnlyAskerResolves,
    /// The request is resolved; it can be neither claimed nor resolved again.
    #[error("this request is already resolved")]
    AlreadyResolved,
}

/// What `event` does to the request described by `facts`, or why it may not happen.
///
/// A reply by the asker, or any reply to a resolved request, is allowed and changes nothing.
/// The asker hears once, on the first claim or answer, whichever comes first.
pub fn apply(facts: &RequestFacts, event: &RequestEvent) -> Result<Transition, AskRefusal> {
    use RequestState::{Answered, Claimed, Open, Resolved};
    match event {
        RequestEvent::Claim { by } => {
            if *by == facts.asker {
                return Err(AskRefusal::OwnRequest);
            }
            if facts.state == Resolved {
                return Err(AskRefusal::AlreadyResolved);
            }
            if facts.has_role(by, HelperRole::Claimed) {
                return Err(AskRefusal::AlreadyClaimedByYou);
            }
            Ok(Transition {
                state: if facts.state == Open {
                    Claimed
                } else {
                    facts.state
                },
                new_helper: Some((by.clone(), HelperRole::Claimed)),
                notify_asker: !facts.asker_notified,
                update_post: true,
            })
        }
        RequestEvent::Reply { by } => {
            if facts.state == Resolved || *by == facts.asker {
                return Ok(Transition::nothing(facts.state));
            }
            let new_helper = (!facts.has_role(by, HelperRole::Replied))
                .then(|| (by.clone(), HelperRole::Replied));
            Ok(Transition {
                state: Answered,
                update_post: facts.state != Answered || new_helper.is_some(),
                new_helper,
                notify_asker: !facts.asker_notified,
            })
        }
        RequestEvent::Resolve { by } => {
            if *by != facts.asker {
                return Err(AskRefusal::OnlyAskerResolves);
            }
            if facts.state == Resolved {
                return Err(AskRefusal::AlreadyResolved);
            }
            Ok(Transition {
                state: Resolved,
                new_helper: None,
                notify_asker: false,
                update_post: true,
            })
        }
    }
}

/// The longest topic name.
pub const MAX_TOPIC_CHARS: usize = 40;

/// A topic name as settings and `/ask #topic` write it: 1 to 40 of `a-z`, `0-9`, `-` and `_`,
/// upper-case ASCII lowered (only ASCII: a full lower-casing would turn the Kelvin sign into
/// `k`). `None` for anything else.
pub fn topic_name(raw: &str) -> Option<String> {
    let name = raw.to_ascii_lowercase();
    let valid = (1..=MAX_TOPIC_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    valid.then_some(name)
}

/// The longest question accepted, in characters a person sees (Slack's section text is 3000;
/// the post adds its own lines).
pub const MAX_QUESTION_CHARS: usize = 2800;

/// Why a question was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionRefusal {
    /// Nothing but spaces.
    #[error("the question is empty")]
    Empty,
    /// Longer than [`MAX_QUESTION_CHARS`]; `got` characters after trimming.
    #[error("the question is {got} characters long; the most is {max}")]
    TooLong { max: usize, got: usize },
}

/// The question, trimmed, if it is acceptable: not empty or whitespace-only, at most
/// [`MAX_QUESTION_CHARS`] characters (counted as characters, not bytes).
pub fn check_question(text: &str) -> Result<String, QuestionRefusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QuestionRefusal::Empty);
    }
    let got = text.chars().count();
    if got > MAX_QUESTION_CHARS {
        return Err(QuestionRefusal::TooLong {
            max: MAX_QUESTION_CHARS,
            got,
        });
    }
    Ok(text.to_owned())
}

/// Everyone who helped, in the order they first helped, each once (claimers and repliers).
pub fn helpers_of(helpers: &[(UserId, HelperRole)]) -> Vec<UserId> {
    let mut people: Vec<UserId> = Vec::with_capacity(helpers.len());
    for (user, _) in helpers {
        if !people.contains(user) {
            people.push(user.clone());
        }
    }
    people
}

/// The median of durations in milliseconds: the middle one, or for an even count the mean of
/// the two middle ones rounded down; `None` if there are none.
pub fn median_ms(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => {
            // In i128 so two huge values cannot overflow; div_euclid rounds down, also below zero.
            let sum = i128::from(sorted[n / 2 - 1]) + i128::from(sorted[n / 2]);
            Some(sum.div_euclid(2) as i64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AskRefusal::*;
    use HelperRole::{Claimed as C, Replied as R};
    use RequestState::*;

    fn u(id: &str) -> UserId {
        UserId::parse(id).unwrap()
    }

    /// Helpers as written in a table: user ID and role.
    type Helpers<'a> = &'a [(&'a str, HelperRole)];

    const ASKER: &str = "UASKER";
    const ANN: &str = "UANN";
    const BOB: &str = "UBOB";

    fn f(state: RequestState, notified: bool, helpers: Helpers) -> RequestFacts {
        RequestFacts {
            asker: u(ASKER),
            state,
            asker_notified: notified,
            helpers: helpers.iter().map(|&(id, role)| (u(id), role)).collect(),
        }
    }

    fn claim(by: &str) -> RequestEvent {
        RequestEvent::Claim { by: u(by) }
    }

    fn reply(by: &str) -> RequestEvent {
        RequestEvent::Reply { by: u(by) }
    }

    fn resolve(by: &str) -> RequestEvent {
        RequestEvent::Resolve { by: u(by) }
    }

    /// A transition: state after, helper recorded, notify the asker, redraw the post.
    fn ok(
        state: RequestState,
        helper: Option<(&str, HelperRole)>,
        notify: bool,
        update: bool,
    ) -> Result<Transition, AskRefusal> {
        Ok(Transition {
            state,
            new_helper: helper.map(|(id, role)| (u(id), role)),
            notify_asker: notify,
            update_post: update,
        })
    }

    #[test]
    fn states_and_roles_are_stored_as_words_and_read_back() {
        for state in [Open, Claimed, Answered, Resolved] {
            assert_eq!(RequestState::parse(state.as_str()), Some(state));
        }
        assert_eq!(Open.as_str(), "open");
        assert_eq!(Claimed.as_str(), "claimed");
        assert_eq!(Answered.as_str(), "answered");
        assert_eq!(Resolved.as_str(), "resolved");
        for role in [C, R] {
            assert_eq!(HelperRole::parse(role.as_str()), Some(role));
        }
        assert_eq!((C.as_str(), R.as_str()), ("claimed", "replied"));
        for bad in ["", "Open", "closed", "replied "] {
            assert_eq!(RequestState::parse(bad), None, "{bad}");
        }
        for bad in ["", "Claimed", "answered"] {
            assert_eq!(HelperRole::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_event_in_every_state_by_everyone_does_what_the_rules_say() {
        let none: Helpers = &[];
        // Ann has claimed it (ann_c) or replied in its thread (ann_r).
        let ann_c: Helpers = &[(ANN, C)];
        let ann_r: Helpers = &[(ANN, R)];
        #[rustfmt::skip]
        let cases = [
            // Claims: the asker never; someone else once each; a claim moves an open request on.
            (f(Open, false, none),     claim(ASKER),   Err(OwnRequest)),
            (f(Open, false, none),     claim(ANN),     ok(Claimed, Some((ANN, C)), true, true)),
            (f(Claimed, true, ann_c),  claim(ANN),     Err(AlreadyClaimedByYou)),
            (f(Claimed, true, ann_c),  claim(BOB),     ok(Claimed, Some((BOB, C)), false, true)),
            (f(Answered, true, ann_r), claim(ANN),     ok(Answered, Some((ANN, C)), false, true)),
            (f(Answered, true, ann_r), claim(BOB),     ok(Answered, Some((BOB, C)), false, true)),
            (f(Resolved, true, ann_c), claim(BOB),     Err(AlreadyResolved)),
            (f(Resolved, true, ann_c), claim(ANN),     Err(AlreadyResolved)),
            (f(Resolved, true, none),  claim(ASKER),   Err(OwnRequest)),
            // Replies: anyone but the asker answers; the asker's, or any once resolved, do nothing.
            (f(Open, false, none),     reply(ANN),     ok(Answered, Some((ANN, R)), true, true)),
            (f(Open, false, none),     reply(ASKER),   ok(Open, None, false, false)),
            (f(Claimed, false, ann_c), reply(BOB),     ok(Answered, Some((BOB, R)), true, true)),
            (f(Claimed, true, ann_c),  reply(ANN),     ok(Answered, Some((ANN, R)), false, true)),
            (f(Claimed, true, ann_c),  reply(BOB),     ok(Answered, Some((BOB, R)), false, true)),
            (f(Claimed, true, ann_c),  reply(ASKER),   ok(Claimed, None, false, false)),
            (f(Answered, true, ann_r), reply(ANN),     ok(Answered, None, false, false)),
            (f(Answered, true, ann_r), reply(BOB),     ok(Answered, Some((BOB, R)), false, true)),
            (f(Answered, true, ann_r), reply(ASKER),   ok(Answered, None, false, false)),
            (f(Resolved, true, ann_r), reply(BOB),     ok(Resolved, None, false, false)),
            (f(Resolved, true, ann_r), reply(ASKER),   ok(Resolved, None, false, false)),
            // Resolving: the asker only, once, from any other state.
            (f(Open, false, none),     resolve(ASKER), ok(Resolved, None, false, true)),
            (f(Claimed, true, ann_c),  resolve(ASKER), ok(Resolved, None, false, true)),
            (f(Answered, true, ann_r), resolve(ASKER), ok(Resolved, None, false, true)),
            (f(Resolved, true, ann_r), resolve(ASKER), Err(AlreadyResolved)),
            (f(Open, false, none),     resolve(ANN),   Err(OnlyAskerResolves)),
            (f(Answered, true, ann_r), resolve(ANN),   Err(OnlyAskerResolves)),
            (f(Resolved, true, ann_r), resolve(ANN),   Err(OnlyAskerResolves)),
        ];
        for (facts, event, want) in cases {
            assert_eq!(apply(&facts, &event), want, "{event:?} on {facts:?}");
        }
    }

    /// Plays `events` from a fresh open request, recording what each transition says, and
    /// returns which of them told the asker.
    fn notifications(events: &[RequestEvent], notified: bool) -> Vec<bool> {
        let mut facts = f(Open, notified, &[]);
        let mut told = Vec::new();
        for event in events {
            let step = apply(&facts, event).unwrap_or_else(|e| panic!("{event:?}: {e}"));
            facts.state = step.state;
            facts.asker_notified |= step.notify_asker;
            facts.helpers.extend(step.new_helper);
            told.push(step.notify_asker);
        }
        told
    }

    #[test]
    fn the_asker_hears_once_on_the_first_claim_or_answer_whichever_comes_first() {
        let cases = [
            (vec![claim(ANN), reply(ANN)], false, vec![true, false]),
            (vec![reply(ANN), claim(BOB)], false, vec![true, false]),
            (
                vec![reply(ASKER), reply(ANN), reply(BOB)],
                false,
                vec![false, true, false],
            ),
            (
                vec![claim(ANN), claim(BOB), reply(BOB)],
                false,
                vec![true, false, false],
            ),
            (vec![claim(ANN), reply(ANN)], true, vec![false, false]),
            (vec![reply(ANN)], true, vec![false]),
            (
                vec![reply(ANN), resolve(ASKER), reply(BOB)],
                false,
                vec![true, false, false],
            ),
        ];
        for (events, notified, want) in cases {
            assert_eq!(notifications(&events, notified), want, "{events:?}");
        }
    }

    #[test]
    fn a_whole_request_goes_open_claimed_answered_resolved() {
        let mut facts = f(Open, false, &[]);
        let mut states = Vec::new();
        for event in [claim(ANN), reply(BOB), reply(ANN), resolve(ASKER)] {
            let step = apply(&facts, &event).unwrap();
            facts.state = step.state;
            facts.asker_notified |= step.notify_asker;
            facts.helpers.extend(step.new_helper);
            states.push(step.state);
        }
        assert_eq!(states, [Claimed, Answered, Answered, Resolved]);
        assert_eq!(helpers_of(&facts.helpers), [u(ANN), u(BOB)]);
        assert_eq!(apply(&facts, &resolve(ASKER)), Err(AlreadyResolved));
        assert_eq!(apply(&facts, &resolve(ANN)), Err(OnlyAskerResolves));
    }

    #[test]
    fn helpers_are_listed_once_each_in_the_order_they_first_helped() {
        let list = |pairs: Helpers| {
            pairs
                .iter()
                .map(|&(id, role)| (u(id), role))
                .collect::<Vec<_>>()
        };
        let cases: [(Helpers, &[&str]); 5] = [
            (&[], &[]),
            (&[(ANN, C)], &[ANN]),
            (&[(ANN, C), (ANN, R)], &[ANN]),
            (&[(BOB, R), (ANN, C), (BOB, C), (ANN, R)], &[BOB, ANN]),
            (
                &[(ANN, C), (BOB, C), ("UCAT", R), (BOB, R)],
                &[ANN, BOB, "UCAT"],
            ),
        ];
        for (helpers, want) in cases {
            let want: Vec<UserId> = want.iter().map(|id| u(id)).collect();
            assert_eq!(helpers_of(&list(helpers)), want, "{helpers:?}");
        }
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles_rounded_down() {
        let cases: [(&[i64], Option<i64>); 9] = [
            (&[], None),
            (&[5], Some(5)),
            (&[3, 1, 2], Some(2)),
            (&[1, 2], Some(1)),
            (&[4, 1, 3, 2], Some(2)),
            (&[10, 20, 30, 40], Some(25)),
            (&[-3, 0], Some(-2)),
            (&[i64::MAX, i64::MAX], Some(i64::MAX)),
            (&[i64::MIN, i64::MAX], Some(-1)),
        ];
        for (values, want) in cases {
            assert_eq!(median_ms(values), want, "{values:?}");
        }
        let values = [30, 10, 20];
        median_ms(&values);
        assert_eq!(values, [30, 10, 20], "the caller's slice is left as it was");
    }

    #[test]
    fn questions_are_trimmed_and_must_say_something_within_the_limit() {
        let exactly = "あ".repeat(MAX_QUESTION_CHARS);
        let over = "あ".repeat(MAX_QUESTION_CHARS + 1);
        let cases = [
            (
                "How do I deploy?".to_owned(),
                Ok("How do I deploy?".to_owned()),
            ),
            (
                "  \n デプロイ方法は？ \t".to_owned(),
                Ok("デプロイ方法は？".to_owned()),
            ),
            (String::new(), Err(QuestionRefusal::Empty)),
            ("   \n\t ".to_owned(), Err(QuestionRefusal::Empty)),
            ("\u{3000}".to_owned(), Err(QuestionRefusal::Empty)), // an ideographic space
            (format!("  {exactly}  "), Ok(exactly.clone())),
            (
                over,
                Err(QuestionRefusal::TooLong {
                    max: MAX_QUESTION_CHARS,
                    got: MAX_QUESTION_CHARS + 1,
                }),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(check_question(&text), want, "{text:?}");
        }
        // 2800 Japanese characters are 8400 bytes: the limit is on characters.
        assert_eq!(exactly.len(), 3 * MAX_QUESTION_CHARS);
    }
}
