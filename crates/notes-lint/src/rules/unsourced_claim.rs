//! `unsourced-claim`: a claim, quote, forecast or definition with no source, even inherited.

use notes_core::model::ClaimKind;
use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `unsourced-claim` rule.
pub struct UnsourcedClaim;

static META: RuleMeta = RuleMeta {
    id: "unsourced-claim",
    default_severity: Severity::Warning,
    summary: "a claim of kind claim, quote, forecast or definition that has no source, even inherited",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim of kind `claim` (the default), `quote`, `forecast` or `definition` that
cites no source, neither itself nor through a parent claim, its section or its note
(the note's `summary_of` counts as a source of every claim). Opinions, questions and
examples never need a source.

When every such claim of a section is unsourced (two or more), the finding is reported
once, at the section's title, with the number of claims affected; when that is true of
the whole note across several sections, once at the note's title. Otherwise each
unsourced claim is reported at its `text`.

## Why it matters
Months later nobody remembers where a claim came from, so it can be neither checked
nor updated. A source is what makes a note re-checkable.

## Example
```yaml
sections:
  - title: Ecosystem
    claims:
      - text: The field is focused around a small number of conferences.
        sources: [pais-2]
      - text: Journal papers are less influential.     # unsourced-claim
```

## How to fix
Cite the source on the claim (`sources: [id]`), on its section, or give the note a
`summary_of` when the whole note summarises one source. If the claim is your own view,
mark it `kind: opinion`.

## Configuration
Severity only.
";

fn needs_source(kind: ClaimKind) -> bool {
    match kind {
        ClaimKind::Claim | ClaimKind::Quote | ClaimKind::Forecast | ClaimKind::Definition => true,
        ClaimKind::Opinion | ClaimKind::Question | ClaimKind::Example => false,
    }
}

impl Rule for UnsourcedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            check_note(view, out);
        }
    }
}

fn check_note(view: &NoteView<'_>, out: &mut Vec<Finding>) {
    let sections = view.doc.note.sections.len();
    // Per section: the claims that need a source, and those of them that have none.
    let mut checked = vec![0_usize; sections];
    let mut unsourced: Vec<Vec<usize>> = vec![Vec::new(); sections];
    for (i, claim) in view.claims.iter().enumerate() {
        if !needs_source(claim.claim.kind) {
            continue;
        }
        let Some(&section) = claim.position.first() else {
            continue;
        };
        let s = section - 1;
        checked[s] += 1;
        if claim.sources.is_empty() {
            unsourced[s].push(i);
        }
    }
    let whole_section = |s: usize| checked[s] >= 2 && unsourced[s].len() == checked[s];
    let total: usize = checked.iter().sum();
    let total_unsourced: usize = unsourced.iter().map(Vec::len).sum();
    let sections_with_claims = checked.iter().filter(|&&n| n > 0).count();
    if total >= 2 && total_unsourced == total && sections_with_claims >= 2 {
        out.push(
            view.finding(
                META.id,
                META.default_severity,
                &[Segment::key("title")],
                &[],
                format!("none of the {total} claims in this note cites a source"),
            )
            .with_label("no source anywhere in this note")
            .with_help(
                "give the note `summary_of: <source id>` if it summarises one source, or cite sources on its sections or claims",
            ),
        );
        return;
    }
    for s in 0..sections {
        if whole_section(s) {
            let owner = [Segment::key("sections"), Segment::Index(s)];
            let mut title = owner.to_vec();
            title.push(Segment::key("title"));
            out.push(
                view.finding(
                    META.id,
                    META.default_severity,
                    &title,
                    &owner,
                    format!(
                        "none of the {} claims in this section cites a source",
                        checked[s]
                    ),
                )
                .with_label("no source for this section")
                .with_help("add `sources: [<id>]` to the section, or cite a source on each claim"),
            );
            continue;
        }
        for &i in &unsourced[s] {
            let claim = &view.claims[i];
            let kind = claim.claim.kind.as_str();
            out.push(
                view.claim_finding(
                    META.id,
                    META.default_severity,
                    &NoteView::field_path(claim, "text"),
                    claim,
                    format!("{kind} cites no source"),
                )
                .with_label("no source, own or inherited")
                .with_help(
                    "cite a source on the claim, its parent, its section or the note; if it is your own view, set `kind: opinion`",
                ),
            );
        }
    }
}
