//! The precompiled models and rule sets under `models/` (what the library embeds) are fresh and
//! lossless: for every imported service, the committed `*.bin.gz` is exactly what this build's
//! compiler and encoder make of the JSON beside it (so a changed compiler or format cannot ship
//! stale tables: run `cargo xtask precompile`), and decoding it gives back the model the JSON
//! compiles to, shape by shape.

use boto_core::endpoint::RuleSet;
use boto_core::model::ServiceModel;
use std::io::Read;
use std::path::{Path, PathBuf};

fn gunzip(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn service_dirs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    dirs.sort();
    assert!(dirs.len() > 400, "models/ holds every service");
    dirs
}

const HINT: &str = "run `cargo xtask precompile`";

/// Everything a model answers with, spelled out: metadata, every operation, every shape,
/// and the error-code lookups.
fn spelled_out(model: &ServiceModel) -> String {
    let mut out = format!("{:?}\n", model.metadata());
    for op in model.operations() {
        out += &format!("{op:?}\n");
    }
    for id in model.shape_ids() {
        let shape = model.shape(id);
        out += &format!("{shape:?}\n");
        if shape.exception {
            let code = shape.error.as_ref().and_then(|e| e.code.clone());
            for name in [Some(shape.name.clone()), code].into_iter().flatten() {
                out += &format!("{name} -> {:?}\n", model.error_shape(&name));
            }
        }
        assert!(model.shape_named(&shape.name).is_some());
    }
    out
}

#[test]
fn precompiled_models_are_fresh_and_decode_to_their_json() {
    let mut checked = 0;
    for (name, dir) in service_dirs() {
        let json = String::from_utf8(gunzip(&dir.join("service-2.json.gz"))).unwrap();
        let compiled = ServiceModel::from_json(&name, &json).unwrap();
        let committed = gunzip(&dir.join("service-2.bin.gz"));
        assert!(
            compiled.to_precompiled() == committed,
            "models/{name}/service-2.bin.gz is stale: {HINT}"
        );
        let decoded = ServiceModel::from_precompiled(&name, committed.clone())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            spelled_out(&decoded),
            spelled_out(&compiled),
            "{name}: the precompiled model decodes to something else"
        );
        assert!(decoded.to_precompiled() == committed, "{name}: re-encoding");
        checked += 1;
    }
    println!("precompiled models: {checked} fresh and lossless");
}

#[test]
fn precompiled_rule_sets_are_fresh_and_decode_to_their_json() {
    let mut checked = 0;
    for (name, dir) in service_dirs() {
        let json = dir.join("endpoint-rule-set-1.json.gz");
        let bin = dir.join("endpoint-rule-set-1.bin.gz");
        if !json.is_file() {
            assert!(
                !bin.is_file(),
                "{name}: a rule set without its JSON: {HINT}"
            );
            continue;
        }
        let compiled = RuleSet::from_json_slice(&gunzip(&json)).unwrap();
        let committed = gunzip(&bin);
        assert!(
            compiled.to_precompiled() == committed,
            "models/{name}/endpoint-rule-set-1.bin.gz is stale: {HINT}"
        );
        let decoded = RuleSet::from_precompiled(&committed).unwrap();
        assert_eq!(format!("{decoded:?}"), format!("{compiled:?}"), "{name}");
        checked += 1;
    }
    assert!(checked > 400);
    println!("precompiled rule sets: {checked} fresh and lossless");
}

/// The models this build embeds (read from the precompiled data, each shape on demand) answer
/// exactly as their JSON does.
#[test]
fn embedded_models_answer_as_their_json() {
    for name in boto_core::model::available_services() {
        let embedded = ServiceModel::load(name).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models")
            .join(name);
        let json = String::from_utf8(gunzip(&dir.join("service-2.json.gz"))).unwrap();
        let compiled = ServiceModel::from_json(name, &json).unwrap();
        assert_eq!(spelled_out(&embedded), spelled_out(&compiled), "{name}");
    }
}
