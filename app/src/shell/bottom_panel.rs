//! The bottom panel: the design's problems (validation diagnostics; clicking one selects the
//! culprit), and the run's tabs (checks, event log, timeline, state; drawn by `crate::run`).

use leptos::prelude::*;

use crate::state::editor::use_editor;
use crate::state::session::use_session;
use crate::state::validation::use_validation;

#[component]
pub fn BottomPanel() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let diagnostics = editor.diagnostics();
    let count = move || diagnostics.with(Vec::len);
    let run = crate::run::session::use_run();
    let validation = use_validation();
    let empty_text = move || match (validation.failure.get(), validation.answered.get()) {
        (Some(failure), _) => format!("The design could not be checked: {failure}"),
        (None, false) => "Checking the design…".to_string(),
        (None, true) => "No problems found in this design.".to_string(),
    };
    view! {
        <section class="region bottom-panel" data-region="bottom-panel" aria-label="Timeline and checks">
            <super::resizer::PanelResizer />
            <crate::run::RunTabs problems=Signal::derive(count) />
            <crate::run::RunPanel />
            <Show when=move || run.tab.get() == crate::run::PanelTab::Problems>
                <Show
                    when=move || { count() > 0 }
                    fallback=move || view! { <p class="placeholder">{empty_text}</p> }
                >
                    <ul class="problem-list" aria-label="Problems">
                        {move || {
                            diagnostics
                                .get()
                                .into_iter()
                                .map(|diagnostic| {
                                    let node = diagnostic.node.clone();
                                    let severity = diagnostic.severity.name();
                                    view! {
                                        <li>
                                            <button
                                                class=format!("problem {severity}")
                                                disabled=node.is_none()
                                                on:click=move |_| {
                                                    if let Some(node) = &node {
                                                        session.select_only(node);
                                                    }
                                                }
                                            >
                                                <span class="problem-severity">{severity}</span>
                                                <span class="problem-location">{diagnostic.location}</span>
                                                <span class="problem-message">{diagnostic.message}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </Show>
        </section>
    }
}
