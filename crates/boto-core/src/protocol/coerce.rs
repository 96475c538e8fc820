//! The loose input forms botocore accepts for typed members, in one place: timestamps as
//! `Timestamp`, epoch numbers or date strings; blobs as bytes or text; floats as numbers or the
//! special names `NaN`, `Infinity`, `-Infinity`.

use crate::document::{Document, Timestamp};
use crate::encoding::base64_encode;
use crate::model::{Member, ServiceModel, ShapeId, ShapeType, TimestampFormat};

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
        Document::String(s) => super::json_body::parse_float_text(s),
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
    match shape_type {
        ShapeType::Timestamp => {
            timestamp(value).map(|t| super::http_binding::format_timestamp(t, fmt))
        }
        ShapeType::Blob => blob(value).map(base64_encode),
        ShapeType::Float | ShapeType::Double => match value {
            Document::Float(f) => Some(super::json_body::float_text(*f)),
            Document::Int(i) => Some(i.to_string()),
            Document::String(s) => Some(s.clone()),
            _ => None,
        },
        _ => match value {
            Document::String(s) => Some(s.clone()),
            Document::Bool(b) => Some(b.to_string()),
            Document::Int(i) => Some(i.to_string()),
            Document::Float(f) => Some(super::json_body::float_text(*f)),
            Document::Blob(b) => Some(base64_encode(b)),
            Document::Timestamp(t) => Some(super::http_binding::format_timestamp(*t, fmt)),
            _ => None,
        },
    }
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
