//! The top bar: the exercise list's button, the design's name (the exercise's in exercise
//! mode), undo and redo, run controls, share, import and export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::canvas::export;
use crate::exercise::use_exercises;
use crate::run::use_run;
use crate::state::editor::use_editor;
use crate::state::persistence;
use crate::state::session::use_session;
use crate::state::templates::slug;
use crate::state::validation::use_validation;
use eventlab_core::design::change::DesignChange;
use eventlab_core::design::to_canonical_json;

#[component]
pub fn TopBar() -> impl IntoView {
    let editor = use_editor();
    let exercises = use_exercises();
    let name = move || match exercises.current() {
        Some(entry) => format!("{}. {}", entry.order, entry.title),
        None => editor.design().with(|d| d.name.clone()),
    };
    let help_open = use_session().help_open;
    view! {
        <header class="region top-bar" data-region="top-bar" aria-label="Top bar">
            <div class="brand">
                <img class="brand-mark" src="favicon.svg" alt="" width="28" height="28" />
                <h1 class="brand-name">"EventLab"</h1>
            </div>
            <button
                class="button"
                aria-pressed=move || exercises.home_open.get().to_string()
                on:click=move |_| exercises.home_open.update(|open| *open = !*open)
                title="The guided exercises, with your progress"
            >
                "Exercises"
            </button>
            <div class="design-name" title="Design name" data-testid="design-name">
                {name}
            </div>
            // Undo and redo as arrows (named for screen readers, and on hover), so the run
            // controls, the faults and the run's status fit the bar at 1280 wide.
            <div class="history-controls" role="group" aria-label="History">
                <button
                    class="button icon-button history-button"
                    title="Undo (Ctrl+Z)"
                    aria-label="Undo"
                    disabled=move || !editor.can_undo()
                    on:click=move |_| editor.undo()
                >
                    "↶"
                </button>
                <button
                    class="button icon-button history-button"
                    title="Redo (Shift+Ctrl+Z)"
                    aria-label="Redo"
                    disabled=move || !editor.can_redo()
                    on:click=move |_| editor.redo()
                >
                    "↷"
                </button>
            </div>
            <crate::run::RunControls />
            <div class="actions">
                <button
                    class="button icon-button"
                    title="Keyboard shortcuts (?)"
                    aria-label="Keyboard shortcuts"
                    on:click=move |_| help_open.update(|open| *open = !*open)
                >
                    "?"
                </button>
                <ShareButton />
                <ExportMenu />
            </div>
        </header>
        <SharePanel />
    }
}

#[component]
fn ShareButton() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let run = use_run();
    let validation = use_validation();
    let share = move |_| {
        let slot = session.slot.get_untracked();
        let design_json = editor.design().with_untracked(to_canonical_json);
        // The playhead goes in the link only when it points into a run of this very design.
        let playhead = run
            .run
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.design_json == design_json))
            .then(|| run.playhead.get_untracked().map(crate::run::playhead_id))
            .flatten();
        let exercise = persistence::link_exercise(&slot).map(str::to_string);
        validation.encode_link(
            &design_json,
            exercise.as_deref(),
            playhead,
            move |made| match made {
                Ok(link) => {
                    let url = persistence::publish(&link, &slot);
                    session.share_link.set(Some(url.clone()));
                    spawn_local(async move {
                        if browser::copy_text(&url).await {
                            session
                                .inform(format!("Share link copied ({} characters).", url.len()));
                        }
                    });
                }
                Err(message) => session.warn(format!("The link could not be made: {message}.")),
            },
        );
    };
    view! {
        <button class="button" on:click=share title="Copy a link that opens this design (and the run's moment)">
            "Share"
        </button>
    }
}

/// The share link in a field, for copying by hand when the clipboard is not available.
#[component]
fn SharePanel() -> impl IntoView {
    let session = use_session();
    move || {
        session.share_link.get().map(|link| {
            view! {
                <div class="share-panel" role="dialog" aria-label="Share link">
                    <label class="field">
                        <span class="field-label">"Share link"</span>
                        <input
                            class="input mono"
                            readonly=true
                            prop:value=link
                            on:focus=move |ev| {
                                if let Some(input) = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                {
                                    input.select();
                                }
                            }
                        />
                    </label>
                    <button class="button" on:click=move |_| session.share_link.set(None)>
                        "Close"
                    </button>
                </div>
            }
        })
    }
}

#[component]
fn ExportMenu() -> impl IntoView {
    let editor = use_editor();
    let exercises = use_exercises();
    let session = use_session();
    let validation = use_validation();
    let file_input = NodeRef::<leptos::html::Input>::new();
    // A menu closes once one of its items is chosen, as menus do.
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            let _ = menu.remove_attribute("open");
        }
    };
    let file_name = move |extension: &str| {
        let name = editor.design().with_untracked(|d| slug(&d.name));
        format!(
            "{}.{extension}",
            if name.is_empty() {
                "design".to_string()
            } else {
                name
            }
        )
    };
    let export_json = move |_| {
        close();
        let text = editor.design().with_untracked(to_canonical_json);
        if browser::download_text(&file_name("json"), "application/json", &text).is_err() {
            session.warn("The browser refused the download.");
        }
    };
    let export_svg = move |_| {
        close();
        match export::svg_text() {
            Some(text) => {
                let _ = browser::download_text(&file_name("svg"), "image/svg+xml", &text);
            }
            None => session.warn("There is nothing to export yet."),
        }
    };
    let export_png = move |_| {
        close();
        let name = file_name("png");
        if !export::download_png(&name) {
            session.warn("There is nothing to export yet.");
        }
    };
    let import = move |_| {
        close();
        let Some(input) = file_input.get() else {
            return;
        };
        spawn_local(async move {
            let Some(text) = browser::read_chosen_file(&input).await else {
                session.warn("The file could not be read.");
                return;
            };
            input.set_value("");
            validation.load_design(&text, move |loaded| match loaded {
                Ok(loaded) => {
                    // Like opening an example, an imported design closes the exercise list.
                    exercises.home_open.set(false);
                    let name = loaded.design.name.clone();
                    let _ = editor.apply(DesignChange::Replace {
                        design: Box::new(loaded.design),
                    });
                    session.selection.set(Vec::new());
                    session.request_fit();
                    let suffix = match loaded.notes {
                        0 => String::new(),
                        notes => format!(" ({notes} notes from loading)"),
                    };
                    session.inform(format!(
                        "Imported {name}{suffix}. Undo brings back the previous design."
                    ));
                }
                Err(error) => session.warn(format!("This file is not a design: {error}.")),
            });
        });
    };
    view! {
        <details class="menu" node_ref=menu>
            <summary class="button">"Export"</summary>
            <div class="menu-items" role="group" aria-label="Export and import">
                <button class="button" on:click=export_json>"Download design JSON"</button>
                <label class="button file-button">
                    "Import design JSON"
                    <input
                        type="file"
                        accept=".json,application/json"
                        class="visually-hidden"
                        node_ref=file_input
                        on:change=import
                    />
                </label>
                <button class="button" on:click=export_svg>"Download SVG picture"</button>
                <button class="button" on:click=export_png>"Download PNG picture"</button>
            </div>
        </details>
    }
}
