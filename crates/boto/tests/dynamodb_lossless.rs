//! DynamoDB resources lose nothing on moto: numbers keep every digit (beyond `i64`, `u64` and
//! `f64`), sets stay sets, and an item read and written back is the same item; boto3 reads what
//! boto-rs wrote, and boto-rs reads what boto3 wrote, as the same values.
#![cfg(feature = "dynamodb")]

mod support;

use boto::doc;
use boto::dynamodb::{Number, Set};
use boto::resource::{Resource, ServiceResource};
use boto::Document;
use std::process::Command;
use support::{moto_url, session, unique};

/// Runs `script` with the pinned boto3 (`t` is the Table named by argv[2] on moto) and returns what
/// it prints as JSON.
fn boto3(table: &str, script: &str) -> serde_json::Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let prelude = "import boto3, json, sys\n\
        from decimal import Decimal\n\
        from boto3.dynamodb.types import Binary\n\
        s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
        t = s.resource('dynamodb', endpoint_url=sys.argv[1]).Table(sys.argv[2])\n\
        def show(v):\n\
        \x20   if isinstance(v, Decimal): return {'Decimal': str(v)}\n\
        \x20   if isinstance(v, set): return {'set': sorted((show(x) if not isinstance(x, Decimal) else str(x) for x in v), key=json.dumps)}\n\
        \x20   if isinstance(v, Binary): return {'Binary': v.value.hex()}\n\
        \x20   if isinstance(v, dict): return {k: show(x) for k, x in sorted(v.items())}\n\
        \x20   if isinstance(v, list): return [show(x) for x in v]\n\
        \x20   return v\n";
    let out = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .arg(moto_url())
        .arg(table)
        .output()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("boto3 printed JSON")
}

async fn table(ddb: &ServiceResource) -> Resource {
    ddb.action(
        "create_table",
        doc! {
            "TableName": unique("lossless"),
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    .await
    .unwrap()
    .into_resource()
    .unwrap()
}

async fn get(table: &Resource, pk: &str) -> Document {
    table
        .action("get_item", doc! {"Key": {"pk": pk}})
        .await
        .unwrap()
        .into_output()
        .unwrap()
        .document["Item"]
        .clone()
}

fn n(text: &str) -> Number {
    text.parse().unwrap()
}

const DIGITS: [&str; 5] = [
    "0.1000000000000000000000000000000000001",
    "18446744073709551616",
    "-17014118346046923173168730371588410572",
    "99999999999999999999999999999999999999",
    "1.5E+100",
];

#[tokio::test]
async fn numbers_keep_every_digit_through_put_and_get() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    let mut item = doc! {"pk": "n", "small": 7, "half": 0.5, "max": Number::from(u64::MAX)};
    for (i, text) in DIGITS.iter().enumerate() {
        let _ = item.insert(format!("d{i}"), n(text));
    }
    table
        .action("put_item", doc! {"Item": item.clone()})
        .await
        .unwrap();
    let got = get(&table, "n").await;
    assert_eq!(got["small"], doc!(7));
    assert_eq!(got["half"], doc!(0.5));
    assert_eq!(
        Number::try_from(&got["max"]).unwrap().to_u64(),
        Some(u64::MAX)
    );
    for (i, text) in DIGITS.iter().enumerate() {
        let read = Number::try_from(&got[format!("d{i}").as_str()]).unwrap();
        assert_eq!(read, n(text), "d{i}");
    }
    // Written back as read, and read again: the same item.
    table
        .action("put_item", doc! {"Item": got.clone()})
        .await
        .unwrap();
    assert_eq!(get(&table, "n").await, got);

    // boto3 reads the same Decimals.
    let theirs = boto3(
        table.identifier("Name").unwrap(),
        "print(json.dumps(show(t.get_item(Key={'pk': 'n'})['Item'])))",
    );
    let mut want = serde_json::json!({"pk": "n", "small": {"Decimal": "7"}, "half": {"Decimal": "0.5"}, "max": {"Decimal": "18446744073709551615"}});
    for (i, text) in DIGITS.iter().enumerate() {
        let shown = if *text == "1.5E+100" {
            "1.5E+100"
        } else {
            text
        };
        want[format!("d{i}")] = serde_json::json!({"Decimal": shown});
    }
    assert_eq!(theirs, want);
}

#[tokio::test]
async fn a_number_dynamodb_cannot_hold_is_refused_before_sending() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    for bad in [
        doc! {"pk": "x", "n": {"N": "1E+126"}},
        doc! {"pk": "x", "n": {"N": "1234567890123456789012345678901234567890"}},
        doc! {"pk": "x", "n": f64::NAN},
        doc! {"pk": "x", "n": {"NS": ["1", "1e-999"]}},
    ] {
        let err = table
            .action("put_item", doc! {"Item": bad.clone()})
            .await
            .unwrap_err();
        assert!(matches!(err, boto::Error::Value(_)), "{bad:?}: {err:?}");
        assert!(
            err.to_string().contains("range")
                || err.to_string().contains("digits")
                || err.to_string().contains("NaN"),
            "{err}"
        );
    }
    assert!(get(&table, "x").await.is_null(), "nothing was written");
}

#[tokio::test]
async fn sets_stay_sets_on_read_and_write_back() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    let item = doc! {
        "pk": "s",
        "colors": Set::strings(["red", "blue"]),
        "primes": Set::numbers([n("2"), n("3"), n("18446744073709551629")]),
        "blobs": Set::binaries([bytes::Bytes::from_static(b"\x00\x01"), bytes::Bytes::from_static(b"z")]),
        "list": ["red", "red"],
        "looks_like_a_number": {"N": "not really"},
    };
    table.action("put_item", doc! {"Item": item}).await.unwrap();
    let got = get(&table, "s").await;
    assert_eq!(
        Set::try_from(&got["colors"]).unwrap(),
        Set::strings(["blue", "red"])
    );
    assert_eq!(
        Set::try_from(&got["primes"]).unwrap(),
        Set::numbers([n("3"), n("2"), n("18446744073709551629")])
    );
    assert_eq!(Set::try_from(&got["blobs"]).unwrap().len(), 2);
    assert_eq!(got["list"], doc!(["red", "red"]), "a list stays a list");
    assert_eq!(got["looks_like_a_number"], doc! {"N": "not really"});

    // Write back what was read; the low-level client sees sets, not lists.
    table
        .action("put_item", doc! {"Item": got.clone()})
        .await
        .unwrap();
    let raw = ddb
        .client()
        .call(
            "GetItem",
            doc! {"TableName": table.identifier("Name").unwrap(), "Key": {"pk": {"S": "s"}}},
        )
        .await
        .unwrap();
    let item = &raw["Item"];
    assert!(item["colors"]["SS"].as_list().is_some(), "{item:?}");
    assert!(item["primes"]["NS"].as_list().is_some(), "{item:?}");
    assert!(item["blobs"]["BS"].as_list().is_some(), "{item:?}");
    assert!(item["list"]["L"].as_list().is_some(), "{item:?}");
    assert_eq!(
        item["looks_like_a_number"]["M"]["N"],
        doc! {"S": "not really"}
    );

    let theirs = boto3(
        table.identifier("Name").unwrap(),
        "print(json.dumps(show(t.get_item(Key={'pk': 's'})['Item'])))",
    );
    assert_eq!(
        theirs,
        serde_json::json!({
            "pk": "s",
            "colors": {"set": ["blue", "red"]},
            "primes": {"set": ["18446744073709551629", "2", "3"]},
            "blobs": {"set": [{"Binary": "0001"}, {"Binary": "7a"}]},
            "list": ["red", "red"],
            "looks_like_a_number": {"N": "not really"},
        })
    );
}

#[tokio::test]
async fn what_boto3_writes_reads_back_the_same() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    boto3(
        table.identifier("Name").unwrap(),
        "t.put_item(Item={'pk': 'py', 'd': Decimal('3.14159265358979323846264338327950288'),\n\
           'big': 2**100, 'ss': {'a', 'b'}, 'ns': {Decimal('0.5'), 10**30}, 'm': {'S': 'x'}})\n\
         print('{}')",
    );
    let got = get(&table, "py").await;
    assert_eq!(
        Number::try_from(&got["d"]).unwrap(),
        n("3.14159265358979323846264338327950288")
    );
    assert_eq!(
        Number::try_from(&got["big"]).unwrap(),
        Number::try_from(1u128 << 100).unwrap()
    );
    assert_eq!(Set::try_from(&got["ss"]).unwrap(), Set::strings(["a", "b"]));
    assert_eq!(
        Set::try_from(&got["ns"]).unwrap(),
        Set::numbers([n("0.5"), n("1E+30")])
    );
    // A map holding one "S" member is a map, not a string.
    assert_eq!(got["m"], doc! {"S": "x"});
    table.action("put_item", doc! {"Item": got}).await.unwrap();
    let theirs = boto3(
        table.identifier("Name").unwrap(),
        "print(json.dumps(show(t.get_item(Key={'pk': 'py'})['Item'])))",
    );
    assert_eq!(
        theirs,
        serde_json::json!({
            "pk": "py",
            "d": {"Decimal": "3.14159265358979323846264338327950288"},
            "big": {"Decimal": "1267650600228229401496703205376"},
            "ss": {"set": ["a", "b"]},
            "ns": {"set": ["0.5", "1000000000000000000000000000000"]},
            "m": {"S": "x"},
        })
    );
}

#[test]
fn blocking_numbers_and_sets() {
    let ddb = boto::blocking::Session::from(session("us-east-1"))
        .resource("dynamodb")
        .unwrap();
    let name = unique("blossless");
    let table = ddb
        .action(
            "create_table",
            doc! {
                "TableName": &name,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        .unwrap()
        .into_resource()
        .unwrap();
    let big = n("123456789012345678901234567890.123");
    table
        .action(
            "put_item",
            doc! {"Item": {"pk": "b", "big": big.clone(), "tags": Set::strings(["x"])}},
        )
        .unwrap();
    let got = table
        .action("get_item", doc! {"Key": {"pk": "b"}})
        .unwrap()
        .into_output()
        .unwrap()
        .document;
    assert_eq!(Number::try_from(&got["Item"]["big"]).unwrap(), big);
    assert_eq!(
        Set::try_from(&got["Item"]["tags"]).unwrap(),
        Set::strings(["x"])
    );
}
