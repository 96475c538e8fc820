//! Endpoint discovery (botocore's `discovery.py`) for Timestream, whose operations require it:
//! a data-folder copy of botocore's timestream-write model whose endpoint rules point at a
//! loopback "regional" server (no `endpoint_url`, so discovery runs, as botocore's only does
//! then); that server answers DescribeEndpoints with a second loopback server, where the calls
//! must go. boto-rs and the pinned boto3 (with `AWS_DATA_PATH` on the same folder) make the same
//! calls, and both servers must see the same requests from each. moto's DescribeEndpoints names
//! AWS's real hosts and is only reachable through `endpoint_url`, where discovery is off.
#![cfg(feature = "timestream-write")]

mod support;

use boto::{doc, Credentials, Session};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use support::{empty_env, python_json, temp_path};

/// What a server saw of one request: the operation, and the headers discovery changes.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    target: String,
    api_version: Option<String>,
    host: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

type Answer = Arc<dyn Fn(&str) -> (u16, String) + Send + Sync>;

/// A loopback JSON server answering each request with `answer(operation)` (status, body).
fn server(answer: Answer) -> (String, Log) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut length, mut target, mut api_version, mut host) =
                (0, String::new(), None, String::new());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                let v = v.trim().to_string();
                match k.to_ascii_lowercase().as_str() {
                    "content-length" => length = v.parse().unwrap_or(0),
                    "x-amz-target" => target = v,
                    "x-amz-api-version" => api_version = Some(v),
                    "host" => host = v,
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let op = target.rsplit('.').next().unwrap_or_default().to_string();
            seen.lock().unwrap().push(Seen {
                target: op.clone(),
                api_version,
                host,
            });
            let (status, body) = answer(&op);
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: r-1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, log)
}

/// The discovered server: it serves the operations.
fn cell() -> Answer {
    Arc::new(|op| match op {
        "ListDatabases" => (200, r#"{"Databases":[{"DatabaseName":"metrics"}]}"#.into()),
        _ => (
            400,
            r#"{"__type":"ValidationException","message":"not here"}"#.into(),
        ),
    })
}

/// The server the rules resolve to: it names `cell` in DescribeEndpoints.
fn regional(cell: &str) -> Answer {
    let address = cell.to_string();
    Arc::new(move |op| match op {
        "DescribeEndpoints" => (
            200,
            format!(r#"{{"Endpoints":[{{"Address":"{address}","CachePeriodInMinutes":10}}]}}"#),
        ),
        "ListDatabases" => (200, r#"{"Databases":[{"DatabaseName":"regional"}]}"#.into()),
        _ => (
            400,
            r#"{"__type":"ValidationException","message":"?"}"#.into(),
        ),
    })
}

/// A data folder with botocore's timestream-write model and rules that always resolve to `url`.
fn data_folder(url: &str) -> PathBuf {
    let root = temp_path("discovery-models");
    let botocore = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.venv/lib/python3.11/site-packages/botocore/data/timestream-write/2018-11-01"
    );
    let dir = root.join("timestream-write/2018-11-01");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(botocore).join("service-2.json.gz"),
        dir.join("service-2.json.gz"),
    )
    .unwrap();
    let rules = serde_json::json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "documentation": "", "type": "String"},
            "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "documentation": "", "type": "Boolean"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "", "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "documentation": "", "type": "String"}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}, "type": "endpoint"},
            {"conditions": [], "endpoint": {"url": url, "properties": {}, "headers": {}}, "type": "endpoint"}
        ]
    });
    std::fs::write(dir.join("endpoint-rule-set-1.json"), rules.to_string()).unwrap();
    root
}

fn session(models: &Path, settings: &[(&str, &str)], endpoint_url: Option<&str>) -> Session {
    let mut b = Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .data_path(models)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None));
    for (k, v) in settings {
        b = b.config(*k, *v);
    }
    if let Some(url) = endpoint_url {
        b = b.endpoint_url(url);
    }
    b.build().unwrap()
}

/// The same calls through boto3 on the same folder (`ListDatabases` `calls` times); what it
/// raised, if anything.
fn boto3(
    models: &Path,
    calls: u32,
    discovery: &str,
    endpoint_url: Option<&str>,
) -> serde_json::Value {
    let script = r#"
import sys, json, os, boto3, botocore.config
a = json.loads(sys.argv[1])
os.environ['AWS_DATA_PATH'] = a['models']
c = boto3.client('timestream-write', region_name='us-east-1', endpoint_url=a['endpoint_url'],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret',
                 config=botocore.config.Config(endpoint_discovery_enabled=a['discovery']))
try:
    out = [c.list_databases()['Databases'] for _ in range(a['calls'])]
    print(json.dumps(out))
except Exception as e:
    print(json.dumps(type(e).__name__))
"#;
    let args = serde_json::json!({
        "models": models, "calls": calls, "discovery": discovery, "endpoint_url": endpoint_url,
    });
    python_json(script, &[&args.to_string()], "")
}

fn take(log: &Log) -> Vec<Seen> {
    std::mem::take(&mut *log.lock().unwrap())
}

#[tokio::test]
async fn required_operations_go_where_describe_endpoints_says_as_boto3s_do() {
    let (cell_url, cell_log) = server(cell());
    let (regional_url, regional_log) = server(regional(&cell_url));
    let models = data_folder(&regional_url);
    let ts = session(&models, &[], None)
        .client("timestream-write")
        .unwrap();
    let mut ours = Vec::new();
    for _ in 0..2 {
        let out = ts.call("ListDatabases", doc! {}).await.unwrap();
        ours.push(
            out["Databases"][0]["DatabaseName"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(
        ours,
        ["metrics", "metrics"],
        "served by the discovered endpoint"
    );
    let (our_regional, our_cell) = (take(&regional_log), take(&cell_log));
    let cell_host = cell_url.trim_start_matches("http://");
    let regional_host = regional_url.trim_start_matches("http://");
    assert_eq!(
        our_regional,
        [Seen {
            target: "DescribeEndpoints".into(),
            api_version: Some("2018-11-01".into()),
            host: regional_host.into()
        }],
        "discovered once, then cached"
    );
    assert_eq!(our_cell.len(), 2);
    assert!(our_cell
        .iter()
        .all(|s| s.target == "ListDatabases" && s.host == cell_host && s.api_version.is_none()));

    let theirs = boto3(&models, 2, "auto", None);
    assert_eq!(
        theirs,
        serde_json::json!([[{"DatabaseName": "metrics"}], [{"DatabaseName": "metrics"}]])
    );
    assert_eq!(
        take(&regional_log),
        our_regional,
        "boto3 discovers the same way"
    );
    assert_eq!(take(&cell_log), our_cell);
}

#[tokio::test]
async fn off_it_refuses_required_operations_and_a_custom_endpoint_skips_it() {
    let (cell_url, cell_log) = server(cell());
    let (regional_url, regional_log) = server(regional(&cell_url));
    let models = data_folder(&regional_url);

    let off = session(&models, &[("endpoint_discovery_enabled", "false")], None);
    let err = off
        .client("timestream-write")
        .unwrap()
        .call("ListDatabases", doc! {})
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("requires endpoint discovery"),
        "{err}"
    );
    assert_eq!(
        boto3(&models, 1, "false", None),
        serde_json::json!("EndpointDiscoveryRequired")
    );
    assert!(
        take(&regional_log).is_empty() && take(&cell_log).is_empty(),
        "nothing sent"
    );

    // With endpoint_url, as botocore: no discovery, the call goes there.
    let custom = session(&models, &[], Some(&cell_url));
    let out = custom
        .client("timestream-write")
        .unwrap()
        .call("ListDatabases", doc! {})
        .await
        .unwrap();
    assert_eq!(
        out["Databases"][0]["DatabaseName"].as_str(),
        Some("metrics")
    );
    assert_eq!(
        boto3(&models, 1, "auto", Some(&cell_url)),
        serde_json::json!([[{"DatabaseName": "metrics"}]])
    );
    assert!(take(&regional_log).is_empty());
    let seen = take(&cell_log);
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.target == "ListDatabases"), "{seen:?}");

    let bad = Session::builder()
        .env(empty_env())
        .config("endpoint_discovery_enabled", "sometimes")
        .region_name("us-east-1")
        .build()
        .and_then(|s| s.client("timestream-write"))
        .unwrap_err();
    assert!(bad.to_string().contains("true, false or auto"), "{bad}");
}

#[tokio::test]
async fn an_endpoint_that_disowns_the_call_is_discovered_again_and_the_call_retried() {
    // The cell answers each client's first ListDatabases with InvalidEndpointException (421).
    let refused = Arc::new(Mutex::new(0u32));
    let count = refused.clone();
    let (cell_url, cell_log) = server(Arc::new(move |op| {
        let mut n = count.lock().unwrap();
        *n += 1;
        match (op, *n % 2) {
            ("ListDatabases", 1) => (
                421,
                r#"{"__type":"InvalidEndpointException","message":"gone"}"#.into(),
            ),
            _ => (200, r#"{"Databases":[]}"#.into()),
        }
    }));
    let (regional_url, regional_log) = server(regional(&cell_url));
    let models = data_folder(&regional_url);
    let ts = session(&models, &[], None)
        .client("timestream-write")
        .unwrap();
    ts.call("ListDatabases", doc! {}).await.unwrap();
    let ours = (take(&regional_log), take(&cell_log));
    assert_eq!(ours.0.len(), 2, "discovered again: {:?}", ours.0);
    assert_eq!(ours.1.len(), 2, "sent again: {:?}", ours.1);
    assert_eq!(boto3(&models, 1, "auto", None), serde_json::json!([[]]));
    assert_eq!(
        (take(&regional_log), take(&cell_log)),
        ours,
        "as boto3 does"
    );
}
