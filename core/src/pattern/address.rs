//! IP addresses and CIDR blocks as event-ruler reads them, for the `cidr` operator and for
//! exact string values that happen to be IP literals.
//!
//! Owns the parsing rules (Java's `InetAddress` on strings that look like IP literals) and
//! CIDR's messages. It must never resolve names or accept a hostname as an address.

use std::net::Ipv6Addr;

/// An address: IPv4 as 4 bytes or IPv6 as 16, compared as big-endian integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IpAddress {
    V4(u32),
    V6(u128),
}

/// A CIDR block as Ruler builds it: from the address as written (host bits are not cleared)
/// up to that address with every host bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub bottom: IpAddress,
    pub top: IpAddress,
}

impl IpRange {
    pub fn contains(&self, address: IpAddress) -> bool {
        match (self.bottom, self.top, address) {
            (IpAddress::V4(bottom), IpAddress::V4(top), IpAddress::V4(value)) => {
                bottom <= value && value <= top
            }
            (IpAddress::V6(bottom), IpAddress::V6(top), IpAddress::V6(value)) => {
                bottom <= value && value <= top
            }
            _ => false,
        }
    }
}

fn looks_like_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()))
}

fn looks_like_ipv6(text: &str) -> bool {
    text.contains(':')
        && text
            .bytes()
            .all(|byte| byte.is_ascii_hexdigit() || byte == b':')
}

/// The address `text` denotes, when it has the shape of an IP literal and parses as one.
/// Decimal IPv4 parts may carry leading zeros, as Java reads them (never octal).
pub fn parse_ip(text: &str) -> Option<IpAddress> {
    if looks_like_ipv4(text) {
        let mut value: u32 = 0;
        for part in text.split('.') {
            let trimmed = part.trim_start_matches('0');
            if trimmed.len() > 3 {
                return None;
            }
            let octet: u32 = if trimmed.is_empty() {
                0
            } else {
                trimmed.parse().ok()?
            };
            if octet > 255 {
                return None;
            }
            value = (value << 8) | octet;
        }
        return Some(IpAddress::V4(value));
    }
    if looks_like_ipv6(text) {
        return text
            .parse::<Ipv6Addr>()
            .ok()
            .map(|address| IpAddress::V6(u128::from(address)));
    }
    None
}

/// Java's `Integer.parseInt`: an optional sign, then decimal digits, within 32 bits.
fn parse_java_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value: i64 = text.parse().ok()?;
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&value)
        .then_some(value)
}

/// Parses a `cidr` operand with Ruler's checks, in Ruler's order.
pub fn parse_cidr(text: &str) -> Result<IpRange, String> {
    // Java's String.split drops trailing empty pieces, so "10.0.0.0/" has one piece.
    let mut pieces: Vec<&str> = text.split('/').collect();
    while pieces.last().is_some_and(|piece| piece.is_empty()) {
        pieces.pop();
    }
    let [address_text, mask_text] = pieces.as_slice() else {
        return Err("Malformed CIDR, one '/' required".to_string());
    };
    let mask_bits = parse_java_int(mask_text)
        .ok_or_else(|| "Malformed CIDR, mask bits must be an integer".to_string())?;
    if mask_bits < 0 {
        return Err("Malformed CIDR, mask bits must not be negative".to_string());
    }
    let bottom = if looks_like_ipv4(address_text) || looks_like_ipv6(address_text) {
        parse_ip(address_text).ok_or_else(|| format!("Invalid IP address: {address_text}"))?
    } else {
        return Err(format!("Nonstandard IP address: {address_text}"));
    };
    let top = match bottom {
        IpAddress::V4(value) => {
            if mask_bits > 31 {
                return Err("IPv4 mask bits must be < 32".to_string());
            }
            IpAddress::V4(value | (u32::MAX >> mask_bits))
        }
        IpAddress::V6(value) => {
            if mask_bits > 127 {
                return Err("IPv6 mask bits must be < 128".to_string());
            }
            IpAddress::V6(value | (u128::MAX >> mask_bits))
        }
    };
    Ok(IpRange { bottom, top })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Proves CIDR errors come in Ruler's order with Ruler's words.
    #[test]
    fn cidr_messages() {
        let check = |text: &str, expected: &str| {
            assert_eq!(parse_cidr(text).err().as_deref(), Some(expected), "{text}");
        };
        check("10.0.0.0", "Malformed CIDR, one '/' required");
        check("10.0.0.0/x", "Malformed CIDR, mask bits must be an integer");
        check(
            "10.0.0.0/-1",
            "Malformed CIDR, mask bits must not be negative",
        );
        check("xx.11.xx/8", "Nonstandard IP address: xx.11.xx");
        check("999.1.1.1/8", "Invalid IP address: 999.1.1.1");
        check("10.0.0.0/32", "IPv4 mask bits must be < 32");
        check("::1/128", "IPv6 mask bits must be < 128");
    }

    // Proves a block keeps the written address as its bottom and sets the host bits on top.
    #[test]
    fn cidr_ranges() {
        let range = parse_cidr("10.0.0.5/24").unwrap();
        assert!(range.contains(parse_ip("10.0.0.255").unwrap()));
        assert!(!range.contains(parse_ip("10.0.0.4").unwrap()));
        let v6 = parse_cidr("2001:db8::/32").unwrap();
        assert!(v6.contains(parse_ip("2001:0db8:1234::1").unwrap()));
        assert!(!v6.contains(parse_ip("10.0.0.1").unwrap()));
    }
}
