//! The Before/after tab: pin a finished run, change the design, run again (or re-run under the
//! pinned seed and faults) and read both side by side: the table with the seed and faults each
//! ran under, and the events around the first trace position where they differ, with a button
//! that moves the playhead there.

use leptos::prelude::*;

use super::{use_compare, StatusTable, TableStatus};
use crate::run::model::checks_text;
use crate::run::session::use_run;

#[component]
pub fn BeforeAfterTab() -> impl IntoView {
    let compare = use_compare();
    let run = use_run();
    let pinned_words = move || {
        compare.pinned.with(|p| {
            p.as_ref().map(|p| {
                format!(
                    "Pinned: {} · seed {} · {}",
                    p.design.name,
                    p.view.seed,
                    checks_text(&p.view.checks)
                )
            })
        })
    };
    // Nothing to set beside the pinned run until a different one is on screen.
    let only_the_pin = move || {
        compare.pinned.with(|p| {
            p.as_ref().is_some_and(|p| {
                run.run
                    .with(|r| r.as_ref().is_none_or(|r| r.design_json == p.design_json))
            })
        })
    };
    let has_run = move || run.run.with(Option::is_some);
    view! {
        <div class="run-view compare-view">
            <div class="compare-bar" role="group" aria-label="Pinned run">
                {move || match pinned_words() {
                    None if has_run() => view! {
                        <button class="button primary" on:click=move |_| compare.pin()>"📌 Pin this run"</button>
                        <span class="hint">"Then change the design and run again to see both side by side."</span>
                    }
                    .into_any(),
                    None => view! { <span class="hint">"Run the design, then pin the run here."</span> }.into_any(),
                    Some(words) => view! {
                        <span class="compare-pinned">{words}</span>
                        <button class="button primary" on:click=move |_| compare.rerun_pinned()>
                            "▶ Re-run with the pinned seed and faults"
                        </button>
                        <button class="button" on:click=move |_| compare.unpin()>"Unpin"</button>
                    }
                    .into_any(),
                }}
            </div>
            <Show when=only_the_pin>
                <p class="placeholder">
                    "Change the design, then run it: it shows here beside the pinned run. Re-run uses the pinned seed and faults without changing the design's own."
                </p>
            </Show>
            <div class="compare-body">
                <StatusTable status=compare.before_after />
                {move || match compare.before_after.get() {
                    TableStatus::Loaded(compared) => compared.divergence.clone().map(|html| {
                        let seq = compared.seq;
                        view! {
                            <section class="compare-divergence" aria-label="First difference">
                                {seq.map(|seq| view! {
                                    <div class="compare-bar">
                                        <h3>{format!("The traces first differ at #{seq}")}</h3>
                                        <button class="button small" on:click=move |_| run.show_where(seq)>
                                            {format!("Show #{seq} in the event log")}
                                        </button>
                                    </div>
                                })}
                                <div inner_html=html></div>
                            </section>
                        }
                    }),
                    _ => None,
                }}
            </div>
        </div>
    }
}
