//! Authentication tokens for Aurora DSQL clusters, as botocore's
//! `generate_db_connect_auth_token` and `generate_db_connect_admin_auth_token`: a URL presigned
//! for the `DbConnect` (or `DbConnectAdmin`) action of the `dsql` service, without its scheme,
//! used as the database password. It is made locally from the client's credentials; nothing is
//! sent.

use crate::auth_token::{presigned_token, TokenRequest};
use crate::client::Client;
use crate::error::Error;
use std::time::SystemTime;

/// How long a token is valid unless asked otherwise, in seconds (botocore's default).
pub const DEFAULT_EXPIRES_IN: u64 = 900;

/// The role a token connects as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbAction {
    /// A custom database role (`DbConnect`).
    Connect,
    /// The `admin` role (`DbConnectAdmin`).
    ConnectAdmin,
}

impl DbAction {
    /// The action's name in the token.
    pub fn name(self) -> &'static str {
        match self {
            DbAction::Connect => "DbConnect",
            DbAction::ConnectAdmin => "DbConnectAdmin",
        }
    }
}

/// A token for a custom role on the cluster at `hostname`, signed for `region` (the client's when
/// `None`), valid for `expires_in` seconds ([`DEFAULT_EXPIRES_IN`] when `None`).
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// let dsql = boto::client("dsql")?;
/// let host = "abcdefghijklmnop.dsql.us-east-1.on.aws";
/// let password = boto::dsql::generate_db_connect_auth_token(&dsql, host, None, None).await?;
/// # let _ = password; Ok(()) }
/// ```
///
/// # Errors
///
/// No region, no credentials, or names the signer refuses.
pub async fn generate_db_connect_auth_token(
    client: &Client,
    hostname: &str,
    region: Option<&str>,
    expires_in: Option<u64>,
) -> Result<String, Error> {
    let at = SystemTime::now();
    generate_db_auth_token_at(client, hostname, DbAction::Connect, region, expires_in, at).await
}

/// A token for the `admin` role; otherwise as [`generate_db_connect_auth_token`].
///
/// # Errors
///
/// As for [`generate_db_connect_auth_token`].
pub async fn generate_db_connect_admin_auth_token(
    client: &Client,
    hostname: &str,
    region: Option<&str>,
    expires_in: Option<u64>,
) -> Result<String, Error> {
    let at = SystemTime::now();
    let action = DbAction::ConnectAdmin;
    generate_db_auth_token_at(client, hostname, action, region, expires_in, at).await
}

/// A token for `action`, signed at `time` (for tests and reproducible tokens).
///
/// # Errors
///
/// As for [`generate_db_connect_auth_token`].
pub async fn generate_db_auth_token_at(
    client: &Client,
    hostname: &str,
    action: DbAction,
    region: Option<&str>,
    expires_in: Option<u64>,
    time: SystemTime,
) -> Result<String, Error> {
    let query = format!("Action={}", action.name());
    let token = TokenRequest {
        authority: hostname,
        query: &query,
        service: "dsql",
        region,
        expires_in: expires_in.unwrap_or(DEFAULT_EXPIRES_IN),
        time,
        what: "a DSQL auth token",
    };
    presigned_token(client, token).await
}
