//! The `asl` subcommand (see docs/cli.md): runs a state machine definition on its own, with
//! mocked task outcomes, driving virtual time itself.
//!
//! It must never call anything real: every task is answered from the mocks (or echoes its
//! parameters), at the virtual instant it was invoked.

use std::collections::BTreeMap;
use std::sync::Arc;

use eventlab_core::asl::{
    Action, Definition, Execution, ExecutionKind, ExecutionOptions, ExecutionResult, TaskOutcome,
};
use serde_json::{json, Value};

use crate::args::{read_json, Arguments};
use crate::{CommandResult, Failure, Outcome};

/// A guard against a driver loop that would not end; the engine's own history limit ends
/// every execution long before this.
const MAX_ROUNDS: u32 = 1_000_000;

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
        Some(path) => read_mocks(path)?,
        None => BTreeMap::new(),
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
    let mut execution = Execution::start(Arc::new(definition), input, options, 0);
    let result = drive(&mut execution, &mocks)?;
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

/// Reads MOCKS: state name → non-empty list of `{"result": V}` or `{"error": N, "cause": T}`.
fn read_mocks(path: &str) -> Result<BTreeMap<String, Vec<TaskOutcome>>, Failure> {
    let Value::Object(states) = read_json(path)? else {
        return Err(Failure::new(format!(
            "{path}: mocks must be an object of state name to a list of outcomes"
        )));
    };
    let mut mocks = BTreeMap::new();
    for (state, outcomes) in states {
        let list = outcomes
            .as_array()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                Failure::new(format!(
                    "{path}: the mocks of '{state}' must be a non-empty list"
                ))
            })?;
        let mut parsed = Vec::with_capacity(list.len());
        for (index, outcome) in list.iter().enumerate() {
            let bad = || {
                Failure::new(format!("{path}: mock {index} of '{state}' must be {{\"result\": VALUE}} or {{\"error\": NAME, \"cause\": TEXT}}"))
            };
            parsed.push(match (outcome.get("result"), outcome.get("error")) {
                (Some(result), None) => TaskOutcome::Succeeded(result.clone()),
                (None, Some(Value::String(error))) => {
                    let cause = match outcome.get("cause") {
                        None => String::new(),
                        Some(Value::String(cause)) => cause.clone(),
                        Some(_) => return Err(bad()),
                    };
                    TaskOutcome::Failed {
                        error: error.clone(),
                        cause,
                    }
                }
                _ => return Err(bad()),
            });
        }
        mocks.insert(state, parsed);
    }
    Ok(mocks)
}

/// Runs the execution to its end: mocked tasks complete at the instant they are invoked, and
/// time jumps to each `WakeAt`.
fn drive(
    execution: &mut Execution,
    mocks: &BTreeMap<String, Vec<TaskOutcome>>,
) -> Result<ExecutionResult, Failure> {
    let mut now_ms = 0;
    for _ in 0..MAX_ROUNDS {
        let actions = execution.advance(now_ms);
        let mut wake = None;
        let mut invoked = false;
        for action in actions {
            match action {
                Action::InvokeTask(task) => {
                    invoked = true;
                    let outcome = match mocks.get(&task.state_name) {
                        Some(list) => {
                            let index = (task.attempt.max(1) - 1) as usize;
                            list.get(index)
                                .or(list.last())
                                .cloned()
                                .unwrap_or(TaskOutcome::Succeeded(task.parameters.clone()))
                        }
                        None => TaskOutcome::Succeeded(task.parameters.clone()),
                    };
                    // A refused token means the task's branch was cancelled meanwhile: nothing to do.
                    let _ = execution.complete_task(task.token, outcome, now_ms);
                }
                Action::WakeAt { at_ms } => wake = Some(at_ms),
                Action::Finished(result) => return Ok(result),
            }
        }
        if invoked {
            continue;
        }
        match wake {
            Some(at_ms) => now_ms = at_ms.max(now_ms),
            None => break,
        }
    }
    execution.result().cloned().ok_or_else(|| {
        Failure::new("the execution stopped without finishing (no task, timer or end)")
    })
}
