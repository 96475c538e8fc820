//! aws-cli's `table` layout (awscli/formatter.py `TableFormatter`, awscli/table.py `MultiTable`):
//! a section per dict or list, titled by the operation or the key it sits under, scalar keys
//! as sorted column headers, nested values as indented sections below, every section scaled to
//! the width of the widest one; a table wider than the terminal turns its one-row sections
//! into key/value pairs.

use super::{is_scalar, scalar};
use boto::Document;

/// How cells and borders are coloured (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    Plain,
    /// aws-cli's colorama styling: bright blue cells, dim yellow indentation bars. colorama's
    /// `autoreset` also sends a reset after every write aws-cli makes, which is reproduced so
    /// that the bytes match.
    Colored,
}

const RESET: &str = "\x1b[0m";
const CELL: &str = "\x1b[1m\x1b[34m";
const BAR: &str = "\x1b[2m\x1b[33m";

#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn header(&mut self, headers: Vec<String>) {
        self.widen(&headers);
        self.headers = headers;
    }

    fn row(&mut self, row: Vec<String>) {
        self.widen(&row);
        self.rows.push(row);
    }

    fn widen(&mut self, cells: &[String]) {
        for (i, cell) in cells.iter().enumerate() {
            let w = width(cell);
            match self.max_widths.get_mut(i) {
                Some(have) => *have = (*have).max(w),
                None => self.max_widths.push(w),
            }
        }
    }

    /// The column widths with `padding` each, scaled to sum to `max_width` (table.py's
    /// `calculate_column_widths`, Python's round-half-even included).
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let factor = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (factor * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum();
        let outer = 2 + 2 * self.indent;
        (width(&self.title) + outer).max(columns + outer)
    }
}

/// Builds the sections as `TableFormatter._build_table` does.
#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_string(),
            indent,
            ..Section::default()
        });
    }

    /// Python's truthiness: empty containers (and null) make no section.
    fn build(&mut self, title: Option<&str>, doc: &Document, indent: usize) -> bool {
        let empty = match doc {
            Document::Null => true,
            Document::List(l) => l.is_empty(),
            Document::Map(m) => m.is_empty(),
            Document::String(s) => s.is_empty(),
            Document::Bool(b) => !b,
            Document::Int(n) => *n == 0,
            Document::Float(f) => *f == 0.0,
            _ => false,
        };
        if empty {
            return false;
        }
        if let Some(t) = title {
            self.new_section(t, indent);
        }
        match doc {
            Document::List(items) if matches!(items[0], Document::Map(_)) => {
                self.list_sections(items, indent, title.unwrap_or_default());
            }
            Document::List(items) => {
                for item in items {
                    match item {
                        Document::List(inner) if inner.iter().all(is_scalar) => {
                            self.current().row(inner.iter().map(scalar).collect())
                        }
                        // Python's `all(...)` over a dict walks its keys, all scalars.
                        Document::Map(m) => self
                            .current()
                            .row(m.keys().map(|k| k.to_string()).collect()),
                        Document::List(_) => {
                            self.build(None, item, 0);
                        }
                        other => self.current().row(vec![scalar(other)]),
                    }
                }
            }
            Document::Map(map) => self.dict_section(map, indent),
            _ => {}
        }
        true
    }

    fn dict_section(&mut self, map: &boto::Map, indent: usize) {
        let (headers, more) = split_keys(std::iter::once(map));
        if headers.len() == 1 {
            let value = scalar(&map[headers[0].as_str()]);
            self.current().row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| scalar(&map[k.as_str()])).collect();
            self.current().header(headers);
            self.current().row(row);
        }
        for key in more {
            self.build(Some(&key), &map[key.as_str()], indent + 1);
        }
    }

    fn list_sections(&mut self, items: &[Document], indent: usize, title: &str) {
        let (headers, more) = split_keys(items.iter().filter_map(Document::as_map));
        self.current().header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            let Some(map) = item.as_map() else { continue };
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent);
                self.current().header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|h| map.get(h.as_str()).map(scalar).unwrap_or_default())
                .collect();
            self.current().row(row);
            for key in &more {
                if let Some(value) = map.get(key.as_str()) {
                    self.build(Some(key), value, indent + 1);
                }
            }
        }
    }
}

/// The sorted scalar keys and the sorted other keys of some dicts (their union).
fn split_keys<'m>(maps: impl Iterator<Item = &'m boto::Map>) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    for map in maps {
        for (k, v) in map {
            let into = if is_scalar(v) {
                &mut headers
            } else {
                &mut more
            };
            if !into.iter().any(|known| known == k) {
                into.push(k.to_string());
            }
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// `doc` as aws-cli's table titled `title`, fitted to `terminal_width` columns; empty when
/// aws-cli prints nothing (an empty or null result).
pub fn render(doc: &Document, title: &str, terminal_width: usize, style: Style) -> String {
    let mut builder = Builder::default();
    if !builder.build(Some(title), doc, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let mut max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if max_width > terminal_width {
        for section in &mut sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let headers = std::mem::take(&mut section.headers);
                let row = section.rows.remove(0);
                section.max_widths.clear();
                for (h, v) in headers.into_iter().zip(row) {
                    section.row(vec![h, v]);
                }
            }
        }
        max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    let mut out = Writer {
        out: String::new(),
        style,
    };
    out.write(&format!("{}\n", "-".repeat(max_width)));
    for section in &sections {
        render_section(section, max_width, &mut out);
    }
    out.out
}

/// The output, with colorama's reset after each write when coloured.
struct Writer {
    out: String,
    style: Style,
}

impl Writer {
    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        if self.style == Style::Colored {
            self.out.push_str(RESET);
        }
    }

    /// One line of a section, inside its indentation bars (table.py's `IndentedStream`).
    fn line(&mut self, indent: usize, text: &str) {
        let bars = match self.style {
            Style::Plain => "|".repeat(indent),
            Style::Colored => format!("{BAR}|{RESET}").repeat(indent),
        };
        self.write(&bars);
        self.write(text);
        self.write(&bars);
        self.write("\n");
    }

    fn cell(&self, text: &str) -> String {
        match self.style {
            Style::Plain => text.to_string(),
            Style::Colored => format!("{CELL}{text}{RESET}"),
        }
    }
}

fn render_section(section: &Section, max_width: usize, out: &mut Writer) {
    let max_width = max_width.saturating_sub(section.indent * 2);
    let indent = section.indent;
    if !section.title.is_empty() {
        let title = center(&section.title, width(&section.title), max_width, "|");
        out.line(indent, &title);
        if section.headers.is_empty() && section.rows.is_empty() {
            out.line(
                indent,
                &format!("+{}+", "-".repeat(max_width.saturating_sub(2))),
            );
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, max_width);
        out.line(indent, &line_break(&widths));
        let mut line = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            line.push_str(&center(header, width(header), *w, left));
        }
        out.line(indent, &line);
    }
    if section.rows.is_empty() {
        return;
    }
    let widths = section.column_widths(4, max_width);
    if widths.is_empty() {
        return;
    }
    out.line(indent, &line_break(&widths));
    for row in &section.rows {
        let mut line = String::new();
        for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            line.push_str(&align_left(&out.cell(cell), width(cell), *w, left));
        }
        out.line(indent, &line);
    }
    out.line(indent, &line_break(&widths));
}

/// `+-----+------+` for columns of `widths`.
fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            line.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    line
}

/// table.py's `center_text`: `text` (of display width `text_width`) centred in `length`
/// columns between `left` and a `|`.
fn center(text: &str, text_width: usize, length: usize, left: &str) -> String {
    let start = (length / 2) as isize - (text_width / 2) as isize - 1;
    let so_far = left.len() as isize + start + text_width as isize;
    let right = length as isize - 1 - so_far;
    format!(
        "{left}{}{text}{}|",
        " ".repeat(start.max(0) as usize),
        " ".repeat(right.max(0) as usize)
    )
}

/// table.py's `align_left`: two spaces of padding when they fit, then `text`, then spaces up
/// to `length` columns ending in `|`.
fn align_left(text: &str, text_width: usize, length: usize, left: &str) -> String {
    let padding = if text_width + 2 + left.len() < length {
        2
    } else {
        0
    };
    let so_far = left.len() + padding + text_width;
    format!(
        "{left}{}{text}{}|",
        " ".repeat(padding),
        " ".repeat(length.saturating_sub(so_far + 1))
    )
}

/// Display width as table.py's `get_text_length` counts it: two columns for characters whose
/// East Asian Width is Wide, Fullwidth or Ambiguous. The ranges below are the blocks where such
/// characters occur in practice (CJK, kana, Hangul, fullwidth forms, emoji; Greek, Cyrillic
/// and Latin-1 symbols for Ambiguous), not Unicode's whole table.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

fn wide(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x00A1, 0x00A1),
        (0x00A4, 0x00A4),
        (0x00A7, 0x00A8),
        (0x00AA, 0x00AA),
        (0x00AD, 0x00AE),
        (0x00B0, 0x00B4),
        (0x00B6, 0x00BA),
        (0x00BC, 0x00BF),
        (0x00C6, 0x00C6),
        (0x00D0, 0x00D0),
        (0x00D7, 0x00D8),
        (0x00DE, 0x00E1),
        (0x00E6, 0x00E6),
        (0x00E8, 0x00EA),
        (0x00EC, 0x00ED),
        (0x00F0, 0x00F0),
        (0x00F2, 0x00F3),
        (0x00F7, 0x00FA),
        (0x00FC, 0x00FC),
        (0x00FE, 0x00FE),
        (0x0391, 0x03A9),
        (0x03B1, 0x03C9),
        (0x0401, 0x0401),
        (0x0410, 0x044F),
        (0x0451, 0x0451),
        (0x1100, 0x115F),
        (0x2010, 0x2027),
        (0x2030, 0x203E),
        (0x2190, 0x21FF),
        (0x2200, 0x22FF),
        (0x2460, 0x24FF),
        (0x2500, 0x257F),
        (0x25A0, 0x25FF),
        (0x2600, 0x27BF),
        (0x2E80, 0x303E),
        (0x3041, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xA000, 0xA4CF),
        (0xAC00, 0xD7A3),
        (0xE000, 0xF8FF),
        (0xF900, 0xFAFF),
        (0xFE10, 0xFE19),
        (0xFE30, 0xFE6F),
        (0xFF01, 0xFF60),
        (0xFFE0, 0xFFE6),
        (0xFFFD, 0xFFFD),
        (0x1F300, 0x1F64F),
        (0x1F900, 0x1F9FF),
        (0x20000, 0x3FFFD),
    ];
    let c = c as u32;
    c >= 0xA1
        && RANGES
            .binary_search_by(|(lo, hi)| {
                if *hi < c {
                    std::cmp::Ordering::Less
                } else if *lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Layouts printed by aws-cli 1.46.2's own TableFormatter (80 columns, colour off) for
    /// the same documents.
    const AWS_CLI_TABLES: &[(&str, &str, &str)] = &[
        (
            "wide_characters",
            r#"{"Items": [{"Name": "日本語の名前", "Size": 1}, {"Name": "b", "Size": 22}], "Count": 2}"#,
            r#"----------------------------
|            Op            |
+----------------+---------+
|  Count         |  2      |
+----------------+---------+
||          Items         ||
|+---------------+--------+|
||     Name      | Size   ||
|+---------------+--------+|
||  日本語の名前 |  1     ||
||  b            |  22    ||
|+---------------+--------+|
"#,
        ),
        (
            "vertical_when_too_wide",
            r#"{"Config": {"LongKeyNameNumberOne": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "LongKeyNameNumberTwo": "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "Third": 3}, "Rows": [{"A": "aaaaaaaaaaaaaaaaaaaa", "B": "bbbbbbbbbbbbbbbbbbbb", "C": "cccccccccccccccccccc"}, {"A": "1", "B": "2", "C": "3"}]}"#,
            r#"----------------------------------------------------------------------------
|                                    Op                                    |
+--------------------------------------------------------------------------+
||                                 Config                                 ||
|+-----------------------------+------------------------------------------+|
||  LongKeyNameNumberOne       |  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx          ||
||  LongKeyNameNumberTwo       |  yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy          ||
||  Third                      |  3                                       ||
|+-----------------------------+------------------------------------------+|
||                                  Rows                                  ||
|+----------------------+------------------------+------------------------+|
||           A          |           B            |           C            ||
|+----------------------+------------------------+------------------------+|
||  aaaaaaaaaaaaaaaaaaaa|  bbbbbbbbbbbbbbbbbbbb  |  cccccccccccccccccccc  ||
||  1                   |  2                     |  3                     ||
|+----------------------+------------------------+------------------------+|
"#,
        ),
        (
            "lists_and_scalars",
            r#"{"Matrix": [[1, 2], [3, 4]], "Tags": ["a", "b"], "Flag": true, "Nothing": null, "Ratio": 1.5}"#,
            r#"------------------------------
|             Op             |
+------+-----------+---------+
| Flag |  Nothing  |  Ratio  |
+------+-----------+---------+
|  True|  None     |  1.5    |
+------+-----------+---------+
||          Matrix          ||
|+------------+-------------+|
||  1         |  2          ||
||  3         |  4          ||
|+------------+-------------+|
||           Tags           ||
|+--------------------------+|
||  a                       ||
||  b                       ||
|+--------------------------+|
"#,
        ),
        (
            "sections_per_element",
            r#"{"Reservations": [{"Id": "r1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "running", "Code": 16}}]}, {"Id": "r2", "Instances": [{"InstanceId": "i-2"}]}]}"#,
            r#"---------------------------
|           Op            |
+-------------------------+
||     Reservations      ||
|+-----------------------+|
||          Id           ||
|+-----------------------+|
||  r1                   ||
|+-----------------------+|
|||      Instances      |||
||+---------------------+||
|||     InstanceId      |||
||+---------------------+||
|||  i-1                |||
||+---------------------+||
||||       State       ||||
|||+-------+-----------+|||
|||| Code  |   Name    ||||
|||+-------+-----------+|||
||||  16   |  running  ||||
|||+-------+-----------+|||
||     Reservations      ||
|+-----------------------+|
||          Id           ||
|+-----------------------+|
||  r2                   ||
|+-----------------------+|
|||      Instances      |||
||+---------------------+||
|||     InstanceId      |||
||+---------------------+||
|||  i-2                |||
||+---------------------+||
"#,
        ),
    ];

    #[test]
    fn same_layout_as_aws_cli() {
        for (name, input, want) in AWS_CLI_TABLES {
            let doc = Document::from_json(input).unwrap();
            assert_eq!(render(&doc, "Op", 80, Style::Plain), *want, "{name}");
        }
    }

    #[test]
    fn widths_scale_with_python_rounding() {
        let mut s = Section::default();
        s.row(vec!["ab".into(), "abcdef".into()]);
        // unscaled 6 and 10 over 21: 7.875 -> 8, 13.125 -> 13.
        assert_eq!(s.column_widths(4, 21), vec![8, 13]);
        // 2.5 rounds to 2 as Python's round() does: 5 * 0.5 and 5 * 0.5 -> [2, 2] then +1.
        let mut t = Section::default();
        t.row(vec!["a".into(), "a".into()]);
        assert_eq!(t.column_widths(4, 5), vec![2, 3]);
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("é"), 2);
        assert_eq!(width("e"), 1);
    }
}
