//! The page layout: top bar, left panel, canvas, inspector and bottom panel. Each region is its
//! own component; this file provides the contexts, the autosave effect and the keyboard
//! shortcuts, and arranges the regions (with the exercise list over the canvas when it is
//! open, and a wider left panel in exercise mode, for the brief).

mod bottom_panel;
mod help;
mod keyboard;
mod left_panel;
mod notice;
mod resizer;
mod top_bar;

use leptos::prelude::*;

use crate::run::session::RunSession;
use crate::run::use_run;
use crate::state::editor::{provide_editor, Editor};
use crate::state::persistence;
use crate::state::session::{provide_session, Notice, NoticeKind, Session};
use crate::state::validation::{use_validation, Opened, Validation};

/// The whole page.
#[component]
pub fn Shell() -> impl IntoView {
    // Read before anything is saved: a first visit opens the exercise list.
    let first_visit = persistence::first_visit();
    let startup = persistence::startup();
    let editor = provide_editor(startup.design);
    let session = provide_session(startup.slot, startup.notice);
    crate::run::provide_run();
    crate::run::provide_compare();
    let exercises = crate::exercise::provide_exercises(first_visit);
    // Autosave: the only effect that touches the design, and it only writes outward.
    Effect::new(move |_| {
        let slot = session.slot.get();
        editor
            .design()
            .with(|design| persistence::save(&slot, design));
    });
    keyboard::install();
    // Captured here: the hash listener runs outside any component, where contexts are unknown.
    let openers = Openers {
        editor,
        session,
        run: use_run(),
        validation: use_validation(),
    };
    if let Some(link) = startup.link {
        openers.open_link(link);
    }
    if let Some(text) = startup.repair {
        openers.repair_saved(text);
    }
    // A link pasted into the address bar of an open tab opens like one loaded fresh.
    let hash_listener =
        window_event_listener(
            leptos::ev::hashchange,
            move |_| match persistence::take_fragment() {
                None => {}
                Some(persistence::FragmentLink::Decode(link)) => openers.open_link(link),
                Some(persistence::FragmentLink::Own { slot, design }) => {
                    session.slot.set(slot);
                    editor.reset(*design);
                    session.selection.set(Vec::new());
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
            style=move || session.bottom_height.get().map(|h| format!("--bottom-rows: {h}px"))
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

/// What opening a link or repairing a save needs, captured while the shell is built.
#[derive(Clone, Copy)]
struct Openers {
    editor: Editor,
    session: Session,
    run: RunSession,
    validation: Validation,
}

impl Openers {
    /// Opens a shared link in its own slot. A link made by this version opens at once: the
    /// browser inflates it and the design reads strictly (core's `read_canonical_payload`);
    /// any other link (older, damaged, hostile) is unpacked by the worker, which repairs,
    /// migrates or says what is wrong. A link with a playhead (`e-<seq>`) also runs the design
    /// and puts the playhead on that event, so a link can point at the moment a bug happens.
    fn open_link(self, link: String) {
        leptos::task::spawn_local(async move {
            if let Some(opened) = quick_open(&link).await {
                return self.show_link(&link, opened);
            }
            let session = self.session;
            self.validation
                .decode_link(&link.clone(), move |result| match result {
                    Err(text) => session.notice.set(Some(Notice {
                        kind: NoticeKind::Error,
                        text,
                    })),
                    Ok(opened) => self.show_link(&link, opened),
                });
        });
    }

    fn show_link(self, link: &str, opened: Opened) {
        let Openers {
            editor,
            session,
            run,
            ..
        } = self;
        session.slot.set(persistence::adopt(link, &opened.design));
        let name = opened.design.name.clone();
        editor.reset(opened.design.clone());
        session.selection.set(Vec::new());
        session.request_fit();
        // A link from an exercise opens in its own slot, not over the attendee's own work
        // on that exercise; the notice says where it came from.
        session.inform(match &opened.exercise {
            Some(exercise) => {
                format!("Opened a shared design: {name} (shared from the exercise {exercise})")
            }
            None => format!("Opened a shared design: {name}"),
        });
        let playhead = opened
            .playhead
            .as_deref()
            .and_then(crate::run::parse_playhead);
        if let Some(seq) = playhead {
            run.start_at(opened.design, Some(seq));
        }
    }
    /// Repairs the current slot's saved text with the worker's tolerant loader (it did not read
    /// strictly, and a copy is kept aside until the repaired design is back in the slot).
    fn repair_saved(self, text: String) {
        let Openers {
            editor,
            session,
            validation,
            ..
        } = self;
        validation.load_design(&text, move |result| match result {
            Ok(opened) => {
                editor.reset(opened.design);
                persistence::forget_unreadable(&session.slot.get_untracked());
                session.inform(format!(
                    "Your saved design was repaired on opening ({} notes from loading).",
                    opened.notes
                ));
            }
            Err(message) => session.warn(format!(
                "Your saved design could not be read ({message}); its text is kept in this \
             browser's storage under eventlab/v1/unreadable/."
            )),
        });
    }
}

/// A link made by this version, opened without the worker; `None` for any other.
async fn quick_open(link: &str) -> Option<Opened> {
    use eventlab_core::share::{read_canonical_payload, v1_data, MAX_DECODED_BYTES};
    let payload = crate::browser::inflate_link(v1_data(link)?, MAX_DECODED_BYTES as u32).await?;
    let (design, extras) = read_canonical_payload(&payload)?;
    Some(Opened {
        design,
        notes: 0,
        exercise: extras.exercise,
        playhead: extras.playhead,
    })
}
