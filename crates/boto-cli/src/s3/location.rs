//! Where a command reads or writes: a local path, an S3 URL or `-` (stdin / stdout), and the
//! way aws-cli prints and joins them.

use std::path::{Component, Path, PathBuf};

/// One path argument of an s3 command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file or directory, as given.
    Local(PathBuf),
    /// `s3://bucket/key` (the key may be empty or a prefix).
    S3 {
        /// The bucket.
        bucket: String,
        /// The key or prefix.
        key: String,
    },
    /// `-`: stdin as a source, stdout as a destination.
    Stream,
}

impl Location {
    /// Parses one argument as aws-cli does: `s3://` makes it S3, `-` a stream, the rest local.
    pub fn parse(text: &str) -> Location {
        if text == "-" {
            return Location::Stream;
        }
        match text.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                Location::S3 {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                }
            }
            None => Location::Local(PathBuf::from(text)),
        }
    }
}

/// `s3://bucket/key` as aws-cli prints it.
pub fn s3_url(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

/// The last component of a key.
pub fn key_name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// `path` made absolute against the working directory, with `.` and `..` resolved lexically
/// (as Python's `os.path.abspath`).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A local file as aws-cli prints it: its directory relative to the working directory, then its
/// name (`./a.txt`, `dir/a.txt`, `../other/a.txt`).
pub fn display_local(path: &Path) -> String {
    let abs = absolute(path);
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = abs.parent().unwrap_or(Path::new("/"));
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| absolute(Path::new(".")));
    let rel = relative(dir, cwd);
    format!("{rel}/{name}")
}

/// `dir` relative to `base` (both absolute and normalised), `.` when they are the same.
fn relative(dir: &Path, base: &Path) -> String {
    let d: Vec<_> = dir.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = d.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        d[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_bucket_and_key() {
        assert_eq!(
            Location::parse("s3://b/a/b.txt"),
            Location::S3 {
                bucket: "b".into(),
                key: "a/b.txt".into()
            }
        );
        assert_eq!(
            Location::parse("s3://b"),
            Location::S3 {
                bucket: "b".into(),
                key: String::new()
            }
        );
        assert_eq!(Location::parse("-"), Location::Stream);
        assert_eq!(Location::parse("./x"), Location::Local("./x".into()));
    }

    #[test]
    fn local_paths_print_relative_to_the_working_directory() {
        assert_eq!(display_local(Path::new("a.txt")), "./a.txt");
        assert_eq!(display_local(Path::new("d/./e/a.txt")), "d/e/a.txt");
        let cwd = absolute(Path::new("."));
        let outside = cwd.parent().unwrap().join("x").join("a.txt");
        assert_eq!(display_local(&outside), "../x/a.txt");
    }

    #[test]
    fn keys_give_their_name() {
        assert_eq!(key_name("c"), "c");
        assert_eq!(key_name("a/b/c"), "c");
    }
}
