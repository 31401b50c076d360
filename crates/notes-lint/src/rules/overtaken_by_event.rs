//! `overtaken-by-event`: a claim made before an event it is sensitive to, not re-checked since.

use std::collections::HashMap;

use notes_core::resolve::ResolvedClaim;
use notes_core::tree::Segment;
use notes_core::{Finding, Label, PartialDate, Severity};

use super::stale_claim::{ago, allow_scope, cause_finding, claims, owner_finding, scoped_finding};
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `overtaken-by-event` rule.
pub struct OvertakenByEvent;

static META: RuleMeta = RuleMeta {
    id: "overtaken-by-event",
    default_severity: Severity::Warning,
    summary: "a claim made before an event it is sensitive to and not re-checked since",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim overtaken by an event listed in its `sensitive_to` (its own or an
ancestor's): the event's date is after the claim's as_of and on or before today, the
claim was not reviewed on or after the event's date, and no caveat that applies to it
(its own or an ancestor's) has `before:` that event. Partial dates stand for the first
day of their period. Events defined nowhere are left to `unknown-reference`.

When a section's or parent claim's `sensitive_to` entry is the cause, there is one
finding at that entry, saying how many claims it covers; when it covers one claim, the
finding names that claim (`claim` in `--format json`). Claims under an `allow` for this
rule set below the entry get one finding per such `allow`, at its claim's text or its
section's title, within the allow's reach; an expired `allow` (its `until` passed)
splits them off the same way, so the finding can say that the suppression expired.

## Why it matters
Some claims are known to hinge on a future event (\"RL hasn't been revolutionized by
large models yet\", a survey before GPT-4). Once the event happens they may be wrong,
and nothing in the text says so.

## Example
```yaml
as_of: 2022-05
events:
  - {id: gpt-4, date: 2023-03-14, title: GPT-4 released}
sections:
  - title: Timelines
    sensitive_to: [gpt-4]      # overtaken-by-event: covers every claim of the section
    claims:
      - text: \"human-level math: 12 years\"
```

## How to fix
Re-check the claims against the event and record it with `reviewed: YYYY-MM-DD`, or,
when the claim is worth keeping as a record of what was thought before, add a caveat
that acknowledges the event:
```yaml
caveats:
  - {id: pre-gpt-4, text: This is before GPT-4's MMLU results., before: gpt-4}
```

## Configuration
Severity only.
";

impl Rule for OvertakenByEvent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            check_note(corpus, view, cx, out);
        }
    }
}

/// Overtaken claims that share one `sensitive_to` entry (and the scope their finding needs).
struct Group<'v, 'a> {
    event: &'a str,
    date: PartialDate,
    value_path: Vec<Segment>,
    owner: Vec<Segment>,
    /// Where the finding is scoped: the entry's owner, or the owner of an `allow` below it.
    scope: Vec<Segment>,
    earliest: PartialDate,
    latest: PartialDate,
    covered: Vec<&'v ResolvedClaim<'a>>,
}

fn check_note<'a>(
    corpus: &Corpus<'a>,
    view: &NoteView<'a>,
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    let mut groups: Vec<Group<'_, 'a>> = Vec::new();
    let mut index: HashMap<(Vec<Segment>, Vec<Segment>), usize> = HashMap::new();
    for claim in &view.claims {
        if claim.claim.is_label() {
            continue;
        }
        let Some(as_of) = claim.as_of(&view.doc.note, |id| corpus.source(id)) else {
            continue;
        };
        let as_of = as_of.date();
        let reviewed = claim.reviewed.as_ref().map(|r| r.value.first_day());
        let acknowledged: Vec<&str> = claim
            .caveats
            .iter()
            .filter_map(|c| corpus.caveat(c.value)?.before.as_deref())
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        // The nearest entry of an event listed at several levels is the cause.
        for entry in claim.sensitive_to.iter().rev() {
            let id = entry.value;
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let Some(event) = corpus.event(id) else {
                continue;
            };
            let day = event.date.first_day();
            let overtaken = as_of.first_day() < day
                && day <= cx.today
                && reviewed.is_none_or(|r| r < day)
                && !acknowledged.contains(&id);
            if !overtaken {
                continue;
            }
            let value_path = entry.value_path();
            let scope = allow_scope(claim, META.id, &entry.owner);
            let key = (value_path.clone(), scope.clone());
            let group = match index.get(&key) {
                Some(&i) => &mut groups[i],
                None => {
                    index.insert(key, groups.len());
                    groups.push(Group {
                        event: id,
                        date: event.date,
                        value_path,
                        owner: entry.owner.to_vec(),
                        scope,
                        earliest: as_of,
                        latest: as_of,
                        covered: Vec::new(),
                    });
                    let last = groups.len() - 1;
                    &mut groups[last]
                }
            };
            group.earliest = group.earliest.min(as_of);
            group.latest = group.latest.max(as_of);
            group.covered.push(claim);
        }
    }
    for group in groups {
        let finding = group_finding(view, cx, &group).with_due(notes_core::Due {
            since: group.date.first_day(),
            event: Some(group.event.to_owned()),
            claims: group.covered.iter().map(|c| c.path.to_vec()).collect(),
        });
        out.push(with_event_label(corpus, view, group.event, finding));
    }
}

/// The one finding for a group of overtaken claims.
fn group_finding(view: &NoteView<'_>, cx: &Context<'_>, group: &Group<'_, '_>) -> Finding {
    let as_of = if group.earliest == group.latest {
        group.earliest.to_string()
    } else {
        format!("{} to {}", group.earliest, group.latest)
    };
    let n = group.covered.len();
    let mut message = format!(
        "overtaken by `{}` ({}, {}): as of {as_of} and not reviewed since",
        group.event,
        group.date,
        ago(group.date.first_day(), cx.today)
    );
    if group.scope != group.owner {
        message.push_str(" (inherited sensitive_to)");
        return scoped_finding(view, &META, &group.scope, &group.covered, message).with_help(help(
            group.event,
            n == 1,
            cx,
        ));
    }
    let finding = match group.covered.as_slice() {
        [claim] if *claim.path == *group.owner => {
            owner_finding(view, &META, &group.value_path, &group.owner, message)
                .with_label("sensitive to this event")
        }
        covered => {
            message.push_str(&format!("; this sensitive_to entry covers {}", claims(n)));
            cause_finding(
                view,
                &META,
                &group.value_path,
                &group.owner,
                covered,
                message,
            )
            .with_label(format!("overtakes {}", claims(n)))
        }
    };
    finding.with_help(help(group.event, n == 1, cx))
}

fn help(event: &str, one: bool, cx: &Context<'_>) -> String {
    let (whom, verb) = if one {
        ("the claim", "predates")
    } else {
        ("the claims", "predate")
    };
    format!(
        "re-check {whom} against `{event}` and set `reviewed: {}`, or add a caveat with `before: {event}` saying {whom} {verb} it",
        cx.today
    )
}

/// Adds a label at the event's date, in whichever note defines it.
fn with_event_label(
    corpus: &Corpus<'_>,
    view: &NoteView<'_>,
    event: &str,
    mut finding: Finding,
) -> Finding {
    if let Some(def) = corpus.events.get(event).and_then(|defs| defs.first()) {
        let defining = &corpus.notes[def.note];
        let mut path = def.path.clone();
        path.push(Segment::key("date"));
        let file = defining.doc.file.path();
        finding.labels.push(Label {
            file: (file != view.doc.file.path()).then(|| file.to_owned()),
            span: defining.span(&path),
            message: "the event's date".to_owned(),
        });
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::stale_claim::tests::lint;

    #[test]
    fn a_finding_about_one_claim_names_it() {
        let text = "\
title: T
as_of: 2022-05
events:
  - {id: gpt-4, date: 2023-03-14, title: GPT-4 released}
sections:
  - title: One claim
    sensitive_to: [gpt-4]
    claims:
      - {text: Alone in its section., id: alone}
  - title: Two claims
    sensitive_to: [gpt-4]
    claims:
      - {text: First., id: first}
      - {text: Second., id: second}
";
        let found = lint(text, &[META.id], Default::default());
        let about: Vec<(usize, Option<&str>)> =
            found.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        assert_eq!(about, [(7, Some("alone")), (11, None)], "{found:?}");
    }
}
