//! What the conformance harnesses share: where the workspace is, where botocore's sdist (which
//! carries the suites) was unpacked, and the trial runner ([`harness`]).
#![allow(dead_code)]

pub mod harness;

use std::path::{Path, PathBuf};

/// How to get the data when it is missing.
pub const SETUP_HINT: &str = "run scripts/setup-test-env.sh from the workspace root to download \
     the pinned botocore sdist (or point BOTO_BOTOCORE_SDIST at an unpacked botocore sdist)";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// botocore's sdist folder: `BOTO_BOTOCORE_SDIST`, else `<root>/.cache/botocore-<version>` with
/// the version pinned in `tests/requirements.txt`.
pub fn sdist_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOTO_BOTOCORE_SDIST") {
        return PathBuf::from(dir);
    }
    let root = workspace_root();
    let requirements = root.join("tests").join("requirements.txt");
    let text = std::fs::read_to_string(&requirements).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}) to find the pinned botocore version; {SETUP_HINT}",
            requirements.display()
        )
    });
    let version = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("botocore=="))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "no `botocore==X` line in {}; {SETUP_HINT}",
                requirements.display()
            )
        });
    root.join(".cache").join(format!("botocore-{version}"))
}

/// A folder inside the sdist; the test fails with the setup hint when it is missing.
pub fn sdist_folder(parts: &[&str]) -> PathBuf {
    let dir = parts.iter().fold(sdist_dir(), |d, p| d.join(p));
    assert!(
        dir.is_dir(),
        "{} does not exist; {SETUP_HINT}",
        dir.display()
    );
    dir
}
