//! eventlab-core: the pure heart of EventLab.
//!
//! Owns the engines (DynamoDB-style tables, EventBridge patterns, CloudEvents, Amazon States
//! Language) and, on top of them, the design document and the deterministic simulator.
//!
//! It must never depend on a web or UI crate, read a clock, read an OS random source, or let
//! iteration order of a hash map decide anything: a run is a pure function of its inputs, the
//! same natively and in wasm (see ARCHITECTURE.md, "Invariants").

pub mod asl;
pub mod check;
pub mod cloudevent;
pub mod design;
pub mod dynamo;
pub mod exercise;
pub mod export;
pub mod html;
pub mod lint;
pub mod pattern;
pub mod share;
pub mod sim;

/// The version of this core, carried in share links and run outputs.
pub const CORE_VERSION: &str = env!("CARGO_PKG_VERSION");
