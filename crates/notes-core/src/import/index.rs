//! Index pages: a Markdown list whose items each link a note of the folder and the
//! work that note summarises (`- [A paper](notes/paper.md) [[arXiv](https://...)]`).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::meta::{arxiv_id, doi_of};
use crate::model::Source;

/// One list item of an index page that links a page of the notes and a work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// The 1-based line where the item starts.
    pub line: usize,
    /// The first link's target without its `#fragment`: a page of the notes.
    pub page: String,
    /// The first link's text: the title of the work.
    pub title: String,
    /// The targets of every link of the item that is not a url with a scheme (the
    /// first one included), without their `#fragment`: the pages it may point at.
    pub pages: Vec<String>,
    /// The work the item names: its arXiv, DOI or PDF link, else its first http(s)
    /// link.
    pub work: String,
}

/// A link of a list item: its target and its text.
#[derive(Default)]
struct Link {
    target: String,
    text: String,
}

/// Whether `target` has a scheme (`https:`, `mailto:`): it points out of the notes.
fn has_scheme(target: &str) -> bool {
    target.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A list item as read so far: where it starts, its links, the text before its first
/// link and the text between and after its links.
#[derive(Default)]
struct Item {
    line: usize,
    links: Vec<Link>,
    lead: String,
    rest: String,
}

/// The list items of `markdown` whose first link points at another page (a relative
/// target) and which also link an http(s) url, in order. An item's own links do not
/// include those of the lists nested in it.
///
/// An item that says more than its links (`- [SQLite](sqlite.md): I use it with
/// [Turso](https://example.org/)`) is a description, not an entry, unless the url is a
/// paper's (arXiv, DOI, a PDF or a paper host). The text before the first link is the
/// work's title when that link's text only says `notes` (`* A Paper [[notes](a.md)]
/// [[link](https://...)]`).
pub fn index_entries(markdown: &str) -> Vec<IndexEntry> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    // The items open around the event, innermost last.
    let mut open: Vec<Item> = Vec::new();
    // How deep the event is inside links of the innermost item.
    let mut in_link = 0_usize;
    let mut entries = Vec::new();
    for (event, range) in Parser::new_ext(markdown, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => open.push(Item {
                line: line_of(range.start),
                ..Item::default()
            }),
            Event::End(TagEnd::Item) => {
                if let Some(item) = open.pop() {
                    entries.extend(entry(item));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(item) = open.last_mut() {
                    if in_link == 0 {
                        item.links.push(Link {
                            target: dest_url.to_string(),
                            text: String::new(),
                        });
                    }
                    in_link += 1;
                }
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(text) | Event::Code(text) => {
                if let Some(item) = open.last_mut() {
                    match item.links.last_mut() {
                        Some(link) if in_link > 0 => link.text.push_str(&text),
                        Some(_) => item.rest.push_str(&text),
                        None => item.lead.push_str(&text),
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(item) = open.last_mut() {
                    match item.links.last_mut() {
                        Some(link) if in_link > 0 => link.text.push(' '),
                        Some(_) => item.rest.push(' '),
                        None => item.lead.push(' '),
                    }
                }
            }
            _ => {}
        }
    }
    entries
}

/// Whether a link's text only says that it leads to notes.
fn says_notes(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "notes" | "note" | "my notes" | "summary" | "my summary" | "notes here" | "here"
    )
}

/// Whether `url` is a paper's: an arXiv or DOI link, a PDF, or a paper host.
fn is_paper(url: &str) -> bool {
    let identified = arxiv_id(url).is_some() || doi_of(url).is_some();
    super::meta::source_type(Some(url), identified) == crate::model::SourceType::Paper
}

/// Whether `text` has a word in it (a letter), not only brackets, punctuation, years.
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// `item` as an index entry, when it is one.
fn entry(item: Item) -> Option<IndexEntry> {
    let links = item.links;
    let first = links.first()?;
    if first.target.is_empty() || first.target.starts_with('#') || has_scheme(&first.target) {
        return None;
    }
    let external: Vec<&str> = links
        .iter()
        .map(|l| l.target.as_str())
        .filter(|t| t.starts_with("http://") || t.starts_with("https://"))
        .collect();
    let work = external
        .iter()
        .find(|url| {
            arxiv_id(url).is_some()
                || doi_of(url).is_some()
                || url
                    .split(['?', '#'])
                    .next()
                    .is_some_and(|path| path.to_lowercase().ends_with(".pdf"))
        })
        .or(external.first())?;
    let lead = item
        .lead
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | '(' | '-' | ':' | '|'))
        .to_owned();
    let (title, rest) = if says_notes(&first.text) && has_words(&lead) {
        (lead, item.rest)
    } else {
        (first.text.clone(), format!("{lead} {}", item.rest))
    };
    if has_words(&rest) && !is_paper(work) {
        return None;
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return None;
    }
    let pages = links
        .iter()
        .filter(|l| !has_scheme(&l.target) && !l.target.starts_with('#'))
        .map(|l| l.target.split('#').next().unwrap_or("").to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    Some(IndexEntry {
        line: item.line,
        page: first.target.split('#').next().unwrap_or("").to_owned(),
        title,
        pages,
        work: (*work).to_owned(),
    })
}

impl IndexEntry {
    /// The source the entry names for its page's note: the one a title heading
    /// linking the work would give (arXiv and DOI ids, and the month an arXiv id was
    /// published).
    pub fn source(&self) -> Option<Source> {
        let mut report = Vec::new();
        super::meta::read(&[], &self.title, Some(&self.work), None, &mut report).source
    }
}

/// Whether `a` and `b` are the same work (same arXiv id, DOI or url).
pub fn same_work(a: &Source, b: &Source) -> bool {
    super::cite::key(a) == super::cite::key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_links_a_page_and_prefers_the_paper_link() {
        let entries = index_entries(
            "# Papers\n\n\
             - [A *Small* Model](notes/small.md#results) [[code](https://example.org/code)] \
             [[arXiv](https://arxiv.org/abs/2101.00001v3)]\n\
             - [Blog only](notes/blog.md) [post](https://example.org/post) \
             [again](http://example.org/other)\n",
        );
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[0].page, "notes/small.md");
        assert_eq!(entries[0].title, "A Small Model");
        assert_eq!(entries[0].pages, ["notes/small.md"]);
        assert_eq!(entries[0].work, "https://arxiv.org/abs/2101.00001v3");
        assert_eq!(entries[1].work, "https://example.org/post");
        let source = entries[0].source().unwrap();
        assert_eq!(source.id.to_string(), "arxiv-2101-00001");
        assert_eq!(source.title, "A Small Model");
        assert_eq!(source.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(source.published.unwrap().to_string(), "2021-01");
    }

    #[test]
    fn a_pdf_or_doi_link_is_the_work() {
        let entries = index_entries(
            "- [One](one.md) [site](https://example.org/) [pdf](https://example.org/one.PDF?dl=1)\n\
             - [Two](two.md) [site](https://example.org/) [doi](https://doi.org/10.1000/xyz123)\n",
        );
        assert_eq!(entries[0].work, "https://example.org/one.PDF?dl=1");
        assert_eq!(entries[1].work, "https://doi.org/10.1000/xyz123");
        assert_eq!(
            entries[1].source().unwrap().doi.as_deref(),
            Some("10.1000/xyz123")
        );
    }

    #[test]
    fn items_that_do_not_start_with_a_page_link_are_not_entries() {
        let entries = index_entries(
            "- [Paper](https://arxiv.org/abs/2101.00001) [notes](notes/a.md)\n\
             - [Notes](notes/a.md) with no work\n\
             - [Mail](mailto:me@example.org) [paper](https://example.org/p.pdf)\n\
             - [Here](#top) [paper](https://example.org/p.pdf)\n\
             - plain text [paper](https://example.org/p.pdf)\n\
             - [](notes/a.md) [paper](https://example.org/p.pdf)\n\
             \n[Not a list](notes/a.md) [paper](https://example.org/p.pdf)\n",
        );
        assert!(entries.is_empty(), "{entries:?}");
    }

    #[test]
    fn a_nested_list_is_not_part_of_its_parent_entry() {
        let entries = index_entries(
            "- [Parent](parent.md) [paper](https://example.org/parent.pdf)\n  \
             - [Child](child.md) [paper](https://example.org/child.pdf)\n\
             - [Both](a.md) and [b](b.md#x) [paper](https://example.org/both.pdf)\n",
        );
        let pages: Vec<(&str, &[String])> = entries
            .iter()
            .map(|e| (e.page.as_str(), e.pages.as_slice()))
            .collect();
        assert_eq!(
            pages,
            [
                ("child.md", &["child.md".to_owned()][..]),
                ("parent.md", &["parent.md".to_owned()][..]),
                ("a.md", &["a.md".to_owned(), "b.md".to_owned()][..]),
            ]
        );
        assert_eq!(entries[1].work, "https://example.org/parent.pdf");
    }

    #[test]
    fn a_description_is_not_an_entry_unless_it_links_a_paper() {
        let entries = index_entries(
            "- [SQLite](db/sqlite.md): I use it with [a sync engine](https://example.org/sync)\n\
             - [Routing](routing.md) - a short summary [paper](https://arxiv.org/abs/2101.00001)\n\
             - [Old Paper](old.md) (2016) [[site](https://example.org/old)]\n",
        );
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Routing", "Old Paper"]);
    }

    #[test]
    fn a_link_that_only_says_notes_takes_its_title_from_the_text_before_it() {
        let entries = index_entries(
            "* Learned Index Structures [[notes](papers/index.md)] [[link](https://example.org/li)]\n\
             * [[notes](papers/other.md)] [[link](https://example.org/other)]\n",
        );
        let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Learned Index Structures", "notes"]);
        assert_eq!(entries[0].page, "papers/index.md");
    }
}
