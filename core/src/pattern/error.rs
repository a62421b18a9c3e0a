//! The ways a pattern is refused, worded exactly as EventBridge words them.
//!
//! Owns the error type and its texts; it must never decide whether a pattern is valid (that
//! is `compile`'s job) nor add words AWS does not say.

use std::fmt;

/// The most characters (UTF-16 code units, as the service counts them) an event pattern may
/// have, from the EventBridge quota table.
pub const PATTERN_LENGTH_LIMIT: u64 = 2048;

/// Why EventBridge refuses a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `InvalidEventPatternException`; the reason is the text after
    /// `Event pattern is not valid. Reason: `. AWS then appends Jackson's location
    /// (`\n at [Source: ...; line: 1, column: N]`) for most reasons; we leave that off, as the
    /// SDKs' and LocalStack's normalised `Message` does.
    Invalid { reason: String },
    /// `ValidationException`: the pattern text is longer than the quota allows.
    TooLong { length: u64 },
}

impl PatternError {
    pub(crate) fn invalid(reason: impl Into<String>) -> PatternError {
        PatternError::Invalid {
            reason: reason.into(),
        }
    }

    /// The AWS error code a caller of PutRule or TestEventPattern would see.
    pub fn error_code(&self) -> &'static str {
        match self {
            PatternError::Invalid { .. } => "InvalidEventPatternException",
            PatternError::TooLong { .. } => "ValidationException",
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Invalid { reason } => {
                write!(formatter, "Event pattern is not valid. Reason: {reason}")
            }
            PatternError::TooLong { .. } => write!(
                formatter,
                "1 validation error detected: Value at 'eventPattern' failed to satisfy \
                 constraint: Member must have length less than or equal to {PATTERN_LENGTH_LIMIT}"
            ),
        }
    }
}

impl std::error::Error for PatternError {}
