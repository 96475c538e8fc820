//! Every imported model in `models/` decodes (not only the services this build embeds), and its
//! paginators, waiters, rule sets and resource models are valid JSON.

use boto_core::model::ServiceModel;
use std::io::Read;
use std::path::Path;

fn gunzip(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn every_imported_service_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut services = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let model = ServiceModel::from_json(&name, &gunzip(&dir.join("service-2.json.gz")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!model.operations().is_empty(), "{name}");
        for other in std::fs::read_dir(&dir).unwrap() {
            let p = other.unwrap().path();
            // The precompiled `*.bin.gz` files have their own test (precompiled_models.rs).
            if !p.to_string_lossy().ends_with(".json.gz") {
                continue;
            }
            let _: serde_json::Value = serde_json::from_str(&gunzip(&p))
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
        services.push(name);
    }
    services.sort();
    for required in ["dynamodb", "ec2", "iam", "s3", "sns", "sqs", "sts"] {
        assert!(
            services.iter().any(|s| s == required),
            "{required} is imported"
        );
    }
    println!(
        "models: {} services decode: {}",
        services.len(),
        services.join(", ")
    );
}
