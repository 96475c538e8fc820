//! [`SharedFiles`]: `~/.aws/config` and `~/.aws/credentials`, loaded and merged like botocore.

use super::parse::{parse_ini, shell_split, IniFile, Section};
use super::{ConfigError, Env};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The default config file location, before `~` expansion.
pub const DEFAULT_CONFIG_FILE: &str = "~/.aws/config";
/// The default shared credentials file location, before `~` expansion.
pub const DEFAULT_CREDENTIALS_FILE: &str = "~/.aws/credentials";

/// The two shared files, parsed, with botocore's profile map built.
///
/// In the config file, `[default]` and `[profile NAME]` are profiles (`[profile default]` counts
/// too; when both spellings exist the later section wins), `[sso-session NAME]` and
/// `[services NAME]` are their own maps, and other sections are kept as-is. In the credentials
/// file every `[NAME]` is a profile. The merged view ([`SharedFiles::profile`]) starts from the
/// config file's profile and lets credentials-file keys override it, key by key, as botocore's
/// `Session.full_config` does. A missing file is simply empty.
#[derive(Debug, Clone)]
pub struct SharedFiles {
    config_path: PathBuf,
    credentials_path: PathBuf,
    config: Option<IniFile>,
    credentials: Option<IniFile>,
    config_profiles: IndexMap<String, Section>,
    merged: IndexMap<String, Section>,
    sso_sessions: IndexMap<String, Section>,
    services: IndexMap<String, Section>,
}

/// Reads a file; `Ok(None)` when it does not exist (or is not a regular file, as botocore's
/// `os.path.isfile` check has it).
fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Io {
                file: path.to_path_buf(),
                message: e.to_string(),
            })
        }
    }
    let bytes = std::fs::read(path).map_err(|e| ConfigError::Io {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            Err(ConfigError::Parse {
                file: path.to_path_buf(),
                line,
                message: "the file is not valid UTF-8".into(),
            })
        }
    }
}

/// The name inside a `[prefix NAME]` header, split like botocore's `_parse_section` (`shlex`,
/// exactly two words). `None` when the header does not have that form.
fn prefixed_name(header: &str) -> Option<String> {
    let mut parts = shell_split(header)?;
    if parts.len() == 2 {
        parts.pop()
    } else {
        None
    }
}

impl SharedFiles {
    /// Loads the files named by `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` (defaults
    /// `~/.aws/config` and `~/.aws/credentials`), with `$VAR` and `~` expanded through `env`.
    pub fn load(env: &Env) -> Result<Self, ConfigError> {
        let config = env
            .get("AWS_CONFIG_FILE")
            .unwrap_or_else(|| DEFAULT_CONFIG_FILE.to_string());
        let credentials = env
            .get("AWS_SHARED_CREDENTIALS_FILE")
            .unwrap_or_else(|| DEFAULT_CREDENTIALS_FILE.to_string());
        Self::load_from(env.expand_path(&config), env.expand_path(&credentials))
    }

    /// Loads the given config and credentials files (already expanded paths).
    pub fn load_from(
        config_path: impl Into<PathBuf>,
        credentials_path: impl Into<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let config_path = config_path.into();
        let credentials_path = credentials_path.into();
        let config = read_optional(&config_path)?;
        let credentials = read_optional(&credentials_path)?;
        Self::build(
            config_path,
            config.as_deref(),
            credentials_path,
            credentials.as_deref(),
        )
    }

    /// Builds from file contents already in memory (`None` = the file does not exist); the paths
    /// only label values and errors.
    pub fn from_contents(
        config_path: impl Into<PathBuf>,
        config: Option<&str>,
        credentials_path: impl Into<PathBuf>,
        credentials: Option<&str>,
    ) -> Result<Self, ConfigError> {
        Self::build(
            config_path.into(),
            config,
            credentials_path.into(),
            credentials,
        )
    }

    /// No files at all.
    pub fn empty() -> Self {
        SharedFiles {
            config_path: PathBuf::new(),
            credentials_path: PathBuf::new(),
            config: None,
            credentials: None,
            config_profiles: IndexMap::new(),
            merged: IndexMap::new(),
            sso_sessions: IndexMap::new(),
            services: IndexMap::new(),
        }
    }

    fn build(
        config_path: PathBuf,
        config: Option<&str>,
        credentials_path: PathBuf,
        credentials: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let config = config
            .map(|t| parse_ini(t, Arc::new(config_path.clone())))
            .transpose()?;
        let credentials = credentials
            .map(|t| parse_ini(t, Arc::new(credentials_path.clone())))
            .transpose()?;
        let mut config_profiles = IndexMap::new();
        let mut sso_sessions = IndexMap::new();
        let mut services = IndexMap::new();
        if let Some(file) = &config {
            for (header, section) in file.sections() {
                let target = if header.starts_with("profile") {
                    &mut config_profiles
                } else if header.starts_with("sso-session") {
                    &mut sso_sessions
                } else if header.starts_with("services") {
                    &mut services
                } else if header == "default" {
                    config_profiles.insert("default".to_string(), section.clone());
                    continue;
                } else {
                    continue;
                };
                if let Some(name) = prefixed_name(header) {
                    target.insert(name.clone(), section.clone().renamed(&name));
                }
            }
        }
        let mut merged = config_profiles.clone();
        if let Some(file) = &credentials {
            for (name, section) in file.sections() {
                match merged.get_mut(name) {
                    Some(existing) => {
                        for (k, p) in section.properties() {
                            existing.insert(k.to_string(), p.clone());
                        }
                    }
                    None => {
                        merged.insert(name.to_string(), section.clone());
                    }
                }
            }
        }
        Ok(SharedFiles {
            config_path,
            credentials_path,
            config,
            credentials,
            config_profiles,
            merged,
            sso_sessions,
            services,
        })
    }

    /// The config file's path (whether or not it exists).
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The credentials file's path (whether or not it exists).
    pub fn credentials_path(&self) -> &Path {
        &self.credentials_path
    }

    /// True when the config file existed.
    pub fn has_config_file(&self) -> bool {
        self.config.is_some()
    }

    /// True when the credentials file existed.
    pub fn has_credentials_file(&self) -> bool {
        self.credentials.is_some()
    }

    /// The merged profile `name` (config file, overridden key by key by the credentials file).
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.merged.get(name)
    }

    /// The profile `name` as the config file alone defines it.
    pub fn config_file_profile(&self, name: &str) -> Option<&Section> {
        self.config_profiles.get(name)
    }

    /// The section `[name]` of the credentials file alone.
    pub fn credentials_file_profile(&self, name: &str) -> Option<&Section> {
        self.credentials.as_ref().and_then(|f| f.section(name))
    }

    /// The names of all profiles of the merged view.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.merged.keys().map(String::as_str)
    }

    /// The `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The `[services name]` section.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// The raw parsed config file, with every section (including ones that are not profiles).
    pub fn config_file(&self) -> Option<&IniFile> {
        self.config.as_ref()
    }

    /// The raw parsed credentials file.
    pub fn credentials_file(&self) -> Option<&IniFile> {
        self.credentials.as_ref()
    }
}
