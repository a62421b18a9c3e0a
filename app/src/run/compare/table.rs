//! The comparison table: a column per run (its label and design), the properties (each cell a
//! verdict with core's explanation), then the key counts; rows that differ are marked, in
//! words as well as colour.

use std::sync::Arc;

use leptos::prelude::*;

use super::model::{cell_text, ComparisonView, RowView};
use super::TableStatus;

/// The table of `status`, or where it stands; `label` names the table for assistive tech.
#[component]
pub fn StatusTable(status: RwSignal<TableStatus>, label: &'static str) -> impl IntoView {
    move || match status.get() {
        TableStatus::Idle => ().into_any(),
        TableStatus::Loading => {
            view! { <p class="placeholder">"Running the designs…"</p> }.into_any()
        }
        TableStatus::Failed(message) => {
            view! { <p class="error-text">{format!("The comparison failed: {message}.")}</p> }
                .into_any()
        }
        TableStatus::Loaded(view) => view! { <ComparisonTable view label /> }.into_any(),
    }
}

#[component]
fn ComparisonTable(view: Arc<ComparisonView>, label: &'static str) -> impl IntoView {
    let span = view.columns.len() + 1;
    let heads = view
        .columns
        .iter()
        .map(|column| {
            view! {
                <th scope="col">
                    <span class="compare-label">{column.label.clone()}</span>
                    <span class="compare-design">{column.design.clone()}</span>
                </th>
            }
        })
        .collect_view();
    let section = |kind: &str, title: &'static str| {
        let rows: Vec<RowView> = view
            .rows
            .iter()
            .filter(|r| r.kind == kind)
            .cloned()
            .collect();
        (!rows.is_empty()).then(|| {
            view! {
                <tr class="compare-section">
                    <th scope="colgroup" colspan=span>{title}</th>
                </tr>
                {rows.into_iter().map(|row| view! { <CompareRow row /> }).collect_view()}
            }
        })
    };
    view! {
        <table class="compare-table" aria-label=label>
            <thead>
                <tr>
                    <th scope="col" class="compare-corner"></th>
                    {heads}
                </tr>
            </thead>
            <tbody>
                {section("property", "Properties")}
                {section("count", "Counts")}
            </tbody>
        </table>
    }
}

#[component]
fn CompareRow(row: RowView) -> impl IntoView {
    let cells = row
        .cells
        .iter()
        .map(|cell| {
            let status = cell.as_ref().and_then(|c| c.status.clone());
            let explanation = cell.as_ref().and_then(|c| c.explanation.clone());
            let class = match &status {
                Some(status) => format!("compare-cell status-{status}"),
                None => "compare-cell".to_string(),
            };
            view! {
                <td class=class>
                    <span class="compare-value">{cell_text(cell.as_ref())}</span>
                    {explanation.map(|e| view! { <span class="compare-explanation">{e}</span> })}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr class:changed=row.differs>
            <th scope="row">
                <span class="compare-name">{row.name}</span>
                {row.description.map(|d| view! { <span class="compare-description">{d}</span> })}
                {row.differs.then(|| view! { <span class="changed-mark">"differs"</span> })}
            </th>
            {cells}
        </tr>
    }
}
