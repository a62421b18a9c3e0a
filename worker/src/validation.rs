//! What the editor validates as the attendee types: the whole design's diagnostics, an event
//! pattern's EventBridge message and a DynamoDB expression's message. They run in the worker so
//! the page bundle carries none of the validators (the design's parsers and checks stay in one
//! place, core, and the first paint stays small).
//!
//! Each function answers plain JSON text and never fails: a problem is the answer.

use eventlab_core::design::{load_text, validate};
use eventlab_core::pattern::Pattern;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::expressions::{check, ExpressionKind};

/// The JSON array of `design_json`'s diagnostics (core's `Diagnostic`), or one `load` error
/// diagnostic when it is not a design at all.
#[wasm_bindgen(js_name = validateDesign)]
pub fn validate_design(design_json: &str) -> String {
    let diagnostics = match load_text(design_json) {
        Ok(loaded) => validate(&loaded.design),
        Err(error) => vec![eventlab_core::design::Diagnostic::error(
            "unreadable-design",
            "",
            error.to_string(),
        )],
    };
    serde_json::to_string(&diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// The exported TypeScript handler of function `id` in `design_json` (core's export, so the
/// inspector shows what `eventlab export` writes), "" when there is no such function, or the
/// reason the design could not be read.
#[wasm_bindgen(js_name = handlerSource)]
pub fn handler_source(design_json: &str, id: &str) -> String {
    match load_text(design_json) {
        Ok(loaded) => eventlab_core::export::handler_source(&loaded.design, id).unwrap_or_default(),
        Err(error) => format!("// The design could not be read: {error}"),
    }
}

/// EventBridge's message for the pattern `text`, or "" when it is a valid pattern.
#[wasm_bindgen(js_name = checkPattern)]
pub fn check_pattern(text: &str) -> String {
    Pattern::parse(text)
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default()
}

/// DynamoDB's message for expression `text` of `kind` (`condition`, `update`, `filter`) in the
/// step `step_json` (its `names` and `values`), or "" when it is valid.
#[wasm_bindgen(js_name = checkExpression)]
pub fn check_expression(kind: &str, text: &str, step_json: &str) -> String {
    let Some(kind) = ExpressionKind::from_name(kind) else {
        return format!("unknown expression kind {kind:?}");
    };
    let step: Value = serde_json::from_str(step_json).unwrap_or(Value::Null);
    check(kind, text, &step).unwrap_or_default()
}
