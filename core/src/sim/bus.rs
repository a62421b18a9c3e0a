//! EventBridge: producers put CloudEvents on a bus, the bus matches them against its compiled
//! rules, and each matching target gets a delivery: at least once, in no promised order, after
//! a latency the fault plan may stretch (which reorders) or double (a duplicate).

use std::rc::Rc;

use serde_json::{json, Value};

use super::engine::{Engine, Work};
use super::random::TextHasher;
use super::trace::TraceKind;
use super::values::Shape;
use crate::design::{NodeKind, ScriptedFault, Target};

/// EventBridge's typical put-to-target latency in the simulator.
const DELIVERY_LATENCY_MS: u64 = 20;
/// The account and region every simulated event carries.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// An EventBridge envelope's members, in the order EventBridge writes them.
static ENVELOPE: Shape = Shape::new(&[
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
]);

/// A CloudEvent's members as the simulator writes them.
pub(super) static CLOUD_EVENT: Shape = Shape::new(&[
    "specversion",
    "id",
    "source",
    "type",
    "time",
    "datacontenttype",
    "correlationid",
    "data",
]);

/// A CloudEvent caused by another: its members and the causation id, last.
pub(super) static CAUSED_CLOUD_EVENT: Shape = Shape::new(&[
    "specversion",
    "id",
    "source",
    "type",
    "time",
    "datacontenttype",
    "correlationid",
    "data",
    "causationid",
]);

/// The members of a CloudEvent an envelope is made from, found in one pass over its members
/// (null where absent, as indexing answers) rather than hashed for one by one.
struct CloudEventMembers<'v> {
    event_type: &'v Value,
    id: &'v Value,
    correlation: &'v Value,
    source: &'v Value,
    time: &'v Value,
}

impl<'v> CloudEventMembers<'v> {
    fn read(cloud_event: &'v Value) -> CloudEventMembers<'v> {
        static NULL: Value = Value::Null;
        let mut members = CloudEventMembers {
            event_type: &NULL,
            id: &NULL,
            correlation: &NULL,
            source: &NULL,
            time: &NULL,
        };
        for (name, value) in cloud_event.as_object().into_iter().flatten() {
            match name.as_str() {
                "type" => members.event_type = value,
                "id" => members.id = value,
                "correlationid" => members.correlation = value,
                "source" => members.source = value,
                "time" => members.time = value,
                _ => {}
            }
        }
        members
    }
}

/// One event on its way from a rule to a target.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub bus: String,
    pub rule: String,
    pub target_index: u32,
    /// The envelope, shared by every target's delivery and their duplicates and retries.
    pub event: Rc<Value>,
    pub event_id: String,
    pub correlation: Option<String>,
    pub cause: u32,
    pub attempt: u32,
    /// When EventBridge first tried this delivery, for MaximumEventAgeInSeconds.
    pub first_at_ms: u64,
}

impl<'a> Engine<'a> {
    /// Schedules every producer's events.
    /// Schedules every producer's first event; each event schedules the next, so a huge
    /// workload costs nothing until it runs (and a bound stops it).
    pub fn schedule_producers(&mut self) {
        for node in &self.design.nodes {
            if let NodeKind::Producer(producer) = &node.kind {
                if producer.count > 0 {
                    self.schedule(
                        0,
                        Work::Produce {
                            producer: node.id.clone(),
                            number: 1,
                        },
                    );
                }
            }
        }
    }

    pub(super) fn produce(&mut self, producer_id: &str, number: u32) {
        let Some(node) = self.node(producer_id) else {
            return;
        };
        let NodeKind::Producer(producer) = &node.kind else {
            return;
        };
        if number < producer.count {
            let at_ms = u64::from(number) * u64::from(producer.interval_ms);
            self.schedule(
                at_ms,
                Work::Produce {
                    producer: producer_id.to_string(),
                    number: number + 1,
                },
            );
        }
        let key = self.pick_key(producer_id, &producer.keys, number);
        let data = fill_template(&producer.data, &key, number);
        let event_id = Engine::derive_id_hashed(
            "evt",
            TextHasher::default()
                .text("produce/")
                .text(producer_id)
                .text("/")
                .number(u64::from(number)),
        );
        let cloud_event = CLOUD_EVENT.object([
            json!("1.0"),
            Value::String(event_id.clone()),
            Value::String(self.source_of(&producer.event_type)),
            Value::String(producer.event_type.clone()),
            Value::String(self.timestamp(self.now_ms)),
            json!("application/json"),
            Value::String(event_id.clone()),
            data,
        ]);
        let seq = self.record(
            producer_id,
            None,
            Some(&event_id),
            TraceKind::Produced {
                event_id: event_id.clone(),
                event_type: producer.event_type.clone(),
                key,
            },
        );
        self.put_event(&producer.bus.clone(), cloud_event, Some(seq));
    }

    fn pick_key(
        &self,
        producer_id: &str,
        keys: &crate::design::KeyDistribution,
        number: u32,
    ) -> String {
        let prefix = if keys.prefix.is_empty() {
            "k-"
        } else {
            keys.prefix.as_str()
        };
        if keys.count == 0 {
            return format!("{prefix}{number}");
        }
        let entity = format!("{producer_id}/{number}");
        if self
            .random
            .chance(keys.hot_share_ppm, "hot-key", &entity, 0)
        {
            return format!("{prefix}1");
        }
        let index = self
            .random
            .up_to(u64::from(keys.count) - 1, "key", &entity, 0);
        format!("{prefix}{}", index + 1)
    }

    /// PutEvents: a CloudEvent onto a bus, bridged to an EventBridge envelope (source = the
    /// CloudEvent source, detail-type = its type, detail = the whole CloudEvent).
    pub fn put_event(&mut self, bus_id: &str, cloud_event: Value, cause: Option<u32>) {
        let members = CloudEventMembers::read(&cloud_event);
        let event_type = members.event_type.as_str().unwrap_or_default().to_string();
        let event_id = members.id.as_str().unwrap_or_default().to_string();
        let correlation = members.correlation.as_str().map(str::to_string);
        let (source, time) = (members.source.clone(), members.time.clone());
        let envelope = ENVELOPE.object([
            json!("0"),
            Value::String(Engine::derive_id_hashed(
                "eb",
                TextHasher::default().text(bus_id).text("/").text(&event_id),
            )),
            Value::String(event_type.clone()),
            source,
            json!(ACCOUNT),
            time,
            json!(REGION),
            json!([]),
            cloud_event,
        ]);
        let matched = match self.buses.get(bus_id) {
            Some(bus) => bus.rule_set.matching_rules(&envelope),
            None => Vec::new(),
        };
        let shared = Rc::new(envelope);
        let nth = match self.type_counts.get_mut(&event_type) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                self.type_counts.insert(event_type.clone(), 1);
                1
            }
        };
        let matched_count = matched.len();
        let seq = self.record(
            bus_id,
            cause,
            correlation.as_deref(),
            TraceKind::Published {
                event_id: event_id.clone(),
                event_type: event_type.clone(),
                // Moved into the trace; each is read back from there for its deliveries.
                matched_rules: matched,
                // Filled in from `shared` when the run ends (`Engine::into_trace`).
                event: Value::Null,
            },
        );
        if self.keeps_bodies {
            self.published.push((seq, Rc::clone(&shared)));
        }
        for position in 0..matched_count {
            let Some(rule_id) = self.matched_rule(seq, position) else {
                continue;
            };
            let target_count = self
                .buses
                .get(bus_id)
                .and_then(|b| b.rules.get(&rule_id))
                .map_or(0, |r| r.targets.len());
            for index in 0..target_count {
                let delivery = Delivery {
                    id: Engine::derive_id_hashed(
                        "dlv",
                        TextHasher::default()
                            .text(&event_id)
                            .text("/")
                            .text(&rule_id)
                            .text("/")
                            .number(index as u64),
                    ),
                    bus: bus_id.to_string(),
                    rule: rule_id.clone(),
                    target_index: index as u32,
                    event: Rc::clone(&shared),
                    event_id: event_id.clone(),
                    correlation: correlation.clone(),
                    cause: seq,
                    attempt: 1,
                    first_at_ms: self.now_ms,
                };
                self.send_delivery(delivery, &event_type, nth);
            }
        }
    }

    /// The rule a published trace event matched at `position`.
    fn matched_rule(&self, seq: u32, position: usize) -> Option<String> {
        match &self.trace.get(seq as usize)?.kind {
            TraceKind::Published { matched_rules, .. } => matched_rules.get(position).cloned(),
            _ => None,
        }
    }

    /// Schedules a delivery, applying delay and duplicate faults (random and scripted).
    fn send_delivery(&mut self, delivery: Delivery, event_type: &str, nth: u32) {
        let faults = self.design.scenario.faults.clone();
        let mut delay_ms = self.random.up_to(
            u64::from(faults.delivery_delay_ms_max),
            "delay",
            &delivery.id,
            delivery.attempt,
        );
        let mut same_instant_duplicate = false;
        for scripted in &self.design.scenario.scripted {
            match scripted {
                ScriptedFault::Delay {
                    event_type: t,
                    nth: n,
                    delay_ms: d,
                } if t == event_type && *n == nth => {
                    let fault = format!("delay:{}", delivery.id);
                    let description =
                        format!("the {} {event_type} is delayed by {d} ms", ordinal(nth));
                    if self.fault(
                        &fault,
                        true,
                        &delivery.bus,
                        Some(delivery.cause),
                        delivery.correlation.as_deref(),
                        description,
                    ) {
                        delay_ms += u64::from(*d);
                    }
                }
                ScriptedFault::Duplicate {
                    event_type: t,
                    nth: n,
                } if t == event_type && *n == nth => {
                    let fault = format!("duplicate:{}", delivery.id);
                    let description = format!(
                        "the {} {event_type} is delivered twice at the same instant",
                        ordinal(nth)
                    );
                    same_instant_duplicate = self.fault(
                        &fault,
                        true,
                        &delivery.bus,
                        Some(delivery.cause),
                        delivery.correlation.as_deref(),
                        description,
                    );
                }
                _ => {}
            }
        }
        let at_ms = self.now_ms + DELIVERY_LATENCY_MS + delay_ms;
        let random_duplicate = {
            let drawn = self.random.chance(
                faults.duplicate_rate_ppm,
                "duplicate",
                &delivery.id,
                delivery.attempt,
            );
            // The fault's name and words are only built for a drawn fault (most draws are not).
            !same_instant_duplicate
                && drawn
                && self.fault(
                    &format!("duplicate:{}", delivery.id),
                    drawn,
                    &delivery.bus,
                    Some(delivery.cause),
                    delivery.correlation.as_deref(),
                    format!(
                        "delivery {} of {} is duplicated",
                        delivery.id, delivery.event_id
                    ),
                )
        };
        if same_instant_duplicate || random_duplicate {
            let mut copy = delivery.clone();
            copy.id = format!("{}.dup", delivery.id);
            let copy_delay = if same_instant_duplicate {
                0
            } else {
                DELIVERY_LATENCY_MS
                    + self.random.up_to(
                        u64::from(faults.delivery_delay_ms_max),
                        "delay",
                        &copy.id,
                        copy.attempt,
                    )
            };
            let copy_at = if same_instant_duplicate {
                at_ms
            } else {
                self.now_ms + copy_delay
            };
            self.schedule(copy_at, Work::Deliver(Box::new(copy)));
        }
        self.schedule(at_ms, Work::Deliver(Box::new(delivery)));
    }

    /// A delivery reaches its target.
    pub(super) fn deliver(&mut self, mut delivery: Delivery) {
        let target: Option<&'a Target> = self
            .buses
            .get(delivery.bus.as_str())
            .and_then(|b| b.rules.get(&delivery.rule).copied())
            .and_then(|r| r.targets.get(delivery.target_index as usize));
        let Some(target) = target else { return };
        let drawn = self.random.chance(
            self.design.scenario.faults.target_error_rate_ppm,
            "target-error",
            &delivery.id,
            delivery.attempt,
        );
        // The fault's name and words are only built for a drawn fault (most draws are not).
        if drawn
            && self.fault(
                &format!("target-error:{}#{}", delivery.id, delivery.attempt),
                drawn,
                &target.node,
                Some(delivery.cause),
                delivery.correlation.as_deref(),
                format!(
                    "{} rejects delivery {} (throttled)",
                    target.node, delivery.id
                ),
            )
        {
            self.retry_delivery(delivery, target);
            return;
        }
        let input = shape_input(target, &delivery, self.now_ms);
        // The delivery's event id, rule and correlation are not read after this: they move
        // into the trace and the target rather than being copied.
        let correlation = delivery.correlation.take();
        let seq = self.record_owned(
            target.node.clone(),
            Some(delivery.cause),
            correlation.clone(),
            TraceKind::Delivered {
                delivery: delivery.id.clone(),
                event_id: std::mem::take(&mut delivery.event_id),
                rule: std::mem::take(&mut delivery.rule),
                target: target.node.clone(),
            },
        );
        let Some(node) = self.node(&target.node) else {
            return;
        };
        match &node.kind {
            NodeKind::Function(_) => {
                self.accept_async(&target.node, input, &delivery.id, correlation, seq)
            }
            NodeKind::Queue(_) => self.send_message(
                &target.node,
                Rc::unwrap_or_clone(input),
                None,
                None,
                &delivery.id,
                correlation,
                seq,
            ),
            NodeKind::StateMachine(_) => {
                let origin = delivery.id.clone();
                self.start_execution(
                    &target.node,
                    Rc::unwrap_or_clone(input),
                    &origin,
                    None,
                    correlation,
                    seq,
                )
            }
            NodeKind::Bus(_) => {
                let cloud_event = delivery.event["detail"].clone();
                self.put_event(&target.node, cloud_event, Some(seq));
            }
            _ => {}
        }
    }
}

impl Engine<'_> {
    /// EventBridge's own retry layer: a rejected delivery is retried with exponential backoff
    /// and jitter until the target's RetryPolicy runs out, then goes to the rule target's
    /// dead-letter queue, or is dropped. AWS does not publish its schedule; ours is 1 s doubling
    /// to at most 5 minutes, plus up to the same again of keyed jitter.
    fn retry_delivery(&mut self, mut delivery: Delivery, target: &Target) {
        let cause = self.trace.len().saturating_sub(1) as u32;
        let policy = &target.retry_policy;
        let base_ms = (1_000u64 << delivery.attempt.saturating_sub(1).min(9)).min(300_000);
        let retry_at_ms = self.now_ms
            + base_ms
            + self
                .random
                .up_to(base_ms, "target-retry", &delivery.id, delivery.attempt);
        let too_old =
            retry_at_ms - delivery.first_at_ms > u64::from(policy.maximum_event_age_s) * 1000;
        if delivery.attempt > policy.maximum_retry_attempts || too_old {
            let condition = if too_old {
                "MaximumEventAgeInSeconds"
            } else {
                "MaximumRetryAttempts"
            };
            match &target.dead_letter_queue {
                Some(queue) => {
                    let seq = self.record(
                        &delivery.bus,
                        Some(cause),
                        delivery.correlation.as_deref(),
                        TraceKind::DeadLettered {
                            subject: delivery.id.clone(),
                            destination: queue.clone(),
                            reason: format!("EventBridge gave up on {} ({condition})", target.node),
                        },
                    );
                    let body = json!({"event": delivery.event.as_ref(), "attributes": {
                        "RULE_ARN": format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/{}/{}", delivery.bus, delivery.rule),
                        "ERROR_CODE": "THROTTLING", "EXHAUSTED_RETRY_CONDITION": condition,
                        "RETRY_ATTEMPTS": delivery.attempt - 1}});
                    self.send_message(
                        queue,
                        body,
                        None,
                        None,
                        &delivery.id,
                        delivery.correlation.clone(),
                        seq,
                    );
                }
                None => {
                    self.record(&delivery.bus, Some(cause), delivery.correlation.as_deref(), TraceKind::Discarded {
                        subject: delivery.id.clone(),
                        reason: format!("EventBridge gave up on {} ({condition}) and the target has no dead-letter queue", target.node),
                    });
                }
            }
            return;
        }
        delivery.attempt += 1;
        delivery.cause = self.record(
            &delivery.bus,
            Some(cause),
            delivery.correlation.as_deref(),
            TraceKind::RetryScheduled {
                subject: delivery.id.clone(),
                layer: "eventbridge".to_string(),
                attempt: delivery.attempt,
                retry_at_ms,
            },
        );
        self.schedule(retry_at_ms, Work::Deliver(Box::new(delivery)));
    }
}

/// The input a target receives: the whole event, a part of it (InputPath), or a transformed
/// one (InputTransformer). The whole event is the shared envelope itself, not a copy.
fn shape_input(target: &Target, delivery: &Delivery, now_ms: u64) -> Rc<Value> {
    use crate::pattern::transform::{InputTransformer, RenderContext, TargetInput};
    if target.input_path.is_none() && target.input_transformer.is_none() {
        return Rc::clone(&delivery.event);
    }
    let transformer = target.input_transformer.as_ref().map(|t| InputTransformer {
        input_paths_map: t.input_paths_map.clone(),
        input_template: t.input_template.clone(),
    });
    // A configuration PutTargets would refuse delivers nothing; validation reports why.
    let Ok(input) = TargetInput::from_target(
        None,
        target.input_path.as_deref(),
        transformer,
        &target.node,
    ) else {
        return Rc::new(Value::Null);
    };
    let rule_arn = format!(
        "arn:aws:events:{REGION}:{ACCOUNT}:rule/{}/{}",
        delivery.bus, delivery.rule
    );
    let context = RenderContext {
        rule_name: &delivery.rule,
        rule_arn: &rule_arn,
        ingestion_time_ms: super::engine::VIRTUAL_EPOCH_MS + now_ms,
    };
    // EventBridge delivers the rendered text; a target reads JSON when it is JSON (AWS does not
    // escape values, so a transformer can produce text that is not).
    let text = input.render(&delivery.event, &context);
    Rc::new(serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn fill_template(template: &Value, key: &str, number: u32) -> Value {
    match template {
        Value::String(text) => {
            if text == "{{n}}" {
                return Value::from(number);
            }
            Value::String(
                text.replace("{{key}}", key)
                    .replace("{{n}}", &number.to_string()),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| fill_template(v, key, number))
                .collect(),
        ),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), fill_template(v, key, number)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
