//! The input as `transform_input` sees it. Later hooks (`after_parse`, `redirect`) need the
//! input as the caller gave it; copying it for every call cost an allocation per member. Here
//! the copy is made on the first write only, so an input no customization changes (most S3
//! PutObject calls, for one) is kept once.

use crate::document::Document;
use std::ops::{Deref, DerefMut};

/// A call's input under the input customizations: reads go straight to it; the first mutable
/// access keeps a copy of what it was before.
pub(crate) struct InputEdit<'a> {
    input: &'a mut Document,
    given: Option<Document>,
}

impl<'a> InputEdit<'a> {
    /// Edits `input`, which is the caller's until something writes to it.
    pub(crate) fn new(input: &'a mut Document) -> Self {
        InputEdit { input, given: None }
    }

    /// Sets `member`, which the caller left unset, to `value` without keeping a copy of the
    /// given input. Only for a default the same hook would set again on the given input, so
    /// that a resend from it (a redirect) builds the same request, and a later hook that reads
    /// it sees a member that changes nothing for it.
    pub(crate) fn set_default(&mut self, member: &str, value: Document) {
        if self.input[member].is_null() {
            let _ = self.input.insert(member, value);
        }
    }

    /// The input as it was before the first write, `None` if nothing wrote to it.
    pub(crate) fn into_given(self) -> Option<Document> {
        self.given
    }
}

impl Deref for InputEdit<'_> {
    type Target = Document;

    fn deref(&self) -> &Document {
        self.input
    }
}

impl DerefMut for InputEdit<'_> {
    fn deref_mut(&mut self) -> &mut Document {
        if self.given.is_none() {
            self.given = Some(self.input.clone());
        }
        self.input
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn the_given_input_is_copied_on_the_first_write_only() {
        let mut input = doc! {"Bucket": "b"};
        let edit = InputEdit::new(&mut input);
        assert_eq!(edit["Bucket"].as_str(), Some("b"));
        assert!(edit.into_given().is_none(), "reads copy nothing");

        let mut edit = InputEdit::new(&mut input);
        let _ = edit.insert("ChecksumMode", "ENABLED");
        let _ = edit.insert("Key", "k");
        assert_eq!(edit.into_given(), Some(doc! {"Bucket": "b"}));
        assert_eq!(
            input,
            doc! {"Bucket": "b", "ChecksumMode": "ENABLED", "Key": "k"}
        );
    }

    #[test]
    fn a_default_is_set_in_place_and_never_over_a_given_value() {
        let mut input = doc! {"Bucket": "b", "Mode": "caller"};
        let mut edit = InputEdit::new(&mut input);
        edit.set_default("ChecksumMode", "ENABLED".into());
        edit.set_default("Mode", "default".into());
        assert!(edit.into_given().is_none(), "a default copies nothing");
        assert_eq!(
            input,
            doc! {"Bucket": "b", "Mode": "caller", "ChecksumMode": "ENABLED"}
        );
    }
}
