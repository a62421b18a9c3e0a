//! The exercise session: the catalog (asked of the worker once, when the list or an exercise is
//! first shown), which exercise is open (the one whose autosave slot is current, so a reload
//! comes back to it), whether the exercise list is on show, the last "check my design" and its
//! progress, and the commands over them (open, leave, check, reveal a hint, show the solution,
//! open a failing seed's run). A `Copy` context, like the editor.
//!
//! It must never judge: the check runs core's judge in the worker with the exercise's id, and
//! the design is the only thing sent. It never edits the design except through the editor.

use std::sync::Arc;

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{read_canonical, to_canonical_json, Design};
use leptos::prelude::*;

use super::catalog::{self, ExerciseEntry};
use super::model::{CheckProgress, ReportView};
use super::progress::{self, Progress, Stage};
use crate::run::model::read_answer;
use crate::run::session::{use_run, RunSession};
use crate::run::{Answer, PanelTab, Request};
use crate::state::editor::{use_editor, Editor};
use crate::state::persistence;
use crate::state::session::{use_session, Session};

/// Where the exercise catalog stands. Once read it lives as long as the page, so entries are
/// handed around as `&'static`.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogStatus {
    Idle,
    Loading,
    Loaded(&'static [ExerciseEntry]),
    Failed(String),
}

/// Where "check my design" stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckStatus {
    Idle,
    Running(Option<CheckProgress>),
    /// The verdict, with the design it judged (to tell when the design changed since).
    Finished {
        report: Arc<ReportView>,
        design: Arc<Design>,
    },
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct ExerciseSession {
    /// The exercise list over the canvas.
    pub home_open: RwSignal<bool>,
    pub check: RwSignal<CheckStatus>,
    /// Every exercise's stage and hints, mirrored from localStorage.
    pub progress: RwSignal<Progress>,
    /// "Show the solution" is waiting for its confirmation.
    pub confirming_solution: RwSignal<bool>,
    pub catalog: RwSignal<CatalogStatus>,
    /// Whether the current slot is an exercise's (known before the catalog is).
    in_exercise: Memo<bool>,
    current: Memo<Option<&'static ExerciseEntry>>,
    latest_check: StoredValue<Option<u32>>,
    editor: Editor,
    session: Session,
    run: RunSession,
}

/// Provides the exercise session; the exercise list opens at once on a first visit.
pub fn provide_exercises(first_visit: bool) -> ExerciseSession {
    let session = use_session();
    let status = RwSignal::new(CatalogStatus::Idle);
    let exercises = ExerciseSession {
        home_open: RwSignal::new(first_visit),
        check: RwSignal::new(CheckStatus::Idle),
        progress: RwSignal::new(progress::load()),
        confirming_solution: RwSignal::new(false),
        catalog: status,
        in_exercise: Memo::new(move |_| {
            session
                .slot
                .with(|slot| catalog::exercise_id(slot).is_some())
        }),
        current: Memo::new(move |_| {
            let id = session
                .slot
                .with(|slot| catalog::exercise_id(slot).map(str::to_string))?;
            match status.get() {
                CatalogStatus::Loaded(all) => all.iter().find(|e| e.id == id),
                _ => None,
            }
        }),
        latest_check: StoredValue::new(None),
        editor: use_editor(),
        session,
        run: use_run(),
    };
    provide_context(exercises);
    // Only outward: the catalog is asked of the worker the first time it is needed (and again
    // after a failure, when the list is opened again).
    Effect::new(move |_| {
        let needed = exercises.home_open.get() || exercises.in_exercise.get();
        let asked = exercises
            .catalog
            .with_untracked(|c| matches!(c, CatalogStatus::Loading | CatalogStatus::Loaded(_)));
        if needed && !asked {
            exercises.load_catalog();
        }
    });
    exercises
}

pub fn use_exercises() -> ExerciseSession {
    expect_context::<ExerciseSession>()
}

impl ExerciseSession {
    /// The open exercise (tracked), if the page is in exercise mode and the catalog is here.
    pub fn current(&self) -> Option<&'static ExerciseEntry> {
        self.current.get()
    }

    /// Whether the page is in exercise mode (tracked), even before the catalog arrives.
    pub fn in_exercise(&self) -> bool {
        self.in_exercise.get()
    }

    /// Every exercise, in workshop order (tracked); empty until the catalog arrives.
    pub fn entries(&self) -> &'static [ExerciseEntry] {
        match self.catalog.get() {
            CatalogStatus::Loaded(all) => all,
            _ => &[],
        }
    }

    fn load_catalog(&self) {
        let status = self.catalog;
        let asked = self.run.ask(&Request::ExerciseCatalog, move |answer| {
            status.set(match answer.text.and_then(|t| catalog::read_catalog(&t)) {
                // Read once per page: kept for the page's life, so entries can be `&'static`.
                Ok(entries) => CatalogStatus::Loaded(Box::leak(entries.into_boxed_slice())),
                Err(message) => CatalogStatus::Failed(message),
            });
        });
        status.set(match asked {
            Ok(_) => CatalogStatus::Loading,
            Err(message) => CatalogStatus::Failed(message),
        });
    }

    pub fn stage(&self, id: &str) -> Stage {
        self.progress
            .with(|p| p.get(id).map(|r| r.stage).unwrap_or_default())
    }

    /// How many of the open exercise's hints are revealed.
    pub fn hints_shown(&self, id: &str) -> u32 {
        self.progress
            .with(|p| p.get(id).map(|r| r.hints).unwrap_or_default())
    }

    /// Opens an exercise in its own slot: the attendee's saved work, or its starting design the
    /// first time.
    pub fn open(&self, entry: &'static ExerciseEntry) {
        let slot = entry.slot();
        let Some(design) = persistence::load_slot(&slot).or_else(|| entry.start()) else {
            self.session
                .warn(format!("The exercise {} cannot be opened.", entry.title));
            return;
        };
        self.switch(slot, design);
        self.update_progress(|p| progress::advance(p, &entry.id, Stage::Started));
    }

    /// Back to free design, in the free slot.
    pub fn leave(&self) {
        let design =
            persistence::load_slot(persistence::FREE_SLOT).unwrap_or_else(persistence::untitled);
        self.switch(persistence::FREE_SLOT.to_string(), design);
    }

    fn switch(&self, slot: String, design: Design) {
        self.run.clear();
        self.forget_check();
        self.session.slot.set(slot);
        self.editor.reset(design);
        self.session.selection.set(Vec::new());
        self.session.request_fit();
        self.home_open.set(false);
    }

    fn forget_check(&self) {
        self.latest_check.set_value(None);
        self.check.set(CheckStatus::Idle);
        self.confirming_solution.set(false);
    }

    /// Judges the design on screen against the open exercise, in the worker.
    pub fn check_design(&self) {
        let Some(entry) = self.current.get_untracked() else {
            return;
        };
        let design = Arc::new(self.editor.design().get_untracked());
        let design_json = to_canonical_json(&design);
        let this = *self;
        let request = Request::Exercise {
            design: &design_json,
            exercise: &entry.id,
        };
        let asked = self.run.ask(&request, move |answer| {
            this.receive_check(entry, Arc::clone(&design), answer)
        });
        match asked {
            Ok(id) => {
                self.latest_check.set_value(Some(id));
                self.check.set(CheckStatus::Running(None));
            }
            Err(message) => self.check.set(CheckStatus::Failed(message)),
        }
    }

    fn receive_check(&self, entry: &'static ExerciseEntry, design: Arc<Design>, answer: Answer) {
        if self.latest_check.get_value() != Some(answer.id) {
            return;
        }
        if answer.progress {
            if let Ok(progress) = answer.text.and_then(|t| CheckProgress::read(&t)) {
                self.check.set(CheckStatus::Running(Some(progress)));
            }
            return;
        }
        self.latest_check.set_value(None);
        match answer.text.and_then(|t| ReportView::read(&t)) {
            Ok(report) => {
                if report.passed {
                    self.update_progress(|p| progress::advance(p, &entry.id, Stage::Done));
                }
                self.check.set(CheckStatus::Finished {
                    report: Arc::new(report),
                    design,
                });
                super::checklist::scroll_to_checklist();
            }
            Err(message) => self.check.set(CheckStatus::Failed(message)),
        }
    }

    /// Ends the check (and whatever else the worker was doing).
    pub fn stop_check(&self) {
        self.run.stop();
    }

    pub fn is_checking(&self) -> bool {
        self.check.with(|c| matches!(c, CheckStatus::Running(_)))
    }

    /// The last verdict and whether the design changed since it was given.
    pub fn verdict(&self) -> Option<(Arc<ReportView>, bool)> {
        self.check.with(|check| match check {
            CheckStatus::Finished { report, design } => {
                let stale = self.editor.design().with(|d| d != design.as_ref());
                Some((Arc::clone(report), stale))
            }
            _ => None,
        })
    }

    pub fn reveal_hint(&self, entry: &'static ExerciseEntry) {
        let shown = self.hints_shown(&entry.id);
        let total = u32::try_from(entry.hints_html.len()).unwrap_or(u32::MAX);
        self.update_progress(|p| progress::reveal(p, &entry.id, (shown + 1).min(total)));
    }

    /// Replaces the design with the reference solution (one undo step), which the worker
    /// hands over.
    pub fn show_solution(&self, entry: &'static ExerciseEntry) {
        self.confirming_solution.set(false);
        let this = *self;
        let asked = self.run.ask(
            &Request::ExerciseSolution {
                exercise: &entry.id,
            },
            move |answer| this.receive_solution(entry, answer),
        );
        if let Err(message) = asked {
            self.session
                .warn(format!("The solution could not be fetched: {message}."));
        }
    }

    fn receive_solution(&self, entry: &'static ExerciseEntry, answer: Answer) {
        // Only apply it while the same exercise is open.
        if self.current.get_untracked() != Some(entry) {
            return;
        }
        match read_design(answer) {
            Ok(solution) => {
                let _ = self.editor.apply(DesignChange::Replace {
                    design: Box::new(solution),
                });
                self.session.selection.set(Vec::new());
                self.session.request_fit();
                self.session
                    .inform("The reference solution replaced your design. Undo brings yours back.");
            }
            Err(message) => self
                .session
                .warn(format!("The solution could not be opened: {message}.")),
        }
    }

    /// Runs `seed` of the open exercise in the run views exactly as the check ran it: the worker
    /// locks the design (the exercise's scenario at that seed, its checks and locked nodes),
    /// and the exercise's scenario is also set on the design through the editor, so the top
    /// bar shows the seed.
    pub fn run_seed(&self, seed: u64) {
        let Some(entry) = self.current.get_untracked() else {
            return;
        };
        let design_json = self.editor.design().with_untracked(to_canonical_json);
        let seed_text = seed.to_string();
        let request = Request::ExerciseLocked {
            design: &design_json,
            exercise: &entry.id,
            seed: &seed_text,
        };
        let this = *self;
        let asked = self.run.ask(&request, move |answer| {
            if this.current.get_untracked() != Some(entry) || answer.progress {
                return;
            }
            match read_design(answer) {
                Ok(locked) => this.run_locked(locked),
                Err(message) => this
                    .session
                    .warn(format!("The run could not start: {message}.")),
            }
        });
        if let Err(message) = asked {
            self.session
                .warn(format!("The run could not start: {message}."));
        }
    }

    fn run_locked(&self, locked: Design) {
        let scenario = locked.scenario.clone();
        if self
            .editor
            .design()
            .with_untracked(|d| d.scenario != scenario)
        {
            let _ = self.editor.apply(DesignChange::SetScenario { scenario });
        }
        self.run.start(locked);
        self.run.tab.set(PanelTab::Checks);
    }

    fn update_progress(&self, change: impl FnOnce(&mut Progress)) {
        self.progress.update(|p| {
            change(p);
            progress::save(p);
        });
    }
}

/// A design the worker answered (canonical JSON, or its `{error}`).
fn read_design(answer: Answer) -> Result<Design, String> {
    let text = answer.text?;
    read_answer(&text)?;
    read_canonical(&text)
}
