//! Search's `return` is a Python keyword, so boto3 takes it as `returnFields` (botocore's alias
//! `cloudsearchdomain.Search.return`); the wire name stays `return`.

use super::super::parameter_alias::ParameterAlias;

pub(crate) static RETURN_FIELDS_ALIAS: ParameterAlias = ParameterAlias {
    name: "cloudsearchdomain.return_fields_alias",
    operation: Some("Search"),
    original: "return",
    alias: "returnFields",
};
