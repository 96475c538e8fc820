//! S3's endpoint rules put the bucket into the endpoint (virtual host, or path for path-style and
//! custom endpoints), so the `/{Bucket}` segment of the modeled request URI must not be sent again.
//! botocore does the same by rewriting the model's `requestUri` at load time.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::uri;
use crate::protocol::SerializedRequest;

pub(crate) struct BucketInEndpoint;

impl Customization for BucketInEndpoint {
    fn name(&self) -> &'static str {
        "s3.bucket_in_endpoint"
    }

    fn after_serialize(
        &self,
        op: &Operation,
        input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if !op.http.path.starts_with("/{Bucket}") {
            return Ok(());
        }
        let Some(bucket) = input["Bucket"].as_str() else {
            return Ok(());
        };
        let encoded = uri::encode_cow(bucket, false);
        // `/{Bucket}` comes off in place: `/b/k` becomes `/k`, `/b` becomes `/`.
        let prefix = req
            .path
            .strip_prefix('/')
            .and_then(|path| path.strip_prefix(encoded.as_ref()))
            .map(|rest| req.path.len() - rest.len());
        if let Some(prefix) = prefix {
            if prefix == req.path.len() {
                req.path.truncate(1);
            } else {
                req.path.drain(..prefix);
            }
        }
        Ok(())
    }
}
