//! Budget arithmetic: what a person may still give this month.

/// A person's budget for one period, as the ledger has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetState {
    /// The monthly allowance in force for this person (their override, else the default).
    pub base: i64,
    /// One-time top-ups granted by admins this period.
    pub granted: i64,
    /// Points given away this period.
    pub spent: i64,
}

impl BudgetState {
    /// Never negative: lowering someone's budget below what they already gave leaves 0.
    pub fn remaining(&self) -> i64 {
        (self.base + self.granted - self.spent).max(0)
    }

    pub fn can_afford(&self, cost: Cost) -> bool {
        cost.0 <= self.remaining()
    }
}

/// What a thanks costs the giver: points per recipient times recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost(pub i64);

impl Cost {
    pub fn of(points_each: u32, recipients: usize) -> Self {
        Self(i64::from(points_each) * recipients as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn remaining_counts_grants_and_never_goes_negative() {
        let b = BudgetState {
            base: 400,
            granted: 50,
            spent: 420,
        };
        assert_eq!(b.remaining(), 30);
        assert!(b.can_afford(Cost(30)));
        assert!(!b.can_afford(Cost(31)));
        let lowered = BudgetState {
            base: 100,
            granted: 0,
            spent: 300,
        };
        assert_eq!(lowered.remaining(), 0);
        assert!(lowered.can_afford(Cost(0)));
    }

    #[test]
    fn cost_is_points_per_recipient() {
        assert_eq!(Cost::of(10, 3), Cost(30));
        assert_eq!(Cost::of(120, 0), Cost(0));
    }

    proptest! {
        /// Whatever order gives arrive in, accepting only what is affordable never overspends,
        /// and the budget left always equals allowance minus the accepted gives.
        #[test]
        fn accepted_gives_never_exceed_the_allowance(
            base in 0i64..1000,
            granted in 0i64..200,
            gives in proptest::collection::vec((1u32..=120, 1usize..=4), 0..60),
        ) {
            let mut state = BudgetState { base, granted, spent: 0 };
            let mut ledger: Vec<i64> = Vec::new();
            for (points, recipients) in gives {
                let cost = Cost::of(points, recipients);
                if state.can_afford(cost) {
                    state.spent += cost.0;
                    ledger.push(-cost.0);
                }
            }
            prop_assert!(state.spent <= base + granted);
            prop_assert_eq!(state.remaining(), base + granted + ledger.iter().sum::<i64>());
        }
    }
}
