//! [`ProcessProvider`]: the profile's `credential_process` command.

use super::{time, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::config::parse::shell_split;
use crate::config::SharedFiles;
use serde_json::Value as Json;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

const NAME: &str = "custom-process";

/// Runs the merged profile's `credential_process` the way botocore's `ProcessProvider` does: the
/// command line is split with POSIX shell-word rules and run directly (no shell), stdin is
/// inherited, stdout is captured, and stderr passes through to this process's stderr (so prompts
/// and diagnostics reach the user). The output must be Version 1 JSON with `AccessKeyId` and
/// `SecretAccessKey`, optionally `SessionToken`, `Expiration` (RFC 3339) and `AccountId` (else the
/// profile's `aws_account_id`).
///
/// Errors never include the process output (it holds secrets) nor the arguments (they may);
/// they name the program, profile and file.
#[derive(Debug, Clone)]
pub struct ProcessProvider {
    files: Arc<SharedFiles>,
    profile: String,
}

struct ParsedCommand {
    argv: Vec<String>,
    file: Option<PathBuf>,
    account_id: Option<String>,
}

impl ProcessProvider {
    /// Uses `profile` of `files` (merged view, as botocore's `full_config`).
    pub fn new(files: Arc<SharedFiles>, profile: impl Into<String>) -> Self {
        ProcessProvider {
            files,
            profile: profile.into(),
        }
    }

    fn command(&self) -> Result<ParsedCommand, CredentialsError> {
        let section = self.files.profile(&self.profile);
        let Some(prop) = section.and_then(|s| s.property("credential_process")) else {
            return Err(CredentialsError::not_found(
                NAME,
                format!("profile {:?} has no credential_process", self.profile),
            ));
        };
        let file = Some(prop.origin.file.as_ref().clone());
        let invalid = |message: &str| CredentialsError::InvalidProfile {
            file: file.clone(),
            profile: self.profile.clone(),
            key: Some("credential_process".into()),
            message: message.to_string(),
        };
        let text = prop
            .as_text()
            .ok_or_else(|| invalid("expected a command line, found a nested block"))?;
        let argv = shell_split(text).ok_or_else(|| {
            invalid("unbalanced quotes or trailing backslash in the command line")
        })?;
        if argv.is_empty() {
            return Err(invalid("the command line is empty"));
        }
        Ok(ParsedCommand {
            argv,
            file,
            account_id: section
                .and_then(|s| s.get("aws_account_id"))
                .map(str::to_string),
        })
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let cmd = self.command()?;
        let program = cmd.argv[0].clone();
        let profile = self.profile.clone();
        let argv = cmd.argv;
        let output = tokio::task::spawn_blocking(move || {
            Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(Stdio::inherit())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .output()
        })
        .await
        .map_err(|e| CredentialsError::ProviderFailed {
            provider: NAME,
            message: format!("credential_process task for profile {profile:?} did not complete"),
            source: Some(Box::new(e)),
        })?
        .map_err(|e| CredentialsError::ProviderFailed {
            provider: NAME,
            message: format!(
                "cannot run credential_process program {program:?} of profile {profile:?}{}",
                cmd.file
                    .as_ref()
                    .map(|f| format!(" ({})", f.display()))
                    .unwrap_or_default()
            ),
            source: Some(Box::new(e)),
        })?;
        let fail = |message: String| {
            CredentialsError::failed(
                NAME,
                format!("credential_process {program:?} of profile {profile:?}: {message}"),
            )
        };
        if !output.status.success() {
            return Err(fail(format!(
                "exited with {} (its stderr was passed through)",
                output.status
            )));
        }
        let text = String::from_utf8(output.stdout)
            .map_err(|_| fail("output is not valid UTF-8".into()))?;
        parse_output(&text, cmd.account_id).map_err(fail)
    }
}

/// Reads the Version 1 JSON a credential process prints. Error messages never quote the input.
pub(crate) fn parse_output(
    text: &str,
    fallback_account: Option<String>,
) -> Result<Credentials, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        format!(
            "output is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Json::Object(obj) = json else {
        return Err("output is not a JSON object".into());
    };
    match obj.get("Version") {
        Some(Json::Number(n)) if n.as_f64() == Some(1.0) => {}
        Some(Json::Number(n)) => {
            return Err(format!("unsupported Version {n}; supported versions: 1"))
        }
        Some(_) => return Err("Version must be the number 1".into()),
        None => return Err("the Version key was not provided; supported versions: 1".into()),
    }
    let string = |key: &str, required: bool| -> Result<Option<String>, String> {
        match obj.get(key) {
            Some(Json::String(s)) => Ok(Some(s.clone())),
            None | Some(Json::Null) if !required => Ok(None),
            None | Some(Json::Null) => Err(format!("missing required key {key:?} in output")),
            Some(_) => Err(format!("{key:?} must be a string")),
        }
    };
    let access = string("AccessKeyId", true)?.unwrap_or_default();
    let secret = string("SecretAccessKey", true)?.unwrap_or_default();
    let token = string("SessionToken", false)?;
    let expiry = match string("Expiration", false)? {
        None => None,
        Some(raw) => Some(
            time::parse_rfc3339(&raw)
                .ok_or_else(|| format!("Expiration {raw:?} is not an RFC 3339 timestamp"))?,
        ),
    };
    let account = string("AccountId", false)?
        .filter(|a| !a.is_empty())
        .or(fallback_account);
    Ok(Credentials::new(access, secret, token, expiry, NAME).with_account_id(account))
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.run())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
