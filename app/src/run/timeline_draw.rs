//! The timeline's drawing as SVG text: lane lines, time axis, cause links and one mark per
//! event of a window of the run, built once per (run, filter, window) and set with
//! `inner_html`. Decision: playing a run moves the playhead 60 times a second, and redrawing
//! 1,200 marks as Leptos views at every step cost 150 ms a frame (e2e/bench/frames.spec.ts);
//! as text they take less page code and are rebuilt only when the window moves (5 to 8 ms for
//! the 300 events drawn while playing), and a step only moves the playhead line and the
//! current mark (`timeline.rs`). Everything from the run
//! put into the text is escaped, so no event line can become markup.
//!
//! Pure functions, tested natively; it must never read the playhead.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

use super::model::{Lane, Mark, RunEvent};
use crate::exercise::escape;

const EVENT_WIDTH: f64 = 18.0;
pub const LANE_HEIGHT: f64 = 36.0;
pub const AXIS_HEIGHT: f64 = 26.0;
const PADDING: f64 = 14.0;
/// At most this many events are drawn at once.
pub const EVENTS_SHOWN: usize = 1200;
/// While playing, fewer, drawn without details: a redraw of 1,200 marks (parsing, styling)
/// took 46 ms, a frame and a half. The scroller shows about 60 marks at a time, and the window
/// keeps a quarter of itself either side of the playhead.
pub const EVENTS_WHILE_PLAYING: usize = 200;
/// The least room between two time labels on the axis.
const LABEL_GAP: f64 = 80.0;

/// What the timeline draws for one window: the SVG (lanes, axis, links, the playhead line,
/// hidden until placed, then the marks) and each mark's x by sequence number, in order.
#[derive(Clone, PartialEq, Default)]
pub struct Drawing {
    pub svg: String,
    pub positions: Vec<(u32, f64)>,
}

impl Drawing {
    /// Where the mark of event `seq` is drawn, when it is in the window.
    pub fn x_of(&self, seq: u32) -> Option<f64> {
        let index = self.positions.binary_search_by_key(&seq, |p| p.0).ok()?;
        Some(self.positions[index].1)
    }
}

/// Draws the events at `kept[range]` (indexes into `all`, which is in sequence order), placed
/// by their order among the kept events, in `lanes`; `detailed` marks (`mark`) when paused.
pub fn draw(
    lanes: &[Lane],
    all: &[RunEvent],
    kept: &[usize],
    range: Range<usize>,
    detailed: bool,
) -> Drawing {
    // Inserted one by one: collecting would sort, and a sort is kilobytes of page code.
    let mut lane_of = BTreeMap::new();
    for (index, lane) in lanes.iter().enumerate() {
        lane_of.insert(lane.node.as_str(), index);
    }
    let lane_y = |node: &str| {
        let index = lane_of.get(node).copied().unwrap_or(0);
        AXIS_HEIGHT + LANE_HEIGHT * (index as f64 + 0.5)
    };
    let shown: Vec<&RunEvent> = kept[range].iter().filter_map(|i| all.get(*i)).collect();
    let width = PADDING * 2.0 + EVENT_WIDTH * shown.len() as f64;
    let height = AXIS_HEIGHT + LANE_HEIGHT * lanes.len() as f64 + 6.0;
    let mut back = format!(
        r#"<svg class="timeline-svg" width="{width}" height="{height}" role="img" aria-label="Run timeline">"#
    );
    for index in 0..lanes.len() {
        let y = AXIS_HEIGHT + LANE_HEIGHT * (index as f64 + 0.5);
        let _ = write!(
            back,
            r#"<line class="lane-line" x1="0" x2="{width}" y1="{y}" y2="{y}"/>"#
        );
    }
    let mut marks = String::new();
    let mut positions = Vec::with_capacity(shown.len());
    let (mut last_label, mut last_time) = (f64::NEG_INFINITY, None);
    let (mut links, mut heads) = (String::new(), String::new());
    for (index, event) in shown.iter().enumerate() {
        let (x, y) = (
            PADDING + EVENT_WIDTH * (index as f64 + 0.5),
            lane_y(&event.node),
        );
        if last_time != Some(event.at_ms) && x - last_label >= LABEL_GAP {
            axis_tick(&mut back, x, height, event.at_ms);
            (last_label, last_time) = (x, Some(event.at_ms));
        }
        // An arrow from the cause, when it is in another lane and drawn in this window: a
        // message sent, delivered or started reads as an arrow between lanes, as in a
        // sequence diagram.
        let cause = event.cause.and_then(|c| all.get(c as usize));
        if let Some(cause) = cause.filter(|c| c.node != event.node) {
            if let Ok(at) = positions.binary_search_by_key(&cause.seq, |p: &(u32, f64)| p.0) {
                let from = (positions[at].1, lane_y(&cause.node));
                arrow(&mut links, &mut heads, from, (x, y));
            }
        }
        positions.push((event.seq, x));
        mark(&mut marks, event, x, y, detailed);
    }
    // All arrows as two paths (their lines, their heads): two elements however many.
    if !links.is_empty() {
        let _ = write!(
            back,
            r#"<path class="cause-links" d="{links}"/><path class="cause-heads" d="{heads}"/>"#
        );
    }
    let _ = write!(
        back,
        r#"<line class="playhead-line" x1="0" x2="0" y1="0" y2="{height}" visibility="hidden"/>{marks}</svg>"#
    );
    Drawing {
        svg: back,
        positions,
    }
}

/// An arrow from `from` to a mark at `to`, as path data: its line, and its head, whose tip stops
/// short of the mark (a mark reaches about 8 from its centre).
fn arrow(lines: &mut String, heads: &mut String, from: (f64, f64), to: (f64, f64)) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt();
    if length < 24.0 {
        return;
    }
    let (ux, uy) = (dx / length, dy / length);
    let tip = (to.0 - ux * 9.0, to.1 - uy * 9.0);
    let base = (tip.0 - ux * 8.0, tip.1 - uy * 8.0);
    let side = (-uy * 4.0, ux * 4.0);
    let _ = write!(lines, "M{} {}L{:.1} {:.1}", from.0, from.1, base.0, base.1);
    let _ = write!(
        heads,
        "M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}z",
        tip.0,
        tip.1,
        base.0 + side.0,
        base.1 + side.1,
        base.0 - side.0,
        base.1 - side.1
    );
}

fn axis_tick(out: &mut String, x: f64, height: f64, at_ms: u64) {
    let first = if x < LABEL_GAP / 2.0 {
        r#" class="first""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<g class="axis-tick"><line x1="{x}" x2="{x}" y1="{}" y2="{height}"/><text x="{x}" y="{}"{first}>{at_ms} ms</text></g>"#,
        AXIS_HEIGHT - 6.0,
        AXIS_HEIGHT - 10.0,
    );
}

/// One mark: its class names the kind (tests and the colours read it), `data-seq` is what the
/// delegated click and the current-mark effect look for. Placed with coordinates, not a
/// transform: each transform is a paint chunk of its own, and every frame's layerizing walks
/// them all. A `detailed` mark carries its event's line as a tooltip and a hit area wider than
/// its shape; while a run plays, marks go without both (half the elements to parse and style
/// at each redraw of the window), and the shape itself takes the click.
fn mark(out: &mut String, event: &RunEvent, x: f64, y: f64, detailed: bool) {
    let mark = Mark::of(&event.kind);
    let _ = write!(
        out,
        r#"<g class="mark {}" data-seq="{}">"#,
        mark.class(),
        event.seq
    );
    if detailed {
        let _ = write!(
            out,
            r#"<title>{} ms · {}</title><rect class="mark-hit" x="{}" y="{}" width="18" height="32"/>"#,
            event.at_ms,
            escape(&event.line),
            x - 9.0,
            y - 16.0,
        );
    }
    shape(out, mark, x, y);
    out.push_str("</g>");
}

/// The shape of a mark, drawn around (`x`, `y`): paths start there and go on in relative
/// steps.
pub fn shape(out: &mut String, mark: Mark, x: f64, y: f64) {
    let _ = match mark {
        Mark::Produced => write!(out, r#"<path d="M{} {}l13 7l-13 7z"/>"#, x - 6.0, y - 7.0),
        Mark::Published => write!(out, r#"<path d="M{} {}l10 5l-10 5z"/>"#, x - 5.0, y - 5.0),
        Mark::Delivered => write!(out, r#"<circle cx="{x}" cy="{y}" r="6"/>"#),
        Mark::Invocation => rect(out, "", x - 2.0, y - 10.0, 4, 20),
        Mark::Step => rect(out, "", x - 5.0, y - 5.0, 10, 10),
        Mark::Effect => write!(out, r#"<path d="M{x} {}l8 8l-8 8l-8-8z"/>"#, y - 8.0),
        Mark::Message => write!(out, r#"<circle class="hollow" cx="{x}" cy="{y}" r="5"/>"#),
        Mark::ConditionFailed => write!(
            out,
            r#"<path class="stroke" d="M{} {}l12 12m0-12l-12 12"/>"#,
            x - 6.0,
            y - 6.0
        ),
        Mark::Fault => write!(
            out,
            r#"<path d="M{} {}l-8 11h5l-2 9l9-12h-5z"/>"#,
            x + 2.0,
            y - 10.0
        ),
        Mark::Retry => write!(
            out,
            r#"<circle class="hollow thick" cx="{x}" cy="{y}" r="6"/>"#
        ),
        Mark::DeadLetter => rect(out, r#" rx="2""#, x - 7.0, y - 7.0, 14, 14),
        Mark::Bound => rect(out, "", x - 3.0, y - 15.0, 6, 30),
        Mark::Other => write!(out, r#"<circle cx="{x}" cy="{y}" r="3"/>"#),
    };
}

fn rect(out: &mut String, extra: &str, x: f64, y: f64, width: u8, height: u8) -> std::fmt::Result {
    write!(
        out,
        r#"<rect x="{x}" y="{y}" width="{width}" height="{height}"{extra}/>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::model::stepped_window;

    /// A run event whose line has markup in it, so escaping shows.
    fn event(seq: u32, node: &str, kind: &str, cause: Option<u32>) -> RunEvent {
        let line = format!("#{seq} {node} {kind} <b>&");
        crate::run::activity::tests::event(seq, node, kind, cause, &line)
    }

    fn lane(node: &str) -> Lane {
        Lane {
            node: node.to_string(),
            label: node.to_string(),
        }
    }

    #[test]
    fn the_window_moves_in_steps_and_keeps_a_quarter_either_side() {
        // Playing must not redraw the marks at every step, and the playhead must stay well
        // inside what is drawn: the window changes once per quarter window and never runs past
        // an end.
        for size in [EVENTS_SHOWN, EVENTS_WHILE_PLAYING] {
            let step = size / 4;
            for at in 0..5000 {
                let range = stepped_window(5000, at, size);
                assert_eq!(range.len(), size, "{at}");
                assert!(
                    range.start + step <= at || range.start == 0,
                    "{at} {range:?}"
                );
                assert!(
                    at + step <= range.end || range.end == 5000,
                    "{at} {range:?}"
                );
            }
            let moves = (1..5000)
                .filter(|at| stepped_window(5000, *at, size) != stepped_window(5000, at - 1, size))
                .count();
            assert_eq!(moves, (5000 - size).div_ceil(step), "{size}");
        }
        assert_eq!(stepped_window(10, 7, EVENTS_SHOWN), 0..10);
    }

    #[test]
    fn marks_are_placed_in_order_with_links_across_lanes_and_escaped_text() {
        // Kept events are spaced by their order; a cause in another lane gets a link, one in the
        // same lane or left out by the filter does not; an event's line never becomes markup.
        let all = [
            event(0, "a", "produced", None),
            event(1, "b", "delivered", Some(0)),
            event(2, "b", "step", Some(1)),
            event(3, "a", "fault", Some(1)),
        ];
        let lanes = [lane("a"), lane("b")];
        let drawing = draw(&lanes, &all, &[0, 1, 2, 3], 0..4, true);
        assert_eq!(arrows(&drawing.svg), 2);
        assert_eq!(drawing.svg.matches(r#"class="mark "#).count(), 4);
        assert!(drawing
            .svg
            .contains(r#"class="mark mark-fault" data-seq="3""#));
        assert!(drawing.svg.contains("&lt;b&gt;&amp;"));
        assert!(!drawing.svg.contains("<b>"));
        let filtered = draw(&lanes, &all, &[0, 2, 3], 0..3, true);
        assert_eq!(filtered.positions, vec![(0, 23.0), (2, 41.0), (3, 59.0)]);
        assert_eq!(filtered.x_of(3), Some(59.0));
        assert_eq!(filtered.x_of(1), None);
        assert_eq!(arrows(&filtered.svg), 0);
        assert!(
            !drawing.svg.contains("transform"),
            "marks are placed by coordinates"
        );
    }

    /// How many arrows a drawing has: the moves in its links' path.
    fn arrows(svg: &str) -> usize {
        svg.split(r#"<path class="cause-links" d=""#)
            .nth(1)
            .map_or(0, |rest| {
                rest.split('"').next().unwrap_or("").matches('M').count()
            })
    }

    #[test]
    fn an_arrow_ends_short_of_its_mark_with_a_head() {
        let (mut lines, mut heads) = (String::new(), String::new());
        arrow(&mut lines, &mut heads, (0.0, 0.0), (0.0, 100.0));
        assert_eq!(lines, "M0 0L0.0 83.0");
        assert_eq!(heads, "M0.0 91.0L-4.0 83.0L4.0 83.0z");
    }

    #[test]
    fn marks_drawn_while_playing_go_without_tooltips_and_hit_areas() {
        let all = [
            event(0, "a", "produced", None),
            event(1, "a", "step", Some(0)),
        ];
        let detailed = draw(&[lane("a")], &all, &[0, 1], 0..2, true);
        let playing = draw(&[lane("a")], &all, &[0, 1], 0..2, false);
        assert_eq!(detailed.svg.matches("<title>").count(), 2);
        assert_eq!(detailed.svg.matches("mark-hit").count(), 2);
        assert!(!playing.svg.contains("<title>") && !playing.svg.contains("mark-hit"));
        assert_eq!(playing.positions, detailed.positions);
        assert!(playing.svg.contains(r#"<path d="M17 37l13 7l-13 7z"/>"#));
        assert!(playing
            .svg
            .contains(r#"<rect x="36" y="39" width="10" height="10"/>"#));
    }
}
