//! JMESPath conformance of `boto_core::path`: the JMESPath compliance suite, and every one of its
//! expressions, plus cases of our own that matter to botocore's models, against the Python
//! `jmespath` package that boto3 runs.
//!
//! The suite is the one the `jmespath` crate publishes (`tests/compliance/*.json` in
//! `jmespath-0.5.0.crate`), found in `$BOTO_JMESPATH_SUITE` if set, else in
//! `<workspace>/.cache/jmespath-compliance` (`scripts/setup-test-env.sh` fetches it there). Each
//! case gives a document (`given`), an `expression`, and the `result` it must produce (numbers
//! compare by value: `1` matches `1.0`) or the `error` it must raise, which `path::search`
//! reports as `Null`; a benchmark case has neither and is only compared with Python.
//!
//! The differential check runs each case's document and expression through the venv's Python
//! `jmespath` (`<workspace>/.venv/bin/python`, one process for all the cases a run loads) and
//! requires the same answer, ints and floats and member order included; a Python error must be
//! our `Null`.
//!
//! Every case is one trial (`libtest-mimic`): `jmespath::<file>::<suite>:<case>` for the suite's
//! expectation, `jmespath-python::<file>::<suite>:<case>` for Python's, and
//! `jmespath-python::extra::<n>` for our own cases. Known failures live in
//! `tests/data/jmespath-skips.json`, each with a reason: such a case is an ignored trial plus a
//! `<name>::skipped` trial that fails once the case passes, and an entry that matches no case is
//! a failing `jmespath-skips::` trial. With `BOTO_SUITE_BATCH=1` the cases run as two trials.
//! After a run the suite prints `jmespath suite:` and `jmespath differential suite:` count lines.

mod common;

use common::harness::{self, KnownFailure};

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use boto_core::document::Document;
use boto_core::path::search;
use libtest_mimic::{Arguments, Trial};
use serde_json::Value;

const SUITE_HINT: &str = "run scripts/setup-test-env.sh from the workspace root to download the \
     JMESPath compliance suite into .cache/jmespath-compliance (or point BOTO_JMESPATH_SUITE at a \
     folder of its JSON files)";

const SKIPS: &str = "jmespath-skips.json";

/// The group names of the two count lines.
const COMPLIANCE: &str = "compliance";
const PYTHON: &str = "python";

fn suite_dir() -> PathBuf {
    let dir = std::env::var_os("BOTO_JMESPATH_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::workspace_root().join(".cache/jmespath-compliance"));
    assert!(
        dir.join("basic.json").is_file(),
        "{} holds no JMESPath compliance suite; {SUITE_HINT}",
        dir.display()
    );
    dir
}

/// The suite's files, by name.
fn suite_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p.clone())))
        .collect();
    files.sort();
    files
}

/// What a case expects.
enum Expect {
    Result(Document),
    /// The suite's error name (`syntax`, `invalid-type`, ...): `Null` for us.
    Error(String),
    /// A benchmark: only Python's answer counts.
    Nothing,
}

struct Case {
    /// `basic.json`, or `extra` for our own.
    file: String,
    /// `<suite>:<case>` within the file, or the index of our own case.
    id: String,
    given: Arc<Value>,
    given_doc: Arc<Document>,
    expression: String,
    expect: Expect,
}

fn parse_given(given: &Value) -> Document {
    Document::from_json(&given.to_string()).unwrap_or_else(|e| panic!("given {given}: {e}"))
}

fn load_file(name: &str, path: &Path) -> Vec<Case> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let suites: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    for (si, suite) in suites.iter().enumerate() {
        let given = Arc::new(suite["given"].clone());
        let given_doc = Arc::new(parse_given(&given));
        for (ci, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
            let expression = case["expression"]
                .as_str()
                .unwrap_or_else(|| panic!("{name} {si}:{ci} has no expression"))
                .to_string();
            let expect = if let Some(result) = case.get("result") {
                Expect::Result(parse_given(result))
            } else if let Some(error) = case.get("error") {
                Expect::Error(error.as_str().unwrap_or("error").to_string())
            } else {
                Expect::Nothing
            };
            cases.push(Case {
                file: name.to_string(),
                id: format!("{si}:{ci}"),
                given: given.clone(),
                given_doc: given_doc.clone(),
                expression,
                expect,
            });
        }
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// Our own cases: (given, expression), compared with Python only
// ---------------------------------------------------------------------------------------------

const EC2: &str = r#"{"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}},
    {"InstanceId": "i-2", "State": {"Name": "stopped"}}]}, {"Instances": []}],
    "Images": [], "KeyPairs": [{"KeyName": "k"}], "PasswordData": "",
    "InternetGateways": [{"InternetGatewayId": "igw-1"}]}"#;
const S3: &str = r#"{"Contents": [{"Key": "a", "Size": 1}, {"Key": "x", "Size": 0}],
    "NextMarker": null, "IsTruncated": true, "Name": "b"}"#;
const MISC: &str = r#"{"a": [{"b": 1, "c": "x", "Name": "n2"}, {"b": 3, "c": "y", "Name": "n1"},
    {"b": 2, "Name": "n3"}], "b": {"c": [1, 2]}, "m": {"k": "v", "l": 2, "": 0},
    "n": [1, 2.5, -3, 0], "s": ["b", "a", "c"], "e": [], "o": {}, "z": 0, "f": false, "t": true,
    "u": "é☃😀", "nested": [[1, [2]], [3], 4, [[5]]]}"#;

const EXTRA: &[(&str, &str)] = &[
    // What the models ask (paginator output tokens, waiter matchers, resource paths).
    (EC2, "length(Reservations[].Instances[]) > `0`"),
    (EC2, "Reservations[].Instances[].State.Name"),
    (EC2, "Reservations[].Instances[].InstanceId"),
    (EC2, "Reservations[0].Instances[0]"),
    (EC2, "length(Images[]) > `0`"),
    (EC2, "length(KeyPairs[].KeyName) > `0`"),
    (EC2, "length(InternetGateways[].InternetGatewayId) > `0`"),
    (EC2, "length(PasswordData) > `0`"),
    (EC2, "length(Output || '') > `0`"),
    (EC2, "Reservations[].Instances[?State.Name == 'running'][]"),
    (r#"{"Stacks": [{"StackStatus": "CREATE_COMPLETE"}, {"StackStatus": "ROLLBACK_FAILED"}]}"#, "Stacks[].StackStatus"),
    (S3, "contains(Contents[].Key, 'x')"),
    (S3, "NextMarker || Contents[-1].Key"),
    (r#"{"NextMarker": "m", "Contents": [{"Key": "k"}]}"#, "NextMarker || Contents[-1].Key"),
    (r#"{"NextMarker": "", "Contents": []}"#, "NextMarker || Contents[-1].Key"),
    (S3, "Contents[?Size > `0`].Key"),
    (S3, "IsTruncated"),
    (r#"{"TableDescription": {"TableStatus": "ACTIVE"}}"#, "TableDescription.TableStatus"),
    (r#"{"Jobs": [{"JobId": "1"}, {"JobId": "2"}]}"#, "Jobs[-1].JobId"),
    (r#"{"StreamDescription": {"Shards": [{"ShardId": "s-1"}, {"ShardId": "s-2"}]}}"#, "StreamDescription.Shards[-1].ShardId"),
    (r#"{"VerificationAttributes": {"a.com": {"VerificationStatus": "Success"}, "b.com": {"VerificationStatus": "Pending"}}}"#, "VerificationAttributes.*.VerificationStatus"),
    (r#"{"CompositeAlarms": [{"AlarmName": "a"}]}"#, "length(CompositeAlarms[]) > `0`"),
    (r#"{"DBClusterSnapshots": []}"#, "length(DBClusterSnapshots) == `0`"),
    (r#"{"KinesisDataStreamDestinations": [{"DestinationStatus": "DISABLED"}, {"DestinationStatus": "ENABLE_FAILED"}]}"#,
        "length(KinesisDataStreamDestinations) > `0`  && length(KinesisDataStreamDestinations[?DestinationStatus == 'DISABLED' || DestinationStatus == 'ENABLE_FAILED']) ==  length(KinesisDataStreamDestinations)"),
    (r#"{"services": [{"deployments": [1], "runningCount": 2, "desiredCount": 2}, {"deployments": [1, 2], "runningCount": 1, "desiredCount": 2}]}"#,
        "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`"),
    (r#"{"services": [{"deployments": [1], "runningCount": 2, "desiredCount": 2}]}"#,
        "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`"),
    (r#"{"status": "RUNNING"}"#, "status != 'CANCELLING' && status != 'CANCELLED'"),
    (r#"{"status": "CANCELLED"}"#, "status != 'CANCELLING' && status != 'CANCELLED'"),
    (MISC, "max_by(a, &b).c"),
    (MISC, "min_by(a, &b).c"),
    (MISC, "sort_by(a, &Name)[].Name"),
    (r#"[{"Name": "b"}, {"Name": "a"}]"#, "sort_by(@, &Name)[].Name"),
    (MISC, "{a: a, b: b.c}"),
    (MISC, "a[?b == `1`] | [0]"),
    // Python's parser, quirks included.
    (MISC, "a[0:2][0]"),
    (MISC, "a[0][0:2].b"),
    (r#"{"a": [[{"b": 1}, {"b": 2}]]}"#, "a[0][0:2].b"),
    (r#"{"a": [[{"b": 1}, {"b": 2}]]}"#, "(a[0])[0:1].b"),
    (r#"{"a": [[{"b": 1}, {"b": 2}]]}"#, "a[0] | [0:2].b"),
    (MISC, "not_null(nope z)"),
    (MISC, "{x: z y: t}"),
    (MISC, "n[:1 2]"),
    (MISC, "(length)(s)"),
    (MISC, "a.\"b\"(s)"),
    (MISC, "\"length\"(s)"),
    (MISC, "a[*].b | [0]"),
    (MISC, "a[*].b[0]"),
    (MISC, "nested[]"),
    (MISC, "nested[][]"),
    (MISC, "nested[*][0]"),
    (MISC, "nested[0][1][0]"),
    (MISC, "a[].[b, c]"),
    (MISC, "a[*].{b: b}"),
    (MISC, "m.*"),
    (MISC, "m[]"),
    (MISC, "m[*]"),
    (MISC, "a.*"),
    (MISC, "nope.[a]"),
    (MISC, "nope.{a: a}"),
    (MISC, "z.[a]"),
    (MISC, "@.a[0].b"),
    (MISC, " a [ 0 ] . b "),
    (MISC, "a\n[0]\t.b"),
    (MISC, "a[007].b"),
    (MISC, "a[-0].b"),
    (MISC, "n[99999999999999999999]"),
    (MISC, "n[-99999999999999999999:]"),
    (MISC, "n[::99999999999999999999]"),
    (MISC, "n[::-99999999999999999999]"),
    (MISC, "n[::-1]"),
    (MISC, "n[::-2]"),
    (MISC, "n[10:]"),
    (MISC, "n[-10:]"),
    (MISC, "n[:-10]"),
    (MISC, "n[3:0:-1]"),
    (MISC, "n[::0]"),
    (MISC, "n[1:2:3:]"),
    (MISC, "a..b"),
    (MISC, "a.[]"),
    (MISC, "[a, ]"),
    (MISC, "{a: }"),
    (MISC, "{}"),
    (MISC, "a[?b]c"),
    (MISC, "f()"),
    (MISC, "length(,)"),
    (MISC, "a[b]"),
    (MISC, "a.b.c.d.e.f.g"),
    (MISC, "!!!t"),
    (MISC, "a && b || c"),
    (MISC, "t || nope()"),
    (MISC, "f && nope()"),
    (MISC, "f || nope()"),
    // Literals and quoting.
    (MISC, "`\"a\"`"),
    (MISC, "` \"a\" `"),
    (MISC, "`abc`"),
    (MISC, "` foo`"),
    (MISC, "`[1, 2`"),
    (MISC, "`{\"a\": 1, \"a\": 2, \"b\": 3}`"),
    (MISC, "`1.0`"),
    (MISC, "`1e2`"),
    (MISC, "`-0`"),
    (MISC, "`\\``"),
    (MISC, "'a\\b'"),
    (MISC, "'\\''"),
    (MISC, "'a\\\\'"),
    (MISC, "\"\\u00e9\""),
    (MISC, "\"a\\\"b\""),
    (MISC, "\"\""),
    (MISC, "u"),
    (MISC, "\"☃\""),
    // Truthiness and equality as Python's `jmespath` has them.
    (MISC, "!z"),
    (MISC, "!`0.0`"),
    (MISC, "!`\"\"`"),
    (MISC, "!e"),
    (MISC, "!o"),
    (MISC, "!`null`"),
    (MISC, "!&a"),
    (MISC, "z || 'x'"),
    (MISC, "e || o || f || 'last'"),
    (MISC, "e && 'x'"),
    (MISC, "`1` == `1.0`"),
    (MISC, "`0` == f"),
    (MISC, "`0.0` == f"),
    (MISC, "`1` == t"),
    (MISC, "`2` == t"),
    (MISC, "`[1]` == `[true]`"),
    (MISC, "`{\"a\": 0}` == `{\"a\": false}`"),
    (MISC, "`{\"a\": 1, \"b\": 2}` == `{\"b\": 2, \"a\": 1}`"),
    (MISC, "`null` == nope"),
    (MISC, "&a == &a"),
    (MISC, "`9007199254740993` > `9007199254740992.0`"),
    (MISC, "`9007199254740993` == `9007199254740992.0`"),
    (MISC, "`1` < `2.5`"),
    (MISC, "'a' < 'b'"),
    (MISC, "'é' > 'z'"),
    (MISC, "`1` < 'a'"),
    (MISC, "`[1]` < `[2]`"),
    (MISC, "t < f"),
    (MISC, "nope < `1`"),
    (MISC, "a[?b > `1`].b"),
    (MISC, "a[?c].c"),
    (MISC, "a[?!c].b"),
    (MISC, "a[?b && c].Name"),
    (MISC, "a[?b >= `2` || c == 'x'].Name"),
    (MISC, "a[?b < 'x']"),
    // Functions: results, ints and floats, and type errors.
    (MISC, "abs(`-3`)"),
    (MISC, "abs(`-3.5`)"),
    (MISC, "abs(`-9223372036854775808`)"),
    (MISC, "abs('x')"),
    (MISC, "avg(n)"),
    (MISC, "avg(`[1, 2]`)"),
    (MISC, "avg(e)"),
    (MISC, "avg(`[true]`)"),
    (MISC, "ceil(`1.5`)"),
    (MISC, "ceil(`-1.5`)"),
    (MISC, "ceil(`2`)"),
    (MISC, "ceil(`1e300`)"),
    (MISC, "floor(`1.5`)"),
    (MISC, "floor(`-0.5`)"),
    (MISC, "contains(s, 'a')"),
    (MISC, "contains('abc', 'bc')"),
    (MISC, "contains('abc', `1`)"),
    (MISC, "contains(`[1]`, t)"),
    (MISC, "contains(`[[1]]`, `[true]`)"),
    (MISC, "contains(`[1.0]`, `1`)"),
    (MISC, "contains(m, 'k')"),
    (MISC, "starts_with(u, 'é')"),
    (MISC, "ends_with('abc', 'bc')"),
    (MISC, "ends_with('abc', `1`)"),
    (MISC, "join(', ', s)"),
    (MISC, "join(',', e)"),
    (MISC, "join(',', n)"),
    (MISC, "keys(m)"),
    (MISC, "values(m)"),
    (MISC, "keys(s)"),
    (MISC, "length(u)"),
    (MISC, "length(m)"),
    (MISC, "length(`null`)"),
    (MISC, "map(&b, a)"),
    (MISC, "map(&c, a)"),
    (MISC, "map(&[b], a)"),
    (MISC, "map(b, a)"),
    (MISC, "max(n)"),
    (MISC, "max(`[1, 1.0]`)"),
    (MISC, "min(`[1.0, 1]`)"),
    (MISC, "max(s)"),
    (MISC, "max(e)"),
    (MISC, "max(`[\"a\", 1]`)"),
    (MISC, "min(`[1, \"a\"]`)"),
    (MISC, "max_by(`[]`, &a)"),
    (MISC, "max_by(`[{\"a\": 1}, {\"a\": 1.0}]`, &a)"),
    (MISC, "min_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)"),
    (MISC, "min_by(`[{\"a\": true}]`, &a)"),
    (MISC, "merge(m, `{\"k\": 1, \"new\": 2}`)"),
    (MISC, "merge(`{}`)"),
    (MISC, "merge()"),
    (MISC, "merge(s)"),
    (MISC, "not_null(nope, e, z)"),
    (MISC, "not_null(nope)"),
    (MISC, "not_null()"),
    (MISC, "reverse(u)"),
    (MISC, "reverse(n)"),
    (MISC, "reverse(z)"),
    (MISC, "sort(n)"),
    (MISC, "sort(s)"),
    (MISC, "sort(`[3, 1.5, 2, 1.5]`)"),
    (MISC, "sort(`[1, \"a\"]`)"),
    (MISC, "sort(e)"),
    (MISC, "sort_by(a, &b)[].b"),
    (MISC, "sort_by(`[{\"k\": 1, \"n\": 1}, {\"k\": 0, \"n\": 2}, {\"k\": 1, \"n\": 3}]`, &k)[].n"),
    (MISC, "sort_by(e, &a)"),
    (MISC, "sort_by(a, &c)"),
    (MISC, "sort_by(`[{\"a\": \"x\"}, {\"a\": 1}]`, &a)"),
    (MISC, "sum(n)"),
    (MISC, "sum(`[1, 2]`)"),
    (MISC, "sum(e)"),
    (MISC, "sum(`[9223372036854775807, 1]`)"),
    (MISC, "sum(`[1, 2.5]`)"),
    (MISC, "to_array(z)"),
    (MISC, "to_array(nope)"),
    (MISC, "to_array(s)"),
    (MISC, "to_number('1.5')"),
    (MISC, "to_number(' 12 ')"),
    (MISC, "to_number('+5')"),
    (MISC, "to_number('-0')"),
    (MISC, "to_number('007')"),
    (MISC, "to_number('1e3')"),
    (MISC, "to_number('1_000')"),
    (MISC, "to_number('_1')"),
    (MISC, "to_number('1__0')"),
    (MISC, "to_number('1.5_0')"),
    (MISC, "to_number('.5')"),
    (MISC, "to_number('5.')"),
    (MISC, "to_number('inf')"),
    (MISC, "to_number('-Infinity')"),
    (MISC, "to_number('nan')"),
    (MISC, "to_number('0x10')"),
    (MISC, "to_number('')"),
    (MISC, "to_number('99999999999999999999')"),
    (MISC, "to_number(t)"),
    (MISC, "to_number(z)"),
    (MISC, "to_number(e)"),
    (MISC, "to_number(&a)"),
    (MISC, "to_string(m)"),
    (MISC, "to_string(u)"),
    (MISC, "to_string(a)"),
    (MISC, "to_string(`[1.5e-7, 0.1, 100.0, -0.0, 1e16, 1e22, 123456789.123]`)"),
    (MISC, "to_string(`{\"é\": \"\\u0001\\u007f\\n\\\"\"}`)"),
    (MISC, "to_string([u])"),
    (MISC, "to_string(nope)"),
    (MISC, "to_string(t)"),
    (MISC, "type(m)"),
    (MISC, "type(n)"),
    (MISC, "type(z)"),
    (MISC, "type(`1.5`)"),
    (MISC, "type(t)"),
    (MISC, "type(nope)"),
    (MISC, "type(u)"),
    (MISC, "type(&a)"),
    (MISC, "values(s)"),
    (MISC, "nope(a)"),
    (MISC, "sum(n, n)"),
    (MISC, "length()"),
    // Expression references are no results.
    (MISC, "&a"),
    (MISC, "[&a]"),
    (MISC, "not_null(&a)"),
    (MISC, "to_array(&a)"),
    // Nesting well inside our depth limit.
    (MISC, "((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))"),
    (MISC, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[z]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
    // What Python's json reads beyond JSON.
    (MISC, "`NaN`"),
    (MISC, "`[1e400, -Infinity, NaN]`"),
    (MISC, "to_string(`[1e400, NaN]`)"),
    (MISC, "`01`"),
    (MISC, "`\"\\ud83d\\ude00\"`"),
    // Where we knowingly differ (listed in jmespath-skips.json).
    (MISC, "to_string(&a)"),
    (MISC, "to_number('١٢')"),
    // `merge` past its first argument takes what Python's `dict.update` takes.
    (MISC, "merge(m, `[[\"k\", 1]]`)"),
    (MISC, "merge(m, `[]`, '', `[\"xy\", {\"p\": 1, \"q\": 2}]`)"),
    (MISC, "merge(m, `[[1, 2]]`)"),
    (MISC, "merge(m, `[[\"k\"]]`)"),
    (MISC, "merge(m, 'ab')"),
    (MISC, "merge(m, `1`)"),
];

// ---------------------------------------------------------------------------------------------
// The reference: Python's jmespath
// ---------------------------------------------------------------------------------------------

/// Reads `[{"given", "expression"}]` on stdin and writes, per case, `{"ok": result}` or
/// `{"error": name}`: a result that is not JSON (an expression reference) is an error, and a
/// non-finite float becomes `{"__float__": repr}`, which JSON cannot hold either.
const REFERENCE: &str = r#"
import json, math, sys, warnings
warnings.simplefilter("ignore")
import jmespath

def mark(v):
    if isinstance(v, float) and not math.isfinite(v):
        return {"__float__": repr(v)}
    if isinstance(v, list):
        return [mark(x) for x in v]
    if isinstance(v, dict):
        return {k: mark(x) for k, x in v.items()}
    return v

out = []
for case in json.load(sys.stdin):
    try:
        result = jmespath.search(case["expression"], case["given"])
        out.append({"ok": json.loads(json.dumps(mark(result)))})
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps({"version": jmespath.__version__, "results": out}))
"#;

enum Answer {
    Ok(Document),
    Error(String),
}

/// Python's answers for the loaded cases, computed once on first use.
struct Reference {
    inputs: Vec<Value>,
    answers: OnceLock<Result<(String, Vec<Answer>), String>>,
}

impl Reference {
    fn answers(&self) -> &Result<(String, Vec<Answer>), String> {
        self.answers.get_or_init(|| run_python(&self.inputs))
    }
}

fn run_python(inputs: &[Value]) -> Result<(String, Vec<Answer>), String> {
    let python = common::workspace_root().join(".venv/bin/python");
    let mut child = Command::new(&python)
        .args(["-c", REFERENCE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run {} ({e}); run scripts/setup-test-env.sh from the workspace root",
                python.display()
            )
        })?;
    // The script reads all of its input before it writes, so writing first cannot block.
    let input = serde_json::to_vec(inputs).map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(&input)
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "python jmespath failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let reply: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let version = reply["version"].as_str().unwrap_or("?").to_string();
    let answers = reply["results"]
        .as_array()
        .ok_or("no results")?
        .iter()
        .map(|r| match r.get("ok") {
            Some(v) => Answer::Ok(parse_given(v)),
            None => Answer::Error(r["error"].as_str().unwrap_or("?").to_string()),
        })
        .collect::<Vec<_>>();
    if answers.len() != inputs.len() {
        return Err(format!(
            "python answered {} of {} cases",
            answers.len(),
            inputs.len()
        ));
    }
    Ok((version, answers))
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// Equal documents; `strict` also requires ints to be ints, floats floats, and map members in
/// the same order, else numbers compare by value and maps as maps.
fn same(a: &Document, b: &Document, strict: bool) -> bool {
    match (a, b) {
        (Document::Int(x), Document::Int(y)) => x == y,
        (Document::Float(x), Document::Float(y)) => x == y,
        (Document::Int(_), Document::Float(_)) | (Document::Float(_), Document::Int(_)) => {
            !strict && a.as_f64() == b.as_f64()
        }
        (Document::List(x), Document::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, strict))
        }
        (Document::Map(x), Document::Map(y)) if strict => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && same(v, w, strict))
        }
        (Document::Map(x), Document::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, strict)))
        }
        _ => a == b,
    }
}

/// Our result with non-finite floats written as the reference writes them.
fn mark_non_finite(d: &Document) -> Document {
    match d {
        Document::Float(f) if !f.is_finite() => {
            let repr = if f.is_nan() {
                "nan"
            } else if *f > 0.0 {
                "inf"
            } else {
                "-inf"
            };
            let mut m = boto_core::document::Map::default();
            m.insert("__float__".into(), Document::String(repr.into()));
            Document::Map(m)
        }
        Document::List(l) => Document::List(l.iter().map(mark_non_finite).collect()),
        Document::Map(m) => Document::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), mark_non_finite(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn report(case: &Case, expected: &str, actual: &Document) -> String {
    format!(
        "given: {}\nexpression: {}\nexpected: {expected}\nactual: {actual}",
        case.given, case.expression
    )
}

fn check_compliance(case: &Case) -> Result<(), String> {
    let actual = search(&case.expression, &case.given_doc);
    match &case.expect {
        Expect::Result(want) if same(&actual, want, false) => Ok(()),
        Expect::Result(want) => Err(report(case, &want.to_string(), &actual)),
        Expect::Error(_) if actual.is_null() => Ok(()),
        Expect::Error(kind) => Err(report(case, &format!("a {kind} error (null)"), &actual)),
        Expect::Nothing => Ok(()),
    }
}

fn check_python(case: &Case, reference: &Reference, index: usize) -> Result<(), String> {
    let (_, answers) = reference.answers().as_ref().map_err(Clone::clone)?;
    let actual = mark_non_finite(&search(&case.expression, &case.given_doc));
    match &answers[index] {
        Answer::Ok(want) if same(&actual, want, true) => Ok(()),
        Answer::Ok(want) => Err(report(case, &format!("{want} (python)"), &actual)),
        Answer::Error(_) if actual.is_null() => Ok(()),
        Answer::Error(name) => Err(report(case, &format!("python's {name} (null)"), &actual)),
    }
}

// ---------------------------------------------------------------------------------------------
// Known failures
// ---------------------------------------------------------------------------------------------

struct Skip {
    file: String,
    case: String,
    check: String,
    expression: String,
    reason: String,
}

fn load_skips() -> Vec<Skip> {
    harness::skip_entries(SKIPS)
        .into_iter()
        .map(|s| {
            let skip = Skip {
                file: s.field("file"),
                case: s.field("case"),
                check: s.field("check"),
                expression: s.field("expression"),
                reason: s.field("reason"),
            };
            assert!(
                [COMPLIANCE, PYTHON].contains(&skip.check.as_str()),
                "skip {s}: check is {COMPLIANCE:?} or {PYTHON:?}"
            );
            skip
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let args = Arguments::from_args();
    let skips = load_skips();
    let files = suite_files(&suite_dir());
    let mut markers: Vec<String> = files
        .iter()
        .map(|(name, _)| format!("::{name}::"))
        .collect();
    markers.push("::extra::".to_string());
    let whole = [
        "jmespath::compliance",
        "jmespath-python::all",
        "jmespath-skips::",
    ];
    let loaded = harness::sources_to_load(&args, &markers, &whole);

    let mut cases: Vec<Case> = Vec::new();
    for ((name, path), _) in files.iter().zip(&loaded).filter(|(_, load)| **load) {
        cases.extend(load_file(name, path));
    }
    if loaded.last().copied().unwrap_or(false) {
        for (i, (given, expression)) in EXTRA.iter().enumerate() {
            let given: Value =
                serde_json::from_str(given).unwrap_or_else(|e| panic!("extra case {i}: {e}"));
            cases.push(Case {
                file: "extra".to_string(),
                id: i.to_string(),
                given_doc: Arc::new(parse_given(&given)),
                given: Arc::new(given),
                expression: expression.to_string(),
                expect: Expect::Nothing,
            });
        }
    }

    let reference = Arc::new(Reference {
        inputs: cases
            .iter()
            .map(|c| serde_json::json!({"given": *c.given, "expression": c.expression}))
            .collect(),
        answers: OnceLock::new(),
    });
    let mut seen_skips = vec![false; skips.len()];
    let mut known = |case: &Case, check: &str| {
        let i = skips.iter().position(|s| {
            s.file == case.file
                && s.case == case.id
                && s.check == check
                && s.expression == case.expression
        })?;
        seen_skips[i] = true;
        Some(KnownFailure {
            list: SKIPS,
            reason: skips[i].reason.clone(),
        })
    };
    let mut trials_cases: Vec<harness::Case> = Vec::new();
    for (index, case) in cases.into_iter().enumerate() {
        let case = Arc::new(case);
        if !matches!(case.expect, Expect::Nothing) {
            let c = case.clone();
            trials_cases.push(harness::Case {
                name: format!("jmespath::{}::{}", case.file, case.id),
                group: COMPLIANCE.to_string(),
                batch: "jmespath::compliance".to_string(),
                known_failure: known(&case, COMPLIANCE),
                check: Arc::new(move || check_compliance(&c)),
            });
        }
        let (c, r) = (case.clone(), reference.clone());
        trials_cases.push(harness::Case {
            name: format!("jmespath-python::{}::{}", case.file, case.id),
            group: PYTHON.to_string(),
            batch: "jmespath-python::all".to_string(),
            known_failure: known(&case, PYTHON),
            check: Arc::new(move || check_python(&c, &r, index)),
        });
    }
    let mut trials: Vec<Trial> = harness::case_trials(trials_cases);
    if harness::all_loaded(&loaded) {
        for (skip, _) in skips.iter().zip(&seen_skips).filter(|(_, seen)| !**seen) {
            trials.push(harness::failing_trial(
                format!(
                    "jmespath-skips::{}::{}::{}::no-such-case",
                    skip.check, skip.file, skip.case
                ),
                format!(
                    "{} {} ({}): listed in {SKIPS} for the {} check ({}) but no such case exists",
                    skip.file, skip.case, skip.expression, skip.check, skip.reason
                ),
            ));
        }
    }
    let version = reference.clone();
    harness::run(&args, trials, move |groups| {
        let line = |counts: &harness::Counts| {
            let failed = if counts.failed > 0 {
                format!(", {} failed", counts.failed)
            } else {
                String::new()
            };
            format!(
                "{} cases, {} passed, {} skipped{failed}",
                counts.total(),
                counts.passed,
                counts.skipped
            )
        };
        if let Some(counts) = groups.get(COMPLIANCE) {
            println!("jmespath suite: {}", line(counts));
        }
        if let Some(counts) = groups.get(PYTHON) {
            let against = match version.answers.get() {
                Some(Ok((v, _))) => format!(" (against Python jmespath {v})"),
                _ => String::new(),
            };
            println!("jmespath differential suite: {}{against}", line(counts));
        }
    });
}
