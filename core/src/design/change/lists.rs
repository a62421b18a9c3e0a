//! The changes to the design's id-keyed lists (a bus's rules, triggers, event types,
//! services), the scenario, and batches. Split from `change` so each file stays one concept:
//! there, node and step edits; here, list entries found by id.
//!
//! Like `apply`, nothing here may leave the design half-changed: each function checks
//! everything it needs before it mutates, and a batch rolls back what it applied on error.

use super::{insert_at, node_mut, ChangeError, DesignChange};
use crate::design::document::{Design, EventType, NodeKind, Rule, Service, Trigger};

pub(super) fn rule_mut<'a>(
    design: &'a mut Design,
    bus: &str,
    rule: &str,
) -> Result<&'a mut Rule, ChangeError> {
    rules_mut(design, bus)?
        .iter_mut()
        .find(|r| r.id == rule)
        .ok_or_else(|| ChangeError::UnknownRule {
            bus: bus.to_string(),
            rule: rule.to_string(),
        })
}

fn rules_mut<'a>(design: &'a mut Design, bus: &str) -> Result<&'a mut Vec<Rule>, ChangeError> {
    match &mut node_mut(design, bus)?.kind {
        NodeKind::Bus(b) => Ok(&mut b.rules),
        _ => Err(ChangeError::WrongKind {
            id: bus.to_string(),
            expected: "bus",
        }),
    }
}

pub(super) fn add_rule(
    design: &mut Design,
    bus: String,
    index: u32,
    rule: Rule,
) -> Result<DesignChange, ChangeError> {
    let rules = rules_mut(design, &bus)?;
    if rules.iter().any(|r| r.id == rule.id) {
        return Err(ChangeError::DuplicateRule { bus, rule: rule.id });
    }
    let id = rule.id.clone();
    insert_at(rules, index, rule)?;
    Ok(DesignChange::RemoveRule { bus, rule: id })
}

pub(super) fn remove_rule(
    design: &mut Design,
    bus: String,
    rule: String,
) -> Result<DesignChange, ChangeError> {
    let rules = rules_mut(design, &bus)?;
    let Some(index) = rules.iter().position(|r| r.id == rule) else {
        return Err(ChangeError::UnknownRule { bus, rule });
    };
    let removed = rules.remove(index);
    Ok(DesignChange::AddRule {
        bus,
        index: to_u32(index),
        rule: removed,
    })
}

pub(super) fn set_rule(
    design: &mut Design,
    bus: String,
    rule: String,
    value: Rule,
) -> Result<DesignChange, ChangeError> {
    let rules = rules_mut(design, &bus)?;
    let Some(index) = rules.iter().position(|r| r.id == rule) else {
        return Err(ChangeError::UnknownRule { bus, rule });
    };
    if value.id != rule && rules.iter().any(|r| r.id == value.id) {
        return Err(ChangeError::DuplicateRule {
            bus,
            rule: value.id,
        });
    }
    let new_id = value.id.clone();
    let old = std::mem::replace(&mut rules[index], value);
    Ok(DesignChange::SetRule {
        bus,
        rule: new_id,
        value: old,
    })
}

/// The changes of `DesignChange` that `apply` hands over: triggers, event types, services,
/// the scenario and batches.
pub(super) fn apply_list_change(
    design: &mut Design,
    change: DesignChange,
) -> Result<DesignChange, ChangeError> {
    use DesignChange as C;
    match change {
        C::AddTrigger { index, trigger } => {
            if design.triggers.iter().any(|t| t.id == trigger.id) {
                return Err(ChangeError::DuplicateTrigger(trigger.id));
            }
            let id = trigger.id.clone();
            insert_at(&mut design.triggers, index, trigger)?;
            Ok(C::RemoveTrigger { id })
        }
        C::RemoveTrigger { id } => {
            let index = trigger_index(design, &id)?;
            let trigger = design.triggers.remove(index);
            Ok(C::AddTrigger {
                index: to_u32(index),
                trigger,
            })
        }
        C::SetTrigger { id, trigger } => set_trigger(design, id, trigger),
        C::AddEventType { index, event_type } => {
            if event_type_index(design, &event_type.type_name).is_ok() {
                return Err(ChangeError::DuplicateEventType(event_type.type_name));
            }
            let type_name = event_type.type_name.clone();
            insert_at(&mut design.event_types, index, event_type)?;
            Ok(C::RemoveEventType { type_name })
        }
        C::RemoveEventType { type_name } => {
            let index = event_type_index(design, &type_name)?;
            let event_type = design.event_types.remove(index);
            Ok(C::AddEventType {
                index: to_u32(index),
                event_type,
            })
        }
        C::SetEventType {
            type_name,
            event_type,
        } => set_event_type(design, type_name, event_type),
        C::SetEventField {
            type_name,
            field,
            field_type,
        } => {
            let index = event_type_index(design, &type_name)?;
            let fields = &mut design.event_types[index].fields;
            let old = match field_type {
                Some(field_type) => fields.insert(field.clone(), field_type),
                None => fields.remove(&field),
            };
            Ok(C::SetEventField {
                type_name,
                field,
                field_type: old,
            })
        }
        C::AddService { index, service } => {
            if design.services.iter().any(|s| s.id == service.id) {
                return Err(ChangeError::DuplicateService(service.id));
            }
            let id = service.id.clone();
            insert_at(&mut design.services, index, service)?;
            Ok(C::RemoveService { id })
        }
        C::RemoveService { id } => {
            let index = service_index(design, &id)?;
            let service = design.services.remove(index);
            Ok(C::AddService {
                index: to_u32(index),
                service,
            })
        }
        C::SetService { id, service } => set_service(design, id, service),
        C::SetScenario { scenario } => {
            let old = std::mem::replace(&mut design.scenario, scenario);
            Ok(C::SetScenario { scenario: old })
        }
        C::Batch { changes } => apply_batch(design, changes),
        // `apply` handles every other change itself and never hands one over.
        other => super::apply(design, other),
    }
}

fn set_trigger(
    design: &mut Design,
    id: String,
    trigger: Trigger,
) -> Result<DesignChange, ChangeError> {
    let index = trigger_index(design, &id)?;
    if trigger.id != id && trigger_index(design, &trigger.id).is_ok() {
        return Err(ChangeError::DuplicateTrigger(trigger.id));
    }
    let new_id = trigger.id.clone();
    let old = std::mem::replace(&mut design.triggers[index], trigger);
    Ok(DesignChange::SetTrigger {
        id: new_id,
        trigger: old,
    })
}

fn set_event_type(
    design: &mut Design,
    type_name: String,
    event_type: EventType,
) -> Result<DesignChange, ChangeError> {
    let index = event_type_index(design, &type_name)?;
    if event_type.type_name != type_name && event_type_index(design, &event_type.type_name).is_ok()
    {
        return Err(ChangeError::DuplicateEventType(event_type.type_name));
    }
    let new_name = event_type.type_name.clone();
    let old = std::mem::replace(&mut design.event_types[index], event_type);
    Ok(DesignChange::SetEventType {
        type_name: new_name,
        event_type: old,
    })
}

fn set_service(
    design: &mut Design,
    id: String,
    service: Service,
) -> Result<DesignChange, ChangeError> {
    let index = service_index(design, &id)?;
    if service.id != id && service_index(design, &service.id).is_ok() {
        return Err(ChangeError::DuplicateService(service.id));
    }
    let new_id = service.id.clone();
    let old = std::mem::replace(&mut design.services[index], service);
    Ok(DesignChange::SetService {
        id: new_id,
        service: old,
    })
}

/// Applies changes in order; on the first error, undoes what was applied and reports it.
fn apply_batch(
    design: &mut Design,
    changes: Vec<DesignChange>,
) -> Result<DesignChange, ChangeError> {
    let mut inverses = Vec::with_capacity(changes.len());
    for change in changes {
        match super::apply(design, change) {
            Ok(inverse) => inverses.push(inverse),
            Err(error) => {
                for inverse in inverses.into_iter().rev() {
                    // Each inverse was just produced against this very design, so it fits;
                    // an error here would be a bug in `apply`, and there is nothing better
                    // to do with it than to stop rolling back.
                    if super::apply(design, inverse).is_err() {
                        break;
                    }
                }
                return Err(error);
            }
        }
    }
    inverses.reverse();
    Ok(DesignChange::Batch { changes: inverses })
}

fn trigger_index(design: &Design, id: &str) -> Result<usize, ChangeError> {
    design
        .triggers
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| ChangeError::UnknownTrigger(id.to_string()))
}

fn event_type_index(design: &Design, type_name: &str) -> Result<usize, ChangeError> {
    design
        .event_types
        .iter()
        .position(|t| t.type_name == type_name)
        .ok_or_else(|| ChangeError::UnknownEventType(type_name.to_string()))
}

fn service_index(design: &Design, id: &str) -> Result<usize, ChangeError> {
    design
        .services
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| ChangeError::UnknownService(id.to_string()))
}

fn to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}
