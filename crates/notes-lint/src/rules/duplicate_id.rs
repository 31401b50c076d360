//! `duplicate-id`: two definitions of one id.

use std::collections::HashMap;

use notes_core::tree::Segment;
use notes_core::{Finding, Label, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, Def};

/// The `duplicate-id` rule.
pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    id: "duplicate-id",
    default_severity: Severity::Error,
    summary: "two definitions of one id",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a second definition of an id. Source, event, caveat and note ids are global
across the corpus; claim ids are unique within their note. The finding is on the later
definition, with a label at the first. A caveat defined inline on a claim or section is
about that claim or section: an `allow` there (or above) suppresses its finding.

## Why it matters
A reference to a duplicated id is ambiguous: a citation could silently point at the
wrong source, and a `before:` at the wrong event.

## Example
```yaml
# notes/a.yaml
sources:
  - {id: pais-2, type: article, title: A Bird's Eye View of the ML Field}
# notes/b.yaml
sources:
  - {id: pais-2, type: article, title: Something else}   # duplicate-id
```

## How to fix
Rename one of the two, or delete the copy and cite the first definition (ids are
global, so another note's source can be cited directly).

## Configuration
Severity only.
";

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        duplicates(corpus, "source", &corpus.sources, out);
        duplicates(corpus, "event", &corpus.events, out);
        duplicates(corpus, "caveat", &corpus.caveats, out);

        let mut note_ids: HashMap<&str, usize> = HashMap::new();
        for (index, view) in corpus.notes.iter().enumerate() {
            if let Some(&first) = note_ids.get(view.id()) {
                let earlier = &corpus.notes[first];
                let path = [Segment::key("id")];
                let mut finding = view.finding(
                    META.id,
                    META.default_severity,
                    &path,
                    &[],
                    format!("note id `{}` is already used", view.id()),
                );
                finding.labels.push(Label {
                    file: Some(earlier.doc.file.path().to_owned()),
                    span: earlier.span(&path),
                    message: "first used here".to_owned(),
                });
                out.push(
                    finding.with_help("give one of the notes another `id` (or rename its file)"),
                );
            } else {
                note_ids.insert(view.id(), index);
            }
        }

        for view in &corpus.notes {
            let mut claim_ids: HashMap<&str, &[Segment]> = HashMap::new();
            for claim in &view.claims {
                let Some(id) = &claim.claim.id else { continue };
                let path = crate::corpus::NoteView::field_path(claim, "id");
                match claim_ids.get(id.as_str()) {
                    Some(first) => {
                        let mut first_path = first.to_vec();
                        first_path.push(Segment::key("id"));
                        let finding = view
                            .claim_finding(
                                META.id,
                                META.default_severity,
                                &path,
                                claim,
                                format!("claim id `{id}` is already used in this note"),
                            )
                            .with_label("second definition")
                            .with_secondary(view.span(&first_path), "first defined here")
                            .with_help("claim ids must be unique within a note: rename one");
                        out.push(finding);
                    }
                    None => {
                        claim_ids.insert(id.as_str(), &claim.path);
                    }
                }
            }
        }
    }
}

fn duplicates<T>(
    corpus: &Corpus<'_>,
    what: &str,
    defs: &HashMap<&str, Vec<Def<'_, T>>>,
    out: &mut Vec<Finding>,
) {
    for (id, defs) in defs {
        let Some((first, rest)) = defs.split_first() else {
            continue;
        };
        let first_view = &corpus.notes[first.note];
        let mut first_id = first.path.clone();
        first_id.push(Segment::key("id"));
        for def in rest {
            let view = &corpus.notes[def.note];
            let mut path = def.path.clone();
            path.push(Segment::key("id"));
            // The definition is an item of its owner's list (`[.., caveats, i]`): a
            // caveat defined inline on a claim or section is about that claim or section,
            // so an `allow` there reaches the finding; sources and events are the note's.
            let owner = &def.path[..def.path.len().saturating_sub(2)];
            let mut finding = view
                .owner_finding(
                    META.id,
                    META.default_severity,
                    &path,
                    owner,
                    format!("{what} id `{id}` is already defined"),
                )
                .with_label("second definition")
                .with_help(format!(
                    "{what} ids are global across the notes: rename this one, or delete it and use the first"
                ));
            let same_file = def.note == first.note;
            finding.labels.push(Label {
                file: (!same_file).then(|| first_view.doc.file.path().to_owned()),
                span: first_view.span(&first_id),
                message: "first defined here".to_owned(),
            });
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::stale_claim::tests::lint;

    #[test]
    fn a_caveat_defined_on_a_claim_is_about_that_claim() {
        let text = "\
title: T
caveats:
  - {id: small-sample, text: One survey only.}
sections:
  - title: S
    caveats: [{id: small-sample, text: On the section.}]
    claims:
      - text: Beta is true.
        id: beta
        caveats: [{id: small-sample, text: On the claim.}]
";
        let found = lint(text, &[META.id], Default::default());
        let about: Vec<(usize, Option<&str>)> =
            found.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        assert_eq!(about, [(6, None), (10, Some("beta"))], "{found:?}");
    }
}
