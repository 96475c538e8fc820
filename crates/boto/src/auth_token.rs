//! What RDS's and DSQL's database tokens share: a `GET /` URL for one action, presigned with the
//! client's credentials for a service and region, returned without its scheme. Made locally;
//! nothing is sent.

use crate::client::Client;
use crate::error::Error;
use boto_core::auth::sigv4::{
    self, PayloadChecksumKind, SignableBody, SignableRequest, SignatureLocation, SigningParams,
    SigningSettings,
};
use boto_core::client::{ConstructionError, SdkError};
use std::time::SystemTime;

/// One token to sign.
pub(crate) struct TokenRequest<'a> {
    /// `host` or `host:port`: the URL's authority, and the signed `host` header.
    pub(crate) authority: &'a str,
    /// The query before signing (`Action=...`), already percent-encoded.
    pub(crate) query: &'a str,
    /// The signing name (`rds-db`, `dsql`).
    pub(crate) service: &'a str,
    /// The region to sign for; the client's when `None`.
    pub(crate) region: Option<&'a str>,
    /// Seconds the token is valid.
    pub(crate) expires_in: u64,
    /// The signing time.
    pub(crate) time: SystemTime,
    /// What the token is for, in error messages (`a DB auth token`).
    pub(crate) what: &'a str,
}

/// Signs `token` with `client`'s credentials: `authority/?query&X-Amz-...`.
pub(crate) async fn presigned_token(
    client: &Client,
    token: TokenRequest<'_>,
) -> Result<String, Error> {
    let what = token.what;
    let region = token
        .region
        .or_else(|| client.region())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{what} needs a region: pass one or give the client one"
            ))
        })?;
    let provider = client
        .service_client()
        .config()
        .credentials
        .clone()
        .ok_or_else(|| {
            Error::Usage(format!("{what} needs credentials; this client is unsigned"))
        })?;
    let creds = provider
        .provide_credentials()
        .await
        .map_err(|e| Error::Sdk(SdkError::from(e)))?;
    let headers = [("host", token.authority)];
    let request = SignableRequest {
        method: "GET",
        path: "/",
        query: token.query,
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let params = SigningParams {
        access_key: creds.access_key_id(),
        secret_key: creds.secret_access_key(),
        session_token: creds.session_token(),
        region: &region,
        service: token.service,
        time: token.time,
        settings: SigningSettings {
            // botocore hashes the (empty) body here, not UNSIGNED-PAYLOAD as S3 presigns.
            payload_checksum: PayloadChecksumKind::Sha256,
            location: SignatureLocation::QueryString {
                expires_in: token.expires_in,
            },
            ..SigningSettings::default()
        },
    };
    let signed = sigv4::sign(&request, &params)
        .map_err(|e| Error::Sdk(SdkError::Construction(ConstructionError::Signing(e))))?;
    Ok(format!(
        "{}/?{}",
        token.authority,
        signed.presigned_query(token.query)
    ))
}
