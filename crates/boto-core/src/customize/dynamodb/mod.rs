//! DynamoDB's (and DynamoDB Streams') customizations.

mod retry_backoff;

pub(super) use retry_backoff::RetryBackoff;
