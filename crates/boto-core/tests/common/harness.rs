//! The trial runner the conformance suites share (on top of `libtest-mimic`): one named trial per
//! case, known failures as ignored trials guarded by a trial that fails once the case passes, and
//! per-group pass counts printed after the run for `scripts/test.sh` to show.
//!
//! nextest runs every trial in its own process and asks for it with `--exact <name>`; a suite
//! reads only the data files (its "sources") whose marker that name contains, so one trial does
//! not pay for parsing every case file. A process still costs more than a case, so a full nextest
//! run can group the cases into a few trials (batch mode, see [`case_trials`]).

use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock};

use libtest_mimic::{Arguments, Failed, Trial};

/// How the cases of one count line fared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// Cases that ran and matched.
    pub passed: usize,
    /// Cases that ran and differed (or are listed as known failures but pass).
    pub failed: usize,
    /// Known failures that still fail.
    pub skipped: usize,
}

impl Counts {
    /// Every case that ran, whatever its outcome.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }

    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Sums the groups whose name `keep` accepts, with how many there were.
pub fn sum_groups(
    groups: &BTreeMap<String, Counts>,
    keep: impl Fn(&str) -> bool,
) -> (usize, Counts) {
    groups.iter().filter(|(name, _)| keep(name)).fold(
        (0, Counts::default()),
        |(n, mut sum), (_, c)| {
            sum.add(*c);
            (n + 1, sum)
        },
    )
}

#[derive(Clone, Copy)]
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

fn tally() -> &'static Mutex<BTreeMap<String, Counts>> {
    static TALLY: OnceLock<Mutex<BTreeMap<String, Counts>>> = OnceLock::new();
    TALLY.get_or_init(Default::default)
}

/// (trial name, reason) of every known failure whose guard ran, printed after the run so the
/// reasons are in the log without interleaving with libtest's progress output.
fn skipped() -> &'static Mutex<Vec<(String, String)>> {
    static SKIPPED: OnceLock<Mutex<Vec<(String, String)>>> = OnceLock::new();
    SKIPPED.get_or_init(Default::default)
}

fn record(group: &str, outcome: Outcome) {
    // A poisoned lock only means another trial panicked while counting; the counts stay usable.
    let mut groups = tally().lock().unwrap_or_else(|e| e.into_inner());
    let counts = groups.entry(group.to_string()).or_default();
    match outcome {
        Outcome::Passed => counts.passed += 1,
        Outcome::Failed => counts.failed += 1,
        Outcome::Skipped => counts.skipped += 1,
    }
}

/// Runs a check, turning a panic of the code under test into a failure report, so that the
/// counts and the known-failure guard see it like any other failure.
fn run_caught(check: &(dyn Fn() -> Result<(), String> + Send + Sync)) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(check)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        Err(format!("the code under test panicked: {message}"))
    })
}

/// A shared case check: `Ok` when the case matches, else the printable given / expected / actual.
pub type Check = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

/// Where a case's expected failure is listed, and why.
pub struct KnownFailure {
    /// The list file, for the messages (`protocol-skips.json`).
    pub list: &'static str,
    /// The reason given in the list.
    pub reason: String,
}

/// One conformance case, before it becomes trials.
pub struct Case {
    /// The trial name (unique and stable).
    pub name: String,
    /// The count line the case is tallied in.
    pub group: String,
    /// The trial that runs the case in batch mode (see [`case_trials`]).
    pub batch: String,
    /// Set when the case is a listed known failure.
    pub known_failure: Option<KnownFailure>,
    /// The check itself.
    pub check: Check,
}

/// The environment variable that turns on batch mode.
pub const BATCH_ENV: &str = "BOTO_SUITE_BATCH";

/// Runs a case as its own trial would and tallies it: `Err` is the trial's failure.
///
/// A known failure inverts the check: it passes while the case still fails (its reason is
/// printed after the run) and fails once the case passes, so the list stays honest.
fn judge(case: &Case) -> Result<(), String> {
    let result = run_caught(&*case.check);
    let Some(known) = &case.known_failure else {
        record(&case.group, outcome_of(&result));
        return result;
    };
    if result.is_ok() {
        record(&case.group, Outcome::Failed);
        return Err(format!(
            "passes now but is listed in {} ({}); remove it from the list",
            known.list, known.reason
        ));
    }
    record(&case.group, Outcome::Skipped);
    skipped().lock().unwrap_or_else(|e| e.into_inner()).push((
        case.name.clone(),
        format!("listed in {}: {}", known.list, known.reason),
    ));
    Ok(())
}

/// The trials of the cases.
///
/// By default every case is its own trial, named after it; a listed known failure is two: the
/// case's name as an ignored trial (run it with `--ignored` to see how it differs) and
/// `<name>::skipped`, which fails once the case passes.
///
/// With `BOTO_SUITE_BATCH=1` (batch mode) the cases of one `batch` key run inside one trial named
/// after the key, which reports every failing case by its own trial name. nextest starts a process
/// per trial, which costs more than a case itself; `scripts/test.sh` uses batch mode for its
/// nextest run so thousands of cases stay a few processes.
pub fn case_trials(cases: Vec<Case>) -> Vec<Trial> {
    if std::env::var_os(BATCH_ENV).is_some_and(|v| v == "1") {
        batch_trials(cases)
    } else {
        cases.into_iter().flat_map(single_trials).collect()
    }
}

fn single_trials(case: Case) -> Vec<Trial> {
    let Some(known) = &case.known_failure else {
        return vec![Trial::test(case.name.clone(), move || {
            judge(&case).map_err(Failed::from)
        })];
    };
    let (check, list, why) = (case.check.clone(), known.list, known.reason.clone());
    let inspect = Trial::test(case.name.clone(), move || {
        run_caught(&*check)
            .map_err(|report| Failed::from(format!("listed in {list} ({why}):\n{report}")))
    })
    .with_ignored_flag(true);
    let guard = Trial::test(format!("{}::skipped", case.name), move || {
        judge(&case).map_err(Failed::from)
    });
    vec![inspect, guard]
}

fn batch_trials(cases: Vec<Case>) -> Vec<Trial> {
    let mut batches: Vec<(String, Vec<Case>)> = Vec::new();
    for case in cases {
        match batches.iter_mut().find(|(key, _)| *key == case.batch) {
            Some((_, members)) => members.push(case),
            None => batches.push((case.batch.clone(), vec![case])),
        }
    }
    batches
        .into_iter()
        .map(|(key, members)| {
            Trial::test(key, move || {
                let failures: Vec<String> = members
                    .iter()
                    .filter_map(|case| judge(case).err().map(|e| format!("{}: {e}", case.name)))
                    .collect();
                if failures.is_empty() {
                    Ok(())
                } else {
                    Err(Failed::from(format!(
                        "{} of {} cases failed (run one alone without {BATCH_ENV}):\n\n{}",
                        failures.len(),
                        members.len(),
                        failures.join("\n\n")
                    )))
                }
            })
        })
        .collect()
}

fn outcome_of(result: &Result<(), String>) -> Outcome {
    match result {
        Ok(()) => Outcome::Passed,
        Err(_) => Outcome::Failed,
    }
}

/// A trial that always fails with `message` (data that should exist but does not).
pub fn failing_trial(name: String, message: String) -> Trial {
    Trial::test(name, move || Err(Failed::from(message)))
}

/// Which sources (data files) to read, one flag per marker. A run that asks for one exact trial
/// name (how nextest runs a trial) reads the sources whose marker the name contains, or every
/// source when the name is one of `whole` (or starts with one that ends in `::`), as trials over
/// all the data are (batches, stale list entries), or none (a fixed trial such as a documentation
/// example). Any other run reads all.
pub fn sources_to_load(args: &Arguments, markers: &[String], whole: &[&str]) -> Vec<bool> {
    let is_whole = |name: &str| {
        whole
            .iter()
            .any(|w| name == *w || (w.ends_with("::") && name.starts_with(w)))
    };
    match args.filter.as_deref().filter(|_| args.exact) {
        Some(name) if !is_whole(name) => {
            markers.iter().map(|m| name.contains(m.as_str())).collect()
        }
        _ => vec![true; markers.len()],
    }
}

/// Whether every source was read (so checks over the whole data set, like stale skip entries,
/// can run).
pub fn all_loaded(loaded: &[bool]) -> bool {
    loaded.iter().all(|&l| l)
}

/// A name fragment from free text: lower-case ASCII letters and digits, runs of anything else as
/// one `-`, at most `max` characters.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    for c in text.chars() {
        if out.len() >= max {
            break;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "case".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Runs the trials and exits with libtest's exit code. Names must be unique (a duplicate would make
/// a case unselectable). After a run of more than one counted case, `print_counts` gets the counts
/// of every group, for the summary lines `scripts/test.sh` shows.
pub fn run(
    args: &Arguments,
    trials: Vec<Trial>,
    print_counts: impl FnOnce(&BTreeMap<String, Counts>),
) -> ! {
    let mut seen = HashSet::new();
    let duplicates: Vec<&str> = trials
        .iter()
        .map(Trial::name)
        .filter(|n| !seen.insert(*n))
        .collect();
    assert!(
        duplicates.is_empty(),
        "trial names must be unique; duplicated: {duplicates:?}"
    );
    let conclusion = libtest_mimic::run(args, trials);
    if !args.list {
        let mut skipped = skipped().lock().unwrap_or_else(|e| e.into_inner()).clone();
        skipped.sort();
        for (name, why) in &skipped {
            println!("skipped {name}: {why}");
        }
        let groups = tally().lock().unwrap_or_else(|e| e.into_inner()).clone();
        let counted: usize = groups.values().map(Counts::total).sum();
        if counted > 1 {
            print_counts(&groups);
        }
    }
    conclusion.exit()
}

/// One entry of a known-failures file, its fields read by name.
pub struct SkipEntry(serde_json::Value);

impl SkipEntry {
    /// The string field `key`; an entry without it fails the run, naming the entry.
    pub fn field(&self, key: &str) -> String {
        self.0[key]
            .as_str()
            .unwrap_or_else(|| panic!("skip entry {} lacks {key:?}", self.0))
            .to_string()
    }
}

impl std::fmt::Display for SkipEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The entries of `tests/data/<file>`'s `skips` list. Each must give a non-empty `reason`.
pub fn skip_entries(file: &str) -> Vec<SkipEntry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries: Vec<SkipEntry> = doc["skips"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|s| SkipEntry(s.clone()))
        .collect();
    for entry in &entries {
        assert!(
            !entry.field("reason").trim().is_empty(),
            "skip {entry} has no reason"
        );
    }
    entries
}
