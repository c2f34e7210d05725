//! How pulse answers are grouped before anyone sees them, pure.
//!
//! Answers are shown only in blocks, never one by one, so that comparing two views never singles
//! out an answer. Each stored answer carries an opaque bucket, the same for every answer of one
//! report to one manager (`PulseKey::bucket`, a keyed hash, never the report's ID), and a block
//! must hold answers of at least two buckets: otherwise a manager who holds 1on1s with one report
//! only could fill a block with that report's answers and read them as the difference between
//! two views.

use hmac::{KeyInit, Mac};

/// The rule that forms blocks: in answer order, a block closes at the first answer at which it
/// holds at least `k` answers **and** answers of at least two different known buckets. Answers
/// after the last closed block wait (hidden) for later answers to complete a block.
///
/// A bucket of `None` (an answer stored before buckets existed) is an unknown person: it counts
/// towards `k` but never as a second person, since it may be the same report as any other.
/// With `k = 1` an operator has chosen to show single answers, and blocks are single answers.
///
/// The rule is deterministic and only ever looks forward: a new answer can close the open block
/// or start filling the next one, but never changes a closed block. So what a manager sees
/// changes by whole blocks only, whatever order answers come in.
///
/// Returns the end (exclusive) of each closed block; the open block is what follows the last.
pub fn pulse_blocks<B: PartialEq>(buckets: &[Option<B>], k: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut start = 0;
    let mut first_known: Option<&B> = None;
    let mut two_people = false;
    for (i, bucket) in buckets.iter().enumerate() {
        if let Some(b) = bucket {
            match first_known {
                None => first_known = Some(b),
                Some(f) if f != b => two_people = true,
                Some(_) => {}
            }
        }
        let size = i + 1 - start;
        if size >= k && (two_people || k <= 1) {
            ends.push(i + 1);
            start = i + 1;
            first_known = None;
            two_people = false;
        }
    }
    ends
}

/// The key of the pulse buckets. It lives outside the database, so that someone who reads the
/// database cannot recompute a report's bucket from their ID.
#[derive(Clone)]
pub struct PulseKey(Vec<u8>);

impl PulseKey {
    /// A key derived from a secret the deployment already keeps (the Slack signing secret).
    pub fn derive(secret: &str) -> Self {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(b"otagai pulse buckets v1");
        Self(mac.finalize().into_bytes().to_vec())
    }

    /// The opaque bucket of `report`'s answers about `manager`'s 1on1s: the same for every
    /// answer of that pair, different for another report, and not the report's ID.
    pub fn bucket(&self, manager: &str, report: &str) -> String {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(manager.as_bytes());
        mac.update(b"\0");
        mac.update(report.as_bytes());
        let bytes = mac.finalize().into_bytes();
        bytes[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for PulseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PulseKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(answers: &str, k: usize) -> Vec<usize> {
        // One letter per answer, its bucket; `?` is an answer stored before buckets existed.
        let buckets: Vec<Option<char>> = answers.chars().map(|c| (c != '?').then_some(c)).collect();
        pulse_blocks(&buckets, k)
    }

    #[test]
    fn a_block_closes_with_k_answers_of_two_people() {
        #[rustfmt::skip]
        let cases: &[(&str, usize, &[usize])] = &[
            ("", 3, &[]),
            ("ab", 3, &[]),
            ("aba", 3, &[3]),
            ("abc", 3, &[3]),
            ("abcabc", 3, &[3, 6]),
            ("abcab", 3, &[3]),
        ];
        for (answers, k, want) in cases {
            assert_eq!(blocks(answers, *k), *want, "{answers} k={k}");
        }
    }

    #[test]
    fn one_persons_answers_never_make_a_block_on_their_own() {
        #[rustfmt::skip]
        let cases: &[(&str, usize, &[usize])] = &[
            // The attack: a block of a and b, then 1on1s with a only.
            ("aba" , 3, &[3]),
            ("abaaaa", 3, &[3]),
            ("abaaaaaaaa", 3, &[3]),
            // a's answers wait until someone else answers, then close with them.
            ("abaaaab", 3, &[3, 7]),
            ("aaa", 3, &[]),
            ("aaaa", 2, &[]),
            ("aaab", 3, &[4]),
        ];
        for (answers, k, want) in cases {
            assert_eq!(blocks(answers, *k), *want, "{answers} k={k}");
        }
    }

    #[test]
    fn an_answer_without_a_bucket_never_counts_as_a_second_person() {
        #[rustfmt::skip]
        let cases: &[(&str, usize, &[usize])] = &[
            ("???", 3, &[]),
            ("a??", 3, &[]),
            ("a??a", 3, &[]),
            ("a??b", 3, &[4]),
            ("??ab", 3, &[4]),
        ];
        for (answers, k, want) in cases {
            assert_eq!(blocks(answers, *k), *want, "{answers} k={k}");
        }
    }

    #[test]
    fn with_k_of_one_every_answer_is_its_own_block() {
        assert_eq!(blocks("aa?b", 1), [1, 2, 3, 4]);
    }

    #[test]
    fn a_new_answer_never_changes_a_closed_block() {
        let all = "abaaabbcaaaacb?aab";
        for k in 1..=5 {
            for n in 0..all.len() {
                let before = blocks(&all[..n], k);
                let after = blocks(&all[..=n], k);
                assert_eq!(
                    after[..before.len()],
                    before[..],
                    "{} then {}",
                    &all[..n],
                    &all[n..=n]
                );
                assert!(after.len() <= before.len() + 1);
            }
        }
    }

    #[test]
    fn every_closed_block_has_k_answers_and_two_known_people() {
        let all = "abaaabbcaaaacb??aab?a";
        for k in 2..=5 {
            let mut start = 0;
            for end in blocks(all, k) {
                let block = &all[start..end];
                assert!(block.len() >= k, "{block}");
                let mut people: Vec<char> = block.chars().filter(|c| *c != '?').collect();
                people.sort();
                people.dedup();
                assert!(people.len() >= 2, "{block}");
                start = end;
            }
        }
    }

    #[test]
    fn a_bucket_is_stable_per_pair_and_names_no_one() {
        let key = PulseKey::derive("signing-secret");
        let a = key.bucket("UMGR", "UR1");
        assert_eq!(a, key.bucket("UMGR", "UR1"));
        assert_ne!(a, key.bucket("UMGR", "UR2"));
        assert_ne!(a, key.bucket("UOTHER", "UR1"));
        assert_ne!(a, PulseKey::derive("another").bucket("UMGR", "UR1"));
        assert!(!a.contains("UR1") && !a.contains("UMGR"));
        assert_eq!(a.len(), 32);
        assert_eq!(format!("{key:?}"), "PulseKey([redacted])");
    }
}
