//! S3 in `us-east-1` goes where botocore sends it: the global `s3.amazonaws.com` under its
//! default `s3.us_east_1_regional_endpoint = legacy` (the rules' `AWS::S3::UseGlobalEndpoint`),
//! `s3.us-east-1.amazonaws.com` with `regional`; other regions are unaffected. Each URL (up to
//! its query) is compared with the one the pinned boto3 sends, for both addressing styles.

mod support;

use boto::{doc, Credentials, Session};
use support::{empty_env, python_json};

const BOTO3_URLS: &str = r#"
import sys, json, boto3, botocore.config
cases = json.loads(sys.argv[1])
out = []
for region, regional, style in cases:
    s3 = {'addressing_style': style}
    if regional is not None:
        s3['us_east_1_regional_endpoint'] = regional
    c = boto3.client('s3', region_name=region, aws_access_key_id='AKIDEXAMPLE',
                     aws_secret_access_key='secret', config=botocore.config.Config(s3=s3))
    urls = []
    class Stop(Exception):
        pass
    def grab(request, **kwargs):
        urls.append(request.url.split('?')[0])
        raise Stop()
    c.meta.events.register('before-send', grab)
    for call in (lambda: c.list_buckets(), lambda: c.get_object(Bucket='backupbucket', Key='a/k')):
        try:
            call()
        except Stop:
            pass
    out.append(urls)
print(json.dumps(out))
"#;

#[tokio::test]
async fn us_east_1_goes_to_the_global_endpoint_as_botocore_sends_it() {
    let mut cases = Vec::new();
    for region in ["us-east-1", "us-west-2"] {
        for regional in [None, Some("legacy"), Some("regional")] {
            for style in ["auto", "path"] {
                cases.push((region, regional, style));
            }
        }
    }
    let mut ours = Vec::new();
    for (region, regional, style) in &cases {
        let mut b = Session::builder()
            .env(empty_env())
            .region_name(*region)
            .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
            .config("s3.addressing_style", *style);
        if let Some(v) = regional {
            b = b.config("s3.us_east_1_regional_endpoint", *v);
        }
        let s3 = b.build().unwrap().client("s3").unwrap();
        let mut urls = Vec::new();
        for (op, input) in [
            ("ListBuckets", doc! {}),
            ("GetObject", doc! {"Bucket": "backupbucket", "Key": "a/k"}),
        ] {
            let req = s3.build_request(op, input).await.unwrap();
            urls.push(req.url.split('?').next().unwrap().to_string());
        }
        ours.push(urls);
    }
    let theirs = python_json(BOTO3_URLS, &[&serde_json::json!(cases).to_string()], "");
    assert_eq!(serde_json::json!(ours), theirs);
    assert_eq!(
        ours[0],
        [
            "https://s3.amazonaws.com/",
            "https://backupbucket.s3.amazonaws.com/a/k"
        ]
    );
    assert_eq!(
        ours[4][0], "https://s3.us-east-1.amazonaws.com/",
        "regional"
    );
}

#[test]
fn a_bad_value_names_the_choices() {
    let err = Session::builder()
        .env(empty_env())
        .config("s3.us_east_1_regional_endpoint", "global")
        .region_name("us-east-1")
        .build()
        .and_then(|s| s.client("s3"))
        .unwrap_err();
    assert!(err.to_string().contains("legacy or regional"), "{err}");
}
