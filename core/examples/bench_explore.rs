//! Exploration and shrinking speed on the photo aggregator (three events per photo, duplicates
//! and delays injected), and on the double-charge design for shrinking, which needs a failure.
//!
//! Run: `cargo run --release -p eventlab-core --example bench_explore`; with a design name and
//! a seed count (`-- photo-aggregator 200`) it only explores that design as the worker does,
//! once, which is the part to profile (`valgrind --tool=callgrind` counts its instructions
//! whatever else the machine is doing).

use std::time::Instant;

use eventlab_core::check::{compile_checks, shrink, Exploration, ExploreOptions};
use eventlab_core::design::{load_value, Design};

fn design(name: &str) -> Design {
    let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the design file");
    let value = serde_json::from_str(&text).expect("JSON");
    load_value(value).expect("a design").design
}

fn explore(name: &str, seeds: u32) {
    let design = design(name);
    let (properties, _) = compile_checks(&design);
    let options = ExploreOptions {
        first_seed: 1,
        seeds,
        shrink: false,
    };
    let started = Instant::now();
    let report = Exploration::new(design, properties, options).run_to_end();
    let seconds = started.elapsed().as_secs_f64();
    println!("{name}_seeds: {seeds} seeds");
    println!("{name}_explore_time: {:.3} s", seconds);
    println!(
        "{name}_seeds_per_s: {:.0} seeds/s",
        f64::from(seeds) / seconds
    );
    for property in &report.properties {
        println!(
            "{name}_{}_failed: {} of {} seeds",
            property.check, property.failed, property.runs
        );
    }
}

/// Exploring as the browser's worker does (`compile_checks`, then `Exploration` with shrinking
/// on) over 1,000 seeds, the figure issue #9's browser benchmark depends on. The best of three
/// rounds is printed, since the machine is shared and a round can be slowed by others.
fn explore_as_worker(name: &str, seeds: u32, rounds: u32) {
    let design = design(name);
    let mut best_seconds = f64::MAX;
    let mut runs = 0;
    for _ in 0..rounds {
        let (properties, _) = compile_checks(&design);
        let options = ExploreOptions {
            first_seed: 1,
            seeds,
            shrink: true,
        };
        let started = Instant::now();
        let report = Exploration::new(design.clone(), properties, options).run_to_end();
        best_seconds = best_seconds.min(started.elapsed().as_secs_f64());
        runs = report.runs;
    }
    println!("{name}_worker_runs: {runs} runs");
    println!(
        "{name}_worker_explore_time: {:.1} ms",
        best_seconds * 1_000.0
    );
    println!(
        "{name}_worker_seeds_per_s: {:.0} seeds/s",
        f64::from(seeds) / best_seconds
    );
}

/// The simulator alone, to show how much of exploring is judging.
fn simulate_only(name: &str, seeds: u32) {
    let design = design(name);
    let started = Instant::now();
    for seed in 1..=u64::from(seeds) {
        let options = eventlab_core::sim::RunOptions {
            seed: Some(seed),
            ..Default::default()
        };
        std::hint::black_box(eventlab_core::sim::simulate(&design, &options));
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}_simulate_only_per_s: {:.0} seeds/s",
        f64::from(seeds) / seconds
    );
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if let [name, seeds] = arguments.as_slice() {
        explore_as_worker(name, seeds.parse().expect("a seed count"), 1);
        return;
    }
    explore_as_worker("photo-aggregator", 1_000, 3);
    simulate_only("photo-aggregator", 1_000);
    explore("photo-aggregator", 1_000);
    explore("duplicates", 1_000);
    for (name, seed) in [("duplicates", 1), ("photo-orchestrator", 5)] {
        let design = design(name);
        let (properties, _) = compile_checks(&design);
        let Some(property) = properties.first() else {
            continue;
        };
        let started = Instant::now();
        let case = shrink(&design, property, seed);
        let milliseconds = started.elapsed().as_secs_f64() * 1_000.0;
        let (replays, kept, original) = case
            .map(|c| (c.replays, c.faults.len(), c.original_fault_count))
            .unwrap_or((0, 0, 0));
        println!("{name}_shrink_time: {milliseconds:.1} ms");
        println!("{name}_shrink_replays: {replays} runs");
        println!("{name}_shrink_faults: {kept} of {original} faults");
    }
}
