//! The presigned URLs of cross-region copies (EC2 CopySnapshot's `PresignedUrl`, RDS's,
//! Neptune's and DocumentDB's `PreSignedUrl`): a loopback server records the call boto-rs
//! sends, and the pinned boto3, its clock frozen at the URL's `X-Amz-Date`, makes the same call;
//! every parameter, the URL included, must be byte-equal (so the URL's signature is boto3's).
//! EC2's copy also runs on moto. Built with `--features full` (see scripts/test.sh).
#![cfg(all(
    feature = "ec2",
    feature = "rds",
    feature = "neptune",
    feature = "docdb"
))]

mod support;

use boto::{doc, Document};
use std::collections::BTreeMap;
use support::{python_json, session, session_at};

/// A loopback server that answers each of `count` requests with an empty 200 XML answer
/// (`<{root}/>`) and returns each request's body.
fn recording_server(
    count: usize,
    root: &'static str,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let xml = format!("<{root}/>");
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
        xml.len()
    );
    let (url, handle) = support::recording_server(vec![answer; count]);
    let bodies = std::thread::spawn(move || {
        let seen = handle.join().unwrap();
        seen.into_iter()
            .map(|(_, body)| String::from_utf8(body).unwrap())
            .collect()
    });
    (url, bodies)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// A form body (or a query string) as its parameters.
fn params(form: &str) -> BTreeMap<String, String> {
    form.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// boto3 at the instant `amz_date`: the parameters of the call it sends (stopped before it goes).
const BOTO3_CALL: &str = r#"
import sys, json, datetime, urllib.parse, boto3, botocore.auth
a = json.loads(sys.stdin.read())
when = datetime.datetime.strptime(a['date'], '%Y%m%dT%H%M%SZ')
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: when
c = boto3.client(a['service'], region_name=a['region'], endpoint_url=a['url'],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
seen = {}
class Stop(Exception):
    pass
def grab(request, **kwargs):
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    seen.update(urllib.parse.parse_qsl(body, keep_blank_values=True))
    raise Stop()
c.meta.events.register('before-send', grab)
try:
    getattr(c, a['method'])(**a['params'])
except Stop:
    pass
print(json.dumps(seen))
"#;

/// Sends `op` with `input` through boto-rs (client in `us-west-2`) to a recording server and
/// the same call through boto3 at the URL's instant; returns both parameter sets.
async fn both(
    service: &str,
    op: &str,
    method: &str,
    url_member: &str,
    input: Document,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (url, server) = recording_server(1, "Answer");
    let client = session_at(&url, "us-west-2").client(service).unwrap();
    client.call(op, input.clone()).await.unwrap();
    let ours = params(&server.join().unwrap()[0]);
    let presigned = ours.get(url_member).expect("the presigned URL is sent");
    let query = presigned.split_once('?').unwrap().1;
    let date = params(query)["X-Amz-Date"].clone();
    let args = serde_json::json!({
        "service": service, "region": "us-west-2", "url": url, "method": method,
        "params": serde_json::from_str::<serde_json::Value>(&input.to_json()).unwrap(),
        "date": date,
    });
    let theirs: BTreeMap<String, String> =
        serde_json::from_value(python_json(BOTO3_CALL, &[], &args.to_string())).unwrap();
    (ours, theirs)
}

#[tokio::test]
async fn ec2_copy_snapshot_carries_boto3s_presigned_url() {
    let input = doc! {"SourceRegion": "us-east-1", "SourceSnapshotId": "snap-0123456789abcdef0", "Description": "a copy, from afar"};
    let (ours, theirs) = both(
        "ec2",
        "CopySnapshot",
        "copy_snapshot",
        "PresignedUrl",
        input,
    )
    .await;
    assert_eq!(ours, theirs);
    assert_eq!(ours["DestinationRegion"], "us-west-2");
    assert_eq!(
        ours["SourceRegion"], "us-east-1",
        "EC2 models it: it is sent"
    );
    let url = &ours["PresignedUrl"];
    let query = params(url.split_once('?').unwrap().1);
    assert!(
        query["X-Amz-Credential"].ends_with("/us-east-1/ec2/aws4_request"),
        "{url}"
    );
    assert_eq!(query["X-Amz-Expires"], "3600");
    assert_eq!(query["Action"], "CopySnapshot");
    assert_eq!(query["DestinationRegion"], "us-west-2");
}

#[tokio::test]
async fn a_given_presigned_url_is_sent_as_given() {
    let (url, server) = recording_server(1, "Answer");
    let ec2 = session_at(&url, "us-west-2").client("ec2").unwrap();
    let input = doc! {"SourceRegion": "us-east-1", "SourceSnapshotId": "snap-1", "PresignedUrl": "https://mine"};
    ec2.call("CopySnapshot", input).await.unwrap();
    let sent = params(&server.join().unwrap()[0]);
    assert_eq!(sent["PresignedUrl"], "https://mine");
    assert!(
        !sent.contains_key("DestinationRegion"),
        "as botocore: {sent:?}"
    );
}

#[tokio::test]
async fn rds_neptune_and_docdb_copies_carry_boto3s_presigned_url() {
    let cases = [
        (
            "rds",
            "CopyDBSnapshot",
            "copy_db_snapshot",
            doc! {"SourceDBSnapshotIdentifier": "arn:aws:rds:us-east-1:123456789012:snapshot:s1", "TargetDBSnapshotIdentifier": "s1-copy", "KmsKeyId": "k", "SourceRegion": "us-east-1"},
        ),
        (
            "rds",
            "CreateDBInstanceReadReplica",
            "create_db_instance_read_replica",
            doc! {"DBInstanceIdentifier": "replica", "SourceDBInstanceIdentifier": "arn:aws:rds:us-east-1:123456789012:db:main", "SourceRegion": "us-east-1"},
        ),
        (
            "neptune",
            "CopyDBClusterSnapshot",
            "copy_db_cluster_snapshot",
            doc! {"SourceDBClusterSnapshotIdentifier": "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:c1", "TargetDBClusterSnapshotIdentifier": "c1-copy", "SourceRegion": "us-east-1"},
        ),
        (
            "docdb",
            "CreateDBCluster",
            "create_db_cluster",
            doc! {"DBClusterIdentifier": "d1", "Engine": "docdb", "SourceRegion": "us-east-1"},
        ),
    ];
    for (service, op, method, input) in cases {
        let (ours, theirs) = both(service, op, method, "PreSignedUrl", input).await;
        assert_eq!(ours, theirs, "{service} {op}");
        assert!(
            !ours.contains_key("SourceRegion"),
            "{service} {op}: {ours:?}"
        );
        assert!(
            !ours.contains_key("DestinationRegion"),
            "{service} {op}: {ours:?}"
        );
        let url = &ours["PreSignedUrl"];
        let query = params(url.split_once('?').unwrap().1);
        assert!(
            query["X-Amz-Credential"].ends_with("/us-east-1/rds/aws4_request"),
            "{url}"
        );
        assert_eq!(query["DestinationRegion"], "us-west-2", "{url}");
        assert!(!query.contains_key("SourceRegion"), "{url}");
    }
}

#[tokio::test]
async fn a_local_rds_copy_carries_no_url() {
    let (url, server) = recording_server(1, "Answer");
    let rds = session_at(&url, "us-west-2").client("rds").unwrap();
    let input = doc! {"SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s2"};
    rds.call("CopyDBSnapshot", input).await.unwrap();
    let sent = params(&server.join().unwrap()[0]);
    assert!(!sent.contains_key("PreSignedUrl"), "{sent:?}");
}

#[tokio::test]
async fn moto_copies_a_snapshot_across_regions() {
    let east = session("us-east-1").client("ec2").unwrap();
    let volume = east
        .call(
            "CreateVolume",
            doc! {"AvailabilityZone": "us-east-1a", "Size": 1},
        )
        .await
        .unwrap();
    let snapshot = east
        .call(
            "CreateSnapshot",
            doc! {"VolumeId": volume["VolumeId"].as_str().unwrap()},
        )
        .await
        .unwrap();
    let source = snapshot["SnapshotId"].as_str().unwrap();
    let west = session("us-west-2").client("ec2").unwrap();
    let copy = west
        .call(
            "CopySnapshot",
            doc! {"SourceRegion": "us-east-1", "SourceSnapshotId": source},
        )
        .await
        .unwrap();
    let id = copy["SnapshotId"].as_str().unwrap();
    let found = west
        .call("DescribeSnapshots", doc! {"SnapshotIds": [id]})
        .await
        .unwrap();
    assert_eq!(found["Snapshots"][0]["SnapshotId"].as_str(), Some(id));
}

/// The signer under those URLs: any non-S3 presigned URL hashes the (empty) payload, as
/// botocore's query signer does, not `UNSIGNED-PAYLOAD` as S3's.
#[tokio::test]
async fn a_presigned_sts_url_is_boto3s() {
    let sts = session_at("http://127.0.0.1:9", "us-west-2")
        .client("sts")
        .unwrap();
    let ours = sts
        .generate_presigned_url("GetCallerIdentity", doc! {}, 900)
        .await
        .unwrap();
    let date = params(ours.split_once('?').unwrap().1)["X-Amz-Date"].clone();
    let script = r#"
import sys, json, datetime, boto3, botocore.auth
when = datetime.datetime.strptime(sys.argv[1], '%Y%m%dT%H%M%SZ')
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: when
c = boto3.client('sts', region_name='us-west-2', endpoint_url='http://127.0.0.1:9',
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
print(json.dumps(c.generate_presigned_url('get_caller_identity', ExpiresIn=900)))
"#;
    assert_eq!(python_json(script, &[&date], ""), serde_json::json!(ours));
}
