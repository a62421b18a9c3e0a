//! The `match` subcommand (see docs/cli.md): one pattern against one event, a file of
//! pattern cases, or many rules against a stream of events.
//!
//! Owns reading files and printing results; every decision about patterns is core's. It
//! prints a pattern EventBridge rejects with EventBridge's exact message (on stdout, so it can
//! be compared) and exits 2.

use std::time::Instant;

use eventlab_core::cloudevent::{to_eventbridge, BusEnvelope, CloudEvent};
use eventlab_core::pattern::{Pattern, RuleSet};
use serde_json::{json, Value};

use crate::args::{read_file, read_json, Arguments};
use crate::{CommandResult, Failure, Outcome};

pub fn run(arguments: &[String]) -> CommandResult {
    let parsed = Arguments::parse(
        arguments,
        &["cloudevent", "count"],
        &["cases", "rules", "events"],
    )?;
    if let Some(cases) = parsed.option("cases") {
        parsed.expect_positionals("")?;
        return run_cases(cases);
    }
    if let Some(rules) = parsed.option("rules") {
        parsed.expect_positionals("")?;
        let events = parsed
            .option("events")
            .ok_or_else(|| Failure::new("--rules needs --events EVENTS.jsonl"))?;
        return run_rules(rules, events, parsed.flag("count"));
    }
    let files = parsed.expect_positionals("PATTERN.json EVENT.json")?;
    let (Some(pattern_path), Some(event_path)) = (files.first(), files.get(1)) else {
        return Err(Failure::new("expected PATTERN.json EVENT.json"));
    };
    match_one(pattern_path, event_path, parsed.flag("cloudevent"))
}

/// Pattern text as PutRule would receive it: a JSON string value is the text itself,
/// anything else is written compactly.
fn pattern_text(pattern: &Value) -> String {
    match pattern {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn match_one(pattern_path: &str, event_path: &str, cloudevent: bool) -> CommandResult {
    let text = read_file(pattern_path)?;
    let pattern = match Pattern::parse(&text) {
        Ok(pattern) => pattern,
        Err(error) => {
            println!("{error}");
            return Err(Failure::new(format!(
                "{pattern_path}: EventBridge rejects this pattern"
            )));
        }
    };
    let mut event = read_json(event_path)?;
    if cloudevent {
        let cloud_event = CloudEvent::from_json(&event).map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Failure::new(format!(
                "{event_path}: not a valid CloudEvent: {}",
                lines.join("; ")
            ))
        })?;
        event = to_eventbridge(&cloud_event, &BusEnvelope::sample(&cloud_event));
    }
    println!("{}", pattern.matches(&event));
    Ok(Outcome::Clean)
}

/// A case's verdict as text: `true`, `false` or the exact error message.
fn verdict(pattern: &Value, event: &Value) -> String {
    match Pattern::parse(&pattern_text(pattern)) {
        Ok(parsed) => parsed.matches(event).to_string(),
        Err(error) => error.to_string(),
    }
}

fn run_cases(path: &str) -> CommandResult {
    let document = read_json(path)?;
    let Value::Array(cases) = document else {
        return Err(Failure::new(format!(
            "{path}: expected a JSON array of {{name, pattern, event, expected}}"
        )));
    };
    let (mut passed, mut failed) = (0u64, 0u64);
    for (index, case) in cases.iter().enumerate() {
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("case {}", index + 1), str::to_string);
        let expected = match case.get("expected") {
            Some(Value::Bool(flag)) => flag.to_string(),
            Some(Value::String(message)) => message.clone(),
            _ => {
                failed += 1;
                println!("FAIL {name}: expected must be true, false or an error message");
                continue;
            }
        };
        let pattern = case.get("pattern").cloned().unwrap_or(Value::Null);
        let event = case.get("event").cloned().unwrap_or(Value::Null);
        let actual = verdict(&pattern, &event);
        if actual == expected {
            passed += 1;
            println!("PASS {name}");
        } else {
            failed += 1;
            println!("FAIL {name}: expected {expected}, got {actual}");
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::Problem
    })
}

fn load_rules(path: &str) -> Result<Vec<(String, Pattern)>, Failure> {
    let document = read_json(path)?;
    let Value::Object(rules) = document else {
        return Err(Failure::new(format!(
            "{path}: expected a JSON object of rule name -> pattern"
        )));
    };
    rules
        .iter()
        .map(|(name, pattern)| {
            Pattern::parse(&pattern_text(pattern))
                .map(|parsed| (name.clone(), parsed))
                .map_err(|error| Failure::new(format!("{path}: rule {name}: {error}")))
        })
        .collect()
}

fn run_rules(rules_path: &str, events_path: &str, count: bool) -> CommandResult {
    let rules = load_rules(rules_path)?;
    let lines = read_file(events_path)?;
    let compile_start = Instant::now();
    let rule_set = RuleSet::compile(&rules);
    let compile_ms = compile_start.elapsed().as_secs_f64() * 1000.0;
    let match_start = Instant::now();
    let mut outputs = Vec::new();
    let mut matches = 0u64;
    for (number, line) in lines.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event: Value = serde_json::from_str(line).map_err(|error| {
            Failure::new(format!(
                "{events_path}:{}: invalid JSON: {error}",
                number + 1
            ))
        })?;
        let matched = rule_set.matching_rules(&event);
        matches += matched.len() as u64;
        outputs.push(json!(matched).to_string());
    }
    let match_seconds = match_start.elapsed().as_secs_f64();
    if count {
        let events = outputs.len() as u64;
        let events_per_s = if match_seconds > 0.0 {
            events as f64 / match_seconds
        } else {
            0.0
        };
        let round = |value: f64| (value * 1000.0).round() / 1000.0;
        let summary = json!({
            "events": events,
            "matches": matches,
            "compile_ms": round(compile_ms),
            "match_ms": round(match_seconds * 1000.0),
            "events_per_s": round(events_per_s),
        });
        println!("{summary}");
    } else {
        for output in outputs {
            println!("{output}");
        }
    }
    Ok(Outcome::Clean)
}
