//! The bridge from a CloudEvent to the EventBridge event it becomes when put on a bus:
//! `source` = the CloudEvent's source, `detail-type` = its type, `detail` = the whole
//! CloudEvent in the JSON format.
//!
//! Owns that mapping only. It must never invent ids or read a clock: the bus supplies the
//! envelope (id, account, region, time).

use serde_json::{json, Value};

use super::CloudEvent;

/// What the bus adds around the CloudEvent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusEnvelope {
    pub id: String,
    pub account: String,
    pub region: String,
    pub time: String,
}

impl BusEnvelope {
    /// A fixed envelope for tools that match a lone CloudEvent (the CLI): a zero id, the
    /// documentation account and region, and the CloudEvent's own time when it has one.
    pub fn sample(event: &CloudEvent) -> BusEnvelope {
        BusEnvelope {
            id: "00000000-0000-0000-0000-000000000000".to_string(),
            account: "123456789012".to_string(),
            region: "us-east-1".to_string(),
            time: event
                .time
                .clone()
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string()),
        }
    }
}

/// The EventBridge event a CloudEvent becomes on a bus.
pub fn to_eventbridge(event: &CloudEvent, envelope: &BusEnvelope) -> Value {
    json!({
        "version": "0",
        "id": envelope.id,
        "detail-type": event.event_type,
        "source": event.source,
        "account": envelope.account,
        "time": envelope.time,
        "region": envelope.region,
        "resources": [],
        "detail": event.to_json(),
    })
}
