//! The services botocore can call with no region: those whose `endpoints.json` entry in the `aws`
//! partition has a `partitionEndpoint` (`aws-global`). botocore's `ClientEndpointBridge` falls
//! back to that endpoint when no region is configured; every other service raises
//! `NoRegionError` when the client is made, a custom `endpoint_url` or not. S3 is one of them:
//! botocore names its region `us-east-1` and sends it to the global `s3.amazonaws.com`, which
//! here is the rules' `aws-global` (signed for us-east-1).
//!
//! The list is botocore 1.44.8's (keyed by service name, not endpoint prefix: `tax` is
//! `taxsettings`, `notifications-contacts` is `notificationscontacts`).

const GLOBAL: &[&str] = &[
    "account",
    "billingconductor",
    "budgets",
    "ce",
    "chime",
    "cloudfront",
    "codecatalyst",
    "health",
    "iam",
    "importexport",
    "networkmanager",
    "notificationscontacts",
    "organizations",
    "route53",
    "s3",
    "savingsplans",
    "shield",
    "sts",
    "support",
    "taxsettings",
    "waf",
];

/// The region a client of `service` uses when none is configured, as botocore picks it; `None`
/// when the service needs one. With a custom endpoint the global services sign for
/// `us-east-1`, the global endpoint's credential scope (S3 included).
pub(crate) fn region_when_unset(service: &str, custom_endpoint: bool) -> Option<&'static str> {
    GLOBAL.contains(&service).then_some(if custom_endpoint {
        "us-east-1"
    } else {
        "aws-global"
    })
}
