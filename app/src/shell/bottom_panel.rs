//! The bottom panel: the design's problems (validation diagnostics; clicking one selects the
//! culprit), and later the timeline, the event log and the check results.

use leptos::prelude::*;

use crate::state::editor::use_editor;
use crate::state::session::use_session;

#[component]
pub fn BottomPanel() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let diagnostics = editor.diagnostics();
    let count = move || diagnostics.with(Vec::len);
    view! {
        <section class="region bottom-panel" data-region="bottom-panel" aria-label="Timeline and checks">
            <div class="tabs" role="tablist">
                <span class="tab active" role="tab" aria-selected="true">
                    {move || format!("Problems ({})", count())}
                </span>
                <span class="tab" role="tab" aria-selected="false">"Timeline"</span>
                <span class="tab" role="tab" aria-selected="false">"Checks"</span>
            </div>
            <Show
                when=move || { count() > 0 }
                fallback=|| view! { <p class="placeholder">"No problems found in this design."</p> }
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
        </section>
    }
}
