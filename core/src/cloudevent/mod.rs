//! CloudEvents 1.0.2: the envelope, its validation, the JSON format, and the EventBridge bridge.
