//! `handler-not-idempotent`: a handler fed by a source that delivers at least once (an
//! EventBridge rule, an SQS standard queue, a table stream) that performs a write or an external
//! call which is not safe to repeat, with no idempotency guard before it.
//!
//! Not safe to repeat: a `call` without an idempotency key the API honours; an `update` that
//! adds or appends (`ADD`, `+`, `-`, `list_append`) without a condition; a `transactWrite` with
//! such an update, no condition and no ClientRequestToken; a `startExecution` without a name,
//! or of an Express state machine (Express does not deduplicate by name). A guard is an earlier
//! conditional write on the same path that ends (`stop`) or fails (`fail`) the record when its
//! condition fails: the claim a duplicate cannot pass. A read followed by an `if` is not a
//! guard: two deliveries read at the same time and both go on.

use crate::design::OnConditionFailed;
use crate::design::{Design, NodeKind, Step, TransactItem, WriteStep};

use super::wiring::{at_least_once_feeds, node};
use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for function in &design.nodes {
        let NodeKind::Function(settings) = &function.kind else {
            continue;
        };
        let feeds = at_least_once_feeds(design, &function.id);
        if feeds.is_empty() {
            continue;
        }
        let walk = Walk {
            design,
            function: &function.id,
            feeds: &feeds,
        };
        let location = format!("nodes/{}/steps", function.id);
        walk.steps(&settings.steps, "s", &location, false, &mut spots);
    }
    spots
}

struct Walk<'a> {
    design: &'a Design,
    function: &'a str,
    feeds: &'a [String],
}

impl Walk<'_> {
    fn steps(
        &self,
        steps: &[Step],
        label_prefix: &str,
        location_prefix: &str,
        mut guarded: bool,
        spots: &mut Vec<Spot>,
    ) {
        for (index, step) in steps.iter().enumerate() {
            let label = format!("{label_prefix}{}", index + 1);
            let location = format!("{location_prefix}/{}", index + 1);
            if let Step::If(decision) = step {
                self.steps(
                    &decision.then,
                    &format!("{label}.then."),
                    &format!("{location}/then"),
                    guarded,
                    spots,
                );
                self.steps(
                    &decision.otherwise,
                    &format!("{label}.else."),
                    &format!("{location}/else"),
                    guarded,
                    spots,
                );
                continue;
            }
            if !guarded {
                if let Some(what) = self.unsafe_to_repeat(step) {
                    spots.push(Spot {
                        node: Some(self.function.to_string()),
                        location: location.clone(),
                        message: format!(
                            "{} step {label} {what}, with no idempotency guard before it, and {} is fed by {}, which delivers at least once: a duplicate delivery does it twice. Claim the event first with a conditional put (attribute_not_exists) that stops on ConditionalCheckFailed, or make the step itself idempotent.",
                            self.function,
                            self.function,
                            self.feeds.join(" and ")
                        ),
                    });
                }
            }
            guarded = guarded || is_guard(step);
        }
    }

    /// What the step does that must not happen twice, in words, or None when repeating it is
    /// harmless.
    fn unsafe_to_repeat(&self, step: &Step) -> Option<String> {
        match step {
            Step::Call(call) => {
                let honours = matches!(node(self.design, &call.api).map(|n| &n.kind),
                    Some(NodeKind::ExternalApi(api)) if api.honours_idempotency_key);
                match (&call.idempotency_key, honours) {
                    (Some(_), true) => None,
                    (Some(_), false) => Some(format!(
                        "calls {} with an idempotency key it does not honour",
                        call.api
                    )),
                    (None, _) => Some(format!("calls {} without an idempotency key", call.api)),
                }
            }
            Step::Update(write) if write.condition.is_none() && accumulates(write) => Some(format!(
                "adds to an item of {} ({}) without a condition",
                write.table,
                write.update.as_deref().unwrap_or_default()
            )),
            Step::TransactWrite(transaction)
                if transaction.client_request_token.is_none()
                    && transaction.items.iter().all(|i| item_of(i).condition.is_none())
                    && transaction.items.iter().any(|i| matches!(i, TransactItem::Update(w) if accumulates(w))) =>
            {
                Some("runs a transaction that adds to an item, with no condition and no ClientRequestToken".to_string())
            }
            Step::StartExecution(start) => {
                let express = matches!(node(self.design, &start.state_machine).map(|n| &n.kind),
                    Some(NodeKind::StateMachine(machine)) if machine.express);
                if express {
                    Some(format!("starts the Express state machine {}, which does not deduplicate executions by name", start.state_machine))
                } else if start.name.is_none() {
                    Some(format!("starts {} without an execution name", start.state_machine))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

fn item_of(item: &TransactItem) -> &WriteStep {
    match item {
        TransactItem::Put(w)
        | TransactItem::Update(w)
        | TransactItem::Delete(w)
        | TransactItem::ConditionCheck(w) => w,
    }
}

/// An update whose effect depends on how many times it runs: `ADD`, arithmetic, appends.
fn accumulates(write: &WriteStep) -> bool {
    let Some(update) = &write.update else {
        return false;
    };
    let upper = update.to_ascii_uppercase();
    upper.split_whitespace().any(|word| word == "ADD")
        || update.contains('+')
        || update.contains('-')
        || upper.contains("LIST_APPEND")
}

/// A conditional write that ends or fails the record when the condition fails.
fn is_guard(step: &Step) -> bool {
    let stops =
        |on: OnConditionFailed| matches!(on, OnConditionFailed::Stop | OnConditionFailed::Fail);
    match step {
        Step::Put(w) | Step::Update(w) | Step::Delete(w) => {
            w.condition.is_some() && stops(w.on_condition_failed)
        }
        Step::TransactWrite(t) => {
            t.items.iter().any(|i| item_of(i).condition.is_some()) && stops(t.on_condition_failed)
        }
        _ => false,
    }
}
