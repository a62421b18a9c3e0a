//! `eventlab export` from the outside: the built binary writes each target's files under
//! `--out` and names each one on stdout (exit 0); an unknown target, a missing `--to` or `--out`,
//! or an unreadable design is unusable input (exit 2).

use std::path::PathBuf;
use std::process::{Command, Output};

fn eventlab(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(arguments)
        .output()
        .expect("the binary runs")
}

fn design(name: &str) -> String {
    format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("eventlab-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    directory
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
fn each_target_writes_its_files_and_names_them() {
    // duplicates-fixed: one rule, two event types, one function; every printed path exists.
    let out = scratch("targets");
    let out_text = out.to_str().unwrap();
    let expected = [
        ("rules", vec!["rules/orders-bus/charge-on-order.json"]),
        (
            "schemas",
            vec![
                "schemas/com.pizza.order.placed.v1.schema.json",
                "schemas/com.pizza.payment.charged.v1.schema.json",
            ],
        ),
        ("asyncapi", vec!["asyncapi.json"]),
        (
            "ts",
            vec![
                "handlers/runtime.ts",
                "handlers/tsconfig.json",
                "handlers/charge-payment.ts",
            ],
        ),
        ("cdk", vec!["cdk/app.ts", "cdk/cdk.json"]),
        ("asl", vec![]),
    ];
    for (target, paths) in expected {
        let printed = check(
            &[
                "export",
                &design("duplicates-fixed"),
                "--to",
                target,
                "--out",
                out_text,
            ],
            0,
        );
        let lines: Vec<String> = printed.lines().map(str::to_string).collect();
        let wanted: Vec<String> = paths
            .iter()
            .map(|p| out.join(p).display().to_string())
            .collect();
        assert_eq!(lines, wanted, "{target}");
        for path in &wanted {
            assert!(std::path::Path::new(path).is_file(), "{path}");
        }
    }
    let pattern =
        std::fs::read_to_string(out.join("rules/orders-bus/charge-on-order.json")).unwrap();
    assert_eq!(
        pattern,
        "{\n  \"detail-type\": [\n    \"com.pizza.order.placed.v1\"\n  ]\n}\n"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn unusable_input_exits_2() {
    // An unknown target, missing options and a missing file are refused before anything is written.
    let out = scratch("refused");
    let out_text = out.to_str().unwrap();
    let duplicates = design("duplicates");
    check(
        &["export", &duplicates, "--to", "yaml", "--out", out_text],
        2,
    );
    check(&["export", &duplicates, "--out", out_text], 2);
    check(&["export", &duplicates, "--to", "ts"], 2);
    check(
        &[
            "export",
            "/no/such/design.json",
            "--to",
            "ts",
            "--out",
            out_text,
        ],
        2,
    );
    let stderr = String::from_utf8_lossy(
        &eventlab(&["export", &duplicates, "--to", "yaml", "--out", out_text]).stderr,
    )
    .into_owned();
    assert!(
        stderr.contains("--to is one of ts, cdk, asl, rules, schemas, asyncapi, got 'yaml'"),
        "{stderr}"
    );
    assert!(!out.exists());
}
