//! The `check` and `explore` subcommands (see docs/cli.md): a design's properties across seeds,
//! with each failing property's rate and its smallest failing case explained; `explore` prints
//! the same as JSON.

use eventlab_core::check::{compile_checks, Exploration, ExplorationReport, ExploreOptions};

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
        return Err(Failure::new(format!(
            "exercises are not built yet, so --exercise {name} cannot lock a scenario and checks; run without --exercise to check the design's own"
        )));
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
