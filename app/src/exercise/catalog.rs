//! The guided exercises as the page shows them: the catalog the worker hands over (generated at
//! build time from exercises/, the Markdown already HTML), read into plain data, with the
//! questions the page asks of it (which one, which next, its slot, its starting design).
//!
//! The catalog lives in the worker's bundle, not the page's: the page is over its size budget
//! otherwise, and it starts a worker anyway. It must never judge a design: the worker does, with
//! core's judge. The locked scenario, checks and nodes and the reference solutions are not in
//! the catalog at all; the worker uses them when asked.

use eventlab_core::design::{read_canonical_value, Design};
use serde_json::Value;

/// One of the exercise's locked checks, in plain words for the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub id: String,
    /// The check's description (its id when it has none).
    pub words: String,
    /// Whether it is the check the brief is about (the starting design fails it).
    pub about: bool,
}

/// An exercise as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseEntry {
    /// The folder name, such as `05-duplicates`.
    pub folder: String,
    pub id: String,
    /// Its place in the workshop, from 1.
    pub order: u64,
    pub title: String,
    pub topic: String,
    /// The brief without its title, as HTML rendered at build time.
    pub brief_html: String,
    pub hints_html: Vec<String>,
    pub learned_html: String,
    pub checks: Vec<CheckLine>,
    /// `start.json`, as written.
    start: Value,
}

/// Reads the worker's catalog (or its `{error}`), in workshop order. It is read by hand from a
/// `Value`: a derived parser would add more to the page's bundle than these lines.
pub fn read_catalog(text: &str) -> Result<Vec<ExerciseEntry>, String> {
    let value: Value = crate::run::model::read_answer(text)?;
    let entries = value
        .as_array()
        .ok_or_else(|| "the exercise catalog is not a list".to_string())?;
    Ok(entries.iter().map(entry).collect())
}

fn entry(value: &Value) -> ExerciseEntry {
    let text = |key: &str| field(value, key);
    let list = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    ExerciseEntry {
        folder: text("folder"),
        id: text("id"),
        order: value.get("order").and_then(Value::as_u64).unwrap_or(0),
        title: text("title"),
        topic: text("topic"),
        brief_html: text("briefHtml"),
        hints_html: list("hintsHtml")
            .iter()
            .filter_map(|h| h.as_str().map(str::to_string))
            .collect(),
        learned_html: text("learnedHtml"),
        checks: list("checks")
            .iter()
            .map(|check| CheckLine {
                id: field(check, "id"),
                words: field(check, "words"),
                about: check.get("about").and_then(Value::as_bool) == Some(true),
            })
            .collect(),
        start: value.get("start").cloned().unwrap_or(Value::Null),
    }
}

fn field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The exercise after `id` in the workshop, if any.
pub fn next_after<'a>(all: &'a [ExerciseEntry], id: &str) -> Option<&'a ExerciseEntry> {
    let index = all.iter().position(|e| e.id == id)?;
    all.get(index + 1)
}

/// The prefix of the autosave slot that holds an exercise's work; the rest is its id.
const SLOT_PREFIX: &str = "exercise-";

/// The id of the exercise whose slot this is, if it is one.
pub fn exercise_id(slot: &str) -> Option<&str> {
    slot.strip_prefix(SLOT_PREFIX)
}

impl ExerciseEntry {
    /// The autosave slot of the attendee's work on this exercise.
    pub fn slot(&self) -> String {
        format!("{SLOT_PREFIX}{}", self.id)
    }

    /// The design the attendee starts from (canonical: the worker loaded it).
    pub fn start(&self) -> Option<Design> {
        read_canonical_value(self.start.clone()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"[
        {"folder":"05-duplicates","id":"duplicates","order":5,"title":"Duplicates: charge once",
         "topic":"Concurrency","briefHtml":"<p>Every pizza order</p>","hintsHtml":["<p>a</p>","<p>b</p>"],
         "learnedHtml":"<p>idempotency</p>",
         "checks":[{"id":"charged-once","words":"no order is charged twice","about":true}],
         "start":{"formatVersion":1,"name":"Duplicates"}},
        {"folder":"06-lost-update","id":"lost-update","order":6,"title":"Lost update",
         "topic":"Concurrency","briefHtml":"","hintsHtml":[],"learnedHtml":"","checks":[],"start":{}}]"#;

    #[test]
    fn the_workers_catalog_reads_into_entries() {
        // The page shows what the worker's build-time catalog holds, and finds its way from one
        // exercise to the next and from a slot to its exercise.
        let all = read_catalog(CATALOG).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.len(), 2);
        let duplicates = &all[0];
        assert_eq!(
            (duplicates.order, duplicates.title.as_str()),
            (5, "Duplicates: charge once")
        );
        assert_eq!(duplicates.hints_html.len(), 2);
        assert_eq!(
            duplicates.checks,
            vec![CheckLine {
                id: "charged-once".into(),
                words: "no order is charged twice".into(),
                about: true
            }]
        );
        assert_eq!(duplicates.slot(), "exercise-duplicates");
        assert_eq!(exercise_id("exercise-duplicates"), Some("duplicates"));
        assert_eq!(exercise_id("free"), None);
        assert_eq!(next_after(&all, "duplicates").map(|e| e.order), Some(6));
        assert_eq!(next_after(&all, "lost-update"), None);
        assert_eq!(
            read_catalog(r#"{"error":"the simulator was stopped"}"#).err(),
            Some("the simulator was stopped".to_string())
        );
    }
}
