//! Runtime values of rule evaluation.
//!
//! Values borrow from the compiled rule set, the partitions and the caller's parameters (`'a`)
//! wherever possible; values computed during evaluation (parsed URLs, ARNs, substrings that cannot
//! borrow) are reference counted so that copying them into variables is cheap.

use std::borrow::Cow;
use std::fmt::Write;
use std::rc::Rc;

use serde_json::Value as Json;

use super::arn::ParsedArn;
use super::functions::ParsedUrl;
use super::partition::PartitionOutputs;

/// A string value: borrowed, or shared when computed.
#[derive(Debug, Clone)]
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Shared(Rc<str>),
}

impl<'a> Text<'a> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Shared(s) => s,
        }
    }

    /// `self[start..end]` (byte offsets on char boundaries), borrowing when possible.
    pub(crate) fn slice(&self, start: usize, end: usize) -> Option<Text<'a>> {
        match self {
            Text::Borrowed(s) => s.get(start..end).map(Text::Borrowed),
            Text::Shared(s) => s.get(start..end).map(|s| Text::Shared(Rc::from(s))),
        }
    }
}

/// A value during evaluation (Python's `None`, `bool`, `str`, lists and dicts).
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    None,
    Bool(bool),
    Str(Text<'a>),
    /// Any other JSON literal (numbers, arrays, objects) from the rule set or partitions.
    Json(&'a Json),
    /// A `stringArray` parameter.
    StrList(&'a [String]),
    /// A computed list of strings (ARN `resourceId`, `split`).
    Strings(Rc<[Rc<str>]>),
    /// The result of `aws.partition`.
    Partition(&'a PartitionOutputs),
    /// The result of `parseURL`.
    Url(Rc<ParsedUrl>),
    /// The result of `aws.parseArn`.
    Arn(Rc<ParsedArn>),
}

impl<'a> Value<'a> {
    /// Converts borrowed JSON, normalizing null, booleans and strings.
    pub(crate) fn from_json(json: &'a Json) -> Value<'a> {
        match json {
            Json::Null => Value::None,
            Json::Bool(b) => Value::Bool(*b),
            Json::String(s) => Value::Str(Text::Borrowed(s)),
            other => Value::Json(other),
        }
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(t) => Some(t.as_str()),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Value::Json(Json::Number(n)) => n.as_i64(),
            _ => None,
        }
    }

    /// Python truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Str(t) => !t.as_str().is_empty(),
            Value::Json(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            Value::Json(Json::Array(a)) => !a.is_empty(),
            Value::Json(Json::Object(o)) => !o.is_empty(),
            Value::Json(Json::String(s)) => !s.is_empty(),
            Value::Json(Json::Bool(b)) => *b,
            Value::Json(Json::Null) => false,
            Value::StrList(l) => !l.is_empty(),
            Value::Strings(l) => !l.is_empty(),
            Value::Partition(p) => !p.fields().is_empty(),
            Value::Url(_) | Value::Arn(_) => true,
        }
    }

    /// The Python type name, for error messages.
    pub(crate) fn py_type(&self) -> &'static str {
        match self {
            Value::None | Value::Json(Json::Null) => "NoneType",
            Value::Bool(_) | Value::Json(Json::Bool(_)) => "bool",
            Value::Str(_) | Value::Json(Json::String(_)) => "str",
            Value::Json(Json::Number(n)) => {
                if n.is_f64() {
                    "float"
                } else {
                    "int"
                }
            }
            Value::Json(Json::Array(_)) | Value::StrList(_) | Value::Strings(_) => "list",
            Value::Json(Json::Object(_)) | Value::Partition(_) | Value::Url(_) | Value::Arn(_) => {
                "dict"
            }
        }
    }

    /// The member `key` of a dict-like value (`None` when absent or not a dict).
    pub(crate) fn get_key(&self, key: &str) -> Option<Value<'a>> {
        match self {
            Value::Json(Json::Object(map)) => map.get(key).map(Value::from_json),
            Value::Partition(p) => p.get(key).map(Value::from_json),
            Value::Url(u) => u.get(key),
            Value::Arn(a) => a.get(key),
            _ => None,
        }
    }

    /// Element `index` of a list-like value or character `index` of a string.
    pub(crate) fn get_index(&self, index: usize) -> Option<Value<'a>> {
        match self {
            Value::Json(Json::Array(items)) => items.get(index).map(Value::from_json),
            Value::StrList(items) => items.get(index).map(|s| Value::Str(Text::Borrowed(s))),
            Value::Strings(items) => items
                .get(index)
                .map(|s| Value::Str(Text::Shared(s.clone()))),
            Value::Str(t) => {
                let (start, c) = t.as_str().char_indices().nth(index)?;
                t.slice(start, start + c.len_utf8()).map(Value::Str)
            }
            _ => None,
        }
    }

    /// Python `str(value)`.
    pub(crate) fn py_str(&self) -> Cow<'_, str> {
        match self {
            Value::Str(t) => Cow::Borrowed(t.as_str()),
            Value::None => Cow::Borrowed("None"),
            Value::Bool(true) => Cow::Borrowed("True"),
            Value::Bool(false) => Cow::Borrowed("False"),
            other => {
                let mut out = String::new();
                other.write_repr(&mut out);
                Cow::Owned(out)
            }
        }
    }

    /// Appends Python `repr(value)` (close enough for messages).
    fn write_repr(&self, out: &mut String) {
        match self {
            Value::None => out.push_str("None"),
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Str(t) => write_str_repr(t.as_str(), out),
            Value::Json(json) => write_json_repr(json, out, 0),
            Value::StrList(items) => write_list(items.iter().map(String::as_str), out),
            Value::Strings(items) => write_list(items.iter().map(|s| &**s), out),
            Value::Partition(p) => {
                out.push('{');
                for (i, (k, v)) in p.fields().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_str_repr(k, out);
                    out.push_str(": ");
                    write_json_repr(v, out, 0);
                }
                out.push('}');
            }
            Value::Url(u) => {
                let _ = write!(out, "{{'scheme': ");
                write_str_repr(&u.scheme, out);
                out.push_str(", 'authority': ");
                write_str_repr(&u.authority, out);
                out.push_str(", 'path': ");
                write_str_repr(&u.path, out);
                out.push_str(", 'normalizedPath': ");
                write_str_repr(&u.normalized_path, out);
                out.push_str(if u.is_ip {
                    ", 'isIp': True}"
                } else {
                    ", 'isIp': False}"
                });
            }
            Value::Arn(a) => {
                out.push_str("{'partition': ");
                write_str_repr(&a.partition, out);
                out.push_str(", 'service': ");
                write_str_repr(&a.service, out);
                out.push_str(", 'region': ");
                write_str_repr(&a.region, out);
                out.push_str(", 'accountId': ");
                write_str_repr(&a.account_id, out);
                out.push_str(", 'resourceId': ");
                write_list(a.resource_id.iter().map(|s| &**s), out);
                out.push('}');
            }
        }
    }
}

fn write_list<'s>(items: impl Iterator<Item = &'s str>, out: &mut String) {
    out.push('[');
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_str_repr(s, out);
    }
    out.push(']');
}

fn write_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

fn write_json_repr(json: &Json, out: &mut String, depth: usize) {
    if depth > 64 {
        out.push_str("...");
        return;
    }
    match json {
        Json::Null => out.push_str("None"),
        Json::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Json::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Json::String(s) => write_str_repr(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json_repr(v, out, depth + 1);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str_repr(k, out);
                out.push_str(": ");
                write_json_repr(v, out, depth + 1);
            }
            out.push('}');
        }
    }
}
