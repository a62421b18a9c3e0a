//! The page layout: top bar, left panel, canvas, inspector and bottom panel. Each region is its
//! own component; this file provides the contexts, the autosave effect and the keyboard
//! shortcuts, and arranges the regions (with the exercise list over the canvas when it is
//! open, and a wider left panel in exercise mode, for the brief).

mod bottom_panel;
mod help;
mod keyboard;
mod left_panel;
mod notice;
mod top_bar;

use leptos::prelude::*;

use crate::state::editor::provide_editor;
use crate::state::persistence;
use crate::state::session::provide_session;

/// The whole page.
#[component]
pub fn Shell() -> impl IntoView {
    // Read before anything is saved: a first visit opens the exercise list.
    let first_visit = persistence::first_visit();
    let startup = persistence::startup();
    let editor = provide_editor(startup.design);
    let session = provide_session(startup.slot, startup.notice);
    crate::run::provide_run();
    let exercises = crate::exercise::provide_exercises(first_visit);
    // Autosave: the only effect that touches the design, and it only writes outward.
    Effect::new(move |_| {
        let slot = session.slot.get();
        editor
            .design()
            .with(|design| persistence::save(&slot, design));
    });
    keyboard::install();
    // A link pasted into the address bar of an open tab opens like one loaded fresh.
    let hash_listener =
        window_event_listener(
            leptos::ev::hashchange,
            move |_| match persistence::open_fragment() {
                None => {}
                Some(Err(notice)) => session.notice.set(Some(notice)),
                Some(Ok(opened)) => {
                    session.slot.set(opened.slot);
                    editor.reset(opened.design);
                    session.selection.set(Vec::new());
                    session.notice.set(opened.notice);
                    session.request_fit();
                }
            },
        );
    on_cleanup(move || hash_listener.remove());
    session.request_fit();
    view! {
        <div
            class="shell"
            class:exercise-mode=move || exercises.in_exercise()
            class:wide-canvas=move || session.wide_canvas.get()
        >
            <top_bar::TopBar />
            <left_panel::LeftPanel />
            <crate::canvas::view::Canvas />
            <crate::inspector::Inspector />
            <bottom_panel::BottomPanel />
            <crate::exercise::Home />
            <notice::NoticeBanner />
            <help::HelpOverlay />
        </div>
    }
}
