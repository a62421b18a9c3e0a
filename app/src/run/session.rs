//! The run session: the last run (with the design it ran), the run's status, the playhead, the
//! bottom panel's tab and the event log's filter, and the commands over them (run, stop, move
//! the playhead). A `Copy` context, like the editor.
//!
//! It must never be saved or shared: only the design is (the seed lives in the design's
//! scenario and changes through the editor).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use eventlab_core::design::{to_canonical_json, Design, Scenario};
use leptos::prelude::*;

use super::bridge::{Answer, Bridge, Request};
use super::model::{ExploreProgress, ExploreReport, ItemWriteView, RunView, StateView};
use super::playback::PlaybackIndex;

/// The bottom panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelTab {
    Problems,
    Checks,
    EventLog,
    Timeline,
    State,
    BeforeAfter,
    Compare,
}

/// Where the run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    /// Nothing run yet in this session.
    Idle,
    /// The worker is running the seed; `slow` once it has taken longer than a moment.
    Running {
        seed: String,
        slow: bool,
    },
    Finished,
    Stopped,
    Failed(String),
}

/// A finished run: the design as the editor held it, the JSON text that ran (the design, or
/// the design under a pinned run's scenario) and what the worker answered.
#[derive(Debug, PartialEq)]
pub struct FinishedRun {
    pub design: Design,
    pub design_json: String,
    pub view: RunView,
    /// The scenario it ran under when it was not the design's own.
    pub scenario: Option<Scenario>,
    /// What playback draws at each playhead, indexed once so a step costs little.
    pub playback: PlaybackIndex,
}

impl FinishedRun {
    /// The seed, faults and bounds this run ran under.
    pub fn ran_scenario(&self) -> &Scenario {
        self.scenario.as_ref().unwrap_or(&self.design.scenario)
    }
}

/// The state at the playhead, as the worker last answered it.
#[derive(Debug, Clone, PartialEq)]
pub enum StateStatus {
    None,
    Loading,
    Loaded(Arc<StateView>),
    Failed(String),
}

/// Where an exploration across seeds stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ExploreStatus {
    Idle,
    Running(Option<ExploreProgress>),
    Finished(Arc<ExploreReport>),
    Failed(String),
}

/// An item's version history, as the worker last answered it.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryStatus {
    None,
    Loading {
        table: String,
        key: String,
    },
    Loaded {
        table: String,
        key: String,
        writes: Arc<Vec<ItemWriteView>>,
    },
    Failed(String),
}

enum Pending {
    History {
        table: String,
        key: String,
    },
    Run {
        design: Box<Design>,
        design_json: String,
        /// Where to put the playhead once the run is in (a shared link's moment).
        seek: Option<u32>,
        /// The scenario it runs under when not the design's own.
        scenario: Option<Scenario>,
    },
    State,
    Explore,
    /// A request made through `ask`: its answers, progress included, go to the asker.
    Asked(Rc<dyn Fn(Answer)>),
}

#[derive(Clone, Copy)]
pub struct RunSession {
    pub status: RwSignal<RunStatus>,
    pub run: RwSignal<Option<Arc<FinishedRun>>>,
    /// The `seq` of the trace event the views point at.
    pub playhead: RwSignal<Option<u32>>,
    pub tab: RwSignal<PanelTab>,
    /// The event log's filter text (a word, an id, a correlation id).
    pub filter: RwSignal<String>,
    pub state: RwSignal<StateStatus>,
    pub exploration: RwSignal<ExploreStatus>,
    /// The version history of the item last asked about in the State tab.
    pub history: RwSignal<HistoryStatus>,
    /// Playback: the playhead advances on its own, `speed` events a second.
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<u32>,
    bridge: StoredValue<Option<Bridge>, LocalStorage>,
    pending: StoredValue<BTreeMap<u32, Pending>, LocalStorage>,
    next_id: StoredValue<u32>,
    latest_run: StoredValue<Option<u32>>,
    latest_state: StoredValue<Option<u32>>,
    /// The playhead whose state to ask for once the answer in flight is in (see `request_state`).
    state_wanted: StoredValue<Option<u32>>,
    latest_explore: StoredValue<Option<u32>>,
    latest_history: StoredValue<Option<u32>>,
}

pub fn provide_run() -> RunSession {
    let session = RunSession {
        status: RwSignal::new(RunStatus::Idle),
        run: RwSignal::new(None),
        playhead: RwSignal::new(None),
        tab: RwSignal::new(PanelTab::Problems),
        filter: RwSignal::new(String::new()),
        state: RwSignal::new(StateStatus::None),
        exploration: RwSignal::new(ExploreStatus::Idle),
        history: RwSignal::new(HistoryStatus::None),
        playing: RwSignal::new(false),
        speed: RwSignal::new(4),
        bridge: StoredValue::new_local(None),
        pending: StoredValue::new_local(BTreeMap::new()),
        next_id: StoredValue::new(0),
        latest_run: StoredValue::new(None),
        latest_state: StoredValue::new(None),
        state_wanted: StoredValue::new(None),
        latest_explore: StoredValue::new(None),
        latest_history: StoredValue::new(None),
    };
    provide_context(session);
    // The state at the playhead is fetched while the State tab shows it and playback is
    // paused: an effect that only talks outward (to the worker). While playing it is not: on
    // the 100-node design each answer took 350 ms to read and 450 ms to lay out, so playing
    // with the tab open fell to 6 frames a second; the tab says it waits for a pause.
    Effect::new(move |_| {
        let seq = session.playhead.get();
        let showing = session.tab.get() == PanelTab::State && !session.playing.get();
        let has_run = session.run.with(Option::is_some);
        if let (Some(seq), true, true) = (seq, showing, has_run) {
            session.request_state(seq);
        }
    });
    play_on_frames(session);
    session
}

/// While `playing`, the playhead moves at `speed` events a second, paced by animation frames:
/// each frame moves it by the events due since playing started (one at 60 a second), so the
/// views redraw at most once a frame and a slow frame is caught up rather than slowing the run
/// down. Changing the speed or pausing ends the loop (its `generation` is no longer current).
fn play_on_frames(session: RunSession) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let playing = session.playing.get();
        let speed = session.speed.get().max(1);
        generation.update_value(|g| *g = g.wrapping_add(1));
        if playing {
            let started = js_sys::Date::now();
            play_frame(
                session,
                generation,
                (generation.get_value(), speed, started, 0),
            );
        }
    });
}

/// One frame of playback: (the loop's generation, speed, start time in ms, events played).
fn play_frame(session: RunSession, generation: StoredValue<u32>, playing: (u32, u32, f64, u64)) {
    request_animation_frame(move || {
        let (own, speed, started, played) = playing;
        if generation.try_get_value() != Some(own) {
            return;
        }
        let due = ((js_sys::Date::now() - started) * f64::from(speed) / 1000.0) as u64;
        if due > played {
            // A quarter of a second's events at most: a long gap (a hidden tab) is skipped,
            // not played at once.
            let most = u64::from(speed / 4).max(1);
            session.advance_by(u32::try_from((due - played).min(most)).unwrap_or(1));
        }
        if session.playing.get_untracked() {
            play_frame(session, generation, (own, speed, started, due.max(played)));
        }
    });
}

pub fn use_run() -> RunSession {
    expect_context::<RunSession>()
}

impl RunSession {
    /// Runs `design` with its scenario's seed in the worker.
    pub fn start(&self, design: Design) {
        self.start_at(design, None);
    }

    /// Runs `design` under `scenario` (a pinned run's seed and faults) instead of its own; the
    /// design itself is not changed.
    pub fn start_under(&self, design: Design, scenario: &Scenario) {
        self.launch(design, Some(scenario), None);
    }

    /// Runs `design`, then puts the playhead on trace event `seek` (the run's end without one)
    /// and shows it in the event log: a shared link's moment.
    pub fn start_at(&self, design: Design, seek: Option<u32>) {
        self.launch(design, None, seek);
    }

    fn launch(&self, design: Design, scenario: Option<&Scenario>, seek: Option<u32>) {
        self.playing.set(false);
        let design_json = match scenario {
            Some(scenario) => to_canonical_json(&Design {
                scenario: scenario.clone(),
                ..design.clone()
            }),
            None => to_canonical_json(&design),
        };
        let seed = scenario.unwrap_or(&design.scenario).seed.to_string();
        let id = self.take_id();
        let posted = self.with_bridge(|bridge| {
            bridge.post(
                id,
                &Request::Run {
                    design: &design_json,
                    seed: &seed,
                },
            )
        });
        if let Err(message) = posted {
            self.fail(format!("The simulator could not start: {message}."));
            return;
        }
        self.pending.update_value(|pending| {
            pending.insert(
                id,
                Pending::Run {
                    design: Box::new(design),
                    design_json,
                    seek,
                    scenario: scenario.cloned(),
                },
            );
        });
        self.latest_run.set_value(Some(id));
        self.status.set(RunStatus::Running {
            seed: seed.clone(),
            slow: false,
        });
        let status = self.status;
        let latest = self.latest_run;
        set_timeout(
            move || {
                if latest.get_value() == Some(id) {
                    status.update(|s| {
                        if let RunStatus::Running { slow, .. } = s {
                            *slow = true;
                        }
                    });
                }
            },
            std::time::Duration::from_secs(5),
        );
    }

    /// Runs `seeds` seeds from the design's own and judges its checks on each, shrinking every
    /// failure to its smallest case. Progress arrives as it goes.
    pub fn explore(&self, design: &Design, seeds: u32) {
        let design_json = to_canonical_json(design);
        let seed = design.scenario.seed.to_string();
        let id = self.take_id();
        let posted = self.with_bridge(|bridge| {
            bridge.post(
                id,
                &Request::Explore {
                    design: &design_json,
                    seed: &seed,
                    seeds,
                },
            )
        });
        match posted {
            Ok(()) => {
                self.pending.update_value(|p| {
                    p.insert(id, Pending::Explore);
                });
                self.latest_explore.set_value(Some(id));
                self.exploration.set(ExploreStatus::Running(None));
            }
            Err(message) => self.exploration.set(ExploreStatus::Failed(message)),
        }
    }

    pub fn is_exploring(&self) -> bool {
        self.exploration
            .with(|e| matches!(e, ExploreStatus::Running(_)))
    }

    /// Ends the worker and the run or exploration in it; the next request starts a fresh one.
    pub fn stop(&self) {
        let running = self.is_running();
        self.drop_worker();
        if running {
            self.status.set(RunStatus::Stopped);
        }
    }

    /// Forgets the run, the playhead and any exploration: another design (an exercise) took
    /// the place of the one they were about.
    pub fn clear(&self) {
        // The worker is kept (it takes a moment to load) unless it is busy with the old design.
        if self.pending.with_value(|pending| !pending.is_empty()) {
            self.drop_worker();
        }
        self.run.set(None);
        self.playhead.set(None);
        self.status.set(RunStatus::Idle);
        self.state.set(StateStatus::None);
        self.exploration.set(ExploreStatus::Idle);
    }

    pub fn is_running(&self) -> bool {
        self.status.with(|s| matches!(s, RunStatus::Running { .. }))
    }

    /// Moves the playhead to trace event `seq` (clamped to the run).
    pub fn seek(&self, seq: u32) {
        let last = self.run.with_untracked(|run| {
            run.as_ref()
                .and_then(|r| r.view.events.last().map(|e| e.seq))
        });
        if let Some(last) = last {
            self.playhead.set(Some(seq.min(last)));
        }
    }

    /// `events` steps of playback at once: that many events on, or the end of playback at the
    /// last one.
    pub fn advance_by(&self, events: u32) {
        let last = self.run.with_untracked(|run| {
            run.as_ref()
                .and_then(|r| r.view.events.last().map(|e| e.seq))
        });
        match (last, self.playhead.get_untracked()) {
            (Some(last), Some(at)) if at < last => {
                self.playhead.set(Some(at.saturating_add(events).min(last)));
            }
            (Some(_), None) => self.playhead.set(Some(events.saturating_sub(1))),
            _ => self.playing.set(false),
        }
    }

    /// Play or pause; playing from the last event starts again from the first.
    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
            return;
        }
        let at_end = self.run.with_untracked(|run| {
            run.as_ref().is_some_and(|r| {
                r.view.events.last().map(|e| e.seq) == self.playhead.get_untracked()
            })
        });
        if at_end {
            self.playhead.set(Some(0));
        }
        if self.run.with_untracked(Option::is_some) {
            self.playing.set(true);
        }
    }

    /// Moves the playhead to the next (or, backwards, the previous) failure, if there is one.
    pub fn jump_to_failure(&self, forwards: bool) {
        let at = self.playhead.get_untracked();
        let target = self.run.with_untracked(|run| {
            let events = &run.as_ref()?.view.events;
            if forwards {
                super::activity::next_failure(events, at)
            } else {
                super::activity::previous_failure(events, at)
            }
        });
        if let Some(seq) = target {
            self.playing.set(false);
            self.seek(seq);
        }
    }

    /// Moves the playhead to the deciding event and shows it in the event log.
    pub fn show_where(&self, seq: u32) {
        self.seek(seq);
        self.filter.set(String::new());
        self.tab.set(PanelTab::EventLog);
    }

    /// A click in HTML the worker wrote (a check's "Show where", the first difference of two
    /// runs): on an element with `data-seq`, moves the playhead there and shows it in the
    /// event log; elsewhere, nothing.
    pub fn show_clicked(&self, ev: &web_sys::MouseEvent) {
        if let Some(seq) = crate::exercise::clicked(ev, "data-seq").and_then(|s| s.parse().ok()) {
            self.show_where(seq);
        }
    }

    /// Asks the worker for the version history of the item of `table` with these key
    /// attributes (plain JSON), in the last run.
    pub fn request_history(&self, table: &str, key: &serde_json::Map<String, serde_json::Value>) {
        let Some((design_json, seed)) = self.run.with_untracked(|run| {
            run.as_ref()
                .map(|r| (r.design_json.clone(), r.view.seed.clone()))
        }) else {
            return;
        };
        let key_json = serde_json::Value::Object(key.clone()).to_string();
        let key_words = key
            .iter()
            .map(|(name, value)| match value {
                serde_json::Value::String(text) => format!("{name}={text}"),
                other => format!("{name}={other}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let id = self.take_id();
        let posted = self.with_bridge(|bridge| {
            bridge.post(
                id,
                &Request::ItemHistory {
                    design: &design_json,
                    seed: &seed,
                    table,
                    key: &key_json,
                },
            )
        });
        match posted {
            Ok(()) => {
                self.pending.update_value(|p| {
                    p.insert(
                        id,
                        Pending::History {
                            table: table.to_string(),
                            key: key_words.clone(),
                        },
                    );
                });
                self.latest_history.set_value(Some(id));
                self.history.set(HistoryStatus::Loading {
                    table: table.to_string(),
                    key: key_words,
                });
            }
            Err(message) => self.history.set(HistoryStatus::Failed(message)),
        }
    }

    /// Asks the worker for the state after event `seq`. Dragging the scrubber moves the
    /// playhead faster than the worker answers: one question at a time is in flight and only
    /// the latest playhead waits behind it, and the state on screen stays until the new one
    /// arrives rather than flashing "Reading…" at every step.
    fn request_state(&self, seq: u32) {
        let in_flight = self
            .latest_state
            .get_value()
            .is_some_and(|id| self.pending.with_value(|pending| pending.contains_key(&id)));
        if in_flight {
            self.state_wanted.set_value(Some(seq));
            return;
        }
        let Some((design_json, seed)) = self.run.with_untracked(|run| {
            run.as_ref()
                .map(|r| (r.design_json.clone(), r.view.seed.clone()))
        }) else {
            return;
        };
        let id = self.take_id();
        let posted = self.with_bridge(|bridge| {
            bridge.post(
                id,
                &Request::StateAt {
                    design: &design_json,
                    seed: &seed,
                    seq,
                },
            )
        });
        match posted {
            Ok(()) => {
                self.pending.update_value(|p| {
                    p.insert(id, Pending::State);
                });
                self.latest_state.set_value(Some(id));
                if !matches!(self.state.get_untracked(), StateStatus::Loaded(_)) {
                    self.state.set(StateStatus::Loading);
                }
            }
            Err(message) => self.state.set(StateStatus::Failed(message)),
        }
    }

    /// Sends `request` to the worker and hands every answer to it (progress first, when the
    /// request reports any) to `on_answer`; answers the request's id. If the worker is stopped
    /// before the last answer, `on_answer` gets an error saying so. The exercise check uses it.
    pub fn ask(
        &self,
        request: &Request,
        on_answer: impl Fn(Answer) + 'static,
    ) -> Result<u32, String> {
        let id = self.take_id();
        self.with_bridge(|bridge| bridge.post(id, request))?;
        self.pending.update_value(|p| {
            p.insert(id, Pending::Asked(Rc::new(on_answer)));
        });
        Ok(id)
    }

    fn receive(&self, answer: Answer) {
        let asker = self
            .pending
            .with_value(|pending| match pending.get(&answer.id) {
                Some(Pending::Asked(asker)) => Some(Rc::clone(asker)),
                _ => None,
            });
        if let Some(asker) = asker {
            if !answer.progress {
                self.pending.update_value(|pending| {
                    pending.remove(&answer.id);
                });
            }
            asker(answer);
            return;
        }
        if answer.progress {
            if self.latest_explore.get_value() == Some(answer.id) {
                if let Ok(progress) = answer.text.and_then(|t| ExploreProgress::read(&t)) {
                    self.exploration.set(ExploreStatus::Running(Some(progress)));
                }
            }
            return;
        }
        let mut taken = None;
        self.pending
            .update_value(|pending| taken = pending.remove(&answer.id));
        match taken {
            Some(Pending::Run {
                design,
                design_json,
                seek,
                scenario,
            }) if self.latest_run.get_value() == Some(answer.id) => {
                self.latest_run.set_value(None);
                self.finish((*design, design_json, scenario), answer.text);
                let finished = matches!(self.status.get_untracked(), RunStatus::Finished);
                if let (Some(seq), true) = (seek, finished) {
                    self.show_where(seq);
                }
            }
            Some(Pending::State) if self.latest_state.get_value() == Some(answer.id) => {
                self.state
                    .set(match answer.text.and_then(|t| StateView::read(&t)) {
                        Ok(view) => StateStatus::Loaded(Arc::new(view)),
                        Err(message) => StateStatus::Failed(message),
                    });
                if let Some(seq) = self.state_wanted.get_value() {
                    self.state_wanted.set_value(None);
                    self.request_state(seq);
                }
            }
            Some(Pending::Explore) if self.latest_explore.get_value() == Some(answer.id) => {
                self.latest_explore.set_value(None);
                self.exploration
                    .set(match answer.text.and_then(|t| ExploreReport::read(&t)) {
                        Ok(report) => ExploreStatus::Finished(Arc::new(report)),
                        Err(message) => ExploreStatus::Failed(message),
                    });
            }
            Some(Pending::History { table, key })
                if self.latest_history.get_value() == Some(answer.id) =>
            {
                self.history.set(
                    match answer.text.and_then(|t| ItemWriteView::read_all(&t)) {
                        Ok(writes) => HistoryStatus::Loaded {
                            table,
                            key,
                            writes: Arc::new(writes),
                        },
                        Err(message) => HistoryStatus::Failed(message),
                    },
                );
            }
            // An answer to a request superseded by a newer one.
            _ => {}
        }
    }

    /// Shows the run the worker answered for the design, the text that ran and the scenario
    /// it ran under (when not the design's own).
    fn finish(
        &self,
        (design, design_json, scenario): (Design, String, Option<Scenario>),
        text: Result<String, String>,
    ) {
        match text.and_then(|t| RunView::read(&t)) {
            Ok(view) => {
                self.history.set(HistoryStatus::None);
                // The last run's state is not this one's (the state on screen stays while the
                // playhead moves within one run only).
                self.state.set(StateStatus::None);
                let last = view.events.last().map(|e| e.seq);
                let playback = PlaybackIndex::new(&view.events);
                self.run.set(Some(Arc::new(FinishedRun {
                    design,
                    design_json,
                    view,
                    scenario,
                    playback,
                })));
                self.playhead.set(last);
                self.status.set(RunStatus::Finished);
                if self.tab.get_untracked() == PanelTab::Problems {
                    self.tab.set(PanelTab::Checks);
                }
            }
            Err(message) => self.fail(format!("The run failed: {message}.")),
        }
    }

    fn fail(&self, message: String) {
        self.latest_run.set_value(None);
        self.status.set(RunStatus::Failed(message));
    }

    /// Calls `post` with the worker, starting it first when there is none.
    fn with_bridge(&self, post: impl FnOnce(&Bridge) -> Result<(), String>) -> Result<(), String> {
        if self.bridge.with_value(Option::is_none) {
            let session = *self;
            let bridge = Bridge::start(
                move |answer| session.receive(answer),
                move |message| {
                    session.drop_worker();
                    session.fail(format!(
                        "The simulator could not be loaded ({message}). Check the connection and press Run again."
                    ));
                },
            )?;
            self.bridge.set_value(Some(bridge));
        }
        self.bridge.with_value(|bridge| match bridge {
            Some(bridge) => post(bridge),
            None => Err("no worker".to_string()),
        })
    }

    fn drop_worker(&self) {
        let mut taken = None;
        self.bridge.update_value(|bridge| taken = bridge.take());
        if let Some(bridge) = taken {
            bridge.stop();
        }
        let mut pending = BTreeMap::new();
        self.pending
            .update_value(|p| std::mem::swap(p, &mut pending));
        // Whoever asked is told, so no check waits for an answer that will never come.
        for (id, request) in pending {
            if let Pending::Asked(asker) = request {
                asker(Answer {
                    id,
                    text: Err("the simulator was stopped".to_string()),
                    progress: false,
                });
            }
        }
        self.latest_run.set_value(None);
        self.latest_state.set_value(None);
        self.state_wanted.set_value(None);
        if self.latest_explore.get_value().is_some() {
            self.latest_explore.set_value(None);
            self.exploration.set(ExploreStatus::Idle);
        }
        if self.state.get_untracked() == StateStatus::Loading {
            self.state.set(StateStatus::None);
        }
    }

    fn take_id(&self) -> u32 {
        let mut id = 0;
        self.next_id.update_value(|next| {
            id = *next;
            *next = next.wrapping_add(1);
        });
        id
    }
}
