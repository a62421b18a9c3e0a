//! Helpers shared by the simulator tests: most small designs there have one service `s` and
//! one event type `t.happened` from it, and differ only in their nodes, triggers and scenario.

use serde_json::{json, Value};

/// `fields` (nodes, triggers, scenario, ...) completed into a design document with schema
/// version 1, service `s` and event type `t.happened` (CloudEvent source `/s`).
pub fn one_event_type(fields: Value) -> Value {
    let mut design = json!({
        "version": 1,
        "services": [{"id": "s"}],
        "eventTypes": [{"type": "t.happened", "source": "s"}],
    });
    if let (Some(design), Value::Object(fields)) = (design.as_object_mut(), fields) {
        design.extend(fields);
    }
    design
}
