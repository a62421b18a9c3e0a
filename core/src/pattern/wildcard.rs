//! The `wildcard` operator: parsing its text with EventBridge's escape rules and matching it.
//!
//! Owns the grammar (`*` any run of characters, `\*` a literal star, `\\` a literal backslash,
//! anything else after a backslash refused) and the matcher. It must never accept `**`:
//! EventBridge refuses consecutive wildcards.

/// One unit of a parsed wildcard: a literal byte of the UTF-8 text, or a star.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Byte(u8),
    Star,
}

/// A parsed wildcard pattern, matched byte by byte over UTF-8 (a star may only ever stop on a
/// character boundary, because the literals around it are whole characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wildcard {
    units: Vec<Unit>,
}

impl Wildcard {
    /// Parses `text`. Positions in messages count UTF-8 bytes of the text as Ruler sees it,
    /// wrapped in its JSON quotes, so the first character is at position 1.
    pub fn parse(text: &str) -> Result<Wildcard, String> {
        let bytes = text.as_bytes();
        let mut units = Vec::with_capacity(bytes.len());
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            let position = index + 1;
            match byte {
                b'*' => {
                    if bytes.get(index + 1) == Some(&b'*') {
                        return Err(format!("Consecutive wildcard characters at pos {position}"));
                    }
                    units.push(Unit::Star);
                }
                b'\\' => match bytes.get(index + 1) {
                    Some(&next @ (b'*' | b'\\')) => {
                        units.push(Unit::Byte(next));
                        index += 1;
                    }
                    _ => return Err(format!("Invalid escape character at pos {position}")),
                },
                other => units.push(Unit::Byte(other)),
            }
            index += 1;
        }
        Ok(Wildcard { units })
    }

    /// How many stars the pattern has; the "too complex" heuristic counts them.
    pub fn star_count(&self) -> u64 {
        self.units
            .iter()
            .filter(|unit| **unit == Unit::Star)
            .count() as u64
    }

    /// Whether the whole of `subject` matches. Iterative with one backtrack point (the last
    /// star), so the cost is at most the product of the two lengths and never recursive.
    pub fn matches(&self, subject: &str) -> bool {
        let text = subject.as_bytes();
        let (mut unit_index, mut text_index) = (0usize, 0usize);
        let mut backtrack: Option<(usize, usize)> = None;
        while text_index < text.len() {
            match self.units.get(unit_index) {
                Some(Unit::Star) => {
                    backtrack = Some((unit_index, text_index));
                    unit_index += 1;
                    continue;
                }
                Some(Unit::Byte(byte)) if text.get(text_index) == Some(byte) => {
                    unit_index += 1;
                    text_index += 1;
                    continue;
                }
                _ => {}
            }
            match backtrack {
                Some((star_index, star_text_index)) => {
                    backtrack = Some((star_index, star_text_index + 1));
                    unit_index = star_index + 1;
                    text_index = star_text_index + 1;
                }
                None => return false,
            }
        }
        self.units
            .get(unit_index..)
            .is_some_and(|rest| rest.iter().all(|unit| *unit == Unit::Star))
    }
}

#[cfg(test)]
mod tests {
    use super::Wildcard;

    // Proves the escape grammar and the byte positions Ruler reports.
    #[test]
    fn parse_reports_ruler_positions() {
        assert_eq!(
            Wildcard::parse("arn:aws:events:us-east-1:**:event-bus/*").err(),
            Some("Consecutive wildcard characters at pos 26".to_string())
        );
        assert_eq!(
            Wildcard::parse("a\\b").err(),
            Some("Invalid escape character at pos 2".to_string())
        );
        assert_eq!(
            Wildcard::parse("ab\\").err(),
            Some("Invalid escape character at pos 3".to_string())
        );
        assert!(Wildcard::parse("he\\**o").is_ok());
    }

    // Proves stars match empty and long runs and that escaped stars are literal.
    #[test]
    fn matches_like_quamina() {
        let check = |pattern: &str, subject: &str, expected: bool| {
            let wildcard = Wildcard::parse(pattern).unwrap();
            assert_eq!(
                wildcard.matches(subject),
                expected,
                "{pattern} vs {subject}"
            );
        };
        check("*", "", true);
        check("h*l*o", "hxxxlxxxo", true);
        check("h*l*o", "helx", false);
        check("hel\\*o", "hel*o", true);
        check("hel\\*o", "hello", false);
        check("", "", true);
        check("", "a", false);
        check("*é", "café", true);
    }
}
