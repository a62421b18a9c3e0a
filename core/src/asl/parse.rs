//! Turning ASL JSON into a `Definition`, collecting one diagnostic per problem with the
//! location AWS reports (`/States/Name/Field`) and, where known, AWS's own wording.
//!
//! It must never stop at the first problem when later ones can still be found, and never
//! recurse on user nesting before `json_depth` has bounded it.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Map, Value};

use super::choice::{self, Rule};
use super::definition::*;
use super::path::Path;
use super::retry::{self, Catcher};
use super::template::{self, Template};
use super::timestamp;
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

struct Builder {
    machines: Vec<Option<Machine>>,
    diagnostics: Vec<Diagnostic>,
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
    fn schema(&mut self, location: &str, message: &str) {
        self.diagnostics.push(Diagnostic::schema(location, message));
    }

    /// Parses `{StartAt, States}` at `prefix` and returns its id (reserved before its children,
    /// so the top level is always 0).
    fn machine(&mut self, object: &Map<String, Value>, prefix: &str) -> MachineId {
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

    fn target(
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

    fn path(
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

    fn template(
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

    fn task(&mut self, object: &Map<String, Value>, here: &str) -> Option<Task> {
        let resource = match object.get("Resource") {
            Some(Value::String(r)) if r.starts_with("arn:") => r.clone(),
            Some(_) => {
                self.schema(
                    &format!("{here}/Resource"),
                    "The resource provided is not a valid resource ARN",
                );
                return None;
            }
            None => {
                self.schema(here, "These fields are required: [Resource]");
                return None;
            }
        };
        let timeout = self.seconds(object, "TimeoutSeconds", here);
        let heartbeat = self.seconds(object, "HeartbeatSeconds", here);
        if let (Seconds::Fixed(t), Seconds::Fixed(h)) = (&timeout, &heartbeat) {
            if h >= t {
                self.schema(
                    &format!("{here}/HeartbeatSeconds"),
                    "HeartbeatSeconds must be smaller than TimeoutSeconds",
                );
            }
        }
        Some(Task {
            resource,
            timeout,
            heartbeat,
        })
    }

    fn seconds(&mut self, object: &Map<String, Value>, field: &str, here: &str) -> Seconds {
        let path_field = format!("{field}Path");
        match (object.get(field), object.get(&path_field)) {
            (Some(_), Some(_)) => {
                self.schema(
                    here,
                    &format!("Only one of these fields may be set: [{field}, {path_field}]"),
                );
                Seconds::None
            }
            (Some(v), None) => match v.as_u64().filter(|n| (1..=99_999_999).contains(n)) {
                Some(n) => Seconds::Fixed(n),
                None => {
                    self.schema(
                        &format!("{here}/{field}"),
                        &format!("{field} must be a positive integer"),
                    );
                    Seconds::None
                }
            },
            (None, Some(v)) => self
                .path(
                    v,
                    &format!("{here}/{path_field}"),
                    &path_field,
                    "ReferencePath",
                    true,
                )
                .map_or(Seconds::None, Seconds::Path),
            (None, None) => Seconds::None,
        }
    }

    fn reason(&mut self, object: &Map<String, Value>, field: &str, here: &str) -> Reason {
        let path_field = format!("{field}Path");
        match (object.get(field), object.get(&path_field)) {
            (Some(_), Some(_)) => {
                self.schema(
                    here,
                    &format!("Only one of these fields may be set: [{field}, {path_field}]"),
                );
                Reason::None
            }
            (Some(Value::String(s)), None) => Reason::Literal(s.clone()),
            (Some(_), None) => {
                self.schema(&format!("{here}/{field}"), "Expected value of type: String");
                Reason::None
            }
            (None, Some(v)) => self
                .path(
                    v,
                    &format!("{here}/{path_field}"),
                    &path_field,
                    "JSONPath",
                    false,
                )
                .map_or(Reason::None, Reason::Path),
            (None, None) => Reason::None,
        }
    }

    fn choice(
        &mut self,
        object: &Map<String, Value>,
        here: &str,
        by_name: &BTreeMap<String, usize>,
    ) -> Option<Kind> {
        let Some(items) = object
            .get("Choices")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            self.schema(here, "These fields are required: [Choices]");
            return None;
        };
        let mut choices = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let location = format!("{here}/Choices[{index}]");
            let rule: Option<Rule> =
                choice::parse_rule(item, &location, true, &mut self.diagnostics);
            let next_name = item.get("Next").and_then(Value::as_str);
            let next =
                next_name.and_then(|name| self.target(name, &format!("{location}/Next"), by_name));
            if let (Some(rule), Some(next)) = (rule, next) {
                choices.push(Choice { rule, next });
            }
        }
        let default = object
            .get("Default")
            .and_then(Value::as_str)
            .and_then(|name| self.target(name, &format!("{here}/Default"), by_name));
        (choices.len() == items.len()).then_some(Kind::Choice { choices, default })
    }

    fn wait(&mut self, object: &Map<String, Value>, here: &str) -> Option<WaitFor> {
        let given: Vec<&str> = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            .into_iter()
            .filter(|f| object.contains_key(*f))
            .collect();
        if given.len() != 1 {
            self.schema(here, "A Wait state must have exactly one of these fields: [Seconds, Timestamp, SecondsPath, TimestampPath]");
            return None;
        }
        let field = given[0];
        let value = object.get(field).unwrap_or(&Value::Null);
        let location = format!("{here}/{field}");
        match field {
            "Seconds" => match value.as_u64().filter(|n| *n <= 99_999_999) {
                Some(n) => Some(WaitFor::Seconds(n)),
                None => {
                    self.schema(&location, "Seconds must be a non-negative integer");
                    None
                }
            },
            "Timestamp" => match value.as_str().and_then(timestamp::parse) {
                Some(instant) => Some(WaitFor::Timestamp(instant)),
                None => {
                    self.schema(
                        &location,
                        "The value for the field 'Timestamp' must be a valid RFC3339 timestamp",
                    );
                    None
                }
            },
            "SecondsPath" => self
                .path(value, &location, field, "ReferencePath", true)
                .map(WaitFor::SecondsPath),
            _ => self
                .path(value, &location, field, "ReferencePath", true)
                .map(WaitFor::TimestampPath),
        }
    }

    fn sub_machine(&mut self, value: Option<&Value>, location: &str) -> Option<MachineId> {
        let Some(object) = value.and_then(Value::as_object) else {
            self.schema(location, "Expected value of type: Object");
            return None;
        };
        for key in object
            .keys()
            .filter(|k| !["StartAt", "States", "Comment", "ProcessorConfig"].contains(&k.as_str()))
        {
            self.diagnostics
                .push(Diagnostic::unsupported_field(location, key));
        }
        if let Some(mode) = object.get("ProcessorConfig").and_then(|c| c.get("Mode")) {
            if mode != "INLINE" {
                self.diagnostics.push(Diagnostic::new(
                    "UNSUPPORTED_BY_EVENTLAB",
                    &format!("{location}/ProcessorConfig/Mode"),
                    "EventLab runs inline Map states only",
                ));
            }
        }
        Some(self.machine(object, location))
    }

    fn parallel(&mut self, object: &Map<String, Value>, here: &str) -> Option<Kind> {
        let Some(items) = object
            .get("Branches")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            self.schema(here, "These fields are required: [Branches]");
            return None;
        };
        let mut branches = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            branches.push(self.sub_machine(Some(item), &format!("{here}/Branches[{index}]"))?);
        }
        Some(Kind::Parallel { branches })
    }

    fn map(&mut self, object: &Map<String, Value>, here: &str) -> Option<Kind> {
        let field = if object.contains_key("ItemProcessor") {
            "ItemProcessor"
        } else {
            "Iterator"
        };
        if object.contains_key("ItemProcessor") && object.contains_key("Iterator") {
            self.schema(
                here,
                "Only one of these fields may be set: [ItemProcessor, Iterator]",
            );
        }
        if !object.contains_key(field) {
            self.schema(here, "These fields are required: [ItemProcessor]");
            return None;
        }
        let processor = self.sub_machine(object.get(field), &format!("{here}/{field}"))?;
        let items_path = match object.get("ItemsPath") {
            None => Path::parse("$")?,
            Some(v) => self.path(
                v,
                &format!("{here}/ItemsPath"),
                "ItemsPath",
                "ReferencePath",
                false,
            )?,
        };
        if object.contains_key("ItemSelector") && object.contains_key("Parameters") {
            self.schema(
                here,
                "Only one of these fields may be set: [ItemSelector, Parameters]",
            );
        }
        let item_selector = self.template(object, "ItemSelector", here);
        let max_concurrency = match object.get("MaxConcurrency") {
            None => 0,
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => n,
                None => {
                    self.schema(
                        &format!("{here}/MaxConcurrency"),
                        "MaxConcurrency must be a non-negative integer",
                    );
                    0
                }
            },
        };
        Some(Kind::Map(MapState {
            processor,
            items_path,
            item_selector,
            max_concurrency,
        }))
    }
}
