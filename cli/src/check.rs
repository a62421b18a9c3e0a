//! The `check` and `explore` subcommands (see docs/cli.md): a design's properties across seeds,
//! with each failing property's rate and its smallest failing case explained; `explore` prints
//! the same as JSON.

use eventlab_core::check::{
    compile_checks, Exploration, ExplorationReport, ExploreOptions, Status,
};
use eventlab_core::exercise::{
    builtin, check_exercise_with, load_exercises_dir, Exercise, ExerciseCheckOptions,
    ExerciseReport,
};

use crate::args::Arguments;
use crate::design::load_design;
use crate::{CommandResult, Failure, Outcome};

/// Seeds explored when `--seeds` is not given.
const DEFAULT_SEEDS: u32 = 100;

/// `eventlab check DESIGN.json [--seeds N] [--exercise NAME]`
pub fn run_check(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["seeds", "exercise"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    if let Some(name) = arguments.option("exercise") {
        if arguments.option("seeds").is_some() {
            return Err(Failure::new(format!(
                "--seeds cannot be used with --exercise: exercise {name} locks its seeds"
            )));
        }
        return run_exercise_check(name, path);
    }
    let report = explore(path, &arguments)?;
    print!("{}", render_text(&report));
    Ok(outcome(&report))
}

/// `eventlab explore DESIGN.json [--seeds N]`
pub fn run_explore(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["seeds"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    let report = explore(path, &arguments)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    Ok(outcome(&report))
}

fn outcome(report: &ExplorationReport) -> Outcome {
    if report.properties.iter().any(|p| p.failed > 0) {
        Outcome::Problem
    } else {
        Outcome::Clean
    }
}

fn explore(path: &str, arguments: &Arguments) -> Result<ExplorationReport, Failure> {
    let seeds = match arguments.option("seeds") {
        None => DEFAULT_SEEDS,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(Failure::new(format!(
                    "--seeds takes a whole number from 1 to 4294967295, got '{text}'"
                )))
            }
        },
    };
    let loaded = load_design(path)?;
    let (properties, problems) = compile_checks(&loaded.design);
    if !problems.is_empty() {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{path}: check {}: {}", p.check, p.message))
            .collect();
        return Err(Failure::new(lines.join("\n")));
    }
    let first_seed = loaded.design.scenario.seed;
    let mut exploration = Exploration::new(
        loaded.design,
        properties,
        ExploreOptions {
            first_seed,
            seeds,
            shrink: true,
        },
    );
    Ok(exploration.run_to_end())
}

fn render_text(report: &ExplorationReport) -> String {
    let mut text = String::new();
    if report.properties.is_empty() {
        text.push_str("the design declares no checks\n");
        return text;
    }
    let last_seed = report
        .first_seed
        .saturating_add(u64::from(report.seeds).saturating_sub(1));
    for property in &report.properties {
        let verdict = if property.failed > 0 {
            "FAIL"
        } else if property.undecided > 0 {
            "UNDECIDED"
        } else {
            "PASS"
        };
        let description = if property.description.is_empty() {
            String::new()
        } else {
            format!(": {}", property.description)
        };
        text.push_str(&format!(
            "{verdict} {} ({} {}){description}\n  {}",
            property.check,
            property.mode.name(),
            property.kind,
            property.rate_text()
        ));
        if let Some(seed) = property.first_failing_seed {
            text.push_str(&format!("; first failing seed {seed}"));
        }
        text.push('\n');
        if let Some(case) = &property.smallest_failing_case {
            text.push_str(&format!("  smallest failing case: {}\n", case.explanation));
            if let Some(seq) = case.result.deciding_event {
                text.push_str(&format!("  decided at trace event #{seq}"));
                if case.suppressed_faults.is_empty() {
                    text.push_str(&format!(" of `eventlab run DESIGN --seed {}`\n", case.seed));
                } else {
                    text.push_str(&format!(
                        " of seed {} with {} suppressed\n",
                        case.seed,
                        case.suppressed_faults.join(", ")
                    ));
                }
            }
        }
    }
    let failed = report.properties.iter().filter(|p| p.failed > 0).count();
    text.push_str(&format!(
        "{} of {} properties failed on seeds {}..={last_seed}\n",
        failed,
        report.properties.len(),
        report.first_seed
    ));
    text
}

/// Where `--exercise` looks for exercises instead of the ones built into the binary: a
/// directory of exercise folders, for authors trying an exercise before it is built in.
const EXERCISES_VARIABLE: &str = "EVENTLAB_EXERCISES";

/// `eventlab check DESIGN.json --exercise NAME`: the exercise's locked scenario, seeds and
/// checks on the design, whatever the design's own say.
fn run_exercise_check(name: &str, path: &str) -> CommandResult {
    let exercises = match std::env::var_os(EXERCISES_VARIABLE) {
        Some(directory) => load_exercises_dir(std::path::Path::new(&directory)),
        None => builtin(),
    }
    .map_err(|e| Failure::new(format!("exercise {e}")))?;
    let Some(exercise) = exercises.iter().find(|e| e.folder == name || e.id == name) else {
        let names: Vec<String> = exercises
            .iter()
            .map(|e| format!("  {} ({})", e.folder, e.id))
            .collect();
        return Err(Failure::new(format!(
            "unknown exercise '{name}'; the exercises are:\n{}",
            names.join("\n")
        )));
    };
    let loaded = load_design(path)?;
    let report = check_exercise_with(
        exercise,
        &loaded.design,
        ExerciseCheckOptions { shrink: true },
    );
    print!("{}", render_exercise_text(exercise, &report));
    Ok(if report.passed {
        Outcome::Clean
    } else {
        Outcome::Problem
    })
}

fn render_exercise_text(exercise: &Exercise, report: &ExerciseReport) -> String {
    let mut text = format!(
        "exercise {} ({}): {}, on seeds {}\n",
        exercise.folder,
        exercise.id,
        exercise.title,
        seed_list(&report.seeds)
    );
    for check in &report.checks {
        let verdict = match check.status {
            Status::Passed => "PASS",
            Status::Failed => "FAIL",
            Status::Undecided => "UNDECIDED",
        };
        let mode = check
            .mode
            .map(|m| format!("{} ", m.name()))
            .unwrap_or_default();
        let description = if check.description.is_empty() {
            String::new()
        } else {
            format!(": {}", check.description)
        };
        let about = if check.expected_failure {
            " [the check this exercise is about]"
        } else {
            ""
        };
        text.push_str(&format!(
            "{verdict} {} ({mode}{}){description}{about}\n",
            check.check, check.kind
        ));
        if check.runs > 0 {
            text.push_str(&format!(
                "  {}\n",
                rate_text(check.runs, check.failed, check.undecided)
            ));
        }
        match (&check.smallest_failing_case, &check.failure) {
            (Some(case), _) => {
                text.push_str(&format!("  smallest failing case: {}\n", case.explanation));
                if let Some(seq) = case.result.deciding_event {
                    text.push_str(&format!(
                        "  decided at trace event #{seq} of seed {}",
                        case.seed
                    ));
                    if !case.suppressed_faults.is_empty() {
                        text.push_str(&format!(
                            " with {} suppressed",
                            case.suppressed_faults.join(", ")
                        ));
                    }
                    text.push('\n');
                }
            }
            (None, Some(failure)) => {
                let seed = check
                    .first_failing_seed
                    .map(|s| format!("seed {s}: "))
                    .unwrap_or_default();
                text.push_str(&format!("  {seed}{}\n", failure.explanation));
            }
            (None, None) => {}
        }
    }
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status != Status::Passed)
        .count();
    if failed == 0 {
        text.push_str(&format!(
            "all {} checks held on every seed: exercise {} is done\n",
            report.checks.len(),
            exercise.id
        ));
    } else {
        text.push_str(&format!(
            "{failed} of {} checks did not hold on every seed\n",
            report.checks.len()
        ));
    }
    text
}

/// "failed in 3 of 10 seeds" or "held on all 10 seeds".
fn rate_text(runs: u32, failed: u32, undecided: u32) -> String {
    let mut text = if failed == 0 {
        format!("held on all {runs} seeds")
    } else {
        format!("failed in {failed} of {runs} seeds")
    };
    if undecided > 0 {
        text.push_str(&format!(", undecided in {undecided} (the run hit a bound)"));
    }
    text
}

/// `1..=10` for a run of consecutive seeds, else the list.
fn seed_list(seeds: &[u64]) -> String {
    let consecutive = seeds
        .windows(2)
        .all(|pair| pair[1] == pair[0].wrapping_add(1));
    match (seeds.first(), seeds.last()) {
        (Some(first), Some(last)) if consecutive && seeds.len() > 2 => format!("{first}..={last}"),
        _ => seeds
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}
