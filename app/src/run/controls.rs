//! The run controls in the top bar: Run (Stop while running), the seed (typed, or rolled), the
//! Faults button (`faults`), and the run's status: how many events, settled or stopped by a
//! bound, how the checks came out, and whether the design changed since.

use eventlab_core::design::change::DesignChange;
use leptos::prelude::*;

use super::model::{checks_text, status_text};
use super::session::{use_run, RunStatus};
use crate::state::editor::use_editor;

#[component]
pub fn RunControls() -> impl IntoView {
    let editor = use_editor();
    let run = use_run();
    let seed = move || editor.design().with(|d| d.scenario.seed.to_string());
    let set_seed = move |seed: u64| {
        let mut scenario = editor.design().with_untracked(|d| d.scenario.clone());
        if scenario.seed != seed {
            scenario.seed = seed;
            let _ = editor.apply(DesignChange::SetScenario { scenario });
        }
    };
    let typed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match text.trim().parse::<u64>() {
            Ok(value) => set_seed(value),
            Err(_) => {
                // Put back the seed the design holds rather than keep text that is not one.
                let current = editor.design().with_untracked(|d| d.scenario.seed);
                if let Some(input) = ev.target().and_then(|t| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()
                }) {
                    input.set_value(&current.to_string());
                }
            }
        }
    };
    let roll = move |_| {
        // Seeds people can read aloud: 1 to 999,999.
        let rolled = (js_sys::Math::random() * 999_999.0).floor() as u64 + 1;
        set_seed(rolled);
    };
    let faults_open = RwSignal::new(false);
    // The fault panel would cover the run's views, so a run closes it.
    let start = move |_| {
        faults_open.set(false);
        run.start(editor.design().get_untracked());
    };
    view! {
        <div class="run-controls" role="group" aria-label="Run controls">
            <Show
                when=move || run.is_running()
                fallback=move || {
                    view! {
                        <button class="button primary" on:click=start title="Run the design with this seed" aria-label="Run">
                            "▶ Run"
                        </button>
                    }
                }
            >
                <button class="button danger" on:click=move |_| run.stop() title="Stop the run" aria-label="Stop">
                    "■ Stop"
                </button>
            </Show>
            <label class="seed">
                "Seed"
                <input
                    type="text"
                    inputmode="numeric"
                    aria-label="Seed"
                    class="seed-input"
                    prop:value=seed
                    on:change=typed
                />
            </label>
            <button
                class="button icon-button"
                on:click=roll
                title="Roll a new seed"
                aria-label="Roll a new seed"
            >
                "Roll"
            </button>
            <super::faults::FaultsButton open=faults_open />
            <RunStatusLine />
        </div>
    }
}

/// The run's status in one line, with the whole sentence on hover.
#[component]
fn RunStatusLine() -> impl IntoView {
    let editor = use_editor();
    let run = use_run();
    let stale = move || {
        run.run.with(|finished| {
            finished
                .as_ref()
                .is_some_and(|f| editor.design().with(|d| *d != f.design))
        })
    };
    // (class, the words shown, the whole sentence on hover)
    let text = Memo::new(move |_| match run.status.get() {
        RunStatus::Idle => ("idle", "Not run yet".to_string(), String::new()),
        RunStatus::Running { seed, slow: false } => {
            let words = format!("Running seed {seed}…");
            ("running", words.clone(), words)
        }
        RunStatus::Running { seed, slow: true } => {
            let words = format!("Still running seed {seed}… Stop ends it");
            ("running slow", words.clone(), words)
        }
        RunStatus::Stopped => ("stopped", "Run stopped".to_string(), String::new()),
        RunStatus::Failed(message) => ("failed", message.clone(), message),
        RunStatus::Finished => run.run.with(|finished| match finished {
            Some(f) => {
                let failed = f.view.checks.iter().any(|c| c.status == "failed");
                let class = if failed {
                    "finished failing"
                } else {
                    "finished"
                };
                let mark = if failed { "✗" } else { "✓" };
                let checks = checks_text(&f.view.checks);
                let status = status_text(&f.view.summary);
                (
                    class,
                    format!("{mark} {checks} · {status}"),
                    format!("Seed {}: {status} · {checks}", f.view.seed),
                )
            }
            None => ("idle", "Not run yet".to_string(), String::new()),
        }),
    });
    view! {
        <div
            class=move || format!("run-status {}", text.get().0)
            aria-live="polite"
            data-testid="run-status"
            title=move || text.get().2
            data-seed=move || run.run.with(|f| f.as_ref().map(|f| f.view.seed.clone()))
        >
            <span class="run-status-text">{move || text.get().1}</span>
            <Show when=stale>
                <span class="run-stale" title="The design changed since this run; press Run again">
                    "design changed"
                </span>
            </Show>
        </div>
    }
}
