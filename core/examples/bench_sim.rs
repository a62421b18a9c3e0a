//! Simulator throughput: deliveries and handler steps per second on the 10,000-order pizza
//! design and the 100-node design (workloads fixed in the files), natively.

use std::time::Instant;

use eventlab_core::design::load_text;
use eventlab_core::sim::{simulate, RunOptions, TraceKind};

fn main() {
    for name in ["orders-10k.json", "large-100-nodes.json"] {
        let path = format!("{}/../designs/perf/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the design file is in the repo");
        let design = load_text(&text).expect("a valid design").design;
        // One run of the 10,000-order design is several seconds; the small one is repeated.
        let runs = if name == "orders-10k.json" { 1 } else { 3 };
        let mut best = f64::MAX;
        let mut last = None;
        for seed in 1..=runs {
            let start = Instant::now();
            let run = simulate(
                &design,
                &RunOptions {
                    seed: Some(seed),
                    ..RunOptions::default()
                },
            );
            best = best.min(start.elapsed().as_secs_f64());
            last = Some(run);
        }
        let Some(run) = last else { return };
        let deliveries = run
            .trace
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    TraceKind::Delivered { .. } | TraceKind::MessageReceived { .. }
                )
            })
            .count();
        let steps = run
            .trace
            .iter()
            .filter(|e| matches!(e.kind, TraceKind::Step { .. }))
            .count();
        println!(
            "design: {name} ({} trace events, settled {})",
            run.trace.len(),
            run.summary.settled
        );
        println!("run_time_ms: {:.1} (best of {runs})", best * 1000.0);
        println!("deliveries_per_s: {:.0}", deliveries as f64 / best);
        println!("handler_steps_per_s: {:.0}", steps as f64 / best);
        println!("trace_events_per_s: {:.0}", run.trace.len() as f64 / best);
    }
}
