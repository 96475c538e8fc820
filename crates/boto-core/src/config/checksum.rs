//! The flexible-checksum settings of botocore 1.36+: `request_checksum_calculation` and
//! `response_checksum_validation`, each `when_supported` (the default) or `when_required`, from
//! the session (`Config(...)`), `AWS_REQUEST_CHECKSUM_CALCULATION` /
//! `AWS_RESPONSE_CHECKSUM_VALIDATION`, or the profile key of the same name.

use super::{ConfigError, ConfigResolver};

/// When a checksum is computed (requests) or checked (responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChecksumWhen {
    /// Whenever the operation supports one (botocore's default).
    #[default]
    WhenSupported,
    /// Only when the operation requires one, or the caller asked for one (an algorithm, or
    /// `ChecksumMode`).
    WhenRequired,
}

impl ConfigResolver {
    /// `request_checksum_calculation`: explicit, `AWS_REQUEST_CHECKSUM_CALCULATION`, profile
    /// key; `when_supported` when unset.
    pub fn request_checksum_calculation(&self) -> Result<ChecksumWhen, ConfigError> {
        self.checksum_when(
            "request_checksum_calculation",
            "AWS_REQUEST_CHECKSUM_CALCULATION",
        )
    }

    /// `response_checksum_validation`: explicit, `AWS_RESPONSE_CHECKSUM_VALIDATION`, profile
    /// key; `when_supported` when unset.
    pub fn response_checksum_validation(&self) -> Result<ChecksumWhen, ConfigError> {
        self.checksum_when(
            "response_checksum_validation",
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
        )
    }

    fn checksum_when(&self, name: &str, var: &str) -> Result<ChecksumWhen, ConfigError> {
        let Some(r) = self.resolve(name, &[var], Some(name)) else {
            return Ok(ChecksumWhen::WhenSupported);
        };
        match r.value.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Ok(ChecksumWhen::WhenSupported),
            "when_required" => Ok(ChecksumWhen::WhenRequired),
            _ => Err(r.invalid("one of when_supported, when_required")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Env, SharedFiles};

    fn resolver(vars: &[(&str, &str)], config: &str) -> ConfigResolver {
        let files = SharedFiles::from_contents("/c", Some(config), "/k", None).unwrap();
        ConfigResolver::builder(Env::from_vars(vars.iter().copied()))
            .files(files)
            .build()
            .unwrap()
    }

    #[test]
    fn explicit_then_env_then_profile_then_default() {
        let r = resolver(&[], "");
        assert_eq!(
            r.request_checksum_calculation(),
            Ok(ChecksumWhen::WhenSupported)
        );
        let r = resolver(
            &[],
            "[default]\nrequest_checksum_calculation = when_required\n",
        );
        assert_eq!(
            r.request_checksum_calculation(),
            Ok(ChecksumWhen::WhenRequired)
        );
        assert_eq!(
            r.response_checksum_validation(),
            Ok(ChecksumWhen::WhenSupported)
        );
        let r = resolver(
            &[("AWS_RESPONSE_CHECKSUM_VALIDATION", "WHEN_REQUIRED")],
            "[default]\nresponse_checksum_validation = when_supported\n",
        );
        assert_eq!(
            r.response_checksum_validation(),
            Ok(ChecksumWhen::WhenRequired)
        );
        let err = resolver(&[("AWS_REQUEST_CHECKSUM_CALCULATION", "sometimes")], "")
            .request_checksum_calculation()
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("when_supported, when_required"), "{msg}");
        assert!(msg.contains("AWS_REQUEST_CHECKSUM_CALCULATION"), "{msg}");
    }
}
