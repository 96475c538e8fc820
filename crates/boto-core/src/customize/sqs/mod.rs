//! SQS's customizations.

mod message_md5;

pub(super) use message_md5::MessageMd5;
