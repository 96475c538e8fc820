//! Who signs, for which scope, at what time: [`SigningParams`] and the checks that keep a bad
//! credential or scope from producing a malformed `Authorization` header.

use std::fmt;
use std::time::SystemTime;

use super::time::AmzDate;
use super::{SigningError, SigningSettings};

/// Credentials, scope, time and settings of one signing.
///
/// `Debug` shows the access key id but redacts the secret key and the session token.
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// Access key id (`AKID...`).
    pub access_key: &'a str,
    /// Secret access key. Never printed.
    pub secret_key: &'a str,
    /// Session token of temporary credentials. Never printed.
    pub session_token: Option<&'a str>,
    /// Signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing name of the service, e.g. `s3`, `dynamodb`.
    pub service: &'a str,
    /// The signing time (the caller's clock; UTC, truncated to whole seconds). Must be within
    /// 1970..=9999.
    pub time: SystemTime,
    /// Per-service quirks.
    pub settings: SigningSettings,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key", &self.access_key)
            .field("secret_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.map(|_| "** redacted **"),
            )
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .field("settings", &self.settings)
            .finish()
    }
}

impl SigningParams<'_> {
    /// Check every credential and scope field, in a fixed order so the first bad one is named.
    pub(super) fn validate(&self) -> Result<(), SigningError> {
        validate_scope_part(self.access_key, "access_key")?;
        validate_scope_part(self.region, "region")?;
        validate_scope_part(self.service, "service")?;
        if self.secret_key.is_empty() {
            return Err(SigningError::InvalidParam {
                field: "secret_key",
            });
        }
        if let Some(token) = self.session_token {
            if token.is_empty() || token.chars().any(|c| c.is_control()) {
                return Err(SigningError::InvalidParam {
                    field: "session_token",
                });
            }
        }
        Ok(())
    }

    /// The credential scope `yyyymmdd/region/service/aws4_request` for the day of `stamp`.
    pub(super) fn credential_scope(&self, stamp: &AmzDate) -> String {
        self.scope_parts(stamp.date_str()).concat()
    }

    /// The credential scope for the day `date` (`yyyymmdd`), in pieces (a signer that hashes
    /// it as it goes need not join them).
    pub(super) fn scope_parts<'x>(&'x self, date: &'x str) -> [&'x str; 6] {
        [date, "/", self.region, "/", self.service, "/aws4_request"]
    }
}

/// A scope part ends up between `/` separators of the credential, so it must not hold one.
fn validate_scope_part(value: &str, field: &'static str) -> Result<(), SigningError> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c == '/' || c.is_whitespace() || c.is_control())
    {
        return Err(SigningError::InvalidParam { field });
    }
    Ok(())
}
