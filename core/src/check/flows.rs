//! Properties about where things ended: `queueEmpty` (nothing left in a queue or DLQ) and
//! `reaches` (every flow a producer started reaches an event type: no stuck workflows).
//!
//! Reads the trace and the run's summary only.

use std::collections::BTreeSet;

use crate::sim::{Run, TraceEvent, TraceKind};

use super::explain::{brief, describe_faults, fault_clause, fault_names, ms};
use super::{plural, Status, Verdict};

/// A queue must hold no message at the end of a settled run.
pub fn judge_queue_empty(run: &Run, queue: &str) -> Verdict {
    if !run.summary.settled {
        return Verdict::undecided_by_bound(run);
    }
    let depth = run.summary.queue_depths.get(queue).copied().unwrap_or(0);
    if depth == 0 {
        return Verdict::passed(&run.trace, format!("{queue} is empty at the end"));
    }
    let trace = &run.trace;
    let deleted: BTreeSet<&str> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::MessageDeleted { message } if e.node == queue => Some(message.as_str()),
            _ => None,
        })
        .collect();
    let left = trace.iter().rev().find(|e| match &e.kind {
        TraceKind::MessageSent { message, .. } => {
            e.node == queue && !deleted.contains(message.as_str())
        }
        _ => false,
    });
    let (seq, story) = match left {
        Some(event) => {
            let why = dead_letter_reason(trace, event);
            (
                Some(event.seq),
                format!(
                    "the last to arrive came at {} (#{}){why}; {}",
                    ms(event.at_ms),
                    event.seq,
                    fault_clause(trace, &[event.seq])
                ),
            )
        }
        None => (
            trace.last().map(|e| e.seq),
            "no trace of how they got there".to_string(),
        ),
    };
    let seqs: Vec<u32> = seq.into_iter().collect();
    Verdict {
        status: Status::Failed,
        deciding_event: seq,
        explanation: format!(
            "{queue} still holds {} at the end: {story}",
            plural(u64::from(depth), "message")
        ),
        faults: fault_names(trace, &seqs),
    }
}

/// ", dead-lettered from X because ..." when a dead-letter move led to this message.
fn dead_letter_reason(trace: &[TraceEvent], sent: &TraceEvent) -> String {
    let moved = super::explain::cause_chain(trace, sent.seq)
        .into_iter()
        .find_map(|e| match &e.kind {
            TraceKind::DeadLettered {
                subject, reason, ..
            } => Some((subject, reason)),
            _ => None,
        });
    match moved {
        Some((subject, reason)) => format!(", dead-lettered: {subject}: {reason}"),
        None => String::new(),
    }
}

/// Every flow started by a producer must reach a publication of `event_type`.
pub fn judge_reaches(run: &Run, event_type: &str) -> Verdict {
    let trace = &run.trace;
    if !run.summary.settled {
        return Verdict::undecided_by_bound(run);
    }
    let reached: BTreeSet<&str> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Published { event_type: t, .. } if t == event_type => {
                e.correlation.as_deref()
            }
            _ => None,
        })
        .collect();
    let mut started = 0u64;
    let mut stuck = Vec::new();
    for event in trace {
        if let TraceKind::Produced {
            event_id,
            event_type: t,
            key,
        } = &event.kind
        {
            started += 1;
            let flow = event.correlation.as_deref().unwrap_or(event_id);
            if !reached.contains(flow) {
                stuck.push((event, flow, t, key));
            }
        }
    }
    let Some((start, flow, started_type, key)) = stuck.first().copied() else {
        return Verdict::passed(
            trace,
            format!(
                "all {} started reached {event_type}",
                plural(started, "flow")
            ),
        );
    };
    let last = trace
        .iter()
        .rev()
        .find(|e| e.correlation.as_deref() == Some(flow))
        .unwrap_or(start);
    let faults: Vec<&TraceEvent> = trace
        .iter()
        .filter(|e| {
            matches!(e.kind, TraceKind::Fault { .. }) && e.correlation.as_deref() == Some(flow)
        })
        .collect();
    let fault_words = if faults.is_empty() {
        "no injected fault hit this flow".to_string()
    } else {
        format!("faults in this flow: {}", describe_faults(&faults))
    };
    let others = if stuck.len() > 1 {
        format!(
            " ({} of {started} flows are stuck; the first is shown)",
            stuck.len()
        )
    } else {
        String::new()
    };
    Verdict {
        status: Status::Failed,
        deciding_event: Some(last.seq),
        explanation: format!(
            "the flow for key {key} ({started_type} {flow}, started at {}) never reached {event_type}{others}: it last moved at {} (#{}: {}); {fault_words}",
            ms(start.at_ms),
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
