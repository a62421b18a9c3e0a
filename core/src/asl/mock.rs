//! Running an execution to its end against mocked task outcomes, for `eventlab asl run` and
//! tests: each task completes at the virtual instant it is invoked and time jumps to each
//! `WakeAt`.
//!
//! It must never call anything real, and never loop without bound (the engine's history limit
//! ends every execution; the round guard here is a second fence).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::{Action, Definition, Execution, ExecutionOptions, TaskOutcome};

/// State name → outcomes, one per attempt; the last one repeats.
#[derive(Debug, Clone, Default)]
pub struct Mocks {
    outcomes: BTreeMap<String, Vec<TaskOutcome>>,
}

impl Mocks {
    /// Reads `{"State": [{"result": V} | {"error": N, "cause": T}, …]}`; `Err` says what is wrong.
    pub fn from_json(value: &Value) -> Result<Mocks, String> {
        let Value::Object(states) = value else {
            return Err("mocks must be an object of state name to a list of outcomes".into());
        };
        let mut outcomes = BTreeMap::new();
        for (state, list) in states {
            let list = list
                .as_array()
                .filter(|l| !l.is_empty())
                .ok_or_else(|| format!("the mocks of '{state}' must be a non-empty list"))?;
            let mut parsed = Vec::with_capacity(list.len());
            for (index, outcome) in list.iter().enumerate() {
                let bad = || {
                    format!("mock {index} of '{state}' must be {{\"result\": VALUE}} or {{\"error\": NAME, \"cause\": TEXT}}")
                };
                let keys_ok = outcome.as_object().is_some_and(|o| {
                    o.keys()
                        .all(|k| k == "result" || k == "error" || k == "cause")
                });
                if !keys_ok {
                    return Err(bad());
                }
                parsed.push(
                    match (
                        outcome.get("result"),
                        outcome.get("error"),
                        outcome.get("cause"),
                    ) {
                        (Some(result), None, None) => TaskOutcome::Succeeded(result.clone()),
                        (None, Some(Value::String(error)), None) => TaskOutcome::Failed {
                            error: error.clone(),
                            cause: String::new(),
                        },
                        (None, Some(Value::String(error)), Some(Value::String(cause))) => {
                            TaskOutcome::Failed {
                                error: error.clone(),
                                cause: cause.clone(),
                            }
                        }
                        _ => return Err(bad()),
                    },
                );
            }
            outcomes.insert(state.clone(), parsed);
        }
        Ok(Mocks { outcomes })
    }

    /// The outcome of `attempt` (1-based) of a task state; without a mock the task returns its
    /// parameters.
    pub fn outcome(&self, state_name: &str, attempt: u32, parameters: &Value) -> TaskOutcome {
        let index = attempt.saturating_sub(1) as usize;
        self.outcomes
            .get(state_name)
            .and_then(|list| list.get(index).or(list.last()))
            .cloned()
            .unwrap_or_else(|| TaskOutcome::Succeeded(parameters.clone()))
    }
}

const MAX_ROUNDS: u32 = 1_000_000;

/// Starts an execution at virtual time 0 and runs it to its end against the mocks.
pub fn run_with_mocks(
    definition: Arc<Definition>,
    input: Value,
    options: ExecutionOptions,
    mocks: &Mocks,
) -> Execution {
    let mut execution = Execution::start(definition, input, options, 0);
    let mut now_ms = 0;
    for _ in 0..MAX_ROUNDS {
        let mut wake = None;
        let mut invoked = false;
        for action in execution.advance(now_ms) {
            match action {
                Action::InvokeTask(task) => {
                    invoked = true;
                    let outcome = mocks.outcome(&task.state_name, task.attempt, &task.parameters);
                    // A refused token means the task's branch was cancelled meanwhile.
                    let _ = execution.complete_task(task.token, outcome, now_ms);
                }
                Action::WakeAt { at_ms } => wake = Some(at_ms),
                Action::Finished(_) => return execution,
            }
        }
        match (invoked, wake) {
            (true, _) => {}
            (false, Some(at_ms)) => now_ms = at_ms.max(now_ms),
            (false, None) => break,
        }
    }
    execution
}
