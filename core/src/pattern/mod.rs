//! EventBridge event patterns: parsing and validation with EventBridge's messages, and a matcher
//! that compiles many rules into one structure.
