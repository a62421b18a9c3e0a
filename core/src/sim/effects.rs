//! Handler steps with effects outside the tables: emitting CloudEvents to a bus (with the
//! correlation and causation ids carried over), calling an external API (the side effect the
//! checks count, with its idempotency key), and the end of a synchronous invoke. Like every
//! step, each one is atomic at its completion time.

use serde_json::{json, Value};

use super::bus::{CAUSED_CLOUD_EVENT, CLOUD_EVENT};
use super::context::Context;
use super::engine::{Engine, Work};
use super::handler::Outcome;
use super::random::TextHasher;
use super::trace::TraceKind;
use super::values::{key_text, object, resolve};
use crate::design::{CallStep, NodeKind, Step};

impl<'a> Engine<'a> {
    pub(super) fn emit_step(
        &mut self,
        invocation_id: &str,
        label: &str,
        step: &crate::design::EmitStep,
        context: &Context,
    ) -> Outcome {
        let record_index = self
            .invocations
            .get(invocation_id)
            .map(|i| i.record_index)
            .unwrap_or(0);
        let origin = TextHasher::default()
            .text(invocation_id)
            .text("/")
            .text(label)
            .text("/")
            .number(record_index as u64);
        let event_id = Engine::derive_id_hashed("evt", origin);
        let incoming = context.get("eventId").cloned().unwrap_or(Value::Null);
        let carried = context.get("correlationId").filter(|c| !c.is_null());
        let correlation = if let (true, Some(carried)) = (step.carry_correlation, carried) {
            carried.clone()
        } else {
            json!(event_id)
        };
        let members = [
            json!("1.0"),
            Value::String(event_id),
            Value::String(self.source_of(&step.event_type)),
            Value::String(step.event_type.clone()),
            Value::String(self.timestamp(self.now_ms)),
            json!("application/json"),
            correlation,
            resolve(&step.data, context),
        ];
        let cloud_event = if step.carry_correlation && !incoming.is_null() {
            let [a, b, c, d, e, f, g, h] = members;
            CAUSED_CLOUD_EVENT.object([a, b, c, d, e, f, g, h, incoming])
        } else {
            CLOUD_EVENT.object(members)
        };
        let request = self.body(|| {
            let entry = object([
                ("EventBusName", json!(step.bus)),
                ("Source", cloud_event["source"].clone()),
                ("DetailType", json!(step.event_type)),
                ("Detail", cloud_event.clone()),
            ]);
            object([("Entries", Value::Array(vec![entry]))])
        });
        let response = self.body(|| json!({"FailedEntryCount": 0}));
        let seq = self.step_trace(invocation_id, label, "emit", request, response);
        self.put_event(&step.bus, cloud_event, Some(seq));
        Outcome::Continue
    }

    pub(super) fn call_step(
        &mut self,
        invocation_id: &str,
        label: &str,
        step: &CallStep,
        context: &Context,
    ) -> Outcome {
        let key = key_text(&resolve(&step.key, context));
        let idempotency_key = step
            .idempotency_key
            .as_ref()
            .map(|k| key_text(&resolve(k, context)));
        let Some(invocation) = self.invocations.get(invocation_id) else {
            return Outcome::Fail("lost".into());
        };
        let (attempt, cause, correlation) = (
            invocation.attempt,
            invocation.last_seq,
            invocation.correlation.clone(),
        );
        let entity = format!("{invocation_id}/{label}");
        let faults = self.design.scenario.faults.clone();
        let drawn = self
            .random
            .chance(faults.api_error_rate_ppm, "api-error", &entity, attempt);
        if self.fault(
            &format!("api-error:{entity}"),
            drawn,
            &step.api,
            Some(cause),
            correlation.as_deref(),
            format!("{} answers with an error and does nothing", step.api),
        ) {
            return Outcome::Fail("ExternalApiError".to_string());
        }
        let honours = matches!(self.node(&step.api).map(|n| &n.kind), Some(NodeKind::ExternalApi(api)) if api.honours_idempotency_key);
        let state = self.apis.entry(step.api.clone()).or_default();
        let remembered = idempotency_key
            .as_ref()
            .filter(|_| honours)
            .and_then(|k| state.idempotency.get(k).cloned());
        let (response, repeated) = match remembered {
            Some(response) => (response, true),
            None => {
                let count = state.effects.entry(key.clone()).or_insert(0);
                *count += 1;
                let response = json!({"id": Engine::derive_id("fx", &entity), "key": key});
                if let (Some(k), true) = (&idempotency_key, honours) {
                    state.idempotency.insert(k.clone(), response.clone());
                }
                (response, false)
            }
        };
        let effect_count = self
            .apis
            .get(&step.api)
            .and_then(|s| s.effects.get(&key).copied())
            .unwrap_or(0);
        let seq = self.record(
            &step.api,
            Some(cause),
            correlation.as_deref(),
            TraceKind::ExternalEffect {
                key: key.clone(),
                idempotency_key: idempotency_key.clone(),
                repeated,
                effect_count,
            },
        );
        self.set_last_seq(invocation_id, seq);
        let payload = resolve(&step.payload, context);
        self.step_trace(invocation_id, label, "call", json!({"api": step.api, "key": key, "idempotencyKey": idempotency_key, "payload": payload}), response.clone());
        let drawn = self.random.chance(
            faults.api_timeout_after_success_rate_ppm,
            "api-timeout",
            &entity,
            attempt,
        );
        if self.fault(
            &format!("api-timeout:{entity}"),
            drawn,
            &step.api,
            Some(seq),
            correlation.as_deref(),
            format!("{} took effect, then the caller timed out", step.api),
        ) {
            return Outcome::Fail("TimeoutError".to_string());
        }
        if let (Some(name), Some(invocation)) =
            (&step.save_as, self.invocations.get_mut(invocation_id))
        {
            invocation.context.save(name, response);
        }
        Outcome::Continue
    }

    /// A synchronous child invocation ended: the parent's `invoke` step completes. Lambda
    /// answers a RequestResponse call with the handler's return value (what it saved as
    /// `result`, else its input), which the step saves under `as`; a function error comes back
    /// as `FunctionError: Unhandled` with the error as payload, and the caller throws on it.
    pub(super) fn sync_invoke_done(
        &mut self,
        parent: &str,
        child: &super::lambda::Invocation<'a>,
        seq: u32,
    ) {
        self.set_last_seq(parent, seq);
        match &child.error {
            Some(error) => self.fail_record(
                parent,
                format!(
                    "InvokedFunctionFailed: {} answered FunctionError Unhandled ({error})",
                    child.function
                ),
            ),
            None => {
                let save_as = self.invocations.get(parent).and_then(|p| {
                    match p
                        .frames
                        .last()
                        .and_then(|f| f.steps.get(f.next.wrapping_sub(1)))
                    {
                        Some(Step::Invoke(s)) => s.save_as.clone(),
                        _ => None,
                    }
                });
                if let (Some(name), Some(invocation)) = (save_as, self.invocations.get_mut(parent))
                {
                    invocation
                        .context
                        .save(&name, super::lambda::handler_result(child));
                }
                self.schedule(
                    self.now_ms,
                    Work::StepStart {
                        invocation: parent.to_string(),
                    },
                );
            }
        }
    }
}
