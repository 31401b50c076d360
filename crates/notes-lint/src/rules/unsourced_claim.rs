//! `unsourced-claim`: a claim, quote, forecast or definition with no source, even inherited.

use notes_core::model::ClaimKind;
use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta, claim_text};
use crate::corpus::{Corpus, NoteView, allowed_below};

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
examples never need a source, and labels (`kind: label`, structure such as `Results`
that groups the claims under it) are not claims at all.

A claim of kind `claim` in the author's own voice states no fact to source, and is not
flagged unless the `pedantic` group is on (`--select pedantic`, or `pedantic = true`
in `notes-lint.toml`):
- it says `I`, `me`, `my` or `myself` (an experience, a habit, a plan: `I moved my
  notes into one folder`; not `Type I` or `World War I`);
- it gives an instruction or advice: it opens with a verb such as `Use`, `Keep`,
  `Avoid`, `Don't` or `Try`, or with `If you` or `You can`, or says what `should` be
  (`Use a password manager for every account`, `Comments should be full sentences`);
- it speaks for the author and others: `we`, `our`, `us`, `let's` (`We can move the
  work to a background thread`);
- it asks a question (ends with `?`);
- it judges or feels rather than states: `amazing`, `awesome`, `nice`, `love`,
  `favourite`, `unfortunately` and the like, or an emoji (`Spline is amazing`);
- it guesses or plans: `would`, `might`, `maybe`, `perhaps`, `probably`, `possibly`
  (`A local server would make this simpler`);
- it has no words of its own: only an image, code or a link.

An entry of a link list that cites nothing (`[Zig](zig.md) - a systems language`,
linking another of your notes) is navigation, and is not flagged either. Nor, by
default, is a claim of kind `claim` in a page of bookmarks: a note whose claims that
cite a source (five or more) nearly all link it in their text (`[Tao of backup](https://...)
- a funny take on backups`). There, what cites nothing is your commentary on the links
(`Most of these tools are overkill for one laptop`), not a fact taken from somewhere.
Quotes, forecasts and definitions there are still flagged, and a research note whose
claims cite with `sources:` is checked claim by claim.

`The field is focused around a small number of conferences` is still flagged;
`I keep my notes in one folder` is not. Measured on real notes (personal wikis,
journals), such lines were nearly all of this rule's findings and almost never a gap
in the sourcing.

When every such claim of a section is unsourced (two or more), the finding is reported
once, at the section's title, with the number of claims affected; when that is true of
the whole note across several sections, once at the note's title. So it is when a
section is mostly the author's own writing with a citation here and there: ten or more
unsourced claims, more than half of those it has (`12 of the 15 claims in this section
cite no source`, pointing at the first five). Otherwise each unsourced claim is
reported at its `text`.

An unsourced claim with its own `allow` for this rule (on the claim or a parent claim;
for the note-wide finding, also on its section) is left out of such a group and
reported at its `text`, where that `allow` applies (an expired one is then reported as
expired, not as unused). The group is formed from the other claims only if two or more
remain and none of them cites a source; its message says how many were left out.

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
        ClaimKind::Opinion | ClaimKind::Question | ClaimKind::Example | ClaimKind::Label => false,
    }
}

impl Rule for UnsourcedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            check_note(view, cx.config.pedantic, out);
        }
    }
}

/// Per section: the claims that need a source and have no `allow` of this rule below the
/// group's owner, those of them that have no source, and the unsourced claims that do
/// have such an allow (reported on their own, where that allow reaches them).
#[derive(Clone, Default)]
struct Tally {
    checked: usize,
    unsourced: Vec<usize>,
    apart: Vec<usize>,
}

impl Tally {
    /// Whether one finding covers the tally: two or more claims, none with a source.
    fn whole(&self) -> bool {
        self.checked >= 2 && self.unsourced.len() == self.checked
    }

    /// Whether one finding covers the tally because most of it is unsourced: a long
    /// stretch of unsourced claims ([`MOSTLY`] or more), more than half of those
    /// checked. Such a section is the author's own writing with a few citations in it,
    /// not a sourced list with gaps, and a finding per claim would bury the others.
    fn mostly(&self) -> bool {
        self.unsourced.len() >= MOSTLY && self.unsourced.len() * 2 > self.checked
    }
}

/// The claims of `view` that need a source, by section, leaving apart the unsourced
/// ones with an `allow` of this rule set below `owner(section)`.
fn tally(view: &NoteView<'_>, pedantic: bool, owner: impl Fn(usize) -> Vec<Segment>) -> Vec<Tally> {
    let mut tallies = vec![Tally::default(); view.doc.note.sections.len()];
    let bookmarks = !pedantic && is_bookmarks(view);
    for (i, claim) in view.claims.iter().enumerate() {
        if !needs_source(claim.claim.kind) {
            continue;
        }
        // The author's experience, advice or question states no fact to source: it is
        // left out of the tally whether it cites something or not.
        if !pedantic
            && claim.claim.kind == ClaimKind::Claim
            && claim_text::own_voice(&claim.claim.text).is_some()
        {
            continue;
        }
        // Among bookmarks, what cites nothing is the author's commentary on them.
        if bookmarks && claim.claim.kind == ClaimKind::Claim {
            continue;
        }
        // An entry of a link list that cites nothing links to another note of the
        // author's (`[Zig](zig.md) - a systems language`): navigation, not a fact.
        if !pedantic
            && claim.claim.kind == ClaimKind::Claim
            && claim.sources.is_empty()
            && claim_text::is_link_entry(&claim.claim.text)
        {
            continue;
        }
        // The section's index in the note: the second segment of the claim's path.
        let Some(&Segment::Index(s)) = claim.path.get(1) else {
            continue;
        };
        let Some(tally) = tallies.get_mut(s) else {
            continue;
        };
        let sourced = !claim.sources.is_empty();
        if !sourced && allowed_below(claim, META.id, &owner(s)) {
            tally.apart.push(i);
            continue;
        }
        tally.checked += 1;
        if !sourced {
            tally.unsourced.push(i);
        }
    }
    tallies
}

/// The fewest unsourced claims of a section reported as one finding when the section
/// also has sourced claims (see [`Tally::mostly`]).
const MOSTLY: usize = 10;

/// How many of a grouped finding's claims it points at, besides its place.
const SHOWN: usize = 5;

/// The fewest citing claims that make a note of bookmarks (see [`is_bookmarks`]).
const BOOKMARKS: usize = 5;

/// Whether `view` is a collection of bookmarks: its claims that cite a source of their
/// own (five or more) nearly all (four in five) link the source in their text, as a
/// page of links with comments does (`[Tao of backup](https://...) - a funny take`). The
/// claims that cite nothing there are the author's comments on the links, plans and
/// views, not facts taken from somewhere; a note whose citations are `sources:` entries
/// on prose is a research note, whose every claim is checked.
fn is_bookmarks(view: &NoteView<'_>) -> bool {
    let (mut citing, mut linked) = (0, 0);
    for claim in &view.claims {
        if claim.claim.sources.is_empty() {
            continue;
        }
        citing += 1;
        if claim.claim.text.contains("](") || claim.claim.text.contains("://") {
            linked += 1;
        }
    }
    citing >= BOOKMARKS && linked * 5 >= citing * 4
}

/// " (not counting 2 claims with their own `allow`)", or nothing.
fn not_counting(apart: usize) -> String {
    match apart {
        0 => String::new(),
        1 => " (not counting 1 claim with its own `allow`)".to_owned(),
        n => format!(" (not counting {n} claims with their own `allow`)"),
    }
}

fn check_note(view: &NoteView<'_>, pedantic: bool, out: &mut Vec<Finding>) {
    // The whole note first: every claim that needs a source, across two or more
    // sections, has none (leaving apart those with an allow on a section or claim).
    let note = tally(view, pedantic, |_| Vec::new());
    let total: usize = note.iter().map(|t| t.checked).sum();
    let total_unsourced: usize = note.iter().map(|t| t.unsourced.len()).sum();
    let sections_with_claims = note.iter().filter(|t| t.checked > 0).count();
    if total >= 2 && total_unsourced == total && sections_with_claims >= 2 {
        let apart: Vec<usize> = note.iter().flat_map(|t| t.apart.iter().copied()).collect();
        out.push(
            view.finding(
                META.id,
                META.default_severity,
                &[Segment::key("title")],
                &[],
                format!(
                    "none of the {total} claims in this note cites a source{}",
                    not_counting(apart.len())
                ),
            )
            .with_label("no source anywhere in this note")
            .with_help(
                "give the note `summary_of: <source id>` if it summarises one source, or cite sources on its sections or claims",
            ),
        );
        for i in apart {
            out.push(claim_finding(view, i));
        }
        return;
    }
    let section_owner = |s: usize| vec![Segment::key("sections"), Segment::Index(s)];
    for (s, tally) in tally(view, pedantic, section_owner).into_iter().enumerate() {
        if tally.mostly() && !tally.whole() {
            out.push(mostly_finding(view, s, &tally));
            for &i in &tally.apart {
                out.push(claim_finding(view, i));
            }
            continue;
        }
        if !tally.whole() {
            let mut each = tally.unsourced;
            each.extend(tally.apart);
            each.sort_unstable();
            for i in each {
                out.push(claim_finding(view, i));
            }
            continue;
        }
        let owner = section_owner(s);
        let mut title = owner.clone();
        title.push(Segment::key("title"));
        out.push(
            view.finding(
                META.id,
                META.default_severity,
                &title,
                &owner,
                format!(
                    "none of the {} claims in this section cites a source{}",
                    tally.checked,
                    not_counting(tally.apart.len())
                ),
            )
            .with_label("no source for this section")
            .with_help("add `sources: [<id>]` to the section, or cite a source on each claim"),
        );
        for i in tally.apart {
            out.push(claim_finding(view, i));
        }
    }
}

/// The one finding for section `s`, most of whose claims cite no source: at its title,
/// pointing at the first few of them.
fn mostly_finding(view: &NoteView<'_>, s: usize, tally: &Tally) -> Finding {
    let owner = vec![Segment::key("sections"), Segment::Index(s)];
    let mut title = owner.clone();
    title.push(Segment::key("title"));
    let mut finding = view
        .finding(
            META.id,
            META.default_severity,
            &title,
            &owner,
            format!(
                "{} of the {} claims in this section cite no source{}",
                tally.unsourced.len(),
                tally.checked,
                not_counting(tally.apart.len())
            ),
        )
        .with_label("most of this section cites no source")
        .with_help(
            "cite sources on the section or its claims; mark your own views `kind: opinion`",
        );
    for &i in tally.unsourced.iter().take(SHOWN) {
        let claim = &view.claims[i];
        finding =
            finding.with_secondary(view.span(&NoteView::field_path(claim, "text")), "no source");
    }
    finding
}

/// The finding for the one unsourced claim `view.claims[i]`, at its text.
fn claim_finding(view: &NoteView<'_>, i: usize) -> Finding {
    let claim = &view.claims[i];
    let kind = claim.claim.kind.as_str();
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
    )
}
