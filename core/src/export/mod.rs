//! Exports: a design turned into the files an engineer starts building from: TypeScript Lambda
//! handlers (`ts`), an AWS CDK v2 app (`cdk`), Amazon States Language definitions (`asl`),
//! EventBridge rule patterns (`rules`), JSON Schemas of event data (`schemas`) and an AsyncAPI
//! 3.0 document (`asyncapi`).
//!
//! Each export is a pure function from the design to a list of files (a relative path and its
//! text); writing them is the caller's business. Exports never fail and never panic: a part of
//! the design that cannot be exported (a reference to a missing node) is left out, and
//! validation is where it is reported. Output is deterministic: lists follow document order
//! and JSON objects are written with sorted keys.

mod asl;
mod asyncapi;
mod cdk;
mod names;
mod rules;
mod schemas;
mod typescript;
mod typescript_steps;

use crate::design::Design;

/// One exported file: a path relative to the output folder, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub text: String,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTarget {
    TypeScript,
    Cdk,
    Asl,
    Rules,
    Schemas,
    AsyncApi,
}

impl ExportTarget {
    /// Every target, in the order `--to` lists them.
    pub const ALL: [ExportTarget; 6] = [
        ExportTarget::TypeScript,
        ExportTarget::Cdk,
        ExportTarget::Asl,
        ExportTarget::Rules,
        ExportTarget::Schemas,
        ExportTarget::AsyncApi,
    ];

    /// The target's name on the command line (`ts`, `cdk`, `asl`, `rules`, `schemas`,
    /// `asyncapi`).
    pub fn name(self) -> &'static str {
        match self {
            ExportTarget::TypeScript => "ts",
            ExportTarget::Cdk => "cdk",
            ExportTarget::Asl => "asl",
            ExportTarget::Rules => "rules",
            ExportTarget::Schemas => "schemas",
            ExportTarget::AsyncApi => "asyncapi",
        }
    }

    /// The target with this command-line name.
    pub fn from_name(name: &str) -> Option<ExportTarget> {
        ExportTarget::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The exported TypeScript handler of the function `id` (what `eventlab export --to ts` writes
/// for it), or `None` when the design has no such function. The editor shows it beside the
/// function's steps.
pub fn handler_source(design: &Design, id: &str) -> Option<String> {
    let path = format!("handlers/{}.ts", names::file_name(id));
    typescript::export(design)
        .into_iter()
        .find(|file| file.path == path)
        .map(|file| file.text)
}

/// The files of one export of a design.
pub fn export(design: &Design, target: ExportTarget) -> Vec<ExportFile> {
    match target {
        ExportTarget::TypeScript => typescript::export(design),
        ExportTarget::Cdk => cdk::export(design),
        ExportTarget::Asl => asl::export(design),
        ExportTarget::Rules => rules::export(design),
        ExportTarget::Schemas => schemas::export(design),
        ExportTarget::AsyncApi => asyncapi::export(design),
    }
}

/// A JSON value as pretty text with a final newline (keys sorted: serde_json's default map).
fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
