//! SigV4 conformance: the public aws-sig-v4-test-suite as botocore's sdist carries it, plus the
//! worked examples of the S3 SigV4 documentation (header signing, presigned URL, aws-chunked).
//!
//! The suite lives in `<sdist>/tests/unit/auth/aws4_testsuite`, where `<sdist>` is
//! `$BOTO_BOTOCORE_SDIST` if set, else `<workspace>/.cache/botocore-<version>` with the version
//! pinned in `<workspace>/tests/requirements.txt` (`scripts/setup-test-env.sh` prepares it).
//! Each case directory `name/` holds `name.req` (the raw request), `name.creq` (canonical
//! request), `name.sts` (string to sign), `name.authz` (Authorization header) and `name.sreq`
//! (the signed request); every stage is checked separately.
//!
//! This target runs on `libtest-mimic`: each stage of each case is its own trial, named
//! `sigv4::<case>::canonical-request` (then `string-to-sign`, `authorization`, `signed-request`;
//! a stage whose file the case lacks has no trial), so `cargo test --test sigv4_suite --
//! get-vanilla` selects by name. The S3 documentation examples are trials under their function
//! names. After a run the suite prints a `sigv4 suite:` count line.

mod common;

use common::harness;
use common::SETUP_HINT;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use boto_core::auth::sigv4::{
    self as sigv4, aws_chunked_encoded_length, sign, sign_headers, sign_with_cache, ChunkSigner,
    PayloadChecksumKind, SessionTokenMode, SignableBody, SignableRequest, SigningKeyCache,
    SigningOutput, SigningParams, SigningSettings, EMPTY_SHA256,
};
use libtest_mimic::{Arguments, Trial};

const SUITE_ACCESS_KEY: &str = "AKIDEXAMPLE";
const SUITE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_REGION: &str = "us-east-1";
const SUITE_SERVICE: &str = "service";
/// 2015-08-30T12:36:00Z, the suite's fixed signing time.
const SUITE_TIME_SECS: u64 = 1_440_938_160;

/// Cases whose fixture files are inconsistent with each other, with the part that cannot be
/// checked and why. Everything else in these cases is still checked.
const SREQ_AUTHORIZATION_ERRATA: &[(&str, &str)] = &[(
    "get-vanilla-with-session-token",
    "its .sreq carries get-vanilla's Authorization header (Signature=5fa00f...), not the one in \
     its own .authz; the .sreq check compares every other line",
)];

const S3_ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const S3_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// 2013-05-24T00:00:00Z, the S3 documentation examples' signing time.
const S3_TIME_SECS: u64 = 1_369_353_600;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

// ---------------------------------------------------------------------------------------------
// Locating the suite
// ---------------------------------------------------------------------------------------------

/// Every directory under `root` holding `<dirname>.req`, as `/`-joined relative names, sorted.
fn find_cases(root: &Path) -> Vec<(String, PathBuf)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        let entries =
            fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path();
            if !path.is_dir() {
                continue;
            }
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                if path.join(format!("{name}.req")).is_file() {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.push((rel, path.clone()));
                }
            }
            walk(root, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP requests
// ---------------------------------------------------------------------------------------------

/// A request as written in a `.req` / `.sreq` file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawRequest {
    method: String,
    /// The request target as written (path plus optional `?query`).
    target: String,
    version: String,
    /// Headers in order; a folded (multi-line) value keeps its line breaks and indentation.
    headers: Vec<(String, String)>,
    body: String,
}

impl RawRequest {
    fn parse(text: &str) -> Result<Self, String> {
        let mut lines = text.split_inclusive('\n');
        let request_line = lines.next().ok_or("empty request")?;
        let request_line = request_line.trim_end_matches(['\r', '\n']);
        // The target may contain spaces (normalize-path/get-space): method is the first word,
        // version the last, the target everything between.
        let (method, rest) = request_line
            .split_once(' ')
            .ok_or_else(|| format!("bad request line {request_line:?}"))?;
        let (target, version) = rest
            .rsplit_once(' ')
            .ok_or_else(|| format!("bad request line {request_line:?}"))?;
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut body = String::new();
        let mut in_body = false;
        for line in lines {
            if in_body {
                body.push_str(line);
                continue;
            }
            let content = line.trim_end_matches(['\r', '\n']);
            if content.is_empty() {
                in_body = true;
                continue;
            }
            if content.starts_with([' ', '\t']) {
                // obs-fold: a continuation of the previous header's value.
                let last = headers
                    .last_mut()
                    .ok_or_else(|| format!("continuation line before any header: {content:?}"))?;
                last.1.push('\n');
                last.1.push_str(content);
                continue;
            }
            let (name, value) = content
                .split_once(':')
                .ok_or_else(|| format!("bad header line {content:?}"))?;
            headers.push((name.to_owned(), value.to_owned()));
        }
        Ok(Self {
            method: method.to_owned(),
            target: target.to_owned(),
            version: version.to_owned(),
            headers,
            body,
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Set `name` to `value`: replace the first header of that name in place (dropping any
    /// later duplicates) or append it.
    fn set_header(&mut self, name: &str, value: &str) {
        let mut seen = false;
        self.headers.retain_mut(|(n, v)| {
            if !n.eq_ignore_ascii_case(name) {
                return true;
            }
            if seen {
                return false;
            }
            seen = true;
            *v = value.to_owned();
            true
        });
        if !seen {
            self.headers.push((name.to_owned(), value.to_owned()));
        }
    }

    /// Headers as (lower-case name, trimmed value), for comparisons that ignore name case and
    /// the optional whitespace after the colon.
    fn normalized_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
            .collect()
    }

    fn render_normalized(&self) -> String {
        let mut out = format!("{} {} {}\n", self.method, self.target, self.version);
        for (n, v) in self.normalized_headers() {
            let _ = writeln!(out, "{n}:{v}");
        }
        out.push('\n');
        out.push_str(&self.body);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// One suite case
// ---------------------------------------------------------------------------------------------

fn read_expected(dir: &Path, base: &str, ext: &str) -> Result<Option<String>, String> {
    let path = dir.join(format!("{base}.{ext}"));
    if !path.exists() {
        return Ok(None);
    }
    fs::read_to_string(&path)
        .map(|s| Some(s.replace('\r', "")))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn stage_mismatch(case: &str, stage: &str, expected: &str, actual: &str) -> String {
    format!(
        "FAIL {case}: {stage} differs\n--- expected {stage}\n{expected}\n--- actual {stage}\n{actual}\n---"
    )
}

/// The four checked stages of a case, each from its own fixture file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    CanonicalRequest,
    StringToSign,
    Authorization,
    SignedRequest,
}

impl Stage {
    const ALL: [Stage; 4] = [
        Stage::CanonicalRequest,
        Stage::StringToSign,
        Stage::Authorization,
        Stage::SignedRequest,
    ];

    /// The trial name's last part.
    fn name(self) -> &'static str {
        match self {
            Stage::CanonicalRequest => "canonical-request",
            Stage::StringToSign => "string-to-sign",
            Stage::Authorization => "authorization",
            Stage::SignedRequest => "signed-request",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Stage::CanonicalRequest => "creq",
            Stage::StringToSign => "sts",
            Stage::Authorization => "authz",
            Stage::SignedRequest => "sreq",
        }
    }
}

/// One case's raw request, fixtures and signing output.
struct Signed {
    raw: RawRequest,
    creq: Option<String>,
    sts: Option<String>,
    authz: Option<String>,
    sreq: Option<RawRequest>,
    output: SigningOutput,
}

/// Reads a case and signs its request; `Err` carries the printable failure.
fn sign_case(name: &str, dir: &Path) -> Result<Signed, String> {
    let base = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("FAIL {name}: bad directory name"))?;
    let raw_text = fs::read_to_string(dir.join(format!("{base}.req")))
        .map_err(|e| format!("FAIL {name}: cannot read .req: {e}"))?;
    let raw = RawRequest::parse(&raw_text).map_err(|e| format!("FAIL {name}: {e}"))?;
    let creq = read_expected(dir, base, "creq").map_err(|e| format!("FAIL {name}: {e}"))?;
    let sts = read_expected(dir, base, "sts").map_err(|e| format!("FAIL {name}: {e}"))?;
    let authz = read_expected(dir, base, "authz").map_err(|e| format!("FAIL {name}: {e}"))?;
    let sreq_text = read_expected(dir, base, "sreq").map_err(|e| format!("FAIL {name}: {e}"))?;
    let sreq = sreq_text
        .as_deref()
        .map(RawRequest::parse)
        .transpose()
        .map_err(|e| format!("FAIL {name}: bad .sreq: {e}"))?;

    // The session token: signed when the canonical request lists it; otherwise, when the signed
    // request gains an X-Amz-Security-Token header the raw request lacks, it is appended after
    // signing (post-sts-token/post-sts-header-after).
    let signed_token = creq.as_deref().and_then(|c| {
        c.lines()
            .find_map(|l| l.strip_prefix("x-amz-security-token:"))
            .map(str::to_owned)
    });
    let (token, token_mode) = match signed_token {
        Some(t) => (Some(t), SessionTokenMode::Include),
        None => {
            let appended = sreq.as_ref().and_then(|s| {
                if raw.header("x-amz-security-token").is_some() {
                    None
                } else {
                    s.header("x-amz-security-token")
                        .map(|v| v.trim().to_owned())
                }
            });
            (appended, SessionTokenMode::AppendAfterSigning)
        }
    };

    let (path, query) = raw.target.split_once('?').unwrap_or((&raw.target, ""));
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = SignableRequest {
        method: &raw.method,
        path,
        query,
        headers: &headers,
        body: SignableBody::Bytes(raw.body.as_bytes()),
    };
    let params = SigningParams {
        access_key: SUITE_ACCESS_KEY,
        secret_key: SUITE_SECRET_KEY,
        session_token: token.as_deref(),
        region: SUITE_REGION,
        service: SUITE_SERVICE,
        time: at(SUITE_TIME_SECS),
        settings: SigningSettings {
            session_token_mode: token_mode,
            ..SigningSettings::default()
        },
    };
    let output =
        sign(&request, &params).map_err(|e| format!("FAIL {name}: signing failed: {e}"))?;
    // The transport's way (no stages kept) must put the very same headers on the wire.
    let lean = sign_headers(&request, &params, None)
        .map_err(|e| format!("FAIL {name}: sign_headers failed: {e}"))?;
    let fields = |it: &mut dyn Iterator<Item = sigv4::OutputField<'_>>| {
        it.map(|f| (f.name, f.value.to_owned(), f.sensitive))
            .collect::<Vec<_>>()
    };
    if fields(&mut lean.fields()) != fields(&mut output.header_fields())
        || lean.signature() != output.signature()
    {
        return Err(format!(
            "FAIL {name}: sign_headers gave {lean:?}, sign gave {output:?}"
        ));
    }
    Ok(Signed {
        raw,
        creq,
        sts,
        authz,
        sreq,
        output,
    })
}

/// Checks one stage of a case; `Err` carries the printable failure.
fn check_stage(name: &str, dir: &Path, stage: Stage) -> Result<(), String> {
    let signed = sign_case(name, dir)?;
    let output = &signed.output;
    let missing = || format!("FAIL {name}: no .{} file", stage.extension());
    match stage {
        Stage::CanonicalRequest => {
            let expected = signed.creq.as_deref().ok_or_else(missing)?;
            if output.canonical_request() != expected {
                return Err(stage_mismatch(
                    name,
                    "canonical request (.creq)",
                    expected,
                    output.canonical_request(),
                ));
            }
        }
        Stage::StringToSign => {
            let expected = signed.sts.as_deref().ok_or_else(missing)?;
            if output.string_to_sign() != expected {
                return Err(stage_mismatch(
                    name,
                    "string to sign (.sts)",
                    expected,
                    output.string_to_sign(),
                ));
            }
        }
        Stage::Authorization => {
            let expected = signed.authz.as_deref().ok_or_else(missing)?;
            let actual = output.header("authorization").unwrap_or("<none>");
            if actual != expected {
                return Err(stage_mismatch(
                    name,
                    "authorization header (.authz)",
                    expected,
                    actual,
                ));
            }
        }
        Stage::SignedRequest => {
            let expected = signed.sreq.as_ref().ok_or_else(missing)?;
            let mut actual = signed.raw.clone();
            for (header, value) in output.headers() {
                actual.set_header(header, value);
            }
            let skip_authorization = SREQ_AUTHORIZATION_ERRATA.iter().any(|(n, _)| *n == name);
            let (mut expected, mut actual) = (expected.clone(), actual);
            if skip_authorization {
                expected
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                actual
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            }
            let same = expected.method == actual.method
                && expected.target == actual.target
                && expected.version == actual.version
                && expected.normalized_headers() == actual.normalized_headers()
                && expected.body == actual.body;
            if !same {
                return Err(stage_mismatch(
                    name,
                    "signed request (.sreq)",
                    &expected.render_normalized(),
                    &actual.render_normalized(),
                ));
            }
        }
    }
    Ok(())
}

/// One trial per stage whose fixture file the case has; a case with none is a failing trial.
fn suite_trials() -> Vec<Trial> {
    let root = common::sdist_folder(&["tests", "unit", "auth", "aws4_testsuite"]);
    assert!(
        !find_cases(&root).is_empty(),
        "no test cases (directories with <name>/<name>.req) under {}; {SETUP_HINT}",
        root.display()
    );
    let mut trials = Vec::new();
    let mut cases = Vec::new();
    for (name, dir) in find_cases(&root) {
        let base = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let stages: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| dir.join(format!("{base}.{}", s.extension())).is_file())
            .collect();
        if stages.is_empty() {
            trials.push(harness::failing_trial(
                format!("sigv4::{name}::expected-files"),
                format!("FAIL {name}: no expected-output files"),
            ));
            continue;
        }
        let (name, dir) = (Arc::new(name), Arc::new(dir));
        for stage in stages {
            let (case, case_dir) = (name.clone(), dir.clone());
            let check: harness::Check = Arc::new(move || {
                check_stage(&case, &case_dir, stage)?;
                let erratum = SREQ_AUTHORIZATION_ERRATA
                    .iter()
                    .find(|(n, _)| stage == Stage::SignedRequest && *n == case.as_str());
                if let Some((_, why)) = erratum {
                    println!("{case}: fixture erratum: {why}");
                }
                Ok(())
            });
            cases.push(harness::Case {
                name: format!("sigv4::{name}::{}", stage.name()),
                group: "sigv4".to_string(),
                batch: "sigv4::suite".to_string(),
                known_failure: None,
                check,
            });
        }
    }
    trials.extend(harness::case_trials(cases));
    trials
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = suite_trials();
    let examples: [(&str, fn()); 6] = [
        ("s3_get_object_header_signing", s3_get_object_header_signing),
        ("s3_presigned_get_url", s3_presigned_get_url),
        (
            "presigned_url_with_session_token",
            presigned_url_with_session_token,
        ),
        ("s3_chunked_upload_example", s3_chunked_upload_example),
        (
            "s3_put_object_unsigned_payload",
            s3_put_object_unsigned_payload,
        ),
        ("debug_never_shows_secrets", debug_never_shows_secrets),
    ];
    trials.extend(examples.into_iter().map(|(name, test)| {
        Trial::test(name, move || {
            test();
            Ok(())
        })
    }));
    harness::run(&args, trials, |groups| {
        if let Some(counts) = groups.get("sigv4") {
            println!(
                "sigv4 suite: {}/{} stage checks passed",
                counts.passed,
                counts.total()
            );
        }
    });
}

// ---------------------------------------------------------------------------------------------
// S3 documentation examples
// ---------------------------------------------------------------------------------------------

fn s3_params(settings: SigningSettings) -> SigningParams<'static> {
    SigningParams {
        access_key: S3_ACCESS_KEY,
        secret_key: S3_SECRET_KEY,
        session_token: None,
        region: "us-east-1",
        service: "s3",
        time: at(S3_TIME_SECS),
        settings,
    }
}

/// "Example: GET Object" of the S3 header-based SigV4 documentation.
fn s3_get_object_header_signing() {
    let headers = [
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("Range", "bytes=0-9"),
    ];
    let request = SignableRequest {
        method: "GET",
        path: "/test.txt",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let out = sign(&request, &s3_params(SigningSettings::s3())).unwrap();
    assert_eq!(
        out.canonical_request(),
        "GET\n/test.txt\n\n\
         host:examplebucket.s3.amazonaws.com\n\
         range:bytes=0-9\n\
         x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-amz-date:20130524T000000Z\n\n\
         host;range;x-amz-content-sha256;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        out.string_to_sign(),
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
         7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
    );
    assert_eq!(
        out.signature(),
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    );
    assert_eq!(
        out.header("Authorization"),
        Some(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    );
    assert_eq!(out.header("x-amz-content-sha256"), Some(EMPTY_SHA256));
    assert_eq!(out.header("x-amz-date"), Some("20130524T000000Z"));
    assert!(out.query_params().is_empty());
}

/// "Example: GET Object" of the S3 query-string (presigned URL) SigV4 documentation.
fn s3_presigned_get_url() {
    let headers = [("host", "examplebucket.s3.amazonaws.com")];
    let request = SignableRequest {
        method: "GET",
        path: "/test.txt",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let out = sign(&request, &s3_params(SigningSettings::s3_presigned(86_400))).unwrap();
    assert_eq!(
        out.canonical_request(),
        "GET\n/test.txt\n\
         X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n\
         host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
    );
    assert_eq!(
        out.string_to_sign(),
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
         3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
    );
    assert_eq!(
        out.signature(),
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert!(out.headers().is_empty());
    let url = format!(
        "https://examplebucket.s3.amazonaws.com/test.txt?{}",
        out.presigned_query(request.query)
    );
    assert_eq!(
        url,
        "https://examplebucket.s3.amazonaws.com/test.txt\
         ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
}

fn presigned_url_with_session_token() {
    let headers = [("host", "examplebucket.s3.amazonaws.com")];
    let request = SignableRequest {
        method: "GET",
        path: "/test.txt",
        query: "versionId=3&x=a%2Fb",
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let mut params = s3_params(SigningSettings::s3_presigned(3600));
    params.session_token = Some("tok/en+=");
    let signed = sign(&request, &params).unwrap();
    assert!(signed.canonical_request().contains(
        "&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders=host&versionId=3&x=a%2Fb\n"
    ));
    let query = signed.presigned_query(request.query);
    assert!(query.starts_with("versionId=3&x=a%2Fb&X-Amz-Algorithm="));
    assert!(query.contains("&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-Signature="));

    params.settings.session_token_mode = SessionTokenMode::AppendAfterSigning;
    let after = sign(&request, &params).unwrap();
    assert!(!after.canonical_request().contains("Security-Token"));
    let last = after.query_params().last().unwrap();
    assert_eq!(
        (last.0, last.1.as_str()),
        ("X-Amz-Security-Token", "tok/en+=")
    );
}

fn chunk_example_seed(cache: &SigningKeyCache) -> (SigningOutput, SigningParams<'static>) {
    let content_length = aws_chunked_encoded_length(66_560, 65_536).unwrap();
    assert_eq!(content_length, 66_824);
    let content_length = content_length.to_string();
    let headers = [
        ("Host", "s3.amazonaws.com"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ("Content-Encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", "66560"),
        ("Content-Length", content_length.as_str()),
    ];
    let request = SignableRequest {
        method: "PUT",
        path: "/examplebucket/chunkObject.txt",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let params = s3_params(SigningSettings {
        payload_checksum: PayloadChecksumKind::StreamingAwsChunked,
        ..SigningSettings::s3()
    });
    let seed = sign_with_cache(&request, &params, cache).unwrap();
    (seed, params)
}

/// "Example: PUT Object" of the S3 chunked-upload (aws-chunked) SigV4 documentation.
fn s3_chunked_upload_example() {
    let cache = SigningKeyCache::new();
    let (seed, params) = chunk_example_seed(&cache);
    assert_eq!(
        seed.canonical_request(),
        "PUT\n/examplebucket/chunkObject.txt\n\n\
         content-encoding:aws-chunked\n\
         content-length:66824\n\
         host:s3.amazonaws.com\n\
         x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD\n\
         x-amz-date:20130524T000000Z\n\
         x-amz-decoded-content-length:66560\n\
         x-amz-storage-class:REDUCED_REDUNDANCY\n\n\
         content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class\n\
         STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    );
    assert_eq!(
        seed.signature(),
        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    );
    assert_eq!(
        seed.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    );

    let body = vec![b'a'; 66_560];
    let mut signer = ChunkSigner::with_cache(&params, seed.signature(), &cache).unwrap();
    let mut encoded = Vec::new();
    let mut expected_signatures = [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    ]
    .into_iter();
    for chunk in body.chunks(65_536) {
        let frame = signer.encode_chunk(chunk).unwrap();
        let expected_sig = expected_signatures.next().unwrap();
        let header = format!("{:x};chunk-signature={expected_sig}\r\n", chunk.len());
        assert!(
            frame.starts_with(header.as_bytes()),
            "chunk frame starts {:?}, expected {header:?}",
            String::from_utf8_lossy(&frame[..header.len().min(frame.len())])
        );
        assert!(frame.ends_with(b"\r\n"));
        assert_eq!(frame.len(), header.len() + chunk.len() + 2);
        assert_eq!(signer.previous_signature(), expected_sig);
        encoded.extend_from_slice(&frame);
    }
    let last = signer.finish().unwrap();
    assert_eq!(
        last,
        b"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
    );
    encoded.extend_from_slice(&last);
    assert_eq!(encoded.len(), 66_824);
    assert!(signer.is_finished());

    // The same stream through the uncached constructor and sign_chunk.
    let mut plain = ChunkSigner::new(&params, seed.signature()).unwrap();
    assert_eq!(
        plain.sign_chunk(&body[..65_536]).unwrap(),
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
    );
}

/// An S3 PutObject with `UNSIGNED-PAYLOAD`, as a client would send it over TLS.
fn s3_put_object_unsigned_payload() {
    let headers = [
        ("host", "examplebucket.s3.us-east-1.amazonaws.com"),
        ("content-type", "text/plain"),
        ("content-length", "11"),
        ("user-agent", "boto-rs/0.1"),
    ];
    let request = SignableRequest {
        method: "PUT",
        path: "/photos/my%20file.txt",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(b"hello world"),
    };
    let params = s3_params(SigningSettings {
        payload_checksum: PayloadChecksumKind::UnsignedPayload,
        ..SigningSettings::s3()
    });
    let out = sign(&request, &params).unwrap();
    assert_eq!(out.header("x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(
        out.signed_headers(),
        "content-length;content-type;host;x-amz-content-sha256;x-amz-date"
    );
    assert!(out
        .canonical_request()
        .starts_with("PUT\n/photos/my%20file.txt\n\n"));
    assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
    let names: Vec<&str> = out.headers().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["X-Amz-Date", "X-Amz-Content-SHA256", "Authorization"]
    );
}

fn debug_never_shows_secrets() {
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let token = "SESSIONTOKENVALUE-must-not-leak";
    let params = SigningParams {
        access_key: "AKIDEXAMPLE",
        secret_key: secret,
        session_token: Some(token),
        region: "us-east-1",
        service: "s3",
        time: at(S3_TIME_SECS),
        settings: SigningSettings::s3(),
    };
    let headers = [
        ("host", "example.amazonaws.com"),
        ("x-amz-security-token", token),
    ];
    let request = SignableRequest {
        method: "GET",
        path: "/",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let cache = SigningKeyCache::new();
    let out = sign_with_cache(&request, &params, &cache).unwrap();
    let signer = ChunkSigner::with_cache(&params, out.signature(), &cache).unwrap();
    let presigned = sign(
        &request,
        &SigningParams {
            settings: SigningSettings::s3_presigned(60),
            ..params
        },
    )
    .unwrap();
    let rendered = [
        format!("{params:?}"),
        format!("{params:#?}"),
        format!("{request:?}"),
        format!("{out:?}"),
        format!("{presigned:?}"),
        format!("{cache:?}"),
        format!("{signer:?}"),
    ];
    for text in &rendered {
        assert!(!text.contains(secret), "secret leaked: {text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "secret leaked: {text}");
        assert!(!text.contains(token), "session token leaked: {text}");
    }
    assert!(rendered[0].contains("AKIDEXAMPLE"));
    assert!(rendered[0].contains("redacted"));
}
