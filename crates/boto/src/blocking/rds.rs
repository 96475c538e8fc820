//! The blocking twin of [`crate::rds`].

use super::{block_on, Client};
use crate::error::Error;
use std::time::SystemTime;

pub use crate::rds::TOKEN_LIFETIME_SECS;

/// See [`crate::rds::generate_db_auth_token`].
pub fn generate_db_auth_token(
    client: &Client,
    hostname: &str,
    port: u16,
    username: &str,
    region: Option<&str>,
) -> Result<String, Error> {
    generate_db_auth_token_at(client, hostname, port, username, region, SystemTime::now())
}

/// See [`crate::rds::generate_db_auth_token_at`].
pub fn generate_db_auth_token_at(
    client: &Client,
    hostname: &str,
    port: u16,
    username: &str,
    region: Option<&str>,
    time: SystemTime,
) -> Result<String, Error> {
    block_on(crate::rds::generate_db_auth_token_at(
        client.as_async(),
        hostname,
        port,
        username,
        region,
        time,
    ))?
}
