//! The Event log tab: the trace one readable line per event, filtered by text or correlation
//! id, with the playhead's line highlighted and kept in view. Clicking a line moves the
//! playhead there. Long traces show a window of lines around the playhead.

use leptos::prelude::*;

use super::model::{details, matches_filter, stepped_window, window, Mark, RunEvent};
use super::playhead::PlayheadBar;
use super::session::use_run;

/// At most this many lines are in the page at once.
const LINES_SHOWN: usize = 400;
/// While playing, fewer, in a window that moves in steps of a quarter of itself: a window
/// sliding at every step moved every line in it, which took more than half of a frame at 400
/// lines and still dropped frames at 60 (measured: e2e/bench/frames.spec.ts). Between the
/// window's steps a step only moves the current line's mark and the list's scroll.
const LINES_WHILE_PLAYING: usize = 80;

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
        let playing = run.playing.get();
        filtered.with(|indexes| {
            let center = indexes.partition_point(|index| *index < playhead);
            let range = if playing {
                stepped_window(indexes.len(), center, LINES_WHILE_PLAYING)
            } else {
                window(indexes.len(), center, LINES_SHOWN)
            };
            indexes[range].to_vec()
        })
    });
    let list = NodeRef::<leptos::html::Ol>::new();
    // Mark the playhead's line and keep it in view: an effect that only writes outward, after
    // the lines are drawn. Marking it here rather than with a closure per line spares every
    // line's closure a run at every step, which cost more than the rest of a step.
    // Paused, the line is measured and scrolled to when it is not well inside the view. While
    // playing it is kept in the middle by arithmetic: every line is one line high, so the list
    // is measured once (`Follow`) and each step only sets the scroll. Measuring at every step forced a layout in the middle of the step, which was the largest
    // single cost of a playback frame.
    let follow = StoredValue::new(None::<Follow>);
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
        let (Some(list), Some(at)) = (list.get(), at) else {
            return;
        };
        let Some(line) = mark_current(&list, seq) else {
            return;
        };
        if run.playing.get_untracked() {
            follow.update_value(|follow| keep_in_place(&list, &line, at, follow));
        } else {
            follow.set_value(None);
            keep_in_view(&list, &line);
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
            <div class="log-body">
            <ol
                class="log-lines"
                aria-label="Event log"
                node_ref=list
                on:scroll=move |ev| {
                    // A scroll the list did not set for the playhead (the reader's own, or a
                    // resize) measures again at the next step.
                    let scrolled = event_target::<web_sys::Element>(&ev).scroll_top();
                    if follow.with_value(|f| f.is_some_and(|f| f.scroll_top != scrolled)) {
                        follow.set_value(None);
                    }
                }
            >
                <For each=move || shown.get() key=|index| *index let:index>
                    {run.run.with_untracked(|f| {
                        let event = f.as_ref()?.view.events.get(index)?.clone();
                        Some(view! { <LogLine event /> })
                    })}
                </For>
            </ol>
            <super::story::EventStoryPane />
            </div>
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
/// every step would repaint the list every step.
fn keep_in_view(list: &web_sys::Element, line: &web_sys::Element) {
    let (outer, inner) = (
        list.get_bounding_client_rect(),
        line.get_bounding_client_rect(),
    );
    let margin = inner.height() * 2.0;
    if inner.top() >= outer.top() + margin && inner.bottom() <= outer.bottom() - margin {
        return;
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    line.scroll_into_view_with_scroll_into_view_options(&options);
}

/// What keeping the current line in the middle of the list needs, measured once while playing:
/// where line 0 of the window starts in the list's content, a line's height, the list's
/// height, and the scroll last set (to tell the reader's scrolls from the list's own).
#[derive(Clone, Copy)]
struct Follow {
    top: f64,
    line: f64,
    view: f64,
    scroll_top: i32,
}

/// Scrolls the list so that the line at place `at` of the window sits in the middle of its view,
/// measuring
/// the list only when `follow` is empty.
fn keep_in_place(
    list: &web_sys::Element,
    line: &web_sys::Element,
    at: usize,
    follow: &mut Option<Follow>,
) {
    let measured = follow.get_or_insert_with(|| {
        let (outer, inner) = (
            list.get_bounding_client_rect(),
            line.get_bounding_client_rect(),
        );
        // A line next to the current one is one line high (the current one may wrap).
        let height = line
            .previous_element_sibling()
            .or_else(|| line.next_element_sibling())
            .map_or(inner.height(), |other| {
                other.get_bounding_client_rect().height()
            });
        Follow {
            top: inner.top() - outer.top() + f64::from(list.scroll_top()) - at as f64 * height,
            line: height,
            view: f64::from(list.client_height()),
            scroll_top: list.scroll_top(),
        }
    });
    let middle = measured.top + (at as f64 + 0.5) * measured.line - measured.view / 2.0;
    let scroll_top = middle.max(0.0).round() as i32;
    if scroll_top != measured.scroll_top {
        measured.scroll_top = scroll_top;
        list.set_scroll_top(scroll_top);
    }
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
