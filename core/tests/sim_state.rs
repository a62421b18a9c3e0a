//! State at a trace event, derived from the trace: at the end it equals the run's final state,
//! and in the middle it shows what was true then (a message waiting, an invocation running).

use eventlab_core::design::{load_text, Design};
use eventlab_core::sim::{simulate, state_at, RunOptions, TraceKind};

fn design_file(name: &str) -> Design {
    let path = format!("{}/../designs/{name}", env!("CARGO_MANIFEST_DIR"));
    load_text(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .design
}

// For every example design and a few seeds, the state after the last event equals the final
// items the run reports, and the queues hold as many messages as the run says.
#[test]
fn state_at_the_end_is_the_final_state() {
    let directory = format!("{}/../designs", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        let design = design_file(&name);
        for seed in 1..=3 {
            let run = simulate(
                &design,
                &RunOptions {
                    seed: Some(seed),
                    ..RunOptions::default()
                },
            );
            let last = run.trace.len() as u32 - 1;
            let state = state_at(&design, &run.trace, last);
            assert_eq!(state.tables, run.summary.final_items, "{name} seed {seed}");
            for (queue, depth) in &run.summary.queue_depths {
                assert_eq!(
                    state.queues[queue].len() as u32,
                    *depth,
                    "{name} seed {seed} queue {queue}"
                );
            }
            assert!(state.in_flight.is_empty(), "{name} seed {seed}");
        }
    }
}

// In the middle of a run the state shows the invocation in flight and the item as it was.
#[test]
fn state_in_the_middle_of_a_run() {
    let design = design_file("lost-update.json");
    let run = simulate(&design, &RunOptions::default());
    let started = run
        .trace
        .iter()
        .find(|e| {
            e.node == "payment-handler" && matches!(e.kind, TraceKind::InvocationStarted { .. })
        })
        .unwrap();
    let state = state_at(&design, &run.trace, started.seq);
    assert!(state
        .in_flight
        .iter()
        .any(|i| i.function == "payment-handler"));
    let order = &state.tables["orders"][0];
    assert_eq!(
        order["paymentStatus"], "pending",
        "nothing paid yet at that moment"
    );
}
