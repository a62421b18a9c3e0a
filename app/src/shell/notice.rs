//! The banner for messages: a link that could not be opened, an import's result, why two
//! nodes cannot be connected. Text only (never HTML), dismissible.

use leptos::prelude::*;

use crate::state::session::use_session;

#[component]
pub fn NoticeBanner() -> impl IntoView {
    let session = use_session();
    move || {
        session.notice.get().map(|notice| {
            view! {
                <div class=notice.kind.class() role="status" aria-live="polite">
                    <span class="notice-text">{notice.text}</span>
                    <button
                        class="button small"
                        aria-label="Dismiss message"
                        on:click=move |_| session.notice.set(None)
                    >
                        "✕"
                    </button>
                </div>
            }
        })
    }
}
