//! How one scalar is written to and read from the wire, for every protocol: timestamps in their
//! formats, floats with their special names (`NaN`, `Infinity`, `-Infinity`), blobs as base64,
//! and the loose input forms botocore accepts for typed members (epoch numbers or date strings
//! for timestamps, text for blobs, names for floats). A leaf: it uses the model and the document
//! type, and no other protocol module.

use super::ProtocolError;
use crate::document::{Document, Timestamp};
use crate::encoding::{base64_decode, base64_encode};
use crate::model::{Member, ServiceModel, ShapeId, ShapeType, TimestampFormat};
use std::borrow::Cow;

/// Formats a timestamp in a wire format.
pub(super) fn format_timestamp(t: Timestamp, fmt: TimestampFormat) -> String {
    match fmt {
        TimestampFormat::Iso8601 => t.to_iso8601(),
        TimestampFormat::Rfc822 => t.to_rfc822(),
        TimestampFormat::UnixTimestamp => t.to_epoch_string(),
    }
}

/// Reads a timestamp in the given format (falling back to any known format, as botocore does).
pub(super) fn parse_timestamp(
    text: &str,
    fmt: Option<TimestampFormat>,
) -> Result<Timestamp, ProtocolError> {
    let parsed = match fmt {
        Some(TimestampFormat::Iso8601) => Timestamp::parse_iso8601(text),
        Some(TimestampFormat::Rfc822) => Timestamp::parse_rfc822(text),
        Some(TimestampFormat::UnixTimestamp) => Timestamp::parse_epoch(text),
        None => Timestamp::parse_any(text),
    };
    parsed
        .or_else(|_| Timestamp::parse_any(text))
        .map_err(|e| ProtocolError::Parse(e.to_string()))
}

/// A float as the wire writes it: `NaN`, `Infinity`, `-Infinity` or the shortest round-trip form.
pub(super) fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        let s = format!("{f}");
        s
    }
}

/// Parses a float, accepting the special values.
pub(super) fn parse_float_text(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// Converts the text of a header or an XML element to `member`'s scalar type. `default_ts` is
/// the timestamp format when neither member nor shape names one (`None`: any known format);
/// `what` names the value in errors.
pub(super) fn scalar_from_text(
    model: &ServiceModel,
    member: &Member,
    text: &str,
    default_ts: Option<TimestampFormat>,
    what: &str,
) -> Result<Document, ProtocolError> {
    let shape = model.shape(member.target);
    let bad = |kind: &str| ProtocolError::Parse(format!("{what} is not a valid {kind}: {text:?}"));
    Ok(match shape.shape_type {
        ShapeType::Boolean => Document::Bool(match text.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(bad("boolean")),
        }),
        ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Short
        | ShapeType::Byte
        | ShapeType::BigInteger => Document::Int(text.trim().parse().map_err(|_| bad("integer"))?),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => {
            Document::Float(parse_float_text(text.trim()).ok_or_else(|| bad("number"))?)
        }
        ShapeType::Timestamp => Document::Timestamp(parse_timestamp(
            text.trim(),
            member
                .timestamp_format
                .or(shape.timestamp_format)
                .or(default_ts),
        )?),
        ShapeType::Blob => {
            Document::Blob(base64_decode(text).map_err(|_| bad("base64 blob"))?.into())
        }
        _ => Document::String(text.to_string()),
    })
}

/// A timestamp from a timestamp, an epoch number, or a date string (any known format or epoch
/// seconds).
pub(super) fn timestamp(value: &Document) -> Option<Timestamp> {
    match value {
        Document::Timestamp(t) => Some(*t),
        Document::Int(i) => Some(Timestamp::from_secs(*i)),
        Document::Float(f) => Timestamp::from_epoch_f64(*f),
        Document::String(s) => Timestamp::parse_any(s).ok().or_else(|| {
            s.trim()
                .parse::<f64>()
                .ok()
                .and_then(Timestamp::from_epoch_f64)
        }),
        _ => None,
    }
}

/// Blob bytes from bytes or UTF-8 text.
pub(super) fn blob(value: &Document) -> Option<&[u8]> {
    match value {
        Document::Blob(b) => Some(b),
        Document::String(s) => Some(s.as_bytes()),
        _ => None,
    }
}

/// A float from a number or a special-value name.
pub(super) fn float(value: &Document) -> Option<f64> {
    match value {
        Document::Float(f) => Some(*f),
        Document::Int(i) => Some(*i as f64),
        Document::String(s) => parse_float_text(s),
        _ => None,
    }
}

/// Renders a scalar for a header, label, query value, form field or XML text, directed by the
/// target shape: timestamps in `fmt`, blobs as base64, floats with their special names. `None`
/// for values that are not scalars of a usable kind.
pub(super) fn scalar_text(
    shape_type: ShapeType,
    value: &Document,
    fmt: TimestampFormat,
) -> Option<String> {
    scalar_str(shape_type, value, fmt).map(Cow::into_owned)
}

/// [`scalar_text`], borrowing a string value instead of copying it.
pub(super) fn scalar_str(
    shape_type: ShapeType,
    value: &Document,
    fmt: TimestampFormat,
) -> Option<Cow<'_, str>> {
    let text = match shape_type {
        ShapeType::Timestamp => timestamp(value).map(|t| format_timestamp(t, fmt)),
        ShapeType::Blob => blob(value).map(base64_encode),
        ShapeType::Float | ShapeType::Double => match value {
            Document::Float(f) => Some(float_text(*f)),
            Document::Int(i) => Some(i.to_string()),
            Document::String(s) => return Some(Cow::Borrowed(s)),
            _ => None,
        },
        _ => match value {
            Document::String(s) => return Some(Cow::Borrowed(s)),
            Document::Bool(b) => return Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Document::Int(i) => Some(i.to_string()),
            Document::Float(f) => Some(float_text(*f)),
            Document::Blob(b) => Some(base64_encode(b)),
            Document::Timestamp(t) => Some(format_timestamp(*t, fmt)),
            _ => None,
        },
    };
    text.map(Cow::Owned)
}

/// The effective timestamp format of a member: the member's, else the target shape's, else the
/// protocol's default for that location.
pub(super) fn ts_format(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    default: TimestampFormat,
) -> TimestampFormat {
    member
        .and_then(|m| m.timestamp_format)
        .or(model.shape(shape_id).timestamp_format)
        .unwrap_or(default)
}
