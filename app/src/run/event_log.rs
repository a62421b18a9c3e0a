//! The Event log tab: the trace one readable line per event, filtered by text or correlation
//! id, with the playhead's line highlighted and kept in view. Clicking a line moves the
//! playhead there.
//!
//! A virtual list: the list is as tall as all the matching lines, and only a window of them is
//! in the page, each placed at its own row. Its window follows the playhead, or what the reader
//! scrolls to while paused. Decision: with every line at a fixed place, a window moving by one
//! line adds one line and removes one, and no other line moves; a window in the flow of the
//! list moved every line in it at each of its steps, which was the longest frame of playback
//! (e2e/bench/frames.spec.ts).

use leptos::prelude::*;

use super::model::{details, matches_filter, window, Mark, RunEvent};
use super::playhead::PlayheadBar;
use super::session::use_run;

/// At most this many lines are in the page at once: a view's worth (a tall panel shows about
/// thirty) and as much again either side. Few, because every line placed in the list is placed
/// again whenever the list is laid out (400 lines took a third of a frame at each step of
/// playback), and the same while playing, so that starting to play changes no line.
const LINES_SHOWN: usize = 80;
/// The window around what a paused reader scrolls to moves in steps of this many lines, so a
/// scroll rebuilds it now and then rather than at every pixel.
const READING_STEP: usize = 20;

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
    // A matching event's row in the list: its place among the matching events.
    let row_of = move |index: usize| filtered.with_untracked(|f| f.binary_search(&index).ok());
    let total = move || {
        run.run
            .with(|f| f.as_ref().map_or(0, |f| f.view.events.len()))
    };
    // The row a paused reader scrolled to, with the playhead then: the list shows it until the
    // playhead moves, and the playhead's row otherwise. (Kept with the playhead rather than
    // cleared when it moves: a signal set from the effect below would redraw the list after
    // the effect had looked for the playhead's line in it.)
    let reading = RwSignal::new(None::<(usize, Option<u32>)>);
    // The lines shown, as event indexes; a line's row is its place in `filtered`. (A new run
    // draws the tab afresh, `RunPanel`; another filter draws the list afresh, below.)
    let shown = Memo::new(move |_| {
        let seq = run.playhead.get();
        let playhead = seq.unwrap_or(0) as usize;
        let playing = run.playing.get();
        let reading = reading
            .get()
            .filter(|(_, then)| !playing && *then == seq)
            .map(|(row, _)| row / READING_STEP * READING_STEP);
        filtered.with(|indexes| {
            let row = indexes.partition_point(|index| *index < playhead);
            let range = window(indexes.len(), reading.unwrap_or(row), LINES_SHOWN);
            indexes[range].to_vec()
        })
    });
    let scroller = NodeRef::<leptos::html::Div>::new();
    let list = NodeRef::<leptos::html::Ol>::new();
    // Mark the playhead's line and keep it in view: an effect that only writes outward, after
    // the lines are drawn. Marking it here rather than with a closure per line spares every
    // line's closure a run at every step, which cost more than the rest of a step.
    // Paused, a new playhead's line is scrolled to when it is not well inside the view. While
    // playing it is kept in the middle by arithmetic (`Follow`): every line is one row, so the
    // list is measured once, and each step moves the list rather than scrolling it.
    let follow = StoredValue::new(None::<Follow>);
    let last_seq = StoredValue::new(None::<u32>);
    Effect::new(move |_| {
        let seq = run.playhead.get();
        let playing = run.playing.get();
        let moved = last_seq.get_value() != seq;
        last_seq.set_value(seq);
        let row = shown.with(|shown| {
            seq.and_then(|seq| {
                run.run.with_untracked(|f| {
                    let events = &f.as_ref()?.view.events;
                    let at = shown
                        .iter()
                        .find(|&&i| events.get(i).is_some_and(|e| e.seq == seq))?;
                    row_of(*at)
                })
            })
        });
        let (Some(scroller), Some(list)) = (scroller.get(), list.get()) else {
            return;
        };
        if !playing {
            if let Some(last) = follow.get_value() {
                last.settle(&scroller, &list);
                follow.set_value(None);
            }
        }
        let line = mark_current(&list, seq);
        let (Some(line), Some(row)) = (line, row) else {
            return;
        };
        if playing {
            let rows = filtered.with_untracked(Vec::len);
            follow.update_value(|follow| {
                let follow = follow.get_or_insert_with(|| Follow::measure(&scroller, &line));
                follow.keep_in_place(&scroller, &list, row, rows);
            });
        } else if moved {
            keep_in_view(&scroller, &line);
        }
    });
    let on_scroll = move |ev: web_sys::Event| {
        let scroller = event_target::<web_sys::Element>(&ev);
        let scrolled = scroller.scroll_top();
        // While playing, the list keeps the playhead's line in the middle whatever the scroll
        // (its next step moves it from where the scroll left it).
        if follow.with_value(Option::is_some) {
            follow.update_value(|f| {
                if let Some(f) = f {
                    f.scroll_top = f64::from(scrolled);
                }
            });
            return;
        }
        // Paused, the lines the reader scrolled to.
        let Some(line) = list
            .get_untracked()
            .and_then(|list| list.first_element_child())
        else {
            return;
        };
        let height = line.get_bounding_client_rect().height().max(1.0);
        let middle = f64::from(scrolled) + f64::from(scroller.client_height()) / 2.0;
        let row = (middle / height) as usize;
        let step = |row: usize| row / READING_STEP;
        let seq = run.playhead.get_untracked();
        let current = reading
            .get_untracked()
            .filter(|(_, then)| *then == seq)
            .map(|(row, _)| row)
            .or_else(|| row_of(shown.with_untracked(|s| s.get(s.len() / 2).copied())?));
        if current.map(step) != Some(step(row)) {
            reading.set(Some((row, seq)));
        }
    };
    view! {
        <div class="run-view event-log">
            <PlayheadBar />
            <div class="log-toolbar">
                <FilterField label="Filter events" placeholder="Filter by text, id or correlation id" />
                <span class="log-count">
                    {move || format!("{} of {} events", filtered.with(Vec::len), total())}
                </span>
            </div>
            <div class="log-body">
            <div class="log-scroll" node_ref=scroller on:scroll=on_scroll>
                <ol
                    class="log-lines"
                    aria-label="Event log"
                    node_ref=list
                    style:height=move || format!("calc(var(--log-row) * {})", filtered.with(Vec::len))
                >
                    // Drawn afresh for another filter: the same event has another row then.
                    {move || {
                        filtered.track();
                        view! {
                            <For each=move || shown.get() key=|index| *index let:index>
                                {run.run.with_untracked(|f| {
                                    let event = f.as_ref()?.view.events.get(index)?.clone();
                                    let row = row_of(index)?;
                                    Some(view! { <LogLine event row /> })
                                })}
                            </For>
                        }
                    }}
                </ol>
            </div>
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

/// Scrolls `line` to the middle of the `scroller`'s view when it is not well inside it:
/// scrolling every step would repaint the list every step.
fn keep_in_view(scroller: &web_sys::Element, line: &web_sys::Element) {
    let (outer, inner) = (
        scroller.get_bounding_client_rect(),
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

/// Keeping the playhead's line in the middle of the view while playing. Measured once: a row's
/// height and the view's; then each step moves the list by a transform, which lays out and
/// paints nothing. (Setting the scroll at every step laid the page out in the middle of the
/// step, a sixth of a frame.) Now and then, and on pause, the move is folded into the scroll.
#[derive(Clone, Copy)]
struct Follow {
    row: f64,
    view: f64,
    /// The scroller's scroll, as last set or seen.
    scroll_top: f64,
    /// How far the list is moved up from where the scroll puts it.
    shift: f64,
}

/// A move larger than this is folded into the scroll: far moves would take the list away from
/// what the browser painted for its scroll.
const MOST_SHIFT: f64 = 1600.0;

impl Follow {
    fn measure(scroller: &web_sys::Element, line: &web_sys::Element) -> Follow {
        Follow {
            row: line.get_bounding_client_rect().height(),
            view: f64::from(scroller.client_height()),
            scroll_top: f64::from(scroller.scroll_top()),
            shift: 0.0,
        }
    }

    /// Puts the line at `row` of a list of `rows` in the middle of the view (or as near as the
    /// list's ends allow).
    fn keep_in_place(
        &mut self,
        scroller: &web_sys::Element,
        list: &web_sys::HtmlElement,
        row: usize,
        rows: usize,
    ) {
        let most = (rows as f64 * self.row - self.view).max(0.0);
        let target = ((row as f64 + 0.5) * self.row - self.view / 2.0)
            .clamp(0.0, most)
            .round();
        let shift = target - self.scroll_top;
        if shift.abs() > MOST_SHIFT {
            self.scroll_top = target;
            self.shift = 0.0;
            let _ = list.style().remove_property("transform");
            scroller.set_scroll_top(target as i32);
        } else if shift != self.shift {
            self.shift = shift;
            let _ = list
                .style()
                .set_property("transform", &format!("translateY({}px)", -shift));
        }
    }

    /// Folds the move into the scroll, so that what is on screen stays put once playing stops.
    fn settle(&self, scroller: &web_sys::Element, list: &web_sys::HtmlElement) {
        let _ = list.style().remove_property("transform");
        if self.shift != 0.0 {
            scroller.set_scroll_top((self.scroll_top + self.shift) as i32);
        }
    }
}

#[component]
fn LogLine(event: RunEvent, row: usize) -> impl IntoView {
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
        <li
            class="log-line"
            style=format!("--row: {row}")
            data-seq=seq
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
