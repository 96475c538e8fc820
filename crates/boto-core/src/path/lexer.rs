//! Expression text to tokens, as JMESPath's grammar reads it (the token set, the escapes inside
//! quotes and backticks, and which JSON a literal may hold follow the Python `jmespath` package
//! that boto3 uses, so an expression lexes, or fails to, the way it does there).

use super::json::loads;
use super::Error;
use crate::document::Document;

/// One token of an expression.
#[derive(Debug)]
pub(super) enum Token {
    Dot,
    Star,
    Comma,
    Colon,
    /// `@`
    Current,
    LParen,
    RParen,
    LBrace,
    RBrace,
    /// `[`
    LBracket,
    RBracket,
    /// `[]`, one token: `[ ]` is not a flatten.
    Flatten,
    /// `[?`
    Filter,
    /// `|`
    Pipe,
    /// `||`
    Or,
    /// `&&`
    And,
    /// `&`
    Expref,
    /// `!`
    Not,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Identifier(String),
    QuotedIdentifier(String),
    /// A backtick JSON literal or a `'raw string'`.
    Literal(Document),
    /// An integer for an index or slice; Python's are unbounded, so ours saturate, which
    /// selects the same elements (an index past either end finds nothing, a slice bound past
    /// either end clamps).
    Number(i64),
    Eof,
}

/// The tokens of `expr`, ending with [`Token::Eof`].
pub(super) fn tokenize(expr: &str) -> Result<Vec<Token>, Error> {
    if expr.is_empty() {
        return Err(Error::Syntax);
    }
    let mut lexer = Lexer {
        chars: expr.chars().collect(),
        at: 0,
    };
    let mut tokens = Vec::new();
    while let Some(c) = lexer.current() {
        let simple = match c {
            '.' => Some(Token::Dot),
            '*' => Some(Token::Star),
            ']' => Some(Token::RBracket),
            ',' => Some(Token::Comma),
            ':' => Some(Token::Colon),
            '@' => Some(Token::Current),
            '(' => Some(Token::LParen),
            ')' => Some(Token::RParen),
            '{' => Some(Token::LBrace),
            '}' => Some(Token::RBrace),
            _ => None,
        };
        if let Some(token) = simple {
            lexer.at += 1;
            tokens.push(token);
            continue;
        }
        let token = match c {
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = lexer.at;
                while lexer
                    .current()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    lexer.at += 1;
                }
                Token::Identifier(lexer.chars[start..lexer.at].iter().collect())
            }
            ' ' | '\t' | '\n' | '\r' => {
                lexer.at += 1;
                continue;
            }
            '[' => {
                lexer.at += 1;
                match lexer.current() {
                    Some(']') => {
                        lexer.at += 1;
                        Token::Flatten
                    }
                    Some('?') => {
                        lexer.at += 1;
                        Token::Filter
                    }
                    _ => Token::LBracket,
                }
            }
            '\'' => {
                let raw = lexer.until('\'')?.replace("\\'", "'");
                Token::Literal(Document::String(raw))
            }
            '`' => json_literal(&lexer.until('`')?.replace("\\`", "`"))?,
            '"' => Token::QuotedIdentifier(json_string(&lexer.until('"')?)?),
            '|' => lexer.pair('|', Token::Or, Token::Pipe),
            '&' => lexer.pair('&', Token::And, Token::Expref),
            '<' => lexer.pair('=', Token::Lte, Token::Lt),
            '>' => lexer.pair('=', Token::Gte, Token::Gt),
            '!' => lexer.pair('=', Token::Ne, Token::Not),
            '=' => match lexer.pair('=', Token::Eq, Token::Eof) {
                Token::Eof => return Err(Error::Syntax),
                eq => eq,
            },
            '0'..='9' | '-' => lexer.number()?,
            _ => return Err(Error::Syntax),
        };
        tokens.push(token);
    }
    tokens.push(Token::Eof);
    Ok(tokens)
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
}

impl Lexer {
    fn current(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// `matched` when the character after the current one is `next` (both consumed), else
    /// `single` (the current one consumed).
    fn pair(&mut self, next: char, matched: Token, single: Token) -> Token {
        self.at += 1;
        if self.current() == Some(next) {
            self.at += 1;
            matched
        } else {
            single
        }
    }

    /// The text between the current delimiter and the next unescaped one. A backslash keeps
    /// itself and the character after it (the caller decides what the escape means), so
    /// `\'` inside a raw string or `\"` inside a quoted identifier does not end it.
    fn until(&mut self, delimiter: char) -> Result<String, Error> {
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.current() {
                None => return Err(Error::Syntax),
                Some(c) if c == delimiter => break,
                Some('\\') => {
                    text.push('\\');
                    self.at += 1;
                    text.push(self.current().ok_or(Error::Syntax)?);
                }
                Some(c) => text.push(c),
            }
            self.at += 1;
        }
        self.at += 1;
        Ok(text)
    }

    /// An optionally negative run of digits; a lone `-` is an error.
    fn number(&mut self) -> Result<Token, Error> {
        let negative = self.current() == Some('-');
        if negative {
            self.at += 1;
        }
        let mut value: i64 = 0;
        let mut digits = 0;
        while let Some(d) = self.current().and_then(|c| c.to_digit(10)) {
            let d = i64::from(d);
            value = value.saturating_mul(10);
            value = if negative {
                value.saturating_sub(d)
            } else {
                value.saturating_add(d)
            };
            digits += 1;
            self.at += 1;
        }
        if digits == 0 {
            return Err(Error::Syntax);
        }
        Ok(Token::Number(value))
    }
}

/// A backtick literal: JSON, or, as JMESPath's deprecated form still allows, the text of a JSON
/// string without its quotes (`` `foo` `` is `"foo"`; leading whitespace is dropped first).
fn json_literal(text: &str) -> Result<Token, Error> {
    if let Some(value) = loads(text) {
        return Ok(Token::Literal(value));
    }
    let unquoted = text.trim_start_matches(is_python_space);
    json_string(unquoted).map(|s| Token::Literal(Document::String(s)))
}

/// `inner` read as the inside of a JSON string (escapes decoded).
fn json_string(inner: &str) -> Result<String, Error> {
    loads(&format!("\"{inner}\""))
        .and_then(Document::into_string)
        .ok_or(Error::Syntax)
}

/// Python's `str.isspace`: Unicode white space plus the four ASCII separators U+001C..U+001F.
pub(super) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}
