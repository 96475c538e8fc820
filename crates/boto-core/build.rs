//! Embeds the imported model data (`models/` at the workspace root) for the services whose cargo
//! feature is on, by generating a lookup table of `include_bytes!` entries, plus the names of
//! every imported service (embedded or not) for the "not compiled in" error.
//!
//! The data is used as `cargo xtask import-models` / `precompile` left it: a model's precompiled
//! form (`service-2.bin.gz`) replaces its JSON, and nothing is compiled here, so neither a default
//! build nor `--features full` pays for turning JSON into tables.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let models = manifest.join("../../models");
    println!("cargo:rerun-if-changed={}", models.display());
    let full = std::env::var_os("CARGO_FEATURE_FULL").is_some();
    let mut table = String::new();
    let mut services: Vec<PathBuf> = match std::fs::read_dir(&models) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(_) => Vec::new(),
    };
    services.sort();
    // Every imported service, compiled in or not, so a lookup can tell "not compiled in" from
    // "no such service".
    // One string, one name a line: a few kilobytes, and no table of pointers in every binary.
    let known: Vec<String> = services
        .iter()
        .map(|dir| dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    table.push_str("/// Every service under `models/`, embedded or not, one name a line.\n");
    writeln!(
        table,
        "pub(crate) static KNOWN: &str = {:?};",
        known.join("\n")
    )
    .unwrap();
    table.push_str("/// (service, file stem, gzip bytes) for every embedded model file.\n");
    table.push_str("pub(crate) static EMBEDDED: &[(&str, &str, &[u8])] = &[\n");
    for dir in services {
        let service = dir.file_name().unwrap().to_string_lossy().to_string();
        let feature = format!("CARGO_FEATURE_{}", service.to_uppercase().replace('-', "_"));
        if !(full || std::env::var_os(&feature).is_some()) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                let name = p.to_string_lossy();
                name.ends_with(".json.gz") || name.ends_with(".bin.gz")
            })
            .collect();
        // The JSON of a precompiled model is only the importer's input; the rule set's JSON
        // stays (it is what `data_file` hands out, decompressed only when asked for).
        if files.iter().any(|p| p.ends_with("service-2.bin.gz")) {
            files.retain(|p| !p.ends_with("service-2.json.gz"));
        }
        files.sort();
        for file in files {
            add(&mut table, &service, &file);
        }
    }
    table.push_str("];\n");
    let partitions = models.join("partitions.json.gz");
    table.push_str("/// The partitions file (gzip), when imported.\n");
    if partitions.exists() {
        writeln!(
            table,
            "pub(crate) static PARTITIONS: Option<&[u8]> = Some(include_bytes!({:?}));",
            partitions.canonicalize().unwrap()
        )
        .unwrap();
    } else {
        table.push_str("pub(crate) static PARTITIONS: Option<&[u8]> = None;\n");
    }
    // Written aside and renamed over: a target dir seeded with hard links to another
    // checkout's shares this file's inode with it, and writing in place would hand that
    // checkout this one's table (and the other way round).
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_models.rs");
    let tmp = out.with_extension("rs.tmp");
    std::fs::write(&tmp, table).unwrap();
    std::fs::rename(&tmp, &out).unwrap();
}

fn add(table: &mut String, service: &str, file: &Path) {
    let name = file.file_name().unwrap().to_string_lossy();
    let stem = name
        .strip_suffix(".json.gz")
        .or_else(|| name.strip_suffix(".gz"))
        .unwrap_or(&name);
    writeln!(
        table,
        "    ({:?}, {:?}, include_bytes!({:?})),",
        service,
        stem,
        file.canonicalize().unwrap()
    )
    .unwrap();
}
