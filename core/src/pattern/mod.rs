//! EventBridge event patterns: parsing and validation with EventBridge's messages, a matcher
//! faithful to event-ruler (the library behind EventBridge rules), a compiled [`RuleSet`] that
//! matches many rules in one pass, and input transformers (see [`transform`]).
//!
//! This module owns what a rule's pattern means. It must never read a clock or randomness,
//! never panic on any pattern or event, and never let hash-map order decide a result.
//!
//! # The engine
//!
//! **Parsing.** A pattern is compiled into *alternatives* (Ruler's "sub-rules"): `$or`
//! expands into one alternative per branch, each a map from a flattened field path (keys
//! joined with `.`, so `{"a":{"b.c":[..]}}` and `{"a.b":{"c":[..]}}` name the same field, the
//! dotted-key quirk) to a *field condition*: a list of value matchers (any may match) plus
//! whether `{"exists": false}` lets the field be absent. Validation walks the document in order
//! and stops at the first problem with Ruler's message, so the reason matches what PutRule
//! returns. Like Ruler's `addRule`, a pattern is read first with `$or` as a relationship and,
//! if that reading refuses it, again with `$or` as an ordinary field name (the older
//! compiler); the second reading's verdict is final. So `{"$or": ["a","b"]}` matches a field
//! literally named `$or`, and `$or` with one branch is refused with the older compiler's
//! message (`Unrecognized match type ...`).
//!
//! **Events.** An event is flattened into *leaves*: each scalar with its dotted path and the
//! array elements it sits in (array number, element index). Arrays are transparent (a field
//! matches when any element does; arrays of objects are "crushed"), and objects are never
//! leaves (so `exists: true` needs a scalar, `[]` has no leaf).
//!
//! **Matching one alternative.** Each field needs a leaf at its path accepted by one of its
//! matchers, and the leaves chosen for all fields must be *array-consistent*: two leaves in
//! different elements of the same array cannot jointly satisfy one alternative. A field that
//! allows absence holds when no leaf at its path is consistent with the elements already
//! chosen. Fields are decided in sorted path order, as Ruler's state machine visits them,
//! which is what makes `exists: false` next to arrays behave exactly as Ruler does.
//!
//! **The compiled structure.** [`RuleSet::compile`] builds one index for all rules: a sorted
//! map from field path to a *field machine* holding the distinct matchers of every rule on
//! that path (exact strings and numbers in ordered maps, prefixes and suffixes in ordered maps
//! probed once per character boundary, the other operators in a short list tested in turn),
//! each pointing at the (alternative, field) slots that use it. Matching flattens the event
//! once, looks each leaf's path up once, and records hits; only alternatives whose required
//! fields all got a hit (plus the few made only of `exists: false`) go on to the consistency
//! check, which is trivial when no array of objects is involved. The cost per event grows
//! with the event's size and the hits, not with the number of rules.
//!
//! **What it simplifies, and why.** Numbers are IEEE-754 doubles (the reference's reading of
//! current Ruler; Ruler's older ±5e9 / six-decimal limit is not enforced). Case folding
//! compares characters by their Unicode lower- and upper-case mappings. "Rule is too complex"
//! is a documented heuristic: more than 5 wildcard stars across the distinct wildcard values
//! of one field in one rule (the service's measure is unpublished); `$or` expanding past
//! 1024 alternatives is refused with the same message. Messages omit the Jackson location
//! suffix AWS appends (`\n at [Source: ...]`), and invalid JSON reports serde's wording, not
//! Jackson's. The backtracking consistency check has a step budget (see
//! [`resolve::STEP_BUDGET`]) that only contrived events with many conflicting arrays reach.

mod address;
mod compile;
mod error;
mod expression;
mod flatten;
mod matcher;
pub mod resolve;
mod ruleset;
pub mod transform;
mod wildcard;

use serde_json::Value;

pub use error::{PatternError, PATTERN_LENGTH_LIMIT};
pub use ruleset::RuleSet;

use compile::SubRule;
use flatten::flatten;
use resolve::{resolve, FieldCandidates};

/// A validated EventBridge event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    sub_rules: Vec<SubRule>,
}

impl Pattern {
    /// Parses pattern text as PutRule receives it: the length quota first, then JSON, then
    /// the pattern grammar.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let length = text.encode_utf16().count() as u64;
        if length > PATTERN_LENGTH_LIMIT {
            return Err(PatternError::TooLong { length });
        }
        let value: Value =
            serde_json::from_str(text).map_err(|error| PatternError::invalid(error.to_string()))?;
        Pattern::from_value(&value)
    }

    /// Validates an already parsed pattern document (no length quota: there is no text).
    pub fn from_value(value: &Value) -> Result<Pattern, PatternError> {
        let sub_rules = compile::compile(value).map_err(PatternError::invalid)?;
        Ok(Pattern { sub_rules })
    }

    /// How many alternatives `$or` expanded the pattern into.
    pub fn alternative_count(&self) -> usize {
        self.sub_rules.len()
    }

    pub(crate) fn sub_rules(&self) -> &[SubRule] {
        &self.sub_rules
    }

    /// Whether the pattern matches `event`. Evaluated directly, alternative by alternative,
    /// independently of [`RuleSet`]'s index (the property tests compare the two).
    pub fn matches(&self, event: &Value) -> bool {
        let leaves = flatten(event);
        self.sub_rules.iter().any(|sub_rule| {
            let mut matching: Vec<Vec<u32>> = Vec::with_capacity(sub_rule.len());
            let mut present: Vec<Vec<u32>> = Vec::with_capacity(sub_rule.len());
            for (path, condition) in sub_rule {
                let at_path: Vec<u32> = leaves
                    .iter()
                    .enumerate()
                    .filter(|(_, leaf)| &leaf.path == path)
                    .map(|(index, _)| index as u32)
                    .collect();
                let accepted: Vec<u32> = at_path
                    .iter()
                    .copied()
                    .filter(|index| {
                        leaves.get(*index as usize).is_some_and(|leaf| {
                            condition
                                .matchers
                                .iter()
                                .any(|matcher| matcher.matches(leaf.value))
                        })
                    })
                    .collect();
                if accepted.is_empty() && !condition.allows_absence {
                    return false;
                }
                matching.push(accepted);
                present.push(at_path);
            }
            let fields: Vec<FieldCandidates<'_>> = sub_rule
                .values()
                .zip(matching.iter().zip(&present))
                .map(|(condition, (accepted, at_path))| FieldCandidates {
                    matching: accepted,
                    allows_absence: condition.allows_absence,
                    present: at_path,
                })
                .collect();
            resolve(&fields, &leaves)
        })
    }
}
