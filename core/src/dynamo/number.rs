//! DynamoDB numbers: an exact decimal of at most 38 significant digits with a magnitude in
//! 1E-130 ..= 9.99..E+125 (or zero), rendered in plain notation the way DynamoDB returns it.
//!
//! Never touches `f64`: a number is a mantissa of up to 38 decimal digits and a power of ten,
//! so parsing, comparing, adding and printing are exact and the same on every platform.

use std::cmp::Ordering;
use std::fmt;

/// The most significant digits DynamoDB stores.
pub const MAX_DIGITS: usize = 38;
/// Largest allowed exponent of the leading digit (9.99..E+125).
const MAX_LEADING_EXPONENT: i64 = 125;
/// Smallest allowed exponent of the leading digit (1E-130).
const MIN_LEADING_EXPONENT: i64 = -130;

pub const OVERFLOW: &str =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
pub const UNDERFLOW: &str =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
pub const TOO_MANY_DIGITS: &str = "Attempting to store more than 38 significant digits in a Number";

/// An exact decimal: `(-1)^negative * mantissa * 10^exponent`, normalised so that the mantissa
/// has no trailing zero digit and zero is `0 * 10^0`, never negative. Normalisation makes the
/// derived equality numeric equality ("1.0" == "1").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    mantissa: u128,
    exponent: i32,
}

impl Number {
    pub const ZERO: Number = Number {
        negative: false,
        mantissa: 0,
        exponent: 0,
    };

    /// Parses DynamoDB's wire text (`"-00012.50e3"`), with DynamoDB's error messages.
    pub fn parse(text: &str) -> Result<Number, String> {
        if text.is_empty() {
            return Err("The parameter cannot be converted to a numeric value".to_string());
        }
        let invalid = || format!("The parameter cannot be converted to a numeric value: {text}");
        let decimal = Decimal::parse(text).ok_or_else(invalid)?;
        decimal.into_number()
    }

    pub fn from_i64(value: i64) -> Number {
        let negative = value < 0;
        Number::normalised(negative, value.unsigned_abs() as u128, 0)
    }

    fn normalised(negative: bool, mut mantissa: u128, mut exponent: i32) -> Number {
        if mantissa == 0 {
            return Number::ZERO;
        }
        while mantissa.is_multiple_of(10) {
            mantissa /= 10;
            exponent += 1;
        }
        Number {
            negative,
            mantissa,
            exponent,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The number of significant digits (0 for zero).
    pub fn digit_count(&self) -> usize {
        if self.mantissa == 0 {
            0
        } else {
            self.mantissa.to_string().len()
        }
    }

    /// Exact sum, failing as DynamoDB does when the result leaves the supported range.
    pub fn add(&self, other: &Number) -> Result<Number, String> {
        Decimal::from_number(self)
            .add(&Decimal::from_number(other))
            .into_number()
    }

    pub fn subtract(&self, other: &Number) -> Result<Number, String> {
        self.add(&other.negate())
    }

    pub fn negate(&self) -> Number {
        if self.is_zero() {
            return Number::ZERO;
        }
        Number {
            negative: !self.negative,
            ..self.clone()
        }
    }

    /// The mantissa digits and exponent, for sizes and keys.
    pub fn parts(&self) -> (bool, u128, i32) {
        (self.negative, self.mantissa, self.exponent)
    }

    fn compare_magnitude(&self, other: &Number) -> Ordering {
        match (self.mantissa == 0, other.mantissa == 0) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (digits_a, digits_b) = (self.digit_count() as i32, other.digit_count() as i32);
        let leading_a = self.exponent + digits_a - 1;
        let leading_b = other.exponent + digits_b - 1;
        if leading_a != leading_b {
            return leading_a.cmp(&leading_b);
        }
        // Same leading exponent: align both mantissas to 38 digits (fits in u128).
        let scaled_a = self.mantissa * 10u128.pow((MAX_DIGITS as i32 - digits_a) as u32);
        let scaled_b = other.mantissa * 10u128.pow((MAX_DIGITS as i32 - digits_b) as u32);
        scaled_a.cmp(&scaled_b)
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.compare_magnitude(other),
            (true, true) => other.compare_magnitude(self),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Plain notation, no exponent, no superfluous zeros: what DynamoDB returns.
impl fmt::Display for Number {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mantissa == 0 {
            return formatter.write_str("0");
        }
        let digits = self.mantissa.to_string();
        let mut out = String::with_capacity(digits.len() + 8);
        if self.negative {
            out.push('-');
        }
        if self.exponent >= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', self.exponent as usize));
        } else {
            let fraction = (-self.exponent) as usize;
            if digits.len() > fraction {
                let (whole, rest) = digits.split_at(digits.len() - fraction);
                out.push_str(whole);
                out.push('.');
                out.push_str(rest);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', fraction - digits.len()));
                out.push_str(&digits);
            }
        }
        formatter.write_str(&out)
    }
}

/// An unbounded decimal used while parsing and adding: digits (most significant first, no
/// leading zeros) times 10^exponent. Only ever a few hundred digits long, since both inputs are
/// in range.
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    fn parse(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let mut index = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'-' || sign == b'+' {
                negative = sign == b'-';
                index = 1;
            }
        }
        let mut digits = Vec::new();
        let mut exponent: i64 = 0;
        let mut seen_digit = false;
        let mut seen_point = false;
        while index < bytes.len() {
            let byte = bytes[index];
            if byte.is_ascii_digit() {
                seen_digit = true;
                if !(digits.is_empty() && byte == b'0') {
                    digits.push(byte - b'0');
                }
                if seen_point {
                    exponent -= 1;
                }
            } else if byte == b'.' && !seen_point {
                seen_point = true;
            } else {
                break;
            }
            index += 1;
        }
        if !seen_digit {
            return None;
        }
        if index < bytes.len() {
            if bytes[index] != b'e' && bytes[index] != b'E' {
                return None;
            }
            let exponent_text = &text[index + 1..];
            exponent = exponent.saturating_add(parse_exponent(exponent_text)?);
        }
        Some(
            Decimal {
                negative,
                digits,
                exponent,
            }
            .trimmed(),
        )
    }

    fn from_number(number: &Number) -> Decimal {
        let digits = if number.mantissa == 0 {
            Vec::new()
        } else {
            number
                .mantissa
                .to_string()
                .bytes()
                .map(|b| b - b'0')
                .collect()
        };
        Decimal {
            negative: number.negative,
            digits,
            exponent: number.exponent as i64,
        }
    }

    /// Drops leading and trailing zero digits, moving the exponent to match.
    fn trimmed(mut self) -> Decimal {
        let leading = self.digits.iter().take_while(|&&d| d == 0).count();
        self.digits.drain(..leading);
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exponent = self.exponent.saturating_add(1);
        }
        if self.digits.is_empty() {
            self.exponent = 0;
            self.negative = false;
        }
        self
    }

    fn add(&self, other: &Decimal) -> Decimal {
        if self.digits.is_empty() {
            return Decimal {
                negative: other.negative,
                digits: other.digits.clone(),
                exponent: other.exponent,
            };
        }
        if other.digits.is_empty() {
            return Decimal {
                negative: self.negative,
                digits: self.digits.clone(),
                exponent: self.exponent,
            };
        }
        // Both are in range, so their exponents are within a few hundred of each other.
        let low = self.exponent.min(other.exponent);
        let high_a = self.exponent + self.digits.len() as i64;
        let high_b = other.exponent + other.digits.len() as i64;
        let width = (high_a.max(high_b) - low) as usize + 1;
        let a = aligned(self, low, width);
        let b = aligned(other, low, width);
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, add_digits(&a, &b))
        } else {
            match compare_digits(&a, &b) {
                Ordering::Less => (other.negative, subtract_digits(&b, &a)),
                _ => (self.negative, subtract_digits(&a, &b)),
            }
        };
        Decimal {
            negative,
            digits,
            exponent: low,
        }
        .trimmed()
    }

    fn into_number(self) -> Result<Number, String> {
        if self.digits.is_empty() {
            return Ok(Number::ZERO);
        }
        let leading = self.exponent.saturating_add(self.digits.len() as i64 - 1);
        if leading > MAX_LEADING_EXPONENT {
            return Err(OVERFLOW.to_string());
        }
        if leading < MIN_LEADING_EXPONENT {
            return Err(UNDERFLOW.to_string());
        }
        if self.digits.len() > MAX_DIGITS {
            return Err(TOO_MANY_DIGITS.to_string());
        }
        let mantissa = self
            .digits
            .iter()
            .fold(0u128, |acc, &d| acc * 10 + d as u128);
        Ok(Number::normalised(
            self.negative,
            mantissa,
            self.exponent as i32,
        ))
    }
}

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Saturate: any exponent this large is an overflow or underflow anyway.
    let value = digits.bytes().fold(0i64, |acc, b| {
        acc.saturating_mul(10).saturating_add((b - b'0') as i64)
    });
    Some(if negative { -value } else { value })
}

/// The digits of `value` laid out least significant first over `width` places from `low`.
fn aligned(value: &Decimal, low: i64, width: usize) -> Vec<u8> {
    let mut out = vec![0u8; width];
    let offset = (value.exponent - low) as usize;
    for (position, &digit) in value.digits.iter().rev().enumerate() {
        out[offset + position] = digit;
    }
    out
}

fn add_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut carry = 0;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        let sum = x + y + carry;
        out.push(sum % 10);
        carry = sum / 10;
    }
    out.reverse();
    out
}

fn compare_digits(a: &[u8], b: &[u8]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

/// `a - b` for `a >= b`, least significant first in, most significant first out.
fn subtract_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut borrow = 0i8;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        let mut difference = *x as i8 - *y as i8 - borrow;
        borrow = 0;
        if difference < 0 {
            difference += 10;
            borrow = 1;
        }
        out.push(difference as u8);
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        Number::parse(text)
            .map(|n| n.to_string())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn worked_examples_render_plain() {
        assert_eq!(
            canonical("0000012345678901234567890123456789012345678"),
            "12345678901234567890123456789012345678"
        );
        assert_eq!(
            canonical("-00001.23456789012345678901234567890123456780000"),
            "-1.2345678901234567890123456789012345678"
        );
        let big = canonical("0009.99999999999999999999999999999999999990000e125");
        assert_eq!(big, format!("{}{}", "9".repeat(38), "0".repeat(88)));
        assert_eq!(
            canonical("0001.000e-130"),
            format!("0.{}1", "0".repeat(129))
        );
    }

    #[test]
    fn limits_have_dynamodb_messages() {
        assert_eq!(canonical("1e126"), OVERFLOW);
        assert_eq!(canonical("1e-131"), UNDERFLOW);
        assert_eq!(canonical(&"1".repeat(39)), TOO_MANY_DIGITS);
        assert_eq!(
            canonical("abc"),
            "The parameter cannot be converted to a numeric value: abc"
        );
        assert_eq!(canonical("1e99999999999999999999999"), OVERFLOW);
    }

    #[test]
    fn arithmetic_is_exact() {
        let a = Number::parse("0.1").unwrap();
        let b = Number::parse("0.2").unwrap();
        assert_eq!(a.add(&b).unwrap().to_string(), "0.3");
        let c = Number::parse("1e100").unwrap();
        assert_eq!(
            c.add(&Number::parse("1").unwrap()),
            Err(TOO_MANY_DIGITS.to_string())
        );
        assert_eq!(
            Number::parse("52")
                .unwrap()
                .subtract(&Number::parse("15").unwrap())
                .unwrap()
                .to_string(),
            "37"
        );
        assert_eq!(
            Number::parse("5")
                .unwrap()
                .subtract(&Number::parse("5.0").unwrap())
                .unwrap()
                .to_string(),
            "0"
        );
    }

    #[test]
    fn ordering_is_numeric() {
        let n = |t: &str| Number::parse(t).unwrap();
        assert!(n("-10") < n("-9.5"));
        assert!(n("9.5") < n("10"));
        assert!(n("0") > n("-0.0001"));
        assert_eq!(n("1.0"), n("1"));
    }
}
