//! Exploration: a design's properties across many seeds, then the smallest failing case of
//! each failing property.
//!
//! `Exploration` is a plain state object. `step(budget_runs)` does at most that many runs
//! (seeds first, then shrink replays) and says how far it got, so the browser can explore in
//! slices between frames and show progress; the CLI simply steps until done. No threads, no
//! clocks: the same design and seeds give the same report everywhere.

use serde::Serialize;

use crate::design::Design;
use crate::sim::{simulate_unhashed, RunOptions};

use super::explain::grouped;
use super::shrink::{Shrinker, ShrunkCase};
use super::{evaluate_property, CheckResult, Mode, Property, Status};

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
    #[serde(skip)]
    fewest_faults: Option<(u32, u64)>,
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
    design: Design,
    properties: Vec<Property>,
    options: ExploreOptions,
    seeds_done: u32,
    runs: u32,
    summaries: Vec<PropertySummary>,
    /// The property being shrunk, and its shrinker.
    shrinking: Option<(usize, Shrinker)>,
    next_to_shrink: usize,
}

impl Exploration {
    pub fn new(design: Design, properties: Vec<Property>, options: ExploreOptions) -> Exploration {
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
        let run = simulate_unhashed(
            &self.design,
            &RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            },
        );
        for (property, summary) in self.properties.iter().zip(&mut self.summaries) {
            let result = evaluate_property(property, &self.design, &run);
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
