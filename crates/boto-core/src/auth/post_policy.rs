//! The policy and form fields of an S3 presigned POST (browser-based upload), as botocore's
//! `generate_presigned_post` and `S3SigV4PostAuth` make them: the caller's fields and
//! conditions, then the bucket and key conditions (a key ending in `${filename}` may only be
//! constrained by its prefix), the SigV4 algorithm, credential and date (and session token), the
//! policy `{"expiration": ..., "conditions": [...]}` as Python's `json.dumps` writes it,
//! base64-encoded, and its signature. Pure: the clock comes in through the signing params.

use super::sigv4::{
    format_amz_date, post_credential, sign_post_policy, SigningError, SigningParams,
};
use crate::document::Document;
use crate::encoding::{base64_encode, python_json, python_string};
use std::time::Duration;

/// What the caller asks of a presigned POST.
#[derive(Debug, Clone, Copy)]
pub struct PostRequest<'a> {
    /// The bucket the form uploads to.
    pub bucket: &'a str,
    /// The object key; `${filename}` at its end is replaced by the uploaded file's name.
    pub key: &'a str,
    /// Fields to prefill, in order (`acl`, `Content-Type`, ...).
    pub fields: &'a [(String, String)],
    /// Policy conditions, each a map (`{"acl": "public-read"}`) or a list
    /// (`["content-length-range", 1, 1048576]`, `["starts-with", "$key", "uploads/"]`).
    pub conditions: &'a [Document],
    /// Seconds the policy stays valid.
    pub expires_in: u64,
}

/// The form fields to post with the file, in botocore's order: the caller's, `key`, the
/// `x-amz-*` signing fields, `policy` and `x-amz-signature`.
pub fn post_fields(
    request: &PostRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<Vec<(String, String)>, SigningError> {
    let mut fields: Vec<(String, String)> = request.fields.to_vec();
    let mut conditions: Vec<Document> = request.conditions.to_vec();
    conditions.push(pair("bucket", request.bucket));
    match request.key.strip_suffix("${filename}") {
        Some(prefix) => conditions.push(Document::List(vec![
            "starts-with".into(),
            "$key".into(),
            prefix.into(),
        ])),
        None => conditions.push(pair("key", request.key)),
    }
    set(&mut fields, "key", request.key);
    let expiration = params
        .time
        .checked_add(Duration::from_secs(request.expires_in))
        .ok_or(SigningError::TimeOutOfRange)?;
    let expiration = iso8601(&format_amz_date(expiration)?);
    let credential = post_credential(params)?;
    let date = format_amz_date(params.time)?;
    let mut signing = vec![
        ("x-amz-algorithm", "AWS4-HMAC-SHA256".to_string()),
        ("x-amz-credential", credential),
        ("x-amz-date", date),
    ];
    if let Some(token) = params.session_token {
        signing.push(("x-amz-security-token", token.to_string()));
    }
    for (name, value) in signing {
        conditions.push(pair(name, &value));
        set(&mut fields, name, &value);
    }
    let mut policy = String::from("{\"expiration\": ");
    python_string(&expiration, &mut policy);
    policy.push_str(", \"conditions\": ");
    python_json(&document_json(Document::List(conditions)), &mut policy);
    policy.push('}');
    let policy = base64_encode(policy.as_bytes());
    let signature = sign_post_policy(&policy, params)?;
    set(&mut fields, "policy", &policy);
    set(&mut fields, "x-amz-signature", &signature);
    Ok(fields)
}

fn pair(name: &str, value: &str) -> Document {
    let mut m = Document::map();
    m.set(name, value);
    m
}

/// Sets a field as a Python dict does: in place when present, else at the end.
fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some((_, v)) => *v = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

/// `yyyymmddThhmmssZ` -> `yyyy-mm-ddThh:mm:ssZ`.
fn iso8601(amz: &str) -> String {
    let d = |r: std::ops::Range<usize>| amz.get(r).unwrap_or_default();
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        d(0..4),
        d(4..6),
        d(6..8),
        d(9..11),
        d(11..13),
        d(13..15)
    )
}

/// The conditions as JSON values (a blob as base64 and a timestamp as ISO 8601 text, as a
/// `Document` serializes them; botocore takes only strings and numbers here).
fn document_json(d: Document) -> serde_json::Value {
    serde_json::to_value(&d).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::sigv4::SigningSettings;
    use crate::doc;
    use std::time::UNIX_EPOCH;

    #[test]
    fn json_is_written_as_python_writes_it() {
        let mut out = String::new();
        python_json(
            &document_json(doc! {"a": ["starts-with", "$key", "é\"\u{1}😀"], "n": 5, "t": true}),
            &mut out,
        );
        assert_eq!(
            out,
            r#"{"a": ["starts-with", "$key", "\u00e9\"\u0001\ud83d\ude00"], "n": 5, "t": true}"#
        );
    }

    #[test]
    fn fields_in_botocore_order_with_the_filename_prefix_condition() {
        let params = SigningParams {
            access_key: "AKID",
            secret_key: "secret",
            session_token: Some("TOKEN"),
            region: "eu-west-1",
            service: "s3",
            time: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            settings: SigningSettings::default(),
        };
        let fields = post_fields(
            &PostRequest {
                bucket: "b",
                key: "up/${filename}",
                fields: &[("acl".into(), "private".into())],
                conditions: &[],
                expires_in: 60,
            },
            &params,
        )
        .unwrap();
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "acl",
                "key",
                "x-amz-algorithm",
                "x-amz-credential",
                "x-amz-date",
                "x-amz-security-token",
                "policy",
                "x-amz-signature"
            ]
        );
        assert_eq!(fields[3].1, "AKID/20231114/eu-west-1/s3/aws4_request");
        let policy = crate::encoding::base64_decode(&fields[6].1).unwrap();
        let policy = String::from_utf8(policy).unwrap();
        assert!(policy.starts_with(r#"{"expiration": "2023-11-14T22:14:20Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "up/"], "#), "{policy}");
    }
}
