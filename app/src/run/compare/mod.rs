//! Runs side by side (issue 9): "Before/after" pins a finished run and sets the run after a
//! change beside it; "Compare" runs up to three designs under one seed and fault plan. Both
//! ask the run worker for core's comparison table, which arrives as HTML
//! (`worker/src/compare_html.rs`, escaped there), and set it in as it is.
//!
//! The pin and the tables are session state: never saved, never part of the design. A re-run
//! under the pinned scenario runs a copy of the design; the design itself is not changed.

mod before_after;
mod patterns;

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::{json, Value};

use super::bridge::Request;
use super::model::read_answer;
use super::session::{use_run, FinishedRun, PanelTab, RunSession};
use crate::state::editor::{use_editor, Editor};
pub use before_after::BeforeAfterTab;
pub use patterns::CompareTab;

/// Where a comparison table stands.
#[derive(Debug, Clone, PartialEq)]
pub enum TableStatus {
    Idle,
    Loading,
    /// The worker's HTML: the table, and for before/after the events around the first
    /// difference with a button to it.
    Loaded(Arc<str>),
    Failed(String),
}

/// The HTML of a worker answer shaped as `{html}` (the comparison, an event's story).
pub(super) fn read_html(text: &str) -> Result<Arc<str>, String> {
    let value: Value = read_answer(text)?;
    match value.get("html").and_then(Value::as_str) {
        Some(html) => Ok(html.into()),
        None => Err("the simulator answered nothing to show".to_string()),
    }
}

#[derive(Clone, Copy)]
pub struct CompareSession {
    /// The run kept to compare later runs against.
    pub pinned: RwSignal<Option<Arc<FinishedRun>>>,
    /// The pinned run beside the current one.
    pub before_after: RwSignal<TableStatus>,
    /// The designs picked in the Compare tab, side by side.
    pub patterns: RwSignal<TableStatus>,
    /// The Compare tab's picks: "" (none), "current", "example:<stem>" or "slot:<slot>".
    pub picks: RwSignal<[String; 3]>,
    /// The newest request per table, so a late answer to an older one is dropped.
    latest: StoredValue<[Option<u32>; 2]>,
    run: RunSession,
    editor: Editor,
}

pub fn provide_compare() {
    let run = use_run();
    let compare = CompareSession {
        pinned: RwSignal::new(None),
        before_after: RwSignal::new(TableStatus::Idle),
        patterns: RwSignal::new(TableStatus::Idle),
        picks: RwSignal::new(["current".to_string(), String::new(), String::new()]),
        latest: StoredValue::new([None, None]),
        run,
        editor: use_editor(),
    };
    provide_context(compare);
    // A new run (or a new pin) is set beside the pinned run: this effect only talks outward, to
    // the worker, and the answer lands in `before_after`.
    Effect::new(move |_| {
        let current = run.run.get();
        match (compare.pinned.get(), current) {
            (Some(pinned), Some(current)) if pinned.design_json != current.design_json => {
                compare.request_before_after(&pinned, &current);
            }
            _ => compare.before_after.set(TableStatus::Idle),
        }
    });
}

pub fn use_compare() -> CompareSession {
    expect_context::<CompareSession>()
}

impl CompareSession {
    /// Keeps the current run to compare later runs against.
    pub fn pin(&self) {
        self.pinned.set(self.run.run.get_untracked());
    }

    pub fn unpin(&self) {
        self.pinned.set(None);
    }

    /// Runs the editor's design under the pinned run's seed, faults and bounds.
    pub fn rerun_pinned(&self) {
        let Some(pinned) = self.pinned.get_untracked() else {
            return;
        };
        let design = self.editor.design().get_untracked();
        self.run.start_under(design, pinned.ran_scenario());
    }

    fn request_before_after(&self, pinned: &FinishedRun, current: &FinishedRun) {
        let request = json!({
            "label": "Before and after",
            "designs": [
                {"label": "Before (pinned)", "design": pinned.design_json},
                {"label": "After", "design": current.design_json},
            ],
            "divergence": true,
        });
        let tab = self.run.tab;
        self.ask(0, self.before_after, &request, move || {
            // The person pressed Run to see this: show it, unless they are reading the log,
            // timeline or state of the new run.
            if matches!(tab.get_untracked(), PanelTab::Problems | PanelTab::Checks) {
                tab.set(PanelTab::BeforeAfter);
            }
        });
    }

    /// Runs the designs (`[{label, design | example}]`) under the first one's scenario.
    pub fn compare_designs(&self, designs: Vec<Value>) {
        let request = json!({"label": "Designs compared", "designs": designs, "scenarioFrom": 0});
        self.ask(1, self.patterns, &request, || {});
    }

    /// Sends a compare request for table `which`, whose status is `status`; `then` runs when a
    /// table arrives.
    fn ask(
        &self,
        which: usize,
        status: RwSignal<TableStatus>,
        request: &Value,
        then: impl Fn() + 'static,
    ) {
        let latest = self.latest;
        let text = request.to_string();
        let asked = self
            .run
            .ask(&Request::Compare { request: &text }, move |answer| {
                if latest.with_value(|l| l[which]) != Some(answer.id) {
                    return;
                }
                match answer.text.and_then(|t| read_html(&t)) {
                    Ok(html) => {
                        status.set(TableStatus::Loaded(html));
                        then();
                    }
                    Err(message) => status.set(TableStatus::Failed(message)),
                }
            });
        match asked {
            Ok(id) => {
                latest.update_value(|l| l[which] = Some(id));
                status.set(TableStatus::Loading);
            }
            Err(message) => status.set(TableStatus::Failed(message)),
        }
    }
}

/// Where the table of `status` stands, then the table (HTML from the worker, escaped there).
/// A click on a button the worker put in it with `data-seq` (the first difference) moves the
/// playhead there and shows it in the event log.
fn table_area(status: RwSignal<TableStatus>) -> impl IntoView {
    let run = use_run();
    let text = move || match status.get() {
        TableStatus::Loading => "Running the designs…".to_string(),
        TableStatus::Failed(message) => format!("The comparison failed: {message}."),
        _ => String::new(),
    };
    let html = move || match status.get() {
        TableStatus::Loaded(html) => html.to_string(),
        _ => String::new(),
    };
    view! {
        <p class="placeholder" aria-live="polite">{text}</p>
        <div class="compare-body" inner_html=html on:click=move |ev| run.show_clicked(&ev)></div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_the_table_or_the_workers_error() {
        // The page only sets the worker's HTML in; it must tell a table from an error sentence.
        let check = |text: &str, expected: Result<&str, &str>| {
            let read = read_html(text);
            assert_eq!(read.as_deref().map_err(String::as_str), expected, "{text}");
        };
        check(r#"{"html": "<table></table>"}"#, Ok("<table></table>"));
        check(
            r#"{"error": "Design 2: no such example"}"#,
            Err("Design 2: no such example"),
        );
        check("{}", Err("the simulator answered nothing to show"));
    }
}
