//! DynamoDB's reserved words (the 573 of the developer guide's "Reserved words in DynamoDB"
//! page), kept in `reserved_words.txt`, one upper-case word a line, sorted. An attribute name in
//! an expression that is one of them (in any case) must be written through a `#placeholder`.

const WORDS: &str = include_str!("reserved_words.txt");

/// True when `name` is a reserved word, compared case-insensitively.
pub fn is_reserved(name: &str) -> bool {
    if name.len() > 16 || !name.is_ascii() {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    word_list().binary_search(&upper.as_str()).is_ok()
}

fn word_list() -> &'static [&'static str] {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| WORDS.lines().filter(|l| !l.is_empty()).collect())
}

/// How many words the list holds (573).
pub fn count() -> usize {
    word_list().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_and_sorted() {
        assert_eq!(count(), 573);
        assert!(word_list().windows(2).all(|w| w[0] < w[1]));
        for word in [
            "COMMENT", "views", "Abort", "name", "status", "data", "size", "ZONE",
        ] {
            assert!(is_reserved(word), "{word}");
        }
        for word in ["price", "version", "orderId", "counter1"] {
            assert!(!is_reserved(word), "{word}");
        }
    }
}
