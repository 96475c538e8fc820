//! Glacier's customizations.

mod account_id;
mod checksums;
mod version_header;

pub(super) use account_id::AccountId;
pub(super) use checksums::Checksums;
pub(super) use version_header::VersionHeader;
