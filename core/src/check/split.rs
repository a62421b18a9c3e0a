//! Exploring in slices on several workers: each worker explores a contiguous slice of the seeds
//! without shrinking and answers an `ExplorationPart`; `Exploration::merge` puts the slices
//! together into the state one worker would have reached by exploring every seed itself, and
//! the merged exploration then shrinks the failures as usual. The report is byte for byte the
//! one a single worker makes (a test holds it to that on the fixtures).

use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::sim::{simulate_with, RunOptions, TraceDetail};

use super::explore::{Exploration, ExploreOptions};
use super::{evaluate_property, Property};

/// One slice of an exploration's seeds, explored without shrinking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplorationPart {
    pub first_seed: u64,
    pub seeds: u32,
    /// One per property, in the design's order.
    pub properties: Vec<PartSummary>,
}

/// One property over one slice: the counts and the two seeds the whole needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartSummary {
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failing_seed: Option<u64>,
    /// The failing run with the fewest faults: `[faults, seed]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fewest_faults: Option<(u32, u64)>,
}

impl Exploration {
    /// The slice this exploration explored, once its seeds are done (it must not shrink).
    pub fn part(&self) -> ExplorationPart {
        ExplorationPart {
            first_seed: self.options.first_seed,
            seeds: self.seeds_done,
            properties: self
                .summaries
                .iter()
                .map(|s| PartSummary {
                    passed: s.passed,
                    failed: s.failed,
                    undecided: s.undecided,
                    first_failing_seed: s.first_failing_seed,
                    fewest_faults: s.fewest_faults,
                })
                .collect(),
        }
    }

    /// The exploration of `options`' seeds made from its slices, in any order: seeds all done,
    /// shrinking still to do. The slices must cover the seeds exactly, for these properties.
    /// Each first failure is judged again on a full run of its seed, as `step` judges it.
    pub fn merge(
        design: Design,
        properties: Vec<Property>,
        options: ExploreOptions,
        mut parts: Vec<ExplorationPart>,
    ) -> Result<Exploration, String> {
        parts.sort_by_key(|p| p.first_seed.wrapping_sub(options.first_seed));
        check_cover(&parts, &properties, options)?;
        let mut merged = Exploration::new(design, properties, options);
        merged.seeds_done = options.seeds;
        merged.runs = options.seeds;
        for part in &parts {
            for (summary, slice) in merged.summaries.iter_mut().zip(&part.properties) {
                summary.runs += slice.passed + slice.failed + slice.undecided;
                summary.passed += slice.passed;
                summary.failed += slice.failed;
                summary.undecided += slice.undecided;
                summary.first_failing_seed =
                    summary.first_failing_seed.or(slice.first_failing_seed);
                // Slices in seed order, strictly fewer: the earliest seed wins a tie, as in `step`.
                if let Some((faults, seed)) = slice.fewest_faults {
                    if summary
                        .fewest_faults
                        .is_none_or(|(fewest, _)| faults < fewest)
                    {
                        summary.fewest_faults = Some((faults, seed));
                    }
                }
            }
        }
        for (property, summary) in merged.properties.iter().zip(&mut merged.summaries) {
            if summary.runs > 0 {
                summary.failure_rate_ppm =
                    (u64::from(summary.failed) * 1_000_000 / u64::from(summary.runs)) as u32;
            }
            if let Some(seed) = summary.first_failing_seed {
                let options = RunOptions {
                    seed: Some(seed),
                    ..RunOptions::default()
                };
                let run = simulate_with(&merged.design, &options, TraceDetail::Full);
                summary.first_failure = Some(evaluate_property(property, &merged.design, &run));
            }
        }
        Ok(merged)
    }
}

/// Whether sorted slices cover the seeds from the first, one after another, for every property.
fn check_cover(
    parts: &[ExplorationPart],
    properties: &[Property],
    options: ExploreOptions,
) -> Result<(), String> {
    let mut next = options.first_seed;
    let mut covered: u64 = 0;
    for part in parts {
        if part.first_seed != next {
            return Err(format!(
                "the explored slices do not join up: expected one from seed {next}, got seed {}",
                part.first_seed
            ));
        }
        if part.properties.len() != properties.len() {
            return Err(format!(
                "a slice from seed {} judged {} checks, not {}",
                part.first_seed,
                part.properties.len(),
                properties.len()
            ));
        }
        next = next.wrapping_add(u64::from(part.seeds));
        covered += u64::from(part.seeds);
    }
    if covered != u64::from(options.seeds) {
        return Err(format!(
            "the explored slices cover {covered} seeds, not {}",
            options.seeds
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::compile_checks;
    use crate::design::load_text;

    fn fixture(name: &str) -> Design {
        let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let design = load_text(&text).map(|l| l.design).unwrap_or_default();
        assert!(!design.nodes.is_empty(), "{name} loads");
        design
    }

    fn explore_slices(design: &Design, first_seed: u64, sizes: &[u32]) -> Vec<ExplorationPart> {
        let (properties, _) = compile_checks(design);
        let mut seed = first_seed;
        let mut parts = Vec::new();
        for &seeds in sizes {
            let options = ExploreOptions {
                first_seed: seed,
                seeds,
                shrink: false,
            };
            let mut slice = Exploration::new(design.clone(), properties.clone(), options);
            slice.run_to_end();
            parts.push(slice.part());
            seed = seed.wrapping_add(u64::from(seeds));
        }
        parts
    }

    // Slices explored apart and merged make the very report one worker makes: counts, rates,
    // first failures with their explanations, and the shrunk smallest cases.
    #[test]
    fn merged_slices_report_what_one_exploration_reports() {
        for name in [
            "duplicates",
            "lost-update",
            "photo-aggregator",
            "hot-key",
            "outbox",
        ] {
            let design = fixture(name);
            let (properties, _) = compile_checks(&design);
            for (first_seed, sizes) in [(1, vec![40]), (1, vec![13, 14, 13]), (7, vec![1, 30, 9])] {
                let seeds = sizes.iter().sum();
                let options = ExploreOptions {
                    first_seed,
                    seeds,
                    shrink: true,
                };
                let whole =
                    Exploration::new(design.clone(), properties.clone(), options).run_to_end();
                let mut parts = explore_slices(&design, first_seed, &sizes);
                parts.reverse();
                let merged = Exploration::merge(design.clone(), properties.clone(), options, parts)
                    .map(|mut m| m.run_to_end());
                assert_eq!(merged, Ok(whole), "{name} from {first_seed} in {sizes:?}");
            }
        }
    }

    #[test]
    fn slices_that_do_not_cover_the_seeds_are_refused() {
        let design = fixture("duplicates");
        let (properties, _) = compile_checks(&design);
        let options = ExploreOptions {
            first_seed: 1,
            seeds: 20,
            shrink: true,
        };
        let merge = |parts| Exploration::merge(design.clone(), properties.clone(), options, parts);
        let gap = explore_slices(&design, 1, &[5, 5]);
        let mut moved = explore_slices(&design, 11, &[10]);
        moved.extend(explore_slices(&design, 1, &[5]));
        let gap_error = merge(gap).err().unwrap_or_default();
        assert_eq!(gap_error, "the explored slices cover 10 seeds, not 20");
        let moved_error = merge(moved).err().unwrap_or_default();
        assert!(
            moved_error.starts_with("the explored slices do not join up"),
            "{moved_error}"
        );
        let mut wrong = explore_slices(&design, 1, &[20]);
        wrong[0].properties.pop();
        assert!(merge(wrong).is_err());
    }

    #[test]
    fn a_slice_reads_back_as_written() {
        let design = fixture("duplicates");
        let part = explore_slices(&design, 1, &[10]).remove(0);
        let text = serde_json::to_string(&part).unwrap_or_default();
        assert!(text.contains("\"fewestFaults\":["), "{text}");
        assert_eq!(
            serde_json::from_str::<ExplorationPart>(&text).ok(),
            Some(part)
        );
    }
}
