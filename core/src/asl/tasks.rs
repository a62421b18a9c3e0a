//! Task and Wait states inside the work loop: scheduling an invocation and parking the run,
//! completing it (success, failure, timeout, heartbeat), and timers that resume a run.
//!
//! It must never block on a task or a timer: both park the run and return.

use super::definition::{Kind, Seconds, State, WaitFor};
use super::execution::*;
use super::history::HistoryEvent;
use super::io::{apply_output_path, no_results};
use super::StateError;
use serde_json::Value;

impl Execution {
    pub(super) fn task_timed_out(
        &mut self,
        run: RunId,
        token: u64,
        error: &str,
        heartbeat_serial: Option<u64>,
    ) {
        let current = match &self.runs[run].phase {
            Phase::Task {
                token: t,
                heartbeat_timer,
                ..
            } => *t == token && heartbeat_serial.is_none_or(|s| s == *heartbeat_timer),
            _ => false,
        };
        if current {
            self.tasks.remove(&token);
            self.task_completed(
                run,
                TaskOutcome::Failed {
                    error: error.to_string(),
                    cause: String::new(),
                },
            );
        }
    }

    /// Records `TaskSubmitted` for the task `run` waits on.
    pub(super) fn task_submitted(&mut self, run: RunId, response: &Value) {
        let Phase::Task { visit, .. } = &self.runs[run].phase else {
            return;
        };
        let attempt = visit.attempt;
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let path = self.state_path(run, state);
        let mut event = HistoryEvent::new("TaskSubmitted", self.now_ms)
            .at_state(&state.name, &path)
            .with_output(response);
        if let Kind::Task(task) = &state.kind {
            event.resource = Some(task.resource.clone());
        }
        event.attempt = Some(attempt);
        self.record(event);
    }

    /// A Wait finished or a retry interval passed.
    pub(super) fn resume(&mut self, run: RunId) {
        let Some(visit) = self.take_timer(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        if let Kind::Wait(_) = state.kind {
            let result = self
                .after_input_path(run, state, &visit)
                .and_then(|v| apply_output_path(state, v));
            self.runs[run].phase = Phase::Active(visit);
            match result {
                Ok(output) => self.work.push_back(Work::Exit {
                    run,
                    output,
                    next: state.next,
                }),
                Err(error) => self.work.push_back(Work::Error { run, error }),
            }
        } else {
            self.runs[run].phase = Phase::Active(visit);
            self.work.push_back(Work::Attempt { run });
        }
    }

    pub(super) fn task_completed(&mut self, run: RunId, outcome: TaskOutcome) {
        let Some(visit) = self.take_task(run) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(run, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let path = self.state_path(run, state);
        let mut event = HistoryEvent::new("", self.now_ms).at_state(&state.name, &path);
        event.attempt = Some(visit.attempt);
        if let Kind::Task(task) = &state.kind {
            event.resource = Some(task.resource.clone());
        }
        match outcome {
            TaskOutcome::Succeeded(result) => {
                event.kind = "TaskSucceeded".into();
                self.record(event.with_output(&result));
                self.runs[run].phase = Phase::Active(visit);
                if self.should_restart(state) {
                    self.restart_express(self.now_ms);
                    return;
                }
                self.work.push_back(Work::Result { run, result });
            }
            TaskOutcome::Failed { error, cause } => {
                let timed_out = error == "States.Timeout" || error == "States.HeartbeatTimeout";
                event.kind = if timed_out {
                    "TaskTimedOut"
                } else {
                    "TaskFailed"
                }
                .into();
                self.record(event.with_error(&error, &cause));
                self.runs[run].phase = Phase::Active(visit);
                self.work.push_back(Work::Error {
                    run,
                    error: StateError::new(error, cause),
                });
            }
        }
    }

    pub(super) fn should_restart(&mut self, state: &State) -> bool {
        let wanted = self.options.kind == ExecutionKind::Express
            && self.options.express_restart_after.contains(&state.name)
            && !self.restarts_done.contains(&state.name);
        if wanted {
            self.restarts_done.push(state.name.clone());
        }
        wanted
    }

    pub(super) fn schedule_task(&mut self, run: RunId, state: &State, visit: Visit) {
        let Kind::Task(task) = &state.kind else {
            return;
        };
        self.serial += 1;
        let token = self.serial;
        let parameters = match self.effective_input(run, state, &visit, Some(token), true) {
            Ok(parameters) => parameters,
            Err(error) => {
                self.runs[run].phase = Phase::Active(visit);
                self.work.push_back(Work::Error { run, error });
                return;
            }
        };
        let seconds = |s: &Seconds| -> Option<u64> {
            match s {
                Seconds::None => None,
                Seconds::Fixed(n) => Some(*n),
                Seconds::Path(path) => path.read(&visit.raw_input).ok().and_then(|v| v.as_u64()),
            }
        };
        let timeout_ms = seconds(&task.timeout).map(|s| s.saturating_mul(1000));
        let heartbeat_ms = seconds(&task.heartbeat).map(|s| s.saturating_mul(1000));
        let path = self.state_path(run, state);
        let mut scheduled =
            HistoryEvent::new("TaskScheduled", self.now_ms).at_state(&state.name, &path);
        scheduled.resource = Some(task.resource.clone());
        scheduled.parameters = Some(parameters.clone());
        scheduled.attempt = Some(visit.attempt);
        self.record(scheduled);
        let mut started =
            HistoryEvent::new("TaskStarted", self.now_ms).at_state(&state.name, &path);
        started.attempt = Some(visit.attempt);
        self.record(started);
        if let Some(ms) = timeout_ms {
            self.add_timer(
                self.now_ms.saturating_add(ms),
                Due::TaskTimeout { run, token },
            );
        }
        let heartbeat_timer = heartbeat_ms.map_or(0, |ms| {
            self.add_timer(
                self.now_ms.saturating_add(ms),
                Due::Heartbeat { run, token },
            )
        });
        self.outbox.push(TaskInvocation {
            token: TaskToken(token),
            state: path,
            state_name: state.name.clone(),
            resource: task.resource.clone(),
            parameters,
            attempt: visit.attempt,
            timeout_ms,
            heartbeat_ms,
        });
        self.tasks.insert(token, run);
        self.issued.insert(token);
        self.runs[run].phase = Phase::Task {
            visit,
            token,
            heartbeat_ms,
            heartbeat_timer,
        };
    }

    pub(super) fn start_wait(&mut self, run: RunId, state: &State, visit: Visit, wait: &WaitFor) {
        let input = self.after_input_path(run, state, &visit);
        let until = input.and_then(|input| {
            let seconds_at = |s: u64| self.now_ms.saturating_add(s.saturating_mul(1000));
            match wait {
                WaitFor::Seconds(s) => Ok(seconds_at(*s)),
                WaitFor::Timestamp(instant) => Ok(instant.epoch_ms()),
                WaitFor::SecondsPath(path) => match path.read(&input) {
                    Ok(value) => value.as_u64().map(seconds_at).ok_or_else(|| StateError::runtime(format!("The SecondsPath parameter does not reference a valid integer: {}", path.text))),
                    Err(_) => Err(StateError::runtime(no_results(path))),
                },
                WaitFor::TimestampPath(path) => match path.read(&input) {
                    Ok(value) => value.as_str().and_then(super::timestamp::parse).map(|i| i.epoch_ms()).ok_or_else(|| StateError::runtime(format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {}", path.text))),
                    Err(_) => Err(StateError::runtime(no_results(path))),
                },
            }
        });
        match until {
            Ok(at_ms) => {
                let timer = self.add_timer(at_ms.max(self.now_ms), Due::Resume { run });
                self.runs[run].phase = Phase::Timer { visit, timer };
            }
            Err(error) => {
                self.runs[run].phase = Phase::Active(visit);
                self.work.push_back(Work::Error { run, error });
            }
        }
    }
}
