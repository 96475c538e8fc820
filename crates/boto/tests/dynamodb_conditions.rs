//! boto3's conditions: the builder writes the same expressions, names and values as boto3's
//! `ConditionExpressionBuilder` for the same conditions, and a Table resource takes conditions in
//! `KeyConditionExpression`, `FilterExpression` and `ConditionExpression` on moto, with the same
//! items found as boto3 finds.
#![cfg(feature = "dynamodb")]

mod support;

use boto::doc;
use boto::dynamodb::{Attr, Condition, ConditionExpressionBuilder, Key, Number};
use boto::resource::Resource;
use boto::Document;
use std::process::Command;
use support::{moto_url, session, unique};

fn python(script: &str, args: &[&str]) -> serde_json::Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("boto3 printed JSON")
}

/// The same conditions, in Rust and (as text) in Python, with whether each is a key condition.
fn cases() -> Vec<(Condition, &'static str, bool)> {
    vec![
        (Key::new("pk").eq("a"), "Key('pk').eq('a')", true),
        (
            Key::new("pk").eq("a") & Key::new("sk").between(1, 9),
            "Key('pk').eq('a') & Key('sk').between(1, 9)",
            true,
        ),
        (
            Key::new("pk").eq(1) & Key::new("sk").begins_with("2024-"),
            "Key('pk').eq(1) & Key('sk').begins_with('2024-')",
            true,
        ),
        (Key::new("n").lt(3), "Key('n').lt(3)", true),
        (Key::new("n").lte(3), "Key('n').lte(3)", true),
        (Key::new("n").gte(3), "Key('n').gte(3)", true),
        (Attr::new("n").gt(3), "Attr('n').gt(3)", false),
        (Attr::new("n").ne("x"), "Attr('n').ne('x')", false),
        (
            Attr::new("color").is_in(["red", "green", "blue"]),
            "Attr('color').is_in(['red', 'green', 'blue'])",
            false,
        ),
        (Attr::new("a").exists(), "Attr('a').exists()", false),
        (Attr::new("a").not_exists(), "Attr('a').not_exists()", false),
        (
            Attr::new("tags").contains("x"),
            "Attr('tags').contains('x')",
            false,
        ),
        (
            Attr::new("tags").size().gt(2),
            "Attr('tags').size().gt(2)",
            false,
        ),
        (
            Attr::new("tags").size().between(1, 5),
            "Attr('tags').size().between(1, 5)",
            false,
        ),
        (
            Attr::new("a").attribute_type("SS"),
            "Attr('a').attribute_type('SS')",
            false,
        ),
        (
            Attr::new("map.list[1].leaf").eq(true),
            "Attr('map.list[1].leaf').eq(True)",
            false,
        ),
        (
            (Attr::new("a").eq(1) | Attr::new("b").lt(2)) & !Attr::new("c").begins_with("z"),
            "(Attr('a').eq(1) | Attr('b').lt(2)) & ~Attr('c').begins_with('z')",
            false,
        ),
        (
            !(Attr::new("x.y").exists() & Attr::new("z").is_in([1, 2])),
            "~(Attr('x.y').exists() & Attr('z').is_in([1, 2]))",
            false,
        ),
    ]
}

fn show(d: &Document) -> serde_json::Value {
    serde_json::to_value(d).unwrap()
}

#[test]
fn the_builder_writes_what_boto3_writes() {
    let mut builder = ConditionExpressionBuilder::new();
    let mut ours = Vec::new();
    for (condition, _, is_key) in cases() {
        let built = builder.build(&condition, is_key).unwrap();
        ours.push(serde_json::json!([
            built.expression,
            show(&Document::Map(built.names)),
            show(&Document::Map(built.values)),
        ]));
    }
    let mut script = String::from(
        "import json\n\
         from boto3.dynamodb.conditions import Key, Attr, ConditionExpressionBuilder\n\
         b = ConditionExpressionBuilder()\n\
         out = []\n",
    );
    for (_, python, is_key) in cases() {
        script.push_str(&format!(
            "e = b.build_expression({python}, is_key_condition={})\n\
             out.append([e.condition_expression, e.attribute_name_placeholders, e.attribute_value_placeholders])\n",
            if is_key { "True" } else { "False" }
        ));
    }
    script.push_str("print(json.dumps(out))\n");
    let theirs = python(&script, &[]);
    assert_eq!(serde_json::Value::Array(ours), theirs);

    // boto3 refuses an Attr in a key condition; so does the builder.
    let err = builder
        .build(&(Key::new("pk").eq(1) & Attr::new("a").eq(2)), true)
        .unwrap_err();
    assert!(err.to_string().contains("KeyConditionExpression"), "{err}");
}

async fn orders(ddb: &boto::resource::ServiceResource) -> Resource {
    let table = ddb
        .action(
            "create_table",
            doc! {
                "TableName": unique("orders"),
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                ],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    for sk in 1..=6 {
        let status = if sk % 2 == 0 { "open" } else { "done" };
        table
            .action(
                "put_item",
                doc! {"Item": {"pk": "cust", "sk": sk, "status": status, "lines": (0..sk).collect::<Vec<i64>>()}},
            )
            .await
            .unwrap();
    }
    table
}

fn sks(output: &Document) -> Vec<i64> {
    output["Items"]
        .iter()
        .map(|i| i["sk"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn tables_take_conditions_in_expression_parameters() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = orders(&ddb).await;
    let query = |params: Document| {
        let table = table.clone();
        async move {
            table
                .action("query", params)
                .await
                .unwrap()
                .into_output()
                .unwrap()
                .document
        }
    };
    let found = query(doc! {
        "KeyConditionExpression": Key::new("pk").eq("cust") & Key::new("sk").between(2, 5),
        "FilterExpression": Attr::new("status").eq("open") & Attr::new("lines").size().gt(2),
    })
    .await;
    assert_eq!(sks(&found), [4]);
    // The caller's own placeholders sit beside the generated ones.
    let found = query(doc! {
        "KeyConditionExpression": Key::new("pk").eq("cust"),
        "FilterExpression": "#s = :s",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": "done"},
    })
    .await;
    assert_eq!(sks(&found), [1, 3, 5]);

    let scanned = table
        .action(
            "scan",
            doc! {"FilterExpression": Attr::new("sk").is_in([1, 6]) | Attr::new("status").not_exists()},
        )
        .await
        .unwrap()
        .into_output()
        .unwrap()
        .document;
    let mut got = sks(&scanned);
    got.sort();
    assert_eq!(got, [1, 6]);

    // A condition on a write: refused, then accepted.
    let err = table
        .action(
            "put_item",
            doc! {"Item": {"pk": "cust", "sk": 1}, "ConditionExpression": Attr::new("sk").not_exists()},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConditionalCheckFailedException"), "{err}");
    table
        .action(
            "update_item",
            doc! {
                "Key": {"pk": "cust", "sk": 1},
                "UpdateExpression": "SET #st = :new",
                "ExpressionAttributeNames": {"#st": "status"},
                "ExpressionAttributeValues": {":new": "archived"},
                "ConditionExpression": Attr::new("status").eq("done") & Attr::new("sk").lt(Number::from(2)),
            },
        )
        .await
        .unwrap();
    let item = table
        .action("get_item", doc! {"Key": {"pk": "cust", "sk": 1}})
        .await
        .unwrap()
        .into_output()
        .unwrap()
        .document;
    assert_eq!(item["Item"]["status"].as_str(), Some("archived"));

    // An Attr in a key condition is refused before anything is sent.
    let err = table
        .action(
            "query",
            doc! {"KeyConditionExpression": Attr::new("pk").eq("cust")},
        )
        .await
        .unwrap_err();
    assert!(matches!(err, boto::Error::Value(_)), "{err:?}");
    // A map that is not a condition in an expression parameter is refused too.
    let err = table
        .action("scan", doc! {"FilterExpression": {"oops": 1}})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a condition"), "{err}");

    // boto3 finds the same items with the same conditions.
    let theirs = python(
        "import boto3, json, sys\n\
         from boto3.dynamodb.conditions import Key, Attr\n\
         s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
         t = s.resource('dynamodb', endpoint_url=sys.argv[1]).Table(sys.argv[2])\n\
         r = t.query(KeyConditionExpression=Key('pk').eq('cust') & Key('sk').between(2, 5),\n\
                     FilterExpression=Attr('status').eq('open') & Attr('lines').size().gt(2))\n\
         print(json.dumps([int(i['sk']) for i in r['Items']]))",
        &[&moto_url(), table.identifier("Name").unwrap()],
    );
    assert_eq!(theirs, serde_json::json!([4]));
}

#[test]
fn blocking_tables_take_conditions() {
    let ddb = boto::blocking::Session::from(session("us-east-1"))
        .resource("dynamodb")
        .unwrap();
    let name = unique("borders");
    let table = ddb
        .action(
            "create_table",
            doc! {
                "TableName": &name,
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                ],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        .unwrap()
        .into_resource()
        .unwrap();
    for sk in 1..=6 {
        table
            .action("put_item", doc! {"Item": {"pk": "cust", "sk": sk}})
            .unwrap();
    }
    let found = table
        .action(
            "query",
            doc! {"KeyConditionExpression": Key::new("pk").eq("cust") & Key::new("sk").gt(4)},
        )
        .unwrap()
        .into_output()
        .unwrap()
        .document;
    assert_eq!(sks(&found), [5, 6]);
}
