//! Pointer gestures on the canvas as a small state machine: what a press starts (pan, drag,
//! connect, rubber band), how a move updates it, and what a release produces. Pure; the
//! canvas component feeds it positions and carries out the outcome.

use std::collections::BTreeMap;

use eventlab_core::design::change::NodeMove;
use eventlab_core::design::Position;

use super::geometry::{hit, node_rect, snap, Point, Rect, Viewport, NODE_HEIGHT, NODE_WIDTH};

/// The radius (world units) around a node's connect handle that starts a connection.
pub const HANDLE_RADIUS: f64 = 14.0;
/// How far (screen pixels) a pointer must move before a press becomes a drag.
const DRAG_THRESHOLD: f64 = 4.0;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Gesture {
    #[default]
    Idle,
    Pan {
        start: Point,
        origin: Viewport,
        moved: bool,
    },
    Drag {
        start: Point,
        ids: Vec<String>,
        offset: Point,
        moved: bool,
    },
    Connect {
        from: String,
        to: Point,
    },
    Band {
        start: Point,
        end: Point,
    },
}

/// What was under the pointer when it was pressed.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Handle(String),
    Node(String),
    Background,
}

/// The connect handle's centre: the middle of the node's right edge.
pub fn handle_center(position: Position) -> Point {
    Point::new(
        f64::from(position.x) + NODE_WIDTH,
        f64::from(position.y) + NODE_HEIGHT / 2.0,
    )
}

/// What is at `world`: a connect handle first (it sits on the edge of its node), then the
/// topmost node, else the background.
pub fn target_at(positions: &BTreeMap<String, Position>, world: Point) -> Target {
    for (id, position) in positions.iter().rev() {
        let center = handle_center(*position);
        if (center.x - world.x).powi(2) + (center.y - world.y).powi(2) <= HANDLE_RADIUS.powi(2) {
            return Target::Handle(id.clone());
        }
    }
    let boxes: Vec<(String, Rect)> = positions
        .iter()
        .map(|(id, p)| (id.clone(), node_rect(*p)))
        .collect();
    match hit(&boxes, world) {
        Some(id) => Target::Node(id.clone()),
        None => Target::Background,
    }
}

/// The node under `world`, for the end of a connection.
pub fn node_at(positions: &BTreeMap<String, Position>, world: Point) -> Option<String> {
    let boxes: Vec<(String, Rect)> = positions
        .iter()
        .map(|(id, p)| (id.clone(), node_rect(*p)))
        .collect();
    hit(&boxes, world).cloned()
}

/// Updates a gesture for a pointer move to `screen` (world point `world`).
pub fn update(gesture: &Gesture, screen: Point, world: Point) -> Gesture {
    match gesture {
        Gesture::Idle => Gesture::Idle,
        Gesture::Pan {
            start,
            origin,
            moved,
        } => Gesture::Pan {
            start: *start,
            origin: *origin,
            moved: *moved || far(*start, screen),
        },
        Gesture::Drag {
            start, ids, moved, ..
        } => {
            let offset = Point::new(world.x - start.x, world.y - start.y);
            Gesture::Drag {
                start: *start,
                ids: ids.clone(),
                offset,
                moved: *moved || far(*start, world),
            }
        }
        Gesture::Connect { from, .. } => Gesture::Connect {
            from: from.clone(),
            to: world,
        },
        Gesture::Band { start, .. } => Gesture::Band {
            start: *start,
            end: world,
        },
    }
}

fn far(a: Point, b: Point) -> bool {
    (a.x - b.x).abs() > DRAG_THRESHOLD || (a.y - b.y).abs() > DRAG_THRESHOLD
}

/// The viewport while panning.
pub fn panned(origin: Viewport, start: Point, screen: Point) -> Viewport {
    Viewport {
        x: origin.x + screen.x - start.x,
        y: origin.y + screen.y - start.y,
        scale: origin.scale,
    }
}

/// Positions as drawn during a drag: the dragged nodes moved by the offset.
pub fn dragged(
    positions: &BTreeMap<String, Position>,
    ids: &[String],
    offset: Point,
) -> BTreeMap<String, Position> {
    let mut out = positions.clone();
    for id in ids {
        if let Some(p) = out.get_mut(id) {
            p.x = (f64::from(p.x) + offset.x).round() as i32;
            p.y = (f64::from(p.y) + offset.y).round() as i32;
        }
    }
    out
}

/// The moves a finished drag saves: the dragged nodes snapped to the grid, and every other
/// node where it is drawn, so automatically placed nodes stay put from now on.
pub fn drag_moves(
    positions: &BTreeMap<String, Position>,
    saved: &BTreeMap<String, Position>,
    ids: &[String],
    offset: Point,
) -> Vec<NodeMove> {
    positions
        .iter()
        .filter_map(|(id, p)| {
            let to = if ids.contains(id) {
                Position {
                    x: snap(f64::from(p.x) + offset.x),
                    y: snap(f64::from(p.y) + offset.y),
                }
            } else {
                *p
            };
            (saved.get(id) != Some(&to)).then(|| NodeMove {
                id: id.clone(),
                to: Some(to),
            })
        })
        .collect()
}

/// The nodes a rubber band touches.
pub fn in_band(positions: &BTreeMap<String, Position>, band: Rect) -> Vec<String> {
    positions
        .iter()
        .filter(|(_, p)| band.intersects(&node_rect(**p)))
        .map(|(id, _)| id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> BTreeMap<String, Position> {
        BTreeMap::from([
            ("a".to_string(), Position { x: 0, y: 0 }),
            ("b".to_string(), Position { x: 400, y: 0 }),
        ])
    }

    #[test]
    fn a_press_finds_handles_before_nodes() {
        // The handle on a node's right edge starts a connection; the body starts a drag.
        let positions = placed();
        assert_eq!(
            target_at(&positions, handle_center(positions["a"])),
            Target::Handle("a".into())
        );
        assert_eq!(
            target_at(&positions, Point::new(20.0, 20.0)),
            Target::Node("a".into())
        );
        assert_eq!(
            target_at(&positions, Point::new(300.0, 300.0)),
            Target::Background
        );
    }

    #[test]
    fn a_drag_saves_one_move_per_changed_node_on_the_grid() {
        // Dragged nodes snap; undragged auto-placed nodes get their drawn position saved.
        let positions = placed();
        let saved = BTreeMap::from([("b".to_string(), Position { x: 400, y: 0 })]);
        let moves = drag_moves(
            &positions,
            &saved,
            &["a".to_string()],
            Point::new(30.0, 13.0),
        );
        assert_eq!(
            moves,
            vec![NodeMove {
                id: "a".into(),
                to: Some(Position { x: 24, y: 24 })
            }]
        );
        let moves = drag_moves(
            &positions,
            &BTreeMap::new(),
            &["b".to_string()],
            Point::new(0.0, 0.0),
        );
        assert_eq!(moves.len(), 2);
    }

    #[test]
    fn small_jitters_do_not_count_as_moves() {
        // A click that wobbles a pixel is still a click, not a drag.
        let drag = Gesture::Drag {
            start: Point::new(0.0, 0.0),
            ids: vec![],
            offset: Point::default(),
            moved: false,
        };
        let wobble = update(&drag, Point::new(1.0, 1.0), Point::new(2.0, 1.0));
        assert!(matches!(wobble, Gesture::Drag { moved: false, .. }));
        let real = update(&wobble, Point::new(20.0, 1.0), Point::new(20.0, 1.0));
        assert!(matches!(real, Gesture::Drag { moved: true, .. }));
    }

    #[test]
    fn a_band_selects_the_nodes_it_touches() {
        // Only nodes overlapping the band are selected.
        let band = Rect::from_corners(Point::new(-10.0, -10.0), Point::new(50.0, 50.0));
        assert_eq!(in_band(&placed(), band), vec!["a".to_string()]);
    }
}
