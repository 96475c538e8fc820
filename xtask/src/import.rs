//! `cargo xtask import-models`: botocore/boto3 data → `models/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Map, Value};

use crate::fsutil::{
    find_json, newest_version, read_json, subdirs, write_if_changed, write_json_gz,
};
use crate::{features, option_value, workspace_root, Result};

/// Services imported when none are named.
pub const DEFAULT_SERVICES: &[&str] = &[
    "s3", "sqs", "sts", "iam", "dynamodb", "sns", "ec2", "sso", "sso-oidc",
];

/// botocore model files copied per service, in the service's API version directory.
const BOTOCORE_FILES: &[&str] = &[
    "service-2",
    "paginators-1",
    "waiters-2",
    "endpoint-rule-set-1",
];

/// botocore data files copied from the top of its data directory.
const GLOBAL_FILES: &[&str] = &["partitions", "sdk-default-configuration", "_retry"];

struct Options {
    botocore_data: Option<PathBuf>,
    boto3_data: Option<PathBuf>,
    out: PathBuf,
    all: bool,
    services: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        botocore_data: None,
        boto3_data: None,
        out: workspace_root().join("models"),
        all: false,
        services: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(value) = option_value(arg, "--botocore-data", &mut rest) {
            options.botocore_data = Some(PathBuf::from(value?));
        } else if let Some(value) = option_value(arg, "--boto3-data", &mut rest) {
            options.boto3_data = Some(PathBuf::from(value?));
        } else if let Some(value) = option_value(arg, "--out", &mut rest) {
            options.out = PathBuf::from(value?);
        } else if arg == "--all" {
            options.all = true;
        } else if arg.starts_with('-') {
            return Err(format!("import-models: unknown option `{arg}`"));
        } else {
            options.services.push(arg.clone());
        }
    }
    if options.all && !options.services.is_empty() {
        return Err("import-models: give either --all or service names, not both".into());
    }
    Ok(options)
}

/// A Python package's directory and version, as reported by the workspace's virtualenv
/// interpreter (or `python3` when that is missing or lacks the package).
fn python_package(module: &str) -> Option<(PathBuf, String)> {
    let venv = workspace_root().join(".venv/bin/python");
    let script = format!(
        "import {module},os;print(os.path.dirname({module}.__file__));print({module}.__version__)"
    );
    for python in [venv.as_os_str(), "python3".as_ref()] {
        let Ok(output) = Command::new(python).args(["-c", &script]).output() else {
            continue;
        };
        if !output.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let mut lines = text.lines();
        if let (Some(dir), Some(version)) = (lines.next(), lines.next()) {
            return Some((PathBuf::from(dir.trim()), version.trim().to_string()));
        }
    }
    None
}

/// The version of the package whose data directory is `data_dir`, read from the package's
/// `__init__.py` (`__version__ = '1.2.3'`).
fn version_from_init(data_dir: &Path) -> Option<String> {
    let init = fs::read_to_string(data_dir.parent()?.join("__init__.py")).ok()?;
    init.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("__version__")?
            .trim()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches(['\'', '"']).to_string())
    })
}

/// Resolves a package's data directory and version from the command line or the virtualenv.
fn locate(given: Option<PathBuf>, module: &str) -> Result<(PathBuf, String)> {
    match given {
        Some(dir) => {
            let version = version_from_init(&dir).unwrap_or_else(|| "unknown".into());
            Ok((dir, version))
        }
        None => {
            let (dir, version) = python_package(module).ok_or_else(|| {
                format!(
                    "cannot find the {module} package: run scripts/setup-test-env.sh, \
                     or pass --{module}-data DIR"
                )
            })?;
            Ok((dir.join("data"), version))
        }
    }
}

/// Deep-merges `extra` into `base` as botocore's `utils.deep_merge`: objects present on both
/// sides merge recursively; anything else in `extra` replaces (or is appended to) `base`.
pub fn deep_merge(base: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        if let (Some(Value::Object(base_obj)), Value::Object(extra_obj)) =
            (base.get_mut(key), value)
        {
            deep_merge(base_obj, extra_obj);
            continue;
        }
        base.insert(key.clone(), value.clone());
    }
}

/// Removes, at any depth, the keys in `keys` whose value is a string (a member or parameter
/// that happens to be named `documentation` has an object value and is kept). Key order is
/// preserved.
pub fn strip_docs(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Object(map) => {
            map.retain(|key, value| !(value.is_string() && keys.contains(&key.as_str())));
            for child in map.values_mut() {
                strip_docs(child, keys);
            }
        }
        Value::Array(items) => {
            for child in items {
                strip_docs(child, keys);
            }
        }
        _ => {}
    }
}

#[derive(Default, Clone, Copy)]
struct Sizes {
    disk: u64,
    json: u64,
    out: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, other: Sizes) {
        self.disk += other.disk;
        self.json += other.json;
        self.out += other.out;
    }
}

/// Loads `<dir>/<stem>` (with its sdk-extras merged), strips what it should, and writes it as
/// `<out_dir>/<stem>.json.gz`. Returns `None` when the source has no such file.
fn import_file(dir: &Path, stem: &str, out_dir: &Path) -> Result<Option<Sizes>> {
    let Some(path) = find_json(dir, stem) else {
        return Ok(None);
    };
    let loaded = read_json(&path)?;
    let mut sizes = Sizes {
        disk: loaded.disk_bytes,
        json: loaded.json_bytes,
        out: 0,
    };
    let mut value = loaded.value;
    if let Some(extras_path) = find_json(dir, &format!("{stem}.sdk-extras")) {
        let extras = read_json(&extras_path)?;
        sizes.disk += extras.disk_bytes;
        sizes.json += extras.json_bytes;
        if let (Value::Object(base), Some(Value::Object(merge))) =
            (&mut value, extras.value.get("merge"))
        {
            deep_merge(base, merge);
        }
    }
    match stem {
        "service-2" => strip_docs(&mut value, &["documentation", "documentationUrl"]),
        "endpoint-rule-set-1" => strip_docs(&mut value, &["documentation"]),
        _ => {}
    }
    sizes.out = write_json_gz(&out_dir.join(format!("{stem}.json.gz")), &value)?;
    Ok(Some(sizes))
}

/// Imports one service into `<out>/<service>/`. Returns its API version and sizes.
fn import_service(
    service: &str,
    botocore_data: &Path,
    boto3_data: &Path,
    out: &Path,
) -> Result<(String, Sizes)> {
    let service_dir = botocore_data.join(service);
    let version = newest_version(&service_dir, "service-2").ok_or_else(|| {
        format!(
            "no service-2 model for `{service}` under {}",
            botocore_data.display()
        )
    })?;
    let version_dir = service_dir.join(&version);
    let out_dir = out.join(service);
    let mut sizes = Sizes::default();
    let mut written = BTreeSet::new();
    for stem in BOTOCORE_FILES {
        if let Some(file_sizes) = import_file(&version_dir, stem, &out_dir)? {
            sizes += file_sizes;
            written.insert(format!("{stem}.json.gz"));
        }
    }
    let boto3_service = boto3_data.join(service);
    if let Some(resources_version) = newest_version(&boto3_service, "resources-1") {
        if let Some(file_sizes) = import_file(
            &boto3_service.join(resources_version),
            "resources-1",
            &out_dir,
        )? {
            sizes += file_sizes;
            written.insert("resources-1.json.gz".to_string());
        }
    }
    // Drop model files a previous import wrote that the source no longer has.
    for entry in fs::read_dir(&out_dir)
        .map_err(|e| format!("listing {}: {e}", out_dir.display()))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json.gz") && !written.contains(&name) {
            fs::remove_file(entry.path())
                .map_err(|e| format!("removing {}: {e}", entry.path().display()))?;
        }
    }
    Ok((version, sizes))
}

/// Every botocore service directory that has a service-2 model.
fn all_services(botocore_data: &Path) -> Result<Vec<String>> {
    Ok(subdirs(botocore_data)?
        .into_iter()
        .filter(|name| newest_version(&botocore_data.join(name), "service-2").is_some())
        .collect())
}

/// `services` from an existing VERSIONS.json, for services imported earlier and still present.
fn previous_versions(out: &Path) -> BTreeMap<String, String> {
    let Ok(old) = read_json(&out.join("VERSIONS.json")) else {
        return BTreeMap::new();
    };
    old.value
        .get("services")
        .and_then(Value::as_object)
        .map(|services| {
            services
                .iter()
                .filter(|(name, _)| out.join(name.as_str()).join("service-2.json.gz").is_file())
                .filter_map(|(name, version)| Some((name.clone(), version.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn notice(botocore: &str, boto3: &str) -> String {
    format!(
        "\
The data in this folder is derived from the data folders of botocore {botocore}
(https://github.com/boto/botocore, botocore/data) and boto3 {boto3}
(https://github.com/boto/boto3, boto3/data):

    Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.

    Licensed under the Apache License, Version 2.0 (the \"License\"). You may not
    use these files except in compliance with the License. A copy of the License
    is located at

        https://www.apache.org/licenses/LICENSE-2.0

    or in the \"license\" file accompanying botocore and boto3. These files are
    distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
    KIND, either express or implied. See the License for the specific language
    governing permissions and limitations under the License.

Changes made: documentation text (\"documentation\" and \"documentationUrl\"
entries of the service models, \"documentation\" entries of the endpoint rule
sets) has been removed, example files (examples-1.json) have been dropped,
botocore's sdk-extras files have been merged into the models they extend, and
every file has been minified and gzip-compressed. The files were generated by
`cargo xtask import-models`; VERSIONS.json lists the API version of each service.
"
    )
}

pub fn run(args: &[String]) -> Result<bool> {
    let options = parse(args)?;
    let started = Instant::now();
    let (botocore_data, botocore_version) = locate(options.botocore_data, "botocore")?;
    let (boto3_data, boto3_version) = locate(options.boto3_data, "boto3")?;
    let services: Vec<String> = if options.all {
        all_services(&botocore_data)?
    } else if options.services.is_empty() {
        DEFAULT_SERVICES.iter().map(|s| s.to_string()).collect()
    } else {
        options.services.clone()
    };
    let unknown: Vec<&str> = services
        .iter()
        .filter(|service| newest_version(&botocore_data.join(service), "service-2").is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "no service-2 model under {} for: {}",
            botocore_data.display(),
            unknown.join(", ")
        ));
    }
    let out = options.out;
    fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    println!(
        "importing {} services from botocore {botocore_version} ({}) and boto3 {boto3_version} ({}) into {}",
        services.len(),
        botocore_data.display(),
        boto3_data.display(),
        out.display()
    );

    let mut versions = previous_versions(&out);
    let mut total = Sizes::default();
    for service in &services {
        let (version, sizes) = import_service(service, &botocore_data, &boto3_data, &out)?;
        crate::precompile::service(&out.join(service), service, false)?;
        println!(
            "  {service:<24} {version}  in {:>9} B ({:>9} B JSON)  out {:>8} B",
            sizes.disk, sizes.json, sizes.out
        );
        versions.insert(service.clone(), version);
        total += sizes;
    }
    for name in GLOBAL_FILES {
        let path = find_json(&botocore_data, name)
            .ok_or_else(|| format!("missing {name}.json in {}", botocore_data.display()))?;
        let loaded = read_json(&path)?;
        total.disk += loaded.disk_bytes;
        total.json += loaded.json_bytes;
        total.out += write_json_gz(&out.join(format!("{name}.json.gz")), &loaded.value)?;
    }

    let imported: BTreeSet<String> = versions.keys().cloned().collect();
    let mut services_json = Map::new();
    for (service, version) in versions {
        services_json.insert(service, Value::String(version));
    }
    let mut manifest = Map::new();
    manifest.insert("botocore".into(), Value::String(botocore_version.clone()));
    manifest.insert("boto3".into(), Value::String(boto3_version.clone()));
    manifest.insert("services".into(), Value::Object(services_json));
    let mut text = serde_json::to_string_pretty(&Value::Object(manifest))
        .map_err(|e| format!("serializing VERSIONS.json: {e}"))?;
    text.push('\n');
    write_if_changed(&out.join("VERSIONS.json"), text.as_bytes())?;
    write_if_changed(
        &out.join("NOTICE"),
        notice(&botocore_version, &boto3_version).as_bytes(),
    )?;

    // The features only describe the workspace's own models folder.
    if out == workspace_root().join("models") {
        for manifest in
            features::write(&workspace_root(), &features::services_in(&out, &imported)?)?
        {
            println!("updated the per-service features of {manifest}");
        }
    }

    println!(
        "imported {} services (+ {} global files): {} bytes in ({} bytes of JSON), {} bytes out, in {:.2?}",
        services.len(),
        GLOBAL_FILES.len(),
        total.disk,
        total.json,
        total.out,
        started.elapsed()
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_merge_matches_botocore() {
        let mut base = json!({"a": {"x": 1, "y": 2}, "b": [1], "c": 3});
        let extra = json!({"a": {"y": 20, "z": 30}, "b": [2], "d": 4});
        deep_merge(base.as_object_mut().unwrap(), extra.as_object().unwrap());
        assert_eq!(
            serde_json::to_string(&base).unwrap(),
            r#"{"a":{"x":1,"y":20,"z":30},"b":[2],"c":3,"d":4}"#
        );
    }

    #[test]
    fn strip_docs_keeps_members_named_documentation_and_order() {
        let mut model = json!({
            "shapes": {"S": {"type": "structure", "members": {
                "z": {"shape": "A", "documentation": "doc"},
                "documentation": {"shape": "B"},
                "a": {"shape": "C"}
            }, "documentation": "shape doc"}},
            "documentationUrl": "https://example.com"
        });
        strip_docs(&mut model, &["documentation", "documentationUrl"]);
        assert_eq!(
            serde_json::to_string(&model).unwrap(),
            r#"{"shapes":{"S":{"type":"structure","members":{"z":{"shape":"A"},"documentation":{"shape":"B"},"a":{"shape":"C"}}}}}"#
        );
    }

    #[test]
    fn gzip_is_deterministic() {
        let a = crate::fsutil::gzip(b"{}").unwrap();
        let b = crate::fsutil::gzip(b"{}").unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[4..8], &[0, 0, 0, 0], "mtime must be zero");
    }
}
