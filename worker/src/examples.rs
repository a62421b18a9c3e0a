//! The example designs (`designs/*.json`, the simulator's fixtures), embedded in the worker's
//! bundle rather than the page's: the page starts this worker with the editor anyway, and the
//! examples' text is bytes the first paint does not need. The page asks for the list (stem and
//! name) once, and for one example's text when it is opened.
//!
//! Adding an example is adding its file to `designs/` and a line below; a test checks the two
//! agree.

use eventlab_core::design::load_text;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

const EXAMPLES: &[(&str, &str)] = &[
    (
        "duplicates-fixed",
        include_str!("../../designs/duplicates-fixed.json"),
    ),
    ("duplicates", include_str!("../../designs/duplicates.json")),
    ("hot-key", include_str!("../../designs/hot-key.json")),
    (
        "lost-update-fixed",
        include_str!("../../designs/lost-update-fixed.json"),
    ),
    (
        "lost-update",
        include_str!("../../designs/lost-update.json"),
    ),
    (
        "out-of-order-fixed",
        include_str!("../../designs/out-of-order-fixed.json"),
    ),
    (
        "out-of-order",
        include_str!("../../designs/out-of-order.json"),
    ),
    (
        "outbox-fixed",
        include_str!("../../designs/outbox-fixed.json"),
    ),
    ("outbox", include_str!("../../designs/outbox.json")),
    (
        "photo-aggregator",
        include_str!("../../designs/photo-aggregator.json"),
    ),
    (
        "photo-choreography",
        include_str!("../../designs/photo-choreography.json"),
    ),
    (
        "photo-orchestrator-callback",
        include_str!("../../designs/photo-orchestrator-callback.json"),
    ),
    (
        "photo-orchestrator-express",
        include_str!("../../designs/photo-orchestrator-express.json"),
    ),
    (
        "photo-orchestrator",
        include_str!("../../designs/photo-orchestrator.json"),
    ),
    (
        "pizza-choreography",
        include_str!("../../designs/pizza-choreography.json"),
    ),
];

/// The JSON array of `{stem, name}` of every example, in file-name order.
#[wasm_bindgen(js_name = exampleList)]
pub fn example_list() -> String {
    let list: Vec<Value> = EXAMPLES
        .iter()
        .filter_map(|(stem, text)| {
            let name = load_text(text).ok()?.design.name;
            Some(json!({"stem": stem, "name": name}))
        })
        .collect();
    Value::Array(list).to_string()
}

/// The example with this file stem as canonical design JSON (the page reads it strictly), or
/// `{error}`.
#[wasm_bindgen(js_name = exampleDesign)]
pub fn example_design(stem: &str) -> String {
    match example_text(stem) {
        Some(text) => match load_text(text) {
            Ok(loaded) => eventlab_core::design::to_canonical_json(&loaded.design),
            Err(error) => crate::answer::error(&error.to_string()),
        },
        None => crate::answer::error(&format!("there is no example {stem:?}")),
    }
}

/// The text of the example with this file stem.
pub fn example_text(stem: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(s, _)| *s == stem)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_the_designs_folder_and_every_example_loads() {
        // A file added to designs/ without its line here (or a broken one) would silently
        // vanish from the app's list.
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../designs");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .expect("designs/ exists")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().to_string())
            .filter(|name| name.ends_with(".json"))
            .collect();
        // File-name order, as the list shows them ("duplicates-fixed.json" sorts first).
        files.sort();
        let files: Vec<String> = files
            .iter()
            .map(|name| name.trim_end_matches(".json").to_string())
            .collect();
        let listed: Vec<String> = EXAMPLES.iter().map(|(s, _)| s.to_string()).collect();
        assert_eq!(listed, files);
        let list: Vec<Value> = serde_json::from_str(&example_list()).expect("JSON");
        assert_eq!(list.len(), EXAMPLES.len(), "every example loads");
        assert!(example_design("no-such").contains("error"));
    }
}
