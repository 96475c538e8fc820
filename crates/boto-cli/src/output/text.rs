//! aws-cli's `text` layout (awscli/text.py): tab-separated lines, upper-cased identifiers.

use super::{is_scalar, scalar};
use boto::Document;
use std::fmt::Write;

/// `doc` in aws-cli's text layout, as `format_text` writes it.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    text(doc, None, None, &mut out);
    out
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
            let mut nested: Vec<(&str, &Document)> = Vec::new();
            match scalar_keys {
                None => {
                    let mut keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
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
                        scalars.push(map.get(k.as_str()).map(scalar).unwrap_or_default());
                    }
                    let mut rest: Vec<&str> = map
                        .keys()
                        .map(|k| k.as_str())
                        .filter(|k| !keys.iter().any(|s| s == k))
                        .collect();
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
                            .map(|(k, _)| k.to_string())
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
