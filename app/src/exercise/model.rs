//! The exercise check's answer as plain data (core's `ExerciseReport`, read from the worker's
//! JSON), and the pure questions the exercise panel asks of it: how each checklist line came
//! out and what the person should do next. No signals and no DOM, so it is tested natively.
//!
//! It must never judge: pass and fail come from core's judge in the worker.

use serde_json::Value;

use super::catalog::CheckLine;
use crate::run::model::read_answer;

// The answers are read field by field from a `serde_json::Value` rather than with derived
// `Deserialize` impls: each derive adds its own parser to the page's bundle, and the page is
// over its size budget.

/// How far a check has got (the worker's progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckProgress {
    pub seeds_done: u32,
    pub seeds_total: u32,
}

impl CheckProgress {
    /// Reads the worker's `{seedsDone, seedsTotal, finished}`, or its `{error}`.
    pub fn read(text: &str) -> Result<CheckProgress, String> {
        let value: Value = read_answer(text)?;
        Ok(CheckProgress {
            seeds_done: count(&value, "seedsDone"),
            seeds_total: count(&value, "seedsTotal"),
        })
    }
}

/// The verdict on a design (core's `ExerciseReport`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub passed: bool,
    pub checks: Vec<CheckSummaryView>,
}

/// One locked check across the seeds (core's `ExerciseCheckSummary`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSummaryView {
    pub check: String,
    /// The check's kind: a `lint` check is decided on the design alone, not per seed.
    pub kind: String,
    /// `passed`, `failed` or `undecided`.
    pub status: String,
    pub runs: u32,
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    pub first_failing_seed: Option<u64>,
    /// The first failure's explanation in business terms.
    pub explanation: Option<String>,
    /// The first failure shrunk to the faults it needs, in words.
    pub smallest: Option<String>,
}

impl ReportView {
    /// Reads core's report as the worker writes it, or the worker's `{error}`.
    pub fn read(text: &str) -> Result<ReportView, String> {
        let value: Value = read_answer(text)?;
        let checks = value
            .get("checks")
            .and_then(Value::as_array)
            .ok_or_else(|| "the check's answer has no checks".to_string())?;
        Ok(ReportView {
            passed: value.get("passed").and_then(Value::as_bool) == Some(true),
            checks: checks.iter().map(CheckSummaryView::from_value).collect(),
        })
    }
}

impl CheckSummaryView {
    fn from_value(value: &Value) -> CheckSummaryView {
        let explanation = |key: &str| {
            value
                .get(key)
                .and_then(|v| v.get("explanation"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        CheckSummaryView {
            check: text(value, "check"),
            kind: text(value, "kind"),
            status: text(value, "status"),
            runs: count(value, "runs"),
            passed: count(value, "passed"),
            failed: count(value, "failed"),
            undecided: count(value, "undecided"),
            first_failing_seed: value.get("firstFailingSeed").and_then(Value::as_u64),
            explanation: explanation("failure"),
            smallest: explanation("smallestFailingCase"),
        }
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn count(value: &Value, key: &str) -> u32 {
    value
        .get(key)
        .and_then(Value::as_u64)
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// How one checklist line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Not checked yet (or the design changed since).
    Open,
    Passed,
    Failed,
    Undecided,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Open => "☐",
            Mark::Passed => "✓",
            Mark::Failed => "✗",
            Mark::Undecided => "?",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Mark::Open => "mark-open",
            Mark::Passed => "mark-passed",
            Mark::Failed => "mark-failed",
            Mark::Undecided => "mark-undecided",
        }
    }
}

impl ReportView {
    /// The summary of one checklist line's check, if the report has it.
    pub fn summary(&self, line: &CheckLine) -> Option<&CheckSummaryView> {
        self.checks.iter().find(|c| c.check == line.id)
    }

    /// How many checks held on every seed, and how many there are.
    pub fn held(&self) -> (usize, usize) {
        let held = self.checks.iter().filter(|c| c.status == "passed").count();
        (held, self.checks.len())
    }
}

impl CheckSummaryView {
    pub fn mark(&self) -> Mark {
        match self.status.as_str() {
            "passed" => Mark::Passed,
            "failed" => Mark::Failed,
            _ => Mark::Undecided,
        }
    }

    /// Whether the check judges the design itself (a lint rule) rather than its runs.
    pub fn on_design(&self) -> bool {
        self.kind == "lint"
    }

    /// "held on all 10 seeds", "failed on 3 of 10 seeds", "undecided on 2 of 10 seeds"; a
    /// lint check is about the design, whatever the seed.
    pub fn seeds_text(&self) -> String {
        if self.on_design() {
            return match self.status.as_str() {
                "passed" => "the design follows the rule".to_string(),
                _ => "the design breaks the rule (whatever the seed)".to_string(),
            };
        }
        if self.failed > 0 {
            format!("failed on {} of {} seeds", self.failed, self.runs)
        } else if self.undecided > 0 {
            format!(
                "undecided on {} of {} seeds (a run hit its bound)",
                self.undecided, self.runs
            )
        } else if self.runs == 0 {
            // A check that cannot be judged on this design never ran.
            "could not be judged".to_string()
        } else {
            format!("held on all {} seeds", self.runs)
        }
    }
}

/// What the panel tells the person to do next, from where they are.
pub fn next_step(checked: Option<&ReportView>, stale: bool, has_next: bool) -> String {
    match checked {
        None => "Read the brief, press ▶ Run to watch the problem happen, change the design, then press Check my design.".to_string(),
        Some(_) if stale => "You changed the design since the last check: press Check my design again.".to_string(),
        Some(report) if report.passed && has_next => "Every check holds on every seed. Read what you learned, then go on to the next exercise.".to_string(),
        Some(report) if report.passed => "Every check holds on every seed: that was the last exercise. Well done.".to_string(),
        Some(report) => {
            let (held, total) = report.held();
            format!(
                "{held} of {total} checks hold. Read why the others fail below, open a failing seed's run to see it happen, change the design and check again. Stuck? Reveal a hint."
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"exercise":"duplicates","seeds":[1,2],"passed":false,"checks":[
        {"check":"charged-once","kind":"exactlyOnce","mode":"always","expectedFailure":true,
         "status":"failed","runs":2,"passed":0,"failed":2,"undecided":0,"firstFailingSeed":1,
         "failure":{"check":"charged-once","kind":"exactlyOnce","mode":"always","status":"failed",
                    "decidingEvent":181,"explanation":"Payment provider acted twice for key o-16"},
         "smallestFailingCase":{"check":"charged-once","seed":1,"explanation":"seed 1 fails with 1 of its 2 injected faults"}},
        {"check":"payment-announced","kind":"reaches","expectedFailure":false,"status":"passed",
         "runs":2,"passed":2,"failed":0,"undecided":0}]}"#;

    fn report() -> ReportView {
        ReportView::read(REPORT).unwrap_or_else(|e| panic!("{e}"))
    }

    fn check(summary: &CheckSummaryView, expected: (Mark, &str)) {
        assert_eq!((summary.mark(), summary.seeds_text().as_str()), expected);
    }

    #[test]
    fn the_workers_report_reads_into_checklist_marks() {
        // The page reads core's report as the worker writes it: a failed check with its first
        // failing seed and explanations, a passed one with its seed count.
        let report = report();
        assert_eq!(report.checks[0].first_failing_seed, Some(1));
        assert_eq!(
            report.checks[0].explanation.as_deref(),
            Some("Payment provider acted twice for key o-16")
        );
        assert_eq!(
            report.checks[0].smallest.as_deref(),
            Some("seed 1 fails with 1 of its 2 injected faults")
        );
        check(&report.checks[0], (Mark::Failed, "failed on 2 of 2 seeds"));
        check(&report.checks[1], (Mark::Passed, "held on all 2 seeds"));
        assert_eq!(report.held(), (1, 2));
        assert_eq!(
            ReportView::read(r#"{"error":"no exercise check was started"}"#),
            Err("no exercise check was started".to_string())
        );
        assert_eq!(
            CheckProgress::read(r#"{"seedsDone":3,"seedsTotal":10,"finished":false}"#),
            Ok(CheckProgress {
                seeds_done: 3,
                seeds_total: 10
            })
        );
    }

    #[test]
    fn a_lint_check_is_about_the_design_not_the_seeds() {
        // A lint rule fails on every seed alike; the checklist says the design breaks it.
        let mut lint = report().checks[0].clone();
        lint.kind = "lint".to_string();
        check(
            &lint,
            (
                Mark::Failed,
                "the design breaks the rule (whatever the seed)",
            ),
        );
    }

    #[test]
    fn the_next_step_follows_the_attendee() {
        // Each state of the exercise says what to do next, in words.
        let failing = report();
        let mut passing = report();
        passing.passed = true;
        assert!(next_step(None, false, true).contains("press ▶ Run"));
        assert!(next_step(Some(&failing), false, true).starts_with("1 of 2 checks hold."));
        assert!(next_step(Some(&failing), true, true).contains("again"));
        assert!(next_step(Some(&passing), false, true).contains("next exercise"));
        assert!(next_step(Some(&passing), false, false).contains("last exercise"));
    }
}
