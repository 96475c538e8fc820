//! The `application/vnd.amazon.eventstream` framing: an incremental [`Decoder`] that turns bytes,
//! in chunks of any size, into whole [`Message`]s, and [`Message::to_bytes`] for the way back.
//!
//! A message is a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), the
//! headers, the payload and a CRC32 of everything before it, all big-endian. Both checksums are
//! checked, and lengths are checked against caps before anything is buffered for them (botocore's:
//! 128 KiB of headers, 24 MiB of payload), so a hostile length cannot make us allocate.

use bytes::{Buf, Bytes, BytesMut};
use std::fmt;

/// Prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// Prelude plus the trailing message CRC: the size of a message with no headers and no payload.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;
/// The most header bytes one message may carry (botocore's `_MAX_HEADERS_LENGTH`).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The largest payload one message may carry (botocore's `_MAX_PAYLOAD_LENGTH`).
pub const MAX_PAYLOAD_LEN: usize = 24 * 1024 * 1024;

/// A typed header value, as the wire's type byte says.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// Types 0 (true) and 1 (false).
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Short(i16),
    /// Type 4.
    Int(i32),
    /// Type 5.
    Long(i64),
    /// Type 6: up to 65535 bytes.
    Bytes(Bytes),
    /// Type 7: UTF-8 text of up to 65535 bytes.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The text of a string header.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }

    fn type_byte(&self) -> u8 {
        match self {
            HeaderValue::Bool(true) => 0,
            HeaderValue::Bool(false) => 1,
            HeaderValue::Byte(_) => 2,
            HeaderValue::Short(_) => 3,
            HeaderValue::Int(_) => 4,
            HeaderValue::Long(_) => 5,
            HeaderValue::Bytes(_) => 6,
            HeaderValue::String(_) => 7,
            HeaderValue::Timestamp(_) => 8,
            HeaderValue::Uuid(_) => 9,
        }
    }
}

/// One decoded message: headers in wire order, and the payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// Headers (`:message-type`, `:event-type`, modeled `eventheader` members, ...).
    pub headers: Vec<(String, HeaderValue)>,
    /// The payload bytes.
    pub payload: Bytes,
}

impl Message {
    /// The first header called `name` (names are case-sensitive on this wire).
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The text of the string header `name`.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(HeaderValue::as_str)
    }

    /// The message framed for the wire, both CRCs included. Fails when a header name, a header
    /// value or the payload is longer than the framing allows.
    pub fn to_bytes(&self) -> Result<Vec<u8>, FrameError> {
        let mut headers = Vec::new();
        for (name, value) in &self.headers {
            let name_len = u8::try_from(name.len())
                .map_err(|_| FrameError::Header(format!("header name {name:?} is too long")))?;
            headers.push(name_len);
            headers.extend_from_slice(name.as_bytes());
            headers.push(value.type_byte());
            match value {
                HeaderValue::Bool(_) => {}
                HeaderValue::Byte(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Short(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Int(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Long(v) | HeaderValue::Timestamp(v) => {
                    headers.extend_from_slice(&v.to_be_bytes())
                }
                HeaderValue::Bytes(b) => push_short_bytes(&mut headers, name, b)?,
                HeaderValue::String(s) => push_short_bytes(&mut headers, name, s.as_bytes())?,
                HeaderValue::Uuid(u) => headers.extend_from_slice(u),
            }
        }
        if headers.len() > MAX_HEADERS_LEN {
            return Err(FrameError::HeadersLength(headers.len() as u64));
        }
        if self.payload.len() > MAX_PAYLOAD_LEN {
            return Err(FrameError::PayloadLength(self.payload.len() as u64));
        }
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let message_crc = crc32fast::hash(&out);
        out.extend_from_slice(&message_crc.to_be_bytes());
        Ok(out)
    }
}

fn push_short_bytes(out: &mut Vec<u8>, name: &str, b: &[u8]) -> Result<(), FrameError> {
    let len = u16::try_from(b.len())
        .map_err(|_| FrameError::Header(format!("header {name:?} value is too long")))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b);
    Ok(())
}

/// Why a byte stream is not a valid event stream. Every variant is final: the stream cannot be
/// resynchronised after it (the framing has no markers to resume at).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The stream ended inside a message: `buffered` bytes of a message that needed `needed`
    /// (`None` when not even the prelude arrived).
    Truncated {
        /// Bytes received of the last message.
        buffered: usize,
        /// Its total length, once the prelude was read.
        needed: Option<u32>,
    },
    /// The prelude's CRC32 does not match its first 8 bytes.
    PreludeChecksum {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        actual: u32,
    },
    /// The message CRC32 does not match the message.
    MessageChecksum {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        actual: u32,
    },
    /// The total length is below the 16-byte minimum or inconsistent with the headers length.
    TotalLength(u32),
    /// The headers are longer than [`MAX_HEADERS_LEN`].
    HeadersLength(u64),
    /// The payload is longer than [`MAX_PAYLOAD_LEN`].
    PayloadLength(u64),
    /// A header has a type byte outside 0..=9.
    HeaderType {
        /// The header's name.
        name: String,
        /// The type byte.
        type_byte: u8,
    },
    /// A header is cut short or its name or text is not UTF-8.
    Header(String),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated {
                buffered,
                needed: Some(n),
            } => write!(
                f,
                "event stream ended inside a message ({buffered} of {n} bytes)"
            ),
            FrameError::Truncated { buffered, .. } => write!(
                f,
                "event stream ended inside a message prelude ({buffered} of 12 bytes)"
            ),
            FrameError::PreludeChecksum { expected, actual } => write!(
                f,
                "event stream prelude checksum mismatch (frame says {expected:#010x}, bytes give {actual:#010x})"
            ),
            FrameError::MessageChecksum { expected, actual } => write!(
                f,
                "event stream message checksum mismatch (frame says {expected:#010x}, bytes give {actual:#010x})"
            ),
            FrameError::TotalLength(n) => {
                write!(f, "event stream message length {n} is out of range")
            }
            FrameError::HeadersLength(n) => write!(
                f,
                "event stream headers length {n} exceeds the maximum of {MAX_HEADERS_LEN}"
            ),
            FrameError::PayloadLength(n) => write!(
                f,
                "event stream payload length {n} exceeds the maximum of {MAX_PAYLOAD_LEN}"
            ),
            FrameError::HeaderType { name, type_byte } => write!(
                f,
                "event stream header {name:?} has unknown type {type_byte}"
            ),
            FrameError::Header(m) => write!(f, "malformed event stream header: {m}"),
        }
    }
}

impl std::error::Error for FrameError {}

/// A checked prelude: the lengths of the message it opens.
#[derive(Debug, Clone, Copy)]
struct Prelude {
    total: u32,
    headers: u32,
}

/// An incremental decoder: [`Decoder::push`] bytes as they arrive, take whole messages with
/// [`Decoder::next_message`], and call [`Decoder::finish`] at the end of the stream to learn
/// whether it stopped between messages.
///
/// ```
/// use boto_core::protocol::event_stream::{Decoder, HeaderValue, Message};
/// let msg = Message {
///     headers: vec![(":event-type".into(), HeaderValue::String("End".into()))],
///     payload: Default::default(),
/// };
/// let wire = msg.to_bytes().unwrap();
/// let mut d = Decoder::new();
/// d.push(&wire[..5]);
/// assert_eq!(d.next_message().unwrap(), None);
/// d.push(&wire[5..]);
/// assert_eq!(d.next_message().unwrap(), Some(msg));
/// assert!(d.finish().is_ok());
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    buf: BytesMut,
    prelude: Option<Prelude>,
    failed: Option<FrameError>,
}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.failed.is_none() {
            self.buf.extend_from_slice(chunk);
        }
    }

    /// Bytes received but not yet returned as a message.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next whole message, `Ok(None)` when more bytes are needed. After an error every later
    /// call returns the same error.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.decode_one();
        if let Err(e) = &result {
            self.failed = Some(e.clone());
            self.buf = BytesMut::new();
        }
        result
    }

    /// Checks that the stream ended on a message boundary.
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.buf.is_empty() {
            return Ok(());
        }
        Err(FrameError::Truncated {
            buffered: self.buf.len(),
            needed: self.prelude.map(|p| p.total),
        })
    }

    fn decode_one(&mut self) -> Result<Option<Message>, FrameError> {
        let prelude = match self.prelude {
            Some(p) => p,
            None => {
                if self.buf.len() < PRELUDE_LEN {
                    return Ok(None);
                }
                let p = read_prelude(&self.buf[..PRELUDE_LEN])?;
                // Reserve once the lengths are known good, so a message arriving in many small
                // chunks does not reallocate per chunk.
                self.buf
                    .reserve((p.total as usize).saturating_sub(self.buf.len()));
                self.prelude = Some(p);
                p
            }
        };
        let total = prelude.total as usize;
        if self.buf.len() < total {
            return Ok(None);
        }
        self.prelude = None;
        let frame = self.buf.split_to(total).freeze();
        let crc_at = total - 4;
        let expected = u32::from_be_bytes([
            frame[crc_at],
            frame[crc_at + 1],
            frame[crc_at + 2],
            frame[crc_at + 3],
        ]);
        let actual = crc32fast::hash(&frame[..crc_at]);
        if expected != actual {
            return Err(FrameError::MessageChecksum { expected, actual });
        }
        let headers_end = PRELUDE_LEN + prelude.headers as usize;
        let headers = read_headers(frame.slice(PRELUDE_LEN..headers_end))?;
        Ok(Some(Message {
            headers,
            payload: frame.slice(headers_end..crc_at),
        }))
    }
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn read_prelude(b: &[u8]) -> Result<Prelude, FrameError> {
    let total = be_u32(&b[0..4]);
    let headers = be_u32(&b[4..8]);
    let expected = be_u32(&b[8..12]);
    let actual = crc32fast::hash(&b[..8]);
    if expected != actual {
        return Err(FrameError::PreludeChecksum { expected, actual });
    }
    if (headers as usize) > MAX_HEADERS_LEN {
        return Err(FrameError::HeadersLength(headers as u64));
    }
    let Some(payload) = (total as u64).checked_sub(MIN_MESSAGE_LEN as u64 + headers as u64) else {
        return Err(FrameError::TotalLength(total));
    };
    if payload > MAX_PAYLOAD_LEN as u64 {
        return Err(FrameError::PayloadLength(payload));
    }
    Ok(Prelude { total, headers })
}

fn read_headers(mut b: Bytes) -> Result<Vec<(String, HeaderValue)>, FrameError> {
    let mut out = Vec::new();
    while b.has_remaining() {
        let name_len = b.get_u8() as usize;
        let name = take(&mut b, name_len, "a header name")?;
        let name = String::from_utf8(name.to_vec())
            .map_err(|_| FrameError::Header("a header name is not UTF-8".into()))?;
        let ty = take(&mut b, 1, &name)?[0];
        let value = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(take(&mut b, 1, &name)?[0] as i8),
            3 => {
                let v = take(&mut b, 2, &name)?;
                HeaderValue::Short(i16::from_be_bytes([v[0], v[1]]))
            }
            4 => HeaderValue::Int(be_u32(&take(&mut b, 4, &name)?) as i32),
            5 | 8 => {
                let v = take(&mut b, 8, &name)?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(&v);
                let v = i64::from_be_bytes(raw);
                if ty == 5 {
                    HeaderValue::Long(v)
                } else {
                    HeaderValue::Timestamp(v)
                }
            }
            6 | 7 => {
                let len = take(&mut b, 2, &name)?;
                let len = u16::from_be_bytes([len[0], len[1]]) as usize;
                let v = take(&mut b, len, &name)?;
                if ty == 6 {
                    HeaderValue::Bytes(v)
                } else {
                    HeaderValue::String(String::from_utf8(v.to_vec()).map_err(|_| {
                        FrameError::Header(format!("header {name:?} is not UTF-8 text"))
                    })?)
                }
            }
            9 => {
                let v = take(&mut b, 16, &name)?;
                let mut u = [0u8; 16];
                u.copy_from_slice(&v);
                HeaderValue::Uuid(u)
            }
            type_byte => return Err(FrameError::HeaderType { name, type_byte }),
        };
        out.push((name, value));
    }
    Ok(out)
}

fn take(b: &mut Bytes, n: usize, what: &str) -> Result<Bytes, FrameError> {
    if b.remaining() < n {
        return Err(FrameError::Header(format!("{what:?} is cut short")));
    }
    Ok(b.split_to(n))
}
