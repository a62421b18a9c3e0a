//! What the expression languages share: document paths, the `#name` / `:value` placeholders of
//! a request (with the unused / undefined checks), the operand grammar, and errors that keep
//! AWS's message apart from the character position of the fault.
//!
//! DynamoDB checks an expression in two steps, and so does this: a parse that stops at the first
//! syntax error, then a validation pass that collects the first fault of each kind and reports
//! the highest-ranked kind (the ranking differs per expression language, as in DynamoDB).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use super::lexer::{Cursor, TokenKind};
use super::reserved::is_reserved;
use super::value::AttributeValue;

/// A message exactly as AWS words it, and where in the expression the fault is (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressionError {
    pub message: String,
    pub position: Option<u32>,
}

impl ExpressionError {
    pub fn new(message: impl Into<String>) -> ExpressionError {
        ExpressionError {
            message: message.into(),
            position: None,
        }
    }

    /// An error at byte offset `byte` of `text`, kept as a character position.
    pub fn at(message: impl Into<String>, text: &str, byte: usize) -> ExpressionError {
        let characters = text.get(..byte).map(|s| s.chars().count()).unwrap_or(0);
        ExpressionError {
            message: message.into(),
            position: Some(characters as u32),
        }
    }
}

/// One step of a document path: a map key (or top-level attribute) or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathElement {
    Attribute(String),
    Index(u32),
}

/// A resolved document path such as `a.b[3].c`; never empty, always starts with an attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path {
    pub elements: Vec<PathElement>,
}

impl Path {
    pub fn attribute(name: &str) -> Path {
        Path {
            elements: vec![PathElement::Attribute(name.to_string())],
        }
    }

    pub fn head(&self) -> &str {
        match self.elements.first() {
            Some(PathElement::Attribute(name)) => name,
            _ => "",
        }
    }
}

/// DynamoDB's rendering in overlap messages: `[a, b, [3]]`.
impl fmt::Display for Path {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .elements
            .iter()
            .map(|e| match e {
                PathElement::Attribute(name) => name.clone(),
                PathElement::Index(index) => format!("[{index}]"),
            })
            .collect();
        write!(formatter, "[{}]", parts.join(", "))
    }
}

/// The kinds of validation fault, each reported at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Parentheses,
    UnknownFunction,
    MisusedFunction,
    Reserved,
    Section,
    AttributeName,
    AttributeValue,
    PathOverlap,
    PathConflict,
    OperandCount,
    Distinct,
    OperandType,
    Function,
}

/// The first fault of each kind found while validating one expression.
#[derive(Debug, Default)]
pub struct Findings {
    first: BTreeMap<Fault, ExpressionError>,
}

impl Findings {
    pub fn record(&mut self, fault: Fault, error: ExpressionError) {
        self.first.entry(fault).or_insert(error);
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.first.contains_key(&fault)
    }

    /// The fault to report, by the expression language's ranking.
    pub fn into_result(mut self, ranking: &[Fault]) -> Result<(), ExpressionError> {
        for fault in ranking {
            if let Some(error) = self.first.remove(fault) {
                return Err(error);
            }
        }
        Ok(())
    }
}

/// The `ExpressionAttributeNames` and `ExpressionAttributeValues` of one request, and which of
/// them the request's expressions used.
#[derive(Debug, Default, Clone)]
pub struct Placeholders {
    names: BTreeMap<String, String>,
    name_order: Vec<String>,
    values: BTreeMap<String, AttributeValue>,
    value_order: Vec<String>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
}

impl Placeholders {
    /// Reads and checks both maps (either may be absent), with DynamoDB's messages.
    pub fn from_request(
        names: Option<&Value>,
        values: Option<&Value>,
    ) -> Result<Placeholders, String> {
        let mut placeholders = Placeholders::default();
        if let Some(names) = names.filter(|v| !v.is_null()) {
            let Value::Object(names) = names else {
                return Err("ExpressionAttributeNames must be a map".to_string());
            };
            if names.is_empty() {
                return Err("ExpressionAttributeNames must not be empty".to_string());
            }
            for (key, name) in names {
                if !valid_placeholder(key, '#') {
                    return Err(format!("ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\""));
                }
                let Value::String(name) = name else {
                    return Err(format!(
                        "ExpressionAttributeNames contains invalid value for key {key}"
                    ));
                };
                placeholders.names.insert(key.clone(), name.clone());
                placeholders.name_order.push(key.clone());
            }
        }
        if let Some(values) = values.filter(|v| !v.is_null()) {
            let Value::Object(values) = values else {
                return Err("ExpressionAttributeValues must be a map".to_string());
            };
            if values.is_empty() {
                return Err("ExpressionAttributeValues must not be empty".to_string());
            }
            for key in values.keys() {
                if !valid_placeholder(key, ':') {
                    return Err(format!("ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\""));
                }
            }
            for (key, value) in values {
                let value = AttributeValue::from_wire(value).map_err(|e| {
                    format!(
                        "ExpressionAttributeValues contains invalid value: {} for key {key}",
                        e.message
                    )
                })?;
                placeholders.values.insert(key.clone(), value);
                placeholders.value_order.push(key.clone());
            }
        }
        Ok(placeholders)
    }

    /// What `from_request` reads from the maps these entries write (`names` as strings,
    /// `values` in the wire shape), in their order; None when it would refuse them (an empty
    /// map is absent here, and a key that is not a placeholder has no typed reading).
    pub fn from_parts(
        names: &[(String, String)],
        values: &[(String, AttributeValue)],
    ) -> Option<Placeholders> {
        let mut placeholders = Placeholders::default();
        for (key, name) in names {
            if !valid_placeholder(key, '#') {
                return None;
            }
            placeholders.names.insert(key.clone(), name.clone());
            placeholders.name_order.push(key.clone());
        }
        for (key, value) in values {
            if !valid_placeholder(key, ':') {
                return None;
            }
            placeholders.values.insert(key.clone(), value.clone());
            placeholders.value_order.push(key.clone());
        }
        Some(placeholders)
    }

    /// Placeholders for expressions built in code (tests, the simulator).
    pub fn from_maps(names: &[(&str, &str)], values: &[(&str, AttributeValue)]) -> Placeholders {
        let mut placeholders = Placeholders::default();
        for (key, name) in names {
            placeholders.names.insert(key.to_string(), name.to_string());
            placeholders.name_order.push(key.to_string());
        }
        for (key, value) in values {
            placeholders.values.insert(key.to_string(), value.clone());
            placeholders.value_order.push(key.to_string());
        }
        placeholders
    }

    pub fn has_names(&self) -> bool {
        !self.name_order.is_empty()
    }

    pub fn has_values(&self) -> bool {
        !self.value_order.is_empty()
    }

    pub fn name(&mut self, key: &str) -> Option<String> {
        let name = self.names.get(key).cloned()?;
        self.used_names.insert(key.to_string());
        Some(name)
    }

    pub fn value(&mut self, key: &str) -> Option<AttributeValue> {
        let value = self.values.get(key).cloned()?;
        self.used_values.insert(key.to_string());
        Some(value)
    }

    /// The "unused in expressions" check, run once every expression of the request is parsed.
    pub fn check_all_used(&self) -> Result<(), String> {
        let unused: Vec<&str> = self
            .name_order
            .iter()
            .filter(|k| !self.used_names.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            return Err(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused.join(", ")
            ));
        }
        let unused: Vec<&str> = self
            .value_order
            .iter()
            .filter(|k| !self.used_values.contains(*k))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            return Err(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused.join(", ")
            ));
        }
        Ok(())
    }
}

fn valid_placeholder(key: &str, sigil: char) -> bool {
    let mut characters = key.chars();
    characters.next() == Some(sigil)
        && key.len() > 1
        && characters.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A path as written: identifiers, `#name` placeholders and indexes, with their byte offsets.
#[derive(Debug, Clone, PartialEq)]
pub enum RawSegment {
    Identifier(String, usize),
    Name(String, usize),
    Index(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawPath {
    pub segments: Vec<RawSegment>,
    pub start: usize,
}

/// An operand as written, before placeholders are resolved and functions are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum RawOperand {
    Path(RawPath),
    Value(String, usize),
    Call {
        name: String,
        arguments: Vec<RawOperand>,
        start: usize,
    },
    /// `(operand)`
    Parens(Box<RawOperand>, usize),
    /// `((operand))`: DynamoDB refuses the extra pair in conditions.
    Redundant(Box<RawOperand>, usize),
}

impl RawOperand {
    pub fn start(&self) -> usize {
        match self {
            RawOperand::Path(path) => path.start,
            RawOperand::Value(_, start)
            | RawOperand::Call { start, .. }
            | RawOperand::Parens(_, start)
            | RawOperand::Redundant(_, start) => *start,
        }
    }

    /// Strips parentheses; a doubled pair is recorded as a fault when `findings` is given.
    pub fn unwrap_parens<'o>(
        &'o self,
        text: &str,
        findings: Option<&mut Findings>,
    ) -> &'o RawOperand {
        let mut operand = self;
        let mut findings = findings;
        loop {
            match operand {
                RawOperand::Parens(inner, _) => operand = inner,
                RawOperand::Redundant(inner, start) => {
                    if let Some(findings) = findings.as_deref_mut() {
                        findings.record(
                            Fault::Parentheses,
                            ExpressionError::at(
                                "The expression has redundant parentheses;",
                                text,
                                *start,
                            ),
                        );
                    }
                    operand = inner;
                }
                _ => return operand,
            }
        }
    }
}

/// `Path := (identifier | #name) ( "." (identifier | #name) | "[" digits "]" )*`; keywords of the
/// language (`keywords`) cannot name an attribute.
pub fn parse_path(cursor: &mut Cursor, keywords: &[&str]) -> Option<RawPath> {
    let start = cursor.peek().start;
    let mut segments = vec![parse_path_name(cursor, keywords)?];
    loop {
        match cursor.peek().kind {
            TokenKind::Dot => {
                cursor.advance();
                segments.push(parse_path_name(cursor, keywords)?);
            }
            TokenKind::OpenBracket => {
                cursor.advance();
                let digits = cursor.eat(TokenKind::Digits)?;
                let text = cursor.slice(digits);
                let index = text.bytes().fold(0u64, |acc, b| {
                    acc.saturating_mul(10).saturating_add((b - b'0') as u64)
                });
                cursor.eat(TokenKind::CloseBracket)?;
                segments.push(RawSegment::Index(index.min(u32::MAX as u64) as u32));
            }
            _ => return Some(RawPath { segments, start }),
        }
    }
}

fn parse_path_name(cursor: &mut Cursor, keywords: &[&str]) -> Option<RawSegment> {
    let token = cursor.peek();
    match token.kind {
        TokenKind::Identifier if !cursor.is_keyword(token, keywords) => {
            cursor.advance();
            Some(RawSegment::Identifier(
                cursor.slice(token).to_string(),
                token.start,
            ))
        }
        TokenKind::NamePlaceholder => {
            cursor.advance();
            Some(RawSegment::Name(
                cursor.slice(token).to_string(),
                token.start,
            ))
        }
        _ => cursor.fail(),
    }
}

/// `Operand := "(" Operand ")" | function "(" Operand ("," Operand)* ")" | :value | Path`.
pub fn parse_operand(cursor: &mut Cursor, keywords: &[&str]) -> Option<RawOperand> {
    let token = cursor.peek();
    match token.kind {
        TokenKind::OpenParen => {
            cursor.enter()?;
            cursor.advance();
            let inner = parse_operand(cursor, keywords);
            cursor.leave();
            let inner = inner?;
            cursor.eat(TokenKind::CloseParen)?;
            Some(match inner {
                RawOperand::Parens(inner, _) => RawOperand::Redundant(inner, token.start),
                other => RawOperand::Parens(Box::new(other), token.start),
            })
        }
        TokenKind::ValuePlaceholder => {
            cursor.advance();
            Some(RawOperand::Value(
                cursor.slice(token).to_string(),
                token.start,
            ))
        }
        TokenKind::Identifier
            if !cursor.is_keyword(token, keywords)
                && cursor.peek_at(1).kind == TokenKind::OpenParen =>
        {
            cursor.enter()?;
            cursor.advance();
            cursor.advance();
            let arguments = parse_arguments(cursor, keywords);
            cursor.leave();
            let arguments = arguments?;
            cursor.eat(TokenKind::CloseParen)?;
            Some(RawOperand::Call {
                name: cursor.slice(token).to_string(),
                arguments,
                start: token.start,
            })
        }
        _ => parse_path(cursor, keywords).map(RawOperand::Path),
    }
}

fn parse_arguments(cursor: &mut Cursor, keywords: &[&str]) -> Option<Vec<RawOperand>> {
    let mut arguments = vec![parse_operand(cursor, keywords)?];
    while cursor.peek().kind == TokenKind::Comma {
        cursor.advance();
        arguments.push(parse_operand(cursor, keywords)?);
    }
    Some(arguments)
}

/// Resolves a written path: placeholders replaced, reserved words and undefined names recorded.
pub fn resolve_path(
    path: &RawPath,
    text: &str,
    placeholders: &mut Placeholders,
    findings: &mut Findings,
) -> Path {
    let mut elements = Vec::with_capacity(path.segments.len());
    for segment in &path.segments {
        match segment {
            RawSegment::Identifier(name, start) => {
                if is_reserved(name) {
                    findings.record(
                        Fault::Reserved,
                        ExpressionError::at(
                            format!(
                                "Attribute name is a reserved keyword; reserved keyword: {name}"
                            ),
                            text,
                            *start,
                        ),
                    );
                }
                elements.push(PathElement::Attribute(name.clone()));
            }
            RawSegment::Name(key, start) => match placeholders.name(key) {
                Some(name) => elements.push(PathElement::Attribute(name)),
                None => {
                    findings.record(
                        Fault::AttributeName,
                        ExpressionError::at(
                            format!("An expression attribute name used in the document path is not defined; attribute name: {key}"),
                            text,
                            *start,
                        ),
                    );
                    elements.push(PathElement::Attribute(key.clone()));
                }
            },
            RawSegment::Index(index) => elements.push(PathElement::Index(*index)),
        }
    }
    Path { elements }
}

/// Resolves a `:value` placeholder, recording an undefined one under `fault`.
pub fn resolve_value(
    key: &str,
    start: usize,
    text: &str,
    placeholders: &mut Placeholders,
    findings: &mut Findings,
    fault: Fault,
) -> AttributeValue {
    match placeholders.value(key) {
        Some(value) => value,
        None => {
            findings.record(
                fault,
                ExpressionError::at(
                    format!("An expression attribute value used in expression is not defined; attribute value: {key}"),
                    text,
                    start,
                ),
            );
            AttributeValue::Null
        }
    }
}

/// The overlap / conflict check shared by update and projection expressions: two paths where one
/// is a prefix of the other overlap; paths that reach the same place by a map key in one and a
/// list index in the other conflict.
pub fn check_paths(paths: &[(Path, usize)], text: &str, findings: &mut Findings) {
    for (index, (path, start)) in paths.iter().enumerate() {
        for (earlier, _) in &paths[..index] {
            if findings.has(Fault::PathOverlap) {
                return;
            }
            check_pair(earlier, path, *start, text, findings);
        }
    }
}

fn check_pair(first: &Path, second: &Path, start: usize, text: &str, findings: &mut Findings) {
    for (a, b) in first.elements.iter().zip(&second.elements) {
        let same_kind = matches!(
            (a, b),
            (PathElement::Attribute(_), PathElement::Attribute(_))
                | (PathElement::Index(_), PathElement::Index(_))
        );
        if !same_kind {
            findings.record(
                Fault::PathConflict,
                ExpressionError::at(
                    format!("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {first}, path two: {second}"),
                    text,
                    start,
                ),
            );
            return;
        }
        if a != b {
            return;
        }
    }
    findings.record(
        Fault::PathOverlap,
        ExpressionError::at(
            format!("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {first}, path two: {second}"),
            text,
            start,
        ),
    );
}
