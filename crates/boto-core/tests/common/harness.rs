//! The trial runner the conformance suites share (on top of `libtest-mimic`): one named trial per
//! case, known failures as ignored trials guarded by a trial that fails once the case passes, and
//! per-group pass counts printed after the run for `scripts/test.sh` to show.
//!
//! nextest runs every trial in its own process and asks for it with `--exact <name>`; a suite
//! reads only the data files (its "sources") whose marker that name contains, so one trial does
//! not pay for parsing every case file.

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

/// The trials of one case counted in `group`.
///
/// A case without a known failure is one trial. A listed case is two: `name` as an ignored trial
/// (run it with `--ignored` to see how it differs) and `name::skipped`, which passes while the
/// case still fails (the reason is printed after the run) and fails once the case passes, so the list stays honest.
pub fn case_trials(
    name: String,
    group: String,
    known_failure: Option<KnownFailure>,
    check: Check,
) -> Vec<Trial> {
    let Some(known) = known_failure else {
        return vec![Trial::test(name, move || {
            let result = run_caught(&*check);
            record(&group, outcome_of(&result));
            result.map_err(Failed::from)
        })];
    };
    let guard_name = format!("{name}::skipped");
    let inspect = check.clone();
    let (list, reason) = (known.list, Arc::new(known.reason));
    let why = reason.clone();
    let inspect_trial = Trial::test(name.clone(), move || {
        run_caught(&*inspect)
            .map_err(|report| Failed::from(format!("listed in {list} ({why}):\n{report}")))
    })
    .with_ignored_flag(true);
    let guarded = name.clone();
    let guard = Trial::test(guard_name, move || match run_caught(&*check) {
        Ok(()) => {
            record(&group, Outcome::Failed);
            Err(Failed::from(format!(
                "passes now but is listed in {list} ({reason}); remove it from the list"
            )))
        }
        Err(_) => {
            record(&group, Outcome::Skipped);
            skipped()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((guarded, format!("listed in {list}: {reason}")));
            Ok(())
        }
    });
    vec![inspect_trial, guard]
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

/// Which sources (data files) to read, one flag per marker: all of them, unless the run asks for
/// one exact trial name that contains some markers (how nextest runs a trial), then only those.
pub fn sources_to_load(args: &Arguments, markers: &[String]) -> Vec<bool> {
    let exact = args.filter.as_deref().filter(|_| args.exact);
    let wanted: Vec<bool> = match exact {
        Some(name) => markers.iter().map(|m| name.contains(m.as_str())).collect(),
        None => return vec![true; markers.len()],
    };
    if wanted.iter().any(|&w| w) {
        wanted
    } else {
        vec![true; markers.len()]
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
