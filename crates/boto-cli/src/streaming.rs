//! aws-cli's command shape for streaming payloads, read from the model as aws-cli reads it
//! (`customizations/streamingoutputarg.py`, `argprocess.py`), for every operation that has one:
//!
//! - a streaming blob input (`s3api put-object --body`, `upload-part --body`, `glacier
//!   upload-archive --body`, ...) takes the path of a file, sent from disk without loading it;
//! - a streaming blob output (`s3api get-object`, `lambda invoke`, `polly synthesize-speech`,
//!   ...) takes a positional `outfile`, required, where the body is written as it arrives;
//!   the printed response leaves the body out.

use crate::failure::Failure;
use boto::core::model::{Operation, ServiceModel, ShapeType};

/// The streaming blob member of the operation's input, if it has one.
pub fn input_member(model: &ServiceModel, op: &Operation) -> Option<String> {
    let shape = model.shape(op.input?);
    shape
        .members
        .iter()
        .find(|m| {
            let target = model.shape(m.target);
            target.shape_type == ShapeType::Blob && (target.streaming || m.streaming)
        })
        .map(|m| m.name.to_string())
}

/// The streaming blob payload of the operation's output, if it has one.
pub fn output_member(model: &ServiceModel, op: &Operation) -> Option<String> {
    let shape = model.shape(op.output?);
    let payload = shape.payload.as_deref()?;
    let member = shape.member_named(payload)?;
    let target = model.shape(member.target);
    (target.shape_type == ShapeType::Blob && (target.streaming || member.streaming))
        .then(|| member.name.to_string())
}

/// A streaming input's value: the path of an existing file (`~` and `$VAR` expanded, as
/// aws-cli's `os.path.expanduser(os.path.expandvars(...))`). `fileb://PATH`, which aws-cli
/// refuses here, is taken as PATH: boto read `--body` that way before it took paths.
pub fn input_path(flag: &str, value: &str) -> Result<std::path::PathBuf, Failure> {
    let expanded = expand(value.strip_prefix("fileb://").unwrap_or(value));
    let path = std::path::PathBuf::from(expanded);
    if !path.is_file() {
        return Err(Failure::param(format!(
            "Error parsing parameter '--{flag}': Blob values must be a path to a file."
        )));
    }
    Ok(path)
}

fn expand(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = match after.strip_prefix('{').and_then(|a| a.split_once('}')) {
            Some((name, tail)) => (name, tail),
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        match std::env::var(name) {
            Ok(v) if !name.is_empty() => out.push_str(&v),
            // Python leaves an unknown variable as written.
            _ => out.push_str(&rest[at..rest.len() - tail.len()]),
        }
        rest = tail;
    }
    out.push_str(rest);
    if out == "~" || out.starts_with("~/") {
        if let Ok(home) = std::env::var("HOME") {
            out = format!("{home}{}", &out[1..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn expands_variables_and_home_as_python_does() {
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(expand("$HOME/f"), format!("{home}/f"));
        assert_eq!(expand("${HOME}x"), format!("{home}x"));
        assert_eq!(expand("$NO_SUCH_BOTO_VAR/f"), "$NO_SUCH_BOTO_VAR/f");
        assert_eq!(expand("~/f"), format!("{home}/f"));
        assert_eq!(expand("a~b"), "a~b");
    }
}
