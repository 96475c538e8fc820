//! The INI dialect of the shared AWS files, read the way botocore's `raw_config_parse` reads it
//! (Python's `RawConfigParser` plus one level of nested sub-sections).
//!
//! The rules, all taken from that parser:
//! - A line whose first non-blank character is `#` or `;` is a comment; there are no inline
//!   comments (`region = x # y` keeps `x # y`).
//! - `[name]` opens a section: the name is everything between the first `[` and the last `]`.
//!   A section may not appear twice in one file. `[DEFAULT]` is special: its keys are inherited by
//!   every other section of that file.
//! - `key = value` or `key: value` (first delimiter wins); keys are lower-cased, values trimmed. A
//!   key may not appear twice in one section.
//! - A line indented deeper than the key line it follows continues that value (joined with `\n`);
//!   blank lines inside a value are kept, trailing ones dropped.
//! - A value that starts with a newline (`s3 =` followed by indented lines) is a sub-section:
//!   each non-blank line must be `key = value`.

use super::ConfigError;
use indexmap::IndexMap;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a value was read: the file and the 1-based line of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file the value was read from.
    pub file: Arc<PathBuf>,
    /// The 1-based line number of the key.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}", self.file.display(), self.line)
    }
}

/// The value of a key: plain text or a nested sub-section (`s3 =` + indented `key = value` lines).
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    /// A plain value; continuation lines are joined with `\n`.
    Text(String),
    /// A nested sub-section, keys as written.
    Nested(IndexMap<String, String>),
}

impl fmt::Debug for Value {
    /// Values may be secrets, so only their shape is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(t) => write!(f, "Text(<{} chars>)", t.chars().count()),
            Value::Nested(m) => f
                .debug_tuple("Nested")
                .field(&m.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

/// One key of a section, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The value.
    pub value: Value,
    /// Where the key was written.
    pub origin: Origin,
}

impl Property {
    /// The value when it is plain text.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(t) => Some(t),
            Value::Nested(_) => None,
        }
    }

    /// The nested sub-section when it is one.
    pub fn as_nested(&self) -> Option<&IndexMap<String, String>> {
        match &self.value {
            Value::Nested(m) => Some(m),
            Value::Text(_) => None,
        }
    }
}

/// A named group of keys: a profile, an `sso-session`, a `services` section or any other section.
///
/// `Debug` shows the name and key names only: values such as `aws_secret_access_key` are secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    name: String,
    props: IndexMap<String, Property>,
}

impl Section {
    pub(crate) fn new(name: impl Into<String>) -> Self {
        Section {
            name: name.into(),
            props: IndexMap::new(),
        }
    }

    /// The section's name (for a profile, without the `profile ` prefix).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text value of `key` (keys are lower-case). `None` when missing or a sub-section.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.props.get(key).and_then(Property::as_text)
    }

    /// The key `key` of the sub-section `section` (e.g. `("s3", "addressing_style")`).
    pub fn get_nested(&self, section: &str, key: &str) -> Option<&str> {
        self.props
            .get(section)
            .and_then(Property::as_nested)
            .and_then(|m| m.get(key))
            .map(String::as_str)
    }

    /// The full property for `key`, with its origin.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.props.get(key)
    }

    /// True when `key` is present (text or sub-section).
    pub fn contains(&self, key: &str) -> bool {
        self.props.contains_key(key)
    }

    /// The keys, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.props.keys().map(String::as_str)
    }

    /// All properties, in file order.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &Property)> {
        self.props.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.props.len()
    }

    /// True when the section has no keys.
    pub fn is_empty(&self) -> bool {
        self.props.is_empty()
    }

    pub(crate) fn insert(&mut self, key: String, prop: Property) {
        self.props.insert(key, prop);
    }

    pub(crate) fn renamed(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }
}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("keys", &self.props.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One parsed INI file: its sections by raw header name, in file order.
#[derive(Debug, Clone)]
pub struct IniFile {
    path: Arc<PathBuf>,
    sections: IndexMap<String, Section>,
}

impl IniFile {
    /// The file this was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The section whose header is exactly `name`.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.get(name)
    }

    /// All sections, in file order, by raw header name.
    pub fn sections(&self) -> impl Iterator<Item = (&str, &Section)> {
        self.sections.iter().map(|(k, v)| (k.as_str(), v))
    }
}

struct RawOpt {
    line: usize,
    parts: Vec<(String, usize)>,
}

#[derive(Clone, PartialEq)]
enum Cur {
    Defaults,
    Named(String),
}

fn parse_error(path: &Arc<PathBuf>, line: usize, message: impl Into<String>) -> ConfigError {
    ConfigError::Parse {
        file: path.as_ref().clone(),
        line,
        message: message.into(),
    }
}

/// Splits text into lines the way Python's universal-newline reading does (`\n`, `\r\n`, `\r`).
fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The header of a `[section]` line: between the first `[` and the last `]` (at least one char).
fn section_header(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    if close == 0 {
        return None;
    }
    Some(&inner[..close])
}

/// Parses the text of one file. `path` is only used to label values and errors.
pub fn parse_ini(text: &str, path: Arc<PathBuf>) -> Result<IniFile, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: IndexMap<String, IndexMap<String, RawOpt>> = IndexMap::new();
    let mut defaults: IndexMap<String, RawOpt> = IndexMap::new();
    let mut cur: Option<Cur> = None;
    let mut optname: Option<String> = None;
    let mut indent_level = 0usize;
    let mut seen_options: HashSet<(String, String)> = HashSet::new();

    for (idx, line) in split_lines(text).into_iter().enumerate() {
        let lineno = idx + 1;
        let trimmed = line.trim();
        let is_comment = trimmed.starts_with('#') || trimmed.starts_with(';');
        let value = if is_comment { "" } else { trimmed };
        let target = |cur: &Option<Cur>,
                      sections: &mut IndexMap<String, IndexMap<String, RawOpt>>,
                      defaults: &mut IndexMap<String, RawOpt>,
                      optname: &Option<String>,
                      part: (String, usize)| {
            let map = match cur {
                Some(Cur::Defaults) => Some(defaults),
                Some(Cur::Named(n)) => sections.get_mut(n),
                None => None,
            };
            if let (Some(map), Some(opt)) = (map, optname) {
                if let Some(raw) = map.get_mut(opt) {
                    raw.parts.push(part);
                }
            }
        };
        if value.is_empty() {
            if !is_comment {
                target(
                    &cur,
                    &mut sections,
                    &mut defaults,
                    &optname,
                    (String::new(), lineno),
                );
            }
            continue;
        }
        let cur_indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if cur.is_some() && optname.is_some() && cur_indent > indent_level {
            target(
                &cur,
                &mut sections,
                &mut defaults,
                &optname,
                (value.to_string(), lineno),
            );
            continue;
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if header == "DEFAULT" {
                cur = Some(Cur::Defaults);
            } else if sections.contains_key(header) {
                return Err(parse_error(
                    &path,
                    lineno,
                    format!("section [{header}] appears more than once"),
                ));
            } else {
                sections.insert(header.to_string(), IndexMap::new());
                cur = Some(Cur::Named(header.to_string()));
            }
            optname = None;
            continue;
        }
        let Some(section) = cur.clone() else {
            return Err(parse_error(
                &path,
                lineno,
                "expected a [section] header before the first key",
            ));
        };
        let Some(delim) = value.find(['=', ':']) else {
            return Err(parse_error(
                &path,
                lineno,
                "expected `key = value`, a [section] header or a comment",
            ));
        };
        let key = value[..delim].trim_end().to_lowercase();
        if key.is_empty() {
            return Err(parse_error(&path, lineno, "a key is missing before `=`"));
        }
        let val = value[delim + 1..].trim().to_string();
        let section_name = match &section {
            Cur::Defaults => "DEFAULT".to_string(),
            Cur::Named(n) => n.clone(),
        };
        if !seen_options.insert((section_name.clone(), key.clone())) {
            return Err(parse_error(
                &path,
                lineno,
                format!("key {key:?} appears more than once in section [{section_name}]"),
            ));
        }
        let map = match &section {
            Cur::Defaults => &mut defaults,
            Cur::Named(n) => sections.entry(n.clone()).or_default(),
        };
        map.insert(
            key.clone(),
            RawOpt {
                line: lineno,
                parts: vec![(val, lineno)],
            },
        );
        optname = Some(key);
    }

    let default_props = finish_options(&path, defaults)?;
    let mut out = IndexMap::new();
    for (name, opts) in sections {
        let mut section = Section::new(name.clone());
        for (k, p) in finish_options(&path, opts)? {
            section.insert(k, p);
        }
        for (k, p) in &default_props {
            if !section.contains(k) {
                section.insert(k.clone(), p.clone());
            }
        }
        out.insert(name, section);
    }
    Ok(IniFile {
        path,
        sections: out,
    })
}

fn finish_options(
    path: &Arc<PathBuf>,
    opts: IndexMap<String, RawOpt>,
) -> Result<Vec<(String, Property)>, ConfigError> {
    let mut out = Vec::with_capacity(opts.len());
    for (key, raw) in opts {
        let joined: Vec<&str> = raw.parts.iter().map(|(s, _)| s.as_str()).collect();
        let joined = joined.join("\n");
        let joined = joined.trim_end();
        let value = if joined.starts_with('\n') {
            let mut nested = IndexMap::new();
            for (part, line) in &raw.parts {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let Some((k, v)) = part.split_once('=') else {
                    return Err(parse_error(
                        path,
                        *line,
                        format!("expected `key = value` inside the nested {key:?} block"),
                    ));
                };
                nested.insert(k.trim().to_string(), v.trim().to_string());
            }
            Value::Nested(nested)
        } else {
            Value::Text(joined.to_string())
        };
        out.push((
            key,
            Property {
                value,
                origin: Origin {
                    file: path.clone(),
                    line: raw.line,
                },
            },
        ));
    }
    Ok(out)
}

/// Splits `s` into words the way Python's `shlex.split` does in POSIX mode: whitespace separates
/// words, `'…'` quotes literally, `"…"` quotes with `\` escaping only `\` and `"`, and a bare
/// `\` escapes the next character. There are no comments.
/// Returns `None` for an unterminated quote or a trailing escape.
pub fn shell_split(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => word.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => {
                            let next = chars.next()?;
                            if !matches!(next, '\\' | '"') {
                                word.push('\\');
                            }
                            word.push(next);
                        }
                        ch => word.push(ch),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            ch => {
                in_word = true;
                word.push(ch);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}
