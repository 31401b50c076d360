//! Rendering notes as GitHub-flavoured Markdown, from the notes and their exported claims.
//!
//! A note renders as its title; a line with when it was written and reviewed, what it
//! summarises and its as-of date; its caveats as a GitHub alert; its sections as
//! headings; its claims as nested bullets; every citation as a footnote carrying the
//! full reference. Text from the notes is escaped so it renders exactly as written.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::date::PartialDate;
use crate::model::{CaveatRef, Citation, Claim, ClaimKind, Note, Source, SourceType};

use super::json::Definitions;
use super::{ExportedClaim, ExportedNote, GENERATED_BY};

/// The file name of the index of the Markdown export.
pub const INDEX_FILE: &str = "README.md";

/// The note id whose Markdown file would clash with the index on case-insensitive file systems.
pub(crate) const INDEX_STEM: &str = "readme";

/// What the index tells of one note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSummary {
    /// The note's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it was written.
    pub written: Option<PartialDate>,
    /// When it was reviewed.
    pub reviewed: Option<PartialDate>,
    /// Its own as-of date.
    pub as_of: Option<PartialDate>,
    /// How many claims it has, children included.
    pub claims: usize,
    /// How many sources it defines.
    pub sources: usize,
}

/// The index: every note with its dates and claim count, in the order given (by id).
pub fn render_index(notes: &[NoteSummary]) -> String {
    let mut out = format!("<!-- {GENERATED_BY} from the notes. Do not edit. -->\n\n# Notes\n\n");
    let claims: usize = notes.iter().map(|note| note.claims).sum();
    let sources: usize = notes.iter().map(|note| note.sources).sum();
    if notes.is_empty() {
        out.push_str("There are no notes yet.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{}, {} and {}.\n",
        count(notes.len(), "note", "notes"),
        count(claims, "claim", "claims"),
        count(sources, "source", "sources"),
    );
    out.push_str(&super::chart::image(super::chart::CORPUS_CHART));
    out.push_str("| Note | Written | Reviewed | As of | Claims |\n");
    out.push_str("| --- | --- | --- | --- | ---: |\n");
    for note in notes {
        let date =
            |date: Option<PartialDate>| date.map_or_else(|| "—".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} | {} | {} | {} |",
            inline(&note.title),
            note.id,
            date(note.written),
            date(note.reviewed),
            date(note.as_of),
            note.claims
        );
    }
    out
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One note as Markdown: `note` as written, `exported` its claims resolved.
/// `definitions` gives the sources, caveats and events that the note refers to but
/// other notes define.
pub fn render_note(definitions: &Definitions, note: &Note, exported: &ExportedNote) -> String {
    render_note_on(definitions, note, exported, None)
}

/// Like [`render_note`]; with `today`, each claim that is stale or overtaken on that date
/// carries a marker with the reason, and the page says the date.
pub fn render_note_on(
    definitions: &Definitions,
    note: &Note,
    exported: &ExportedNote,
    today: Option<jiff::civil::Date>,
) -> String {
    let mut renderer = Renderer {
        definitions,
        out: String::new(),
        footnotes: Vec::new(),
        footnote_index: HashMap::new(),
        headings: BTreeSet::new(),
        cited: BTreeSet::new(),
        today,
    };
    renderer.note(note, exported);
    renderer.out
}

struct Renderer<'a> {
    definitions: &'a Definitions,
    out: String,
    /// Each distinct (source, locator) cited, in order of first reference; its footnote
    /// number is its index plus one, the number GitHub shows.
    footnotes: Vec<(String, Option<String>)>,
    /// The index of each entry of `footnotes`, so that a note citing many pages does not
    /// search them all for each citation.
    footnote_index: HashMap<(String, Option<String>), usize>,
    /// Headings already used, so no two are the same.
    headings: BTreeSet<String>,
    /// Source ids cited anywhere in the note.
    cited: BTreeSet<String>,
    /// The date stale and overtaken claims are marked on, when the export is given one.
    today: Option<jiff::civil::Date>,
}

impl<'a> Renderer<'a> {
    fn note(&mut self, note: &'a Note, exported: &'a ExportedNote) {
        let _ = writeln!(
            self.out,
            "<!-- {GENERATED_BY} from {}. Do not edit. -->\n",
            exported.file.replace("--", "- -")
        );
        self.heading(1, &note.title);
        self.out
            .push_str(&super::chart::image(&format!("{}.svg", exported.id)));
        if let Some(today) = self.today {
            let _ = writeln!(
                self.out,
                "Claims marked ⚠ were stale or overtaken on {today}, the date of this export.\n"
            );
        }

        let mut meta = Vec::new();
        if let Some(written) = note.written {
            meta.push(format!("written {written}"));
        }
        if let Some(reviewed) = note.reviewed {
            meta.push(format!("reviewed {reviewed}"));
        }
        if let Some(summary_of) = &note.summary_of {
            let reference = self.cite_titled(summary_of, None);
            meta.push(format!("summary of {reference}"));
        }
        if let Some(as_of) = note.as_of {
            meta.push(format!("as of {as_of}"));
        }
        self.meta_line(meta);
        self.caveats(&note.caveats);

        let mut claims = exported.claims.iter();
        for section in &note.sections {
            self.heading(2, &section.title);
            let mut meta = Vec::new();
            if let Some(as_of) = section.as_of
                && Some(as_of) != note.as_of
            {
                meta.push(format!("as of {as_of}"));
            }
            if let Some(reviewed) = section.reviewed {
                meta.push(format!("reviewed {reviewed}"));
            }
            if !section.sources.is_empty() {
                let cited: Vec<String> = section
                    .sources
                    .iter()
                    .map(|citation| self.cite_titled(citation.id(), citation.locator()))
                    .collect();
                meta.push(format!("sources: {}", cited.join(", ")));
            }
            if !section.sensitive_to.is_empty() {
                meta.push(self.sensitive_to(&section.sensitive_to));
            }
            self.meta_line(meta);
            self.caveats(&section.caveats);
            if !section.claims.is_empty() {
                // A claim dated by nothing closer falls back to the note's `written`.
                let context = section.as_of.or(note.as_of).or(note.written);
                self.claims(&section.claims, 0, context, &mut claims);
                self.out.push('\n');
            }
        }

        if !note.events.is_empty() {
            self.heading(2, "Events");
            for event in &note.events {
                let refs = self.cite_all(&event.sources);
                let _ = writeln!(self.out, "- {}: {}{refs}", event.date, inline(&event.title));
            }
            self.out.push('\n');
        }

        let uncited: Vec<&Source> = note
            .sources
            .iter()
            .filter(|source| !self.cited.contains(source.id.as_str()))
            .collect();
        if !uncited.is_empty() {
            self.heading(2, "Other sources");
            self.out
                .push_str("Defined in this note, and cited by no claim in it:\n\n");
            for source in uncited {
                let _ = writeln!(self.out, "- {}", reference(source));
            }
            self.out.push('\n');
        }

        for (index, (id, locator)) in std::mem::take(&mut self.footnotes).iter().enumerate() {
            let text = match self.definitions.source(id) {
                Some((source, _)) => reference(source),
                None => format!("Source {} (defined in no note).", inline(id)),
            };
            // The locator leads: it is what tells footnotes on one source apart.
            let locator = locator
                .as_deref()
                .map(|locator| format!("{}, in: ", inline(locator)))
                .unwrap_or_default();
            let _ = writeln!(self.out, "[^{}]: {locator}{text}", index + 1);
        }
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
    }

    /// A heading, unique in the file (Markdown linters and anchors need that), followed
    /// by a blank line.
    fn heading(&mut self, level: usize, title: &str) {
        let mut text = heading_text(title);
        let base = text.clone();
        let mut n = 2;
        while !self.headings.insert(text.clone()) {
            text = format!("{base} ({n})");
            n += 1;
        }
        let _ = writeln!(self.out, "{} {text}\n", "#".repeat(level));
    }

    fn meta_line(&mut self, parts: Vec<String>) {
        if parts.is_empty() {
            return;
        }
        let line = parts.join(" · ");
        let mut chars = line.chars();
        if let Some(first) = chars.next() {
            let _ = writeln!(self.out, "{}{}\n", first.to_uppercase(), chars.as_str());
        }
    }

    /// A scope's caveats as one GitHub alert: a warning when one of them acknowledges an
    /// event (the claims are known to predate it), else a note.
    fn caveats(&mut self, caveats: &[CaveatRef]) {
        if caveats.is_empty() {
            return;
        }
        let warning = caveats.iter().any(|caveat| {
            self.caveat_definition(caveat)
                .is_some_and(|c| c.before.is_some())
        });
        let kind = if warning { "WARNING" } else { "NOTE" };
        let _ = writeln!(self.out, "> [!{kind}]");
        for (i, caveat) in caveats.iter().enumerate() {
            if i > 0 {
                self.out.push_str(">\n");
            }
            let text = self.caveat_text(caveat);
            let _ = writeln!(self.out, "> {text}");
        }
        self.out.push('\n');
    }

    fn caveat_definition(&self, caveat: &'a CaveatRef) -> Option<&'a crate::model::Caveat> {
        match caveat {
            CaveatRef::Inline(inline) => Some(inline),
            CaveatRef::Id(id) => self.definitions.caveat(id).map(|(caveat, _)| caveat),
        }
    }

    /// A caveat's text with its dates, escaped, on one line.
    fn caveat_text(&self, caveat: &'a CaveatRef) -> String {
        let Some(definition) = self.caveat_definition(caveat) else {
            let id = match caveat {
                CaveatRef::Id(id) => id.as_str(),
                CaveatRef::Inline(inline) => inline.text.as_str(),
            };
            return format!("{} (a caveat defined in no note)", inline(id));
        };
        let mut details = Vec::new();
        if let Some(as_of) = definition.as_of {
            details.push(format!("as of {as_of}"));
        }
        if let Some(before) = &definition.before {
            details.push(format!("predates {}", self.event_name(before)));
        }
        if let Some(review_by) = definition.review_by {
            details.push(format!("review by {review_by}"));
        }
        format!("{}{}", inline(&definition.text), parenthesised(&details))
    }

    fn event_name(&self, id: &str) -> String {
        match self.definitions.event(id) {
            Some((event, _)) => format!("{} ({})", inline(&event.title), event.date),
            None => inline(id),
        }
    }

    fn sensitive_to(&self, events: &[String]) -> String {
        let names: Vec<String> = events.iter().map(|id| self.event_name(id)).collect();
        format!("may be overtaken by {}", names.join("; "))
    }

    /// Claims as nested bullets, two spaces per level. `context` is the as-of date the
    /// enclosing scope gives; a claim shows its own only where it differs.
    fn claims(
        &mut self,
        claims: &'a [Claim],
        depth: usize,
        context: Option<PartialDate>,
        resolved: &mut std::slice::Iter<'a, ExportedClaim>,
    ) {
        let indent = "  ".repeat(depth);
        for claim in claims {
            let exported = resolved.next();
            let as_of = exported.and_then(|e| e.as_of.as_ref()).map(|a| a.date);
            let label = match claim.kind {
                ClaimKind::Claim | ClaimKind::Label => String::new(),
                ClaimKind::Forecast => match claim.resolves {
                    Some(resolves) => format!("*Forecast, resolves {resolves}:* "),
                    None => "*Forecast:* ".to_owned(),
                },
                ClaimKind::Quote => "*Quote:* ".to_owned(),
                ClaimKind::Opinion => "*Opinion:* ".to_owned(),
                ClaimKind::Question => "*Question:* ".to_owned(),
                ClaimKind::Example => "*Example:* ".to_owned(),
                ClaimKind::Definition => "*Definition:* ".to_owned(),
            };
            let refs = self.cite_all(&claim.sources);
            let mut details = Vec::new();
            if let Some(date) = as_of
                && as_of != context
            {
                details.push(format!("as of {date}"));
            }
            if let Some(reviewed) = claim.reviewed {
                details.push(format!("reviewed {reviewed}"));
            }
            if !claim.sensitive_to.is_empty() {
                details.push(self.sensitive_to(&claim.sensitive_to));
            }
            // A label is bold, which is how the import tells it from a claim.
            let text = if claim.is_label() {
                format!("**{}**", inline(&claim.text))
            } else {
                inline(&claim.text)
            };
            if let Some((_, reason)) = self
                .today
                .zip(exported)
                .and_then(|(today, e)| {
                    super::chart::ChartClaim::of(e, self.definitions)
                        .map(|claim| super::chart::judge(&claim, today))
                })
                .filter(|(state, _)| *state != super::chart::State::Fresh)
            {
                details.push(format!("⚠ {}", inline(&reason)));
            }
            let _ = write!(
                self.out,
                "{indent}- {label}{text}{refs}{}",
                parenthesised(&details)
            );
            if let Some(outcome) = &claim.outcome {
                let _ = write!(self.out, " — *Outcome:* {}", inline(outcome));
            }
            self.out.push('\n');
            for caveat in &claim.caveats {
                let text = self.caveat_text(caveat);
                let _ = writeln!(self.out, "{indent}  - **Caveat:** {text}");
            }
            self.claims(&claim.children, depth + 1, as_of.or(context), resolved);
        }
    }

    /// Footnote references for `citations`, such as `[^1],[^3]`: the comma keeps the
    /// superscript numbers from running together.
    fn cite_all(&mut self, citations: &[Citation]) -> String {
        let refs: Vec<String> = citations
            .iter()
            .map(|citation| self.cite(citation.id(), citation.locator()))
            .collect();
        refs.join(",")
    }

    /// A source's title in italics, with its footnote reference.
    fn cite_titled(&mut self, id: &str, locator: Option<&str>) -> String {
        let title = match self.definitions.source(id) {
            Some((source, _)) => format!("*{}*", inline(&source.title)),
            None => inline(id),
        };
        format!("{title}{}", self.cite(id, locator))
    }

    /// The footnote reference for one citation; each distinct (source, locator) pair
    /// gets one footnote.
    fn cite(&mut self, id: &str, locator: Option<&str>) -> String {
        self.cited.insert(id.to_owned());
        let key = (id.to_owned(), locator.map(str::to_owned));
        let next = self.footnotes.len();
        let index = *self.footnote_index.entry(key.clone()).or_insert(next);
        if index == next {
            self.footnotes.push(key);
        }
        format!("[^{}]", index + 1)
    }
}

/// ` *(a · b)*`, or nothing when there are no details.
fn parenthesised(details: &[String]) -> String {
    if details.is_empty() {
        String::new()
    } else {
        format!(" *({})*", details.join(" · "))
    }
}

/// A full reference: authors, title, venue and date, type, links, access date.
fn reference(source: &Source) -> String {
    let mut parts = Vec::new();
    if !source.authors.is_empty() {
        parts.push(authors(&source.authors));
    }
    parts.push(format!("*{}*", inline(&source.title)));
    let mut appeared = vec![capitalised(source_type(source.kind))];
    if let Some(venue) = &source.venue {
        appeared.push(inline(venue));
    }
    if let Some(published) = source.published {
        appeared.push(published.to_string());
    }
    parts.push(appeared.join(", "));
    let mut links = Vec::new();
    if let Some(url) = &source.url {
        links.push(link_or_text(url));
    }
    if let Some(doi) = &source.doi {
        links.push(format!(
            "[doi:{}](https://doi.org/{})",
            inline(doi),
            url_encode(doi)
        ));
    }
    if let Some(arxiv) = &source.arxiv {
        links.push(format!(
            "[arXiv:{}](https://arxiv.org/abs/{})",
            inline(arxiv),
            url_encode(arxiv)
        ));
    }
    if let Some(isbn) = &source.isbn {
        links.push(format!("ISBN {}", inline(isbn)));
    }
    if !links.is_empty() {
        parts.push(links.join(" · "));
    }
    if let Some(accessed) = source.accessed {
        parts.push(format!("Accessed {accessed}"));
    }
    if let Some(archive) = &source.archive_url {
        parts.push(format!("Archived at {}", link_or_text(archive)));
    }
    sentences(&parts)
}

/// Parts joined as sentences: each ends with a full stop unless it already ends with
/// one (or a question or exclamation mark), emphasis aside.
fn sentences(parts: &[String]) -> String {
    let mut out = String::new();
    for part in parts {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
        let end = part.trim_end_matches('*');
        if !end.ends_with(['.', '?', '!']) || end.ends_with("\\.") {
            out.push('.');
        }
    }
    out
}

fn source_type(kind: SourceType) -> &'static str {
    match kind {
        SourceType::Article => "article",
        SourceType::Paper => "paper",
        SourceType::Book => "book",
        SourceType::Web => "web page",
        SourceType::Video => "video",
        SourceType::Talk => "talk",
        SourceType::Dataset => "dataset",
        SourceType::Survey => "survey",
        SourceType::Personal => "personal communication",
        SourceType::Other => "other",
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// "A", "A and B", "A, B and C".
fn authors(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|name| inline(name)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// An autolink `<url>` when the text is an absolute URL that can be one, else escaped text.
fn link_or_text(url: &str) -> String {
    let scheme_len = url
        .find(':')
        .filter(|&i| {
            (2..=32).contains(&i)
                && url.as_bytes()[0].is_ascii_alphabetic()
                && url[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'.' || b == b'-')
        })
        .is_some();
    let plain = url
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>');
    if scheme_len && plain {
        format!("<{url}>")
    } else {
        inline(url)
    }
}

/// Percent-encodes what would end or break a link destination.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() || c.is_whitespace() => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{byte:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Heading text: escaped, with trailing punctuation written as a character reference
/// (it renders the same, and Markdown linters read a trailing `:` as a style slip).
fn heading_text(title: &str) -> String {
    let mut text = inline(title);
    if let Some(last) = text.chars().last()
        && ".,;:!。，；：！".contains(last)
        && !text.ends_with(&format!("\\{last}"))
    {
        text.pop();
        let _ = write!(text, "&#{};", u32::from(last));
    }
    if text.is_empty() {
        text.push_str("(untitled)");
    }
    text
}

/// Text from a note as inline Markdown that renders as written: line breaks become
/// spaces, and every character that GitHub would read as markup is escaped.
pub(crate) fn inline(text: &str) -> String {
    let flat: String = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = flat.chars().collect();
    let mut out = String::with_capacity(flat.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' | '$' | '|' => true,
            // Intraword underscores (snake_case) are never emphasis.
            '_' => {
                !(previous.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // Only a character reference such as `&amp;` would change.
            '&' => {
                let name = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .count();
                name > 0 && chars.get(i + 1 + name) == Some(&';')
            }
            // GitHub turns `:name:` into an emoji.
            ':' => {
                let rest = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
                    .count();
                rest > 0 && chars.get(i + 1 + rest) == Some(&':')
            }
            // A closing run of `#` would be dropped from a heading.
            '#' => i == 0 || chars[i..].iter().all(|&c| c == '#' || c == ' '),
            // At the start of a list item: a block quote, a list or a thematic break.
            '>' | '-' | '+' => i == 0,
            '.' | ')' => {
                // `1. text` or `1) text` at the start would become an ordered list.
                i > 0
                    && i <= 9
                    && chars[..i].iter().all(char::is_ascii_digit)
                    && next.is_none_or(|n| n == ' ' || n == '\t')
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_plain_text_is_kept() {
        assert_eq!(inline("top 1% -> 50%"), "top 1% -> 50%");
        assert_eq!(inline("~90% *top* [x]"), "\\~90% \\*top\\* \\[x\\]");
        assert_eq!(inline("snake_case and _em_"), "snake_case and \\_em\\_");
        assert_eq!(inline("1. first"), "1\\. first");
        assert_eq!(inline("2303.08774"), "2303.08774");
        assert_eq!(inline("# not a heading #"), "\\# not a heading \\#");
        assert_eq!(inline("- not a list"), "\\- not a list");
        assert_eq!(inline("R&D &amp;"), "R&D \\&amp;");
        assert_eq!(inline("a :tada: b 12:30"), "a \\:tada: b 12:30");
        assert_eq!(inline("two\n  lines\n"), "two lines");
        assert_eq!(inline("$x$ <b>"), "\\$x\\$ \\<b>");
    }

    #[test]
    fn headings_write_trailing_punctuation_as_a_reference() {
        assert_eq!(heading_text("Notes:"), "Notes&#58;");
        assert_eq!(heading_text("What now?"), "What now?");
        assert_eq!(heading_text(""), "(untitled)");
    }

    #[test]
    fn only_real_urls_become_autolinks() {
        assert_eq!(link_or_text("https://a.org/x?y=1"), "<https://a.org/x?y=1>");
        assert_eq!(link_or_text("a.org/x"), "a.org/x");
        assert_eq!(link_or_text("https://a.org/x y"), "https://a.org/x y");
        assert_eq!(url_encode("10.1/(a) b"), "10.1/%28a%29%20b");
    }

    #[test]
    fn authors_read_as_a_list() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(authors(&names(&["A"])), "A");
        assert_eq!(authors(&names(&["A", "B"])), "A and B");
        assert_eq!(authors(&names(&["A", "B", "C"])), "A, B and C");
    }
}
