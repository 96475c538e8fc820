//! SigV4 for browser-based POST uploads (S3's form POST): the string to sign is the
//! base64-encoded policy document itself, signed with the usual derived key for the scope.

use super::key;
use super::time::AmzDate;
use super::{SigningError, SigningParams};

/// The credential scope `access_key/yyyymmdd/region/service/aws4_request` of `params`, checked
/// as for any signature.
pub fn post_credential(params: &SigningParams<'_>) -> Result<String, SigningError> {
    params.validate()?;
    let date = AmzDate::from_system_time(params.time)?;
    let day = date.date();
    Ok(format!(
        "{}/{}/{}/{}/aws4_request",
        params.access_key,
        std::str::from_utf8(&day).unwrap_or_default(),
        params.region,
        params.service
    ))
}

/// The lowercase hex SigV4 signature of `policy_base64` for `params`' scope and date.
pub fn sign_post_policy(
    policy_base64: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    params.validate()?;
    let date = AmzDate::from_system_time(params.time)?;
    let signing_key = key::signing_key(params, &date.date(), None);
    Ok(key::signature(&signing_key, policy_base64))
}
