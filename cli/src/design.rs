//! The `validate` and `run` subcommands (see docs/cli.md): a design file's diagnostics, and its
//! scenario's trace with a summary.

use eventlab_core::design::{load_text, validate, Diagnostic, Loaded, Severity};
use eventlab_core::sim::{render, simulate, RunOptions};

use crate::args::{read_file, Arguments};
use crate::{CommandResult, Failure, Outcome};

/// Reads a design file; a file that is not a design at all is unusable input (exit 2).
pub fn load_design(path: &str) -> Result<Loaded, Failure> {
    let text = read_file(path)?;
    load_text(&text).map_err(|e| Failure::new(format!("{path}: {e}")))
}

/// `eventlab validate DESIGN.json [--format text|json]`
pub fn run_validate(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["format"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    let format = output_format(&arguments)?;
    let loaded = load_design(path)?;
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(validate(&loaded.design));
    print_diagnostics(&diagnostics, format);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed {
        Outcome::Problem
    } else {
        Outcome::Clean
    })
}

/// `eventlab run DESIGN.json [--seed N] [--format text|json]`
pub fn run_run(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["seed", "format"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    let format = output_format(&arguments)?;
    let seed = match arguments.option("seed") {
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| Failure::new(format!("--seed takes a whole number, got '{text}'")))?,
        ),
        None => None,
    };
    let loaded = load_design(path)?;
    let run = simulate(
        &loaded.design,
        &RunOptions {
            seed,
            ..RunOptions::default()
        },
    );
    let text = if format == Format::Json {
        let output = serde_json::json!({"trace": run.trace, "trace_hash": run.trace_hash, "summary": run.summary});
        format!(
            "{}\n",
            serde_json::to_string_pretty(&output).unwrap_or_default()
        )
    } else {
        let summary = serde_json::to_value(&run.summary).unwrap_or_default();
        format!(
            "{}---\nseed {}  trace_hash {}\n{}\n",
            render(&run.trace),
            run.seed,
            run.trace_hash,
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        )
    };
    write_stdout(&text);
    Ok(Outcome::Clean)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

fn output_format(arguments: &Arguments) -> Result<Format, Failure> {
    match arguments.option("format") {
        None | Some("text") => Ok(Format::Text),
        Some("json") => Ok(Format::Json),
        Some(other) => Err(Failure::new(format!(
            "--format is text or json, got '{other}'"
        ))),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(diagnostics).unwrap_or_default()
        ),
        Format::Text => {
            for diagnostic in diagnostics {
                println!("{}", diagnostic.to_line());
            }
            if diagnostics.is_empty() {
                println!("no problems found");
            }
        }
    }
}

/// Writes to standard output, ignoring a closed pipe (`eventlab run x | head` is not an error).
fn write_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
