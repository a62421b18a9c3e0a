//! An event's story (core's `event_story`) as HTML for the page's Event log tab, which sets it
//! beside the log as it is: the event, the chain of events that caused it (each a button with
//! `data-seq` that moves the playhead there), and the message it carries or acts on, as JSON.
//! Shaped here rather than by page components for the page bundle's size, as the comparison
//! table is (`compare_html.rs`).
//!
//! Everything from the run (node ids, event lines, message bodies) is escaped.

use std::fmt::Write;

use eventlab_core::sim::{EventStory, TraceEvent};
use serde_json::Value;

use crate::compare_html::escape;

/// The story as HTML: the event's line, its causes (oldest first), then its message.
pub fn story(story: &EventStory) -> String {
    let event = story.event;
    let mut html = format!(
        r#"<h3 class="story-title">{}</h3><p class="story-line mono">{}</p>"#,
        escape(&heading(event)),
        escape(&event.to_line())
    );
    html.push_str(r#"<h4 class="story-heading">Why it happened</h4>"#);
    if story.causes.is_empty() {
        html.push_str(r#"<p class="story-none">Nothing in the run caused it: it starts a flow (the scenario's workload or an injected fault).</p>"#);
    } else {
        html.push_str(r#"<ol class="story-causes">"#);
        for cause in story.causes.iter().rev() {
            let _ = write!(
                html,
                r#"<li><button class="story-jump mono" data-seq="{}" title="Move the playhead to #{}">{}</button></li>"#,
                cause.seq,
                cause.seq,
                escape(&cause.to_line())
            );
        }
        let _ = write!(
            html,
            r#"<li class="story-here mono" aria-current="true">{}</li></ol>"#,
            escape(&event.to_line())
        );
    }
    match story.message {
        Some((what, holder, body)) => {
            let _ = write!(html, r#"<h4 class="story-heading">{}</h4>"#, escape(what));
            if holder.seq != event.seq {
                let _ = write!(
                    html,
                    r#"<p class="story-from">As <button class="story-jump" data-seq="{}">{}</button> put it.</p>"#,
                    holder.seq,
                    escape(&heading(holder))
                );
            }
            json_block(&mut html, body);
        }
        None => {
            html.push_str(r#"<h4 class="story-heading">The trace record</h4>"#);
            match serde_json::to_value(event) {
                Ok(record) => json_block(&mut html, &record),
                Err(_) => {
                    html.push_str(r#"<p class="story-none">It could not be written as JSON.</p>"#)
                }
            }
        }
    }
    html
}

/// "#41 · 292 ms · payment-provider · externalEffect".
fn heading(event: &TraceEvent) -> String {
    format!(
        "#{} · {} ms · {} · {}",
        event.seq,
        event.at_ms,
        event.node,
        event.kind.name()
    )
}

fn json_block(html: &mut String, value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let _ = write!(
        html,
        r#"<pre class="story-json mono">{}</pre>"#,
        escape(&text)
    );
}

#[cfg(test)]
mod tests {
    use eventlab_core::design::load_text;
    use eventlab_core::sim::{event_story, simulate, RunOptions};

    use super::*;

    fn run() -> Vec<TraceEvent> {
        let text = include_str!("../../designs/duplicates.json");
        let design = load_text(text).unwrap().design;
        simulate(&design, &RunOptions::default()).trace
    }

    #[test]
    fn a_delivery_shows_its_causes_and_the_cloud_event_it_carries() {
        let trace = run();
        let delivered = trace.iter().find(|e| e.kind.name() == "delivered").unwrap();
        let html = story(&event_story(&trace, delivered.seq).unwrap());
        assert!(html.contains("Why it happened"));
        assert!(html.contains(r#"<button class="story-jump mono" data-seq="0""#));
        assert!(html.contains("The EventBridge event (its detail is the CloudEvent)"));
        assert!(html.contains("&quot;specversion&quot;: &quot;1.0&quot;"));
        assert!(
            html.contains(r#"<p class="story-from">As <button class="story-jump" data-seq="1">"#)
        );
    }

    #[test]
    fn a_producer_starts_its_flow_and_an_effect_shows_its_trace_record() {
        let trace = run();
        let produced = story(&event_story(&trace, 0).unwrap());
        assert!(produced.contains("Nothing in the run caused it"));
        let effect = trace
            .iter()
            .find(|e| e.kind.name() == "externalEffect")
            .unwrap();
        let html = story(&event_story(&trace, effect.seq).unwrap());
        assert!(html.contains("The trace record"));
        assert!(html.contains("&quot;kind&quot;: &quot;externalEffect&quot;"));
    }
}
