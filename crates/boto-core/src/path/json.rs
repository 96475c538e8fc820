//! JSON text to a document as Python's `json.loads` reads it, for backtick literals and quoted
//! identifiers: `NaN`, `Infinity` and `-Infinity` are numbers, `1e400` is an infinity, `-0` is
//! the integer 0, and (Python's ints being unbounded) an integer past 64 bits is the nearest
//! float. The one thing Python reads that a Rust string cannot hold is a lone UTF-16 surrogate
//! (`"\ud800"`), which fails here. It walks with a heap stack, so no literal nests too deep.

use crate::document::{Document, Map};

/// The document `text` holds, or `None` where Python raises `ValueError`.
pub(super) fn loads(text: &str) -> Option<Document> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let mut open: Vec<(Document, Option<crate::document::Name>)> = Vec::new();
    'value: loop {
        reader.skip_space();
        let mut value = match reader.peek()? {
            b'[' | b'{' => {
                let list = reader.peek() == Some(b'[');
                reader.at += 1;
                reader.skip_space();
                let close = if list { b']' } else { b'}' };
                if reader.peek() == Some(close) {
                    reader.at += 1;
                    if list {
                        Document::List(Vec::new())
                    } else {
                        Document::Map(Map::default())
                    }
                } else if list {
                    open.push((Document::List(Vec::new()), None));
                    continue 'value;
                } else {
                    let key = reader.key()?;
                    open.push((Document::Map(Map::default()), Some(key.into())));
                    continue 'value;
                }
            }
            b'"' => Document::String(reader.string()?),
            _ => reader.scalar()?,
        };
        // The value is complete: put it into the innermost open list or map, closing every
        // one that ends after it.
        loop {
            let Some((container, key)) = open.last_mut() else {
                reader.skip_space();
                return (reader.at == reader.bytes.len()).then_some(value);
            };
            match container {
                Document::List(items) => items.push(value),
                Document::Map(members) => {
                    members.insert(key.take().unwrap_or_default(), value);
                }
                _ => return None,
            }
            reader.skip_space();
            match reader.peek()? {
                b',' => {
                    reader.at += 1;
                    if let Document::Map(_) = container {
                        *key = Some(reader.key()?.into());
                    }
                    continue 'value;
                }
                b']' if matches!(container, Document::List(_)) => {}
                b'}' if matches!(container, Document::Map(_)) => {}
                _ => return None,
            }
            reader.at += 1;
            value = open.pop()?.0;
        }
    }
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// JSON's white space (Python's `json` takes no other).
    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    /// A member's key and its colon.
    fn key(&mut self) -> Option<String> {
        self.skip_space();
        if self.peek() != Some(b'"') {
            return None;
        }
        let key = self.string()?;
        self.skip_space();
        if self.peek() != Some(b':') {
            return None;
        }
        self.at += 1;
        Some(key)
    }

    fn scalar(&mut self) -> Option<Document> {
        if self.eat("null") {
            Some(Document::Null)
        } else if self.eat("true") {
            Some(Document::Bool(true))
        } else if self.eat("false") {
            Some(Document::Bool(false))
        } else if self.eat("NaN") {
            Some(Document::Float(f64::NAN))
        } else if self.eat("Infinity") {
            Some(Document::Float(f64::INFINITY))
        } else if self.eat("-Infinity") {
            Some(Document::Float(f64::NEG_INFINITY))
        } else {
            self.number()
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: a float with a fraction or exponent,
    /// else an int. A part that does not match is left for the caller, which then fails on it.
    fn number(&mut self) -> Option<Document> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut float = false;
        if self.peek() == Some(b'.') && self.bytes.get(self.at + 1).is_some_and(u8::is_ascii_digit)
        {
            self.at += 1;
            self.digits();
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.bytes.get(self.at + 1), Some(b'+' | b'-')));
            if self
                .bytes
                .get(self.at + 1 + sign)
                .is_some_and(u8::is_ascii_digit)
            {
                self.at += 1 + sign;
                self.digits();
                float = true;
            }
        }
        let text = &self.text[start..self.at];
        if !float {
            if let Ok(i) = text.parse::<i64>() {
                return Some(Document::Int(i));
            }
        }
        text.parse::<f64>().ok().map(Document::Float)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// A string, at its opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let plain = rest.find(['"', '\\']).unwrap_or(rest.len());
            let chunk = &rest[..plain];
            // Python's strict mode refuses raw control characters inside strings.
            if chunk.bytes().any(|b| b < 0x20) {
                return None;
            }
            out.push_str(chunk);
            self.at += plain;
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => {
                    self.at += 1;
                    let escaped = self.peek()?;
                    self.at += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
            }
        }
    }

    /// After `\u`: four hex digits, and a second escape when they are a high surrogate.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xd800..0xdc00).contains(&high) {
            return char::from_u32(high);
        }
        if !self.eat("\\u") {
            return None;
        }
        let low = self.hex4()?;
        if !(0xdc00..0xe000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::loads;
    use crate::doc;
    use crate::document::Document;

    #[test]
    fn reads_what_python_reads() {
        assert_eq!(
            loads(" [1, -0, 1.5, 1e2, \"a\\u00e9\\ud83d\\ude00\", null, true] "),
            Some(doc!([1, 0, 1.5, 100.0, "aé😀", null, true]))
        );
        assert_eq!(loads("-0").map(|d| d.kind()), Some("integer"));
        assert_eq!(
            loads("{\"a\": 1, \"b\": 2, \"a\": 3}"),
            Some(doc!({"a": 3, "b": 2}))
        );
        assert!(matches!(loads("NaN"), Some(Document::Float(f)) if f.is_nan()));
        assert_eq!(
            loads("[-Infinity, 1e400]"),
            Some(doc!([f64::NEG_INFINITY, f64::INFINITY]))
        );
        assert_eq!(loads("99999999999999999999"), Some(doc!(1e20)));
        assert_eq!(
            loads("{\"a\": {\"b\": []}, \"c\": [{}]}"),
            Some(doc!({"a": {"b": []}, "c": [{}]}))
        );
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(loads(&deep).is_some());
    }

    #[test]
    fn refuses_what_python_refuses() {
        for bad in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "{a: 1}",
            "[1 2]",
            "\"a",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\t\"",
            "\"\\ud800\"",
            "nul",
            "[",
            "{\"a\"}",
            "1 2",
        ] {
            assert_eq!(loads(bad), None, "{bad:?}");
        }
    }
}
