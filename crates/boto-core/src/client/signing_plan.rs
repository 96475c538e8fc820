//! The signing plan: every decision about how one request is signed, made up front as a pure
//! function of the model, the operation, the resolved endpoint and what the call is for. The signer
//! then only executes it.
//!
//! Decisions, in order: anonymous or signed (the operation's auth traits, the endpoint's auth
//! schemes) -> the credential scope (signing name and region: the endpoint's scheme overrides the
//! model and the client region) -> the payload hash (of what body a presigned URL keeps;
//! `UNSIGNED-PAYLOAD`, announced in `X-Amz-Content-SHA256`, for operations marked
//! `unsignedPayload`, over HTTP too, as botocore signs them) -> where the signature goes.
//! Services that sign differently adjust the plan in their customization's [`signing`] hook.
//!
//! [`signing`]: crate::customize::Customization::signing

pub use crate::auth::plan::{BodyKind, PlannedAuth, RequestFacts, SigningPlan};

use super::auth_choice::{self, AuthSettings, Scheme};
use super::ConstructionError;
use crate::auth::bearer::BearerToken;
use crate::auth::sigv4::{PayloadChecksumKind, SignatureLocation, SigningSettings};
use crate::customize::Customization;
use crate::document::Name;
use crate::endpoint::AuthScheme;
use crate::model::{Operation, ServiceModel};

/// Makes the plan for `op` sent to an endpoint with `schemes`, then lets the service's
/// customizations adjust it.
pub(crate) fn plan(
    model: &ServiceModel,
    op: &Operation,
    region: Option<&str>,
    schemes: impl IntoIterator<Item = AuthScheme>,
    facts: &RequestFacts,
    customizations: &[&dyn Customization],
    choice: &AuthSettings<'_>,
) -> Result<SigningPlan, ConstructionError> {
    let auth = match auth_choice::choose(model, op, choice)? {
        Scheme::Anonymous => PlannedAuth::Anonymous,
        Scheme::Bearer => bearer(model, facts, choice)?,
        Scheme::SigV4 => auth(model, region, schemes)?,
    };
    let mut plan = SigningPlan {
        auth,
        settings: settings(op, facts),
    };
    for c in customizations {
        c.signing(op, facts, &mut plan);
    }
    Ok(plan)
}

/// A bearer token goes in a header, over TLS only, and the client must have one.
fn bearer(
    model: &ServiceModel,
    facts: &RequestFacts,
    choice: &AuthSettings<'_>,
) -> Result<PlannedAuth, ConstructionError> {
    if !facts.https || facts.presign_expires_in.is_some() {
        return Err(ConstructionError::BearerNeedsHttps);
    }
    if !choice.bearer_token {
        let env_var = BearerToken::env_var(model.metadata().signing_name());
        return Err(ConstructionError::NoBearerToken { env_var });
    }
    Ok(PlannedAuth::Bearer)
}

/// SigV4's credential scope: the endpoint's scheme, else the model's name and the client's region.
/// The scheme's names move into the plan; the schemes after the first SigV4 one are never typed.
fn auth(
    model: &ServiceModel,
    region: Option<&str>,
    schemes: impl IntoIterator<Item = AuthScheme>,
) -> Result<PlannedAuth, ConstructionError> {
    let mut empty = true;
    let mut names = None;
    let mut unsupported = Vec::new();
    for s in schemes {
        empty = false;
        match s {
            AuthScheme::SigV4 {
                signing_name,
                signing_region,
                ..
            } => {
                names = Some((signing_name, signing_region));
                break;
            }
            other => unsupported.push(other.name().to_string()),
        }
    }
    let (name, scheme_region) = match names {
        Some(scope) => scope,
        None if empty => (None, None),
        None => return Err(ConstructionError::UnsupportedAuthSchemes(unsupported)),
    };
    Ok(PlannedAuth::SigV4 {
        signing_name: name.unwrap_or_else(|| model.metadata().signing_name().into()),
        signing_region: scheme_region
            .or_else(|| region.map(Name::from))
            .unwrap_or_else(|| Name::new_static("us-east-1")),
    })
}

fn settings(op: &Operation, facts: &RequestFacts) -> SigningSettings {
    let mut settings = SigningSettings::default();
    if let Some(expires_in) = facts.presign_expires_in {
        // botocore's query signer hashes what body is left (none, once a form moved into the
        // query: the empty hash); only S3's signer says UNSIGNED-PAYLOAD (its customization).
        settings.location = SignatureLocation::QueryString { expires_in };
    } else if facts.body == BodyKind::Events {
        settings.payload_checksum = PayloadChecksumKind::StreamingEvents;
        settings.content_sha256_header = true;
    } else if op.unsigned_payload || op.auth_type.as_deref() == Some("v4-unsigned-body") {
        // botocore's signer puts `UNSIGNED-PAYLOAD` in the header too, whatever the scheme:
        // without it the service would hash the body to check the signature.
        settings.payload_checksum = PayloadChecksumKind::UnsignedPayload;
        settings.content_sha256_header = true;
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::sigv4::UriEncoding;
    use crate::config::AuthSchemePreference;

    /// The plan with no auth settings: no preference, no token, signing.
    fn plan(
        model: &ServiceModel,
        op: &Operation,
        region: Option<&str>,
        schemes: &[AuthScheme],
        facts: &RequestFacts,
        customizations: &[&dyn Customization],
    ) -> Result<SigningPlan, ConstructionError> {
        let preference = AuthSchemePreference::default();
        let choice = AuthSettings {
            preference: &preference,
            bearer_token: false,
            bearer_token_preferred: false,
            unsigned: false,
        };
        super::plan(
            model,
            op,
            region,
            schemes.to_vec(),
            facts,
            customizations,
            &choice,
        )
    }

    fn facts(https: bool, body: BodyKind, presign: Option<u64>) -> RequestFacts {
        RequestFacts {
            https,
            body,
            presign_expires_in: presign,
        }
    }

    #[test]
    fn an_unsigned_payload_operation_says_so_in_a_header_over_either_scheme() {
        let model = ServiceModel::load("sqs").unwrap();
        let mut op = model.operation("ListQueues").unwrap().clone();
        let plain = settings(&op, &facts(false, BodyKind::InMemory, None));
        assert_eq!(plain.payload_checksum, PayloadChecksumKind::Sha256);
        assert!(!plain.content_sha256_header);
        op.unsigned_payload = true;
        for https in [false, true] {
            let s = settings(&op, &facts(https, BodyKind::InMemory, None));
            assert_eq!(s.payload_checksum, PayloadChecksumKind::UnsignedPayload);
            assert!(s.content_sha256_header, "https: {https}");
        }
        op.unsigned_payload = false;
        op.auth_type = Some("v4-unsigned-body".into());
        let legacy = settings(&op, &facts(false, BodyKind::Replayable, None));
        assert_eq!(
            legacy.payload_checksum,
            PayloadChecksumKind::UnsignedPayload
        );
    }

    #[test]
    fn scope_comes_from_the_endpoint_scheme_then_the_model() {
        let model = ServiceModel::load("sqs").unwrap();
        let op = model.operation("ListQueues").unwrap();
        let plain = plan(
            &model,
            op,
            Some("eu-west-1"),
            &[],
            &facts(true, BodyKind::InMemory, None),
            &[],
        )
        .unwrap();
        assert_eq!(
            plain.auth,
            PlannedAuth::SigV4 {
                signing_name: "sqs".into(),
                signing_region: "eu-west-1".into()
            }
        );
        assert_eq!(plain.settings, SigningSettings::default());
        let scheme = AuthScheme::SigV4 {
            signing_name: Some("other".into()),
            signing_region: Some("us-west-2".into()),
            disable_double_encoding: false,
        };
        let scoped = plan(
            &model,
            op,
            Some("eu-west-1"),
            &[scheme],
            &facts(true, BodyKind::None, None),
            &[],
        )
        .unwrap();
        assert_eq!(
            scoped.auth,
            PlannedAuth::SigV4 {
                signing_name: "other".into(),
                signing_region: "us-west-2".into()
            }
        );
        let unsupported = [AuthScheme::SigV4a {
            signing_name: None,
            signing_region_set: vec!["*".into()],
        }];
        let err = plan(
            &model,
            op,
            None,
            &unsupported,
            &facts(true, BodyKind::None, None),
            &[],
        )
        .unwrap_err();
        assert!(
            matches!(err, ConstructionError::UnsupportedAuthSchemes(ref n) if n == &["sigv4a"])
        );
    }

    #[test]
    fn presigning_hashes_the_payload_as_botocores_query_signer() {
        let model = ServiceModel::load("sqs").unwrap();
        let op = model.operation("ListQueues").unwrap();
        let p = plan(
            &model,
            op,
            None,
            &[],
            &facts(false, BodyKind::InMemory, Some(60)),
            &[],
        )
        .unwrap();
        assert_eq!(p.settings.payload_checksum, PayloadChecksumKind::Sha256);
        assert_eq!(
            p.settings.location,
            SignatureLocation::QueryString { expires_in: 60 }
        );
        assert_eq!(p.settings.uri_encoding, UriEncoding::Double);
    }

    #[test]
    fn s3_plans_through_its_customization() {
        let model = ServiceModel::load("s3").unwrap();
        let op = model.operation("PutObject").unwrap();
        let http = crate::http::HttpClient::new(Default::default()).unwrap();
        let custom = crate::customize::for_service("s3", &crate::client::ClientConfig::new(http));
        let over_tls = plan(
            &model,
            op,
            Some("us-east-1"),
            &[],
            &facts(true, BodyKind::InMemory, None),
            custom,
        )
        .unwrap();
        assert_eq!(
            over_tls.settings.payload_checksum,
            PayloadChecksumKind::UnsignedPayload
        );
        assert_eq!(over_tls.settings.uri_encoding, UriEncoding::Single);
        assert!(over_tls.settings.content_sha256_header);
        let plain_http = plan(
            &model,
            op,
            Some("us-east-1"),
            &[],
            &facts(false, BodyKind::InMemory, None),
            custom,
        )
        .unwrap();
        assert_eq!(
            plain_http.settings.payload_checksum,
            PayloadChecksumKind::Sha256
        );
        let stream = plan(
            &model,
            op,
            Some("us-east-1"),
            &[],
            &facts(false, BodyKind::Stream, None),
            custom,
        )
        .unwrap();
        assert_eq!(
            stream.settings.payload_checksum,
            PayloadChecksumKind::UnsignedPayload
        );
        // A file is hashed over plain HTTP, as botocore hashes a seekable body; not over TLS.
        let file = |https| {
            plan(
                &model,
                op,
                Some("us-east-1"),
                &[],
                &facts(https, BodyKind::Replayable, None),
                custom,
            )
            .unwrap()
            .settings
            .payload_checksum
        };
        assert_eq!(file(false), PayloadChecksumKind::Sha256);
        assert_eq!(file(true), PayloadChecksumKind::UnsignedPayload);
    }
}
