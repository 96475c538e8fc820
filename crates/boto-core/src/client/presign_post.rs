//! S3 presigned POST (`generate_presigned_post`): the URL a browser form posts to and the form
//! fields that carry the signed policy. Like botocore, the URL is the one CreateBucket would use
//! for the bucket (endpoint rules, addressing style and a remembered redirect region included),
//! prepared and planned as a presigned request; the policy is then built and signed by
//! [`crate::auth::post_policy`].

use super::invoke::{plan, starting_config};
use super::prepare::{prepare, Purpose};
use super::signing_plan::PlannedAuth;
use super::{ConstructionError, SdkError, ServiceClient};
use crate::auth::post_policy::{post_fields, PostRequest};
use crate::auth::sigv4::{SigningParams, SigningSettings};
use crate::doc;
use std::fmt;
use std::time::SystemTime;

/// Where and what to post: the form's `url` and its fields, in order (the file goes last).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PresignedPost {
    /// The URL to POST the multipart form to.
    pub url: String,
    /// The form fields, in the order botocore gives them.
    pub fields: Vec<(String, String)>,
}

impl PresignedPost {
    /// The value of field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for PresignedPost {
    /// The session token (a secret) is hidden; the policy and its signature are not secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let v = if k == "x-amz-security-token" {
                    "** redacted **"
                } else {
                    v.as_str()
                };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .finish()
    }
}

/// Builds the presigned POST for `request` signed at `now`. An unsigned client gets the URL
/// and the caller's fields with the key, and no policy, as botocore's `UNSIGNED` gives.
pub(super) async fn presign_post(
    client: &ServiceClient,
    request: PostRequest<'_>,
    now: SystemTime,
) -> Result<PresignedPost, SdkError> {
    let inner = &client.inner;
    let input = doc! {"Bucket": request.bucket};
    let (_, moved) = starting_config(client, "CreateBucket", &input);
    let config = moved.as_ref().unwrap_or(&inner.config);
    let purpose = Purpose::Presign {
        expires_in: request.expires_in,
    };
    let prepared = prepare(&inner.model, config, "CreateBucket", input, None, purpose).await?;
    let plan = plan(&prepared, purpose)?;
    let url = prepared.url.clone();
    let (
        PlannedAuth::SigV4 {
            signing_name,
            signing_region,
        },
        Some(provider),
    ) = (&plan.auth, config.credentials.clone())
    else {
        let mut fields = request.fields.to_vec();
        fields.retain(|(k, _)| k != "key");
        fields.push(("key".into(), request.key.to_string()));
        return Ok(PresignedPost { url, fields });
    };
    let creds = provider.provide_credentials().await?;
    let params = SigningParams {
        access_key: creds.access_key_id(),
        secret_key: creds.secret_access_key(),
        session_token: creds.session_token(),
        region: signing_region,
        service: signing_name,
        time: now,
        settings: SigningSettings::default(),
    };
    let fields = post_fields(&request, &params).map_err(ConstructionError::Signing)?;
    Ok(PresignedPost { url, fields })
}
