//! `unknown-reference`: a source, caveat or event id that is defined nowhere.

use std::cell::OnceCell;
use std::collections::HashMap;

use notes_core::model::{CaveatRef, Citation};
use notes_core::suggest::{Dictionary, Suggestion};
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

    /// "a source", "a caveat", "an event".
    fn with_article(self) -> &'static str {
        match self {
            RefKind::Source => "a source",
            RefKind::Caveat => "a caveat",
            RefKind::Event => "an event",
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

/// The known ids of each kind, prepared for suggestions once per run (and only for the
/// kinds that have an unknown reference), and the suggestion for each unknown id, worked
/// out once however often the id is referred to.
struct Suggestions<'c> {
    sources: OnceCell<Dictionary<'c>>,
    caveats: OnceCell<Dictionary<'c>>,
    events: OnceCell<Dictionary<'c>>,
    cache: HashMap<(RefKind, &'c str), Option<Suggestion<'c>>>,
}

impl<'c> Suggestions<'c> {
    fn new() -> Self {
        Suggestions {
            sources: OnceCell::new(),
            caveats: OnceCell::new(),
            events: OnceCell::new(),
            cache: HashMap::new(),
        }
    }

    /// The known id of `kind` closest to `id`, if one is close enough to be a typo.
    fn get(&mut self, corpus: &Corpus<'c>, kind: RefKind, id: &'c str) -> Option<Suggestion<'c>> {
        if let Some(cached) = self.cache.get(&(kind, id)) {
            return *cached;
        }
        let known = match kind {
            RefKind::Source => self
                .sources
                .get_or_init(|| Dictionary::new(corpus.sources.keys().copied())),
            RefKind::Caveat => self
                .caveats
                .get_or_init(|| Dictionary::new(corpus.caveats.keys().copied())),
            RefKind::Event => self
                .events
                .get_or_init(|| Dictionary::new(corpus.events.keys().copied())),
        };
        let suggestion = known.suggest(id);
        self.cache.insert((kind, id), suggestion);
        suggestion
    }
}

impl Rule for UnknownReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        let mut suggestions = Suggestions::new();
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
                let suggestion = suggestions.get(corpus, reference.kind, reference.id);
                let mut finding = finding
                    .with_label(format!("no note defines this {what}"))
                    .with_help(help(corpus, reference.kind, reference.id, suggestion));
                // Renamed only when exactly one known id of the kind is that close.
                if let Some(best) = suggestion.filter(|s| s.unique).map(|s| s.best) {
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

fn help(
    corpus: &Corpus<'_>,
    kind: RefKind,
    id: &str,
    suggestion: Option<Suggestion<'_>>,
) -> String {
    if let Some(suggestion) = suggestion {
        return format!("did you mean `{}`?", suggestion.best);
    }
    let other = [RefKind::Source, RefKind::Caveat, RefKind::Event]
        .into_iter()
        .find(|other| *other != kind && is_defined(corpus, *other, id));
    match other {
        Some(other) => format!(
            "`{id}` is defined as {}, not as {}",
            other.with_article(),
            kind.with_article()
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

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::Path;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::config::Config;

    fn lint(yaml: &str) -> Vec<Finding> {
        lint_timed(yaml).0
    }

    /// The findings, and the time the rule took (loading excluded).
    fn lint_timed(yaml: &str) -> (Vec<Finding>, Duration) {
        let loaded = notes_core::load_bytes(Path::new("a.yaml"), yaml.as_bytes());
        let document = loaded.document.as_ref().expect("the note loads");
        let corpus = Corpus::new([document]);
        let config = Config::default();
        let cx = Context {
            today: jiff::civil::date(2026, 11, 27),
            config: &config,
        };
        let mut out = Vec::new();
        let start = Instant::now();
        UnknownReference.check(&corpus, &cx, &mut out);
        (out, start.elapsed())
    }

    /// Thousands of unknown ids against thousands of known ones, each unknown id cited
    /// twice: the suggestion is worked out once per id, against the known ids prepared
    /// once, and most pairs are ruled out without computing an edit distance. (Computing
    /// three distances per reference and known id took minutes here in a debug build.)
    #[test]
    fn many_unknown_ids_are_checked_in_little_time() {
        const N: usize = 1_000;
        let mut yaml = String::from("title: Many\nsources:\n");
        for i in 0..N {
            let _ = writeln!(
                yaml,
                "  - {{id: source-number-{i}, type: article, title: T, url: 'https://example.org'}}"
            );
        }
        yaml.push_str("sections:\n  - title: S\n    claims:\n");
        for i in 0..N {
            let _ = writeln!(
                yaml,
                "      - {{text: 'Claim {i}', sources: [source-number-{i}, missing-ref-{i}, source-numbr-{i}]}}\n      - {{text: 'Again {i}', sources: [missing-ref-{i}, source-numbr-{i}]}}"
            );
        }
        let (findings, elapsed) = lint_timed(&yaml);
        assert_eq!(findings.len(), 4 * N);
        let typo = findings
            .iter()
            .find(|f| f.message == "unknown source `source-numbr-7`")
            .expect("the typo is reported");
        assert_eq!(
            typo.help.as_deref(),
            Some("did you mean `source-number-7`?")
        );
        assert!(typo.fix.is_some(), "one known id is that close: a fix");
        assert!(
            elapsed < Duration::from_secs(10),
            "{} unknown references took {elapsed:?}",
            4 * N
        );
    }

    #[test]
    fn help_and_fix_share_one_suggestion() {
        let findings = lint(
            "title: T
sources:
  - {id: pais-2, type: article, title: T, url: 'https://example.org'}
  - {id: pais-3, type: article, title: T, url: 'https://example.org'}
  - {id: kaplan-2020, type: paper, title: T, arxiv: '2001.08361'}
events:
  - {id: gpt-4, date: 2023-03-14, title: GPT-4}
sections:
  - title: S
    sensitive_to: [pais-2]
    claims:
      - {text: A., sources: [pais-4, kaplan2020, kaplan2020, nowhere]}
",
        );
        let by_message = |m: &str| {
            findings
                .iter()
                .find(|f| f.message == m)
                .unwrap_or_else(|| panic!("no finding {m:?}"))
        };
        // Two known ids are one edit away: the first is suggested, nothing is renamed.
        let ambiguous = by_message("unknown source `pais-4`");
        assert_eq!(ambiguous.help.as_deref(), Some("did you mean `pais-2`?"));
        assert!(ambiguous.fix.is_none());
        let unique = by_message("unknown source `kaplan2020`");
        assert_eq!(unique.help.as_deref(), Some("did you mean `kaplan-2020`?"));
        assert!(unique.fix.is_some());
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.message == "unknown source `kaplan2020`")
                .count(),
            2
        );
        let wrong_kind = by_message("unknown event `pais-2`");
        assert_eq!(
            wrong_kind.help.as_deref(),
            Some("`pais-2` is defined as a source, not as an event")
        );
        assert!(by_message("unknown source `nowhere`").fix.is_none());
    }
}
