//! Printing a response as aws-cli does: `json` (4-space indent, nothing for an empty
//! response) and `text` (aws-cli's tab-separated layout), after `--query`. (`table` is not
//! there yet.)

use crate::failure::Failure;
use boto::Document;
use serde::Serialize;
use std::fmt::Write;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// aws-cli's default.
    #[default]
    Json,
    /// Tab-separated.
    Text,
}

impl Format {
    /// Parses `json`, `text` or `table`.
    pub fn from_name(name: &str) -> Result<Format, Failure> {
        match name {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "table" => Err(Failure::param(
                "--output table is not supported yet: use json or text",
            )),
            _ => Err(Failure::param(format!(
                "argument --output: Invalid choice, valid choices are:\n\njson | text | table\n\nInvalid choice: '{name}'"
            ))),
        }
    }
}

/// The response rendered for `format` after `query`; empty when aws-cli prints nothing.
pub fn render(doc: &Document, format: Format, query: Option<&str>) -> String {
    let shown;
    let doc = match query {
        Some(q) => {
            shown = boto::core::path::search(q, doc);
            &shown
        }
        None => doc,
    };
    match format {
        Format::Json => json(doc, query.is_some()),
        Format::Text => {
            let mut out = String::new();
            if !doc.is_null() {
                text(doc, None, None, &mut out);
            }
            out
        }
    }
}

/// aws-cli's `json.dumps(response, indent=4)`; an empty response (no query) prints nothing.
pub fn json(doc: &Document, queried: bool) -> String {
    if !queried && doc.as_map().is_some_and(|m| m.is_empty()) {
        return String::new();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if doc.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut out = String::from_utf8(buf).unwrap_or_default();
    out.push('\n');
    out
}

/// A scalar as Python's `str()` shows it in aws-cli's text output.
pub fn scalar(doc: &Document) -> String {
    match doc {
        Document::Null => "None".into(),
        Document::Bool(true) => "True".into(),
        Document::Bool(false) => "False".into(),
        Document::Int(n) => n.to_string(),
        Document::Float(f) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
        Document::Float(f) => f.to_string(),
        Document::String(s) => s.clone(),
        Document::Timestamp(t) => t.to_iso8601(),
        Document::Blob(_) | Document::List(_) | Document::Map(_) => {
            let j = doc.to_json();
            j.trim_matches('"').to_string()
        }
    }
}

fn is_scalar(doc: &Document) -> bool {
    !matches!(doc, Document::List(_) | Document::Map(_))
}

/// aws-cli's text layout: a dict prints its scalar values (sorted by key) on one line,
/// prefixed by its key in upper case, then each nested value under its own key; a list of
/// dicts aligns every element on the union of their scalar keys.
fn text(
    doc: &Document,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    match doc {
        Document::Map(map) => {
            let mut scalars = Vec::new();
            let mut nested: Vec<(&String, &Document)> = Vec::new();
            match scalar_keys {
                None => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for k in keys {
                        let v = &map[k];
                        if is_scalar(v) {
                            scalars.push(scalar(v));
                        } else {
                            nested.push((k, v));
                        }
                    }
                }
                Some(keys) => {
                    for k in keys {
                        scalars.push(map.get(k).map(scalar).unwrap_or_default());
                    }
                    let mut rest: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
                    rest.sort();
                    nested.extend(rest.into_iter().map(|k| (k, &map[k])));
                }
            }
            if !scalars.is_empty() {
                if let Some(id) = identifier {
                    scalars.insert(0, id.to_uppercase());
                }
                let _ = writeln!(out, "{}", scalars.join("\t"));
            }
            for (k, v) in nested {
                text(v, Some(k), None, out);
            }
        }
        Document::List(items) => {
            if items.is_empty() {
                return;
            }
            if items.iter().any(|i| matches!(i, Document::Map(_))) {
                let mut keys: Vec<String> = items
                    .iter()
                    .filter_map(Document::as_map)
                    .flat_map(|m| {
                        m.iter()
                            .filter(|(_, v)| is_scalar(v))
                            .map(|(k, _)| k.clone())
                    })
                    .collect();
                keys.sort();
                keys.dedup();
                for item in items {
                    text(item, identifier, Some(&keys), out);
                }
            } else if items.iter().any(|i| matches!(i, Document::List(_))) {
                let (scalars, rest): (Vec<&Document>, Vec<&Document>) =
                    items.iter().partition(|i| is_scalar(i));
                if !scalars.is_empty() {
                    scalar_list(&scalars, identifier, out);
                }
                for item in rest {
                    text(item, identifier, None, out);
                }
            } else {
                scalar_list(&items.iter().collect::<Vec<_>>(), identifier, out);
            }
        }
        other => {
            let _ = writeln!(out, "{}", scalar(other));
        }
    }
}

fn scalar_list(items: &[&Document], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                let _ = writeln!(out, "{}\t{}", id.to_uppercase(), scalar(item));
            }
        }
        None => {
            let line: Vec<String> = items.iter().map(|i| scalar(i)).collect();
            let _ = writeln!(out, "{}", line.join("\t"));
        }
    }
}
