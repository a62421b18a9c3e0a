//! Task tokens inside a design: the `sendTaskSuccess` and `sendTaskFailure` handler steps answer
//! a `.waitForTaskToken` task of any execution of the run. The token text names its execution
//! (`{execution}:token-{n}`), so the answer is routed from the token alone, as in AWS.
//!
//! It must never complete a task its execution does not hold open: AWS refuses such a token
//! (`InvalidToken` for one never issued, `TaskTimedOut` for one whose task already closed) and
//! so does this, as an error the step sees and its `onTokenRejected` handles.

use serde_json::{json, Value};

use super::engine::{Engine, Work};
use super::handler::Outcome;
use super::values::{key_text, resolve};
use crate::asl::{TaskOutcome, TaskToken, TokenRejected};
use crate::design::{OnTokenRejected, SendTaskFailureStep, SendTaskSuccessStep};

/// Why Step Functions refused a SendTask request, with AWS's error name and message.
struct Refusal {
    error: &'static str,
    message: String,
    /// A refused token (as opposed to a malformed request), which `onTokenRejected` handles.
    token: bool,
}

impl From<TokenRejected> for Refusal {
    fn from(rejected: TokenRejected) -> Refusal {
        Refusal {
            error: rejected.error(),
            message: rejected.message().to_string(),
            token: true,
        }
    }
}

/// One SendTask request, whichever of the two it is.
struct Answer {
    op: &'static str,
    token: String,
    outcome: TaskOutcome,
    /// The request as the trace shows it (the output as JSON, not as its text).
    request: Value,
    on_token_rejected: OnTokenRejected,
}

impl<'a> Engine<'a> {
    pub(super) fn send_task_success_step(
        &mut self,
        invocation_id: &str,
        label: &str,
        step: &SendTaskSuccessStep,
        context: &super::context::Context,
    ) -> Outcome {
        let token = key_text(&resolve(&step.task_token, context));
        let output = resolve(&step.output, context);
        let answer = Answer {
            op: "sendTaskSuccess",
            request: json!({"taskToken": token, "output": output}),
            token,
            outcome: TaskOutcome::Succeeded(output),
            on_token_rejected: step.on_token_rejected,
        };
        self.answer_task(invocation_id, label, answer)
    }

    pub(super) fn send_task_failure_step(
        &mut self,
        invocation_id: &str,
        label: &str,
        step: &SendTaskFailureStep,
        context: &super::context::Context,
    ) -> Outcome {
        let token = key_text(&resolve(&step.task_token, context));
        let error = key_text(&resolve(&step.error, context));
        let cause = key_text(&resolve(&step.cause, context));
        let mut request = json!({"taskToken": token, "error": error});
        if !step.cause.is_null() {
            request["cause"] = json!(cause);
        }
        let answer = Answer {
            op: "sendTaskFailure",
            token,
            outcome: TaskOutcome::Failed { error, cause },
            request,
            on_token_rejected: step.on_token_rejected,
        };
        self.answer_task(invocation_id, label, answer)
    }

    /// Delivers an answer to the execution its token names; the execution goes on at once.
    fn answer_task(&mut self, invocation_id: &str, label: &str, answer: Answer) -> Outcome {
        let now_ms = super::engine::VIRTUAL_EPOCH_MS + self.now_ms;
        let delivered = if answer.token.is_empty() {
            // The SDK sends what it is given; the service validates the length first.
            Err(Refusal {
                error: "ValidationException",
                message: "1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1".to_string(),
                token: false,
            })
        } else {
            self.deliver_answer(&answer.token, answer.outcome, now_ms)
        };
        match delivered {
            Ok(execution) => {
                let seq =
                    self.step_trace(invocation_id, label, answer.op, answer.request, json!({}));
                if let Some(state) = self.executions.get_mut(&execution) {
                    state.last_seq = seq;
                }
                self.schedule(self.now_ms, Work::AdvanceExecution { execution });
                Outcome::Continue
            }
            Err(refusal) => {
                let response =
                    json!({"error": {"type": refusal.error, "message": refusal.message}});
                self.step_trace(invocation_id, label, answer.op, answer.request, response);
                match answer.on_token_rejected {
                    OnTokenRejected::Skip if refusal.token => Outcome::Continue,
                    OnTokenRejected::Stop if refusal.token => Outcome::Stop,
                    _ => Outcome::Fail(format!("{}: {}", refusal.error, refusal.message)),
                }
            }
        }
    }

    /// Completes the task a token text names; returns the execution's name.
    fn deliver_answer(
        &mut self,
        text: &str,
        outcome: TaskOutcome,
        now_ms: u64,
    ) -> Result<String, Refusal> {
        let (name, token) = TaskToken::parse(text).ok_or(TokenRejected::InvalidToken)?;
        let state = self
            .executions
            .get_mut(name)
            .ok_or(TokenRejected::InvalidToken)?;
        state.execution.complete_task(token, outcome, now_ms)?;
        Ok(name.to_string())
    }
}
