//! Deciding one alternative (sub-rule) once its candidate leaves are known: picking one leaf
//! per field so that all picks are array-consistent, with `{"exists": false}` checked in
//! Ruler's order.
//!
//! Owns array-consistent matching. It must never look at values (the candidates arrive
//! already matched) and must never search without a bound.

use super::flatten::{Leaf, Membership};

/// The candidates of one field of an alternative, in the alternative's (sorted) field order.
pub struct FieldCandidates<'c> {
    /// Leaves at this path whose value some matcher accepted.
    pub matching: &'c [u32],
    /// Whether the field may instead be absent.
    pub allows_absence: bool,
    /// Every leaf at this path, used to decide absence.
    pub present: &'c [u32],
}

/// Backtracking stops after this many steps; an alternative not decided by then does not
/// match. Only events with many large, conflicting arrays of objects come near it.
pub const STEP_BUDGET: u64 = 200_000;

/// Whether the alternative holds. Fields are visited in sorted order as Ruler does; absence
/// is judged against the array elements chosen for the fields visited before it.
pub fn resolve(fields: &[FieldCandidates<'_>], leaves: &[Leaf<'_>]) -> bool {
    let involved = fields
        .iter()
        .flat_map(|field| field.matching.iter().chain(field.present.iter()));
    let arrays_matter = involved
        .filter_map(|index| leaves.get(*index as usize))
        .any(|leaf| !leaf.membership.is_empty());
    if !arrays_matter {
        return fields.iter().all(|field| {
            !field.matching.is_empty() || (field.allows_absence && field.present.is_empty())
        });
    }
    let mut search = Search {
        fields,
        leaves,
        steps: 0,
    };
    search.from(0, &Membership::default())
}

struct Search<'s, 'c, 'l> {
    fields: &'s [FieldCandidates<'c>],
    leaves: &'s [Leaf<'l>],
    steps: u64,
}

impl Search<'_, '_, '_> {
    fn from(&mut self, field_index: usize, membership: &Membership) -> bool {
        let Some(field) = self.fields.get(field_index) else {
            return true;
        };
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return false;
        }
        for leaf_index in field.matching {
            let Some(leaf) = self.leaves.get(*leaf_index as usize) else {
                continue;
            };
            if membership.consistent_with(&leaf.membership)
                && self.from(field_index + 1, &membership.merged(&leaf.membership))
            {
                return true;
            }
        }
        if field.allows_absence {
            let present = field.present.iter().any(|leaf_index| {
                self.leaves
                    .get(*leaf_index as usize)
                    .is_some_and(|leaf| membership.consistent_with(&leaf.membership))
            });
            if !present && self.from(field_index + 1, membership) {
                return true;
            }
        }
        false
    }
}
