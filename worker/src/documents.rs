//! Reading and writing designs for the page: the tolerant loader (files, old saves) and the
//! share-link codec (deflate, inflate, base64) live here, in the simulator's bundle, so the
//! page's bundle carries neither; the page reads only the canonical designs answered here
//! (core's `read_canonical_value`).
//!
//! It must never lose what a person made: a design that loads with repairs comes back with
//! its notes, one that cannot load comes back as `{error}` with the loader's reason.

use eventlab_core::design::{load_text, to_canonical_json, Design, Diagnostic};
use eventlab_core::share::{decode, encode, Extras};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::answer;

/// A design as the page reads it: the value of its canonical JSON (sorted, complete).
pub fn canonical_value(design: &Design) -> Value {
    serde_json::from_str(&to_canonical_json(design)).unwrap_or(Value::Null)
}

fn notes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.message.as_str()).collect()
}

/// Loads design text tolerantly (an imported file, a save from an older EventLab): the JSON of
/// `{design, notes}` (notes: what loading repaired or kept aside), or `{error}`.
#[wasm_bindgen(js_name = loadDesign)]
pub fn load_design(text: &str) -> String {
    match load_text(text) {
        Ok(loaded) => answer::to_text(&json!({
            "design": canonical_value(&loaded.design),
            "notes": notes(&loaded.diagnostics),
        })),
        Err(error) => answer::error(&error.to_string()),
    }
}

/// Opens a share link (the fragment or the whole URL): the JSON of `{design, notes,
/// exercise?, playhead?}`, or `{error}` with the sentence saying why the link cannot be opened.
#[wasm_bindgen(js_name = decodeLink)]
pub fn decode_link(text: &str) -> String {
    match decode(text) {
        Ok(decoded) => answer::to_text(&json!({
            "design": canonical_value(&decoded.design),
            "notes": notes(&decoded.diagnostics),
            "exercise": decoded.extras.exercise,
            "playhead": decoded.extras.playhead,
        })),
        Err(error) => answer::error(&error.to_string()),
    }
}

/// Makes the share link of a design (canonical JSON) with its extras ("" for none): the JSON
/// of `{link}`, or `{error}`.
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(design_json: &str, exercise: &str, playhead: &str) -> String {
    let design = match load_text(design_json) {
        Ok(loaded) => loaded.design,
        Err(error) => return answer::error(&error.to_string()),
    };
    let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let extras = Extras {
        exercise: some(exercise),
        playhead: some(playhead),
    };
    answer::to_text(&json!({ "link": encode(&design, &extras) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventlab_core::design::read_canonical_value;

    fn answer_of(text: &str) -> Value {
        serde_json::from_str(text).expect("every answer is JSON")
    }

    #[test]
    fn a_link_made_here_opens_here_with_its_extras_and_reads_strictly() {
        // The page encodes and decodes only through these two calls, then reads the design
        // strictly: the round trip must give back the same canonical design.
        let text = include_str!("../../designs/duplicates.json");
        let canonical = to_canonical_json(&load_text(text).expect("loads").design);
        let made = answer_of(&encode_link(&canonical, "duplicates", "e-7"));
        let link = made["link"].as_str().expect("a link");
        let opened = answer_of(&decode_link(&format!("https://x.test/#{link}")));
        assert_eq!(opened["exercise"], "duplicates");
        assert_eq!(opened["playhead"], "e-7");
        let design = read_canonical_value(opened["design"].clone()).expect("strict read");
        assert_eq!(to_canonical_json(&design), canonical);
        let plain = answer_of(&encode_link(&canonical, "", ""));
        let opened = answer_of(&decode_link(plain["link"].as_str().expect("a link")));
        assert_eq!(opened["exercise"], Value::Null);
    }

    #[test]
    fn what_cannot_be_opened_says_why() {
        // A damaged link and a file that is not a design come back as {error} sentences.
        assert!(answer_of(&decode_link("v1.!!!"))["error"].is_string());
        assert!(answer_of(&load_design("{"))["error"]
            .as_str()
            .is_some_and(|e| e.contains("invalid JSON")));
        let repaired = answer_of(&load_design(r#"{"name": "old", "nodes": [{"id": 3}]}"#));
        assert_eq!(repaired["design"]["name"], "old");
        assert!(repaired["notes"].as_array().is_some_and(|n| n.len() >= 2));
    }
}
