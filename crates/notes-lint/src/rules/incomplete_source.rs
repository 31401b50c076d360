//! `incomplete-source`: a source that cannot be found again, or a web page with no accessed date.

use notes_core::model::SourceType;
use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::Corpus;

/// The `incomplete-source` rule.
pub struct IncompleteSource;

static META: RuleMeta = RuleMeta {
    id: "incomplete-source",
    default_severity: Severity::Warning,
    summary: "a source with no url, doi, arxiv or isbn, or a web source with a url and no accessed date",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a source definition that
- has none of `url`, `doi`, `arxiv` or `isbn` (blank values count as missing), unless
  it is `type: personal`; or
- is `type: web` with a `url` but no `accessed` date.

The finding points at the source's `id`.

## Why it matters
A source that cannot be located cannot be re-checked. Web pages change without notice:
without the date it was read, nobody can tell which version a claim describes (or look
it up in an archive).

## Example
```yaml
sources:
  - {id: hendrycks-talk, type: talk, title: ML Safety}          # incomplete-source
  - {id: s2-faq, type: web, title: Highly Influential Citations,
     url: https://www.semanticscholar.org/faq}                 # incomplete-source: no accessed
```

## How to fix
Add a `url`, `doi`, `arxiv` id or `isbn`; for web pages add `accessed: YYYY-MM-DD`
(and ideally an `archive_url`).

## Configuration
Severity only.
";

fn present(value: Option<&String>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

impl Rule for IncompleteSource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for (i, source) in view.doc.note.sources.iter().enumerate() {
                let path = [
                    Segment::key("sources"),
                    Segment::Index(i),
                    Segment::key("id"),
                ];
                let locatable = [&source.url, &source.doi, &source.arxiv, &source.isbn]
                    .into_iter()
                    .any(|v| present(v.as_ref()));
                let (message, label, help) = if !locatable && source.kind != SourceType::Personal {
                    (
                        format!("source `{}` has no url, doi, arxiv or isbn", source.id),
                        "cannot be located",
                        "add a `url`, `doi`, `arxiv` id or `isbn` so the source can be found again",
                    )
                } else if source.kind == SourceType::Web
                    && present(source.url.as_ref())
                    && source.accessed.is_none()
                {
                    (
                        format!("web source `{}` has a url but no accessed date", source.id),
                        "no accessed date",
                        "add `accessed: YYYY-MM-DD`, the date the page was read (and ideally an `archive_url`)",
                    )
                } else {
                    continue;
                };
                out.push(
                    view.finding(META.id, META.default_severity, &path, &[], message)
                        .with_label(label)
                        .with_help(help),
                );
            }
        }
    }
}
