//! Runs side by side for the page: before/after (a pinned run and the run after a change) and
//! comparing patterns (up to three designs under the first one's seed and fault plan). The page
//! sends the designs (text, or an example's stem) and gets core's comparison table as HTML
//! (`compare_html`) with the first differing trace position, so it only sets the table in.
//!
//! It must stay a wrapper: loading, running and core's `compare`; no judgement of its own.

use eventlab_core::check::{compare, Side};
use eventlab_core::design::{load_text, Design};
use eventlab_core::sim::{simulate, Run, RunOptions};
use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::compare_html;

/// The most designs one comparison runs.
const MOST_DESIGNS: usize = 3;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompareRequest {
    /// The table's name for assistive tech.
    label: String,
    designs: Vec<Entry>,
    /// The design whose scenario (seed, faults, bounds) every design runs under; absent: each
    /// runs under its own.
    #[serde(default)]
    scenario_from: Option<usize>,
    /// Whether to find where two runs' traces first differ.
    #[serde(default)]
    divergence: bool,
}

/// One design to run: its column's label and its text, or the stem of an example.
#[derive(Deserialize)]
struct Entry {
    label: String,
    #[serde(default)]
    design: Option<String>,
    #[serde(default)]
    example: Option<String>,
}

/// Runs the designs of `request_json` and answers `{html}`: the comparison table and, for two
/// runs when asked, the events around their first difference with a button to it; or `{error}`
/// naming the design that could not be read.
#[wasm_bindgen(js_name = compareDesigns)]
pub fn compare_designs(request_json: &str) -> String {
    match comparison(request_json) {
        Ok(text) => text,
        Err(message) => crate::answer::error(&message),
    }
}

fn comparison(request_json: &str) -> Result<String, String> {
    let request: CompareRequest = serde_json::from_str(request_json)
        .map_err(|e| format!("the comparison request was not readable: {e}"))?;
    if request.designs.is_empty() || request.designs.len() > MOST_DESIGNS {
        return Err(format!("pick 1 to {MOST_DESIGNS} designs to compare"));
    }
    let mut designs = request
        .designs
        .iter()
        .map(load_entry)
        .collect::<Result<Vec<Design>, String>>()?;
    if let Some(from) = request.scenario_from {
        let scenario = designs
            .get(from)
            .map(|d| d.scenario.clone())
            .ok_or_else(|| format!("there is no design {} to take the scenario from", from + 1))?;
        for design in &mut designs {
            design.scenario = scenario.clone();
        }
    }
    let runs: Vec<Run> = designs
        .iter()
        .map(|design| simulate(design, &RunOptions::default()))
        .collect();
    let sides: Vec<Side> = request
        .designs
        .iter()
        .zip(designs.iter().zip(&runs))
        .map(|(entry, (design, run))| Side {
            label: &entry.label,
            design,
            run,
        })
        .collect();
    let comparison = compare(&sides, request.divergence);
    let mut html = compare_html::table(&comparison, &request.label, request.divergence);
    if let Some(divergence) = &comparison.divergence {
        html.push_str(&compare_html::divergence(divergence));
    }
    Ok(json!({ "html": html }).to_string())
}

fn load_entry(entry: &Entry) -> Result<Design, String> {
    let text = match (&entry.design, &entry.example) {
        (Some(text), _) => text.as_str(),
        (None, Some(stem)) => crate::examples::example_text(stem)
            .ok_or_else(|| format!("{}: there is no example {stem:?}", entry.label))?,
        (None, None) => return Err(format!("{}: no design given", entry.label)),
    };
    load_text(text)
        .map(|loaded| loaded.design)
        .map_err(|error| format!("{}: {error}", entry.label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn answer(request: Value) -> Value {
        serde_json::from_str(&compare_designs(&request.to_string())).expect("JSON")
    }

    #[test]
    fn examples_run_under_the_first_designs_scenario() {
        // Compare patterns: the page names examples by stem and asks for one scenario; every
        // column must say it ran under that seed and plan, with a row per property and count.
        let answer = answer(json!({
            "label": "Designs compared",
            "designs": [
                {"label": "Design 1", "example": "photo-aggregator"},
                {"label": "Design 2", "example": "photo-orchestrator"}],
            "scenarioFrom": 0}));
        let table = answer["html"].as_str().expect("the table");
        assert!(table.starts_with(
            r#"<p class="compare-plan">Both ran with seed 1; 10% of deliveries duplicated; deliveries delayed up to 80 ms.</p><table class="compare-table" aria-label="Designs compared">"#
        ), "{table}");
        assert!(table.contains(r#"<span class="compare-label">Design 2</span><span class="compare-design">Photo orchestrator: a Step Functions state machine</span>"#));
        // Every row has a cell per design.
        let rows = table.matches(r#"<th scope="row">"#).count();
        assert!(rows > 3);
        assert_eq!(table.matches("<td").count(), 2 * rows);
        assert!(table.contains(r#"<span class="compare-name">ready-once</span>"#));
        assert!(!table.contains("First difference"));
    }

    #[test]
    fn design_text_with_its_own_scenario_and_the_divergence() {
        // Before/after: two design texts, each under the scenario it ran with, and where the
        // traces part.
        let text = crate::examples::example_text("duplicates").expect("example");
        let fixed = crate::examples::example_text("duplicates-fixed").expect("example");
        let answer = answer(json!({
            "label": "Before and after",
            "designs": [{"label": "Before (pinned)", "design": text}, {"label": "After", "design": fixed}],
            "divergence": true}));
        let html = answer["html"].as_str().expect("the table");
        assert!(html.contains(
            r#"<td class="compare-cell status-failed"><span class="compare-value">✗ fail</span>"#
        ));
        assert!(html.contains(r#"<h3>The traces first differ at #4</h3><button class="button small" data-seq="4">Show #4 in the event log</button>"#), "{html}");
        assert!(html.contains(r#"<ol class="divergence-lines" aria-label="After around #4">"#));
        assert!(html.contains(r#"<li class="differs">#4 @49ms charge-payment step"#));
        assert!(html.ends_with("</section>"));
    }

    #[test]
    fn unreadable_requests_say_what_is_wrong() {
        // Every way the request can be wrong answers a sentence, never a panic.
        let error = |mut request: Value| {
            request["label"] = "T".into();
            answer(request)["error"].as_str().map(str::to_string)
        };
        assert_eq!(
            error(json!({"designs": []})).as_deref(),
            Some("pick 1 to 3 designs to compare")
        );
        let four = json!({"label": "x", "example": "duplicates"});
        assert!(error(json!({"designs": [four, four, four, four]})).is_some());
        assert_eq!(
            error(json!({"designs": [{"label": "Design 2", "example": "nope"}]})).as_deref(),
            Some("Design 2: there is no example \"nope\"")
        );
        assert!(error(json!({"designs": [{"label": "D", "design": "{"}]}))
            .is_some_and(|e| e.starts_with("D: ")));
        assert!(error(
            json!({"designs": [{"label": "D", "example": "duplicates"}], "scenarioFrom": 4})
        )
        .is_some());
        assert!(compare_designs("not json").contains("not readable"));
    }
}
