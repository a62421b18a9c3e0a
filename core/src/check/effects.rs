//! External side effects per business key: `atMostOnce` and `exactlyOnce`.
//!
//! Reads the trace's `externalEffect` events (an answer from the API's idempotency record is not
//! a new effect). Never looks at handler programs: only what the API did counts.

use std::collections::BTreeMap;

use crate::sim::{Run, TraceEvent, TraceKind};

use super::explain::{fault_clause, fault_names, ms, origin, Origin};
use super::spec::Mode;
use super::{Status, Verdict};

/// Judges an API's effects per key: at most once after every event; with `eventually`, also at
/// least once at the end for every key a producer started.
pub fn judge(run: &Run, api: &str, api_label: &str, mode: Mode, require_each: bool) -> Verdict {
    let trace = &run.trace;
    let mut first_effect: BTreeMap<&str, u32> = BTreeMap::new();
    for event in trace {
        let TraceKind::ExternalEffect { key, repeated, .. } = &event.kind else {
            continue;
        };
        if event.node != api || *repeated {
            continue;
        }
        match first_effect.get(key.as_str()) {
            None => {
                first_effect.insert(key, event.seq);
            }
            Some(&first) => return repeated_effect(trace, api_label, key, first, event),
        }
    }
    if !(require_each && mode == Mode::Eventually) {
        return Verdict::passed(
            trace,
            format!(
                "{api_label} acted at most once for each of {} keys",
                first_effect.len()
            ),
        );
    }
    if !run.summary.settled {
        return Verdict::undecided_by_bound(run);
    }
    for event in trace {
        if let TraceKind::Produced {
            key,
            event_id,
            event_type,
        } = &event.kind
        {
            if !first_effect.contains_key(key.as_str()) {
                return missing_effect(run, api_label, key, event_id, event_type);
            }
        }
    }
    Verdict::passed(
        trace,
        format!(
            "{api_label} acted exactly once for each of {} keys",
            first_effect.len()
        ),
    )
}

fn repeated_effect(
    trace: &[TraceEvent],
    api_label: &str,
    key: &str,
    first: u32,
    second: &TraceEvent,
) -> Verdict {
    let first_at = trace
        .iter()
        .find(|e| e.seq == first)
        .map(|e| e.at_ms)
        .unwrap_or(0);
    let reason = why_twice(origin(trace, first), origin(trace, second.seq));
    let explanation = format!(
        "{api_label} acted twice for key {key}: effects at {} (#{first}) and {} (#{}), {reason}; {}",
        ms(first_at),
        ms(second.at_ms),
        second.seq,
        fault_clause(trace, &[first, second.seq]),
    );
    Verdict {
        status: Status::Failed,
        deciding_event: Some(second.seq),
        explanation,
        faults: fault_names(trace, &[first, second.seq]),
    }
}

/// Why one key was acted on twice, from where the two effects came from.
fn why_twice(first: Option<Origin>, second: Option<Origin>) -> String {
    let (Some(first), Some(second)) = (first, second) else {
        return "from causes the trace does not link".to_string();
    };
    let handler = |o: &Origin| {
        o.invocation
            .as_ref()
            .map(|(id, function, attempt)| format!("{function} {id} (attempt {attempt})"))
            .unwrap_or_else(|| "an invocation".to_string())
    };
    if first.event_id != second.event_id {
        return format!(
            "after two different events: {} {} and {} {}",
            first.event_type, first.event_id, second.event_type, second.event_id
        );
    }
    let event = format!("{} {}", first.event_type, first.event_id);
    if first.delivery.is_some() && first.delivery != second.delivery {
        return format!(
            "both after {event} was delivered twice (to {} and {})",
            handler(&first),
            handler(&second)
        );
    }
    match &second.retried_after {
        Some(error) => format!(
            "both for {event}: {} retried it after {error}",
            handler(&second)
        ),
        None => format!(
            "both for {event}, by {} and {}",
            handler(&first),
            handler(&second)
        ),
    }
}

fn missing_effect(
    run: &Run,
    api_label: &str,
    key: &str,
    event_id: &str,
    event_type: &str,
) -> Verdict {
    let trace = &run.trace;
    let last = trace
        .iter()
        .rev()
        .find(|e| e.correlation.as_deref() == Some(event_id));
    let (seq, tail) = match last {
        Some(event) => (
            Some(event.seq),
            format!(
                "its flow last moved at {} (#{}: {} {})",
                ms(event.at_ms),
                event.seq,
                event.node,
                event.kind.name()
            ),
        ),
        None => (None, "its flow left no trace".to_string()),
    };
    let seqs: Vec<u32> = seq.into_iter().collect();
    Verdict {
        status: Status::Failed,
        deciding_event: seq,
        explanation: format!(
            "{api_label} never acted for key {key}, started by {event_type} {event_id}: {tail}; {}",
            fault_clause(trace, &seqs)
        ),
        faults: fault_names(trace, &seqs),
    }
}
