//! The body's one pass before the first attempt, once the signing plan is known: the request
//! checksum that prepare decided on and, when the plan signs the hash of a streamed body (SigV4
//! over plain HTTP, where botocore hashes a seekable body), that body's SHA-256. Both are fed
//! from one read of the body, where they used to read a file once each. Attempts send the same
//! body, so the pass is not made again for a retry.

use super::prepare::Prepared;
use super::signing_plan::SigningPlan;
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
    let mut sum = checksum.map(checksum::Plan::hasher);
    let mut sha256 = hash_for_signer.then(|| ring::digest::Context::new(&ring::digest::SHA256));
    let what = match (&sum, &sha256) {
        (Some(_), Some(_)) => "checksum and sign it",
        (None, Some(_)) => "sign it",
        _ => "checksum it",
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
    if let Some(plan) = checksum {
        let summed = sum.filter(|_| fed);
        checksum::finish(
            plan,
            prepared.model,
            prepared.op,
            &mut prepared.request,
            summed,
        )?;
    }
    if fed {
        prepared.payload_sha256 = sha256.map(|h| crate::encoding::hex_encode(h.finish().as_ref()));
    }
    Ok(())
}

/// The plan signs the SHA-256 of a body that is neither in memory (the signer hashes that
/// itself) nor announced in `x-amz-content-sha256` (Glacier's customization sets it), and that
/// can be read ahead (a file). A one-shot stream cannot: it is signed as the hash of nothing,
/// which a service that checks it refuses, as botocore cannot hash such a body either.
fn signs_streamed_hash(prepared: &Prepared<'_>, plan: &SigningPlan) -> bool {
    let streamed_file = prepared
        .body
        .as_ref()
        .is_some_and(|b| b.as_bytes().is_none() && b.replays());
    streamed_file
        && plan.settings.payload_checksum == PayloadChecksumKind::Sha256
        && !prepared.input_events
        && prepared
            .request
            .get_header("x-amz-content-sha256")
            .is_none()
}
