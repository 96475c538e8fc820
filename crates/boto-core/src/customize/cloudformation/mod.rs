//! CloudFormation's customizations.

mod template_body;

pub(super) use template_body::TemplateBody;
