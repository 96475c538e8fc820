//! `boto::rds::generate_db_auth_token` against the pinned boto3's `generate_db_auth_token` for
//! the same credentials, region, user and instant: the tokens must be equal byte for byte.

#![cfg(feature = "rds")]

mod support;

use boto::{Credentials, Session};
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "TOKEN/+=";
/// 2026-12-02T12:00:00Z.
const AT: u64 = 1_796_212_800;

fn boto3_token(host: &str, port: u16, user: &str, region: Option<&str>) -> String {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.venv/bin/python");
    let script = format!(
        r#"
import boto3, datetime
from unittest import mock
s = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="{SECRET}",
                          aws_session_token="{TOKEN}", region_name="us-west-2")
rds = s.client("rds")
at = datetime.datetime(2026, 12, 2, 12, 0, 0)
with mock.patch("botocore.auth.get_current_datetime", return_value=at):
    print(rds.generate_db_auth_token({host:?}, {port}, {user:?}, Region={region}))
"#,
        region = region.map_or("None".to_string(), |r| format!("{r:?}")),
    );
    let out = Command::new(python)
        .args(["-c", &script])
        .output()
        .expect("the venv's python runs (scripts/setup-test-env.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn rds() -> boto::Client {
    Session::builder()
        .env(support::empty_env())
        .region_name("us-west-2")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            SECRET,
            Some(TOKEN.into()),
        ))
        .build()
        .unwrap()
        .client("rds")
        .unwrap()
}

#[tokio::test]
async fn tokens_equal_boto3s() {
    let at = UNIX_EPOCH + Duration::from_secs(AT);
    let cases: [(&str, u16, &str, Option<&str>); 3] = [
        (
            "db.example.us-west-2.rds.amazonaws.com",
            5432,
            "admin user",
            None,
        ),
        (
            "cluster.cluster-abc.eu-west-1.rds.amazonaws.com",
            3306,
            "app",
            Some("eu-west-1"),
        ),
        ("10.0.0.5", 1, "ü/x+y", None),
    ];
    let client = rds();
    for (host, port, user, region) in cases {
        let ours = boto::rds::generate_db_auth_token_at(&client, host, port, user, region, at)
            .await
            .unwrap();
        assert_eq!(ours, boto3_token(host, port, user, region), "{host} {user}");
        assert!(ours.starts_with(&format!("{host}:{port}/?Action=connect&DBUser=")));
    }
}

#[test]
fn the_blocking_token_is_the_same() {
    let at = UNIX_EPOCH + Duration::from_secs(AT);
    let client = boto::blocking::Client::from(rds());
    let token = boto::blocking::rds::generate_db_auth_token_at(
        &client,
        "db.example.us-west-2.rds.amazonaws.com",
        5432,
        "admin user",
        None,
        at,
    )
    .unwrap();
    assert_eq!(
        token,
        boto3_token(
            "db.example.us-west-2.rds.amazonaws.com",
            5432,
            "admin user",
            None
        )
    );
}

#[tokio::test]
async fn an_unsigned_client_has_no_token_to_give() {
    let client = Session::builder()
        .env(support::empty_env())
        .region_name("us-west-2")
        .unsigned()
        .build()
        .unwrap()
        .client("rds")
        .unwrap();
    let err = boto::rds::generate_db_auth_token(&client, "h", 1, "u", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("needs credentials"), "{err}");
}
