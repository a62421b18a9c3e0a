//! The State tab: what the design held just after the playhead's event (core's `state_at`, in
//! the worker): the selected table's items (every table's when no table is selected), the
//! messages in each queue and the invocations in flight.

use std::sync::Arc;

use eventlab_core::design::NodeKind;
use leptos::prelude::*;
use serde_json::Value;

use super::model::{ItemWriteView, StateView};
use super::playhead::PlayheadBar;
use super::session::{use_run, HistoryStatus, StateStatus};
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
            <Show when=move || run.playing.get()>
                <p class="placeholder">"Playing: the state below is read again when you pause."</p>
            </Show>
            <ItemHistory />
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
            let key_names = key_names(&table);
            view! { <ItemsTable table items key_names /> }
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

/// The key attribute names of `table` in the last run's design.
fn key_names(table: &str) -> Vec<String> {
    use_run().run.with_untracked(|run| {
        run.as_ref()
            .and_then(|r| r.design.nodes.iter().find(|n| n.id == table))
            .and_then(|n| match &n.kind {
                NodeKind::Table(t) => Some(
                    std::iter::once(t.partition_key.name.clone())
                        .chain(t.sort_key.as_ref().map(|k| k.name.clone()))
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default()
    })
}

/// A table's items as rows, one column per attribute in order of first appearance, each with a
/// button that shows the item's version history.
#[component]
fn ItemsTable(table: String, items: Vec<Value>, key_names: Vec<String>) -> impl IntoView {
    let run = use_run();
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
            let key: serde_json::Map<String, Value> = key_names
                .iter()
                .filter_map(|name| Some((name.clone(), item.get(name)?.clone())))
                .collect();
            let label = format!(
                "History of {}",
                key.values().map(compact).collect::<Vec<_>>().join(" ")
            );
            let table = table.clone();
            view! {
                <tr>
                    <td>
                        <button
                            class="button small"
                            aria-label=label
                            title="Every write to this item, with its condition"
                            on:click=move |_| run.request_history(&table, &key)
                        >
                            "History"
                        </button>
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let count = items.len();
    view! {
        <section class="state-section" aria-label=format!("Table {table}")>
            <h3 class="state-title">
                {format!("Table {table}: {count} {}", if count == 1 { "item" } else { "items" })}
            </h3>
            <table class="items-table">
                <thead><tr><th scope="col"></th>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// The version history of the item last asked about: each write, by which function, with its
/// condition, and whether it passed; a click moves the playhead to it.
#[component]
fn ItemHistory() -> impl IntoView {
    let run = use_run();
    // The history is drawn above the tables: asked for from an item further down, it is
    // scrolled to, or the click would seem to do nothing.
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = section.get() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            section.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    move || {
        match run.history.get() {
        HistoryStatus::None => None,
        HistoryStatus::Loading { table, key } => Some(
            view! { <p class="placeholder">{format!("Reading the history of {table} {key}…")}</p> }
                .into_any(),
        ),
        HistoryStatus::Failed(message) => Some(
            view! { <p class="placeholder error-text">{format!("The history could not be read: {message}.")}</p> }
                .into_any(),
        ),
        HistoryStatus::Loaded { table, key, writes } => {
            let count = writes.len();
            let rows = writes
                .iter()
                .map(history_row)
                .collect_view();
            Some(
                view! {
                    <section class="state-section item-history" aria-label="Item history" node_ref=section>
                        <h3 class="state-title">
                            {format!("History of {table} {key}: {count} writes")}
                        </h3>
                        <ol class="plain-list history-list">{rows}</ol>
                    </section>
                }
                .into_any(),
            )
        }
    }
    }
}

fn history_row(write: &ItemWriteView) -> impl IntoView {
    let run = use_run();
    let seq = write.seq;
    let verdict = if write.passed {
        "✓ written".to_string()
    } else {
        format!(
            "✗ refused: {}",
            write.error.clone().unwrap_or_else(|| "refused".to_string())
        )
    };
    let mut details = Vec::new();
    if let Some(update) = &write.update {
        details.push(format!("update {update}"));
    }
    if let Some(condition) = &write.condition {
        details.push(format!("if {condition}"));
    }
    let class = if write.passed {
        "history-write passed"
    } else {
        "history-write refused"
    };
    view! {
        <li class=class>
            <button class="history-jump" on:click=move |_| run.seek(seq)>
                <span class="history-seq">{format!("#{seq} · {} ms", write.at_ms)}</span>
                <span class="history-who">{format!("{} ({})", write.function, write.invocation)}</span>
                <span class="history-op mono">{write.op.clone()}</span>
                <span class="history-details mono">{details.join(" · ")}</span>
                <span class="history-verdict">{verdict}</span>
            </button>
        </li>
    }
}

/// A value as short text: strings bare, everything else as compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
