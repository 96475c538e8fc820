//! boto3's conditions (`boto3.dynamodb.conditions`): `Key("pk").eq(..)`, `Attr("x").gt(..)`,
//! combined with `&`, `|` and `!`, and built into an expression string with placeholders exactly
//! as boto3's `ConditionExpressionBuilder` writes them (`#n0`, `:v0`, in the same order).
//!
//! A [`Condition`] also converts into a [`Document`], so it can be given where a DynamoDB resource
//! takes an expression (`KeyConditionExpression`, `FilterExpression`, `ConditionExpression`): the
//! resource layer builds it there, as boto3's resource does, and adds the placeholders to
//! `ExpressionAttributeNames` / `ExpressionAttributeValues`. (Those parameters are strings, so a
//! map in their place can only be a condition.)

use super::ValueError;
use boto_core::document::{Document, Map};
use std::ops::{BitAnd, BitOr, Not};

/// A key attribute, for key conditions (boto3's `Key`).
///
/// ```
/// use boto::dynamodb::{ConditionExpressionBuilder, Key};
/// let cond = Key::new("pk").eq("a") & Key::new("sk").begins_with("2024-");
/// let built = ConditionExpressionBuilder::new().build(&cond, true).unwrap();
/// assert_eq!(built.expression, "(#n0 = :v0 AND begins_with(#n1, :v1))");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Key(String);

/// Any attribute, for filter and condition expressions (boto3's `Attr`).
///
/// ```
/// use boto::dynamodb::{Attr, ConditionExpressionBuilder};
/// let cond = Attr::new("n").gt(3) | !Attr::new("tags").exists();
/// let built = ConditionExpressionBuilder::new().build(&cond, false).unwrap();
/// assert_eq!(built.expression, "(#n0 > :v0 OR (NOT attribute_exists(#n1)))");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Attr(String);

/// `size(attribute)`, to be compared (`Attr::new("tags").size().gte(2)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Size(String);

/// One side of a condition.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// An attribute name; `key` says it came from [`Key`].
    Name { name: String, key: bool },
    /// `size(name)`.
    Size(String),
    /// A plain value (becomes a `:v` placeholder).
    Value(Document),
    /// Several values, one placeholder each (`IN`).
    Values(Vec<Document>),
    /// A nested condition.
    Condition(Box<Condition>),
}

/// A condition, built from [`Key`], [`Attr`] and [`Size`] and combined with `&`, `|` and `!`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// boto3's `expression_operator` (`=`, `begins_with`, `AND`, ...).
    operator: &'static str,
    operands: Vec<Operand>,
}

impl Condition {
    fn new(operator: &'static str, operands: Vec<Operand>) -> Condition {
        Condition { operator, operands }
    }

    /// The expression format, with `{0}`.. for the operands, as boto3's classes declare it.
    fn format(&self) -> &'static str {
        match self.operator {
            "=" | "<>" | "<" | "<=" | ">" | ">=" | "IN" => "{0} {operator} {1}",
            "BETWEEN" => "{0} {operator} {1} AND {2}",
            "begins_with" | "contains" | "attribute_type" => "{operator}({0}, {1})",
            "size" | "attribute_exists" | "attribute_not_exists" => "{operator}({0})",
            "AND" | "OR" => "({0} {operator} {1})",
            _ => "({operator} {0})",
        }
    }
}

impl BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, other: Condition) -> Condition {
        Condition::new(
            "AND",
            vec![
                Operand::Condition(Box::new(self)),
                Operand::Condition(Box::new(other)),
            ],
        )
    }
}

impl BitOr for Condition {
    type Output = Condition;
    fn bitor(self, other: Condition) -> Condition {
        Condition::new(
            "OR",
            vec![
                Operand::Condition(Box::new(self)),
                Operand::Condition(Box::new(other)),
            ],
        )
    }
}

impl Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition::new("NOT", vec![Operand::Condition(Box::new(self))])
    }
}

/// The comparisons every attribute-like operand has (boto3's `AttributeBase`).
macro_rules! comparisons {
    ($ty:ident) => {
        impl $ty {
            /// `attribute = value`.
            pub fn eq(&self, value: impl Into<Document>) -> Condition {
                self.compare("=", value.into())
            }
            /// `attribute < value`.
            pub fn lt(&self, value: impl Into<Document>) -> Condition {
                self.compare("<", value.into())
            }
            /// `attribute <= value`.
            pub fn lte(&self, value: impl Into<Document>) -> Condition {
                self.compare("<=", value.into())
            }
            /// `attribute > value`.
            pub fn gt(&self, value: impl Into<Document>) -> Condition {
                self.compare(">", value.into())
            }
            /// `attribute >= value`.
            pub fn gte(&self, value: impl Into<Document>) -> Condition {
                self.compare(">=", value.into())
            }
            /// `begins_with(attribute, value)`.
            pub fn begins_with(&self, value: impl Into<Document>) -> Condition {
                self.compare("begins_with", value.into())
            }
            /// `attribute BETWEEN low AND high`.
            pub fn between(
                &self,
                low_value: impl Into<Document>,
                high_value: impl Into<Document>,
            ) -> Condition {
                Condition::new(
                    "BETWEEN",
                    vec![
                        self.operand(),
                        Operand::Value(low_value.into()),
                        Operand::Value(high_value.into()),
                    ],
                )
            }
            fn compare(&self, operator: &'static str, value: Document) -> Condition {
                Condition::new(operator, vec![self.operand(), Operand::Value(value)])
            }
        }
    };
}

comparisons!(Key);
comparisons!(Attr);
comparisons!(Size);

impl Key {
    /// The key attribute `name` (a path such as `a.b[0]` is allowed).
    pub fn new(name: impl Into<String>) -> Key {
        Key(name.into())
    }

    fn operand(&self) -> Operand {
        Operand::Name {
            name: self.0.clone(),
            key: true,
        }
    }
}

impl Size {
    fn operand(&self) -> Operand {
        Operand::Condition(Box::new(Condition::new(
            "size",
            vec![Operand::Size(self.0.clone())],
        )))
    }
}

impl Attr {
    /// The attribute `name` (a path such as `a.b[0].c` is allowed).
    pub fn new(name: impl Into<String>) -> Attr {
        Attr(name.into())
    }

    fn operand(&self) -> Operand {
        Operand::Name {
            name: self.0.clone(),
            key: false,
        }
    }

    /// `attribute <> value`.
    pub fn ne(&self, value: impl Into<Document>) -> Condition {
        self.compare("<>", value.into())
    }

    /// `attribute IN (v1, v2, ..)`.
    pub fn is_in<V: Into<Document>>(&self, values: impl IntoIterator<Item = V>) -> Condition {
        let values = values.into_iter().map(Into::into).collect();
        Condition::new("IN", vec![self.operand(), Operand::Values(values)])
    }

    /// `attribute_exists(attribute)`.
    pub fn exists(&self) -> Condition {
        Condition::new("attribute_exists", vec![self.operand()])
    }

    /// `attribute_not_exists(attribute)`.
    pub fn not_exists(&self) -> Condition {
        Condition::new("attribute_not_exists", vec![self.operand()])
    }

    /// `contains(attribute, value)`.
    pub fn contains(&self, value: impl Into<Document>) -> Condition {
        self.compare("contains", value.into())
    }

    /// `size(attribute)`, to compare (`.size().gt(2)`).
    pub fn size(&self) -> Size {
        Size(self.0.clone())
    }

    /// `attribute_type(attribute, type)` (`"S"`, `"N"`, `"SS"`, ...).
    pub fn attribute_type(&self, value: impl Into<Document>) -> Condition {
        self.compare("attribute_type", value.into())
    }
}

/// A built condition: the expression and the placeholders it uses (boto3's
/// `BuiltConditionExpression`). Values are plain values, as given.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltExpression {
    /// The expression text (`#n0 = :v0`).
    pub expression: String,
    /// `#n0` → attribute name, in the order they were made.
    pub names: Map,
    /// `:v0` → value, in the order they were made.
    pub values: Map,
}

/// Builds conditions into expressions, numbering placeholders across every condition it builds
/// until [`reset`](Self::reset) (boto3's `ConditionExpressionBuilder`).
#[derive(Debug, Clone, Default)]
pub struct ConditionExpressionBuilder {
    name_count: usize,
    value_count: usize,
}

impl ConditionExpressionBuilder {
    /// A builder starting at `#n0` and `:v0`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts the numbering again.
    pub fn reset(&mut self) {
        self.name_count = 0;
        self.value_count = 0;
    }

    /// Builds `condition`; a key condition (`KeyConditionExpression`) may only name [`Key`]s.
    pub fn build(
        &mut self,
        condition: &Condition,
        is_key_condition: bool,
    ) -> Result<BuiltExpression, ValueError> {
        let mut built = BuiltExpression {
            expression: String::new(),
            names: Map::default(),
            values: Map::default(),
        };
        built.expression = self.condition(condition, &mut built, is_key_condition)?;
        Ok(built)
    }

    fn condition(
        &mut self,
        c: &Condition,
        out: &mut BuiltExpression,
        is_key: bool,
    ) -> Result<String, ValueError> {
        let mut parts = Vec::with_capacity(c.operands.len());
        for operand in &c.operands {
            parts.push(self.operand(operand, out, is_key)?);
        }
        let mut text = c.format().replace("{operator}", c.operator);
        for (i, part) in parts.iter().enumerate() {
            text = text.replacen(&format!("{{{i}}}"), part, 1);
        }
        Ok(text)
    }

    fn operand(
        &mut self,
        operand: &Operand,
        out: &mut BuiltExpression,
        is_key: bool,
    ) -> Result<String, ValueError> {
        match operand {
            Operand::Condition(c) => self.condition(c, out, is_key),
            Operand::Name { name, key } => {
                if is_key && !key {
                    return Err(ValueError::new(format!(
                        "attribute {name} is an Attr: a KeyConditionExpression only takes Key \
                         conditions"
                    )));
                }
                Ok(self.name(name, out))
            }
            Operand::Size(name) => {
                if is_key {
                    return Err(ValueError::new(format!(
                        "size({name}) cannot be part of a KeyConditionExpression"
                    )));
                }
                Ok(self.name(name, out))
            }
            Operand::Value(v) => Ok(self.value(v, out)),
            Operand::Values(vs) => {
                let placeholders: Vec<String> = vs.iter().map(|v| self.value(v, out)).collect();
                Ok(format!("({})", placeholders.join(", ")))
            }
        }
    }

    /// `a.b[0].c` → `#n0.#n1[0].#n2`: every name part gets a placeholder; list indexes stay.
    fn name(&mut self, path: &str, out: &mut BuiltExpression) -> String {
        let mut text = String::with_capacity(path.len() + 8);
        for (is_name, piece) in name_pieces(path) {
            if is_name {
                let placeholder = format!("#n{}", self.name_count);
                self.name_count += 1;
                out.names
                    .insert(placeholder.as_str().into(), Document::from(piece));
                text.push_str(&placeholder);
            } else {
                text.push_str(piece);
            }
        }
        text
    }

    fn value(&mut self, v: &Document, out: &mut BuiltExpression) -> String {
        let placeholder = format!(":v{}", self.value_count);
        self.value_count += 1;
        out.values.insert(placeholder.as_str().into(), v.clone());
        placeholder
    }
}

/// Splits an attribute path into name parts (`true`) and the text between them (`false`), as
/// boto3's `[^.\[\]]+(?![^\[]*\])` does: a run of characters other than `.`, `[` and `]` is a
/// name unless a `]` comes before the next `[` (it is an index).
fn name_pieces(path: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let is_sep = |b: u8| matches!(b, b'.' | b'[' | b']');
    let (mut i, mut literal_start) = (0, 0);
    while i < bytes.len() {
        if is_sep(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_sep(bytes[i]) {
            i += 1;
        }
        let rest = &path[i..];
        let in_brackets = match (rest.find(']'), rest.find('[')) {
            (Some(close), Some(open)) => close < open,
            (Some(_), None) => true,
            _ => false,
        };
        if !in_brackets {
            if literal_start < start {
                out.push((false, &path[literal_start..start]));
            }
            out.push((true, &path[start..i]));
            literal_start = i;
        }
    }
    if literal_start < path.len() {
        out.push((false, &path[literal_start..]));
    }
    out
}

/// The key a condition is stored under when it travels in a [`Document`].
const CONDITION_KEY: &str = "boto:condition";

impl From<Condition> for Document {
    /// The condition as data, for a DynamoDB resource's expression parameters to build.
    fn from(c: Condition) -> Document {
        let mut m = Map::default();
        m.insert(CONDITION_KEY.into(), encode(&c));
        Document::Map(m)
    }
}

fn encode(c: &Condition) -> Document {
    let operands = c
        .operands
        .iter()
        .map(|o| {
            let (kind, v) = match o {
                Operand::Name { name, key: true } => ("key", Document::from(name.as_str())),
                Operand::Name { name, key: false } => ("attr", Document::from(name.as_str())),
                Operand::Size(name) => ("size", Document::from(name.as_str())),
                Operand::Value(v) => ("value", v.clone()),
                Operand::Values(vs) => ("values", Document::List(vs.clone())),
                Operand::Condition(c) => ("condition", encode(c)),
            };
            let mut m = Map::default();
            m.insert(kind.into(), v);
            Document::Map(m)
        })
        .collect();
    let mut m = Map::default();
    m.insert("operator".into(), Document::from(c.operator));
    m.insert("operands".into(), Document::List(operands));
    Document::Map(m)
}

const OPERATORS: &[&str] = &[
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "IN",
    "BETWEEN",
    "begins_with",
    "contains",
    "attribute_type",
    "size",
    "attribute_exists",
    "attribute_not_exists",
    "AND",
    "OR",
    "NOT",
];

impl TryFrom<&Document> for Condition {
    type Error = ValueError;

    /// A condition converted with `Document::from(condition)`.
    fn try_from(d: &Document) -> Result<Condition, ValueError> {
        decode(d.get(CONDITION_KEY).ok_or_else(|| {
            ValueError::new(format!("{d:?} is not a condition (Key(..).eq(..) etc.)"))
        })?)
    }
}

fn decode(d: &Document) -> Result<Condition, ValueError> {
    let bad = || ValueError::new(format!("{d:?} is not a condition"));
    let operator = d["operator"].as_str().ok_or_else(bad)?;
    let operator = OPERATORS.iter().find(|o| **o == operator).ok_or_else(bad)?;
    let operands = d["operands"]
        .iter()
        .map(|o| {
            let (kind, v) = o.as_map().and_then(|m| m.iter().next()).ok_or_else(bad)?;
            let text = || v.as_str().map(str::to_string).ok_or_else(bad);
            Ok(match kind.as_str() {
                "key" => Operand::Name {
                    name: text()?,
                    key: true,
                },
                "attr" => Operand::Name {
                    name: text()?,
                    key: false,
                },
                "size" => Operand::Size(text()?),
                "value" => Operand::Value(v.clone()),
                "values" => Operand::Values(v.as_list().ok_or_else(bad)?.to_vec()),
                "condition" => Operand::Condition(Box::new(decode(v)?)),
                _ => return Err(bad()),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Condition::new(operator, operands))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::doc;

    #[test]
    fn names_split_like_boto3() {
        let mut b = ConditionExpressionBuilder::new();
        let built = b.build(&Attr::new("a.b[0].c").eq(1), false).unwrap();
        assert_eq!(built.expression, "#n0.#n1[0].#n2 = :v0");
        assert_eq!(
            built.names,
            doc! {"#n0": "a", "#n1": "b", "#n2": "c"}
                .as_map()
                .unwrap()
                .clone()
        );
        assert_eq!(name_pieces("x[1][2]"), [(true, "x"), (false, "[1][2]")]);
    }

    #[test]
    fn key_conditions_refuse_attrs() {
        let mut b = ConditionExpressionBuilder::new();
        let err = b
            .build(&(Key::new("pk").eq(1) & Attr::new("x").eq(2)), true)
            .unwrap_err();
        assert!(err.to_string().contains("Key"), "{err}");
    }

    #[test]
    fn conditions_travel_in_documents() {
        let c = (Key::new("pk").eq("a") & Attr::new("t").size().between(1, 3))
            | !Attr::new("x").is_in(["p", "q"]);
        let d = Document::from(c.clone());
        assert_eq!(Condition::try_from(&d).unwrap(), c);
        assert!(Condition::try_from(&doc! {"operator": "="}).is_err());
        assert!(Condition::try_from(&doc! {"boto:condition": {"operator": "DROP"}}).is_err());
    }
}
