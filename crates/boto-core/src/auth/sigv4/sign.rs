//! The signing pipeline, one named step per stage: [`check`] (the inputs, the time and the
//! payload hash) -> [`prepare`] (the scope and where the token goes) ->
//! [`build_canonical_request`] -> the string to sign ([`string_to_sign_parts`]) -> signature
//! (see `key.rs`) -> [`SigningOutput`]. [`sign`] and [`sign_with_cache`] differ only in where the
//! signing key comes from. [`sign_headers`] runs the same steps into headers only, hashing the
//! canonical request and the string to sign as they are written instead of keeping them.

use super::canonical::{
    canonical_headers, canonical_query_string, canonical_uri, payload_hash, sha256_hex,
    write_canonical_request, DigestSink, PayloadHash, SignerHeaders, Sink,
};
use super::key::{signature, signing_key, Mac};
use super::output::{presign_params, write_authorization, AuthText, HeaderSignature, Stages};
use super::request::is_token;
use super::time::AmzDate;
use super::{
    SessionTokenMode, SignableRequest, SigningError, SigningKeyCache, SigningOutput, SigningParams,
};

/// The SigV4 algorithm identifier (`AWS4-HMAC-SHA256`).
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Sign `request` with `params`, deriving the signing key from scratch.
///
/// # Errors
///
/// See [`SigningError`]: invalid time, credentials, scope, method, header names, payload hash,
/// presign expiry, a missing `host` header, or a query string that is already presigned.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    sign_inner(request, params, None)
}

/// Like [`sign`], taking the signing key from `cache` (deriving and storing it on a miss).
///
/// # Errors
///
/// As for [`sign`].
pub fn sign_with_cache(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    sign_inner(request, params, Some(cache))
}

/// Sign `request` into headers and keep only what goes on the wire: the same headers, in the
/// same order, as [`SigningOutput::headers`] of [`sign`] with header settings, without the
/// intermediate stages. The canonical request and the string to sign are hashed as they are
/// written, never assembled, which is what a transport that sends many requests wants.
///
/// The signature always goes into headers: [`SigningSettings::location`] is not read, not even
/// checked (presign with [`sign`]). `cache`, when given, supplies the signing key as for
/// [`sign_with_cache`].
///
/// [`SigningSettings::location`]: super::SigningSettings::location
///
/// # Errors
///
/// As for [`sign`], in the same order.
///
/// # Example
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use boto_core::auth::sigv4::{sign, sign_headers, SignableBody, SignableRequest, SigningParams, SigningSettings};
///
/// let headers = [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")];
/// let request = SignableRequest {
///     method: "GET",
///     path: "/test.txt",
///     query: "",
///     headers: &headers,
///     body: SignableBody::Bytes(b""),
/// };
/// let params = SigningParams {
///     access_key: "AKIAIOSFODNN7EXAMPLE",
///     secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
///     session_token: None,
///     region: "us-east-1",
///     service: "s3",
///     time: UNIX_EPOCH + Duration::from_secs(1_369_353_600),
///     settings: SigningSettings::s3(),
/// };
/// let lean = sign_headers(&request, &params, None)?;
/// let staged = sign(&request, &params)?;
/// let same: Vec<(&str, &str)> = lean.fields().map(|f| (f.name, f.value)).collect();
/// let expected: Vec<(&str, &str)> = staged.headers().iter().map(|(n, v)| (*n, v.as_str())).collect();
/// assert_eq!(same, expected);
/// assert_eq!(lean.signature(), staged.signature());
/// # Ok::<(), boto_core::auth::sigv4::SigningError>(())
/// ```
pub fn sign_headers(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<HeaderSignature, SigningError> {
    let checked = check(request, params, false)?;
    let settings = &params.settings;
    let amz_date = checked.stamp.datetime_str();
    let signed_token = match settings.session_token_mode {
        SessionTokenMode::Include => params.session_token,
        SessionTokenMode::AppendAfterSigning => None,
    };
    let payload_hash = checked.payload_hash;
    let signer = SignerHeaders {
        amz_date,
        signed_token,
        sets_token: params.session_token.is_some(),
        content_sha256: settings
            .content_sha256_header
            .then_some(payload_hash.as_str()),
    };
    let headers = canonical_headers(request.headers, Some(&signer))?;
    let query = canonical_query_string(request.query, &[], false)?;
    let uri = canonical_uri(request.path, settings);
    let mut hash = DigestSink::new();
    write_canonical_request(
        &mut hash,
        request.method,
        &uri,
        &query,
        &headers,
        payload_hash.as_str(),
    );
    let hash = hash.finish_hex();
    let date = checked.stamp.date_str();
    let key = signing_key(params, &checked.stamp.date(), cache);
    let mut mac = Mac::new(&key);
    for part in string_to_sign_parts(amz_date, date, params, hash.as_str()) {
        mac.put(part);
    }
    let signature = mac.finish_hex();
    let scope = params.scope_parts(date);
    let mut authorization = AuthText::new();
    write_authorization(
        &mut authorization,
        params.access_key,
        &scope,
        |out| headers.write_signed(out),
        signature.as_str(),
    );
    Ok(HeaderSignature::new(
        checked.stamp,
        params.session_token.map(str::to_owned),
        settings
            .content_sha256_header
            .then(|| payload_hash.into_owned()),
        authorization,
        signature,
    ))
}

fn sign_inner(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<SigningOutput, SigningError> {
    let prepared = prepare(request, params)?;
    let canonical = build_canonical_request(request, params, &prepared)?;
    let date = prepared.stamp.date_str();
    let hash = sha256_hex(canonical.request.as_bytes());
    let string_to_sign = string_to_sign_parts(&prepared.amz_date, date, params, &hash).concat();
    let key = signing_key(params, &prepared.stamp.date(), cache);
    let signature = signature(&key, &string_to_sign);
    Ok(assemble_output(
        params,
        prepared,
        canonical,
        string_to_sign,
        signature,
    ))
}

/// The checks both ways of signing start with, in a fixed order so the first problem is
/// named, and what they fix: the time and the payload hash.
struct Checked<'b> {
    stamp: AmzDate,
    payload_hash: PayloadHash<'b>,
    /// `Some(seconds)` when presigning.
    presign_expires: Option<u64>,
}

fn check<'b>(
    request: &SignableRequest<'b>,
    params: &SigningParams<'_>,
    presign_allowed: bool,
) -> Result<Checked<'b>, SigningError> {
    params.validate()?;
    if !is_token(request.method) {
        return Err(SigningError::InvalidMethod);
    }
    let settings = &params.settings;
    let stamp = AmzDate::from_system_time(params.time)?;
    let payload_hash = payload_hash(request.body, settings.payload_checksum)?;
    let presign_expires = if presign_allowed {
        settings.location.presign_expires()?
    } else {
        None
    };
    Ok(Checked {
        stamp,
        payload_hash,
        presign_expires,
    })
}

/// Stage 2, in pieces: `AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256(canonical request)>`.
fn string_to_sign_parts<'x>(
    amz_date: &'x str,
    date: &'x str,
    params: &'x SigningParams<'_>,
    canonical_hash: &'x str,
) -> [&'x str; 12] {
    let [d, s1, region, s2, service, tail] = params.scope_parts(date);
    [
        ALGORITHM,
        "\n",
        amz_date,
        "\n",
        d,
        s1,
        region,
        s2,
        service,
        tail,
        "\n",
        canonical_hash,
    ]
}

/// What the staged signing decides from its parameters, before it reads the request's parts.
struct Prepared<'a> {
    stamp: AmzDate,
    amz_date: String,
    credential_scope: String,
    /// `access_key/credential_scope`.
    credential: String,
    payload_hash: PayloadHash<'static>,
    /// `Some(seconds)` when presigning.
    presign_expires: Option<u64>,
    /// The session token when the signature covers it.
    signed_token: Option<&'a str>,
    /// The session token when it is added after signing.
    token_after: Option<&'a str>,
    /// Whether an `X-Amz-Content-SHA256` header is produced (header signing only).
    content_sha256_header: bool,
}

/// [`check`], then the credential scope and where the session token goes.
fn prepare<'a>(
    request: &SignableRequest<'_>,
    params: &SigningParams<'a>,
) -> Result<Prepared<'a>, SigningError> {
    let checked = check(request, params, true)?;
    let settings = &params.settings;
    let stamp = checked.stamp;
    let credential_scope = params.credential_scope(&stamp);
    let (signed_token, token_after) = match settings.session_token_mode {
        SessionTokenMode::Include => (params.session_token, None),
        SessionTokenMode::AppendAfterSigning => (None, params.session_token),
    };
    Ok(Prepared {
        amz_date: stamp.datetime_str().to_owned(),
        credential: [params.access_key, "/", &credential_scope].concat(),
        stamp,
        credential_scope,
        payload_hash: checked.payload_hash.into_owned(),
        presign_expires: checked.presign_expires,
        signed_token,
        token_after,
        content_sha256_header: checked.presign_expires.is_none() && settings.content_sha256_header,
    })
}

/// Stage 1 and what it fixes on the way: the signed-headers line and, when presigning, the
/// query parameters the signature covers.
struct Canonical {
    request: String,
    signed_headers: String,
    presign_params: Vec<(&'static str, String)>,
}

/// Stage 1: the canonical request (headers first, since a presigned query names them).
fn build_canonical_request(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    prepared: &Prepared<'_>,
) -> Result<Canonical, SigningError> {
    let signer_headers = prepared.presign_expires.is_none().then(|| SignerHeaders {
        amz_date: &prepared.amz_date,
        signed_token: prepared.signed_token,
        sets_token: params.session_token.is_some(),
        content_sha256: prepared
            .content_sha256_header
            .then_some(prepared.payload_hash.as_str()),
    });
    let headers = canonical_headers(request.headers, signer_headers.as_ref())?;
    let signed_headers = headers.signed_line();
    let presign_params = match prepared.presign_expires {
        Some(expires) => presign_params(
            prepared.credential.clone(),
            &prepared.amz_date,
            expires,
            &signed_headers,
            prepared.signed_token,
        ),
        None => Vec::new(),
    };
    let query = canonical_query_string(
        request.query,
        &presign_params,
        prepared.presign_expires.is_some(),
    )?;
    let uri = canonical_uri(request.path, &params.settings);
    let mut text = String::with_capacity(512);
    write_canonical_request(
        &mut text,
        request.method,
        &uri,
        &query,
        &headers,
        prepared.payload_hash.as_str(),
    );
    Ok(Canonical {
        request: text,
        signed_headers,
        presign_params,
    })
}

/// The last step: the headers or query parameters to add, with every stage kept.
fn assemble_output(
    params: &SigningParams<'_>,
    prepared: Prepared<'_>,
    canonical: Canonical,
    string_to_sign: String,
    signature: String,
) -> SigningOutput {
    let stages = Stages {
        canonical_request: canonical.request,
        string_to_sign,
        signature,
        signed_headers: canonical.signed_headers,
        credential_scope: prepared.credential_scope,
        amz_date: prepared.amz_date,
    };
    if prepared.presign_expires.is_some() {
        return SigningOutput::presigned(stages, canonical.presign_params, prepared.token_after);
    }
    let content_sha256 = prepared
        .content_sha256_header
        .then_some(prepared.payload_hash.as_str());
    SigningOutput::in_headers(
        stages,
        params.access_key,
        params.session_token,
        content_sha256,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{get, params};
    use super::super::{SignableBody, SigningSettings};
    use super::*;

    #[test]
    fn rejects_bad_input_without_panicking() {
        let headers = [("host", "example.amazonaws.com")];
        let req = get(&headers);
        let mut p = params(SigningSettings::default());
        p.region = "us east";
        assert_eq!(
            sign(&req, &p),
            Err(SigningError::InvalidParam { field: "region" })
        );
        let p = params(SigningSettings::default());
        let no_host = SignableRequest {
            headers: &[("x-foo", "bar")],
            ..req
        };
        assert_eq!(sign(&no_host, &p), Err(SigningError::MissingHost));
        let bad_name = SignableRequest {
            headers: &[("host", "h"), ("bad name", "v")],
            ..req
        };
        assert!(matches!(
            sign(&bad_name, &p),
            Err(SigningError::InvalidHeaderName(_))
        ));
        let bad_method = SignableRequest { method: "", ..req };
        assert_eq!(sign(&bad_method, &p), Err(SigningError::InvalidMethod));
        let bad_hash = SignableRequest {
            body: SignableBody::Precomputed("ABC"),
            ..req
        };
        assert_eq!(sign(&bad_hash, &p), Err(SigningError::InvalidPayloadHash));
        let presign = params(SigningSettings::s3_presigned(0));
        assert_eq!(sign(&req, &presign), Err(SigningError::InvalidExpires(0)));
        let presign = params(SigningSettings::s3_presigned(604_801));
        assert_eq!(
            sign(&req, &presign),
            Err(SigningError::InvalidExpires(604_801))
        );
        let presign = params(SigningSettings::s3_presigned(60));
        let signed_already = SignableRequest {
            query: "a=1&X-Amz-Signature=abc",
            ..req
        };
        assert_eq!(
            sign(&signed_already, &presign),
            Err(SigningError::QueryAlreadySigned("X-Amz-Signature"))
        );
        // Odd but valid bytes everywhere never panic.
        let weird_headers = [("host", "h\u{0}\u{7f}é"), ("x-a", "")];
        let weird = SignableRequest {
            method: "GET",
            path: "/\u{0}%/../..//é?#",
            query: "%=%&=&&==%zz&\u{1}=é",
            headers: &weird_headers,
            body: SignableBody::Bytes(&[0xff, 0x00]),
        };
        assert!(sign(&weird, &p).is_ok());
    }

    /// The transport's signing (no stages) puts the same headers on the wire as the staged one,
    /// whatever the settings, the header case, repeats, a query and a session token.
    #[test]
    fn header_signing_without_stages_matches_the_staged_signing() {
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Meta-B", " two  words "),
            ("x-amz-meta-a", "1"),
            ("X-AMZ-META-A", "2"),
            ("Content-Type", "text/plain"),
            ("User-Agent", "not signed"),
            ("X-Amz-Date", "19990101T000000Z"),
        ];
        let mut settings_list = vec![SigningSettings::default(), SigningSettings::s3()];
        let mut unsigned = SigningSettings::s3();
        unsigned.payload_checksum = super::super::PayloadChecksumKind::UnsignedPayload;
        settings_list.push(unsigned);
        settings_list.push(SigningSettings {
            session_token_mode: SessionTokenMode::AppendAfterSigning,
            ..SigningSettings::default()
        });
        for settings in settings_list {
            for token in [None, Some("the-token")] {
                for (path, query) in [("/", ""), ("/a b/../c", "z=1&a=%20&a=0")] {
                    let req = SignableRequest {
                        method: "PUT",
                        path,
                        query,
                        headers: &headers,
                        body: SignableBody::Bytes(b"payload"),
                    };
                    let mut p = params(settings);
                    p.session_token = token;
                    let staged = sign(&req, &p).unwrap();
                    let lean = sign_headers(&req, &p, None).unwrap();
                    let a: Vec<_> = staged.header_fields().collect();
                    let b: Vec<_> = lean.fields().collect();
                    assert_eq!(a, b, "{settings:?} {token:?} {path}");
                    assert_eq!(lean.signature(), staged.signature());
                    assert_eq!(lean.header("authorization"), staged.header("authorization"));
                    let (_, auth, _) = lean.clone().into_fields().last().unwrap();
                    assert_eq!(auth.capacity(), auth.len(), "sized exactly");
                    if let Some(t) = token {
                        assert!(!format!("{lean:?}").contains(t));
                    }
                    assert!(!format!("{lean:?}").contains(lean.signature().get(..20).unwrap()));
                }
            }
        }
        let bad = SignableRequest {
            headers: &[("x-a", "1")],
            ..get(&headers)
        };
        let p = params(SigningSettings::default());
        assert_eq!(sign_headers(&bad, &p, None), Err(SigningError::MissingHost));
    }

    #[test]
    fn a_summed_payload_and_the_same_hash_given_sign_equal() {
        let headers = [("Host", "example.amazonaws.com")];
        let p = params(SigningSettings::s3());
        let hash = sha256_hex(b"payload");
        let summed = SignableRequest {
            body: SignableBody::Bytes(b"payload"),
            ..get(&headers)
        };
        let given = SignableRequest {
            body: SignableBody::Precomputed(&hash),
            ..get(&headers)
        };
        let (a, b) = (
            sign_headers(&summed, &p, None).unwrap(),
            sign_headers(&given, &p, None).unwrap(),
        );
        assert_eq!(a.header("x-amz-content-sha256"), Some(hash.as_str()));
        assert_eq!(a, b);
    }

    #[test]
    fn replaces_headers_it_sets() {
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "19990101T000000Z"),
            ("Authorization", "old"),
            ("User-Agent", "x"),
            ("X-Amz-Security-Token", "old-token"),
        ];
        let req = get(&headers);
        let mut p = params(SigningSettings::default());
        p.session_token = Some("new-token");
        let out = sign(&req, &p).unwrap();
        assert_eq!(out.signed_headers(), "host;x-amz-date;x-amz-security-token");
        assert!(out
            .canonical_request()
            .contains("x-amz-security-token:new-token\n"));
        assert!(!out.canonical_request().contains("1999"));
        assert_eq!(out.header("x-amz-security-token"), Some("new-token"));
        assert!(!format!("{out:?}").contains("new-token"));
    }

    #[test]
    fn marks_secret_output_as_sensitive() {
        let headers = [("host", "example.amazonaws.com")];
        let req = get(&headers);
        let mut p = params(SigningSettings::s3());
        p.session_token = Some("the-token");
        let out = sign(&req, &p).unwrap();
        let marked: Vec<(&str, bool)> =
            out.header_fields().map(|f| (f.name, f.sensitive)).collect();
        assert_eq!(
            marked,
            [
                ("X-Amz-Date", false),
                ("X-Amz-Security-Token", true),
                ("X-Amz-Content-SHA256", false),
                ("Authorization", true),
            ]
        );
        let values: Vec<(&str, &str)> = out.header_fields().map(|f| (f.name, f.value)).collect();
        let plain: Vec<(&str, &str)> = out
            .headers()
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        assert_eq!(values, plain);
        assert_eq!(out.query_fields().len(), 0);
        let authorization = out.header("authorization").unwrap();
        let debug = format!("{out:?}");
        assert!(!debug.contains(authorization), "{debug}");
        assert!(!debug.contains("the-token"), "{debug}");
        let field = out.header_fields().last().unwrap();
        assert!(!format!("{field:?}").contains(authorization));

        for mode in [
            SessionTokenMode::Include,
            SessionTokenMode::AppendAfterSigning,
        ] {
            let mut p = params(SigningSettings::s3_presigned(60));
            p.session_token = Some("the-token");
            p.settings.session_token_mode = mode;
            let out = sign(&req, &p).unwrap();
            assert_eq!(out.header_fields().len(), 0);
            let secret: Vec<&str> = out
                .query_fields()
                .filter(|f| f.sensitive)
                .map(|f| f.name)
                .collect();
            assert_eq!(secret, ["X-Amz-Security-Token"], "{mode:?}");
            assert_eq!(out.query_fields().len(), out.query_params().len());
            assert!(!format!("{out:?}").contains("the-token"), "{mode:?}");
        }
    }
}
