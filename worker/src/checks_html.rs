//! The Checks tab's list as HTML for the page, which sets it in as it is: a card per check with
//! its verdict, the explanation core wrote, the check's description from the design, the
//! faults behind a failure and a "Show where" button (`data-seq`: the page moves the playhead
//! there), then a card per check that could not be judged. Decision: drawn by page components
//! these cards cost the page's bundle about 2 KB gzipped; shaped here, the page needs one view.
//!
//! Everything from a design (ids, descriptions, explanations, fault names) is escaped: a shared
//! design must never put markup into the page.

use std::fmt::Write;

use eventlab_core::check::{CheckProblem, CheckResult, Status};
use eventlab_core::design::Design;
use eventlab_core::html::escape;

/// The cards, as `<li>` items for the page's list (no whitespace between elements, as the
/// page's own views have none).
pub fn checks(design: &Design, results: &[CheckResult], problems: &[CheckProblem]) -> String {
    let mut html = String::new();
    for result in results {
        card(&mut html, result, description(design, &result.check));
    }
    for problem in problems {
        let _ = write!(
            html,
            r#"<li class="check-card status-problem" aria-label="{id}"><span class="check-badge">✗ cannot judge</span><span class="check-id">{id}</span><p class="check-explanation">{message}</p></li>"#,
            id = escape(&problem.check),
            message = escape(&problem.message)
        );
    }
    html
}

fn card(html: &mut String, result: &CheckResult, description: Option<&str>) {
    let badge = match result.status {
        Status::Passed => "✓ pass",
        Status::Failed => "✗ fail",
        Status::Undecided => "? undecided",
    };
    let id = escape(&result.check);
    let _ = write!(
        html,
        r#"<li class="check-card status-{status}" aria-label="{id}"><div class="check-head"><span class="check-badge">{badge}</span><span class="check-id">{id}</span><span class="check-kind">{mode} {kind}</span>"#,
        status = result.status.name(),
        mode = result.mode.name(),
        kind = escape(&result.kind),
    );
    if let Some(description) = description {
        let _ = write!(
            html,
            r#"<span class="check-description">{}</span>"#,
            escape(description)
        );
    }
    if let Some(seq) = result.deciding_event {
        let _ = write!(
            html,
            r#"<button class="button small show-where" data-seq="{seq}" title="Move the playhead to trace event #{seq}">Show where (#{seq})</button>"#
        );
    }
    let _ = write!(
        html,
        r#"</div><p class="check-explanation">{}</p>"#,
        escape(&result.explanation)
    );
    if !result.faults.is_empty() {
        let _ = write!(
            html,
            r#"<p class="check-faults">Faults behind it: <code>{}</code></p>"#,
            escape(&result.faults.join(", "))
        );
    }
    html.push_str("</li>");
}

/// The check's description, as its author wrote it in the design.
fn description<'a>(design: &'a Design, id: &str) -> Option<&'a str> {
    design
        .checks
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.spec.get("description"))
        .and_then(|d| d.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventlab_core::check::Mode;

    fn result(check: &str, status: Status, deciding: Option<u32>, faults: &[&str]) -> CheckResult {
        CheckResult {
            check: check.to_string(),
            kind: "atMostOnce".to_string(),
            mode: Mode::Always,
            status,
            deciding_event: deciding,
            explanation: "charged <twice> for o-1".to_string(),
            faults: faults.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn cards_say_the_verdict_where_and_why_with_everything_escaped() {
        // The page finds a card by its check id and clicks "Show where"; a design's text must
        // never become markup.
        let design: Design = serde_json::from_value(serde_json::json!({
            "version": 1,
            "checks": [{"id": "once<b>", "kind": "atMostOnce", "description": "One <i>charge</i>"}]
        }))
        .unwrap_or_default();
        let html = checks(
            &design,
            &[
                result("once<b>", Status::Failed, Some(42), &["duplicate"]),
                result("other", Status::Passed, None, &[]),
            ],
            &[CheckProblem {
                check: "bad".to_string(),
                message: "no node \"x\"".to_string(),
            }],
        );
        assert!(html.starts_with(r#"<li class="check-card status-failed" aria-label="once&lt;b&gt;"><div class="check-head"><span class="check-badge">✗ fail</span>"#), "{html}");
        assert!(html.contains(r#"<span class="check-kind">always atMostOnce</span><span class="check-description">One &lt;i&gt;charge&lt;/i&gt;</span>"#), "{html}");
        assert!(html.contains(r#"data-seq="42" title="Move the playhead to trace event #42">Show where (#42)</button></div>"#), "{html}");
        assert!(html.contains("charged &lt;twice&gt; for o-1"), "{html}");
        assert!(
            html.contains(
                r#"<p class="check-faults">Faults behind it: <code>duplicate</code></p></li>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"<li class="check-card status-passed" aria-label="other"><div class="check-head"><span class="check-badge">✓ pass</span><span class="check-id">other</span><span class="check-kind">always atMostOnce</span></div>"#), "{html}");
        assert!(html.ends_with(r#"<span class="check-id">bad</span><p class="check-explanation">no node &quot;x&quot;</p></li>"#), "{html}");
        assert_eq!(html.matches("data-seq").count(), 1);
    }
}
