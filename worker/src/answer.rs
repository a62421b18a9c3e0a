//! The worker's answers as JSON text for the page. The page bundle does not contain the
//! simulator, so everything it shows is shaped here: each trace event comes with its readable
//! line (core's `to_line`), and the bulky parts of an event (CloudEvent bodies, requests and
//! responses) stay in the worker except inside that line.
//!
//! It must never decide anything about a run; it only copies core's results into JSON.

use eventlab_core::check::{CheckProblem, CheckResult};
use eventlab_core::design::Design;
use eventlab_core::sim::{Run, TraceEvent};
use serde::Serialize;
use serde_json::{json, Value};

/// One trace event as the page shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventLine<'a> {
    seq: u32,
    at_ms: u64,
    node: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation: Option<&'a str>,
    line: String,
}

impl<'a> EventLine<'a> {
    fn new(event: &'a TraceEvent) -> EventLine<'a> {
        EventLine {
            seq: event.seq,
            at_ms: event.at_ms,
            node: &event.node,
            kind: event.kind.name(),
            cause: event.cause,
            correlation: event.correlation.as_deref(),
            line: event.to_line(),
        }
    }
}

/// `{seed, traceHash, summary, events, checks, checkProblems, checksHtml}`: the seed as text (a
/// u64 does not fit a JavaScript number), the trace hash, core's summary, the events with their
/// lines, core's check results, the checks that could not be compiled, and both as the Checks
/// tab's cards (`checks_html.rs`).
pub fn run_answer(
    design: &Design,
    run: &Run,
    checks: &[CheckResult],
    problems: &[CheckProblem],
) -> String {
    let events: Vec<EventLine> = run.trace.iter().map(EventLine::new).collect();
    to_text(&json!({
        "seed": run.seed.to_string(),
        "traceHash": run.trace_hash,
        "summary": run.summary,
        "events": events,
        "checks": checks,
        "checkProblems": problems,
        "checksHtml": crate::checks_html::checks(design, checks, problems),
    }))
}

/// `{error}`: what went wrong, in a sentence for the page to show.
pub fn error(message: &str) -> String {
    to_text(&json!({ "error": message }))
}

/// JSON text of anything core serializes; an `{error}` in the impossible case it fails.
pub fn to_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        let fallback: Value = json!({ "error": format!("the answer could not be written: {e}") });
        fallback.to_string()
    })
}
