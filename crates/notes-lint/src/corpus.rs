//! The corpus: every note that loaded, its resolved claims, and indexes of the
//! definitions (sources, events, caveats) that are global across notes.

use std::collections::HashMap;
use std::sync::OnceLock;

use notes_core::model::{Caveat, CaveatRef, Claim, Event, Source};
use notes_core::resolve::ResolvedClaim;
use notes_core::tree::Segment;
use notes_core::{Document, Finding, Severity, Span};

use crate::rules::claim_text::Texts;

/// One loaded note and its claims, with everything resolved.
#[derive(Debug)]
pub struct NoteView<'a> {
    /// The loaded document.
    pub doc: &'a Document,
    /// Every claim, depth first in document order.
    pub claims: Vec<ResolvedClaim<'a>>,
}

/// Where something is defined: which note, and the tree path of the definition.
#[derive(Debug, Clone)]
pub struct Def<'a, T> {
    /// The index of the note in [`Corpus::notes`].
    pub note: usize,
    /// The tree path of the definition (the mapping that defines it).
    pub path: Vec<Segment>,
    /// The definition.
    pub value: &'a T,
}

/// Every note of a run and the global definitions.
#[derive(Debug, Default)]
pub struct Corpus<'a> {
    /// The notes, in file order.
    pub notes: Vec<NoteView<'a>>,
    /// Source definitions by id (several when an id is defined twice).
    pub sources: HashMap<&'a str, Vec<Def<'a, Source>>>,
    /// Event definitions by id.
    pub events: HashMap<&'a str, Vec<Def<'a, Event>>>,
    /// Caveat definitions (those with an id) by id.
    pub caveats: HashMap<&'a str, Vec<Def<'a, Caveat>>>,
    /// The compared claims' texts, worked out on first use: see [`Corpus::texts`].
    texts: OnceLock<Texts>,
}

impl<'a> Corpus<'a> {
    /// Builds the corpus from the documents that loaded.
    pub fn new(documents: impl IntoIterator<Item = &'a Document>) -> Self {
        Self::build(documents, &|_| true)
    }

    /// The notes and the definition indexes without the resolved claims (every
    /// [`NoteView::claims`] is empty): the id lookups of a language server request,
    /// which must not pay for resolving every claim of a large workspace.
    pub fn definitions(documents: impl IntoIterator<Item = &'a Document>) -> Self {
        Self::build(documents, &|_| false)
    }

    /// The notes and the definition indexes, with the claims resolved only in the notes
    /// `resolve` accepts (the others' [`NoteView::claims`] are empty, as in
    /// [`Corpus::definitions`]). A rule run on it finds in the accepted notes what it
    /// finds in the whole corpus, as long as every note whose claims bear on them is
    /// accepted too: a language server checks an edited note this way without resolving
    /// the whole workspace.
    pub fn focused(
        documents: impl IntoIterator<Item = &'a Document>,
        resolve: &(dyn Fn(&Document) -> bool + Sync),
    ) -> Self {
        Self::build(documents, resolve)
    }

    fn build(
        documents: impl IntoIterator<Item = &'a Document>,
        resolve: &(dyn Fn(&Document) -> bool + Sync),
    ) -> Self {
        use rayon::prelude::*;
        let mut corpus = Corpus::default();
        // Resolving is the costly part: in parallel, the rest in order.
        let documents: Vec<(&'a Document, Vec<ResolvedClaim<'a>>)> = documents
            .into_iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|doc| {
                (
                    doc,
                    if resolve(doc) {
                        doc.claims()
                    } else {
                        Vec::new()
                    },
                )
            })
            .collect();
        for (doc, claims) in documents {
            let index = corpus.notes.len();
            let note = &doc.note;
            index_defs(&mut corpus.sources, index, "sources", &note.sources, |s| {
                s.id.as_str()
            });
            index_defs(&mut corpus.events, index, "events", &note.events, |e| {
                e.id.as_str()
            });
            let mut caveat_defs = Vec::new();
            collect_caveats(&note.caveats, &[], &mut caveat_defs);
            for (s, section) in note.sections.iter().enumerate() {
                let path = [Segment::key("sections"), Segment::Index(s)];
                collect_caveats(&section.caveats, &path, &mut caveat_defs);
                collect_claim_caveats(&section.claims, "claims", &path, &mut caveat_defs);
            }
            for (path, caveat) in caveat_defs {
                if let Some(id) = &caveat.id {
                    corpus.caveats.entry(id.as_str()).or_default().push(Def {
                        note: index,
                        path,
                        value: caveat,
                    });
                }
            }
            debug_assert!(claims.windows(2).all(|w| w[0].path < w[1].path));
            corpus.notes.push(NoteView { doc, claims });
        }
        corpus
    }

    /// The claims that rules comparing texts compare, with their texts normalised and
    /// shaped: worked out once, by whichever rule asks first. A run that enables such a
    /// rule should ask before running rules in parallel (the engine does), so that no
    /// rule waits on another's work.
    pub fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| Texts::new(self))
    }

    /// Drops the texts [`Corpus::texts`] worked out, once the rules that read them are
    /// done (they are worked out again if asked for).
    pub fn forget_texts(&mut self) {
        self.texts.take();
    }

    /// The first definition of source `id`, if any.
    pub fn source(&self, id: &str) -> Option<&'a Source> {
        self.sources
            .get(id)
            .and_then(|defs| defs.first())
            .map(|d| d.value)
    }

    /// The first definition of event `id`, if any.
    pub fn event(&self, id: &str) -> Option<&'a Event> {
        self.events
            .get(id)
            .and_then(|defs| defs.first())
            .map(|d| d.value)
    }

    /// The caveat a reference stands for: the inline one, or the definition of its id.
    pub fn caveat(&self, reference: &'a CaveatRef) -> Option<&'a Caveat> {
        match reference {
            CaveatRef::Inline(caveat) => Some(caveat),
            CaveatRef::Id(id) => self
                .caveats
                .get(id.as_str())
                .and_then(|defs| defs.first())
                .map(|d| d.value),
        }
    }
}

/// Adds the definitions in `items` (the note's list `field`) to `defs`, by id.
fn index_defs<'a, T>(
    defs: &mut HashMap<&'a str, Vec<Def<'a, T>>>,
    note: usize,
    field: &str,
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a str,
) {
    for (i, value) in items.iter().enumerate() {
        defs.entry(id(value)).or_default().push(Def {
            note,
            path: vec![Segment::key(field), Segment::Index(i)],
            value,
        });
    }
}

fn collect_caveats<'a>(
    caveats: &'a [CaveatRef],
    owner: &[Segment],
    out: &mut Vec<(Vec<Segment>, &'a Caveat)>,
) {
    for (i, caveat) in caveats.iter().enumerate() {
        if let CaveatRef::Inline(caveat) = caveat {
            let mut path = owner.to_vec();
            path.extend([Segment::key("caveats"), Segment::Index(i)]);
            out.push((path, caveat));
        }
    }
}

fn collect_claim_caveats<'a>(
    claims: &'a [Claim],
    field: &str,
    owner: &[Segment],
    out: &mut Vec<(Vec<Segment>, &'a Caveat)>,
) {
    for (i, claim) in claims.iter().enumerate() {
        // Most claims define no caveat, nor do their children: no path to build for
        // them (this walk covers every claim of every note, even those not resolved).
        if !defines_caveats(claim) {
            continue;
        }
        let mut path = owner.to_vec();
        path.extend([Segment::key(field), Segment::Index(i)]);
        collect_caveats(&claim.caveats, &path, out);
        collect_claim_caveats(&claim.children, "children", &path, out);
    }
}

/// Whether `claim` or a claim under it defines a caveat inline.
fn defines_caveats(claim: &Claim) -> bool {
    claim
        .caveats
        .iter()
        .any(|c| matches!(c, CaveatRef::Inline(_)))
        || claim.children.iter().any(defines_caveats)
}

impl<'a> NoteView<'a> {
    /// The note's id.
    pub fn id(&self) -> &str {
        &self.doc.id
    }

    /// The span of the value at `path`, or of the nearest enclosing value that exists.
    pub fn span(&self, path: &[Segment]) -> Span {
        self.doc.positions.nearest(path).0
    }

    /// The span of the key of the entry at `path` (such as `as_of` in `as_of: 2022`).
    pub fn key_span(&self, path: &[Segment]) -> Span {
        self.doc
            .positions
            .key_span(path)
            .unwrap_or_else(|| self.span(path))
    }

    /// The claim at tree path `path`, if a claim is there.
    pub fn claim_at(&self, path: &[Segment]) -> Option<&ResolvedClaim<'a>> {
        // Claims are in document order, which is the order of their paths.
        self.claims
            .binary_search_by(|claim| claim.path[..].cmp(path))
            .ok()
            .map(|i| &self.claims[i])
    }

    /// A finding of `rule` at the value at `path`, about whatever is at `owner`: the
    /// claim there (named in the finding), or else the section or note.
    pub fn owner_finding(
        &self,
        rule: &'static str,
        severity: Severity,
        path: &[Segment],
        owner: &[Segment],
        message: impl Into<String>,
    ) -> Finding {
        match self.claim_at(owner) {
            Some(claim) => self.claim_finding(rule, severity, path, claim, message),
            None => self.finding(rule, severity, path, owner, message),
        }
    }

    /// A finding of `rule` at the value at `path`, about the note or section at `scope`.
    pub fn finding(
        &self,
        rule: &'static str,
        severity: Severity,
        path: &[Segment],
        scope: &[Segment],
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(
            rule,
            severity,
            self.doc.file.path(),
            Some(self.span(path)),
            message,
        )
        .about(Some(self.id().to_owned()), None)
        .in_scope(scope)
    }

    /// A finding of `rule` at the value at `path`, about `claim`.
    pub fn claim_finding(
        &self,
        rule: &'static str,
        severity: Severity,
        path: &[Segment],
        claim: &ResolvedClaim<'_>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(
            rule,
            severity,
            self.doc.file.path(),
            Some(self.span(path)),
            message,
        )
        .about(Some(self.id().to_owned()), Some(claim.name()))
        .in_scope(&claim.path)
    }

    /// The tree path of `claim`'s `field`, such as its `text`.
    pub fn field_path(claim: &ResolvedClaim<'_>, field: &str) -> Vec<Segment> {
        let mut path = claim.path.to_vec();
        path.push(Segment::key(field));
        path
    }
}

/// Whether `claim` has an `allow` for `rule` set strictly below `owner` (the note, a
/// section or a claim that is `claim` or one of its ancestors): on a section, parent
/// claim or the claim itself that lies inside `owner`. A finding about `owner`
/// (grouping several claims) is out of such an allow's reach, so a rule that groups
/// claims under `owner` should leave this claim out of the group and report it on its
/// own: the engine then suppresses that finding (or, when the allow's `until` has
/// passed, reports it as expired) and counts the allow as used.
///
/// Expired allows count too, on purpose: grouping the claim would report the allow as
/// unused ("delete this entry") when the right advice is to renew it.
pub fn allowed_below(claim: &ResolvedClaim<'_>, rule: &str, owner: &[Segment]) -> bool {
    claim
        .allow
        .iter()
        .any(|allow| allow.value.rule == rule && allow.owner.len() > owner.len())
}
