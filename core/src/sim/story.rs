//! One trace event's story, read from a run's trace: the chain of events that caused it, back
//! to the producer that started its flow, and the message it carries or acts on (the
//! EventBridge event with its CloudEvent for a publish, a delivery or an invocation it started;
//! the SQS message body for a send, a receive or a delete). The run views show it for the
//! event at the playhead, so a reader can ask "why did this happen, and with what?".
//!
//! It must never simulate: it only reads the trace.

use serde_json::Value;

use super::trace::{TraceEvent, TraceKind};

/// What one event was caused by and carries.
#[derive(Debug, PartialEq)]
pub struct EventStory<'t> {
    pub event: &'t TraceEvent,
    /// The events that led to it, the nearest first, back to one without a cause.
    pub causes: Vec<&'t TraceEvent>,
    /// The message it carries or acts on, when there is one: what it is, in words, the event
    /// that holds it, and the message itself.
    pub message: Option<(&'static str, &'t TraceEvent, &'t Value)>,
}

/// The story of trace event `seq`, or none when the trace has no such event.
pub fn event_story(trace: &[TraceEvent], seq: u32) -> Option<EventStory<'_>> {
    let event = at(trace, seq)?;
    let mut causes = Vec::new();
    let (mut next, mut last) = (event.cause, seq);
    // Causes point back in the trace; a cause at or after its effect would be an engine bug,
    // and must not loop here.
    while let Some(cause) = next.filter(|cause| *cause < last) {
        let Some(found) = at(trace, cause) else { break };
        causes.push(found);
        (next, last) = (found.cause, cause);
    }
    let message = message_of(trace, event, &causes);
    Some(EventStory {
        event,
        causes,
        message,
    })
}

/// Trace event `seq` (a trace's events are numbered by position).
fn at(trace: &[TraceEvent], seq: u32) -> Option<&TraceEvent> {
    trace
        .get(usize::try_from(seq).ok()?)
        .filter(|e| e.seq == seq)
}

const BUS_EVENT: &str = "The EventBridge event (its detail is the CloudEvent)";
const QUEUE_MESSAGE: &str = "The SQS message body";

fn message_of<'t>(
    trace: &'t [TraceEvent],
    event: &'t TraceEvent,
    causes: &[&'t TraceEvent],
) -> Option<(&'static str, &'t TraceEvent, &'t Value)> {
    match &event.kind {
        TraceKind::Published { event: body, .. } => Some((BUS_EVENT, event, body)),
        TraceKind::MessageSent { body, .. } => Some((QUEUE_MESSAGE, event, body)),
        // The publish it started comes after it, caused by it.
        TraceKind::Produced { event_id, .. } => trace[event.seq as usize..]
            .iter()
            .find(|later| {
                later.cause == Some(event.seq)
                    && matches!(&later.kind, TraceKind::Published { event_id: id, .. } if id == event_id)
            })
            .and_then(|published| message_of(trace, published, &[])),
        TraceKind::Delivered { event_id, .. } => causes.iter().find_map(|cause| match &cause.kind {
            TraceKind::Published { event_id: id, event: body, .. } if id == event_id => {
                Some((BUS_EVENT, *cause, body))
            }
            _ => None,
        }),
        TraceKind::MessageReceived { message, .. }
        | TraceKind::MessageDeleted { message }
        | TraceKind::MessageDeduplicated { message, .. } => trace[..event.seq as usize]
            .iter()
            .rev()
            .find_map(|earlier| match &earlier.kind {
                TraceKind::MessageSent { message: id, body, .. } if id == message => {
                    Some((QUEUE_MESSAGE, earlier, body))
                }
                _ => None,
            }),
        // An invocation's input is what its cause delivered or received.
        TraceKind::InvocationStarted { .. } => {
            let (cause, older) = causes.split_first()?;
            message_of(trace, cause, older)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(seq: u32, cause: Option<u32>, kind: Value) -> TraceEvent {
        let mut value = json!({"seq": seq, "atMs": seq * 10, "node": "n"});
        if let Some(cause) = cause {
            value["cause"] = json!(cause);
        }
        for (k, v) in kind.as_object().unwrap() {
            value[k] = v.clone();
        }
        serde_json::from_value(value).unwrap()
    }

    fn trace() -> Vec<TraceEvent> {
        vec![
            event(
                0,
                None,
                json!({"kind": "produced", "eventId": "e1", "eventType": "t", "key": "k"}),
            ),
            event(
                1,
                Some(0),
                json!({"kind": "published", "eventId": "e1", "eventType": "t", "matchedRules": ["r"], "event": {"detail": {"id": "e1"}}}),
            ),
            event(
                2,
                Some(1),
                json!({"kind": "delivered", "delivery": "d1", "eventId": "e1", "rule": "r", "target": "f"}),
            ),
            event(
                3,
                Some(2),
                json!({"kind": "invocationStarted", "invocation": "i1", "attempt": 1, "source": "async"}),
            ),
            event(
                4,
                Some(3),
                json!({"kind": "messageSent", "message": "m1", "group": null, "body": {"orderId": "o-1"}}),
            ),
            event(
                5,
                Some(4),
                json!({"kind": "messageReceived", "message": "m1", "receiveCount": 2, "invocation": "i2"}),
            ),
            event(
                6,
                Some(5),
                json!({"kind": "invocationStarted", "invocation": "i2", "attempt": 1, "source": "sqs"}),
            ),
            event(
                7,
                Some(6),
                json!({"kind": "invocationFinished", "invocation": "i2", "ok": true, "error": null}),
            ),
        ]
    }

    #[test]
    fn causes_run_back_to_the_producer_nearest_first() {
        let trace = trace();
        let story = event_story(&trace, 7).unwrap();
        let seqs: Vec<u32> = story.causes.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [6, 5, 4, 3, 2, 1, 0]);
        assert_eq!(story.message, None, "a finish carries no message");
        assert!(event_story(&trace, 8).is_none());
    }

    #[test]
    fn each_event_finds_the_message_it_carries_or_acts_on() {
        let trace = trace();
        let message = |seq| {
            let story = event_story(&trace, seq).unwrap();
            story
                .message
                .map(|(what, holder, body)| (what, holder.seq, body.clone()))
        };
        let bus = Some((BUS_EVENT, 1, json!({"detail": {"id": "e1"}})));
        let queue = Some((QUEUE_MESSAGE, 4, json!({"orderId": "o-1"})));
        assert_eq!(message(0), bus, "a produce: the publish it started");
        assert_eq!(message(1), bus);
        assert_eq!(message(2), bus, "a delivery: what was published");
        assert_eq!(message(3), bus, "an invocation: what its cause delivered");
        assert_eq!(message(4), queue);
        assert_eq!(message(5), queue, "a receive: what was sent");
        assert_eq!(message(6), queue);
    }

    #[test]
    fn a_cause_that_does_not_point_back_ends_the_chain() {
        // Never produced by the engine; a hand-edited trace must not loop or panic.
        let trace = vec![
            event(
                0,
                Some(1),
                json!({"kind": "fault", "fault": "f", "description": "d"}),
            ),
            event(
                1,
                Some(1),
                json!({"kind": "fault", "fault": "f", "description": "d"}),
            ),
        ];
        assert!(event_story(&trace, 1).unwrap().causes.is_empty());
        assert!(event_story(&trace, 0).unwrap().causes.is_empty());
    }
}
