//! `future-date`: an as_of, published, accessed, reviewed or written date after today.

use jiff::civil::Date;
use notes_core::model::CaveatRef;
use notes_core::tree::Segment;
use notes_core::{Finding, PartialDate, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `future-date` rule.
pub struct FutureDate;

static META: RuleMeta = RuleMeta {
    id: "future-date",
    default_severity: Severity::Error,
    summary: "an as_of, published, accessed, reviewed or written date after today",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a date that records something already done but lies after today: `written`,
`reviewed` and `as_of` (on the note, a section, a claim or a caveat), and a source's
`published` and `accessed`. A partial date counts as its first day, so `2026-11` is
not in the future on 2026-11-27, and `2027` is.

Dates that are about the future by design are not checked: event `date`s (an event
may be announced ahead), a forecast's `resolves`, a caveat's `review_by` and an
`allow` entry's `until`.

## Why it matters
A future date is a typo (2062 for 2026) or a guess, and it breaks staleness: a claim
`as_of` next year is never stale, and a source `accessed` next year looks fresh forever.

## Example
```yaml
reviewed: 2062-01-10      # future-date (today is 2026-11-27)
```

## How to fix
Correct the date. If the claim really describes a future state, make it a
`kind: forecast` with a `resolves` date instead of an `as_of`.

## Configuration
Severity only. `--today` sets the date it compares against.
";

struct Check<'v, 'a> {
    view: &'v NoteView<'a>,
    today: Date,
    out: &'v mut Vec<Finding>,
}

impl Check<'_, '_> {
    /// Reports `date` (the value of `field` in the mapping at `owner`) if it is after today.
    fn date(
        &mut self,
        date: Option<PartialDate>,
        owner: &[Segment],
        field: &str,
        claim: Option<usize>,
        scope: &[Segment],
    ) {
        let Some(date) = date else { return };
        if date.first_day() <= self.today {
            return;
        }
        let mut path = owner.to_vec();
        path.push(Segment::key(field));
        let message = format!("`{field}` {date} is after today ({})", self.today);
        let finding = match claim {
            Some(claim) => self.view.claim_finding(
                META.id,
                META.default_severity,
                &path,
                &self.view.claims[claim],
                message,
            ),
            None => self
                .view
                .finding(META.id, META.default_severity, &path, scope, message),
        };
        let help = match field {
            "as_of" => {
                "correct the date; a claim about the future is a `kind: forecast` with a `resolves` date"
            }
            "published" => "correct the date: a source cannot be published after today",
            "accessed" => "set the date the url was actually read",
            _ => "correct the date: it records something already done",
        };
        self.out
            .push(finding.with_label("in the future").with_help(help));
    }

    fn caveats(
        &mut self,
        caveats: &[CaveatRef],
        owner: &[Segment],
        claim: Option<usize>,
        scope: &[Segment],
    ) {
        for (i, caveat) in caveats.iter().enumerate() {
            if let CaveatRef::Inline(caveat) = caveat {
                let mut path = owner.to_vec();
                path.extend([Segment::key("caveats"), Segment::Index(i)]);
                self.date(caveat.as_of, &path, "as_of", claim, scope);
            }
        }
    }
}

impl Rule for FutureDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            let note = &view.doc.note;
            let mut check = Check {
                view,
                today: cx.today,
                out,
            };
            check.date(note.written, &[], "written", None, &[]);
            check.date(note.reviewed, &[], "reviewed", None, &[]);
            check.date(note.as_of, &[], "as_of", None, &[]);
            check.caveats(&note.caveats, &[], None, &[]);
            for (i, source) in note.sources.iter().enumerate() {
                let owner = [Segment::key("sources"), Segment::Index(i)];
                check.date(source.published, &owner, "published", None, &[]);
                check.date(source.accessed, &owner, "accessed", None, &[]);
            }
            for (s, section) in note.sections.iter().enumerate() {
                let owner = [Segment::key("sections"), Segment::Index(s)];
                check.date(section.as_of, &owner, "as_of", None, &owner);
                check.date(section.reviewed, &owner, "reviewed", None, &owner);
                check.caveats(&section.caveats, &owner, None, &owner);
            }
            for (i, claim) in view.claims.iter().enumerate() {
                let owner = claim.path.to_vec();
                check.date(claim.claim.as_of, &owner, "as_of", Some(i), &owner);
                check.date(claim.claim.reviewed, &owner, "reviewed", Some(i), &owner);
                check.caveats(&claim.claim.caveats, &owner, Some(i), &owner);
            }
        }
    }
}
