//! Build step: the guided exercises (exercises/*/) as the catalog the page shows, one JSON text
//! the worker hands over when asked. Briefs, hints and takeaways are Markdown in the folders and
//! become HTML here, so no bundle carries a Markdown parser; the starting designs go in as they
//! are. Keeping this in the worker's bundle rather than the page's keeps the page under its size
//! budget (the page starts a worker for validation anyway). The locked scenario, checks and
//! nodes and the reference solutions are not in the catalog: core embeds them and the worker
//! uses them when asked.
//!
//! It must never judge or interpret an exercise beyond copying its fields: core's
//! `exercise::load_exercise` decides whether an exercise is well formed (a core test walks the
//! same folders).

use std::path::Path;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use serde_json::{json, Value};

/// Writes `exercise-catalog.json` into `out_dir`: an array with one object per folder of
/// `folder` that holds an `exercise.json`, in folder-name order (the folder starts with its
/// number): `{folder, id, order, title, topic, briefHtml, hintsHtml, learnedHtml, checks:
/// [{id, words, about}], start}`.
pub fn generate(folder: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut folders: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.join("exercise.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    let catalog: Vec<Value> = folders.iter().map(|path| entry(path)).collect();
    // A build that cannot write its output fails at the `include_str!` with the file's name.
    let _ = std::fs::write(
        out_dir.join("exercise-catalog.json"),
        Value::Array(catalog).to_string(),
    );
}

/// One exercise's entry. A folder that cannot be read stops the build with the folder's name:
/// the exercises are part of the source.
fn entry(path: &Path) -> Value {
    let read = |file: &str| {
        let full = path.join(file);
        println!("cargo:rerun-if-changed={}", full.display());
        std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
    };
    let folder = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let exercise: Value = serde_json::from_str(&read("exercise.json"))
        .unwrap_or_else(|e| panic!("{folder}/exercise.json is not JSON: {e}"));
    let start: Value = serde_json::from_str(&read("start.json"))
        .unwrap_or_else(|e| panic!("{folder}/start.json is not JSON: {e}"));
    let text = |key: &str| {
        exercise
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let list = |key: &str| {
        exercise
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let expected = exercise
        .get("expectedFailure")
        .or_else(|| exercise.get("expected_failure"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let hints: Vec<String> = list("hints")
        .iter()
        .map(|hint| markdown(hint.as_str().unwrap_or_default()))
        .collect();
    let checks: Vec<Value> = list("checks")
        .iter()
        .map(|check| {
            let id = check.get("id").and_then(Value::as_str).unwrap_or_default();
            let words = check
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or(id);
            json!({"id": id, "words": words, "about": id == expected})
        })
        .collect();
    json!({
        "folder": folder,
        "id": text("id"),
        "order": exercise.get("order").and_then(Value::as_u64).unwrap_or(0),
        "title": text("title"),
        "topic": text("topic"),
        "briefHtml": brief_html(&read("brief.md")),
        "hintsHtml": hints,
        "learnedHtml": markdown(text("learned")),
        "checks": checks,
        "start": start,
    })
}

/// Markdown to HTML, CommonMark with tables and strikethrough.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(text, markdown_options()));
    out
}

/// The brief without its first-level heading: the panel shows the exercise's title above it.
fn brief_html(text: &str) -> String {
    let mut in_title = false;
    let events = Parser::new_ext(text, markdown_options()).filter(|event| match event {
        Event::Start(Tag::Heading { level, .. }) if *level == pulldown_cmark::HeadingLevel::H1 => {
            in_title = true;
            false
        }
        Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H1)) => {
            in_title = false;
            false
        }
        _ => !in_title,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}
