//! `unknown-reference`: a source, caveat or event id that is defined nowhere.

use notes_core::model::{CaveatRef, Citation};
use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `unknown-reference` rule.
pub struct UnknownReference;

static META: RuleMeta = RuleMeta {
    id: "unknown-reference",
    default_severity: Severity::Error,
    summary: "a source, caveat, event or claim id that is defined nowhere",
    docs: DOCS,
    fixable: true,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a reference to an id that no note defines. Every kind of reference is checked,
across all the notes of the run (ids are global):
- sources cited by claims, sections and events (`sources: [id]` or `{id, locator}`),
  and the note's `summary_of`;
- caveats referred to by id in `caveats:`;
- events named by a caveat's `before:` and by `sensitive_to` (note, section, claim).

The finding points at the reference itself and suggests the closest known id of the
same kind when one is a likely typo.

## Why it matters
A dangling citation looks sourced but leads nowhere; a misspelt `before:` silently
fails to acknowledge its event, and a misspelt `sensitive_to` silently never fires.

## Example
```yaml
sources:
  - {id: pais-2, type: article, title: A Bird's Eye View of the ML Field, url: https://example.org}
sections:
  - title: S
    claims:
      - text: Empirical ML research progresses through metrics.
        sources: [pais2]          # unknown-reference: did you mean `pais-2`?
```

## How to fix
Correct the id (the help gives the closest known one), or define the missing source,
caveat or event in any note. When exactly one known id of the right kind is that close,
`notes-lint --fix` renames the reference to it.

## Configuration
Severity only.
";

/// What kind of definition a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// A source, cited or summarised.
    Source,
    /// A caveat referred to by id.
    Caveat,
    /// An event, in `before:` or `sensitive_to`.
    Event,
}

impl RefKind {
    fn as_str(self) -> &'static str {
        match self {
            RefKind::Source => "source",
            RefKind::Caveat => "caveat",
            RefKind::Event => "event",
        }
    }
}

/// One reference to a global id, and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Reference<'a> {
    /// What it refers to.
    pub kind: RefKind,
    /// The referenced id.
    pub id: &'a str,
    /// The tree path of the id's value.
    pub path: Vec<Segment>,
    /// The note (`[]`) or section the reference belongs to, when not a claim.
    pub scope: Vec<Segment>,
    /// The index of the claim in the note's resolved claims, when a claim holds it.
    pub claim: Option<usize>,
}

struct Collector<'a> {
    out: Vec<Reference<'a>>,
}

impl<'a> Collector<'a> {
    fn push(
        &mut self,
        kind: RefKind,
        id: &'a str,
        path: Vec<Segment>,
        scope: &[Segment],
        claim: Option<usize>,
    ) {
        self.out.push(Reference {
            kind,
            id,
            path,
            scope: scope.to_vec(),
            claim,
        });
    }

    fn citations(
        &mut self,
        citations: &'a [Citation],
        owner: &[Segment],
        scope: &[Segment],
        claim: Option<usize>,
    ) {
        for (i, citation) in citations.iter().enumerate() {
            let mut path = owner.to_vec();
            path.extend([Segment::key("sources"), Segment::Index(i)]);
            if matches!(citation, Citation::Located(_)) {
                path.push(Segment::key("id"));
            }
            self.push(RefKind::Source, citation.id(), path, scope, claim);
        }
    }

    fn caveats(
        &mut self,
        caveats: &'a [CaveatRef],
        owner: &[Segment],
        scope: &[Segment],
        claim: Option<usize>,
    ) {
        for (i, caveat) in caveats.iter().enumerate() {
            let mut path = owner.to_vec();
            path.extend([Segment::key("caveats"), Segment::Index(i)]);
            match caveat {
                CaveatRef::Id(id) => self.push(RefKind::Caveat, id, path, scope, claim),
                CaveatRef::Inline(inline) => {
                    if let Some(before) = &inline.before {
                        path.push(Segment::key("before"));
                        self.push(RefKind::Event, before, path, scope, claim);
                    }
                }
            }
        }
    }

    fn events(
        &mut self,
        events: &'a [String],
        owner: &[Segment],
        scope: &[Segment],
        claim: Option<usize>,
    ) {
        for (i, event) in events.iter().enumerate() {
            let mut path = owner.to_vec();
            path.extend([Segment::key("sensitive_to"), Segment::Index(i)]);
            self.push(RefKind::Event, event, path, scope, claim);
        }
    }
}

/// Every reference to a source, caveat or event id in `view`.
pub(crate) fn references<'a>(view: &NoteView<'a>) -> Vec<Reference<'a>> {
    let note = &view.doc.note;
    let mut c = Collector { out: Vec::new() };
    if let Some(summary_of) = &note.summary_of {
        c.push(
            RefKind::Source,
            summary_of,
            vec![Segment::key("summary_of")],
            &[],
            None,
        );
    }
    c.caveats(&note.caveats, &[], &[], None);
    c.events(&note.sensitive_to, &[], &[], None);
    for (i, event) in note.events.iter().enumerate() {
        c.citations(
            &event.sources,
            &[Segment::key("events"), Segment::Index(i)],
            &[],
            None,
        );
    }
    for (s, section) in note.sections.iter().enumerate() {
        let owner = [Segment::key("sections"), Segment::Index(s)];
        c.citations(&section.sources, &owner, &owner, None);
        c.caveats(&section.caveats, &owner, &owner, None);
        c.events(&section.sensitive_to, &owner, &owner, None);
    }
    for (i, claim) in view.claims.iter().enumerate() {
        let owner = claim.path.to_vec();
        c.citations(&claim.claim.sources, &owner, &owner, Some(i));
        c.caveats(&claim.claim.caveats, &owner, &owner, Some(i));
        c.events(&claim.claim.sensitive_to, &owner, &owner, Some(i));
    }
    c.out
}

/// Whether `corpus` defines `id` as a `kind`.
pub(crate) fn is_defined(corpus: &Corpus<'_>, kind: RefKind, id: &str) -> bool {
    match kind {
        RefKind::Source => corpus.sources.contains_key(id),
        RefKind::Caveat => corpus.caveats.contains_key(id),
        RefKind::Event => corpus.events.contains_key(id),
    }
}

impl Rule for UnknownReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for reference in references(view) {
                if is_defined(corpus, reference.kind, reference.id) {
                    continue;
                }
                let what = reference.kind.as_str();
                let message = format!("unknown {what} `{}`", reference.id);
                let finding = match reference.claim {
                    Some(claim) => view.claim_finding(
                        META.id,
                        META.default_severity,
                        &reference.path,
                        &view.claims[claim],
                        message,
                    ),
                    None => view.finding(
                        META.id,
                        META.default_severity,
                        &reference.path,
                        &reference.scope,
                        message,
                    ),
                };
                let mut finding = finding
                    .with_label(format!("no note defines this {what}"))
                    .with_help(help(corpus, reference.kind, reference.id));
                if let Some(best) = unique_fix(corpus, reference.kind, reference.id) {
                    let span = view.span(&reference.path);
                    // Keep the reference's quoting style: `"pais2"` becomes `"pais-2"`.
                    let written = view.doc.file.slice(span);
                    let quote = written.chars().next().filter(|c| *c == '"' || *c == '\'');
                    let replacement = match quote {
                        Some(q) => format!("{q}{best}{q}"),
                        None => best.to_owned(),
                    };
                    finding = finding.with_fix(notes_core::Fix {
                        message: format!("rename `{}` to `{best}`", reference.id),
                        edits: vec![notes_core::Edit { span, replacement }],
                    });
                }
                out.push(finding);
            }
        }
    }
}

/// The one known id of the same kind close enough to rename to, if exactly one is.
fn unique_fix<'c>(corpus: &Corpus<'c>, kind: RefKind, id: &str) -> Option<&'c str> {
    let known: Vec<&'c str> = match kind {
        RefKind::Source => corpus.sources.keys().copied().collect(),
        RefKind::Caveat => corpus.caveats.keys().copied().collect(),
        RefKind::Event => corpus.events.keys().copied().collect(),
    };
    notes_core::suggest::unique_match(id, known.iter().copied())
}

fn help(corpus: &Corpus<'_>, kind: RefKind, id: &str) -> String {
    let known: Vec<&str> = match kind {
        RefKind::Source => corpus.sources.keys().copied().collect(),
        RefKind::Caveat => corpus.caveats.keys().copied().collect(),
        RefKind::Event => corpus.events.keys().copied().collect(),
    };
    if let Some(best) = notes_core::suggest::did_you_mean(id, known) {
        return format!("did you mean `{best}`?");
    }
    let other = [RefKind::Source, RefKind::Caveat, RefKind::Event]
        .into_iter()
        .find(|other| *other != kind && is_defined(corpus, *other, id));
    let what = kind.as_str();
    match other {
        Some(other) => format!(
            "`{id}` is defined as {} {}, not as a {what}",
            if other == RefKind::Event { "an" } else { "a" },
            other.as_str()
        ),
        None => match kind {
            RefKind::Source => {
                format!(
                    "define a source with id `{id}` under `sources:` in any note, or fix the id"
                )
            }
            RefKind::Caveat => format!(
                "define a caveat with id `{id}` (with its `text`) in any note's `caveats:`, or fix the id"
            ),
            RefKind::Event => {
                format!("define an event with id `{id}` under `events:` in any note, or fix the id")
            }
        },
    }
}
