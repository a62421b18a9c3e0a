//! The bottom panel's tabs (Problems stays the shell's; Checks, Event log, Timeline, State,
//! Before/after and Compare are the run's) and the run tab on show.

use leptos::prelude::*;

use super::checks::ChecksTab;
use super::compare::{BeforeAfterTab, CompareTab};
use super::event_log::EventLogTab;
use super::model::checks_text;
use super::session::{use_run, PanelTab, RunStatus};
use super::state_panel::StateTab;
use super::timeline::TimelineTab;

/// The tab strip. `problems` is how many problems validation found.
#[component]
pub fn RunTabs(#[prop(into)] problems: Signal<usize>) -> impl IntoView {
    let run = use_run();
    let checks_label = move || {
        run.run.with(|finished| match finished {
            Some(f) => format!("Checks ({})", checks_text(&f.view.checks)),
            None => "Checks".to_string(),
        })
    };
    let failing = move || {
        run.run.with(|finished| {
            finished
                .as_ref()
                .is_some_and(|f| f.view.checks.iter().any(|c| c.status == "failed"))
        })
    };
    let tab = move |which: PanelTab, label: Signal<String>, warn: Signal<bool>| {
        view! {
            <button
                class="tab"
                class:active=move || run.tab.get() == which
                class:warn=move || warn.get()
                role="tab"
                aria-selected=move || (run.tab.get() == which).to_string()
                on:click=move |_| run.tab.set(which)
            >
                {move || label.get()}
            </button>
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Bottom panel">
            {tab(
                PanelTab::Problems,
                Signal::derive(move || format!("Problems ({})", problems.get())),
                Signal::derive(|| false),
            )}
            {tab(PanelTab::Checks, Signal::derive(checks_label), Signal::derive(failing))}
            {tab(PanelTab::EventLog, Signal::derive(|| "Event log".to_string()), Signal::derive(|| false))}
            {tab(PanelTab::Timeline, Signal::derive(|| "Timeline".to_string()), Signal::derive(|| false))}
            {tab(PanelTab::State, Signal::derive(|| "State".to_string()), Signal::derive(|| false))}
            {tab(PanelTab::BeforeAfter, Signal::derive(|| "Before/after".to_string()), Signal::derive(|| false))}
            {tab(PanelTab::Compare, Signal::derive(|| "Compare".to_string()), Signal::derive(|| false))}
        </div>
    }
}

/// The run tab on show (nothing for Problems, which the shell draws).
#[component]
pub fn RunPanel() -> impl IntoView {
    let run = use_run();
    let has_run = move || run.run.with(Option::is_some);
    move || {
        let tab = run.tab.get();
        match tab {
            PanelTab::Problems => return ().into_any(),
            PanelTab::BeforeAfter => return view! { <BeforeAfterTab /> }.into_any(),
            PanelTab::Compare => return view! { <CompareTab /> }.into_any(),
            _ => {}
        }
        if !has_run() {
            let text = match run.status.get() {
                RunStatus::Running { .. } => "Running…".to_string(),
                RunStatus::Failed(message) => message,
                _ => "Press ▶ Run in the top bar to run the design; its checks, event log, timeline and state show here.".to_string(),
            };
            return view! { <p class="placeholder run-placeholder">{text}</p> }.into_any();
        }
        match tab {
            PanelTab::Checks => view! { <ChecksTab /> }.into_any(),
            PanelTab::EventLog => view! { <EventLogTab /> }.into_any(),
            PanelTab::Timeline => view! { <TimelineTab /> }.into_any(),
            PanelTab::State => view! { <StateTab /> }.into_any(),
            _ => ().into_any(),
        }
    }
}
