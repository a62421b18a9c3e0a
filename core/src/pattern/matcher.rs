//! Value matchers: what one entry of a pattern's value list tests against one leaf value of
//! an event.
//!
//! Owns the meaning of every operator on a single value (type rules included: prefix never
//! matches a number, anything-but matches null and other types, numeric only JSON numbers).
//! It must never look at field names, arrays or other fields: that is `flatten` and `resolve`.

use super::address::{parse_ip, IpAddress, IpRange};
use super::wildcard::Wildcard;

/// One leaf value of a flattened event. Objects and arrays never are leaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LeafValue<'a> {
    String(&'a str),
    Number(f64),
    Bool(bool),
    Null,
}

/// The bounds of a `numeric` range; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericRange {
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
}

/// One side of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

impl NumericRange {
    pub fn contains(&self, number: f64) -> bool {
        let above = self
            .lower
            .is_none_or(|bound| number > bound.value || (bound.inclusive && number == bound.value));
        let below = self
            .upper
            .is_none_or(|bound| number < bound.value || (bound.inclusive && number == bound.value));
        above && below
    }
}

/// The forms of `anything-but`.
#[derive(Debug, Clone, PartialEq)]
pub enum AnythingBut {
    Strings(Vec<String>),
    Numbers(Vec<f64>),
    Prefixes(Vec<String>),
    Suffixes(Vec<String>),
    IgnoringCase(Vec<String>),
    Wildcards(Vec<Wildcard>),
}

/// One matcher of a field's value list.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueMatcher {
    /// An exact string; `address` is set when the string is an IP literal, which Ruler then
    /// compares as an address (so `"10.0.0.1"` also matches `"010.0.0.001"`).
    ExactString {
        text: String,
        address: Option<IpAddress>,
    },
    /// An exact number, compared numerically (`[300]` matches `300.0`).
    ExactNumber(f64),
    ExactBool(bool),
    ExactNull,
    Prefix(String),
    PrefixIgnoringCase(String),
    Suffix(String),
    SuffixIgnoringCase(String),
    EqualsIgnoringCase(String),
    Wildcard(Wildcard),
    AnythingBut(AnythingBut),
    Numeric(NumericRange),
    /// `{"exists": true}`: any leaf value at all, null included.
    Exists,
    Cidr(IpRange),
}

impl ValueMatcher {
    /// An exact string matcher, noting whether the text is an IP literal.
    pub fn exact_string(text: &str) -> ValueMatcher {
        ValueMatcher::ExactString {
            text: text.to_string(),
            address: parse_ip(text),
        }
    }

    /// Whether this matcher accepts `value`.
    pub fn matches(&self, value: LeafValue<'_>) -> bool {
        match (self, value) {
            (ValueMatcher::ExactString { text, address }, LeafValue::String(subject)) => {
                match address {
                    Some(address) => parse_ip(subject) == Some(*address),
                    None => text == subject,
                }
            }
            (ValueMatcher::ExactNumber(number), LeafValue::Number(subject)) => *number == subject,
            (ValueMatcher::ExactBool(flag), LeafValue::Bool(subject)) => *flag == subject,
            (ValueMatcher::ExactNull, LeafValue::Null) => true,
            (ValueMatcher::Prefix(prefix), LeafValue::String(subject)) => {
                subject.starts_with(prefix.as_str())
            }
            (ValueMatcher::PrefixIgnoringCase(prefix), LeafValue::String(subject)) => {
                starts_with_ignoring_case(subject, prefix)
            }
            (ValueMatcher::Suffix(suffix), LeafValue::String(subject)) => {
                subject.ends_with(suffix.as_str())
            }
            (ValueMatcher::SuffixIgnoringCase(suffix), LeafValue::String(subject)) => {
                ends_with_ignoring_case(subject, suffix)
            }
            (ValueMatcher::EqualsIgnoringCase(expected), LeafValue::String(subject)) => {
                equals_ignoring_case(subject, expected)
            }
            (ValueMatcher::Wildcard(wildcard), LeafValue::String(subject)) => {
                wildcard.matches(subject)
            }
            (ValueMatcher::AnythingBut(excluded), value) => !excluded.excludes(value),
            (ValueMatcher::Numeric(range), LeafValue::Number(subject)) => range.contains(subject),
            (ValueMatcher::Exists, _) => true,
            (ValueMatcher::Cidr(range), LeafValue::String(subject)) => {
                parse_ip(subject).is_some_and(|address| range.contains(address))
            }
            _ => false,
        }
    }
}

impl AnythingBut {
    /// Whether `value` is one of the excluded values. Values of another type are never
    /// excluded, which is why `anything-but` matches null and numbers against a string list.
    fn excludes(&self, value: LeafValue<'_>) -> bool {
        match (self, value) {
            (AnythingBut::Strings(strings), LeafValue::String(subject)) => {
                strings.iter().any(|text| text == subject)
            }
            (AnythingBut::Numbers(numbers), LeafValue::Number(subject)) => {
                numbers.contains(&subject)
            }
            (AnythingBut::Prefixes(prefixes), LeafValue::String(subject)) => prefixes
                .iter()
                .any(|prefix| subject.starts_with(prefix.as_str())),
            (AnythingBut::Suffixes(suffixes), LeafValue::String(subject)) => suffixes
                .iter()
                .any(|suffix| subject.ends_with(suffix.as_str())),
            (AnythingBut::IgnoringCase(strings), LeafValue::String(subject)) => strings
                .iter()
                .any(|text| equals_ignoring_case(subject, text)),
            (AnythingBut::Wildcards(wildcards), LeafValue::String(subject)) => {
                wildcards.iter().any(|wildcard| wildcard.matches(subject))
            }
            _ => false,
        }
    }
}

/// Two characters are the same ignoring case when they are equal or their full lower-case
/// or upper-case mappings are (Ruler accepts either case form of each character).
fn same_ignoring_case(left: char, right: char) -> bool {
    left == right
        || left.to_lowercase().eq(right.to_lowercase())
        || left.to_uppercase().eq(right.to_uppercase())
}

pub fn equals_ignoring_case(subject: &str, expected: &str) -> bool {
    subject.chars().count() == expected.chars().count()
        && subject
            .chars()
            .zip(expected.chars())
            .all(|(left, right)| same_ignoring_case(left, right))
}

fn starts_with_ignoring_case(subject: &str, prefix: &str) -> bool {
    let mut subject_chars = subject.chars();
    prefix.chars().all(|expected| {
        subject_chars
            .next()
            .is_some_and(|actual| same_ignoring_case(actual, expected))
    })
}

fn ends_with_ignoring_case(subject: &str, suffix: &str) -> bool {
    let mut subject_chars = subject.chars().rev();
    suffix.chars().rev().all(|expected| {
        subject_chars
            .next()
            .is_some_and(|actual| same_ignoring_case(actual, expected))
    })
}
