//! `unused-definition`: a source or event that nothing references.

use std::collections::{HashMap, HashSet};

use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::unknown_reference::{RefKind, references};
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, Def};

/// The `unused-definition` rule.
pub struct UnusedDefinition;

static META: RuleMeta = RuleMeta {
    id: "unused-definition",
    default_severity: Severity::Warning,
    summary: "a source, caveat or event that nothing references",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a definition that no note of the run refers to:
- a source that no claim, section or event cites and no note has as `summary_of`;
- an event that no `sensitive_to` (note, section or claim) and no caveat's `before:`
  names.

Caveats are written where they apply (on the note, a section or a claim), so a caveat
is used by being placed and is never reported, with or without an `id`.

References count across files: a source defined in one note and cited in another is used.

## Why it matters
An unused source is usually a citation that was forgotten (the claim it supports is
now unsourced) or a leftover from a deleted claim; an unused event overtakes nothing,
so the staleness checks it was meant for never run.

## Example
```yaml
sources:
  - {id: kaplan-2020, type: paper, title: Scaling Laws, arxiv: \"2001.08361\"}   # unused-definition
events:
  - {id: gpt-4, date: 2023-03-14, title: GPT-4 released}                       # unused-definition
```

## How to fix
Cite the source where it supports a claim, add the event to the `sensitive_to` of the
claims it may overtake, or delete the definition.

## Configuration
Severity only. Turn it off (`unused-definition = \"off\"`) for a shared bibliography
note that is meant to hold more sources than the notes cite.
";

impl Rule for UnusedDefinition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        let mut used_sources: HashSet<&str> = HashSet::new();
        let mut used_events: HashSet<&str> = HashSet::new();
        for view in &corpus.notes {
            for reference in references(view) {
                match reference.kind {
                    RefKind::Source => used_sources.insert(reference.id),
                    RefKind::Event => used_events.insert(reference.id),
                    RefKind::Caveat => false,
                };
            }
        }
        // The corpus already indexes every definition with its place; findings are
        // sorted by the engine, so the map order does not matter.
        report(
            corpus,
            unused(&corpus.sources, &used_sources),
            |id| format!("source `{id}` is never cited"),
            "defined here, cited nowhere",
            "cite it on the claims it supports (`sources: [<id>]`), or delete it",
            out,
        );
        report(
            corpus,
            unused(&corpus.events, &used_events),
            |id| format!("event `{id}` is never referenced"),
            "defined here, referenced nowhere",
            "name it in `sensitive_to` of the claims it may overtake (or a caveat's `before:`), or delete it",
            out,
        );
    }
}

/// Every definition in `defs` whose id is not in `used`: its id, note and path.
fn unused<'a, T>(
    defs: &HashMap<&'a str, Vec<Def<'_, T>>>,
    used: &HashSet<&str>,
) -> Vec<(&'a str, usize, Vec<Segment>)> {
    defs.iter()
        .filter(|(id, _)| !used.contains(*id))
        .flat_map(|(id, defs)| {
            defs.iter()
                .map(move |def| (*id, def.note, def.path.clone()))
        })
        .collect()
}

/// One finding per unused definition, at its id.
fn report(
    corpus: &Corpus<'_>,
    defs: Vec<(&str, usize, Vec<Segment>)>,
    message: impl Fn(&str) -> String,
    label: &str,
    help: &str,
    out: &mut Vec<Finding>,
) {
    for (id, note, mut path) in defs {
        path.push(Segment::key("id"));
        out.push(
            corpus.notes[note]
                .finding(META.id, META.default_severity, &path, &[], message(id))
                .with_label(label)
                .with_help(help),
        );
    }
}
