//! `boto::dsql`'s tokens against the pinned boto3's `generate_db_connect_auth_token` and
//! `generate_db_connect_admin_auth_token` for the same credentials, region, host, lifetime and
//! instant: the tokens must be equal byte for byte.

#![cfg(feature = "dsql")]

mod support;

use boto::dsql::{generate_db_auth_token_at, DbAction};
use boto::{Credentials, Session};
use std::time::{Duration, UNIX_EPOCH};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2026-12-02T12:00:00Z.
const AT: u64 = 1_796_212_800;

fn boto3_token(method: &str, host: &str, region: Option<&str>, expires: Option<u64>) -> String {
    let script = format!(
        r#"
import boto3, datetime, json
from unittest import mock
s = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="{SECRET}",
                          aws_session_token="TOKEN/+=", region_name="us-east-1")
dsql = s.client("dsql")
kwargs = {{}}
if {region:?} != "": kwargs["Region"] = {region:?}
if {expires} >= 0: kwargs["ExpiresIn"] = {expires}
at = datetime.datetime(2026, 12, 2, 12, 0, 0)
with mock.patch("botocore.auth.get_current_datetime", return_value=at):
    print(json.dumps(dsql.{method}({host:?}, **kwargs)))
"#,
        region = region.unwrap_or(""),
        expires = expires.map_or(-1, |e| e as i64),
    );
    support::python_json(&script, &[], "")
        .as_str()
        .unwrap()
        .to_string()
}

fn dsql() -> boto::Client {
    Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            SECRET,
            Some("TOKEN/+=".into()),
        ))
        .build()
        .unwrap()
        .client("dsql")
        .unwrap()
}

#[tokio::test]
async fn tokens_equal_boto3s() {
    let at = UNIX_EPOCH + Duration::from_secs(AT);
    let host = "abcdefghijklmnopqrst.dsql.us-east-1.on.aws";
    let client = dsql();
    let cases = [
        (
            DbAction::Connect,
            "generate_db_connect_auth_token",
            None,
            None,
        ),
        (
            DbAction::ConnectAdmin,
            "generate_db_connect_admin_auth_token",
            Some("us-east-2"),
            Some(3600),
        ),
    ];
    for (action, method, region, expires) in cases {
        let ours = generate_db_auth_token_at(&client, host, action, region, expires, at)
            .await
            .unwrap();
        assert_eq!(ours, boto3_token(method, host, region, expires), "{method}");
        let prefix = format!(
            "{host}/?Action={}&X-Amz-Algorithm=AWS4-HMAC-SHA256",
            action.name()
        );
        assert!(ours.starts_with(&prefix), "{ours}");
        let lifetime = format!("X-Amz-Expires={}", expires.unwrap_or(900));
        assert!(ours.contains(&lifetime), "{ours}");
    }
}

#[test]
fn the_blocking_token_is_the_same() {
    let at = UNIX_EPOCH + Duration::from_secs(AT);
    let host = "cluster.dsql.us-east-1.on.aws";
    let client = boto::blocking::Client::from(dsql());
    let token = boto::blocking::dsql::generate_db_auth_token_at(
        &client,
        host,
        DbAction::ConnectAdmin,
        None,
        None,
        at,
    )
    .unwrap();
    assert_eq!(
        token,
        boto3_token("generate_db_connect_admin_auth_token", host, None, None)
    );
}

#[tokio::test]
async fn an_unsigned_client_has_no_token_to_give() {
    let client = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .unsigned()
        .build()
        .unwrap()
        .client("dsql")
        .unwrap();
    let err = boto::dsql::generate_db_connect_auth_token(&client, "h", None, None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a DSQL auth token needs credentials; this client is unsigned"
    );
}
