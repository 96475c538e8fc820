//! The body's one pass before the first attempt, once the signing plan is known: the request
//! checksum that prepare decided on and, when the plan signs the SHA-256 of a streamed body (S3
//! over plain HTTP, where botocore hashes a seekable body, and other services whose payload is
//! signed), that body's hash. Both are fed from one read of the body, where they used to read a
//! file once each. Attempts send the same body, so the pass is not made again for a retry (a
//! redirect prepares the request anew, and so digests it again).

use super::prepare::Prepared;
use super::signing_plan::{PlannedAuth, SigningPlan};
use super::{checksum, ConstructionError};
use crate::auth::sigv4::PayloadChecksumKind;
use tracing::Instrument;

/// Sums what `prepared`'s body still needs summed: adds the checksum header(s) and keeps the
/// payload hash for the signer (`Prepared::payload_sha256`).
pub(super) async fn digest(
    prepared: &mut Prepared<'_>,
    plan: &SigningPlan,
) -> Result<(), ConstructionError> {
    let checksum = prepared
        .checksum
        .take()
        .filter(|_| !checksum::given(&prepared.request));
    let hash_for_signer = signs_streamed_hash(prepared, plan);
    if checksum.is_none() && !hash_for_signer {
        return Ok(());
    }
    let mut sha256 = hash_for_signer.then(|| ring::digest::Context::new(&ring::digest::SHA256));
    // A SHA-256 checksum of a body the signer hashes too is that same digest: summed once.
    let shared = sha256.is_some() && checksum.is_some_and(checksum::Plan::is_sha256);
    let mut sum = checksum.filter(|_| !shared).map(checksum::Plan::hasher);
    let what = if sha256.is_some() {
        "hash it for the signature"
    } else {
        "checksum it"
    };
    let fed = checksum::Source::of(prepared.body.as_ref())
        .feed(what, |chunk| {
            if let Some(h) = sum.as_mut() {
                h.update(chunk);
            }
            if let Some(h) = sha256.as_mut() {
                h.update(chunk);
            }
        })
        .instrument(tracing::debug_span!("digest"))
        .await?;
    // Only a file is hashed for the signer, and a file is always read (`fed`).
    let payload = sha256.filter(|_| fed).map(ring::digest::Context::finish);
    if let Some(plan) = checksum {
        let value = match &payload {
            Some(digest) if shared => Some(checksum::checksum_text(digest.as_ref())),
            _ => sum.filter(|_| fed).map(checksum::Hasher::finish),
        };
        checksum::finish(
            plan,
            prepared.model,
            prepared.op,
            &mut prepared.request,
            value,
        )?;
    }
    prepared.payload_sha256 = payload.map(|d| crate::encoding::hex_encode(d.as_ref()));
    Ok(())
}

/// The plan signs (with SigV4, not anonymous or with a bearer token) the SHA-256 of a body that
/// is neither in memory (the signer hashes that itself) nor announced in `x-amz-content-sha256`
/// (Glacier's customization sets it), and that can be read ahead (a file). A one-shot stream
/// cannot: outside S3 it is signed as the hash of nothing, which a service that checks it
/// refuses, as botocore cannot hash such a body either (S3 signs it `UNSIGNED-PAYLOAD`).
pub(super) fn signs_streamed_hash(prepared: &Prepared<'_>, plan: &SigningPlan) -> bool {
    let streamed_file = prepared
        .body
        .as_ref()
        .is_some_and(|b| b.as_bytes().is_none() && b.replays());
    streamed_file
        && matches!(plan.auth, PlannedAuth::SigV4 { .. })
        && plan.settings.payload_checksum == PayloadChecksumKind::Sha256
        && !prepared.input_events
        && prepared
            .request
            .get_header("x-amz-content-sha256")
            .is_none()
}
