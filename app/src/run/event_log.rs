//! The Event log tab: the trace one readable line per event, filtered by text or correlation
//! id, with the playhead's line highlighted and kept in view. Clicking a line moves the
//! playhead there. Long traces show a window of lines around the playhead.

use leptos::prelude::*;

use super::model::{details, matches_filter, window, Mark, RunEvent};
use super::playhead::PlayheadBar;
use super::session::use_run;

/// At most this many lines are in the page at once.
const LINES_SHOWN: usize = 400;
/// While playing, fewer: every step slides the window, which moves every line in it, and
/// moving 400 lines took more than half of a frame (measured: e2e/bench/frames.spec.ts).
const LINES_WHILE_PLAYING: usize = 60;

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
    // The positions of the events shown. (A new run draws the tab afresh, `RunPanel`.)
    let shown = Memo::new(move |_| {
        let playhead = run.playhead.get().unwrap_or(0) as usize;
        let size = if run.playing.get() {
            LINES_WHILE_PLAYING
        } else {
            LINES_SHOWN
        };
        filtered.with(|indexes| {
            let center = indexes.partition_point(|index| *index < playhead);
            indexes[window(indexes.len(), center, size)].to_vec()
        })
    });
    let list = NodeRef::<leptos::html::Ol>::new();
    // Mark the playhead's line and keep it in view: an effect that only writes outward, after
    // the lines are drawn. Marking it here rather than with a closure per line spares every
    // line's closure a run at every step, which cost more than the rest of a step.
    // Where in the window the playhead's line was last seen well inside the list's view, until
    // the list scrolls. While playing, the window slides with the playhead, so its line stays
    // at the same place and need not be measured again: measuring forces a layout in the middle
    // of a step, which was the largest single cost of a playback frame.
    let seen_at = StoredValue::new(None::<usize>);
    Effect::new(move |_| {
        let seq = run.playhead.get();
        let at = shown.with(|shown| {
            seq.and_then(|seq| {
                run.run.with_untracked(|f| {
                    let events = &f.as_ref()?.view.events;
                    shown
                        .iter()
                        .position(|&i| events.get(i).is_some_and(|e| e.seq == seq))
                })
            })
        });
        if let Some(list) = list.get() {
            if let Some(line) = mark_current(&list, seq) {
                keep_in_view(&list, &line, at, seen_at);
            }
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
            <ol
                class="log-lines"
                aria-label="Event log"
                node_ref=list
                on:scroll=move |_| seen_at.set_value(None)
            >
                <For each=move || shown.get() key=|index| *index let:index>
                    {run.run.with_untracked(|f| {
                        let event = f.as_ref()?.view.events.get(index)?.clone();
                        Some(view! { <LogLine event /> })
                    })}
                </For>
            </ol>
        </div>
    }
}

/// Marks the element of trace event `seq` in `container` (the one with its `data-seq`) as
/// current with `aria-current`, and no other; returns it. The timeline marks its mark the same
/// way.
pub(super) fn mark_current(
    container: &web_sys::Element,
    seq: Option<u32>,
) -> Option<web_sys::Element> {
    let element = seq.and_then(|seq| {
        let selector = format!("[data-seq=\"{seq}\"]");
        container.query_selector(&selector).ok().flatten()
    });
    if let Ok(Some(old)) = container.query_selector("[aria-current]") {
        if element.as_ref() != Some(&old) {
            let _ = old.remove_attribute("aria-current");
        }
    }
    let element = element?;
    let _ = element.set_attribute("aria-current", "true");
    Some(element)
}

/// Scrolls `line` to the list's middle when it is not well inside the list's view: scrolling
/// every step would repaint the list every step. `at` is the line's place in the window;
/// `seen_at` where it was last seen well inside the view (none since the list last scrolled).
fn keep_in_view(
    list: &web_sys::Element,
    line: &web_sys::Element,
    at: Option<usize>,
    seen_at: StoredValue<Option<usize>>,
) {
    if at.is_some() && seen_at.get_value() == at {
        return;
    }
    let (outer, inner) = (
        list.get_bounding_client_rect(),
        line.get_bounding_client_rect(),
    );
    let margin = inner.height() * 2.0;
    if inner.top() >= outer.top() + margin && inner.bottom() <= outer.bottom() - margin {
        seen_at.set_value(at);
        return;
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    line.scroll_into_view_with_scroll_into_view_options(&options);
}

#[component]
fn LogLine(event: RunEvent) -> impl IntoView {
    let run = use_run();
    let seq = event.seq;
    let rest = details(&event).to_string();
    let mark = Mark::of(&event.kind);
    let title = match &event.correlation {
        Some(c) => format!("{}\ncorrelation {c}", event.line),
        None => event.line.clone(),
    };
    // `aria-current` is `mark_current`'s to set.
    view! {
        <li class="log-line" data-seq=seq title=title on:click=move |_| run.seek(seq)>
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
