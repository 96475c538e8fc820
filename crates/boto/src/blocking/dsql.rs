//! The blocking twin of [`crate::dsql`].

use super::{block_on, Client};
use crate::error::Error;
use std::time::SystemTime;

pub use crate::dsql::{DbAction, DEFAULT_EXPIRES_IN};

/// See [`crate::dsql::generate_db_connect_auth_token`].
pub fn generate_db_connect_auth_token(
    client: &Client,
    hostname: &str,
    region: Option<&str>,
    expires_in: Option<u64>,
) -> Result<String, Error> {
    let at = SystemTime::now();
    generate_db_auth_token_at(client, hostname, DbAction::Connect, region, expires_in, at)
}

/// See [`crate::dsql::generate_db_connect_admin_auth_token`].
pub fn generate_db_connect_admin_auth_token(
    client: &Client,
    hostname: &str,
    region: Option<&str>,
    expires_in: Option<u64>,
) -> Result<String, Error> {
    let at = SystemTime::now();
    let action = DbAction::ConnectAdmin;
    generate_db_auth_token_at(client, hostname, action, region, expires_in, at)
}

/// See [`crate::dsql::generate_db_auth_token_at`].
pub fn generate_db_auth_token_at(
    client: &Client,
    hostname: &str,
    action: DbAction,
    region: Option<&str>,
    expires_in: Option<u64>,
    time: SystemTime,
) -> Result<String, Error> {
    block_on(crate::dsql::generate_db_auth_token_at(
        client.as_async(),
        hostname,
        action,
        region,
        expires_in,
        time,
    ))?
}
