//! The engine is model-driven: IAM and SNS (query), EC2 (ec2), DynamoDB (json 1.0) and STS work
//! through the same client, end to end on moto. Built with `--features full` (see scripts/test.sh).
#![cfg(all(
    feature = "iam",
    feature = "ec2",
    feature = "dynamodb",
    feature = "sns"
))]

mod support;

use boto::doc;
use support::{session, unique};

#[tokio::test]
async fn iam_users_round_trip() {
    let iam = session("us-east-1").client("iam").unwrap();
    let name = unique("user");
    let created = iam
        .call(
            "CreateUser",
            doc! {"UserName": &name, "Tags": [{"Key": "team", "Value": "rs"}]},
        )
        .await
        .unwrap();
    assert_eq!(created["User"]["UserName"].as_str(), Some(name.as_str()));
    assert!(created["User"]["CreateDate"].as_timestamp().is_some());
    let users = iam
        .paginate("ListUsers", doc! {})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert!(users
        .iter()
        .any(|u| u["UserName"].as_str() == Some(name.as_str())));
    let err = iam
        .call("GetUser", doc! {"UserName": "nobody-here"})
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchEntity"), "{err}");
}

#[tokio::test]
async fn ec2_describe_and_filters() {
    let ec2 = session("us-east-1").client("ec2").unwrap();
    let vpc = ec2
        .call("CreateVpc", doc! {"CidrBlock": "10.42.0.0/16"})
        .await
        .unwrap();
    let id = vpc["Vpc"]["VpcId"].as_str().unwrap().to_string();
    let found = ec2
        .call(
            "DescribeVpcs",
            doc! {"Filters": [{"Name": "vpc-id", "Values": [id.as_str()]}]},
        )
        .await
        .unwrap();
    assert_eq!(found["Vpcs"][0]["CidrBlock"].as_str(), Some("10.42.0.0/16"));
    let err = ec2
        .call("DescribeVpcs", doc! {"VpcIds": ["vpc-00000000"]})
        .await
        .unwrap_err();
    assert!(err.code().is_some_and(|c| c.contains("NotFound")), "{err}");
}

#[tokio::test]
async fn dynamodb_items_and_conditional_errors() {
    let ddb = session("us-east-1").client("dynamodb").unwrap();
    let table = unique("table");
    ddb.call(
        "CreateTable",
        doc! {
            "TableName": &table,
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    .await
    .unwrap();
    ddb.call(
        "PutItem",
        doc! {"TableName": &table, "Item": {"id": {"S": "a"}, "n": {"N": "3"}}},
    )
    .await
    .unwrap();
    let got = ddb
        .call(
            "GetItem",
            doc! {"TableName": &table, "Key": {"id": {"S": "a"}}},
        )
        .await
        .unwrap();
    assert_eq!(got["Item"]["n"]["N"].as_str(), Some("3"));
    let err = ddb
        .call(
            "PutItem",
            doc! {"TableName": &table, "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(id)"},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConditionalCheckFailedException"), "{err}");
}

#[tokio::test]
async fn sns_topics_and_resources() {
    let s = session("us-east-1");
    let sns = s.client("sns").unwrap();
    let arn = sns
        .call("CreateTopic", doc! {"Name": unique("topic")})
        .await
        .unwrap()["TopicArn"]
        .as_str()
        .unwrap()
        .to_string();
    let topics = sns
        .paginate("ListTopics", doc! {})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert!(topics
        .iter()
        .any(|t| t["TopicArn"].as_str() == Some(arn.as_str())));
    let mut topic = s
        .resource("sns")
        .unwrap()
        .resource("Topic", &[&arn])
        .unwrap();
    let attrs = topic.get_attr("Attributes").await.unwrap();
    assert_eq!(attrs["TopicArn"].as_str(), Some(arn.as_str()));
}

#[tokio::test]
async fn dynamodb_table_resource_speaks_plain_values() {
    let s = session("us-east-1");
    let ddb = s.resource("dynamodb").unwrap();
    let name = unique("plain");
    let table = ddb
        .action(
            "create_table",
            doc! {
                "TableName": &name,
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    table
        .action("put_item", doc! {"Item": {"id": "a", "n": 3, "f": 1.5, "ok": true, "tags": ["x", "y"], "m": {"k": null}}})
        .await
        .unwrap();
    let got = table
        .action("get_item", doc! {"Key": {"id": "a"}})
        .await
        .unwrap()
        .into_output()
        .unwrap();
    // DynamoDB does not keep attribute order: compare the members sorted by name.
    let sorted = |d: &boto::Document| {
        let mut members: Vec<(boto::Name, boto::Document)> = d
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members
    };
    let want = doc! {"id": "a", "n": 3, "f": 1.5, "ok": true, "tags": ["x", "y"], "m": {"k": null}};
    assert_eq!(sorted(&got.document["Item"]), sorted(&want));
    let found = table
        .action(
            "query",
            doc! {"KeyConditionExpression": "id = :id", "ExpressionAttributeValues": {":id": "a"}},
        )
        .await
        .unwrap()
        .into_output()
        .unwrap();
    assert_eq!(found.document["Items"][0]["n"], doc!(3));
    // The low-level client still takes and returns the typed form.
    let raw = s
        .client("dynamodb")
        .unwrap()
        .call(
            "GetItem",
            doc! {"TableName": &name, "Key": {"id": {"S": "a"}}},
        )
        .await
        .unwrap();
    assert_eq!(raw["Item"]["n"], doc! {"N": "3"});
}
