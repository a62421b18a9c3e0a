//! Shrinking a failing run to the fewest injected faults that still make the property fail.
//!
//! A run is replayed as "seed + these faults suppressed" (every fault names what it hit, so
//! suppressing one changes nothing else). First all faults are suppressed at once (many races
//! need none); then, one at a time, each remaining fault is suppressed and kept out if the
//! property still fails, pass after pass, until a whole pass removes nothing: the set is then
//! 1-minimal (taking away any one fault makes the failure go away). `Shrinker::step` does a
//! budgeted number of replays so the browser can shrink between frames; it never loops past
//! `MAX_REPLAYS`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::design::Design;
use crate::sim::{simulate_unhashed, trace_hash, Run, RunOptions, TraceKind};

use super::explain::{grouped, ms};
use super::{evaluate_property, plural, CheckResult, Property, Status};

/// The most replays one shrink may take, whatever the faults do.
pub const MAX_REPLAYS: u32 = 400;

/// An injected fault of the shrunk run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultInfo {
    pub fault: String,
    pub description: String,
    pub at_ms: u64,
    pub seq: u32,
}

/// The smallest failing case found for one property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShrunkCase {
    pub check: String,
    pub seed: u64,
    /// Replay with exactly these faults suppressed to get this case.
    pub suppressed_faults: Vec<String>,
    /// The faults left in the case: each one is needed for the failure.
    pub faults: Vec<FaultInfo>,
    /// How many faults the original failing run had.
    pub original_fault_count: u32,
    pub result: CheckResult,
    pub trace_hash: String,
    pub replays: u32,
    /// The case in words: the faults that matter, then the failure itself.
    pub explanation: String,
}

/// Shrinks one property's failure on one seed, to the end. None when the seed does not fail.
pub fn shrink(design: &Design, property: &Property, seed: u64) -> Option<ShrunkCase> {
    let mut shrinker = Shrinker::new(design, property.clone(), seed)?;
    while !shrinker.step(design, MAX_REPLAYS) {}
    Some(shrinker.case())
}

/// A shrink in progress.
#[derive(Debug, Clone)]
pub struct Shrinker {
    property: Property,
    seed: u64,
    original_fault_count: u32,
    suppressed: BTreeSet<String>,
    /// The faults of the smallest failing replay so far, in trace order.
    current: Vec<FaultInfo>,
    current_result: CheckResult,
    current_hash: String,
    tried_empty: bool,
    index: usize,
    removed_this_pass: bool,
    replays: u32,
    done: bool,
}

impl Shrinker {
    /// Starts from the seed's own run (one run). None when the property does not fail on it.
    pub fn new(design: &Design, property: Property, seed: u64) -> Option<Shrinker> {
        let run = replay(design, seed, &BTreeSet::new());
        let result = evaluate_property(&property, design, &run);
        if result.status != Status::Failed {
            return None;
        }
        let current = faults_of(&run);
        Some(Shrinker {
            original_fault_count: current.len() as u32,
            done: current.is_empty(),
            current,
            current_result: result,
            current_hash: trace_hash(&run.trace),
            property,
            seed,
            suppressed: BTreeSet::new(),
            tried_empty: false,
            index: 0,
            removed_this_pass: false,
            replays: 1,
        })
    }

    /// Does up to `budget_replays` replays; true when the shrink is finished.
    pub fn step(&mut self, design: &Design, budget_replays: u32) -> bool {
        let mut budget = budget_replays;
        while !self.done && budget > 0 {
            if self.replays >= MAX_REPLAYS {
                self.done = true;
                break;
            }
            budget -= 1;
            self.try_next(design);
        }
        self.done
    }

    /// Runs so far, the seed's own run included.
    pub fn replays(&self) -> u32 {
        self.replays
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    fn try_next(&mut self, design: &Design) {
        let mut candidate = self.suppressed.clone();
        if !self.tried_empty {
            self.tried_empty = true;
            candidate.extend(self.current.iter().map(|f| f.fault.clone()));
            self.attempt(design, candidate);
            return;
        }
        let Some(fault) = self.current.get(self.index).map(|f| f.fault.clone()) else {
            if self.removed_this_pass {
                self.index = 0;
                self.removed_this_pass = false;
            } else {
                self.done = true;
            }
            return;
        };
        candidate.insert(fault);
        if !self.attempt(design, candidate) {
            self.index += 1;
        } else {
            self.removed_this_pass = true;
        }
    }

    /// Replays with `candidate` suppressed; keeps it when the property still fails.
    fn attempt(&mut self, design: &Design, candidate: BTreeSet<String>) -> bool {
        self.replays += 1;
        let run = replay(design, self.seed, &candidate);
        let result = evaluate_property(&self.property, design, &run);
        if result.status != Status::Failed {
            return false;
        }
        self.suppressed = candidate;
        self.current = faults_of(&run);
        self.current_result = result;
        self.current_hash = trace_hash(&run.trace);
        if self.current.is_empty() {
            self.done = true;
        }
        true
    }

    /// The smallest case found so far (the final one once `step` returned true).
    pub fn case(&self) -> ShrunkCase {
        ShrunkCase {
            check: self.property.id.clone(),
            seed: self.seed,
            suppressed_faults: self.suppressed.iter().cloned().collect(),
            faults: self.current.clone(),
            original_fault_count: self.original_fault_count,
            result: self.current_result.clone(),
            trace_hash: self.current_hash.clone(),
            replays: self.replays,
            explanation: self.explanation(),
        }
    }

    fn explanation(&self) -> String {
        let seed = grouped(self.seed);
        let failure = &self.current_result.explanation;
        let original = self.original_fault_count;
        if self.current.is_empty() {
            let suppressed = if original == 0 {
                "no injected fault at all".to_string()
            } else {
                format!(
                    "all {} suppressed",
                    plural(u64::from(original), "injected fault")
                )
            };
            return format!(
                "seed {seed} fails with {suppressed}: the design fails under ordinary timing and delivery alone. {failure}"
            );
        }
        let faults: Vec<String> = self
            .current
            .iter()
            .map(|f| format!("{} at {} ({})", f.fault, ms(f.at_ms), f.description))
            .collect();
        let kept = self.current.len() as u32;
        let needed = match (kept, original) {
            (1, 1) => "its one injected fault, which it needs".to_string(),
            (1, _) => format!("1 of its {original} injected faults"),
            (k, o) if k == o => format!("all {k} of its injected faults, each one needed"),
            (k, o) => format!("{k} of its {o} injected faults, each one needed"),
        };
        format!(
            "seed {seed} fails with {needed}: {}. {failure}",
            faults.join("; ")
        )
    }
}

/// A replay is hashed only when it becomes the current case, not for every candidate.
fn replay(design: &Design, seed: u64, suppressed: &BTreeSet<String>) -> Run {
    simulate_unhashed(
        design,
        &RunOptions {
            seed: Some(seed),
            suppressed_faults: suppressed.clone(),
        },
    )
}

/// The injected faults of a run, in trace order.
pub fn faults_of(run: &Run) -> Vec<FaultInfo> {
    run.trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Fault { fault, description } => Some(FaultInfo {
                fault: fault.clone(),
                description: description.clone(),
                at_ms: e.at_ms,
                seq: e.seq,
            }),
            _ => None,
        })
        .collect()
}
