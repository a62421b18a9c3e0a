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

use eventlab_core::design::Position;
use leptos::prelude::*;

use super::activity::{hop, is_failure, Flight, NodeActivity};
use super::session::use_run;
use crate::canvas::geometry::{NODE_HEIGHT, NODE_WIDTH};
use crate::exercise::escape;

const BADGE_WIDTH: f64 = 64.0;
const BADGE_HEIGHT: f64 = 32.0;

#[component]
pub fn RunOverlay(drawn: Memo<BTreeMap<String, Position>>) -> impl IntoView {
    let run = use_run();
    // The badges: a group per drawn node, its content SVG text set again only when that node's
    // badges changed. (Setting all of them at every step re-parsed, restyled and repainted
    // every badge on the canvas at every step.)
    let layer = NodeRef::<leptos::svg::G>::new();
    let shown = StoredValue::new(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        let seq = run.playhead.get();
        let now: Vec<(String, String)> = run.run.with(|f| {
            let activity = match (f, seq) {
                (Some(f), Some(seq)) => f.playback.activity(seq),
                _ => Vec::new(),
            };
            drawn.with(|positions| {
                positions
                    .iter()
                    .map(|(node, at)| {
                        let svg = activity
                            .binary_search_by(|(other, _)| (*other).cmp(node.as_str()))
                            .map(|found| badges_svg(&activity[found].1, *at))
                            .unwrap_or_default();
                        (node.clone(), svg)
                    })
                    .collect()
            })
        });
        let Some(layer) = layer.get() else {
            return;
        };
        shown.update_value(|shown| {
            let same_nodes =
                shown.len() == now.len() && shown.iter().zip(&now).all(|(old, new)| old.0 == new.0);
            if same_nodes {
                let groups = layer.children();
                for (index, (old, new)) in shown.iter().zip(&now).enumerate() {
                    if old.1 != new.1 {
                        if let Some(group) = groups.item(index as u32) {
                            group.set_inner_html(&new.1);
                        }
                    }
                }
            } else {
                layer.set_inner_html(&badge_groups(&now));
            }
            *shown = now;
        });
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
            let f = f.as_ref()?;
            Some(f.playback.in_flight(&f.view.events, seq))
        })?;
        let path = drawn.with(|positions| flight_path(&list, positions));
        Some(view! {
            <path class="flight-dots" d=path data-in-flight=list.len() />
        })
    };
    view! {
        <g class="run-overlay" aria-hidden="true">
            {ring}
            {travelling}
            <g node_ref=layer></g>
            {message}
        </g>
    }
}

/// One node's badges, under the node drawn at `at`, as SVG text. Placed with coordinates, not
/// transforms: each transform is a paint chunk of its own, and every frame's layerizing walks
/// them all.
fn badges_svg(activity: &NodeActivity, at: Position) -> String {
    use std::fmt::Write;
    let mut svg = String::new();
    let y = f64::from(at.y) + NODE_HEIGHT + 6.0;
    for (i, (class, text, meaning)) in activity.badges().into_iter().enumerate() {
        let x = f64::from(at.x) + i as f64 * (BADGE_WIDTH + 4.0);
        let _ = write!(
            svg,
            r#"<g class="run-badge {class}"><title>{meaning}</title><rect x="{x}" y="{y}" width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}" rx="{}"/><text x="{}" y="{}" text-anchor="middle">{text}</text></g>"#,
            BADGE_HEIGHT / 2.0,
            x + BADGE_WIDTH / 2.0,
            y + BADGE_HEIGHT / 2.0 + 7.0,
        );
    }
    svg
}

/// A group per node with its badges (`badges_svg`). Node ids are escaped, so no id can become
/// markup.
fn badge_groups(nodes: &[(String, String)]) -> String {
    let mut all = String::new();
    for (node, svg) in nodes {
        all.push_str(&format!(
            r#"<g class="run-badges" data-badges-for="{}">{svg}</g>"#,
            escape(node)
        ));
    }
    all
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_are_drawn_under_their_node_side_by_side() {
        let running = NodeActivity {
            in_flight: 2,
            errors: 1,
            ..NodeActivity::default()
        };
        let svg = badges_svg(&running, Position { x: 10, y: 20 });
        assert!(svg.starts_with(
            r#"<g class="run-badge badge-running"><title>2 in flight</title><rect x="10" y="#
        ));
        assert!(svg.contains(">▶2</text>") && svg.contains(">✗1</text>"));
        assert!(
            svg.contains(r#"<rect x="78" "#),
            "the second badge sits beside the first"
        );
        assert!(!svg.contains("transform"));
        assert_eq!(
            badges_svg(&NodeActivity::default(), Position { x: 0, y: 0 }),
            ""
        );
    }

    #[test]
    fn a_node_id_stays_an_attribute_value() {
        // A node id is the user's text: it must never become markup.
        let groups = badge_groups(&[(r#"pay"<g>"#.to_string(), String::new())]);
        assert_eq!(
            groups,
            r#"<g class="run-badges" data-badges-for="pay&quot;&lt;g&gt;"></g>"#
        );
    }
}
