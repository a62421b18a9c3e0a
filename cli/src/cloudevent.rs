//! The `cloudevent` subcommand (see docs/cli.md): `cloudevent validate EVENT.json` prints
//! `valid` (exit 0) or one problem per line (exit 1).
//!
//! Owns reading the file and printing; the rules are core's. Unreadable files and invalid
//! JSON are input that could not be used (exit 2), not problems of the event.

use eventlab_core::cloudevent::validate_json;
use serde_json::Value;

use crate::args::{read_file, Arguments};
use crate::{CommandResult, Failure, Outcome};

pub fn run(arguments: &[String]) -> CommandResult {
    let parsed = Arguments::parse(arguments, &[], &[])?;
    let positionals = parsed.expect_positionals("validate EVENT.json")?;
    let (Some(action), Some(path)) = (positionals.first(), positionals.get(1)) else {
        return Err(Failure::new("expected validate EVENT.json"));
    };
    if action != "validate" {
        return Err(Failure::new(format!(
            "unknown cloudevent action '{action}' (expected validate)"
        )));
    }
    let text = read_file(path)?;
    let event: Value = serde_json::from_str(&text)
        .map_err(|error| Failure::new(format!("{path}: invalid JSON: {error}")))?;
    let problems = validate_json(&event);
    if problems.is_empty() {
        println!("valid");
        return Ok(Outcome::Clean);
    }
    for problem in problems {
        println!("{problem}");
    }
    Ok(Outcome::Problem)
}
