//! S3 refuses nothing about a bucket name before it is put into the URL, so a name holding `/`,
//! `?` or `#`, or an empty one, would address another resource than the caller meant. botocore's
//! `validate_bucket_name` (`before-parameter-build.s3`) refuses, before anything is sent, a
//! `Bucket` that is neither a plain name (`^[a-zA-Z0-9.\-_]{1,255}$`) nor an access-point or
//! Outposts access-point ARN; the same patterns are used here.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::endpoint::regex::Regex;
use crate::model::Operation;
use crate::protocol::{ValidationError, ValidationProblem};
use std::sync::OnceLock;

pub(crate) struct BucketName;

const PLAIN: &str = r"^[a-zA-Z0-9.\-_]{1,255}$";
const ACCESS_POINT_ARN: &str = r"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$";
const OUTPOST_ARN: &str = r"^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$";

fn patterns() -> &'static [Regex] {
    static P: OnceLock<Vec<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        [PLAIN, ACCESS_POINT_ARN, OUTPOST_ARN]
            .iter()
            .filter_map(|p| Regex::new(p).ok())
            .collect()
    })
}

/// True when botocore would send `bucket`.
pub(crate) fn is_valid(bucket: &str) -> bool {
    is_plain(bucket) || patterns().iter().any(|r| r.is_match(bucket))
}

/// [`PLAIN`] by hand: every call to a bucket checks its name, and the regex engine's run costs
/// more than the rest of the customizations together.
fn is_plain(bucket: &str) -> bool {
    (1..=255).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

impl Customization for BucketName {
    fn name(&self) -> &'static str {
        "s3.bucket_name"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        // Another type is left to validation, which names it.
        let Some(bucket) = input["Bucket"].as_str() else {
            return Ok(());
        };
        if is_valid(bucket) {
            return Ok(());
        }
        Err(ConstructionError::Validation(ValidationError {
            operation: op.name.clone(),
            problems: vec![ValidationProblem::InvalidValue {
                path: "Bucket".into(),
                detail: format!(
                    "invalid bucket name {bucket:?}: a bucket name must match the regex \
                     \"{PLAIN}\" or be an access-point or Outposts access-point ARN"
                ),
            }],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::{is_plain, is_valid, patterns};

    #[test]
    fn the_hand_written_check_is_the_plain_pattern() {
        let long = "a".repeat(255);
        let too_long = "a".repeat(256);
        for name in [
            "",
            "a",
            "my.bucket-name_1",
            "UPPER",
            "bad/name",
            "sp ace",
            "é",
            "a?b",
            "a#b",
            "a:b",
            long.as_str(),
            too_long.as_str(),
        ] {
            assert_eq!(is_plain(name), patterns()[0].is_match(name), "{name:?}");
        }
    }

    #[test]
    fn names_and_arns_botocore_accepts() {
        for ok in [
            "bucket",
            "my.bucket-name_1",
            "UPPER",
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap",
            "arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap",
            "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/ol",
            "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "bad/name",
            "a?b",
            "a#b",
            "a b",
            "ü",
            "arn:aws:s3:us-west-2:123456789012:bucket/b",
            &"a".repeat(256),
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
