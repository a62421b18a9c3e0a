//! Amazon States Language: parsing, validation and execution of state machine definitions.
