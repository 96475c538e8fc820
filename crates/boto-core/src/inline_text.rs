//! [`InlineText`]: a short string kept in place, for the per-request values whose length has a
//! usual bound (a date, a checksum, an `Authorization` value), so that making one costs no
//! allocation; a longer one moves to the heap whole, so nothing is ever cut.

use std::fmt;

/// Text of up to `N` bytes kept inline, longer text on the heap.
#[derive(Clone)]
pub(crate) enum InlineText<const N: usize> {
    Inline([u8; N], usize),
    Heap(String),
}

impl<const N: usize> InlineText<N> {
    /// No text.
    pub(crate) fn new() -> Self {
        InlineText::Inline([0; N], 0)
    }

    /// A copy of `text`.
    pub(crate) fn of(text: &str) -> Self {
        let mut out = Self::new();
        out.push_str(text);
        out
    }

    /// Appends `s`, moving to the heap if the inline room runs out.
    pub(crate) fn push_str(&mut self, s: &str) {
        match self {
            InlineText::Inline(bytes, len) if *len + s.len() <= N => {
                bytes[*len..*len + s.len()].copy_from_slice(s.as_bytes());
                *len += s.len();
            }
            InlineText::Inline(..) => {
                let mut text = String::with_capacity(2 * N + s.len());
                text.push_str(self.as_str());
                text.push_str(s);
                *self = InlineText::Heap(text);
            }
            InlineText::Heap(text) => text.push_str(s),
        }
    }

    /// Appends one character.
    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Only whole `&str`s are ever written, so the bytes are UTF-8.
            InlineText::Inline(bytes, len) => {
                std::str::from_utf8(&bytes[..*len]).unwrap_or_default()
            }
            InlineText::Heap(text) => text,
        }
    }

    /// Whether the text outgrew the inline room.
    #[cfg(test)]
    pub(crate) fn is_on_heap(&self) -> bool {
        matches!(self, InlineText::Heap(_))
    }
}

impl<const N: usize> PartialEq for InlineText<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<const N: usize> Eq for InlineText<N> {}

impl<const N: usize> fmt::Debug for InlineText<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::InlineText;

    #[test]
    fn text_moves_to_the_heap_whole_when_it_outgrows_the_inline_room() {
        for pieces in [0, 1, 3, 4, 5, 40] {
            let mut text = InlineText::<16>::new();
            let mut expected = String::new();
            for i in 0..pieces {
                let piece = format!("{i:04}");
                text.push_str(&piece);
                expected.push_str(&piece);
            }
            text.push('é');
            expected.push('é');
            assert_eq!(text.as_str(), expected, "{pieces} pieces");
            assert_eq!(text.is_on_heap(), expected.len() > 16, "{pieces} pieces");
            assert_eq!(text, InlineText::of(&expected));
        }
    }
}
