//! Where each node is drawn: its saved position from `layout`, or, for nodes without one, an
//! automatic layered layout that follows the flow from producers rightwards. Pure; tested
//! natively.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use eventlab_core::design::{Design, NodeKind, Position};

use super::edges::Edge;
use super::geometry::{GRID, NODE_HEIGHT, NODE_WIDTH};

/// Distance between layers (columns) and between nodes in a column, in world units.
const COLUMN_STEP: i32 = 304;
/// Extra space between two services' bands, room for the group's label.
const BAND_GAP: i32 = 48;
const ROW_STEP: i32 = 120;

/// Every node's position: saved ones as they are; the others laid out below them, in one
/// horizontal band per owning service (in the order services are declared, nodes without a
/// service last), with columns by distance from the flow's sources, so the flow reads left to
/// right and each service's nodes sit together without overlapping another service's.
pub fn positions(design: &Design, edges: &[Edge]) -> BTreeMap<String, Position> {
    let mut out: BTreeMap<String, Position> = BTreeMap::new();
    let mut missing = Vec::new();
    for node in &design.nodes {
        match design.layout.get(&node.id) {
            Some(position) => {
                out.insert(node.id.clone(), *position);
            }
            None => missing.push(node),
        }
    }
    if missing.is_empty() {
        return out;
    }
    let mut top = out
        .values()
        .map(|p| p.y + NODE_HEIGHT as i32 + 2 * GRID as i32)
        .max()
        .unwrap_or(0);
    let layers = layers(design, edges);
    let band_of = |service: Option<&String>| {
        service
            .and_then(|s| design.services.iter().position(|d| &d.id == s))
            .unwrap_or(design.services.len())
    };
    let mut bands: BTreeMap<usize, Vec<(u32, &str)>> = BTreeMap::new();
    for node in missing {
        let layer = layers.get(&node.id).copied().unwrap_or(0);
        bands
            .entry(band_of(node.service.as_ref()))
            .or_default()
            .push((layer, node.id.as_str()));
    }
    for members in bands.values_mut() {
        members.sort();
        let mut rows_used: BTreeMap<u32, i32> = BTreeMap::new();
        for (layer, id) in members.iter() {
            let row = rows_used.entry(*layer).or_insert(0);
            let x = i32::try_from(*layer)
                .unwrap_or(0)
                .saturating_mul(COLUMN_STEP);
            out.insert(
                id.to_string(),
                Position {
                    x,
                    y: top + *row * ROW_STEP,
                },
            );
            *row += 1;
        }
        let rows = rows_used.values().copied().max().unwrap_or(1);
        top += rows * ROW_STEP + BAND_GAP;
    }
    out
}

/// Each node's layer: breadth-first distance from the sources (producers, then any node no
/// edge enters), following edges forwards; cycles (a function emitting back to its bus) are
/// cut where they return to a node already placed.
fn layers(design: &Design, edges: &[Edge]) -> BTreeMap<String, u32> {
    let mut outgoing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut entered: BTreeSet<&str> = BTreeSet::new();
    for edge in edges {
        outgoing
            .entry(edge.from.as_str())
            .or_default()
            .push(edge.to.as_str());
        entered.insert(edge.to.as_str());
    }
    let mut layer: BTreeMap<String, u32> = BTreeMap::new();
    let mut queue = VecDeque::new();
    let producers = design
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Producer(_)))
        .map(|n| n.id.as_str());
    let roots = design
        .nodes
        .iter()
        .filter(|n| !entered.contains(n.id.as_str()))
        .map(|n| n.id.as_str());
    for root in producers.chain(roots) {
        if !layer.contains_key(root) {
            layer.insert(root.to_string(), 0);
            queue.push_back(root);
        }
        while let Some(id) = queue.pop_front() {
            let next = layer.get(id).copied().unwrap_or(0) + 1;
            for to in outgoing.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                if !layer.contains_key(*to) {
                    layer.insert(to.to_string(), next);
                    queue.push_back(to);
                }
            }
        }
    }
    // Nodes only reachable inside a cycle with no entry: the first column.
    for node in &design.nodes {
        layer.entry(node.id.clone()).or_insert(0);
    }
    layer
}

/// A free spot for a new node near `near` (world units), on the grid, not on top of another:
/// the first free cell of a three-column grid starting there, so new nodes spread out in
/// reading order instead of piling up in one column.
pub fn free_spot(taken: &BTreeMap<String, Position>, near: Position) -> Position {
    let step = GRID as i32;
    let origin = Position {
        x: (near.x / step) * step,
        y: (near.y / step) * step,
    };
    let free = |candidate: &Position| {
        !taken.values().any(|p| {
            (p.x - candidate.x).abs() < NODE_WIDTH as i32
                && (p.y - candidate.y).abs() < NODE_HEIGHT as i32
        })
    };
    (0..300)
        .map(|i| Position {
            x: origin.x + (i % 3) * COLUMN_STEP,
            y: origin.y + (i / 3) * ROW_STEP,
        })
        .find(free)
        .unwrap_or(origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas::edges::derive_edges;
    use eventlab_core::design::load_text;

    const FLOW: &str = r#"{"version":1,"eventTypes":[{"type":"t","source":"s"}],"nodes":[
      {"id":"f","kind":"function","steps":[{"op":"emit","bus":"bus","type":"t"},{"op":"put","table":"tab","item":{}}]},
      {"id":"tab","kind":"table","partitionKey":{"name":"id"}},
      {"id":"bus","kind":"bus","rules":[{"id":"r","pattern":{},"targets":[{"node":"f"}]}]},
      {"id":"p","kind":"producer","eventType":"t","bus":"bus","count":1}]}"#;

    #[test]
    fn unplaced_nodes_are_layered_along_the_flow() {
        // producer → bus → function → table run left to right despite the emit cycle.
        let design = load_text(FLOW).unwrap().design;
        let placed = positions(&design, &derive_edges(&design));
        let x = |id: &str| placed[id].x;
        assert!(
            x("p") < x("bus") && x("bus") < x("f") && x("f") < x("tab"),
            "{placed:?}"
        );
    }

    #[test]
    fn saved_positions_are_kept_and_new_nodes_go_below_them() {
        // A node with a position stays there; the others do not overlap it.
        let mut design = load_text(FLOW).unwrap().design;
        design
            .layout
            .insert("bus".into(), Position { x: 0, y: 500 });
        let placed = positions(&design, &derive_edges(&design));
        assert_eq!(placed["bus"], Position { x: 0, y: 500 });
        assert!(placed
            .iter()
            .filter(|(id, _)| *id != "bus")
            .all(|(_, p)| p.y > 500));
    }

    #[test]
    fn each_service_gets_its_own_band() {
        // Nodes of one service share rows that no other service's node enters.
        let mut design = load_text(FLOW).unwrap().design;
        design.services = serde_json::from_str(r#"[{"id":"a"},{"id":"b"}]"#).unwrap();
        for node in &mut design.nodes {
            let service = if node.id == "f" || node.id == "tab" {
                "b"
            } else {
                "a"
            };
            node.service = Some(service.into());
        }
        let placed = positions(&design, &derive_edges(&design));
        let a_bottom = placed["p"].y.max(placed["bus"].y);
        let b_top = placed["f"].y.min(placed["tab"].y);
        assert!(a_bottom + (NODE_HEIGHT as i32) < b_top, "{placed:?}");
    }

    #[test]
    fn a_free_spot_avoids_other_nodes() {
        // The spot moves along a grid until it no longer overlaps a node.
        let taken = BTreeMap::from([("a".to_string(), Position { x: 0, y: 0 })]);
        let spot = free_spot(&taken, Position { x: 10, y: 10 });
        assert_eq!(
            spot,
            Position {
                x: COLUMN_STEP,
                y: 0
            }
        );
        assert_eq!(
            free_spot(&BTreeMap::new(), Position { x: 50, y: 50 }),
            Position { x: 48, y: 48 }
        );
    }
}
