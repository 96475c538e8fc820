//! The built-in functions, with the signatures and argument checks of the Python `jmespath`
//! package: a call with the wrong number of arguments, or an argument of a type its signature
//! does not allow, is an error (which makes the whole search null), and the results keep
//! Python's int/float distinction (`sum` of ints is an int, `avg` a float, `ceil` an int).

use super::dumps::dumps;
use super::eval::eval;
use super::lexer::is_python_space;
use super::value::{compare_numbers, python_eq, Number, Value, TWO_63};
use super::Error;
use indexmap::IndexMap;
use std::cmp::Ordering;

/// What an argument may be; an `Array*` type also requires the elements' type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Type {
    Any,
    Number,
    String,
    Array,
    Object,
    Expref,
    ArrayNumber,
    ArrayString,
}

use Type::{Any, Array, ArrayNumber, ArrayString, Expref, Number as Num, Object, String as Str};

type Body = for<'a> fn(Vec<Value<'a>>) -> Result<Value<'a>, Error>;

/// A function: its name, the types each argument may have, whether the last argument repeats
/// (at least one, and only the first is type-checked, as in Python), and the body.
struct Function {
    name: &'static str,
    args: &'static [&'static [Type]],
    variadic: bool,
    body: Body,
}

const fn f(name: &'static str, args: &'static [&'static [Type]], body: Body) -> Function {
    Function {
        name,
        args,
        variadic: false,
        body,
    }
}

const fn variadic(name: &'static str, args: &'static [&'static [Type]], body: Body) -> Function {
    Function {
        name,
        args,
        variadic: true,
        body,
    }
}

static FUNCTIONS: &[Function] = &[
    f("abs", &[&[Num]], abs),
    f("avg", &[&[ArrayNumber]], avg),
    f("ceil", &[&[Num]], |a| round(a, f64::ceil)),
    f("contains", &[&[Array, Str], &[Any]], contains),
    f("ends_with", &[&[Str], &[Str]], |a| affix(a, false)),
    f("floor", &[&[Num]], |a| round(a, f64::floor)),
    f("join", &[&[Str], &[ArrayString]], join),
    f("keys", &[&[Object]], keys),
    f("length", &[&[Str, Array, Object]], length),
    f("map", &[&[Expref], &[Array]], map),
    f("max", &[&[ArrayNumber, ArrayString]], |a| {
        extreme(a, Ordering::Greater)
    }),
    f("max_by", &[&[Array], &[Expref]], |a| {
        extreme_by(a, Ordering::Greater)
    }),
    variadic("merge", &[&[Object]], merge),
    f("min", &[&[ArrayNumber, ArrayString]], |a| {
        extreme(a, Ordering::Less)
    }),
    f("min_by", &[&[Array], &[Expref]], |a| {
        extreme_by(a, Ordering::Less)
    }),
    variadic("not_null", &[&[Any]], not_null),
    f("reverse", &[&[Array, Str]], reverse),
    f("sort", &[&[ArrayString, ArrayNumber]], sort),
    f("sort_by", &[&[Array], &[Expref]], sort_by),
    f("starts_with", &[&[Str], &[Str]], |a| affix(a, true)),
    f("sum", &[&[ArrayNumber]], sum),
    f("to_array", &[&[Any]], to_array),
    f("to_number", &[&[Any]], to_number),
    f("to_string", &[&[Any]], to_string),
    f("type", &[&[Any]], type_of),
    f("values", &[&[Object]], values),
];

/// Calls the function `name` with evaluated arguments.
pub(super) fn call<'a>(name: &str, args: Vec<Value<'a>>) -> Result<Value<'a>, Error> {
    let function = FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .ok_or(Error::UnknownFunction)?;
    let arity_ok = if function.variadic {
        args.len() >= function.args.len()
    } else {
        args.len() == function.args.len()
    };
    if !arity_ok {
        return Err(Error::Arity);
    }
    for (arg, allowed) in args.iter().zip(function.args) {
        check_type(arg, allowed)?;
    }
    (function.body)(args)
}

fn check_type(arg: &Value<'_>, allowed: &[Type]) -> Result<(), Error> {
    if allowed.contains(&Any) {
        return Ok(());
    }
    let top = allowed.iter().any(|t| match t {
        Num => arg.number().is_some(),
        Str => arg.is_string(),
        Array | ArrayNumber | ArrayString => arg.items().is_some(),
        Object => arg.members().is_some(),
        Expref => matches!(arg, Value::Expref(_)),
        Any => true,
    });
    if !top {
        return Err(Error::Type);
    }
    let element_types: Vec<Type> = allowed
        .iter()
        .copied()
        .filter(|t| matches!(t, ArrayNumber | ArrayString))
        .collect();
    let Some(items) = arg.items() else {
        return Ok(());
    };
    let is = |t: Type, v: &Value<'_>| match t {
        ArrayNumber => v.number().is_some(),
        _ => v.is_string(),
    };
    // With one element type every element must have it; with a choice, the first element
    // picks it (an empty list passes), as Python checks.
    let required = match element_types.as_slice() {
        [] => return Ok(()),
        [only] => *only,
        choices => match items.get(0) {
            None => return Ok(()),
            Some(first) => *choices
                .iter()
                .find(|t| is(**t, &first))
                .ok_or(Error::Type)?,
        },
    };
    if items.iter().all(|v| is(required, &v)) {
        Ok(())
    } else {
        Err(Error::Type)
    }
}

/// The arguments, which `call` has counted, as an array.
fn take<const N: usize>(args: Vec<Value<'_>>) -> Result<[Value<'_>; N], Error> {
    args.try_into().map_err(|_| Error::Arity)
}

fn number(v: &Value<'_>) -> Result<Number, Error> {
    v.number().ok_or(Error::Type)
}

fn abs(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [n] = take(args)?;
    Ok(match number(&n)? {
        // Python's ints do not overflow; the one i64 without a positive twin becomes a float.
        Number::Int(i) => i
            .checked_abs()
            .map_or(Value::Float((i as f64).abs()), Value::Int),
        Number::Float(x) => Value::Float(x.abs()),
    })
}

/// Python's `sum`: exact over ints, a float from the first float on (and, where Python's
/// ints would grow past 64 bits, a float here).
fn add(total: Number, n: Number) -> Number {
    match (total, n) {
        (Number::Int(a), Number::Int(b)) => a
            .checked_add(b)
            .map_or(Number::Float(a as f64 + b as f64), Number::Int),
        (a, b) => Number::Float(a.as_f64() + b.as_f64()),
    }
}

fn total(list: &Value<'_>) -> Result<(Number, usize), Error> {
    let items = list.items().ok_or(Error::Type)?;
    let mut sum = Number::Int(0);
    for item in items.iter() {
        sum = add(sum, number(&item)?);
    }
    Ok((sum, items.len()))
}

fn avg(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [list] = take(args)?;
    let (sum, count) = total(&list)?;
    if count == 0 {
        return Ok(Value::Null);
    }
    Ok(Value::Float(sum.as_f64() / count as f64))
}

fn sum(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [list] = take(args)?;
    Ok(total(&list)?.0.value())
}

/// `ceil` / `floor`: Python's `math` versions return ints, and fail on NaN and infinities.
fn round(args: Vec<Value<'_>>, how: fn(f64) -> f64) -> Result<Value<'_>, Error> {
    let [n] = take(args)?;
    match number(&n)? {
        Number::Int(i) => Ok(Value::Int(i)),
        Number::Float(x) if !x.is_finite() => Err(Error::InvalidValue),
        Number::Float(x) => {
            let whole = how(x);
            if (-TWO_63..TWO_63).contains(&whole) {
                Ok(Value::Int(whole as i64))
            } else {
                Ok(Value::Float(whole))
            }
        }
    }
}

fn contains(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [subject, search] = take(args)?;
    if let Some(items) = subject.items() {
        return Ok(Value::Bool(items.iter().any(|v| python_eq(&v, &search))));
    }
    // Python's `in` on a string takes only a string.
    let (Some(text), Some(part)) = (subject.text(), search.text()) else {
        return Err(Error::Type);
    };
    Ok(Value::Bool(text.contains(&*part)))
}

fn affix(args: Vec<Value<'_>>, prefix: bool) -> Result<Value<'_>, Error> {
    let [subject, affix] = take(args)?;
    let (Some(text), Some(affix)) = (subject.text(), affix.text()) else {
        return Err(Error::Type);
    };
    Ok(Value::Bool(if prefix {
        text.starts_with(&*affix)
    } else {
        text.ends_with(&*affix)
    }))
}

fn join(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [separator, list] = take(args)?;
    let separator = separator.text().ok_or(Error::Type)?;
    let items = list.items().ok_or(Error::Type)?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&separator);
        }
        out.push_str(&item.text().ok_or(Error::Type)?);
    }
    Ok(Value::string(out))
}

fn keys(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [map] = take(args)?;
    let members = map.members().ok_or(Error::Type)?;
    Value::list(members.iter().map(|(k, _)| Value::string(k)).collect())
}

fn values(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [map] = take(args)?;
    let members = map.members().ok_or(Error::Type)?;
    Value::list(members.iter().map(|(_, v)| v).collect())
}

fn length(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    // Python counts a string's code points.
    let n = match (v.text(), v.items(), v.members()) {
        (Some(text), _, _) => text.chars().count(),
        (_, Some(items), _) => items.len(),
        (_, _, Some(members)) => members.len(),
        _ => return Err(Error::Type),
    };
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn expref<'a>(v: &Value<'a>) -> Result<&'a super::ast::Node, Error> {
    match v {
        Value::Expref(node) => Ok(node),
        _ => Err(Error::Type),
    }
}

fn map(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [expression, list] = take(args)?;
    let node = expref(&expression)?;
    let items = list.items().ok_or(Error::Type)?;
    // Unlike a projection, `map` keeps null results.
    let out = items
        .iter()
        .map(|item| eval(node, &item))
        .collect::<Result<Vec<_>, _>>()?;
    Value::list(out)
}

/// A sort key or extreme candidate: numbers and strings, which never mix (Python cannot order
/// a number against a string).
enum Key<'v> {
    Number(Number),
    Text(std::borrow::Cow<'v, str>),
}

fn key_of<'v>(v: &'v Value<'_>) -> Result<Key<'v>, Error> {
    if let Some(n) = v.number() {
        return Ok(Key::Number(n));
    }
    v.text().map(Key::Text).ok_or(Error::Type)
}

/// A total order on keys of one kind, for sorting: Python's order of numbers, with NaN (which
/// Python's `<` leaves unordered) after every number so that sorting stays well defined.
fn key_order(a: &Key<'_>, b: &Key<'_>) -> Ordering {
    match (a, b) {
        (Key::Number(x), Key::Number(y)) => {
            compare_numbers(*x, *y).unwrap_or_else(|| x.as_f64().is_nan().cmp(&y.as_f64().is_nan()))
        }
        (Key::Text(x), Key::Text(y)) => x.cmp(y),
        (Key::Number(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Number(_)) => Ordering::Greater,
    }
}

/// Python's `a > b` (`want` Greater) or `a < b` (`want` Less); a NaN makes it false.
fn beats(a: &Key<'_>, b: &Key<'_>, want: Ordering) -> bool {
    match (a, b) {
        (Key::Number(x), Key::Number(y)) => compare_numbers(*x, *y) == Some(want),
        _ => key_order(a, b) == want,
    }
}

/// The keys, all numbers or all strings, else a type error.
fn uniform(keys: &[Key<'_>]) -> Result<(), Error> {
    let numbers = keys.iter().filter(|k| matches!(k, Key::Number(_))).count();
    if numbers == 0 || numbers == keys.len() {
        Ok(())
    } else {
        Err(Error::Type)
    }
}

/// The position of the greatest (`want` Greater) or least key, the first of several that tie,
/// as Python's `max` / `min` pick it.
fn pick(keys: &[Key<'_>], want: Ordering) -> Option<usize> {
    let mut best = 0;
    for i in 1..keys.len() {
        if beats(&keys[i], &keys[best], want) {
            best = i;
        }
    }
    (!keys.is_empty()).then_some(best)
}

fn extreme(args: Vec<Value<'_>>, want: Ordering) -> Result<Value<'_>, Error> {
    let [list] = take(args)?;
    let items: Vec<Value<'_>> = list.items().ok_or(Error::Type)?.iter().collect();
    let keys = items.iter().map(key_of).collect::<Result<Vec<_>, _>>()?;
    uniform(&keys)?;
    Ok(pick(&keys, want).map_or(Value::Null, |i| items[i].clone()))
}

/// The elements of `list`, and the key `node` gives each.
fn keyed<'a>(
    list: &Value<'a>,
    node: &'a super::ast::Node,
) -> Result<(Vec<Value<'a>>, Vec<Value<'a>>), Error> {
    let items: Vec<Value<'a>> = list.items().ok_or(Error::Type)?.iter().collect();
    let keys = items
        .iter()
        .map(|item| eval(node, item))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, keys))
}

fn extreme_by(args: Vec<Value<'_>>, want: Ordering) -> Result<Value<'_>, Error> {
    let [list, expression] = take(args)?;
    let node = expref(&expression)?;
    if list.items().is_some_and(|items| items.is_empty()) {
        return Ok(Value::Null);
    }
    let (items, key_values) = keyed(&list, node)?;
    let keys = key_values
        .iter()
        .map(key_of)
        .collect::<Result<Vec<_>, _>>()?;
    uniform(&keys)?;
    Ok(pick(&keys, want).map_or(Value::Null, |i| items[i].clone()))
}

/// `items` in the stable order of `keys`.
fn sorted<'a>(items: &[Value<'a>], keys: &[Key<'_>]) -> Result<Value<'a>, Error> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&i, &j| key_order(&keys[i], &keys[j]));
    Value::list(order.into_iter().map(|i| items[i].clone()).collect())
}

fn sort(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [list] = take(args)?;
    let items: Vec<Value<'_>> = list.items().ok_or(Error::Type)?.iter().collect();
    let keys = items.iter().map(key_of).collect::<Result<Vec<_>, _>>()?;
    uniform(&keys)?;
    sorted(&items, &keys)
}

fn sort_by(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [list, expression] = take(args)?;
    let node = expref(&expression)?;
    if list.items().is_some_and(|items| items.is_empty()) {
        return Ok(list);
    }
    let (items, key_values) = keyed(&list, node)?;
    let keys = key_values
        .iter()
        .map(key_of)
        .collect::<Result<Vec<_>, _>>()?;
    // The first key's type (number or string) is the one every key must have.
    uniform(&keys)?;
    sorted(&items, &keys)
}

fn merge(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let mut merged = IndexMap::new();
    for arg in &args {
        match arg.members() {
            Some(members) => {
                for (k, v) in members.iter() {
                    merged.insert(k.to_string(), v);
                }
            }
            None => update_from_pairs(&mut merged, arg)?,
        }
    }
    Value::map(merged)
}

/// Python checks only `merge`'s first argument and hands the others to `dict.update`, which
/// also takes any iterable of two-item sequences: a list of `[key, value]` lists, of two-letter
/// strings, or of two-key maps (their keys), and an empty string or list. A key that is not a
/// string (Python would make a map keyed by a number) has no place in a document: an error.
fn update_from_pairs<'a>(
    merged: &mut IndexMap<String, Value<'a>>,
    arg: &Value<'a>,
) -> Result<(), Error> {
    let Some(items) = arg.items() else {
        return match arg.text() {
            Some(text) if text.is_empty() => Ok(()),
            _ => Err(Error::Type),
        };
    };
    for item in items.iter() {
        let pair: Vec<Value<'a>> = if let Some(inner) = item.items() {
            inner.iter().collect()
        } else if let Some(members) = item.members() {
            members.iter().map(|(k, _)| Value::string(k)).collect()
        } else if let Some(text) = item.text() {
            text.chars().map(|c| Value::string(c.to_string())).collect()
        } else {
            return Err(Error::Type);
        };
        let [key, value] = <[Value<'a>; 2]>::try_from(pair).map_err(|_| Error::InvalidValue)?;
        let key = key.text().ok_or(Error::Type)?.into_owned();
        merged.insert(key, value);
    }
    Ok(())
}

fn not_null(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    Ok(args
        .into_iter()
        .find(|v| !v.is_null())
        .unwrap_or(Value::Null))
}

fn reverse(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    if let Some(items) = v.items() {
        return Value::list(items.iter().rev().collect());
    }
    let text = v.text().ok_or(Error::Type)?;
    Ok(Value::string(text.chars().rev().collect::<String>()))
}

fn to_array(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    if v.items().is_some() {
        Ok(v)
    } else {
        Value::list(vec![v])
    }
}

fn to_number(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    if let Some(n) = v.number() {
        return Ok(n.value());
    }
    if let Some(text) = v.text() {
        return Ok(python_number(&text).map_or(Value::Null, Number::value));
    }
    match v {
        // Python's `int()` of an expression object is a TypeError, not a null.
        Value::Expref(_) => Err(Error::Type),
        _ => Ok(Value::Null),
    }
}

/// What Python's `int(text)`, failing that `float(text)`, reads (ASCII digits only; Python
/// also reads other scripts' decimal digits).
fn python_number(text: &str) -> Option<Number> {
    let text = text.trim_matches(is_python_space);
    if !underscores_between_digits(text) {
        return None;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Some(match plain.parse::<i64>() {
            Ok(i) => Number::Int(i),
            // Past i64 Python's int is exact; ours is the nearest float.
            Err(_) => Number::Float(plain.parse::<f64>().ok()?),
        });
    }
    plain.parse::<f64>().ok().map(Number::Float)
}

/// Python allows `_` in numbers only between two digits (`1_000`).
fn underscores_between_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_'
            || (i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

fn to_string(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    if let Some(text) = v.text() {
        return Ok(Value::string(text.into_owned()));
    }
    Ok(Value::string(dumps(&v)?))
}

fn type_of(args: Vec<Value<'_>>) -> Result<Value<'_>, Error> {
    let [v] = take(args)?;
    Ok(match v {
        // Python's `type()` has no answer for an expression reference.
        Value::Expref(_) => Value::Null,
        other => Value::string(other.type_name()),
    })
}
