//! A request's headers: names in order, every value side by side in one buffer, each marked
//! secret or not. One buffer instead of a `String` per value because a small request carries
//! about a dozen headers and each would otherwise be an allocation, twice (serialized, then
//! copied for every signed attempt); handed to the transport, the buffer becomes one shared
//! `Bytes` that every header value slices.

use crate::document::Name;
use bytes::Bytes;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Headers in the order they were added; names compare ASCII case-insensitively, as HTTP's do.
/// A value is kept as given (no trimming or folding); a name is most often a `&'static str`,
/// which costs nothing to store. Values marked sensitive (a signature, a session token, a model
/// member marked `sensitive`) are hidden by `Debug`.
///
/// ```
/// use boto_core::http::Headers;
///
/// let mut headers = Headers::new();
/// headers.push("Content-Type", "text/plain");
/// headers.push_sensitive("X-Amz-Security-Token", "secret-token");
/// assert_eq!(headers.get("content-type"), Some("text/plain"));
/// assert!(!format!("{headers:?}").contains("secret-token"));
/// ```
#[derive(Clone, Default)]
pub struct Headers {
    values: String,
    entries: Vec<Entry>,
}

#[derive(Clone)]
struct Entry {
    /// Inline up to 23 bytes, shared beyond: a copy of the list never allocates for names.
    name: Name,
    value: Range<usize>,
    sensitive: bool,
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// No headers, with room for `headers` of them whose values add up to `value_bytes`.
    pub fn with_capacity(headers: usize, value_bytes: usize) -> Self {
        Self {
            values: String::with_capacity(value_bytes),
            entries: Vec::with_capacity(headers),
        }
    }

    /// Appends a header (a second one of a name already present is a second header).
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, value: &str) {
        self.push_marked(name.into(), value, false);
    }

    /// Appends a header whose value is a secret: `Debug` shows it redacted.
    pub fn push_sensitive(&mut self, name: impl Into<Cow<'static, str>>, value: &str) {
        self.push_marked(name.into(), value, true);
    }

    /// Appends a header whose name is borrowed (a model's member name, say): copied inline
    /// when short, and a well-known long one is not copied at all.
    pub fn push_copied(&mut self, name: &str, value: &str) {
        self.push_name(header_name_of(name), value);
    }

    /// Appends a header named by a [`Name`].
    pub fn push_name(&mut self, name: Name, value: &str) {
        self.push_entry(name, false, |out| out.push_str(value));
    }

    /// Appends a header whose value `write` writes straight into the buffer (a number, a
    /// formatted date), so it needs no string of its own.
    pub fn push_with(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        write: impl FnOnce(&mut String),
    ) {
        self.push_entry(header_name(name.into()), false, write);
    }

    fn push_marked(&mut self, name: Cow<'static, str>, value: &str, sensitive: bool) {
        self.push_entry(header_name(name), sensitive, |out| out.push_str(value));
    }

    /// The one way in: `write` appends the value to the buffer, the entry records where it is.
    fn push_entry(&mut self, name: Name, sensitive: bool, write: impl FnOnce(&mut String)) {
        let start = self.values.len();
        write(&mut self.values);
        self.entries.push(Entry {
            name,
            value: start..self.values.len(),
            sensitive,
        });
    }

    /// Removes every header of this name, then appends it with `value`, a secret if one of
    /// those it replaces was.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: &str) {
        let name = name.into();
        let secret = self.is_sensitive(&name);
        self.remove(&name);
        self.push_marked(name, value, secret);
    }

    /// The first header of this name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .map(|e| &self.values[e.value.clone()])
    }

    /// Whether a header of this name is present.
    pub fn contains(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Removes every header of this name; says how many there were.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.entries.len();
        self.entries.retain(|e| !e.name.eq_ignore_ascii_case(name));
        before - self.entries.len()
    }

    /// Keeps only the headers for which `keep(name, value)` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        let values = &self.values;
        self.entries
            .retain(|e| keep(&e.name, &values[e.value.clone()]));
    }

    /// Marks every header of this name as a secret.
    pub fn mark_sensitive(&mut self, name: &str) {
        for e in &mut self.entries {
            if e.name.eq_ignore_ascii_case(name) {
                e.sensitive = true;
            }
        }
    }

    /// Whether a header of this name holds a secret.
    pub fn is_sensitive(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.sensitive && e.name.eq_ignore_ascii_case(name))
    }

    /// How many headers there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The length of every value together (what a copy of the list needs for them).
    pub fn value_len(&self) -> usize {
        self.entries.iter().map(|e| e.value.len()).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `(name, value)` of each header, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            values: &self.values,
            entries: self.entries.iter(),
        }
    }

    /// Appends every header of `other`, with its marks.
    pub fn extend_from(&mut self, other: &Headers) {
        let offset = self.values.len();
        self.values.push_str(&other.values);
        self.entries.extend(other.entries.iter().map(|e| Entry {
            name: e.name.clone(),
            value: e.value.start + offset..e.value.end + offset,
            sensitive: e.sensitive,
        }));
    }

    /// The headers as `(name, value)` strings and the names of the secret ones, for types that
    /// keep them apart.
    pub fn to_pairs(&self) -> (Vec<(String, String)>, Vec<String>) {
        let pairs = self
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let sensitive = self
            .entries
            .iter()
            .filter(|e| e.sensitive)
            .map(|e| e.name.as_str().to_string())
            .collect();
        (pairs, sensitive)
    }

    /// The headers for the transport: each value a slice of one shared buffer.
    pub(crate) fn into_shared(self) -> impl Iterator<Item = (Name, Bytes)> {
        let values = Bytes::from(self.values);
        self.entries
            .into_iter()
            .map(move |e| (e.name, values.slice(e.value)))
    }
}

/// Header names longer than a [`Name`] holds inline that requests and responses often carry
/// (every S3 response names its encryption; S3's checksummed requests the algorithm).
const LONG_NAMES: [&str; 9] = [
    "x-amz-sdk-checksum-algorithm",
    "x-amz-server-side-encryption",
    "x-amz-decoded-content-length",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-bucket-key-enabled",
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-server-side-encryption-customer-key-MD5",
    "x-amz-server-side-encryption-customer-key-md5",
    "x-amz-server-side-encryption-context",
];

/// `name` as a [`Name`]: a well-known long one as a static reference (spelled exactly as
/// given), any other copied (inline when short).
pub(crate) fn header_name_of(name: &str) -> Name {
    match LONG_NAMES.iter().find(|known| **known == name) {
        Some(known) => Name::new_static(known),
        None => Name::from(name),
    }
}

/// A name known when compiling stays a reference, however long.
fn header_name(name: Cow<'static, str>) -> Name {
    match name {
        Cow::Borrowed(text) => Name::new_static(text),
        Cow::Owned(text) => Name::from(text),
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| {
                let value = if e.sensitive {
                    "** redacted **"
                } else {
                    &self.values[e.value.clone()]
                };
                (e.name.as_str(), value)
            }))
            .finish()
    }
}

/// Equal when the same headers, marks included, are in the same order.
impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.entries.iter().zip(&other.entries).all(|(a, b)| {
                a.name == b.name
                    && a.sensitive == b.sensitive
                    && self.values[a.value.clone()] == other.values[b.value.clone()]
            })
    }
}

impl Eq for Headers {}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The `(name, value)` pairs of [`Headers`], in order.
#[derive(Clone)]
pub struct Iter<'a> {
    values: &'a str,
    entries: std::slice::Iter<'a, Entry>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let e = self.entries.next()?;
        Some((e.name.as_str(), &self.values[e.value.clone()]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<N: Into<Cow<'static, str>>, V: AsRef<str>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut headers = Headers::new();
        headers.extend(iter);
        headers
    }
}

impl<N: Into<Cow<'static, str>>, V: AsRef<str>> Extend<(N, V)> for Headers {
    fn extend<I: IntoIterator<Item = (N, V)>>(&mut self, iter: I) {
        for (name, value) in iter {
            self.push(name, value.as_ref());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Headers, Name};

    #[test]
    fn names_compare_case_insensitively_and_keep_their_order() {
        let mut h = Headers::new();
        h.push("Content-Type", "a");
        h.push("x-amz-meta-k", "1");
        h.push("content-type", "b");
        assert_eq!(h.get("CONTENT-TYPE"), Some("a"));
        assert_eq!(h.remove("Content-type"), 2);
        h.set("X-Amz-Meta-K", "2");
        h.push_sensitive("token", "old");
        h.set("Token", "new");
        assert!(h.is_sensitive("token"), "a replaced secret stays one");
        h.remove("token");
        let all: Vec<_> = h.iter().collect();
        assert_eq!(all, [("X-Amz-Meta-K", "2")]);
        assert!(h.get("content-type").is_none());
    }

    #[test]
    fn values_written_in_place_and_extended_keep_their_bounds() {
        let mut a = Headers::with_capacity(2, 8);
        a.push_with("content-length", |s| s.push_str("1024"));
        let mut b = Headers::new();
        b.push("host", "example.com");
        b.push_sensitive("authorization", "sig");
        a.extend_from(&b);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [
                ("content-length", "1024"),
                ("host", "example.com"),
                ("authorization", "sig")
            ]
        );
        assert!(a.is_sensitive("Authorization") && !a.is_sensitive("host"));
        let shared: Vec<_> = a.into_shared().map(|(k, v)| (k, v.to_vec())).collect();
        assert_eq!(
            shared[1],
            (Name::new_static("host"), b"example.com".to_vec())
        );
        assert_eq!(shared[2].1, b"sig");
    }

    #[test]
    fn well_known_long_names_are_not_copied_and_others_keep_their_spelling() {
        let mut h = Headers::new();
        h.push_copied("x-amz-server-side-encryption", "AES256");
        h.push_copied("X-Amz-Meta-A-Name-Longer-Than-Inline", "1");
        h.push_copied("Short", "2");
        let names: Vec<&str> = h.iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "x-amz-server-side-encryption",
                "X-Amz-Meta-A-Name-Longer-Than-Inline",
                "Short"
            ]
        );
        assert!(!super::header_name_of("x-amz-server-side-encryption").is_heap_allocated());
        assert!(super::header_name_of("x-amz-meta-a-name-longer-than-inline").is_heap_allocated());
    }

    #[test]
    fn debug_hides_marked_values_and_retain_sees_values() {
        let mut h: Headers = [("a", "1"), ("token", "s3cr3t")].into_iter().collect();
        h.mark_sensitive("TOKEN");
        let shown = format!("{h:?}");
        assert!(
            !shown.contains("s3cr3t") && shown.contains("redacted"),
            "{shown}"
        );
        h.retain(|_, v| v != "1");
        assert_eq!(h.len(), 1);
        let (pairs, secret) = h.to_pairs();
        assert_eq!(pairs, [("token".to_string(), "s3cr3t".to_string())]);
        assert_eq!(secret, ["token"]);
    }
}
