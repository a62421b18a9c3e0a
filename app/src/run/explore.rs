//! Exploring seeds, above the check results: run the design's checks on many seeds in the
//! worker, with progress, then per check how many seeds failed, the first failing seed (one
//! click runs it) and the smallest failing case core shrank it to.

use eventlab_core::design::change::DesignChange;
use leptos::prelude::*;

use super::model::PropertyReport;
use super::session::{use_run, ExploreStatus};
use crate::state::editor::use_editor;

/// How many seeds an exploration may cover; the first is the default.
const SEED_COUNTS: &[u32] = &[100, 200, 500, 1_000];

#[component]
pub fn ExploreBar() -> impl IntoView {
    let editor = use_editor();
    let run = use_run();
    let seeds = RwSignal::new(SEED_COUNTS[0]);
    let start = move |_| {
        let count = seeds.get_untracked();
        editor.design().with_untracked(|d| run.explore(d, count));
    };
    let first_seed = move || editor.design().with(|d| d.scenario.seed);
    let progress = move || match run.exploration.get() {
        ExploreStatus::Running(Some(p)) if p.shrinking => format!(
            "Explored {} of {} seeds; shrinking a failure to its smallest case…",
            p.seeds_done, p.seeds_total
        ),
        ExploreStatus::Running(Some(p)) => {
            format!("Explored {} of {} seeds…", p.seeds_done, p.seeds_total)
        }
        ExploreStatus::Running(None) => "Starting…".to_string(),
        ExploreStatus::Failed(message) => format!("The exploration failed: {message}."),
        ExploreStatus::Finished(report) => format!(
            "Seeds {} to {}: {} runs.",
            report.first_seed,
            // Seeds wrap past u64::MAX as core's exploration does (a debug build panicked on
            // a plain add for a seed near the top).
            report
                .first_seed
                .wrapping_add(u64::from(report.seeds).saturating_sub(1)),
            report.runs
        ),
        ExploreStatus::Idle => String::new(),
    };
    view! {
        <section class="explore" aria-label="Explore seeds">
            <div class="explore-bar">
                <Show
                    when=move || run.is_exploring()
                    fallback=move || {
                        view! {
                            <button class="button" on:click=start>
                                {move || format!("Explore {} seeds from {}", seeds.get(), first_seed())}
                            </button>
                            <select
                                class="input explore-count"
                                aria-label="Seeds to explore"
                                on:change=move |ev| {
                                    if let Ok(count) = event_target_value(&ev).parse::<u32>() {
                                        seeds.set(count);
                                    }
                                }
                            >
                                {SEED_COUNTS
                                    .iter()
                                    .map(|count| {
                                        view! {
                                            <option value=count.to_string() selected=move || seeds.get() == *count>
                                                {format!("{count} seeds")}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    }
                >
                    <button class="button danger" on:click=move |_| run.stop()>
                        "Stop exploring"
                    </button>
                </Show>
                <span class="explore-progress" aria-live="polite">{progress}</span>
            </div>
            {move || match run.exploration.get() {
                ExploreStatus::Finished(report) => {
                    let rows = report
                        .properties
                        .iter()
                        .cloned()
                        .map(|property| view! { <ExploredProperty property /> })
                        .collect_view();
                    Some(view! { <ul class="explore-results" aria-label="Exploration results">{rows}</ul> })
                }
                _ => None,
            }}
        </section>
    }
}

#[component]
fn ExploredProperty(property: PropertyReport) -> impl IntoView {
    let editor = use_editor();
    let run = use_run();
    let run_seed = move |seed: u64| {
        let mut scenario = editor.design().with_untracked(|d| d.scenario.clone());
        scenario.seed = seed;
        let _ = editor.apply(DesignChange::SetScenario { scenario });
        run.start(editor.design().get_untracked());
    };
    let failed = property.failed > 0;
    let seed_button = property.first_failing_seed.map(|seed| {
        view! {
            <button class="button small" on:click=move |_| run_seed(seed)>
                {format!("Run seed {seed}")}
            </button>
        }
    });
    let smallest = property
        .smallest_failing_case
        .clone()
        .map(|case| view! { <p class="check-explanation">{case.explanation}</p> });
    view! {
        <li
            class=if failed { "explore-row status-failed" } else { "explore-row status-passed" }
            aria-label=property.check.clone()
        >
            <span class="check-id">{property.check.clone()}</span>
            <span class="explore-verdict">{property.verdict_text()}</span>
            {seed_button}
            {smallest}
        </li>
    }
}
