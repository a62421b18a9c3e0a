//! A running execution as a pure, resumable state object: `advance` returns what the outside
//! world must do (invoke a task, wake at a time, note the end), `complete_task` feeds results
//! back, and nothing here ever calls a task or loops waiting for one.
//!
//! It must never read a clock or OS randomness, never let a hash map's order decide anything,
//! and never run unbounded: the history limit turns a runaway loop into a failed execution.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use super::definition::{Definition, MachineId};
use super::history::HistoryEvent;
use super::random::Generator;
use super::StateError;

/// Standard (exactly-once state transitions) or Express (at-least-once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExecutionKind {
    Standard,
    Express,
}

/// How an execution runs. Options rather than flags, so the simulator can add knobs.
#[derive(Debug, Clone)]
pub struct ExecutionOptions {
    pub kind: ExecutionKind,
    /// The execution name (`$$.Execution.Name`); also keys `States.UUID`.
    pub name: String,
    /// The state machine name used in the `$$` ARNs.
    pub state_machine_name: String,
    /// Seeds jitter, `States.UUID` and `States.MathRandom`.
    pub seed: u64,
    /// The execution fails once its history reaches this many events (AWS: 25,000).
    pub max_history_events: u32,
    /// Express only: task state names whose first success is followed by a restart of the
    /// whole execution from `StartAt` with the original input, as when Express loses its
    /// state. Standard executions ignore it (their transitions are exactly-once).
    pub express_restart_after: Vec<String>,
}

impl Default for ExecutionOptions {
    fn default() -> ExecutionOptions {
        ExecutionOptions {
            kind: ExecutionKind::Standard,
            name: "execution".into(),
            state_machine_name: "StateMachine".into(),
            seed: 0,
            max_history_events: 25_000,
            express_restart_after: Vec::new(),
        }
    }
}

/// Identifies one outstanding task invocation across branches and iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TaskToken(pub u64);

/// A task the caller must perform, then report with `complete_task`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskInvocation {
    pub token: TaskToken,
    /// The state path, `Process[0]/Thumbnail` inside a branch or iteration.
    pub state: String,
    /// The state's own name, `Thumbnail`.
    pub state_name: String,
    pub resource: String,
    pub parameters: Value,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    pub timeout_ms: Option<u64>,
    pub heartbeat_ms: Option<u64>,
}

/// What the caller should do next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Action {
    InvokeTask(TaskInvocation),
    /// Call `advance` again at this virtual time (a Wait, a retry interval, a timeout).
    WakeAt {
        at_ms: u64,
    },
    /// The execution ended; reported once.
    Finished(ExecutionResult),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExecutionStatus {
    #[serde(rename = "RUNNING")]
    Running,
    #[serde(rename = "SUCCEEDED")]
    Succeeded,
    #[serde(rename = "FAILED")]
    Failed,
    #[serde(rename = "TIMED_OUT")]
    TimedOut,
}

impl ExecutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionResult {
    pub status: ExecutionStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// How a task ended, as reported by the caller.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    Succeeded(Value),
    Failed { error: String, cause: String },
}

/// Why `complete_task`, `submit_task` or `record_heartbeat` refused a token, as the
/// `SendTaskSuccess`/`SendTaskFailure`/`SendTaskHeartbeat` caller sees it. A refused token
/// changes nothing in the execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejected {
    /// The execution never issued this token.
    InvalidToken,
    /// The token was issued, but its task has closed: it succeeded, failed, timed out, was
    /// cancelled with its branch, or the execution ended. A second `SendTaskSuccess` for the
    /// same task gets this too.
    TaskTimedOut,
}

impl TokenRejected {
    /// AWS's error name (the SDK's exception name).
    pub fn error(self) -> &'static str {
        match self {
            TokenRejected::InvalidToken => "InvalidToken",
            TokenRejected::TaskTimedOut => "TaskTimedOut",
        }
    }

    /// AWS's message, word for word.
    pub fn message(self) -> &'static str {
        match self {
            TokenRejected::InvalidToken => "Invalid Token: 'Invalid token'",
            TokenRejected::TaskTimedOut => "Task Timed Out: 'Provided task does not exist anymore'",
        }
    }
}

pub(super) type RunId = usize;

/// One thread of control: the top level, a Parallel branch or a Map iteration.
pub(super) struct Run {
    pub machine: MachineId,
    pub parent: Option<(RunId, usize)>,
    /// Prefix of state paths in this run: `` or `Process[0]/`.
    pub label: String,
    pub item: Option<(u32, Value)>,
    pub phase: Phase,
}

/// The retry bookkeeping of one state visit: per retrier, total visits (the backoff
/// exponent) and retries per error name (what `MaxAttempts` limits).
#[derive(Debug, Clone, Default)]
pub(super) struct RetryBook {
    pub visits: Vec<u32>,
    pub per_error: Vec<BTreeMap<String, u32>>,
    pub retries: u32,
}

/// One visit of a state, from entering to leaving.
pub(super) struct Visit {
    pub state: usize,
    pub raw_input: Value,
    pub entered_ms: u64,
    pub entered_event: u32,
    pub book: RetryBook,
    pub attempt: u32,
}

pub(super) struct Children {
    pub runs: Vec<Option<RunId>>,
    pub results: Vec<Option<Value>>,
    pub inputs: Vec<Value>,
    pub started: usize,
    pub map: bool,
}

pub(super) enum Phase {
    Idle,
    Active(Visit),
    Task {
        visit: Visit,
        token: u64,
        heartbeat_ms: Option<u64>,
        heartbeat_timer: u64,
    },
    Timer {
        visit: Visit,
        timer: u64,
    },
    Children {
        visit: Visit,
        children: Children,
    },
    Closed,
}

/// A unit of work; the queue of these replaces recursion so long chains cannot overflow.
pub(super) enum Work {
    Enter {
        run: RunId,
        state: usize,
        input: Value,
    },
    Attempt {
        run: RunId,
    },
    Result {
        run: RunId,
        result: Value,
    },
    Error {
        run: RunId,
        error: StateError,
    },
    Exit {
        run: RunId,
        output: Value,
        next: Option<usize>,
    },
    RunDone {
        run: RunId,
        outcome: Result<Value, StateError>,
    },
}

impl Work {
    pub(super) fn run(&self) -> RunId {
        match self {
            Work::Enter { run, .. }
            | Work::Attempt { run }
            | Work::Result { run, .. }
            | Work::Error { run, .. }
            | Work::Exit { run, .. }
            | Work::RunDone { run, .. } => *run,
        }
    }
}

/// What a timer does when it fires.
#[derive(Debug, Clone, Copy)]
pub(super) enum Due {
    Resume { run: RunId },
    TaskTimeout { run: RunId, token: u64 },
    Heartbeat { run: RunId, token: u64 },
    ExecutionTimeout,
}

pub struct Execution {
    pub(super) definition: Arc<Definition>,
    pub(super) options: ExecutionOptions,
    pub(super) input: Value,
    pub(super) start_ms: u64,
    pub(super) now_ms: u64,
    pub(super) runs: Vec<Run>,
    pub(super) work: VecDeque<Work>,
    pub(super) history: Vec<HistoryEvent>,
    pub(super) outbox: Vec<TaskInvocation>,
    pub(super) tasks: BTreeMap<u64, RunId>,
    /// Every task token ever issued, so a closed task's token is told from one never issued.
    pub(super) issued: BTreeSet<u64>,
    pub(super) timers: BTreeMap<(u64, u64), Due>,
    pub(super) serial: u64,
    pub(super) generator: Generator,
    pub(super) result: Option<ExecutionResult>,
    pub(super) result_reported: bool,
    pub(super) restarts_done: Vec<String>,
}

/// Express executions run at most five minutes.
const EXPRESS_LIMIT_SECONDS: u64 = 300;

impl Execution {
    /// Starts an execution at `now_ms`; nothing runs until the first `advance`.
    pub fn start(
        definition: Arc<Definition>,
        input: Value,
        options: ExecutionOptions,
        now_ms: u64,
    ) -> Execution {
        let generator = Generator::new(options.seed, &options.name);
        let mut execution = Execution {
            definition,
            options,
            input: input.clone(),
            start_ms: now_ms,
            now_ms,
            runs: Vec::new(),
            work: VecDeque::new(),
            history: Vec::new(),
            outbox: Vec::new(),
            tasks: BTreeMap::new(),
            issued: BTreeSet::new(),
            timers: BTreeMap::new(),
            serial: 0,
            generator,
            result: None,
            result_reported: false,
            restarts_done: Vec::new(),
        };
        execution.record(HistoryEvent::new("ExecutionStarted", now_ms).with_input(&input));
        let mut limit = execution.definition.timeout_seconds;
        if execution.options.kind == ExecutionKind::Express {
            limit = Some(limit.map_or(EXPRESS_LIMIT_SECONDS, |s| s.min(EXPRESS_LIMIT_SECONDS)));
        }
        if let Some(seconds) = limit {
            execution.add_timer(
                now_ms.saturating_add(seconds.saturating_mul(1000)),
                Due::ExecutionTimeout,
            );
        }
        execution.begin_root();
        execution
    }

    pub(super) fn begin_root(&mut self) {
        let run = self.spawn(0, None, String::new(), None);
        let start = self.definition.machines.first().map_or(0, |m| m.start);
        self.work.push_back(Work::Enter {
            run,
            state: start,
            input: self.input.clone(),
        });
    }

    pub(super) fn spawn(
        &mut self,
        machine: MachineId,
        parent: Option<(RunId, usize)>,
        label: String,
        item: Option<(u32, Value)>,
    ) -> RunId {
        self.runs.push(Run {
            machine,
            parent,
            label,
            item,
            phase: Phase::Idle,
        });
        self.runs.len() - 1
    }

    pub(super) fn add_timer(&mut self, at_ms: u64, due: Due) -> u64 {
        self.serial += 1;
        self.timers.insert((at_ms, self.serial), due);
        self.serial
    }

    pub(super) fn record(&mut self, mut event: HistoryEvent) -> u32 {
        let id = u32::try_from(self.history.len() + 1).unwrap_or(u32::MAX);
        event.id = id;
        self.history.push(event);
        id
    }

    /// Runs everything due up to `now_ms` and returns what the caller must do next.
    pub fn advance(&mut self, now_ms: u64) -> Vec<Action> {
        self.process();
        while self.result.is_none() {
            let Some((&(at_ms, serial), &due)) = self.timers.iter().next() else {
                break;
            };
            if at_ms > now_ms {
                break;
            }
            self.timers.remove(&(at_ms, serial));
            self.now_ms = self.now_ms.max(at_ms);
            self.fire(due, serial);
            self.process();
        }
        self.now_ms = self.now_ms.max(now_ms);
        let mut actions: Vec<Action> = self.outbox.drain(..).map(Action::InvokeTask).collect();
        match &self.result {
            Some(result) if !self.result_reported => {
                self.result_reported = true;
                actions.push(Action::Finished(result.clone()));
            }
            Some(_) => {}
            None => {
                if let Some(&(at_ms, _)) = self.timers.keys().next() {
                    actions.push(Action::WakeAt { at_ms });
                }
            }
        }
        actions
    }

    /// Reports how a task ended. The effects show in the history at once; call `advance` to
    /// collect the actions they cause.
    pub fn complete_task(
        &mut self,
        token: TaskToken,
        outcome: TaskOutcome,
        now_ms: u64,
    ) -> Result<(), TokenRejected> {
        let run = self.outstanding(token)?;
        self.tasks.remove(&token.0);
        self.now_ms = self.now_ms.max(now_ms);
        self.task_completed(run, outcome);
        self.process();
        Ok(())
    }

    /// Notes that a callback task's request went out (`.waitForTaskToken`: the message was
    /// sent, the function invoked, the event put): the history gets AWS's `TaskSubmitted`
    /// with the service's response, and the task keeps waiting for its token.
    pub fn submit_task(
        &mut self,
        token: TaskToken,
        response: &Value,
        now_ms: u64,
    ) -> Result<(), TokenRejected> {
        let run = self.outstanding(token)?;
        self.now_ms = self.now_ms.max(now_ms);
        self.task_submitted(run, response);
        Ok(())
    }

    /// The run waiting on `token`, or why the token is refused.
    fn outstanding(&self, token: TaskToken) -> Result<RunId, TokenRejected> {
        match self.tasks.get(&token.0) {
            Some(run) => Ok(*run),
            None if self.issued.contains(&token.0) => Err(TokenRejected::TaskTimedOut),
            None => Err(TokenRejected::InvalidToken),
        }
    }

    /// A `SendTaskHeartbeat`: pushes the task's heartbeat deadline forward.
    pub fn record_heartbeat(&mut self, token: TaskToken, now_ms: u64) -> Result<(), TokenRejected> {
        let run = self.outstanding(token)?;
        self.now_ms = self.now_ms.max(now_ms);
        let at_ms = self.now_ms;
        let next = match &self.runs[run].phase {
            Phase::Task {
                heartbeat_ms: Some(ms),
                ..
            } => at_ms.saturating_add(*ms),
            _ => return Ok(()),
        };
        let timer = self.add_timer(
            next,
            Due::Heartbeat {
                run,
                token: token.0,
            },
        );
        if let Phase::Task {
            heartbeat_timer, ..
        } = &mut self.runs[run].phase
        {
            *heartbeat_timer = timer;
        }
        Ok(())
    }

    /// Express only: loses the execution's state and starts it again from `StartAt` with the
    /// original input, as AWS may for an at-least-once Express workflow. Returns false (and
    /// does nothing) for Standard executions or ended ones.
    pub fn restart_express(&mut self, now_ms: u64) -> bool {
        if self.options.kind != ExecutionKind::Express || self.result.is_some() {
            return false;
        }
        self.now_ms = self.now_ms.max(now_ms);
        self.record(
            HistoryEvent::new("ExecutionRestarted", self.now_ms).with_input(&self.input.clone()),
        );
        for run in &mut self.runs {
            run.phase = Phase::Closed;
        }
        self.tasks.clear();
        self.work.clear();
        self.timers
            .retain(|_, due| matches!(due, Due::ExecutionTimeout));
        self.begin_root();
        self.process();
        true
    }

    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// The end result once finished.
    pub fn result(&self) -> Option<&ExecutionResult> {
        self.result.as_ref()
    }

    pub fn status(&self) -> ExecutionStatus {
        self.result
            .as_ref()
            .map_or(ExecutionStatus::Running, |r| r.status)
    }

    pub fn kind(&self) -> ExecutionKind {
        self.options.kind
    }

    /// The execution name (`$$.Execution.Name`), which task token texts carry.
    pub fn name(&self) -> &str {
        &self.options.name
    }
}
