//! The `asl` subcommand (see docs/cli.md): runs a state machine definition on its own, with
//! mocked task outcomes, driving virtual time itself.
//!
//! It must never call anything real: every task is answered from the mocks (or echoes its
//! parameters), at the virtual instant it was invoked.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, ExecutionKind, ExecutionOptions};
use serde_json::{json, Value};

use crate::args::{read_json, Arguments};
use crate::{CommandResult, Failure, Outcome};

pub fn run(arguments: &[String]) -> CommandResult {
    let parsed = Arguments::parse(arguments, &["express"], &["input", "mock"])?;
    let positionals = parsed.expect_positionals("run DEFINITION.json")?;
    if positionals[0] != "run" {
        return Err(Failure::new(format!(
            "unknown asl command '{}' (expected: asl run DEFINITION.json --input INPUT.json)",
            positionals[0]
        )));
    }
    let definition_path = &positionals[1];
    let input_path = parsed
        .option("input")
        .ok_or_else(|| Failure::new("asl run needs --input INPUT.json"))?;
    let source = read_json(definition_path)?;
    let input = read_json(input_path)?;
    let mocks = match parsed.option("mock") {
        Some(path) => {
            Mocks::from_json(&read_json(path)?).map_err(|e| Failure::new(format!("{path}: {e}")))?
        }
        None => Mocks::default(),
    };
    let express = parsed.flag("express");
    let definition = Definition::parse(&source)
        .map_err(|diagnostics| rejected(definition_path, &diagnostics))?;
    if express {
        let diagnostics = definition.express_diagnostics();
        if !diagnostics.is_empty() {
            return Err(rejected(definition_path, &diagnostics));
        }
    }
    let options = ExecutionOptions {
        kind: if express {
            ExecutionKind::Express
        } else {
            ExecutionKind::Standard
        },
        ..ExecutionOptions::default()
    };
    let execution = run_with_mocks(Arc::new(definition), input, options, &mocks);
    let result = execution
        .result()
        .cloned()
        .ok_or_else(|| Failure::new("the execution stopped without finishing"))?;
    let mut report = serde_json::Map::new();
    report.insert("status".into(), json!(result.status.as_str()));
    if let Some(output) = result.output {
        report.insert("output".into(), output);
    }
    if let Some(error) = result.error {
        report.insert("error".into(), json!(error));
    }
    if let Some(cause) = result.cause {
        report.insert("cause".into(), json!(cause));
    }
    let history = serde_json::to_value(execution.history())
        .map_err(|e| Failure::new(format!("cannot render the history: {e}")))?;
    report.insert("history".into(), history);
    let text = serde_json::to_string_pretty(&Value::Object(report))
        .map_err(|e| Failure::new(e.to_string()))?;
    println!("{text}");
    Ok(Outcome::Clean)
}

fn rejected(path: &str, diagnostics: &[eventlab_core::asl::Diagnostic]) -> Failure {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    Failure::new(format!(
        "{path}: Invalid State Machine Definition:\n{}",
        lines.join("\n")
    ))
}
