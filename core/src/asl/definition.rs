//! The parsed state machine: machines (the top level, each Parallel branch and each Map
//! processor) holding states whose transitions are resolved to indexes, plus the original JSON
//! so export gives back exactly what was imported.
//!
//! It must never accept a definition AWS would reject without a diagnostic, and never recurse
//! deeper than the checked nesting limit (see `MAX_DEPTH`).

use serde_json::Value;

use super::choice::Rule;
use super::path::Path;
use super::retry::{Catcher, Retrier};
use super::template::Template;
use super::timestamp::Instant;
use super::Diagnostic;

/// Index of a machine in `Definition::machines`; 0 is the top level.
pub type MachineId = usize;

/// A validated definition, ready to run.
#[derive(Debug, Clone)]
pub struct Definition {
    pub(crate) source: Value,
    pub(crate) machines: Vec<Machine>,
    pub(crate) timeout_seconds: Option<u64>,
}

/// One set of states with its start: the top level, a branch or a Map's item processor.
#[derive(Debug, Clone)]
pub struct Machine {
    pub start: usize,
    pub states: Vec<State>,
}

/// One state with the fields every type shares.
#[derive(Debug, Clone)]
pub struct State {
    pub name: String,
    pub kind: Kind,
    /// `None` for `End: true` and for Choice, Succeed and Fail.
    pub next: Option<usize>,
    /// `None` for `InputPath: null` (the state sees `{}`).
    pub input_path: Option<Path>,
    /// `None` for `OutputPath: null` (the state passes `{}` on).
    pub output_path: Option<Path>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    /// `None` for `ResultPath: null` (the result is discarded).
    pub result_path: Option<Path>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

/// What a state does.
#[derive(Debug, Clone)]
pub enum Kind {
    Pass {
        result: Option<Value>,
    },
    Task(Task),
    Choice {
        choices: Vec<Choice>,
        default: Option<usize>,
    },
    Wait(WaitFor),
    Succeed,
    Fail {
        error: Reason,
        cause: Reason,
    },
    Parallel {
        branches: Vec<MachineId>,
    },
    Map(MapState),
}

/// A Task's resource and limits.
#[derive(Debug, Clone)]
pub struct Task {
    pub resource: String,
    pub timeout: Seconds,
    pub heartbeat: Seconds,
}

/// A duration given literally, by path, or not at all.
#[derive(Debug, Clone)]
pub enum Seconds {
    None,
    Fixed(u64),
    Path(Path),
}

/// A top-level Choice rule and where it leads.
#[derive(Debug, Clone)]
pub struct Choice {
    pub rule: Rule,
    pub next: usize,
}

/// How long a Wait state waits.
#[derive(Debug, Clone)]
pub enum WaitFor {
    Seconds(u64),
    Timestamp(Instant),
    SecondsPath(Path),
    TimestampPath(Path),
}

/// A Fail state's `Error` or `Cause`: literal, read from the input, or absent.
#[derive(Debug, Clone)]
pub enum Reason {
    None,
    Literal(String),
    Path(Path),
}

/// An inline Map.
#[derive(Debug, Clone)]
pub struct MapState {
    pub processor: MachineId,
    pub items_path: Path,
    pub item_selector: Option<Template>,
    /// 0 means unbounded.
    pub max_concurrency: u32,
}

/// The deepest JSON nesting accepted; everything that walks a definition recursively is
/// bounded by it.
pub const MAX_DEPTH: usize = 128;

/// Nesting depth of a JSON value, computed with an explicit stack.
pub fn json_depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((current, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match current {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(members) => stack.extend(members.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    deepest
}

impl Definition {
    /// Parses and validates a definition; on any problem, every diagnostic found.
    pub fn parse(source: &Value) -> Result<Definition, Vec<Diagnostic>> {
        super::parse::parse_definition(source)
    }

    /// The definition exactly as it was imported: real ASL JSON.
    pub fn to_json(&self) -> &Value {
        &self.source
    }

    /// The problems that only an Express state machine has (no `.waitForTaskToken`, no `.sync`).
    pub fn express_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        self.walk_tasks(0, "", &mut |location, task| {
            if task.resource.ends_with(".waitForTaskToken") {
                diagnostics.push(Diagnostic::schema(
                    &format!("{location}/Resource"),
                    "Express state machine does not support '.waitForTaskToken' service integration ",
                ));
            } else if task.resource.ends_with(".sync") || task.resource.contains(".sync:") {
                diagnostics.push(Diagnostic::schema(
                    &format!("{location}/Resource"),
                    "Express state machine does not support '.sync' service integration ",
                ));
            }
        });
        diagnostics
    }

    fn walk_tasks(&self, machine: MachineId, prefix: &str, visit: &mut dyn FnMut(&str, &Task)) {
        let Some(machine_states) = self.machines.get(machine) else {
            return;
        };
        for state in &machine_states.states {
            let location = format!("{prefix}/States/{}", state.name);
            match &state.kind {
                Kind::Task(task) => visit(&location, task),
                Kind::Parallel { branches } => {
                    for (index, branch) in branches.iter().enumerate() {
                        self.walk_tasks(*branch, &format!("{location}/Branches[{index}]"), visit);
                    }
                }
                Kind::Map(map) => {
                    self.walk_tasks(map.processor, &format!("{location}/ItemProcessor"), visit)
                }
                _ => {}
            }
        }
    }

    /// How many states the definition has, nested ones included.
    pub fn state_count(&self) -> u64 {
        self.machines.iter().map(|m| m.states.len() as u64).sum()
    }
}
