//! `expired-caveat`: a caveat whose `review_by` date has passed.

use notes_core::model::CaveatRef;
use notes_core::tree::Segment;
use notes_core::{Finding, Severity};

use super::stale_claim::{ago, owner_finding};
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `expired-caveat` rule.
pub struct ExpiredCaveat;

static META: RuleMeta = RuleMeta {
    id: "expired-caveat",
    default_severity: Severity::Warning,
    summary: "a caveat whose review_by date has passed",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a caveat whose `review_by` date is before today (a partial date stands for the
first day of its period, so `review_by: 2027-01` expires on 2027-01-02). The finding is
on the caveat's definition, once, however many claims use it.

## Why it matters
A caveat such as \"this is before GPT-4's results\" or \"numbers from a 2022 survey\" is
a promise to look again. Past its date it may be wrong itself, or the claims it covers
may need updating.

## Example
```yaml
caveats:
  - id: pre-gpt-4
    text: This is before GPT-4's MMLU results.
    before: gpt-4
    review_by: 2025-01      # expired-caveat after 2025-01-01
```

## How to fix
Re-read the caveat and the claims it covers: update them, then set a later `review_by`
(or remove it), or delete the caveat if it no longer applies.

## Configuration
Severity only.
";

impl Rule for ExpiredCaveat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            let note = &view.doc.note;
            check_list(view, &note.caveats, &[], cx, out);
            for (s, section) in note.sections.iter().enumerate() {
                let owner = [Segment::key("sections"), Segment::Index(s)];
                check_list(view, &section.caveats, &owner, cx, out);
            }
            for claim in &view.claims {
                check_list(view, &claim.claim.caveats, &claim.path, cx, out);
            }
        }
    }
}

/// Checks the caveats defined in `caveats`, the list of the note, section or claim at `owner`.
fn check_list(
    view: &NoteView<'_>,
    caveats: &[CaveatRef],
    owner: &[Segment],
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    for (i, caveat) in caveats.iter().enumerate() {
        // A reference by id is checked where the caveat is defined.
        let CaveatRef::Inline(caveat) = caveat else {
            continue;
        };
        let Some(review_by) = caveat.review_by else {
            continue;
        };
        let due = review_by.first_day();
        if cx.today <= due {
            continue;
        }
        let mut path = owner.to_vec();
        path.extend([
            Segment::key("caveats"),
            Segment::Index(i),
            Segment::key("review_by"),
        ]);
        let name = match &caveat.id {
            Some(id) => format!("caveat `{id}`"),
            None => "caveat".to_owned(),
        };
        let message = format!(
            "{name} is past its review_by date ({review_by}, {})",
            ago(due, cx.today)
        );
        out.push(
            owner_finding(view, &META, &path, owner, message)
                .with_label("review date passed")
                .with_help(
                    "re-read the caveat and the claims it covers, update them, then set a later `review_by` (or delete the caveat if it no longer applies)",
                ),
        );
    }
}
