//! What the canvas shows of a run at the playhead: per node, the invocations in flight and the
//! trouble so far (errors, retries, throttles, failed conditions, dead letters), the hop the
//! playhead's event made (from its cause's node to its own), and which events are failures
//! (for "next failure" and the flash on the node). Pure, over the worker's event lines, so it
//! is tested natively. Playback asks `playback`'s index for the activity and the messages in
//! flight; the straight walks that define them are kept here, in the tests.
//!
//! It must never judge the run: it counts what the trace says happened.

use super::model::RunEvent;

/// One node's activity up to the playhead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NodeActivity {
    /// Invocations started and not finished (functions), executions running (state machines).
    pub in_flight: u32,
    pub errors: u32,
    pub retries: u32,
    pub throttles: u32,
    pub failed_conditions: u32,
    pub dead_letters: u32,
}

impl NodeActivity {
    /// The badges to draw, as (class, text, what it means), only those that are not zero.
    pub fn badges(&self) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        let mut add = |count: u32, class, glyph: &str, meaning: &str| {
            if count > 0 {
                out.push((
                    class,
                    format!("{glyph}{count}"),
                    format!("{count} {meaning}"),
                ));
            }
        };
        add(self.in_flight, "badge-running", "▶", "in flight");
        add(self.retries, "badge-retry", "↻", "retries scheduled");
        add(self.throttles, "badge-throttle", "⧖", "throttled");
        add(
            self.failed_conditions,
            "badge-condition",
            "≠",
            "conditions failed",
        );
        add(self.errors, "badge-error", "✗", "errors");
        add(self.dead_letters, "badge-dead", "☠", "dead-lettered");
        out
    }
}

/// Whether an event is trouble worth stopping at: a failed invocation or condition, a
/// throttle, an injected fault, a dead letter or a discarded event, a bound reached.
pub fn is_failure(event: &RunEvent) -> bool {
    match event.kind.as_str() {
        "conditionFailed" | "throttled" | "fault" | "deadLettered" | "discarded"
        | "boundReached" => true,
        "invocationFinished" => !finished_ok(event),
        _ => false,
    }
}

/// An `invocationFinished` line says `ok` when the handler succeeded.
pub(super) fn finished_ok(event: &RunEvent) -> bool {
    event.line.split_whitespace().any(|word| word == "ok")
}

/// The hop the event at `seq` made: (from node, to node) when its cause happened elsewhere.
pub fn hop(events: &[RunEvent], seq: u32) -> Option<(String, String)> {
    let event = events.get(usize::try_from(seq).ok()?)?;
    let cause = events.get(usize::try_from(event.cause?).ok()?)?;
    (cause.node != event.node).then(|| (cause.node.clone(), event.node.clone()))
}

/// A message on its way at the playhead: from its cause's node to its event's node, with the
/// share of the way travelled (in virtual time; 0.5 when both ends happen at the same instant).
#[derive(Debug, PartialEq)]
pub struct Flight {
    pub from: String,
    pub to: String,
    pub travelled: f64,
}

/// The most messages drawn at once: beyond this the canvas would be a blur, not a picture.
pub const MOST_FLIGHTS: usize = 2_000;

/// The first failure after `from` (or from the start when there is no playhead).
pub fn next_failure(events: &[RunEvent], from: Option<u32>) -> Option<u32> {
    events
        .iter()
        .filter(|e| from.is_none_or(|from| e.seq > from))
        .find(|e| is_failure(e))
        .map(|e| e.seq)
}

/// The last failure before `from`.
pub fn previous_failure(events: &[RunEvent], from: Option<u32>) -> Option<u32> {
    let from = from?;
    events
        .iter()
        .rev()
        .filter(|e| e.seq < from)
        .find(|e| is_failure(e))
        .map(|e| e.seq)
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    // The straight walks over the trace that `playback::PlaybackIndex` answers from its index;
    // they define what the canvas shows and are the index's reference in its tests.

    /// Each node's activity after the events up to and including `upto`.
    pub(in crate::run) fn activity(
        events: &[RunEvent],
        upto: u32,
    ) -> BTreeMap<String, NodeActivity> {
        let mut out: BTreeMap<String, NodeActivity> = BTreeMap::new();
        for event in events.iter().take_while(|e| e.seq <= upto) {
            let node = out.entry(event.node.clone()).or_default();
            match event.kind.as_str() {
                "invocationStarted" => node.in_flight += 1,
                "invocationFinished" => {
                    node.in_flight = node.in_flight.saturating_sub(1);
                    if !finished_ok(event) {
                        node.errors += 1;
                    }
                }
                "retryScheduled" => node.retries += 1,
                "throttled" => node.throttles += 1,
                "conditionFailed" => node.failed_conditions += 1,
                "deadLettered" | "discarded" => node.dead_letters += 1,
                _ => {}
            }
        }
        out.retain(|_, a| *a != NodeActivity::default());
        out
    }

    /// Every message in flight after the events up to and including `upto`: an event still to come
    /// whose cause has happened, on another node.
    pub(in crate::run) fn in_flight(events: &[RunEvent], upto: u32) -> Vec<Flight> {
        let Some(now) = events
            .get(usize::try_from(upto).unwrap_or(usize::MAX))
            .map(|e| e.at_ms)
        else {
            return Vec::new();
        };
        let start = usize::try_from(upto).map_or(events.len(), |u| u.saturating_add(1));
        events
            .iter()
            .skip(start)
            .filter_map(|event| {
                let cause = event.cause.filter(|c| *c <= upto)?;
                let cause = events.get(usize::try_from(cause).ok()?)?;
                if cause.node == event.node {
                    return None;
                }
                let span = event.at_ms.saturating_sub(cause.at_ms);
                let travelled = if span == 0 {
                    0.5
                } else {
                    (now.saturating_sub(cause.at_ms) as f64 / span as f64).clamp(0.0, 1.0)
                };
                Some(Flight {
                    from: cause.node.clone(),
                    to: event.node.clone(),
                    travelled,
                })
            })
            .take(MOST_FLIGHTS)
            .collect()
    }

    pub(in crate::run) fn event(
        seq: u32,
        node: &str,
        kind: &str,
        cause: Option<u32>,
        line: &str,
    ) -> RunEvent {
        RunEvent {
            seq,
            at_ms: u64::from(seq) * 10,
            node: node.to_string(),
            kind: kind.to_string(),
            cause,
            correlation: None,
            line: line.to_string(),
        }
    }

    pub(in crate::run) fn run() -> Vec<RunEvent> {
        vec![
            event(0, "bus", "published", None, "#0 published"),
            event(1, "pay", "invocationStarted", Some(0), "#1 started"),
            event(2, "orders", "conditionFailed", Some(1), "#2 failed"),
            event(
                3,
                "pay",
                "invocationFinished",
                Some(2),
                "#3 @30ms pay invocationFinished inv-1 error: ConditionalCheckFailedException",
            ),
            event(4, "pay", "retryScheduled", Some(3), "#4 retry"),
            event(5, "pay", "invocationStarted", Some(4), "#5 started"),
            event(
                6,
                "pay",
                "invocationFinished",
                Some(5),
                "#6 @60ms pay invocationFinished inv-2 ok <- #5",
            ),
        ]
    }

    #[test]
    fn activity_counts_what_happened_up_to_the_playhead() {
        // Midway the function is running and a condition failed; at the end nothing runs and the
        // error and the retry are counted.
        let events = run();
        let middle = activity(&events, 2);
        assert_eq!(middle["pay"].in_flight, 1);
        assert_eq!(middle["orders"].failed_conditions, 1);
        assert!(!middle.contains_key("bus"), "quiet nodes get no entry");
        let end = activity(&events, 6);
        assert_eq!(
            end["pay"],
            NodeActivity {
                in_flight: 0,
                errors: 1,
                retries: 1,
                ..NodeActivity::default()
            }
        );
        let badges: Vec<String> = end["pay"].badges().into_iter().map(|b| b.1).collect();
        assert_eq!(badges, ["↻1", "✗1"]);
    }

    #[test]
    fn failures_are_found_forwards_and_backwards() {
        // The failed condition and the failed invocation are failures; a successful finish is not.
        let events = run();
        assert_eq!(next_failure(&events, None), Some(2));
        assert_eq!(next_failure(&events, Some(2)), Some(3));
        assert_eq!(next_failure(&events, Some(3)), None);
        assert_eq!(previous_failure(&events, Some(6)), Some(3));
        assert_eq!(previous_failure(&events, None), None);
    }

    #[test]
    fn messages_in_flight_are_the_hops_whose_cause_has_happened_and_arrival_has_not() {
        // At #0 the bus's event is on its way to pay (caused, not yet started); the refused
        // write's answer travels back from orders to pay; after that everything happens at pay.
        let events = run();
        assert_eq!(
            in_flight(&events, 0),
            [Flight {
                from: "bus".into(),
                to: "pay".into(),
                travelled: 0.0
            }]
        );
        assert_eq!(
            in_flight(&events, 1).len(),
            1,
            "pay's write to orders is on its way"
        );
        assert_eq!(in_flight(&events, 2)[0].from, "orders");
        assert!(in_flight(&events, 3).is_empty());
        assert!(in_flight(&events, 99).is_empty());
        // Halfway in virtual time is drawn halfway along the edge.
        let halfway = [
            event(0, "bus", "published", None, "#0"),
            event(1, "other", "published", None, "#1"),
            event(2, "pay", "invocationStarted", Some(0), "#2"),
        ];
        assert_eq!(in_flight(&halfway, 1)[0].travelled, 0.5);
    }

    #[test]
    fn a_hop_goes_from_the_cause_node_to_the_event_node() {
        // The invocation started at `pay` because of the bus's event; a finish at the same node
        // as its cause is no hop.
        let events = run();
        assert_eq!(
            hop(&events, 1),
            Some(("bus".to_string(), "pay".to_string()))
        );
        assert_eq!(hop(&events, 6), None);
        assert_eq!(hop(&events, 0), None);
        assert_eq!(hop(&events, 99), None);
    }
}
