//! Signed input event streams (`STREAMING-AWS4-HMAC-SHA256-EVENTS`): the request's headers are
//! signed with that literal as the payload hash, then every event message is wrapped in an outer
//! message whose `:chunk-signature` header chains from the previous signature (the first from the
//! request's, the seed) and whose `:date` header carries the message's own signing time. An outer
//! message with an empty payload ends the stream.
//!
//! Each message's string to sign is
//! `AWS4-HMAC-SHA256-PAYLOAD\n<datetime>\n<scope>\n<previous signature>\n<sha256(:date header)>\n<sha256(inner message)>`,
//! where the `:date` header is hashed as it is framed on the wire and the scope is that of the
//! message's date (a stream may outlive the day it was opened on).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

use super::canonical::sha256_hex;
use super::chunked::CHUNK_ALGORITHM;
use super::key::{derive_signing_key, signature};
use super::request::is_lower_hex_64;
use super::time::AmzDate;
use super::{SigningError, SigningParams};

/// The signature of one event message, and the time it was signed for (whole seconds: the
/// `:date` header and the string to sign must agree, and the string has no sub-seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEvent {
    /// Lowercase hex of the signature (the next message chains from it).
    pub signature: String,
    /// The raw 32 signature bytes, for the `:chunk-signature` header.
    pub signature_bytes: Vec<u8>,
    /// Milliseconds since the Unix epoch, for the `:date` timestamp header.
    pub date_millis: i64,
}

/// Signs the messages of an input event stream, each chained from the one before.
///
/// Seed it with the signature of the request's headers (signed with
/// [`PayloadChecksumKind::StreamingEvents`](super::PayloadChecksumKind::StreamingEvents)); sign
/// each encoded event message with [`EventSigner::sign`] and end with [`EventSigner::finish`].
/// `Debug` shows neither the secret nor a signing key.
pub struct EventSigner {
    secret_key: String,
    region: String,
    service: String,
    key: Option<([u8; 8], hmac::Key)>,
    previous_signature: String,
    finished: bool,
}

impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .field("previous_signature", &self.previous_signature)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl EventSigner {
    /// An event signer for the request signed with `params` whose signature is `seed_signature`.
    /// The messages are signed at the times passed to [`EventSigner::sign`], not at
    /// `params.time`.
    ///
    /// # Errors
    ///
    /// Invalid `params` (as for [`sign`](super::sign)) or a seed that is not 64 lowercase hex
    /// digits.
    pub fn new(params: &SigningParams<'_>, seed_signature: &str) -> Result<Self, SigningError> {
        params.validate()?;
        if !is_lower_hex_64(seed_signature) {
            return Err(SigningError::InvalidSeedSignature);
        }
        Ok(Self {
            secret_key: params.secret_key.to_owned(),
            region: params.region.to_owned(),
            service: params.service.to_owned(),
            key: None,
            previous_signature: seed_signature.to_owned(),
            finished: false,
        })
    }

    /// The signature of the last message signed (the seed before any).
    pub fn previous_signature(&self) -> &str {
        &self.previous_signature
    }

    /// Whether the closing (empty) message has been signed.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The string to sign for `message` (an encoded inner message; empty for the closing one)
    /// at `time`, without advancing the chain.
    ///
    /// # Errors
    ///
    /// A time before 1970 or after 9999.
    pub fn string_to_sign(&self, message: &[u8], time: SystemTime) -> Result<String, SigningError> {
        let (stamp, millis) = whole_seconds(time)?;
        Ok(self.string_to_sign_at(&stamp, millis, message))
    }

    fn string_to_sign_at(&self, stamp: &AmzDate, millis: i64, message: &[u8]) -> String {
        format!(
            "{CHUNK_ALGORITHM}\n{}\n{}/{}/{}/aws4_request\n{}\n{}\n{}",
            stamp.datetime_str(),
            stamp.date_str(),
            self.region,
            self.service,
            self.previous_signature,
            sha256_hex(&date_header(millis)),
            sha256_hex(message)
        )
    }

    /// Signs the next message at `time` and returns what its outer message carries. An empty
    /// `message` is the closing message, after which the stream is finished.
    ///
    /// # Errors
    ///
    /// [`SigningError::StreamFinished`] after the closing message; a time outside 1970..=9999.
    pub fn sign(&mut self, message: &[u8], time: SystemTime) -> Result<SignedEvent, SigningError> {
        if self.finished {
            return Err(SigningError::StreamFinished);
        }
        let (stamp, millis) = whole_seconds(time)?;
        let string_to_sign = self.string_to_sign_at(&stamp, millis, message);
        let date = stamp.date();
        let key = match &self.key {
            Some((d, key)) if *d == date => key,
            _ => {
                let key = derive_signing_key(&self.secret_key, &date, &self.region, &self.service);
                &self.key.insert((date, key)).1
            }
        };
        let tag = hmac::sign(key, string_to_sign.as_bytes());
        let signature_hex = signature(key, &string_to_sign);
        self.previous_signature.clone_from(&signature_hex);
        if message.is_empty() {
            self.finished = true;
        }
        Ok(SignedEvent {
            signature: signature_hex,
            signature_bytes: tag.as_ref().to_vec(),
            date_millis: millis,
        })
    }

    /// Signs the closing (empty) message at `time`.
    ///
    /// # Errors
    ///
    /// As for [`EventSigner::sign`].
    pub fn finish(&mut self, time: SystemTime) -> Result<SignedEvent, SigningError> {
        self.sign(&[], time)
    }
}

fn whole_seconds(time: SystemTime) -> Result<(AmzDate, i64), SigningError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::TimeBeforeEpoch)?
        .as_secs();
    let stamp = AmzDate::from_system_time(UNIX_EPOCH + Duration::from_secs(secs))?;
    let millis = i64::try_from(secs)
        .ok()
        .and_then(|s| s.checked_mul(1000))
        .ok_or(SigningError::TimeOutOfRange)?;
    Ok((stamp, millis))
}

/// The `:date` header as framed: name length, name, type 8 (timestamp), big-endian millis.
fn date_header(millis: i64) -> [u8; 15] {
    let mut out = [0u8; 15];
    out[0] = 5;
    out[1..6].copy_from_slice(b":date");
    out[6] = 8;
    out[7..].copy_from_slice(&millis.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::super::SigningSettings;
    use super::*;

    fn params(time: SystemTime) -> SigningParams<'static> {
        SigningParams {
            access_key: "AKIDEXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "testservice",
            time,
            settings: SigningSettings::default(),
        }
    }

    /// An event message `test payload` with header `some-header: value`, framed.
    fn inner_message() -> Vec<u8> {
        let mut headers = Vec::new();
        headers.push(11u8);
        headers.extend_from_slice(b"some-header");
        headers.push(7);
        headers.extend_from_slice(&5u16.to_be_bytes());
        headers.extend_from_slice(b"value");
        let payload = b"test payload";
        let total = 12 + headers.len() + payload.len() + 4;
        let mut m = Vec::new();
        m.extend_from_slice(&(total as u32).to_be_bytes());
        m.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&m);
        m.extend_from_slice(&prelude_crc.to_be_bytes());
        m.extend_from_slice(&headers);
        m.extend_from_slice(payload);
        let crc = crc32fast::hash(&m);
        m.extend_from_slice(&crc.to_be_bytes());
        m
    }

    // The published vector for event stream signing (the same message, time and previous
    // signature as the AWS SDKs' event-stream signer tests).
    #[test]
    fn string_to_sign_matches_the_published_vector() {
        let time = UNIX_EPOCH + Duration::new(123_456_789, 1234);
        let seed = sha256_hex(b"last message sts");
        let signer = EventSigner::new(&params(time), &seed).unwrap();
        let sts = signer.string_to_sign(&inner_message(), time).unwrap();
        assert_eq!(
            sts,
            "AWS4-HMAC-SHA256-PAYLOAD\n19731129T213309Z\n19731129/us-east-1/testservice/aws4_request\n\
             be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
             0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
             f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6"
        );
    }

    #[test]
    fn signatures_chain_and_the_empty_message_ends_the_stream() {
        let time = UNIX_EPOCH + Duration::new(1_700_000_000, 999_000_000);
        let seed = sha256_hex(b"seed");
        let mut signer = EventSigner::new(&params(time), &seed).unwrap();
        let first = signer.sign(b"one", time).unwrap();
        assert_eq!(first.date_millis, 1_700_000_000_000, "sub-seconds dropped");
        assert_eq!(
            crate::encoding::hex_encode(&first.signature_bytes),
            first.signature
        );
        // Recomputing by hand: HMAC(key, string to sign with the seed as previous signature).
        let key = derive_signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            b"20231114",
            "us-east-1",
            "testservice",
        );
        let again = EventSigner::new(&params(time), &seed).unwrap();
        let sts = again.string_to_sign(b"one", time).unwrap();
        assert_eq!(signature(&key, &sts), first.signature);
        let second = signer.sign(b"two", time).unwrap();
        assert_ne!(second.signature, first.signature);
        assert_eq!(signer.previous_signature(), second.signature);
        signer.finish(time).unwrap();
        assert!(signer.is_finished());
        assert_eq!(
            signer.sign(b"late", time).unwrap_err(),
            SigningError::StreamFinished
        );
    }

    #[test]
    fn a_stream_crossing_midnight_signs_with_the_new_day() {
        let before = UNIX_EPOCH + Duration::from_secs(1_700_006_399); // 2023-11-14T23:59:59Z
        let after = before + Duration::from_secs(2);
        let mut signer = EventSigner::new(&params(before), &sha256_hex(b"s")).unwrap();
        signer.sign(b"a", before).unwrap();
        let sts = signer.string_to_sign(b"b", after).unwrap();
        assert!(
            sts.contains("\n20231115/us-east-1/testservice/aws4_request\n"),
            "{sts}"
        );
    }

    #[test]
    fn bad_seeds_are_refused_and_debug_hides_the_secret() {
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            EventSigner::new(&params(time), "nothex").unwrap_err(),
            SigningError::InvalidSeedSignature
        );
        let signer = EventSigner::new(&params(time), &sha256_hex(b"x")).unwrap();
        assert!(!format!("{signer:?}").contains("EXAMPLEKEY"));
    }
}
