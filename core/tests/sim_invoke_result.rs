//! A synchronous `invoke` step answers as Lambda's RequestResponse does: the caller saves the
//! invoked handler's return value (what it saved as `result`, else its input) under `as`, and
//! a function error comes back as `FunctionError: Unhandled`, on which the caller throws.

use eventlab_core::design::{load_text, validate, Design, Severity};
use eventlab_core::sim::{simulate, Run, RunOptions, TraceKind};
use serde_json::{json, Value};

mod common;

/// take-order invokes `payments` with the order and writes what it answered to `orders`; it
/// then invokes `echo`, which has no `result`, and writes the note it echoed back.
fn design_with(payments_steps: Value) -> Design {
    let design = common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 2,
             "data": {"orderId": "{{key}}", "amount": 12}, "keys": {"prefix": "o-"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "take-order"}]}]},
            {"id": "take-order", "kind": "function", "asyncRetryAttempts": 0, "steps": [
                {"op": "invoke", "function": "payments", "payload": {"orderId": "$.data.orderId", "amount": "$.data.amount"}, "as": "payment"},
                {"op": "invoke", "function": "echo", "payload": {"note": "for {$.data.orderId}"}, "as": "echoed"},
                {"op": "put", "table": "orders", "item": {"orderId": "$.data.orderId", "paymentId": "$.payment.paymentId",
                    "charged": "$.payment.charged", "note": "$.echoed.note"}}
            ]},
            {"id": "payments", "kind": "function", "steps": payments_steps},
            {"id": "echo", "kind": "function", "steps": []},
            {"id": "orders", "kind": "table", "partitionKey": {"name": "orderId"}},
            {"id": "ledger", "kind": "table", "partitionKey": {"name": "paymentId"}}
        ],
        "scenario": {"seed": 1}
    }));
    let design = load_text(&design.to_string())
        .expect("the design loads")
        .design;
    let errors: Vec<_> = validate(&design)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    design
}

/// The errors take-order's invocations ended with, in trace order (None for a success).
fn caller_outcomes(run: &Run) -> Vec<Option<String>> {
    run.trace
        .iter()
        .filter(|event| event.node == "take-order")
        .filter_map(|event| match &event.kind {
            TraceKind::InvocationFinished { error, .. } => Some(error.clone()),
            _ => None,
        })
        .collect()
}

// The caller stores the invoked handler's answer: the payment it saved as `result` (an update's
// ALL_NEW item) and, from a handler without `result`, its own input echoed back.
#[test]
fn the_caller_saves_the_invoked_handlers_result() {
    let design = design_with(json!([
        {"op": "update", "table": "ledger", "key": {"paymentId": "pay-{$.data.orderId}"},
         "update": "SET charged = :charged", "values": {":charged": {"add": ["$.data.amount", 2]}}, "as": "result"}
    ]));
    let run = simulate(&design, &RunOptions::default());
    assert_eq!(caller_outcomes(&run), vec![None, None]);
    assert_eq!(
        run.summary.final_items["orders"],
        vec![
            json!({"orderId": "o-1", "paymentId": "pay-o-1", "charged": 14, "note": "for o-1"}),
            json!({"orderId": "o-2", "paymentId": "pay-o-2", "charged": 14, "note": "for o-2"}),
        ]
    );
}

// An invoked function that throws makes the caller throw too, naming the function, Lambda's
// FunctionError and the error; the caller writes nothing after the invoke.
#[test]
fn a_function_error_fails_the_caller() {
    let design = design_with(json!([{"op": "fail", "error": "PaymentDeclined"}]));
    let run = simulate(&design, &RunOptions::default());
    let error =
        "InvokedFunctionFailed: payments answered FunctionError Unhandled (PaymentDeclined)";
    assert_eq!(
        caller_outcomes(&run),
        vec![Some(error.to_string()), Some(error.to_string())]
    );
    assert!(run
        .summary
        .final_items
        .get("orders")
        .is_none_or(|items| items.is_empty()));
}
