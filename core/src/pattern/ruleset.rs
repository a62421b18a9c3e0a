//! Many rules compiled into one structure, matched against an event in one pass over its
//! leaves.
//!
//! Owns the index: flattened field path -> a field machine holding the distinct value
//! matchers of every rule on that path (exact strings, numbers and prefixes/suffixes in
//! ordered maps, the rest in a short list), each pointing at the (alternative, field) slots
//! that use it. It must never loop over rules re-walking the event, and never let map
//! iteration order decide an output (rule names come out sorted).

use std::collections::BTreeMap;

use serde_json::Value;

use super::compile::SubRule;
use super::flatten::{flatten_paths, Leaf};
use super::matcher::{LeafValue, ValueMatcher};
use super::resolve::{resolve, FieldCandidates};
use super::Pattern;

/// A slot that a matcher feeds: (alternative number, field number within it).
type Slot = (u32, u32);

/// A matcher hit: (alternative, field, leaf).
type Hit = (u32, u32, u32);
/// A leaf and the field machine its path leads to: (machine, leaf).
type LeafMachine = (u32, u32);

/// All rules of a bus (or of any set), compiled for matching together.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Rule names, sorted; a rule's number is its place here.
    names: Vec<String>,
    alternatives: Vec<Alternative>,
    paths: BTreeMap<String, u32>,
    machines: Vec<FieldMachine>,
    /// Alternatives that need no leaf at all (every field may be absent): checked for every
    /// event.
    always_checked: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Alternative {
    rule: u32,
    fields: Vec<CompiledField>,
    required_fields: u32,
    /// One bit per required field (fields past the 63rd share the last bit): a cheap
    /// necessary condition checked before the exact count.
    required_mask: u64,
}

/// The bit a field number sets in a hit mask.
fn field_bit(field: u32) -> u64 {
    1u64 << field.min(63)
}

#[derive(Debug, Clone)]
struct CompiledField {
    machine: u32,
    allows_absence: bool,
}

/// The matchers of every rule on one path, deduplicated.
#[derive(Debug, Clone, Default)]
struct FieldMachine {
    exact_strings: BTreeMap<String, Vec<Slot>>,
    exact_numbers: BTreeMap<u64, Vec<Slot>>,
    exact_true: Vec<Slot>,
    exact_false: Vec<Slot>,
    exact_null: Vec<Slot>,
    prefixes: BTreeMap<String, Vec<Slot>>,
    suffixes: BTreeMap<String, Vec<Slot>>,
    /// Matchers tested one by one, with their slots; `scanned_index` finds duplicates.
    scanned: Vec<(ValueMatcher, Vec<Slot>)>,
    scanned_index: BTreeMap<String, usize>,
}

/// A number as a map key: equal numbers (including 0 and -0) give equal keys.
fn number_key(number: f64) -> u64 {
    if number == 0.0 {
        0f64.to_bits()
    } else {
        number.to_bits()
    }
}

impl FieldMachine {
    fn add(&mut self, matcher: &ValueMatcher, slot: Slot) {
        let slots = match matcher {
            ValueMatcher::ExactString {
                text,
                address: None,
            } => self.exact_strings.entry(text.clone()).or_default(),
            ValueMatcher::ExactNumber(number) => {
                self.exact_numbers.entry(number_key(*number)).or_default()
            }
            ValueMatcher::ExactBool(true) => &mut self.exact_true,
            ValueMatcher::ExactBool(false) => &mut self.exact_false,
            ValueMatcher::ExactNull => &mut self.exact_null,
            ValueMatcher::Prefix(prefix) => self.prefixes.entry(prefix.clone()).or_default(),
            ValueMatcher::Suffix(suffix) => self.suffixes.entry(suffix.clone()).or_default(),
            other => {
                let key = format!("{other:?}");
                let index = match self.scanned_index.get(&key) {
                    Some(index) => *index,
                    None => {
                        self.scanned.push((other.clone(), Vec::new()));
                        let index = self.scanned.len() - 1;
                        self.scanned_index.insert(key, index);
                        index
                    }
                };
                match self.scanned.get_mut(index) {
                    Some((_, slots)) => slots,
                    None => return,
                }
            }
        };
        slots.push(slot);
    }

    /// Calls `found` with every slot whose matcher accepts `value`.
    fn collect(&self, value: LeafValue<'_>, found: &mut impl FnMut(Slot)) {
        let mut emit = |slots: &[Slot]| slots.iter().for_each(|slot| found(*slot));
        match value {
            LeafValue::String(text) => {
                if let Some(slots) = self.exact_strings.get(text) {
                    emit(slots);
                }
                if !self.prefixes.is_empty() {
                    for (end, _) in text.char_indices().chain([(text.len(), ' ')]) {
                        if let Some(slots) = text.get(..end).and_then(|p| self.prefixes.get(p)) {
                            emit(slots);
                        }
                    }
                }
                if !self.suffixes.is_empty() {
                    for (start, _) in text.char_indices().chain([(text.len(), ' ')]) {
                        if let Some(slots) = text.get(start..).and_then(|s| self.suffixes.get(s)) {
                            emit(slots);
                        }
                    }
                }
            }
            LeafValue::Number(number) => {
                if let Some(slots) = self.exact_numbers.get(&number_key(number)) {
                    emit(slots);
                }
            }
            LeafValue::Bool(true) => emit(&self.exact_true),
            LeafValue::Bool(false) => emit(&self.exact_false),
            LeafValue::Null => emit(&self.exact_null),
        }
        for (matcher, slots) in &self.scanned {
            if matcher.matches(value) {
                emit(slots);
            }
        }
    }
}

impl RuleSet {
    /// Compiles named rules. A name given twice adds the second pattern as more
    /// alternatives of the same rule, as Ruler's `addRule` does.
    pub fn compile(rules: &[(String, Pattern)]) -> RuleSet {
        let names: Vec<String> = rules
            .iter()
            .map(|(name, _)| name.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut set = RuleSet {
            names,
            ..RuleSet::default()
        };
        for (name, pattern) in rules {
            let rule = set.names.binary_search(name).unwrap_or(0) as u32;
            for sub_rule in pattern.sub_rules() {
                set.add_alternative(rule, sub_rule);
            }
        }
        set
    }

    fn add_alternative(&mut self, rule: u32, sub_rule: &SubRule) {
        let alternative = self.alternatives.len() as u32;
        let mut fields = Vec::with_capacity(sub_rule.len());
        let mut required_fields = 0;
        let mut required_mask = 0u64;
        for (field_index, (path, condition)) in sub_rule.iter().enumerate() {
            let machine = match self.paths.get(path) {
                Some(machine) => *machine,
                None => {
                    self.machines.push(FieldMachine::default());
                    let machine = (self.machines.len() - 1) as u32;
                    self.paths.insert(path.clone(), machine);
                    machine
                }
            };
            if let Some(field_machine) = self.machines.get_mut(machine as usize) {
                for matcher in &condition.matchers {
                    field_machine.add(matcher, (alternative, field_index as u32));
                }
            }
            if !condition.allows_absence {
                required_fields += 1;
                required_mask |= field_bit(field_index as u32);
            }
            fields.push(CompiledField {
                machine,
                allows_absence: condition.allows_absence,
            });
        }
        if required_fields == 0 {
            self.always_checked.push(alternative);
        }
        self.alternatives.push(Alternative {
            rule,
            fields,
            required_fields,
            required_mask,
        });
    }

    /// How many distinct rule names the set holds.
    pub fn rule_count(&self) -> usize {
        self.names.len()
    }

    /// The names of the rules whose pattern matches `event`, sorted.
    pub fn matching_rules(&self, event: &Value) -> Vec<String> {
        // Only the leaves some rule names can hit or be absent: the rest are never looked at.
        let leaves = flatten_paths(event, &self.paths);
        let (hits, leaves_by_machine) = self.hits(&leaves);
        let mut matched = vec![false; self.names.len()];
        let mut candidates: Vec<u32> = hits.iter().map(|hit| hit.0).collect();
        candidates.extend(&self.always_checked);
        candidates.sort_unstable();
        candidates.dedup();
        for alternative in candidates {
            let start = hits.partition_point(|hit| hit.0 < alternative);
            let end = hits.partition_point(|hit| hit.0 <= alternative);
            let alternative_hits = hits.get(start..end).unwrap_or(&[]);
            if self.alternative_holds(alternative, alternative_hits, &leaves, &leaves_by_machine) {
                if let Some(rule) = self.alternatives.get(alternative as usize) {
                    if let Some(flag) = matched.get_mut(rule.rule as usize) {
                        *flag = true;
                    }
                }
            }
        }
        self.names
            .iter()
            .zip(matched)
            .filter(|(_, matched)| *matched)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// One pass over the leaves: each leaf is looked up once by path and offered to that
    /// path's matchers; a hit records (alternative, field, leaf). Returns the hits of the
    /// alternatives that got a hit on every required field, sorted, and every leaf's field
    /// machine (for absence checks), sorted.
    fn hits(&self, leaves: &[Leaf<'_>]) -> (Vec<Hit>, Vec<LeafMachine>) {
        let mut hits: Vec<(u32, u32, u32)> = Vec::new();
        let mut leaves_by_machine: Vec<(u32, u32)> = Vec::new();
        for (leaf_index, leaf) in leaves.iter().enumerate() {
            let Some(&machine) = self.paths.get(&leaf.path) else {
                continue;
            };
            let leaf_index = leaf_index as u32;
            leaves_by_machine.push((machine, leaf_index));
            if let Some(field_machine) = self.machines.get(machine as usize) {
                field_machine.collect(leaf.value, &mut |(alternative, field)| {
                    hits.push((alternative, field, leaf_index));
                });
            }
        }
        // Which fields of each alternative got a hit, as bits; only alternatives with a hit
        // on every required field go further, so the hits kept for them are few.
        let mut masks = vec![0u64; self.alternatives.len()];
        for (alternative, field, _) in &hits {
            if let Some(mask) = masks.get_mut(*alternative as usize) {
                *mask |= field_bit(*field);
            }
        }
        let passes = |alternative: u32| {
            let required = self
                .alternatives
                .get(alternative as usize)
                .map_or(u64::MAX, |compiled| compiled.required_mask);
            masks
                .get(alternative as usize)
                .is_some_and(|mask| mask & required == required)
        };
        hits.retain(|hit| passes(hit.0));
        hits.sort_unstable();
        hits.dedup();
        leaves_by_machine.sort_unstable();
        (hits, leaves_by_machine)
    }

    fn alternative_holds(
        &self,
        alternative: u32,
        hits: &[(u32, u32, u32)],
        leaves: &[Leaf<'_>],
        leaves_by_machine: &[(u32, u32)],
    ) -> bool {
        let Some(compiled) = self.alternatives.get(alternative as usize) else {
            return false;
        };
        // Most candidates fail here: count the required fields that got a hit before
        // allocating anything (hits are sorted by field).
        let mut required_hit = 0u32;
        let mut previous_field = None;
        for (_, field, _) in hits {
            if previous_field != Some(*field) {
                previous_field = Some(*field);
                let required = compiled
                    .fields
                    .get(*field as usize)
                    .is_some_and(|compiled_field| !compiled_field.allows_absence);
                required_hit += u32::from(required);
            }
        }
        if required_hit < compiled.required_fields {
            return false;
        }
        let mut matching: Vec<Vec<u32>> = vec![Vec::new(); compiled.fields.len()];
        for (_, field, leaf) in hits {
            if let Some(list) = matching.get_mut(*field as usize) {
                list.push(*leaf);
            }
        }
        let present: Vec<Vec<u32>> = compiled
            .fields
            .iter()
            .map(|field| {
                if !field.allows_absence {
                    return Vec::new();
                }
                let start = leaves_by_machine.partition_point(|entry| entry.0 < field.machine);
                let end = leaves_by_machine.partition_point(|entry| entry.0 <= field.machine);
                leaves_by_machine
                    .get(start..end)
                    .unwrap_or(&[])
                    .iter()
                    .map(|entry| entry.1)
                    .collect()
            })
            .collect();
        let candidates: Vec<FieldCandidates<'_>> = compiled
            .fields
            .iter()
            .enumerate()
            .map(|(index, field)| FieldCandidates {
                matching: matching.get(index).map(Vec::as_slice).unwrap_or(&[]),
                allows_absence: field.allows_absence,
                present: present.get(index).map(Vec::as_slice).unwrap_or(&[]),
            })
            .collect();
        resolve(&candidates, leaves)
    }
}
