//! The keyboard shortcuts overlay (`?`, or the top bar's "Keys" button): every shortcut from
//! `keyboard::SHORTCUTS`, so the list and the keys never disagree.

use leptos::prelude::*;

use super::keyboard::SHORTCUTS;
use crate::state::session::use_session;

#[component]
pub fn HelpOverlay() -> impl IntoView {
    let session = use_session();
    let close = move |_| session.help_open.set(false);
    view! {
        <Show when=move || session.help_open.get()>
            <div class="help-backdrop" on:click=close>
                <div
                    class="help-dialog"
                    role="dialog"
                    aria-label="Keyboard shortcuts"
                    on:click=|ev| ev.stop_propagation()
                >
                    <div class="help-head">
                        <h2>"Keyboard shortcuts"</h2>
                        <button class="button small" aria-label="Close" on:click=close>"✕"</button>
                    </div>
                    <dl class="help-list">
                        {SHORTCUTS
                            .iter()
                            .map(|(keys, meaning)| {
                                view! {
                                    <dt><kbd>{*keys}</kbd></dt>
                                    <dd>{*meaning}</dd>
                                }
                            })
                            .collect_view()}
                    </dl>
                </div>
            </div>
        </Show>
    }
}
