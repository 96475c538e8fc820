//! A data-driven smoke suite over every service moto's server implements: each read operation
//! (`List*`, `Describe*`, `Get*`) whose input has no required member is called with no input
//! through boto-rs and through the pinned boto3 (tests/smoke/boto3_calls.py, one Python process
//! for all of them) against the same moto, and the two answers must agree.
//!
//! An operation passes when boto-rs returns a parsed output or a service error (never a
//! serialization, endpoint, signing, transport or parse error) and that answer equals boto3's:
//! the same output after normalisation, or the same error code and HTTP status.
//!
//! What is normalised, and why (the Python helper does the same on its side):
//! - `ResponseMetadata` is dropped: request ids, retry counts and headers belong to one call.
//! - A timestamp becomes `"<timestamp>"`: moto stamps many values with the current time; the type
//!   must still be a timestamp on both sides.
//! - A blob becomes `"<blob:BASE64>"`, so a blob and a string never compare equal.
//! - Numbers compare by value (boto3's `1.0` float and an integer `1` in JSON are the same number).
//! - A value boto3 saw change between two identical calls (a fresh id, token or random password:
//!   the helper calls each operation twice and reports those paths) is compared by JSON type only.
//!
//! Known failures live in tests/data/smoke-known-failures.json with a reason each; an entry that
//! passes fails the run, as does an entry for an operation this suite no longer selects.
//! The run prints "N services, M operations: K passed". Built with `--features full`, which
//! embeds every imported model.
#![cfg(feature = "full")]

mod support;

use boto::{Document, Error, SdkError, Session};
use boto_core::model::ServiceModel;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// Calls in flight at once on the boto-rs side (moto answers each in a few milliseconds, but a
/// few services take seconds; the machine is small and shared).
const CONCURRENCY: usize = 8;
/// Longer than any moto answer seen (EC2's DescribeInstanceTypes is the slowest, a few seconds).
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

fn repo_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn python() -> Command {
    let root = repo_root();
    let mut cmd = Command::new(root.join(".venv/bin/python"));
    cmd.arg(root.join("tests/smoke/boto3_calls.py"));
    cmd
}

/// moto's services, as botocore names them, that this build embeds a model for.
fn selected_services() -> Vec<String> {
    let out = python()
        .arg("services")
        .output()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    assert!(
        out.status.success(),
        "boto3_calls.py services failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let moto: Vec<String> = serde_json::from_slice(&out.stdout).expect("a JSON list of names");
    let embedded: BTreeSet<&str> = boto_core::model::available_services().into_iter().collect();
    moto.into_iter()
        .filter(|name| embedded.contains(name.as_str()))
        .collect()
}

/// Every read operation of `service` that can be called with no input at all.
fn no_input_reads(service: &str) -> Vec<String> {
    let model = ServiceModel::load(service).expect("an embedded model decodes");
    model
        .operations()
        .iter()
        .filter(|op| {
            ["List", "Describe", "Get"]
                .iter()
                .any(|p| op.name.starts_with(p))
        })
        .filter(|op| {
            op.input
                .is_none_or(|id| model.shape(id).required.is_empty())
        })
        .map(|op| op.name.clone())
        .collect()
}

/// What boto3 answered for one call (see tests/smoke/boto3_calls.py).
enum Boto3Answer {
    Output {
        doc: Value,
        varying: BTreeSet<String>,
    },
    Error {
        code: String,
        status: Option<u64>,
    },
    Exception(String),
}

fn boto3_answer(v: &Value) -> Boto3Answer {
    if let Some(doc) = v.get("output") {
        let varying = v["varying"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        Boto3Answer::Output {
            doc: doc.clone(),
            varying,
        }
    } else if let Some(code) = v.get("error") {
        Boto3Answer::Error {
            code: code.as_str().unwrap_or_default().to_string(),
            status: v["status"].as_u64(),
        }
    } else {
        Boto3Answer::Exception(v["exception"].as_str().unwrap_or("?").to_string())
    }
}

/// Starts the one boto3 process for every call; its answers are collected on a thread, so the
/// boto-rs calls run meanwhile.
fn spawn_boto3(
    url: &str,
    calls: &[(String, String)],
) -> std::thread::JoinHandle<HashMap<String, Value>> {
    use std::io::Write;
    let mut child = python()
        .args(["call", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the venv's python runs");
    let input = serde_json::to_vec(calls).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    std::thread::spawn(move || {
        let out = child.wait_with_output().expect("boto3_calls.py runs");
        assert!(out.status.success(), "boto3_calls.py call failed");
        serde_json::from_slice(&out.stdout).expect("boto3_calls.py prints a JSON object")
    })
}

/// A document as the Python helper prints boto3's output (see the module doc).
fn normalise(doc: &Document) -> Value {
    match doc {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Int(i) => Value::from(*i),
        Document::Float(f) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Blob(b) => {
            Value::String(format!("<blob:{}>", boto_core::encoding::base64_encode(b)))
        }
        Document::Timestamp(_) => Value::String("<timestamp>".to_string()),
        Document::List(items) => Value::Array(items.iter().map(normalise).collect()),
        Document::Map(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| k.as_str() != "ResponseMetadata")
                .map(|(k, v)| (k.to_string(), normalise(v)))
                .collect(),
        ),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

/// The first difference between boto3's output and boto-rs's, as "at PATH: boto3 X, boto-rs Y".
fn difference(
    expected: &Value,
    actual: &Value,
    path: &str,
    varying: &BTreeSet<String>,
) -> Option<String> {
    let differ = || Some(format!("at {path:?}: boto3 {expected}, boto-rs {actual}"));
    if varying.contains(path) {
        return (kind(expected) != kind(actual)).then(differ).flatten();
    }
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => (a.as_f64() != b.as_f64()).then(differ).flatten(),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{path}/{i}"), varying)),
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: BTreeSet<&String> = a.keys().collect();
            let keys_b: BTreeSet<&String> = b.keys().collect();
            if keys_a != keys_b {
                let only_boto3: Vec<_> = keys_a.difference(&keys_b).collect();
                let only_ours: Vec<_> = keys_b.difference(&keys_a).collect();
                return Some(format!(
                    "at {path:?}: keys only boto3 has {only_boto3:?}, keys only boto-rs has {only_ours:?}"
                ));
            }
            a.iter()
                .find_map(|(k, x)| difference(x, &b[k], &format!("{path}/{k}"), varying))
        }
        _ => (expected != actual).then(differ).flatten(),
    }
}

/// How far a failed boto-rs call got, in the words of the suite's rule.
fn failure_kind(err: &Error) -> &'static str {
    use boto::ConstructionError as C;
    match err.sdk() {
        Some(SdkError::Construction(C::Serialize(_) | C::Validation(_))) => "serialization error",
        Some(SdkError::Construction(
            C::Endpoint { .. } | C::NoEndpoint { .. } | C::InvalidEndpointUrl { .. },
        )) => "endpoint error",
        Some(SdkError::Construction(C::Signing(_) | C::UnsupportedAuthSchemes(_))) => {
            "signing error"
        }
        Some(SdkError::Construction(_)) => "construction error",
        Some(SdkError::Credentials(_)) => "credentials error",
        Some(SdkError::Dispatch(_)) => "transport error",
        Some(SdkError::Response { .. }) => "parse error",
        Some(SdkError::Service(_)) => "service error",
        _ => "error",
    }
}

/// Why boto-rs's answer does not pass, or `None` when it does.
fn judge(boto3: &Boto3Answer, ours: &Result<Document, Error>) -> Option<String> {
    match (boto3, ours) {
        (Boto3Answer::Output { doc, varying }, Ok(out)) => {
            difference(doc, &normalise(out), "", varying)
        }
        (Boto3Answer::Error { code, status }, Err(e)) if e.code().is_some() => {
            let ours = (e.code().unwrap_or_default(), e.status().map(u64::from));
            (ours != (code.as_str(), *status)).then(|| {
                format!(
                    "boto3 error {code} (HTTP {status:?}), boto-rs error {} (HTTP {:?})",
                    ours.0, ours.1
                )
            })
        }
        (_, Err(e)) if e.code().is_none() => Some(format!("boto-rs {}: {e}", failure_kind(e))),
        (Boto3Answer::Exception(msg), Ok(_)) => {
            Some(format!("boto3 raised {msg}; boto-rs returned an output"))
        }
        (Boto3Answer::Exception(msg), Err(e)) => Some(format!(
            "boto3 raised {msg}; boto-rs service error {} (HTTP {:?})",
            e.code().unwrap_or_default(),
            e.status()
        )),
        (Boto3Answer::Output { .. }, Err(e)) => {
            Some(format!("boto3 returned an output, boto-rs error {e}"))
        }
        (Boto3Answer::Error { code, status }, Ok(_)) => Some(format!(
            "boto3 error {code} (HTTP {status:?}), boto-rs returned an output"
        )),
        _ => unreachable!("every pairing is matched above"),
    }
}

/// Calls every operation through boto-rs, `CONCURRENCY` at a time, one client per service.
async fn boto_rs_answers(
    session: &Session,
    calls: &[(String, String)],
) -> Vec<Result<Document, Error>> {
    let mut clients = HashMap::new();
    for (service, _) in calls {
        if !clients.contains_key(service) {
            clients.insert(
                service.clone(),
                Arc::new(session.client(service).expect("client builds")),
            );
        }
    }
    let gate = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let tasks: Vec<_> = calls
        .iter()
        .map(|(service, op)| {
            let client = clients[service].clone();
            let gate = gate.clone();
            let op = op.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.unwrap();
                match tokio::time::timeout(CALL_TIMEOUT, client.call(&op, Document::map())).await {
                    Ok(answer) => answer,
                    Err(_) => Err(Error::Usage(format!("no answer in {CALL_TIMEOUT:?}"))),
                }
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("a call task does not panic"));
    }
    answers
}

/// moto's threaded server now and then fails a request that runs beside another with an
/// interpreter error (an HTTP 500 that names no error code, such as CPython 3.11's "AST
/// constructor recursion depth mismatch"), whichever SDK sent it. A call whose two answers differ
/// only because one of them is such a 500 is made once more on both sides, and the second answers
/// are judged. A 500 that comes back again is judged as any other answer; calls listed as known
/// failures are not made again. Returns how many calls were.
async fn rerun_server_crashes(
    session: &Session,
    url: &str,
    calls: &[(String, String)],
    known: &BTreeMap<(String, String), String>,
    ours: &mut [Result<Document, Error>],
    boto3: &mut HashMap<String, Value>,
) -> usize {
    let crashed_ours = |a: &Result<Document, Error>| {
        a.as_ref()
            .err()
            .is_some_and(|e| e.status() == Some(500) && e.code().is_none_or(|c| c == "500"))
    };
    let crashed_theirs = |v: Option<&Value>| {
        v.is_some_and(|v| {
            v["status"].as_u64() == Some(500) && v.get("error").is_some_and(|c| c == "500")
        })
    };
    let again: Vec<usize> = calls
        .iter()
        .zip(ours.iter())
        .enumerate()
        .filter(|(_, ((service, op), answer))| {
            if known.contains_key(&(service.clone(), op.clone())) {
                return false; // moto's unimplemented operations fail the same way every time
            }
            let theirs = boto3.get(&format!("{service} {op}"));
            let differ = match theirs {
                Some(b) => judge(&boto3_answer(b), answer).is_some(),
                None => true,
            };
            differ && (crashed_ours(answer) != crashed_theirs(theirs))
        })
        .map(|(i, _)| i)
        .collect();
    if again.is_empty() {
        return 0;
    }
    let subset: Vec<(String, String)> = again.iter().map(|&i| calls[i].clone()).collect();
    let theirs = spawn_boto3(url, &subset);
    let answers = boto_rs_answers(session, &subset).await;
    let theirs =
        tokio::task::spawn_blocking(move || theirs.join().expect("the boto3 run succeeds"))
            .await
            .unwrap();
    for (&i, answer) in again.iter().zip(answers) {
        ours[i] = answer;
    }
    boto3.extend(theirs);
    again.len()
}

/// `(service, operation) -> reason` from tests/data/smoke-known-failures.json.
fn known_failures() -> BTreeMap<(String, String), String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/smoke-known-failures.json"
    );
    let text = std::fs::read_to_string(path).expect("the known-failures file exists");
    let entries: Vec<Value> = serde_json::from_str(&text).expect("a JSON list");
    let mut known = BTreeMap::new();
    for e in entries {
        let field = |name: &str| {
            e[name]
                .as_str()
                .unwrap_or_else(|| panic!("known failure without {name}: {e}"))
                .to_string()
        };
        let reason = field("reason");
        assert!(
            !reason.trim().is_empty(),
            "known failure without a reason: {e}"
        );
        let key = (field("service"), field("operation"));
        assert!(
            known.insert(key.clone(), reason).is_none(),
            "listed twice: {key:?}"
        );
    }
    known
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_no_input_read_agrees_with_boto3() {
    let services = selected_services();
    let calls: Vec<(String, String)> = services
        .iter()
        .flat_map(|s| no_input_reads(s).into_iter().map(move |op| (s.clone(), op)))
        .collect();
    let url = support::moto_url();
    let boto3 = spawn_boto3(&url, &calls);

    // One attempt, as the boto3 side has: a retried 500 would only slow the run down.
    let session = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(&url)
        .credentials(boto::Credentials::from_keys("testing", "testing", None))
        .config("max_attempts", "1")
        .build()
        .expect("session builds");
    let mut ours = boto_rs_answers(&session, &calls).await;
    let mut boto3 =
        tokio::task::spawn_blocking(move || boto3.join().expect("the boto3 run succeeds"))
            .await
            .unwrap();
    let mut known = known_failures();
    let rerun = rerun_server_crashes(&session, &url, &calls, &known, &mut ours, &mut boto3).await;

    let (mut passed, mut with_output) = (0, 0);
    let mut problems = Vec::new();
    let mut new_failures = Vec::new();
    for ((service, op), answer) in calls.iter().zip(&ours) {
        let key = (service.clone(), op.clone());
        let listed = known.remove(&key);
        let verdict = match boto3.get(&format!("{service} {op}")) {
            Some(b) => judge(&boto3_answer(b), answer),
            None => Some("boto3_calls.py gave no answer".to_string()),
        };
        match (verdict, listed) {
            (None, None) => {
                passed += 1;
                with_output += usize::from(answer.is_ok());
            }
            (None, Some(_)) => problems.push(format!(
                "{service} {op}: now passes: remove it from smoke-known-failures.json"
            )),
            (Some(_), Some(_)) => {}
            (Some(why), None) => {
                problems.push(format!("{service} {op}: {why}"));
                new_failures
                    .push(serde_json::json!({"service": service, "operation": op, "reason": why}));
            }
        }
    }
    // An entry for a service this build does not embed is for a fuller build, not stale.
    for (service, op) in known.keys().filter(|(s, _)| services.contains(s)) {
        problems.push(format!(
            "{service} {op}: listed in smoke-known-failures.json but not selected: remove it"
        ));
    }
    println!(
        "moto smoke: {} services, {} operations: {passed} passed ({with_output} with an output, {} with the same service error as boto3; {rerun} called again after a server crash)",
        services.len(),
        calls.len(),
        passed - with_output
    );
    if !new_failures.is_empty() {
        eprintln!(
            "new failures, as entries:\n{}",
            serde_json::to_string_pretty(&new_failures).unwrap()
        );
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_comparison_sees_values_types_and_keys() {
    let none = BTreeSet::new();
    let boto3 = serde_json::json!({"Items": [{"Id": "a", "Size": 1.0, "At": "<timestamp>"}]});
    let same = boto::doc! {"Items": [{"Id": "a", "Size": 1, "At": boto::Timestamp::from_secs(0)}]};
    assert_eq!(difference(&boto3, &normalise(&same), "", &none), None);
    let other_value =
        boto::doc! {"Items": [{"Id": "b", "Size": 1, "At": boto::Timestamp::from_secs(0)}]};
    let found = difference(&boto3, &normalise(&other_value), "", &none).unwrap();
    assert!(found.contains("/Items/0/Id"), "{found}");
    // A timestamp parsed as a plain string is a difference, as is a missing key.
    let as_string = boto::doc! {"Items": [{"Id": "a", "Size": 1, "At": "1970-01-01T00:00:00Z"}]};
    assert!(difference(&boto3, &normalise(&as_string), "", &none).is_some());
    let missing = boto::doc! {"Items": [{"Id": "a", "Size": 1}]};
    assert!(difference(&boto3, &normalise(&missing), "", &none)
        .unwrap()
        .contains("At"));
    // A path boto3 saw change between two calls compares by type only.
    let varying: BTreeSet<String> = ["/Items/0/Id".to_string()].into();
    assert_eq!(
        difference(&boto3, &normalise(&other_value), "", &varying),
        None
    );
    let wrong_type =
        boto::doc! {"Items": [{"Id": 7, "Size": 1, "At": boto::Timestamp::from_secs(0)}]};
    assert!(difference(&boto3, &normalise(&wrong_type), "", &varying).is_some());
}

#[test]
fn blobs_never_equal_strings_and_metadata_is_dropped() {
    let doc = boto::doc! {"Data": bytes::Bytes::from_static(b"hi"), "ResponseMetadata": {"RequestId": "x"}};
    assert_eq!(normalise(&doc), serde_json::json!({"Data": "<blob:aGk=>"}));
}
