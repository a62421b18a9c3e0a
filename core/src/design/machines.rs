//! Validation of state machine nodes: the definition as AWS's CreateStateMachine would judge it
//! (one diagnostic per problem, with AWS's code and words), Express limits (no
//! `.waitForTaskToken`, no `.sync`), and callback tasks that never pass their token on.
//!
//! It must never run a definition; it only reads it.

use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::document::{Node, StateMachine};
use crate::asl::Definition;

/// The diagnostics of one state machine node.
pub fn validate_state_machine(node: &Node, machine: &StateMachine, out: &mut Vec<Diagnostic>) {
    let location = format!("nodes/{}/definition", node.id);
    match Definition::parse(&machine.definition) {
        Err(problems) => {
            for problem in problems {
                out.push(
                    Diagnostic::error(
                        "invalid-definition",
                        format!("{location}{}", problem.location),
                        format!(
                            "'{}' would be refused by Step Functions: {}: {}",
                            node.label(),
                            problem.code,
                            problem.message
                        ),
                    )
                    .on_node(&node.id),
                );
            }
        }
        Ok(definition) if machine.express => {
            for problem in definition.express_diagnostics() {
                out.push(
                    Diagnostic::error(
                        "invalid-definition",
                        format!("{location}{}", problem.location),
                        format!(
                            "'{}' is an Express state machine, which Step Functions refuses here: {}",
                            node.label(),
                            problem.message.trim_end()
                        ),
                    )
                    .on_node(&node.id),
                );
            }
        }
        Ok(_) => {}
    }
    let mut silent = Vec::new();
    callbacks_without_token(&machine.definition, "", &mut silent);
    for state in silent {
        out.push(
            Diagnostic::warning(
                "callback-without-token",
                format!("{location}{state}/Parameters"),
                format!(
                    "'{}' waits for a task token at {state}, but its Parameters never pass $$.Task.Token on: nobody can answer it, so it can only time out",
                    node.label()
                ),
            )
            .on_node(&node.id),
        );
    }
}

/// The locations (`/States/Ask`) of `.waitForTaskToken` tasks whose Parameters never read
/// `$$.Task.Token`, at any depth (Parallel branches, Map processors).
fn callbacks_without_token(value: &Value, location: &str, out: &mut Vec<String>) {
    let Value::Object(object) = value else {
        return;
    };
    let callback = object
        .get("Resource")
        .and_then(Value::as_str)
        .is_some_and(|r| r.ends_with(".waitForTaskToken"));
    if callback && !object.get("Parameters").is_some_and(passes_token) {
        out.push(location.to_string());
    }
    for (key, inner) in object {
        match inner {
            Value::Object(states) if key == "States" => {
                for (name, state) in states {
                    callbacks_without_token(state, &format!("{location}/States/{name}"), out);
                }
            }
            Value::Array(branches) if key == "Branches" => {
                for (index, branch) in branches.iter().enumerate() {
                    callbacks_without_token(branch, &format!("{location}/Branches[{index}]"), out);
                }
            }
            Value::Object(_) if key == "ItemProcessor" || key == "Iterator" => {
                callbacks_without_token(inner, &format!("{location}/{key}"), out);
            }
            _ => {}
        }
    }
}

/// Whether a Parameters template reads `$$.Task.Token` somewhere (a `.$` path or intrinsic).
fn passes_token(template: &Value) -> bool {
    match template {
        Value::String(text) => text.contains("$$.Task.Token"),
        Value::Array(items) => items.iter().any(passes_token),
        Value::Object(object) => object.values().any(passes_token),
        _ => false,
    }
}
