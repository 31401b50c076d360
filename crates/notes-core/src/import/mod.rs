//! Import: Markdown notes to note files, the inverse of [`crate::export::markdown`].
//!
//! [`import`] reads one Markdown file with pulldown-cmark (CommonMark with tables,
//! footnotes, task lists, strikethrough, math and front matter) after a line pass that
//! reads outlines the way people write them (see [`outline`]). It builds a [`Note`],
//! writes it as YAML and loads that YAML back: the note must load with no finding and
//! read back as exactly the note that was built, or the import fails.
//!
//! - The first heading, or the first line of text before any bullet, is the note's
//!   title; when a bullet comes first, the file name is.
//! - Headings start sections; a heading deeper than the first is a label that the
//!   claims after it go under. The last line of a paragraph that a list follows with no
//!   blank line between starts a section too (an outline's section line).
//! - Bullets are claims, nested as they are indented; a bullet wholly in quotation
//!   marks is a `quote`. Paragraphs are claims; a paragraph or line that starts with a
//!   label such as `Note:` or `Caveat:` is a caveat on its section.
//! - Block quotes are `quote` claims. Code blocks, tables and HTML are kept whole, as
//!   one claim each with their Markdown.
//!
//! Note files nest at most [`MAX_GENERATIONS`] claims deep. Deeper bullets are kept
//! but moved up to that level, and the note says so in a `# warning:` comment.

mod cite;
mod emit;
mod index;
mod markdown;
mod meta;
mod outline;

use std::fmt::Write as _;
use std::path::Path;

pub use cite::{Registry, share};
pub use emit::{MODELINE, WARNING, emit, quoted};
pub use index::{IndexEntry, index_entries, same_work};
pub use meta::{DateOrder, parse_date};

use crate::PartialDate;
use crate::load::is_id;
use crate::model::{Claim, ClaimKind, Id, Note};

/// How many generations of claims a note file may nest: the root mapping, `sections`,
/// a section and `claims` take four levels of the loader's depth budget, and each
/// generation of claims two more (the claim, then its `children`).
pub const MAX_GENERATIONS: usize = (crate::tree::MAX_DEPTH - 4) / 2;

/// Something the import did not understand or had to change, at a line of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remark {
    /// The 1-based line of the Markdown file; 0 when the remark has no one line.
    pub line: usize,
    /// What happened there.
    pub message: String,
}

/// Why a Markdown file could not be imported, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The 1-based line of the Markdown file, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl ImportError {
    /// The error as `file:line: message` (or `file: message`).
    pub fn at(&self, file: &str) -> String {
        match self.line {
            Some(line) => format!("{file}:{line}: {}", self.message),
            None => format!("{file}: {}", self.message),
        }
    }
}

impl From<String> for ImportError {
    fn from(message: String) -> Self {
        ImportError {
            line: None,
            message,
        }
    }
}

/// How to import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// How to read dates such as `11/12/2013`; without it they are reported, not guessed.
    pub date_order: Option<DateOrder>,
}

/// One imported note.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The note that was built.
    pub note: Note,
    /// What the import had to change, as the note's header comment says.
    pub warnings: Vec<String>,
    /// The note file's text.
    pub yaml: String,
    /// What the import did not understand, by line.
    pub report: Vec<Remark>,
}

/// Makes a journal page (see [`dated_title`]) cite itself: a `personal` source for the
/// page, cited by every section. What a journal records (what the author did, felt or
/// planned that month) comes from the author's own life, and the source says so, so
/// that nothing of it reads as an unsourced claim about the world.
fn cite_the_journal(note: &mut Note, month: PartialDate) {
    let id = Id(format!("journal-{}", slug(&note.title)));
    note.sources.insert(
        0,
        crate::model::Source {
            id: id.clone(),
            kind: crate::model::SourceType::Personal,
            title: format!("{} (journal)", note.title),
            authors: Vec::new(),
            venue: None,
            published: Some(month),
            url: None,
            doi: None,
            arxiv: None,
            isbn: None,
            accessed: None,
            archive_url: None,
        },
    );
    for section in &mut note.sections {
        if !section.claims.is_empty() {
            section
                .sources
                .insert(0, crate::model::Citation::Id(id.to_string()));
        }
    }
}

/// The month a journal page is about, when its title or file name is only that month
/// (`2023 March`, `February 2018`, `2018-02`), or the year a yearly review is about,
/// when its title and its file name are both only that year, from 2000 on (`2021`,
/// in `2021.md`): the page was written then. A bare year in the title alone does not
/// count (a note called `1984` is about the book).
fn dated_title(title: &str, file_stem: &str) -> Option<PartialDate> {
    let year = title.trim();
    if year == file_stem
        && year.len() == 4
        && year.starts_with("20")
        && year.bytes().all(|b| b.is_ascii_digit())
    {
        return meta::parse_date(year, None).ok();
    }
    [title.to_owned(), file_stem.replace(['-', '_'], " ")]
        .into_iter()
        .find_map(|text| {
            let words: Vec<&str> = text.split_whitespace().collect();
            let tries = match words.as_slice() {
                [a, b] => vec![format!("{a} {b}"), format!("{b} {a}"), format!("{a}-{b}")],
                _ => vec![text.clone()],
            };
            tries
                .iter()
                .filter_map(|t| meta::parse_date(t, None).ok())
                .find(|date| date.to_string().len() == 7)
        })
}

/// Turns the Markdown `markdown` into a note file whose name (without extension) is
/// `file_stem`: the note loads with no finding, or this fails.
pub fn import(markdown: &str, file_stem: &str, options: &Options) -> Result<Imported, ImportError> {
    import_summarising(markdown, file_stem, options, None)
}

/// [`import`], with `work` as the work the note summarises when its Markdown names
/// none itself: the note then reads as if its own metadata had named `work` (a folder's
/// index page may say which paper each note is about).
pub fn import_summarising(
    markdown: &str,
    file_stem: &str,
    options: &Options,
    work: Option<&crate::model::Source>,
) -> Result<Imported, ImportError> {
    let prepared = outline::prepare(markdown);
    let body = markdown::read(&prepared, file_stem);
    if let Some(broken) = body.broken_front_matter {
        return Err(ImportError {
            line: Some(broken.line),
            message: broken.message,
        });
    }
    let mut report = Vec::new();
    if let Some(line) = prepared.unclosed_fence {
        report.push(Remark {
            line,
            message: "this code fence is never closed: the rest of the file is kept as code"
                .to_owned(),
        });
    }
    let fields = body.fields;
    // Without a title in the Markdown, or with a heading that only says what follows
    // (`# Paper`), a `Title:` field names the note.
    let title = match body.title {
        Some(title) if body.title_from_stem || is_generic_title(&title) => Some(
            fields
                .iter()
                .find(|f| f.key == "title")
                .map(|f| meta::split_link(&f.value.text()).0)
                .filter(|t| !t.is_empty())
                .unwrap_or(title),
        ),
        title => title,
    };
    let Some(title) = title else {
        return Err(ImportError::from(
            "nothing to import: the file has no title line, heading or bullet \
             (blank lines and the LaTeX preamble are skipped)"
                .to_owned(),
        ));
    };
    let mut sections = body.sections;
    let mut title_url = body.title_url;
    // A first heading made of links that owns nothing, the next heading being at its
    // level (`# [Go in Action](url)` then `# Chapter 2`, under front matter that gives
    // the title), is the page's title line, not a section: its link is the work the
    // note is about, as when it is the title.
    if title_url.is_none()
        && body.summary_label.is_none()
        && sections.len() > 1
        && let Some(first) = sections.first()
        && first.claims.is_empty()
        && first.caveats.is_empty()
        && let Some((_, url)) = cite::leading_link(&first.title)
    {
        title_url = Some(url);
        sections.remove(0);
    }
    let mut meta = meta::read(
        &fields,
        &title,
        title_url.as_deref(),
        options.date_order,
        &mut report,
    );
    if meta.source.is_none() && body.summary_label.is_none() {
        meta.source = work.cloned();
    }
    report.extend(body.report);
    report.sort_by_key(|r| r.line);
    let mut warnings = Vec::new();
    if prepared.flattened > 0 {
        warnings.push(format!(
            "the outline nests {} bullets deep and note files allow {MAX_GENERATIONS}: \
             {} deeper bullets were moved up to level {MAX_GENERATIONS}, under the \
             nearest claim at level {} above them",
            prepared.deepest,
            prepared.flattened,
            MAX_GENERATIONS - 1
        ));
    }
    let id = if is_id(file_stem) {
        None
    } else {
        Some(Id([slug(file_stem), slug(&title)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "imported-note".to_owned())))
    };
    // A page whose sections are months too is a log of months (a reading list by
    // month under a first heading that names the latest one), not one month's journal.
    let journal_month = dated_title(&title, file_stem).filter(|month| {
        !sections
            .iter()
            .any(|section| dated_title(&section.title, "").is_some_and(|other| other != *month))
    });
    let note = Note {
        schema: None,
        title,
        id,
        // A journal page records its month: history, which does not go stale.
        shelf_life: journal_month
            .filter(|_| meta.written.is_none())
            .map(|_| crate::ShelfLife::Never),
        written: meta.written.or(journal_month),
        reviewed: meta.reviewed,
        summary_of: meta.source.as_ref().map(|s| s.id.to_string()),
        as_of: None,
        sensitive_to: Vec::new(),
        tags: meta.tags,
        sources: meta.source.into_iter().collect(),
        events: Vec::new(),
        caveats: body.caveats,
        allow: Vec::new(),
        sections,
    };
    let mut note = note;
    cite::cite(
        &mut note,
        &body.footnotes,
        body.summary_label.as_deref(),
        body.exported,
        &mut report,
    );
    if let Some(month) = journal_month.filter(|_| note.summary_of.is_none()) {
        cite_the_journal(&mut note, month);
    }
    let yaml = emit(&note, &warnings);
    verify(&yaml, &note, file_stem)?;
    Ok(Imported {
        note,
        warnings,
        yaml,
        report,
    })
}

impl Imported {
    /// Makes the note share `registry`'s sources (see [`share`]) and writes it again;
    /// `file_stem` is the name of its file without extension.
    pub fn share(&mut self, registry: &mut Registry, file_stem: &str) -> Result<(), String> {
        share(&mut self.note, registry);
        self.yaml = emit(&self.note, &self.warnings);
        verify(&self.yaml, &self.note, file_stem)
    }
}

/// The targets of the wikilinks (`[[Other note]]`, `[[Other note|shown]]`,
/// `[[Other note#Part]]`) in the claims and caveats of `note`, in order, each once.
pub fn wikilinks(note: &Note) -> Vec<String> {
    fn scan(text: &str, out: &mut Vec<String>) {
        let mut rest = text;
        while let Some(start) = rest.find("[[") {
            let tail = &rest[start + 2..];
            let Some(end) = tail.find("]]") else {
                break;
            };
            let target = tail[..end].split(['|', '#']).next().unwrap_or("").trim();
            if !target.is_empty() && !out.iter().any(|t| t == target) {
                out.push(target.to_owned());
            }
            rest = &tail[end + 2..];
        }
    }
    fn claims(list: &[Claim], out: &mut Vec<String>) {
        for claim in list {
            scan(&claim.text, out);
            caveats(&claim.caveats, out);
            claims(&claim.children, out);
        }
    }
    fn caveats(list: &[crate::model::CaveatRef], out: &mut Vec<String>) {
        for caveat in list {
            if let crate::model::CaveatRef::Inline(caveat) = caveat {
                scan(&caveat.text, out);
            }
        }
    }
    let mut out = Vec::new();
    caveats(&note.caveats, &mut out);
    for section in &note.sections {
        caveats(&section.caveats, &mut out);
        claims(&section.claims, &mut out);
    }
    out
}

/// The warnings `import` wrote into the note's header comment.
pub fn warnings(yaml: &str) -> impl Iterator<Item = &str> {
    yaml.lines()
        .take_while(|line| line.starts_with('#'))
        .filter_map(|line| line.strip_prefix(WARNING))
}

/// Loads `yaml` as the file `file_stem.yaml` and checks that it has no finding and
/// reads back as `note`; either failure is a bug in the importer.
fn verify(yaml: &str, note: &Note, file_stem: &str) -> Result<(), String> {
    let name = match &note.id {
        Some(id) => format!("{id}.yaml"),
        None => format!("{file_stem}.yaml"),
    };
    let loaded = crate::load_bytes(Path::new(&name), yaml.as_bytes());
    let bug = "this is a bug in `cargo xtask import`: please report it with the Markdown";
    if !loaded.findings.is_empty() {
        let mut report = String::new();
        for finding in &loaded.findings {
            let _ = writeln!(report, "{}", finding.short_line(&name, loaded.source()));
        }
        return Err(format!(
            "{report}the imported note does not load cleanly; {bug}"
        ));
    }
    match loaded.document {
        Some(document) if document.note == *note => Ok(()),
        _ => Err(format!(
            "the imported note does not read back as the Markdown; {bug}"
        )),
    }
}

/// Whether a line or paragraph is a labelled remark ("Note: ...", "Caveat: ..."): a
/// caveat, never a section title.
pub(crate) fn is_labelled(plain: &str) -> bool {
    const LABELS: &[&str] = &[
        "note",
        "notes",
        "nb",
        "n.b.",
        "caveat",
        "caveats",
        "warning",
        "caution",
        "disclaimer",
        "important",
        "edit",
        "update",
        "ps",
        "p.s.",
    ];
    let Some((label, _)) = plain.split_once(':') else {
        return false;
    };
    LABELS.contains(&label.trim_end().to_ascii_lowercase().as_str())
}

/// Whether a title heading only names what follows it, as `# Paper` over a block of
/// metadata does.
fn is_generic_title(title: &str) -> bool {
    const GENERIC: &[&str] = &[
        "paper",
        "paper info",
        "paper information",
        "paper metadata",
        "paper details",
        "metadata",
        "meta",
        "info",
        "information",
        "details",
        "reference",
        "summary",
        "notes",
    ];
    GENERIC.contains(&title.trim().trim_end_matches(':').to_lowercase().as_str())
}

/// The note's title when the Markdown starts with bullets: the file stem.
pub(crate) fn fallback_title(file_stem: &str) -> String {
    let stem = file_stem.trim();
    if stem.is_empty() {
        "Imported note".to_owned()
    } else {
        stem.to_owned()
    }
}

/// `text` as an id: ASCII letters and digits lowercased, runs of anything else as one
/// dash, no dash at either end; empty when `text` has no ASCII letter or digit.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

pub(crate) fn new_claim(text: String) -> Claim {
    Claim {
        text,
        id: None,
        kind: ClaimKind::Claim,
        sources: Vec::new(),
        as_of: None,
        reviewed: None,
        shelf_life: None,
        sensitive_to: Vec::new(),
        caveats: Vec::new(),
        resolves: None,
        outcome: None,
        tags: Vec::new(),
        allow: Vec::new(),
        children: Vec::new(),
    }
}

/// The kind of a claim with `text`: a quote when it is wholly one quotation, else
/// `kind`.
pub(crate) fn kind_of(text: &str, kind: ClaimKind) -> ClaimKind {
    if kind == ClaimKind::Claim && is_quote(text) {
        ClaimKind::Quote
    } else if kind == ClaimKind::Claim && is_page_link(text) {
        ClaimKind::Label
    } else {
        kind
    }
}

/// Whether `text` is wholly one link to another page of the notes, as in a wiki's
/// table of contents (`[C libraries](languages/c/libraries.md)`): navigation, not a
/// statement. A link with a scheme (`https:`, `mailto:`) points out of the notes.
fn is_page_link(text: &str) -> bool {
    let text = text.trim();
    if !cite::is_whole_link(text) {
        return false;
    }
    let Some((label, target)) = text[1..text.len() - 1].split_once("](") else {
        return false;
    };
    if label.contains(['[', ']']) {
        return false;
    }
    let scheme = target.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+')
    });
    !target.is_empty() && !target.contains([' ', '(', ')']) && !scheme
}

/// Whether `text` is wholly one quotation: “…” (quotations may nest inside it) or
/// "..." (with no `"` inside).
fn is_quote(text: &str) -> bool {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return !inner.is_empty() && !inner.contains('"');
    }
    let Some(inner) = text
        .strip_prefix('\u{201c}')
        .and_then(|t| t.strip_suffix('\u{201d}'))
    else {
        return false;
    };
    let mut open = 1_usize;
    for c in inner.chars() {
        match c {
            '\u{201c}' => open += 1,
            '\u{201d}' if open == 1 => return false,
            '\u{201d}' => open -= 1,
            _ => {}
        }
    }
    !inner.is_empty()
}

#[cfg(test)]
mod tests;
