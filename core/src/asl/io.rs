//! Input and output processing of a state (JSONPath mode): `InputPath` → `Parameters` →
//! (the work) → `ResultSelector` → `ResultPath` → `OutputPath`, and the `$$` context object.
//!
//! It must never invent a value for a path that does not exist: AWS fails the state with
//! `States.Runtime`, and so does this.

use serde_json::{json, Map, Value};

use super::definition::{Kind, State};
use super::execution::{Execution, RunId, TaskToken, Visit};
use super::intrinsic::Scope;
use super::path::{bracket_notation, Path};
use super::timestamp::format_ms;
use super::StateError;

/// The region and account in the ARNs of `$$`: the playground has one of each.
const ARN_PREFIX: &str = "arn:aws:states:us-east-1:123456789012";

impl TaskToken {
    /// The token as text, as `$$.Task.Token` gives it to a `.waitForTaskToken` task:
    /// `{execution name}:token-{n}`. Execution names are unique in a design run, so the text
    /// is too, and a `SendTaskSuccess` can be routed to its execution from the text alone.
    pub fn text(self, execution: &str) -> String {
        format!("{execution}:token-{}", self.0)
    }

    /// Reads `text` back into the execution name and the token. Anything `text` could not
    /// have produced (a missing name, a sign, leading zeros, junk) is `None`: AWS answers such
    /// a token with `InvalidToken`.
    pub fn parse(text: &str) -> Option<(&str, TaskToken)> {
        let (execution, number) = text.rsplit_once(":token-")?;
        let token = TaskToken(number.parse().ok()?);
        (!execution.is_empty() && token.text(execution) == text).then_some((execution, token))
    }
}

/// The cause AWS gives when a path finds nothing.
pub fn no_results(path: &Path) -> String {
    format!(
        "Invalid path '{}' : No results for path: {}",
        path.text,
        bracket_notation(path)
    )
}

impl Execution {
    pub(super) fn state_path(&self, run: RunId, state: &State) -> String {
        format!("{}{}", self.runs[run].label, state.name)
    }

    /// The context object `$$` as the state sees it now.
    pub(super) fn context(
        &self,
        run: RunId,
        state: &State,
        visit: &Visit,
        token: Option<u64>,
    ) -> Value {
        let machine = &self.options.state_machine_name;
        let name = &self.options.name;
        let mut context = json!({
            "Execution": {
                "Id": format!("{ARN_PREFIX}:execution:{machine}:{name}"),
                "Input": self.input,
                "Name": name,
                "RoleArn": "arn:aws:iam::123456789012:role/StepFunctionsRole",
                "StartTime": format_ms(self.start_ms),
                "RedriveCount": 0,
            },
            "State": {
                "EnteredTime": format_ms(visit.entered_ms),
                "Name": state.name,
                "RetryCount": visit.book.retries,
            },
            "StateMachine": {
                "Id": format!("{ARN_PREFIX}:stateMachine:{machine}"),
                "Name": machine,
            },
        });
        if let (Some(token), Some(object)) = (token, context.as_object_mut()) {
            object.insert(
                "Task".into(),
                json!({ "Token": TaskToken(token).text(&self.options.name) }),
            );
        }
        if let (Some((index, value)), Some(object)) =
            (&self.runs[run].item, context.as_object_mut())
        {
            object.insert(
                "Map".into(),
                json!({ "Item": { "Index": index, "Value": value } }),
            );
        }
        context
    }

    /// Applies `InputPath` (or `{}` for null) to the raw input.
    pub(super) fn after_input_path(
        &self,
        run: RunId,
        state: &State,
        visit: &Visit,
    ) -> Result<Value, StateError> {
        match &state.input_path {
            None => Ok(Value::Object(Map::new())),
            Some(path) if path.context => {
                let context = self.context(run, state, visit, None);
                path.read(&context)
                    .map_err(|_| StateError::runtime(no_results(path)))
            }
            Some(path) => path
                .read(&visit.raw_input)
                .map_err(|_| StateError::runtime(no_results(path))),
        }
    }

    /// The effective input: `InputPath`, then `Parameters` when `with_parameters`.
    pub(super) fn effective_input(
        &mut self,
        run: RunId,
        state: &State,
        visit: &Visit,
        token: Option<u64>,
        with_parameters: bool,
    ) -> Result<Value, StateError> {
        let input = self.after_input_path(run, state, visit)?;
        match (&state.parameters, with_parameters) {
            (Some(template), true) => {
                let context = self.context(run, state, visit, token);
                let scope = Scope {
                    input: &input,
                    context: &context,
                };
                template.evaluate(&scope, &mut self.generator)
            }
            _ => Ok(input),
        }
    }

    /// `ResultSelector`, `ResultPath` and `OutputPath` applied to a state's result.
    pub(super) fn state_output(
        &mut self,
        run: RunId,
        state: &State,
        visit: &Visit,
        result: Value,
    ) -> Result<Value, StateError> {
        let result = match &state.result_selector {
            Some(template) => {
                let context = self.context(run, state, visit, None);
                let scope = Scope {
                    input: &result,
                    context: &context,
                };
                template.evaluate(&scope, &mut self.generator)?
            }
            None => result,
        };
        let combined =
            self.apply_result_path(state.result_path.as_ref(), &visit.raw_input, result)?;
        apply_output_path(state, combined)
    }

    pub(super) fn apply_result_path(
        &self,
        result_path: Option<&Path>,
        raw_input: &Value,
        result: Value,
    ) -> Result<Value, StateError> {
        match result_path {
            None => Ok(raw_input.clone()),
            Some(path) => path.clone().write(raw_input.clone(), result).map_err(|_| {
                StateError::new(
                    "States.ResultPathMatchFailure",
                    format!(
                        "Unable to apply ResultPath \"{}\" to input \"{}\"",
                        path.text, raw_input
                    ),
                )
            }),
        }
    }
}

/// `OutputPath` (or `{}` for null) on a state's combined output.
pub(super) fn apply_output_path(state: &State, value: Value) -> Result<Value, StateError> {
    match &state.output_path {
        None => Ok(Value::Object(Map::new())),
        Some(path) if path.segments.is_empty() && !path.context => Ok(value),
        Some(path) => path
            .read(&value)
            .map_err(|_| StateError::runtime(no_results(path))),
    }
}

/// True for the states whose output is their (filtered) input: Choice, Wait, Succeed.
pub(super) fn passes_input(state: &State) -> bool {
    matches!(
        state.kind,
        Kind::Choice { .. } | Kind::Wait(_) | Kind::Succeed
    )
}
