//! The scrubber: the playhead's event in words, buttons to step and jump, and a slider over the
//! whole run. Shown above the event log, the timeline and the state. Also the playhead's
//! form in share links.

use leptos::prelude::*;

use super::session::use_run;

#[component]
pub fn PlayheadBar() -> impl IntoView {
    let run = use_run();
    let last = move || {
        run.run.with(|f| {
            f.as_ref()
                .and_then(|f| f.view.events.last().map(|e| e.seq))
                .unwrap_or(0)
        })
    };
    let position = move || run.playhead.get().unwrap_or(0);
    let describe = move || {
        let seq = run.playhead.get()?;
        run.run.with(|f| {
            let event = f.as_ref()?.view.events.get(seq as usize)?;
            Some(format!(
                "#{} · {} ms · {} · {}",
                event.seq, event.at_ms, event.node, event.kind
            ))
        })
    };
    let step = move |delta: i64| {
        run.playing.set(false);
        let next = i64::from(position()) + delta;
        run.seek(u32::try_from(next.max(0)).unwrap_or(0));
    };
    view! {
        <div class="playhead-bar" role="group" aria-label="Playhead">
            <button
                class="button small play-button"
                aria-label=move || if run.playing.get() { "Pause" } else { "Play" }
                title="Play the run event by event (Space)"
                on:click=move |_| run.toggle_play()
            >
                {move || if run.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <select
                class="input speed-select"
                aria-label="Playback speed"
                title="Events a second"
                on:change=move |ev| {
                    if let Ok(speed) = event_target_value(&ev).parse::<u32>() {
                        run.speed.set(speed);
                    }
                }
            >
                {[2u32, 4, 10, 25, 60]
                    .into_iter()
                    .map(|speed| {
                        view! {
                            <option value=speed.to_string() selected=move || run.speed.get() == speed>
                                {format!("{speed}/s")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button class="button small" aria-label="First event" title="First event" on:click=move |_| run.seek(0)>
                "|◀"
            </button>
            <button class="button small" aria-label="Previous event" title="Previous event" on:click=move |_| step(-1)>
                "◀"
            </button>
            <button class="button small" aria-label="Next event" title="Next event" on:click=move |_| step(1)>
                "▶"
            </button>
            <button class="button small" aria-label="Last event" title="Last event" on:click=move |_| run.seek(last())>
                "▶|"
            </button>
            <button
                class="button small"
                aria-label="Next failure"
                title="Jump to the next failure (N; Shift+N goes back)"
                on:click=move |_| run.jump_to_failure(true)
            >
                "Next failure"
            </button>
            <input
                class="scrubber"
                type="range"
                min="0"
                max=move || last().to_string()
                prop:value=move || position().to_string()
                aria-label="Scrub the run"
                on:input=move |ev| {
                    if let Ok(seq) = event_target_value(&ev).parse::<u32>() {
                        run.seek(seq);
                    }
                }
            />
            <span class="playhead-label" data-testid="playhead">
                {move || describe().unwrap_or_default()}
            </span>
        </div>
    }
}

/// The playhead in a share link: `e-<seq>`, the trace event of the run of the design with its
/// scenario's seed (a run is a pure function of both, so the event is the same on opening).
pub fn playhead_id(seq: u32) -> String {
    format!("e-{seq}")
}

/// The `seq` of a share link's playhead, if it is one.
pub fn parse_playhead(id: &str) -> Option<u32> {
    id.strip_prefix("e-")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_playhead_survives_its_link_form() {
        // What Share writes, opening reads; anything else is no playhead rather than a guess.
        assert_eq!(parse_playhead(&playhead_id(42)), Some(42));
        for text in ["", "e-", "42", "e-x", "e--1", "seq-4"] {
            assert_eq!(parse_playhead(text), None, "{text}");
        }
    }
}
