//! `event-type-imperative`: an event type named for what someone should do (`SendEmail`,
//! `com.shop.payment.process.v1`) rather than for what happened (`com.shop.order.placed.v1`): a
//! command in disguise, which couples the emitter to one consumer's job.
//!
//! Works on the words of the type name (split at `.`, `-`, `_` and camel-case humps, with
//! reverse-DNS prefixes and version suffixes left out). A name is a fact when its last word is a
//! past participle; it is a command when a word is one of the imperative verbs below, or the
//! word `command`. Anything else (`com.photo.ready.v1`) is left alone: lint only speaks when it
//! is sure.

use crate::design::Design;

use super::Spot;

/// Verbs that name a job to do. Each also reads as a noun in few event names, so a false alarm
/// is rare; past participles (`sent`, `processed`) never match.
const IMPERATIVE_VERBS: [&str; 48] = [
    "add",
    "apply",
    "approve",
    "assign",
    "book",
    "calculate",
    "call",
    "cancel",
    "charge",
    "check",
    "compute",
    "create",
    "delete",
    "deliver",
    "dispatch",
    "do",
    "emit",
    "execute",
    "fetch",
    "generate",
    "get",
    "handle",
    "invoke",
    "make",
    "notify",
    "pay",
    "perform",
    "process",
    "publish",
    "refund",
    "register",
    "remove",
    "request",
    "reserve",
    "run",
    "save",
    "schedule",
    "send",
    "set",
    "ship",
    "start",
    "stop",
    "store",
    "submit",
    "sync",
    "trigger",
    "update",
    "validate",
];

/// Irregular past participles that end a fact-like name.
const IRREGULAR_PARTICIPLES: [&str; 18] = [
    "begun", "bought", "brought", "built", "done", "found", "given", "held", "kept", "lost",
    "made", "paid", "run", "sent", "sold", "taken", "won", "written",
];

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for event_type in &design.event_types {
        let words = words_of(&event_type.type_name);
        if words.last().is_some_and(|w| is_participle(w)) {
            continue;
        }
        let Some(verb) = words
            .iter()
            .find(|w| w.as_str() == "command" || IMPERATIVE_VERBS.contains(&w.as_str()))
        else {
            continue;
        };
        spots.push(Spot {
            node: None,
            location: format!("eventTypes/{}", event_type.type_name),
            message: format!(
                "{} names a job to do ('{verb}'), not something that happened: it is a command in disguise, so its emitter decides what a consumer must do and breaks when that consumer changes; name the fact in the past tense (for example '{}').",
                event_type.type_name,
                suggestion(&words, verb)
            ),
        });
    }
    spots
}

/// The words of a type name, lower-cased, without the reverse-DNS prefix or version suffix.
pub fn words_of(type_name: &str) -> Vec<String> {
    let mut segments: Vec<&str> = type_name.split('.').collect();
    if segments.last().is_some_and(|s| is_version(s)) {
        segments.pop();
    }
    // Drop a reverse-DNS prefix such as `com.pizza` only when more segments remain.
    if segments.len() > 2 && matches!(segments.first(), Some(&("com" | "org" | "net" | "io"))) {
        segments.drain(..2);
    }
    let mut words = Vec::new();
    for segment in segments {
        for part in segment.split(['-', '_', ' ', '/', ':']) {
            split_camel(part, &mut words);
        }
    }
    words
}

fn split_camel(part: &str, words: &mut Vec<String>) {
    let mut current = String::new();
    for character in part.chars() {
        if character.is_uppercase() && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(character.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix(['v', 'V'])
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

fn is_participle(word: &str) -> bool {
    (word.len() > 3 && word.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&word)
}

/// `send email` → `email.sent`: the object, then the verb as a participle.
fn suggestion(words: &[String], verb: &str) -> String {
    let objects: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| *w != verb && *w != "command")
        .collect();
    let participle = match verb {
        "send" => "sent".to_string(),
        "pay" => "paid".to_string(),
        "make" => "made".to_string(),
        "run" | "set" => verb.to_string(),
        "do" => "done".to_string(),
        "get" => "received".to_string(),
        "stop" => "stopped".to_string(),
        "ship" => "shipped".to_string(),
        "command" => "happened".to_string(),
        v if v.ends_with('e') => format!("{v}d"),
        v => format!("{v}ed"),
    };
    let mut name = objects.join(".");
    if !name.is_empty() {
        name.push('.');
    }
    name.push_str(&participle);
    name
}
