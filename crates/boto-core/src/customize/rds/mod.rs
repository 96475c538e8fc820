//! RDS's customizations (shared by Neptune and DocumentDB, which speak RDS's API).

mod presigned_url;

pub(super) use presigned_url::{CLUSTERS, RDS};
