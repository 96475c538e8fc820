//! A session resolves region, credentials and endpoints from the environment and the shared files,
//! with explicit arguments winning, as boto3's does.

mod support;

use boto::{doc, Session};
use boto_core::config::Env;
use support::{moto_url, unique};

fn home_with(config: &str, credentials: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(unique("boto-session-home"));
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    std::fs::write(dir.join(".aws/config"), config).unwrap();
    std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
    dir
}

#[tokio::test]
async fn profile_files_and_per_service_endpoint_variables() {
    let home = home_with(
        "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-southeast-2\n",
        "[dev]\naws_access_key_id = devkey\naws_secret_access_key = devsecret\n",
    );
    let env = Env::from_vars([
        ("HOME", home.display().to_string()),
        ("AWS_ENDPOINT_URL_SQS", moto_url()),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9".to_string()),
    ]);
    let dev = Session::builder()
        .env(env.clone())
        .profile_name("dev")
        .build()
        .unwrap();
    assert_eq!(dev.region_name(), Some("ap-southeast-2"));
    // SQS goes to moto through AWS_ENDPOINT_URL_SQS, signed with the profile's keys.
    let sqs = dev.client("sqs").unwrap();
    let req = sqs.build_request("ListQueues", doc! {}).await.unwrap();
    assert!(req.url.starts_with(&moto_url()), "{}", req.url);
    assert!(
        req.header("authorization")
            .unwrap()
            .contains("Credential=devkey/"),
        "{req:?}"
    );
    assert!(req
        .header("authorization")
        .unwrap()
        .contains("/ap-southeast-2/sqs/"));
    sqs.call("ListQueues", doc! {}).await.unwrap();
    // Other services use the global AWS_ENDPOINT_URL.
    let s3 = dev
        .client("s3")
        .unwrap()
        .build_request("ListBuckets", doc! {})
        .await
        .unwrap();
    assert!(s3.url.starts_with("http://127.0.0.1:9/"), "{}", s3.url);
    // The default profile, and explicit arguments over files and environment.
    let default = Session::builder().env(env.clone()).build().unwrap();
    assert_eq!(default.region_name(), Some("eu-west-1"));
    let explicit = Session::builder()
        .env(env)
        .profile_name("dev")
        .region_name("us-west-2")
        .endpoint_url("http://127.0.0.1:7")
        .build()
        .unwrap();
    assert_eq!(explicit.region_name(), Some("us-west-2"));
    let req = explicit
        .client("sqs")
        .unwrap()
        .build_request("ListQueues", doc! {})
        .await
        .unwrap();
    assert!(req.url.starts_with("http://127.0.0.1:7/"), "{}", req.url);
}

#[tokio::test]
async fn environment_credentials_and_region() {
    let env = Env::from_vars([
        ("HOME", "/nonexistent-boto-home"),
        ("AWS_ACCESS_KEY_ID", "envkey"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_DEFAULT_REGION", "ca-central-1"),
    ]);
    let s = Session::builder().env(env).build().unwrap();
    assert_eq!(s.region_name(), Some("ca-central-1"));
    let req = s
        .client("sqs")
        .unwrap()
        .build_request("ListQueues", doc! {})
        .await
        .unwrap();
    assert_eq!(req.url, "https://sqs.ca-central-1.amazonaws.com/");
    assert!(req
        .header("authorization")
        .unwrap()
        .contains("Credential=envkey/"));
}

#[test]
fn a_malformed_config_file_is_an_error_naming_it() {
    let home = home_with("[profile dev\nregion = x\n", "");
    let env = Env::from_vars([("HOME", home.display().to_string())]);
    let err = Session::builder().env(env).build().unwrap_err().to_string();
    assert!(
        err.contains(".aws/config") && err.contains("line 1"),
        "{err}"
    );
}

#[tokio::test]
async fn config_values_and_per_client_endpoints_override_the_environment() {
    let env = Env::from_vars([
        ("HOME", "/nonexistent-boto-home"),
        ("AWS_ACCESS_KEY_ID", "k"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_MAX_ATTEMPTS", "7"),
    ]);
    let s = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .config("max_attempts", "2")
        .config("s3.addressing_style", "path")
        .build()
        .unwrap();
    let s3 = s.client("s3").unwrap();
    assert_eq!(
        s3.service_client().config().retry.max_attempts,
        2,
        "explicit config beats the environment"
    );
    let req = s3
        .build_request("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(
        req.url, "https://s3.amazonaws.com/b/k",
        "path style from config"
    );
    let local = s
        .client_with("s3", Some("eu-west-1"), Some("http://127.0.0.1:9"))
        .unwrap();
    assert_eq!(local.region(), Some("eu-west-1"));
    let req = local
        .build_request("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(req.url, "http://127.0.0.1:9/b/k");
}
