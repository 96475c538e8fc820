//! CloudSearch Domain's customizations.

mod return_fields_alias;
mod search_as_post;

pub(super) use return_fields_alias::RETURN_FIELDS_ALIAS;
pub(super) use search_as_post::SearchAsPost;
