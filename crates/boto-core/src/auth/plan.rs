//! The shape of a signing plan: what the call pipeline decides about signing before it signs
//! (made in `client/signing_plan.rs`, adjusted by service customizations, executed by the
//! signer). Plain data, so that customizations and the pipeline both depend on it and not on each
//! other.

use super::sigv4::SigningSettings;

/// How a request will be signed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SigningPlan {
    /// Signed with SigV4, or sent without a signature.
    pub auth: PlannedAuth,
    /// The signer's settings: payload hash, URI encoding, where the signature goes.
    pub settings: SigningSettings,
}

/// Who signs the request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlannedAuth {
    /// No signature: the operation allows anonymous calls.
    Anonymous,
    /// `Authorization: Bearer` with the client's token (never part of the plan itself).
    Bearer,
    /// SigV4 for this credential scope.
    SigV4 {
        /// The service name in the scope (`s3`, `s3express`, `execute-api`).
        signing_name: crate::document::Name,
        /// The region in the scope.
        signing_region: crate::document::Name,
    },
}

/// What the body of a request is, as far as signing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// The whole body is in memory (it can be hashed).
    InMemory,
    /// A stream that reads again from its start (a file): hashing it costs one more read of it,
    /// done once per call, in the same pass as the request checksum.
    Replayable,
    /// A one-shot stream: it cannot be read ahead, so its hash cannot be signed.
    Stream,
    /// An input event stream: each message is signed as it is sent, chained from the request's
    /// signature.
    Events,
}

/// The facts about one request that signing decisions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestFacts {
    /// The URL is `https://`.
    pub https: bool,
    /// The kind of body.
    pub body: BodyKind,
    /// `Some(seconds)` when making a presigned URL.
    pub presign_expires_in: Option<u64>,
}
