//! The `eventlab` command line: core's engines as JSON in, JSON or text out.
//!
//! The contract (inputs, outputs, exit codes) is in docs/cli.md. Exit 0: the work was done and
//! all held; 1: the user's design or data has a problem; 2: the input could not be used. A panic
//! (exit 101) is always a bug.

mod args;
mod asl;
mod check;
mod cloudevent;
mod design;
mod export;
mod lint;
mod matching;
mod table;

use std::process::ExitCode;

/// What a subcommand found, once it could do its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything held (exit 0).
    Clean,
    /// The work was done and found a problem in the user's design or data (exit 1).
    Problem,
}

/// The input could not be used (exit 2); the message says what and where.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure(message.into())
    }
}

pub type CommandResult = Result<Outcome, Failure>;

const USAGE: &str = "usage: eventlab <command> [args]

commands:
  table REQUESTS.json                      run DynamoDB API requests against in-memory tables
  match PATTERN.json EVENT.json            does an EventBridge pattern match an event
  match --cases CASES.json                 run pattern test cases
  match --rules RULES.json --events EVENTS.jsonl [--count]
  cloudevent validate EVENT.json           validate a CloudEvents 1.0.2 JSON event
  validate DESIGN.json [--format json]     a design's diagnostics
  run DESIGN.json [--seed N] [--format text|json]   run the design's scenario
  check DESIGN.json [--seeds N] [--exercise NAME]   the design's properties across seeds
  explore DESIGN.json [--seeds N]          the same as check, as JSON
  lint DESIGN.json [--format json]         event and wiring lint findings
  asl run DEFINITION.json --input INPUT.json [--mock MOCKS.json] [--express]
  export DESIGN.json --to ts|cdk|asl|rules|schemas|asyncapi --out DIR
";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = dispatch(&arguments);
    match result {
        Ok(Outcome::Clean) => ExitCode::from(0),
        Ok(Outcome::Problem) => ExitCode::from(1),
        Err(Failure(message)) => {
            eprintln!("eventlab: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(arguments: &[String]) -> CommandResult {
    let Some((command, rest)) = arguments.split_first() else {
        return Err(Failure::new(format!("no command given\n{USAGE}")));
    };
    match command.as_str() {
        "table" => table::run(rest),
        "match" => matching::run(rest),
        "cloudevent" => cloudevent::run(rest),
        "asl" => asl::run(rest),
        "validate" => design::run_validate(rest),
        "run" => design::run_run(rest),
        "check" => check::run_check(rest),
        "explore" => check::run_explore(rest),
        "lint" => lint::run(rest),
        "export" => export::run(rest),
        "--help" | "-h" | "help" => {
            print!("{USAGE}");
            Ok(Outcome::Clean)
        }
        "--version" => {
            println!("eventlab {}", eventlab_core::CORE_VERSION);
            Ok(Outcome::Clean)
        }
        other => Err(Failure::new(format!("unknown command '{other}'\n{USAGE}"))),
    }
}
