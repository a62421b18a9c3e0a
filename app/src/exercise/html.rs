//! The exercise list's cards and the checklist's lines as HTML text, set with `inner_html`,
//! their buttons found by one delegated click handler (`clicked`). Decision: the page bundle is
//! at its gzip budget, and in Leptos every element and attribute of a view adds its own code;
//! building these repeated, read-only blocks as text costs a fraction of that. Everything put
//! into the text is escaped here, so no exercise title or check explanation can become markup.
//!
//! Pure functions (no DOM except `clicked`), tested natively.

use super::catalog::{CheckLine, ExerciseEntry};
use super::model::{CheckSummaryView, Mark};
use super::progress::Stage;

pub use eventlab_core::html::escape;

/// One card of the exercise list; its button carries `data-exercise` with the id.
pub fn card(entry: &ExerciseEntry, stage: Stage, current: bool) -> String {
    let title = escape(&entry.title);
    format!(
        r#"<li aria-label="{title}"><button class="exercise-card{current}" data-exercise="{id}"><span class="exercise-number" aria-hidden="true">{order}</span><span class="exercise-words"><span class="exercise-title">{title}</span><span class="exercise-topic">{topic}</span></span><span class="stage {class}">{words}</span></button></li>"#,
        current = if current { " current" } else { "" },
        id = escape(&entry.id),
        order = entry.order,
        topic = escape(&entry.topic),
        class = stage.class(),
        words = stage.words(),
    )
}

/// One checklist line: its mark, its words, and, when it did not hold, on how many seeds, why,
/// the smallest failing case, and a button (`data-seed`) that opens the failing seed's run.
pub fn checklist_line(line: &CheckLine, summary: Option<&CheckSummaryView>, stale: bool) -> String {
    let mark = summary.map_or(Mark::Open, CheckSummaryView::mark);
    let words = escape(&line.words);
    let about = if line.about {
        r#"<span class="checklist-about"> (the brief's goal)</span>"#
    } else {
        ""
    };
    let failure = summary
        .filter(|s| s.status != "passed")
        .map(failure)
        .unwrap_or_default();
    format!(
        r#"<li class="checklist-line {class}{stale}" aria-label="{words}" data-mark="{class}"><span class="checklist-mark" aria-hidden="true">{symbol}</span><div class="checklist-words"><span>{words}</span>{about}{failure}</div></li>"#,
        class = mark.class(),
        stale = if stale { " stale" } else { "" },
        symbol = mark.symbol(),
    )
}

fn failure(summary: &CheckSummaryView) -> String {
    let mut out = format!(
        r#"<p class="checklist-seeds">{}</p>"#,
        escape(&summary.seeds_text())
    );
    if let Some(text) = &summary.explanation {
        let text = escape(text);
        out.push_str(&format!(
            r#"<p class="checklist-explanation" title="{text}">{text}</p>"#
        ));
    }
    if let Some(text) = &summary.smallest {
        out.push_str(&format!(
            r#"<details class="checklist-smallest"><summary>Smallest failing case</summary><p>{}</p></details>"#,
            escape(text)
        ));
    }
    // A lint check fails on the design itself: no run shows it better than its explanation.
    if let Some(seed) = summary.first_failing_seed.filter(|_| !summary.on_design()) {
        out.push_str(&format!(
            r#"<button class="button small" data-seed="{seed}">Open seed {seed}'s run</button>"#
        ));
    }
    out
}

/// The value of `attribute` on the element a click landed in (or its nearest ancestor that
/// has it), for the delegated handlers.
pub fn clicked(event: &leptos::ev::MouseEvent, attribute: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    target
        .closest(&format!("[{attribute}]"))
        .ok()??
        .get_attribute(attribute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(status: &str, kind: &str) -> CheckSummaryView {
        CheckSummaryView {
            check: "charged-once".into(),
            kind: kind.into(),
            status: status.into(),
            runs: 10,
            passed: 0,
            failed: 10,
            undecided: 0,
            first_failing_seed: Some(3),
            explanation: Some("acted twice for key <o-3> & \"more\"".into()),
            smallest: None,
        }
    }

    fn check(got: String, expected: &[&str], absent: &[&str]) {
        for part in expected {
            assert!(got.contains(part), "{part} in {got}");
        }
        for part in absent {
            assert!(!got.contains(part), "{part} not in {got}");
        }
    }

    #[test]
    fn text_never_becomes_markup() {
        // Titles and explanations are escaped in text and in attributes alike.
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let line = CheckLine {
            id: "charged-once".into(),
            words: "no order is <b>charged</b> twice".into(),
            about: true,
        };
        check(
            checklist_line(&line, Some(&summary("failed", "exactlyOnce")), false),
            &[
                "aria-label=\"no order is &lt;b&gt;charged&lt;/b&gt; twice\"",
                "acted twice for key &lt;o-3&gt; &amp; &quot;more&quot;",
                "failed on 10 of 10 seeds",
                "data-seed=\"3\"",
                "data-mark=\"mark-failed\"",
            ],
            &["<b>", "<o-3>"],
        );
    }

    #[test]
    fn lines_show_what_the_verdict_says() {
        // A passed line has no failure; a lint failure has no seed to open; an unchecked line
        // is open.
        let line = CheckLine {
            id: "lean-events".into(),
            words: "every event carries only data its source owns".into(),
            about: false,
        };
        check(
            checklist_line(&line, Some(&summary("passed", "exactlyOnce")), true),
            &["mark-passed stale", "✓"],
            &["checklist-seeds", "data-seed"],
        );
        check(
            checklist_line(&line, Some(&summary("failed", "lint")), false),
            &["the design breaks the rule"],
            &["data-seed"],
        );
        check(
            checklist_line(&line, None, false),
            &["mark-open", "☐"],
            &["checklist-about"],
        );
    }
}
