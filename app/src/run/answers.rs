//! Reads the run worker's answers (a run, the state at an event, an item's history, an
//! exploration's progress and report) into `model`'s plain types, field by field from a
//! `serde_json::Value`.
//!
//! Why by hand: a derived `Deserialize` adds a parser per type (and one per list of it) to the
//! page's bundle, about 10 KB gzipped for these types; these readers share a handful of small
//! functions. The worker writes every field (`worker/src/answer.rs`, core's `Serialize`), so a
//! missing optional field reads as absent and a missing count as zero; an answer without the
//! list it is about is an error. The values are taken out of the parsed answer, not copied:
//! a run's events are the largest thing the page reads.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{
    read_answer, CheckOutcome, ExploreProgress, ExploreReport, InFlightView, ItemWriteView,
    PropertyReport, QueuedView, RunEvent, RunSummary, RunView, SmallestCase, StateView,
};

impl RunView {
    /// The worker's `runDesign` answer, or its `{error}`.
    pub fn read(text: &str) -> Result<RunView, String> {
        let mut value = read_answer(text)?;
        let events = take_list(&mut value, "events").ok_or("the run has no events")?;
        let mut summary = take(&mut value, "summary");
        let summary = RunSummary {
            events: count(&summary, "events"),
            end_ms: number(&summary, "endMs"),
            settled: summary["settled"].as_bool() == Some(true),
            stopped_by: take_optional_text(&mut summary, "stoppedBy"),
            faults: count(&summary, "faults"),
        };
        Ok(RunView {
            seed: take_text(&mut value, "seed"),
            trace_hash: take_text(&mut value, "traceHash"),
            summary,
            events: events.into_iter().map(RunEvent::take).collect(),
            checks: each(&mut value, "checks", |mut check| CheckOutcome {
                status: take_text(&mut check, "status"),
            }),
            check_problems: take_list(&mut value, "checkProblems").map_or(0, |p| p.len()),
            checks_html: take_text(&mut value, "checksHtml"),
        })
    }
}

impl RunEvent {
    fn take(mut event: Value) -> RunEvent {
        RunEvent {
            seq: count(&event, "seq"),
            at_ms: number(&event, "atMs"),
            node: take_text(&mut event, "node"),
            kind: take_text(&mut event, "kind"),
            cause: optional_count(&event, "cause"),
            correlation: take_optional_text(&mut event, "correlation"),
            line: take_text(&mut event, "line"),
        }
    }
}

impl StateView {
    /// The worker's `stateAt` answer (core's `StateAt`), or its `{error}`.
    pub fn read(text: &str) -> Result<StateView, String> {
        let mut value = read_answer(text)?;
        let tables = take_map(&mut value, "tables", |mut items| match items.take() {
            Value::Array(items) => items,
            _ => Vec::new(),
        });
        let queues = take_map(&mut value, "queues", |mut messages| {
            each_of(&mut messages, |mut message| QueuedView {
                message: take_text(&mut message, "message"),
                body: take(&mut message, "body"),
                receive_count: count(&message, "receiveCount"),
            })
        });
        Ok(StateView {
            seq: count(&value, "seq"),
            at_ms: number(&value, "atMs"),
            tables,
            queues,
            in_flight: each(&mut value, "inFlight", |mut flight| InFlightView {
                function: take_text(&mut flight, "function"),
                invocation: take_text(&mut flight, "invocation"),
                attempt: count(&flight, "attempt"),
                since_ms: number(&flight, "sinceMs"),
            }),
        })
    }
}

impl ItemWriteView {
    /// The worker's `itemHistory` answer (a list of core's `ItemWrite`), or its `{error}`.
    pub fn read_all(text: &str) -> Result<Vec<ItemWriteView>, String> {
        let mut value = read_answer(text)?;
        if !value.is_array() {
            return Err("the history is not a list".to_string());
        }
        Ok(each_of(&mut value, |mut write| ItemWriteView {
            seq: count(&write, "seq"),
            at_ms: number(&write, "atMs"),
            function: take_text(&mut write, "function"),
            invocation: take_text(&mut write, "invocation"),
            op: take_text(&mut write, "op"),
            condition: take_optional_text(&mut write, "condition"),
            update: take_optional_text(&mut write, "update"),
            passed: write["passed"].as_bool() == Some(true),
            error: take_optional_text(&mut write, "error"),
        }))
    }
}

impl ExploreProgress {
    /// The worker's progress report (core's `Progress`), or its `{error}`.
    pub fn read(text: &str) -> Result<ExploreProgress, String> {
        let value = read_answer(text)?;
        Ok(ExploreProgress {
            seeds_done: count(&value, "seedsDone"),
            seeds_total: count(&value, "seedsTotal"),
            runs: count(&value, "runs"),
            shrinking: value["shrinking"].as_bool() == Some(true),
        })
    }
}

impl ExploreReport {
    /// The worker's `exploreReport` answer (core's `ExplorationReport`), or its `{error}`.
    pub fn read(text: &str) -> Result<ExploreReport, String> {
        let mut value = read_answer(text)?;
        let properties = take_list(&mut value, "properties").ok_or("the report has no checks")?;
        Ok(ExploreReport {
            first_seed: number(&value, "firstSeed"),
            seeds: count(&value, "seeds"),
            runs: count(&value, "runs"),
            properties: properties
                .into_iter()
                .map(|mut property| PropertyReport {
                    check: take_text(&mut property, "check"),
                    runs: count(&property, "runs"),
                    passed: count(&property, "passed"),
                    failed: count(&property, "failed"),
                    undecided: count(&property, "undecided"),
                    first_failing_seed: property["firstFailingSeed"].as_u64(),
                    smallest_failing_case: match take(&mut property, "smallestFailingCase") {
                        Value::Null => None,
                        mut case => Some(SmallestCase {
                            seed: number(&case, "seed"),
                            explanation: take_text(&mut case, "explanation"),
                        }),
                    },
                })
                .collect(),
        })
    }
}

/// The value under `key`, moved out; null when there is none. (Indexing a `Value` mutably
/// would panic on an answer that is not an object.)
fn take(value: &mut Value, key: &str) -> Value {
    value.get_mut(key).map(Value::take).unwrap_or_default()
}

/// The text under `key`, moved out; empty when there is none.
fn take_text(value: &mut Value, key: &str) -> String {
    take_optional_text(value, key).unwrap_or_default()
}

fn take_optional_text(value: &mut Value, key: &str) -> Option<String> {
    match take(value, key) {
        Value::String(text) => Some(text),
        _ => None,
    }
}

/// A whole number under `key`; 0 when there is none.
fn number(value: &Value, key: &str) -> u64 {
    value[key].as_u64().unwrap_or(0)
}

fn count(value: &Value, key: &str) -> u32 {
    optional_count(value, key).unwrap_or(0)
}

/// A count that does not fit 32 bits reads as the largest that does.
fn optional_count(value: &Value, key: &str) -> Option<u32> {
    value[key]
        .as_u64()
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// The list under `key`, moved out; `None` when there is no list.
fn take_list(value: &mut Value, key: &str) -> Option<Vec<Value>> {
    match take(value, key) {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

/// Each item of the list under `key` read by `read`; none when there is no list.
fn each<T>(value: &mut Value, key: &str, read: impl FnMut(Value) -> T) -> Vec<T> {
    take_list(value, key)
        .unwrap_or_default()
        .into_iter()
        .map(read)
        .collect()
}

/// Each item of `value`, a list, read by `read`.
fn each_of<T>(value: &mut Value, read: impl FnMut(Value) -> T) -> Vec<T> {
    match value.take() {
        Value::Array(items) => items.into_iter().map(read).collect(),
        _ => Vec::new(),
    }
}

/// The object under `key` with each value read by `read`, in key order.
fn take_map<T>(
    value: &mut Value,
    key: &str,
    mut read: impl FnMut(Value) -> T,
) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = take(value, key) {
        // Inserted one by one: collecting would pull in the standard library's sort.
        for (name, item) in map {
            out.insert(name, read(item));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_values_or_the_workers_error() {
        // The worker answers `{error}` for a text that is not a design; that sentence must
        // reach the person, not a JSON parse message.
        let error = RunView::read(r#"{"error": "expected value at line 1"}"#);
        assert_eq!(error, Err("expected value at line 1".to_string()));
        let state = StateView::read(
            r#"{"seq": 2, "atMs": 5, "tables": {"t": [{"pk": "a"}]},
                "queues": {"q": [{"message": "m-1", "body": {"n": 1}, "receiveCount": 2}]},
                "inFlight": [{"function": "f", "invocation": "i-1", "attempt": 1, "sinceMs": 4}]}"#,
        );
        let state = state.as_ref();
        assert_eq!(state.map(|s| s.tables.len()), Ok(1));
        assert_eq!(state.map(|s| s.queues["q"][0].receive_count), Ok(2));
        assert_eq!(state.map(|s| s.in_flight[0].since_ms), Ok(4));
        assert!(StateView::read("not json").is_err());
    }

    #[test]
    fn a_run_reads_with_its_events_checks_and_problems() {
        // Optional parts the worker leaves out (a cause, a correlation) read as absent; the
        // run's events keep their order.
        let run = RunView::read(
            r##"{"seed": "18446744073709551615", "traceHash": "abc",
                "summary": {"events": 2, "endMs": 30, "settled": false, "stoppedBy": "maxEvents",
                            "faults": 1, "finalItems": {}},
                "events": [
                  {"seq": 0, "atMs": 0, "node": "p", "kind": "produced", "line": "#0 @0ms p produced"},
                  {"seq": 1, "atMs": 30, "node": "q", "kind": "delivered", "cause": 0,
                   "correlation": "c-1", "line": "#1 @30ms q delivered"}],
                "checks": [{"check": "once", "kind": "count", "mode": "always", "status": "failed",
                            "decidingEvent": 1, "explanation": "twice", "faults": ["duplicate"]},
                           {"check": "b", "kind": "count", "mode": "always", "status": "passed",
                            "explanation": "ok"}],
                "checkProblems": [{"check": "c", "message": "no such node"}],
                "checksHtml": "<li>once</li>"}"##,
        )
        .expect("a run answer");
        assert_eq!(run.seed, "18446744073709551615");
        assert_eq!(run.summary.stopped_by.as_deref(), Some("maxEvents"));
        assert_eq!(
            (run.summary.events, run.summary.end_ms, run.summary.faults),
            (2, 30, 1)
        );
        assert_eq!(run.events[0].cause, None);
        assert_eq!(run.events[1].cause, Some(0));
        assert_eq!(run.events[1].correlation.as_deref(), Some("c-1"));
        assert_eq!(run.checks[0].status, "failed");
        assert_eq!(run.checks[1].status, "passed");
        assert_eq!(run.check_problems, 1);
        assert_eq!(run.checks_html, "<li>once</li>");
    }

    #[test]
    fn answers_of_another_shape_are_errors_not_panics() {
        // The worker is ours, but a page must never panic on what it reads.
        assert!(RunView::read("[1, 2]").is_err());
        assert!(RunView::read(r#"{"events": 3}"#).is_err());
        assert!(ItemWriteView::read_all(r#"{"seq": 1}"#).is_err());
        assert!(ExploreReport::read("7").is_err());
        let state = StateView::read(r#"{"tables": [], "queues": 3}"#);
        assert_eq!(state.map(|s| s.tables.len()), Ok(0));
    }

    #[test]
    fn an_item_history_reads_each_write() {
        let writes = ItemWriteView::read_all(
            r#"[{"seq": 4, "atMs": 12, "function": "pay", "invocation": "i-2", "op": "PutItem",
                 "condition": "attribute_not_exists(pk)", "passed": false,
                 "error": "ConditionalCheckFailedException"},
                {"seq": 9, "atMs": 20, "function": "pay", "invocation": "i-3", "op": "UpdateItem",
                 "update": "SET n = n + :one", "passed": true}]"#,
        )
        .unwrap_or_default();
        assert_eq!(writes.len(), 2);
        assert!(!writes[0].passed);
        assert_eq!(writes[0].update, None);
        assert_eq!(writes[1].update.as_deref(), Some("SET n = n + :one"));
        assert_eq!(writes[1].error, None);
    }

    #[test]
    fn exploration_verdicts_count_seeds() {
        // The explore summary says how many seeds failed, or that all held, in words.
        let report = ExploreReport::read(
            r#"{"firstSeed": 1, "seeds": 100, "runs": 104, "properties": [
                {"check": "a", "kind": "count", "mode": "always", "runs": 100, "passed": 97,
                 "failed": 3, "undecided": 0, "failureRatePpm": 30000, "firstFailingSeed": 12,
                 "smallestFailingCase": {"seed": 12, "explanation": "needs one fault"}},
                {"check": "b", "kind": "count", "mode": "eventually", "runs": 100, "passed": 98,
                 "failed": 0, "undecided": 2, "failureRatePpm": 0}]}"#,
        );
        let properties = report.map(|r| r.properties).unwrap_or_default();
        let texts: Vec<String> = properties
            .iter()
            .map(PropertyReport::verdict_text)
            .collect();
        assert_eq!(
            texts,
            [
                "failed in 3 of 100 seeds",
                "held on 98 of 100 seeds (2 undecided)"
            ]
        );
        assert_eq!(
            properties[0].smallest_failing_case,
            Some(SmallestCase {
                seed: 12,
                explanation: "needs one fault".to_string()
            })
        );
        assert_eq!(properties[1].smallest_failing_case, None);
        assert_eq!(properties[0].first_failing_seed, Some(12));
        let progress = ExploreProgress::read(
            r#"{"seedsDone": 5, "seedsTotal": 100, "runs": 6, "shrinking": true, "finished": false}"#,
        );
        assert_eq!(progress.map(|p| (p.seeds_done, p.shrinking)), Ok((5, true)));
    }
}
