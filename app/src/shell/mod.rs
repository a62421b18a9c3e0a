//! The page layout: top bar, left panel, canvas, inspector and bottom panel. Each region is its
//! own component; this file only arranges them.

mod bottom_panel;
mod canvas;
mod inspector;
mod left_panel;
mod top_bar;

use leptos::prelude::*;

/// The whole page.
#[component]
pub fn Shell() -> impl IntoView {
    view! {
        <div class="shell">
            <top_bar::TopBar />
            <left_panel::LeftPanel />
            <canvas::Canvas />
            <inspector::Inspector />
            <bottom_panel::BottomPanel />
        </div>
    }
}
