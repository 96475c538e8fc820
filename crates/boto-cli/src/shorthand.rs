//! aws-cli's shorthand syntax: `Key=k,Value=v`, `Name=a,Values=b,c` (a bare value after a
//! key's value makes that key a list), `Key={Inner=x}` and `Key=[a,b]`, quoting with `"` or `'`.
//! The result is untyped: [`crate::params::coerce`] gives it the shape's types.

use boto::Document;

/// Parses shorthand text into a map (strings and lists of strings, nested maps and lists).
pub fn parse(text: &str) -> Result<Document, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let doc = p.map(false)?;
    if p.at < p.chars.len() {
        return Err(format!(
            "unexpected {:?} at position {}",
            p.chars[p.at], p.at
        ));
    }
    Ok(doc)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// `k=v,k2=v2` up to the end, or up to `}` when `nested`.
    fn map(&mut self, nested: bool) -> Result<Document, String> {
        let mut out = Document::map();
        let mut last: Option<String> = None;
        loop {
            if nested && self.peek() == Some('}') {
                return Ok(out);
            }
            let start = self.at;
            let word = self.scalar(&['=', ',', '}'])?;
            match self.peek() {
                Some('=') => {
                    self.at += 1;
                    let key = word.trim().to_string();
                    if key.is_empty() {
                        return Err(format!("expected a key before '=' at position {start}"));
                    }
                    let value = self.value(nested)?;
                    out.set(key.clone(), value);
                    last = Some(key);
                }
                _ => {
                    // A bare value continues the previous key's list: `Values=b,c`.
                    let Some(key) = &last else {
                        return Err(format!("expected key=value, found {:?}", word.trim()));
                    };
                    let Some(slot) = out.get_mut(key) else {
                        return Err(format!("no value for {key:?}"));
                    };
                    if let Some(list) = slot.as_list_mut() {
                        list.push(Document::String(word));
                    } else {
                        let prev = std::mem::take(slot);
                        *slot = Document::List(vec![prev, Document::String(word)]);
                    }
                }
            }
            match self.peek() {
                Some(',') => self.at += 1,
                None => return Ok(out),
                Some('}') if nested => return Ok(out),
                Some(c) => return Err(format!("unexpected {c:?} at position {}", self.at)),
            }
        }
    }

    fn value(&mut self, nested: bool) -> Result<Document, String> {
        match self.peek() {
            Some('{') => {
                self.at += 1;
                let inner = self.map(true)?;
                self.expect('}')?;
                Ok(inner)
            }
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                while self.peek() != Some(']') {
                    items.push(if self.peek() == Some('{') {
                        self.value(true)?
                    } else {
                        Document::String(self.scalar(&[',', ']'])?)
                    });
                    if self.peek() == Some(',') {
                        self.at += 1;
                    } else {
                        break;
                    }
                }
                self.expect(']')?;
                Ok(Document::List(items))
            }
            _ => {
                let stops: &[char] = if nested { &[',', '}'] } else { &[','] };
                Ok(Document::String(self.scalar(stops)?))
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected {c:?} at position {}", self.at))
        }
    }

    /// A plain or quoted word up to one of `stops`.
    fn scalar(&mut self, stops: &[char]) -> Result<String, String> {
        let mut out = String::new();
        if let Some(q @ ('"' | '\'')) = self.peek() {
            self.at += 1;
            while let Some(c) = self.peek() {
                self.at += 1;
                if c == q {
                    return Ok(out);
                }
                if c == '\\' {
                    if let Some(n) = self.peek() {
                        self.at += 1;
                        out.push(n);
                        continue;
                    }
                }
                out.push(c);
            }
            return Err(format!("unterminated quote {q}"));
        }
        while let Some(c) = self.peek() {
            if stops.contains(&c) {
                break;
            }
            self.at += 1;
            out.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn pairs_lists_and_nesting() {
        assert_eq!(
            parse("Key=k,Value=v").unwrap().to_json(),
            r#"{"Key":"k","Value":"v"}"#
        );
        assert_eq!(
            parse("Name=a,Values=b,c").unwrap().to_json(),
            r#"{"Name":"a","Values":["b","c"]}"#
        );
        assert_eq!(
            parse("A={B=x,C=y},D=[p,q]").unwrap().to_json(),
            r#"{"A":{"B":"x","C":"y"},"D":["p","q"]}"#
        );
        assert_eq!(parse("K='a,b'").unwrap().to_json(), r#"{"K":"a,b"}"#);
        assert!(parse("justaword").is_err());
    }
}
