//! A bus's rules: each rule's id, its event pattern (JSON, validated live with EventBridge's
//! exact message under the field), and its targets.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{NodeKind, Rule, Target};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::fields::{ChoiceField, JsonField, TextField};
use super::schema::Choices;
use crate::state::editor::use_editor;
use crate::state::session::use_session;
use crate::state::templates::unique;
use crate::state::validation::use_validation;

const TARGET_KINDS: &[&str] = &["function", "queue", "stateMachine", "bus"];

#[component]
pub fn RulesEditor(bus: String, choices: Choices) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let bus = StoredValue::new(bus);
    let rules = Memo::new(move |_| {
        bus.with_value(|bus| {
            design.with(
                |d| match d.nodes.iter().find(|n| &n.id == bus).map(|n| &n.kind) {
                    Some(NodeKind::Bus(b)) => b.rules.clone(),
                    _ => Vec::new(),
                },
            )
        })
    });
    let add_rule = move |_| {
        let (id, pattern) = design.with_untracked(|d| {
            let taken = rules.get_untracked();
            let id = unique("rule", |id| taken.iter().any(|r| r.id == id));
            let pattern = match d.event_types.first() {
                Some(t) => json!({"detail-type": [t.type_name]}),
                None => json!({"source": [{"prefix": ""}]}),
            };
            (id, pattern)
        });
        let index = u32::try_from(rules.with_untracked(Vec::len)).unwrap_or(u32::MAX);
        let change = DesignChange::AddRule {
            bus: bus.get_value(),
            index,
            rule: Rule {
                id,
                pattern,
                targets: Vec::new(),
            },
        };
        if let Err(e) = editor.apply(change) {
            session.warn(e);
        }
    };
    let rule_ids =
        Memo::new(move |_| rules.with(|r| r.iter().map(|r| r.id.clone()).collect::<Vec<_>>()));
    view! {
        <h3 class="panel-subtitle">"Rules"</h3>
        <For each=move || rule_ids.get() key=|id| id.clone() let(rule_id)>
            <RuleCard bus=bus.get_value() rule_id=rule_id rules=rules choices=choices />
        </For>
        <button class="button" on:click=add_rule>"Add rule"</button>
    }
}

#[component]
fn RuleCard(
    bus: String,
    rule_id: String,
    rules: Memo<Vec<Rule>>,
    choices: Choices,
) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let bus = StoredValue::new(bus);
    let id = StoredValue::new(rule_id.clone());
    let rule = Memo::new(move |_| {
        id.with_value(|id| rules.with(|r| r.iter().find(|r| &r.id == id).cloned()))
    });
    let apply = move |change: DesignChange| {
        if let Err(e) = editor.apply(change) {
            session.warn(e);
        }
    };
    let rename = Callback::new(move |new_id: String| {
        let Some(mut value) = rule.get_untracked() else {
            return;
        };
        value.id = new_id.trim().to_string();
        apply(DesignChange::SetRule {
            bus: bus.get_value(),
            rule: id.get_value(),
            value,
        });
    });
    let pattern = Signal::derive(move || rule.with(|r| r.as_ref().map(|r| r.pattern.clone())));
    let set_pattern = Callback::new(move |pattern: Option<Value>| {
        let pattern = pattern.unwrap_or(Value::Null);
        apply(DesignChange::SetRulePattern {
            bus: bus.get_value(),
            rule: id.get_value(),
            pattern,
        });
    });
    let validation = use_validation();
    let check = Callback::new(move |text: String| validation.pattern_problem(&text));
    let target_options = Signal::derive(move || {
        choices.nodes.with(|nodes| {
            nodes
                .iter()
                .filter(|(_, kind, _)| TARGET_KINDS.contains(&kind.as_str()))
                .map(|(id, _, label)| (id.clone(), label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let target_count = Memo::new(move |_| rule.with(|r| r.as_ref().map_or(0, |r| r.targets.len())));
    let add_target = Callback::new(move |node: String| {
        if node.is_empty() {
            return;
        }
        let index = u32::try_from(target_count.get_untracked()).unwrap_or(u32::MAX);
        let target = Target {
            node,
            input_transformer: None,
            input_path: None,
            retry_policy: Default::default(),
            dead_letter_queue: None,
        };
        apply(DesignChange::AddTarget {
            bus: bus.get_value(),
            rule: id.get_value(),
            index,
            target,
        });
    });
    let target_indices = move || (0..target_count.get()).collect::<Vec<usize>>();
    view! {
        <fieldset class="card">
            <legend>{format!("Rule {rule_id}")}</legend>
            <TextField label="Rule id".to_string() value=Signal::derive(move || id.get_value()) on_commit=rename mono=true />
            <JsonField label="Event pattern".to_string() value=pattern on_commit=set_pattern check=check rows=4 />
            <For each=target_indices key=|i| *i let(index)>
                {
                    let node = Signal::derive(move || rule.with(|r| r.as_ref().and_then(|r| r.targets.get(index)).map(|t| t.node.clone()).unwrap_or_default()));
                    let number = index + 1;
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    let set = Callback::new(move |node: String| {
                        let Some(mut target) = rule.with_untracked(|r| r.as_ref().and_then(|r| r.targets.get(index as usize).cloned())) else {
                            return;
                        };
                        target.node = node;
                        apply(DesignChange::SetTarget { bus: bus.get_value(), rule: id.get_value(), index, target });
                    });
                    view! {
                        <div class="row">
                            <ChoiceField label=format!("Target {number}") value=node options=target_options on_commit=set />
                            <button
                                class="button small"
                                aria-label=format!("Remove target {number}")
                                on:click=move |_| apply(DesignChange::RemoveTarget { bus: bus.get_value(), rule: id.get_value(), index })
                            >
                                "✕"
                            </button>
                        </div>
                    }
                }
            </For>
            <ChoiceField label="Add a target".to_string() value=Signal::derive(String::new) options=target_options on_commit=add_target reset=true />
            <button
                class="button small danger"
                on:click=move |_| apply(DesignChange::RemoveRule { bus: bus.get_value(), rule: id.get_value() })
            >
                {format!("Remove rule {rule_id}")}
            </button>
        </fieldset>
    }
}
