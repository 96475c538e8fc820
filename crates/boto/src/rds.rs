//! IAM database authentication tokens for RDS (and Aurora, Neptune, DocumentDB), as botocore's
//! `generate_db_auth_token`: a URL presigned for the `connect` action of the `rds-db` service,
//! valid for 15 minutes, without its scheme. It is made locally from the client's credentials;
//! nothing is sent.

use crate::auth_token::{presigned_token, TokenRequest};
use crate::client::Client;
use crate::error::Error;
use boto_core::encoding::percent_encode;
use std::time::SystemTime;

/// How long a token is valid, in seconds (botocore's fixed 900).
pub const TOKEN_LIFETIME_SECS: u64 = 900;

/// A token for `username` on the database at `hostname:port`, signed for `region` (the client's
/// when `None`) with the client's credentials; use it as the password.
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// let rds = boto::client("rds")?;
/// let host = "db.example.us-west-2.rds.amazonaws.com";
/// let token = boto::rds::generate_db_auth_token(&rds, host, 5432, "app", None).await?;
/// # let _ = token; Ok(()) }
/// ```
///
/// # Errors
///
/// No region, no credentials, or names the signer refuses.
pub async fn generate_db_auth_token(
    client: &Client,
    hostname: &str,
    port: u16,
    username: &str,
    region: Option<&str>,
) -> Result<String, Error> {
    generate_db_auth_token_at(client, hostname, port, username, region, SystemTime::now()).await
}

/// [`generate_db_auth_token`] signed at `time` (for tests and reproducible tokens).
///
/// # Errors
///
/// As for [`generate_db_auth_token`].
pub async fn generate_db_auth_token_at(
    client: &Client,
    hostname: &str,
    port: u16,
    username: &str,
    region: Option<&str>,
    time: SystemTime,
) -> Result<String, Error> {
    let authority = format!("{hostname}:{port}");
    let query = format!(
        "Action=connect&DBUser={}",
        percent_encode(username.as_bytes(), b"")
    );
    let token = TokenRequest {
        authority: &authority,
        query: &query,
        service: "rds-db",
        region,
        expires_in: TOKEN_LIFETIME_SECS,
        time,
        what: "a DB auth token",
    };
    presigned_token(client, token).await
}
