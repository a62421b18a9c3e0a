//! The JSONPath subset EventBridge input paths use: `$`, `.name`, `['name']` and `[index]`.
//!
//! Owns selecting a value from an event by path. It must never fail loudly: a path that does
//! not parse or does not exist selects nothing, as EventBridge renders it empty.

use serde_json::Value;

enum Step {
    Key(String),
    Index(usize),
}

fn parse(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
            let (name, remainder) = after_dot.split_at(end);
            if name.is_empty() {
                return None;
            }
            steps.push(Step::Key(name.to_string()));
            rest = remainder;
        } else if let Some(after_bracket) = rest.strip_prefix('[') {
            let end = after_bracket.find(']')?;
            let (inside, remainder) = after_bracket.split_at(end);
            rest = remainder.get(1..)?;
            let quoted = inside
                .strip_prefix('\'')
                .and_then(|text| text.strip_suffix('\''))
                .or_else(|| inside.strip_prefix('"').and_then(|t| t.strip_suffix('"')));
            match quoted {
                Some(name) => steps.push(Step::Key(name.to_string())),
                None => steps.push(Step::Index(inside.trim().parse().ok()?)),
            }
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The value at `path` in `event`, if the path parses and exists.
pub fn select<'v>(event: &'v Value, path: &str) -> Option<&'v Value> {
    let steps = parse(path)?;
    steps.iter().try_fold(event, |value, step| match step {
        Step::Key(name) => value.get(name.as_str()),
        Step::Index(index) => value.get(*index),
    })
}
