//! Parallel branches and Map iterations: child runs started from a parent state, their results
//! gathered in order, the first failure cancelling the rest.
//!
//! It must never leave a cancelled child able to act: its tokens are withdrawn (a late
//! completion is refused) and its timers go stale.

use serde_json::Value;

use super::definition::{MachineId, MapState, State};
use super::execution::*;
use super::history::HistoryEvent;
use super::intrinsic::Scope;
use super::io::no_results;
use super::StateError;

impl Execution {
    pub(super) fn start_parallel(
        &mut self,
        run: RunId,
        state: &State,
        visit: Visit,
        branches: &[MachineId],
    ) {
        let input = match self.effective_input(run, state, &visit, None, true) {
            Ok(input) => input,
            Err(error) => return self.fail_now(run, visit, error),
        };
        let path = self.state_path(run, state);
        self.record(
            HistoryEvent::new("ParallelStateStarted", self.now_ms).at_state(&state.name, &path),
        );
        let count = branches.len();
        let children = Children {
            runs: vec![None; count],
            results: vec![None; count],
            inputs: vec![input; count],
            started: 0,
            map: false,
        };
        self.runs[run].phase = Phase::Children { visit, children };
        for _ in 0..count {
            self.start_child(run, &path, branches);
        }
    }

    pub(super) fn start_map(&mut self, run: RunId, state: &State, visit: Visit, map: &MapState) {
        let inputs = match self.map_inputs(run, state, &visit, map) {
            Ok(inputs) => inputs,
            Err(error) => return self.fail_now(run, visit, error),
        };
        let path = self.state_path(run, state);
        let count = inputs.len();
        let started = HistoryEvent::new("MapStateStarted", self.now_ms)
            .at_state(&state.name, &path)
            .with_index(u32::try_from(count).unwrap_or(u32::MAX));
        self.record(started);
        let limit = if map.max_concurrency == 0 {
            count
        } else {
            (map.max_concurrency as usize).min(count)
        };
        let children = Children {
            runs: vec![None; count],
            results: vec![None; count],
            inputs,
            started: 0,
            map: true,
        };
        self.runs[run].phase = Phase::Children { visit, children };
        if count == 0 {
            self.record(
                HistoryEvent::new("MapStateSucceeded", self.now_ms).at_state(&state.name, &path),
            );
            let Some((visit, _)) = self.take_children(run) else {
                return;
            };
            self.runs[run].phase = Phase::Active(visit);
            self.work.push_back(Work::Result {
                run,
                result: Value::Array(Vec::new()),
            });
            return;
        }
        for _ in 0..limit {
            self.start_child(run, &path, &[map.processor]);
        }
    }

    /// The input of each iteration: the items at `ItemsPath`, through `ItemSelector` (or the
    /// legacy `Parameters`) with `$$.Map.Item` set.
    fn map_inputs(
        &mut self,
        run: RunId,
        state: &State,
        visit: &Visit,
        map: &MapState,
    ) -> Result<Vec<Value>, StateError> {
        let input = self.after_input_path(run, state, visit)?;
        let items = match map.items_path.read(&input) {
            Ok(Value::Array(items)) => items,
            Ok(other) => {
                return Err(StateError::runtime(format!(
                    "Item path {} does not point to an array: {}",
                    map.items_path.text, other
                )))
            }
            Err(_) => return Err(StateError::runtime(no_results(&map.items_path))),
        };
        let Some(selector) = map.item_selector.as_ref().or(state.parameters.as_ref()) else {
            return Ok(items);
        };
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let mut context = self.context(run, state, visit, None);
            if let Some(object) = context.as_object_mut() {
                object.insert(
                    "Map".into(),
                    serde_json::json!({ "Item": { "Index": index, "Value": item } }),
                );
            }
            let scope = Scope {
                input: &input,
                context: &context,
            };
            inputs.push(selector.evaluate(&scope, &mut self.generator)?);
        }
        Ok(inputs)
    }

    fn fail_now(&mut self, run: RunId, visit: Visit, error: StateError) {
        self.runs[run].phase = Phase::Active(visit);
        self.work.push_back(Work::Error { run, error });
    }

    /// Starts the next not-yet-started child of `parent`.
    fn start_child(&mut self, parent: RunId, path: &str, machines: &[MachineId]) {
        let Phase::Children { children, .. } = &mut self.runs[parent].phase else {
            return;
        };
        let slot = children.started;
        let Some(input) = children.inputs.get(slot).cloned() else {
            return;
        };
        children.started += 1;
        let is_map = children.map;
        let machine = if is_map { machines[0] } else { machines[slot] };
        let item = is_map.then(|| (u32::try_from(slot).unwrap_or(u32::MAX), input.clone()));
        let label = format!("{path}[{slot}]/");
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        if is_map {
            self.record(
                HistoryEvent::new("MapIterationStarted", self.now_ms)
                    .at_state(&name, path)
                    .with_index(u32::try_from(slot).unwrap_or(u32::MAX)),
            );
        }
        let child = self.spawn(machine, Some((parent, slot)), label, item);
        if let Phase::Children { children, .. } = &mut self.runs[parent].phase {
            children.runs[slot] = Some(child);
        }
        let start = self.definition.machines.get(machine).map_or(0, |m| m.start);
        self.work.push_back(Work::Enter {
            run: child,
            state: start,
            input,
        });
    }

    pub(super) fn child_done(
        &mut self,
        parent: RunId,
        slot: usize,
        outcome: Result<Value, StateError>,
    ) {
        let Some((visit, mut children)) = self.take_children(parent) else {
            return;
        };
        let Some((definition, machine, index)) = self.state_of(parent, visit.state) else {
            return;
        };
        let state = &definition.machines[machine].states[index];
        let path = self.state_path(parent, state);
        let prefix = if children.map { "Map" } else { "Parallel" };
        let index_of = u32::try_from(slot).unwrap_or(u32::MAX);
        match outcome {
            Err(error) => {
                if children.map {
                    self.record(
                        HistoryEvent::new("MapIterationFailed", self.now_ms)
                            .at_state(&state.name, &path)
                            .with_index(index_of)
                            .with_error(&error.error, &error.cause),
                    );
                }
                self.cancel_children(&children);
                self.record(
                    HistoryEvent::new(format!("{prefix}StateFailed"), self.now_ms)
                        .at_state(&state.name, &path)
                        .with_error(&error.error, &error.cause),
                );
                self.runs[parent].phase = Phase::Active(visit);
                self.work.push_back(Work::Error { run: parent, error });
            }
            Ok(output) => {
                if children.map {
                    self.record(
                        HistoryEvent::new("MapIterationSucceeded", self.now_ms)
                            .at_state(&state.name, &path)
                            .with_index(index_of),
                    );
                }
                if let Some(result) = children.results.get_mut(slot) {
                    *result = Some(output);
                }
                let more = children.map && children.started < children.runs.len();
                let finished = children.results.iter().all(Option::is_some);
                if finished {
                    self.record(
                        HistoryEvent::new(format!("{prefix}StateSucceeded"), self.now_ms)
                            .at_state(&state.name, &path),
                    );
                    let results = children.results.into_iter().flatten().collect();
                    self.runs[parent].phase = Phase::Active(visit);
                    self.work.push_back(Work::Result {
                        run: parent,
                        result: Value::Array(results),
                    });
                    return;
                }
                self.runs[parent].phase = Phase::Children { visit, children };
                if more {
                    if let Kind::Map(map) = &state.kind {
                        self.start_child(parent, &path, &[map.processor]);
                    }
                }
            }
        }
    }

    /// Closes every open child run (and their descendants), withdrawing their task tokens.
    fn cancel_children(&mut self, children: &Children) {
        let mut stack: Vec<RunId> = children.runs.iter().flatten().copied().collect();
        while let Some(run) = stack.pop() {
            match std::mem::replace(&mut self.runs[run].phase, Phase::Closed) {
                Phase::Task { token, .. } => {
                    self.tasks.remove(&token);
                }
                Phase::Children { children, .. } => {
                    stack.extend(children.runs.iter().flatten().copied())
                }
                _ => {}
            }
        }
    }
}

use super::definition::Kind;
