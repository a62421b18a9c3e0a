//! The work loop of an execution: entering states, doing each type's work, leaving them, and
//! ending runs; one `Work` item at a time from a queue, so no state chain recurses.
//!
//! It must never block on a task: a Task state schedules an invocation and parks its run.

use std::sync::Arc;

use serde_json::{json, Value};

use super::definition::{Kind, Reason, State};
use super::execution::*;
use super::history::{type_prefix, HistoryEvent};
use super::io::{apply_output_path, no_results, passes_input};
use super::retry;
use super::StateError;

impl Execution {
    pub(super) fn state_of(
        &self,
        run: RunId,
        index: usize,
    ) -> Option<(Arc<super::Definition>, usize, usize)> {
        let machine = self.runs.get(run)?.machine;
        self.definition.machines.get(machine)?.states.get(index)?;
        Some((Arc::clone(&self.definition), machine, index))
    }

    /// Processes queued work until none is left, the execution ends, or a bound is hit.
    pub(super) fn process(&mut self) {
        let limit = self.options.max_history_events as usize;
        let mut budget = limit.saturating_mul(8).max(1024);
        while let Some(work) = self.work.pop_front() {
            if self.result.is_some() {
                self.work.clear();
                return;
            }
            if self.history.len() >= limit || budget == 0 {
                let cause = format!(
                    "The execution reached the maximum number of history events ({limit})."
                );
                self.finish(
                    ExecutionStatus::Failed,
                    None,
                    Some(("States.Runtime".into(), cause)),
                );
                self.work.clear();
                return;
            }
            budget -= 1;
            if matches!(
                self.runs.get(work.run()).map(|r| &r.phase),
                Some(Phase::Closed) | None
            ) {
                continue;
            }
            match work {
                Work::Enter { run, state, input } => self.enter(run, state, input),
                Work::Attempt { run } => self.attempt(run),
                Work::Result { run, result } => self.state_result(run, result),
                Work::Error { run, error } => self.state_error(run, error),
                Work::Exit { run, output, next } => self.exit(run, output, next),
                Work::RunDone { run, outcome } => self.run_done(run, outcome),
            }
        }
    }

    pub(super) fn fire(&mut self, due: Due, serial: u64) {
        match due {
            Due::ExecutionTimeout => {
                let cause = "The execution ran longer than its TimeoutSeconds.".to_string();
                self.finish(
                    ExecutionStatus::TimedOut,
                    None,
                    Some(("States.Timeout".into(), cause)),
                );
            }
            Due::Resume { run } => {
                if let Phase::Timer { timer, .. } = &self.runs[run].phase {
                    if *timer == serial {
                        self.resume(run);
                    }
                }
            }
            Due::TaskTimeout { run, token } => {
                self.task_timed_out(run, token, "States.Timeout", None)
            }
            Due::Heartbeat { run, token } => {
                self.task_timed_out(run, token, "States.HeartbeatTimeout", Some(serial))
            }
        }
    }

    /// Takes the visit out of an `Active` run, leaving any other phase untouched.
    pub(super) fn take_active(&mut self, run: RunId) -> Option<Visit> {
        match std::mem::replace(&mut self.runs[run].phase, Phase::Idle) {
            Phase::Active(visit) => Some(visit),
            other => {
                self.runs[run].phase = other;
                None
            }
        }
    }

    pub(super) fn take_timer(&mut self, run: RunId) -> Option<Visit> {
        match std::mem::replace(&mut self.runs[run].phase, Phase::Idle) {
            Phase::Timer { visit, .. } => Some(visit),
            other => {
                self.runs[run].phase = other;
                None
            }
        }
    }

    pub(super) fn take_task(&mut self, run: RunId) -> Option<Visit> {
        match std::mem::replace(&mut self.runs[run].phase, Phase::Idle) {
            Phase::Task { visit, .. } => Some(visit),
            other => {
                self.runs[run].phase = other;
                None
            }
        }
    }

    pub(super) fn take_children(&mut self, run: RunId) -> Option<(Visit, Children)> {
        match std::mem::replace(&mut self.runs[run].phase, Phase::Idle) {
            Phase::Children { visit, children } => Some((visit, children)),
            other => {
                self.runs[run].phase = other;
                None
            }
        }
    }

    fn enter(&mut self, run: RunId, index: usize, input: Value) {
        let Some((definition, machine, index)) = self.state_of(run, index) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let path = self.state_path(run, state);
        let event = HistoryEvent::new(
            format!("{}StateEntered", type_prefix(&state.kind)),
            self.now_ms,
        )
        .at_state(&state.name, &path)
        .with_input(&input);
        let entered_event = self.record(event);
        let book = RetryBook {
            visits: vec![0; state.retry.len()],
            per_error: vec![Default::default(); state.retry.len()],
            retries: 0,
        };
        let visit = Visit {
            state: index,
            raw_input: input,
            entered_ms: self.now_ms,
            entered_event,
            book,
            attempt: 0,
        };
        self.runs[run].phase = Phase::Active(visit);
        self.work.push_back(Work::Attempt { run });
    }

    fn attempt(&mut self, run: RunId) {
        let Some(mut visit) = self.take_active(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        visit.attempt += 1;
        let outcome = match &state.kind {
            Kind::Pass { result } => {
                self.effective_input(run, state, &visit, None, true)
                    .map(|input| {
                        Some(Work::Result {
                            run,
                            result: result.clone().unwrap_or(input),
                        })
                    })
            }
            Kind::Task(_) => return self.schedule_task(run, state, visit),
            Kind::Choice {
                choices, default, ..
            } => self.choose(run, state, &visit, choices, *default),
            Kind::Wait(wait) => return self.start_wait(run, state, visit, wait),
            Kind::Succeed => self
                .after_input_path(run, state, &visit)
                .and_then(|v| apply_output_path(state, v))
                .map(|output| {
                    Some(Work::Exit {
                        run,
                        output,
                        next: None,
                    })
                }),
            Kind::Fail { error, cause } => {
                let failure = self.fail_reason(run, state, &visit, error, cause);
                Ok(Some(Work::RunDone {
                    run,
                    outcome: Err(failure),
                }))
            }
            Kind::Parallel { branches } => return self.start_parallel(run, state, visit, branches),
            Kind::Map(map) => return self.start_map(run, state, visit, map),
        };
        self.runs[run].phase = Phase::Active(visit);
        match outcome {
            Ok(Some(work)) => self.work.push_back(work),
            Ok(None) => {}
            Err(error) => self.work.push_back(Work::Error { run, error }),
        }
    }

    fn choose(
        &mut self,
        run: RunId,
        state: &State,
        visit: &Visit,
        choices: &[super::definition::Choice],
        default: Option<usize>,
    ) -> Result<Option<Work>, StateError> {
        let input = self.after_input_path(run, state, visit)?;
        let context = self.context(run, state, visit, None);
        let mut next = None;
        for choice in choices {
            let matched = choice.rule.evaluate(&input, &context).map_err(|missing| {
                StateError::runtime(format!("Invalid path '{}': The choice state's condition path references an invalid value.", missing.0))
            })?;
            if matched {
                next = Some(choice.next);
                break;
            }
        }
        let Some(next) = next.or(default) else {
            return Err(StateError::new(
                "States.NoChoiceMatched",
                format!("No Matches! at state '{}'", state.name),
            ));
        };
        let output = apply_output_path(state, input)?;
        Ok(Some(Work::Exit {
            run,
            output,
            next: Some(next),
        }))
    }

    fn fail_reason(
        &mut self,
        run: RunId,
        state: &State,
        visit: &Visit,
        error: &Reason,
        cause: &Reason,
    ) -> StateError {
        let read = |reason: &Reason| -> Result<String, StateError> {
            Ok(match reason {
                Reason::None => String::new(),
                Reason::Literal(text) => text.clone(),
                Reason::Path(path) => {
                    let root = if path.context {
                        self.context(run, state, visit, None)
                    } else {
                        visit.raw_input.clone()
                    };
                    match path
                        .read(&root)
                        .map_err(|_| StateError::runtime(no_results(path)))?
                    {
                        Value::String(text) => text,
                        other => other.to_string(),
                    }
                }
            })
        };
        match (read(error), read(cause)) {
            (Ok(error), Ok(cause)) => StateError::new(error, cause),
            (Err(failure), _) | (_, Err(failure)) => failure,
        }
    }

    fn state_result(&mut self, run: RunId, result: Value) {
        let Some(visit) = self.take_active(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let output = if passes_input(state) {
            apply_output_path(state, result)
        } else {
            self.state_output(run, state, &visit, result)
        };
        self.runs[run].phase = Phase::Active(visit);
        match output {
            Ok(output) => self.work.push_back(Work::Exit {
                run,
                output,
                next: state.next,
            }),
            Err(error) => self.work.push_back(Work::Error { run, error }),
        }
    }

    fn exit(&mut self, run: RunId, output: Value, next: Option<usize>) {
        let Some(visit) = self.take_active(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let path = self.state_path(run, state);
        self.record(
            HistoryEvent::new(
                format!("{}StateExited", type_prefix(&state.kind)),
                self.now_ms,
            )
            .at_state(&state.name, &path)
            .with_output(&output),
        );
        match next {
            Some(next) => self.work.push_back(Work::Enter {
                run,
                state: next,
                input: output,
            }),
            None => self.work.push_back(Work::RunDone {
                run,
                outcome: Ok(output),
            }),
        }
    }

    /// A state failed: retry it, catch the error, or end the run with it.
    fn state_error(&mut self, run: RunId, mut error: StateError) {
        let Some(mut visit) = self.take_active(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        if error.needs_location {
            error.cause = format!("An error occurred while executing the state '{}' (entered at the event id #{}). {}", state.name, visit.entered_event, error.cause);
            error.needs_location = false;
        }
        if let Some(position) = state
            .retry
            .iter()
            .position(|r| retry::matches(&r.error_equals, &error.error))
        {
            let retrier = &state.retry[position];
            let used = visit.book.per_error[position]
                .get(&error.error)
                .copied()
                .unwrap_or(0);
            if used < retrier.max_attempts {
                let path = self.state_path(run, state);
                let delay_ms = retrier.delay_ms(
                    visit.book.visits[position],
                    self.options.seed,
                    &path,
                    visit.book.retries + 1,
                );
                visit.book.visits[position] += 1;
                *visit.book.per_error[position]
                    .entry(error.error.clone())
                    .or_insert(0) += 1;
                visit.book.retries += 1;
                let timer =
                    self.add_timer(self.now_ms.saturating_add(delay_ms), Due::Resume { run });
                self.runs[run].phase = Phase::Timer { visit, timer };
                return;
            }
        }
        if let Some(catcher) = state
            .catch
            .iter()
            .find(|c| retry::matches(&c.error_equals, &error.error))
        {
            let error_output = json!({ "Error": error.error, "Cause": error.cause });
            match self.apply_result_path(
                catcher.result_path.as_ref(),
                &visit.raw_input,
                error_output,
            ) {
                Ok(output) => self.work.push_back(Work::Enter {
                    run,
                    state: catcher.next,
                    input: output,
                }),
                Err(failure) => self.work.push_back(Work::RunDone {
                    run,
                    outcome: Err(failure),
                }),
            }
            return;
        }
        self.work.push_back(Work::RunDone {
            run,
            outcome: Err(error),
        });
    }

    fn run_done(&mut self, run: RunId, outcome: Result<Value, StateError>) {
        self.runs[run].phase = Phase::Closed;
        match self.runs[run].parent {
            Some((parent, slot)) => self.child_done(parent, slot, outcome),
            None => match outcome {
                Ok(output) => self.finish(ExecutionStatus::Succeeded, Some(output), None),
                Err(error) => self.finish(
                    ExecutionStatus::Failed,
                    None,
                    Some((error.error, error.cause)),
                ),
            },
        }
    }

    pub(super) fn finish(
        &mut self,
        status: ExecutionStatus,
        output: Option<Value>,
        failure: Option<(String, String)>,
    ) {
        if self.result.is_some() {
            return;
        }
        let kind = match status {
            ExecutionStatus::Succeeded => "ExecutionSucceeded",
            ExecutionStatus::TimedOut => "ExecutionTimedOut",
            _ => "ExecutionFailed",
        };
        let mut event = HistoryEvent::new(kind, self.now_ms);
        if let Some(output) = &output {
            event = event.with_output(output);
        }
        if let Some((error, cause)) = &failure {
            event = event.with_error(error, cause);
        }
        self.record(event);
        let (error, cause) = failure.map_or((None, None), |(e, c)| (Some(e), Some(c)));
        self.result = Some(ExecutionResult {
            status,
            output,
            error,
            cause,
        });
        self.tasks.clear();
        self.timers.clear();
    }
}
