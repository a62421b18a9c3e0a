//! The Before/after tab: pin a finished run, change the design, run again (or re-run under the
//! pinned seed and faults) and read both side by side: the table, the seed and faults each ran
//! under, and the first trace event where they differ, with a button to it.

use leptos::prelude::*;

use super::model::{shared_plan, DivergenceView, LineView};
use super::table::StatusTable;
use super::{use_compare, TableStatus};
use crate::run::model::checks_text;
use crate::run::session::use_run;

#[component]
pub fn BeforeAfterTab() -> impl IntoView {
    let compare = use_compare();
    let run = use_run();
    let pinned_words = move || {
        compare.pinned.with(|p| {
            p.as_ref().map(|p| {
                format!(
                    "Pinned: {} · seed {} · {}",
                    p.design.name,
                    p.view.seed,
                    checks_text(&p.view.checks)
                )
            })
        })
    };
    let is_pinned_run = move || {
        let current = run.run.with(|r| r.as_ref().map(|r| r.design_json.clone()));
        compare
            .pinned
            .with(|p| p.as_ref().map(|p| p.design_json.clone()))
            == current
    };
    view! {
        <div class="run-view compare-view">
            {move || match pinned_words() {
                None => view! { <PinBar /> }.into_any(),
                Some(words) => view! {
                    <div class="compare-bar" role="group" aria-label="Pinned run">
                        <span class="compare-pinned">{words}</span>
                        <button class="button primary" on:click=move |_| compare.rerun_pinned()>
                            "▶ Re-run with the pinned seed and faults"
                        </button>
                        <button class="button" on:click=move |_| compare.unpin()>"Unpin"</button>
                    </div>
                    <p class="hint">
                        "Re-run runs the current design under the pinned run's seed, faults and bounds; the design's own seed and faults stay as they are."
                    </p>
                }
                .into_any(),
            }}
            <Show when=move || compare.pinned.with(Option::is_some) && is_pinned_run()>
                <p class="placeholder">
                    "This is the pinned run. Change the design, then run it again: the two show side by side here."
                </p>
            </Show>
            <PlanNote />
            <div class="compare-body">
                <StatusTable status=compare.before_after label="Before and after" />
                {move || match compare.before_after.get() {
                    TableStatus::Loaded(view) => view
                        .divergence
                        .clone()
                        .map(|divergence| view! { <Divergence divergence /> }),
                    _ => None,
                }}
            </div>
        </div>
    }
}

/// Before anything is pinned: what pinning is for, and the button when there is a run.
#[component]
fn PinBar() -> impl IntoView {
    let compare = use_compare();
    let run = use_run();
    let has_run = move || run.run.with(Option::is_some);
    view! {
        <div class="compare-bar">
            <Show
                when=has_run
                fallback=|| view! { <p class="placeholder">"Run the design first; then pin the run here to compare what a change does."</p> }
            >
                <button class="button primary" on:click=move |_| compare.pin()>"📌 Pin this run"</button>
                <span class="hint">
                    "Then change the design and run again: the pinned run and the new one show side by side."
                </span>
            </Show>
        </div>
    }
}

/// The seed and faults both runs had, or a warning that they differ.
#[component]
fn PlanNote() -> impl IntoView {
    let compare = use_compare();
    move || match compare.before_after.get() {
        TableStatus::Loaded(view) => Some(match shared_plan(&view) {
            Some(plan) => {
                view! { <p class="compare-plan">{format!("Both ran with {plan}.")}</p> }.into_any()
            }
            None => {
                let words = view
                    .columns
                    .iter()
                    .map(|c| format!("{}: {}", c.label, c.plan))
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <p class="compare-plan warn">
                        {format!("The runs had different seeds or faults ({words}). Re-run with the pinned seed and faults to compare like with like.")}
                    </p>
                }
                .into_any()
            }
        }),
        _ => None,
    }
}

/// The events around the first difference, before and after, and a button to it.
#[component]
fn Divergence(divergence: DivergenceView) -> impl IntoView {
    let run = use_run();
    let Some(seq) = divergence.seq else {
        return view! { <p class="compare-divergence">"The two traces are identical."</p> }
            .into_any();
    };
    let side = |label: &'static str, lines: Vec<LineView>| {
        view! {
            <div class="divergence-side">
                <h4>{label}</h4>
                <ol class="divergence-lines" aria-label=format!("{label} around #{seq}")>
                    {lines
                        .into_iter()
                        .map(|l| view! { <li class:differs=l.differs>{l.line}</li> })
                        .collect_view()}
                </ol>
            </div>
        }
    };
    view! {
        <section class="compare-divergence" aria-label="First difference">
            <div class="compare-bar">
                <h3>{format!("The traces first differ at #{seq}")}</h3>
                <button class="button small" on:click=move |_| run.show_where(seq)>
                    {format!("Show #{seq} in the event log")}
                </button>
            </div>
            <div class="divergence-sides">
                {side("Before", divergence.before)}
                {side("After", divergence.after)}
            </div>
            <p class="hint">"Highlighted events happen only on their side."</p>
        </section>
    }
    .into_any()
}
