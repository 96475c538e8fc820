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
//!
//! This target runs on `libtest-mimic`. Every case of every service is one trial against the venv's
//! rule set, `endpoint::<service>::<index>-<documentation slug>`, and, for every service embedded
//! in this build (its cargo feature, or `full`), one more against the rule set and partitions the
//! library embeds, `endpoint-embedded::<service>::<index>-<slug>`. Known failures live in
//! `tests/data/endpoint-skips.json` (service, case index, reason) and apply to both sweeps: such a
//! case is an ignored trial plus a `<name>::skipped` trial that fails once the case passes. After a
//! run the suite prints `endpoint rules <service>: passed/total` lines and a total per sweep.

mod common;

use common::harness::{self, Counts, KnownFailure};
use common::SETUP_HINT;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use boto_core::endpoint::{Endpoint, EndpointError, Params, Partitions, RuleSet};
use libtest_mimic::{Arguments, Trial};
use serde_json::{json, Value};

fn suites_dir() -> PathBuf {
    common::sdist_dir()
        .join("tests")
        .join("functional")
        .join("endpoint-rules")
}

/// Where the venv's rule sets and partitions come from. Keep all knowledge of that in here.
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

/// Which rule sets a sweep evaluates: the venv's JSON files, or the data embedded in the library.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Venv,
    Embedded,
}

impl Source {
    fn prefix(self) -> &'static str {
        match self {
            Source::Venv => "endpoint",
            Source::Embedded => "endpoint-embedded",
        }
    }

    /// What every trial name of `service` in this sweep starts with.
    fn marker(self, service: &str) -> String {
        format!("{}::{service}::", self.prefix())
    }

    /// The count line's label.
    fn group(self, service: &str) -> String {
        match self {
            Source::Venv => format!("endpoint rules {service}"),
            Source::Embedded => format!("{EMBEDDED_GROUP}{service}"),
        }
    }

    fn partitions(self) -> Result<&'static Partitions, String> {
        match self {
            Source::Venv => {
                static VENV: OnceLock<Partitions> = OnceLock::new();
                Ok(VENV.get_or_init(|| venv_data().partitions()))
            }
            Source::Embedded => {
                static EMBEDDED: OnceLock<Result<Partitions, String>> = OnceLock::new();
                EMBEDDED
                    .get_or_init(|| {
                        let text = boto_core::model::partitions_json()
                            .ok_or("partitions data is not embedded")?;
                        Partitions::from_json_str(&text).map_err(|e| e.to_string())
                    })
                    .as_ref()
                    .map_err(Clone::clone)
            }
        }
    }

    fn rule_set(self, service: &str) -> Result<RuleSet, String> {
        match self {
            Source::Venv => venv_data().rule_set(service),
            // What clients use: the precompiled rule set this build embeds.
            Source::Embedded => match RuleSet::embedded(service) {
                Ok(Some(rules)) => Ok(rules),
                Ok(None) => Err(format!("{service} embeds no endpoint-rule-set-1")),
                Err(e) => Err(e.to_string()),
            },
        }
    }
}

const EMBEDDED_GROUP: &str = "endpoint rules (embedded) ";

fn venv_data() -> &'static ModelData {
    static DATA: OnceLock<ModelData> = OnceLock::new();
    DATA.get_or_init(ModelData::locate)
}

/// Every service with an `endpoint-tests-1.json` in the sdist, sorted.
fn suite_services() -> Vec<String> {
    let mut services: Vec<String> = fs::read_dir(suites_dir())
        .unwrap_or_else(|e| panic!("cannot list endpoint-rules suites: {e}; {SETUP_HINT}"))
        .filter_map(Result::ok)
        .filter(|e| e.path().join("endpoint-tests-1.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    assert!(
        !services.is_empty(),
        "no endpoint suites found; {SETUP_HINT}"
    );
    services
}

/// The cases of `service`, all sharing one compiled rule set.
fn service_cases(
    source: Source,
    service: &str,
    cases: &Arc<Vec<Value>>,
    skips: &[(String, usize, String)],
    cases_out: &mut Vec<harness::Case>,
) {
    let rules: Arc<OnceLock<Result<RuleSet, String>>> = Arc::default();
    for (index, case) in cases.iter().enumerate() {
        let doc = case
            .get("documentation")
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = format!(
            "{}{index}-{}",
            source.marker(service),
            harness::slug(doc, 60)
        );
        let known_failure = skips
            .iter()
            .find(|(s, i, _)| s == service && *i == index)
            .map(|(_, _, reason)| KnownFailure {
                list: "endpoint-skips.json",
                reason: reason.clone(),
            });
        let group = source.group(service);
        let (service, cases, rules) = (service.to_string(), cases.clone(), rules.clone());
        let check: harness::Check = Arc::new(move || {
            let compiled = rules
                .get_or_init(|| source.rule_set(&service))
                .as_ref()
                .map_err(|e| format!("case {service} #{index}: rule set not loaded: {e}"))?;
            let partitions = source.partitions()?;
            run_case(&service, index, &cases[index], compiled, partitions)
        });
        cases_out.push(harness::Case {
            name,
            group,
            batch: source.prefix().to_string(),
            known_failure,
            check,
        });
    }
}

fn sweep_trials(args: &Arguments) -> Vec<Trial> {
    let skips = load_skips();
    let services = suite_services();
    let embedded = boto_core::model::available_services();
    let mut trials = Vec::new();
    if embedded.is_empty() {
        trials.push(harness::failing_trial(
            "endpoint-embedded::no-services".into(),
            "this build embeds no service; enable a service feature of boto-core".into(),
        ));
    }
    let mut sources: Vec<(Source, String)> =
        services.iter().map(|s| (Source::Venv, s.clone())).collect();
    for service in embedded {
        if services.iter().any(|s| s == service) {
            sources.push((Source::Embedded, service.to_string()));
        } else {
            trials.push(harness::failing_trial(
                format!("endpoint-embedded::{service}::no-test-cases"),
                format!("{service} is embedded but the sdist has no endpoint-tests-1.json for it"),
            ));
        }
    }
    let markers: Vec<String> = sources.iter().map(|(src, s)| src.marker(s)).collect();
    let whole = [
        Source::Venv.prefix(),
        Source::Embedded.prefix(),
        "endpoint-skips::",
    ];
    let loaded = harness::sources_to_load(args, &markers, &whole);
    let mut case_counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut specs = Vec::new();
    for ((source, service), _) in sources.iter().zip(&loaded).filter(|(_, load)| **load) {
        let cases = Arc::new(load_cases(service));
        case_counts.insert(service, cases.len());
        if cases.is_empty() && *source == Source::Embedded {
            trials.push(harness::failing_trial(
                format!("{}no-test-cases", source.marker(service)),
                format!("no test cases found for {service}"),
            ));
        }
        service_cases(*source, service, &cases, &skips, &mut specs);
    }
    trials.extend(harness::case_trials(specs));
    if harness::all_loaded(&loaded) {
        for (service, index, reason) in &skips {
            let exists = case_counts.get(service.as_str()).is_some_and(|n| index < n);
            if !exists {
                trials.push(harness::failing_trial(
                    format!("endpoint-skips::{service}::{index}::no-such-case"),
                    format!(
                        "{service} #{index} is listed in endpoint-skips.json ({reason}) but no \
                         such case exists"
                    ),
                ));
            }
        }
    }
    trials
}

fn print_counts(groups: &BTreeMap<String, Counts>) {
    for (group, counts) in groups {
        let skipped = match counts.skipped {
            0 => String::new(),
            n => format!(" ({n} skipped)"),
        };
        println!("{group}: {}/{}{skipped}", counts.passed, counts.total());
    }
    let sweeps = [
        ("endpoint rules", false),
        ("endpoint rules (embedded)", true),
    ];
    for (label, embedded) in sweeps {
        let (services, sum) =
            harness::sum_groups(groups, |g| g.starts_with(EMBEDDED_GROUP) == embedded);
        if services > 0 {
            println!(
                "{label}, all {services} services: {}/{} passed, {} skipped, {} failed",
                sum.passed,
                sum.total(),
                sum.skipped,
                sum.failed
            );
        }
    }
}

fn s3_rules() -> (RuleSet, Partitions) {
    let data = ModelData::locate();
    (data.rule_set("s3").expect("s3 rule set"), data.partitions())
}

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

fn s3_missing_region_is_a_rule_error() {
    let (rules, partitions) = s3_rules();
    let err = rules
        .resolve(&partitions, &Params::new().with("Bucket", "b"))
        .expect_err("error");
    assert!(matches!(err, EndpointError::Rule(_)), "{err:?}");
}

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

fn main() {
    let args = Arguments::from_args();
    let mut trials = sweep_trials(&args);
    let examples: [(&str, fn()); 4] = [
        ("s3_virtual_hosted_bucket", s3_virtual_hosted_bucket),
        (
            "s3_custom_endpoint_path_style",
            s3_custom_endpoint_path_style,
        ),
        (
            "s3_missing_region_is_a_rule_error",
            s3_missing_region_is_a_rule_error,
        ),
        ("sqs_regional", sqs_regional),
    ];
    trials.extend(examples.into_iter().map(|(name, test)| {
        Trial::test(name, move || {
            test();
            Ok(())
        })
    }));
    harness::run(&args, trials, print_counts);
}
