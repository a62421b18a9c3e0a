//! `event-cycle`: a function whose events lead back to itself, so one event keeps a flow going
//! until a bound stops it (or, in AWS, until the bill arrives).
//!
//! The cycle finder belongs to design validation (it reports the same cycles as the diagnostic
//! `event-cycle`); lint reuses its findings through `validate` rather than keeping a second
//! graph walk that could disagree with it.

use crate::design::{validate, Design};

use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    validate(design)
        .into_iter()
        .filter(|diagnostic| diagnostic.code == "event-cycle")
        .map(|diagnostic| {
            let story = diagnostic
                .message
                .strip_prefix("event cycle: ")
                .unwrap_or(&diagnostic.message)
                .to_string();
            Spot {
                node: diagnostic.node,
                location: diagnostic.location,
                message: format!(
                    "{story}. Each pass emits again, so one event runs forever; break the loop with a pattern that excludes the function's own events, or emit a different fact."
                ),
            }
        })
        .collect()
}
