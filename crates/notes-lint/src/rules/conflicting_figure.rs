//! `conflicting-figure`: claims that say the same thing but for one figure.
//!
//! Claims are grouped by their text with its figures masked and by every figure but
//! one: each (claim, figure) pair is one small entry, and sorting the entries puts
//! each group's together, so the cost is `n log n` in the claims whatever they say
//! and the memory a few bytes per figure: a cluster of a million copies is one group,
//! reported once.

use std::cmp::Ordering;

use notes_core::{Finding, Severity};

use super::claim_text::{
    At, MAX_LABELS, MAX_NAMED, Shape, cluster_finding, count, is_year, place, same_list,
    summary_group, unlabelled,
};
use super::{Context, Rule, RuleMeta};
use crate::corpus::Corpus;

/// The `conflicting-figure` rule.
pub struct ConflictingFigure;

static META: RuleMeta = RuleMeta {
    id: "conflicting-figure",
    default_severity: Severity::Warning,
    summary: "two claims about the same thing whose one difference is one figure",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags claims whose texts are the same once their figures are set aside, but whose one
figure differs: `2% of NeurIPS papers are about safety` in one note and `3% of NeurIPS
papers are about safety` in another. They are a conflict, or one updates the other.

A figure is a number with its marks and magnitude (`2%`, `~30k`, `$5`, `1.5M`, `10x`,
`-5`), a number word (`two`, `dozen`, `half`, `million`), or a run of them (`3
million`, `two hundred`). A number that is part of a name is not a figure: one glued to
letters (`CIFAR-10`, `GPT-4`, `top-1`), one after a capitalised name (`VOC 2007`,
`NeurIPS 2021`) and one after a label word (`Table 3`). Texts are compared after the
normalising `duplicate-claim` describes (case and punctuation do not count).

The claims are not compared when:
- a name or a second figure differs too (`CIFAR-10` and `CIFAR-100`, or `2 labs and
  three teams` and `3 labs and four teams`): they are about different things;
- their notes summarise different works (their `summary_of` differ, or one has it and
  the other not): one sentence in two summaries reports two works;
- the figure that differs is a year (`in 2021` and `in 2022`): they are claims about
  two years;
- the text has fewer than 3 words besides its figures, or more than 8 figures;
- one is a lead-in (text ending in `:` with children);
- in a note that summarises a work (`summary_of`), they sit under different parents
  (another parent claim, or the tops of two sections): a summary reports the work's
  datasets and settings under headings of their own, so `Small objects: 12 points
  better` under one heading and `Small objects: 2 points better` under another are two
  results. In your own notes, two figures for one thing conflict wherever they are.

Claims that give the same figure are not flagged here: `duplicate-claim` reports them.

A cluster of such claims is one finding, at the first of them (by file, then document
order), naming the figure of each other claim; the first 10 other claims are labelled.

## Why it matters
Two figures for one fact cannot both be right now: one is out of date, mistyped or
from another source. A reader who finds one of them does not know the other exists.

## Example
```yaml
# notes/survey.yaml
- text: 2% of NeurIPS papers are about safety.   # conflicting-figure
# notes/talk.yaml
- text: 3% of NeurIPS papers are about safety.
```

## How to fix
If one figure updates the other, keep the newer claim and give it its `as_of` date (or
say in the text which year each figure is about, which makes them different claims).
If they conflict, check the sources and correct the wrong one. If both are right
(different populations), say what differs in the text.

## Configuration
Severity only.
";

/// Texts with fewer words than this besides their figures are not compared.
pub const MIN_WORDS: usize = 3;
/// Texts with more figures than this are not compared.
pub const MAX_FIGURES: usize = 8;

/// One figure of one claim: the claim (an index in [`Texts::claims`]) and the figure's
/// position among the claim's figures.
///
/// [`Texts::claims`]: super::claim_text::Texts::claims
#[derive(Clone, Copy, PartialEq, Eq)]
struct Entry {
    claim: u32,
    position: u8,
}

/// The figures of `shape` but the one at `position`.
fn others(shape: &Shape, position: u8) -> impl Iterator<Item = &str> {
    let position = usize::from(position);
    shape
        .figures
        .iter()
        .enumerate()
        .filter(move |&(k, _)| k != position)
        .map(|(_, figure)| figure.as_str())
}

impl Rule for ConflictingFigure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        use rayon::prelude::*;
        let texts = corpus.texts();
        let (claims, shapes) = (&texts.claims, &texts.shapes);
        let mut entries: Vec<Entry> = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            if shape.figures.is_empty()
                || shape.figures.len() > MAX_FIGURES
                || shape.words < MIN_WORDS
            {
                continue;
            }
            for position in 0..shape.figures.len() {
                if !is_year(&shape.figures[position]) {
                    entries.push(Entry {
                        claim: i as u32,
                        position: position as u8,
                    });
                }
            }
        }
        // Claims that share everything but the figure at one position make a group:
        // the same `summary_of` group, masked text, position and other figures.
        let group = |a: &Entry, b: &Entry| -> Ordering {
            let (x, y) = (&shapes[a.claim as usize], &shapes[b.claim as usize]);
            summary_group(corpus, claims[a.claim as usize])
                .cmp(&summary_group(corpus, claims[b.claim as usize]))
                .then_with(|| x.masked.cmp(&y.masked))
                .then(a.position.cmp(&b.position))
                .then_with(|| others(x, a.position).cmp(others(y, b.position)))
        };
        // Sorted by group, then claim: each group's members are together, in order.
        entries.par_sort_unstable_by(|a, b| group(a, b).then(a.claim.cmp(&b.claim)));
        let mut clusters: Vec<(usize, usize, Vec<usize>)> = entries
            .chunk_by(|a, b| group(a, b) == Ordering::Equal)
            .filter(|members| members.len() > 1)
            .map(|members| {
                let claims: Vec<usize> = members.iter().map(|e| e.claim as usize).collect();
                (claims[0], usize::from(members[0].position), claims)
            })
            .collect();
        drop(entries);
        clusters.sort_unstable_by_key(|&(first, position, _)| (first, position));
        for (first, position, members) in clusters {
            let value = |i: usize| shapes[i].figures[position].as_str();
            let differing: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| {
                    value(i) != value(first) && one_context(corpus, claims[first], claims[i])
                })
                .collect();
            if differing.is_empty() {
                continue;
            }
            out.push(report(corpus, claims, first, &differing, value));
        }
    }
}

/// Whether two claims speak of one context: within a note that summarises a work, only
/// claims with the same parent (or both at the top of one section) do, since a summary
/// reports the work's settings and datasets under headings of their own ("Dataset A:
/// 12% better" and, under another heading, "Dataset B: 3% better"). Claims of
/// different notes, or of one of the user's own notes, are always compared.
fn one_context(corpus: &Corpus<'_>, a: At, b: At) -> bool {
    if a.note != b.note || summary_group(corpus, a).is_none() {
        return true;
    }
    let claims = &corpus.notes[a.note].claims;
    same_list(&claims[a.claim], &claims[b.claim])
}

fn report<'s>(
    corpus: &Corpus<'_>,
    claims: &[At],
    first: usize,
    differing: &[usize],
    value: impl Fn(usize) -> &'s str,
) -> Finding {
    let at = claims[first];
    let mut named: Vec<String> = differing
        .iter()
        .take(MAX_NAMED)
        .map(|&i| format!("`{}` in {}", value(i), place(corpus, at, claims[i])))
        .collect();
    if differing.len() > MAX_NAMED {
        named.push(format!("and {} more", differing.len() - MAX_NAMED));
    }
    let message = format!(
        "the same claim with another figure in {}: `{}` here, {}",
        count(differing.len(), "other claim", "other claims"),
        value(first),
        named.join(", ")
    );
    let labelled: Vec<(At, String)> = differing
        .iter()
        .take(MAX_LABELS)
        .map(|&i| (claims[i], format!("says `{}`", value(i))))
        .collect();
    cluster_finding(corpus, META.id, META.default_severity, at, &labelled, message)
        .with_label(format!("says `{}`", value(first)))
        .with_help(format!(
            "if one figure updates the other, keep the newer claim with its `as_of`; if they conflict, check the sources and correct one{}",
            unlabelled(differing.len())
        ))
}
