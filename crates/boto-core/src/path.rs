//! JMESPath over documents, as the paginator, waiter and resource models use it. Plain paths
//! (`a.b`, `a[]` projections, `a[0]` / `a[-1]`, `x || y`, `@`) are walked directly on the
//! document, which is what paginators do on every page; anything else (functions such as
//! `length(..)`, comparisons, filters `[?..]`, literals) goes through a full JMESPath engine.

use crate::document::Document;

/// Evaluates `expr` against `doc`; missing parts, and expressions that do not compile, give `Null`.
pub fn search(expr: &str, doc: &Document) -> Document {
    if !is_plain_path(expr) {
        return full_search(expr, doc);
    }
    // `a || b` is the first truthy alternative, else the last one as it is (JMESPath): a plain
    // path's empty list or empty string is that value, not `Null`.
    let mut last = Document::Null;
    for alt in expr.split("||") {
        let v = eval(alt.trim(), doc);
        let empty = match &v {
            Document::Null => true,
            Document::String(s) => s.is_empty(),
            Document::List(l) => l.is_empty(),
            Document::Map(m) => m.is_empty(),
            Document::Bool(b) => !b,
            _ => false,
        };
        if !empty {
            return v;
        }
        last = v;
    }
    last
}

/// The part of `doc` that `expr` names, borrowed, when `expr` is a chain of fields and indexes
/// (`a.b`, `a[0]`, `a[-1].b`, `@`); `None` when it names nothing or is any other expression, for
/// which [`search`] builds the value. Counting a page's results needs no copy of them.
pub fn search_ref<'a>(expr: &str, doc: &'a Document) -> Option<&'a Document> {
    let expr = expr.trim();
    if expr == "@" || expr == "$" {
        return Some(doc);
    }
    if expr.is_empty() || expr.contains("||") || !is_plain_path(expr) {
        return None;
    }
    let mut at = doc;
    for step in steps(expr) {
        at = match step {
            Step::Field(name) => at.get(name)?,
            Step::Index(i) => {
                let list = at.as_list()?;
                let idx = if i < 0 { list.len() as i64 + i } else { i };
                list.get(usize::try_from(idx).ok()?)?
            }
            Step::Flatten => return None,
        };
    }
    Some(at)
}

/// True for the expressions the direct walker handles.
fn is_plain_path(expr: &str) -> bool {
    // `.[a]` and a leading `[a]` are multi-select lists.
    if expr.contains(".[") || expr.trim_start().starts_with('[') {
        return false;
    }
    !expr.contains([
        '(', '?', '=', '<', '>', '!', '&', '`', '\'', '"', '{', '*', '|', ',', ':',
    ]) || {
        // `||` alone is fine; other uses of `|`, and `[*]`, are not plain.
        let without_or = expr.replace("||", "");
        !without_or.contains([
            '(', '?', '=', '<', '>', '!', '&', '`', '\'', '"', '{', '*', '|', ',', ':',
        ])
    }
}

/// Evaluates with the full JMESPath engine (through JSON).
fn full_search(expr: &str, doc: &Document) -> Document {
    let Ok(compiled) = jmespath::compile(expr) else {
        return Document::Null;
    };
    let Ok(data) = jmespath::Variable::from_json(&doc.to_json()) else {
        return Document::Null;
    };
    match compiled.search(data) {
        Ok(result) => serde_json::to_value(&*result)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default(),
        Err(_) => Document::Null,
    }
}

enum Step<'a> {
    Field(&'a str),
    Index(i64),
    Flatten,
}

fn steps(expr: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in expr.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Field(name));
        }
        while let Some(end) = rest.find(']') {
            if !rest.starts_with('[') {
                break;
            }
            let inner = &rest[1..end];
            if inner.is_empty() || inner == "*" {
                out.push(Step::Flatten);
            } else if let Ok(i) = inner.parse() {
                out.push(Step::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

fn eval(expr: &str, doc: &Document) -> Document {
    if expr == "@" || expr == "$" || expr.is_empty() {
        return doc.clone();
    }
    apply(&steps(expr), doc)
}

fn apply(steps: &[Step<'_>], doc: &Document) -> Document {
    let Some((first, rest)) = steps.split_first() else {
        return doc.clone();
    };
    match first {
        Step::Field(name) => match doc.get(name) {
            Some(v) => apply(rest, v),
            None => Document::Null,
        },
        Step::Index(i) => {
            let Some(list) = doc.as_list() else {
                return Document::Null;
            };
            let idx = if *i < 0 { list.len() as i64 + i } else { *i };
            match usize::try_from(idx).ok().and_then(|i| list.get(i)) {
                Some(v) => apply(rest, v),
                None => Document::Null,
            }
        }
        Step::Flatten => {
            let Some(list) = doc.as_list() else {
                return Document::Null;
            };
            let mut out = Vec::new();
            for item in list {
                let v = apply(rest, item);
                match v {
                    Document::Null => {}
                    Document::List(_) if rest.is_empty() => {
                        out.extend(v.into_list().unwrap_or_default())
                    }
                    other => out.push(other),
                }
            }
            Document::List(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::search;
    use crate::doc;

    #[test]
    fn paths() {
        let d = doc! {"Contents": [{"Key": "a"}, {"Key": "b"}], "NextMarker": null, "Owner": {"ID": "x"}};
        assert_eq!(search("Contents[].Key", &d), doc!(["a", "b"]));
        assert_eq!(search("Contents[-1].Key", &d), doc!("b"));
        assert_eq!(search("NextMarker || Contents[-1].Key", &d), doc!("b"));
        assert_eq!(search("Owner.ID", &d), doc!("x"));
        assert_eq!(super::search_ref("Contents[-1].Key", &d), Some(&doc!("b")));
        assert_eq!(super::search_ref("Owner.ID", &d), Some(&doc!("x")));
        assert_eq!(super::search_ref("@", &d), Some(&d));
        assert_eq!(
            super::search_ref("Contents[].Key", &d),
            None,
            "a projection is built"
        );
        assert_eq!(super::search_ref("NextMarker || Owner", &d), None);
        assert_eq!(super::search_ref("Owner.Name", &d), None);
        assert_eq!(search("@", &d), d, "@ is the whole document");
        assert_eq!(search("length(Contents[]) > `1`", &d), doc!(true));
        assert_eq!(search("Contents[?Key == 'b'].Key", &d), doc!(["b"]));
        // Multi-select lists and slices are not plain paths.
        assert_eq!(search("Contents[].[Key]", &d), doc!([["a"], ["b"]]));
        assert_eq!(search("Contents[1:].Key", &d), doc!(["b"]));
        for odd in ["a[0]]", "]", "[", "a[", "a]b[0]", "length(", "Contents[?"] {
            let _ = search(odd, &d); // never panics
        }
        assert!(search("Nope[0].X", &d).is_null());
        assert_eq!(search("Contents[]", &d).as_list().map(|l| l.len()), Some(2));
    }
}
