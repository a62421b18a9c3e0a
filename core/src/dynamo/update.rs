//! UpdateExpression: SET (with at most one `+`/`-` per value, `if_not_exists`, `list_append`),
//! REMOVE, ADD and DELETE; the static checks DynamoDB makes (sections used once, overlapping or
//! conflicting paths, operand types of literals) and the application to an item with DynamoDB's
//! run-time errors. Every right-hand side reads the item as it was before the update.

use std::collections::BTreeSet;

use super::condition::get_path;
use super::expression::{
    check_paths, parse_operand, parse_path, resolve_path, resolve_value, ExpressionError, Fault,
    Findings, Path, PathElement, Placeholders, RawOperand, RawPath,
};
use super::lexer::{Cursor, TokenKind};
use super::value::{AttributeValue, Item};

const KEYWORDS: &[&str] = &["SET", "REMOVE", "ADD", "DELETE"];

const RANKING: &[Fault] = &[
    Fault::Reserved,
    Fault::UnknownFunction,
    Fault::Section,
    Fault::AttributeName,
    Fault::AttributeValue,
    Fault::PathOverlap,
    Fault::PathConflict,
    Fault::OperandType,
    Fault::Function,
];

pub const INVALID_PATH: &str =
    "The document path provided in the update expression is invalid for update";
pub const MISSING_ATTRIBUTE: &str =
    "The provided expression refers to an attribute that does not exist in the item";
pub const WRONG_TYPE: &str = "An operand in the update expression has an incorrect data type";

#[derive(Debug, Clone, PartialEq)]
pub enum UpdateOperand {
    Path(Path),
    Value(AttributeValue),
    IfNotExists(Path, Box<UpdateOperand>),
    ListAppend(Box<UpdateOperand>, Box<UpdateOperand>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    Operand(UpdateOperand),
    Plus(UpdateOperand, UpdateOperand),
    Minus(UpdateOperand, UpdateOperand),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateExpression {
    pub set: Vec<(Path, SetValue)>,
    pub remove: Vec<Path>,
    pub add: Vec<(Path, AttributeValue)>,
    pub delete: Vec<(Path, AttributeValue)>,
}

impl UpdateExpression {
    /// Every path the update writes, in the order written.
    pub fn paths(&self) -> Vec<&Path> {
        let mut paths: Vec<&Path> = self.set.iter().map(|(p, _)| p).collect();
        paths.extend(self.remove.iter());
        paths.extend(self.add.iter().map(|(p, _)| p));
        paths.extend(self.delete.iter().map(|(p, _)| p));
        paths
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SectionKind {
    Set,
    Remove,
    Add,
    Delete,
}

impl SectionKind {
    fn name(self) -> &'static str {
        match self {
            SectionKind::Set => "SET",
            SectionKind::Remove => "REMOVE",
            SectionKind::Add => "ADD",
            SectionKind::Delete => "DELETE",
        }
    }
}

#[derive(Debug)]
enum RawAction {
    Set(RawPath, RawSetValue),
    Remove(RawPath),
    Add(RawPath, String, usize),
    Delete(RawPath, String, usize),
}

#[derive(Debug)]
enum RawSetValue {
    Operand(RawOperand),
    Plus(RawOperand, RawOperand, usize),
    Minus(RawOperand, RawOperand, usize),
}

/// Parses and validates an update expression (message without the `Invalid UpdateExpression: `
/// prefix).
pub fn parse_update(
    text: &str,
    placeholders: &mut Placeholders,
) -> Result<UpdateExpression, ExpressionError> {
    if text.is_empty() {
        return Err(ExpressionError::new("The expression can not be empty;"));
    }
    let mut cursor = Cursor::new(text);
    let Some(sections) = parse_sections(&mut cursor) else {
        return Err(cursor.syntax_error());
    };
    let mut validator = Validator {
        text,
        placeholders,
        findings: Findings::default(),
    };
    let update = validator.sections(&sections);
    validator.findings.into_result(RANKING)?;
    Ok(update)
}

fn parse_sections(cursor: &mut Cursor) -> Option<Vec<(SectionKind, usize, Vec<RawAction>)>> {
    let mut sections = Vec::new();
    loop {
        let token = cursor.peek();
        let kind = if cursor.eat_keyword("SET") {
            SectionKind::Set
        } else if cursor.eat_keyword("REMOVE") {
            SectionKind::Remove
        } else if cursor.eat_keyword("ADD") {
            SectionKind::Add
        } else if cursor.eat_keyword("DELETE") {
            SectionKind::Delete
        } else if !sections.is_empty() && cursor.at_end() {
            return Some(sections);
        } else {
            return cursor.fail();
        };
        let mut actions = vec![parse_action(cursor, kind)?];
        while cursor.peek().kind == TokenKind::Comma {
            cursor.advance();
            actions.push(parse_action(cursor, kind)?);
        }
        sections.push((kind, token.start, actions));
    }
}

fn parse_action(cursor: &mut Cursor, kind: SectionKind) -> Option<RawAction> {
    let path = parse_path(cursor, KEYWORDS)?;
    match kind {
        SectionKind::Set => {
            cursor.eat(TokenKind::Equal)?;
            Some(RawAction::Set(path, parse_set_value(cursor)?))
        }
        SectionKind::Remove => Some(RawAction::Remove(path)),
        SectionKind::Add | SectionKind::Delete => {
            let token = cursor.eat(TokenKind::ValuePlaceholder)?;
            let key = cursor.slice(token).to_string();
            Some(if kind == SectionKind::Add {
                RawAction::Add(path, key, token.start)
            } else {
                RawAction::Delete(path, key, token.start)
            })
        }
    }
}

/// `SetValue := "(" SetValue ")" | Operand ("+" | "-") Operand | Operand` — one operator at most.
fn parse_set_value(cursor: &mut Cursor) -> Option<RawSetValue> {
    let saved = cursor.position;
    if cursor.peek().kind == TokenKind::OpenParen {
        cursor.enter()?;
        cursor.advance();
        let value = parse_set_value(cursor);
        cursor.leave();
        if let Some(value) = value {
            let closed = cursor.eat(TokenKind::CloseParen).is_some();
            // `(b) + c` is an operand in parentheses, not a parenthesised value.
            if closed && !matches!(cursor.peek().kind, TokenKind::Plus | TokenKind::Minus) {
                return Some(value);
            }
        }
        cursor.position = saved;
    }
    let left = parse_operand(cursor, KEYWORDS)?;
    let token = cursor.peek();
    match token.kind {
        TokenKind::Plus | TokenKind::Minus => {
            cursor.advance();
            let right = parse_operand(cursor, KEYWORDS)?;
            Some(if token.kind == TokenKind::Plus {
                RawSetValue::Plus(left, right, token.start)
            } else {
                RawSetValue::Minus(left, right, token.start)
            })
        }
        _ => {
            // Note the failure here so that a stray operator is the token reported.
            cursor.fail::<()>();
            Some(RawSetValue::Operand(left))
        }
    }
}

struct Validator<'t, 'p> {
    text: &'t str,
    placeholders: &'p mut Placeholders,
    findings: Findings,
}

impl Validator<'_, '_> {
    fn error(&mut self, fault: Fault, start: usize, message: String) {
        self.findings
            .record(fault, ExpressionError::at(message, self.text, start));
    }

    fn sections(&mut self, sections: &[(SectionKind, usize, Vec<RawAction>)]) -> UpdateExpression {
        let mut seen = BTreeSet::new();
        let mut update = UpdateExpression::default();
        let mut paths = Vec::new();
        for (kind, start, actions) in sections {
            if !seen.insert(*kind) {
                self.error(
                    Fault::Section,
                    *start,
                    format!(
                        "The \"{}\" section can only be used once in an update expression;",
                        kind.name()
                    ),
                );
            }
            for action in actions {
                self.action(action, &mut update, &mut paths);
            }
        }
        check_paths(&paths, self.text, &mut self.findings);
        update
    }

    fn path(&mut self, raw: &RawPath) -> Path {
        resolve_path(raw, self.text, self.placeholders, &mut self.findings)
    }

    fn value(&mut self, key: &str, start: usize) -> AttributeValue {
        resolve_value(
            key,
            start,
            self.text,
            self.placeholders,
            &mut self.findings,
            Fault::AttributeValue,
        )
    }

    fn action(
        &mut self,
        action: &RawAction,
        update: &mut UpdateExpression,
        paths: &mut Vec<(Path, usize)>,
    ) {
        match action {
            RawAction::Set(raw_path, raw_value) => {
                let path = self.path(raw_path);
                let value = self.set_value(raw_value);
                paths.push((path.clone(), raw_path.start));
                update.set.push((path, value));
            }
            RawAction::Remove(raw_path) => {
                let path = self.path(raw_path);
                paths.push((path.clone(), raw_path.start));
                update.remove.push(path);
            }
            RawAction::Add(raw_path, key, start) | RawAction::Delete(raw_path, key, start) => {
                let is_add = matches!(action, RawAction::Add(..));
                let path = self.path(raw_path);
                let value = self.value(key, *start);
                paths.push((path.clone(), raw_path.start));
                let allowed = matches!(
                    value,
                    AttributeValue::SS(_) | AttributeValue::NS(_) | AttributeValue::BS(_)
                ) || (is_add && matches!(value, AttributeValue::N(_)));
                if !allowed && self.placeholders_resolved(key) {
                    let operator = if is_add { "ADD" } else { "DELETE" };
                    self.error(
                        Fault::OperandType,
                        *start,
                        format!(
                            "Incorrect operand type for operator or function; operator: {operator}, operand type: {}",
                            value.long_type_name()
                        ),
                    );
                }
                if is_add {
                    update.add.push((path, value));
                } else {
                    update.delete.push((path, value));
                }
            }
        }
    }

    fn placeholders_resolved(&mut self, key: &str) -> bool {
        self.placeholders.value(key).is_some()
    }

    fn set_value(&mut self, raw: &RawSetValue) -> SetValue {
        match raw {
            RawSetValue::Operand(operand) => SetValue::Operand(self.operand(operand)),
            RawSetValue::Plus(a, b, start) | RawSetValue::Minus(a, b, start) => {
                let symbol = if matches!(raw, RawSetValue::Plus(..)) {
                    "+"
                } else {
                    "-"
                };
                let (a, b) = (self.operand(a), self.operand(b));
                for operand in [&a, &b] {
                    if let Some(kind) = literal_type(operand).filter(|k| *k != "N") {
                        self.error(Fault::Function, *start, operand_type_message(symbol, kind));
                    }
                }
                if symbol == "+" {
                    SetValue::Plus(a, b)
                } else {
                    SetValue::Minus(a, b)
                }
            }
        }
    }

    fn operand(&mut self, raw: &RawOperand) -> UpdateOperand {
        let raw = raw.unwrap_parens(self.text, None);
        match raw {
            RawOperand::Path(path) => UpdateOperand::Path(self.path(path)),
            RawOperand::Value(key, start) => UpdateOperand::Value(self.value(key, *start)),
            RawOperand::Call {
                name,
                arguments,
                start,
            } => self.function(name, arguments, *start),
            RawOperand::Parens(..) | RawOperand::Redundant(..) => {
                UpdateOperand::Value(AttributeValue::Null)
            }
        }
    }

    fn function(
        &mut self,
        name: &str,
        raw_arguments: &[RawOperand],
        start: usize,
    ) -> UpdateOperand {
        let fallback = UpdateOperand::Value(AttributeValue::Null);
        let arguments: Vec<UpdateOperand> = raw_arguments.iter().map(|a| self.operand(a)).collect();
        if name != "if_not_exists" && name != "list_append" {
            self.error(
                Fault::UnknownFunction,
                start,
                format!("Invalid function name; function: {name}"),
            );
            return fallback;
        }
        if arguments.len() != 2 {
            self.error(
                Fault::Function,
                start,
                format!(
                    "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                    arguments.len()
                ),
            );
            return fallback;
        }
        let mut arguments = arguments.into_iter();
        let (first, second) = (
            arguments.next().unwrap_or(fallback.clone()),
            arguments.next().unwrap_or(fallback.clone()),
        );
        if name == "if_not_exists" {
            let UpdateOperand::Path(path) = first else {
                self.error(
                    Fault::Function,
                    start,
                    format!("Operator or function requires a document path; operator or function: {name}"),
                );
                return fallback;
            };
            return UpdateOperand::IfNotExists(path, Box::new(second));
        }
        for operand in [&first, &second] {
            if let UpdateOperand::Value(value) = operand {
                if !matches!(value, AttributeValue::L(_)) {
                    self.error(
                        Fault::Function,
                        start,
                        operand_type_message(name, value.type_name()),
                    );
                }
            }
        }
        UpdateOperand::ListAppend(Box::new(first), Box::new(second))
    }
}

fn literal_type(operand: &UpdateOperand) -> Option<&'static str> {
    match operand {
        UpdateOperand::Value(value) => Some(value.type_name()),
        UpdateOperand::ListAppend(..) => Some("L"),
        _ => None,
    }
}

fn operand_type_message(function: &str, kind: &str) -> String {
    format!("Incorrect operand type for operator or function; operator or function: {function}, operand type: {kind}")
}

/// Applies an update to `item` (the item as it was, or just its key for an upsert). Fails with
/// DynamoDB's run-time message; the item is then left unchanged by the caller.
pub fn apply_update(update: &UpdateExpression, original: &Item) -> Result<Item, String> {
    // Every right-hand side reads the item as it was before the update.
    let mut values = Vec::with_capacity(update.set.len());
    for (path, value) in &update.set {
        values.push((path, evaluate_set_value(value, original)?));
    }
    let mut item = original.clone();
    // List index assignments apply in index order, so sort by path.
    values.sort_by(|a, b| a.0.cmp(b.0));
    for (path, value) in values {
        set_path(&mut item, path, value)?;
    }
    // Removals by original index: highest index first so earlier ones do not shift.
    let mut removals: Vec<&Path> = update.remove.iter().collect();
    removals.sort_by(|a, b| b.cmp(a));
    for path in removals {
        remove_path(&mut item, path)?;
    }
    for (path, value) in &update.add {
        add_at_path(&mut item, path, value)?;
    }
    for (path, value) in &update.delete {
        delete_at_path(&mut item, path, value)?;
    }
    Ok(item)
}

fn evaluate_set_value(value: &SetValue, item: &Item) -> Result<AttributeValue, String> {
    match value {
        SetValue::Operand(operand) => evaluate_operand(operand, item),
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let (a, b) = (evaluate_operand(a, item)?, evaluate_operand(b, item)?);
            let (AttributeValue::N(x), AttributeValue::N(y)) = (&a, &b) else {
                return Err(WRONG_TYPE.to_string());
            };
            let result = if matches!(value, SetValue::Plus(..)) {
                x.add(y)
            } else {
                x.subtract(y)
            };
            result.map(AttributeValue::N)
        }
    }
}

fn evaluate_operand(operand: &UpdateOperand, item: &Item) -> Result<AttributeValue, String> {
    match operand {
        UpdateOperand::Path(path) => get_path(item, path)
            .cloned()
            .ok_or_else(|| MISSING_ATTRIBUTE.to_string()),
        UpdateOperand::Value(value) => Ok(value.clone()),
        UpdateOperand::IfNotExists(path, fallback) => match get_path(item, path) {
            Some(value) => Ok(value.clone()),
            None => evaluate_operand(fallback, item),
        },
        UpdateOperand::ListAppend(a, b) => {
            let (a, b) = (evaluate_operand(a, item)?, evaluate_operand(b, item)?);
            match (a, b) {
                (AttributeValue::L(mut x), AttributeValue::L(y)) => {
                    x.extend(y);
                    Ok(AttributeValue::L(x))
                }
                _ => Err(WRONG_TYPE.to_string()),
            }
        }
    }
}

/// The container holding the last element of `path`, which must exist.
fn parent_mut<'a>(
    item: &'a mut Item,
    path: &Path,
) -> Result<Option<&'a mut AttributeValue>, String> {
    let elements = &path.elements;
    if elements.len() == 1 {
        return Ok(None);
    }
    let Some(PathElement::Attribute(head)) = elements.first() else {
        return Err(INVALID_PATH.to_string());
    };
    let mut current = item.get_mut(head).ok_or_else(|| INVALID_PATH.to_string())?;
    for element in &elements[1..elements.len() - 1] {
        current = match (element, current) {
            (PathElement::Attribute(name), AttributeValue::M(map)) => map.get_mut(name),
            (PathElement::Index(index), AttributeValue::L(list)) => list.get_mut(*index as usize),
            _ => None,
        }
        .ok_or_else(|| INVALID_PATH.to_string())?;
    }
    Ok(Some(current))
}

fn last(path: &Path) -> &PathElement {
    &path.elements[path.elements.len() - 1]
}

fn set_path(item: &mut Item, path: &Path, value: AttributeValue) -> Result<(), String> {
    match (parent_mut(item, path)?, last(path)) {
        (None, PathElement::Attribute(name)) => {
            item.insert(name.clone(), value);
        }
        (Some(AttributeValue::M(map)), PathElement::Attribute(name)) => {
            map.insert(name.clone(), value);
        }
        (Some(AttributeValue::L(list)), PathElement::Index(index)) => {
            // Past the end appends: DynamoDB does not pad lists.
            match list.get_mut(*index as usize) {
                Some(slot) => *slot = value,
                None => list.push(value),
            }
        }
        _ => return Err(INVALID_PATH.to_string()),
    }
    Ok(())
}

fn remove_path(item: &mut Item, path: &Path) -> Result<(), String> {
    match (parent_mut(item, path)?, last(path)) {
        (None, PathElement::Attribute(name)) => {
            item.remove(name);
        }
        (Some(AttributeValue::M(map)), PathElement::Attribute(name)) => {
            map.remove(name);
        }
        (Some(AttributeValue::L(list)), PathElement::Index(index)) => {
            if (*index as usize) < list.len() {
                list.remove(*index as usize);
            }
        }
        _ => return Err(INVALID_PATH.to_string()),
    }
    Ok(())
}

fn slot<'a>(item: &'a mut Item, path: &Path) -> Result<Slot<'a>, String> {
    if let [PathElement::Attribute(name)] = path.elements.as_slice() {
        return Ok(Slot::Top(item, name.clone()));
    }
    Ok(match (parent_mut(item, path)?, last(path)) {
        (Some(AttributeValue::M(map)), PathElement::Attribute(name)) => {
            Slot::Map(map, name.clone())
        }
        (Some(AttributeValue::L(list)), PathElement::Index(index)) => {
            Slot::List(list, *index as usize)
        }
        _ => return Err(INVALID_PATH.to_string()),
    })
}

enum Slot<'a> {
    Top(&'a mut Item, String),
    Map(
        &'a mut std::collections::BTreeMap<String, AttributeValue>,
        String,
    ),
    List(&'a mut Vec<AttributeValue>, usize),
}

impl Slot<'_> {
    fn get(&mut self) -> Option<&mut AttributeValue> {
        match self {
            Slot::Top(item, name) => item.get_mut(name.as_str()),
            Slot::Map(map, name) => map.get_mut(name.as_str()),
            Slot::List(list, index) => list.get_mut(*index),
        }
    }

    fn put(&mut self, value: AttributeValue) {
        match self {
            Slot::Top(item, name) => {
                item.insert(name.clone(), value);
            }
            Slot::Map(map, name) => {
                map.insert(name.clone(), value);
            }
            Slot::List(list, index) => match list.get_mut(*index) {
                Some(slot) => *slot = value,
                None => list.push(value),
            },
        }
    }

    fn remove(&mut self) {
        match self {
            Slot::Top(item, name) => {
                item.remove(name.as_str());
            }
            Slot::Map(map, name) => {
                map.remove(name.as_str());
            }
            Slot::List(list, index) => {
                if *index < list.len() {
                    list.remove(*index);
                }
            }
        }
    }
}

fn add_at_path(item: &mut Item, path: &Path, operand: &AttributeValue) -> Result<(), String> {
    let mut slot = slot(item, path)?;
    let Some(current) = slot.get() else {
        slot.put(operand.clone());
        return Ok(());
    };
    let combined = match (&*current, operand) {
        (AttributeValue::N(x), AttributeValue::N(y)) => AttributeValue::N(x.add(y)?),
        (AttributeValue::SS(x), AttributeValue::SS(y)) => {
            AttributeValue::SS(x.union(y).cloned().collect())
        }
        (AttributeValue::NS(x), AttributeValue::NS(y)) => {
            AttributeValue::NS(x.union(y).cloned().collect())
        }
        (AttributeValue::BS(x), AttributeValue::BS(y)) => {
            AttributeValue::BS(x.union(y).cloned().collect())
        }
        _ => return Err(WRONG_TYPE.to_string()),
    };
    *current = combined;
    Ok(())
}

fn delete_at_path(item: &mut Item, path: &Path, operand: &AttributeValue) -> Result<(), String> {
    let mut slot = slot(item, path)?;
    let Some(current) = slot.get() else {
        return Ok(());
    };
    let empty = match (current, operand) {
        (AttributeValue::SS(x), AttributeValue::SS(y)) => {
            x.retain(|e| !y.contains(e));
            x.is_empty()
        }
        (AttributeValue::NS(x), AttributeValue::NS(y)) => {
            x.retain(|e| !y.contains(e));
            x.is_empty()
        }
        (AttributeValue::BS(x), AttributeValue::BS(y)) => {
            x.retain(|e| !y.contains(e));
            x.is_empty()
        }
        _ => return Err(WRONG_TYPE.to_string()),
    };
    // Sets cannot be empty: removing the last element removes the attribute.
    if empty {
        slot.remove();
    }
    Ok(())
}
