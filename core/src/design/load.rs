//! Tolerant loading: JSON text → a design, migrating old schema versions and repairing what it
//! can with warnings, so an old or damaged document opens instead of yielding a blank page.
//! Parts it cannot understand are kept verbatim in `Design::unparsed`, so nothing is lost.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::diagnostic::Diagnostic;
use super::document::{Design, SCHEMA_VERSION};

/// A loaded design with what loading had to say about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub design: Design,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a text is not a design at all.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// Not JSON; the message says where.
    Json(String),
    /// JSON, but not an object.
    NotAnObject,
    /// Made by a newer EventLab than this one.
    FutureVersion(u64),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Json(message) => write!(f, "invalid JSON: {message}"),
            LoadError::NotAnObject => write!(f, "a design must be a JSON object"),
            LoadError::FutureVersion(version) => write!(
                f,
                "this design has schema version {version}, made by a newer EventLab than this \
                 one (which reads up to version {SCHEMA_VERSION})"
            ),
        }
    }
}

/// Parses and loads a design from JSON text.
pub fn load_text(text: &str) -> Result<Loaded, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Json(e.to_string()))?;
    load_value(value)
}

/// Loads a design from a JSON value.
pub fn load_value(value: Value) -> Result<Loaded, LoadError> {
    let Value::Object(mut object) = value else {
        return Err(LoadError::NotAnObject);
    };
    let mut diagnostics = Vec::new();
    let version = match object.get("version") {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        _ => {
            diagnostics.push(Diagnostic::warning(
                "missing-version",
                "version",
                format!("the design has no schema version; read as version {SCHEMA_VERSION}"),
            ));
            u64::from(SCHEMA_VERSION)
        }
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(LoadError::FutureVersion(version));
    }
    migrate(&mut object, version);
    Ok(Loaded {
        design: assemble(object, &mut diagnostics),
        diagnostics,
    })
}

/// Brings an older document up to the current schema. Version 1 is the first; each later
/// version adds one step here and a saved link of the old version to the link tests.
fn migrate(object: &mut Map<String, Value>, _from_version: u64) {
    object.insert("version".to_string(), Value::from(SCHEMA_VERSION));
}

fn assemble(mut object: Map<String, Value>, diagnostics: &mut Vec<Diagnostic>) -> Design {
    let mut design = Design {
        name: take_string(&mut object, "name"),
        description: take_string(&mut object, "description"),
        ..Design::default()
    };
    let mut unparsed = Vec::new();
    design.services = take_list(&mut object, "services", diagnostics, &mut unparsed);
    design.event_types = take_list(&mut object, "eventTypes", diagnostics, &mut unparsed);
    design.nodes = take_list(&mut object, "nodes", diagnostics, &mut unparsed);
    design.triggers = take_list(&mut object, "triggers", diagnostics, &mut unparsed);
    design.checks = take_list(&mut object, "checks", diagnostics, &mut unparsed);
    design.scenario = take_one(&mut object, "scenario", diagnostics, &mut unparsed);
    design.layout = take_one(&mut object, "layout", diagnostics, &mut unparsed);
    if let Some(Value::Array(kept)) = object.remove("unparsed") {
        unparsed.extend(kept);
    }
    object.remove("version");
    for (key, value) in object {
        diagnostics.push(Diagnostic::warning(
            "unknown-field",
            key.clone(),
            format!("unknown top-level field '{key}' was kept but is not used"),
        ));
        unparsed.push(Value::Object(Map::from_iter([(key, value)])));
    }
    design.unparsed = unparsed;
    design
}

fn take_string(object: &mut Map<String, Value>, key: &str) -> String {
    match object.remove(key) {
        Some(Value::String(text)) => text,
        _ => String::new(),
    }
}

/// Reads a list element by element, so one bad element does not lose the others.
fn take_list<T: DeserializeOwned>(
    object: &mut Map<String, Value>,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
    unparsed: &mut Vec<Value>,
) -> Vec<T> {
    let items = match object.remove(key) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            diagnostics.push(Diagnostic::error(
                "not-a-list",
                key,
                format!("'{key}' must be a list; it was kept aside"),
            ));
            unparsed.push(Value::Object(Map::from_iter([(key.to_string(), other)])));
            return Vec::new();
        }
    };
    let mut parsed = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<T>(item.clone()) {
            Ok(value) => parsed.push(value),
            Err(error) => {
                let id = item.get("id").and_then(Value::as_str).unwrap_or("");
                let location = if id.is_empty() {
                    format!("{key}/{index}")
                } else {
                    format!("{key}/{id}")
                };
                let mut diagnostic = Diagnostic::error(
                    "unreadable",
                    location,
                    format!("this entry could not be read and was kept aside: {error}"),
                );
                if key == "nodes" && !id.is_empty() {
                    diagnostic = diagnostic.on_node(id);
                }
                diagnostics.push(diagnostic);
                unparsed.push(Value::Object(Map::from_iter([(key.to_string(), item)])));
            }
        }
    }
    parsed
}

fn take_one<T: DeserializeOwned + Default>(
    object: &mut Map<String, Value>,
    key: &str,
    diagnostics: &mut Vec<Diagnostic>,
    unparsed: &mut Vec<Value>,
) -> T {
    let Some(value) = object.remove(key) else {
        return T::default();
    };
    match serde_json::from_value::<T>(value.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                "unreadable",
                key,
                format!(
                    "'{key}' could not be read, defaults are used and it was kept aside: {error}"
                ),
            ));
            unparsed.push(Value::Object(Map::from_iter([(key.to_string(), value)])));
            T::default()
        }
    }
}

/// Reads a design in the form this core writes (`to_canonical_json`, or its value): strictly,
/// with no migration or repair. The page reads its own autosave and the worker's answers this
/// way, so it does not carry the tolerant loader; files, links and old saves go through
/// [`load_text`] in the worker, which answers canonical designs.
pub fn read_canonical(text: &str) -> Result<Design, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    read_canonical_value(value)
}

/// [`read_canonical`] of a JSON value.
pub fn read_canonical_value(value: Value) -> Result<Design, String> {
    let design: Design = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if design.version != SCHEMA_VERSION {
        return Err(format!(
            "schema version {} is not this EventLab's ({SCHEMA_VERSION})",
            design.version
        ));
    }
    Ok(design)
}

/// Sorts `items` by `id`, equal ids keeping their order (as a stable sort would). The order is
/// found by sorting (id, position) pairs, always of one type, and put in place by swaps, so the
/// page's wasm bundle holds one copy of the standard library's sort rather than one per list's
/// element type (about 2 KB gzipped).
fn sort_by_id<T>(items: &mut [T], id: impl Fn(&T) -> &str) {
    let order = positions_by_id(items.iter().map(id).collect());
    put_in_order(&order, &mut |a, b| items.swap(a, b));
}

/// The positions of `ids` in id order, equal ids in their original order.
fn positions_by_id(ids: Vec<&str>) -> Vec<usize> {
    let mut pairs: Vec<(&str, usize)> = ids.into_iter().zip(0..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, at)| at).collect()
}

/// Swaps a list's items so that position `i` holds the item first at `order[i]`; `order` is a
/// permutation of the positions.
fn put_in_order(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    // `at[k]`: where the item first at k is now; `first[p]`: where the item now at p was first.
    let mut at: Vec<usize> = (0..order.len()).collect();
    let mut first = at.clone();
    for (i, &k) in order.iter().enumerate() {
        let p = at[k];
        if p != i {
            swap(i, p);
            let moved = first[i];
            first[p] = moved;
            at[moved] = p;
            first[i] = k;
            at[k] = i;
        }
    }
}

/// The canonical JSON text of a design: stable ordering (nodes, rules, triggers, event types
/// and services sorted by id) so files diff well, two-space indentation, trailing newline.
pub fn to_canonical_json(design: &Design) -> String {
    let mut design = design.clone();
    sort_by_id(&mut design.services, |s| &s.id);
    sort_by_id(&mut design.event_types, |t| &t.type_name);
    sort_by_id(&mut design.nodes, |n| &n.id);
    sort_by_id(&mut design.triggers, |t| &t.id);
    let mut text = serde_json::to_string_pretty(&design).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::sort_by_id;

    #[test]
    fn sort_by_id_orders_as_a_stable_sort_does() {
        // Canonical JSON must not change with how the lists are sorted: the same order as the
        // standard library's stable sort, duplicates (which validation reports) included.
        let ids = ["b", "a", "c", "a", "", "b", "ab", "a"];
        let mut items: Vec<(String, usize)> =
            ids.iter().map(|id| id.to_string()).zip(0..).collect();
        let mut expected = items.clone();
        expected.sort_by(|x, y| x.0.cmp(&y.0));
        sort_by_id(&mut items, |item| &item.0);
        assert_eq!(items, expected);
        // Longer lists, whose order needs cycles of swaps.
        for len in [2_usize, 7, 50, 101] {
            let mut items: Vec<(String, usize)> = (0..len)
                .map(|i| (((i * 37 + 5) % 11).to_string(), i))
                .collect();
            let mut expected = items.clone();
            expected.sort_by(|x, y| x.0.cmp(&y.0));
            sort_by_id(&mut items, |item| &item.0);
            assert_eq!(items, expected, "{len}");
        }
        let mut empty: Vec<(String, usize)> = Vec::new();
        sort_by_id(&mut empty, |item| &item.0);
        assert!(empty.is_empty());
    }
}
