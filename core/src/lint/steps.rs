//! Walking handler programs for lint rules: every step with its label (as the trace writes it,
//! `s2`, `s3.then.1`) and its place in the document (`nodes/f/steps/3/then/1`).

use crate::design::{Design, NodeKind, Step};

/// One step of one function, with where it is.
pub struct PlacedStep<'a> {
    pub function: &'a str,
    pub step: &'a Step,
    pub label: String,
    pub location: String,
}

/// Every step of every function, in document order, nested branches after their `if`.
pub fn all_steps(design: &Design) -> Vec<PlacedStep<'_>> {
    let mut placed = Vec::new();
    for node in &design.nodes {
        if let NodeKind::Function(function) = &node.kind {
            let location = format!("nodes/{}/steps", node.id);
            walk(&node.id, &function.steps, "s", &location, &mut placed);
        }
    }
    placed
}

fn walk<'a>(
    function: &'a str,
    steps: &'a [Step],
    label_prefix: &str,
    location_prefix: &str,
    out: &mut Vec<PlacedStep<'a>>,
) {
    for (index, step) in steps.iter().enumerate() {
        let number = index + 1;
        let label = format!("{label_prefix}{number}");
        let location = format!("{location_prefix}/{number}");
        out.push(PlacedStep {
            function,
            step,
            label: label.clone(),
            location: location.clone(),
        });
        if let Step::If(decision) = step {
            walk(
                function,
                &decision.then,
                &format!("{label}.then."),
                &format!("{location}/then"),
                out,
            );
            walk(
                function,
                &decision.otherwise,
                &format!("{label}.else."),
                &format!("{location}/else"),
                out,
            );
        }
    }
}
