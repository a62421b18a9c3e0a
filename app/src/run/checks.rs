//! The Checks tab: each property with its verdict, the explanation core wrote in business
//! terms, the faults behind a failure, and "Show where", which moves the playhead to the event
//! that decided it.

use leptos::prelude::*;

use super::explore::ExploreBar;
use super::model::CheckOutcome;
use super::session::use_run;

#[component]
pub fn ChecksTab() -> impl IntoView {
    let run = use_run();
    let outcomes = move || {
        run.run.with(|f| {
            f.as_ref()
                .map(|f| f.view.checks.clone())
                .unwrap_or_default()
        })
    };
    let problems = move || {
        run.run.with(|f| {
            f.as_ref()
                .map(|f| f.view.check_problems.clone())
                .unwrap_or_default()
        })
    };
    let descriptions = move |id: &str| {
        run.run.with_untracked(|f| {
            f.as_ref().and_then(|f| {
                f.design
                    .checks
                    .iter()
                    .find(|c| c.id == id)
                    .and_then(|c| c.spec.get("description"))
                    .and_then(|d| d.as_str())
                    .map(str::to_string)
            })
        })
    };
    view! {
        <div class="run-view checks-view">
            <Show when=move || outcomes().is_empty() && problems().is_empty()>
                <p class="placeholder">
                    "This design declares no checks. Add properties to its \"checks\" to have each run judged."
                </p>
            </Show>
            <ul class="check-list" aria-label="Check results">
                {move || {
                    outcomes()
                        .into_iter()
                        .map(|outcome| {
                            let description = descriptions(&outcome.check);
                            view! { <CheckRow outcome description /> }
                        })
                        .collect_view()
                }}
                {move || {
                    problems()
                        .into_iter()
                        .map(|problem| {
                            let label = problem.check.clone();
                            view! {
                                <li class="check-card status-problem" aria-label=label>
                                    <span class="check-badge">"✗ cannot judge"</span>
                                    <span class="check-id">{problem.check}</span>
                                    <p class="check-explanation">{problem.message}</p>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <ExploreBar />
        </div>
    }
}

#[component]
fn CheckRow(outcome: CheckOutcome, description: Option<String>) -> impl IntoView {
    let run = use_run();
    let badge = match outcome.status.as_str() {
        "passed" => "✓ pass",
        "failed" => "✗ fail",
        _ => "? undecided",
    };
    let deciding = outcome.deciding_event;
    let faults = outcome.faults.join(", ");
    let has_faults = !faults.is_empty();
    view! {
        <li class=format!("check-card status-{}", outcome.status) aria-label=outcome.check.clone()>
            <div class="check-head">
                <span class="check-badge">{badge}</span>
                <span class="check-id">{outcome.check.clone()}</span>
                <span class="check-kind">{format!("{} {}", outcome.mode, outcome.kind)}</span>
                {description.map(|d| view! { <span class="check-description">{d}</span> })}
                {deciding
                    .map(|seq| {
                        view! {
                            <button
                                class="button small show-where"
                                on:click=move |_| run.show_where(seq)
                                title=format!("Move the playhead to trace event #{seq}")
                            >
                                {format!("Show where (#{seq})")}
                            </button>
                        }
                    })}
            </div>
            <p class="check-explanation">{outcome.explanation}</p>
            <Show when=move || has_faults>
                <p class="check-faults">"Faults behind it: " <code>{faults.clone()}</code></p>
            </Show>
        </li>
    }
}
