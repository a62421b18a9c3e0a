//! ProjectionExpression: a comma-separated list of document paths, and the projection of an item
//! onto them (list elements picked by index keep their original order).

use std::collections::BTreeMap;

use super::expression::{
    check_paths, parse_path, resolve_path, ExpressionError, Fault, Findings, Path, PathElement,
    Placeholders,
};
use super::lexer::{Cursor, TokenKind};
use super::value::{AttributeValue, Item};

const RANKING: &[Fault] = &[
    Fault::Reserved,
    Fault::AttributeName,
    Fault::PathOverlap,
    Fault::PathConflict,
];

/// Parses and validates a projection (message without the `Invalid ProjectionExpression: ` prefix).
pub fn parse_projection(
    text: &str,
    placeholders: &mut Placeholders,
) -> Result<Vec<Path>, ExpressionError> {
    if text.is_empty() {
        return Err(ExpressionError::new("The expression can not be empty;"));
    }
    let mut cursor = Cursor::new(text);
    let mut raw = Vec::new();
    loop {
        let Some(path) = parse_path(&mut cursor, &[]) else {
            return Err(cursor.syntax_error());
        };
        raw.push(path);
        if cursor.peek().kind == TokenKind::Comma {
            cursor.advance();
            continue;
        }
        if !cursor.at_end() {
            return Err(cursor.syntax_error());
        }
        break;
    }
    let mut findings = Findings::default();
    let paths: Vec<(Path, usize)> = raw
        .iter()
        .map(|p| (resolve_path(p, text, placeholders, &mut findings), p.start))
        .collect();
    check_paths(&paths, text, &mut findings);
    findings.into_result(RANKING)?;
    Ok(paths.into_iter().map(|(p, _)| p).collect())
}

enum Projected {
    Whole(AttributeValue),
    Map(BTreeMap<String, Projected>),
    List(BTreeMap<u32, Projected>),
}

impl Projected {
    fn into_value(self) -> AttributeValue {
        match self {
            Projected::Whole(value) => value,
            Projected::Map(map) => {
                AttributeValue::M(map.into_iter().map(|(k, v)| (k, v.into_value())).collect())
            }
            Projected::List(list) => {
                AttributeValue::L(list.into_values().map(Projected::into_value).collect())
            }
        }
    }
}

/// The parts of `item` named by `paths`; paths that lead nowhere contribute nothing.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    let mut top: BTreeMap<String, Projected> = BTreeMap::new();
    for path in paths {
        let Some(PathElement::Attribute(head)) = path.elements.first() else {
            continue;
        };
        let Some(value) = item.get(head) else {
            continue;
        };
        if let Some(projected) = pick(value, &path.elements[1..]) {
            match top.get_mut(head) {
                Some(existing) => merge(existing, projected),
                None => {
                    top.insert(head.clone(), projected);
                }
            }
        }
    }
    top.into_iter().map(|(k, v)| (k, v.into_value())).collect()
}

fn pick(value: &AttributeValue, rest: &[PathElement]) -> Option<Projected> {
    let Some((first, rest)) = rest.split_first() else {
        return Some(Projected::Whole(value.clone()));
    };
    match (first, value) {
        (PathElement::Attribute(name), AttributeValue::M(map)) => {
            let inner = pick(map.get(name)?, rest)?;
            Some(Projected::Map(BTreeMap::from([(name.clone(), inner)])))
        }
        (PathElement::Index(index), AttributeValue::L(list)) => {
            let inner = pick(list.get(*index as usize)?, rest)?;
            Some(Projected::List(BTreeMap::from([(*index, inner)])))
        }
        _ => None,
    }
}

fn merge(existing: &mut Projected, addition: Projected) {
    match (existing, addition) {
        (Projected::Map(a), Projected::Map(b)) => {
            for (key, value) in b {
                match a.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        a.insert(key, value);
                    }
                }
            }
        }
        (Projected::List(a), Projected::List(b)) => {
            for (key, value) in b {
                match a.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        a.insert(key, value);
                    }
                }
            }
        }
        // Overlapping paths are refused before we get here; keep the whole value.
        (Projected::Whole(_), _) => {}
        (slot, Projected::Whole(value)) => *slot = Projected::Whole(value),
        _ => {}
    }
}
