//! Names for exported files and identifiers: design ids made safe for file names, TypeScript
//! identifiers, CloudFormation logical ids and AsyncAPI keys. Pure string functions; they never
//! fail and always return something non-empty.

/// A file-name-safe form of an id: letters, digits, `.`, `-` and `_` kept, anything else `-`.
pub fn file_name(id: &str) -> String {
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        format!("x{name}")
    } else {
        name
    }
}

/// An AsyncAPI component key (`^[a-zA-Z0-9.\-_]+$`).
pub fn key(id: &str) -> String {
    file_name(id)
}

/// `orders-bus` → `OrdersBus`: a CloudFormation logical id part or a TypeScript class name.
pub fn pascal(id: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("X{out}")
    } else {
        out
    }
}

/// `orders-bus` → `ordersBus`: a TypeScript variable name.
pub fn camel(id: &str) -> String {
    let pascal = pascal(id);
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => "x".to_string(),
    }
}

/// A string as a TypeScript (and JSON) string literal.
pub fn literal(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The environment variable a handler reads a resource's real name from (`EVENTLAB_ORDERS_BUS`);
/// the runtime's `resource()` computes the same.
pub fn environment_variable(id: &str) -> String {
    let upper: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("EVENTLAB_{upper}")
}
