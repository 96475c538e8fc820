//! DynamoDB's (and DynamoDB Streams') customizations.

mod crc32;
mod retry_backoff;

pub(super) use crc32::Crc32;
pub(super) use retry_backoff::RetryBackoff;
