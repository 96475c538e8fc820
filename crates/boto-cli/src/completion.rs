//! Shell completion: `boto completion bash|zsh|fish` prints a few lines of shell that call back
//! into `boto __complete WORD... CURRENT`, which answers from the embedded models (services,
//! operations, waiters, parameters, enum values, option choices), one candidate a line. The
//! scripts stay small and never go stale: a new model is completed as soon as it is embedded.

use crate::failure::{status, Failure};
use crate::global::Globals;
use crate::operation::service_for_command;
use crate::params::flag_name;
use boto::core::model::{ServiceModel, ShapeType};

const BASH: &str = r#"# boto completion for bash: source <(boto completion bash)
_boto_complete() {
    local IFS=$'\n'
    COMPREPLY=($(boto __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _boto_complete boto
"#;

const ZSH: &str = r#"#compdef boto
# boto completion for zsh: source <(boto completion zsh), after compinit
_boto() {
    local -a candidates
    candidates=("${(@f)$(boto __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ -n "${candidates[1]}" ]]; then
        compadd -a candidates
    else
        _files
    fi
}
compdef _boto boto
"#;

const FISH: &str = r#"# boto completion for fish: boto completion fish | source
function __boto_complete
    set -l words (commandline -opc) (commandline -ct)
    boto __complete $words[2..-1] 2>/dev/null
end
complete -c boto -f -a '(__boto_complete)'
"#;

/// `boto completion SHELL`: the script for that shell.
pub fn script(args: &[String]) -> Result<String, Failure> {
    match args.first().map(String::as_str) {
        Some("bash") => Ok(BASH.into()),
        Some("zsh") => Ok(ZSH.into()),
        Some("fish") => Ok(FISH.into()),
        other => Err(Failure::new(
            status::USAGE,
            format!(
                "usage: boto completion bash|zsh|fish{}",
                other
                    .map(|o| format!("\nInvalid choice: '{o}'"))
                    .unwrap_or_default()
            ),
        )),
    }
}

/// aws-cli's global options, as completed.
const GLOBAL_OPTIONS: &[&str] = &[
    "--debug",
    "--endpoint-url",
    "--no-verify-ssl",
    "--output",
    "--query",
    "--profile",
    "--region",
    "--version",
    "--color",
    "--no-sign-request",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
];

/// The global options that take a value.
const VALUED: &[&str] = &[
    "--endpoint-url",
    "--output",
    "--query",
    "--profile",
    "--region",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
];

/// The commands that are not services.
const COMMANDS: &[&str] = &["call", "completion", "configure", "help", "s3", "s3api"];

/// aws-cli's high-level `s3` commands.
const S3_COMMANDS: &[&str] = &[
    "cp", "ls", "mb", "mv", "presign", "rb", "rm", "sync", "website",
];

/// `boto __complete WORD... CURRENT`: the candidates for CURRENT (the word being typed, maybe
/// empty) after the words before it, one a line.
pub fn candidates(words: &[String]) -> String {
    let (current, before) = match words.split_last() {
        Some((c, b)) => (c.as_str(), b),
        None => ("", &[][..]),
    };
    let mut found = complete(before, current);
    found.retain(|c| c.starts_with(current));
    found.sort();
    found.dedup();
    let mut out = found.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn complete(before: &[String], current: &str) -> Vec<String> {
    // The value of a global option.
    if let Some(prev) = before.last() {
        match prev.as_str() {
            "--output" => return strings(&["json", "off", "text", "table", "yaml", "yaml-stream"]),
            "--color" => return strings(&["on", "off", "auto"]),
            "--profile" => return profiles(),
            p if VALUED.contains(&p) => return Vec::new(),
            _ => {}
        }
    }
    let Ok((_, rest)) = Globals::parse(before.to_vec()) else {
        return Vec::new();
    };
    if current.starts_with("--") && rest.len() < 2 {
        return strings(GLOBAL_OPTIONS);
    }
    let Some((command, args)) = rest.split_first() else {
        let mut all = strings(COMMANDS);
        all.extend(
            boto::core::model::available_services()
                .into_iter()
                .filter(|s| *s != "s3")
                .map(str::to_string),
        );
        return all;
    };
    match command.as_str() {
        "s3" if args.is_empty() => strings(S3_COMMANDS),
        "configure" if args.is_empty() => strings(&["get", "list", "set"]),
        "completion" if args.is_empty() => strings(&["bash", "fish", "zsh"]),
        "s3" | "configure" | "completion" | "call" | "help" => Vec::new(),
        service => service_words(service_for_command(service), args, current),
    }
}

fn service_words(service: &str, args: &[String], current: &str) -> Vec<String> {
    let Ok(model) = ServiceModel::load(service) else {
        return Vec::new();
    };
    let waiters: Vec<String> = boto::core::model::waiters(service)
        .ok()
        .flatten()
        .map(|t| t.names().map(str::to_string).collect())
        .unwrap_or_default();
    let Some((name, rest)) = args.split_first() else {
        let mut all: Vec<String> = model
            .operations()
            .iter()
            .map(|o| flag_name(&o.name))
            .collect();
        all.push("help".into());
        if !waiters.is_empty() {
            all.push("wait".into());
        }
        return all;
    };
    let (operation, rest) = if name == "wait" {
        let Some((waiter, rest)) = rest.split_first() else {
            return waiters.iter().map(|w| flag_name(w)).collect();
        };
        let Some(w) = waiters.iter().find(|w| flag_name(w) == *waiter) else {
            return Vec::new();
        };
        let table = boto::core::model::waiters(service).ok().flatten();
        let Some(config) = table.as_ref().and_then(|t| t.get(w)) else {
            return Vec::new();
        };
        (config.operation.clone(), rest)
    } else {
        match model
            .operations()
            .iter()
            .find(|o| flag_name(&o.name) == *name)
        {
            Some(op) => (op.name.clone(), rest),
            None => return Vec::new(),
        }
    };
    let Ok(op) = model.operation(&operation) else {
        return Vec::new();
    };
    let members = crate::params::flags(&model, op);
    // The value of a parameter: its enum values, or true/false.
    if let Some(flag) = rest.last().and_then(|w| w.strip_prefix("--")) {
        if !current.starts_with("--") {
            if let Some((_, m)) = members.iter().find(|(f, _)| f == flag) {
                let target = model.shape(m.target);
                if let Some(values) = &target.enum_values {
                    return values.clone();
                }
                if target.shape_type != ShapeType::Boolean {
                    return Vec::new();
                }
            }
        }
    }
    if !current.starts_with("--") {
        return Vec::new();
    }
    let given: Vec<&str> = rest.iter().filter_map(|w| w.strip_prefix("--")).collect();
    let mut all: Vec<String> = members
        .iter()
        .filter(|(f, _)| !given.contains(&f.as_str()))
        .map(|(f, _)| format!("--{f}"))
        .collect();
    if name != "wait" {
        all.extend(strings(&["--cli-input-json", "--generate-cli-skeleton"]));
        let paginated = boto::core::model::paginators(service)
            .ok()
            .flatten()
            .is_some_and(|t| t.get(&operation).is_some());
        if paginated {
            all.extend(strings(&[
                "--no-paginate",
                "--max-items",
                "--page-size",
                "--starting-token",
            ]));
        }
    }
    all.extend(strings(GLOBAL_OPTIONS));
    all
}

/// The profile names of the config and credentials files.
fn profiles() -> Vec<String> {
    let home = std::env::var("HOME").unwrap_or_default();
    let config = std::env::var("AWS_CONFIG_FILE").unwrap_or_else(|_| format!("{home}/.aws/config"));
    let credentials = std::env::var("AWS_SHARED_CREDENTIALS_FILE")
        .unwrap_or_else(|_| format!("{home}/.aws/credentials"));
    let mut names = Vec::new();
    for (path, prefixed) in [(config, true), (credentials, false)] {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for line in text.lines() {
            let Some(section) = line
                .trim()
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
            else {
                continue;
            };
            let section = section.trim();
            let name = match section.strip_prefix("profile ") {
                Some(n) if prefixed => n.trim(),
                _ if prefixed && section != "default" => continue,
                _ => section,
            };
            names.push(name.to_string());
        }
    }
    names
}
