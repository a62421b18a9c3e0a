//! Live validation through the simulator's worker: the design's diagnostics after every change,
//! and the messages under pattern and expression fields as the attendee types. The validators
//! (core's design checks, the EventBridge pattern compiler, the DynamoDB expression parsers)
//! live in the worker's bundle, so the page bundle stays small; answers come back within a few
//! milliseconds and land in signals.
//!
//! The same worker hands over the example designs (their list, then one text when opened): they
//! live in its bundle, not the page's. It also reads and writes designs for the page: the
//! tolerant loader (imported files, saves that do not read strictly) and the share-link codec
//! live there too; the page reads only the canonical designs it answers.
//!
//! It has its own worker, separate from the run's (which a long run may stop), started with the
//! page. It must never block or fail loudly: until an answer arrives a field shows no message,
//! and if the worker cannot start, the Problems list says why.

use std::collections::BTreeMap;

use eventlab_core::design::{read_canonical_value, Design, Diagnostic, Severity};
use leptos::prelude::*;
use serde_json::Value;

use crate::run::bridge::{Answer, Bridge, Request};
use crate::run::model::read_answer;

/// Field answers kept; beyond this the cache starts over (it only saves round trips).
const FIELD_CACHE_LIMIT: usize = 512;

/// What a request in flight asked the worker.
enum Asked {
    /// A field check, by its cache key.
    Field(String),
    ExampleList,
    Example,
    /// A function's exported handler, by function id.
    HandlerSource(String),
    /// Anything else: what to do with the answer.
    Then(Box<dyn FnOnce(Result<String, String>)>),
}

/// A design the worker read (a file, a link, a repaired save), as the page opens it.
pub struct Opened {
    pub design: Design,
    /// What tolerant loading repaired or kept aside.
    pub notes: usize,
    /// A link's exercise id and playhead (`e-<seq>`), when it carried them.
    pub exercise: Option<String>,
    pub playhead: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Validation {
    /// The latest design's diagnostics, errors first.
    diagnostics: RwSignal<Vec<Diagnostic>>,
    /// Why validation is unavailable, if the worker could not start.
    pub failure: RwSignal<Option<String>>,
    /// Whether any design has been validated yet (before that, "no problems" would be a guess).
    pub answered: RwSignal<bool>,
    /// Field checks by request key: `Some(message)` once answered ("" when valid).
    fields: RwSignal<BTreeMap<String, String>>,
    bridge: StoredValue<Option<Bridge>, LocalStorage>,
    /// The example designs as (stem, name), once the worker has answered.
    pub examples: RwSignal<Option<Vec<(String, String)>>>,
    /// The text of the example last asked for, until the page has opened it.
    pub opened_example: RwSignal<Option<String>>,
    /// The exported TypeScript of the function last asked about: (function id, text).
    pub handler_source: RwSignal<Option<(String, String)>>,
    /// What each request in flight asked (the design's validation is `design_in_flight`).
    pending: StoredValue<BTreeMap<u32, Asked>, LocalStorage>,
    /// The design request in flight, and the newest design waiting behind it (coalesced, so a
    /// drag sends one validation per answer, not one per pointer move).
    design_in_flight: StoredValue<Option<u32>>,
    design_waiting: StoredValue<Option<String>>,
    next_id: StoredValue<u32>,
}

pub fn provide_validation() -> Validation {
    let validation = Validation {
        diagnostics: RwSignal::new(Vec::new()),
        failure: RwSignal::new(None),
        answered: RwSignal::new(false),
        fields: RwSignal::new(BTreeMap::new()),
        examples: RwSignal::new(None),
        opened_example: RwSignal::new(None),
        handler_source: RwSignal::new(None),
        bridge: StoredValue::new_local(None),
        pending: StoredValue::new_local(BTreeMap::new()),
        design_in_flight: StoredValue::new(None),
        design_waiting: StoredValue::new(None),
        next_id: StoredValue::new(0),
    };
    match Bridge::start(
        move |answer| validation.receive(answer),
        move |message| validation.failure.set(Some(message)),
    ) {
        Ok(bridge) => {
            validation.bridge.set_value(Some(bridge));
            validation.ask(&Request::ExampleList, Asked::ExampleList);
        }
        Err(message) => validation.failure.set(Some(message)),
    }
    provide_context(validation);
    validation
}

pub fn use_validation() -> Validation {
    expect_context::<Validation>()
}

impl Validation {
    pub fn diagnostics(&self) -> Signal<Vec<Diagnostic>> {
        self.diagnostics.into()
    }

    /// Validates the design (its canonical JSON); the newest design wins.
    pub fn validate_design(&self, design_json: String) {
        if self.design_in_flight.get_value().is_some() {
            self.design_waiting.set_value(Some(design_json));
            return;
        }
        let id = self.take_id();
        if self.post(
            id,
            &Request::Validate {
                design: &design_json,
            },
        ) {
            self.design_in_flight.set_value(Some(id));
        }
    }

    /// Asks for the text of an example; it lands in `opened_example`.
    pub fn request_example(&self, stem: &str) {
        self.ask(&Request::Example { stem }, Asked::Example);
    }

    /// Asks for the exported TypeScript of `function` in the design (canonical JSON); it lands
    /// in `handler_source`.
    pub fn request_handler_source(&self, design_json: &str, function: &str) {
        let request = Request::HandlerSource {
            design: design_json,
            function,
        };
        self.ask(&request, Asked::HandlerSource(function.to_string()));
    }

    /// Loads design text tolerantly in the worker (an imported file, a save that did not read
    /// strictly); `then` gets the canonical design, or why it cannot be opened.
    pub fn load_design(&self, text: &str, then: impl FnOnce(Result<Opened, String>) + 'static) {
        let asked = Asked::Then(Box::new(move |answer| then(answer.and_then(read_opened))));
        self.ask(&Request::LoadDesign { text }, asked);
    }

    /// Unpacks a share link in the worker; `then` gets its design and extras, or the sentence
    /// saying why the link cannot be opened.
    pub fn decode_link(&self, text: &str, then: impl FnOnce(Result<Opened, String>) + 'static) {
        let asked = Asked::Then(Box::new(move |answer| then(answer.and_then(read_opened))));
        self.ask(&Request::DecodeLink { text }, asked);
    }

    /// Makes the share link of a design (canonical JSON) in the worker; `then` gets the link
    /// text, or why not.
    pub fn encode_link(
        &self,
        design_json: &str,
        exercise: Option<&str>,
        playhead: Option<String>,
        then: impl FnOnce(Result<String, String>) + 'static,
    ) {
        let request = Request::EncodeLink {
            design: design_json,
            exercise: exercise.unwrap_or(""),
            playhead: playhead.as_deref().unwrap_or(""),
        };
        let asked = Asked::Then(Box::new(move |answer| {
            then(answer.and_then(|text| {
                let mut value = read_answer(&text)?;
                match value.get_mut("link").map(Value::take) {
                    Some(Value::String(link)) => Ok(link),
                    _ => Err("the simulator made no link".to_string()),
                }
            }))
        }));
        self.ask(&request, asked);
    }

    /// EventBridge's message for a pattern's text: `None` when valid or not answered yet.
    pub fn pattern_problem(&self, text: &str) -> Option<String> {
        self.field(format!("p\u{1}{text}"), |bridge_request| {
            bridge_request(&Request::CheckPattern { text })
        })
    }

    /// DynamoDB's message for an expression (`kind`: condition, update or filter) in a step
    /// (its JSON, for the names and values): `None` when valid or not answered yet.
    pub fn expression_problem(&self, kind: &str, text: &str, step_json: &str) -> Option<String> {
        self.field(
            format!("e\u{1}{kind}\u{1}{text}\u{1}{step_json}"),
            |bridge_request| {
                bridge_request(&Request::CheckExpression {
                    kind,
                    text,
                    step: step_json,
                })
            },
        )
    }

    /// Reads a field check's answer (tracked, so the field updates when it arrives), asking
    /// the worker the first time a key is seen.
    fn field(
        &self,
        key: String,
        ask: impl FnOnce(&dyn Fn(&Request) -> bool) -> bool,
    ) -> Option<String> {
        if let Some(answer) = self.fields.with(|fields| fields.get(&key).cloned()) {
            return Some(answer).filter(|message| !message.is_empty());
        }
        let asked = self.pending.with_value(|pending| {
            pending
                .values()
                .any(|a| matches!(a, Asked::Field(k) if *k == key))
        });
        if !asked {
            let id = self.take_id();
            if ask(&|request| self.post(id, request)) {
                self.pending.update_value(|pending| {
                    pending.insert(id, Asked::Field(key));
                });
            }
        }
        None
    }

    /// Posts a request and remembers what it asked, for `receive`.
    fn ask(&self, request: &Request, asked: Asked) {
        let id = self.take_id();
        if self.post(id, request) {
            self.pending.update_value(|pending| {
                pending.insert(id, asked);
            });
        }
    }

    fn receive(&self, answer: Answer) {
        let asked = self
            .pending
            .try_update_value(|pending| pending.remove(&answer.id))
            .flatten();
        match (asked, answer.text) {
            (Some(Asked::Then(then)), text) => then(text),
            (Some(Asked::HandlerSource(function)), text) => {
                let text = text.unwrap_or_else(|error| format!("// {error}"));
                self.handler_source.set(Some((function, text)));
            }
            (Some(Asked::Field(key)), text) => {
                let message = text.unwrap_or_else(|error| error);
                self.fields.update(|fields| {
                    if fields.len() >= FIELD_CACHE_LIMIT {
                        fields.clear();
                    }
                    fields.insert(key, message);
                });
            }
            (Some(Asked::ExampleList), Ok(text)) => {
                self.examples.set(Some(read_example_list(&text)));
            }
            (Some(Asked::Example), Ok(text)) => {
                self.opened_example.set(Some(text));
            }
            (Some(Asked::ExampleList | Asked::Example), Err(message)) => {
                self.failure.set(Some(message));
            }
            (None, text) => self.design_answered(answer.id, text),
        }
    }

    /// The answer to a design validation (or to nothing still wanted).
    fn design_answered(&self, id: u32, text: Result<String, String>) {
        if self.design_in_flight.get_value() == Some(id) {
            self.design_in_flight.set_value(None);
            match text {
                Ok(text) => match read_diagnostics(&text) {
                    Ok(list) => {
                        self.diagnostics.set(list);
                        if !self.answered.get_untracked() {
                            self.answered.set(true);
                        }
                    }
                    Err(error) => self
                        .failure
                        .set(Some(format!("validation answered nonsense ({error})"))),
                },
                Err(message) => self.failure.set(Some(message)),
            }
            if let Some(next) = self.design_waiting.try_update_value(Option::take).flatten() {
                self.validate_design(next);
            }
        }
    }

    pub(crate) fn post(&self, id: u32, request: &Request) -> bool {
        let result = self.bridge.with_value(|bridge| match bridge {
            Some(bridge) => bridge.post(id, request),
            None => Err("the validation worker is not running".to_string()),
        });
        match result {
            Ok(()) => true,
            Err(message) => {
                self.failure.set(Some(message));
                false
            }
        }
    }

    fn take_id(&self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id.wrapping_add(1));
        id
    }
}

/// The worker's diagnostics (a list of core's `Diagnostic`), read field by field: a derived
/// `Deserialize` would add its own parser to the page's bundle. A severity the page does not
/// know reads as an error, so nothing wrong is hidden.
fn read_diagnostics(text: &str) -> Result<Vec<Diagnostic>, String> {
    let Value::Array(items) = read_answer(text)? else {
        return Err("the diagnostics are not a list".to_string());
    };
    let text_of =
        |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(items
        .iter()
        .map(|item| Diagnostic {
            severity: match item.get("severity").and_then(Value::as_str) {
                Some("warning") => Severity::Warning,
                Some("info") => Severity::Info,
                _ => Severity::Error,
            },
            code: text_of(item, "code").unwrap_or_default(),
            node: text_of(item, "node"),
            location: text_of(item, "location").unwrap_or_default(),
            message: text_of(item, "message").unwrap_or_default(),
        })
        .collect())
}

/// (stem, name) pairs from the worker's `[{stem, name}]`; anything else is skipped.
fn read_example_list(text: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            Some((
                item.get("stem")?.as_str()?.to_string(),
                item.get("name")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

/// `{design, notes, exercise?, playhead?}` as the page opens it.
fn read_opened(text: String) -> Result<Opened, String> {
    let mut value = read_answer(&text)?;
    let text_of =
        |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(Opened {
        notes: value
            .get("notes")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        exercise: text_of(&value, "exercise"),
        playhead: text_of(&value, "playhead"),
        design: read_canonical_value(value.get_mut("design").map(Value::take).unwrap_or_default())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_read_back_as_core_wrote_them() {
        // The Problems list selects a diagnostic's node and sorts by severity: every field the
        // worker writes must come back, with or without a node.
        let on_node = Diagnostic::warning("unused-type", "eventTypes/0", "never published")
            .on_node("kitchen");
        let mut info = Diagnostic::error("note", "scenario", "seed 0");
        info.severity = Severity::Info;
        let written = vec![
            Diagnostic::error("unknown-target", "nodes/a/targets/0", "no node b"),
            on_node,
            info,
        ];
        let text = serde_json::to_string(&written).unwrap_or_default();
        assert_eq!(read_diagnostics(&text), Ok(written));
        assert_eq!(
            read_diagnostics(r#"{"error": "not a design"}"#),
            Err("not a design".to_string())
        );
        assert!(read_diagnostics(r#"{"seq": 1}"#).is_err());
    }
}
