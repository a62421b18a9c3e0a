//! The top bar: the design's name, run controls, share and export.

use leptos::prelude::*;

#[component]
pub fn TopBar() -> impl IntoView {
    view! {
        <header class="region top-bar" data-region="top-bar" aria-label="Top bar">
            <div class="brand">
                <img class="brand-mark" src="favicon.svg" alt="" width="28" height="28" />
                <h1 class="brand-name">"EventLab"</h1>
            </div>
            <div class="design-name" title="Design name">"Untitled design"</div>
            <div class="run-controls" role="group" aria-label="Run controls">
                <button class="button primary" disabled=true aria-label="Run">"▶ Run"</button>
                <button class="button" disabled=true aria-label="Step">"Step"</button>
                <label class="seed">
                    "Seed" <input type="number" value="1" disabled=true aria-label="Seed" />
                </label>
            </div>
            <div class="actions">
                <button class="button" disabled=true>"Share"</button>
                <button class="button" disabled=true>"Export"</button>
            </div>
        </header>
    }
}
