//! Citations: footnotes and inline links become sources and the claims' citations,
//! and one work gets one source across a whole import.

use std::collections::{BTreeMap, HashMap};

use super::Remark;
use super::markdown::Footnote;
use super::meta::{arxiv_id, doi_of, links, source_id, source_type, split_link};
use crate::model::{Citation, Claim, Id, LocatedCitation, Note, Source};

/// The key one work is known by: its arXiv id, DOI, normalised url, or title.
pub(crate) fn key(source: &Source) -> String {
    if let Some(arxiv) = &source.arxiv {
        return format!("arxiv:{}", arxiv.to_lowercase());
    }
    if let Some(doi) = &source.doi {
        return format!("doi:{}", doi.to_lowercase());
    }
    if let Some(url) = &source.url {
        return format!("url:{}", normal_url(url));
    }
    format!("title:{}", super::slug(&source.title))
}

/// A url without scheme, `www.`, fragment or trailing slash; the host lowercased.
fn normal_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.split('#').next().unwrap_or(url);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let (host, path) = url.split_once('/').unwrap_or((url, ""));
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        host.to_lowercase()
    } else {
        format!("{}/{path}", host.to_lowercase())
    }
}

/// The sources of an import: which works have an id, and which ids are taken.
#[derive(Debug, Default)]
pub struct Registry {
    by_key: HashMap<String, Id>,
    taken: HashMap<Id, String>,
}

impl Registry {
    /// A registry that knows `sources` (defined by notes already there).
    pub fn new<'a>(sources: impl IntoIterator<Item = &'a Source>) -> Registry {
        let mut registry = Registry::default();
        for source in sources {
            registry.register(source);
        }
        registry
    }

    /// The id `source` goes by in this import, and whether this is its first
    /// appearance (so the note must define it). A different work with the same id gets
    /// the id with `-2`, `-3`... appended.
    pub fn register(&mut self, source: &Source) -> (Id, bool) {
        let key = key(source);
        if let Some(id) = self.by_key.get(&key) {
            return (id.clone(), false);
        }
        let mut id = source.id.clone();
        let mut n = 2;
        while self.taken.contains_key(&id) {
            id = Id(format!("{}-{n}", source.id));
            n += 1;
        }
        self.taken.insert(id.clone(), key.clone());
        self.by_key.insert(key, id.clone());
        (id, true)
    }
}

/// Makes `note` use `registry`'s ids: a source the registry already knows is not
/// defined again, one whose id was taken is renamed, and every reference follows.
pub fn share(note: &mut Note, registry: &mut Registry) {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut kept = Vec::new();
    for mut source in std::mem::take(&mut note.sources) {
        let (id, new) = registry.register(&source);
        if id != source.id {
            renamed.insert(source.id.to_string(), id.to_string());
        }
        if new {
            source.id = id;
            kept.push(source);
        }
    }
    note.sources = kept;
    if renamed.is_empty() {
        return;
    }
    let rename = |id: &mut String| {
        if let Some(new) = renamed.get(id.as_str()) {
            *id = new.clone();
        }
    };
    if let Some(summary_of) = &mut note.summary_of {
        rename(summary_of);
    }
    for section in &mut note.sections {
        rename_citations(&mut section.sources, &rename);
        rename_claims(&mut section.claims, &rename);
    }
}

fn rename_citations(citations: &mut [Citation], rename: &impl Fn(&mut String)) {
    for citation in citations {
        match citation {
            Citation::Id(id) => rename(id),
            Citation::Located(located) => rename(&mut located.id),
        }
    }
}

fn rename_claims(claims: &mut [Claim], rename: &impl Fn(&mut String)) {
    for claim in claims {
        rename_citations(&mut claim.sources, rename);
        rename_claims(&mut claim.children, rename);
    }
}

/// Turns the footnote references and inline links of `note`'s claims into sources
/// and citations. Footnote markers leave the text; links stay in it.
pub(crate) fn cite(
    note: &mut Note,
    footnotes: &[Footnote],
    summary_label: Option<&str>,
    exported: bool,
    report: &mut Vec<Remark>,
) {
    let mut local = Registry::new(&note.sources);
    let mut used = vec![false; footnotes.len()];
    // The project's export names the work a note summarises by a footnote.
    if let Some(label) = summary_label
        && let Some(i) = footnotes.iter().position(|f| f.label == label)
    {
        used[i] = true;
        let (source, _) = footnote_source(&footnotes[i].text, exported);
        let (id, new) = local.register(&source);
        if new {
            note.sources.push(Source {
                id: id.clone(),
                ..source
            });
        }
        note.summary_of = Some(id.to_string());
    }
    let mut undefined: Vec<String> = Vec::new();
    let mut added: Vec<Source> = Vec::new();
    let summary_of = note.summary_of.clone();
    let mut cx = Cx {
        footnotes,
        used: &mut used,
        undefined: &mut undefined,
        local: &mut local,
        added: &mut added,
        summary_of: summary_of.as_deref(),
        exported,
    };
    for section in &mut note.sections {
        // A heading that is wholly a link (`## [Relay](https://relay.dev)`) names what
        // the section is about: the section cites it.
        // So does one made of links (`## [A Book](...) - [Review](...)`): the first.
        if let Some((title, url)) = leading_link(&section.title) {
            let source = source_from(&title, &url);
            cx.cite(&mut section.sources, source, None);
        }
        cite_claims(&mut section.claims, &mut cx);
    }
    note.sources.extend(added);
    for (footnote, used) in footnotes.iter().zip(used) {
        // The export's own footnotes cite events and sources no claim cites.
        if !used && !exported {
            report.push(Remark {
                line: footnote.line,
                message: format!("footnote [^{}] is defined but never cited", footnote.label),
            });
        }
    }
    for label in undefined {
        report.push(Remark {
            line: 0,
            message: format!("footnote [^{label}] is cited but never defined: left in the text"),
        });
    }
}

struct Cx<'a> {
    footnotes: &'a [Footnote],
    used: &'a mut [bool],
    undefined: &'a mut Vec<String>,
    local: &'a mut Registry,
    added: &'a mut Vec<Source>,
    summary_of: Option<&'a str>,
    exported: bool,
}

impl Cx<'_> {
    fn add(&mut self, claim: &mut Claim, source: Source, locator: Option<String>) {
        self.cite(&mut claim.sources, source, locator);
    }

    /// Adds a citation of `source` to `sources` (registering the source once).
    fn cite(&mut self, sources: &mut Vec<Citation>, source: Source, locator: Option<String>) {
        let (id, new) = self.local.register(&source);
        if new {
            self.added.push(Source {
                id: id.clone(),
                ..source
            });
        }
        if locator.is_none() && self.summary_of == Some(id.as_str()) {
            return;
        }
        let citation = match locator {
            Some(locator) => Citation::Located(LocatedCitation {
                id: id.to_string(),
                locator: Some(locator),
            }),
            None => Citation::Id(id.to_string()),
        };
        if !sources.contains(&citation) {
            sources.push(citation);
        }
    }
}

fn cite_claims(claims: &mut [Claim], cx: &mut Cx<'_>) {
    for claim in claims {
        // A child bullet that is only a url gives where its parent comes from: the
        // parent cites it (and its other children with it). A lead-in (`Links:`)
        // introduces its urls as a list of their own.
        if !claim.text.trim_end().ends_with(':') && claim.children.iter().any(is_bare_url_claim) {
            let (urls, kept): (Vec<Claim>, Vec<Claim>) = std::mem::take(&mut claim.children)
                .into_iter()
                .partition(is_bare_url_claim);
            claim.children = kept;
            for url in urls.iter().filter_map(|c| bare_url(&c.text)) {
                cx.add(claim, source_from("", url), None);
            }
        }
        for label in footnote_refs(&claim.text) {
            match cx.footnotes.iter().position(|f| f.label == label) {
                Some(i) => {
                    cx.used[i] = true;
                    let (source, locator) = footnote_source(&cx.footnotes[i].text, cx.exported);
                    cx.add(claim, source, locator);
                    claim.text = remove_ref(&claim.text, &label);
                }
                None => {
                    if !cx.undefined.contains(&label) {
                        cx.undefined.push(label);
                    }
                }
            }
        }
        for (title, url) in inline_links(&claim.text) {
            let source = source_from(&title, &url);
            cx.add(claim, source, None);
        }
        cite_claims(&mut claim.children, cx);
    }
}

/// Whether `claim` is a bullet that is only a url, with nothing under it.
fn is_bare_url_claim(claim: &Claim) -> bool {
    claim.children.is_empty() && claim.sources.is_empty() && bare_url(&claim.text).is_some()
}

/// Whether `text` is one Markdown link and nothing else.
pub(crate) fn is_whole_link(text: &str) -> bool {
    let text = text.trim();
    text.starts_with('[')
        && text.ends_with(')')
        && text
            .find("](")
            .is_some_and(|i| !text[i + 2..].contains("]("))
}

/// The first link of a heading made of links: one link (`[Relay](https://relay.dev)`),
/// or a link followed by more links after separators
/// (`[A Book](https://...) - [Review](https://...)`). The first link names the work;
/// the others are about it.
pub(crate) fn leading_link(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if !text.starts_with('[') {
        return None;
    }
    let links = inline_links(text);
    if let [(title, url)] = links.as_slice()
        && is_whole_link(text)
    {
        return Some((title.clone(), url.clone()));
    }
    let (first_title, first_url) = links.first()?;
    // What is left once the links are taken out must be separators only.
    let mut rest = text.to_owned();
    for (title, url) in &links {
        let written = format!("[{title}]({url})");
        rest = rest.replacen(&written, "", 1);
    }
    let separators_only = rest
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | '·' | '•' | '/' | ','));
    (text.starts_with(&format!("[{first_title}]({first_url})")) && separators_only)
        .then(|| (first_title.clone(), first_url.clone()))
}

/// The url of a bullet that is only a url (`https://...` or `<https://...>`).
fn bare_url(text: &str) -> Option<&str> {
    let text = text.trim();
    let url = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text);
    ((url.starts_with("http://") || url.starts_with("https://"))
        && url.len() > "https://".len()
        && !url.contains(char::is_whitespace))
    .then_some(url)
}

/// The labels of the footnote references `[^label]` in `text`, in order.
fn footnote_refs(text: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[^") {
        let tail = &rest[start + 2..];
        match tail.find(']') {
            Some(end) if end > 0 && !tail[..end].contains([' ', '[']) => {
                let label = tail[..end].to_owned();
                if !labels.contains(&label) {
                    labels.push(label);
                }
                rest = &tail[end + 1..];
            }
            _ => rest = tail,
        }
    }
    labels
}

/// `text` without the reference `[^label]` and the comma that joins it to another.
fn remove_ref(text: &str, label: &str) -> String {
    let marker = format!("[^{label}]");
    let mut out = text.replace(&format!("{marker},"), "").replace(&marker, "");
    out = out.replace(",[^", "[^");
    if out.ends_with(',') && text.trim_end().ends_with(']') {
        out.pop();
    }
    out.trim_end().to_owned()
}

/// The `[title](http...)` links of `text` (not images), with their urls.
fn inline_links(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(open) = text[i..].find('[').map(|o| o + i) {
        i = open + 1;
        if open > 0 && bytes[open - 1] == b'!' {
            continue;
        }
        let Some(close) = text[open..].find("](").map(|c| c + open) else {
            break;
        };
        let label = &text[open + 1..close];
        if label.contains('[') || label.starts_with('^') {
            continue;
        }
        let Some(end) = text[close + 2..].find(')').map(|e| e + close + 2) else {
            break;
        };
        let url = text[close + 2..end].split_whitespace().next().unwrap_or("");
        if url.starts_with("http://") || url.starts_with("https://") {
            found.push((label.trim().to_owned(), url.to_owned()));
        }
        i = end;
    }
    found
}

/// A source for a work known by a title (maybe empty) and a url.
fn source_from(title: &str, url: &str) -> Source {
    let arxiv = arxiv_id(url);
    let doi = doi_of(url);
    let title = if title.is_empty() {
        url.to_owned()
    } else {
        title.to_owned()
    };
    let id = if arxiv.is_some() || doi.is_some() || title.split_whitespace().count() >= 2 {
        source_id(arxiv.as_deref(), doi.as_deref(), &title)
    } else {
        source_id(None, None, &normal_url(url))
    };
    Source {
        id,
        kind: source_type(Some(url), arxiv.is_some() || doi.is_some()),
        title,
        authors: Vec::new(),
        venue: None,
        published: None,
        url: Some(url.to_owned()),
        doi,
        arxiv,
        isbn: None,
        accessed: None,
        archive_url: None,
    }
}

/// Words that start a locator: where in a work to look.
const LOCATOR_WORDS: &[&str] = &[
    "p.", "pp.", "page", "pages", "section", "sec.", "§", "chapter", "ch.", "figure", "fig.",
    "table", "appendix", "eq.", "equation", "slide", "minute", "at",
];

fn is_locator(part: &str) -> bool {
    let lower = part.trim().to_lowercase();
    LOCATOR_WORDS.iter().any(|w| {
        lower.starts_with(w)
            && lower[w.len()..].starts_with([' ', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    }) || lower.starts_with('§')
}

/// A footnote's text as a source and a locator: `Author, "Title", section 3`, or
/// `[Title](url), p. 4`, or the project's export `Locator, in: Authors. *Title*. ...`.
fn footnote_source(text: &str, exported: bool) -> (Source, Option<String>) {
    let (mut source, locator) = footnote_parts(text);
    if exported {
        // The export escapes the note's text in its references.
        source.title = super::markdown::unescape(&source.title);
        return (source, locator.map(|l| super::markdown::unescape(&l)));
    }
    (source, locator)
}

fn footnote_parts(text: &str) -> (Source, Option<String>) {
    let url = links(text).into_iter().next();
    let (locator_part, reference) = match text.split_once(", in: ") {
        Some((locator, rest)) => (Some(locator.trim().to_owned()), rest),
        None => (None, text),
    };
    let title = quoted_title(reference)
        .or_else(|| {
            let (label, link) = split_link(reference.split(", ").next().unwrap_or(""));
            link.map(|_| label)
        })
        .unwrap_or_else(|| {
            reference
                .split(", ")
                .filter(|p| !is_locator(p) && !p.contains("http"))
                .collect::<Vec<_>>()
                .join(", ")
                .trim_matches(['<', '>', ' ', '.'])
                .to_owned()
        });
    let locator = locator_part.or_else(|| {
        let parts: Vec<&str> = reference
            .split(", ")
            .map(|p| p.trim().trim_end_matches('.'))
            .filter(|p| is_locator(p))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    let source = match url {
        Some(url) => source_from(&title, &url),
        None => {
            let title = if title.is_empty() {
                text.trim().to_owned()
            } else {
                title
            };
            let mut source = source_from(&title, "");
            source.url = None;
            source.kind = crate::model::SourceType::Other;
            source.id = source_id(None, None, &title);
            source
        }
    };
    (source, locator)
}

/// The title in `"..."`, `“...”` or `*...*` in `text`, if any.
fn quoted_title(text: &str) -> Option<String> {
    for (open, close) in [
        ("\u{201c}", "\u{201d}"),
        ("\"", "\""),
        ("*", "*"),
        ("_", "_"),
    ] {
        if let Some(start) = text.find(open) {
            let rest = &text[start + open.len()..];
            if let Some(end) = rest.find(close) {
                let title = rest[..end].trim().trim_end_matches(',');
                if !title.is_empty() {
                    return Some(title.replace("\\[", "[").replace("\\]", "]"));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn footnote_source_plain(text: &str) -> (Source, Option<String>) {
        footnote_source(text, false)
    }

    #[test]
    fn footnotes_give_a_source_and_a_locator() {
        let (source, locator) = footnote_source_plain(
            "Kaiming He, \"Deep Residual Learning\", section 3, https://arxiv.org/abs/1512.03385",
        );
        assert_eq!(source.title, "Deep Residual Learning");
        assert_eq!(source.id.as_str(), "arxiv-1512-03385");
        assert_eq!(locator.as_deref(), Some("section 3"));
        let (source, locator) =
            footnote_source_plain("[Scaling laws](https://arxiv.org/abs/2001.08361), p. 4");
        assert_eq!(source.title, "Scaling laws");
        assert_eq!(locator.as_deref(), Some("p. 4"));
        let (source, locator) = footnote_source_plain(
            "Results, in: A. Author. *A Survey*. Article, 2022-05. <https://example.org/survey>.",
        );
        assert_eq!(source.title, "A Survey");
        assert_eq!(source.url.as_deref(), Some("https://example.org/survey"));
        assert_eq!(locator.as_deref(), Some("Results"));
    }

    #[test]
    fn one_work_one_id() {
        let (a, _) = footnote_source_plain("\"A\", https://www.example.org/post/");
        let (b, _) = footnote_source_plain("\"Another title\", https://example.org/post#part");
        assert_eq!(key(&a), key(&b));
        let mut registry = Registry::default();
        assert_eq!(registry.register(&a), (a.id.clone(), true));
        assert_eq!(registry.register(&b), (a.id.clone(), false));
        // Another work under a taken id gets a new one.
        let (mut c, _) = footnote_source_plain("\"A\", https://example.org/other");
        c.id = a.id.clone();
        assert_eq!(registry.register(&c), (Id(format!("{}-2", a.id)), true));
    }

    #[test]
    fn references_and_links_in_text() {
        assert_eq!(footnote_refs("a[^1],[^note] b [^1]"), ["1", "note"]);
        assert_eq!(remove_ref("Claim.[^1],[^2]", "1"), "Claim.[^2]");
        assert_eq!(remove_ref("Claim.[^2]", "2"), "Claim.");
        assert_eq!(
            inline_links(
                "See [residual learning](https://arxiv.org/abs/1512.03385) and ![x](https://i.png)"
            ),
            [(
                "residual learning".to_owned(),
                "https://arxiv.org/abs/1512.03385".to_owned()
            )]
        );
    }
}
