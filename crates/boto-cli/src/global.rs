//! aws-cli's global options, taken from anywhere on the command line (as aws-cli accepts them
//! before or after the command), and the session they describe.

use crate::failure::Failure;
use crate::output::{Color, Format, Options};
use boto::blocking::Session;

/// The global options given.
#[derive(Debug, Default)]
pub struct Globals {
    /// `--output`; else `AWS_DEFAULT_OUTPUT`, else the profile's `output`, else json.
    pub output: Option<Format>,
    /// `--query`.
    pub query: Option<String>,
    /// `--color`.
    pub color: Color,
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--ca-bundle`.
    pub ca_bundle: Option<String>,
    /// `--cli-read-timeout` (seconds).
    pub read_timeout: Option<String>,
    /// `--cli-connect-timeout` (seconds).
    pub connect_timeout: Option<String>,
    /// `--debug`.
    pub debug: bool,
    /// `--no-sign-request`: requests go out unsigned and no credentials are looked up.
    pub unsigned: bool,
    /// `--no-verify-ssl`: any TLS certificate is accepted (botocore's `verify=False`).
    pub no_verify_ssl: bool,
}

impl Globals {
    /// Splits the global options out of `args`; the rest is the command and its parameters.
    pub fn parse(args: Vec<String>) -> Result<(Globals, Vec<String>), Failure> {
        let mut g = Globals::default();
        let mut rest = Vec::new();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline.clone().or_else(|| it.next()).ok_or_else(|| {
                    Failure::new(
                        crate::failure::status::USAGE,
                        format!("argument {name}: expected one argument ({name} needs a value)"),
                    )
                })
            };
            match name.as_str() {
                "--output" => g.output = Some(Format::from_name(&value("--output")?)?),
                "--query" => g.query = Some(value("--query")?),
                "--color" => g.color = Color::from_name(&value("--color")?)?,
                "--region" => g.region = Some(value("--region")?),
                "--profile" => g.profile = Some(value("--profile")?),
                "--endpoint-url" => g.endpoint_url = Some(value("--endpoint-url")?),
                "--ca-bundle" => g.ca_bundle = Some(value("--ca-bundle")?),
                "--cli-read-timeout" => g.read_timeout = Some(seconds(&value(&name)?, &name)?),
                "--cli-connect-timeout" => {
                    g.connect_timeout = Some(seconds(&value(&name)?, &name)?)
                }
                "--debug" => g.debug = true,
                "--no-sign-request" => g.unsigned = true,
                "--no-verify-ssl" => g.no_verify_ssl = true,
                _ => rest.push(arg),
            }
        }
        Ok((g, rest))
    }

    /// The options that shape what is printed. The format not given comes from
    /// `AWS_DEFAULT_OUTPUT` or the profile's `output`, as aws-cli reads it.
    pub fn output(&self) -> Result<Options<'_>, Failure> {
        let format = match self.output {
            Some(f) => f,
            None => match std::env::var("AWS_DEFAULT_OUTPUT")
                .ok()
                .or_else(|| crate::configure::profile_value(self, "output"))
            {
                Some(name) => Format::from_name(&name)?,
                None => Format::Json,
            },
        };
        Ok(Options {
            format,
            query: self.query.as_deref(),
            color: self.color,
        })
    }

    /// The session these options describe (environment and `~/.aws` for the rest).
    pub fn session(&self) -> Result<Session, Failure> {
        let mut b = Session::builder();
        if let Some(r) = &self.region {
            b = b.region_name(r);
        }
        if let Some(p) = &self.profile {
            b = b.profile_name(p);
        }
        if let Some(u) = &self.endpoint_url {
            b = b.endpoint_url(u);
        }
        if let Some(c) = &self.ca_bundle {
            b = b.config("ca_bundle", c);
        }
        if self.unsigned {
            b = b.unsigned();
        }
        if self.no_verify_ssl {
            b = b.config("verify", "false");
            // aws-cli passes on urllib3's warning, once per host; boto says it once.
            let host = self
                .endpoint_url
                .as_deref()
                .and_then(|u| u.split("://").nth(1))
                .map(|rest| rest.split(['/', ':']).next().unwrap_or(rest))
                .map(|h| format!(" to host '{h}'"))
                .unwrap_or_default();
            eprintln!(
                "InsecureRequestWarning: Unverified HTTPS request is being made{host}. \
                 Adding certificate verification is strongly advised."
            );
        }
        // aws-cli: 0 means no timeout; botocore's settings take seconds.
        if let Some(t) = self.read_timeout.as_ref().filter(|t| *t != "0") {
            b = b.config("read_timeout", t);
        }
        if let Some(t) = self.connect_timeout.as_ref().filter(|t| *t != "0") {
            b = b.config("connect_timeout", t);
        }
        b.build().map_err(|e| Failure::call(e, ""))
    }
}

fn seconds(text: &str, flag: &str) -> Result<String, Failure> {
    text.parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(|_| text.to_string())
        .ok_or_else(|| {
            Failure::param(format!(
                "argument {flag}: invalid number of seconds: {text:?}"
            ))
        })
}
