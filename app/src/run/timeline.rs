//! The Timeline tab: a lane per component and a mark per trace event, shaped and coloured by
//! what happened (deliveries, steps, condition failures, faults, retries, dead-letters ...),
//! with faint lines from an event to its cause in another lane. Events are spaced by order, so
//! idle stretches take no room; the axis and each mark's tooltip give the true time. Clicking
//! a mark moves the playhead; long runs draw a window of events around it. The event log's
//! filter applies here too, so one correlation id shows one order's (or photo's) whole story.
//!
//! The marks are drawn once per (run, filter, window) by `timeline_draw`; a playhead step moves
//! only the playhead line and the current mark (an attribute each, set by one effect),
//! so playing with this tab open costs no more than with the event log.

use leptos::prelude::*;

use std::sync::Arc;

use super::event_log::{self, FilterField};
use super::model::{lanes, matches_filter, stepped_window, Mark};
use super::playhead::PlayheadBar;
use super::session::use_run;
use super::timeline_draw::{
    draw, shape, Drawing, AXIS_HEIGHT, EVENTS_SHOWN, EVENTS_WHILE_PLAYING, LANE_HEIGHT,
};
use crate::exercise::clicked;

/// The lane labels' column, which stays put while the marks scroll sideways.
const LABEL_WIDTH: f64 = 170.0;

#[component]
pub fn TimelineTab() -> impl IntoView {
    let run = use_run();
    // The positions of the events that pass the filter, and the lanes: both per run (and
    // filter), never per step.
    let kept = Memo::new(move |_| {
        let filter = run.filter.get();
        run.run.with(|f| {
            f.as_ref().map_or_else(Vec::new, |f| {
                let events = f.view.events.iter().enumerate();
                events
                    .filter(|(_, e)| matches_filter(e, &filter))
                    .map(|(index, _)| index)
                    .collect::<Vec<usize>>()
            })
        })
    });
    let lane_list = Memo::new(move |_| {
        run.run.with(|f| {
            f.as_ref()
                .map_or_else(Vec::new, |f| lanes(&f.design, &f.view.events))
        })
    });
    // Recomputed at every step, but equal (so nothing downstream runs) until the playhead
    // leaves the window's middle.
    // (the window, whether paused): paused, the marks are drawn with their details.
    let range = Memo::new(move |_| {
        let playhead = run.playhead.get().unwrap_or(0) as usize;
        let playing = run.playing.get();
        let size = if playing {
            EVENTS_WHILE_PLAYING
        } else {
            EVENTS_SHOWN
        };
        kept.with(|kept| {
            let at = kept.partition_point(|index| *index <= playhead);
            (
                stepped_window(kept.len(), at.saturating_sub(1), size),
                !playing,
            )
        })
    });
    let drawing = Memo::new(move |_| {
        let (range, detailed) = range.get();
        run.run.with(|f| {
            let f = f.as_ref()?;
            let drawing = lane_list
                .with(|lanes| kept.with(|kept| draw(lanes, &f.view.events, kept, range, detailed)));
            Some(Arc::new(drawing))
        })
    });
    let scroller = NodeRef::<leptos::html::Div>::new();
    let svg = NodeRef::<leptos::html::Div>::new();
    // The scroller's width and scroll, measured once while playing (`ScrollView`).
    let view = StoredValue::new(None::<ScrollView>);
    // The drawing on screen, kept to tell a new one from it.
    let drawn = StoredValue::new(None::<Arc<Drawing>>);
    // One effect writes outward, in order: a new drawing (once per window), then what a step
    // changes: the current mark, the playhead line, and a scroll when it nears an edge. A
    // closure per mark instead would run 1,200 times a step; and the scroll must come after
    // the drawing it scrolls, which separate effects would not promise.
    Effect::new(move |_| {
        let seq = run.playhead.get();
        let current = drawing.get();
        let (Some(scroller), Some(svg)) = (scroller.get(), svg.get()) else {
            return;
        };
        let fresh = drawn.with_value(|shown| match (shown, &current) {
            (Some(shown), Some(current)) => !Arc::ptr_eq(shown, current),
            (None, None) => false,
            _ => true,
        });
        if fresh {
            svg.set_inner_html(current.as_ref().map_or("", |d| d.svg.as_str()));
            drawn.set_value(current.clone());
        }
        let x = current.and_then(|d| d.x_of(seq?));
        event_log::mark_current(&svg, seq);
        move_playhead_line(&svg, x);
        // Paused, measured afresh at each step; playing, measured once and then only counted.
        if !run.playing.get_untracked() {
            view.set_value(None);
        }
        view.update_value(|view| {
            let view = view.get_or_insert_with(|| ScrollView::measure(&scroller));
            view.keep_in_view(&scroller, x);
        });
    });
    view! {
        <div class="run-view timeline-view">
            <PlayheadBar />
            <div class="log-toolbar">
                <FilterField
                    label="Filter the timeline"
                    placeholder="Show one story: a correlation id, an order, a photo…"
                />
                <span class="log-count">
                    {move || drawing.with(|d| {
                        d.as_ref().map(|d| format!("{} events shown", d.positions.len()))
                    })}
                </span>
            </div>
            <div
                class="timeline"
                role="group"
                aria-label="Timeline"
                node_ref=scroller
                on:scroll=move |ev| {
                    let left = f64::from(event_target::<web_sys::Element>(&ev).scroll_left());
                    view.update_value(|view| {
                        if let Some(view) = view {
                            view.left = left;
                        }
                    });
                }
            >
                <div class="timeline-row">
                <div
                    class="timeline-lanes"
                    style:padding-top=format!("{AXIS_HEIGHT}px")
                    style:width=format!("{LABEL_WIDTH}px")
                >
                    {move || {
                        lane_list
                            .get()
                            .into_iter()
                            .map(|lane| {
                                view! {
                                    <div class="lane-label" style:height=format!("{LANE_HEIGHT}px") title=lane.node.clone()>
                                        {lane.label}
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
                <div
                    class="timeline-drawing"
                    node_ref=svg
                    on:click=move |ev| {
                        if let Some(seq) = clicked(&ev, "data-seq").and_then(|s| s.parse().ok()) {
                            run.seek(seq);
                        }
                    }
                ></div>
                </div>
            </div>
            <Legend />
        </div>
    }
}

/// The timeline scroller's width and scroll, as measured once and then as set or seen (its
/// scroll events): reading them from the page at every step of playback laid the page out in
/// the middle of the step.
#[derive(Clone, Copy)]
struct ScrollView {
    width: f64,
    left: f64,
}

impl ScrollView {
    fn measure(scroller: &web_sys::HtmlDivElement) -> ScrollView {
        ScrollView {
            width: f64::from(scroller.client_width()),
            left: f64::from(scroller.scroll_left()),
        }
    }

    /// Keeps the playhead in view: scrolls only when it nears an edge, so playing does not
    /// scroll (and repaint) at every step.
    fn keep_in_view(&mut self, scroller: &web_sys::HtmlDivElement, x: Option<f64>) {
        let Some(x) = x else {
            return;
        };
        // The lane labels stick over the left of the scroller, so the marks' visible stretch
        // is the scroller's width less theirs.
        let visible = self.width - LABEL_WIDTH;
        if x < self.left + 40.0 || x > self.left + visible - 40.0 {
            self.left = (x - visible / 2.0).max(0.0).round();
            scroller.set_scroll_left(self.left as i32);
        }
    }
}

/// Puts the playhead line at `x`, or hides it when the playhead's event is
/// not drawn.
fn move_playhead_line(svg: &web_sys::HtmlDivElement, x: Option<f64>) {
    let Ok(Some(line)) = svg.query_selector(".playhead-line") else {
        return;
    };
    let _ = match x {
        Some(x) => {
            // Its ends, not a transform: a transform changed at every step is a paint property
            // changed at every step.
            let x = x.to_string();
            let _ = line.set_attribute("x1", &x);
            let _ = line.set_attribute("x2", &x);
            line.remove_attribute("visibility")
        }
        None => line.set_attribute("visibility", "hidden"),
    };
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="timeline-legend" aria-label="Legend">
            {Mark::ALL
                .into_iter()
                .map(|mark| {
                    view! {
                        <li>
                            <svg width="20" height="22" viewBox="-10 -11 20 22" aria-hidden="true">
                                <g class=format!("mark {}", mark.class()) inner_html={
                                    let mut svg = String::new();
                                    shape(&mut svg, mark, 0.0, 0.0);
                                    svg
                                }></g>
                            </svg>
                            {mark.label()}
                        </li>
                    }
                })
                .collect_view()}
            <li>
                <svg width="28" height="22" viewBox="0 -11 28 22" aria-hidden="true">
                    <path class="cause-links" d="M1 0L18 0" />
                    <path class="cause-heads" d="M26 0L18 -4L18 4z" />
                </svg>
                "caused (across lanes)"
            </li>
        </ul>
    }
}
