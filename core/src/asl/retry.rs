//! Retriers and catchers: their parsing, which error names they match, and the retry delay
//! (interval × rate^visits, capped by `MaxDelaySeconds`, optionally with full jitter).
//!
//! It must never use platform maths for the delay: the growth is repeated IEEE multiplication
//! and the result is rounded to whole milliseconds, identical natively and in wasm.

use serde_json::Value;

use super::path::Path;
use super::random;
use super::Diagnostic;

/// One `Retry` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_ms: u64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_ms: Option<u64>,
    pub full_jitter: bool,
}

/// One `Catch` entry; `next` is the index of the target state in its machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    /// `None` for `ResultPath: null` (the error is discarded and the input passes on).
    pub result_path: Option<Path>,
    pub next_name: String,
    pub next: usize,
}

/// The largest interval or delay AWS accepts, in seconds.
const MAX_SECONDS: u64 = 99_999_999;

/// True when a retrier's or catcher's `ErrorEquals` covers `error`.
pub fn matches(error_equals: &[String], error: &str) -> bool {
    let uncatchable = error == "States.Runtime" || error == "States.DataLimitExceeded";
    error_equals.iter().any(|name| match name.as_str() {
        "States.ALL" => !uncatchable,
        "States.TaskFailed" => {
            !uncatchable && error != "States.Timeout" && error != "States.HeartbeatTimeout"
        }
        "States.Timeout" => error == "States.Timeout" || error == "States.HeartbeatTimeout",
        other => other == error,
    })
}

impl Retrier {
    /// The delay before a retry, when the retrier has been visited `visits` times before this
    /// one (the exponent counts every visit, whatever the error name).
    pub fn delay_ms(&self, visits: u32, seed: u64, state_path: &str, retry_number: u32) -> u64 {
        let mut delay = self.interval_ms as f64;
        let cap = self.max_delay_ms.unwrap_or(MAX_SECONDS * 1000) as f64;
        for _ in 0..visits {
            delay *= self.backoff_rate;
            if delay >= cap {
                break;
            }
        }
        let delay_ms = delay.min(cap).round() as u64;
        if self.full_jitter {
            random::jitter_draw(seed, state_path, retry_number) % (delay_ms + 1)
        } else {
            delay_ms
        }
    }
}

fn error_equals(
    object: &serde_json::Map<String, Value>,
    location: &str,
    last: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let names: Vec<String> = match object.get("ErrorEquals").and_then(Value::as_array) {
        Some(items) if !items.is_empty() && items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(_) => {
            diagnostics.push(Diagnostic::schema(
                &format!("{location}/ErrorEquals"),
                "ErrorEquals must be a non-empty array of error names",
            ));
            Vec::new()
        }
        None => {
            diagnostics.push(Diagnostic::schema(
                location,
                "These fields are required: [ErrorEquals]",
            ));
            Vec::new()
        }
    };
    if names.iter().any(|n| n == "States.ALL") {
        if names.len() > 1 {
            diagnostics.push(Diagnostic::schema(
                &format!("{location}/ErrorEquals"),
                "States.ALL must appear alone in ErrorEquals",
            ));
        }
        if !last {
            diagnostics.push(Diagnostic::schema(
                location,
                "States.ALL must appear in the last element of the array",
            ));
        }
    }
    names
}

fn whole_seconds(
    object: &serde_json::Map<String, Value>,
    field: &str,
    location: &str,
    minimum: u64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<u64> {
    let value = object.get(field)?;
    match value
        .as_u64()
        .filter(|n| (minimum..=MAX_SECONDS).contains(n))
    {
        Some(n) => Some(n),
        None => {
            diagnostics.push(Diagnostic::schema(
                &format!("{location}/{field}"),
                &format!("{field} must be an integer between {minimum} and {MAX_SECONDS}"),
            ));
            None
        }
    }
}

fn unknown_fields(
    object: &serde_json::Map<String, Value>,
    allowed: &[&str],
    location: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for key in object.keys().filter(|k| !allowed.contains(&k.as_str())) {
        diagnostics.push(Diagnostic::unsupported_field(location, key));
    }
}

/// Parses a state's `Retry` array.
pub fn parse_retry(
    value: &Value,
    location: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Retrier> {
    let Some(items) = value.as_array() else {
        diagnostics.push(Diagnostic::schema(
            location,
            "Expected value of type: Array",
        ));
        return Vec::new();
    };
    let mut retriers = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let here = format!("{location}[{index}]");
        let Some(object) = item.as_object() else {
            diagnostics.push(Diagnostic::schema(&here, "Expected value of type: Object"));
            continue;
        };
        const FIELDS: &[&str] = &[
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ];
        unknown_fields(object, FIELDS, &here, diagnostics);
        let names = error_equals(object, &here, index + 1 == items.len(), diagnostics);
        let interval = whole_seconds(object, "IntervalSeconds", &here, 1, diagnostics).unwrap_or(1);
        let max_attempts = match object.get("MaxAttempts") {
            None => 3,
            Some(v) => v.as_u64().filter(|n| *n <= MAX_SECONDS).map_or_else(
                || {
                    diagnostics.push(Diagnostic::schema(
                        &format!("{here}/MaxAttempts"),
                        "MaxAttempts must be a non-negative integer",
                    ));
                    3
                },
                |n| n as u32,
            ),
        };
        let backoff_rate = match object.get("BackoffRate") {
            None => 2.0,
            Some(v) => v
                .as_f64()
                .filter(|r| *r >= 1.0 && r.is_finite())
                .unwrap_or_else(|| {
                    diagnostics.push(Diagnostic::schema(
                        &format!("{here}/BackoffRate"),
                        "BackoffRate must be a number greater than or equal to 1.0",
                    ));
                    2.0
                }),
        };
        let max_delay = whole_seconds(object, "MaxDelaySeconds", &here, 1, diagnostics);
        let full_jitter = match object.get("JitterStrategy") {
            None => false,
            Some(Value::String(s)) if s == "FULL" => true,
            Some(Value::String(s)) if s == "NONE" => false,
            Some(_) => {
                diagnostics.push(Diagnostic::schema(
                    &format!("{here}/JitterStrategy"),
                    "Value should be one of the following: [FULL, NONE]",
                ));
                false
            }
        };
        retriers.push(Retrier {
            error_equals: names,
            interval_ms: interval * 1000,
            max_attempts,
            backoff_rate,
            max_delay_ms: max_delay.map(|s| s * 1000),
            full_jitter,
        });
    }
    retriers
}

/// Parses a state's `Catch` array; `next` is resolved later against the machine's states.
pub fn parse_catch(
    value: &Value,
    location: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Catcher> {
    let Some(items) = value.as_array() else {
        diagnostics.push(Diagnostic::schema(
            location,
            "Expected value of type: Array",
        ));
        return Vec::new();
    };
    let mut catchers = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let here = format!("{location}[{index}]");
        let Some(object) = item.as_object() else {
            diagnostics.push(Diagnostic::schema(&here, "Expected value of type: Object"));
            continue;
        };
        unknown_fields(
            object,
            &["ErrorEquals", "Next", "ResultPath", "Comment"],
            &here,
            diagnostics,
        );
        let names = error_equals(object, &here, index + 1 == items.len(), diagnostics);
        let result_path = match object.get("ResultPath") {
            None => Path::parse("$"),
            Some(Value::Null) => None,
            Some(v) => {
                let path = v.as_str().and_then(Path::parse).filter(Path::is_reference);
                if path.is_none() {
                    diagnostics.push(Diagnostic::schema(
                        &format!("{here}/ResultPath"),
                        "The value for the field 'ResultPath' must be a valid ReferencePath",
                    ));
                }
                path
            }
        };
        let Some(next) = object.get("Next").and_then(Value::as_str) else {
            diagnostics.push(Diagnostic::schema(
                &here,
                "These fields are required: [Next]",
            ));
            continue;
        };
        catchers.push(Catcher {
            error_equals: names,
            result_path,
            next_name: next.to_string(),
            next: 0,
        });
    }
    catchers
}
