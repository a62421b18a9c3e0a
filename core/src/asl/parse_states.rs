//! Parsing of each state type's own fields (Task, Choice, Wait, Fail, Parallel, Map), with a
//! diagnostic per problem; the shared fields and the graph checks are in `parse`.
//!
//! It must never recurse into a branch or item processor except through `Builder::machine`,
//! whose depth the definition depth limit bounds.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::choice::{self, Rule};
use super::definition::*;
use super::parse::Builder;
use super::path::Path;
use super::timestamp;
use super::Diagnostic;

impl Builder {
    pub(super) fn task(&mut self, object: &Map<String, Value>, here: &str) -> Option<Task> {
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

    pub(super) fn seconds(
        &mut self,
        object: &Map<String, Value>,
        field: &str,
        here: &str,
    ) -> Seconds {
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

    pub(super) fn reason(
        &mut self,
        object: &Map<String, Value>,
        field: &str,
        here: &str,
    ) -> Reason {
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

    pub(super) fn choice(
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

    pub(super) fn wait(&mut self, object: &Map<String, Value>, here: &str) -> Option<WaitFor> {
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

    pub(super) fn sub_machine(
        &mut self,
        value: Option<&Value>,
        location: &str,
    ) -> Option<MachineId> {
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

    pub(super) fn parallel(&mut self, object: &Map<String, Value>, here: &str) -> Option<Kind> {
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

    pub(super) fn map(&mut self, object: &Map<String, Value>, here: &str) -> Option<Kind> {
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
