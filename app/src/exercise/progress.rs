//! Progress through the exercises, kept in localStorage under one key: per exercise id, whether
//! it was started or done and how many hints were revealed. A person's progress is theirs, so
//! it is read tolerantly (anything unreadable counts as not started) and never goes backwards:
//! a done exercise stays done whatever is checked later.
//!
//! It must never touch the designs: those live in the autosave slots (`state::persistence`).

use std::collections::BTreeMap;

use serde_json::Value;

const KEY: &str = "eventlab/v1/exercise-progress";

/// Where a person stands on one exercise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    #[default]
    NotStarted,
    Started,
    Done,
}

impl Stage {
    /// The name saved in localStorage.
    fn key(self) -> &'static str {
        match self {
            Stage::NotStarted => "notStarted",
            Stage::Started => "started",
            Stage::Done => "done",
        }
    }

    fn from_key(key: &str) -> Option<Stage> {
        [Stage::NotStarted, Stage::Started, Stage::Done]
            .into_iter()
            .find(|stage| stage.key() == key)
    }

    pub fn words(self) -> &'static str {
        match self {
            Stage::NotStarted => "Not started",
            Stage::Started => "Started",
            Stage::Done => "Done",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Stage::NotStarted => "stage-not-started",
            Stage::Started => "stage-started",
            Stage::Done => "stage-done",
        }
    }
}

/// One exercise's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    pub stage: Stage,
    /// How many hints were revealed (they stay revealed after a reload).
    pub hints: u32,
}

/// Every exercise's record, by exercise id.
pub type Progress = BTreeMap<String, Record>;

/// Reads the progress text, one exercise at a time: a record that cannot be read counts as not
/// started, and text that is not an object is no progress at all. (Read by hand from a
/// `Value`: a derived parser would add more to the page's bundle than these lines.)
pub fn parse(text: &str) -> Progress {
    let Ok(Value::Object(records)) = serde_json::from_str::<Value>(text) else {
        return Progress::new();
    };
    // Inserted one by one: collecting into a map would add a sort to the bundle.
    let mut progress = Progress::new();
    for (id, record) in &records {
        let Some(stage) = record
            .get("stage")
            .and_then(Value::as_str)
            .and_then(Stage::from_key)
        else {
            continue;
        };
        let hints = record.get("hints").and_then(Value::as_u64).unwrap_or(0);
        let hints = u32::try_from(hints).unwrap_or(u32::MAX);
        progress.insert(id.clone(), Record { stage, hints });
    }
    progress
}

/// The progress as saved: `{"<id>": {"stage": "done", "hints": 2}, ...}`.
pub fn to_text(progress: &Progress) -> String {
    let records: Vec<String> = progress
        .iter()
        .map(|(id, r)| {
            // An id is written as a JSON string (quoted and escaped by serde_json).
            let id = Value::from(id.as_str()).to_string();
            format!(
                r#"{id}:{{"stage":"{}","hints":{}}}"#,
                r.stage.key(),
                r.hints
            )
        })
        .collect();
    format!("{{{}}}", records.join(","))
}

/// Moves an exercise forward to `stage` (never back: done stays done).
pub fn advance(progress: &mut Progress, id: &str, stage: Stage) {
    let record = progress.entry(id.to_string()).or_default();
    record.stage = record.stage.max(stage);
}

/// Records that `hints` hints are revealed (never fewer than before).
pub fn reveal(progress: &mut Progress, id: &str, hints: u32) {
    let record = progress.entry(id.to_string()).or_default();
    record.hints = record.hints.max(hints);
}

pub fn load() -> Progress {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|text| parse(&text))
        .unwrap_or_default()
}

pub fn save(progress: &Progress) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, &to_text(progress));
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(&str, Stage, u32)]) {
        let progress = parse(text);
        let got: Vec<(&str, Stage, u32)> = progress
            .iter()
            .map(|(id, r)| (id.as_str(), r.stage, r.hints))
            .collect();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn saved_progress_is_read_tolerantly() {
        // What another version wrote, or a hand edit, never breaks the list: unknown fields
        // are ignored and unreadable text is no progress.
        check(
            r#"{"duplicates":{"stage":"done","hints":2},"saga":{"stage":"started"}}"#,
            &[("duplicates", Stage::Done, 2), ("saga", Stage::Started, 0)],
        );
        check(
            r#"{"outbox":{"stage":"started","later":true}}"#,
            &[("outbox", Stage::Started, 0)],
        );
        check("not json", &[]);
        check(
            r#"{"outbox":{"stage":"finished"},"saga":{"stage":"done"}}"#,
            &[("saga", Stage::Done, 0)],
        );
    }

    #[test]
    fn progress_never_goes_backwards() {
        // Opening a done exercise again, or a later failing check, keeps it done; hints stay
        // revealed.
        let mut progress = Progress::new();
        advance(&mut progress, "duplicates", Stage::Started);
        advance(&mut progress, "duplicates", Stage::Done);
        advance(&mut progress, "duplicates", Stage::Started);
        reveal(&mut progress, "duplicates", 2);
        reveal(&mut progress, "duplicates", 1);
        check(&to_text(&progress), &[("duplicates", Stage::Done, 2)]);
    }
}
