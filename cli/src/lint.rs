//! The `lint` subcommand (see docs/cli.md): a design's lint findings, one per line or as JSON;
//! exit 1 when any has error severity.

use eventlab_core::design::Severity;
use eventlab_core::lint::lint;

use crate::args::Arguments;
use crate::design::load_design;
use crate::{CommandResult, Failure, Outcome};

/// `eventlab lint DESIGN.json [--format text|json]`
pub fn run(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["format"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    let json = match arguments.option("format") {
        None | Some("text") => false,
        Some("json") => true,
        Some(other) => {
            return Err(Failure::new(format!(
                "--format is text or json, got '{other}'"
            )))
        }
    };
    let loaded = load_design(path)?;
    let findings = lint(&loaded.design);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&findings).unwrap_or_default()
        );
    } else {
        for finding in &findings {
            println!("{}", finding.to_line());
        }
        if findings.is_empty() {
            println!("no findings");
        }
    }
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Problem
    } else {
        Outcome::Clean
    })
}
