//! Where the ids of sources, events and caveats are defined and referenced in a note,
//! with the byte range of each id's text: what navigation and rename work on.

use notes_core::Document;
use notes_core::model::{CaveatRef, Citation, Claim};
use notes_core::tree::Segment;
use notes_core::{Span, model::Note};

/// What an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A source.
    Source,
    /// An event.
    Event,
    /// A caveat.
    Caveat,
}

impl Kind {
    /// The word for it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Event => "event",
            Kind::Caveat => "caveat",
        }
    }
}

/// One occurrence of an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// What it names.
    pub kind: Kind,
    /// The id.
    pub id: String,
    /// The id's text (without quotes).
    pub span: Span,
    /// The tree path of the id's value.
    pub path: Vec<Segment>,
    /// Whether this is the definition rather than a reference.
    pub definition: bool,
}

/// Every id occurrence in `doc`, in document order of the walk.
pub fn sites(doc: &Document) -> Vec<Site> {
    let mut walker = Walker {
        doc,
        out: Vec::new(),
    };
    walker.note(&doc.note);
    walker.out
}

struct Walker<'a> {
    doc: &'a Document,
    out: Vec<Site>,
}

fn join(base: &[Segment], more: &[Segment]) -> Vec<Segment> {
    base.iter().chain(more).cloned().collect()
}

impl Walker<'_> {
    fn add(&mut self, kind: Kind, id: &str, path: Vec<Segment>, definition: bool) {
        let Some(span) = self.doc.positions.span(&path) else {
            return;
        };
        // A quoted scalar's span holds its quotes; the id is inside them.
        let text = self.doc.file.slice(span);
        let span = match text.find(id) {
            Some(at) => Span::new(span.start + at, span.start + at + id.len()),
            None => span,
        };
        self.out.push(Site {
            kind,
            id: id.to_owned(),
            span,
            path,
            definition,
        });
    }

    fn note(&mut self, note: &Note) {
        if let Some(id) = &note.summary_of {
            self.add(Kind::Source, id, vec![Segment::key("summary_of")], false);
        }
        for (i, source) in note.sources.iter().enumerate() {
            let path = vec![
                Segment::key("sources"),
                Segment::Index(i),
                Segment::key("id"),
            ];
            self.add(Kind::Source, &source.id.0, path, true);
        }
        for (i, event) in note.events.iter().enumerate() {
            let base = [Segment::key("events"), Segment::Index(i)];
            self.add(
                Kind::Event,
                &event.id.0,
                join(&base, &[Segment::key("id")]),
                true,
            );
            self.citations(&event.sources, &join(&base, &[Segment::key("sources")]));
        }
        self.scope(&[], &[], &note.caveats, &note.sensitive_to);
        for (s, section) in note.sections.iter().enumerate() {
            let base = [Segment::key("sections"), Segment::Index(s)];
            self.scope(
                &base,
                &section.sources,
                &section.caveats,
                &section.sensitive_to,
            );
            self.claims(&section.claims, &join(&base, &[Segment::key("claims")]));
        }
    }

    /// The id lists a note, section or claim at `base` may carry.
    fn scope(
        &mut self,
        base: &[Segment],
        sources: &[Citation],
        caveats: &[CaveatRef],
        sensitive_to: &[String],
    ) {
        self.citations(sources, &join(base, &[Segment::key("sources")]));
        let list = join(base, &[Segment::key("caveats")]);
        for (i, caveat) in caveats.iter().enumerate() {
            match caveat {
                CaveatRef::Id(id) => {
                    self.add(Kind::Caveat, id, join(&list, &[Segment::Index(i)]), false);
                }
                CaveatRef::Inline(caveat) => {
                    let item = join(&list, &[Segment::Index(i)]);
                    if let Some(id) = &caveat.id {
                        self.add(
                            Kind::Caveat,
                            &id.0,
                            join(&item, &[Segment::key("id")]),
                            true,
                        );
                    }
                    if let Some(event) = &caveat.before {
                        self.add(
                            Kind::Event,
                            event,
                            join(&item, &[Segment::key("before")]),
                            false,
                        );
                    }
                }
            }
        }
        let list = join(base, &[Segment::key("sensitive_to")]);
        for (i, event) in sensitive_to.iter().enumerate() {
            self.add(Kind::Event, event, join(&list, &[Segment::Index(i)]), false);
        }
    }

    fn citations(&mut self, citations: &[Citation], list: &[Segment]) {
        for (i, citation) in citations.iter().enumerate() {
            match citation {
                Citation::Id(id) => {
                    self.add(Kind::Source, id, join(list, &[Segment::Index(i)]), false);
                }
                Citation::Located(located) => self.add(
                    Kind::Source,
                    &located.id,
                    join(list, &[Segment::Index(i), Segment::key("id")]),
                    false,
                ),
            }
        }
    }

    fn claims(&mut self, claims: &[Claim], list: &[Segment]) {
        for (i, claim) in claims.iter().enumerate() {
            let base = join(list, &[Segment::Index(i)]);
            self.scope(&base, &claim.sources, &claim.caveats, &claim.sensitive_to);
            self.claims(&claim.children, &join(&base, &[Segment::key("children")]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_definitions_and_references_with_the_id_text_only() {
        let text = "title: T\nsummary_of: \"a\"\nsources:\n  - {id: a, type: web, title: A}\nevents:\n  - {id: e, date: 2023, title: E, sources: [{id: a, locator: p. 1}]}\ncaveats:\n  - {id: c, text: C, before: e}\nsections:\n  - title: S\n    claims:\n      - text: X\n        caveats: [c]\n        sensitive_to: [e]\n        children:\n          - text: Y\n            sources: [a]\n";
        let loaded = notes_core::load_bytes(std::path::Path::new("t.yaml"), text.as_bytes());
        let doc = loaded.document.expect("a note");
        let found: Vec<(Kind, &str, bool, usize)> = sites(&doc)
            .iter()
            .map(|s| {
                assert_eq!(&text[s.span.start..s.span.end], s.id);
                let line = text[..s.span.start].matches('\n').count();
                (s.kind, &text[s.span.start..s.span.end], s.definition, line)
            })
            .collect();
        assert_eq!(
            found,
            [
                (Kind::Source, "a", false, 1),
                (Kind::Source, "a", true, 3),
                (Kind::Event, "e", true, 5),
                (Kind::Source, "a", false, 5),
                (Kind::Caveat, "c", true, 7),
                (Kind::Event, "e", false, 7),
                (Kind::Caveat, "c", false, 12),
                (Kind::Event, "e", false, 13),
                (Kind::Source, "a", false, 16),
            ]
        );
    }
}
