//! The run drawn on the canvas at the playhead: a ring on the node where the playhead's event
//! happened (red, flashing, when it is a failure), a message travelling from its cause's node
//! when the event crossed from one node to another, every other message on its way at that
//! moment (small dots along their edges, drawn as one path so hundreds stay cheap), and badges
//! under each node with what it has been through so far (in flight, retries, throttles, failed
//! conditions, errors, dead letters).
//!
//! It only reads the run and the playhead; playback moves the playhead (`session`). Nodes the
//! run knows but the edited design no longer has are skipped.

use std::collections::BTreeMap;
use std::sync::Arc;

use eventlab_core::design::Position;
use leptos::prelude::*;

use super::activity::{hop, is_failure, Flight, NodeActivity};
use super::playback::PlaybackIndex;
use super::session::use_run;
use crate::canvas::geometry::{NODE_HEIGHT, NODE_WIDTH};

const BADGE_WIDTH: f64 = 64.0;
const BADGE_HEIGHT: f64 = 32.0;

#[component]
pub fn RunOverlay(drawn: Memo<BTreeMap<String, Position>>) -> impl IntoView {
    let run = use_run();
    // Built once per run, so each step of playback asks it rather than walking the trace.
    let index = Memo::new(move |_| {
        run.run
            .with(|f| Some(Arc::new(PlaybackIndex::new(&f.as_ref()?.view.events))))
    });
    let activities = Memo::new(move |_| {
        let seq = run.playhead.get()?;
        index.with(|index| Some(index.as_ref()?.activity(seq)))
    });
    // (node, is a failure, the hop's from and to nodes) of the playhead's event.
    let current = Memo::new(move |_| {
        let seq = run.playhead.get()?;
        run.run.with(|f| {
            let events = &f.as_ref()?.view.events;
            let event = events.get(usize::try_from(seq).ok()?)?;
            Some((seq, event.node.clone(), is_failure(event), hop(events, seq)))
        })
    });
    let ring = move || {
        let (_, node, failure, _) = current.get()?;
        let at = drawn.with(|p| p.get(&node).copied())?;
        let class = if failure {
            "playhead-ring failure"
        } else {
            "playhead-ring"
        };
        Some(view! {
            <rect
                class=class
                x=f64::from(at.x) - 7.0
                y=f64::from(at.y) - 7.0
                width=NODE_WIDTH + 14.0
                height=NODE_HEIGHT + 14.0
                rx="16"
            />
        })
    };
    let message = move || {
        let (seq, _, failure, Some((from, to))) = current.get()? else {
            return None;
        };
        let (from, to) = drawn.with(|p| Some((*p.get(&from)?, *p.get(&to)?)))?;
        let ((fx, fy), (tx, ty)) = (centre(from), centre(to));
        let style = format!("--fx: {fx:.0}px; --fy: {fy:.0}px; --tx: {tx:.0}px; --ty: {ty:.0}px");
        let class = if failure {
            "message-dot failure"
        } else {
            "message-dot"
        };
        // Keyed by the event, so each new event starts the travel again.
        Some(view! { <circle class=class r="10" style=style data-seq=seq /> })
    };
    // Every message on its way, as one path of small circles: one DOM node whatever the count.
    let travelling = move || {
        let seq = run.playhead.get()?;
        let list = run.run.with(|f| {
            let events = &f.as_ref()?.view.events;
            index.with(|index| Some(index.as_ref()?.in_flight(events, seq)))
        })?;
        let path = drawn.with(|positions| flight_path(&list, positions));
        Some(view! {
            <path class="flight-dots" d=path data-in-flight=list.len() />
        })
    };
    // Keyed by the whole row, so a step redraws only the nodes whose badges changed.
    let badges = move || {
        let list = activities.get().unwrap_or_default();
        drawn.with(|positions| {
            list.into_iter()
                .filter_map(|(node, activity)| {
                    let at = positions.get(&node)?;
                    Some((node, at.x, at.y, activity))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <g class="run-overlay" aria-hidden="true">
            {ring}
            {travelling}
            <For each=badges key=Clone::clone let:row>
                {node_badges(&row.0, Position { x: row.1, y: row.2 }, &row.3)}
            </For>
            {message}
        </g>
    }
}

fn node_badges(node: &str, at: Position, activity: &NodeActivity) -> impl IntoView {
    let x = f64::from(at.x);
    let y = f64::from(at.y) + NODE_HEIGHT + 6.0;
    let items = activity
        .badges()
        .into_iter()
        .enumerate()
        .map(|(i, (class, text, meaning))| {
            let offset = i as f64 * (BADGE_WIDTH + 4.0);
            view! {
                <g class=format!("run-badge {class}") transform=format!("translate({offset} 0)")>
                    <title>{meaning}</title>
                    <rect width=BADGE_WIDTH height=BADGE_HEIGHT rx=BADGE_HEIGHT / 2.0 />
                    <text x=BADGE_WIDTH / 2.0 y=BADGE_HEIGHT / 2.0 + 7.0 text-anchor="middle">{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="run-badges" data-badges-for=node.to_string() transform=format!("translate({x} {y})")>
            {items}
        </g>
    }
}

/// The centre of a node drawn at `at`.
fn centre(at: Position) -> (f64, f64) {
    (
        f64::from(at.x) + NODE_WIDTH / 2.0,
        f64::from(at.y) + NODE_HEIGHT / 2.0,
    )
}

/// SVG path data with a small circle (two arcs) where each message is on its edge; messages
/// between nodes not drawn are left out.
fn flight_path(flights: &[Flight], positions: &BTreeMap<String, Position>) -> String {
    use std::fmt::Write;
    let mut path = String::with_capacity(flights.len() * 40);
    for flight in flights {
        let (Some(from), Some(to)) = (positions.get(&flight.from), positions.get(&flight.to))
        else {
            continue;
        };
        let ((fx, fy), (tx, ty)) = (centre(*from), centre(*to));
        let x = fx + (tx - fx) * flight.travelled;
        let y = fy + (ty - fy) * flight.travelled;
        let _ = write!(
            path,
            "M{:.0} {:.0}m-7 0a7 7 0 1 0 14 0a7 7 0 1 0-14 0",
            x, y
        );
    }
    path
}
