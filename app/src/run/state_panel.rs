//! The State tab: what the design held just after the playhead's event (core's `state_at`, in
//! the worker): the selected table's items (every table's when no table is selected), the
//! messages in each queue and the invocations in flight.

use std::sync::Arc;

use eventlab_core::design::NodeKind;
use leptos::prelude::*;
use serde_json::Value;

use super::model::StateView;
use super::playhead::PlayheadBar;
use super::session::{use_run, StateStatus};
use crate::state::session::use_session;

#[component]
pub fn StateTab() -> impl IntoView {
    let run = use_run();
    let session = use_session();
    // The tables to show: the selected ones, or all when no table is selected.
    let chosen_tables = move || {
        let selection = session.selection.get();
        run.run.with(|f| {
            let Some(f) = f.as_ref() else {
                return Vec::new();
            };
            let tables: Vec<String> = f
                .design
                .nodes
                .iter()
                .filter(|n| matches!(n.kind, NodeKind::Table(_)))
                .map(|n| n.id.clone())
                .collect();
            let selected: Vec<String> = tables
                .iter()
                .filter(|t| selection.contains(t))
                .cloned()
                .collect();
            if selected.is_empty() {
                tables
            } else {
                selected
            }
        })
    };
    view! {
        <div class="run-view state-view">
            <PlayheadBar />
            {move || match run.state.get() {
                StateStatus::None | StateStatus::Loading => {
                    view! { <p class="placeholder">"Reading the state at the playhead…"</p> }.into_any()
                }
                StateStatus::Failed(message) => {
                    view! { <p class="placeholder error-text">{format!("The state could not be read: {message}.")}</p> }
                        .into_any()
                }
                StateStatus::Loaded(state) => {
                    view! { <StateAtPlayhead state tables=chosen_tables() /> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn StateAtPlayhead(state: Arc<StateView>, tables: Vec<String>) -> impl IntoView {
    let heading = format!("Just after #{} ({} ms)", state.seq, state.at_ms);
    let tables_view = tables
        .into_iter()
        .map(|table| {
            let items = state.tables.get(&table).cloned().unwrap_or_default();
            view! { <ItemsTable table items /> }
        })
        .collect_view();
    let queues = state
        .queues
        .iter()
        .map(|(queue, messages)| {
            let lines = messages
                .iter()
                .map(|m| {
                    view! {
                        <li class="mono">
                            {format!("{} (received {}×) {}", m.message, m.receive_count, compact(&m.body))}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="state-section">
                    <h3 class="state-title">{format!("Queue {queue}: {} messages", messages.len())}</h3>
                    <ul class="plain-list state-messages">{lines}</ul>
                </section>
            }
        })
        .collect_view();
    let in_flight = state
        .in_flight
        .iter()
        .map(|i| {
            view! {
                <li class="mono">
                    {format!("{} {} attempt {} since {} ms", i.function, i.invocation, i.attempt, i.since_ms)}
                </li>
            }
        })
        .collect_view();
    let running = state.in_flight.len();
    view! {
        <p class="state-heading">{heading}</p>
        <div class="state-grid">
            {tables_view}
            {queues}
            <section class="state-section">
                <h3 class="state-title">{format!("In flight: {running} invocations")}</h3>
                <ul class="plain-list">{in_flight}</ul>
            </section>
        </div>
    }
}

/// A table's items as rows, one column per attribute in order of first appearance.
#[component]
fn ItemsTable(table: String, items: Vec<Value>) -> impl IntoView {
    let mut columns: Vec<String> = Vec::new();
    for item in &items {
        if let Value::Object(map) = item {
            for key in map.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let header = columns
        .iter()
        .map(|c| view! { <th scope="col">{c.clone()}</th> })
        .collect_view();
    let rows = items
        .iter()
        .map(|item| {
            let cells = columns
                .iter()
                .map(|c| view! { <td>{item.get(c).map(compact).unwrap_or_default()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let count = items.len();
    view! {
        <section class="state-section" aria-label=format!("Table {table}")>
            <h3 class="state-title">{format!("Table {table}: {count} items")}</h3>
            <table class="items-table">
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// A value as short text: strings bare, everything else as compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
