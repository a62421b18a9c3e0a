//! Exploration: a design's properties across many seeds, then the smallest failing case of
//! each failing property.
//!
//! `Exploration` is a plain state object. `step(budget_runs)` does at most that many runs
//! (seeds first, then shrink replays) and says how far it got, so the browser can explore in
//! slices between frames and show progress; the CLI simply steps until done. No threads, no
//! clocks: the same design and seeds give the same report everywhere.

use serde::Serialize;

use crate::design::Design;
use crate::sim::{simulate_with, Run, RunOptions, TraceDetail};

use super::explain::grouped;
use super::shrink::{Shrinker, ShrunkCase};
use super::{evaluate_property, CheckResult, Mode, Property, PropertyKind, Status};

/// Which seeds to explore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExploreOptions {
    pub first_seed: u64,
    pub seeds: u32,
    /// Whether to shrink each failing property's smallest failing run.
    pub shrink: bool,
}

impl Default for ExploreOptions {
    fn default() -> ExploreOptions {
        ExploreOptions {
            first_seed: 1,
            seeds: 100,
            shrink: true,
        }
    }
}

/// How far an exploration has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub seeds_done: u32,
    pub seeds_total: u32,
    /// Runs so far, seeds and shrink replays together.
    pub runs: u32,
    pub shrinking: bool,
    pub finished: bool,
}

/// One property across all explored seeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertySummary {
    pub check: String,
    pub kind: String,
    pub mode: Mode,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub runs: u32,
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    /// Failed runs per million runs (an integer, the same on every platform).
    pub failure_rate_ppm: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_seed: Option<u64>,
    /// The result on the first failing seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failure: Option<CheckResult>,
    /// The smallest failing case: the failing seed with the fewest faults, shrunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smallest_failing_case: Option<ShrunkCase>,
    /// The failing run with the fewest faults (faults, seed); the earliest seed on a tie.
    #[serde(skip)]
    pub(super) fewest_faults: Option<(u32, u64)>,
}

impl PropertySummary {
    /// "failed in 231 of 1,000 seeds (23.1%)" or "held on all 1,000 seeds".
    pub fn rate_text(&self) -> String {
        let mut text = if self.failed == 0 {
            format!("held on all {} seeds", grouped(u64::from(self.runs)))
        } else {
            let tenths = u64::from(self.failure_rate_ppm) / 1_000;
            format!(
                "failed in {} of {} seeds ({}.{}%)",
                grouped(u64::from(self.failed)),
                grouped(u64::from(self.runs)),
                tenths / 10,
                tenths % 10
            )
        };
        if self.undecided > 0 {
            text.push_str(&format!(
                ", undecided in {} (the run hit a bound)",
                grouped(u64::from(self.undecided))
            ));
        }
        text
    }
}

/// The whole exploration's findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplorationReport {
    pub first_seed: u64,
    pub seeds: u32,
    pub runs: u32,
    pub properties: Vec<PropertySummary>,
}

impl ExplorationReport {
    /// Whether every property held on every seed (undecided runs do not count as held).
    pub fn all_held(&self) -> bool {
        self.properties
            .iter()
            .all(|p| p.failed == 0 && p.undecided == 0)
    }
}

/// An exploration in progress. It owns its design so the browser can keep it between frames.
#[derive(Debug, Clone)]
pub struct Exploration {
    pub(super) design: Design,
    pub(super) properties: Vec<Property>,
    pub(super) options: ExploreOptions,
    pub(super) seeds_done: u32,
    pub(super) runs: u32,
    pub(super) summaries: Vec<PropertySummary>,
    /// The property being shrunk, and its shrinker.
    shrinking: Option<(usize, Shrinker)>,
    next_to_shrink: usize,
    /// How much trace the explored runs keep: only what decides the properties' statuses.
    detail: TraceDetail,
}

impl Exploration {
    pub fn new(design: Design, properties: Vec<Property>, options: ExploreOptions) -> Exploration {
        let detail = verdict_detail(&properties);
        let summaries = properties
            .iter()
            .map(|p| PropertySummary {
                check: p.id.clone(),
                kind: p.kind.name().to_string(),
                mode: p.mode,
                description: p.description.clone(),
                runs: 0,
                passed: 0,
                failed: 0,
                undecided: 0,
                failure_rate_ppm: 0,
                first_failing_seed: None,
                first_failure: None,
                smallest_failing_case: None,
                fewest_faults: None,
            })
            .collect();
        Exploration {
            design,
            properties,
            options,
            seeds_done: 0,
            runs: 0,
            summaries,
            shrinking: None,
            next_to_shrink: 0,
            detail,
        }
    }

    /// Does at most `budget_runs` runs (at least one when work is left).
    pub fn step(&mut self, budget_runs: u32) -> Progress {
        let mut budget = budget_runs.max(1);
        while budget > 0 && self.seeds_done < self.options.seeds {
            self.explore_next_seed();
            budget -= 1;
        }
        if self.options.shrink {
            while budget > 0 && !self.shrinks_finished() {
                budget -= self.shrink_some(budget);
            }
        }
        self.progress()
    }

    /// Steps until everything is done.
    pub fn run_to_end(&mut self) -> ExplorationReport {
        while !self.progress().finished {
            self.step(1_000);
        }
        self.report()
    }

    pub fn progress(&self) -> Progress {
        let seeds_finished = self.seeds_done >= self.options.seeds;
        Progress {
            seeds_done: self.seeds_done,
            seeds_total: self.options.seeds,
            runs: self.runs,
            shrinking: seeds_finished && self.options.shrink && !self.shrinks_finished(),
            finished: seeds_finished && (!self.options.shrink || self.shrinks_finished()),
        }
    }

    /// The findings so far (complete once `progress().finished`).
    pub fn report(&self) -> ExplorationReport {
        ExplorationReport {
            first_seed: self.options.first_seed,
            seeds: self.seeds_done,
            runs: self.runs,
            properties: self.summaries.clone(),
        }
    }

    fn explore_next_seed(&mut self) {
        let seed = self
            .options
            .first_seed
            .wrapping_add(u64::from(self.seeds_done));
        self.seeds_done += 1;
        self.runs += 1;
        // Only the shrunk cases report a trace hash; the explored runs are judged and dropped.
        let options = RunOptions {
            seed: Some(seed),
            ..RunOptions::default()
        };
        let detail = self.detail;
        let run = simulate_with(&self.design, &options, detail);
        // The full run of this seed, made only when a first failure needs its explanation.
        let mut full_run: Option<Run> = None;
        for (property, summary) in self.properties.iter().zip(&mut self.summaries) {
            let mut result = evaluate_property(property, &self.design, &run);
            if result.status == Status::Failed
                && summary.first_failure.is_none()
                && detail != TraceDetail::Full
            {
                let full = full_run.get_or_insert_with(|| {
                    simulate_with(&self.design, &options, TraceDetail::Full)
                });
                result = evaluate_property(property, &self.design, full);
            }
            summary.runs += 1;
            match result.status {
                Status::Passed => summary.passed += 1,
                Status::Undecided => summary.undecided += 1,
                Status::Failed => {
                    summary.failed += 1;
                    if summary.first_failure.is_none() {
                        summary.first_failing_seed = Some(seed);
                        summary.first_failure = Some(result);
                    }
                    let faults = run.summary.faults;
                    if summary
                        .fewest_faults
                        .is_none_or(|(fewest, _)| faults < fewest)
                    {
                        summary.fewest_faults = Some((faults, seed));
                    }
                }
            }
            summary.failure_rate_ppm =
                (u64::from(summary.failed) * 1_000_000 / u64::from(summary.runs)) as u32;
        }
    }

    fn shrinks_finished(&self) -> bool {
        self.shrinking.is_none() && self.next_failing_property().is_none()
    }

    fn next_failing_property(&self) -> Option<usize> {
        (self.next_to_shrink..self.summaries.len())
            .find(|&i| self.summaries[i].fewest_faults.is_some())
    }

    /// Advances the current shrink (starting the next when none is running); returns the runs
    /// it used, at least one.
    fn shrink_some(&mut self, budget: u32) -> u32 {
        let Some((index, mut shrinker)) = self.shrinking.take() else {
            let Some(index) = self.next_failing_property() else {
                return budget;
            };
            self.next_to_shrink = index + 1;
            let seed = self.summaries[index]
                .fewest_faults
                .map(|(_, s)| s)
                .unwrap_or(0);
            self.runs += 1;
            if let Some(shrinker) =
                Shrinker::new(&self.design, self.properties[index].clone(), seed)
            {
                self.shrinking = Some((index, shrinker));
            }
            return 1;
        };
        let before = shrinker.replays();
        let done = shrinker.step(&self.design, budget);
        let used = shrinker.replays().saturating_sub(before);
        self.runs += used;
        if done {
            self.summaries[index].smallest_failing_case = Some(shrinker.case());
        } else {
            self.shrinking = Some((index, shrinker));
        }
        // A step that only noticed the shrink was finished still counts, so stepping ends.
        used.clamp(1, budget)
    }
}

/// The trace detail that decides these properties' statuses: bodies are left out unless an
/// item property reads the table steps' requests and responses to decide.
fn verdict_detail(properties: &[Property]) -> TraceDetail {
    let reads_bodies = properties.iter().any(|p| {
        matches!(
            p.kind,
            PropertyKind::FinalItems { .. } | PropertyKind::VersionMonotonic { .. }
        )
    });
    if reads_bodies {
        TraceDetail::Full
    } else {
        TraceDetail::Verdicts
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::compile_checks;
    use crate::design::{load_value, Check};

    /// Checks whose failures are explained with the bodies exploring leaves out (a step's
    /// request in the words of the deciding event, the last event of a stuck flow), added to
    /// every fixture so a first failure explained from the lean trace would differ.
    fn body_reading_checks() -> Vec<Check> {
        [
            json!({"id": "few-steps", "kind": "count", "traceKind": "step", "max": 2}),
            json!({"id": "many-steps-per-flow", "kind": "count", "traceKind": "step",
                "perCorrelation": {"min": 100}}),
            json!({"id": "reaches-nothing", "kind": "reaches", "eventType": "com.none.v1"}),
        ]
        .into_iter()
        .filter_map(|check| serde_json::from_value(check).ok())
        .collect()
    }

    fn fixture(name: &str) -> Design {
        let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or_default();
        let mut design = load_value(value)
            .map(|loaded| loaded.design)
            .unwrap_or_default();
        assert!(!design.nodes.is_empty(), "{name} loads");
        design.checks.extend(body_reading_checks());
        design
    }

    /// The steps whose request and response a lean trace leaves out.
    const LEAN_STEPS: &[&str] = &[
        "emit",
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "TransactWriteItems",
    ];

    /// A full trace with the bodies a lean one leaves out set to null.
    fn without_bodies(trace: &[crate::sim::TraceEvent]) -> Vec<crate::sim::TraceEvent> {
        use crate::sim::TraceKind;
        let mut trace = trace.to_vec();
        for event in &mut trace {
            match &mut event.kind {
                TraceKind::Published { event, .. } => *event = serde_json::Value::Null,
                TraceKind::ConditionFailed { request, .. } => *request = serde_json::Value::Null,
                TraceKind::Step {
                    op,
                    request,
                    response,
                    ..
                } if LEAN_STEPS.contains(&op.as_str()) => {
                    *request = serde_json::Value::Null;
                    *response = serde_json::Value::Null;
                }
                _ => {}
            }
        }
        trace
    }

    /// Explores `seeds` seeds of a fixture the fast way and the full way, seed by seed and as a
    /// whole report (first failures and shrunk cases included), and says where they differ.
    fn check(name: &str, seeds: u32) {
        let design = fixture(name);
        let (properties, _) = compile_checks(&design);
        let detail = verdict_detail(&properties);
        for seed in 1..=u64::from(seeds) {
            let options = RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            };
            let lean = simulate_with(&design, &options, detail);
            let full = simulate_with(&design, &options, TraceDetail::Full);
            if detail != TraceDetail::Full {
                assert_eq!(
                    lean.trace,
                    without_bodies(&full.trace),
                    "{name} seed {seed}"
                );
            }
            for property in &properties {
                let status = |run| evaluate_property(property, &design, run).status;
                assert_eq!(
                    status(&lean),
                    status(&full),
                    "{name} seed {seed} check {}",
                    property.id
                );
            }
        }
        let options = ExploreOptions {
            first_seed: 1,
            seeds,
            shrink: true,
        };
        let fast = Exploration::new(design.clone(), properties.clone(), options).run_to_end();
        let mut slow = Exploration::new(design, properties, options);
        slow.detail = TraceDetail::Full;
        assert_eq!(fast, slow.run_to_end(), "{name}");
    }

    // Exploring with lean traces judges every fixture exactly as full traces do: the same
    // status on every seed, and the same report, first failures and shrunk cases included.
    #[test]
    fn lean_exploration_judges_as_full_exploration() {
        for name in [
            "photo-aggregator",
            "photo-choreography",
            "photo-orchestrator",
            "photo-orchestrator-callback",
            "duplicates",
            "duplicates-fixed",
            "hot-key",
            "outbox",
            "outbox-fixed",
            "pizza-choreography",
            "lost-update",
        ] {
            check(name, 30);
        }
    }
}
