//! With no region configured, boto-rs picks what botocore picks: S3 goes to us-east-1 (the
//! global `s3.amazonaws.com`), the services with one global endpoint (IAM, Route 53, STS) go
//! there and sign for us-east-1, and every other service (SQS, DynamoDB) refuses to make a
//! client, as botocore's `NoRegionError` does, a custom endpoint or not. Each case is run
//! through the pinned boto3 too. Built with `--features full` (see scripts/test.sh).
#![cfg(all(feature = "iam", feature = "route53", feature = "dynamodb"))]

mod support;

use boto::{doc, Credentials, Error, Session};
use std::process::Command;
use support::empty_env;

fn no_region(endpoint: Option<&str>) -> Session {
    let mut b = Session::builder()
        .env(empty_env())
        .credentials(Credentials::from_keys("AKID", "secret", None));
    if let Some(url) = endpoint {
        b = b.endpoint_url(url);
    }
    b.build().unwrap()
}

/// What boto3 does for each service with no region: `URL SCOPE-REGION`, or the error's name.
fn boto3(cases: &[(&str, &str)]) -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let list: Vec<String> = cases
        .iter()
        .map(|(s, o)| format!("('{s}', '{o}')"))
        .collect();
    let script = format!(
        r#"import boto3, botocore.awsrequest as r
s = boto3.session.Session(aws_access_key_id='AKID', aws_secret_access_key='secret')
for svc, op in [{}]:
    try:
        c = s.client(svc)
    except Exception as e:
        print(type(e).__name__); continue
    seen = []
    c.meta.events.register('before-send', lambda request, **kw: seen.append(request) or r.AWSResponse(request.url, 200, {{}}, None))
    try:
        c._make_api_call(op, {{}})
    except Exception:
        pass
    auth = seen[0].headers['Authorization'].decode()
    print(seen[0].url.split('?')[0], auth.split('Credential=')[1].split('/')[2])
"#,
        list.join(", ")
    );
    let out = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(&script)
        .env_clear()
        .env("HOME", "/nonexistent")
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn no_region_behaves_as_botocore_service_by_service() {
    let cases = [
        ("s3", "ListBuckets"),
        ("sqs", "ListQueues"),
        ("sts", "GetCallerIdentity"),
        ("iam", "ListUsers"),
        ("dynamodb", "ListTables"),
        ("route53", "ListHostedZones"),
    ];
    let session = no_region(None);
    let mut ours = Vec::new();
    for (service, op) in cases {
        let client = match session.client(service) {
            Ok(c) => c,
            Err(Error::NoRegion { service: s }) => {
                assert_eq!(s, service);
                ours.push("NoRegionError".to_string());
                continue;
            }
            Err(e) => panic!("{service}: {e}"),
        };
        let req = client.build_request(op, doc! {}).await.unwrap();
        let auth = req.header("authorization").unwrap();
        let scope = auth
            .split("Credential=")
            .nth(1)
            .unwrap()
            .split('/')
            .nth(2)
            .unwrap();
        ours.push(format!("{} {scope}", req.url.split('?').next().unwrap()));
    }
    assert_eq!(ours, boto3(&cases));
}

#[test]
fn a_custom_endpoint_does_not_stand_in_for_a_region() {
    let session = no_region(Some("http://127.0.0.1:1"));
    for service in ["sqs", "dynamodb"] {
        let err = session.client(service).unwrap_err();
        assert!(matches!(err, Error::NoRegion { .. }), "{service}: {err}");
        assert!(
            err.to_string().contains("You must specify a region"),
            "{err}"
        );
    }
    for service in ["s3", "iam", "sts", "route53"] {
        session.client(service).unwrap();
    }
    // The blocking facade makes clients through the same session.
    let blocking = boto::blocking::Session::from(no_region(None));
    assert!(matches!(
        blocking.client("sqs"),
        Err(Error::NoRegion { .. })
    ));
}
