//! IAM's customizations.

mod policy_documents;

pub(super) use policy_documents::PolicyDocuments;
