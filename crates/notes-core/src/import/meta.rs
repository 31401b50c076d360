//! Metadata: front matter, `Key: value` lines and bullets, Logseq `key:: value`
//! properties and a title that links its work, read into the note and its source.

use std::path::Path;

use crate::date::PartialDate;
use crate::model::{Id, Source, SourceType};

use super::Remark;

/// One metadata value, as text or a list of texts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    fn texts(&self) -> Vec<String> {
        match self {
            Value::Text(text) => vec![text.clone()],
            Value::List(list) => list.clone(),
        }
    }

    pub(crate) fn text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::List(list) => list.join(", "),
        }
    }
}

/// One `key: value` read from the Markdown, with its line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Field {
    /// The key, lowercased, with spaces and dashes as underscores.
    pub key: String,
    pub value: Value,
    pub line: usize,
}

/// How to read a date such as `11/12/2013`, where the day and month could be swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// Month first: `11/26/2013`.
    Mdy,
    /// Day first: `26/11/2013`.
    Dmy,
}

/// What the keys go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Title,
    Tags,
    Written,
    Reviewed,
    Url,
    Doi,
    Arxiv,
    Authors,
    Published,
    Venue,
    Type,
}

/// The keys the importer knows. A plain `Key: value` line counts as metadata only with
/// one of these keys; `**Key**: value` and `key:: value` with any key.
const KEYS: &[(&str, Target)] = &[
    ("title", Target::Title),
    ("paper", Target::Title),
    ("paper_title", Target::Title),
    ("name", Target::Title),
    ("tags", Target::Tags),
    ("tag", Target::Tags),
    ("keywords", Target::Tags),
    ("topics", Target::Tags),
    ("categories", Target::Tags),
    ("created", Target::Written),
    ("date", Target::Written),
    ("written", Target::Written),
    ("read", Target::Written),
    ("date_read", Target::Written),
    ("updated", Target::Reviewed),
    ("reviewed", Target::Reviewed),
    ("modified", Target::Reviewed),
    ("last_modified", Target::Reviewed),
    ("source", Target::Url),
    ("url", Target::Url),
    ("link", Target::Url),
    ("links", Target::Url),
    ("paper_link", Target::Url),
    ("pdf", Target::Url),
    ("code", Target::Url),
    ("doi", Target::Doi),
    ("arxiv", Target::Arxiv),
    ("author", Target::Authors),
    ("authors", Target::Authors),
    ("by", Target::Authors),
    ("year", Target::Published),
    ("published", Target::Published),
    ("publication_date", Target::Published),
    ("venue", Target::Venue),
    ("conference", Target::Venue),
    ("journal", Target::Venue),
    ("publisher", Target::Venue),
    ("type", Target::Type),
];

fn target(key: &str) -> Option<Target> {
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// A key as compared: lowercased, spaces and dashes as underscores.
fn normal_key(key: &str) -> String {
    key.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Reads a line or bullet text as a metadata field: `**Key**: value`, `**Key:**
/// value`, `key:: value`, or `Key: value` with a known key.
pub(crate) fn field(text: &str, line: usize) -> Option<Field> {
    let (key, value, any_key) = if let Some(rest) = text.strip_prefix("**") {
        let (key, rest) = rest.split_once("**")?;
        let (key, value) = match key.strip_suffix(':') {
            Some(key) => (key, rest),
            None => (key, rest.trim_start().strip_prefix(':')?),
        };
        (key, value, true)
    } else if let Some((key, value)) = text.split_once("::") {
        (key, value, true)
    } else {
        let (key, value) = text.split_once(':')?;
        (key, value, false)
    };
    let key = normal_key(key.trim_matches(['*', '_', ' ']));
    if key.is_empty()
        || key.len() > 30
        || !key.chars().all(|c| c.is_alphanumeric() || c == '_')
        || (!any_key && target(&key).is_none())
        || value.starts_with("//")
    {
        return None;
    }
    let value = value.trim();
    let value = if target(&key) == Some(Target::Tags) {
        // Tags are split at commas, or at spaces when there is no comma.
        let separators: &[char] = if value.contains(',') { &[','] } else { &[' '] };
        Value::List(
            value
                .split(separators)
                .map(|t| t.trim().trim_start_matches('#').to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        )
    } else {
        Value::Text(value.to_owned())
    };
    Some(Field { key, value, line })
}

/// Reads front matter (YAML, or TOML when `toml`) as fields; their lines are counted
/// from `first_line`, the line of the opening delimiter.
pub(crate) fn front_matter(
    text: &str,
    toml: bool,
    first_line: usize,
) -> Result<Vec<Field>, Remark> {
    if toml {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map_or(0, |span| {
                text[..span.start.min(text.len())].matches('\n').count()
            });
            Remark {
                line: first_line + 1 + line,
                message: format!("the TOML front matter is broken: {}", e.message()),
            }
        })?;
        let mut fields = Vec::new();
        for (key, value) in table {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key.as_str()))
                .map_or(first_line, |i| first_line + 1 + i);
            if let Some(value) = toml_value(&value) {
                fields.push(Field {
                    key: normal_key(&key),
                    value,
                    line,
                });
            }
        }
        return Ok(fields);
    }
    let file = crate::SourceFile::new(Path::new("front matter"), text.to_owned());
    let root = crate::tree::parse(&file).map_err(|e| Remark {
        line: first_line + e.span.map_or(1, |s| file.position(s.start).line),
        message: format!("the YAML front matter is broken: {}", e.message),
    })?;
    let crate::tree::NodeValue::Map(entries) = &root.value else {
        if matches!(root.value, crate::tree::NodeValue::Null) {
            return Ok(Vec::new());
        }
        return Err(Remark {
            line: first_line + 1,
            message: "the front matter is not a mapping of keys to values".to_owned(),
        });
    };
    let mut fields = Vec::new();
    for entry in entries {
        if let Some(value) = json_value(&entry.value.to_json()) {
            fields.push(Field {
                key: normal_key(&entry.key),
                value,
                line: first_line + file.position(entry.key_span.start).line,
            });
        }
    }
    Ok(fields)
}

fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn json_value(value: &serde_json::Value) -> Option<Value> {
    match value {
        serde_json::Value::Array(items) => {
            Some(Value::List(items.iter().filter_map(scalar_text).collect()))
        }
        other => scalar_text(other).map(Value::Text),
    }
}

fn toml_text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

fn toml_value(value: &toml::Value) -> Option<Value> {
    match value {
        toml::Value::Array(items) => {
            Some(Value::List(items.iter().filter_map(toml_text).collect()))
        }
        other => toml_text(other).map(Value::Text),
    }
}

/// What the metadata gives the note.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub tags: Vec<String>,
    pub written: Option<PartialDate>,
    pub reviewed: Option<PartialDate>,
    pub source: Option<Source>,
}

/// Reads `fields` (first one wins for each target); `title` is the note's title and
/// `title_url` the link of a title heading. Unknown keys and unreadable dates go in
/// `report`.
pub(crate) fn read(
    fields: &[Field],
    title: &str,
    title_url: Option<&str>,
    order: Option<DateOrder>,
    report: &mut Vec<Remark>,
) -> Meta {
    let mut meta = Meta::default();
    let mut source_title: Option<String> = None;
    let mut url: Option<String> = title_url.map(str::to_owned);
    let mut doi: Option<String> = None;
    let mut arxiv: Option<String> = None;
    let mut authors: Vec<String> = Vec::new();
    let mut published: Option<PartialDate> = None;
    let mut venue: Option<String> = None;
    let mut kind: Option<SourceType> = None;
    for field in fields {
        let Some(target) = target(&field.key) else {
            report.push(Remark {
                line: field.line,
                message: format!("unknown key `{}`: not imported", field.key),
            });
            continue;
        };
        let text = field.value.text();
        let date = |report: &mut Vec<Remark>| match parse_date(&text, order) {
            Ok(date) => Some(date),
            Err(reason) => {
                report.push(Remark {
                    line: field.line,
                    message: format!("`{}: {text}`: {reason}", field.key),
                });
                None
            }
        };
        match target {
            Target::Title => {
                let (text, link) = split_link(&text);
                if source_title.is_none() {
                    source_title = Some(text);
                }
                if url.is_none() {
                    url = link;
                }
            }
            Target::Tags => {
                for tag in field.value.texts() {
                    if !tag.is_empty() && !meta.tags.contains(&tag) {
                        meta.tags.push(tag);
                    }
                }
            }
            Target::Written if meta.written.is_none() => meta.written = date(report),
            Target::Reviewed if meta.reviewed.is_none() => meta.reviewed = date(report),
            Target::Published if published.is_none() => published = date(report),
            Target::Url => {
                for value in field.value.texts() {
                    for link in links(&value) {
                        if arxiv.is_none() {
                            arxiv = arxiv_id(&link);
                        }
                        if doi.is_none() {
                            doi = doi_of(&link);
                        }
                        if url.is_none() && field.key != "code" {
                            url = Some(link);
                        }
                    }
                }
            }
            Target::Doi if doi.is_none() => {
                doi = doi_of(&text).or_else(|| Some(text.trim().to_owned()));
            }
            Target::Arxiv if arxiv.is_none() => {
                arxiv = arxiv_id(&text).or_else(|| bare_arxiv(text.trim()));
            }
            Target::Authors if authors.is_empty() => {
                authors = match &field.value {
                    Value::List(list) => list.clone(),
                    Value::Text(text) => split_authors(text),
                };
            }
            Target::Venue if venue.is_none() => venue = Some(text),
            Target::Type => {
                kind = serde_json::from_value(serde_json::Value::String(text.to_lowercase())).ok();
            }
            _ => {}
        }
    }
    if let Some(url) = &url {
        if arxiv.is_none() {
            arxiv = arxiv_id(url);
        }
        if doi.is_none() {
            doi = doi_of(url);
        }
    }
    if url.is_none() && doi.is_none() && arxiv.is_none() {
        return meta;
    }
    let title = source_title.unwrap_or_else(|| title.to_owned());
    if published.is_none() {
        published = arxiv.as_deref().and_then(arxiv_month);
    }
    let id = source_id(arxiv.as_deref(), doi.as_deref(), &title);
    let kind =
        kind.unwrap_or_else(|| source_type(url.as_deref(), doi.is_some() || arxiv.is_some()));
    meta.source = Some(Source {
        id,
        kind,
        title,
        authors,
        venue,
        published,
        url,
        doi,
        arxiv,
        isbn: None,
        accessed: None,
        archive_url: None,
    });
    meta
}

/// A source's id: `arxiv-<id>`, `doi-<slug>`, else the slug of its title.
pub(crate) fn source_id(arxiv: Option<&str>, doi: Option<&str>, title: &str) -> Id {
    let slug = super::slug;
    let id = if let Some(arxiv) = arxiv {
        format!("arxiv-{}", slug(arxiv))
    } else if let Some(doi) = doi {
        format!("doi-{}", slug(doi))
    } else {
        let slug = slug(title);
        let joined = slug.split('-').take(8).collect::<Vec<_>>().join("-");
        if joined.is_empty() {
            "source".to_owned()
        } else {
            joined
        }
    };
    Id(id)
}

/// What kind of work a url points at.
pub(crate) fn source_type(url: Option<&str>, identified: bool) -> SourceType {
    let url = url.unwrap_or("").to_lowercase();
    if identified
        || url.ends_with(".pdf")
        || [
            "arxiv.org",
            "openreview.net",
            "aclanthology.org",
            "aclweb.org",
            "proceedings.",
            "papers.nips.cc",
            "doi.org",
            "semanticscholar.org",
            "ieeexplore",
            "dl.acm.org",
        ]
        .iter()
        .any(|host| url.contains(host))
    {
        SourceType::Paper
    } else if ["youtube.com", "youtu.be", "vimeo.com"]
        .iter()
        .any(|host| url.contains(host))
    {
        SourceType::Video
    } else {
        SourceType::Article
    }
}

/// `[text](url)` as its text and url; any other text as it is. Of links after
/// separators (`[A Book](url) - [Review](url)`), the first.
pub(crate) fn split_link(text: &str) -> (String, Option<String>) {
    let trimmed = text.trim();
    if let Some((label, url)) = super::cite::leading_link(trimmed) {
        return (label, Some(url));
    }
    if let Some(inner) = trimmed.strip_prefix('[')
        && let Some((label, rest)) = inner.split_once("](")
        && let Some(url) = rest.strip_suffix(')')
        && !label.contains(']')
    {
        let url = url.split_whitespace().next().unwrap_or("").to_owned();
        return (label.trim().to_owned(), (!url.is_empty()).then_some(url));
    }
    (trimmed.to_owned(), None)
}

/// The http(s) urls in `text`, in order.
pub(crate) fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://").or_else(|| rest.find("https://")) {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | ']' | '"' | '<'))
            .unwrap_or(tail.len());
        let link = tail[..end].trim_end_matches(['.', ',', ';']);
        if link.len() > "https://".len() {
            out.push(link.to_owned());
        }
        rest = &tail[end..];
    }
    out
}

/// The arXiv id in an arxiv.org url, without its version.
pub(crate) fn arxiv_id(url: &str) -> Option<String> {
    let at = url.find("arxiv.org/")?;
    let path = &url[at + "arxiv.org/".len()..];
    let path = path
        .strip_prefix("abs/")
        .or_else(|| path.strip_prefix("pdf/"))
        .or_else(|| path.strip_prefix("html/"))?;
    let id = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches(".pdf")
        .trim_end_matches('/');
    bare_arxiv(id)
}

/// A new-style arXiv id (`1512.03385`, version dropped) or an old one (`cs/0112017`).
fn bare_arxiv(text: &str) -> Option<String> {
    let text = text.strip_prefix("arXiv:").unwrap_or(text);
    let id = match text.rfind('v') {
        Some(v)
            if v > 0 && text[v + 1..].bytes().all(|b| b.is_ascii_digit()) && v + 1 < text.len() =>
        {
            &text[..v]
        }
        _ => text,
    };
    let new_style = id.split_once('.').is_some_and(|(a, b)| {
        a.len() == 4
            && a.bytes().all(|c| c.is_ascii_digit())
            && (4..=5).contains(&b.len())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    let old_style = id.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.bytes()
                .all(|c| c.is_ascii_alphabetic() || c == b'-' || c == b'.')
            && b.len() == 7
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    (new_style || old_style).then(|| id.to_owned())
}

/// The month a new-style arXiv id was submitted: `1512.03385` is 2015-12.
fn arxiv_month(id: &str) -> Option<PartialDate> {
    let (yymm, _) = id.split_once('.')?;
    let year: i16 = yymm.get(..2)?.parse().ok()?;
    let month: i16 = yymm.get(2..4)?.parse().ok()?;
    format!("{:04}-{month:02}", 2000 + year).parse().ok()
}

/// The DOI in a doi.org url or `doi:` text.
pub(crate) fn doi_of(text: &str) -> Option<String> {
    let text = text.trim();
    let start = text.find("10.")?;
    let before = &text[..start];
    if !(before.is_empty()
        || before.ends_with("doi.org/")
        || before.to_lowercase().ends_with("doi:")
        || before.to_lowercase().ends_with("doi: "))
    {
        return None;
    }
    let doi = text[start..]
        .split(|c: char| c.is_whitespace() || c == ')' || c == '>')
        .next()?;
    doi.contains('/')
        .then(|| doi.trim_end_matches(['.', ',']).to_owned())
}

fn split_authors(text: &str) -> Vec<String> {
    let separators: &[char] = if text.contains(';') { &[';'] } else { &[','] };
    text.split(separators)
        .flat_map(|part| part.split(" and "))
        .map(|a| a.trim().trim_start_matches("and ").trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<i16> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&word) && (word.len() == 3 || *m == word || word == "sept"))
        .and_then(|i| i16::try_from(i + 1).ok())
}

/// Reads a date as people write it: `2015`, `2022-05`, `2013-11-26` (maybe with a
/// time), `May 2022`, `November 26, 2013`, `26 Nov 2013`, `11/26/2013`,
/// `26.11.2013`. When day and month could be swapped, `order` decides; without it the
/// date is refused, never guessed.
pub fn parse_date(text: &str, order: Option<DateOrder>) -> Result<PartialDate, String> {
    let text = text.trim().trim_matches(['[', ']']);
    let iso = text
        .get(..10)
        .filter(|_| text.len() > 10 && text.as_bytes()[10] == b'T');
    let text = iso.unwrap_or(text);
    if let Ok(date) = text.replace('/', "-").parse::<PartialDate>() {
        return Ok(date);
    }
    let build = |year: i16, month: Option<i16>, day: Option<i16>| -> Result<PartialDate, String> {
        let mut date = format!("{year:04}");
        if let Some(month) = month {
            date.push_str(&format!("-{month:02}"));
            if let Some(day) = day {
                date.push_str(&format!("-{day:02}"));
            }
        }
        date.parse::<PartialDate>().map_err(|e| e.to_string())
    };
    let numeric: Vec<&str> = text.split(['/', '.', '-']).collect();
    if numeric.len() == 3
        && numeric
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let a: i16 = numeric[0].parse().map_err(|_| "not a date".to_owned())?;
        let b: i16 = numeric[1].parse().map_err(|_| "not a date".to_owned())?;
        let year: i16 = numeric[2].parse().map_err(|_| "not a date".to_owned())?;
        let year = match numeric[2].len() {
            4 => year,
            2 => 2000 + year,
            _ => return Err("not a date: the year needs four digits".to_owned()),
        };
        // `26.11.2013` is day first wherever it is written.
        let dotted = text.contains('.');
        let (month, day) = if a > 12 || dotted {
            (b, a)
        } else if b > 12 || a == b {
            (a, b)
        } else {
            match order {
                Some(DateOrder::Mdy) => (a, b),
                Some(DateOrder::Dmy) => (b, a),
                None => {
                    return Err(
                        "the day and month could be either way round: pass --date-order mdy or dmy"
                            .to_owned(),
                    );
                }
            }
        };
        return build(year, Some(month), Some(day));
    }
    // Month names: `November 26, 2013`, `26 Nov 2013`.
    let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let has_year = spaced
        .rsplit(' ')
        .next()
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    if has_year && spaced.split(' ').count() == 3 {
        for format in ["%B %d, %Y", "%B %d %Y", "%d %B %Y", "%d %B, %Y"] {
            if let Ok(date) = jiff::fmt::strtime::parse(format, &spaced).and_then(|t| t.to_date()) {
                return Ok(PartialDate::from_date(date));
            }
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| -> Option<i16> {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()
    };
    match words.as_slice() {
        [month, year] => {
            if let (Some(month), Some(year)) = (month_number(month), number(year)) {
                return build(year, Some(month), None);
            }
        }
        [first, second, year] => {
            let year = number(year);
            if let (Some(month), Some(day), Some(year)) =
                (month_number(first), number(second), year)
            {
                return build(year, Some(month), Some(day));
            }
            if let (Some(day), Some(month), Some(year)) =
                (number(first), month_number(second), year)
            {
                return build(year, Some(month), Some(day));
            }
        }
        _ => {}
    }
    Err("not a date: write 2022, 2022-05, 2022-05-09, May 2022 or 26 May 2022".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str, order: Option<DateOrder>) -> Result<String, String> {
        parse_date(text, order).map(|d| d.to_string())
    }

    #[test]
    fn dates_as_people_write_them() {
        for (text, expected) in [
            ("2015", "2015"),
            ("2022-05", "2022-05"),
            ("2013-11-26", "2013-11-26"),
            ("2013-11-26T10:20:00Z", "2013-11-26"),
            ("May 2022", "2022-05"),
            ("Sept 2021", "2021-09"),
            ("November 26, 2013", "2013-11-26"),
            ("26 Nov 2013", "2013-11-26"),
            ("11/26/2013", "2013-11-26"),
            ("26/11/2013", "2013-11-26"),
            ("26.11.2013", "2013-11-26"),
            ("11/11/2013", "2013-11-11"),
        ] {
            assert_eq!(date(text, None).as_deref(), Ok(expected), "{text}");
        }
        assert!(
            date("11/12/2013", None)
                .unwrap_err()
                .contains("--date-order")
        );
        assert_eq!(
            date("11/12/2013", Some(DateOrder::Mdy)).as_deref(),
            Ok("2013-11-12")
        );
        assert_eq!(
            date("11/12/2013", Some(DateOrder::Dmy)).as_deref(),
            Ok("2013-12-11")
        );
        assert!(date("31/31/2013", None).is_err());
        assert!(date("soon", None).is_err());
        assert!(date("February 30, 2013", None).is_err());
    }

    #[test]
    fn metadata_lines_in_the_styles_people_use() {
        let f = |text: &str| field(text, 1).map(|f| (f.key, f.value));
        assert_eq!(
            f("**Title**: Deep Residual Learning"),
            Some((
                "title".to_owned(),
                Value::Text("Deep Residual Learning".to_owned())
            ))
        );
        assert_eq!(f("**Year:** 2015").map(|f| f.0).as_deref(), Some("year"));
        assert_eq!(
            f("authors:: Kaiming He").map(|f| f.0).as_deref(),
            Some("authors")
        );
        assert_eq!(
            f("Link: https://arxiv.org/abs/1512.03385")
                .map(|f| f.0)
                .as_deref(),
            Some("link")
        );
        assert_eq!(
            f("Tags: #vision, resnet"),
            Some((
                "tags".to_owned(),
                Value::List(vec!["vision".to_owned(), "resnet".to_owned()])
            ))
        );
        // A plain line needs a known key: a sentence with a colon is not metadata.
        assert_eq!(f("Main idea: residuals help"), None);
        assert_eq!(f("Note: old"), None);
    }

    #[test]
    fn identifiers_from_urls() {
        assert_eq!(
            arxiv_id("https://arxiv.org/abs/1512.03385v2").as_deref(),
            Some("1512.03385")
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/pdf/1512.03385.pdf").as_deref(),
            Some("1512.03385")
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/abs/cs/0112017").as_deref(),
            Some("cs/0112017")
        );
        assert_eq!(arxiv_id("https://example.org/abs/1512.03385"), None);
        assert_eq!(
            doi_of("https://doi.org/10.1038/nature14539").as_deref(),
            Some("10.1038/nature14539")
        );
        assert_eq!(doi_of("version 10.2"), None);
        assert_eq!(
            source_id(Some("1512.03385"), None, "x").as_str(),
            "arxiv-1512-03385"
        );
        assert_eq!(
            source_id(None, Some("10.1038/nature14539"), "x").as_str(),
            "doi-10-1038-nature14539"
        );
        assert_eq!(
            source_id(None, None, "Attention Is All You Need").as_str(),
            "attention-is-all-you-need"
        );
        assert_eq!(
            arxiv_month("1512.03385").map(|d| d.to_string()).as_deref(),
            Some("2015-12")
        );
    }
}
