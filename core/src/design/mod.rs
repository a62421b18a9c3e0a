//! The design document: its types (`document`, `step`, `scenario`), tolerant loading with
//! migrations (`load`), and validation into diagnostics (`validate`, `diagnostic`).
//!
//! The document is the only thing EventLab saves or shares. Its format is described for people
//! in docs/design-format.md; ids are stable strings and no graph index ever leaves core.

pub mod change;
pub mod conditions;
mod cycles;
pub mod diagnostic;
pub mod document;
pub mod load;
mod machines;
pub mod scenario;
pub mod step;
mod tagged;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use document::*;
pub use load::{
    load_text, load_value, read_canonical, read_canonical_value, to_canonical_json, LoadError,
    Loaded,
};
pub use scenario::{Bounds, Faults, Scenario, ScriptedFault};
pub use step::*;
pub use validate::validate;
