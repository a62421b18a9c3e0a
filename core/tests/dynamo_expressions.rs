//! Table-driven expression tests: every case in tests/data/dynamo/{conditions,updates,
//! projections}.json is parsed with its placeholders and either evaluated against its item or
//! expected to fail with AWS's exact message (and the fault's character position).

use eventlab_core::dynamo::{
    apply_update, evaluate, item_from_wire, item_to_value, parse_condition, parse_projection,
    parse_update, project, ExpressionError, Item, Placeholders,
};
use serde_json::{json, Value};

fn cases(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/dynamo/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match serde_json::from_str(&text) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("{path}: not a JSON array: {other:?}"),
    }
}

fn item_of(case: &Value) -> Item {
    match &case["item"] {
        Value::Null => Item::new(),
        Value::String(name) if name == "product" => item_from_wire(&json!({
            "Id": {"N": "456"}, "Price": {"N": "650"}, "ProductCategory": {"S": "Sporting Goods"}
        }))
        .unwrap(),
        wire => {
            item_from_wire(wire).unwrap_or_else(|e| panic!("{}: bad item: {e:?}", case["name"]))
        }
    }
}

/// Parses a case's expression the way a request does: placeholders, then the expression, then
/// the unused-placeholder check.
fn parse<T>(
    case: &Value,
    parser: impl Fn(&str, &mut Placeholders) -> Result<T, ExpressionError>,
) -> Result<T, ExpressionError> {
    let mut placeholders = Placeholders::from_request(case.get("names"), case.get("values"))
        .map_err(ExpressionError::new)?;
    let parsed = parser(case["expression"].as_str().unwrap(), &mut placeholders)?;
    placeholders
        .check_all_used()
        .map_err(ExpressionError::new)?;
    Ok(parsed)
}

/// Compares an expected error (message and, when given, position) and reports a mismatch.
fn check_error(case: &Value, result: Result<(), ExpressionError>, failures: &mut Vec<String>) {
    let name = &case["name"];
    let expected = case["error"].as_str().unwrap();
    match result {
        Ok(()) => failures.push(format!("{name}: parsed, expected error {expected:?}")),
        Err(error) if error.message != expected => failures.push(format!(
            "{name}:\n  expected {expected:?}\n  got      {:?}",
            error.message
        )),
        Err(error) => {
            if let Some(position) = case.get("position").and_then(Value::as_u64) {
                if error.position != Some(position as u32) {
                    failures.push(format!(
                        "{name}: position {:?}, expected {position}",
                        error.position
                    ));
                }
            }
        }
    }
}

fn report(file: &str, total: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases in {file} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn condition_cases() {
    let cases = cases("conditions.json");
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = parse(case, parse_condition);
        if case.get("error").is_some() {
            check_error(case, parsed.map(|_| ()), &mut failures);
            continue;
        }
        match parsed {
            Err(error) => failures.push(format!(
                "{}: unexpected error {:?}",
                case["name"], error.message
            )),
            Ok(condition) => {
                let found = evaluate(&condition, &item_of(case));
                if Some(found) != case["expect"].as_bool() {
                    failures.push(format!("{}: evaluated to {found}", case["name"]));
                }
            }
        }
    }
    report("conditions.json", cases.len(), failures);
}

#[test]
fn update_cases() {
    let cases = cases("updates.json");
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = parse(case, parse_update);
        if case.get("error").is_some() {
            check_error(case, parsed.map(|_| ()), &mut failures);
            continue;
        }
        let update = match parsed {
            Ok(update) => update,
            Err(error) => {
                failures.push(format!(
                    "{}: unexpected error {:?}",
                    case["name"], error.message
                ));
                continue;
            }
        };
        match (
            apply_update(&update, &item_of(case)),
            case.get("runtime_error"),
        ) {
            (Ok(item), None) if item_to_value(&item) == case["expect"] => {}
            (Ok(item), None) => {
                failures.push(format!("{}: got {}", case["name"], item_to_value(&item)))
            }
            (Err(message), Some(expected)) if expected == &json!(message) => {}
            (outcome, _) => failures.push(format!("{}: got {outcome:?}", case["name"])),
        }
    }
    report("updates.json", cases.len(), failures);
}

#[test]
fn projection_cases() {
    let cases = cases("projections.json");
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = parse(case, parse_projection);
        if case.get("error").is_some() {
            check_error(case, parsed.map(|_| ()), &mut failures);
            continue;
        }
        match parsed {
            Ok(paths) => {
                let projected = item_to_value(&project(&item_of(case), &paths));
                if projected != case["expect"] {
                    failures.push(format!("{}: got {projected}", case["name"]));
                }
            }
            Err(error) => failures.push(format!(
                "{}: unexpected error {:?}",
                case["name"], error.message
            )),
        }
    }
    report("projections.json", cases.len(), failures);
}
