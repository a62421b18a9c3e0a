//! Intrinsic functions (`States.Format('…', $.a)` and friends): their parsing and evaluation.
//!
//! It must never draw randomness from anywhere but the execution's seeded generator (for
//! `States.UUID` and `States.MathRandom`), and never panic on arguments of the wrong type:
//! those are `States.IntrinsicFailure` errors.

use serde_json::Value;

use super::path::Path;
use super::random::Generator;

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Argument {
    Literal(Value),
    Path(Path),
    Call(Call),
}

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub arguments: Vec<Argument>,
}

/// The functions this engine evaluates (`States.Hash` is the one AWS function not here).
const FUNCTIONS: &[&str] = &[
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
];

/// Calls nest at most this deep, which bounds evaluation recursion.
const MAX_NESTING: usize = 16;

/// What a path argument reads from: the state's effective input and the context object.
pub struct Scope<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
}

/// A failed call: the AWS error name and its cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: &'static str,
    pub cause: String,
}

fn failure(cause: impl Into<String>) -> Failure {
    Failure {
        error: "States.IntrinsicFailure",
        cause: cause.into(),
    }
}

/// True when `text` looks like an intrinsic call rather than a path.
pub fn looks_like_call(text: &str) -> bool {
    text.starts_with("States.")
}

/// Parses a whole call; `Err` says why it is not a valid one.
pub fn parse(text: &str) -> Result<Call, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        depth: 0,
    };
    let call = parser.call()?;
    parser.skip_spaces();
    if parser.at != parser.chars.len() {
        return Err(format!("unexpected text after the call in '{text}'"));
    }
    Ok(call)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn call(&mut self) -> Result<Call, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("intrinsic functions nest too deep".into());
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if !FUNCTIONS.contains(&name.as_str()) {
            return Err(format!("unknown intrinsic function '{name}'"));
        }
        if self.peek() != Some('(') {
            return Err(format!("'(' expected after {name}"));
        }
        self.at += 1;
        let mut arguments = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(')') {
            self.at += 1;
        } else {
            loop {
                self.skip_spaces();
                arguments.push(self.argument()?);
                self.skip_spaces();
                match self.peek() {
                    Some(',') => self.at += 1,
                    Some(')') => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(format!("',' or ')' expected in the arguments of {name}")),
                }
            }
        }
        self.depth -= 1;
        Ok(Call { name, arguments })
    }

    fn argument(&mut self) -> Result<Argument, String> {
        match self.peek() {
            Some('\'') => self.string().map(|s| Argument::Literal(Value::String(s))),
            Some('$') => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace())
                {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                Path::parse(&text)
                    .map(Argument::Path)
                    .ok_or_else(|| format!("invalid path '{text}'"))
            }
            Some('S') => self.call().map(Argument::Call),
            _ => {
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace())
                {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                match serde_json::from_str::<Value>(&text) {
                    Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => {
                        Ok(Argument::Literal(value))
                    }
                    _ => Err(format!("invalid argument '{text}'")),
                }
            }
        }
    }

    /// A single-quoted literal; `\'`, `\{`, `\}` and `\\` keep the escaped character, and a
    /// backslash before braces is kept so `States.Format` can tell literal braces apart.
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut text = String::new();
        loop {
            let c = self.peek().ok_or("unterminated string literal")?;
            self.at += 1;
            match c {
                '\\' => {
                    let escaped = self.peek().ok_or("unterminated string literal")?;
                    self.at += 1;
                    if escaped == '{' || escaped == '}' {
                        text.push('\\');
                    }
                    text.push(escaped);
                }
                '\'' => return Ok(text),
                c => text.push(c),
            }
        }
    }
}

/// Evaluates a call against the scope.
pub fn evaluate(call: &Call, scope: &Scope, generator: &mut Generator) -> Result<Value, Failure> {
    let mut values = Vec::with_capacity(call.arguments.len());
    for argument in &call.arguments {
        values.push(match argument {
            Argument::Literal(value) => value.clone(),
            Argument::Path(path) => {
                let root = if path.context {
                    scope.context
                } else {
                    scope.input
                };
                path.read(root).map_err(|_| Failure {
                    error: "States.Runtime",
                    cause: format!(
                        "The JsonPath argument for the field '{}' could not be found in the input",
                        path.text
                    ),
                })?
            }
            Argument::Call(inner) => evaluate(inner, scope, generator)?,
        });
    }
    apply(&call.name, &values, generator)
}

fn arity(name: &str, values: &[Value], expected: usize) -> Result<(), Failure> {
    if values.len() == expected {
        Ok(())
    } else {
        Err(failure(format!(
            "The function {name} needs {expected} argument(s), got {}",
            values.len()
        )))
    }
}

fn integer(name: &str, value: &Value) -> Result<i64, Failure> {
    value
        .as_i64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| {
            failure(format!(
                "The function {name} needs an integer argument, got {value}"
            ))
        })
}

fn array<'a>(name: &str, value: &'a Value) -> Result<&'a Vec<Value>, Failure> {
    value.as_array().ok_or_else(|| {
        failure(format!(
            "The function {name} needs an array argument, got {value}"
        ))
    })
}

fn string<'a>(name: &str, value: &'a Value) -> Result<&'a str, Failure> {
    value.as_str().ok_or_else(|| {
        failure(format!(
            "The function {name} needs a string argument, got {value}"
        ))
    })
}

/// Arrays made by intrinsics are capped so `States.ArrayRange(0, 1e9, 1)` stays bounded.
const MAX_ARRAY_ITEMS: i64 = 1000;

fn apply(name: &str, values: &[Value], generator: &mut Generator) -> Result<Value, Failure> {
    let first = values.first().unwrap_or(&Value::Null);
    let second = values.get(1).unwrap_or(&Value::Null);
    match name {
        "States.Format" => format(values),
        "States.StringToJson" => {
            arity(name, values, 1)?;
            serde_json::from_str(string(name, first)?).map_err(|e| {
                failure(format!(
                    "The function {name} could not parse its argument: {e}"
                ))
            })
        }
        "States.JsonToString" => {
            arity(name, values, 1)?;
            Ok(Value::String(first.to_string()))
        }
        "States.Array" => Ok(Value::Array(values.to_vec())),
        "States.ArrayPartition" => {
            arity(name, values, 2)?;
            let size = integer(name, second)?;
            let chunk = usize::try_from(size)
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| failure("The chunk size must be positive"))?;
            let chunks = array(name, first)?
                .chunks(chunk)
                .map(|c| Value::Array(c.to_vec()))
                .collect();
            Ok(Value::Array(chunks))
        }
        "States.ArrayContains" => {
            arity(name, values, 2)?;
            Ok(Value::Bool(array(name, first)?.contains(second)))
        }
        "States.ArrayRange" => {
            arity(name, values, 3)?;
            range(
                integer(name, first)?,
                integer(name, second)?,
                integer(name, &values[2])?,
            )
        }
        "States.ArrayGetItem" => {
            arity(name, values, 2)?;
            let index = usize::try_from(integer(name, second)?)
                .map_err(|_| failure("The index must not be negative"))?;
            array(name, first)?
                .get(index)
                .cloned()
                .ok_or_else(|| failure("The index is out of the array's bounds"))
        }
        "States.ArrayLength" => {
            arity(name, values, 1)?;
            Ok(Value::from(
                u64::try_from(array(name, first)?.len()).unwrap_or(u64::MAX),
            ))
        }
        "States.ArrayUnique" => {
            arity(name, values, 1)?;
            let mut unique: Vec<Value> = Vec::new();
            for item in array(name, first)? {
                if !unique.contains(item) {
                    unique.push(item.clone());
                }
            }
            Ok(Value::Array(unique))
        }
        "States.Base64Encode" => {
            arity(name, values, 1)?;
            Ok(Value::String(super::base64::encode(
                string(name, first)?.as_bytes(),
            )))
        }
        "States.Base64Decode" => {
            arity(name, values, 1)?;
            let bytes = super::base64::decode(string(name, first)?)
                .ok_or_else(|| failure("The argument is not valid base64"))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| failure("The decoded text is not UTF-8"))
        }
        "States.JsonMerge" => {
            arity(name, values, 3)?;
            match (first, second) {
                (Value::Object(a), Value::Object(b)) => {
                    let mut merged = a.clone();
                    merged.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
                    Ok(Value::Object(merged))
                }
                _ => Err(failure("The function States.JsonMerge needs two objects")),
            }
        }
        "States.MathRandom" => {
            let (low, high) = (integer(name, first)?, integer(name, second)?);
            if high <= low {
                return Err(failure(
                    "The end of the range must be greater than its start",
                ));
            }
            let span = u64::try_from(i128::from(high) - i128::from(low)).unwrap_or(u64::MAX);
            let offset = i64::try_from(generator.next() % span).unwrap_or(0);
            Ok(Value::from(low.saturating_add(offset)))
        }
        "States.MathAdd" => {
            arity(name, values, 2)?;
            integer(name, first)?
                .checked_add(integer(name, second)?)
                .map(Value::from)
                .ok_or_else(|| failure("The sum overflows"))
        }
        "States.StringSplit" => {
            arity(name, values, 2)?;
            let delimiters: Vec<char> = string(name, second)?.chars().collect();
            let parts = string(name, first)?
                .split(|c| delimiters.contains(&c))
                .filter(|part| !part.is_empty())
                .map(|part| Value::String(part.to_string()))
                .collect();
            Ok(Value::Array(parts))
        }
        "States.UUID" => {
            arity(name, values, 0)?;
            Ok(Value::String(generator.uuid()))
        }
        other => Err(failure(format!("The function {other} is not supported"))),
    }
}

fn range(start: i64, end: i64, step: i64) -> Result<Value, Failure> {
    if step == 0 {
        return Err(failure("The step of States.ArrayRange must not be 0"));
    }
    let mut items = Vec::new();
    let mut current = start;
    while (step > 0 && current <= end) || (step < 0 && current >= end) {
        if items.len() as i64 >= MAX_ARRAY_ITEMS {
            return Err(failure("States.ArrayRange would make more than 1000 items"));
        }
        items.push(Value::from(current));
        current = current
            .checked_add(step)
            .ok_or_else(|| failure("The range overflows"))?;
    }
    Ok(Value::Array(items))
}

fn format(values: &[Value]) -> Result<Value, Failure> {
    let Some((template, arguments)) = values.split_first() else {
        return Err(failure("The function States.Format needs a template"));
    };
    let template = string("States.Format", template)?;
    let mut out = String::new();
    let mut next_argument = arguments.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let argument = next_argument.next().ok_or_else(|| {
                    failure(
                        "The number of arguments does not match the placeholders of States.Format",
                    )
                })?;
                match argument {
                    Value::String(s) => out.push_str(s),
                    other => out.push_str(&other.to_string()),
                }
            }
            c => out.push(c),
        }
    }
    if next_argument.next().is_some() {
        return Err(failure(
            "The number of arguments does not match the placeholders of States.Format",
        ));
    }
    Ok(Value::String(out))
}
