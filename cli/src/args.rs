//! A small argument reader: positionals, `--flag` and `--option VALUE`, with unknown flags
//! refused (exit 2), so every subcommand parses the same way.

use crate::Failure;

/// The parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub struct Arguments {
    pub positionals: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

impl Arguments {
    /// Reads `raw`, where `flags` take no value and `options` take one.
    pub fn parse(raw: &[String], flags: &[&str], options: &[&str]) -> Result<Arguments, Failure> {
        let mut parsed = Arguments::default();
        let mut iter = raw.iter();
        while let Some(argument) = iter.next() {
            if let Some(name) = argument.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if flags.contains(&name) && inline.is_none() {
                    parsed.options.push((name.to_string(), None));
                } else if options.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => iter
                            .next()
                            .cloned()
                            .ok_or_else(|| Failure::new(format!("--{name} needs a value")))?,
                    };
                    parsed.options.push((name.to_string(), Some(value)));
                } else {
                    return Err(Failure::new(format!("unknown flag '--{name}'")));
                }
            } else {
                parsed.positionals.push(argument.clone());
            }
        }
        Ok(parsed)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Exactly `count` positionals, named in `what` for the message.
    pub fn expect_positionals(&self, what: &str) -> Result<&[String], Failure> {
        let count = what.split_whitespace().count();
        if self.positionals.len() != count {
            return Err(Failure::new(format!(
                "expected {what}, got {} argument(s)",
                self.positionals.len()
            )));
        }
        Ok(&self.positionals)
    }
}

/// Reads a file to a string, with a message that names it.
pub fn read_file(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::new(format!("cannot read {path}: {e}")))
}

/// Reads and parses a JSON file, with a message that names the file, line and column.
pub fn read_json(path: &str) -> Result<serde_json::Value, Failure> {
    let text = read_file(path)?;
    serde_json::from_str(&text).map_err(|e| Failure::new(format!("{path}: invalid JSON: {e}")))
}
