//! The worker's answers as plain data (read by `answers`), and the pure questions the run views ask of them (which
//! lines a filter keeps, what shape a trace event gets on the timeline, which lanes there are,
//! what the run's status says). No signals and no DOM here, so all of it is tested natively.
//!
//! It must never judge a run: verdicts, explanations and lines come from core in the worker.

use std::collections::BTreeMap;

use eventlab_core::design::Design;
use serde_json::Value;

/// A run as the worker answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    /// The seed, as decimal text (a u64 does not fit a JavaScript number).
    pub seed: String,
    pub trace_hash: String,
    pub summary: RunSummary,
    pub events: Vec<RunEvent>,
    pub checks: Vec<CheckOutcome>,
    /// How many checks could not be judged at all.
    pub check_problems: usize,
    /// The Checks tab's cards, judged and not, as HTML shaped and escaped in the worker
    /// (`worker/src/checks_html.rs`).
    pub checks_html: String,
}

/// The parts of core's run summary the views show.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    pub events: u32,
    pub end_ms: u64,
    pub settled: bool,
    pub stopped_by: Option<String>,
    pub faults: u32,
}

/// One trace event with its readable line.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEvent {
    pub seq: u32,
    pub at_ms: u64,
    pub node: String,
    pub kind: String,
    pub cause: Option<u32>,
    pub correlation: Option<String>,
    pub line: String,
}

/// One property's verdict on the run (core's `CheckResult`); the Checks tab shows the rest
/// as the worker's HTML (`RunView::checks_html`).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome {
    /// `passed`, `failed` or `undecided`.
    pub status: String,
}

/// What the design held just after one trace event (core's `StateAt`).
#[derive(Debug, Clone, PartialEq)]
pub struct StateView {
    pub seq: u32,
    pub at_ms: u64,
    pub tables: BTreeMap<String, Vec<Value>>,
    pub queues: BTreeMap<String, Vec<QueuedView>>,
    pub in_flight: Vec<InFlightView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueuedView {
    pub message: String,
    pub body: Value,
    pub receive_count: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InFlightView {
    pub function: String,
    pub invocation: String,
    pub attempt: u32,
    pub since_ms: u64,
}

/// One write in an item's version history (core's `ItemWrite`).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemWriteView {
    pub seq: u32,
    pub at_ms: u64,
    pub function: String,
    pub invocation: String,
    pub op: String,
    pub condition: Option<String>,
    pub update: Option<String>,
    pub passed: bool,
    pub error: Option<String>,
}

/// How far an exploration has got (core's `Progress`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExploreProgress {
    pub seeds_done: u32,
    pub seeds_total: u32,
    pub runs: u32,
    pub shrinking: bool,
}

/// An exploration's results (core's `ExplorationReport`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExploreReport {
    pub first_seed: u64,
    pub seeds: u32,
    pub runs: u32,
    pub properties: Vec<PropertyReport>,
}

/// One property across the explored seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyReport {
    pub check: String,
    pub runs: u32,
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    pub first_failing_seed: Option<u64>,
    pub smallest_failing_case: Option<SmallestCase>,
}

/// The smallest failing case of a property: its seed and what it needs, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallestCase {
    pub seed: u64,
    pub explanation: String,
}

impl PropertyReport {
    /// "failed in 3 of 100 seeds", "held on all 100 seeds", with undecided runs said apart.
    pub fn verdict_text(&self) -> String {
        let undecided = if self.undecided > 0 {
            format!(" ({} undecided)", self.undecided)
        } else {
            String::new()
        };
        if self.failed == 0 {
            format!("held on {} of {} seeds{undecided}", self.passed, self.runs)
        } else {
            format!(
                "failed in {} of {} seeds{undecided}",
                self.failed, self.runs
            )
        }
    }
}

/// Reads a worker answer: the value, or the worker's `{error}` sentence, or why the text is
/// not JSON. Every answer is read as a `serde_json::Value`, as designs are, and then field by
/// field (`answers`): derived `Deserialize` impls would each add a parser to the page's bundle.
pub fn read_answer(text: &str) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("the simulator's answer was not readable: {e}"))?;
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        return Err(error.to_string());
    }
    Ok(value)
}

/// Whether an event's line or correlation id contains `filter`, ignoring ASCII case (ids and
/// event types are ASCII; this keeps Unicode's case tables out of the page). Blank keeps all.
pub fn matches_filter(event: &RunEvent, filter: &str) -> bool {
    let needle = filter.trim().to_ascii_lowercase();
    needle.is_empty()
        || event.line.to_ascii_lowercase().contains(&needle)
        || event
            .correlation
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains(&needle))
}

/// The part of an event's line after `#seq @atMs node kind`, which the event log shows in its
/// own columns; the whole line when it does not start that way.
pub fn details(event: &RunEvent) -> &str {
    let prefix = format!(
        "#{} @{}ms {} {}",
        event.seq, event.at_ms, event.node, event.kind
    );
    event
        .line
        .strip_prefix(&prefix)
        .map_or(event.line.as_str(), str::trim_start)
}

/// How a trace event is drawn on the timeline: each family has its own shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Produced,
    Published,
    Delivered,
    Invocation,
    Step,
    ConditionFailed,
    Fault,
    Retry,
    DeadLetter,
    Message,
    Effect,
    Bound,
    Other,
}

impl Mark {
    pub fn of(kind: &str) -> Mark {
        match kind {
            "produced" => Mark::Produced,
            "published" => Mark::Published,
            "delivered" => Mark::Delivered,
            "invocationStarted" | "invocationFinished" | "execution" => Mark::Invocation,
            "step" | "streamRecord" => Mark::Step,
            "conditionFailed" | "throttled" => Mark::ConditionFailed,
            "fault" => Mark::Fault,
            "retryScheduled" => Mark::Retry,
            "deadLettered" | "discarded" => Mark::DeadLetter,
            "messageSent" | "messageReceived" | "messageDeleted" | "messageDeduplicated" => {
                Mark::Message
            }
            "externalEffect" => Mark::Effect,
            "boundReached" => Mark::Bound,
            _ => Mark::Other,
        }
    }

    /// The CSS class that colours it.
    pub fn class(self) -> &'static str {
        match self {
            Mark::Produced => "mark-produced",
            Mark::Published => "mark-published",
            Mark::Delivered => "mark-delivered",
            Mark::Invocation => "mark-invocation",
            Mark::Step => "mark-step",
            Mark::ConditionFailed => "mark-condition",
            Mark::Fault => "mark-fault",
            Mark::Retry => "mark-retry",
            Mark::DeadLetter => "mark-dead-letter",
            Mark::Message => "mark-message",
            Mark::Effect => "mark-effect",
            Mark::Bound => "mark-bound",
            Mark::Other => "mark-other",
        }
    }

    /// The legend's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Mark::Produced => "produced",
            Mark::Published => "published",
            Mark::Delivered => "delivery",
            Mark::Invocation => "invocation start/end",
            Mark::Step => "step",
            Mark::ConditionFailed => "condition failed / throttled",
            Mark::Fault => "fault",
            Mark::Retry => "retry",
            Mark::DeadLetter => "dead-letter / discarded",
            Mark::Message => "queue message",
            Mark::Effect => "external effect",
            Mark::Bound => "bound reached",
            Mark::Other => "other",
        }
    }

    /// Every mark in legend order.
    pub const ALL: [Mark; 12] = [
        Mark::Produced,
        Mark::Published,
        Mark::Delivered,
        Mark::Invocation,
        Mark::Step,
        Mark::Effect,
        Mark::Message,
        Mark::ConditionFailed,
        Mark::Fault,
        Mark::Retry,
        Mark::DeadLetter,
        Mark::Bound,
    ];
}

/// A timeline lane: one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub node: String,
    pub label: String,
}

/// One lane per component that has events, in the design's node order; components the design
/// does not name (such as `run`) come last, in order of first appearance.
pub fn lanes(design: &Design, events: &[RunEvent]) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = design
        .nodes
        .iter()
        .filter(|node| events.iter().any(|e| e.node == node.id))
        .map(|node| Lane {
            node: node.id.clone(),
            label: if node.name.is_empty() {
                node.id.clone()
            } else {
                node.name.clone()
            },
        })
        .collect();
    for event in events {
        if !lanes.iter().any(|lane| lane.node == event.node) {
            lanes.push(Lane {
                node: event.node.clone(),
                label: event.node.clone(),
            });
        }
    }
    lanes
}

/// The range of at most `size` positions out of `len` that keeps `center` in view.
pub fn window(len: usize, center: usize, size: usize) -> std::ops::Range<usize> {
    if len <= size {
        return 0..len;
    }
    let start = center.saturating_sub(size / 2).min(len - size);
    start..start + size
}

/// The window of `size` positions out of `len` shown while the playhead is at position `at`,
/// for a view that follows a playing run (the timeline's marks). It moves
/// in steps of a quarter of itself, so playing rebuilds the view once per `size / 4` events
/// rather than at every event, and the playhead keeps a quarter window either side.
pub fn stepped_window(len: usize, at: usize, size: usize) -> std::ops::Range<usize> {
    let step = (size / 4).max(1);
    let start = at.saturating_sub(size / 2) / step * step;
    window(len, start + size / 2, size)
}

/// The run's status in a few words: how many events and how it ended (the end time is in the
/// playhead's label; the top bar has little room).
pub fn status_text(summary: &RunSummary) -> String {
    let events = plural(summary.events, "event");
    if summary.settled {
        format!("{events} · settled")
    } else {
        let bound = summary.stopped_by.as_deref().unwrap_or("a bound");
        format!("{events} · stopped by {bound}")
    }
}

/// How many checks failed, in words for the tab and the top bar.
pub fn checks_text(checks: &[CheckOutcome]) -> String {
    let failed = checks.iter().filter(|c| c.status == "failed").count();
    let undecided = checks.iter().filter(|c| c.status == "undecided").count();
    match (failed, undecided) {
        (0, 0) if checks.is_empty() => "no checks".to_string(),
        (0, 0) => "all checks pass".to_string(),
        (0, u) => format!("{u} undecided"),
        (f, _) => format!("{f} failed"),
    }
}

fn plural(count: u32, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u32, node: &str, kind: &str, line: &str, correlation: Option<&str>) -> RunEvent {
        RunEvent {
            seq,
            at_ms: u64::from(seq) * 10,
            node: node.to_string(),
            kind: kind.to_string(),
            cause: None,
            correlation: correlation.map(str::to_string),
            line: line.to_string(),
        }
    }

    #[test]
    fn filter_matches_line_or_correlation_in_any_case() {
        // A person filters by an order key seen in a line, or by a correlation id that lines do
        // not print; both must find the event, and a blank filter keeps everything.
        let e = event(
            3,
            "pay",
            "step",
            "#3 @30ms pay step key=o-3",
            Some("corr-ABC"),
        );
        let check = |filter: &str, expected: bool| {
            assert_eq!(matches_filter(&e, filter), expected, "filter {filter:?}");
        };
        check("", true);
        check("  ", true);
        check("O-3", true);
        check("corr-abc", true);
        check("o-4", false);
    }

    #[test]
    fn details_drop_the_columns_the_log_shows_apart() {
        // The log shows seq, time, node and kind in columns; the rest of the line follows.
        let e = event(
            7,
            "pay",
            "step",
            "#7 @70ms pay step inv-1 s1 call <- #3",
            None,
        );
        assert_eq!(details(&e), "inv-1 s1 call <- #3");
        let odd = event(7, "pay", "step", "something else", None);
        assert_eq!(details(&odd), "something else");
    }

    #[test]
    fn window_keeps_the_center_in_view_and_stays_in_range() {
        // Long traces are drawn a window at a time; the window must hold the playhead and never
        // run past either end.
        let check = |len, center, size, expected: std::ops::Range<usize>| {
            assert_eq!(window(len, center, size), expected, "{len} {center} {size}");
        };
        check(10, 5, 100, 0..10);
        check(1000, 0, 100, 0..100);
        check(1000, 500, 100, 450..550);
        check(1000, 999, 100, 900..1000);
        check(1000, 5000, 100, 900..1000);
    }

    #[test]
    fn lanes_follow_the_design_then_unknown_nodes() {
        // Lanes read top to bottom in the design's order, whatever order events came in.
        let design = eventlab_core::design::load_text(
            r#"{"schemaVersion": 1, "name": "t", "nodes": [
                {"id": "a", "name": "Alpha", "kind": "queue"},
                {"id": "b", "name": "Beta", "kind": "queue"},
                {"id": "c", "name": "Gamma", "kind": "queue"}]}"#,
        )
        .map(|l| l.design)
        .unwrap_or_default();
        let events = [
            event(0, "c", "step", "", None),
            event(1, "run", "boundReached", "", None),
            event(2, "a", "step", "", None),
        ];
        let labels: Vec<String> = lanes(&design, &events)
            .into_iter()
            .map(|l| l.label)
            .collect();
        assert_eq!(labels, ["Alpha", "Gamma", "run"]);
    }

    #[test]
    fn every_trace_kind_has_a_mark_of_its_own_family() {
        // The legend promises distinct shapes for deliveries, steps, condition failures,
        // faults, retries and dead-letters; none of those may fall into "other".
        let check = |kind: &str, expected: Mark| assert_eq!(Mark::of(kind), expected, "{kind}");
        check("delivered", Mark::Delivered);
        check("step", Mark::Step);
        check("conditionFailed", Mark::ConditionFailed);
        check("fault", Mark::Fault);
        check("retryScheduled", Mark::Retry);
        check("deadLettered", Mark::DeadLetter);
        check("boundReached", Mark::Bound);
        check("somethingNew", Mark::Other);
    }

    #[test]
    fn status_says_how_the_run_ended() {
        // Settled runs give their end time; bounded ones say which bound stopped them.
        let mut summary = RunSummary {
            events: 1,
            end_ms: 40,
            settled: true,
            stopped_by: None,
            faults: 0,
        };
        assert_eq!(status_text(&summary), "1 event · settled");
        summary.events = 9;
        summary.settled = false;
        summary.stopped_by = Some("maxEvents".to_string());
        assert_eq!(status_text(&summary), "9 events · stopped by maxEvents");
    }
}
