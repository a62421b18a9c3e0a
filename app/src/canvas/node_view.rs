//! One node on the canvas: a box with its kind's icon, kind, name and owning service's
//! colour, a badge when validation has something to say about it, and the handle that starts
//! a connection. A leaf: it gets everything as props and never reads a context. Names are
//! text nodes (Leptos escapes them), never markup.

use eventlab_core::design::{Node, Position};
use leptos::prelude::*;

use super::connect::kind_words;
use super::geometry::{NODE_HEIGHT, NODE_WIDTH};

/// The glyph drawn for a node kind (also used in the palette).
pub fn kind_glyph(kind: &str) -> &'static str {
    match kind {
        "bus" => "⇶",
        "queue" => "☰",
        "function" => "λ",
        "table" => "▦",
        "stateMachine" => "⎇",
        "externalApi" => "☁",
        "producer" => "▶",
        "pipe" => "⇢",
        _ => "?",
    }
}

/// Shortens text to `limit` characters with an ellipsis, so long names stay in their box.
pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

#[component]
pub fn NodeView(
    node: Memo<Option<Node>>,
    position: Memo<Position>,
    selected: Signal<bool>,
    problems: Signal<usize>,
    service_index: Signal<Option<usize>>,
    on_select: Callback<()>,
) -> impl IntoView {
    let kind = move || node.with(|n| n.as_ref().map(|n| n.kind.name()).unwrap_or("function"));
    let label = move || {
        node.with(|n| {
            n.as_ref()
                .map(|n| n.label().to_string())
                .unwrap_or_default()
        })
    };
    let words = move || node.with(|n| n.as_ref().map(|n| kind_words(&n.kind)).unwrap_or(""));
    let id_line = move || {
        node.with(|n| {
            n.as_ref()
                .map(|n| {
                    if n.name.is_empty() || n.name == n.id {
                        String::new()
                    } else {
                        n.id.clone()
                    }
                })
                .unwrap_or_default()
        })
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            on_select.run(());
        }
    };
    view! {
        <g
            class=move || format!("node kind-{}", kind())
            class:selected=move || selected.get()
            class:has-problems=move || { problems.get() > 0 }
            transform=move || position.with(|p| format!("translate({} {})", p.x, p.y))
            tabindex="0"
            role="button"
            aria-pressed=move || if selected.get() { "true" } else { "false" }
            aria-label=move || format!("{}, {}", label(), words())
            data-node=move || node.with(|n| n.as_ref().map(|n| n.id.clone()).unwrap_or_default())
            on:keydown=on_key
        >
            <rect class="node-box" width=NODE_WIDTH height=NODE_HEIGHT rx="12" />
            <rect
                class=move || match service_index.get() {
                    Some(i) => format!("node-service-bar service-{}", i % 8),
                    None => "node-service-bar no-service".to_string(),
                }
                x="0"
                y="0"
                width="7"
                height=NODE_HEIGHT
                rx="3"
            />
            <rect class="node-icon-box" x="16" y="18" width="40" height="40" rx="10" />
            <text class="node-icon" x="36" y="46" text-anchor="middle" aria-hidden="true">
                {move || kind_glyph(kind())}
            </text>
            <text class="node-kind" x="68" y="29">{move || words()}</text>
            <text class="node-name" x="68" y="52">{move || truncate(&label(), 16)}</text>
            <text class="node-id" x="68" y="68">{move || truncate(&id_line(), 22)}</text>
            <Show when=move || { problems.get() > 0 }>
                <g class="node-badge" transform=format!("translate({} 0)", NODE_WIDTH - 10.0)>
                    <circle r="13" />
                    <text text-anchor="middle" y="5">{move || problems.get().to_string()}</text>
                    <title>{move || format!("{} problem(s): see the Problems list", problems.get())}</title>
                </g>
            </Show>
            <circle class="connect-handle" cx=NODE_WIDTH cy=NODE_HEIGHT / 2.0 r="9">
                <title>"Drag to another node to connect"</title>
            </circle>
        </g>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_names_are_shortened_with_an_ellipsis() {
        // Names longer than the box are cut at a character boundary, never mid-character.
        assert_eq!(super::truncate("charge-payment", 15), "charge-payment");
        assert_eq!(
            super::truncate("a-very-long-function-name", 10),
            "a-very-lo…"
        );
        assert_eq!(super::truncate("ééééé", 3), "éé…");
    }
}
