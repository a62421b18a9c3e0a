//! Core's comparison table as HTML for the page, which sets it into the Before/after and
//! Compare tabs as it is. Decision: the page bundle is held to its 500 KB budget, and the
//! table, the first difference and their states drawn by page components cost about 11 KB
//! gzipped there; as HTML shaped here the page needs one view per tab. The exercises' texts
//! reach the page the same way (rendered in `build.rs`).
//!
//! Everything from a design (names, ids, descriptions, explanations, trace lines) is escaped:
//! a shared design must never put markup into the page.

use std::fmt::Write;

use eventlab_core::check::compare::{Cell, Comparison, Divergence, Row, RowKind, TraceLine};

pub use eventlab_core::html::escape;

/// The seed and faults the runs had (or a warning that they differ; with `rerun_advice`, how
/// to compare like with like), then the table, labelled `label` for assistive tech.
pub fn table(comparison: &Comparison, label: &str, rerun_advice: bool) -> String {
    let mut html = plan_note(comparison, rerun_advice);
    let columns = &comparison.columns;
    let _ = write!(
        html,
        r#"<table class="compare-table" aria-label="{}"><thead><tr><th scope="col" class="compare-corner"></th>"#,
        escape(label)
    );
    for column in columns {
        let _ = write!(
            html,
            r#"<th scope="col"><span class="compare-label">{}</span><span class="compare-design">{}</span></th>"#,
            escape(&column.label),
            escape(&column.design)
        );
    }
    html.push_str("</tr></thead><tbody>");
    for (kind, title) in [
        (RowKind::Property, "Properties"),
        (RowKind::Count, "Counts"),
    ] {
        let rows: Vec<&Row> = comparison.rows.iter().filter(|r| r.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            html,
            r#"<tr class="compare-section"><th scope="colgroup" colspan="{}">{title}</th></tr>"#,
            columns.len() + 1
        );
        for row in rows {
            row_html(&mut html, row);
        }
    }
    html.push_str("</tbody></table>");
    html
}

fn plan_note(comparison: &Comparison, rerun_advice: bool) -> String {
    let plans: Vec<&str> = comparison.columns.iter().map(|c| c.plan.as_str()).collect();
    match plans.split_first() {
        None => String::new(),
        Some((first, rest)) if rest.iter().all(|p| p == first) => {
            let who = match plans.len() {
                1 => "Ran",
                2 => "Both ran",
                _ => "All ran",
            };
            format!(
                r#"<p class="compare-plan">{who} with {}.</p>"#,
                escape(first)
            )
        }
        Some(_) => {
            let each: Vec<String> = comparison
                .columns
                .iter()
                .map(|c| format!("{}: {}", escape(&c.label), escape(&c.plan)))
                .collect();
            let advice = if rerun_advice {
                " Re-run with the pinned seed and faults to compare like with like."
            } else {
                ""
            };
            format!(
                r#"<p class="compare-plan warn">The runs had different seeds or faults ({}).{advice}</p>"#,
                each.join(" · ")
            )
        }
    }
}

fn row_html(html: &mut String, row: &Row) {
    let changed = if row.differs {
        r#" class="changed""#
    } else {
        ""
    };
    let _ = write!(
        html,
        r#"<tr{changed}><th scope="row"><span class="compare-name">{}</span>"#,
        escape(&row.name)
    );
    if let Some(description) = &row.description {
        let _ = write!(
            html,
            r#"<span class="compare-description">{}</span>"#,
            escape(description)
        );
    }
    if row.differs {
        html.push_str(r#"<span class="changed-mark">differs</span>"#);
    }
    html.push_str("</th>");
    for cell in &row.cells {
        cell_html(html, cell.as_ref());
    }
    html.push_str("</tr>");
}

fn cell_html(html: &mut String, cell: Option<&Cell>) {
    let Some(cell) = cell else {
        html.push_str(r#"<td class="compare-cell" title="this design has no such check">—</td>"#);
        return;
    };
    let (class, value) = match (cell.status, cell.value) {
        (Some(status), _) => {
            let badge = match status.name() {
                "passed" => "✓ pass",
                "failed" => "✗ fail",
                _ => "? undecided",
            };
            (format!(" status-{}", status.name()), badge.to_string())
        }
        (None, Some(value)) => (String::new(), value.to_string()),
        (None, None) => (String::new(), String::new()),
    };
    let _ = write!(
        html,
        r#"<td class="compare-cell{class}"><span class="compare-value">{value}</span>"#
    );
    if let Some(explanation) = &cell.explanation {
        let _ = write!(
            html,
            r#"<span class="compare-explanation">{}</span>"#,
            escape(explanation)
        );
    }
    html.push_str("</td>");
}

/// The events around the first difference, before and after, side by side, under a button
/// that moves the playhead there (`data-seq`: the page handles the click).
pub fn divergence(divergence: &Divergence) -> String {
    let Some(seq) = divergence.seq else {
        return r#"<p class="compare-divergence">The two traces are identical.</p>"#.to_string();
    };
    let mut html = format!(
        r#"<section class="compare-divergence" aria-label="First difference"><div class="compare-bar"><h3>The traces first differ at #{seq}</h3><button class="button small" data-seq="{seq}">Show #{seq} in the event log</button></div><div class="divergence-sides">"#
    );
    for (label, lines) in [("Before", &divergence.before), ("After", &divergence.after)] {
        let _ = write!(
            html,
            r#"<div class="divergence-side"><h4>{label}</h4><ol class="divergence-lines" aria-label="{label} around #{seq}">"#
        );
        for line in lines.iter() {
            line_html(&mut html, line);
        }
        html.push_str("</ol></div>");
    }
    html.push_str(
        r#"</div><p class="hint">Highlighted events happen only on their side.</p></section>"#,
    );
    html
}

fn line_html(html: &mut String, line: &TraceLine) {
    let class = if line.differs {
        r#" class="differs""#
    } else {
        ""
    };
    let _ = write!(html, "<li{class}>{}</li>", escape(&line.line));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_design_cannot_become_markup() {
        // A shared design named with markup must show as text, in content and attributes.
        let check = |input: &str, expected: &str| assert_eq!(escape(input), expected);
        check("plain", "plain");
        check(
            r#"<img src=x onerror="alert('x')">&"#,
            "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;",
        );
    }
}
