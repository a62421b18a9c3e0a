//! The canvas component: draws service groups, edges and nodes in one SVG world layer under
//! the viewport transform, and turns pointer events into gestures (pan, drag, connect, rubber
//! band, zoom). All the arithmetic is in `geometry` and `interaction`; this file only wires.

use std::collections::BTreeMap;

use eventlab_core::design::{Design, Position};
use leptos::prelude::*;

use super::connect::connect;
use super::edges::{derive_edges, Edge};
use super::geometry::{bounds, edge_path, loop_path, node_rect, Point, Rect, Viewport};
use super::interaction::{
    self, drag_moves, dragged, handle_center, in_band, panned, Gesture, Target,
};
use super::layout::positions;
use super::node_view::NodeView;
use crate::state::editor::use_editor;
use crate::state::session::use_session;

#[component]
pub fn Canvas() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let edges = Memo::new(move |_| design.with(derive_edges));
    let placed = Memo::new(move |_| design.with(|d| edges.with(|e| positions(d, e))));
    let gesture = RwSignal::new(Gesture::Idle);
    let drawn = Memo::new(move |_| {
        gesture.with(|g| match g {
            Gesture::Drag {
                ids,
                offset,
                moved: true,
                ..
            } => placed.with(|p| dragged(p, ids, *offset)),
            _ => placed.get(),
        })
    });
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let local = move |x: i32, y: i32| -> Point {
        svg_ref
            .get_untracked()
            .map(|svg| {
                let rect = svg.get_bounding_client_rect();
                Point::new(f64::from(x) - rect.left(), f64::from(y) - rect.top())
            })
            .unwrap_or_default()
    };
    fit_on_request(svg_ref, placed);

    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let screen = local(ev.client_x(), ev.client_y());
        let viewport = session.viewport.get_untracked();
        let world = viewport.to_world(screen);
        let next = match drawn.with_untracked(|p| interaction::target_at(p, world)) {
            Target::Handle(from) => Gesture::Connect { from, to: world },
            Target::Node(id) => {
                if ev.shift_key() {
                    session
                        .selection
                        .update(|s| match s.iter().position(|x| *x == id) {
                            Some(i) => {
                                s.remove(i);
                            }
                            None => s.push(id.clone()),
                        });
                } else if !session.is_selected(&id) {
                    session.select_only(&id);
                }
                let ids = session.selection.get_untracked();
                Gesture::Drag {
                    start: world,
                    ids,
                    offset: Point::default(),
                    moved: false,
                }
            }
            Target::Background if ev.shift_key() => Gesture::Band {
                start: world,
                end: world,
            },
            Target::Background => Gesture::Pan {
                start: screen,
                origin: viewport,
                moved: false,
            },
        };
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
        gesture.set(next);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if gesture.with_untracked(|g| *g == Gesture::Idle) {
            return;
        }
        let screen = local(ev.client_x(), ev.client_y());
        let world = session.viewport.get_untracked().to_world(screen);
        let next = gesture.with_untracked(|g| interaction::update(g, screen, world));
        if let Gesture::Pan {
            start,
            origin,
            moved: true,
        } = &next
        {
            session.viewport.set(panned(*origin, *start, screen));
        }
        gesture.set(next);
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        let finished = gesture.get_untracked();
        gesture.set(Gesture::Idle);
        let world = session
            .viewport
            .get_untracked()
            .to_world(local(ev.client_x(), ev.client_y()));
        match finished {
            Gesture::Drag {
                ids,
                offset,
                moved: true,
                ..
            } => {
                let moves = design.with_untracked(|d| {
                    placed.with_untracked(|p| drag_moves(p, &d.layout, &ids, offset))
                });
                editor.move_nodes(moves);
            }
            Gesture::Connect { from, .. } => {
                let Some(to) = drawn.with_untracked(|p| interaction::node_at(p, world)) else {
                    return;
                };
                if to == from {
                    return;
                }
                match design.with_untracked(|d| connect(d, &from, &to)) {
                    Ok(change) => {
                        if let Err(error) = editor.apply(change) {
                            session.warn(error);
                        }
                    }
                    Err(reason) => session.warn(reason),
                }
            }
            Gesture::Band { start, end } => {
                let band = Rect::from_corners(start, end);
                session
                    .selection
                    .set(drawn.with_untracked(|p| in_band(p, band)));
            }
            Gesture::Pan { moved: false, .. } => session.selection.set(Vec::new()),
            _ => {}
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let screen = local(ev.client_x(), ev.client_y());
        let factor = (-ev.delta_y() * 0.0015).exp();
        session.viewport.update(|v| *v = v.zoom_at(screen, factor));
    };

    let node_ids = Memo::new(move |_| {
        design.with(|d| d.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    });
    let node_problems = Memo::new(move |_| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        editor.diagnostics().with(|list| {
            for d in list {
                if let Some(node) = &d.node {
                    *counts.entry(node.clone()).or_default() += 1;
                }
            }
        });
        counts
    });
    let is_empty = move || node_ids.with(Vec::is_empty);

    view! {
        <main class="region canvas" data-region="canvas" aria-label="Design canvas">
            <svg
                class="canvas-svg"
                class:panning=move || matches!(gesture.get(), Gesture::Pan { moved: true, .. })
                node_ref=svg_ref
                role="group"
                aria-label="Diagram"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=move |_| gesture.set(Gesture::Idle)
                on:wheel=on_wheel
            >
                <defs>
                    <pattern
                        id="grid"
                        width="24"
                        height="24"
                        patternUnits="userSpaceOnUse"
                        patternTransform=move || session.viewport.with(Viewport::transform)
                    >
                        <circle cx="1" cy="1" r="1.2" class="grid-dot" />
                    </pattern>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                    </marker>
                </defs>
                <rect class="canvas-background" width="100%" height="100%" fill="url(#grid)" />
                <g class="world" transform=move || session.viewport.with(Viewport::transform)>
                    <ServiceGroups design=design drawn=drawn />
                    <g class="edges">
                        {move || edges.with(|list| drawn.with(|p| render_edges(list, p)))}
                    </g>
                    <For each=move || node_ids.get() key=|id| id.clone() let(id)>
                        {
                            let node = Memo::new({
                                let id = id.clone();
                                move |_| design.with(|d| d.nodes.iter().find(|n| n.id == id).cloned())
                            });
                            let position = Memo::new({
                                let id = id.clone();
                                move |_| drawn.with(|p| p.get(&id).copied().unwrap_or_default())
                            });
                            let selected = Signal::derive({
                                let id = id.clone();
                                move || session.is_selected(&id)
                            });
                            let problems = Signal::derive({
                                let id = id.clone();
                                move || node_problems.with(|c| c.get(&id).copied().unwrap_or(0))
                            });
                            let service_index = Signal::derive(move || {
                                node.with(|n| n.as_ref().and_then(|n| n.service.clone())).and_then(|service| {
                                    design.with(|d| d.services.iter().position(|s| s.id == service))
                                })
                            });
                            let on_select = Callback::new({
                                let id = id.clone();
                                move |()| session.select_only(&id)
                            });
                            view! {
                                <NodeView
                                    node=node
                                    position=position
                                    selected=selected
                                    problems=problems
                                    service_index=service_index
                                    on_select=on_select
                                />
                            }
                        }
                    </For>
                    {move || gesture.with(|g| overlay(g, &drawn.get()))}
                </g>
            </svg>
            // The run at the playhead, in an SVG of its own over the design's: it changes at
            // every step of playback and the design does not, so the design is painted once
            // instead of at every step.
            <svg class="canvas-run" aria-hidden="true">
                <g transform=move || session.viewport.with(Viewport::transform)>
                    <crate::run::overlay::RunOverlay drawn=drawn />
                </g>
            </svg>
            <CanvasToolbar placed=placed />
            <Show when=is_empty>
                <div class="empty-state">
                    <p class="empty-title">"An empty design"</p>
                    <p class="empty-hint">
                        "Add nodes from the palette, or open an example design."
                    </p>
                </div>
            </Show>
        </main>
    }
}

/// The height of the canvas toolbar with its gap (static/app.css, `.canvas-toolbar`).
const TOOLBAR_ROOM: f64 = 56.0;

/// Fits the drawing to the view whenever the session asks (and once the SVG exists).
fn fit_on_request(svg_ref: NodeRef<leptos::svg::Svg>, placed: Memo<BTreeMap<String, Position>>) {
    let session = use_session();
    let last_fit = StoredValue::new(None::<Viewport>);
    refit_on_resize(svg_ref, last_fit);
    Effect::new(move |_| {
        session.fit_request.track();
        let Some(svg) = svg_ref.get() else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        let boxes: Vec<Rect> =
            placed.with_untracked(|p| p.values().map(|p| node_rect(*p)).collect());
        // The view toolbar floats over the bottom of the canvas: fit above it, so no node is
        // drawn under its buttons.
        let height = (rect.height() - TOOLBAR_ROOM).max(rect.height() / 2.0);
        let viewport = match bounds(&boxes) {
            Some(content) => Viewport::fit(content.inflate(48.0), rect.width(), height, 16.0),
            None => Viewport::default(),
        };
        last_fit.set_value(Some(viewport));
        session.viewport.set(viewport);
    });
}

/// Fits again when the canvas changes size (a run's panels opening below it, the window
/// resized) while the view is still the one the last fit made; a view the person moved or
/// zoomed stays as they left it.
fn refit_on_resize(svg_ref: NodeRef<leptos::svg::Svg>, last_fit: StoredValue<Option<Viewport>>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let session = use_session();
    Effect::new(move |_| {
        let Some(svg) = svg_ref.get() else {
            return;
        };
        let refit = Closure::<dyn FnMut()>::new(move || {
            if last_fit.get_value() == Some(session.viewport.get_untracked()) {
                session.request_fit();
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(refit.as_ref().unchecked_ref()) {
            observer.observe(&svg);
            // The canvas lives as long as the page: so do its observer and callback.
            std::mem::forget(observer);
            refit.forget();
        }
    });
}

fn render_edges(edges: &[Edge], positions: &BTreeMap<String, Position>) -> impl IntoView {
    edges
        .iter()
        .filter_map(|edge| {
            let from = node_rect(*positions.get(&edge.from)?);
            let to = node_rect(*positions.get(&edge.to)?);
            let both_ways = edges.iter().any(|e| e.from == edge.to && e.to == edge.from);
            let (path, label) = if edge.from == edge.to {
                loop_path(&from)
            } else {
                edge_path(&from, &to, if both_ways { 36.0 } else { 0.0 })
            };
            Some(view! {
                <g class=format!("edge {}", edge.kind.class())>
                    <title>{edge.title.clone()}</title>
                    <path class="edge-line" d=path marker-end="url(#arrow)" />
                    <text class="edge-label" x=format!("{:.1}", label.x) y=format!("{:.1}", label.y)>
                        {edge.label.clone()}
                    </text>
                </g>
            })
        })
        .collect_view()
}

/// What a gesture draws over the diagram: the connection being dragged, the rubber band.
fn overlay(gesture: &Gesture, positions: &BTreeMap<String, Position>) -> impl IntoView {
    match gesture {
        Gesture::Connect { from, to } => positions.get(from).map(|p| {
            let start = handle_center(*p);
            view! {
                <path
                    class="connect-preview"
                    d=format!("M {:.1} {:.1} L {:.1} {:.1}", start.x, start.y, to.x, to.y)
                    marker-end="url(#arrow)"
                />
            }
            .into_any()
        }),
        Gesture::Band { start, end } => {
            let band = Rect::from_corners(*start, *end);
            Some(
                view! {
                    <rect class="rubber-band" x=band.x y=band.y width=band.width height=band.height />
                }
                .into_any(),
            )
        }
        _ => None,
    }
}

/// A soft box behind the nodes of each service, labelled with its name.
#[component]
fn ServiceGroups(design: Signal<Design>, drawn: Memo<BTreeMap<String, Position>>) -> impl IntoView {
    let groups = Memo::new(move |_| {
        design.with(|d| {
            drawn.with(|p| {
                d.services
                    .iter()
                    .enumerate()
                    .filter_map(|(index, service)| {
                        let boxes: Vec<Rect> = d
                            .nodes
                            .iter()
                            .filter(|n| n.service.as_deref() == Some(service.id.as_str()))
                            .filter_map(|n| p.get(&n.id).map(|p| node_rect(*p)))
                            .collect();
                        let area = bounds(&boxes)?.inflate(18.0);
                        let name = if service.name.is_empty() {
                            service.id.clone()
                        } else {
                            service.name.clone()
                        };
                        Some((index, name, area))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <g class="service-groups">
            {move || {
                groups
                    .get()
                    .into_iter()
                    .map(|(index, name, area)| {
                        view! {
                            <g class=format!("service-group service-{}", index % 8)>
                                <rect
                                    x=area.x
                                    y=area.y - 26.0
                                    width=area.width
                                    height=area.height + 26.0
                                    rx="16"
                                />
                                <text x=area.x + 14.0 y=area.y - 7.0>{name}</text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </g>
    }
}

/// Zoom and fit buttons over the canvas.
#[component]
fn CanvasToolbar(placed: Memo<BTreeMap<String, Position>>) -> impl IntoView {
    let session = use_session();
    let editor = use_editor();
    let zoom = move |factor: f64| {
        session
            .viewport
            .update(|v| *v = v.zoom_at(Point::new(400.0, 300.0), factor));
    };
    let tidy = move |_| {
        let moves = placed.with_untracked(|p| {
            p.keys()
                .map(|id| eventlab_core::design::change::NodeMove {
                    id: id.clone(),
                    to: None,
                })
                .collect()
        });
        editor.move_nodes(moves);
        session.request_fit();
    };
    view! {
        <div class="canvas-toolbar" role="toolbar" aria-label="Canvas view">
            <button class="button small" aria-label="Zoom out" on:click=move |_| zoom(0.8)>"−"</button>
            <span class="zoom-level" aria-live="polite">
                {move || format!("{:.0}%", session.viewport.with(|v| v.scale) * 100.0)}
            </span>
            <button class="button small" aria-label="Zoom in" on:click=move |_| zoom(1.25)>"+"</button>
            <button class="button small" on:click=move |_| session.request_fit()>"Fit"</button>
            <button class="button small" title="Lay every node out automatically" on:click=tidy>
                "Tidy up"
            </button>
            <button
                class="button small"
                title="Hide the left panel so the design is drawn larger (Fit again after)"
                aria-pressed=move || if session.wide_canvas.get() { "true" } else { "false" }
                on:click=move |_| {
                    session.wide_canvas.update(|wide| *wide = !*wide);
                    // Fit once the grid has re-laid the page, so the new width is measured.
                    request_animation_frame(move || session.request_fit());
                }
            >
                {move || if session.wide_canvas.get() { "Show panel" } else { "Wide canvas" }}
            </button>
        </div>
    }
}
