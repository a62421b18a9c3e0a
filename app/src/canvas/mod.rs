//! The canvas: the design drawn in SVG. Pure parts (tested natively): `geometry` (viewport,
//! hit-testing, snapping, edge paths), `edges` (derived from the document), `layout`
//! (positions, automatic layered layout), `connect` (the link an arrow means),
//! `interaction` (what a pointer gesture does). Components: `view` (the canvas and its
//! pointer handling), `node_view`; `export` makes SVG and PNG pictures.

pub mod connect;
pub mod edges;
pub mod export;
pub mod geometry;
pub mod interaction;
pub mod layout;
pub mod node_view;
pub mod view;
