//! The small JMESPath subset the paginator, waiter and resource models use: `a.b`, `a[]` (flatten
//! and project the rest over the elements), `a[0]` / `a[-1]`, and `x || y` (first non-empty).

use crate::document::Document;

/// Evaluates `expr` against `doc`; missing parts give `Null`.
pub fn search(expr: &str, doc: &Document) -> Document {
    for alt in expr.split("||") {
        let v = eval(alt.trim(), doc);
        let empty = match &v {
            Document::Null => true,
            Document::String(s) => s.is_empty(),
            Document::List(l) => l.is_empty(),
            Document::Bool(b) => !b,
            _ => false,
        };
        if !empty {
            return v;
        }
    }
    Document::Null
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
                    Document::List(inner) if rest.is_empty() => out.extend(inner),
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
        assert_eq!(search("@", &d), d, "@ is the whole document");
        assert!(search("Nope[0].X", &d).is_null());
        assert_eq!(search("Contents[]", &d).as_list().map(|l| l.len()), Some(2));
    }
}
