//! The exercise check's answer as plain data (core's `ExerciseReport`, read from the worker's
//! JSON), and the pure questions the exercise panel asks of it: how each checklist line came
//! out and what the person should do next. No signals and no DOM, so it is tested natively.
//!
//! It must never judge: pass and fail come from core's judge in the worker.

use serde::Deserialize;

use super::catalog::CheckLine;

/// How far a check has got (the worker's progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckProgress {
    pub seeds_done: u32,
    pub seeds_total: u32,
    #[serde(default)]
    pub finished: bool,
}

/// The verdict on a design (core's `ExerciseReport`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub exercise: String,
    pub seeds: Vec<u64>,
    pub passed: bool,
    pub checks: Vec<CheckSummaryView>,
}

/// One locked check across the seeds (core's `ExerciseCheckSummary`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckSummaryView {
    pub check: String,
    /// `passed`, `failed` or `undecided`.
    pub status: String,
    pub runs: u32,
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    #[serde(default)]
    pub first_failing_seed: Option<u64>,
    #[serde(default)]
    pub failure: Option<FailureView>,
    #[serde(default)]
    pub smallest_failing_case: Option<SmallestView>,
}

/// The first failure's result: its explanation in business terms.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureView {
    pub explanation: String,
}

/// The first failure shrunk to the faults it needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SmallestView {
    pub explanation: String,
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

    /// "held on all 10 seeds", "failed on 3 of 10 seeds", "undecided on 2 of 10 seeds".
    pub fn seeds_text(&self) -> String {
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
        serde_json::from_str(REPORT).unwrap_or_else(|e| panic!("{e}"))
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
            report.checks[0]
                .failure
                .as_ref()
                .map(|f| f.explanation.as_str()),
            Some("Payment provider acted twice for key o-16")
        );
        check(&report.checks[0], (Mark::Failed, "failed on 2 of 2 seeds"));
        check(&report.checks[1], (Mark::Passed, "held on all 2 seeds"));
        assert_eq!(report.held(), (1, 2));
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
