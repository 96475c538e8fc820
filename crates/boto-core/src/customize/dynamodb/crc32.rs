//! DynamoDB sends `x-amz-crc32`, the CRC32 of the response body, so a body damaged on the way
//! is caught before it is parsed. botocore (its `crc32` retry checker for DynamoDB) retries such
//! a response and raises once the attempts are spent; boto-rs reports it as an
//! [`ProtocolError::Integrity`] failure, which the retry loop retries like a transient fault.

use super::super::Customization;
use crate::model::Operation;
use crate::protocol::{ProtocolError, RawResponse};

pub(crate) struct Crc32;

impl Customization for Crc32 {
    fn name(&self) -> &'static str {
        "dynamodb.crc32"
    }

    fn check_response(&self, _op: &Operation, resp: &RawResponse) -> Result<(), ProtocolError> {
        let Some(expected) = resp.header("x-amz-crc32") else {
            return Ok(());
        };
        let actual = crc32fast::hash(&resp.body);
        if expected.trim().parse::<u32>().ok() == Some(actual) {
            return Ok(());
        }
        Err(ProtocolError::Integrity(format!(
            "x-amz-crc32 is {expected} but the body's CRC32 is {actual}"
        )))
    }
}
