//! `stale-claim`: a claim last checked longer ago than its shelf life.
//!
//! Also home of the helpers the time rules share: the age in words, the effective shelf
//! life, and the grouping of findings by the inherited value that causes them.

use std::collections::HashMap;

use jiff::Unit;
use jiff::civil::Date;
use notes_core::resolve::{AsOf, ResolvedClaim};
use notes_core::tree::Segment;
use notes_core::{Finding, PartialDate, Severity, ShelfLife};

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `stale-claim` rule.
pub struct StaleClaim;

static META: RuleMeta = RuleMeta {
    id: "stale-claim",
    default_severity: Severity::Warning,
    summary: "a claim last checked longer ago than its shelf life",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags claims whose last check is older than their shelf life. A claim was last checked
on the later of its `as_of` and its `reviewed` date (each the nearest one set on the
claim or an ancestor; failing an `as_of` anywhere, the earliest `published` date of its
sources, else the note's `written`). It is stale when today is after last checked plus
its shelf life. Partial dates stand for the first day of their period.

The shelf life is the claim's own or inherited `shelf_life`; else the shortest matching
`[staleness.tags]` entry (tags are inherited); else the `[staleness.kinds]` entry for its
kind; else `[staleness] default` (3 years). `never` never goes stale. Claims with no
date at all are left to `undated-claim`.

When an inherited value makes claims stale (the note's `as_of`, a section's `reviewed`),
there is one finding where that value is set, saying how many claims it covers.

## Why it matters
Figures and the state of a fast field go out of date quietly. A claim that nobody has
looked at in years should not be read as today's truth.

## Example
```yaml
as_of: 2022-05          # stale-claim in 2026: last checked 4 years 6 months ago
sections:
  - title: Ecosystem
    claims:
      - text: The field is focused around a small number of conferences.
```

## How to fix
Re-check the claims against current sources and record it with `reviewed: YYYY-MM-DD`
(on the note, a section or a claim), update what changed, or set a `shelf_life` that
fits: a longer one for slow-moving facts, `never` for historical ones.

## Configuration
```toml
[staleness]
default = \"3y\"
[staleness.kinds]
forecast = \"1y\"
[staleness.tags]
benchmarks = \"6mo\"
```
";

impl Rule for StaleClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            check_note(corpus, view, cx, out);
        }
    }
}

/// The value that decides when a claim was last checked.
struct Checked {
    date: PartialDate,
    /// The tree path of the value itself, where a root-cause finding points.
    value_path: Vec<Segment>,
    /// The note, section or claim that sets it.
    owner: Vec<Segment>,
    /// The value's name in messages, such as "as_of".
    what: String,
}

fn last_checked(
    corpus: &Corpus<'_>,
    view: &NoteView<'_>,
    claim: &ResolvedClaim<'_>,
) -> Option<Checked> {
    let as_of = claim.as_of(&view.doc.note, |id| corpus.source(id))?;
    let mut checked = match as_of {
        AsOf::Set(set) => Checked {
            date: set.value,
            value_path: set.value_path(),
            owner: set.owner.to_vec(),
            what: "as_of".to_owned(),
        },
        AsOf::Written(written) => Checked {
            date: written.value,
            value_path: written.value_path(),
            owner: written.owner.to_vec(),
            what: "written date".to_owned(),
        },
        AsOf::Published { date, source } => {
            let cited = claim.sources.iter().find(|c| c.value.id == source);
            Checked {
                date,
                value_path: cited.map_or_else(
                    || NoteView::field_path(claim, "text"),
                    notes_core::resolve::Inherited::value_path,
                ),
                owner: cited.map_or_else(|| claim.path.to_vec(), |c| c.owner.to_vec()),
                what: format!("citation of `{source}` (published {date})"),
            }
        }
    };
    if let Some(reviewed) = &claim.reviewed
        && reviewed.value.first_day() >= checked.date.first_day()
    {
        checked = Checked {
            date: reviewed.value,
            value_path: reviewed.value_path(),
            owner: reviewed.owner.to_vec(),
            what: "reviewed date".to_owned(),
        };
    }
    Some(checked)
}

/// The last day a value of `life` set on `since` is fresh; `Date::MAX` for `never`.
pub(crate) fn fresh_until(life: ShelfLife, since: Date) -> Date {
    match life {
        ShelfLife::Never => Date::MAX,
        ShelfLife::For(period) => period.after(since),
    }
}

/// A claim's shelf life: its own or inherited one, else the shortest matching tag entry
/// of the configuration, else its kind's entry, else the configured default.
/// `since` ranks shelf lives of different units (the one that ends first is shortest).
pub(crate) fn shelf_life(claim: &ResolvedClaim<'_>, cx: &Context<'_>, since: Date) -> ShelfLife {
    if let Some(own) = &claim.shelf_life {
        return own.value;
    }
    let staleness = &cx.config.staleness;
    let tagged = claim
        .tags
        .iter()
        .filter_map(|tag| staleness.tags.get(tag.value))
        .copied()
        .min_by_key(|life| fresh_until(*life, since));
    if let Some(life) = tagged {
        return life;
    }
    if let Some(life) = staleness.kinds.get(&claim.claim.kind) {
        return *life;
    }
    staleness.default_shelf_life()
}

/// How long ago `then` was, in words a person reads at a glance: "4 years 6 months ago",
/// "2 months ago", "1 day ago", "today". A date after `today` reads "in 3 days".
pub(crate) fn ago(then: Date, today: Date) -> String {
    if then > today {
        return format!("in {}", span_words(today, then));
    }
    if then == today {
        return "today".to_owned();
    }
    format!("{} ago", span_words(then, today))
}

/// The time from `from` to the later `to` in its two largest units; days are dropped
/// next to years and months.
fn span_words(from: Date, to: Date) -> String {
    let Ok(span) = from.until((Unit::Year, to)) else {
        return format!("from {from} to {to}");
    };
    let unit = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let (years, months, days) = (
        i64::from(span.get_years()),
        i64::from(span.get_months()),
        i64::from(span.get_days()),
    );
    match (years, months, days) {
        (0, 0, d) => unit(d, "day"),
        (0, m, 0) => unit(m, "month"),
        (0, m, d) => format!("{} {}", unit(m, "month"), unit(d, "day")),
        (y, 0, 0) => unit(y, "year"),
        (y, 0, d) => format!("{} {}", unit(y, "year"), unit(d, "day")),
        (y, m, _) => format!("{} {}", unit(y, "year"), unit(m, "month")),
    }
}

/// "1 claim", "3 claims".
pub(crate) fn claims(n: usize) -> String {
    if n == 1 {
        "1 claim".to_owned()
    } else {
        format!("{n} claims")
    }
}

/// Whether `claim` has an `allow` for `rule` set strictly below `owner`. Such a claim gets
/// its own finding, so that allow can suppress it (a finding at `owner` is out of its reach).
pub(crate) fn allowed_below(claim: &ResolvedClaim<'_>, rule: &str, owner: &[Segment]) -> bool {
    claim
        .allow
        .iter()
        .any(|allow| allow.value.rule == rule && allow.owner.len() > owner.len())
}

/// A finding at `path` about the note, section or claim at `owner`: a claim finding
/// when `owner` is a claim, so the finding names it.
pub(crate) fn owner_finding(
    view: &NoteView<'_>,
    meta: &RuleMeta,
    path: &[Segment],
    owner: &[Segment],
    message: String,
) -> Finding {
    view.owner_finding(meta.id, meta.default_severity, path, owner, message)
}

/// Stale claims that share the value that makes them stale.
struct Group {
    checked: Checked,
    lives: Vec<ShelfLife>,
    count: usize,
    /// Whether the only claim is the one that sets the value (then it is its own cause).
    only_owner: bool,
}

fn check_note(corpus: &Corpus<'_>, view: &NoteView<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Vec<Segment>, usize> = HashMap::new();
    for claim in &view.claims {
        let Some(checked) = last_checked(corpus, view, claim) else {
            continue;
        };
        let since = checked.date.first_day();
        let life = shelf_life(claim, cx, since);
        if cx.today <= fresh_until(life, since) {
            continue;
        }
        if allowed_below(claim, META.id, &checked.owner) {
            let message = format!(
                "stale: last checked {} (inherited {}), {}; shelf life {}",
                checked.date,
                checked.what,
                ago(since, cx.today),
                life.describe()
            );
            let path = NoteView::field_path(claim, "text");
            out.push(
                view.claim_finding(META.id, META.default_severity, &path, claim, message)
                    .with_help(help_one(cx)),
            );
            continue;
        }
        match index.get(&checked.value_path) {
            Some(&i) => {
                let group = &mut groups[i];
                group.count += 1;
                group.only_owner = false;
                if !group.lives.contains(&life) {
                    group.lives.push(life);
                }
            }
            None => {
                index.insert(checked.value_path.clone(), groups.len());
                groups.push(Group {
                    only_owner: *checked.owner == *claim.path,
                    checked,
                    lives: vec![life],
                    count: 1,
                });
            }
        }
    }
    for mut group in groups {
        let since = group.checked.date.first_day();
        group.lives.sort_by_key(|life| fresh_until(*life, since));
        let lives = match (group.lives.first(), group.lives.last()) {
            (Some(shortest), Some(longest)) if shortest != longest => {
                format!("{} to {}", shortest.describe(), longest.describe())
            }
            (Some(life), _) => life.describe(),
            (None, _) => continue,
        };
        let mut message = format!(
            "stale: last checked {}, {}; shelf life {lives}",
            group.checked.date,
            ago(since, cx.today),
        );
        let finding = if group.only_owner {
            owner_finding(
                view,
                &META,
                &group.checked.value_path,
                &group.checked.owner,
                message,
            )
            .with_label("last checked here")
            .with_help(help_one(cx))
        } else {
            message.push_str(&format!(
                "; this {} covers {}",
                group.checked.what,
                claims(group.count)
            ));
            owner_finding(view, &META, &group.checked.value_path, &group.checked.owner, message)
                .with_label(format!("makes {} stale", claims(group.count)))
                .with_help(format!(
                    "re-check the claims and set `reviewed: {}` here (or on the claims you checked), or set a `shelf_life` that fits them (`never` for historical facts)",
                    cx.today
                ))
        };
        out.push(finding);
    }
}

fn help_one(cx: &Context<'_>) -> String {
    format!(
        "re-check the claim and set `reviewed: {}`, or set a `shelf_life` that fits it (`never` for a historical fact)",
        cx.today
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ages_read_at_a_glance() {
        let today = date(2026, 11, 27);
        assert_eq!(ago(date(2022, 5, 1), today), "4 years 6 months ago");
        assert_eq!(ago(date(2026, 11, 26), today), "1 day ago");
        assert_eq!(ago(date(2026, 9, 27), today), "2 months ago");
        assert_eq!(ago(date(2026, 9, 20), today), "2 months 7 days ago");
        assert_eq!(ago(date(2025, 11, 27), today), "1 year ago");
        assert_eq!(ago(date(2025, 11, 26), today), "1 year 1 day ago");
        assert_eq!(ago(date(2023, 3, 14), today), "3 years 8 months ago");
        assert_eq!(ago(today, today), "today");
        assert_eq!(ago(date(2026, 11, 30), today), "in 3 days");
    }
}
