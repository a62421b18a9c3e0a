//! Turning ASL JSON into a `Definition`, collecting one diagnostic per problem with the
//! location AWS reports (`/States/Name/Field`) and, where known, AWS's own wording.
//!
//! It must never stop at the first problem when later ones can still be found, and never
//! recurse on user nesting before `json_depth` has bounded it.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Map, Value};

use super::definition::*;
use super::path::Path;
use super::retry::{self, Catcher};
use super::template::{self, Template};
use super::Diagnostic;

const TOP_LEVEL_FIELDS: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "TimeoutSeconds",
    "Version",
    "QueryLanguage",
];
const COMMON_FIELDS: &[&str] = &[
    "Type",
    "Comment",
    "InputPath",
    "OutputPath",
    "Next",
    "End",
    "QueryLanguage",
];

fn fields_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pass" => &["Result", "ResultPath", "Parameters"],
        "Task" => &[
            "Resource",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        "Choice" => &["Choices", "Default"],
        "Wait" => &["Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        "Fail" => &["Error", "Cause", "ErrorPath", "CausePath"],
        "Parallel" => &[
            "Branches",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
        ],
        "Map" => &[
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "ItemSelector",
            "Parameters",
            "MaxConcurrency",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
        ],
        _ => &[],
    }
}

/// Fields AWS refuses on some types with its short "Field 'X' is not supported" at the state.
const TYPE_RESTRICTED: &[&str] = &["TimeoutSeconds", "Catch", "Retry"];

pub(super) struct Builder {
    machines: Vec<Option<Machine>>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

pub fn parse_definition(source: &Value) -> Result<Definition, Vec<Diagnostic>> {
    let Some(root) = source.as_object() else {
        return Err(vec![Diagnostic::new(
            "SCHEMA_VALIDATION_FAILED",
            "",
            "Definition must be a valid JSON object",
        )]);
    };
    if json_depth(source) > MAX_DEPTH {
        return Err(vec![Diagnostic::new(
            "SCHEMA_VALIDATION_FAILED",
            "/",
            &format!("The definition nests deeper than {MAX_DEPTH} levels, EventLab's limit"),
        )]);
    }
    let mut builder = Builder {
        machines: Vec::new(),
        diagnostics: Vec::new(),
    };
    for key in root
        .keys()
        .filter(|k| !TOP_LEVEL_FIELDS.contains(&k.as_str()))
    {
        builder
            .diagnostics
            .push(Diagnostic::unsupported_field("", key));
    }
    if root.get("QueryLanguage").is_some_and(|q| q != "JSONPath") {
        builder.diagnostics.push(Diagnostic::new(
            "UNSUPPORTED_BY_EVENTLAB",
            "/QueryLanguage",
            "EventLab runs JSONPath state machines only",
        ));
    }
    let timeout_seconds = match root.get("TimeoutSeconds") {
        None => None,
        Some(v) => v.as_u64().filter(|n| *n >= 1).or_else(|| {
            builder.diagnostics.push(Diagnostic::schema(
                "/TimeoutSeconds",
                "TimeoutSeconds must be a positive integer",
            ));
            None
        }),
    };
    builder.machine(root, "");
    if builder.diagnostics.is_empty() {
        let machines = builder.machines.into_iter().flatten().collect::<Vec<_>>();
        Ok(Definition {
            source: source.clone(),
            machines,
            timeout_seconds,
        })
    } else {
        Err(builder.diagnostics)
    }
}

impl Builder {
    pub(super) fn schema(&mut self, location: &str, message: &str) {
        self.diagnostics.push(Diagnostic::schema(location, message));
    }

    /// Parses `{StartAt, States}` at `prefix` and returns its id (reserved before its children,
    /// so the top level is always 0).
    pub(super) fn machine(&mut self, object: &Map<String, Value>, prefix: &str) -> MachineId {
        let id = self.machines.len();
        self.machines.push(None);
        let location = if prefix.is_empty() { "/" } else { prefix };
        let start_at = object.get("StartAt");
        let states = object.get("States").and_then(Value::as_object);
        match (start_at, object.get("States")) {
            (None, None) => {
                return self.fail_machine(
                    id,
                    location,
                    "These fields are required: [States, StartAt]",
                )
            }
            (None, _) => {
                return self.fail_machine(id, location, "These fields are required: [StartAt]")
            }
            (_, None) => {
                return self.fail_machine(id, location, "These fields are required: [States]")
            }
            _ => {}
        }
        let Some(states) = states.filter(|s| !s.is_empty()) else {
            return self.fail_machine(
                id,
                &format!("{prefix}/States"),
                "States must be a non-empty object",
            );
        };
        let by_name: BTreeMap<String, usize> = states
            .keys()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let mut parsed = Vec::with_capacity(states.len());
        for (name, value) in states {
            let here = format!("{prefix}/States/{name}");
            parsed.push(self.state(name, value, &here, &by_name));
        }
        let start = match start_at.and_then(Value::as_str) {
            Some(name) => match by_name.get(name) {
                Some(index) => Some(*index),
                None => {
                    self.diagnostics.push(Diagnostic::new(
                        "MISSING_TRANSITION_TARGET",
                        &format!("{prefix}/StartAt"),
                        &format!("Missing 'Next' target: {name}"),
                    ));
                    None
                }
            },
            None => {
                self.schema(
                    &format!("{prefix}/StartAt"),
                    "Expected value of type: String",
                );
                None
            }
        };
        let states: Vec<State> = parsed.into_iter().flatten().collect();
        if states.len() != by_name.len() {
            return id;
        }
        let Some(start) = start else { return id };
        self.check_graph(&states, start, prefix);
        self.machines[id] = Some(Machine { start, states });
        id
    }

    fn fail_machine(&mut self, id: MachineId, location: &str, message: &str) -> MachineId {
        self.schema(location, message);
        id
    }

    /// Reports a machine without a terminal state, or else every state its start cannot reach.
    fn check_graph(&mut self, states: &[State], start: usize, prefix: &str) {
        let terminal = states.iter().any(|s| {
            matches!(s.kind, Kind::Succeed | Kind::Fail { .. })
                || (s.next.is_none() && !matches!(s.kind, Kind::Choice { .. }))
        });
        if !terminal {
            self.diagnostics.push(Diagnostic::new(
                "MISSING_END_STATE",
                if prefix.is_empty() { "/States" } else { prefix },
                "Workflow has no terminal state",
            ));
            return;
        }
        let mut reached = vec![false; states.len()];
        let mut queue = VecDeque::from([start]);
        reached[start] = true;
        while let Some(index) = queue.pop_front() {
            let state = &states[index];
            let mut targets: Vec<usize> = state
                .next
                .into_iter()
                .chain(state.catch.iter().map(|c| c.next))
                .collect();
            if let Kind::Choice {
                choices, default, ..
            } = &state.kind
            {
                targets.extend(choices.iter().map(|c| c.next).chain(*default));
            }
            for target in targets {
                if let Some(seen) = reached.get_mut(target) {
                    if !*seen {
                        *seen = true;
                        queue.push_back(target);
                    }
                }
            }
        }
        for (state, reached) in states.iter().zip(reached) {
            if !reached {
                self.diagnostics.push(Diagnostic::new(
                    "MISSING_TRANSITION_TARGET",
                    &format!("{prefix}/States/{}", state.name),
                    &format!("State \"{}\" is not reachable.", state.name),
                ));
            }
        }
    }

    pub(super) fn target(
        &mut self,
        name: &str,
        location: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> Option<usize> {
        let found = by_name.get(name).copied();
        if found.is_none() {
            self.diagnostics.push(Diagnostic::new(
                "MISSING_TRANSITION_TARGET",
                location,
                &format!("Missing 'Next' target: {name}"),
            ));
        }
        found
    }

    fn state(
        &mut self,
        name: &str,
        value: &Value,
        here: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> Option<State> {
        if name.chars().count() > 80 {
            self.schema(here, "State names must be 80 characters or fewer");
        }
        let Some(object) = value.as_object() else {
            self.schema(here, "Expected value of type: Object");
            return None;
        };
        let Some(type_value) = object.get("Type") else {
            self.schema(here, "These fields are required: [Type]");
            return None;
        };
        let type_name = type_value.as_str().unwrap_or_default();
        if fields_of(type_name).is_empty() && type_name != "Succeed" {
            self.schema(&format!("{here}/Type"), "Value should be one of the following: [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]");
            return None;
        }
        self.check_fields(object, type_name, here);
        let flows_on = !matches!(type_name, "Choice" | "Succeed" | "Fail");
        let next = if flows_on {
            self.next_or_end(object, here, by_name)
        } else {
            None
        };
        let kind = self.kind(type_name, object, here, by_name)?;
        let (retry, catch) = self.retry_and_catch(object, here, by_name);
        let result_path = match object.get("ResultPath") {
            None => Path::parse("$"),
            Some(Value::Null) => None,
            Some(v) => self.path(
                v,
                &format!("{here}/ResultPath"),
                "ResultPath",
                "ReferencePath",
                true,
            ),
        };
        Some(State {
            name: name.to_string(),
            kind,
            next,
            input_path: self.selection(object, "InputPath", here),
            output_path: self.selection(object, "OutputPath", here),
            parameters: self.template(object, "Parameters", here),
            result_selector: self.template(object, "ResultSelector", here),
            result_path,
            retry,
            catch,
        })
    }

    fn check_fields(&mut self, object: &Map<String, Value>, type_name: &str, here: &str) {
        let own = fields_of(type_name);
        for key in object.keys() {
            let allowed_common = COMMON_FIELDS.contains(&key.as_str())
                && !(matches!(type_name, "Choice" | "Succeed" | "Fail")
                    && (key == "Next" || key == "End"))
                && !(type_name == "Fail" && (key == "InputPath" || key == "OutputPath"));
            if allowed_common || own.contains(&key.as_str()) {
                continue;
            }
            if TYPE_RESTRICTED.contains(&key.as_str()) {
                self.schema(here, &format!("Field '{key}' is not supported"));
            } else {
                self.diagnostics
                    .push(Diagnostic::unsupported_field(here, key));
            }
        }
    }

    fn next_or_end(
        &mut self,
        object: &Map<String, Value>,
        here: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> Option<usize> {
        let end = object.get("End");
        match (object.get("Next"), end) {
            (Some(_), Some(_)) => {
                self.schema(here, "Only one of these fields may be set: [Next, End]")
            }
            (Some(Value::String(name)), None) => {
                return self.target(name, &format!("{here}/Next"), by_name)
            }
            (Some(_), None) => {
                self.schema(&format!("{here}/Next"), "Expected value of type: String")
            }
            (None, Some(Value::Bool(true))) => {}
            (None, Some(_)) => self.schema(&format!("{here}/End"), "End must be true when present"),
            (None, None) => self.schema(here, "These fields are required: [Next or End]"),
        }
        None
    }

    pub(super) fn path(
        &mut self,
        value: &Value,
        location: &str,
        field: &str,
        kind: &str,
        reference: bool,
    ) -> Option<Path> {
        let path = value
            .as_str()
            .and_then(Path::parse)
            .filter(|p| !reference || p.is_reference());
        if path.is_none() {
            self.schema(
                location,
                &format!("The value for the field '{field}' must be a valid {kind}"),
            );
        }
        path
    }

    /// `InputPath`/`OutputPath`: default `$`, `null` gives `None`.
    fn selection(&mut self, object: &Map<String, Value>, field: &str, here: &str) -> Option<Path> {
        match object.get(field) {
            None => Path::parse("$"),
            Some(Value::Null) => None,
            Some(v) => self.path(v, &format!("{here}/{field}"), field, "JSONPath", false),
        }
    }

    pub(super) fn template(
        &mut self,
        object: &Map<String, Value>,
        field: &str,
        here: &str,
    ) -> Option<Template> {
        let value = object.get(field)?;
        let mut problems = Vec::new();
        let parsed = Template::parse(value, &format!("{here}/{field}"), &mut problems);
        for template::Problem { location, message } in problems {
            self.schema(&location, &message);
        }
        Some(parsed)
    }

    fn retry_and_catch(
        &mut self,
        object: &Map<String, Value>,
        here: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> (Vec<retry::Retrier>, Vec<Catcher>) {
        let retriers = object
            .get("Retry")
            .map(|v| retry::parse_retry(v, &format!("{here}/Retry"), &mut self.diagnostics))
            .unwrap_or_default();
        let mut catchers = object
            .get("Catch")
            .map(|v| retry::parse_catch(v, &format!("{here}/Catch"), &mut self.diagnostics))
            .unwrap_or_default();
        for (index, catcher) in catchers.iter_mut().enumerate() {
            let name = catcher.next_name.clone();
            catcher.next = self
                .target(&name, &format!("{here}/Catch[{index}]/Next"), by_name)
                .unwrap_or(0);
        }
        (retriers, catchers)
    }

    fn kind(
        &mut self,
        type_name: &str,
        object: &Map<String, Value>,
        here: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> Option<Kind> {
        Some(match type_name {
            "Pass" => Kind::Pass {
                result: object.get("Result").cloned(),
            },
            "Task" => Kind::Task(self.task(object, here)?),
            "Choice" => self.choice(object, here, by_name)?,
            "Wait" => Kind::Wait(self.wait(object, here)?),
            "Succeed" => Kind::Succeed,
            "Fail" => Kind::Fail {
                error: self.reason(object, "Error", here),
                cause: self.reason(object, "Cause", here),
            },
            "Parallel" => self.parallel(object, here)?,
            "Map" => self.map(object, here)?,
            _ => return None,
        })
    }
}
