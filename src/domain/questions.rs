//! Questions for opening a 1on1, and which ones to suggest next.
//!
//! The themes follow what research on trust at work keeps finding matters in a 1on1: how the
//! report is doing, what is in their way, what they are proud of, what they need from their
//! manager, and where they want to grow. The wording lives in `locales/*/questions.ftl`; here
//! are only ids and themes. Pure: the caller passes what was asked recently and a seed.

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Theme {
    /// How the report is doing, as a person.
    Wellbeing,
    /// What is in their way.
    Blockers,
    /// What they are proud of.
    Pride,
    /// What they need from the manager.
    Support,
    /// Where they want to grow.
    Growth,
}

/// One question of the bank; its wording is in the message catalogs under [`Question::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// Stable, lowercase ASCII words joined by `-`; stored in history, never reused.
    pub id: &'static str,
    pub theme: Theme,
}

impl Question {
    /// The message-catalog key: `question-` + id.
    pub fn key(&self) -> String {
        format!("question-{}", self.id)
    }
}

const fn q(id: &'static str, theme: Theme) -> Question {
    Question { id, theme }
}

/// Every question otagai can suggest, five per theme.
pub const BANK: &[Question] = &[
    q("how-are-you", Theme::Wellbeing),
    q("energy-lately", Theme::Wellbeing),
    q("week-in-a-word", Theme::Wellbeing),
    q("workload-pace", Theme::Wellbeing),
    q("switching-off", Theme::Wellbeing),
    q("slowing-you-down", Theme::Blockers),
    q("one-obstacle", Theme::Blockers),
    q("waiting-on-others", Theme::Blockers),
    q("unclear-priorities", Theme::Blockers),
    q("process-friction", Theme::Blockers),
    q("proud-of", Theme::Pride),
    q("small-win", Theme::Pride),
    q("better-than-expected", Theme::Pride),
    q("helped-or-helped-by", Theme::Pride),
    q("best-work", Theme::Pride),
    q("need-from-me", Theme::Support),
    q("more-or-less-of", Theme::Support),
    q("how-i-work", Theme::Support),
    q("where-to-help", Theme::Support),
    q("feeling-heard", Theme::Support),
    q("want-to-learn", Theme::Growth),
    q("stretch", Theme::Growth),
    q("year-from-now", Theme::Growth),
    q("unused-strengths", Theme::Growth),
    q("feedback-wanted", Theme::Growth),
];

/// Picks `n` questions (fewer only if the bank is smaller): distinct themes where possible,
/// none of the ids in `recent` (newest first) unless the bank runs out, then the least
/// recently seen first. The same seed gives the same picks; other seeds vary them.
///
/// Avoiding repeats wins over varying themes: a fresh question on a theme already picked comes
/// before a recent one on a new theme.
pub fn pick(recent: &[String], seed: u64, n: usize) -> Vec<&'static Question> {
    // How long ago each question was seen: None if not recently, else its newest position.
    let seen = |question: &Question| recent.iter().position(|id| id == question.id);
    let mut fresh: Vec<&'static Question> = BANK.iter().filter(|q| seen(q).is_none()).collect();
    fresh.sort_by_key(|q| mix(seed ^ fnv1a(q.id)));
    let mut stale: Vec<&'static Question> = BANK.iter().filter(|q| seen(q).is_some()).collect();
    stale.sort_by_key(|q| std::cmp::Reverse(seen(q)));

    let mut picked: Vec<&'static Question> = Vec::with_capacity(n.min(BANK.len()));
    for pool in [&fresh, &stale] {
        for new_theme_only in [true, false] {
            for &question in pool.iter() {
                if picked.len() == n {
                    return picked;
                }
                let taken = picked.iter().any(|p| p.id == question.id);
                let theme_fits =
                    !new_theme_only || picked.iter().all(|p| p.theme != question.theme);
                if !taken && theme_fits {
                    picked.push(question);
                }
            }
        }
    }
    picked
}

/// A stable hash of an id (FNV-1a), so the order does not depend on the bank's layout.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: spreads nearby seeds far apart.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashMap, HashSet};

    const THEMES: [Theme; 5] = [
        Theme::Wellbeing,
        Theme::Blockers,
        Theme::Pride,
        Theme::Support,
        Theme::Growth,
    ];

    fn ids(picked: &[&Question]) -> Vec<&'static str> {
        picked.iter().map(|q| q.id).collect()
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_bank_has_unique_well_formed_ids_and_enough_of_every_theme() {
        let mut unique = HashSet::new();
        for q in BANK {
            assert!(unique.insert(q.id), "{} twice", q.id);
            assert!(
                !q.id.is_empty()
                    && !q.id.starts_with('-')
                    && !q.id.ends_with('-')
                    && !q.id.contains("--")
                    && q.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                q.id
            );
        }
        assert!(BANK.len() >= 20);
        let mut per_theme: HashMap<Theme, usize> = HashMap::new();
        for q in BANK {
            *per_theme.entry(q.theme).or_default() += 1;
        }
        for theme in THEMES {
            assert!(
                per_theme.get(&theme).copied().unwrap_or(0) >= 4,
                "{theme:?}"
            );
        }
    }

    #[test]
    fn a_questions_key_is_its_id_with_the_catalog_prefix() {
        assert_eq!(BANK[0].key(), format!("question-{}", BANK[0].id));
    }

    /// The keys (`name = …` lines) of one `.ftl` file.
    fn catalog_keys(lang: &str) -> BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang)
            .join("questions.ftl");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        text.lines()
            .filter(|line| !line.starts_with(['#', ' ']))
            .filter_map(|line| line.split_once(" = "))
            .map(|(key, _)| key.to_owned())
            .collect()
    }

    #[test]
    fn every_question_is_worded_in_english_and_japanese_and_nothing_else_is() {
        let bank: BTreeSet<String> = BANK.iter().map(Question::key).collect();
        for lang in ["en", "ja"] {
            assert_eq!(catalog_keys(lang), bank, "locales/{lang}/questions.ftl");
        }
    }

    #[test]
    fn picks_avoid_recent_questions_and_repeat_no_theme() {
        let recent = strings(&["proud-of", "stretch", "need-from-me", "energy-lately"]);
        for seed in 0..50 {
            for n in 1..=5 {
                let picked = pick(&recent, seed, n);
                assert_eq!(picked.len(), n, "seed {seed}");
                for q in &picked {
                    assert!(!recent.iter().any(|r| r == q.id), "seed {seed}: {}", q.id);
                }
                let themes: HashSet<Theme> = picked.iter().map(|q| q.theme).collect();
                assert_eq!(themes.len(), n, "seed {seed}: {:?}", ids(&picked));
            }
        }
    }

    #[test]
    fn the_same_seed_picks_the_same_and_other_seeds_vary() {
        let recent = strings(&["small-win"]);
        assert_eq!(pick(&recent, 42, 3), pick(&recent, 42, 3));
        let firsts: HashSet<&str> = (0..40).map(|seed| pick(&recent, seed, 1)[0].id).collect();
        assert!(firsts.len() >= 10, "{firsts:?}");
        let sets: HashSet<Vec<&str>> = (0..40).map(|seed| ids(&pick(&recent, seed, 3))).collect();
        assert!(sets.len() >= 30, "{}", sets.len());
    }

    #[test]
    fn more_than_five_picks_reuse_themes_but_not_questions() {
        for n in [6, 10, BANK.len()] {
            let picked = pick(&[], 7, n);
            assert_eq!(picked.len(), n);
            let unique: HashSet<&str> = picked.iter().map(|q| q.id).collect();
            assert_eq!(unique.len(), n);
            let themes: HashSet<Theme> = picked[..5].iter().map(|q| q.theme).collect();
            assert_eq!(themes.len(), 5, "the first five cover every theme");
        }
        assert_eq!(pick(&[], 7, BANK.len() + 10).len(), BANK.len());
        assert!(pick(&[], 7, 0).is_empty());
    }

    #[test]
    fn a_fresh_question_comes_before_a_recent_one_even_on_a_used_theme() {
        // Everything recent except two Growth questions: both come back before any repeat.
        let recent: Vec<String> = BANK
            .iter()
            .filter(|q| !matches!(q.id, "stretch" | "unused-strengths"))
            .map(|q| q.id.to_owned())
            .collect();
        for seed in 0..20 {
            let mut got = ids(&pick(&recent, seed, 2));
            got.sort_unstable();
            assert_eq!(got, ["stretch", "unused-strengths"], "seed {seed}");
        }
    }

    #[test]
    fn when_everything_was_asked_recently_the_oldest_come_back_first() {
        // Newest first, so the end of the list was seen longest ago.
        let recent: Vec<String> = BANK.iter().map(|q| q.id.to_owned()).collect();
        let oldest_first: Vec<&Question> = BANK.iter().rev().collect();
        for seed in [0, 1, 99] {
            let picked = pick(&recent, seed, 3);
            assert_eq!(picked.len(), 3);
            // The oldest of each theme, taken in order of age.
            let mut want: Vec<&Question> = Vec::new();
            for q in &oldest_first {
                if want.len() < 3 && !want.iter().any(|w| w.theme == q.theme) {
                    want.push(q);
                }
            }
            assert_eq!(ids(&picked), ids(&want), "seed {seed}");
        }
    }

    #[test]
    fn unknown_and_repeated_ids_in_the_history_are_harmless() {
        let recent = strings(&["no-such-question", "proud-of", "proud-of", ""]);
        let picked = pick(&recent, 3, 5);
        assert_eq!(picked.len(), 5);
        assert!(picked.iter().all(|q| q.id != "proud-of"));
    }
}
