//! The scrubber: the playhead's event in words, buttons to step and jump, and a slider over the
//! whole run. Shown above the event log, the timeline and the state.

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
