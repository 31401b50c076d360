//! `quote-needs-locator`: a quote whose citations give no locator.

use notes_core::model::ClaimKind;
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
                let located = claim
                    .sources
                    .iter()
                    .any(|source| source.value.locator.is_some_and(|l| !l.trim().is_empty()));
                if located {
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
