//! Printing a response as aws-cli does, after `--query`: `json` (4-space indent, nothing for
//! an empty response), `text` (tab-separated, [`text`]), `table` ([`table`]) and aws-cli v2's
//! `yaml` / `yaml-stream` ([`yaml`]).
//!
//! `text` and `yaml-stream` print a paginated response page by page as it arrives (see
//! [`Printer`]); the other formats print the merged result.

mod table;
mod text;
mod yaml;

use crate::failure::Failure;
use boto::Document;
use serde::Serialize;
use std::io::IsTerminal;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// aws-cli's default.
    #[default]
    Json,
    /// Tab-separated.
    Text,
    /// Boxes drawn with `+`, `-` and `|`.
    Table,
    /// One YAML document.
    Yaml,
    /// A YAML list, one element per page, printed as each page arrives.
    YamlStream,
    /// Nothing on stdout (aws-cli v2's `off`): only the exit status tells.
    Off,
}

impl Format {
    /// Parses an `--output` value.
    pub fn from_name(name: &str) -> Result<Format, Failure> {
        match name {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "table" => Ok(Format::Table),
            "yaml" => Ok(Format::Yaml),
            "yaml-stream" => Ok(Format::YamlStream),
            "off" => Ok(Format::Off),
            _ => Err(Failure::param(format!(
                "argument --output: Invalid choice, valid choices are:\n\n\
                 json | text | table | yaml | yaml-stream | off\n\nInvalid choice: '{name}'"
            ))),
        }
    }

    /// Whether a paginated response prints page by page in this format.
    pub fn streams_pages(self) -> bool {
        matches!(self, Format::Text | Format::YamlStream)
    }
}

/// `--color`: colours in table output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    /// Coloured when stdout is a terminal.
    #[default]
    Auto,
    /// Always coloured.
    On,
    /// Never coloured.
    Off,
}

impl Color {
    /// Parses a `--color` value.
    pub fn from_name(name: &str) -> Result<Color, Failure> {
        match name {
            "auto" => Ok(Color::Auto),
            "on" => Ok(Color::On),
            "off" => Ok(Color::Off),
            _ => Err(Failure::param(format!(
                "argument --color: Invalid choice, valid choices are:\n\n\
                 on | off | auto\n\nInvalid choice: '{name}'"
            ))),
        }
    }
}

/// How to print: the global options that shape output.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// `--output`.
    pub format: Format,
    /// `--query`.
    pub query: Option<&'a str>,
    /// `--color`.
    pub color: Color,
}

fn search(doc: &Document, query: Option<&str>) -> Option<Document> {
    query.map(|q| boto::core::path::search(q, doc))
}

/// The whole response of `operation` (the table's title) as `options` print it; empty when
/// aws-cli prints nothing.
pub fn render(doc: &Document, operation: &str, options: Options<'_>) -> String {
    let shown = search(doc, options.query);
    let queried = shown.is_some();
    let doc = shown.as_ref().unwrap_or(doc);
    match options.format {
        Format::Json => json(doc, queried),
        Format::Text => text::render(doc),
        Format::Table => {
            let style = match options.color {
                Color::On => table::Style::Colored,
                Color::Off => table::Style::Plain,
                Color::Auto if std::io::stdout().is_terminal() => table::Style::Colored,
                Color::Auto => table::Style::Plain,
            };
            table::render(doc, operation, terminal_width(), style)
        }
        // aws-cli v2 prints nothing for an empty response, as for json.
        Format::Yaml if !queried && doc.as_map().is_some_and(|m| m.is_empty()) => String::new(),
        Format::Yaml => yaml::render(doc),
        Format::YamlStream => yaml::render(&Document::List(vec![doc.clone()])),
        Format::Off => String::new(),
    }
}

/// One page of a paginated response, for the formats that stream: `text` prints the page
/// (the query applied to it alone, as aws-cli does), `yaml-stream` one list element.
pub fn render_page(page: &Document, options: Options<'_>) -> String {
    let shown = search(page, options.query);
    let page = shown.as_ref().unwrap_or(page);
    match options.format {
        Format::YamlStream => yaml::render(&Document::List(vec![page.clone()])),
        _ => text::render(page),
    }
}

/// The width aws-cli fits tables to: the terminal's when stdout is one, else 80 columns.
/// `stty` answers for the terminal (the ioctl itself would need `unsafe` or a crate), and only
/// when a table is printed to a terminal.
fn terminal_width() -> usize {
    const DEFAULT: usize = 80;
    if !std::io::stdout().is_terminal() {
        return DEFAULT;
    }
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return n;
    }
    let Ok(tty) = std::fs::File::open("/dev/tty") else {
        return DEFAULT;
    };
    std::process::Command::new("stty")
        .arg("size")
        .stdin(tty)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(DEFAULT)
}

/// aws-cli's `json.dumps(response, indent=4)`; an empty response (no query) prints nothing.
pub fn json(doc: &Document, queried: bool) -> String {
    if !queried && doc.as_map().is_some_and(|m| m.is_empty()) {
        return String::new();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if doc.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut out = String::from_utf8(buf).unwrap_or_default();
    out.push('\n');
    out
}

/// A scalar as Python's `str()` shows it in aws-cli's text output.
pub fn scalar(doc: &Document) -> String {
    match doc {
        Document::Null => "None".into(),
        Document::Bool(true) => "True".into(),
        Document::Bool(false) => "False".into(),
        Document::Int(n) => n.to_string(),
        Document::Float(f) => python_float(*f),
        Document::String(s) => s.clone(),
        Document::Timestamp(t) => t.to_iso8601(),
        Document::Blob(_) | Document::List(_) | Document::Map(_) => {
            let j = doc.to_json();
            j.trim_matches('"').to_string()
        }
    }
}

/// Python's `repr` of a float: the shortest digits that read back, in exponent form below
/// 1e-4 and from 1e16 on (`1e+16`, `1.5e-05`), else with at least one decimal (`3.0`).
fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let a = f.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        let e = format!("{f:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    if f.fract() == 0.0 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// Whether aws-cli's formatters treat the value as a scalar (not a list or a dict).
pub fn is_scalar(doc: &Document) -> bool {
    !matches!(doc, Document::List(_) | Document::Map(_))
}

#[cfg(test)]
mod tests {
    use super::python_float;

    #[test]
    fn floats_print_as_python_repr() {
        for (f, want) in [
            (3.0, "3.0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (1e16, "1e+16"),
            (1.5e20, "1.5e+20"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-2.5e-7, "-2.5e-07"),
            (123456789.125, "123456789.125"),
            (0.0, "0.0"),
        ] {
            assert_eq!(python_float(f), want, "{f}");
        }
    }
}
