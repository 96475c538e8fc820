//! The checksums a download can verify on its own: S3's full-object checksums and composite
//! (checksum-of-part-checksums) ones, for the algorithms S3 reports in `x-amz-checksum-*`.

use boto_core::document::Document;

/// A checksum algorithm S3 reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Crc32,
    Crc32c,
    Sha1,
    Sha256,
}

impl Algorithm {
    /// The algorithms and their HeadObject / GetObject output members, cheapest first.
    const MEMBERS: [(Algorithm, &'static str); 4] = [
        (Algorithm::Crc32c, "ChecksumCRC32C"),
        (Algorithm::Crc32, "ChecksumCRC32"),
        (Algorithm::Sha1, "ChecksumSHA1"),
        (Algorithm::Sha256, "ChecksumSHA256"),
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }
}

/// The checksum an object's HeadObject output reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reported {
    pub(crate) algorithm: Algorithm,
    /// The base64 value, without a `-N` part count.
    pub(crate) value: String,
    /// True when the value is of the part checksums, not of the bytes (`-N` suffix or
    /// `ChecksumType: COMPOSITE`); `None` when the server did not say.
    pub(crate) composite: Option<bool>,
}

impl Reported {
    pub(crate) fn of(output: &Document) -> Option<Reported> {
        let declared = match output["ChecksumType"].as_str() {
            Some("COMPOSITE") => Some(true),
            Some("FULL_OBJECT") => Some(false),
            _ => None,
        };
        Algorithm::MEMBERS.iter().find_map(|(alg, member)| {
            let v = output[*member].as_str()?.trim();
            let (value, suffixed) = match v.split_once('-') {
                Some((value, _count)) => (value, true),
                None => (v, false),
            };
            Some(Reported {
                algorithm: *alg,
                value: value.to_string(),
                composite: if suffixed { Some(true) } else { declared },
            })
        })
    }
}

/// A running checksum.
pub(crate) enum Hasher {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Digest(Box<ring::digest::Context>),
}

fn crc32c_table() -> &'static [u32; 256] {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = (c >> 1) ^ if c & 1 != 0 { 0x82F6_3B78 } else { 0 };
            }
            *slot = c;
        }
        table
    })
}

impl Hasher {
    pub(crate) fn new(alg: Algorithm) -> Hasher {
        match alg {
            Algorithm::Crc32 => Hasher::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => Hasher::Crc32c(!0),
            Algorithm::Sha1 => Hasher::Digest(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            Algorithm::Sha256 => {
                Hasher::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Crc32(h) => h.update(data),
            Hasher::Crc32c(c) => {
                let table = crc32c_table();
                for &b in data {
                    *c = table[((*c ^ b as u32) & 0xff) as usize] ^ (*c >> 8);
                }
            }
            Hasher::Digest(d) => d.update(data),
        }
    }

    /// The raw big-endian digest.
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            Hasher::Crc32c(c) => (!c).to_be_bytes().to_vec(),
            Hasher::Digest(d) => d.finish().as_ref().to_vec(),
        }
    }
}

/// S3's composite checksum: the checksum of the parts' raw checksums, concatenated in order.
/// The CRC32 of an object from the CRC32 (big-endian bytes) of each of its `(offset, length)`
/// ranges, in order; a missing or malformed one counts as 0 (and so fails the comparison).
pub(crate) fn crc32_of_ranges(ranges: &[(u64, u64)], sums: &[Option<Vec<u8>>]) -> Vec<u8> {
    let mut whole = crc32fast::Hasher::new();
    for (&(_, len), sum) in ranges.iter().zip(sums) {
        let crc = sum
            .as_deref()
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, u32::from_be_bytes);
        whole.combine(&crc32fast::Hasher::new_with_initial_len(crc, len));
    }
    whole.finalize().to_be_bytes().to_vec()
}

pub(crate) fn composite(alg: Algorithm, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut h = Hasher::new(alg);
    for p in parts {
        h.update(p);
    }
    h.finish()
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(alg: Algorithm, data: &[u8]) -> String {
        let mut h = Hasher::new(alg);
        h.update(data);
        base64(&h.finish())
    }

    #[test]
    fn known_vectors() {
        assert_eq!(sum(Algorithm::Crc32, b"hello"), "NhCmhg==");
        assert_eq!(
            base64(&0xE306_9283u32.to_be_bytes()),
            sum(Algorithm::Crc32c, b"123456789")
        );
        assert_eq!(
            sum(Algorithm::Sha256, b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    /// The values moto reported for a two-part upload (5 MiB of `a`, then `tail`).
    #[test]
    fn ranges_combine_into_the_whole_crc32() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let ranges = [(0u64, 4096u64), (4096, 4096), (8192, 1808)];
        let sums: Vec<Option<Vec<u8>>> = ranges
            .iter()
            .map(|&(o, l)| {
                let mut h = Hasher::new(Algorithm::Crc32);
                h.update(&data[o as usize..(o + l) as usize]);
                Some(h.finish())
            })
            .collect();
        let mut whole = Hasher::new(Algorithm::Crc32);
        whole.update(&data);
        assert_eq!(crc32_of_ranges(&ranges, &sums), whole.finish());
        let mut broken = sums.clone();
        broken[1] = None;
        assert_ne!(
            crc32_of_ranges(&ranges, &broken),
            crc32_of_ranges(&ranges, &sums)
        );
    }

    #[test]
    fn composite_is_the_checksum_of_the_part_checksums() {
        let part = |data: &[u8]| {
            let mut h = Hasher::new(Algorithm::Crc32);
            h.update(data);
            h.finish()
        };
        let parts = [part(&vec![b'a'; 5 << 20]), part(b"tail")];
        assert_eq!(base64(&parts[0]), "r/zBbw==");
        assert_eq!(base64(&composite(Algorithm::Crc32, &parts)), "4fn9rQ==");
    }

    #[test]
    fn reported_checksums_say_whether_they_are_composite() {
        let r = Reported::of(&boto_core::doc! {"ChecksumCRC32": "4fn9rQ==-2"}).unwrap();
        assert_eq!((r.value.as_str(), r.composite), ("4fn9rQ==", Some(true)));
        let r = Reported::of(&boto_core::doc! {"ChecksumCRC32": "NhCmhg=="}).unwrap();
        assert_eq!(r.composite, None);
        let r =
            Reported::of(&boto_core::doc! {"ChecksumSHA256": "x", "ChecksumType": "FULL_OBJECT"})
                .unwrap();
        assert_eq!((r.algorithm, r.composite), (Algorithm::Sha256, Some(false)));
        assert!(Reported::of(&boto_core::doc! {"ETag": "x"}).is_none());
    }
}
