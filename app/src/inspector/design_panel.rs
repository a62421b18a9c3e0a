//! The design itself, shown when no node is selected: its name and description, services
//! (who owns which data), event types with their data fields, and the scenario's seed.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{EventType, Scenario, Service};
use leptos::prelude::*;

use super::fields::{ChoiceField, NumberField, TextField};
use crate::state::editor::use_editor;
use crate::state::session::use_session;

const FIELD_TYPES: &[&str] = &["string", "number", "boolean", "object", "array"];

#[component]
pub fn DesignPanel() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let apply = move |change: DesignChange| {
        if let Err(e) = editor.apply(change) {
            session.warn(e);
        }
    };
    let name = Signal::derive(move || design.with(|d| d.name.clone()));
    let description = Signal::derive(move || design.with(|d| d.description.clone()));
    let set_name = Callback::new(move |name: String| {
        let description = design.with_untracked(|d| d.description.clone());
        apply(DesignChange::SetInfo { name, description });
    });
    let set_description = Callback::new(move |description: String| {
        let name = design.with_untracked(|d| d.name.clone());
        apply(DesignChange::SetInfo { name, description });
    });
    let seed = Signal::derive(move || design.with(|d| Some(d.scenario.seed)));
    let set_seed = Callback::new(move |seed: Option<u64>| {
        let mut scenario: Scenario = design.with_untracked(|d| d.scenario.clone());
        scenario.seed = seed.unwrap_or(1);
        apply(DesignChange::SetScenario { scenario });
    });
    let add_service = Callback::new(move |id: String| {
        let id = id.trim().to_string();
        if id.is_empty() {
            return;
        }
        let index = design.with_untracked(|d| u32::try_from(d.services.len()).unwrap_or(u32::MAX));
        apply(DesignChange::AddService {
            index,
            service: Service {
                id: id.clone(),
                name: id,
                owns: Vec::new(),
            },
        });
    });
    let add_event_type = Callback::new(move |type_name: String| {
        let type_name = type_name.trim().to_string();
        if type_name.is_empty() {
            return;
        }
        let (index, source) = design.with_untracked(|d| {
            (
                u32::try_from(d.event_types.len()).unwrap_or(u32::MAX),
                d.services.first().map(|s| s.id.clone()).unwrap_or_default(),
            )
        });
        let event_type = EventType {
            type_name,
            source,
            fields: Default::default(),
            example: None,
        };
        apply(DesignChange::AddEventType { index, event_type });
    });
    let service_ids = Memo::new(move |_| {
        design.with(|d| d.services.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
    });
    let type_names = Memo::new(move |_| {
        design.with(|d| {
            d.event_types
                .iter()
                .map(|t| t.type_name.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h2 class="panel-title">"Design"</h2>
        <p class="hint">"Select a node on the canvas to edit it."</p>
        <TextField label="Design name".to_string() value=name on_commit=set_name />
        <TextField label="Description".to_string() value=description on_commit=set_description />
        <NumberField label="Scenario seed".to_string() value=seed on_commit=set_seed />
        <h3 class="panel-subtitle">"Services"</h3>
        <For each=move || service_ids.get() key=|id| id.clone() let(id)>
            <ServiceCard id=id />
        </For>
        <TextField label="Add a service (id)".to_string() value=Signal::derive(String::new) on_commit=add_service mono=true />
        <h3 class="panel-subtitle">"Event types"</h3>
        <For each=move || type_names.get() key=|t| t.clone() let(type_name)>
            <EventTypeCard type_name=type_name />
        </For>
        <TextField label="Add an event type".to_string() value=Signal::derive(String::new) on_commit=add_event_type mono=true placeholder="com.pizza.order.placed.v1".to_string() />
    }
}

#[component]
fn ServiceCard(id: String) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let key = StoredValue::new(id.clone());
    let service = Memo::new(move |_| {
        key.with_value(|id| design.with(|d| d.services.iter().find(|s| &s.id == id).cloned()))
    });
    let set = move |edit: &dyn Fn(&mut Service)| {
        if let Some(mut value) = service.get_untracked() {
            edit(&mut value);
            let _ = editor.apply(DesignChange::SetService {
                id: key.get_value(),
                service: value,
            });
        }
    };
    let set_name = Callback::new(move |name: String| set(&|s| s.name = name.clone()));
    let set_owns = Callback::new(move |owns: String| {
        set(&|s| {
            s.owns = owns
                .split(',')
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
                .collect()
        })
    });
    view! {
        <fieldset class="card">
            <legend>{format!("Service {id}")}</legend>
            <TextField label="Service name".to_string() value=Signal::derive(move || service.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())) on_commit=set_name />
            <TextField label="Owns (data fields, comma separated)".to_string() value=Signal::derive(move || service.with(|s| s.as_ref().map(|s| s.owns.join(", ")).unwrap_or_default())) on_commit=set_owns />
            <button class="button small danger" on:click=move |_| { let _ = editor.apply(DesignChange::RemoveService { id: key.get_value() }); }>
                {format!("Remove service {id}")}
            </button>
        </fieldset>
    }
}

#[component]
fn EventTypeCard(type_name: String) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let key = StoredValue::new(type_name.clone());
    let event_type = Memo::new(move |_| {
        key.with_value(|t| {
            design.with(|d| d.event_types.iter().find(|e| &e.type_name == t).cloned())
        })
    });
    let apply = move |change: DesignChange| {
        if let Err(e) = editor.apply(change) {
            session.warn(e);
        }
    };
    let rename = Callback::new(move |new: String| {
        if let Some(mut value) = event_type.get_untracked() {
            value.type_name = new.trim().to_string();
            apply(DesignChange::SetEventType {
                type_name: key.get_value(),
                event_type: value,
            });
        }
    });
    let services = Signal::derive(move || {
        design.with(|d| {
            d.services
                .iter()
                .map(|s| (s.id.clone(), s.id.clone()))
                .collect::<Vec<_>>()
        })
    });
    let set_source = Callback::new(move |source: String| {
        if let Some(mut value) = event_type.get_untracked() {
            value.source = source;
            apply(DesignChange::SetEventType {
                type_name: key.get_value(),
                event_type: value,
            });
        }
    });
    let fields = Memo::new(move |_| {
        event_type.with(|e| {
            e.as_ref()
                .map(|e| e.fields.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let add_field = Callback::new(move |field: String| {
        let field = field.trim().to_string();
        if !field.is_empty() {
            apply(DesignChange::SetEventField {
                type_name: key.get_value(),
                field,
                field_type: Some("string".into()),
            });
        }
    });
    let types = Signal::derive(|| {
        FIELD_TYPES
            .iter()
            .map(|t| (t.to_string(), t.to_string()))
            .collect::<Vec<_>>()
    });
    view! {
        <fieldset class="card">
            <legend>{format!("Event type {type_name}")}</legend>
            <TextField label="Type".to_string() value=Signal::derive(move || key.get_value()) on_commit=rename mono=true />
            <ChoiceField label="Source service".to_string() value=Signal::derive(move || event_type.with(|e| e.as_ref().map(|e| e.source.clone()).unwrap_or_default())) options=services on_commit=set_source />
            <For each=move || fields.get() key=|f| f.clone() let(field)>
                {
                    let name = StoredValue::new(field.clone());
                    let current = Signal::derive(move || event_type.with(|e| e.as_ref().and_then(|e| name.with_value(|n| e.fields.get(n).cloned())).unwrap_or_default()));
                    let set_type = Callback::new(move |t: String| apply(DesignChange::SetEventField { type_name: key.get_value(), field: name.get_value(), field_type: Some(t) }));
                    view! {
                        <div class="row">
                            <ChoiceField label=format!("Field {field}") value=current options=types on_commit=set_type />
                            <button
                                class="button small"
                                aria-label=format!("Remove field {field}")
                                on:click=move |_| apply(DesignChange::SetEventField { type_name: key.get_value(), field: name.get_value(), field_type: None })
                            >
                                "✕"
                            </button>
                        </div>
                    }
                }
            </For>
            <TextField label="Add a field".to_string() value=Signal::derive(String::new) on_commit=add_field mono=true />
            <button class="button small danger" on:click=move |_| apply(DesignChange::RemoveEventType { type_name: key.get_value() })>
                {format!("Remove event type {type_name}")}
            </button>
        </fieldset>
    }
}
