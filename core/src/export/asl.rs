//! `asl`: each state machine's definition as Amazon States Language JSON, one file per state
//! machine (`state-machines/<id>.asl.json`), exactly as the design holds it.

use crate::design::{Design, NodeKind};

use super::names::file_name;
use super::{json_text, ExportFile};

pub fn export(design: &Design) -> Vec<ExportFile> {
    design
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::StateMachine(machine) => Some(ExportFile {
                path: format!("state-machines/{}.asl.json", file_name(&node.id)),
                text: json_text(&machine.definition),
            }),
            _ => None,
        })
        .collect()
}
