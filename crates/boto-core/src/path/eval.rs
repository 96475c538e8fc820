//! Evaluating a tree against a value, node by node as the Python `jmespath` interpreter does:
//! projections drop null results, filters and `||` / `&&` / `!` use JMESPath truthiness,
//! multi-selects of null are null, and anything that is not the kind a node expects (a field
//! of a list, an index of a map) is null rather than an error.

use super::ast::{Comparator, Kind, Node};
use super::functions;
use super::value::{equals, order, Order, Value};
use super::Error;
use crate::document::Document;
use indexmap::IndexMap;
use std::cmp::Ordering;

/// The value of `node` applied to `value`.
///
/// Each kind's work is a function of its own: this function is the one that recurses, and in a
/// debug build its frame holds a slot for every temporary of every arm, so the arms stay calls.
pub(super) fn eval<'a>(node: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    match &node.kind {
        Kind::Identity | Kind::Current => Ok(value.clone()),
        Kind::Field(name) => Ok(field(value, name)),
        Kind::Subexpression(chain) | Kind::IndexExpression(chain) => chain_of(chain, value),
        Kind::Index(i) => Ok(index(value, *i)),
        Kind::Slice(start, stop, step) => slice(value, *start, *stop, *step),
        Kind::Projection(left, right) => projection(left, right, value),
        Kind::ValueProjection(left, right) => value_projection(left, right, value),
        Kind::FilterProjection(left, right, condition) => filter(left, right, condition, value),
        Kind::Flatten(inner) => flatten(inner, value),
        Kind::Literal(doc) => Ok(Value::from_doc(doc)),
        Kind::MultiSelectList(items) => multi_select_list(items, value),
        Kind::MultiSelectHash(pairs) => multi_select_hash(pairs, value),
        Kind::Or(left, right) => or(left, right, value),
        Kind::And(left, right) => and(left, right, value),
        Kind::Not(inner) => not(inner, value),
        Kind::Pipe(left, right) => pipe(left, right, value),
        Kind::Compare(op, left, right) => compare(*op, left, right, value),
        Kind::Function(name, args) => function(name, args, value),
        Kind::Expref(inner) => Ok(Value::Expref(inner)),
    }
}

fn chain_of<'a>(chain: &'a [Node], value: &Value<'a>) -> Result<Value<'a>, Error> {
    let mut at = value.clone();
    for step in chain {
        at = eval(step, &at)?;
    }
    Ok(at)
}

fn projection<'a>(left: &'a Node, right: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let base = eval(left, value)?;
    match base.items() {
        Some(items) => project(items.iter(), right),
        None => Ok(Value::Null),
    }
}

fn value_projection<'a>(
    left: &'a Node,
    right: &'a Node,
    value: &Value<'a>,
) -> Result<Value<'a>, Error> {
    let base = eval(left, value)?;
    match base.members() {
        Some(members) => project(members.iter().map(|(_, v)| v), right),
        None => Ok(Value::Null),
    }
}

fn multi_select_list<'a>(items: &'a [Node], value: &Value<'a>) -> Result<Value<'a>, Error> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let values = items
        .iter()
        .map(|item| eval(item, value))
        .collect::<Result<Vec<_>, _>>()?;
    Value::list(values)
}

fn multi_select_hash<'a>(
    pairs: &'a [(String, Node)],
    value: &Value<'a>,
) -> Result<Value<'a>, Error> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let mut members = IndexMap::with_capacity(pairs.len());
    for (key, item) in pairs {
        members.insert(key.clone(), eval(item, value)?);
    }
    Value::map(members)
}

fn or<'a>(left: &'a Node, right: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let first = eval(left, value)?;
    if first.is_truthy() {
        Ok(first)
    } else {
        eval(right, value)
    }
}

fn and<'a>(left: &'a Node, right: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let first = eval(left, value)?;
    if first.is_truthy() {
        eval(right, value)
    } else {
        Ok(first)
    }
}

fn not<'a>(inner: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let v = eval(inner, value)?;
    // Python's `jmespath` makes `!0` false: numbers are all true here.
    Ok(Value::Bool(v.number().is_none() && !v.is_truthy()))
}

fn pipe<'a>(left: &'a Node, right: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let first = eval(left, value)?;
    eval(right, &first)
}

fn function<'a>(name: &str, args: &'a [Node], value: &Value<'a>) -> Result<Value<'a>, Error> {
    let values = args
        .iter()
        .map(|arg| eval(arg, value))
        .collect::<Result<Vec<_>, _>>()?;
    functions::call(name, values)
}

fn field<'a>(value: &Value<'a>, name: &str) -> Value<'a> {
    match value {
        Value::Doc(Document::Map(m)) => m.get(name).map_or(Value::Null, Value::from_doc),
        Value::Map(m, _) => m.get(name).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

fn index<'a>(value: &Value<'a>, i: i64) -> Value<'a> {
    let Some(items) = value.items() else {
        return Value::Null;
    };
    let at = if i < 0 {
        i.checked_add(items.len() as i64)
    } else {
        Some(i)
    };
    at.and_then(|at| usize::try_from(at).ok())
        .and_then(|at| items.get(at))
        .unwrap_or(Value::Null)
}

/// Python's list slicing, bounds clamped; a step of 0 is an error.
fn slice<'a>(
    value: &Value<'a>,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Result<Value<'a>, Error> {
    let Some(items) = value.items() else {
        return Ok(Value::Null);
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(Error::InvalidValue);
    }
    let len = items.len() as i64;
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let bound = |given: Option<i64>, default: i64| match given {
        None => default,
        Some(n) if n < 0 => (n + len).max(lower),
        Some(n) => n.min(upper),
    };
    let (from, to) = if step < 0 {
        (bound(start, upper), bound(stop, lower))
    } else {
        (bound(start, lower), bound(stop, upper))
    };
    let mut out = Vec::new();
    let mut at = from;
    while (step > 0 && at < to) || (step < 0 && at > to) {
        if let Some(item) = usize::try_from(at).ok().and_then(|i| items.get(i)) {
            out.push(item);
        }
        match at.checked_add(step) {
            Some(next) => at = next,
            None => break,
        }
    }
    Value::list(out)
}

/// `right` applied to each element, null results dropped.
fn project<'a>(
    elements: impl Iterator<Item = Value<'a>>,
    right: &'a Node,
) -> Result<Value<'a>, Error> {
    let mut out = Vec::new();
    for element in elements {
        let v = eval(right, &element)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Value::list(out)
}

fn filter<'a>(
    left: &'a Node,
    right: &'a Node,
    condition: &'a Node,
    value: &Value<'a>,
) -> Result<Value<'a>, Error> {
    let base = eval(left, value)?;
    let Some(items) = base.items() else {
        return Ok(Value::Null);
    };
    let mut out = Vec::new();
    for element in items.iter() {
        if eval(condition, &element)?.is_truthy() {
            let v = eval(right, &element)?;
            if !v.is_null() {
                out.push(v);
            }
        }
    }
    Value::list(out)
}

fn flatten<'a>(inner: &'a Node, value: &Value<'a>) -> Result<Value<'a>, Error> {
    let base = eval(inner, value)?;
    let Some(items) = base.items() else {
        return Ok(Value::Null);
    };
    let mut out = Vec::with_capacity(items.len());
    for element in items.iter() {
        match element.items() {
            Some(inner) => out.extend(inner.iter()),
            None => out.push(element),
        }
    }
    Value::list(out)
}

fn compare<'a>(
    op: Comparator,
    left: &'a Node,
    right: &'a Node,
    value: &Value<'a>,
) -> Result<Value<'a>, Error> {
    let a = &eval(left, value)?;
    let b = &eval(right, value)?;
    let holds = match op {
        Comparator::Eq => equals(a, b),
        Comparator::Ne => !equals(a, b),
        _ => match order(a, b)? {
            Order::Unorderable => return Ok(Value::Null),
            Order::NaN => false,
            Order::Is(ordering) => match op {
                Comparator::Lt => ordering == Ordering::Less,
                Comparator::Lte => ordering != Ordering::Greater,
                Comparator::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            },
        },
    };
    Ok(Value::Bool(holds))
}
