use super::*;

#[test]
fn listed_services_load_with_their_protocols() {
    // Default features embed s3, sqs and sts; the rest load when their feature is on.
    for (service, protocol) in [
        ("s3", Protocol::RestXml),
        ("sqs", Protocol::Json),
        ("sts", Protocol::Query),
    ] {
        let m = ServiceModel::load(service).unwrap();
        assert_eq!(m.metadata().protocol, protocol, "{service}");
        assert!(m.operations().len() > 5, "{service}");
    }
    for service in available_services() {
        let m = ServiceModel::load(service).unwrap_or_else(|e| panic!("{service}: {e}"));
        assert!(!m.operations().is_empty());
    }
}

#[test]
fn several_protocols_resolve_in_botocores_order() {
    let model = |protocols: &str| {
        let json = format!(
            r#"{{"metadata": {{"protocol": "query", "protocols": {protocols}, "apiVersion": "1"}},
                "operations": {{}}, "shapes": {{}}}}"#
        );
        ServiceModel::from_json("demo", &json)
            .unwrap()
            .metadata()
            .protocol
    };
    // CodeBuild's and CloudWatch's lists: botocore speaks json, not the listed-first CBOR.
    assert_eq!(model(r#"["smithy-rpc-v2-cbor", "json"]"#), Protocol::Json);
    assert_eq!(
        model(r#"["smithy-rpc-v2-cbor", "json", "query"]"#),
        Protocol::Json
    );
    assert_eq!(
        model(r#"["query", "smithy-rpc-v2-cbor"]"#),
        Protocol::RpcV2Cbor
    );
    assert_eq!(model(r#"["unknown", "query"]"#), Protocol::Query);
    // No `protocols` list: the legacy `protocol`.
    assert_eq!(model("[]"), Protocol::Query);
}

#[test]
fn operations_are_named_by_their_key_not_their_wire_name() {
    // CloudFront keys `ListDistributions` and names it `ListDistributions2020_05_31`; botocore's
    // operation (and method `list_distributions`) is the key.
    let json = r#"{"metadata": {"protocol": "rest-xml", "apiVersion": "2020-05-31"},
        "operations": {"ListDistributions": {"name": "ListDistributions2020_05_31",
            "http": {"method": "GET", "requestUri": "/2020-05-31/distribution"}}},
        "shapes": {}}"#;
    let model = ServiceModel::from_json("demo", json).unwrap();
    let op = model.operation("list_distributions").unwrap();
    assert_eq!(op.name, "ListDistributions");
    assert_eq!(op.snake_name, "list_distributions");
    assert!(model.operation("ListDistributions2020_05_31").is_err());
}

#[test]
fn s3_shapes_resolve() {
    let s3 = ServiceModel::load("s3").unwrap();
    let op = s3.operation("PutObject").unwrap();
    assert_eq!(op.http.method, "PUT");
    assert_eq!(op.http.path, "/{Bucket}/{Key+}");
    let input = s3.shape(op.input.unwrap());
    assert_eq!(input.payload.as_deref(), Some("Body"));
    let bucket = input.member_named("Bucket").unwrap();
    assert_eq!(bucket.location, Location::Uri);
    assert_eq!(bucket.context_param.as_deref(), Some("Bucket"));
    let list = s3.operation("list_objects_v2").unwrap();
    assert_eq!(
        list.http.query,
        vec![("list-type".to_string(), Some("2".to_string()))]
    );
    assert_eq!(list.snake_name, "list_objects_v2");
    assert!(
        std::ptr::eq(&*s3, &*ServiceModel::load("s3").unwrap()),
        "loaded once, shared"
    );
}

#[test]
fn unknown_names_suggest_close_ones() {
    let err = ServiceModel::load("sqss").unwrap_err();
    assert!(
        matches!(&err, ModelError::UnknownService { did_you_mean, .. } if did_you_mean.contains(&"sqs".to_string())),
        "{err}"
    );
    let s3 = ServiceModel::load("s3").unwrap();
    let err = s3.operation("ListObjectV2").unwrap_err().to_string();
    assert!(err.contains("ListObjectsV2"), "{err}");
}

#[test]
fn data_files_decode() {
    let d = ServiceData {
        service: "s3".into(),
    };
    let pag = d.paginators().unwrap().expect("s3 has paginators");
    assert!(pag["pagination"]["ListObjectsV2"].is_object());
    assert!(d.resources().unwrap().is_some());
    assert!(d.endpoint_rules().unwrap().is_some());
    assert!(partitions_json().unwrap().contains("aws-us-gov"));
    assert!(data_file("nope", "paginators-1").is_err());
}

#[test]
fn malformed_model_is_an_error() {
    assert!(ServiceModel::from_json("x", "{").is_err());
    let e = ServiceModel::from_json("x", r#"{"metadata":{"protocol":"json"},"shapes":{"A":{"type":"structure","members":{"b":{"shape":"Missing"}}}}}"#).unwrap_err();
    assert!(e.to_string().contains("Missing"), "{e}");
}

#[test]
fn every_embedded_paginator_and_waiter_compiles_against_its_model() {
    for service in available_services() {
        let model = ServiceModel::load(service).unwrap();
        if let Some(table) = paginators(service).unwrap() {
            for op in table.operations() {
                assert!(model.operation(op).is_ok(), "{service}: paginator {op}");
                let config = table.get(op).unwrap();
                assert!(!config.input_tokens.is_empty(), "{service}: {op}");
                assert!(!config.output_tokens.is_empty(), "{service}: {op}");
            }
        }
        if let Some(table) = waiters(service).unwrap() {
            for name in table.names() {
                let w = table.get(name).unwrap();
                assert!(model.operation(&w.operation).is_ok(), "{service}: {name}");
                assert!(!w.acceptors.is_empty(), "{service}: {name}");
                assert!(
                    w.acceptors.iter().all(|a| a.matcher != Matcher::Unknown),
                    "{service}: {name} has a matcher this engine does not know"
                );
            }
        }
    }
}

#[test]
fn a_known_service_that_is_not_embedded_names_its_feature() {
    // Both messages come from the same lookup: a botocore service whose feature is off, and a
    // name that is no service at all (suggestions include services that are not embedded).
    let off = ["lambda", "kms", "bedrock-runtime"]
        .into_iter()
        .find(|s| !available_services().contains(s));
    if let Some(service) = off {
        let err = ServiceModel::load(service).unwrap_err();
        assert_eq!(
            err,
            ModelError::NotCompiledIn {
                service: service.into(),
                feature: service.into()
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{service} is not compiled in: enable the cargo feature `{service}`, \
                 or put its model in AWS_DATA_PATH"
            )
        );
        let data = ServiceData {
            service: service.into(),
        };
        assert!(matches!(
            data.paginators(),
            Err(ModelError::NotCompiledIn { .. })
        ));
    } else {
        // A `full` build embeds all three.
        assert!(ServiceModel::load("lambda").is_ok());
    }
    let err = ServiceModel::load("lamda").unwrap_err();
    assert_eq!(
        err.to_string(),
        "lamda: no such service, did you mean lambda?"
    );
    assert!(
        matches!(&err, ModelError::UnknownService { name, did_you_mean }
            if name == "lamda" && did_you_mean == &["lambda".to_string()]),
        "{err:?}"
    );
}

#[test]
fn embedded_models_and_rule_sets_are_the_precompiled_ones() {
    use super::registry::{EMBEDDED, PRECOMPILED_MODEL, PRECOMPILED_RULES};
    let has =
        |service: &str, stem: &str| EMBEDDED.iter().any(|(s, f, _)| *s == service && *f == stem);
    for service in available_services() {
        assert!(has(service, PRECOMPILED_MODEL), "{service}");
        assert!(
            !has(service, "service-2"),
            "{service}: its JSON model is not embedded"
        );
        assert_eq!(
            has(service, "endpoint-rule-set-1"),
            has(service, PRECOMPILED_RULES),
            "{service}"
        );
        assert!(
            super::precompiled_rule_set(service).is_some_and(|r| r.is_ok()),
            "{service}"
        );
    }
}

#[test]
fn a_precompiled_model_decodes_only_the_shapes_asked_for() {
    let bytes = ServiceModel::load("s3").unwrap().to_precompiled();
    let s3 = ServiceModel::from_precompiled("s3", bytes).unwrap();
    assert_eq!(s3.shapes.decoded_count(), 0);
    let put = s3.operation("PutObject").unwrap();
    let input = s3.shape(put.input.unwrap());
    assert_eq!(input.name, "PutObjectRequest");
    assert!(input
        .member_named("Bucket")
        .unwrap()
        .context_param
        .is_some());
    assert_eq!(s3.shapes.decoded_count(), 1);
    // Error lookups use the precompiled code table, not every shape.
    let missing = s3.error_shape("NoSuchKey").unwrap();
    assert!(s3.shape(missing).exception);
    assert_eq!(s3.shapes.decoded_count(), 2);
    assert!(s3.shapes.len() > 500);
}

#[test]
fn stale_or_corrupt_precompiled_bytes_are_errors_not_panics() {
    let good = ServiceModel::load("sqs").unwrap().to_precompiled();
    let mut stale = good.clone();
    stale[8] = 99; // the format number, right after the 8-byte magic
    let err = ServiceModel::from_precompiled("sqs", stale)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("format 99") && err.contains("cargo xtask precompile"),
        "{err}"
    );
    let err = ServiceModel::from_precompiled("sqs", b"{\"metadata\": {}}".to_vec()).unwrap_err();
    assert!(err.to_string().contains("header"), "{err}");
    // Cut anywhere: an error, or (a cut inside the last shapes, whose offsets still land) a
    // model whose cut shapes come back as unknown placeholders.
    for cut in (0..good.len()).step_by(97) {
        if let Ok(model) = ServiceModel::from_precompiled("sqs", good[..cut].to_vec()) {
            let unknown = model
                .shape_ids()
                .filter(|id| model.shape(*id).shape_type == ShapeType::Unknown)
                .count();
            assert!(unknown > 0, "cut at {cut}");
        }
    }
    // Garbage inside a shape's bytes: the model loads, and the shape comes back as an
    // unknown placeholder instead of a panic.
    let model = ServiceModel::from_precompiled("sqs", good.clone()).unwrap();
    let last = model.shape_ids().last().unwrap();
    let mut bad = good.clone();
    let n = bad.len();
    bad[n - 20..].fill(0xff);
    let broken = ServiceModel::from_precompiled("sqs", bad).unwrap();
    let shape = broken.shape(last);
    assert_eq!(shape.shape_type, ShapeType::Unknown, "{shape:?}");
}

#[test]
fn a_renamed_service_is_found_under_its_old_name_as_botocore_finds_it() {
    let old = "runtime.sagemaker";
    match ServiceModel::load(old) {
        Ok(model) => assert_eq!(model.service_name(), "sagemaker-runtime"),
        Err(err) => assert_eq!(
            err,
            ModelError::NotCompiledIn {
                service: "sagemaker-runtime".into(),
                feature: "sagemaker-runtime".into()
            },
            "the error names the service as it is called now"
        ),
    }
    let path = super::DataPath::default();
    let again = ServiceModel::load_with(old, &path).map(|m| m.service_name().to_string());
    let direct = ServiceModel::load("sagemaker-runtime").map(|m| m.service_name().to_string());
    assert_eq!(again, direct);
    assert_eq!(super::canonical_service_name("sagemaker"), "sagemaker");
}
