//! Canvas geometry: world and screen coordinates, the viewport (pan and zoom), node boxes,
//! hit-testing, snapping and edge paths. Plain Rust with no Leptos or browser type, so it is
//! tested natively; the canvas components only feed pointer positions in and draw what comes
//! out.

use eventlab_core::design::Position;

/// A node's box on the canvas, in world units.
pub const NODE_WIDTH: f64 = 224.0;
pub const NODE_HEIGHT: f64 = 76.0;
/// The snapping grid, in world units.
pub const GRID: f64 = 24.0;
pub const MIN_SCALE: f64 = 0.25;
pub const MAX_SCALE: f64 = 2.5;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The rectangle spanned by two corners in any order (a rubber band).
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            width: (a.x - b.x).abs(),
            height: (a.y - b.y).abs(),
        }
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    pub fn contains(&self, point: Point) -> bool {
        point.x >= self.x
            && point.x <= self.x + self.width
            && point.y >= self.y
            && point.y <= self.y + self.height
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect {
            x,
            y,
            width: (self.x + self.width).max(other.x + other.width) - x,
            height: (self.y + self.height).max(other.y + other.height) - y,
        }
    }

    pub fn inflate(&self, by: f64) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            width: self.width + 2.0 * by,
            height: self.height + 2.0 * by,
        }
    }
}

/// The box of a node at `position` (its top-left corner).
pub fn node_rect(position: Position) -> Rect {
    Rect {
        x: f64::from(position.x),
        y: f64::from(position.y),
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
    }
}

/// The bounding box of several rectangles, or `None` for none.
pub fn bounds<'a>(rects: impl IntoIterator<Item = &'a Rect>) -> Option<Rect> {
    rects.into_iter().fold(None, |acc: Option<Rect>, rect| {
        Some(acc.map_or(*rect, |a| a.union(rect)))
    })
}

/// The pan and zoom: a world point `w` is drawn at `w * scale + (x, y)` on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport {
            x: 40.0,
            y: 40.0,
            scale: 1.0,
        }
    }
}

impl Viewport {
    pub fn to_world(self, screen: Point) -> Point {
        Point::new(
            (screen.x - self.x) / self.scale,
            (screen.y - self.y) / self.scale,
        )
    }

    /// The inverse of `to_world` (used by tests and by pictures of the canvas).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn to_screen(self, world: Point) -> Point {
        Point::new(world.x * self.scale + self.x, world.y * self.scale + self.y)
    }

    /// Zooms by `factor` keeping the world point under `screen` where it is.
    pub fn zoom_at(&self, screen: Point, factor: f64) -> Viewport {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let world = self.to_world(screen);
        Viewport {
            x: screen.x - world.x * scale,
            y: screen.y - world.y * scale,
            scale,
        }
    }

    /// The viewport that shows `content` whole and centred in a `width` × `height` view,
    /// never zoomed in past 100% (a small design stays at its natural size).
    pub fn fit(content: Rect, width: f64, height: f64, margin: f64) -> Viewport {
        let available_w = (width - 2.0 * margin).max(1.0);
        let available_h = (height - 2.0 * margin).max(1.0);
        let scale = (available_w / content.width.max(1.0))
            .min(available_h / content.height.max(1.0))
            .clamp(MIN_SCALE, 1.0);
        let center = content.center();
        Viewport {
            x: width / 2.0 - center.x * scale,
            y: height / 2.0 - center.y * scale,
            scale,
        }
    }

    /// The SVG transform attribute for the world layer.
    pub fn transform(&self) -> String {
        format!(
            "translate({:.2} {:.2}) scale({:.4})",
            self.x, self.y, self.scale
        )
    }
}

/// The topmost (last drawn) box containing `point`.
pub fn hit<K>(boxes: &[(K, Rect)], point: Point) -> Option<&K> {
    boxes
        .iter()
        .rev()
        .find(|(_, rect)| rect.contains(point))
        .map(|(key, _)| key)
}

/// Rounds a world coordinate to the snapping grid.
pub fn snap(value: f64) -> i32 {
    let snapped = (value / GRID).round() * GRID;
    // Canvas coordinates stay far inside i32; clamp anyway so a wild drag cannot overflow.
    snapped.clamp(-1.0e8, 1.0e8) as i32
}

/// Where the segment from `rect`'s centre towards `toward` leaves the rectangle.
pub fn boundary_point(rect: &Rect, toward: Point) -> Point {
    let center = rect.center();
    let dx = toward.x - center.x;
    let dy = toward.y - center.y;
    if dx == 0.0 && dy == 0.0 {
        return center;
    }
    let half_w = rect.width / 2.0;
    let half_h = rect.height / 2.0;
    let scale_x = if dx == 0.0 {
        f64::INFINITY
    } else {
        half_w / dx.abs()
    };
    let scale_y = if dy == 0.0 {
        f64::INFINITY
    } else {
        half_h / dy.abs()
    };
    let t = scale_x.min(scale_y);
    Point::new(center.x + dx * t, center.y + dy * t)
}

/// An edge between two boxes: a quadratic curve bowed to the left of its direction, so the
/// two edges of a pair of nodes that talk both ways never lie on top of each other. Returns
/// the SVG path and the point where the label goes.
pub fn edge_path(from: &Rect, to: &Rect, bend: f64) -> (String, Point) {
    let a = from.center();
    let b = to.center();
    let length = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt().max(1.0);
    // The unit normal to the left of a→b.
    let normal = Point::new((a.y - b.y) / length, (b.x - a.x) / length);
    let control = Point::new(
        (a.x + b.x) / 2.0 + normal.x * bend,
        (a.y + b.y) / 2.0 + normal.y * bend,
    );
    let start = boundary_point(from, control);
    let end = boundary_point(to, control);
    // The curve's midpoint (t = 0.5) is where the label sits.
    let label = Point::new(
        0.25 * start.x + 0.5 * control.x + 0.25 * end.x,
        0.25 * start.y + 0.5 * control.y + 0.25 * end.y,
    );
    let path = format!(
        "M {:.1} {:.1} Q {:.1} {:.1} {:.1} {:.1}",
        start.x, start.y, control.x, control.y, end.x, end.y
    );
    (path, label)
}

/// A self-loop (a function that emits to the bus it listens to is drawn as two edges, but a
/// node wired to itself needs a loop): a small arc above the box.
pub fn loop_path(rect: &Rect) -> (String, Point) {
    let top = rect.y;
    let left = rect.x + rect.width * 0.35;
    let right = rect.x + rect.width * 0.65;
    let path = format!(
        "M {left:.1} {top:.1} C {left:.1} {:.1} {right:.1} {:.1} {right:.1} {top:.1}",
        top - 60.0,
        top - 60.0
    );
    (path, Point::new(rect.x + rect.width / 2.0, top - 46.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn screen_and_world_round_trip() {
        // to_world undoes to_screen at any pan and zoom.
        let viewport = Viewport {
            x: 13.0,
            y: -40.0,
            scale: 1.7,
        };
        let world = Point::new(120.5, -33.0);
        assert!(close(viewport.to_world(viewport.to_screen(world)), world));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        // The world point under the cursor stays there after zooming in and out.
        let viewport = Viewport {
            x: 10.0,
            y: 20.0,
            scale: 1.0,
        };
        let cursor = Point::new(300.0, 200.0);
        let before = viewport.to_world(cursor);
        for factor in [1.25, 0.5, 10.0, 0.01] {
            let zoomed = viewport.zoom_at(cursor, factor);
            assert!(close(zoomed.to_world(cursor), before), "factor {factor}");
            assert!((MIN_SCALE..=MAX_SCALE).contains(&zoomed.scale));
        }
    }

    #[test]
    fn fit_shows_the_whole_design_centred() {
        // A wide design is scaled down to fit and centred; a small one stays at 100%.
        let content = Rect {
            x: 100.0,
            y: 50.0,
            width: 2000.0,
            height: 400.0,
        };
        let viewport = Viewport::fit(content, 1000.0, 600.0, 20.0);
        let top_left = viewport.to_screen(Point::new(content.x, content.y));
        let bottom_right = viewport.to_screen(Point::new(
            content.x + content.width,
            content.y + content.height,
        ));
        assert!(top_left.x >= 19.9 && bottom_right.x <= 980.1);
        assert!(close(
            viewport.to_screen(content.center()),
            Point::new(500.0, 300.0)
        ));
        let small = Viewport::fit(
            Rect {
                x: 0.0,
                y: 0.0,
                width: 100.0,
                height: 50.0,
            },
            1000.0,
            600.0,
            20.0,
        );
        assert_eq!(small.scale, 1.0);
    }

    #[test]
    fn hit_testing_finds_the_topmost_box() {
        // Overlapping boxes: the one drawn last wins; outside every box there is no hit.
        let boxes = vec![
            (
                "a",
                Rect {
                    x: 0.0,
                    y: 0.0,
                    width: 100.0,
                    height: 100.0,
                },
            ),
            (
                "b",
                Rect {
                    x: 50.0,
                    y: 50.0,
                    width: 100.0,
                    height: 100.0,
                },
            ),
        ];
        assert_eq!(hit(&boxes, Point::new(60.0, 60.0)), Some(&"b"));
        assert_eq!(hit(&boxes, Point::new(10.0, 10.0)), Some(&"a"));
        assert_eq!(hit(&boxes, Point::new(200.0, 10.0)), None);
    }

    #[test]
    fn rubber_band_selects_what_it_touches() {
        // A band drawn in either direction is the same rectangle and intersects what it covers.
        let band = Rect::from_corners(Point::new(200.0, 200.0), Point::new(0.0, 0.0));
        assert_eq!(
            band,
            Rect {
                x: 0.0,
                y: 0.0,
                width: 200.0,
                height: 200.0
            }
        );
        assert!(band.intersects(&node_rect(Position { x: 150, y: 150 })));
        assert!(!band.intersects(&node_rect(Position { x: 201, y: 0 })));
    }

    #[test]
    fn snapping_rounds_to_the_grid() {
        // Positions snap to the nearest grid line, negative ones too.
        assert_eq!(snap(0.0), 0);
        assert_eq!(snap(11.9), 0);
        assert_eq!(snap(12.1), 24);
        assert_eq!(snap(-13.0), -24);
        assert_eq!(snap(f64::MAX), 100_000_000);
    }

    #[test]
    fn edges_start_and_end_on_the_boxes() {
        // Edge ends lie on the boxes' borders, and the two directions bow apart.
        let a = node_rect(Position { x: 0, y: 0 });
        let b = node_rect(Position { x: 400, y: 0 });
        let point = boundary_point(&a, b.center());
        assert!(close(point, Point::new(NODE_WIDTH, NODE_HEIGHT / 2.0)));
        let (_, there) = edge_path(&a, &b, 30.0);
        let (_, back) = edge_path(&b, &a, 30.0);
        assert!((there.y - back.y).abs() > 20.0);
        assert!(close(boundary_point(&a, a.center()), a.center()));
    }
}
