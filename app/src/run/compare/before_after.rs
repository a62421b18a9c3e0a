//! The Before/after tab: pin a finished run, change the design, run again (or re-run under the
//! pinned seed and faults) and read both side by side: the table with the seed and faults each
//! ran under, and the events around the first trace position where they differ, with a button
//! (in the worker's HTML) that moves the playhead there.
//!
//! One view with its parts shown or hidden: each distinct view costs the page bundle, which is
//! held to its size budget.

use leptos::prelude::*;

use super::{table_area, use_compare, TableStatus};
use crate::run::model::checks_text;
use crate::run::session::use_run;

#[component]
pub fn BeforeAfterTab() -> impl IntoView {
    let compare = use_compare();
    let run = use_run();
    let pinned = move || compare.pinned.with(Option::is_some);
    let has_run = move || run.run.with(Option::is_some);
    let words = move || {
        compare.pinned.with(|p| match p {
            Some(p) => format!(
                "Pinned: {} · seed {} · {}",
                p.design.name,
                p.view.seed,
                checks_text(&p.view.checks)
            ),
            None if has_run() => {
                "Pin this run, then change the design and run again to see both side by side."
                    .to_string()
            }
            None => "Run the design, then pin the run here.".to_string(),
        })
    };
    // Until a different run is on screen there is nothing to set beside the pin.
    let hint = move || {
        match compare.before_after.get() {
        TableStatus::Idle if pinned() => {
            "Change the design, then run it: it shows here beside the pinned run. Re-run uses the pinned seed and faults without changing the design's own."
        }
        _ => "",
    }
    };
    view! {
        <div class="run-view compare-view">
            <div class="compare-bar" role="group" aria-label="Pinned run">
                <span class="compare-pinned">{words}</span>
                <button
                    class="button primary"
                    hidden=move || pinned() || !has_run()
                    on:click=move |_| compare.pin()
                >
                    "📌 Pin this run"
                </button>
                <button
                    class="button primary"
                    hidden=move || !pinned()
                    on:click=move |_| compare.rerun_pinned()
                >
                    "▶ Re-run with the pinned seed and faults"
                </button>
                <button class="button" hidden=move || !pinned() on:click=move |_| compare.unpin()>
                    "Unpin"
                </button>
            </div>
            <p class="hint">{hint}</p>
            {table_area(compare.before_after)}
        </div>
    }
}
