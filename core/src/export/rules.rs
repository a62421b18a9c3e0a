//! `rules`: each EventBridge rule's event pattern as the JSON `PutRule` takes, one file per rule
//! (`rules/<bus>/<rule>.json`).

use crate::design::{Design, NodeKind};

use super::names::file_name;
use super::{json_text, ExportFile};

pub fn export(design: &Design) -> Vec<ExportFile> {
    let mut files = Vec::new();
    for node in &design.nodes {
        let NodeKind::Bus(bus) = &node.kind else {
            continue;
        };
        for rule in &bus.rules {
            files.push(ExportFile {
                path: format!("rules/{}/{}.json", file_name(&node.id), file_name(&rule.id)),
                text: json_text(&rule.pattern),
            });
        }
    }
    files
}
