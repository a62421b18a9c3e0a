//! The value syntaxes CloudEvents 1.0.2 names: URI-reference and URI (RFC 3986), Timestamp
//! (RFC 3339), Binary (base64, RFC 4648), media types (RFC 2046) and the String rule.
//!
//! Owns "is this text well formed". It must never say why in more than a short phrase (the
//! validator builds the sentence) and never normalise what it checks.

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn is_reserved(byte: u8) -> bool {
    matches!(
        byte,
        b':' | b'/'
            | b'?'
            | b'#'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
    )
}

/// RFC 3986 URI-reference: only URI characters and well-formed percent-escapes, at most one
/// `#`, and a scheme (if any) that starts with a letter.
pub fn is_uri_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let escaped = bytes.get(index + 1..index + 3);
            if !escaped.is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            index += 3;
            continue;
        }
        if !is_unreserved(byte) && !is_reserved(byte) {
            return false;
        }
        index += 1;
    }
    if text.matches('#').count() > 1 {
        return false;
    }
    match scheme(text) {
        Some(scheme) => scheme_is_valid(scheme),
        None => true,
    }
}

/// The scheme part, when the reference has one (a `:` before any `/`, `?` or `#`).
fn scheme(text: &str) -> Option<&str> {
    let end = text.find([':', '/', '?', '#'])?;
    (text.as_bytes().get(end) == Some(&b':')).then(|| text.get(..end).unwrap_or(""))
}

fn scheme_is_valid(scheme: &str) -> bool {
    let mut bytes = scheme.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'))
}

/// An absolute URI: a URI-reference with a scheme.
pub fn is_absolute_uri(text: &str) -> bool {
    is_uri_reference(text) && scheme(text).is_some_and(scheme_is_valid)
}

fn digits(text: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = text.get(range)?;
    if part.bytes().all(|byte| byte.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with real calendar dates.
pub fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let separators_ok = bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't'))
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    let fields = (
        digits(text, 0..4),
        digits(text, 5..7),
        digits(text, 8..10),
        digits(text, 11..13),
        digits(text, 14..16),
        digits(text, 17..19),
    );
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
    else {
        return false;
    };
    let date_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    if !separators_ok || !date_ok || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = text.get(19..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return false;
        }
        rest = fraction.get(length..).unwrap_or("");
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] => {
            rest.len() == 6
                && rest.as_bytes().get(3) == Some(&b':')
                && digits(rest, 1..3).is_some_and(|hours| hours <= 23)
                && digits(rest, 4..6).is_some_and(|minutes| minutes <= 59)
        }
        _ => false,
    }
}

/// RFC 4648 base64 with padding, the standard alphabet.
pub fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|byte| **byte == b'=').count();
    if padding > 2 {
        return false;
    }
    let body = bytes.get(..bytes.len() - padding).unwrap_or(&[]);
    body.iter()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/'))
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// RFC 2046 media type: `type/subtype` tokens, then optional `; name=value` parameters.
pub fn is_media_type(text: &str) -> bool {
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or("").trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    is_token(kind)
        && is_token(subtype)
        && parts.all(|parameter| {
            parameter
                .trim()
                .split_once('=')
                .is_some_and(|(name, value)| is_token(name) && !value.is_empty())
        })
}

/// Whether a media type declares JSON (`*/json` or `*/*+json`, parameters ignored).
pub fn is_json_media_type(text: &str) -> bool {
    let essence = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence
        .split_once('/')
        .is_some_and(|(_, subtype)| subtype == "json" || subtype.ends_with("+json"))
}

/// The CloudEvents String rule: no control characters (U+0000-001F, U+007F-009F) and no
/// Unicode noncharacters. (Rust strings cannot hold unpaired surrogates.)
pub fn string_problem(text: &str) -> Option<&'static str> {
    for character in text.chars() {
        let code = u32::from(character);
        if code <= 0x1F || (0x7F..=0x9F).contains(&code) {
            return Some("contains a control character");
        }
        if (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE {
            return Some("contains a Unicode noncharacter");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves the timestamp check accepts RFC 3339 and refuses near misses.
    #[test]
    fn timestamps() {
        assert!(is_rfc3339("2024-05-01T12:00:00Z"));
        assert!(is_rfc3339("2024-02-29T23:59:60.123+05:30"));
        assert!(!is_rfc3339("2024-05-01 12:00"));
        assert!(!is_rfc3339("2023-02-29T00:00:00Z"));
        assert!(!is_rfc3339("2024-05-01T12:00:00"));
        assert!(!is_rfc3339("2024-05-01T12:00:00.Z"));
    }

    // Proves URI-references, absolute URIs, base64 and media types.
    #[test]
    fn uris_and_friends() {
        assert!(is_uri_reference("/orders"));
        assert!(is_uri_reference("https://example.com/a?b=c#d"));
        assert!(!is_uri_reference("has space"));
        assert!(!is_uri_reference("bad%zz"));
        assert!(is_absolute_uri("urn:example:schema"));
        assert!(!is_absolute_uri("/relative"));
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("aGVsbG8"));
        assert!(is_media_type("application/json; charset=utf-8"));
        assert!(!is_media_type("json"));
        assert!(is_json_media_type("application/cloudevents+json"));
        assert!(!is_json_media_type("text/plain"));
    }
}
