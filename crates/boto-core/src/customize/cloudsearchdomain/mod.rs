//! CloudSearch Domain's customizations.

mod search_as_post;

pub(super) use search_as_post::SearchAsPost;
