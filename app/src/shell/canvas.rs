//! The canvas: the design's diagram, drawn in SVG.

use leptos::prelude::*;

#[component]
pub fn Canvas() -> impl IntoView {
    view! {
        <main class="region canvas" data-region="canvas" aria-label="Design canvas">
            <svg class="canvas-grid" aria-hidden="true">
                <defs>
                    <pattern id="grid" width="24" height="24" patternUnits="userSpaceOnUse">
                        <circle cx="1" cy="1" r="1" class="grid-dot" />
                    </pattern>
                </defs>
                <rect width="100%" height="100%" fill="url(#grid)" />
            </svg>
            <div class="empty-state">
                <p class="empty-title">"An empty design"</p>
                <p class="empty-hint">"Buses, queues, functions and tables will be drawn here."</p>
            </div>
        </main>
    }
}
