//! The Timeline tab: a lane per component and a mark per trace event, shaped and coloured by
//! what happened (deliveries, steps, condition failures, faults, retries, dead-letters ...),
//! with faint lines from an event to its cause in another lane. Events are spaced by order, so
//! idle stretches take no room; the axis and each mark's tooltip give the true time. Clicking
//! a mark moves the playhead; long runs draw a window of events around it. The event log's
//! filter applies here too, so one correlation id shows one order's (or photo's) whole story.

use leptos::prelude::*;

use std::collections::BTreeMap;

use super::event_log::FilterField;
use super::model::{lanes, matches_filter, window, Lane, Mark, RunEvent};
use super::playhead::PlayheadBar;
use super::session::use_run;

const EVENT_WIDTH: f64 = 18.0;
const LANE_HEIGHT: f64 = 36.0;
const AXIS_HEIGHT: f64 = 26.0;
const PADDING: f64 = 14.0;
/// The lane labels' column, which stays put while the marks scroll sideways.
const LABEL_WIDTH: f64 = 170.0;
/// At most this many events are drawn at once.
const EVENTS_SHOWN: usize = 1200;
/// The least room between two time labels on the axis.
const LABEL_GAP: f64 = 80.0;

/// What the timeline draws: the lanes and the window of events with their positions.
#[derive(Clone, PartialEq)]
struct Layout {
    lanes: Vec<Lane>,
    events: Vec<Placed>,
    width: f64,
    height: f64,
}

#[derive(Clone, PartialEq)]
struct Placed {
    event: RunEvent,
    x: f64,
    y: f64,
    /// Where the cause was drawn, when it is in another lane and in the window.
    cause: Option<(f64, f64)>,
}

/// The events that pass `filter`, windowed around the playhead, placed by their order among
/// the kept events.
fn layout(lanes: Vec<Lane>, all: &[RunEvent], playhead: u32, filter: &str) -> Layout {
    let kept: Vec<&RunEvent> = all.iter().filter(|e| matches_filter(e, filter)).collect();
    let at = kept.iter().take_while(|e| e.seq <= playhead).count();
    let range = window(kept.len(), at.saturating_sub(1), EVENTS_SHOWN);
    let shown = &kept[range];
    let lane_y = |node: &str| {
        let index = lanes.iter().position(|l| l.node == node).unwrap_or(0);
        AXIS_HEIGHT + LANE_HEIGHT * (index as f64 + 0.5)
    };
    let x_of = |index: usize| PADDING + EVENT_WIDTH * (index as f64 + 0.5);
    let mut placed_at: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    let mut events = Vec::with_capacity(shown.len());
    for (index, event) in shown.iter().enumerate() {
        let (x, y) = (x_of(index), lane_y(&event.node));
        let cause = event
            .cause
            .and_then(|c| all.get(c as usize))
            .filter(|c| c.node != event.node)
            .and_then(|c| placed_at.get(&c.seq).copied());
        placed_at.insert(event.seq, (x, y));
        events.push(Placed {
            x,
            y,
            cause,
            event: (*event).clone(),
        });
    }
    Layout {
        width: PADDING * 2.0 + EVENT_WIDTH * shown.len() as f64,
        height: AXIS_HEIGHT + LANE_HEIGHT * lanes.len() as f64 + 6.0,
        lanes,
        events,
    }
}

#[component]
pub fn TimelineTab() -> impl IntoView {
    let run = use_run();
    let layout = Memo::new(move |_| {
        let playhead = run.playhead.get().unwrap_or(0);
        let filter = run.filter.get();
        run.run.with(|f| {
            f.as_ref().map(|f| {
                layout(
                    lanes(&f.design, &f.view.events),
                    &f.view.events,
                    playhead,
                    &filter,
                )
            })
        })
    });
    let scroller = NodeRef::<leptos::html::Div>::new();
    // Keep the playhead in view: an effect that only scrolls (outward).
    Effect::new(move |_| {
        let x = playhead_x(layout, run.playhead.get());
        if let (Some(x), Some(scroller)) = (x, scroller.get()) {
            let left = f64::from(scroller.scroll_left());
            let width = f64::from(scroller.client_width());
            // The lane labels stick over the left of the scroller, so the marks' visible
            // stretch is the scroller's width less theirs.
            let visible = width - LABEL_WIDTH;
            if x < left + 40.0 || x > left + visible - 40.0 {
                scroller.set_scroll_left((x - visible / 2.0).max(0.0) as i32);
            }
        }
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
                    {move || layout.with(|l| {
                        l.as_ref().map(|l| format!("{} events shown", l.events.len())).unwrap_or_default()
                    })}
                </span>
            </div>
            <div class="timeline" role="group" aria-label="Timeline" node_ref=scroller>
                <div class="timeline-row">
                <div
                    class="timeline-lanes"
                    style:padding-top=format!("{AXIS_HEIGHT}px")
                    style:width=format!("{LABEL_WIDTH}px")
                >
                    {move || {
                        layout
                            .with(|l| l.as_ref().map(|l| l.lanes.clone()).unwrap_or_default())
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
                {move || layout.get().map(|l| view! { <TimelineSvg layout=l /> })}
                </div>
            </div>
            <Legend />
        </div>
    }
}

fn playhead_x(layout: Memo<Option<Layout>>, playhead: Option<u32>) -> Option<f64> {
    let seq = playhead?;
    layout.with(|l| {
        l.as_ref()?
            .events
            .iter()
            .find(|p| p.event.seq == seq)
            .map(|p| p.x)
    })
}

#[component]
fn TimelineSvg(layout: Layout) -> impl IntoView {
    let run = use_run();
    let lane_lines = (0..layout.lanes.len())
        .map(|index| {
            let y = AXIS_HEIGHT + LANE_HEIGHT * (index as f64 + 0.5);
            view! { <line class="lane-line" x1="0" x2=layout.width y1=y y2=y /> }
        })
        .collect_view();
    let mut last_label = f64::NEG_INFINITY;
    let mut last_time = None;
    let mut labels = Vec::new();
    for placed in &layout.events {
        if last_time != Some(placed.event.at_ms) && placed.x - last_label >= LABEL_GAP {
            labels.push((placed.x, placed.event.at_ms));
            last_label = placed.x;
            last_time = Some(placed.event.at_ms);
        }
    }
    let axis = labels
        .into_iter()
        .map(|(x, ms)| {
            view! {
                <g class="axis-tick">
                    <line x1=x x2=x y1=AXIS_HEIGHT - 6.0 y2=layout.height />
                    <text x=x y=AXIS_HEIGHT - 10.0 class:first=x < LABEL_GAP / 2.0>
                        {format!("{ms} ms")}
                    </text>
                </g>
            }
        })
        .collect_view();
    let links = layout
        .events
        .iter()
        .filter_map(|p| {
            p.cause.map(|(x, y)| {
                view! { <line class="cause-link" x1=x y1=y x2=p.x y2=p.y /> }
            })
        })
        .collect_view();
    let positions: Vec<(u32, f64)> = layout.events.iter().map(|p| (p.event.seq, p.x)).collect();
    let height = layout.height;
    let playhead_x = move || {
        let seq = run.playhead.get()?;
        positions.iter().find(|(s, _)| *s == seq).map(|(_, x)| *x)
    };
    let marks = layout
        .events
        .iter()
        .map(|placed| {
            let seq = placed.event.seq;
            let mark = Mark::of(&placed.event.kind);
            let current = move || run.playhead.get() == Some(seq);
            view! {
                <g
                    class=format!("mark {}", mark.class())
                    class:current=current
                    transform=format!("translate({} {})", placed.x, placed.y)
                    on:click=move |_| run.seek(seq)
                >
                    <title>{format!("{} ms · {}", placed.event.at_ms, placed.event.line)}</title>
                    <rect class="mark-hit" x="-9" y="-16" width="18" height="32" />
                    {shape(mark)}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="timeline-svg" width=layout.width height=layout.height role="img" aria-label="Run timeline">
            {lane_lines}
            {axis}
            {links}
            {move || {
                playhead_x()
                    .map(|x| {
                        view! { <line class="playhead-line" x1=x x2=x y1="0" y2=height /> }
                    })
            }}
            {marks}
        </svg>
    }
}

/// The shape of a mark, drawn around (0, 0).
fn shape(mark: Mark) -> AnyView {
    match mark {
        Mark::Produced => view! { <path d="M-6 -7 L7 0 L-6 7 Z" /> }.into_any(),
        Mark::Published => view! { <path d="M-5 -5 L5 0 L-5 5 Z" /> }.into_any(),
        Mark::Delivered => view! { <circle r="6" /> }.into_any(),
        Mark::Invocation => view! { <rect x="-2" y="-10" width="4" height="20" /> }.into_any(),
        Mark::Step => view! { <rect x="-5" y="-5" width="10" height="10" /> }.into_any(),
        Mark::Effect => view! { <path d="M0 -8 L8 0 L0 8 L-8 0 Z" /> }.into_any(),
        Mark::Message => view! { <circle class="hollow" r="5" /> }.into_any(),
        Mark::ConditionFailed => {
            view! { <path class="stroke" d="M-6 -6 L6 6 M6 -6 L-6 6" /> }.into_any()
        }
        Mark::Fault => view! { <path d="M2 -10 L-6 1 L-1 1 L-3 10 L6 -2 L1 -2 Z" /> }.into_any(),
        Mark::Retry => view! { <circle class="hollow thick" r="6" /> }.into_any(),
        Mark::DeadLetter => {
            view! { <rect x="-7" y="-7" width="14" height="14" rx="2" /> }.into_any()
        }
        Mark::Bound => view! { <rect x="-3" y="-15" width="6" height="30" /> }.into_any(),
        Mark::Other => view! { <circle r="3" /> }.into_any(),
    }
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
                                <g class=format!("mark {}", mark.class())>{shape(mark)}</g>
                            </svg>
                            {mark.label()}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
