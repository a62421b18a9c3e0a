//! `count`: how many trace events of one kind (at a node, of an event type) happen, in the whole
//! run or within each flow a producer started, judged always (never over the maximum), at the
//! end (within the bounds) or sometimes (the bounds are met at some event: a goal reached).
//!
//! Reads the trace only.

use std::collections::BTreeMap;

use crate::sim::{Run, TraceEvent, TraceKind};

use super::explain::{brief, describe_faults, fault_clause, fault_names, ms, ordinal};
use super::spec::{Bounds, CountSpec, Mode};
use super::{plural, Status, Verdict};

/// Judges a count in its mode.
pub fn judge(run: &Run, mode: Mode, spec: &CountSpec) -> Verdict {
    // Each published event's type, which only a count of deliveries of one type reads.
    let reads_types = spec.trace_kind == "delivered" && spec.event_type.is_some();
    let types: BTreeMap<&str, &str> = if reads_types {
        run.trace
            .iter()
            .filter_map(|e| match &e.kind {
                TraceKind::Published {
                    event_id,
                    event_type,
                    ..
                } => Some((event_id.as_str(), event_type.as_str())),
                _ => None,
            })
            .collect()
    } else {
        BTreeMap::new()
    };
    let counted = |event: &TraceEvent| {
        if event.kind.name() != spec.trace_kind
            || spec.node.as_ref().is_some_and(|n| &event.node != n)
        {
            return false;
        }
        let Some(wanted) = &spec.event_type else {
            return true;
        };
        let actual = match &event.kind {
            TraceKind::Produced { event_type, .. } | TraceKind::Published { event_type, .. } => {
                Some(event_type.as_str())
            }
            TraceKind::Delivered { event_id, .. } => types.get(event_id.as_str()).copied(),
            _ => None,
        };
        actual == Some(wanted.as_str())
    };
    let what = Subject::of(spec);
    if spec.per_correlation {
        per_flow(run, mode, spec.bounds, &what, &counted)
    } else {
        total(run, mode, spec.bounds, &what, &counted)
    }
}

/// What is counted, as a noun and what follows it: ("published event", " of x.v1 at bus").
#[derive(Debug, Clone)]
struct Subject {
    noun: String,
    suffix: String,
}

impl Subject {
    fn of(spec: &CountSpec) -> Subject {
        let mut suffix = String::new();
        if let Some(event_type) = &spec.event_type {
            suffix.push_str(&format!(" of {event_type}"));
        }
        if let Some(node) = &spec.node {
            suffix.push_str(&format!(" at {node}"));
        }
        Subject {
            noun: format!("{} event", spec.trace_kind),
            suffix,
        }
    }

    /// "3 published events of x.v1".
    fn tally(&self, count: u32) -> String {
        format!("{}{}", plural(u64::from(count), &self.noun), self.suffix)
    }

    /// "the 2nd published event of x.v1".
    fn nth(&self, count: u32) -> String {
        format!("the {} {}{}", ordinal(count), self.noun, self.suffix)
    }
}

fn bounds_text(bounds: Bounds) -> String {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any number".to_string(),
    }
}

fn over_max(
    event: &TraceEvent,
    count: u32,
    what: &Subject,
    bounds: Bounds,
    run: &Run,
    flow: &str,
) -> Verdict {
    let seqs = [event.seq];
    Verdict {
        status: Status::Failed,
        deciding_event: Some(event.seq),
        explanation: format!(
            "{flow}{} happened at {} (#{}: {}), over {}; {}",
            what.nth(count),
            ms(event.at_ms),
            event.seq,
            brief(event),
            bounds_text(bounds),
            fault_clause(&run.trace, &seqs)
        ),
        faults: fault_names(&run.trace, &seqs),
    }
}

fn total(
    run: &Run,
    mode: Mode,
    bounds: Bounds,
    what: &Subject,
    counted: &dyn Fn(&TraceEvent) -> bool,
) -> Verdict {
    let trace = &run.trace;
    let mut seqs_counted = Vec::new();
    for event in trace.iter().filter(|e| counted(e)) {
        seqs_counted.push(event.seq);
        let count = seqs_counted.len() as u32;
        match mode {
            Mode::Always if bounds.max.is_some_and(|m| count > m) => {
                return over_max(event, count, what, bounds, run, "");
            }
            Mode::Sometimes if bounds.contains(count) => {
                return Verdict {
                    status: Status::Passed,
                    deciding_event: Some(event.seq),
                    explanation: format!(
                        "reached {} ({}) at {} (#{})",
                        what.tally(count),
                        bounds_text(bounds),
                        ms(event.at_ms),
                        event.seq
                    ),
                    faults: Vec::new(),
                };
            }
            _ => {}
        }
    }
    let count = seqs_counted.len() as u32;
    let tally = what.tally(count);
    match mode {
        Mode::Always => Verdict::passed(
            trace,
            format!("{tally}, never over {}", bounds_text(bounds)),
        ),
        _ if !run.summary.settled => Verdict::undecided_by_bound(run),
        Mode::Sometimes => Verdict {
            status: Status::Failed,
            deciding_event: trace.last().map(|e| e.seq),
            explanation: format!("the run ended with {tally}, never {}", bounds_text(bounds)),
            faults: Vec::new(),
        },
        Mode::Eventually if bounds.contains(count) => Verdict::passed(
            trace,
            format!("{tally} at the end, {}", bounds_text(bounds)),
        ),
        Mode::Eventually => {
            let first_over = bounds
                .max
                .and_then(|m| seqs_counted.get(m as usize).map(|&seq| (m + 1, seq)))
                .and_then(|(nth, seq)| trace.iter().find(|e| e.seq == seq).map(|e| (nth, e)));
            match first_over {
                Some((nth, event)) => {
                    let mut verdict = over_max(event, nth, what, bounds, run, "");
                    verdict.explanation = format!(
                        "the run ended with {tally}, not {}: {}",
                        bounds_text(bounds),
                        verdict.explanation
                    );
                    verdict
                }
                None => Verdict {
                    status: Status::Failed,
                    deciding_event: trace.last().map(|e| e.seq),
                    explanation: format!("the run ended with {tally}, not {}", bounds_text(bounds)),
                    faults: Vec::new(),
                },
            }
        }
    }
}

/// A flow a producer started: its correlation id, its first event, its business key.
struct Flow<'a> {
    start: &'a TraceEvent,
    key: &'a str,
    counted: Vec<&'a TraceEvent>,
}

fn per_flow(
    run: &Run,
    mode: Mode,
    bounds: Bounds,
    what: &Subject,
    counted: &dyn Fn(&TraceEvent) -> bool,
) -> Verdict {
    let trace = &run.trace;
    let mut flows: BTreeMap<&str, Flow<'_>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for event in trace {
        if let TraceKind::Produced { event_id, key, .. } = &event.kind {
            let id = event.correlation.as_deref().unwrap_or(event_id);
            order.push(id);
            flows.insert(
                id,
                Flow {
                    start: event,
                    key,
                    counted: Vec::new(),
                },
            );
        }
        // Whether the event counts is asked first: it is cheaper than finding its flow.
        if !counted(event) {
            continue;
        }
        let Some(flow) = event.correlation.as_deref().and_then(|c| flows.get_mut(c)) else {
            continue;
        };
        flow.counted.push(event);
        let count = flow.counted.len() as u32;
        if mode == Mode::Always && bounds.max.is_some_and(|m| count > m) {
            return over_max(event, count, what, bounds, run, &flow_words(flow, ": "));
        }
    }
    if mode == Mode::Always {
        return Verdict::passed(
            trace,
            format!(
                "none of {} had more than {}",
                plural(order.len() as u64, "flow"),
                what.tally(bounds.max.unwrap_or(0))
            ),
        );
    }
    if !run.summary.settled {
        return Verdict::undecided_by_bound(run);
    }
    for id in &order {
        let Some(flow) = flows.get(id) else { continue };
        let count = flow.counted.len() as u32;
        if bounds.contains(count) {
            continue;
        }
        let ended = format!(
            " ended with {}, not {}: ",
            what.tally(count),
            bounds_text(bounds)
        );
        let over = bounds
            .max
            .and_then(|m| flow.counted.get(m as usize).map(|e| (m + 1, *e)));
        if let Some((nth, event)) = over {
            return over_max(event, nth, what, bounds, run, &flow_words(flow, &ended));
        }
        return stuck_flow(run, flow, id, &ended);
    }
    Verdict::passed(
        trace,
        format!(
            "each of {} had {} {}{}",
            plural(order.len() as u64, "flow"),
            bounds_text(bounds),
            what.noun,
            what.suffix
        ),
    )
}

/// A flow that ended with too few counted events: where it last moved, and its faults.
fn stuck_flow(run: &Run, flow: &Flow<'_>, id: &str, ended: &str) -> Verdict {
    let trace = &run.trace;
    let last = trace
        .iter()
        .rev()
        .find(|e| e.correlation.as_deref() == Some(id))
        .unwrap_or(flow.start);
    let faults: Vec<&TraceEvent> = trace
        .iter()
        .filter(|e| {
            matches!(e.kind, TraceKind::Fault { .. }) && e.correlation.as_deref() == Some(id)
        })
        .collect();
    let fault_words = if faults.is_empty() {
        "no injected fault hit this flow".to_string()
    } else {
        format!("faults in this flow: {}", describe_faults(&faults))
    };
    Verdict {
        status: Status::Failed,
        deciding_event: Some(last.seq),
        explanation: format!(
            "{}it last moved at {} (#{}: {}); {fault_words}",
            flow_words(flow, ended),
            ms(last.at_ms),
            last.seq,
            brief(last)
        ),
        faults: faults
            .iter()
            .filter_map(|e| match &e.kind {
                TraceKind::Fault { fault, .. } => Some(fault.clone()),
                _ => None,
            })
            .collect(),
    }
}

/// "the flow for key p-3 (com.photo.uploaded.v1 evt-1, started at 200 ms) ..."
fn flow_words(flow: &Flow<'_>, then: &str) -> String {
    let (event_type, event_id) = match &flow.start.kind {
        TraceKind::Produced {
            event_type,
            event_id,
            ..
        } => (event_type.as_str(), event_id.as_str()),
        _ => ("", ""),
    };
    format!(
        "the flow for key {} ({event_type} {event_id}, started at {}){then}",
        flow.key,
        ms(flow.start.at_ms)
    )
}
