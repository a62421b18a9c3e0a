//! Edits as data: the closed set of changes a person can make to a design, and one pure
//! `apply` that performs a change and returns its inverse, which is all that undo needs.
//!
//! Every edit the app makes goes through here, so the document only changes in ways this file
//! names, and undo is exact by construction. `apply` never panics and never half-applies: a
//! change that does not fit the design (an unknown id, an index out of range, a wrong kind)
//! is an error value and the design is left as it was. This module must never look at layout
//! or rendering concerns beyond the `layout` positions it moves, nor validate semantics (that
//! is `validate`'s job: a change may well produce a design with diagnostics).

mod lists;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::document::{
    Design, EventType, Node, NodeKind, Position, Rule, Service, Target, Trigger,
};
use super::scenario::Scenario;
use super::step::Step;

/// One edit of a design. Indices are positions in the document's lists (`u32`, never `usize`,
/// so a change can be saved or sent); an index equal to the list's length appends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "change",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DesignChange {
    /// Replaces the whole document (opening an example, "New design", importing a file).
    Replace {
        design: Box<Design>,
    },
    /// Sets the design's name and description.
    SetInfo {
        name: String,
        description: String,
    },
    /// Inserts a node at `index` in `nodes`, with its canvas position if it has one.
    AddNode {
        index: u32,
        node: Node,
        position: Option<Position>,
    },
    /// Removes a node and its position. References to it are left for `validate` to report;
    /// [`delete_node`] builds the batch that also removes the rules' targets and triggers.
    RemoveNode {
        id: String,
    },
    /// Sets a node's display name (its id stays: everything refers to the id).
    RenameNode {
        id: String,
        name: String,
    },
    /// Sets or clears a node's owning service.
    SetNodeService {
        id: String,
        service: Option<String>,
    },
    /// Sets (or clears, with `None`) the canvas positions of several nodes at once: a drag of
    /// a selection is one change and one undo step.
    MoveNodes {
        moves: Vec<NodeMove>,
    },
    /// Replaces a node's kind and settings (rules and steps included).
    SetNodeKind {
        id: String,
        kind: NodeKind,
    },
    AddRule {
        bus: String,
        index: u32,
        rule: Rule,
    },
    RemoveRule {
        bus: String,
        rule: String,
    },
    /// Replaces a rule (its id may change with it).
    SetRule {
        bus: String,
        rule: String,
        value: Rule,
    },
    /// Sets a rule's event pattern JSON, kept exactly as written even when EventBridge would
    /// refuse it (validation reports that).
    SetRulePattern {
        bus: String,
        rule: String,
        pattern: Value,
    },
    AddTarget {
        bus: String,
        rule: String,
        index: u32,
        target: Target,
    },
    RemoveTarget {
        bus: String,
        rule: String,
        index: u32,
    },
    SetTarget {
        bus: String,
        rule: String,
        index: u32,
        target: Target,
    },
    /// Inserts a handler step into a function's program.
    AddStep {
        function: String,
        index: u32,
        step: Step,
    },
    RemoveStep {
        function: String,
        index: u32,
    },
    /// Moves a step from one position to another (the others shift).
    MoveStep {
        function: String,
        from: u32,
        to: u32,
    },
    SetStep {
        function: String,
        index: u32,
        step: Step,
    },
    AddTrigger {
        index: u32,
        trigger: Trigger,
    },
    RemoveTrigger {
        id: String,
    },
    /// Replaces a trigger (its id may change with it).
    SetTrigger {
        id: String,
        trigger: Trigger,
    },
    AddEventType {
        index: u32,
        event_type: EventType,
    },
    RemoveEventType {
        type_name: String,
    },
    /// Replaces an event type (its `type` may change with it).
    SetEventType {
        type_name: String,
        event_type: EventType,
    },
    /// Sets one data field of an event type (`None` removes it).
    SetEventField {
        type_name: String,
        field: String,
        field_type: Option<String>,
    },
    AddService {
        index: u32,
        service: Service,
    },
    RemoveService {
        id: String,
    },
    /// Replaces a service (its id may change with it).
    SetService {
        id: String,
        service: Service,
    },
    SetScenario {
        scenario: Scenario,
    },
    /// Several changes as one undoable step, applied in order, all or nothing.
    Batch {
        changes: Vec<DesignChange>,
    },
}

/// One node's new position in a [`DesignChange::MoveNodes`]; `None` removes the position so
/// the canvas lays the node out automatically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeMove {
    pub id: String,
    pub to: Option<Position>,
}

/// Why a change does not fit the design it was applied to. The design is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    UnknownNode(String),
    /// The node exists but is not of the kind the change needs (`bus` for rules, `function`
    /// for steps).
    WrongKind {
        id: String,
        expected: &'static str,
    },
    DuplicateNode(String),
    UnknownRule {
        bus: String,
        rule: String,
    },
    DuplicateRule {
        bus: String,
        rule: String,
    },
    UnknownTrigger(String),
    DuplicateTrigger(String),
    UnknownEventType(String),
    DuplicateEventType(String),
    UnknownService(String),
    DuplicateService(String),
    /// An index past the end of the list it points into.
    IndexOutOfRange {
        index: u32,
        length: u32,
    },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::UnknownNode(id) => write!(f, "there is no node '{id}'"),
            ChangeError::WrongKind { id, expected } => write!(f, "'{id}' is not a {expected}"),
            ChangeError::DuplicateNode(id) => write!(f, "a node with id '{id}' already exists"),
            ChangeError::UnknownRule { bus, rule } => {
                write!(f, "bus '{bus}' has no rule '{rule}'")
            }
            ChangeError::DuplicateRule { bus, rule } => {
                write!(f, "bus '{bus}' already has a rule '{rule}'")
            }
            ChangeError::UnknownTrigger(id) => write!(f, "there is no trigger '{id}'"),
            ChangeError::DuplicateTrigger(id) => {
                write!(f, "a trigger with id '{id}' already exists")
            }
            ChangeError::UnknownEventType(name) => write!(f, "there is no event type '{name}'"),
            ChangeError::DuplicateEventType(name) => {
                write!(f, "the event type '{name}' already exists")
            }
            ChangeError::UnknownService(id) => write!(f, "there is no service '{id}'"),
            ChangeError::DuplicateService(id) => {
                write!(f, "a service with id '{id}' already exists")
            }
            ChangeError::IndexOutOfRange { index, length } => {
                write!(f, "position {index} is outside a list of {length}")
            }
        }
    }
}

impl std::error::Error for ChangeError {}

/// Applies `change` to `design` and returns the change that undoes it. On error the design
/// is exactly as it was.
pub fn apply(design: &mut Design, change: DesignChange) -> Result<DesignChange, ChangeError> {
    use DesignChange as C;
    match change {
        C::Replace { design: new } => {
            let old = std::mem::replace(design, *new);
            Ok(C::Replace {
                design: Box::new(old),
            })
        }
        C::SetInfo { name, description } => {
            let name = std::mem::replace(&mut design.name, name);
            let description = std::mem::replace(&mut design.description, description);
            Ok(C::SetInfo { name, description })
        }
        C::AddNode {
            index,
            node,
            position,
        } => add_node(design, index, node, position),
        C::RemoveNode { id } => remove_node(design, &id),
        C::RenameNode { id, name } => {
            let node = node_mut(design, &id)?;
            let name = std::mem::replace(&mut node.name, name);
            Ok(C::RenameNode { id, name })
        }
        C::SetNodeService { id, service } => {
            let node = node_mut(design, &id)?;
            let service = std::mem::replace(&mut node.service, service);
            Ok(C::SetNodeService { id, service })
        }
        C::MoveNodes { moves } => move_nodes(design, moves),
        C::SetNodeKind { id, kind } => {
            let node = node_mut(design, &id)?;
            let kind = std::mem::replace(&mut node.kind, kind);
            Ok(C::SetNodeKind { id, kind })
        }
        C::AddRule { bus, index, rule } => lists::add_rule(design, bus, index, rule),
        C::RemoveRule { bus, rule } => lists::remove_rule(design, bus, rule),
        C::SetRule { bus, rule, value } => lists::set_rule(design, bus, rule, value),
        C::SetRulePattern { bus, rule, pattern } => {
            let found = lists::rule_mut(design, &bus, &rule)?;
            let pattern = std::mem::replace(&mut found.pattern, pattern);
            Ok(C::SetRulePattern { bus, rule, pattern })
        }
        C::AddTarget {
            bus,
            rule,
            index,
            target,
        } => {
            let targets = &mut lists::rule_mut(design, &bus, &rule)?.targets;
            insert_at(targets, index, target)?;
            Ok(C::RemoveTarget { bus, rule, index })
        }
        C::RemoveTarget { bus, rule, index } => {
            let targets = &mut lists::rule_mut(design, &bus, &rule)?.targets;
            let target = remove_at(targets, index)?;
            Ok(C::AddTarget {
                bus,
                rule,
                index,
                target,
            })
        }
        C::SetTarget {
            bus,
            rule,
            index,
            target,
        } => {
            let targets = &mut lists::rule_mut(design, &bus, &rule)?.targets;
            let target = replace_at(targets, index, target)?;
            Ok(C::SetTarget {
                bus,
                rule,
                index,
                target,
            })
        }
        C::AddStep {
            function,
            index,
            step,
        } => {
            insert_at(steps_mut(design, &function)?, index, step)?;
            Ok(C::RemoveStep { function, index })
        }
        C::RemoveStep { function, index } => {
            let step = remove_at(steps_mut(design, &function)?, index)?;
            Ok(C::AddStep {
                function,
                index,
                step,
            })
        }
        C::MoveStep { function, from, to } => {
            let steps = steps_mut(design, &function)?;
            check_index(steps.len(), to, false)?;
            let step = remove_at(steps, from)?;
            insert_at(steps, to, step)?;
            Ok(C::MoveStep {
                function,
                from: to,
                to: from,
            })
        }
        C::SetStep {
            function,
            index,
            step,
        } => {
            let step = replace_at(steps_mut(design, &function)?, index, step)?;
            Ok(C::SetStep {
                function,
                index,
                step,
            })
        }
        other => lists::apply_list_change(design, other),
    }
}

/// The batch that deletes a node and the wiring that only makes sense with it: the rule
/// targets and triggers that point at it, and pipes' and producers' links stay for
/// `validate` to report. Returns `None` when there is no such node.
pub fn delete_node(design: &Design, id: &str) -> Option<DesignChange> {
    design.nodes.iter().find(|n| n.id == id)?;
    let mut changes = Vec::new();
    for trigger in &design.triggers {
        if trigger.source == id || trigger.function == id {
            changes.push(DesignChange::RemoveTrigger {
                id: trigger.id.clone(),
            });
        }
    }
    for node in &design.nodes {
        let NodeKind::Bus(bus) = &node.kind else {
            continue;
        };
        for rule in &bus.rules {
            // Highest index first, so earlier removals do not shift later ones.
            for (index, target) in rule.targets.iter().enumerate().rev() {
                if target.node == id {
                    changes.push(DesignChange::RemoveTarget {
                        bus: node.id.clone(),
                        rule: rule.id.clone(),
                        index: u32::try_from(index).unwrap_or(u32::MAX),
                    });
                }
            }
        }
    }
    changes.push(DesignChange::RemoveNode { id: id.to_string() });
    Some(DesignChange::Batch { changes })
}

fn add_node(
    design: &mut Design,
    index: u32,
    node: Node,
    position: Option<Position>,
) -> Result<DesignChange, ChangeError> {
    if design.nodes.iter().any(|n| n.id == node.id) {
        return Err(ChangeError::DuplicateNode(node.id));
    }
    let id = node.id.clone();
    insert_at(&mut design.nodes, index, node)?;
    match position {
        Some(position) => design.layout.insert(id.clone(), position),
        None => design.layout.remove(&id),
    };
    Ok(DesignChange::RemoveNode { id })
}

fn remove_node(design: &mut Design, id: &str) -> Result<DesignChange, ChangeError> {
    let index = design
        .nodes
        .iter()
        .position(|n| n.id == id)
        .ok_or_else(|| ChangeError::UnknownNode(id.to_string()))?;
    let node = design.nodes.remove(index);
    let position = design.layout.remove(id);
    Ok(DesignChange::AddNode {
        index: u32::try_from(index).unwrap_or(u32::MAX),
        node,
        position,
    })
}

fn move_nodes(design: &mut Design, moves: Vec<NodeMove>) -> Result<DesignChange, ChangeError> {
    if let Some(missing) = moves
        .iter()
        .find(|m| !design.nodes.iter().any(|n| n.id == m.id))
    {
        return Err(ChangeError::UnknownNode(missing.id.clone()));
    }
    let mut inverse = Vec::with_capacity(moves.len());
    for NodeMove { id, to } in moves {
        let old = match to {
            Some(position) => design.layout.insert(id.clone(), position),
            None => design.layout.remove(&id),
        };
        inverse.push(NodeMove { id, to: old });
    }
    // Undoing in reverse order restores the first position when one node moved twice.
    inverse.reverse();
    Ok(DesignChange::MoveNodes { moves: inverse })
}

pub(super) fn node_mut<'a>(design: &'a mut Design, id: &str) -> Result<&'a mut Node, ChangeError> {
    design
        .nodes
        .iter_mut()
        .find(|n| n.id == id)
        .ok_or_else(|| ChangeError::UnknownNode(id.to_string()))
}

fn steps_mut<'a>(design: &'a mut Design, function: &str) -> Result<&'a mut Vec<Step>, ChangeError> {
    match &mut node_mut(design, function)?.kind {
        NodeKind::Function(f) => Ok(&mut f.steps),
        _ => Err(ChangeError::WrongKind {
            id: function.to_string(),
            expected: "function",
        }),
    }
}

/// Checks an index against a list's length; `appending` allows one past the end.
pub(super) fn check_index(
    length: usize,
    index: u32,
    appending: bool,
) -> Result<usize, ChangeError> {
    let limit = if appending {
        length
    } else {
        length.saturating_sub(1)
    };
    match usize::try_from(index) {
        Ok(i) if i <= limit && (appending || length > 0) => Ok(i),
        _ => Err(ChangeError::IndexOutOfRange {
            index,
            length: u32::try_from(length).unwrap_or(u32::MAX),
        }),
    }
}

pub(super) fn insert_at<T>(list: &mut Vec<T>, index: u32, item: T) -> Result<(), ChangeError> {
    let at = check_index(list.len(), index, true)?;
    list.insert(at, item);
    Ok(())
}

pub(super) fn remove_at<T>(list: &mut Vec<T>, index: u32) -> Result<T, ChangeError> {
    let at = check_index(list.len(), index, false)?;
    Ok(list.remove(at))
}

pub(super) fn replace_at<T>(list: &mut [T], index: u32, item: T) -> Result<T, ChangeError> {
    let at = check_index(list.len(), index, false)?;
    Ok(std::mem::replace(&mut list[at], item))
}
