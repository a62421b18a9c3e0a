//! ConditionExpression / FilterExpression / KeyConditionExpression: the parser (DynamoDB's
//! grammar, keywords case-insensitive, function names case-sensitive), the validation DynamoDB
//! runs before touching any item, and the evaluator with DynamoDB's run-time rules (a missing
//! attribute or a type mismatch makes a comparison false, never an error; `<>` is then true).

use std::borrow::Cow;
use std::cmp::Ordering;

use super::expression::{
    parse_operand, resolve_path, resolve_value, ExpressionError, Fault, Findings, Path,
    PathElement, Placeholders, RawOperand,
};
use super::lexer::{Cursor, TokenKind};
use super::number::Number;
use super::value::{AttributeValue, Item};

const KEYWORDS: &[&str] = &["AND", "OR", "NOT", "BETWEEN", "IN"];

const RANKING: &[Fault] = &[
    Fault::Parentheses,
    Fault::UnknownFunction,
    Fault::MisusedFunction,
    Fault::Reserved,
    Fault::AttributeName,
    Fault::AttributeValue,
    Fault::OperandCount,
    Fault::Distinct,
    Fault::Function,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Equal => "=",
            Comparator::NotEqual => "<>",
            Comparator::Less => "<",
            Comparator::LessOrEqual => "<=",
            Comparator::Greater => ">",
            Comparator::GreaterOrEqual => ">=",
        }
    }

    /// The comparator with its operands swapped (`:v < a` is `a > :v`).
    pub fn flipped(self) -> Comparator {
        match self {
            Comparator::Less => Comparator::Greater,
            Comparator::LessOrEqual => Comparator::GreaterOrEqual,
            Comparator::Greater => Comparator::Less,
            Comparator::GreaterOrEqual => Comparator::LessOrEqual,
            other => other,
        }
    }

    fn from_token(kind: TokenKind) -> Option<Comparator> {
        Some(match kind {
            TokenKind::Equal => Comparator::Equal,
            TokenKind::NotEqual => Comparator::NotEqual,
            TokenKind::Less => Comparator::Less,
            TokenKind::LessOrEqual => Comparator::LessOrEqual,
            TokenKind::Greater => Comparator::Greater,
            TokenKind::GreaterOrEqual => Comparator::GreaterOrEqual,
            _ => return None,
        })
    }
}

/// A resolved operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    Size(Box<Operand>),
}

/// A resolved, validated condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Or(Box<Condition>, Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    Compare(Comparator, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    AttributeExists(Path),
    AttributeNotExists(Path),
    AttributeType(Operand, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

#[derive(Debug, Clone, PartialEq)]
enum RawCondition {
    Or(Box<RawCondition>, Box<RawCondition>),
    And(Box<RawCondition>, Box<RawCondition>),
    Not(Box<RawCondition>),
    Group(Box<RawCondition>, usize),
    Compare(Comparator, RawOperand, RawOperand),
    Between(RawOperand, RawOperand, RawOperand),
    In(RawOperand, Vec<RawOperand>),
    Function(RawOperand),
}

/// Parses and validates a condition. Errors carry AWS's message without the
/// `Invalid ConditionExpression: ` prefix, which depends on where the expression came from.
pub fn parse_condition(
    text: &str,
    placeholders: &mut Placeholders,
) -> Result<Condition, ExpressionError> {
    if text.is_empty() {
        return Err(ExpressionError::new("The expression can not be empty;"));
    }
    let mut cursor = Cursor::new(text);
    let raw = parse_or(&mut cursor).filter(|_| cursor.at_end());
    let Some(raw) = raw else {
        return Err(cursor.syntax_error());
    };
    let mut validator = Validator {
        text,
        placeholders,
        findings: Findings::default(),
    };
    let condition = validator.condition(&raw);
    validator.findings.into_result(RANKING)?;
    Ok(condition)
}

fn parse_or(cursor: &mut Cursor) -> Option<RawCondition> {
    let left = parse_and(cursor)?;
    if cursor.eat_keyword("OR") {
        let right = parse_or(cursor)?;
        return Some(RawCondition::Or(Box::new(left), Box::new(right)));
    }
    Some(left)
}

fn parse_and(cursor: &mut Cursor) -> Option<RawCondition> {
    let left = parse_not(cursor)?;
    if cursor.eat_keyword("AND") {
        let right = parse_and(cursor)?;
        return Some(RawCondition::And(Box::new(left), Box::new(right)));
    }
    Some(left)
}

fn parse_not(cursor: &mut Cursor) -> Option<RawCondition> {
    if cursor.eat_keyword("NOT") {
        return Some(RawCondition::Not(Box::new(parse_primary(cursor)?)));
    }
    parse_primary(cursor)
}

/// A comparison or function, or else a parenthesised condition (tried in that order, as
/// DynamoDB's grammar does, so `(a) = :v` is a comparison).
fn parse_primary(cursor: &mut Cursor) -> Option<RawCondition> {
    let saved = cursor.position;
    if let Some(comparison) = parse_comparison(cursor) {
        return Some(comparison);
    }
    cursor.position = saved;
    let open = cursor.eat(TokenKind::OpenParen)?;
    cursor.enter()?;
    let inner = parse_or(cursor);
    cursor.leave();
    let inner = inner?;
    cursor.eat(TokenKind::CloseParen)?;
    Some(RawCondition::Group(Box::new(inner), open.start))
}

fn parse_comparison(cursor: &mut Cursor) -> Option<RawCondition> {
    let left = parse_operand(cursor, KEYWORDS)?;
    let token = cursor.peek();
    if let Some(comparator) = Comparator::from_token(token.kind) {
        cursor.advance();
        let right = parse_operand(cursor, KEYWORDS)?;
        return Some(RawCondition::Compare(comparator, left, right));
    }
    if cursor.eat_keyword("BETWEEN") {
        let low = parse_operand(cursor, KEYWORDS)?;
        if !cursor.eat_keyword("AND") {
            return None;
        }
        let high = parse_operand(cursor, KEYWORDS)?;
        return Some(RawCondition::Between(left, low, high));
    }
    if cursor.eat_keyword("IN") {
        cursor.eat(TokenKind::OpenParen)?;
        let mut list = vec![parse_operand(cursor, KEYWORDS)?];
        while cursor.peek().kind == TokenKind::Comma {
            cursor.advance();
            list.push(parse_operand(cursor, KEYWORDS)?);
        }
        cursor.eat(TokenKind::CloseParen)?;
        return Some(RawCondition::In(left, list));
    }
    if matches!(left, RawOperand::Call { .. }) {
        return Some(RawCondition::Function(left));
    }
    cursor.fail()
}

const CONDITION_FUNCTIONS: &[(&str, usize)] = &[
    ("attribute_exists", 1),
    ("attribute_not_exists", 1),
    ("attribute_type", 2),
    ("begins_with", 2),
    ("contains", 2),
    ("size", 1),
];

const TYPE_NAMES: &[&str] = &["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

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

    fn condition(&mut self, raw: &RawCondition) -> Condition {
        match raw {
            RawCondition::Or(a, b) => {
                Condition::Or(Box::new(self.condition(a)), Box::new(self.condition(b)))
            }
            RawCondition::And(a, b) => {
                Condition::And(Box::new(self.condition(a)), Box::new(self.condition(b)))
            }
            RawCondition::Not(inner) => Condition::Not(Box::new(self.condition(inner))),
            RawCondition::Group(inner, start) => {
                if matches!(**inner, RawCondition::Group(..)) {
                    self.error(
                        Fault::Parentheses,
                        *start,
                        "The expression has redundant parentheses;".to_string(),
                    );
                }
                self.condition(inner)
            }
            RawCondition::Compare(comparator, left, right) => {
                let (a, b) = (self.operand(left), self.operand(right));
                self.check_distinct(comparator.symbol(), left, &a, &b);
                Condition::Compare(*comparator, a, b)
            }
            RawCondition::Between(value, low, high) => {
                let (value, low_operand, high_operand) =
                    (self.operand(value), self.operand(low), self.operand(high));
                if let (Operand::Value(lo), Operand::Value(hi)) = (&low_operand, &high_operand) {
                    self.check_between_bounds(lo, hi, low.start());
                }
                Condition::Between(value, low_operand, high_operand)
            }
            RawCondition::In(value, list) => {
                let value = self.operand(value);
                Condition::In(value, list.iter().map(|o| self.operand(o)).collect())
            }
            RawCondition::Function(call) => self.function(call),
        }
    }

    fn check_between_bounds(&mut self, low: &AttributeValue, high: &AttributeValue, start: usize) {
        let bounds = format!(
            "lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
            low.type_name(),
            plain(low),
            high.type_name(),
            plain(high)
        );
        if low.type_name() != high.type_name() {
            self.error(Fault::Function, start, format!("The BETWEEN operator requires same data type for lower and upper bounds; {bounds}"));
        } else if order(low, high) == Some(Ordering::Greater) {
            self.error(
                Fault::Function,
                start,
                format!("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; {bounds}"),
            );
        }
    }

    fn check_distinct(&mut self, operator: &str, raw: &RawOperand, a: &Operand, b: &Operand) {
        if let (Operand::Path(first), Operand::Path(second)) = (a, b) {
            if first == second {
                self.error(
                    Fault::Distinct,
                    raw.start(),
                    format!("The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {first}"),
                );
            }
        }
    }

    /// An operand in a comparison: a path, a value, or `size(...)`; other functions are misused.
    fn operand(&mut self, raw: &RawOperand) -> Operand {
        let raw = raw.unwrap_parens(self.text, Some(&mut self.findings));
        match raw {
            RawOperand::Path(path) => Operand::Path(resolve_path(
                path,
                self.text,
                self.placeholders,
                &mut self.findings,
            )),
            RawOperand::Value(key, start) => Operand::Value(resolve_value(
                key,
                *start,
                self.text,
                self.placeholders,
                &mut self.findings,
                Fault::AttributeName,
            )),
            RawOperand::Call {
                name,
                arguments,
                start,
            } => {
                let arguments: Vec<Operand> = arguments.iter().map(|a| self.operand(a)).collect();
                if !self.known_function(name, *start) {
                    return Operand::Value(AttributeValue::Null);
                }
                if name != "size" {
                    self.misused(name, *start);
                    return Operand::Value(AttributeValue::Null);
                }
                if !self.check_count(name, &arguments, *start) {
                    return Operand::Value(AttributeValue::Null);
                }
                let argument = arguments
                    .into_iter()
                    .next()
                    .unwrap_or(Operand::Value(AttributeValue::Null));
                if let Some(kind @ ("N" | "BOOL" | "NULL")) = static_type(&argument) {
                    self.error(Fault::Function, *start, operand_type_message("size", kind));
                }
                Operand::Size(Box::new(argument))
            }
            RawOperand::Parens(..) | RawOperand::Redundant(..) => {
                Operand::Value(AttributeValue::Null)
            }
        }
    }

    fn known_function(&mut self, name: &str, start: usize) -> bool {
        if CONDITION_FUNCTIONS.iter().any(|(n, _)| *n == name) {
            return true;
        }
        self.error(
            Fault::UnknownFunction,
            start,
            format!("Invalid function name; function: {name}"),
        );
        false
    }

    fn misused(&mut self, name: &str, start: usize) {
        self.error(
            Fault::MisusedFunction,
            start,
            format!("The function is not allowed to be used this way in an expression; function: {name}"),
        );
    }

    fn check_count(&mut self, name: &str, arguments: &[Operand], start: usize) -> bool {
        let expected = CONDITION_FUNCTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .unwrap_or(0);
        if arguments.len() == expected {
            return true;
        }
        self.error(
            Fault::OperandCount,
            start,
            format!(
                "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                arguments.len()
            ),
        );
        false
    }

    /// A function standing as a condition.
    fn function(&mut self, raw: &RawOperand) -> Condition {
        let fallback = Condition::AttributeExists(Path::attribute(""));
        let RawOperand::Call {
            name,
            arguments: raw_arguments,
            start,
        } = raw
        else {
            return fallback;
        };
        let arguments: Vec<Operand> = raw_arguments.iter().map(|a| self.operand(a)).collect();
        if !self.known_function(name, *start) {
            return fallback;
        }
        if name == "size" {
            self.misused(name, *start);
            return fallback;
        }
        if !self.check_count(name, &arguments, *start) {
            return fallback;
        }
        let mut arguments = arguments.into_iter();
        let first = arguments
            .next()
            .unwrap_or(Operand::Value(AttributeValue::Null));
        let second = arguments.next();
        if let Some(second) = &second {
            self.check_distinct(name, &raw_arguments[0], &first, second);
        }
        match (name.as_str(), second) {
            ("attribute_exists" | "attribute_not_exists", _) => {
                let Operand::Path(path) = first else {
                    self.error(
                        Fault::Function,
                        *start,
                        format!("Operator or function requires a document path; operator or function: {name}"),
                    );
                    return fallback;
                };
                if name == "attribute_exists" {
                    Condition::AttributeExists(path)
                } else {
                    Condition::AttributeNotExists(path)
                }
            }
            ("begins_with", Some(second)) => {
                for operand in [&first, &second] {
                    if let Some(kind) = static_type(operand).filter(|k| *k != "S" && *k != "B") {
                        self.error(Fault::Function, *start, operand_type_message(name, kind));
                    }
                }
                Condition::BeginsWith(first, second)
            }
            ("attribute_type", Some(second)) => {
                match &second {
                    Operand::Value(AttributeValue::S(type_name)) => {
                        if !TYPE_NAMES.contains(&type_name.as_str()) {
                            self.error(
                                Fault::Function,
                                *start,
                                format!("Invalid attribute type name found; type: {type_name}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"),
                            );
                        }
                    }
                    other => {
                        let kind = static_type(other).unwrap_or("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
                        self.error(Fault::Function, *start, operand_type_message(name, kind));
                    }
                }
                Condition::AttributeType(first, second)
            }
            ("contains", Some(second)) => Condition::Contains(first, second),
            _ => fallback,
        }
    }
}

fn operand_type_message(function: &str, kind: &str) -> String {
    format!("Incorrect operand type for operator or function; operator or function: {function}, operand type: {kind}")
}

/// The type an operand is known to have before any item is read.
fn static_type(operand: &Operand) -> Option<&'static str> {
    match operand {
        Operand::Value(value) => Some(value.type_name()),
        Operand::Size(_) => Some("N"),
        Operand::Path(_) => None,
    }
}

/// A value as DynamoDB prints it inside `AttributeValue: {N:5}`.
fn plain(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        AttributeValue::B(b) => super::value::encode_base64(b),
        other => other
            .to_wire()
            .get(other.type_name())
            .map(|v| v.to_string())
            .unwrap_or_default(),
    }
}

/// DynamoDB's ordering: S by UTF-8 bytes, N numerically, B by unsigned bytes; other types and
/// mixed types have no order.
pub fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// The value at `path` in `item`, if there is one.
pub fn get_path<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elements = path.elements.iter();
    let Some(PathElement::Attribute(head)) = elements.next() else {
        return None;
    };
    let mut current = item.get(head)?;
    for element in elements {
        current = match (element, current) {
            (PathElement::Attribute(name), AttributeValue::M(map)) => map.get(name)?,
            (PathElement::Index(index), AttributeValue::L(list)) => list.get(*index as usize)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The value of an operand against `item` (`None`: the attribute is missing or has no size).
pub fn operand_value<'a>(operand: &'a Operand, item: &'a Item) -> Option<Cow<'a, AttributeValue>> {
    match operand {
        Operand::Path(path) => get_path(item, path).map(Cow::Borrowed),
        Operand::Value(value) => Some(Cow::Borrowed(value)),
        Operand::Size(inner) => {
            let size = match operand_value(inner, item)?.as_ref() {
                AttributeValue::S(s) => s.chars().count(),
                AttributeValue::B(b) => b.len(),
                AttributeValue::SS(s) => s.len(),
                AttributeValue::NS(s) => s.len(),
                AttributeValue::BS(s) => s.len(),
                AttributeValue::L(l) => l.len(),
                AttributeValue::M(m) => m.len(),
                _ => return None,
            };
            Some(Cow::Owned(AttributeValue::N(Number::from_i64(size as i64))))
        }
    }
}

/// Evaluates a condition against an item (an absent item is an empty one).
pub fn evaluate(condition: &Condition, item: &Item) -> bool {
    match condition {
        Condition::Or(a, b) => evaluate(a, item) || evaluate(b, item),
        Condition::And(a, b) => evaluate(a, item) && evaluate(b, item),
        Condition::Not(inner) => !evaluate(inner, item),
        Condition::Compare(comparator, a, b) => {
            let (a, b) = (operand_value(a, item), operand_value(b, item));
            match comparator {
                Comparator::Equal => matches!((&a, &b), (Some(x), Some(y)) if x == y),
                Comparator::NotEqual => !matches!((&a, &b), (Some(x), Some(y)) if x == y),
                ordering => {
                    let Some(found) = a.zip(b).and_then(|(x, y)| order(&x, &y)) else {
                        return false;
                    };
                    match ordering {
                        Comparator::Less => found == Ordering::Less,
                        Comparator::LessOrEqual => found != Ordering::Greater,
                        Comparator::Greater => found == Ordering::Greater,
                        _ => found != Ordering::Less,
                    }
                }
            }
        }
        Condition::Between(value, low, high) => {
            let (Some(value), Some(low), Some(high)) = (
                operand_value(value, item),
                operand_value(low, item),
                operand_value(high, item),
            ) else {
                return false;
            };
            order(&low, &value).is_some_and(|o| o != Ordering::Greater)
                && order(&value, &high).is_some_and(|o| o != Ordering::Greater)
        }
        Condition::In(value, list) => {
            let Some(value) = operand_value(value, item) else {
                return false;
            };
            list.iter()
                .any(|candidate| operand_value(candidate, item).is_some_and(|c| c == value))
        }
        Condition::AttributeExists(path) => get_path(item, path).is_some(),
        Condition::AttributeNotExists(path) => get_path(item, path).is_none(),
        Condition::AttributeType(path, type_name) => {
            match (operand_value(path, item), operand_value(type_name, item)) {
                (Some(value), Some(name)) => {
                    matches!(name.as_ref(), AttributeValue::S(n) if n == value.type_name())
                }
                _ => false,
            }
        }
        Condition::BeginsWith(a, b) => match (
            operand_value(a, item).as_deref(),
            operand_value(b, item).as_deref(),
        ) {
            (Some(AttributeValue::S(x)), Some(AttributeValue::S(y))) => x.starts_with(y.as_str()),
            (Some(AttributeValue::B(x)), Some(AttributeValue::B(y))) => x.starts_with(y),
            _ => false,
        },
        Condition::Contains(a, b) => {
            let (Some(haystack), Some(needle)) = (operand_value(a, item), operand_value(b, item))
            else {
                return false;
            };
            contains(&haystack, &needle)
        }
    }
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(s), AttributeValue::S(part)) => s.contains(part.as_str()),
        (AttributeValue::B(b), AttributeValue::B(part)) => {
            part.is_empty()
                || b.windows(part.len())
                    .any(|window| window == part.as_slice())
        }
        (AttributeValue::SS(set), AttributeValue::S(element)) => set.contains(element),
        (AttributeValue::NS(set), AttributeValue::N(element)) => set.contains(element),
        (AttributeValue::BS(set), AttributeValue::B(element)) => set.contains(element),
        (AttributeValue::L(list), element) => list.contains(element),
        _ => false,
    }
}
