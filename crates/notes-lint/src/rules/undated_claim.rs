//! `undated-claim`: a time-relative claim or a forecast with no as_of, even inherited.

use notes_core::model::ClaimKind;
use notes_core::{Finding, Severity};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `undated-claim` rule.
pub struct UndatedClaim;

static META: RuleMeta = RuleMeta {
    id: "undated-claim",
    default_severity: Severity::Warning,
    summary: "a time-relative claim or a forecast with no as_of, even inherited",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim that only makes sense at a date (its text says \"currently\", \"now\",
\"nowadays\", \"recent\", \"recently\", \"state of the art\", \"so far\", \"this year\",
\"these days\" or \"at the moment\", as whole words in any case; or it is a forecast)
when it has no date at all: no `as_of` on it or an ancestor, no `published` date among
its sources, and no `written` date on the note.

## Why it matters
\"Currently very little safety work\" is true or false depending on when it was written.
Without a date nobody can tell, and `stale-claim` cannot age it.

## Example
```yaml
title: Notes on the field     # no as_of, no written
sections:
  - title: Safety
    claims:
      - text: currently very little safety-related work    # undated-claim
```

## How to fix
Set `as_of:` (the date the claim describes the world as of) on the claim, its section
or the note; or cite a source with a `published` date; or set the note's `written`.

## Configuration
Severity only.
";

/// The time-relative phrases, as lowercase words.
const PHRASES: &[&[&str]] = &[
    &["currently"],
    &["now"],
    &["nowadays"],
    &["recent"],
    &["recently"],
    &["state", "of", "the", "art"],
    &["so", "far"],
    &["this", "year"],
    &["these", "days"],
    &["at", "the", "moment"],
];

/// The first time-relative phrase in `text`, matched as whole words in any case (so
/// "state-of-the-art" matches and "know" does not).
pub(crate) fn time_relative(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (0..words.len()).find_map(|start| {
        PHRASES
            .iter()
            .find(|phrase| {
                words
                    .get(start..start + phrase.len())
                    .is_some_and(|window| window.iter().zip(phrase.iter()).all(|(w, p)| w == p))
            })
            .map(|phrase| phrase.join(" "))
    })
}

impl Rule for UndatedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for claim in &view.claims {
                if claim.claim.is_label() {
                    continue;
                }
                let reason = match (claim.claim.kind, time_relative(&claim.claim.text)) {
                    (_, Some(phrase)) => format!("\"{phrase}\" depends on when it was said"),
                    (ClaimKind::Forecast, None) => {
                        "a forecast depends on when it was made".to_owned()
                    }
                    _ => continue,
                };
                if claim
                    .as_of(&view.doc.note, |id| corpus.source(id))
                    .is_some()
                {
                    continue;
                }
                let message = format!(
                    "{reason}, but the claim has no date (no as_of, even inherited, no published source, no written date)"
                );
                let path = NoteView::field_path(claim, "text");
                out.push(
                    view.claim_finding(META.id, META.default_severity, &path, claim, message)
                        .with_label("undated")
                        .with_help(
                            "set `as_of:` (the date this describes the world as of) on the claim, its section or the note",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::time_relative;

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        assert_eq!(
            time_relative("Currently very little").as_deref(),
            Some("currently")
        );
        assert_eq!(
            time_relative("a State-of-the-Art model").as_deref(),
            Some("state of the art")
        );
        assert_eq!(time_relative("progress so far.").as_deref(), Some("so far"));
        assert_eq!(
            time_relative("at the moment, yes").as_deref(),
            Some("at the moment")
        );
        assert_eq!(
            time_relative("recently, and now").as_deref(),
            Some("recently")
        );
        for text in [
            "we know",
            "nowhere",
            "snow",
            "recentness",
            "state of the union",
            "so farther",
        ] {
            assert_eq!(time_relative(text), None, "{text}");
        }
    }
}
