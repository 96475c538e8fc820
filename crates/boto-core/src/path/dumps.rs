//! Values as JSON text the way Python's `json.dumps(value, separators=(',', ':'))` writes it,
//! which is what `to_string` returns in boto3: members in order, non-ASCII and DEL escaped as
//! `\uXXXX` (UTF-16 units), floats as Python's `repr` (`1e+16`, `1e-05`, `NaN`, `Infinity`).

use super::value::Value;
use super::Error;
use crate::encoding::python_string;
use std::fmt::Write as _;

enum Pending<'a> {
    Value(Value<'a>),
    Key(String),
    Text(&'static str),
}

/// The JSON text of `value`, without recursion (a document may nest arbitrarily deep).
pub(super) fn dumps(value: &Value<'_>) -> Result<String, Error> {
    let mut out = String::new();
    let mut stack = vec![Pending::Value(value.clone())];
    while let Some(next) = stack.pop() {
        let value = match next {
            Pending::Text(t) => {
                out.push_str(t);
                continue;
            }
            Pending::Key(k) => {
                python_string(&k, &mut out);
                out.push(':');
                continue;
            }
            Pending::Value(v) => v,
        };
        match &value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => write_float(*f, &mut out),
            Value::Expref(_) => return Err(Error::Type),
            other => {
                if let Some(text) = other.text() {
                    python_string(&text, &mut out);
                } else if let Some(items) = other.items() {
                    out.push('[');
                    stack.push(Pending::Text("]"));
                    let items: Vec<Value<'_>> = items.iter().collect();
                    for (i, item) in items.into_iter().enumerate().rev() {
                        stack.push(Pending::Value(item));
                        if i > 0 {
                            stack.push(Pending::Text(","));
                        }
                    }
                } else if let Some(members) = other.members() {
                    out.push('{');
                    stack.push(Pending::Text("}"));
                    let members: Vec<(String, Value<'_>)> =
                        members.iter().map(|(k, v)| (k.to_string(), v)).collect();
                    for (i, (key, item)) in members.into_iter().enumerate().rev() {
                        stack.push(Pending::Value(item));
                        stack.push(Pending::Key(key));
                        if i > 0 {
                            stack.push(Pending::Text(","));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Python's `repr` of a float: the shortest text that reads back the same (as Rust's `{:?}`
/// picks it, with the same switch to exponent form below 1e-4 and from 1e16), with the
/// exponent signed and at least two digits.
fn write_float(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let text = format!("{f:?}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => {
                let (sign, digits) = match exponent.strip_prefix('-') {
                    Some(digits) => ('-', digits),
                    None => ('+', exponent),
                };
                out.push_str(mantissa);
                out.push('e');
                out.push(sign);
                if digits.len() < 2 {
                    out.push('0');
                }
                out.push_str(digits);
            }
            None => out.push_str(&text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(f: f64) -> String {
        let mut out = String::new();
        write_float(f, &mut out);
        out
    }

    #[test]
    fn floats_as_python_repr() {
        // What Python 3.11's repr() gives for each.
        for (f, python) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e100, "1e+100"),
            (123456789012345680000.0, "1.2345678901234568e+20"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(float(f), python, "{f:?}");
        }
    }

    #[test]
    fn strings_as_python_ensure_ascii() {
        let mut out = String::new();
        python_string("a\"\\\n\u{1}\u{7f}é😀/", &mut out);
        assert_eq!(out, r#""a\"\\\n\u0001\u007f\u00e9\ud83d\ude00/""#);
    }
}
