//! Beside the event log: the story of the event at the playhead, asked of the worker (core's
//! `event_story`, HTML shaped and escaped by `worker/src/story_html.rs`): the chain of events
//! that caused it, each a button that moves the playhead there, and the message it carries or
//! acts on (the EventBridge event with its CloudEvent, an SQS body), or its trace record.
//! Read on pause only, as the State tab is: asking at every step while playing would cost a
//! worker round trip and a redraw per frame.

use std::sync::Arc;

use leptos::prelude::*;

use super::bridge::Request;
use super::compare::read_html;
use super::session::use_run;
use crate::exercise::clicked;

#[derive(Clone, PartialEq)]
enum Story {
    Waiting,
    Loaded(Arc<str>),
    Failed(String),
}

#[component]
pub fn EventStoryPane() -> impl IntoView {
    let run = use_run();
    let story = RwSignal::new(Story::Waiting);
    // The last question asked: older answers arriving late are dropped.
    let latest = StoredValue::new(None::<u32>);
    Effect::new(move |_| {
        let seq = run.playhead.get();
        if run.playing.get() {
            return;
        }
        let asked = run.run.with(|f| {
            let f = f.as_ref()?;
            Some((f.design_json.clone(), f.view.seed.clone(), seq?))
        });
        let Some((design, seed, seq)) = asked else {
            story.set(Story::Waiting);
            return;
        };
        let request = Request::EventStory {
            design: &design,
            seed: &seed,
            seq,
        };
        // The answer may arrive after the tab was closed (its signals gone): `try_`, never
        // a panic.
        let sent = run.ask(&request, move |answer| {
            if latest.try_get_value().flatten() == Some(answer.id) {
                let _ = story.try_set(match answer.text.and_then(|t| read_html(&t)) {
                    Ok(html) => Story::Loaded(html),
                    Err(message) => Story::Failed(message),
                });
            }
        });
        match sent {
            Ok(id) => latest.set_value(Some(id)),
            Err(message) => story.set(Story::Failed(message)),
        }
    });
    let note = move || {
        if run.playing.get() {
            "Playing: the event's story is shown when you pause.".to_string()
        } else {
            match story.get() {
                Story::Waiting => "Reading the event's story…".to_string(),
                Story::Failed(message) => {
                    format!("The event's story could not be read: {message}.")
                }
                Story::Loaded(_) => String::new(),
            }
        }
    };
    // A new story is read from its top.
    let pane = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        story.track();
        if let Some(pane) = pane.get_untracked() {
            pane.set_scroll_top(0);
        }
    });
    let html = move || match story.get() {
        Story::Loaded(html) if !run.playing.get() => html.to_string(),
        _ => String::new(),
    };
    // The worker's buttons carry the event they point at in `data-seq`.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(seq) = clicked(&ev, "data-seq").and_then(|s| s.parse().ok()) {
            run.seek(seq);
        }
    };
    view! {
        <aside class="event-story" aria-label="Event at the playhead" node_ref=pane>
            <p class="placeholder" aria-live="polite">{note}</p>
            <div inner_html=html on:click=on_click></div>
        </aside>
    }
}
