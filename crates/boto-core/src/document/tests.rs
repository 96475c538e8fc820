use super::*;
use crate::doc;
use serde::Deserialize;

#[test]
fn indexing_never_panics() {
    let d = doc! {"a": [1, {"b": "c"}]};
    assert_eq!(d["a"][1]["b"].as_str(), Some("c"));
    assert!(d["a"][7].is_null());
    assert!(d["x"]["y"][0].is_null());
    assert!(Document::Int(3)["k"].is_null());
    assert_eq!(d["a"].iter().count(), 2);
    assert_eq!(d["nope"].iter().count(), 0);
}

#[test]
fn macro_covers_every_kind() {
    let key = String::from("dyn");
    let t = Timestamp::from_secs(0);
    let d = doc! {
        "null": null, "t": true, "i": -5, "f": 1.5, "s": "x",
        "blob": bytes::Bytes::from_static(b"hi"), "ts": t,
        (key.as_str()): "v", "nested": {"list": [null, [1], {}]},
    };
    assert!(d["null"].is_null() && d.get("null").is_some());
    assert_eq!(d["t"].as_bool(), Some(true));
    assert_eq!(d["i"].as_i64(), Some(-5));
    assert_eq!(d["f"].as_f64(), Some(1.5));
    assert_eq!(d["blob"].as_blob().map(|b| &b[..]), Some(&b"hi"[..]));
    assert_eq!(d["ts"].as_timestamp(), Some(t));
    assert_eq!(d["dyn"].as_str(), Some("v"));
    assert_eq!(d["nested"]["list"][1][0].as_i64(), Some(1));
    let keys: Vec<_> = d.as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys[..3], ["null", "t", "i"], "insertion order is kept");
    assert_eq!(doc! {}, Document::map());
}

#[test]
fn json_round_trip_keeps_order_and_kinds() {
    let text = r#"{"z":1,"a":[true,null,2.5,"s"],"m":{"k":18446744073709551615}}"#;
    let d = Document::from_json(text).unwrap();
    assert_eq!(d["z"], Document::Int(1));
    assert_eq!(d["m"]["k"].kind(), "float");
    assert_eq!(Document::from_json(&d.to_json()).unwrap(), d);
    assert!(d.to_json().starts_with(r#"{"z":1,"a""#));
    let blob = doc! {"b": bytes::Bytes::from_static(b"foo")};
    assert_eq!(blob.to_json(), r#"{"b":"Zm9v"}"#);
}

#[test]
fn typed_structs_deserialize_from_documents() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Obj {
        key: String,
        size: i64,
        owner: Option<String>,
    }
    let d = doc! {"Key": "k", "Size": 3, "Owner": null};
    let o = Obj::deserialize(&d).unwrap();
    assert_eq!(
        o,
        Obj {
            key: "k".into(),
            size: 3,
            owner: None
        }
    );
}

#[test]
fn insert_and_remove() {
    let mut d = Document::Null;
    d.insert("a", 1).unwrap();
    assert_eq!(d["a"].as_i64(), Some(1));
    assert_eq!(d.remove("a"), Some(Document::Int(1)));
    let mut s = Document::from("x");
    assert!(s.insert("k", 1).is_err());
}
