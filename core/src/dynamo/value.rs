//! Attribute values: the ten DynamoDB types, read from and written to the DynamoDB JSON wire
//! shape (`{"S": "x"}`, `{"N": "1"}`, `{"B": "<base64>"}`, ...) with the validation messages AWS
//! gives. Items are attribute-name maps; sets are kept sorted so output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use serde_json::{Map, Value};

use super::number::Number;

/// One item: attribute name to value, in name order.
pub type Item = BTreeMap<String, AttributeValue>;

/// The deepest nesting of lists and maps DynamoDB stores.
pub const MAX_NESTING: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    SS(BTreeSet<String>),
    NS(BTreeSet<Number>),
    BS(BTreeSet<Vec<u8>>),
}

/// Why a wire value was refused: the error type (ValidationException or SerializationException)
/// and AWS's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub serialization: bool,
    pub message: String,
}

impl WireError {
    fn validation(message: impl Into<String>) -> WireError {
        WireError {
            serialization: false,
            message: message.into(),
        }
    }
    fn serialization(message: impl Into<String>) -> WireError {
        WireError {
            serialization: true,
            message: message.into(),
        }
    }
}

const INVALID: &str = "One or more parameter values were invalid: ";

impl AttributeValue {
    /// The wire type tag (`"S"`, `"BOOL"`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::SS(_) => "SS",
            AttributeValue::NS(_) => "NS",
            AttributeValue::BS(_) => "BS",
        }
    }

    /// The type as ADD / DELETE error messages spell it.
    pub fn long_type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "STRING",
            AttributeValue::N(_) => "NUMBER",
            AttributeValue::B(_) => "BINARY",
            AttributeValue::Bool(_) => "BOOLEAN",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "MAP",
            AttributeValue::L(_) => "LIST",
            AttributeValue::SS(_) => "STRING_SET",
            AttributeValue::NS(_) => "NUMBER_SET",
            AttributeValue::BS(_) => "BINARY_SET",
        }
    }

    pub fn number(text: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(text).unwrap_or(Number::ZERO))
    }

    /// Reads one wire value, checking it the way DynamoDB does.
    pub fn from_wire(value: &Value) -> Result<AttributeValue, WireError> {
        from_wire_at(value, 0)
    }

    pub fn to_wire(&self) -> Value {
        let mut object = Map::with_capacity(1);
        let inner = match self {
            AttributeValue::S(s) => Value::String(s.clone()),
            AttributeValue::N(n) => Value::String(n.to_string()),
            AttributeValue::B(b) => Value::String(encode_base64(b)),
            AttributeValue::Bool(b) => Value::Bool(*b),
            AttributeValue::Null => Value::Bool(true),
            AttributeValue::M(m) => Value::Object(item_to_wire(m)),
            AttributeValue::L(l) => Value::Array(l.iter().map(AttributeValue::to_wire).collect()),
            AttributeValue::SS(s) => Value::Array(s.iter().cloned().map(Value::String).collect()),
            AttributeValue::NS(s) => {
                Value::Array(s.iter().map(|n| Value::String(n.to_string())).collect())
            }
            AttributeValue::BS(s) => {
                Value::Array(s.iter().map(|b| Value::String(encode_base64(b))).collect())
            }
        };
        object.insert(self.type_name().to_string(), inner);
        Value::Object(object)
    }

    /// The value's size in bytes as DynamoDB counts it for the 400 KB limit and capacity units.
    pub fn size_bytes(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => {
                3 + m
                    .iter()
                    .map(|(k, v)| k.len() + v.size_bytes() + 1)
                    .sum::<usize>()
            }
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size_bytes() + 1).sum::<usize>(),
            AttributeValue::SS(s) => s.iter().map(String::len).sum(),
            AttributeValue::NS(s) => s.iter().map(number_size).sum(),
            AttributeValue::BS(s) => s.iter().map(Vec::len).sum(),
        }
    }
}

fn number_size(number: &Number) -> usize {
    number.digit_count().div_ceil(2) + 1
}

/// The size of an item: attribute names plus values.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value.size_bytes())
        .sum()
}

pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn item_to_wire(item: &BTreeMap<String, AttributeValue>) -> Map<String, Value> {
    item.iter().map(|(k, v)| (k.clone(), v.to_wire())).collect()
}

pub fn item_to_value(item: &Item) -> Value {
    Value::Object(item_to_wire(item))
}

/// Reads an attribute map (`Item`, `Key`, `ExpressionAttributeValues`' members use
/// `from_wire`), refusing anything but an object of wire values.
pub fn item_from_wire(value: &Value) -> Result<Item, WireError> {
    let Value::Object(object) = value else {
        return Err(structure_error(value));
    };
    let mut item = Item::new();
    for (name, member) in object {
        if member.is_null() {
            continue;
        }
        item.insert(name.clone(), AttributeValue::from_wire(member)?);
    }
    Ok(item)
}

fn structure_error(value: &Value) -> WireError {
    match value {
        Value::Array(_) => WireError::serialization("Start of list found where not expected"),
        _ => WireError::serialization("Expected map or null"),
    }
}

const TYPES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

fn from_wire_at(value: &Value, depth: usize) -> Result<AttributeValue, WireError> {
    if depth > MAX_NESTING {
        return Err(WireError::validation(format!(
            "{INVALID}Nesting Levels have exceeded supported limits"
        )));
    }
    let Value::Object(object) = value else {
        return Err(match value {
            Value::Array(_) => WireError::serialization("Start of list found where not expected"),
            _ => WireError::serialization("Expected null"),
        });
    };
    // Unknown members are dropped and null members count as absent, as DynamoDB's JSON reader does.
    let present: Vec<(&str, &Value)> = TYPES
        .iter()
        .filter_map(|t| object.get(*t).filter(|v| !v.is_null()).map(|v| (*t, v)))
        .collect();
    let Some(&(tag, inner)) = present.first() else {
        return Err(WireError::validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ));
    };
    // Each present member is type-checked first (as the JSON reader does), then validated.
    let mut parsed = Vec::with_capacity(present.len());
    for (tag, inner) in &present {
        parsed.push(read_member(tag, inner, depth)?);
    }
    if present.len() > 1 {
        return Err(WireError::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
        ));
    }
    let _ = (tag, inner);
    Ok(parsed.remove(0))
}

fn read_member(tag: &str, inner: &Value, depth: usize) -> Result<AttributeValue, WireError> {
    match tag {
        "S" => Ok(AttributeValue::S(wire_string(inner)?)),
        "N" => {
            let text = wire_string(inner)?;
            Number::parse(&text)
                .map(AttributeValue::N)
                .map_err(WireError::validation)
        }
        "B" => Ok(AttributeValue::B(wire_blob(inner)?)),
        "BOOL" => Ok(AttributeValue::Bool(wire_bool(inner)?)),
        "NULL" => {
            if wire_bool(inner)? {
                Ok(AttributeValue::Null)
            } else {
                Err(WireError::validation(format!(
                    "{INVALID}Null attribute value types must have the value of true"
                )))
            }
        }
        "M" => {
            let Value::Object(members) = inner else {
                return Err(structure_error(inner));
            };
            let mut map = BTreeMap::new();
            for (name, member) in members {
                if !member.is_null() {
                    map.insert(name.clone(), from_wire_at(member, depth + 1)?);
                }
            }
            Ok(AttributeValue::M(map))
        }
        "L" => {
            let elements = wire_list(inner)?;
            let mut list = Vec::with_capacity(elements.len());
            for element in elements {
                list.push(from_wire_at(element, depth + 1)?);
            }
            Ok(AttributeValue::L(list))
        }
        "SS" => read_string_set(inner),
        "NS" => read_number_set(inner),
        _ => read_binary_set(inner),
    }
}

fn read_string_set(inner: &Value) -> Result<AttributeValue, WireError> {
    let elements = wire_list(inner)?;
    let strings = elements
        .iter()
        .map(wire_string)
        .collect::<Result<Vec<_>, _>>()?;
    if strings.is_empty() {
        return Err(WireError::validation(format!(
            "{INVALID}An string set  may not be empty"
        )));
    }
    let set: BTreeSet<String> = strings.iter().cloned().collect();
    if set.len() != strings.len() {
        return Err(WireError::validation(format!(
            "{INVALID}Input collection [{}] contains duplicates.",
            strings.join(", ")
        )));
    }
    Ok(AttributeValue::SS(set))
}

fn read_number_set(inner: &Value) -> Result<AttributeValue, WireError> {
    let elements = wire_list(inner)?;
    if elements.is_empty() {
        return Err(WireError::validation(format!(
            "{INVALID}An number set  may not be empty"
        )));
    }
    let mut set = BTreeSet::new();
    for element in elements {
        let text = wire_string(element)?;
        let number = Number::parse(&text).map_err(WireError::validation)?;
        if !set.insert(number) {
            return Err(WireError::validation(
                "Input collection contains duplicates",
            ));
        }
    }
    Ok(AttributeValue::NS(set))
}

fn read_binary_set(inner: &Value) -> Result<AttributeValue, WireError> {
    let elements = wire_list(inner)?;
    if elements.is_empty() {
        return Err(WireError::validation(format!(
            "{INVALID}Binary sets should not be empty"
        )));
    }
    let mut set = BTreeSet::new();
    let mut texts = Vec::new();
    let mut duplicate = false;
    for element in elements {
        let bytes = wire_blob(element)?;
        texts.push(encode_base64(&bytes));
        duplicate |= !set.insert(bytes);
    }
    if duplicate {
        return Err(WireError::validation(format!(
            "{INVALID}Input collection [{}]of type BS contains duplicates.",
            texts.join(", ")
        )));
    }
    Ok(AttributeValue::BS(set))
}

fn wire_list(value: &Value) -> Result<&Vec<Value>, WireError> {
    match value {
        Value::Array(elements) => Ok(elements),
        Value::Object(_) => Err(WireError::serialization(
            "Start of structure or map found where not expected.",
        )),
        _ => Err(WireError::serialization("Expected list or null")),
    }
}

fn wire_string(value: &Value) -> Result<String, WireError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(_) => Err(WireError::serialization("class java.lang.Boolean can not be converted to an String")),
        Value::Number(_) => Err(WireError::serialization(
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String",
        )),
        Value::Array(_) => Err(WireError::serialization("Start of list found where not expected")),
        Value::Object(_) => Err(WireError::serialization("Start of structure or map found where not expected.")),
        Value::Null => Err(WireError::serialization("Expected null")),
    }
}

fn wire_bool(value: &Value) -> Result<bool, WireError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.to_uppercase().as_str() {
            "TRUE" | "1" | "YES" => Ok(true),
            "FALSE" | "0" | "NO" => Ok(false),
            other => Err(WireError::serialization(format!("'{other}' can not be converted to an Boolean"))),
        },
        Value::Number(_) => Err(WireError::serialization(
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean",
        )),
        Value::Array(_) => Err(WireError::serialization("Start of list found where not expected")),
        _ => Err(WireError::serialization("Start of structure or map found where not expected.")),
    }
}

fn wire_blob(value: &Value) -> Result<Vec<u8>, WireError> {
    let text = match value {
        Value::String(s) => s,
        Value::Bool(_) => return Err(WireError::serialization("class java.lang.Boolean can not be converted to a Blob")),
        Value::Number(_) => {
            return Err(WireError::serialization(
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob",
            ))
        }
        Value::Array(_) => return Err(WireError::serialization("Start of list found where not expected")),
        _ => return Err(WireError::serialization("Start of structure or map found where not expected.")),
    };
    if text.len() % 4 != 0 {
        return Err(WireError::serialization(format!(
            "'{text}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            text.len()
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '+' || *c == '/' || *c == '='))
    {
        return Err(WireError::serialization(format!(
            "'{text}' can not be converted to a Blob: Invalid Base64 character: '{bad}'"
        )));
    }
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| {
        WireError::serialization(format!(
            "'{text}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(value: Value) -> String {
        AttributeValue::from_wire(&value).unwrap_err().message
    }

    #[test]
    fn wire_round_trip_keeps_every_type() {
        let wire = json!({"M": {"s": {"S": "x"}, "n": {"N": "1.50"}, "b": {"B": "dGhpcw=="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "l": {"L": [{"S": "a"}, {"N": "1"}]}, "ss": {"SS": ["b", "a"]},
            "ns": {"NS": ["2", "1"]}, "bs": {"BS": ["YQ=="]}}});
        let value = AttributeValue::from_wire(&wire).unwrap();
        let back = value.to_wire();
        assert_eq!(back["M"]["n"], json!({"N": "1.5"}));
        assert_eq!(back["M"]["ss"], json!({"SS": ["a", "b"]}));
        assert_eq!(AttributeValue::from_wire(&back).unwrap(), value);
    }

    #[test]
    fn wire_validation_messages() {
        assert_eq!(
            error(json!({})),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            error(json!({"S": "a", "N": "1"})),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            error(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(error(json!({"NULL": false})), "One or more parameter values were invalid: Null attribute value types must have the value of true");
        assert_eq!(error(json!({"SS": ["a", "a"]})), "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        assert_eq!(
            error(json!({"NS": ["1", "1.0"]})),
            "Input collection contains duplicates"
        );
    }
}
