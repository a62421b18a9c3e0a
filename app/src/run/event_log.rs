//! The Event log tab: the trace one readable line per event, filtered by text or correlation
//! id, with the playhead's line highlighted and kept in view. Clicking a line moves the
//! playhead there. Long traces show a window of lines around the playhead.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::{details, matches_filter, window, Mark, RunEvent};
use super::playhead::PlayheadBar;
use super::session::use_run;

/// At most this many lines are in the page at once.
const LINES_SHOWN: usize = 400;

#[component]
pub fn EventLogTab() -> impl IntoView {
    let run = use_run();
    // The positions of the matching events (not copies: a trace can hold many thousands).
    let filtered = Memo::new(move |_| {
        let filter = run.filter.get();
        run.run.with(|f| {
            f.as_ref()
                .map(|f| {
                    f.view
                        .events
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| matches_filter(e, &filter))
                        .map(|(index, _)| index)
                        .collect::<Vec<usize>>()
                })
                .unwrap_or_default()
        })
    });
    let total = move || {
        run.run
            .with(|f| f.as_ref().map_or(0, |f| f.view.events.len()))
    };
    let shown = Memo::new(move |_| {
        let playhead = run.playhead.get().unwrap_or(0) as usize;
        filtered.with(|indexes| {
            let center = indexes.partition_point(|index| *index < playhead);
            let range = window(indexes.len(), center, LINES_SHOWN);
            run.run.with(|f| {
                f.as_ref()
                    .map(|f| {
                        indexes[range]
                            .iter()
                            .filter_map(|index| f.view.events.get(*index).cloned())
                            .collect::<Vec<RunEvent>>()
                    })
                    .unwrap_or_default()
            })
        })
    });
    let list = NodeRef::<leptos::html::Ol>::new();
    // Keep the playhead's line in view: an effect that only scrolls (outward).
    Effect::new(move |_| {
        let _ = run.playhead.get();
        let _ = shown.with(Vec::len);
        if let Some(list) = list.get() {
            request_animation_frame(move || {
                if let Ok(Some(current)) = list.query_selector(".log-line.current") {
                    if let Some(element) = current.dyn_ref::<web_sys::Element>() {
                        let options = web_sys::ScrollIntoViewOptions::new();
                        options.set_block(web_sys::ScrollLogicalPosition::Center);
                        element.scroll_into_view_with_scroll_into_view_options(&options);
                    }
                }
            });
        }
    });
    view! {
        <div class="run-view event-log">
            <PlayheadBar />
            <div class="log-toolbar">
                <FilterField label="Filter events" placeholder="Filter by text, id or correlation id" />
                <span class="log-count">
                    {move || {
                        let matching = filtered.with(Vec::len);
                        let shown = shown.with(Vec::len);
                        if shown < matching {
                            format!("{shown} of {matching} matching lines near the playhead ({} events)", total())
                        } else {
                            format!("{matching} of {} events", total())
                        }
                    }}
                </span>
            </div>
            <ol class="log-lines" aria-label="Event log" node_ref=list>
                <For each=move || shown.get() key=|event| event.seq let:event>
                    <LogLine event />
                </For>
            </ol>
        </div>
    }
}

#[component]
fn LogLine(event: RunEvent) -> impl IntoView {
    let run = use_run();
    let seq = event.seq;
    let current = move || run.playhead.get() == Some(seq);
    let rest = details(&event).to_string();
    let mark = Mark::of(&event.kind);
    let title = match &event.correlation {
        Some(c) => format!("{}\ncorrelation {c}", event.line),
        None => event.line.clone(),
    };
    view! {
        <li
            class="log-line"
            class:current=current
            aria-current=move || if current() { Some("true") } else { None }
            title=title
            on:click=move |_| run.seek(seq)
        >
            <span class="log-seq">{format!("#{seq}")}</span>
            <span class="log-time">{format!("{} ms", event.at_ms)}</span>
            <span class="log-node">{event.node.clone()}</span>
            <span class=format!("log-kind {}", mark.class())>{event.kind.clone()}</span>
            <span class="log-details">{rest}</span>
        </li>
    }
}

/// The run's filter (one text for the event log and the timeline), as a search field.
#[component]
pub fn FilterField(label: &'static str, placeholder: &'static str) -> impl IntoView {
    let run = use_run();
    view! {
        <input
            class="input log-filter"
            type="search"
            placeholder=placeholder
            aria-label=label
            prop:value=move || run.filter.get()
            on:input=move |ev| run.filter.set(event_target_value(&ev))
        />
    }
}
