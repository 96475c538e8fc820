//! `signature_version`: botocore's `Config(signature_version=UNSIGNED)` (the CLI's
//! `--no-sign-request`) makes a client that signs nothing and looks up no credentials. Set it
//! explicitly (`.config("signature_version", "UNSIGNED")`) or in the profile's `s3` block, as
//! botocore reads `s3.signature_version`.

use super::{ConfigError, ConfigResolver, Resolved, ValueSource};

/// How requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// SigV4 (`v4`, `s3v4`): the default.
    #[default]
    V4,
    /// Not at all (`UNSIGNED`): anonymous requests, no credentials looked up.
    Unsigned,
}

impl ConfigResolver {
    /// `signature_version`: explicit, then the profile's `s3.signature_version`; `V4` when unset.
    /// `UNSIGNED` (any case) is [`SignatureVersion::Unsigned`]; `v4` and `s3v4` sign.
    pub fn signature_version(&self) -> Result<SignatureVersion, ConfigError> {
        let r = match self.overrides.get("signature_version") {
            Some(v) => Some(Resolved {
                value: v.clone(),
                source: ValueSource::Explicit("signature_version".into()),
            }),
            None => self.nested_value("s3", "signature_version"),
        };
        let Some(r) = r else {
            return Ok(SignatureVersion::V4);
        };
        match r.value.trim().to_ascii_lowercase().as_str() {
            "unsigned" => Ok(SignatureVersion::Unsigned),
            "v4" | "s3v4" => Ok(SignatureVersion::V4),
            _ => Err(r.invalid("one of UNSIGNED, v4, s3v4")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Env, SharedFiles};

    #[test]
    fn unsigned_is_read_explicitly_or_from_the_s3_block() {
        let env = || Env::from_vars([("HOME", "/nonexistent")]);
        let plain = ConfigResolver::builder(env())
            .files(SharedFiles::empty())
            .build()
            .unwrap();
        assert_eq!(plain.signature_version(), Ok(SignatureVersion::V4));
        let explicit = ConfigResolver::builder(env())
            .files(SharedFiles::empty())
            .set("signature_version", "UNSIGNED")
            .build()
            .unwrap();
        assert_eq!(explicit.signature_version(), Ok(SignatureVersion::Unsigned));
        let files = SharedFiles::from_contents(
            "/c",
            Some("[default]\ns3 =\n  signature_version = unsigned\n"),
            "/k",
            None,
        )
        .unwrap();
        let profile = ConfigResolver::builder(env()).files(files).build().unwrap();
        assert_eq!(profile.signature_version(), Ok(SignatureVersion::Unsigned));
        let bad = ConfigResolver::builder(env())
            .files(SharedFiles::empty())
            .set("signature_version", "v2")
            .build()
            .unwrap()
            .signature_version()
            .unwrap_err();
        assert!(bad.to_string().contains("UNSIGNED, v4, s3v4"), "{bad}");
    }
}
