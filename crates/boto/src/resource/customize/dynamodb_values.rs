//! DynamoDB's resource layer speaks plain values, as boto3's does: `table.put_item(Item={"n": 3})`
//! sends `{"n": {"N": "3"}}`, and items come back as plain values. Wherever the operation's input
//! or output shape holds an `AttributeValue`, values are converted; the client stays untouched.
//! boto3 does the same with its `TransformationInjector` on the resource's client
//! (`boto3.dynamodb.transform`), walking the operation's shapes.

use super::ResourceCustomization;
use boto_core::document::{Document, Map};
use boto_core::model::{ServiceModel, ShapeId, ShapeType};

/// Plain values in, plain values out, for every resource request.
pub(crate) struct PlainValues;

impl ResourceCustomization for PlainValues {
    fn name(&self) -> &'static str {
        "dynamodb-plain-values"
    }

    fn before_call(&self, model: &ServiceModel, operation: &str, input: &mut Document) {
        to_wire(model, operation, input);
    }

    fn after_call(&self, model: &ServiceModel, operation: &str, output: &mut Document) {
        from_wire(model, operation, output);
    }
}

const ATTRIBUTE_VALUE: &str = "AttributeValue";

/// A plain value as an `AttributeValue`.
fn serialize(value: &Document) -> Document {
    let mut av = Map::new();
    let (tag, v) = match value {
        Document::Null => ("NULL", Document::Bool(true)),
        Document::Bool(b) => ("BOOL", Document::Bool(*b)),
        Document::Int(i) => ("N", Document::String(i.to_string())),
        Document::Float(f) => ("N", Document::String(f.to_string())),
        Document::String(s) => ("S", Document::String(s.clone())),
        Document::Blob(b) => ("B", Document::Blob(b.clone())),
        Document::Timestamp(t) => ("S", Document::String(t.to_iso8601())),
        Document::List(items) => ("L", Document::List(items.iter().map(serialize).collect())),
        Document::Map(m) => (
            "M",
            Document::Map(m.iter().map(|(k, v)| (k.clone(), serialize(v))).collect()),
        ),
    };
    av.insert(tag.to_string(), v);
    Document::Map(av)
}

fn number(text: &str) -> Document {
    text.parse::<i64>()
        .map(Document::Int)
        .or_else(|_| text.parse::<f64>().map(Document::Float))
        .unwrap_or_else(|_| Document::String(text.to_string()))
}

/// An `AttributeValue` as a plain value (sets become lists).
fn deserialize(av: &Document) -> Document {
    let Some((tag, v)) = av.as_map().and_then(|m| m.iter().next()) else {
        return av.clone();
    };
    match (tag.as_str(), v) {
        ("NULL", _) => Document::Null,
        ("BOOL", b) => b.clone(),
        ("N", Document::String(n)) => number(n),
        ("S", s) | ("B", s) => s.clone(),
        ("SS", l) | ("BS", l) => l.clone(),
        ("NS", Document::List(items)) => Document::List(
            items
                .iter()
                .map(|n| number(n.as_str().unwrap_or_default()))
                .collect(),
        ),
        ("L", Document::List(items)) => Document::List(items.iter().map(deserialize).collect()),
        ("M", Document::Map(m)) => {
            Document::Map(m.iter().map(|(k, v)| (k.clone(), deserialize(v))).collect())
        }
        _ => av.clone(),
    }
}

/// Applies `convert` to every value `shape` holds as an `AttributeValue`.
fn walk(
    model: &ServiceModel,
    shape: ShapeId,
    value: &mut Document,
    convert: &dyn Fn(&Document) -> Document,
) {
    let s = model.shape(shape);
    if s.name == ATTRIBUTE_VALUE {
        *value = convert(value);
        return;
    }
    match (s.shape_type, value) {
        (ShapeType::Structure, Document::Map(m)) => {
            for member in &s.members {
                if let Some(v) = m.get_mut(&member.name) {
                    walk(model, member.target, v, convert);
                }
            }
        }
        (ShapeType::List, Document::List(items)) => {
            if let Some(item) = s.member.as_deref() {
                for v in items {
                    walk(model, item.target, v, convert);
                }
            }
        }
        (ShapeType::Map, Document::Map(m)) => {
            if let Some(val) = s.value.as_deref() {
                for v in m.values_mut() {
                    walk(model, val.target, v, convert);
                }
            }
        }
        _ => {}
    }
}

/// Converts the plain values of `op`'s input into `AttributeValue`s.
fn to_wire(model: &ServiceModel, op: &str, input: &mut Document) {
    if let Some(id) = model.operation(op).ok().and_then(|o| o.input) {
        walk(model, id, input, &serialize);
    }
}

/// Converts the `AttributeValue`s of `op`'s output into plain values.
fn from_wire(model: &ServiceModel, op: &str, output: &mut Document) {
    if let Some(id) = model.operation(op).ok().and_then(|o| o.output) {
        walk(model, id, output, &deserialize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::doc;

    #[test]
    fn values_round_trip() {
        let plain =
            doc! {"s": "x", "n": 3, "f": 1.5, "b": true, "z": null, "l": [1, "a"], "m": {"k": "v"}};
        let wire = serialize(&plain);
        assert_eq!(wire["M"]["n"], doc! {"N": "3"});
        assert_eq!(wire["M"]["l"]["L"][1], doc! {"S": "a"});
        assert_eq!(deserialize(&wire), plain);
        assert_eq!(deserialize(&doc! {"NS": ["1", "2.5"]}), doc!([1, 2.5]));
        assert_eq!(deserialize(&doc! {"SS": ["a"]}), doc!(["a"]));
    }
}
