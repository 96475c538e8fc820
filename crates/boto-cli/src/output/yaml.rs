//! `yaml` and `yaml-stream` as aws-cli v2 prints them (ruamel.yaml's safe dumper in block
//! style): keys sorted, two-space indentation, a list's dashes in its key's column, strings
//! quoted only when they would read back as something else.
//!
//! A writer of our own, for output only: a YAML library would be a dependency for what is a
//! hundred lines here. Two known differences from ruamel: long strings are not folded at 80
//! columns, and strings with line breaks or control characters are double-quoted with escapes
//! where ruamel may pick single quotes; both read back as the same value.

use super::scalar;
use boto::{Document, Map, Name};

/// `doc` as one YAML document.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    match doc {
        Document::Map(m) if !m.is_empty() => write_map(m, 0, false, &mut out),
        Document::List(l) if !l.is_empty() => write_list(l, 0, false, &mut out),
        // aws-cli v2 double-quotes a string at the top (a query's single value), and writes
        // other scalars bare.
        Document::String(_) | Document::Timestamp(_) | Document::Blob(_) => {
            out.push_str(&double_quoted(&scalar(doc)));
            out.push('\n');
        }
        other => {
            out.push_str(&scalar_text(other));
            out.push('\n');
        }
    }
    out
}

fn sorted(map: &Map) -> Vec<(&Name, &Document)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A mapping at column `col`; `inline` when the cursor already stands there (after `- `).
fn write_map(map: &Map, col: usize, inline: bool, out: &mut String) {
    for (i, (key, value)) in sorted(map).into_iter().enumerate() {
        if i > 0 || !inline {
            pad(col, out);
        }
        out.push_str(&string_text(key));
        out.push(':');
        match value {
            Document::Map(m) if !m.is_empty() => {
                out.push('\n');
                write_map(m, col + 2, false, out);
            }
            Document::List(l) if !l.is_empty() => {
                out.push('\n');
                write_list(l, col, false, out);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar_text(other));
                out.push('\n');
            }
        }
    }
}

fn write_list(items: &[Document], col: usize, inline: bool, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            pad(col, out);
        }
        out.push_str("- ");
        match item {
            Document::Map(m) if !m.is_empty() => write_map(m, col + 2, true, out),
            Document::List(l) if !l.is_empty() => write_list(l, col + 2, true, out),
            other => {
                out.push_str(&scalar_text(other));
                out.push('\n');
            }
        }
    }
}

fn pad(col: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', col));
}

/// A leaf: null, booleans and numbers bare, strings (and timestamps and blobs, which print
/// as their text) through [`string_text`], empty containers in flow style.
fn scalar_text(doc: &Document) -> String {
    match doc {
        Document::Null => "null".into(),
        Document::Bool(b) => b.to_string(),
        Document::Int(n) => n.to_string(),
        Document::Float(f) if f.is_nan() => ".nan".into(),
        Document::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Document::Float(_) => scalar(doc),
        Document::String(s) => string_text(s),
        Document::List(_) => "[]".into(),
        Document::Map(_) => "{}".into(),
        Document::Timestamp(_) | Document::Blob(_) => string_text(&scalar(doc)),
    }
}

/// A string plain when YAML reads it back as this string, else quoted.
fn string_text(s: &str) -> String {
    // ruamel escapes characters beyond the Basic Multilingual Plane (emoji) even when it
    // writes the others as they are, which takes double quotes.
    if s.chars()
        .any(|c| c.is_control() || c == '\u{feff}' || u32::from(c) > 0xFFFF)
    {
        return double_quoted(s);
    }
    if plain_ok(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`=~".contains(first)
        && !(first == '-' && s.len() > 1 && !s[1..].starts_with(' '))
    {
        return false;
    }
    if s.starts_with("- ") || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") {
        return false;
    }
    !resolves_to_other_type(s)
}

/// Whether a plain `s` would read back as null, a boolean, a number or a timestamp (YAML
/// 1.1's and 1.2's core schemas both, so that any reader gets a string).
fn resolves_to_other_type(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null"
            | "~"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let numeric = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | 'e' | 'E' | '-' | '+' | ':'))
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    let hex = body.starts_with("0x") || body.starts_with("0o") || body.starts_with("0b");
    let date =
        s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.as_bytes()[4] == b'-';
    numeric || (hex && body[2..].chars().all(|c| c.is_ascii_hexdigit())) || date
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c if u32::from(c) > 0xFFFF => out.push_str(&format!("\\U{:08X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto::doc;

    #[test]
    fn block_layout() {
        let d = doc! {
            "Users": [{"UserName": "a", "Arn": "arn:aws:iam::1:user/a", "Tags": []}],
            "IsTruncated": false,
            "Nested": {"List": [["x", "y"], 1]},
        };
        assert_eq!(
            render(&d),
            "IsTruncated: false\nNested:\n  List:\n  - - x\n    - y\n  - 1\nUsers:\n\
             - Arn: arn:aws:iam::1:user/a\n  Tags: []\n  UserName: a\n"
        );
    }

    #[test]
    fn scalars_at_the_top_as_aws_cli_v2() {
        assert_eq!(render(&doc!("foo")), "\"foo\"\n");
        assert_eq!(render(&doc!(1)), "1\n");
        assert_eq!(render(&doc!(1.2)), "1.2\n");
        assert_eq!(render(&doc!(true)), "true\n");
        assert_eq!(render(&doc!(["val1", "val2"])), "- val1\n- val2\n");
        assert_eq!(render(&doc!({"key": "val"})), "key: val\n");
    }

    #[test]
    fn strings_quoted_when_they_would_read_as_something_else() {
        for (s, want) in [
            ("plain", "plain"),
            ("123", "'123'"),
            ("1.5", "'1.5'"),
            ("true", "'true'"),
            ("null", "'null'"),
            ("", "''"),
            ("2024-01-02T03:04:05Z", "'2024-01-02T03:04:05Z'"),
            ("a: b", "'a: b'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("- x", "'- x'"),
            ("-x", "-x"),
            ("/", "/"),
            ("line\nbreak", "\"line\\nbreak\""),
            ("0x1F", "'0x1F'"),
            ("accent é →", "accent é →"),
            ("emoji \u{1F600}", "\"emoji \\U0001F600\""),
        ] {
            assert_eq!(string_text(s), want, "{s:?}");
        }
    }
}
