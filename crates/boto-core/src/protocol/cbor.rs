//! CBOR (RFC 8949) and the `smithy-rpc-v2-cbor` protocol.
//!
//! [`decode`] reads one data item into a [`Cbor`] tree (definite and indefinite lengths, half,
//! single and double floats, tags) and never panics: malformed, truncated or too deeply nested
//! input is a [`CborError`]. [`encode`] writes a tree back with the shortest heads. The protocol
//! itself writes the input straight into one buffer along the input shape, and reads a response by
//! decoding it and walking the tree along the output shape.
//!
//! The protocol: `POST /service/{targetPrefix}/operation/{Operation}`, `smithy-protocol:
//! rpc-v2-cbor`, `Accept: application/cbor`, `Content-Type: application/cbor` when there is a
//! body. Timestamps are tag 1 epoch seconds (integer or double); blobs are byte strings.

use super::{ProtocolError, RawResponse, RequestBody, SerializedRequest};
use crate::document::{Document, Map, Timestamp};
use crate::model::{Member, Operation, ServiceModel, ShapeId, ShapeType};
use std::fmt;

/// Nesting deeper than this is rejected, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 256;

/// One CBOR data item.
#[derive(Debug, Clone, PartialEq)]
pub enum Cbor {
    /// An integer (major types 0 and 1; the range is -2^64 ..= 2^64-1).
    Int(i128),
    /// A byte string (chunks of an indefinite-length string are joined).
    Bytes(Vec<u8>),
    /// A text string (chunks joined).
    Text(String),
    /// An array.
    Array(Vec<Cbor>),
    /// A map, in wire order.
    Map(Vec<(Cbor, Cbor)>),
    /// A tagged item (tag 1 is an epoch timestamp).
    Tag(u64, Box<Cbor>),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined` (and other unassigned simple values).
    Undefined,
    /// A half, single or double precision float.
    Float(f64),
}

impl Cbor {
    /// The value under text key `key`, when this is a map.
    pub fn get(&self, key: &str) -> Option<&Cbor> {
        match self {
            Cbor::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Cbor::Text(t) if t == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text, when this is a text string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cbor::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Why bytes are not one well-formed CBOR data item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CborError {
    /// Byte offset where decoding stopped.
    pub offset: usize,
    /// What is wrong.
    pub reason: &'static str,
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid CBOR at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for CborError {}

/// Decodes exactly one data item (trailing bytes are an error).
///
/// ```
/// use boto_core::protocol::cbor::{decode, Cbor};
/// assert_eq!(decode(&[0x82, 0x01, 0x20]).unwrap(), Cbor::Array(vec![Cbor::Int(1), Cbor::Int(-1)]));
/// assert!(decode(&[0x82, 0x01]).is_err());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Cbor, CborError> {
    let mut d = Decoder { bytes, pos: 0 };
    let item = d.item(0)?;
    if d.pos != bytes.len() {
        return Err(d.err("trailing bytes after the data item"));
    }
    Ok(item)
}

/// Encodes a data item.
pub fn encode(item: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(&mut out, item);
    out
}

fn encode_into(out: &mut Vec<u8>, item: &Cbor) {
    match item {
        Cbor::Int(i) => write_int(out, *i),
        Cbor::Bytes(b) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Cbor::Text(t) => write_text(out, t),
        Cbor::Array(items) => {
            head(out, 4, items.len() as u64);
            for i in items {
                encode_into(out, i);
            }
        }
        Cbor::Map(entries) => {
            head(out, 5, entries.len() as u64);
            for (k, v) in entries {
                encode_into(out, k);
                encode_into(out, v);
            }
        }
        Cbor::Tag(tag, inner) => {
            head(out, 6, *tag);
            encode_into(out, inner);
        }
        Cbor::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Cbor::Null => out.push(0xf6),
        Cbor::Undefined => out.push(0xf7),
        Cbor::Float(f) => write_float(out, *f),
    }
}

/// Writes a major type and its argument in the shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= u8::MAX as u64 {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= u16::MAX as u64 {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= u32::MAX as u64 {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn write_int(out: &mut Vec<u8>, i: i128) {
    if i >= 0 {
        head(out, 0, u64::try_from(i).unwrap_or(u64::MAX));
    } else {
        head(out, 1, u64::try_from(-1 - i).unwrap_or(u64::MAX));
    }
}

fn write_text(out: &mut Vec<u8>, t: &str) {
    head(out, 3, t.len() as u64);
    out.extend_from_slice(t.as_bytes());
}

/// Writes a float as a single when that loses nothing, else as a double.
fn write_float(out: &mut Vec<u8>, f: f64) {
    let single = f as f32;
    if f.is_nan() {
        out.extend_from_slice(&[0xfa, 0x7f, 0xc0, 0x00, 0x00]);
    } else if single as f64 == f {
        out.push(0xfa);
        out.extend_from_slice(&single.to_be_bytes());
    } else {
        out.push(0xfb);
        out.extend_from_slice(&f.to_be_bytes());
    }
}

struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Decoder<'_> {
    fn err(&self, reason: &'static str) -> CborError {
        CborError {
            offset: self.pos,
            reason,
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], CborError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| self.err("unexpected end of input"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, CborError> {
        Ok(self.take(1)?[0])
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The argument of a head with additional info `info`; `None` for indefinite length.
    fn argument(&mut self, info: u8) -> Result<Option<u64>, CborError> {
        Ok(Some(match info {
            0..=23 => info as u64,
            24 => self.byte()? as u64,
            25 => u16::from_be_bytes([self.byte()?, self.byte()?]) as u64,
            26 => {
                let b = self.take(4)?;
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64
            }
            27 => {
                let b = self.take(8)?;
                u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            }
            31 => return Ok(None),
            _ => return Err(self.err("reserved additional information")),
        }))
    }

    fn length(&mut self, n: u64) -> Result<usize, CborError> {
        let n = usize::try_from(n).map_err(|_| self.err("length too large"))?;
        if n > self.bytes.len() - self.pos {
            // Every element takes at least one byte; a longer count cannot be honest.
            return Err(self.err("length exceeds the input"));
        }
        Ok(n)
    }

    fn string_bytes(&mut self, major: u8, info: u8) -> Result<Vec<u8>, CborError> {
        match self.argument(info)? {
            Some(n) => {
                let n = self.length(n)?;
                Ok(self.take(n)?.to_vec())
            }
            None => {
                let mut out = Vec::new();
                loop {
                    let b = self.byte()?;
                    if b == 0xff {
                        return Ok(out);
                    }
                    if b >> 5 != major || b & 31 == 31 {
                        return Err(self.err("bad chunk in an indefinite-length string"));
                    }
                    let n = self
                        .argument(b & 31)?
                        .ok_or_else(|| self.err("nested indefinite string"))?;
                    let n = self.length(n)?;
                    out.extend_from_slice(self.take(n)?);
                }
            }
        }
    }

    fn item(&mut self, depth: usize) -> Result<Cbor, CborError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        let initial = self.byte()?;
        let major = initial >> 5;
        let info = initial & 31;
        match major {
            0 => {
                let n = self
                    .argument(info)?
                    .ok_or_else(|| self.err("indefinite integer"))?;
                Ok(Cbor::Int(n as i128))
            }
            1 => {
                let n = self
                    .argument(info)?
                    .ok_or_else(|| self.err("indefinite integer"))?;
                Ok(Cbor::Int(-1 - n as i128))
            }
            2 => Ok(Cbor::Bytes(self.string_bytes(2, info)?)),
            3 => {
                let raw = self.string_bytes(3, info)?;
                String::from_utf8(raw)
                    .map(Cbor::Text)
                    .map_err(|_| self.err("text string is not UTF-8"))
            }
            4 => {
                let mut items = Vec::new();
                match self.argument(info)? {
                    Some(n) => {
                        let n = self.length(n)?;
                        items.reserve(n);
                        for _ in 0..n {
                            items.push(self.item(depth + 1)?);
                        }
                    }
                    None => {
                        while self.peek() != Some(0xff) {
                            items.push(self.item(depth + 1)?);
                        }
                        self.pos += 1;
                    }
                }
                Ok(Cbor::Array(items))
            }
            5 => {
                let mut entries = Vec::new();
                match self.argument(info)? {
                    Some(n) => {
                        let n = self.length(n)?;
                        entries.reserve(n);
                        for _ in 0..n {
                            let k = self.item(depth + 1)?;
                            let v = self.item(depth + 1)?;
                            entries.push((k, v));
                        }
                    }
                    None => {
                        while self.peek() != Some(0xff) {
                            let k = self.item(depth + 1)?;
                            let v = self.item(depth + 1)?;
                            entries.push((k, v));
                        }
                        self.pos += 1;
                    }
                }
                Ok(Cbor::Map(entries))
            }
            6 => {
                let tag = self
                    .argument(info)?
                    .ok_or_else(|| self.err("indefinite tag"))?;
                Ok(Cbor::Tag(tag, Box::new(self.item(depth + 1)?)))
            }
            _ => match info {
                20 => Ok(Cbor::Bool(false)),
                21 => Ok(Cbor::Bool(true)),
                22 => Ok(Cbor::Null),
                0..=19 | 23 => Ok(Cbor::Undefined),
                24 => {
                    self.byte()?;
                    Ok(Cbor::Undefined)
                }
                25 => {
                    let b = self.take(2)?;
                    Ok(Cbor::Float(half_to_f64(u16::from_be_bytes([b[0], b[1]]))))
                }
                26 => {
                    let b = self.take(4)?;
                    Ok(Cbor::Float(
                        f32::from_be_bytes([b[0], b[1], b[2], b[3]]) as f64
                    ))
                }
                27 => {
                    let b = self.take(8)?;
                    Ok(Cbor::Float(f64::from_be_bytes([
                        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                    ])))
                }
                31 => Err(self.err("unexpected break")),
                _ => Err(self.err("reserved simple value")),
            },
        }
    }
}

fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = (h >> 10) & 0x1f;
    let mant = (h & 0x3ff) as f64;
    sign * match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + mant / 1024.0) * 2f64.powi(e as i32 - 15),
    }
}

// ---------------------------------------------------------------------------------------------
// The protocol.

fn mismatch(shape: &str, want: &str, got: &Document) -> ProtocolError {
    ProtocolError::Serialize(format!("{shape} expects a {want}, got a {}", got.kind()))
}

/// Writes `value` along `shape_id`.
fn write_value(
    model: &ServiceModel,
    out: &mut Vec<u8>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<(), ProtocolError> {
    let shape = model.shape(shape_id);
    match (shape.shape_type, value) {
        (_, Document::Null) => out.push(0xf6),
        (ShapeType::Structure, Document::Map(values)) => {
            let members: Vec<(&Member, &Document)> = values
                .iter()
                .filter(|(_, v)| !v.is_null())
                .filter_map(|(k, v)| shape.member_named(k).map(|m| (m, v)))
                .collect();
            head(out, 5, members.len() as u64);
            for (m, v) in members {
                write_text(out, m.wire_name());
                write_value(model, out, m.target, v)?;
            }
        }
        (ShapeType::List, Document::List(items)) => {
            head(out, 4, items.len() as u64);
            let item = shape.member.as_deref().map(|m| m.target);
            for v in items {
                match item {
                    Some(t) => write_value(model, out, t, v)?,
                    None => out.push(0xf6),
                }
            }
        }
        (ShapeType::Map, Document::Map(entries)) => {
            head(out, 5, entries.len() as u64);
            let val = shape.value.as_deref().map(|m| m.target);
            for (k, v) in entries {
                write_text(out, k);
                match val {
                    Some(t) => write_value(model, out, t, v)?,
                    None => out.push(0xf6),
                }
            }
        }
        (ShapeType::Timestamp, v) => {
            let t =
                super::scalar::timestamp(v).ok_or_else(|| mismatch(&shape.name, "timestamp", v))?;
            head(out, 6, 1);
            if t.subsec_nanos() == 0 {
                write_int(out, t.secs() as i128);
            } else {
                write_float(out, t.as_epoch_f64());
            }
        }
        (ShapeType::Blob, v) => {
            let b = super::scalar::blob(v).ok_or_else(|| mismatch(&shape.name, "blob", v))?;
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        (ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal, v) => {
            let f = super::scalar::float(v).ok_or_else(|| mismatch(&shape.name, "number", v))?;
            write_float(out, f);
        }
        (_, Document::String(s)) => write_text(out, s),
        (_, Document::Bool(b)) => out.push(if *b { 0xf5 } else { 0xf4 }),
        (_, Document::Int(i)) => write_int(out, *i as i128),
        (_, Document::Float(f)) => write_float(out, *f),
        (_, Document::Blob(b)) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        (_, Document::Timestamp(t)) => {
            head(out, 6, 1);
            write_float(out, t.as_epoch_f64());
        }
        (t, v) => return Err(mismatch(&shape.name, t.name(), v)),
    }
    Ok(())
}

pub(super) fn serialize(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    let meta = model.metadata();
    let service = meta
        .target_prefix
        .as_deref()
        .unwrap_or(&meta.endpoint_prefix);
    let mut req = SerializedRequest {
        method: "POST".into(),
        path: format!("/service/{service}/operation/{}", op.name),
        headers: super::request_headers(),
        ..Default::default()
    };
    req.header("smithy-protocol", "rpc-v2-cbor");
    if meta.aws_query_compatible {
        req.header("x-amzn-query-mode", "true");
    }
    req.header("Accept", "application/cbor");
    if let Some(id) = op.input {
        let mut body = Vec::with_capacity(64);
        match input {
            Document::Null => write_value(model, &mut body, id, &Document::map())?,
            v => write_value(model, &mut body, id, v)?,
        }
        req.header("Content-Type", "application/cbor");
        req.body = RequestBody::Bytes(body.into());
    }
    Ok(req)
}

fn bad(shape: &str, want: &str) -> ProtocolError {
    ProtocolError::Parse(format!("{shape}: expected a CBOR {want}"))
}

/// Reads `item` along `shape_id`.
pub(crate) fn read_value(
    model: &ServiceModel,
    shape_id: ShapeId,
    item: &Cbor,
) -> Result<Document, ProtocolError> {
    let shape = model.shape(shape_id);
    if matches!(item, Cbor::Null | Cbor::Undefined) {
        return Ok(Document::Null);
    }
    Ok(match shape.shape_type {
        ShapeType::Structure => {
            let Cbor::Map(entries) = item else {
                return Err(bad(&shape.name, "map"));
            };
            let mut out = Map::default();
            for (k, v) in entries {
                let Cbor::Text(k) = k else { continue };
                let Some(m) = shape.members.iter().find(|m| m.wire_name() == k) else {
                    continue;
                };
                let d = read_value(model, m.target, v)?;
                if !d.is_null() {
                    out.insert(m.name.clone(), d);
                }
            }
            Document::Map(out)
        }
        ShapeType::List => {
            let Cbor::Array(items) = item else {
                return Err(bad(&shape.name, "array"));
            };
            let Some(m) = shape.member.as_deref() else {
                return Ok(Document::List(Vec::new()));
            };
            Document::List(
                items
                    .iter()
                    .map(|i| read_value(model, m.target, i))
                    .collect::<Result<_, _>>()?,
            )
        }
        ShapeType::Map => {
            let Cbor::Map(entries) = item else {
                return Err(bad(&shape.name, "map"));
            };
            let Some(v) = shape.value.as_deref() else {
                return Ok(Document::map());
            };
            // Dense maps: null values are dropped.
            let mut out = Map::default();
            for (k, val) in entries
                .iter()
                .filter(|(_, v)| !matches!(v, Cbor::Null | Cbor::Undefined))
            {
                let Cbor::Text(k) = k else {
                    return Err(bad(&shape.name, "text key"));
                };
                out.insert(k.as_str().into(), read_value(model, v.target, val)?);
            }
            Document::Map(out)
        }
        ShapeType::Boolean => match item {
            Cbor::Bool(b) => Document::Bool(*b),
            _ => return Err(bad(&shape.name, "boolean")),
        },
        ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Short
        | ShapeType::Byte
        | ShapeType::BigInteger => match item {
            Cbor::Int(i) => match i64::try_from(*i) {
                Ok(i) => Document::Int(i),
                Err(_) => Document::Float(*i as f64),
            },
            Cbor::Float(f) => Document::Float(*f),
            _ => return Err(bad(&shape.name, "integer")),
        },
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => match item {
            Cbor::Float(f) => Document::Float(*f),
            Cbor::Int(i) => Document::Float(*i as f64),
            _ => return Err(bad(&shape.name, "number")),
        },
        ShapeType::Timestamp => {
            let inner = match item {
                Cbor::Tag(1, inner) => inner.as_ref(),
                other => other,
            };
            let secs = match inner {
                Cbor::Int(i) => *i as f64,
                Cbor::Float(f) => *f,
                _ => return Err(bad(&shape.name, "epoch timestamp")),
            };
            Document::Timestamp(
                Timestamp::from_epoch_f64(secs).ok_or_else(|| bad(&shape.name, "timestamp"))?,
            )
        }
        ShapeType::Blob => match item {
            Cbor::Bytes(b) => Document::Blob(b.clone().into()),
            Cbor::Text(t) => Document::Blob(t.clone().into_bytes().into()),
            _ => return Err(bad(&shape.name, "byte string")),
        },
        ShapeType::String | ShapeType::Unknown => match item {
            Cbor::Text(t) => Document::String(t.clone()),
            _ => return Err(bad(&shape.name, "text string")),
        },
    })
}

/// Decodes a response body; an empty body is an empty map.
pub(crate) fn decode_body(body: &[u8]) -> Result<Cbor, ProtocolError> {
    if body.is_empty() {
        return Ok(Cbor::Map(Vec::new()));
    }
    decode(body).map_err(|e| ProtocolError::Parse(e.to_string()))
}

pub(super) fn parse(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Document, ProtocolError> {
    let Some(id) = op.output else {
        return Ok(Document::map());
    };
    let body = decode_body(&resp.body)?;
    match read_value(model, id, &body)? {
        Document::Null => Ok(Document::map()),
        d => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let item = Cbor::Map(vec![
            (Cbor::Text("a".into()), Cbor::Int(-500)),
            (
                Cbor::Text("b".into()),
                Cbor::Array(vec![Cbor::Float(1.5), Cbor::Bytes(vec![1, 2])]),
            ),
            (Cbor::Text("c".into()), Cbor::Tag(1, Box::new(Cbor::Int(1)))),
            (Cbor::Text("d".into()), Cbor::Int(u64::MAX as i128)),
        ]);
        assert_eq!(decode(&encode(&item)).unwrap(), item);
        // Indefinite text and a half float.
        assert_eq!(
            decode(&[0x7f, 0x61, b'a', 0x61, b'b', 0xff]).unwrap(),
            Cbor::Text("ab".into())
        );
        assert_eq!(decode(&[0xf9, 0x3c, 0x00]).unwrap(), Cbor::Float(1.0));
        for bad in [
            &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
            &[0x5f, 0x61, 0x00, 0xff],
            &[0xff],
            &[0x1c],
            &[],
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        let deep = vec![0x81u8; 100_000];
        assert!(decode(&deep).is_err());
    }
}
