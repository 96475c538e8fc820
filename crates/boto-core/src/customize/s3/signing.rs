//! S3 signs differently from every other service (botocore's `s3v4` signer, used by S3 and S3
//! Control): the path goes into the canonical request as sent (encoded once, never normalized),
//! the payload hash travels in `X-Amz-Content-SHA256`, and the payload is not hashed over TLS or
//! when the body is a stream that cannot be read twice (`UNSIGNED-PAYLOAD`). Presigned URLs
//! never sign the payload.

use super::super::Customization;
use crate::auth::plan::{BodyKind, RequestFacts, SigningPlan};
use crate::auth::sigv4::{PayloadChecksumKind, SigningSettings};
use crate::model::Operation;

pub(crate) struct S3Signing;

impl Customization for S3Signing {
    fn name(&self) -> &'static str {
        "s3.signing"
    }

    fn signing(&self, _op: &Operation, facts: &RequestFacts, plan: &mut SigningPlan) {
        plan.settings = match facts.presign_expires_in {
            Some(expires_in) => SigningSettings::s3_presigned(expires_in),
            None => {
                let mut settings = SigningSettings::s3();
                settings.payload_checksum = if facts.https || facts.body == BodyKind::Stream {
                    PayloadChecksumKind::UnsignedPayload
                } else {
                    PayloadChecksumKind::Sha256
                };
                settings
            }
        };
    }
}
