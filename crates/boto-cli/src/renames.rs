//! aws-cli's argument renames (`customizations/argrename.py`), as data: flags that would
//! clash with a global option (`--version`, `--query`, `--output`, `--region`) or read badly
//! (`--no-no-reboot`) get aws-cli's name, and the hidden aliases aws-cli keeps for older
//! spellings are accepted (not listed in help or completion).
//!
//! Keyed by botocore's service name (aws-cli's `deploy` is `codedeploy` here); an operation of
//! `*` means every operation of the service. A rename of a `no-` flag names the negation of a
//! boolean: `--reboot` is `--no-no-reboot`, that is `NoReboot=false`.

/// (service, operation flag name or `*`, aws-cli's generated flag, the flag it becomes).
type Rename = (&'static str, &'static str, &'static str, &'static str);

/// The flag `flag` (as the model names it) of `operation` shows as.
pub fn shown(service: &str, operation: &str, flag: &str) -> Option<&'static str> {
    find(RENAMES, service, operation, |r| r.2 == flag).map(|r| r.3)
}

/// The generated flag a renamed negation or a hidden alias stands for.
pub fn original(service: &str, operation: &str, given: &str) -> Option<&'static str> {
    find(RENAMES, service, operation, |r| {
        r.3 == given && r.2.starts_with("no-")
    })
    .or_else(|| find(HIDDEN_ALIASES, service, operation, |r| r.3 == given))
    .map(|r| r.2)
}

fn find(
    table: &'static [Rename],
    service: &str,
    operation: &str,
    pick: impl Fn(&Rename) -> bool,
) -> Option<&'static Rename> {
    table
        .iter()
        .find(|r| r.0 == service && (r.1 == "*" || r.1 == operation) && pick(r))
}

const RENAMES: &[Rename] = &[
    ("ec2", "create-image", "no-no-reboot", "reboot"),
    ("ec2", "*", "no-egress", "ingress"),
    (
        "ec2",
        "*",
        "no-disable-api-termination",
        "enable-api-termination",
    ),
    (
        "swf",
        "register-activity-type",
        "version",
        "activity-version",
    ),
    (
        "swf",
        "register-workflow-type",
        "version",
        "workflow-version",
    ),
    ("datapipeline", "*", "query", "objects-query"),
    (
        "datapipeline",
        "get-pipeline-definition",
        "version",
        "pipeline-version",
    ),
    ("emr", "*", "job-flow-ids", "cluster-ids"),
    ("emr", "*", "job-flow-id", "cluster-id"),
    ("cloudsearchdomain", "search", "query", "search-query"),
    ("cloudsearchdomain", "suggest", "query", "suggest-query"),
    ("sns", "subscribe", "endpoint", "notification-endpoint"),
    ("codedeploy", "*", "s-3-location", "s3-location"),
    ("codedeploy", "*", "ec-2-tag-filters", "ec2-tag-filters"),
    (
        "codepipeline",
        "get-pipeline",
        "version",
        "pipeline-version",
    ),
    (
        "codepipeline",
        "create-custom-action-type",
        "version",
        "action-version",
    ),
    (
        "codepipeline",
        "delete-custom-action-type",
        "version",
        "action-version",
    ),
    (
        "kinesisanalytics",
        "add-application-output",
        "output",
        "application-output",
    ),
    (
        "kinesisanalyticsv2",
        "add-application-output",
        "output",
        "application-output",
    ),
    (
        "route53",
        "delete-traffic-policy",
        "version",
        "traffic-policy-version",
    ),
    (
        "route53",
        "get-traffic-policy",
        "version",
        "traffic-policy-version",
    ),
    (
        "route53",
        "update-traffic-policy-comment",
        "version",
        "traffic-policy-version",
    ),
    ("gamelift", "create-build", "version", "build-version"),
    ("gamelift", "update-build", "version", "build-version"),
    ("gamelift", "create-script", "version", "script-version"),
    ("gamelift", "update-script", "version", "script-version"),
    ("route53domains", "view-billing", "start", "start-time"),
    ("route53domains", "view-billing", "end", "end-time"),
    ("apigateway", "create-rest-api", "version", "api-version"),
    ("apigatewayv2", "create-api", "version", "api-version"),
    ("apigatewayv2", "update-api", "version", "api-version"),
    (
        "pinpoint",
        "get-campaign-version",
        "version",
        "campaign-version",
    ),
    (
        "pinpoint",
        "get-segment-version",
        "version",
        "segment-version",
    ),
    (
        "pinpoint",
        "delete-email-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "delete-in-app-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "delete-push-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "delete-sms-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "delete-voice-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "get-email-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "get-in-app-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "get-push-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "get-sms-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "get-voice-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "update-email-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "update-in-app-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "update-push-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "update-sms-template",
        "version",
        "template-version",
    ),
    (
        "pinpoint",
        "update-voice-template",
        "version",
        "template-version",
    ),
    (
        "stepfunctions",
        "send-task-success",
        "output",
        "task-output",
    ),
    (
        "clouddirectory",
        "publish-schema",
        "version",
        "schema-version",
    ),
    ("mturk", "list-qualification-types", "query", "types-query"),
    (
        "workdocs",
        "create-notification-subscription",
        "endpoint",
        "notification-endpoint",
    ),
    ("workdocs", "describe-users", "query", "user-query"),
    ("lex-models", "delete-bot", "version", "bot-version"),
    ("lex-models", "delete-intent", "version", "intent-version"),
    (
        "lex-models",
        "delete-slot-type",
        "version",
        "slot-type-version",
    ),
    ("lex-models", "get-intent", "version", "intent-version"),
    (
        "lex-models",
        "get-slot-type",
        "version",
        "slot-type-version",
    ),
    ("lex-models", "delete-bot-version", "version", "bot-version"),
    (
        "lex-models",
        "delete-intent-version",
        "version",
        "intent-version",
    ),
    (
        "lex-models",
        "delete-slot-type-version",
        "version",
        "slot-type-version",
    ),
    ("lex-models", "get-export", "version", "resource-version"),
    ("license-manager", "get-grant", "version", "grant-version"),
    (
        "license-manager",
        "delete-grant",
        "version",
        "grant-version",
    ),
    (
        "license-manager",
        "get-license",
        "version",
        "license-version",
    ),
    (
        "rekognition",
        "create-stream-processor",
        "output",
        "stream-processor-output",
    ),
    ("eks", "create-cluster", "version", "kubernetes-version"),
    (
        "eks",
        "update-cluster-version",
        "version",
        "kubernetes-version",
    ),
    ("eks", "create-nodegroup", "version", "kubernetes-version"),
    (
        "eks",
        "update-nodegroup-version",
        "version",
        "kubernetes-version",
    ),
    (
        "eks",
        "update-cluster-components-version",
        "version",
        "kubernetes-version",
    ),
    ("schemas", "*", "version", "schema-version"),
    (
        "sagemaker",
        "delete-image-version",
        "version",
        "version-number",
    ),
    (
        "sagemaker",
        "describe-image-version",
        "version",
        "version-number",
    ),
    ("sagemaker", "list-aliases", "version", "version-number"),
    (
        "sagemaker",
        "update-image-version",
        "version",
        "version-number",
    ),
    ("iotwireless", "*", "lo-ra-wan", "lorawan"),
    (
        "codepipeline",
        "get-action-type",
        "version",
        "action-version",
    ),
    (
        "ecs",
        "*",
        "no-enable-execute-command",
        "disable-execute-command",
    ),
    (
        "ecs",
        "execute-command",
        "no-interactive",
        "non-interactive",
    ),
    (
        "controltower",
        "create-landing-zone",
        "version",
        "landing-zone-version",
    ),
    (
        "controltower",
        "update-landing-zone",
        "version",
        "landing-zone-version",
    ),
    (
        "glue",
        "get-unfiltered-partition-metadata",
        "region",
        "resource-region",
    ),
    (
        "glue",
        "get-unfiltered-partitions-metadata",
        "region",
        "resource-region",
    ),
    (
        "glue",
        "get-unfiltered-table-metadata",
        "region",
        "resource-region",
    ),
];
const HIDDEN_ALIASES: &[Rename] = &[
    (
        "cognito-identity",
        "create-identity-pool",
        "open-id-connect-provider-arns",
        "open-id-connect-provider-ar-ns",
    ),
    (
        "storagegateway",
        "describe-tapes",
        "tape-arns",
        "tape-ar-ns",
    ),
    (
        "storagegateway",
        "describe-tape-archives",
        "tape-arns",
        "tape-ar-ns",
    ),
    (
        "storagegateway",
        "describe-vtl-devices",
        "vtl-device-arns",
        "vtl-device-ar-ns",
    ),
    (
        "storagegateway",
        "describe-cached-iscsi-volumes",
        "volume-arns",
        "volume-ar-ns",
    ),
    (
        "storagegateway",
        "describe-stored-iscsi-volumes",
        "volume-arns",
        "volume-ar-ns",
    ),
    ("route53domains", "view-billing", "start-time", "start"),
    (
        "codedeploy",
        "create-deployment-group",
        "ec2-tag-set",
        "ec-2-tag-set",
    ),
    (
        "codedeploy",
        "list-application-revisions",
        "s3-bucket",
        "s-3-bucket",
    ),
    (
        "codedeploy",
        "list-application-revisions",
        "s3-key-prefix",
        "s-3-key-prefix",
    ),
    (
        "codedeploy",
        "update-deployment-group",
        "ec2-tag-set",
        "ec-2-tag-set",
    ),
    (
        "iam",
        "enable-mfa-device",
        "authentication-code1",
        "authentication-code-1",
    ),
    (
        "iam",
        "enable-mfa-device",
        "authentication-code2",
        "authentication-code-2",
    ),
    (
        "iam",
        "resync-mfa-device",
        "authentication-code1",
        "authentication-code-1",
    ),
    (
        "iam",
        "resync-mfa-device",
        "authentication-code2",
        "authentication-code-2",
    ),
    ("importexport", "get-shipping-label", "street1", "street-1"),
    ("importexport", "get-shipping-label", "street2", "street-2"),
    ("importexport", "get-shipping-label", "street3", "street-3"),
    ("lambda", "publish-version", "code-sha256", "code-sha-256"),
    (
        "lightsail",
        "import-key-pair",
        "public-key-base64",
        "public-key-base-64",
    ),
    (
        "mgn",
        "*",
        "replication-servers-security-groups-ids",
        "replication-servers-security-groups-i-ds",
    ),
    ("mgn", "*", "source-server-ids", "source-server-i-ds"),
    (
        "mgn",
        "*",
        "replication-configuration-template-ids",
        "replication-configuration-template-i-ds",
    ),
    (
        "elasticache",
        "create-replication-group",
        "preferred-cache-cluster-azs",
        "preferred-cache-cluster-a-zs",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_and_aliases() {
        assert_eq!(
            shown("eks", "create-cluster", "version"),
            Some("kubernetes-version")
        );
        assert_eq!(
            shown("schemas", "describe-schema", "version"),
            Some("schema-version")
        );
        assert_eq!(shown("eks", "list-clusters", "version"), None);
        assert_eq!(
            original("ec2", "create-image", "reboot"),
            Some("no-no-reboot")
        );
        assert_eq!(original("ec2", "create-image", "no-reboot"), None);
        assert_eq!(
            original("iam", "enable-mfa-device", "authentication-code-1"),
            Some("authentication-code1")
        );
    }
}
