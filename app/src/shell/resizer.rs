//! The handle on the bottom panel's top edge: drag it (or focus it and press the arrow keys)
//! to give the run views more height or the canvas more, as a facilitator does on a projector
//! where neither fits well at once. The height is the session's (`Session::bottom_height`),
//! which the shell sets as its grid's last row; a double click gives the layout's own back.

use leptos::prelude::*;

use crate::state::session::use_session;

/// The least height either the panel or the canvas keeps, in CSS pixels.
const LEAST: f64 = 120.0;
/// How far one arrow key press moves the edge.
const KEY_STEP: f64 = 40.0;
/// The top bar's height, which the canvas's least height sits under.
const TOP_BAR: f64 = 60.0;

#[component]
pub fn PanelResizer() -> impl IntoView {
    let session = use_session();
    let window_height = || {
        web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0)
    };
    let set_height = move |height: f64| {
        let most = (window_height() - TOP_BAR - LEAST).max(LEAST);
        session
            .bottom_height
            .set(Some(height.clamp(LEAST, most).round() as u32));
    };
    // Captured, the pointer's moves come here wherever it goes until it is released.
    let on_down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        let handle = event_target::<web_sys::Element>(&ev);
        let _ = handle.set_pointer_capture(ev.pointer_id());
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if ev.buttons() == 1 {
            set_height(window_height() - f64::from(ev.client_y()));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        // The panel's height now: the handle sits on its top edge.
        let current = event_target::<web_sys::Element>(&ev)
            .parent_element()
            .map_or(LEAST, |panel| panel.get_bounding_client_rect().height());
        match ev.key().as_str() {
            "ArrowUp" => set_height(current + KEY_STEP),
            "ArrowDown" => set_height(current - KEY_STEP),
            _ => return,
        }
        ev.prevent_default();
    };
    view! {
        <div
            class="panel-resizer"
            role="separator"
            aria-orientation="horizontal"
            aria-label="Resize the bottom panel (arrow keys; double-click resets)"
            tabindex="0"
            on:pointerdown=on_down
            on:pointermove=on_move
            on:keydown=on_key
            on:dblclick=move |_| session.bottom_height.set(None)
        ></div>
    }
}
