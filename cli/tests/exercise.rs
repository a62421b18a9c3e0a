//! `eventlab check DESIGN.json --exercise NAME` from the outside: for every exercise folder,
//! the reference solution exits 0 and the starting design exits 1 under the exercise's locked
//! scenario and checks; an unknown exercise exits 2 with the list of names.

use std::path::PathBuf;
use std::process::{Command, Output};

fn eventlab(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(arguments)
        .env_remove("EVENTLAB_EXERCISES")
        .output()
        .expect("the binary runs")
}

/// The exercise folders, in order.
fn folders() -> Vec<String> {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .expect("exercises/ exists")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("exercise.json").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn design(folder: &str, file: &str) -> String {
    format!(
        "{}/../exercises/{folder}/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The one boundary: arguments in, exit code and stdout out (stderr shown on a mismatch).
fn check(arguments: &[&str], code: i32) -> String {
    let output = eventlab(arguments);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{arguments:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn every_solution_passes_and_every_start_fails() {
    // Exit 0 for each reference solution, 1 for each starting design, by folder name.
    let folders = folders();
    assert!(!folders.is_empty());
    for folder in &folders {
        let text = check(
            &[
                "check",
                &design(folder, "solution.json"),
                "--exercise",
                folder,
            ],
            0,
        );
        assert!(text.contains("is done"), "{text}");
        let text = check(
            &["check", &design(folder, "start.json"), "--exercise", folder],
            1,
        );
        assert!(
            text.contains("[the check this exercise is about]"),
            "{text}"
        );
    }
}

#[test]
fn the_exercise_is_found_by_id_and_its_scenario_is_locked() {
    // The id works as well as the folder name, and the design's own (empty) checks and
    // scenario do not matter: the exercise's are used.
    let directory =
        std::env::temp_dir().join(format!("eventlab-exercise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("no-faults.json");
    let mut document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(design("05-duplicates", "start.json")).unwrap(),
    )
    .unwrap();
    document["scenario"] = serde_json::json!({"seed": 1});
    document["checks"] = serde_json::json!([]);
    std::fs::write(&path, document.to_string()).unwrap();
    let text = check(
        &["check", path.to_str().unwrap(), "--exercise", "duplicates"],
        1,
    );
    assert!(
        text.starts_with("exercise 05-duplicates (duplicates): "),
        "{text}"
    );
    assert!(
        text.contains("FAIL charged-once (always exactlyOnce)"),
        "{text}"
    );
}

#[test]
fn an_unknown_exercise_or_locked_seeds_exit_2() {
    // An unknown name lists the exercises; --seeds cannot override the locked seeds.
    let output = eventlab(&[
        "check",
        &design("05-duplicates", "start.json"),
        "--exercise",
        "nope",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown exercise 'nope'; the exercises are:"),
        "{stderr}"
    );
    assert!(stderr.contains("05-duplicates (duplicates)"), "{stderr}");
    let output = eventlab(&[
        "check",
        &design("05-duplicates", "start.json"),
        "--exercise",
        "duplicates",
        "--seeds",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
