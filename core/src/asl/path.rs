//! JSONPath as Amazon States Language uses it: parsing path text, reading values at a path
//! (definite paths give one value, indefinite ones a list, as Jayway JsonPath does inside
//! Step Functions) and writing a value at a reference path for `ResultPath`.
//!
//! It must never recurse on the depth of a runtime value (descendant scans use an explicit
//! stack) and never panic on any path text or value.

use serde_json::{Map, Value};

/// One step of a path after the root.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.name` or `['name']`.
    Name(String),
    /// `[3]`, or `[-1]` counting from the end.
    Index(i64),
    /// `.*` or `[*]`: every member or element.
    Wildcard,
    /// `['a','b']`.
    Names(Vec<String>),
    /// `[0,2]`.
    Indexes(Vec<i64>),
    /// `[start:end]` with either bound optional.
    Slice(Option<i64>, Option<i64>),
    /// `..name`: the member of that name at any depth.
    DescendantName(String),
    /// `..*`: every value below.
    DescendantAll,
    /// `[?(@.field OP literal)]` or `[?(@.field)]`.
    Filter(Filter),
}

/// A one-comparison filter, the form Step Functions users write in practice.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub field: Vec<String>,
    pub comparison: Option<(Comparison, Value)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// A parsed path; `context` is true for `$$` paths, which read the context object.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub text: String,
    pub context: bool,
    pub segments: Vec<Segment>,
}

/// Why a path read found nothing (a definite path only; indefinite ones give `[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct NotFound;

/// Why a `ResultPath` write could not be applied to the input.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteFailure;

/// The longest path text accepted; longer is refused so parsing stays cheap.
const MAX_PATH_CHARS: usize = 4096;

impl Path {
    /// Parses `$`, `$$` and everything after them; `None` when the text is not a JSONPath.
    pub fn parse(text: &str) -> Option<Path> {
        if text.len() > MAX_PATH_CHARS {
            return None;
        }
        let (context, rest) = if let Some(rest) = text.strip_prefix("$$") {
            (true, rest)
        } else {
            (false, text.strip_prefix('$')?)
        };
        let segments = Parser {
            chars: rest.chars().collect(),
            at: 0,
        }
        .segments()?;
        Some(Path {
            text: text.to_string(),
            context,
            segments,
        })
    }

    /// True when the path names at most one value (only names and indexes).
    pub fn is_definite(&self) -> bool {
        self.segments
            .iter()
            .all(|s| matches!(s, Segment::Name(_) | Segment::Index(_)))
    }

    /// True for a reference path (`ResultPath`): names and non-negative indexes only.
    pub fn is_reference(&self) -> bool {
        !self.context
            && self.segments.iter().all(|s| match s {
                Segment::Name(_) => true,
                Segment::Index(i) => *i >= 0,
                _ => false,
            })
    }

    /// Reads the path: one value for a definite path, an array of matches otherwise.
    pub fn read(&self, root: &Value) -> Result<Value, NotFound> {
        if self.is_definite() {
            let mut current = root;
            for segment in &self.segments {
                current = match segment {
                    Segment::Name(name) => current.as_object().and_then(|o| o.get(name)),
                    Segment::Index(index) => array_item(current, *index),
                    _ => None,
                }
                .ok_or(NotFound)?;
            }
            return Ok(current.clone());
        }
        let mut matches: Vec<&Value> = vec![root];
        for segment in &self.segments {
            let mut next = Vec::new();
            for value in matches {
                step(segment, value, &mut next);
            }
            matches = next;
        }
        Ok(Value::Array(matches.into_iter().cloned().collect()))
    }

    /// Writes `value` at this reference path inside `root`, creating missing objects on the
    /// way, as `ResultPath` does; fails when an existing non-object or a missing index is in
    /// the way.
    pub fn write(&self, root: Value, value: Value) -> Result<Value, WriteFailure> {
        if self.segments.is_empty() {
            return Ok(value);
        }
        let mut root = root;
        let mut current = &mut root;
        let last = self.segments.len() - 1;
        for (position, segment) in self.segments.iter().enumerate() {
            let is_last = position == last;
            current = match segment {
                Segment::Name(name) => {
                    let object = current.as_object_mut().ok_or(WriteFailure)?;
                    if is_last {
                        object.insert(name.clone(), value);
                        return Ok(root);
                    }
                    object
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                }
                Segment::Index(index) => {
                    let array = current.as_array_mut().ok_or(WriteFailure)?;
                    let slot = usize::try_from(*index)
                        .ok()
                        .and_then(|i| array.get_mut(i))
                        .ok_or(WriteFailure)?;
                    if is_last {
                        *slot = value;
                        return Ok(root);
                    }
                    slot
                }
                _ => return Err(WriteFailure),
            };
        }
        Ok(root)
    }
}

fn array_item(value: &Value, index: i64) -> Option<&Value> {
    let array = value.as_array()?;
    let position = if index < 0 {
        i64::try_from(array.len()).ok()?.checked_add(index)?
    } else {
        index
    };
    array.get(usize::try_from(position).ok()?)
}

fn step<'a>(segment: &Segment, value: &'a Value, out: &mut Vec<&'a Value>) {
    match segment {
        Segment::Name(name) => out.extend(value.as_object().and_then(|o| o.get(name))),
        Segment::Index(index) => out.extend(array_item(value, *index)),
        Segment::Wildcard => children(value, out),
        Segment::Names(names) => {
            if let Some(object) = value.as_object() {
                out.extend(names.iter().filter_map(|n| object.get(n)));
            }
        }
        Segment::Indexes(indexes) => {
            out.extend(indexes.iter().filter_map(|i| array_item(value, *i)))
        }
        Segment::Slice(start, end) => {
            if let Some(array) = value.as_array() {
                let length = i64::try_from(array.len()).unwrap_or(i64::MAX);
                let clamp = |bound: i64| {
                    if bound < 0 {
                        (length + bound).max(0)
                    } else {
                        bound.min(length)
                    }
                };
                let from = start.map_or(0, clamp);
                let to = end.map_or(length, clamp);
                let mut position = from;
                while position < to {
                    out.extend(usize::try_from(position).ok().and_then(|p| array.get(p)));
                    position += 1;
                }
            }
        }
        Segment::DescendantName(name) => descend(value, out, |v, out| {
            out.extend(v.as_object().and_then(|o| o.get(name)));
        }),
        Segment::DescendantAll => descend(value, out, children),
        Segment::Filter(filter) => {
            let mut items = Vec::new();
            children(value, &mut items);
            out.extend(items.into_iter().filter(|item| filter.accepts(item)));
        }
    }
}

fn children<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(object) => out.extend(object.values()),
        Value::Array(array) => out.extend(array.iter()),
        _ => {}
    }
}

/// Visits `value` and everything below it in document order with an explicit stack, so a
/// deep value cannot overflow the call stack.
fn descend<'a>(
    value: &'a Value,
    out: &mut Vec<&'a Value>,
    visit: impl Fn(&'a Value, &mut Vec<&'a Value>),
) {
    let mut stack = vec![value];
    while let Some(current) = stack.pop() {
        visit(current, out);
        let mut below = Vec::new();
        children(current, &mut below);
        stack.extend(below.into_iter().rev());
    }
}

impl Filter {
    fn accepts(&self, item: &Value) -> bool {
        let mut current = item;
        for name in &self.field {
            match current.as_object().and_then(|o| o.get(name)) {
                Some(v) => current = v,
                None => return false,
            }
        }
        let Some((comparison, literal)) = &self.comparison else {
            return true;
        };
        let ordering = match (current, literal) {
            (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            (a, b) if a == b => Some(std::cmp::Ordering::Equal),
            _ => None,
        };
        use std::cmp::Ordering::{Equal, Greater, Less};
        match (comparison, ordering) {
            (Comparison::Equal, o) => o == Some(Equal),
            (Comparison::NotEqual, o) => o != Some(Equal),
            (Comparison::Less, o) => o == Some(Less),
            (Comparison::LessOrEqual, o) => matches!(o, Some(Less | Equal)),
            (Comparison::Greater, o) => o == Some(Greater),
            (Comparison::GreaterOrEqual, o) => matches!(o, Some(Greater | Equal)),
        }
    }
}

/// A character cursor over the text after the root symbol.
struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn segments(mut self) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        while let Some(c) = self.peek() {
            self.at += 1;
            let segment = match c {
                '.' if self.eat('.') => {
                    if self.eat('*') {
                        Segment::DescendantAll
                    } else {
                        Segment::DescendantName(self.name()?)
                    }
                }
                '.' if self.eat('*') => Segment::Wildcard,
                '.' => Segment::Name(self.name()?),
                '[' => self.bracket()?,
                _ => return None,
            };
            segments.push(segment);
        }
        Some(segments)
    }

    /// A dot-notation name: everything up to the next `.` or `[`.
    fn name(&mut self) -> Option<String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' || c == ']' || c == '\'' || c == '"' || c.is_whitespace() {
                break;
            }
            self.at += 1;
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    fn bracket(&mut self) -> Option<Segment> {
        let segment = match self.peek()? {
            '*' => {
                self.at += 1;
                Segment::Wildcard
            }
            '\'' | '"' => {
                let mut names = vec![self.quoted()?];
                while self.eat(',') {
                    self.skip_spaces();
                    names.push(self.quoted()?);
                }
                if names.len() == 1 {
                    Segment::Name(names.remove(0))
                } else {
                    Segment::Names(names)
                }
            }
            '?' => {
                self.at += 1;
                Segment::Filter(self.filter()?)
            }
            _ => self.numbers()?,
        };
        self.eat(']').then_some(segment)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn quoted(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.at += 1;
        let mut text = String::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                '\\' => {
                    text.push(self.peek()?);
                    self.at += 1;
                }
                c if c == quote => return Some(text),
                c => text.push(c),
            }
        }
    }

    fn integer(&mut self) -> Option<i64> {
        let start = self.at;
        self.eat('-');
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        text.parse().ok()
    }

    fn numbers(&mut self) -> Option<Segment> {
        let first = if self.peek() == Some(':') {
            None
        } else {
            Some(self.integer()?)
        };
        if self.eat(':') {
            let end = if self.peek() == Some(']') {
                None
            } else {
                Some(self.integer()?)
            };
            return Some(Segment::Slice(first, end));
        }
        let mut indexes = vec![first?];
        while self.eat(',') {
            self.skip_spaces();
            indexes.push(self.integer()?);
        }
        Some(if indexes.len() == 1 {
            Segment::Index(indexes[0])
        } else {
            Segment::Indexes(indexes)
        })
    }

    fn filter(&mut self) -> Option<Filter> {
        if !(self.eat('(') && self.eat('@')) {
            return None;
        }
        let mut field = Vec::new();
        while self.eat('.') {
            field.push(self.name()?);
        }
        self.skip_spaces();
        let comparison = if self.eat(')') {
            return Some(Filter {
                field,
                comparison: None,
            });
        } else {
            self.comparison()?
        };
        self.skip_spaces();
        let start = self.at;
        while self.peek().is_some_and(|c| c != ')') {
            self.at += 1;
        }
        let literal_text: String = self.chars[start..self.at].iter().collect();
        let literal_text = literal_text.trim();
        let literal = if let Some(inner) = literal_text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
        {
            Value::String(inner.to_string())
        } else {
            serde_json::from_str(literal_text).ok()?
        };
        self.eat(')').then_some(Filter {
            field,
            comparison: Some((comparison, literal)),
        })
    }

    fn comparison(&mut self) -> Option<Comparison> {
        let two: String = self.chars.iter().skip(self.at).take(2).collect();
        let (comparison, length) = match two.as_str() {
            "==" => (Comparison::Equal, 2),
            "!=" => (Comparison::NotEqual, 2),
            "<=" => (Comparison::LessOrEqual, 2),
            ">=" => (Comparison::GreaterOrEqual, 2),
            _ if two.starts_with('<') => (Comparison::Less, 1),
            _ if two.starts_with('>') => (Comparison::Greater, 1),
            _ => return None,
        };
        self.at += length;
        Some(comparison)
    }
}

/// Jayway's rendering of a definite path, used in AWS's "No results for path" causes:
/// `$.a.b[0]` becomes `$['a']['b'][0]`.
pub fn bracket_notation(path: &Path) -> String {
    let mut text = String::from(if path.context { "$$" } else { "$" });
    for segment in &path.segments {
        match segment {
            Segment::Name(name) => text.push_str(&format!("['{name}']")),
            Segment::Index(index) => text.push_str(&format!("[{index}]")),
            _ => return path.text.clone(),
        }
    }
    text
}
