//! Conformance of the endpoint rule-set engine with botocore's endpoint test suites.
//!
//! The cases come from botocore's source distribution (`tests/functional/endpoint-rules/<service>/
//! endpoint-tests-1.json`), found via `BOTO_BOTOCORE_SDIST` or `<workspace>/.cache/botocore-<version>`
//! (the version pinned in `tests/requirements.txt`; `scripts/setup-test-env.sh` prepares it). Rule
//! sets and `partitions.json` come from the botocore installed in the repo-local venv, through
//! [`ModelData`], the one place that knows where they live.
//!
//! Like botocore's `test_endpoint_provider_test_cases_*`, each case's `params` (or `{}`) go straight
//! to the provider; `operationInputs` (end-to-end client tests) are not used here. An `endpoint`
//! expectation compares url, properties and headers; an `error` expectation compares the message.

mod common;

use common::SETUP_HINT;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use boto_core::endpoint::{Endpoint, EndpointError, Params, Partitions, RuleSet};
use serde_json::{json, Value};

fn suites_dir() -> PathBuf {
    common::sdist_dir()
        .join("tests")
        .join("functional")
        .join("endpoint-rules")
}

/// Where rule sets and partitions come from (today: the venv's botocore data; later: the
/// embedded models). Keep all knowledge of that in here.
struct ModelData {
    data_dir: PathBuf,
}

impl ModelData {
    fn locate() -> ModelData {
        let lib = common::workspace_root().join(".venv").join("lib");
        let entries = fs::read_dir(&lib)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}; {SETUP_HINT}", lib.display()));
        let mut candidates: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3."))
            .map(|e| e.path().join("site-packages").join("botocore").join("data"))
            .filter(|p| p.join("partitions.json").is_file())
            .collect();
        candidates.sort();
        let data_dir = candidates.pop().unwrap_or_else(|| {
            panic!(
                "no botocore data under {}/python3.*/site-packages; {SETUP_HINT}",
                lib.display()
            )
        });
        ModelData { data_dir }
    }

    fn partitions(&self) -> Partitions {
        let path = self.data_dir.join("partitions.json");
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Partitions::from_json_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The compiled rule set of the newest API version of `service` that has one.
    fn rule_set(&self, service: &str) -> Result<RuleSet, String> {
        let service_dir = self.data_dir.join(service);
        let mut versions: Vec<PathBuf> = fs::read_dir(&service_dir)
            .map_err(|e| format!("{}: {e}", service_dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path().join("endpoint-rule-set-1.json.gz"))
            .filter(|p| p.is_file())
            .collect();
        versions.sort();
        let path = versions.pop().ok_or_else(|| {
            format!(
                "no endpoint-rule-set-1.json.gz under {}",
                service_dir.display()
            )
        })?;
        let file = fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut json)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        RuleSet::from_json_slice(&json).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn load_cases(service: &str) -> Vec<Value> {
    let path = suites_dir().join(service).join("endpoint-tests-1.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.get("testCases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn headers_json(headers: &BTreeMap<String, Vec<String>>) -> Value {
    Value::Object(headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

fn endpoint_json(ep: &Endpoint) -> Value {
    json!({
        "url": ep.url,
        "properties": Value::Object(ep.properties.clone()),
        "headers": headers_json(&ep.headers),
    })
}

/// Runs one case; `Err` carries the failure report.
fn run_case(
    service: &str,
    index: usize,
    case: &Value,
    rules: &RuleSet,
    partitions: &Partitions,
) -> Result<(), String> {
    let doc = case
        .get("documentation")
        .and_then(Value::as_str)
        .unwrap_or("");
    let empty = json!({});
    let params_json = case.get("params").unwrap_or(&empty);
    let expect = case.get("expect").unwrap_or(&Value::Null);
    let report = |actual: String| {
        format!(
            "case {service} #{index} ({doc})\n  params:   {params_json}\n  expected: {expect}\n  actual:   {actual}"
        )
    };
    let params = Params::from_json(params_json).map_err(|e| report(format!("bad params: {e}")))?;
    let result = rules.resolve(partitions, &params);
    let actual = || match &result {
        Ok(ep) => endpoint_json(ep).to_string(),
        Err(e) => format!("error {e:?}"),
    };
    if let Some(expected) = expect.get("endpoint") {
        let Ok(ep) = &result else {
            return Err(report(actual()));
        };
        let url_ok = expected.get("url").and_then(Value::as_str) == Some(ep.url.as_str());
        let props_ok =
            expected.get("properties").unwrap_or(&empty) == &Value::Object(ep.properties.clone());
        let headers_ok = expected.get("headers").unwrap_or(&empty) == &headers_json(&ep.headers);
        if url_ok && props_ok && headers_ok {
            Ok(())
        } else {
            Err(report(actual()))
        }
    } else if let Some(expected) = expect.get("error").and_then(Value::as_str) {
        match &result {
            Err(e) if e.message() == expected => Ok(()),
            _ => Err(report(actual())),
        }
    } else {
        Err(report(
            "the case has neither `endpoint` nor `error` expectation".to_string(),
        ))
    }
}

struct ServiceResult {
    passed: usize,
    total: usize,
    /// (case index, report)
    failures: Vec<(usize, String)>,
}

fn run_service(service: &str, data: &ModelData, partitions: &Partitions) -> ServiceResult {
    let cases = load_cases(service);
    let rules = match data.rule_set(service) {
        Ok(r) => r,
        Err(e) => {
            return ServiceResult {
                passed: 0,
                total: cases.len(),
                failures: (0..cases.len())
                    .map(|i| (i, format!("case {service} #{i}: rule set not loaded: {e}")))
                    .collect(),
            }
        }
    };
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        if let Err(report) = run_case(service, i, case, &rules, partitions) {
            failures.push((i, report));
        }
    }
    ServiceResult {
        passed: cases.len() - failures.len(),
        total: cases.len(),
        failures,
    }
}

fn assert_service_passes(service: &str) {
    let data = ModelData::locate();
    let partitions = data.partitions();
    let result = run_service(service, &data, &partitions);
    println!(
        "endpoint rules {service}: {}/{}",
        result.passed, result.total
    );
    assert!(result.total > 0, "no test cases found for {service}");
    if !result.failures.is_empty() {
        let reports: Vec<&str> = result.failures.iter().map(|(_, r)| r.as_str()).collect();
        panic!(
            "{} of {} {service} endpoint cases failed:\n{}",
            result.failures.len(),
            result.total,
            reports.join("\n")
        );
    }
}

#[test]
fn endpoint_rules_s3() {
    assert_service_passes("s3");
}

#[test]
fn endpoint_rules_sqs() {
    assert_service_passes("sqs");
}

#[test]
fn endpoint_rules_sts() {
    assert_service_passes("sts");
}

/// Known failures, each `{"service": ..., "case": <index>, "reason": ...}`.
fn load_skips() -> Vec<(String, usize, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("endpoint-skips.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.get("skips")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let service = s.get("service").and_then(Value::as_str);
            let case = s.get("case").and_then(Value::as_u64);
            let reason = s
                .get("reason")
                .and_then(Value::as_str)
                .filter(|r| !r.is_empty());
            match (service, case, reason) {
                (Some(service), Some(case), Some(reason)) => (
                    service.to_string(),
                    usize::try_from(case).unwrap_or(usize::MAX),
                    reason.to_string(),
                ),
                _ => panic!("skip entry {s} needs `service`, `case` and a non-empty `reason`"),
            }
        })
        .collect()
}

#[test]
fn endpoint_rules_all_services() {
    let data = ModelData::locate();
    let partitions = data.partitions();
    let skips = load_skips();
    let mut services: Vec<String> = fs::read_dir(suites_dir())
        .expect("list endpoint-rules suites")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("endpoint-tests-1.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    assert!(
        !services.is_empty(),
        "no endpoint suites found; {SETUP_HINT}"
    );

    let (mut passed, mut total, mut skipped) = (0, 0, 0);
    let mut failures = Vec::new();
    let mut stale_skips = Vec::new();
    for service in &services {
        let result = run_service(service, &data, &partitions);
        let service_skips: Vec<usize> = skips
            .iter()
            .filter(|(s, _, _)| s == service)
            .map(|(_, i, _)| *i)
            .collect();
        let mut service_skipped = 0;
        for (i, report) in &result.failures {
            if service_skips.contains(i) {
                service_skipped += 1;
            } else {
                failures.push(report.clone());
            }
        }
        for i in &service_skips {
            if !result.failures.iter().any(|(f, _)| f == i) {
                stale_skips.push(format!("{service} #{i}"));
            }
        }
        println!(
            "endpoint rules {service}: {}/{}{}",
            result.passed,
            result.total,
            if service_skipped > 0 {
                format!(" ({service_skipped} skipped)")
            } else {
                String::new()
            }
        );
        passed += result.passed;
        total += result.total;
        skipped += service_skipped;
    }
    println!(
        "endpoint rules, all {} services: {passed}/{total} passed, {skipped} skipped, {} failed",
        services.len(),
        failures.len()
    );
    assert!(
        stale_skips.is_empty(),
        "skip entries for cases that now pass (remove them from tests/data/endpoint-skips.json): {}",
        stale_skips.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} endpoint cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn s3_rules() -> (RuleSet, Partitions) {
    let data = ModelData::locate();
    (data.rule_set("s3").expect("s3 rule set"), data.partitions())
}

#[test]
fn s3_virtual_hosted_bucket() {
    let (rules, partitions) = s3_rules();
    let params = Params::new()
        .with("Region", "us-west-2")
        .with("Bucket", "backupbucket")
        .with("UseFIPS", false)
        .with("UseDualStack", false)
        .with("Accelerate", false)
        .with("ForcePathStyle", false);
    let ep = rules.resolve(&partitions, &params).expect("endpoint");
    assert_eq!(ep.url, "https://backupbucket.s3.us-west-2.amazonaws.com");
    assert_eq!(
        ep.auth_schemes(),
        &[
            json!({"disableDoubleEncoding": true, "name": "sigv4", "signingName": "s3", "signingRegion": "us-west-2"})
        ]
    );
}

#[test]
fn s3_custom_endpoint_path_style() {
    let (rules, partitions) = s3_rules();
    let params = Params::new()
        .with("Region", "us-east-1")
        .with("Bucket", "bucket")
        .with("Endpoint", "http://127.0.0.1:5000")
        .with("ForcePathStyle", true)
        .with("UseFIPS", false)
        .with("UseDualStack", false)
        .with("Accelerate", false);
    let ep = rules.resolve(&partitions, &params).expect("endpoint");
    assert_eq!(ep.url, "http://127.0.0.1:5000/bucket");
}

#[test]
fn s3_missing_region_is_a_rule_error() {
    let (rules, partitions) = s3_rules();
    let err = rules
        .resolve(&partitions, &Params::new().with("Bucket", "b"))
        .expect_err("error");
    assert!(matches!(err, EndpointError::Rule(_)), "{err:?}");
}

#[test]
fn sqs_regional() {
    let data = ModelData::locate();
    let rules = data.rule_set("sqs").expect("sqs rule set");
    let params = Params::new()
        .with("Region", "us-west-2")
        .with("UseFIPS", false)
        .with("UseDualStack", false);
    let ep = rules
        .resolve(&data.partitions(), &params)
        .expect("endpoint");
    assert_eq!(ep.url, "https://sqs.us-west-2.amazonaws.com");
    assert!(ep.properties.is_empty());
    assert!(ep.headers.is_empty());
}
