//! Reading a trace backwards for explanations: the chain of causes behind an event, the
//! injected faults behind it, the business event it was handling, and how times read.
//!
//! Pure functions over a trace. They never decide whether a property holds; they only find
//! the words (ids, times, causes) that make a verdict understandable.

use std::collections::BTreeSet;

use crate::sim::{TraceEvent, TraceKind};

/// The event with this `seq`, if the trace has it.
pub fn event_at(trace: &[TraceEvent], seq: u32) -> Option<&TraceEvent> {
    let index = usize::try_from(seq).ok()?;
    trace.get(index).filter(|e| e.seq == seq).or_else(|| {
        // A trace that was filtered or re-numbered still answers, just more slowly.
        trace.iter().find(|e| e.seq == seq)
    })
}

/// The event and every event it was caused by, nearest first. Causes always point backwards,
/// so the walk ends; a cause that does not is ignored rather than followed in a loop.
pub fn cause_chain(trace: &[TraceEvent], seq: u32) -> Vec<&TraceEvent> {
    let mut chain = Vec::new();
    let mut current = event_at(trace, seq);
    while let Some(event) = current {
        chain.push(event);
        current = match event.cause {
            Some(cause) if cause < event.seq => event_at(trace, cause),
            _ => None,
        };
    }
    chain
}

/// The ids an event names (deliveries, messages, invocations, events), with the `.dup` suffix
/// of a duplicated copy removed so the copy leads back to the fault that made it.
fn ids_of(event: &TraceEvent) -> Vec<&str> {
    let ids: Vec<&str> = match &event.kind {
        TraceKind::Produced { event_id, .. } | TraceKind::Published { event_id, .. } => {
            vec![event_id]
        }
        TraceKind::Delivered {
            delivery, event_id, ..
        } => vec![delivery, event_id],
        TraceKind::InvocationStarted {
            invocation, source, ..
        } => vec![invocation, source_id(source)],
        TraceKind::Step { invocation, .. }
        | TraceKind::ConditionFailed { invocation, .. }
        | TraceKind::InvocationFinished { invocation, .. } => vec![invocation],
        TraceKind::MessageSent { message, .. } | TraceKind::MessageDeleted { message } => {
            vec![message]
        }
        TraceKind::MessageReceived {
            message,
            invocation,
            ..
        } => vec![message, invocation],
        TraceKind::RetryScheduled { subject, .. }
        | TraceKind::DeadLettered { subject, .. }
        | TraceKind::Discarded { subject, .. } => vec![subject],
        _ => Vec::new(),
    };
    ids.into_iter().map(strip_copy).collect()
}

/// `async:async-1` → `async-1`: the record an invocation came from, shared by its retries.
fn source_id(source: &str) -> &str {
    source.split_once(':').map(|(_, id)| id).unwrap_or(source)
}

fn strip_copy(id: &str) -> &str {
    id.strip_suffix(".dup").unwrap_or(id)
}

/// What a fault hit: `duplicate:dlv-1` hit `dlv-1`, `crash-after:inv-2/s2` hit `inv-2`.
pub fn fault_target(fault: &str) -> &str {
    let after_kind = fault.split_once(':').map(|(_, rest)| rest).unwrap_or(fault);
    after_kind.split('/').next().unwrap_or(after_kind)
}

/// The injected faults behind some events: those that hit anything on their chains of causes.
/// In trace order, each once.
pub fn faults_behind<'a>(trace: &'a [TraceEvent], seqs: &[u32]) -> Vec<&'a TraceEvent> {
    let mut ids = BTreeSet::new();
    let mut on_chain = BTreeSet::new();
    for &seq in seqs {
        for event in cause_chain(trace, seq) {
            on_chain.insert(event.seq);
            ids.extend(ids_of(event));
        }
    }
    // Every attempt at the same record counts: the other receives of a message, the other
    // attempts of an asynchronous invocation (their faults are why this one happened).
    let attempts: Vec<&str> = trace
        .iter()
        .filter_map(|event| match &event.kind {
            TraceKind::MessageReceived {
                message,
                invocation,
                ..
            } if ids.contains(strip_copy(message)) => Some(invocation.as_str()),
            TraceKind::InvocationStarted {
                invocation, source, ..
            } if ids.contains(source_id(source)) => Some(invocation.as_str()),
            _ => None,
        })
        .collect();
    ids.extend(attempts);
    trace
        .iter()
        .filter(|event| match &event.kind {
            TraceKind::Fault { fault, .. } => {
                ids.contains(fault_target(fault)) || on_chain.contains(&event.seq)
            }
            _ => false,
        })
        .collect()
}

/// The names of the faults behind some events.
pub fn fault_names(trace: &[TraceEvent], seqs: &[u32]) -> Vec<String> {
    faults_behind(trace, seqs)
        .into_iter()
        .filter_map(|event| match &event.kind {
            TraceKind::Fault { fault, .. } => Some(fault.clone()),
            _ => None,
        })
        .collect()
}

/// "fault duplicate:dlv-1 (the 3rd ... is delivered twice)", joined with "; ".
pub fn describe_faults(faults: &[&TraceEvent]) -> String {
    let parts: Vec<String> = faults
        .iter()
        .filter_map(|event| match &event.kind {
            TraceKind::Fault { fault, description } => Some(format!(
                "fault {fault} at {}: {description}",
                ms(event.at_ms)
            )),
            _ => None,
        })
        .collect();
    parts.join("; ")
}

/// The business event an event was handling: the nearest delivery or publication on its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub event_id: String,
    pub event_type: String,
    /// The delivery that brought it, with `.dup` for a duplicated copy.
    pub delivery: Option<String>,
    /// The function invocation on the chain nearest to the event, and its attempt.
    pub invocation: Option<(String, String, u32)>,
    /// A failed attempt on the chain before this one, with its error.
    pub retried_after: Option<String>,
}

/// Finds the origin of an event by walking its causes.
pub fn origin(trace: &[TraceEvent], seq: u32) -> Option<Origin> {
    let chain = cause_chain(trace, seq);
    let mut invocation = None;
    let mut retried_after = None;
    let mut delivery = None;
    let mut event_id = None;
    for event in &chain {
        match &event.kind {
            TraceKind::InvocationStarted {
                invocation: id,
                attempt,
                ..
            } if invocation.is_none() => {
                invocation = Some((id.clone(), event.node.clone(), *attempt));
            }
            TraceKind::InvocationFinished {
                ok: false, error, ..
            } if retried_after.is_none() => {
                retried_after = Some(error.clone().unwrap_or_else(|| "an error".to_string()));
            }
            TraceKind::Delivered {
                delivery: id,
                event_id: carried,
                ..
            } if event_id.is_none() => {
                delivery = Some(id.clone());
                event_id = Some(carried.clone());
            }
            TraceKind::Published { event_id: id, .. }
            | TraceKind::Produced { event_id: id, .. }
                if event_id.is_none() =>
            {
                event_id = Some(id.clone());
            }
            _ => {}
        }
    }
    let event_id = event_id?;
    Some(Origin {
        event_type: event_type_of(trace, &event_id).unwrap_or_default(),
        event_id,
        delivery,
        invocation,
        retried_after,
    })
}

/// The CloudEvents type of an event id, from its publication.
pub fn event_type_of(trace: &[TraceEvent], event_id: &str) -> Option<String> {
    trace.iter().find_map(|event| match &event.kind {
        TraceKind::Published {
            event_id: id,
            event_type,
            ..
        }
        | TraceKind::Produced {
            event_id: id,
            event_type,
            ..
        } if id == event_id => Some(event_type.clone()),
        _ => None,
    })
}

/// An event's line without its position, time and cause: `charge-payment invocationFinished
/// inv-1 ok` (explanations give the position and time in their own words).
pub fn brief(event: &TraceEvent) -> String {
    let line = event.to_line();
    let without_cause = match event.cause {
        Some(cause) => line
            .strip_suffix(&format!(" <- #{cause}"))
            .unwrap_or(&line)
            .to_string(),
        None => line.clone(),
    };
    let prefix = format!("#{} @{}ms ", event.seq, event.at_ms);
    without_cause
        .strip_prefix(&prefix)
        .unwrap_or(&without_cause)
        .to_string()
}

/// Virtual milliseconds as people read them: `1,204 ms`.
pub fn ms(at_ms: u64) -> String {
    format!("{} ms", grouped(at_ms))
}

/// A whole number with thousands separators: `1,204`.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `1st`, `2nd`, `3rd`, `4th`, ...
pub fn ordinal(number: u32) -> String {
    let suffix = match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}

/// A sentence ending for the faults behind some events, or for none.
pub fn fault_clause(trace: &[TraceEvent], seqs: &[u32]) -> String {
    let faults = faults_behind(trace, seqs);
    if faults.is_empty() {
        "no injected fault is behind it".to_string()
    } else {
        format!("behind it: {}", describe_faults(&faults))
    }
}
