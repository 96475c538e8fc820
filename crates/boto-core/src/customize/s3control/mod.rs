//! S3 Control's customizations (it also signs as S3 does: `s3::S3Signing`).

mod account_host;

pub(super) use account_host::AccountHost;
