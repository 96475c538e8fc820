//! What boto3 injects into EC2's resources, on moto: `ec2.create_tags(Resources, Tags)` returns a
//! Tag resource per resource and tag, and `delete_tags` on a taggable resource deletes its own
//! tags. Also an action whose parameter comes from the resource's data (`VpcAddress.release`),
//! which loads the resource first, as boto3 does.
#![cfg(feature = "ec2")]

mod support;

use boto::doc;
use boto::resource::{Resource, ServiceResource};
use std::process::Command;
use support::{moto_url, session};

async fn vpc(ec2: &ServiceResource, cidr: &str) -> Resource {
    ec2.action("create_vpc", doc! {"CidrBlock": cidr})
        .await
        .unwrap()
        .into_resource()
        .unwrap()
}

async fn tags_of(ec2: &ServiceResource, id: &str) -> Vec<(String, String)> {
    let out = ec2
        .client()
        .call(
            "DescribeTags",
            doc! {"Filters": [{"Name": "resource-id", "Values": [id]}]},
        )
        .await
        .unwrap();
    let mut tags: Vec<(String, String)> = out["Tags"]
        .iter()
        .map(|t| {
            (
                t["Key"].as_str().unwrap().to_string(),
                t["Value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    tags.sort();
    tags
}

#[tokio::test]
async fn create_tags_returns_a_tag_per_resource_and_tag() {
    let ec2 = session("us-east-1").resource("ec2").unwrap();
    let a = vpc(&ec2, "10.1.0.0/16").await;
    let b = vpc(&ec2, "10.2.0.0/16").await;
    let (a_id, b_id) = (a.identifier("Id").unwrap(), b.identifier("Id").unwrap());
    let tags = ec2
        .create_tags(
            &[a_id, b_id],
            doc!([{"Key": "team", "Value": "rs"}, {"Key": "env", "Value": "test"}]),
        )
        .await
        .unwrap();
    let made: Vec<Vec<&str>> = tags
        .iter()
        .map(|t| t.identifiers().iter().map(|(_, v)| v.as_str()).collect())
        .collect();
    assert_eq!(
        made,
        [
            vec![a_id, "team", "rs"],
            vec![a_id, "env", "test"],
            vec![b_id, "team", "rs"],
            vec![b_id, "env", "test"],
        ]
    );
    assert!(tags.iter().all(|t| t.type_name() == "Tag"));
    let want = vec![
        ("env".to_string(), "test".to_string()),
        ("team".to_string(), "rs".to_string()),
    ];
    assert_eq!(tags_of(&ec2, a_id).await, want);
    assert_eq!(tags_of(&ec2, b_id).await, want);

    // The generic action name reaches the injected one too.
    let more = ec2
        .action(
            "create_tags",
            doc! {"Resources": [a_id], "Tags": [{"Key": "k", "Value": "v"}]},
        )
        .await
        .unwrap()
        .into_resources();
    assert_eq!(more.len(), 1);

    // The same call through boto3 makes the same Tag identifiers.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(
            "import boto3, json, sys\n\
             s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
             ec2 = s.resource('ec2', endpoint_url=sys.argv[1])\n\
             tags = ec2.create_tags(Resources=sys.argv[2:], Tags=[{'Key': 'team', 'Value': 'rs'}, {'Key': 'env', 'Value': 'test'}])\n\
             print(json.dumps([[t.resource_id, t.key, t.value] for t in tags]))",
        )
        .arg(moto_url())
        .args([a_id, b_id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs, made);

    // Bad input is a clear error, before any request.
    let err = ec2
        .create_tags(&[a_id], doc!([{"Value": "x"}]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Key"), "{err}");
}

#[tokio::test]
async fn delete_tags_deletes_the_resources_own_tags() {
    let ec2 = session("us-east-1").resource("ec2").unwrap();
    let a = vpc(&ec2, "10.3.0.0/16").await;
    let b = vpc(&ec2, "10.4.0.0/16").await;
    let ids = [a.identifier("Id").unwrap(), b.identifier("Id").unwrap()];
    ec2.create_tags(
        &ids,
        doc!([{"Key": "x", "Value": "1"}, {"Key": "y", "Value": "2"}]),
    )
    .await
    .unwrap();
    a.delete_tags(doc! {"Tags": [{"Key": "x"}]}).await.unwrap();
    assert_eq!(
        tags_of(&ec2, ids[0]).await,
        [("y".to_string(), "2".to_string())]
    );
    assert_eq!(tags_of(&ec2, ids[1]).await.len(), 2, "only its own");
    a.delete_tags(doc! {"Tags": [{"Key": "y", "Value": "2"}]})
        .await
        .unwrap();
    assert!(tags_of(&ec2, ids[0]).await.is_empty());

    // An Instance, where boto3 injects it too.
    let image = ec2.client().call("DescribeImages", doc! {}).await.unwrap()["Images"][0]["ImageId"]
        .as_str()
        .unwrap()
        .to_string();
    let instance = ec2
        .action(
            "create_instances",
            doc! {"ImageId": image, "MinCount": 1, "MaxCount": 1},
        )
        .await
        .unwrap()
        .into_resources()
        .remove(0);
    let id = instance.identifier("Id").unwrap();
    ec2.create_tags(&[id], doc!([{"Key": "role", "Value": "web"}]))
        .await
        .unwrap();
    instance
        .action("delete_tags", doc! {"Tags": [{"Key": "role"}]})
        .await
        .unwrap();
    assert!(tags_of(&ec2, id).await.is_empty());

    // A resource that is not taggable this way has no delete_tags.
    let tag = ec2.resource("Tag", &[ids[1], "x", "1"]).unwrap();
    let err = tag.delete_tags(doc! {}).await.unwrap_err();
    assert!(err.to_string().contains("no action"), "{err}");
}

#[tokio::test]
async fn an_action_with_a_data_parameter_loads_first() {
    let ec2 = session("us-east-1").resource("ec2").unwrap();
    let allocation = ec2
        .client()
        .call("AllocateAddress", doc! {"Domain": "vpc"})
        .await
        .unwrap()["AllocationId"]
        .as_str()
        .unwrap()
        .to_string();
    // A fresh VpcAddress has no data; Release takes AllocationId from it.
    let address = ec2.resource("VpcAddress", &[&allocation]).unwrap();
    assert!(address.data().is_none());
    address.action("release", doc! {}).await.unwrap();
    let left = ec2
        .client()
        .call("DescribeAddresses", doc! {})
        .await
        .unwrap();
    assert!(left["Addresses"]
        .iter()
        .all(|a| a["AllocationId"].as_str() != Some(allocation.as_str())));
}

#[test]
fn blocking_tags() {
    let ec2 = boto::blocking::Session::from(session("us-east-1"))
        .resource("ec2")
        .unwrap();
    let vpc = ec2
        .action("CreateVpc", doc! {"CidrBlock": "10.5.0.0/16"})
        .unwrap()
        .into_resource()
        .unwrap();
    let id = vpc.identifier("Id").unwrap();
    let tags = ec2
        .create_tags(&[id], doc!([{"Key": "b", "Value": "1"}]))
        .unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].identifier("Key"), Some("b"));
    vpc.delete_tags(doc! {"Tags": [{"Key": "b"}]}).unwrap();
    let out = ec2
        .client()
        .call(
            "DescribeTags",
            doc! {"Filters": [{"Name": "resource-id", "Values": [id]}]},
        )
        .unwrap();
    assert!(out["Tags"].as_list().is_none_or(|l| l.is_empty()));
}
