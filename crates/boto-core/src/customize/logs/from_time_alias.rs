//! CreateExportTask's `from` is a Python keyword, so boto3 takes it as `fromTime` (botocore's
//! alias `logs.CreateExportTask.from`); the wire name stays `from`.

use super::super::parameter_alias::ParameterAlias;

pub(crate) static FROM_TIME_ALIAS: ParameterAlias = ParameterAlias {
    name: "logs.from_time_alias",
    operation: Some("CreateExportTask"),
    original: "from",
    alias: "fromTime",
};
