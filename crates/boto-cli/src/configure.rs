//! `boto configure list | get KEY | set KEY VALUE` on the shared files, as aws-cli does them:
//! `AWS_CONFIG_FILE` (default `~/.aws/config`, sections `[default]` / `[profile NAME]`) and
//! `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections `[NAME]`), where the
//! three credential keys go. Secrets are shown as aws-cli shows them: 16 stars and the last 4.

use crate::failure::{status, Failure};
use crate::global::Globals;
use std::path::PathBuf;

const CREDENTIAL_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// Runs `boto configure ARGS`; returns what to print.
pub fn run(globals: &Globals, args: &[String]) -> Result<String, Failure> {
    let files = Files::from_env();
    let env_profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
    let profile = globals
        .profile
        .clone()
        .or(env_profile.clone())
        .unwrap_or_else(|| "default".into());
    match args {
        [cmd] if cmd == "list" => Ok(list(globals, &files, &profile, env_profile.is_some())),
        [cmd, key] if cmd == "get" => {
            let (profile, key) = split_key(key, &profile);
            files
                .get(&profile, &key)
                .map(|v| format!("{v}\n"))
                .ok_or_else(|| Failure::new(status::GENERIC, String::new()))
        }
        [cmd, key, value] if cmd == "set" => {
            let (profile, key) = split_key(key, &profile);
            files.set(&profile, &key, value)?;
            Ok(String::new())
        }
        _ => Err(Failure::new(
            status::USAGE,
            "usage: boto configure list | get KEY | set KEY VALUE  [--profile P]",
        )),
    }
}

/// `profile.NAME.key` and `default.key` name their profile; a plain key is the current one's.
fn split_key(key: &str, profile: &str) -> (String, String) {
    if let Some(rest) = key.strip_prefix("profile.") {
        if let Some((name, k)) = rest.rsplit_once('.') {
            return (name.to_string(), k.to_string());
        }
    }
    if let Some(k) = key.strip_prefix("default.") {
        return ("default".into(), k.to_string());
    }
    (profile.to_string(), key.to_string())
}

struct Files {
    /// As configured (`~/.aws/config`), for `configure list`'s Location column.
    config_shown: String,
    config: PathBuf,
    credentials: PathBuf,
}

/// A key of the profile in use (`--profile`, `AWS_PROFILE`, else `default`) from the config
/// file, as `configure get` reads it.
pub fn profile_value(globals: &Globals, key: &str) -> Option<String> {
    let profile = globals
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".into());
    Files::from_env().get(&profile, key)
}

impl Files {
    fn from_env() -> Files {
        let config_shown =
            std::env::var("AWS_CONFIG_FILE").unwrap_or_else(|_| "~/.aws/config".into());
        let credentials_shown = std::env::var("AWS_SHARED_CREDENTIALS_FILE")
            .unwrap_or_else(|_| "~/.aws/credentials".into());
        Files {
            config: expand(&config_shown),
            credentials: expand(&credentials_shown),
            config_shown,
        }
    }

    fn get(&self, profile: &str, key: &str) -> Option<String> {
        let from_credentials = CREDENTIAL_KEYS
            .contains(&key)
            .then(|| read_key(&self.credentials, profile, key))
            .flatten();
        from_credentials.or_else(|| read_key(&self.config, &config_section(profile), key))
    }

    fn set(&self, profile: &str, key: &str, value: &str) -> Result<(), Failure> {
        let (path, section) = if CREDENTIAL_KEYS.contains(&key) {
            (&self.credentials, profile.to_string())
        } else {
            (&self.config, config_section(profile))
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let updated = set_in(&text, &section, key, value);
        write_private(path, &updated).map_err(|e| {
            Failure::new(
                status::CONFIG,
                format!("cannot write {}: {e}", path.display()),
            )
        })
    }
}

fn config_section(profile: &str) -> String {
    if profile == "default" {
        "default".into()
    } else {
        format!("profile {profile}")
    }
}

fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// `key = value` of `[section]` in an INI file.
fn read_key(path: &PathBuf, section: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == section;
        } else if inside && !line.starts_with([' ', '\t']) {
            if let Some((k, v)) = trimmed.split_once('=') {
                if k.trim() == key {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

/// `text` with `key = value` set in `[section]`: replaced in place, else added at the end of
/// the section, else in a new section at the end; every other line kept as it was.
fn set_in(text: &str, section: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let new_line = format!("{key} = {value}");
    let mut inside = false;
    let mut section_end = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if inside {
                break;
            }
            inside = name.trim() == section;
            if inside {
                section_end = Some(i + 1);
            }
            continue;
        }
        if inside {
            if let Some((k, _)) = trimmed.split_once('=') {
                if k.trim() == key && !line.starts_with([' ', '\t']) {
                    lines[i] = new_line;
                    return join(lines);
                }
            }
            if !trimmed.is_empty() {
                section_end = Some(i + 1);
            }
        }
    }
    match section_end {
        Some(at) => lines.insert(at, new_line),
        None => {
            lines.push(format!("[{section}]"));
            lines.push(new_line);
        }
    }
    join(lines)
}

fn join(lines: Vec<String>) -> String {
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Writes a file readable by its owner only (it may hold secrets), creating its folder.
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options.open(path)?.write_all(text.as_bytes())
}

/// aws-cli's `configure list` table: where the profile, keys and region come from.
fn list(globals: &Globals, files: &Files, profile: &str, profile_from_env: bool) -> String {
    let mut out = String::new();
    row(&mut out, "Name", "Value", "Type", "Location");
    row(&mut out, "----", "-----", "----", "--------");
    let profile_row = if globals.profile.is_some() {
        (profile.to_string(), "manual", "--profile".to_string())
    } else if profile_from_env {
        (profile.to_string(), "env", "AWS_PROFILE".to_string())
    } else {
        ("<not set>".into(), "None", "None".into())
    };
    row(
        &mut out,
        "profile",
        &profile_row.0,
        profile_row.1,
        &profile_row.2,
    );
    for (name, env, key) in [
        ("access_key", "AWS_ACCESS_KEY_ID", "aws_access_key_id"),
        (
            "secret_key",
            "AWS_SECRET_ACCESS_KEY",
            "aws_secret_access_key",
        ),
    ] {
        let found = match std::env::var(env).ok().filter(|v| !v.is_empty()) {
            Some(v) => Some((v, "env")),
            None => read_key(&files.credentials, profile, key)
                .map(|v| (v, "shared-credentials-file"))
                .or_else(|| {
                    read_key(&files.config, &config_section(profile), key)
                        .map(|v| (v, "config-file"))
                }),
        };
        match found {
            Some((v, kind)) => row(&mut out, name, &mask(&v), kind, ""),
            None => row(&mut out, name, "<not set>", "None", "None"),
        }
    }
    let env_region = ["AWS_REGION", "AWS_DEFAULT_REGION"].iter().find_map(|n| {
        std::env::var(n)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| (v, *n))
    });
    if let Some(r) = &globals.region {
        row(&mut out, "region", r, "manual", "--region");
    } else if let Some((v, var)) = env_region {
        row(&mut out, "region", &v, "env", var);
    } else if let Some(v) = read_key(&files.config, &config_section(profile), "region") {
        row(&mut out, "region", &v, "config-file", &files.config_shown);
    } else {
        row(&mut out, "region", "<not set>", "None", "None");
    }
    out
}

fn row(out: &mut String, name: &str, value: &str, kind: &str, location: &str) {
    out.push_str(&format!(
        "{name:>10} {value:>24} {kind:>16}    {location}\n"
    ));
}

/// aws-cli's mask: 16 stars and the last four characters.
fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{}{tail}", "*".repeat(16))
}

#[cfg(test)]
mod tests {
    use super::set_in;

    #[test]
    fn set_replaces_appends_and_adds_sections() {
        let text = "[default]\nregion = a\n\n[profile dev]\noutput = json\n";
        assert_eq!(
            set_in(text, "default", "region", "b"),
            "[default]\nregion = b\n\n[profile dev]\noutput = json\n"
        );
        assert_eq!(
            set_in(text, "default", "output", "text"),
            "[default]\nregion = a\noutput = text\n\n[profile dev]\noutput = json\n"
        );
        assert_eq!(
            set_in(text, "profile x", "region", "c"),
            "[default]\nregion = a\n\n[profile dev]\noutput = json\n[profile x]\nregion = c\n"
        );
        assert_eq!(set_in("", "default", "k", "v"), "[default]\nk = v\n");
    }
}
