//! CloudWatch Logs' customizations.

mod from_time_alias;

pub(super) use from_time_alias::FROM_TIME_ALIAS;
