//! SSE-C: S3 takes the caller's encryption key base64-encoded in
//! `x-amz-server-side-encryption-customer-key`, with the base64 MD5 of the raw key beside it
//! (`...-key-MD5`), and the same pair for the copy source of CopyObject / UploadPartCopy. As
//! botocore's `sse_md5` / `copy_source_sse_md5` do, the caller passes the raw key, and when the
//! `...KeyMD5` member is absent both are filled in here. The key headers are sensitive in the
//! model, so the pipeline keeps them out of logs and `Debug`.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::encoding::base64_encode;
use crate::md5;
use crate::model::Operation;

pub(crate) struct SseCustomerKey;

/// The (key, key MD5) member pairs `op` takes a key under.
fn key_members(op: &str) -> &'static [(&'static str, &'static str)] {
    const KEY: (&str, &str) = ("SSECustomerKey", "SSECustomerKeyMD5");
    const COPY: (&str, &str) = ("CopySourceSSECustomerKey", "CopySourceSSECustomerKeyMD5");
    match op {
        "HeadObject"
        | "GetObject"
        | "PutObject"
        | "CreateMultipartUpload"
        | "UploadPart"
        | "CompleteMultipartUpload"
        | "SelectObjectContent" => &[KEY],
        "CopyObject" | "UploadPartCopy" => &[KEY, COPY],
        _ => &[],
    }
}

impl Customization for SseCustomerKey {
    fn name(&self) -> &'static str {
        "s3.sse_customer_key"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        for &(key_member, md5_member) in key_members(&op.name) {
            if !input[md5_member].is_null() {
                continue;
            }
            let raw: Vec<u8> = match &input[key_member] {
                Document::String(s) => s.as_bytes().to_vec(),
                Document::Blob(b) => b.to_vec(),
                _ => continue,
            };
            let _ = input.insert(md5_member, base64_encode(&md5::digest(&raw)));
            let _ = input.insert(key_member, base64_encode(&raw));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn keys_are_encoded_and_summed_unless_the_caller_did() {
        let s3 = crate::model::ServiceModel::load("s3").unwrap();
        let copy = s3.operation("CopyObject").unwrap();
        let key = "0123456789abcdef0123456789abcdef";
        let mut input = doc! {"SSECustomerKey": key, "CopySourceSSECustomerKey": key};
        SseCustomerKey
            .transform_input(copy, &mut InputEdit::new(&mut input))
            .unwrap();
        // base64 of the key, and of md5(key) (as Python's hashlib gives it).
        assert_eq!(
            input["SSECustomerKey"].as_str(),
            Some("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
        );
        assert_eq!(
            input["SSECustomerKeyMD5"].as_str(),
            input["CopySourceSSECustomerKeyMD5"].as_str()
        );
        let mut given = doc! {"SSECustomerKey": "already", "SSECustomerKeyMD5": "mine"};
        let get = s3.operation("GetObject").unwrap();
        SseCustomerKey
            .transform_input(get, &mut InputEdit::new(&mut given))
            .unwrap();
        assert_eq!(given["SSECustomerKey"].as_str(), Some("already"));
    }
}
