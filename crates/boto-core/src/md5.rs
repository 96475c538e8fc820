//! MD5 (RFC 1321), streaming, with no dependency: AWS still names content by it. S3's ETag of a
//! part, and of an object uploaded in one piece without SSE-KMS, is the MD5 of its bytes (resumed
//! uploads and `boto s3 sync --checksum` compare with it); SSE-C keys travel with their MD5; SQS
//! returns the MD5 of every message body and its attributes. The one implementation for all of
//! them; never used for integrity where a flexible checksum can be.

/// Per-round left rotations.
const R: [u32; 64] = {
    let base = [
        [7, 12, 17, 22],
        [5, 9, 14, 20],
        [4, 11, 16, 23],
        [6, 10, 15, 21],
    ];
    let mut out = [0u32; 64];
    let mut i = 0;
    while i < 64 {
        out[i] = base[i / 16][i % 4];
        i += 1;
    }
    out
};

fn k() -> &'static [u32; 64] {
    static K: std::sync::OnceLock<[u32; 64]> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        std::array::from_fn(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
    })
}

/// An MD5 in progress: feed it with [`Md5::update`], read it with [`Md5::hex`] or
/// [`Md5::finish`].
///
/// ```
/// let mut m = boto_core::md5::Md5::default();
/// m.update(b"a");
/// m.update(b"bc");
/// assert_eq!(m.hex(), "900150983cd24fb0d6963f7d28e17f72");
/// ```
#[derive(Debug, Clone)]
pub struct Md5 {
    state: [u32; 4],
    buffer: [u8; 64],
    filled: usize,
    length: u64,
}

/// The MD5 of `data` in one call.
pub fn digest(data: &[u8]) -> [u8; 16] {
    let mut m = Md5::default();
    m.update(data);
    m.finish()
}

impl Default for Md5 {
    fn default() -> Self {
        Md5 {
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            buffer: [0; 64],
            filled: 0,
            length: 0,
        }
    }
}

impl Md5 {
    /// Adds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = (64 - self.filled).min(data.len());
            self.buffer[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled < 64 {
                return;
            }
            let block = self.buffer;
            self.block(&block);
            self.filled = 0;
        }
        let mut chunks = data.chunks_exact(64);
        for c in &mut chunks {
            self.block(c.try_into().expect("64-byte chunk"));
        }
        let rest = chunks.remainder();
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The digest, as lowercase hex (an ETag's form).
    pub fn hex(self) -> String {
        crate::encoding::hex_encode(&self.finish())
    }

    /// The 16 bytes of the digest.
    pub fn finish(mut self) -> [u8; 16] {
        let bits = self.length.wrapping_mul(8);
        let mut pad = vec![0x80u8];
        pad.resize(1 + (119 - self.filled) % 64, 0);
        pad.extend_from_slice(&bits.to_le_bytes());
        let length = self.length;
        self.update(&pad);
        self.length = length;
        let mut out = [0u8; 16];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    fn block(&mut self, block: &[u8; 64]) {
        let k = k();
        let m: [u32; 16] = std::array::from_fn(|i| {
            u32::from_le_bytes(block[i * 4..i * 4 + 4].try_into().unwrap_or_default())
        });
        let [mut a, mut b, mut c, mut d] = self.state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let rotated = a
                .wrapping_add(f)
                .wrapping_add(k[i])
                .wrapping_add(m[g])
                .rotate_left(R[i]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(rotated);
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Md5;

    fn md5(data: &[u8]) -> String {
        let mut m = Md5::default();
        m.update(data);
        m.hex()
    }

    #[test]
    fn one_call_digest_is_the_streamed_one() {
        let whole = super::digest(b"message digest");
        let hex = crate::encoding::hex_encode(&whole);
        assert_eq!(hex, "f96b697d7cb7938d525a2f31aaf161d0");
        assert_eq!(hex, md5(b"message digest"));
    }

    #[test]
    fn rfc_1321_vectors() {
        assert_eq!(md5(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            md5(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            ),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn pieces_give_the_digest_of_the_whole() {
        let data: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
        let mut m = Md5::default();
        for c in data.chunks(7) {
            m.update(c);
        }
        assert_eq!(m.hex(), md5(&data));
    }
}
