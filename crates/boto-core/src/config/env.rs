//! [`Env`]: where environment variables (and the home directory) come from.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A source of environment variables.
///
/// [`Env::real`] reads the process environment; [`Env::from_vars`] is an in-memory map so tests
/// never have to mutate the process environment. The home directory used for `~` expansion comes
/// from the same source (`HOME`, then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`), so path
/// expansion is testable too.
///
/// `Debug` lists variable names only, never values: the environment usually holds secrets.
#[derive(Clone)]
pub struct Env {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Process,
    Map(Arc<HashMap<String, String>>),
}

impl Env {
    /// The environment of the running process.
    pub fn real() -> Self {
        Env {
            inner: Inner::Process,
        }
    }

    /// An in-memory environment holding exactly `vars`.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            inner: Inner::Map(Arc::new(map)),
        }
    }

    /// An in-memory environment with no variables at all.
    pub fn empty() -> Self {
        Self::from_vars(std::iter::empty::<(String, String)>())
    }

    /// The raw value of `key`, even when it is the empty string. Values that are not valid UTF-8
    /// count as unset.
    pub fn get_raw(&self, key: &str) -> Option<String> {
        match &self.inner {
            Inner::Process => std::env::var_os(key).and_then(|v| v.into_string().ok()),
            Inner::Map(m) => m.get(key).cloned(),
        }
    }

    /// The value of `key`, treating an empty value as unset (the usual AWS SDK rule).
    pub fn get(&self, key: &str) -> Option<String> {
        self.get_raw(key).filter(|v| !v.is_empty())
    }

    /// True when `key` is present (possibly empty).
    pub fn contains(&self, key: &str) -> bool {
        self.get_raw(key).is_some()
    }

    /// The user's home directory: `HOME`, then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(h) = self.get("HOME") {
            return Some(PathBuf::from(h));
        }
        if let Some(h) = self.get("USERPROFILE") {
            return Some(PathBuf::from(h));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(d), Some(p)) => Some(PathBuf::from(format!("{d}{p}"))),
            _ => None,
        }
    }

    /// Expands a configured path the way botocore does: `$VAR` / `${VAR}` first (unknown
    /// variables are left as written), then a leading `~` or `~/` to the home directory.
    pub fn expand_path(&self, raw: &str) -> PathBuf {
        let vars = self.expand_vars(raw);
        self.expand_user(&vars)
    }

    fn expand_vars(&self, raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            if let Some(braced) = after.strip_prefix('{') {
                if let Some(end) = braced.find('}') {
                    let name = &braced[..end];
                    match self.get_raw(name).filter(|_| !name.is_empty()) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push_str("${");
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &braced[end + 1..];
                    continue;
                }
                out.push('$');
                rest = after;
                continue;
            }
            let name_len = after
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
                .map(|(i, _)| i)
                .unwrap_or(after.len());
            if name_len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            let name = &after[..name_len];
            match self.get_raw(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('$');
                    out.push_str(name);
                }
            }
            rest = &after[name_len..];
        }
        out.push_str(rest);
        out
    }

    fn expand_user(&self, path: &str) -> PathBuf {
        let tail = if path == "~" {
            Some("")
        } else {
            path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\"))
        };
        match (tail, self.home_dir()) {
            (Some(""), Some(home)) => home,
            (Some(t), Some(home)) => home.join(t),
            _ => PathBuf::from(path),
        }
    }
}

impl Default for Env {
    fn default() -> Self {
        Env::real()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Process => f.write_str("Env::Process"),
            Inner::Map(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                f.debug_struct("Env::Map").field("keys", &keys).finish()
            }
        }
    }
}
