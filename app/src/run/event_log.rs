//! The Event log tab: the trace one readable line per event, filtered by text or correlation
//! id, with the playhead's line highlighted and kept in view. Clicking a line moves the
//! playhead there. Long traces show a window of lines around the playhead.

use std::sync::Arc;

use leptos::prelude::*;

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
    // The positions of the lines shown, with the run they belong to (its address: a new run is
    // made while the old one is still held, so two runs in a row never share one), so a line
    // of the last run is never kept for a new one with the same position.
    let shown = Memo::new(move |_| {
        let playhead = run.playhead.get().unwrap_or(0) as usize;
        let generation = run.run.with(|f| f.as_ref().map_or(0, |f| Arc::as_ptr(f) as usize));
        filtered.with(|indexes| {
            let center = indexes.partition_point(|index| *index < playhead);
            let range = window(indexes.len(), center, LINES_SHOWN);
            indexes[range]
                .iter()
                .map(|index| (generation, *index))
                .collect::<Vec<_>>()
        })
    });
    // Only the line that stops and the line that starts being current hear of a step.
    let current = Selector::new(move || {
        let generation = run.run.with(|f| f.as_ref().map(|f| Arc::as_ptr(f) as usize));
        Some((generation?, usize::try_from(run.playhead.get()?).ok()?))
    });
    let list = NodeRef::<leptos::html::Ol>::new();
    // Keep the playhead's line in view: an effect that only scrolls (outward), and only when
    // the line is near an edge, since scrolling every step would repaint the list every step.
    Effect::new(move |_| {
        let _ = run.playhead.get();
        let _ = shown.with(Vec::len);
        if let Some(list) = list.get() {
            request_animation_frame(move || keep_in_view(&list));
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
                <For each=move || shown.get() key=|line| *line let:line>
                    {log_line(line, current.clone())}
                </For>
            </ol>
        </div>
    }
}

/// The current line scrolled to the list's middle when it is not well inside the list's view.
fn keep_in_view(list: &web_sys::HtmlOListElement) {
    let Ok(Some(line)) = list.query_selector(".log-line.current") else {
        return;
    };
    let (outer, inner) = (list.get_bounding_client_rect(), line.get_bounding_client_rect());
    let margin = inner.height() * 2.0;
    if inner.top() >= outer.top() + margin && inner.bottom() <= outer.bottom() - margin {
        return;
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    line.scroll_into_view_with_scroll_into_view_options(&options);
}

/// The line of the event at `index` of the run `generation` (as `shown` names them).
fn log_line((generation, index): (usize, usize), current: Selector<Option<(usize, usize)>>) -> impl IntoView {
    let run = use_run();
    let event = run.run.with_untracked(|f| f.as_ref()?.view.events.get(index).cloned());
    let key = Some((generation, index));
    let is_current = {
        let current = current.clone();
        move || current.selected(&key)
    };
    // The selector forgets the line when it leaves the page, so it never walks lines long gone.
    on_cleanup(move || current.remove(&key));
    event.map(|event| view! { <LogLine event is_current=Signal::derive(is_current) /> })
}

#[component]
fn LogLine(event: RunEvent, is_current: Signal<bool>) -> impl IntoView {
    let run = use_run();
    let seq = event.seq;
    let rest = details(&event).to_string();
    let mark = Mark::of(&event.kind);
    let title = match &event.correlation {
        Some(c) => format!("{}\ncorrelation {c}", event.line),
        None => event.line.clone(),
    };
    view! {
        <li
            class="log-line"
            class:current=is_current
            aria-current=move || if is_current.get() { Some("true") } else { None }
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
