//! The app's state: the design with its undo history behind one command layer (`editor`),
//! the session (selection, viewport, notices; `session`), persistence in localStorage and
//! share links (`persistence`), live validation through the worker (`validation`), the
//! embedded example designs (`examples`), and pure helpers (`history`, `templates`).

pub mod editor;
pub mod examples;
pub mod history;
pub mod persistence;
pub mod session;
pub mod templates;
pub mod validation;
