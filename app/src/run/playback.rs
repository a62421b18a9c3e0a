//! What playback draws at a playhead (each node's activity and the messages in flight),
//! answered from an index built once per run, so a step of playback costs about what changed
//! rather than a walk over the whole trace (a run can hold 100,000 events; playing at 60 events
//! a second walked it twice per step). Pure, tested natively against the straight walk.
//!
//! It must answer exactly what a walk of the trace from the start would: it only remembers
//! that walk's results every `STRIDE` events and replays the few events since.

use std::collections::BTreeMap;

use super::activity::{finished_ok, Flight, NodeActivity, MOST_FLIGHTS};
use super::model::RunEvent;

/// Events between two remembered points: a step replays at most this many.
const STRIDE: usize = 1024;

/// What an event does to its node's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    None,
    Started,
    FinishedOk,
    FinishedWithError,
    Retry,
    Throttle,
    FailedCondition,
    DeadLetter,
}

impl Change {
    fn of(event: &RunEvent) -> Change {
        match event.kind.as_str() {
            "invocationStarted" => Change::Started,
            "invocationFinished" if finished_ok(event) => Change::FinishedOk,
            "invocationFinished" => Change::FinishedWithError,
            "retryScheduled" => Change::Retry,
            "throttled" => Change::Throttle,
            "conditionFailed" => Change::FailedCondition,
            "deadLettered" | "discarded" => Change::DeadLetter,
            _ => Change::None,
        }
    }

    fn apply(self, node: &mut NodeActivity) {
        match self {
            Change::None => {}
            Change::Started => node.in_flight += 1,
            Change::FinishedOk => node.in_flight = node.in_flight.saturating_sub(1),
            Change::FinishedWithError => {
                node.in_flight = node.in_flight.saturating_sub(1);
                node.errors += 1;
            }
            Change::Retry => node.retries += 1,
            Change::Throttle => node.throttles += 1,
            Change::FailedCondition => node.failed_conditions += 1,
            Change::DeadLetter => node.dead_letters += 1,
        }
    }
}

/// A message from one node to another: sent by the event at `cause`, arriving as the event at
/// `arrival` (positions in the trace). It is on its way while `cause <= playhead < arrival`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hop {
    cause: usize,
    arrival: usize,
}

/// The index over one run's events.
#[derive(Debug, PartialEq, Eq)]
pub struct PlaybackIndex {
    /// The nodes the trace names, each once; events refer to them by position.
    nodes: Vec<String>,
    /// Per event: its node's position in `nodes` and what it changes there.
    changes: Vec<(usize, Change)>,
    /// Per mark `k`: every node's activity after the first `k * STRIDE` events.
    activity_marks: Vec<Vec<NodeActivity>>,
    /// Every hop, in the order of its arrival.
    hops: Vec<Hop>,
    /// Positions in `hops` grouped by their cause, in trace order: the hops caused by the event
    /// at `e` are `hops_by_cause[caused_from[e]..caused_from[e + 1]]`.
    hops_by_cause: Vec<usize>,
    caused_from: Vec<usize>,
    /// Per mark `k`: the hops on their way after the first `k * STRIDE` events.
    flight_marks: Vec<Vec<usize>>,
}

impl PlaybackIndex {
    pub fn new(events: &[RunEvent]) -> PlaybackIndex {
        // Nodes numbered in the order of their names, so activity comes out in that order.
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        for event in events {
            names.insert(event.node.as_str(), 0);
        }
        for (number, index) in names.values_mut().enumerate() {
            *index = number;
        }
        let nodes: Vec<String> = names.keys().map(|name| name.to_string()).collect();
        let changes: Vec<(usize, Change)> = events
            .iter()
            .map(|e| (names[e.node.as_str()], Change::of(e)))
            .collect();
        let mut activity_marks = Vec::with_capacity(events.len() / STRIDE + 1);
        let mut now = vec![NodeActivity::default(); nodes.len()];
        for (at, (node, change)) in changes.iter().enumerate() {
            if at % STRIDE == 0 {
                activity_marks.push(now.clone());
            }
            change.apply(&mut now[*node]);
        }
        let hops = hops(events);
        let (hops_by_cause, caused_from) = group_by_cause(&hops, events.len());
        // A hop is on its way at mark `k` when `cause < k * STRIDE <= arrival`.
        let mut flight_marks = vec![Vec::new(); activity_marks.len()];
        for (index, hop) in hops.iter().enumerate() {
            let first = hop.cause / STRIDE + 1;
            let last = (hop.arrival / STRIDE).min(flight_marks.len().saturating_sub(1));
            for mark in flight_marks.iter_mut().take(last + 1).skip(first) {
                mark.push(index);
            }
        }
        PlaybackIndex {
            nodes,
            changes,
            activity_marks,
            hops,
            hops_by_cause,
            caused_from,
            flight_marks,
        }
    }

    /// Each node's activity after the events up to and including `upto`, in the order of the
    /// nodes' names; quiet nodes are left out.
    pub fn activity(&self, upto: u32) -> Vec<(&str, NodeActivity)> {
        let done = done(upto, self.changes.len());
        let mark = self.mark(done);
        let Some(mut now) = self.activity_marks.get(mark).cloned() else {
            return Vec::new();
        };
        for (node, change) in &self.changes[mark * STRIDE..done] {
            change.apply(&mut now[*node]);
        }
        self.nodes
            .iter()
            .zip(now)
            .filter(|(_, activity)| *activity != NodeActivity::default())
            .map(|(node, activity)| (node.as_str(), activity))
            .collect()
    }

    /// Every message in flight after the events up to and including `upto`, at most
    /// `MOST_FLIGHTS` (beyond that, which ones are drawn does not matter).
    pub fn in_flight(&self, events: &[RunEvent], upto: u32) -> Vec<Flight> {
        let Some(now) = usize::try_from(upto)
            .ok()
            .and_then(|upto| events.get(upto))
            .map(|e| e.at_ms)
        else {
            return Vec::new();
        };
        let done = done(upto, events.len());
        let mark = self.mark(done);
        // On the way at the mark, or sent since; either way not yet arrived.
        let sent_since = (self.caused_from.get(mark * STRIDE))
            .zip(self.caused_from.get(done))
            .and_then(|(first, end)| self.hops_by_cause.get(*first..*end))
            .unwrap_or_default();
        self.flight_marks
            .get(mark)
            .into_iter()
            .flatten()
            .chain(sent_since)
            .map(|index| self.hops[*index])
            .filter(|hop| hop.arrival >= done)
            .take(MOST_FLIGHTS)
            .filter_map(|hop| {
                Some(flight(
                    events.get(hop.cause)?,
                    events.get(hop.arrival)?,
                    now,
                ))
            })
            .collect()
    }

    /// The last mark at or before `done` events.
    fn mark(&self, done: usize) -> usize {
        (done / STRIDE).min(self.activity_marks.len().saturating_sub(1))
    }
}

/// How many events have happened once the event at `upto` has (`upto` is a position).
fn done(upto: u32, len: usize) -> usize {
    usize::try_from(upto).map_or(len, |upto| upto.saturating_add(1).min(len))
}

/// Every event caused by an event on another node, as a hop from its cause.
fn hops(events: &[RunEvent]) -> Vec<Hop> {
    events
        .iter()
        .enumerate()
        .filter_map(|(arrival, event)| {
            let cause = usize::try_from(event.cause?).ok()?;
            let from = events.get(cause)?;
            // A cause after its event never happens; such a hop would never be on its way.
            (from.node != event.node && cause < arrival).then_some(Hop { cause, arrival })
        })
        .collect()
}

/// The hops' positions grouped by cause, and where each event's group starts (a counting sort:
/// one pass to count, one to place, each group in the order of arrival).
fn group_by_cause(hops: &[Hop], events: usize) -> (Vec<usize>, Vec<usize>) {
    let mut caused_from = vec![0; events + 1];
    for hop in hops {
        caused_from[hop.cause + 1] += 1;
    }
    for at in 1..caused_from.len() {
        caused_from[at] += caused_from[at - 1];
    }
    let mut next = caused_from.clone();
    let mut by_cause = vec![0; hops.len()];
    for (index, hop) in hops.iter().enumerate() {
        by_cause[next[hop.cause]] = index;
        next[hop.cause] += 1;
    }
    (by_cause, caused_from)
}

/// The message from `cause` to `arrival` at virtual time `now`, with the share of the way
/// travelled (0.5 when both ends happen at the same instant).
fn flight(cause: &RunEvent, arrival: &RunEvent, now: u64) -> Flight {
    let span = arrival.at_ms.saturating_sub(cause.at_ms);
    let travelled = if span == 0 {
        0.5
    } else {
        (now.saturating_sub(cause.at_ms) as f64 / span as f64).clamp(0.0, 1.0)
    };
    Flight {
        from: cause.node.clone(),
        to: arrival.node.clone(),
        travelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::activity::tests::{activity, event, in_flight, run};

    /// The index must answer what the straight walk answers at every playhead, and past the end
    /// (the messages in flight in any order).
    fn check(events: &[RunEvent]) {
        let index = PlaybackIndex::new(events);
        let len = u32::try_from(events.len()).unwrap();
        let sorted = |flights: Vec<Flight>| {
            let mut lines: Vec<String> = flights.iter().map(|f| format!("{f:?}")).collect();
            lines.sort();
            lines
        };
        for upto in (0..len + 2).chain([u32::MAX]) {
            let answered: BTreeMap<String, NodeActivity> = (index.activity(upto).into_iter())
                .map(|(node, activity)| (node.to_string(), activity))
                .collect();
            assert_eq!(answered, activity(events, upto), "activity at {upto}");
            assert_eq!(
                sorted(index.in_flight(events, upto)),
                sorted(in_flight(events, upto)),
                "in flight at {upto}"
            );
        }
    }

    #[test]
    fn a_small_run_is_answered_as_the_walk_answers_it() {
        // The activity tests' run: a retry after a failed condition, all within one stride.
        check(&run());
        check(&[]);
    }

    #[test]
    fn a_long_run_with_far_hops_is_answered_as_the_walk_answers_it() {
        // Several strides of events on a few nodes, causes near and far back (messages on their
        // way across many marks), causes missing, on the same node, or after their event; a
        // fixed pseudo-random sequence, so a failure repeats.
        let kinds = [
            "published",
            "invocationStarted",
            "invocationFinished",
            "retryScheduled",
            "throttled",
            "conditionFailed",
            "deadLettered",
            "discarded",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        let events: Vec<RunEvent> = (0..3 * STRIDE as u32 + 77)
            .map(|seq| {
                let node = format!("node-{}", next(7));
                let kind = kinds[next(kinds.len() as u64) as usize];
                let back = match next(10) {
                    0 => None,
                    1 => Some(-2),
                    2..=3 => Some(next(2 * STRIDE as u64) as i64),
                    _ => Some(next(20) as i64),
                };
                let cause = back.map(|back| u32::try_from((i64::from(seq) - back).max(0)).unwrap());
                let ok = if next(3) == 0 { "error" } else { "ok" };
                let mut event = event(seq, &node, kind, cause, &format!("#{seq} {kind} {ok}"));
                event.at_ms = u64::from(seq / 3) * 5;
                event
            })
            .collect();
        check(&events);
    }
}
