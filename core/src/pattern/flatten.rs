//! Flattening an event into leaves: every scalar value with its dotted path and the array
//! elements it lives in.
//!
//! Owns the event side of matching (paths joined with `.`, arrays transparent, every array
//! element tagged so fields from different elements of one array can be told apart). It must
//! never interpret values beyond their JSON type.

use std::collections::BTreeMap;

use serde_json::Value;

use super::matcher::LeafValue;

/// The array elements a leaf lives in: pairs of (array number, element index), sorted by
/// array number. Arrays are numbered in document order within one event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership(Vec<(u32, u32)>);

impl Membership {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Two memberships are consistent when every array they share is at the same element.
    pub fn consistent_with(&self, other: &Membership) -> bool {
        let (mut left, mut right) = (self.0.iter().peekable(), other.0.iter().peekable());
        while let (Some(&&(left_array, left_index)), Some(&&(right_array, right_index))) =
            (left.peek(), right.peek())
        {
            if left_array == right_array {
                if left_index != right_index {
                    return false;
                }
                left.next();
                right.next();
            } else if left_array < right_array {
                left.next();
            } else {
                right.next();
            }
        }
        true
    }

    /// The union of two consistent memberships.
    pub fn merged(&self, other: &Membership) -> Membership {
        let mut pairs: Vec<(u32, u32)> = self.0.iter().chain(other.0.iter()).copied().collect();
        pairs.sort_unstable();
        pairs.dedup();
        Membership(pairs)
    }
}

/// One scalar of the event.
#[derive(Debug, Clone)]
pub struct Leaf<'a> {
    pub path: String,
    pub value: LeafValue<'a>,
    pub membership: Membership,
}

/// Flattens `event`; a non-object event has no fields, so no leaves.
pub fn flatten(event: &Value) -> Vec<Leaf<'_>> {
    flatten_walk(event, None)
}

/// Flattens only the leaves at `paths` (the paths some pattern names), skipping every part of
/// the event no such path goes through: a bus's rules name a few fields of a large event.
pub fn flatten_paths<'a, V>(event: &'a Value, paths: &BTreeMap<String, V>) -> Vec<Leaf<'a>> {
    let wanted = |path: &str, leaf: bool| {
        if leaf {
            return paths.contains_key(path);
        }
        // A path leads on when some wanted path is it (an array of scalars) or below it.
        paths
            .range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
            .map(|(key, _)| key.as_str())
            .take_while(|key| key.starts_with(path))
            .any(|key| key.len() == path.len() || key.as_bytes().get(path.len()) == Some(&b'.'))
    };
    flatten_walk(event, Some(&wanted))
}

/// Whether a path is wanted: as a leaf (`true`) or as the way to leaves below it (`false`).
type Wanted<'f> = &'f dyn Fn(&str, bool) -> bool;

fn flatten_walk<'a>(event: &'a Value, wanted: Option<Wanted<'_>>) -> Vec<Leaf<'a>> {
    let mut walker = Walker {
        leaves: Vec::new(),
        next_array: 0,
        wanted,
    };
    if let Value::Object(object) = event {
        let mut path = String::new();
        for (key, value) in object {
            path.clear();
            path.push_str(key);
            walker.walk(value, &mut path, &mut Vec::new());
        }
    }
    walker.leaves
}

struct Walker<'a, 'f> {
    leaves: Vec<Leaf<'a>>,
    next_array: u32,
    wanted: Option<Wanted<'f>>,
}

impl<'a> Walker<'a, '_> {
    fn walk(&mut self, value: &'a Value, path: &mut String, membership: &mut Vec<(u32, u32)>) {
        let is_leaf = !matches!(value, Value::Object(_) | Value::Array(_));
        if self.wanted.is_some_and(|wanted| !wanted(path, is_leaf)) {
            // Nothing wanted here. Arrays inside are not numbered: numbers only tell the arrays
            // of one event's leaves apart, and every kept array still gets its own.
            return;
        }
        let leaf_value = match value {
            Value::Object(object) => {
                let length = path.len();
                for (key, inner) in object {
                    path.push('.');
                    path.push_str(key);
                    self.walk(inner, path, membership);
                    path.truncate(length);
                }
                return;
            }
            Value::Array(items) => {
                let array = self.next_array;
                self.next_array = self.next_array.saturating_add(1);
                for (index, item) in items.iter().enumerate() {
                    membership.push((array, u32::try_from(index).unwrap_or(u32::MAX)));
                    self.walk(item, path, membership);
                    membership.pop();
                }
                return;
            }
            Value::String(text) => LeafValue::String(text),
            Value::Number(number) => LeafValue::Number(number.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(flag) => LeafValue::Bool(*flag),
            Value::Null => LeafValue::Null,
        };
        let mut pairs = membership.clone();
        pairs.sort_unstable();
        self.leaves.push(Leaf {
            path: path.clone(),
            value: leaf_value,
            membership: Membership(pairs),
        });
    }
}
