//! Unit tests of the engine on small inline rule sets.

use super::*;

const PARTITIONS: &str = r#"{"version": "1.1", "partitions": [
  {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {"aws-global": {}},
   "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
               "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
  {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
   "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn", "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
               "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "cn-northwest-1"}}
]}"#;

const RULES: &str = r#"{
  "version": "1.0",
  "parameters": {
    "Region": {"type": "String", "builtIn": "AWS::Region", "required": true},
    "UseFIPS": {"type": "Boolean", "default": false, "required": true},
    "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
    "Arn": {"type": "String"},
    "Tags": {"type": "stringArray"}
  },
  "rules": [
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                    {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}],
     "type": "tree",
     "rules": [
       {"conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, true]}],
        "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}ip", "properties": {}, "headers": {}},
        "type": "endpoint"},
       {"conditions": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "scheme"]}, "never"]}],
        "endpoint": {"url": "https://never"}, "type": "endpoint"}
     ]},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
     "error": "Invalid endpoint: {Endpoint}", "type": "error"},
    {"conditions": [{"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "arn"}],
     "endpoint": {"url": "https://{arn#accountId}.{arn#service}.{Region}.x",
                  "properties": {"resource": "{arn#region}", "first": [{"id": "{Region}", "n": 1}]},
                  "headers": {"x-first": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[0]"]}], "x-lit": ["a", "b"]}},
     "type": "endpoint"},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Tags"}]},
                    {"fn": "getAttr", "argv": [{"ref": "Tags"}, "[1]"], "assign": "second"}],
     "endpoint": {"url": "https://tags.{second}"}, "type": "endpoint"},
    {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
     "type": "tree",
     "rules": [
       {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                       {"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}]}]}],
        "error": "FIPS not supported", "type": "error"},
       {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "eu-west-1"]}],
        "error": "Region {Region} is in partition {p#name}", "type": "error"},
       {"conditions": [{"fn": "substring", "argv": [{"ref": "Region"}, 0, 2, false], "assign": "prefix"},
                       {"fn": "stringEquals", "argv": [{"ref": "prefix"}, "zz"]}],
        "endpoint": {"url": "https://zz"}, "type": "endpoint"},
       {"conditions": [{"fn": "substring", "argv": [{"ref": "Region"}, 0, 2, false], "assign": "prefix"}],
        "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}/{prefix}",
                     "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}},
        "type": "endpoint"}
     ]}
  ]
}"#;

fn setup() -> (RuleSet, Partitions) {
    (
        RuleSet::from_json_str(RULES).expect("rules compile"),
        Partitions::from_json_str(PARTITIONS).expect("partitions parse"),
    )
}

#[test]
fn regional_endpoint_with_properties() {
    let (rules, partitions) = setup();
    let ep = rules
        .resolve(&partitions, &Params::new().with("Region", "cn-north-1"))
        .expect("endpoint");
    assert_eq!(ep.url, "https://svc.cn-north-1.amazonaws.com.cn/cn");
    assert_eq!(
        serde_json::Value::Object(ep.properties.clone()),
        serde_json::json!({"authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "disableDoubleEncoding": true}]})
    );
    assert_eq!(ep.auth_schemes().len(), 1);
    assert!(ep.headers.is_empty());
}

#[test]
fn error_rules_and_templates() {
    let (rules, partitions) = setup();
    let err = rules
        .resolve(&partitions, &Params::new().with("Region", "eu-west-1"))
        .expect_err("error rule");
    assert_eq!(
        err,
        EndpointError::Rule("Region eu-west-1 is in partition aws".into())
    );
    assert_eq!(err.to_string(), "Region eu-west-1 is in partition aws");
}

#[test]
fn custom_endpoint_tree_falls_through() {
    let (rules, partitions) = setup();
    let ep = rules
        .resolve(
            &partitions,
            &Params::new()
                .with("Region", "us-east-1")
                .with("Endpoint", "http://10.0.0.1:8080/a/../b"),
        )
        .expect("endpoint");
    assert_eq!(ep.url, "http://10.0.0.1:8080/b/ip");
    // Not an IP: the tree is exhausted and evaluation continues with the next rule.
    let err = rules
        .resolve(
            &partitions,
            &Params::new()
                .with("Region", "us-east-1")
                .with("Endpoint", "https://example.com"),
        )
        .expect_err("error");
    assert_eq!(err.message(), "Invalid endpoint: https://example.com");
}

#[test]
fn arn_headers_and_nested_properties() {
    let (rules, partitions) = setup();
    let ep = rules
        .resolve(
            &partitions,
            &Params::new()
                .with("Region", "us-west-2")
                .with("Arn", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap"),
        )
        .expect("endpoint");
    assert_eq!(ep.url, "https://123456789012.s3.us-west-2.x");
    assert_eq!(ep.headers["x-first"], vec!["accesspoint".to_string()]);
    assert_eq!(ep.headers["x-lit"], vec!["a".to_string(), "b".to_string()]);
    assert_eq!(
        serde_json::Value::Object(ep.properties),
        serde_json::json!({"resource": "us-east-1", "first": [{"id": "us-west-2", "n": 1}]})
    );
}

#[test]
fn string_arrays_and_assignments_are_scoped() {
    let (rules, partitions) = setup();
    let params = Params::new()
        .with("Region", "us-west-2")
        .with("Tags", vec!["a".to_string(), "b".to_string()]);
    assert_eq!(
        rules.resolve(&partitions, &params).expect("endpoint").url,
        "https://tags.b"
    );
    // `prefix` is assigned by two sibling rules: the first one's assignment must not leak.
    let ep = rules
        .resolve(&partitions, &Params::new().with("Region", "us-west-2"))
        .expect("endpoint");
    assert_eq!(ep.url, "https://svc.us-west-2.amazonaws.com/us");
}

#[test]
fn parameter_errors() {
    let (rules, partitions) = setup();
    let err = rules
        .resolve(&partitions, &Params::new())
        .expect_err("missing required");
    assert_eq!(
        err,
        EndpointError::InvalidParameter("Cannot find value for required parameter Region".into())
    );
    let err = rules
        .resolve(&partitions, &Params::new().with("Region", true))
        .expect_err("wrong type");
    assert_eq!(
        err.message(),
        "Value (Region) is the wrong type. Must be <class 'str'>."
    );
    let fips = rules
        .resolve(
            &partitions,
            &Params::new()
                .with("Region", "us-east-1")
                .with("UseFIPS", true),
        )
        .expect("fips supported");
    assert_eq!(fips.url, "https://svc.us-east-1.amazonaws.com/us");
}

#[test]
fn no_match_message() {
    let rules = RuleSet::from_json_str(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string"}, "B": {"type": "boolean"}},
            "rules": [{"conditions": [{"fn": "isSet", "argv": [{"ref": "A"}]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]}"#,
    )
    .expect("compiles");
    let (_, partitions) = setup();
    let err = rules
        .resolve(&partitions, &Params::new().with("B", true))
        .expect_err("no match");
    assert_eq!(
        err,
        EndpointError::NoMatch("No endpoint found for parameters:\nB: True".into())
    );
}

#[test]
fn type_errors_in_functions() {
    let rules = RuleSet::from_json_str(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string"}},
            "rules": [{"conditions": [{"fn": "stringEquals", "argv": [{"ref": "A"}, "x"]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]}"#,
    )
    .expect("compiles");
    let (_, partitions) = setup();
    let err = rules
        .resolve(&partitions, &Params::new())
        .expect_err("type error");
    assert_eq!(
        err.message(),
        "Both values must be strings, not <class 'NoneType'> and <class 'str'>."
    );
}

#[test]
fn smithy_extras() {
    let rules = RuleSet::from_json_str(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string"}, "B": {"type": "string", "default": "d"}},
            "rules": [{"conditions": [
                {"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}], "assign": "c"},
                {"fn": "split", "argv": ["x.y.z", ".", 0], "assign": "parts"},
                {"fn": "ite", "argv": [{"fn": "isSet", "argv": [{"ref": "A"}]}, "set", "unset"], "assign": "i"}],
              "endpoint": {"url": "https://{c}.{i}", "headers": {"p": [{"fn": "getAttr", "argv": [{"ref": "parts"}, "[2]"]}]}},
              "type": "endpoint"}]}"#,
    )
    .expect("compiles");
    let (_, partitions) = setup();
    let ep = rules
        .resolve(&partitions, &Params::new())
        .expect("endpoint");
    assert_eq!(ep.url, "https://d.unset");
    assert_eq!(ep.headers["p"], vec!["z".to_string()]);
    let ep = rules
        .resolve(&partitions, &Params::new().with("A", "a"))
        .expect("endpoint");
    assert_eq!(ep.url, "https://a.set");
}

#[test]
fn reassignment_is_an_error() {
    let rules = RuleSet::from_json_str(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string", "default": "x"}},
            "rules": [{"conditions": [{"fn": "substring", "argv": [{"ref": "A"}, 0, 1, false], "assign": "A"}],
              "endpoint": {"url": "https://a"}, "type": "endpoint"}]}"#,
    )
    .expect("compiles");
    let (_, partitions) = setup();
    let err = rules
        .resolve(&partitions, &Params::new())
        .expect_err("error");
    assert!(err.message().starts_with("Assignment A already exists"));
}

#[test]
fn malformed_rule_sets_are_typed_errors() {
    let cases = [
        "",
        "[]",
        r#"{"version": "1.0"}"#,
        r#"{"rules": [{"type": "bogus", "conditions": []}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": []}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "x"}}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": []}], "endpoint": {"url": "x"}}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": ["isSet"], "endpoint": {"url": "x"}}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "{Region}{x"}}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "{Region}}"}}]}"#,
        r#"{"parameters": {"A": {"type": "number"}}, "rules": []}"#,
        r#"{"parameters": {"A": {}}, "rules": []}"#,
        r#"{"rules": [{"type": "tree", "conditions": [], "rules": {}}]}"#,
        r#"{"rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "x", "headers": {"a": "b"}}}]}"#,
    ];
    for case in cases {
        match RuleSet::from_json_str(case) {
            Err(EndpointError::InvalidRuleSet(_)) => {}
            other => panic!("{case:?} gave {other:?}"),
        }
    }
    // Deep nesting is rejected instead of overflowing the stack.
    let mut deep =
        serde_json::json!({"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}});
    for _ in 0..150 {
        deep = serde_json::json!({"type": "tree", "conditions": [], "rules": [deep]});
    }
    let doc = serde_json::json!({"version": "1.0", "parameters": {}, "rules": [deep]});
    assert!(matches!(
        RuleSet::from_json(&doc),
        Err(EndpointError::InvalidRuleSet(_))
    ));
}

#[test]
fn parameter_metadata() {
    let (rules, _) = setup();
    assert_eq!(rules.version(), "1.0");
    assert_eq!(rules.parameters().len(), 5);
    let region = rules.parameter_for_builtin("AWS::Region").expect("region");
    assert_eq!(region.name(), "Region");
    assert!(region.required());
    assert_eq!(region.parameter_type(), ParameterType::String);
    assert_eq!(
        rules.parameter("UseFIPS").and_then(|p| p.default_value()),
        Some(&serde_json::Value::Bool(false))
    );
    assert_eq!(
        rules.parameter("Tags").map(|p| p.parameter_type()),
        Some(ParameterType::StringArray)
    );
}
