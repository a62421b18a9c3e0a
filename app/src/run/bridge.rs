//! The bridge to the run worker (`static/run-worker.js`, which loads the simulator's own wasm):
//! posts requests and hands each answer back by its request id. The page bundle never contains
//! the simulator, so the first paint stays small and a long run never blocks the page.
//!
//! It must never interpret an answer; `session` reads them. Everything that can fail in the
//! browser (no Worker, a script that does not load) becomes a `Result` or a failure callback.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The worker script, relative to the page so the site works under any base path.
const WORKER_SCRIPT: &str = "run-worker.js";

/// What the page asks the worker.
pub enum Request<'a> {
    /// Run the design with the seed (decimal text).
    Run { design: &'a str, seed: &'a str },
    /// The state just after trace event `seq` of that run.
    StateAt {
        design: &'a str,
        seed: &'a str,
        seq: u32,
    },
    /// Trace event `seq` of that run with its causes and its message, as HTML.
    EventStory {
        design: &'a str,
        seed: &'a str,
        seq: u32,
    },
    /// Run `seeds` seeds from `seed` and judge the checks on each (answers progress on the way).
    Explore {
        design: &'a str,
        seed: &'a str,
        seeds: u32,
    },
    /// The version history of one item (`key`: its key attributes as plain JSON).
    ItemHistory {
        design: &'a str,
        seed: &'a str,
        table: &'a str,
        key: &'a str,
    },
    /// A function's exported TypeScript handler.
    HandlerSource { design: &'a str, function: &'a str },
    /// The example designs' stems and names (a JSON array of `{stem, name}`).
    ExampleList,
    /// One example design's text.
    Example { stem: &'a str },
    /// The design's diagnostics (a JSON array of core's `Diagnostic`).
    Validate { design: &'a str },
    /// EventBridge's message for an event pattern ("" when valid).
    CheckPattern { text: &'a str },
    /// DynamoDB's message for an expression of `kind` (`condition`, `update`, `filter`) in a
    /// step whose `names` and `values` are in `step` (JSON); "" when valid.
    CheckExpression {
        kind: &'a str,
        text: &'a str,
        step: &'a str,
    },
    /// The guided exercises' catalog (JSON text).
    ExerciseCatalog,
    /// Judge the design against the exercise with this id, on its locked seeds (answers
    /// progress on the way).
    Exercise { design: &'a str, exercise: &'a str },
    /// The design as the exercise's check runs it on `seed` (decimal text).
    ExerciseLocked {
        design: &'a str,
        exercise: &'a str,
        seed: &'a str,
    },
    /// The reference solution of the exercise with this id.
    ExerciseSolution { exercise: &'a str },
    /// Load design text tolerantly (an imported file, an old save): `{design, notes}`.
    LoadDesign { text: &'a str },
    /// Open a share link: `{design, notes, exercise?, playhead?}`.
    DecodeLink { text: &'a str },
    /// Make the share link of a design (canonical JSON) with its extras ("" for none): `{link}`.
    EncodeLink {
        design: &'a str,
        exercise: &'a str,
        playhead: &'a str,
    },
    /// Runs side by side: the JSON text `worker/src/compare.rs` reads (designs, the scenario
    /// to run them under, whether to find where two traces differ).
    Compare { request: &'a str },
}

/// An answer: the request's id and the worker's JSON text, or why it has none. A progress
/// report (`progress`) comes before the final answer of a long request.
pub struct Answer {
    pub id: u32,
    pub text: Result<String, String>,
    pub progress: bool,
}

/// A running worker with its listeners; dropping it without `stop` leaves the worker running.
pub struct Bridge {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Bridge {
    /// Starts the worker. `on_answer` gets every answer; `on_failure` gets a sentence when the
    /// worker itself breaks (its script or the simulator's bundle did not load).
    pub fn start(
        on_answer: impl Fn(Answer) + 'static,
        on_failure: impl Fn(String) + 'static,
    ) -> Result<Bridge, String> {
        let worker = web_sys::Worker::new(WORKER_SCRIPT).map_err(|e| describe(&e))?;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| on_answer(read_answer(&event.data())),
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                // Handled here, with a message on the page, rather than as an uncaught error.
                event.prevent_default();
                let message = event.message();
                on_failure(if message.is_empty() {
                    "the run worker could not start".to_string()
                } else {
                    message
                });
            });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Bridge {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request under `id`.
    pub fn post(&self, id: u32, request: &Request) -> Result<(), String> {
        let text = |value: &str| JsValue::from_str(value);
        let fields: Vec<(&str, JsValue)> = match request {
            Request::Run { design, seed } => {
                vec![
                    ("kind", text("run")),
                    ("design", text(design)),
                    ("seed", text(seed)),
                ]
            }
            Request::StateAt { design, seed, seq } => vec![
                ("kind", text("stateAt")),
                ("design", text(design)),
                ("seed", text(seed)),
                ("seq", (*seq).into()),
            ],
            Request::Explore {
                design,
                seed,
                seeds,
            } => vec![
                ("kind", text("explore")),
                ("design", text(design)),
                ("seed", text(seed)),
                ("seeds", (*seeds).into()),
            ],
            Request::ItemHistory {
                design,
                seed,
                table,
                key,
            } => vec![
                ("kind", text("itemHistory")),
                ("design", text(design)),
                ("seed", text(seed)),
                ("table", text(table)),
                ("key", text(key)),
            ],
            Request::EventStory { design, seed, seq } => vec![
                ("kind", text("eventStory")),
                ("design", text(design)),
                ("seed", text(seed)),
                ("seq", (*seq).into()),
            ],
            Request::HandlerSource { design, function } => vec![
                ("kind", text("handlerSource")),
                ("design", text(design)),
                ("function", text(function)),
            ],
            Request::ExampleList => vec![("kind", text("exampleList"))],
            Request::Example { stem } => vec![("kind", text("example")), ("stem", text(stem))],
            Request::Validate { design } => {
                vec![("kind", text("validate")), ("design", text(design))]
            }
            Request::CheckPattern { text: pattern } => {
                vec![("kind", text("checkPattern")), ("text", text(pattern))]
            }
            Request::CheckExpression {
                kind,
                text: expression,
                step,
            } => vec![
                ("kind", text("checkExpression")),
                ("expressionKind", text(kind)),
                ("text", text(expression)),
                ("step", text(step)),
            ],
            Request::ExerciseCatalog => vec![("kind", text("exerciseCatalog"))],
            Request::Exercise { design, exercise } => vec![
                ("kind", text("exercise")),
                ("design", text(design)),
                ("exercise", text(exercise)),
            ],
            Request::ExerciseLocked {
                design,
                exercise,
                seed,
            } => vec![
                ("kind", text("exerciseLocked")),
                ("design", text(design)),
                ("exercise", text(exercise)),
                ("seed", text(seed)),
            ],
            Request::ExerciseSolution { exercise } => {
                vec![
                    ("kind", text("exerciseSolution")),
                    ("exercise", text(exercise)),
                ]
            }
            Request::LoadDesign { text: design } => {
                vec![("kind", text("loadDesign")), ("text", text(design))]
            }
            Request::DecodeLink { text: link } => {
                vec![("kind", text("decodeLink")), ("text", text(link))]
            }
            Request::EncodeLink {
                design,
                exercise,
                playhead,
            } => vec![
                ("kind", text("encodeLink")),
                ("design", text(design)),
                ("exercise", text(exercise)),
                ("playhead", text(playhead)),
            ],
            Request::Compare { request } => {
                vec![("kind", text("compare")), ("request", text(request))]
            }
        };
        let message = js_sys::Object::new();
        std::iter::once(("id", JsValue::from(id)))
            .chain(fields)
            .try_for_each(|(key, value)| {
                js_sys::Reflect::set(&message, &JsValue::from_str(key), &value).map(|_| ())
            })
            .and_then(|_| self.worker.post_message(&message))
            .map_err(|e| describe(&e))
    }

    /// Ends the worker, and whatever it was doing, at once.
    pub fn stop(self) {
        self.worker.terminate();
    }
}

fn read_answer(data: &JsValue) -> Answer {
    let field = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    let id = field("id")
        .and_then(|v| v.as_f64())
        .map_or(u32::MAX, |n| n as u32);
    let ok = field("ok").and_then(|v| v.as_bool()).unwrap_or(false);
    if let Some(progress) = field("progress").and_then(|v| v.as_string()) {
        return Answer {
            id,
            text: Ok(progress),
            progress: true,
        };
    }
    let text = if ok {
        field("text")
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the simulator answered nothing".to_string())
    } else {
        Err(field("error")
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "the simulator failed".to_string()))
    };
    Answer {
        id,
        text,
        progress: false,
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}
