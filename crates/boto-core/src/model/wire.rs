//! The byte layout shared by the precompiled forms of models and endpoint rule sets: LEB128
//! integers, length-prefixed UTF-8 strings, presence bytes for options, tagged JSON values.
//!
//! Only this crate writes these bytes (`cargo xtask precompile`) and reads them, so the layout
//! has no self-description beyond a magic and a format number per file; a reader never panics on
//! bytes it does not like, it returns [`Malformed`].

use serde_json::{Map, Number, Value as Json};

/// The bytes end early or hold a value this reader does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) type Read<T> = Result<T, Malformed>;

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u64(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub(crate) fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.buf.push(v as u8);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.buf.push(0),
            Some(s) => {
                self.buf.push(1);
                self.str(s);
            }
        }
    }

    pub(crate) fn strs(&mut self, list: &[String]) {
        self.usize(list.len());
        for s in list {
            self.str(s);
        }
    }

    pub(crate) fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.buf.push(0),
            Some(v) => {
                self.buf.push(1);
                self.f64(v);
            }
        }
    }

    /// A fixed-width little-endian u32, for tables a reader indexes without decoding.
    pub(crate) fn u32_fixed(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn json(&mut self, v: &Json) {
        match v {
            Json::Null => self.u8(0),
            Json::Bool(false) => self.u8(1),
            Json::Bool(true) => self.u8(2),
            Json::Number(n) => {
                if let Some(u) = n.as_u64() {
                    self.u8(3);
                    self.u64(u);
                } else if let Some(i) = n.as_i64() {
                    self.u8(4);
                    self.u64(i as u64);
                } else {
                    self.u8(5);
                    self.f64(n.as_f64().unwrap_or(0.0));
                }
            }
            Json::String(s) => {
                self.u8(6);
                self.str(s);
            }
            Json::Array(items) => {
                self.u8(7);
                self.usize(items.len());
                for item in items {
                    self.json(item);
                }
            }
            Json::Object(map) => {
                self.u8(8);
                self.json_object(map);
            }
        }
    }

    pub(crate) fn json_object(&mut self, map: &Map<String, Json>) {
        self.usize(map.len());
        for (k, v) in map {
            self.str(k);
            self.json(v);
        }
    }

    pub(crate) fn opt_json(&mut self, v: Option<&Json>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.json(v);
            }
        }
    }
}

/// Reads values back in the order they were written.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// Deepest JSON nesting a reader accepts (the writer's data is far shallower).
const MAX_JSON_DEPTH: usize = 256;

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn at(buf: &'a [u8], pos: usize) -> Reader<'a> {
        Reader { buf, pos }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Read<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or(Malformed)?;
        let out = self.buf.get(self.pos..end).ok_or(Malformed)?;
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Read<u8> {
        Ok(self.bytes(1)?[0])
    }

    pub(crate) fn u64(&mut self) -> Read<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Malformed)
    }

    pub(crate) fn usize(&mut self) -> Read<usize> {
        usize::try_from(self.u64()?).map_err(|_| Malformed)
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so
    /// a bad count cannot make a reader reserve memory it will never fill.
    pub(crate) fn count(&mut self) -> Read<usize> {
        let n = self.usize()?;
        if n > self.buf.len() - self.pos {
            return Err(Malformed);
        }
        Ok(n)
    }

    pub(crate) fn u16(&mut self) -> Read<u16> {
        u16::try_from(self.u64()?).map_err(|_| Malformed)
    }

    pub(crate) fn u32(&mut self) -> Read<u32> {
        u32::try_from(self.u64()?).map_err(|_| Malformed)
    }

    pub(crate) fn bool(&mut self) -> Read<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Malformed),
        }
    }

    pub(crate) fn str(&mut self) -> Read<&'a str> {
        let n = self.usize()?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| Malformed)
    }

    pub(crate) fn string(&mut self) -> Read<String> {
        self.str().map(str::to_string)
    }

    pub(crate) fn opt_string(&mut self) -> Read<Option<String>> {
        Ok(match self.u8()? {
            0 => None,
            1 => Some(self.string()?),
            _ => return Err(Malformed),
        })
    }

    pub(crate) fn strings(&mut self) -> Read<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.string()).collect()
    }

    pub(crate) fn f64(&mut self) -> Read<f64> {
        let b = self.bytes(8)?;
        let mut le = [0u8; 8];
        le.copy_from_slice(b);
        Ok(f64::from_le_bytes(le))
    }

    pub(crate) fn opt_f64(&mut self) -> Read<Option<f64>> {
        Ok(match self.u8()? {
            0 => None,
            1 => Some(self.f64()?),
            _ => return Err(Malformed),
        })
    }

    pub(crate) fn u32_fixed(&mut self) -> Read<u32> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn json(&mut self) -> Read<Json> {
        self.json_at(0)
    }

    fn json_at(&mut self, depth: usize) -> Read<Json> {
        if depth > MAX_JSON_DEPTH {
            return Err(Malformed);
        }
        Ok(match self.u8()? {
            0 => Json::Null,
            1 => Json::Bool(false),
            2 => Json::Bool(true),
            3 => Json::Number(self.u64()?.into()),
            4 => Json::Number((self.u64()? as i64).into()),
            5 => Json::Number(Number::from_f64(self.f64()?).ok_or(Malformed)?),
            6 => Json::String(self.string()?),
            7 => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.json_at(depth + 1)?);
                }
                Json::Array(items)
            }
            8 => Json::Object(self.json_object_at(depth + 1)?),
            _ => return Err(Malformed),
        })
    }

    fn json_object_at(&mut self, depth: usize) -> Read<Map<String, Json>> {
        let n = self.count()?;
        let mut map = Map::new();
        for _ in 0..n {
            let k = self.string()?;
            let v = self.json_at(depth + 1)?;
            map.insert(k, v);
        }
        Ok(map)
    }

    pub(crate) fn opt_json(&mut self) -> Read<Option<Json>> {
        Ok(match self.u8()? {
            0 => None,
            1 => Some(self.json()?),
            _ => return Err(Malformed),
        })
    }

    /// Whether every byte was read.
    pub(crate) fn is_done(&self) -> bool {
        self.pos == self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let doc =
            serde_json::json!({"a": [1, -2, 2.5, null, true, false, "x"], "b": {"c": u64::MAX}});
        let mut w = Writer::default();
        w.u64(300);
        w.str("héllo");
        w.opt_str(None);
        w.opt_f64(Some(-1.5));
        w.json(&doc);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.u64(), Ok(300));
        assert_eq!(r.str(), Ok("héllo"));
        assert_eq!(r.opt_string(), Ok(None));
        assert_eq!(r.opt_f64(), Ok(Some(-1.5)));
        assert_eq!(r.json(), Ok(doc));
        assert!(r.is_done());
    }

    #[test]
    fn truncated_or_bad_bytes_are_errors_not_panics() {
        let mut w = Writer::default();
        w.str("hello");
        w.json(&serde_json::json!([1, 2, 3]));
        for cut in 0..w.buf.len() {
            let mut r = Reader::new(&w.buf[..cut]);
            let ok = r.str().is_ok() && r.json().is_ok();
            assert!(!ok, "a cut at {cut} must not read back");
        }
        assert_eq!(Reader::new(&[0xff; 11]).u64(), Err(Malformed));
        assert_eq!(Reader::new(&[9]).json(), Err(Malformed));
        // A huge count fails at once instead of reserving memory.
        let mut w = Writer::default();
        w.u8(7);
        w.u64(u64::MAX >> 1);
        assert_eq!(Reader::new(&w.buf).json(), Err(Malformed));
    }
}
