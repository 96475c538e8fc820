//! S3 Control's operations carry the model's `{AccountId}.` host prefix, but the endpoint rules
//! already put the account id in the host; botocore's `remove_accid_host_prefix_from_model`
//! drops the prefix so it is not applied twice. Each URL boto-rs builds is compared with the one
//! the pinned boto3 sends.
#![cfg(feature = "s3control")]

mod support;

use boto::{doc, Credentials, Session};
use support::{empty_env, python_json};

const BOTO3_URL: &str = r#"
import sys, json, boto3
a = json.loads(sys.argv[1])
c = boto3.client('s3control', region_name=a['region'], endpoint_url=a['endpoint'],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
seen = []
class Stop(Exception):
    pass
def grab(request, **kwargs):
    seen.append(request.url)
    raise Stop()
c.meta.events.register('before-send', grab)
try:
    c.get_public_access_block(AccountId='123456789012')
except Stop:
    pass
try:
    c.list_access_points(AccountId='123456789012', Bucket='bucket')
except Stop:
    pass
print(json.dumps(seen))
"#;

#[tokio::test]
async fn the_account_id_is_in_the_host_once_as_boto3_puts_it() {
    for (region, endpoint) in [
        ("us-west-2", None),
        ("us-east-1", Some("http://127.0.0.1:9")),
    ] {
        let mut b = Session::builder()
            .env(empty_env())
            .region_name(region)
            .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None));
        if let Some(url) = endpoint {
            b = b.endpoint_url(url);
        }
        let s3control = b.build().unwrap().client("s3control").unwrap();
        let mut ours = Vec::new();
        for (op, input) in [
            ("GetPublicAccessBlock", doc! {"AccountId": "123456789012"}),
            (
                "ListAccessPoints",
                doc! {"AccountId": "123456789012", "Bucket": "bucket"},
            ),
        ] {
            ours.push(s3control.build_request(op, input).await.unwrap().url);
        }
        let args = serde_json::json!({"region": region, "endpoint": endpoint});
        let theirs = python_json(BOTO3_URL, &[&args.to_string()], "");
        assert_eq!(serde_json::json!(ours), theirs, "{region}");
        assert_eq!(ours[0].matches("123456789012").count(), 1, "{}", ours[0]);
    }
}
