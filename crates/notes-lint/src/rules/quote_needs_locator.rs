//! `quote-needs-locator`: a quote whose citations give no locator.

use notes_core::model::{ClaimKind, SourceType};
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `quote-needs-locator` rule.
pub struct QuoteNeedsLocator;

static META: RuleMeta = RuleMeta {
    id: "quote-needs-locator",
    default_severity: Severity::Warning,
    summary: "a quote whose citations give no locator",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim of `kind: quote` when none of its citations gives a `locator` (a page,
section, timestamp or heading). Its citations are its own and those it inherits from
parent claims, its section and the note; the note's `summary_of` never has a locator.
A quote with no source at all is left to `unsourced-claim`.

A citation whose source's `url` points at the very place needs no locator: a URL with
a fragment (`https://example.org/essay#part-2`) or a timestamp (`?t=90`), and the
address of one short post (a tweet or toot, `.../status/123`; a Hacker News item; a
Reddit or Lobsters comment; a page of a quotation site such as Goodreads' `/quotes/`).
The front page of a site, a whole thread or a paper still needs one. Nor does a
citation of a `personal` source (a conversation, your own journal): words heard or
written down first-hand have no page to point at.

A quote under a heading of the note's outline (a `kind: label` claim, such as `Part 1 -
Who stole the door?` or `Results`) is located by that heading: such an outline follows
the parts of the work it quotes.

## Why it matters
A quote is only useful if it can be found again and checked word for word; in a long
paper or a video, the work alone is not enough.

## Example
```yaml
- text: \"“AlphaZero experienced a phase transition ...”\"
  kind: quote
  sources: [mcgrath-2021]                            # quote-needs-locator
- text: \"“AlphaZero experienced a phase transition ...”\"
  kind: quote
  sources: [{id: mcgrath-2021, locator: \"p. 7\"}]   # fine
```

## How to fix
Write the citation as `{id: <source>, locator: \"<page, section or timestamp>\"}`.

## Configuration
Severity only.
";

/// Whether `url` points at the very place a quote is from, so that it needs no
/// locator: a fragment (`#section-2`), a timestamp (`?t=90`), or a single short post
/// (a tweet or toot, a Hacker News, Reddit or Lobsters comment, a quotation page).
pub fn pinpoints(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    if let Some((_, fragment)) = rest.split_once('#')
        && !fragment.is_empty()
    {
        return true;
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let host = host.trim_start_matches("www.").to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let timestamp = query
        .split('&')
        .any(|pair| pair.starts_with("t=") || pair.starts_with("start="));
    timestamp
        || segments.contains(&"status")
        || segments.contains(&"statuses")
        || (host == "news.ycombinator.com" && segments.first() == Some(&"item"))
        || (host.ends_with("goodreads.com") && segments.first() == Some(&"quotes"))
        || (host == "lobste.rs" && segments.first() == Some(&"c"))
        // `/r/<sub>/comments/<post>/<slug>/<comment>`: one comment, not the thread.
        || (host.ends_with("reddit.com") && segments.get(2) == Some(&"comments") && segments.len() >= 6)
}

impl Rule for QuoteNeedsLocator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for claim in &view.claims {
                if claim.claim.kind != ClaimKind::Quote || claim.sources.is_empty() {
                    continue;
                }
                let located = claim.sources.iter().any(|source| {
                    let cited = corpus.source(source.value.id);
                    source.value.locator.is_some_and(|l| !l.trim().is_empty())
                        || cited.and_then(|s| s.url.as_deref()).is_some_and(pinpoints)
                        // Words heard or written down first-hand (a conversation, your
                        // journal) have no page to point at.
                        || cited.is_some_and(|s| s.kind == SourceType::Personal)
                });
                // Under a heading of the outline (a label such as "Part 1 - Who stole
                // the door?"): the outline follows the parts of the work it quotes.
                let under_heading = std::iter::successors(claim.parent, |&p| {
                    view.claims.get(p).and_then(|c| c.parent)
                })
                .any(|p| view.claims.get(p).is_some_and(|c| c.claim.is_label()));
                if located || under_heading {
                    continue;
                }
                out.push(
                    view.claim_finding(
                        META.id,
                        META.default_severity,
                        &NoteView::field_path(claim, "text"),
                        claim,
                        "quote gives no locator for where it appears in its source",
                    )
                    .with_label("quote without a locator")
                    .with_help(
                        "cite it as `{id: <source>, locator: \"<page, section or timestamp>\"}`",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pinpoints;

    #[test]
    fn permalinks_and_fragments_pinpoint_a_quote() {
        for url in [
            "https://example.org/essay#part-2",
            "https://www.youtube.com/watch?v=abc&t=90",
            "https://twitter.com/someone/status/1234567890",
            "https://social.example/users/someone/statuses/42",
            "https://news.ycombinator.com/item?id=123",
            "https://www.goodreads.com/quotes/25647-some-quote",
            "https://lobste.rs/c/abc123",
            "https://www.reddit.com/r/MachineLearning/comments/76v9v4/some_title/doikhs4/",
        ] {
            assert!(pinpoints(url), "{url}");
        }
        for url in [
            "https://example.org/essay",
            "https://example.org/#",
            "https://arxiv.org/abs/1512.03385",
            "https://www.youtube.com/watch?v=abc",
            "https://www.reddit.com/r/MachineLearning/comments/76v9v4/some_title/",
            "https://twitter.com/someone",
            "not a url",
        ] {
            assert!(!pinpoints(url), "{url}");
        }
    }
}
