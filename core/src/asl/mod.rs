//! Amazon States Language: parsing, validation and execution of state machine definitions.
//!
//! This module owns the ASL engine on its own; it must never call a task, read a clock, draw
//! OS randomness or loop until an execution ends. The simulator (and the `eventlab asl run`
//! command) drive it.
//!
//! # The engine
//!
//! **Resumable by design.** `Definition::parse` validates a definition (one `Diagnostic` per
//! problem, with AWS's code, location and, where known, wording) and keeps the original JSON
//! for export. `Execution::start` creates a pure state object; `advance(now_ms)` runs every
//! state it can at that virtual instant and returns `Action`s: `InvokeTask` (a Lambda, a
//! DynamoDB request, `events:putEvents`, a `.waitForTaskToken` callback: anything the outside
//! world completes later), `WakeAt` (a Wait, a retry interval, a timeout) and, once,
//! `Finished`. The caller reports results with `complete_task(token, outcome, now_ms)`; for a
//! `.waitForTaskToken` task it first calls `submit_task` once the request went out (AWS's
//! `TaskSubmitted`), and the answer comes later with the token. A token's text in `$$.Task.Token`
//! is `{execution name}:token-{n}`; a refused token says why as AWS does (`InvalidToken` for one
//! never issued, `TaskTimedOut` for one whose task closed). Parallel
//! branches and Map iterations are child runs inside the execution, so several tasks can be
//! outstanding at once, each with its own token; work is a queue, never recursion, so a chain of
//! 10,000 Pass states cannot overflow the stack.
//!
//! **What it models.** All eight state types; JSONPath input/output processing (`InputPath`,
//! `Parameters` with `.$` keys, `$$` context object and intrinsics, `ResultSelector`,
//! `ResultPath` including `null` and nested paths that create objects, `OutputPath`); every
//! Choice operator and `…Path` variant with AWS's type-mismatch-is-false rule and its
//! missing-variable-is-`States.Runtime` rule; Retry with the per-retrier backoff exponent and
//! per-error-name `MaxAttempts` (the documented A, B, C, B, B example), `MaxDelaySeconds`,
//! `JitterStrategy: FULL`; Catch; `States.ALL`/`States.TaskFailed`/`States.Timeout` matching,
//! with `States.Runtime` and `States.DataLimitExceeded` uncatchable; Task `TimeoutSeconds` and
//! `HeartbeatSeconds` (`record_heartbeat`); the execution `TimeoutSeconds`; the 25,000-event
//! history limit, which turns any runaway loop into a failed execution; AWS-style history
//! events with virtual timestamps.
//!
//! **Standard vs Express.** A Standard execution makes each state transition exactly once.
//! An Express execution is at-least-once: `ExecutionOptions::express_restart_after` (or
//! `Execution::restart_express`, which the simulator calls from its fault plan) makes the
//! execution lose its state after a task succeeded and start again from `StartAt` with the
//! original input, so the history shows `ExecutionRestarted` and the tasks before it running
//! twice. Standard executions ignore both. Express executions also stop after five minutes.
//!
//! **Determinism.** Time is virtual milliseconds since the Unix epoch, passed in. The only
//! randomness is splitmix64 keyed by `ExecutionOptions::seed`: full jitter is keyed by (seed,
//! state path, retry number); `States.UUID` and `States.MathRandom` draw from a stream keyed
//! by (seed, execution name). Retry delays are computed in f64 by repeated multiplication and
//! rounded to whole milliseconds, which is identical natively and in wasm.
//!
//! **What it simplifies, and why.** JSONPath mode only (JSONata is refused with a diagnostic);
//! inline Map only (no ItemReader, no distributed mode); all task resources produce
//! `TaskScheduled`/`TaskStarted`/`TaskSucceeded` events (AWS uses `LambdaFunction…` names for
//! bare Lambda ARNs); a branch or iteration failure propagates its own error name (what AWS
//! reports), and the 256 KB payload limit is not enforced. JSONPath filters support one
//! comparison; `States.Hash` is not offered. Account and region in `$$` ARNs are fixed
//! (`us-east-1`, `123456789012`): the playground has one of each.

mod base64;
mod branches;
pub mod choice;
mod definition;
mod execution;
mod flow;
mod history;
pub mod intrinsic;
mod io;
pub mod mock;
mod parse;
mod parse_states;
pub mod path;
mod random;
mod retry;
mod tasks;
mod template;
pub mod timestamp;

use serde::Serialize;

pub use definition::{Definition, MAX_DEPTH};
pub use execution::{
    Action, Execution, ExecutionKind, ExecutionOptions, ExecutionResult, ExecutionStatus,
    TaskInvocation, TaskOutcome, TaskToken, TokenRejected,
};
pub use history::HistoryEvent;
pub use retry::{Catcher, Retrier};

/// One reason a definition is rejected: AWS's diagnostic code, the JSON location (such as
/// `/States/Resize/Next`) and the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub location: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: &str, location: &str, message: &str) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            location: location.into(),
            message: message.into(),
        }
    }

    pub(crate) fn schema(location: &str, message: &str) -> Diagnostic {
        Diagnostic::new("SCHEMA_VALIDATION_FAILED", location, message)
    }

    pub(crate) fn unsupported_field(location: &str, field: &str) -> Diagnostic {
        let location = if location.is_empty() {
            String::new()
        } else {
            location.to_string()
        };
        Diagnostic::schema(
            &format!("{location}/{field}"),
            &format!("The field \"{field}\" is not supported by Step Functions"),
        )
    }
}

impl std::fmt::Display for Diagnostic {
    /// AWS's flat form, as in `Invalid State Machine Definition: '…'`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} at {}", self.code, self.message, self.location)
    }
}

/// A state's failure: the error name and its cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    pub error: String,
    pub cause: String,
    /// Runtime causes get AWS's "An error occurred while executing the state …" prefix once the
    /// state is known.
    pub(crate) needs_location: bool,
}

impl StateError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> StateError {
        StateError {
            error: error.into(),
            cause: cause.into(),
            needs_location: false,
        }
    }

    pub(crate) fn runtime(cause: impl Into<String>) -> StateError {
        StateError {
            error: "States.Runtime".into(),
            cause: cause.into(),
            needs_location: true,
        }
    }
}
