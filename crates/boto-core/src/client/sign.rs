//! The sign phase: executes a [`SigningPlan`] on a prepared request. It adds the headers every
//! request carries (`host`, `user-agent`, `content-length`), fetches credentials and signs with
//! SigV4, into headers or, presigning, into the URL's query string.

use super::prepare::Prepared;
use super::signing_plan::{PlannedAuth, SigningPlan};
use super::{ConstructionError, SdkError};
use crate::auth::sigv4::{
    self, EventSigner, PayloadChecksumKind, SignableBody, SignableRequest, SignatureLocation,
    SigningParams,
};
use crate::http::{ByteStream, Headers};
use std::fmt::Write as _;
use tracing::Instrument;

/// A signed request: every header, and the URL when signing changed it (presigned: the signature
/// is in its query); otherwise the prepared URL goes as it is, uncopied.
pub(super) struct Signed {
    pub(super) url: Option<String>,
    /// Every header, the secret ones (the signer's and the model's marks) marked.
    pub(super) headers: Headers,
    /// For an input event stream, the signer of its messages, seeded with this signature.
    pub(super) event_signer: Option<EventSigner>,
}

/// Signs `prepared` as `plan` says, with fresh credentials from the client's provider. What the
/// signature covers is taken from `prepared` before the first await, so the returned future
/// holds no reference to the (non-`Sync`) body; it borrows only the plan and the method.
pub(super) fn sign<'p>(
    client: &super::ServiceClient,
    prepared: &'p Prepared<'_>,
    plan: &'p SigningPlan,
) -> impl std::future::Future<Output = Result<Signed, SdkError>> + Send + 'p {
    let inner = client.inner.clone();
    let presigned = matches!(
        plan.settings.location,
        SignatureLocation::QueryString { .. }
    );
    let headers = base_headers(prepared, &inner.user_agent, presigned);
    let url: &'p str = &prepared.url;
    let method: &str = &prepared.request.method;
    let body_bytes = prepared
        .body
        .as_ref()
        .and_then(ByteStream::as_bytes)
        .cloned()
        .unwrap_or_default();
    let payload = streamed_payload(prepared, plan);
    let provider = prepared.config.credentials.clone();
    let token = prepared.config.bearer_token.clone();
    async move {
        let payload = payload?;
        if plan.auth == PlannedAuth::Bearer {
            let provider = token.ok_or_else(|| {
                // The plan checked for a token; a config changed since would end here.
                ConstructionError::Usage("a bearer token was planned and is gone".into())
            })?;
            let token = provider
                .provide_token()
                .instrument(tracing::debug_span!("token"))
                .await
                .map_err(SdkError::from)?;
            let mut headers = headers;
            headers.remove("authorization");
            headers.push_sensitive("Authorization", &format!("Bearer {}", token.secret()));
            return Ok(Signed {
                url: None,
                headers,
                event_signer: None,
            });
        }
        let (
            PlannedAuth::SigV4 {
                signing_name,
                signing_region,
            },
            Some(provider),
        ) = (&plan.auth, provider)
        else {
            return Ok(Signed {
                url: None,
                headers,
                event_signer: None,
            });
        };
        let creds = match provider.ready_credentials() {
            Some(creds) => creds,
            None => provider
                .provide_credentials()
                .instrument(tracing::debug_span!("credentials"))
                .await
                .map_err(SdkError::from)?,
        };
        let payload_hash = match payload {
            StreamedPayload::Known(hash) => Some(hash),
            StreamedPayload::NotStreamed => None,
        };
        let (path, query) = split_url(url);
        // The signer borrows the headers as pairs of `&str`: on the stack for the usual request,
        // in a list only for one with more headers than that.
        let mut on_stack = [("", ""); BORROWED_HEADERS];
        let in_list: Vec<(&str, &str)>;
        let header_refs: &[(&str, &str)] = if headers.len() <= BORROWED_HEADERS {
            for (slot, pair) in on_stack.iter_mut().zip(headers.iter()) {
                *slot = pair;
            }
            &on_stack[..headers.len()]
        } else {
            in_list = headers.iter().collect();
            &in_list
        };
        let signable = SignableRequest {
            method,
            path,
            query,
            headers: header_refs,
            body: match &payload_hash {
                Some(hash) => SignableBody::Precomputed(hash),
                None => SignableBody::Bytes(&body_bytes),
            },
        };
        let params = SigningParams {
            access_key: creds.access_key_id(),
            secret_key: creds.secret_access_key(),
            session_token: creds.session_token(),
            region: signing_region,
            service: signing_name,
            time: std::time::SystemTime::now(),
            settings: plan.settings,
        };
        if presigned {
            let out = sigv4::sign_with_cache(&signable, &params, &inner.signing_keys)
                .map_err(ConstructionError::Signing)?;
            let base = url.split('?').next().unwrap_or_default();
            return Ok(Signed {
                url: Some(format!("{base}?{}", out.presigned_query(query))),
                headers,
                event_signer: None,
            });
        }
        let out = sigv4::sign_headers(&signable, &params, Some(&inner.signing_keys))
            .map_err(ConstructionError::Signing)?;
        let event_signer = (plan.settings.payload_checksum == PayloadChecksumKind::StreamingEvents)
            .then(|| EventSigner::new(&params, out.signature()))
            .transpose()
            .map_err(ConstructionError::Signing)?;
        let mut headers = headers;
        for field in out.fields() {
            headers.remove(field.name);
            if field.sensitive {
                headers.push_sensitive(field.name, field.value);
            } else {
                headers.push(field.name, field.value);
            }
        }
        Ok(Signed {
            url: None,
            headers,
            event_signer,
        })
    }
}

impl Signed {
    /// The URL to send: the signed one, or else the prepared one.
    pub(super) fn into_url(self, prepared_url: &str) -> String {
        self.url.unwrap_or_else(|| prepared_url.to_string())
    }
}

/// How many headers the signer borrows from the stack (a small PUT carries about a dozen).
const BORROWED_HEADERS: usize = 24;

/// The payload hash of a streamed body, when the plan signs the payload.
enum StreamedPayload {
    /// The body is in memory (or absent, or a one-shot stream), or its hash is not signed.
    NotStreamed,
    /// The request announces it (`x-amz-content-sha256`, as Glacier's customization sets it),
    /// and botocore signs that value; or the body's pass before the first attempt summed it.
    Known(String),
}

fn streamed_payload(
    prepared: &Prepared<'_>,
    plan: &SigningPlan,
) -> Result<StreamedPayload, SdkError> {
    let streamed = prepared
        .body
        .as_ref()
        .is_some_and(|b| b.as_bytes().is_none());
    if !streamed
        || plan.settings.payload_checksum != PayloadChecksumKind::Sha256
        || prepared.input_events
    {
        return Ok(StreamedPayload::NotStreamed);
    }
    if let Some(hash) = prepared.request.get_header("x-amz-content-sha256") {
        return Ok(StreamedPayload::Known(hash.to_string()));
    }
    if !super::digest::signs_streamed_hash(prepared, plan) {
        // A one-shot stream cannot be read ahead: its payload hash is that of nothing, which a
        // service that checks it refuses (as botocore cannot hash such a body either).
        return Ok(StreamedPayload::NotStreamed);
    }
    match &prepared.payload_sha256 {
        Some(hash) => Ok(StreamedPayload::Known(hash.clone())),
        // `invoke::ready` digests the body before any signing; a path that skipped it would
        // sign a file as empty.
        None => Err(ConstructionError::Usage(
            "internal error: the file body's SHA-256 was not summed before signing (a bug in boto-rs; please report it)".into(),
        )
        .into()),
    }
}

/// `host`, `user-agent`, the serialized headers, the endpoint's headers, and `content-length`:
/// the body's, `0` for bodiless PUT/POST/DELETE (S3 answers 411 otherwise), never twice (the
/// input may carry ContentLength already), none in a presigned URL.
fn base_headers(prepared: &Prepared<'_>, user_agent: &str, presigned: bool) -> Headers {
    // Room for what follows and the signer's four (date, token, payload hash, authorization),
    // so each list is allocated once: the signer's values take about 450 bytes, and with
    // credentials a session token may come too (they run to about 1 KB; a longer one grows the
    // buffer once).
    let endpoint_headers: usize = prepared.endpoint.headers.values().map(Vec::len).sum();
    let token_len = 1024 * usize::from(prepared.config.credentials.is_some());
    let mut headers = Headers::with_capacity(
        2 + 2 + prepared.request.headers.len() + endpoint_headers + 1 + 4,
        prepared.url.len()
            + user_agent.len()
            + prepared.request.headers.value_len()
            + 128
            + 512
            + token_len,
    );
    headers.push("host", host_header(&prepared.url));
    headers.push("user-agent", user_agent);
    if let (Some(attempts), false) = (&prepared.attempts, presigned) {
        attempts.push_headers(&mut headers);
    }
    headers.extend_from(&prepared.request.headers);
    for (name, values) in &prepared.endpoint.headers {
        for value in values {
            headers.push(name.clone(), value);
        }
    }
    // An event stream's length is unknown until it ends: it goes chunked.
    if presigned || prepared.input_events || headers.contains("content-length") {
        return headers;
    }
    let bodiless_ok = matches!(&*prepared.request.method, "GET" | "HEAD" | "OPTIONS");
    match prepared.body.as_ref().and_then(ByteStream::content_length) {
        Some(len) if len > 0 || !bodiless_ok => {
            headers.push_with("content-length", |out| {
                // Writing into a String cannot fail.
                let _ = write!(out, "{len}");
            })
        }
        None if prepared.body.is_none() && !bodiless_ok => headers.push("content-length", "0"),
        _ => {}
    }
    headers
}

/// The Host header of `url`: its authority, less the scheme's default port.
fn host_header(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    // Default ports are left out of Host, as HTTP clients send it.
    authority
        .strip_suffix(":443")
        .filter(|_| url.starts_with("https://"))
        .or_else(|| {
            authority
                .strip_suffix(":80")
                .filter(|_| url.starts_with("http://"))
        })
        .unwrap_or(authority)
}

fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path_start = rest.find('/').unwrap_or(rest.len());
    let path_and_query = &rest[path_start..];
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    (if path.is_empty() { "/" } else { path }, query)
}

#[cfg(test)]
mod tests {
    use crate::client::{ClientConfig, ServiceClient};
    use crate::credentials::Credentials;
    use crate::http::HttpClient;
    use std::sync::Arc;

    fn client(service: &str) -> ServiceClient {
        let mut config = ClientConfig::new(HttpClient::new(Default::default()).unwrap());
        config.region = Some("us-east-1".into());
        config.credentials = Some(Arc::new(Credentials::from_keys(
            "AKIDEXAMPLE",
            "SECRETKEYVALUE",
            Some("SESSIONTOKENVALUE".into()),
        )));
        ServiceClient::new(service, config).unwrap()
    }

    /// importexport's model says `signatureVersion: v2`; botocore signs it with SigV4 anyway
    /// (`client.py`'s `_set_importexport_signature_version`), as the engine signs everything.
    #[cfg(feature = "importexport")]
    #[tokio::test]
    async fn importexport_is_signed_with_sigv4_as_botocore_signs_it() {
        let model = crate::model::ServiceModel::load("importexport").unwrap();
        assert_eq!(model.metadata().signature_version.as_deref(), Some("v2"));
        let req = client("importexport")
            .build_request("ListJobs", crate::doc! {})
            .await
            .unwrap();
        // What boto3 1.44.8 sends for the same call (the scope comes from the endpoint rules).
        assert_eq!(req.url, "https://importexport.amazonaws.com/");
        let auth = req.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                && auth.contains("/us-east-1/IngestionService/aws4_request"),
            "{auth}"
        );
    }

    #[tokio::test]
    async fn signed_secrets_are_marked_and_hidden_in_debug() {
        let req = client("sts")
            .build_request("GetCallerIdentity", crate::doc! {})
            .await
            .unwrap();
        let auth = req.header("authorization").unwrap().to_string();
        assert_eq!(
            req.header("x-amz-security-token"),
            Some("SESSIONTOKENVALUE")
        );
        let marked: Vec<String> = req
            .sensitive_headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        assert!(marked.contains(&"authorization".to_string()), "{marked:?}");
        assert!(
            marked.contains(&"x-amz-security-token".to_string()),
            "{marked:?}"
        );
        let debug = format!("{req:?}");
        assert!(!debug.contains("SESSIONTOKENVALUE"), "{debug}");
        assert!(!debug.contains(&auth), "{debug}");
        assert!(!debug.contains("SECRETKEYVALUE"), "{debug}");
        assert!(debug.to_ascii_lowercase().contains("x-amz-date"), "{debug}");
    }

    #[cfg(feature = "sso")]
    #[tokio::test]
    async fn sensitive_model_members_sent_as_headers_are_hidden() {
        let req = client("sso")
            .build_request(
                "GetRoleCredentials",
                crate::doc! {"roleName": "r", "accountId": "123456789012", "accessToken": "BEARERVALUE"},
            )
            .await
            .unwrap();
        assert_eq!(req.header("x-amz-sso_bearer_token"), Some("BEARERVALUE"));
        let debug = format!("{req:?}");
        assert!(!debug.contains("BEARERVALUE"), "{debug}");
    }
}
