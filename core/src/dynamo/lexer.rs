//! Tokens of the expression languages and the parser cursor they share, including DynamoDB's
//! syntax error text: `Syntax error; token: "<tok>", near: "<prev tok next>"`.

use super::expression::ExpressionError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `[A-Za-z_][A-Za-z0-9_]*`
    Identifier,
    /// `#` followed by at least one of `[A-Za-z0-9_]`
    NamePlaceholder,
    /// `:` followed by at least one of `[A-Za-z0-9_]`
    ValuePlaceholder,
    /// `[0-9]+`
    Digits,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Dot,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    /// Any other character: always a syntax error where it stands.
    Other,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte offsets into the expression text.
    pub start: usize,
    pub end: usize,
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut index = 0;
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while index < bytes.len() {
        let byte = bytes[index];
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
            index += 1;
            continue;
        }
        let start = index;
        let (kind, length) = match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => (
                TokenKind::Identifier,
                bytes[index..].iter().take_while(|&&b| word(b)).count(),
            ),
            b'0'..=b'9' => (
                TokenKind::Digits,
                bytes[index..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count(),
            ),
            b'#' | b':' => {
                let rest = bytes[index + 1..].iter().take_while(|&&b| word(b)).count();
                match (byte, rest) {
                    (_, 0) => (TokenKind::Other, 1),
                    (b'#', _) => (TokenKind::NamePlaceholder, rest + 1),
                    _ => (TokenKind::ValuePlaceholder, rest + 1),
                }
            }
            b'(' => (TokenKind::OpenParen, 1),
            b')' => (TokenKind::CloseParen, 1),
            b'[' => (TokenKind::OpenBracket, 1),
            b']' => (TokenKind::CloseBracket, 1),
            b',' => (TokenKind::Comma, 1),
            b'.' => (TokenKind::Dot, 1),
            b'=' => (TokenKind::Equal, 1),
            b'+' => (TokenKind::Plus, 1),
            b'-' => (TokenKind::Minus, 1),
            b'<' => match bytes.get(index + 1) {
                Some(b'>') => (TokenKind::NotEqual, 2),
                Some(b'=') => (TokenKind::LessOrEqual, 2),
                _ => (TokenKind::Less, 1),
            },
            b'>' => match bytes.get(index + 1) {
                Some(b'=') => (TokenKind::GreaterOrEqual, 2),
                _ => (TokenKind::Greater, 1),
            },
            _ => {
                let width = text[index..]
                    .chars()
                    .next()
                    .map(char::len_utf8)
                    .unwrap_or(1);
                (TokenKind::Other, width)
            }
        };
        index += length;
        tokens.push(Token {
            kind,
            start,
            end: index,
        });
    }
    tokens.push(Token {
        kind: TokenKind::End,
        start: text.len(),
        end: text.len(),
    });
    tokens
}

/// The cursor a recursive-descent parser moves over the tokens. It remembers the furthest token
/// at which any alternative failed, which is the token DynamoDB names in a syntax error.
pub struct Cursor<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub position: usize,
    furthest: usize,
    /// Parenthesis nesting, bounded so that no input can exhaust the stack.
    pub depth: u32,
}

/// Deeper nesting than this is reported as a syntax error at the offending parenthesis.
pub const MAX_DEPTH: u32 = 64;

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            text,
            tokens: tokenize(text),
            position: 0,
            furthest: 0,
            depth: 0,
        }
    }

    pub fn peek(&self) -> Token {
        self.tokens[self.position]
    }

    pub fn peek_at(&self, offset: usize) -> Token {
        self.tokens[(self.position + offset).min(self.tokens.len() - 1)]
    }

    pub fn slice(&self, token: Token) -> &'a str {
        &self.text[token.start..token.end]
    }

    /// Notes that the parser wanted something else at the current token.
    pub fn fail<T>(&mut self) -> Option<T> {
        self.furthest = self.furthest.max(self.position);
        None
    }

    /// Enters one level of parentheses; None (a syntax error here) when nested too deep.
    pub fn enter(&mut self) -> Option<()> {
        if self.depth >= MAX_DEPTH {
            return self.fail();
        }
        self.depth += 1;
        Some(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn advance(&mut self) -> Token {
        let token = self.peek();
        if token.kind != TokenKind::End {
            self.position += 1;
        }
        token
    }

    pub fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        if self.peek().kind == kind {
            Some(self.advance())
        } else {
            self.fail()
        }
    }

    /// True (and consumed) when the next token is `keyword`, in any case.
    pub fn eat_keyword(&mut self, keyword: &str) -> bool {
        let token = self.peek();
        if token.kind == TokenKind::Identifier && self.slice(token).eq_ignore_ascii_case(keyword) {
            self.advance();
            true
        } else {
            self.furthest = self.furthest.max(self.position);
            false
        }
    }

    pub fn is_keyword(&self, token: Token, keywords: &[&str]) -> bool {
        token.kind == TokenKind::Identifier
            && keywords
                .iter()
                .any(|k| self.slice(token).eq_ignore_ascii_case(k))
    }

    pub fn at_end(&mut self) -> bool {
        if self.peek().kind == TokenKind::End {
            true
        } else {
            self.furthest = self.furthest.max(self.position);
            false
        }
    }

    /// DynamoDB's syntax error for the furthest failure.
    pub fn syntax_error(&self) -> ExpressionError {
        let index = self.furthest.min(self.tokens.len() - 1);
        let token = self.tokens[index];
        let shown = if token.kind == TokenKind::End {
            "<EOF>"
        } else {
            self.slice(token)
        };
        let near_start = if index > 0 {
            self.tokens[index - 1].start
        } else {
            token.start
        };
        let near_end = match self.tokens.get(index + 1) {
            Some(next) if next.kind != TokenKind::End => next.end,
            _ if token.kind == TokenKind::End => self.text.len(),
            _ => token.end,
        };
        let near = &self.text[near_start..near_end];
        ExpressionError::at(
            format!("Syntax error; token: \"{shown}\", near: \"{near}\""),
            self.text,
            token.start,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_after(text: &str, stop_at: usize) -> String {
        let mut cursor = Cursor::new(text);
        for _ in 0..stop_at {
            cursor.advance();
        }
        cursor.fail::<()>();
        cursor.syntax_error().message
    }

    #[test]
    fn syntax_errors_quote_the_token_and_its_neighbours() {
        assert_eq!(
            error_after("INVALID SYNTAX HERE", 0),
            "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""
        );
        assert_eq!(
            error_after("ADD hits : incr", 2),
            "Syntax error; token: \":\", near: \"hits : incr\""
        );
        assert_eq!(
            error_after("a-b", 1),
            "Syntax error; token: \"-\", near: \"a-b\""
        );
        assert_eq!(
            error_after("a,", 2),
            "Syntax error; token: \"<EOF>\", near: \",\""
        );
        assert_eq!(
            error_after("SET a = ", 3),
            "Syntax error; token: \"<EOF>\", near: \"= \""
        );
    }
}
