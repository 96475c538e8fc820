//! EC2's customizations (and Auto Scaling's, which shares the user-data rule).

mod console_output;
mod filters_alias;
mod presigned_copy;
mod user_data;

pub(super) use console_output::ConsoleOutput;
pub(super) use filters_alias::FILTERS_ALIAS;
pub(super) use presigned_copy::PresignedCopy;
pub(super) use user_data::UserData;
