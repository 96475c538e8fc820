//! Route 53's customizations.

mod resource_ids;

pub(super) use resource_ids::ResourceIds;
