//! `stale-claim`: a claim last checked longer ago than its shelf life.
//!
//! Also home of the helpers the time rules share: the age in words, the effective shelf
//! life, and the grouping of findings by the inherited value that causes them.

use std::collections::{HashMap, HashSet};

use jiff::Unit;
use jiff::civil::Date;
use notes_core::model::ClaimKind;
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
sources, else the note's `written`; with no as_of of any kind, its `reviewed` date). It
is stale when today is after last checked plus its shelf life. Partial dates stand for
the first day of their period.

The shelf life is the claim's own or inherited `shelf_life`; else the shortest matching
`[staleness.tags]` entry (tags are inherited); else the `[staleness.kinds]` entry for its
kind; else `[staleness] default` (3 years). `never` never goes stale. Claims with no
date at all (no as_of, published, written or reviewed date) are left to `undated-claim`.

Stale claims are grouped by what makes them stale: the value that sets when they were
last checked, and their shelf life and where it comes from. Each group gives one finding,
where its cause is set, saying how many claims it covers:
- An inherited date (the note's `as_of`, a section's `reviewed`) that makes every claim
  under it stale gives one finding there, whatever their shelf lives.
- When only some of the claims under a date are stale because configuration entries
  give them shorter shelf lives, there is one finding at the date per entry, naming it,
  as in \"shelf life 1 year (`forecast` in [staleness.kinds])\".
- A `shelf_life` set closer to the claims than the date is the cause: the finding is on
  that `shelf_life` (the section's, or the claim's own, and then about that claim).
- A finding that covers one claim names that claim (`claim` in `--format json`), even
  when it is at a value the claim inherits.
- Claims under an `allow` for this rule set below the cause (on a section or claim)
  get one finding per such `allow`, at its claim's text or its section's title, within
  the allow's reach. An expired `allow` (its `until` passed) splits them off the same
  way, so the finding can say that the suppression expired.

A note that summarises one work (`summary_of`) mostly reports that work: \"each block
adds its input to its output\" stays true of the paper however old it is. So when a
claim's last check is the publication of the work the note summarises, and nothing
else dates it (no `as_of` or `reviewed` date on it or above it, no other cited source
with a `published` date: a link to a video or a code repository does not count), it
goes stale only if it also says
something of the world: time-relative wording, as `undated-claim` knows it
(\"currently\", \"state of the art\", \"so far\"), or a ranking against the field
(\"outperforms\", \"beats\", \"surpasses\", \"better\", \"superior\" or \"best\" with
\"all\", \"every\", \"previous\", \"prior\", \"existing\", \"competitors\",
\"published\", \"known\" or \"current\" in what it ranks against: the next six words
of its clause, up to a word such as \"at\", \"on\", \"with\" or \"and\" that opens
another phrase; or \"record\"). A comparison inside the paper (its own variants, the
methods it tested, one baseline, its own settings: \"the deeper variant beats the
shallow one\", \"better than the other methods\", \"slightly better than a competing
model\", \"better than resampling at every step\", \"the full model uses all of
them\", \"outperforming all others\") stays true of the paper. So does the note-taker's
own reading of it in the first person (\"I would have liked a comparison with
state-of-the-art models\"), unless it speaks of the writer's present (\"I currently
use it\"), and \"recent\" or \"so far\" of the steps of a method (\"the recent past
of the sequence\", \"the tree produced so far\"). An `as_of` you write says the claims describe the world at that
date, and then every claim under it ages as usual.

An entry of a reading list names a work and states nothing that could go stale: a
title followed only by links to the work (`Noisy Networks for Exploration
[[arXiv](https://...)]`), or a link with a tagline (`[Vosk](https://...) - speech
recognition`). Such entries are not flagged, however old the work. A sentence about the
work (`Noisy networks explore better than every other method`) ages as usual.

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
    /// The date is the publication of the work the note summarises: no as_of or
    /// reviewed date of the note's own says when the claim described the world.
    from_summarised_work: bool,
}

/// When `claim` was last checked: the later of its as_of (set, else the earliest
/// `published` of its sources, else the note's `written`) and its reviewed date; with
/// no as_of of any kind, its reviewed date. `None` when it has neither.
fn last_checked(
    corpus: &Corpus<'_>,
    view: &NoteView<'_>,
    claim: &ResolvedClaim<'_>,
) -> Option<Checked> {
    let as_of = claim
        .as_of(&view.doc.note, |id| corpus.source(id))
        .map(|as_of| match as_of {
            AsOf::Set(set) => Checked {
                date: set.value,
                value_path: set.value_path(),
                owner: set.owner.to_vec(),
                what: "as_of".to_owned(),
                from_summarised_work: false,
            },
            AsOf::Written(written) => Checked {
                date: written.value,
                value_path: written.value_path(),
                owner: written.owner.to_vec(),
                what: "written date".to_owned(),
                from_summarised_work: false,
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
                    // Other citations without a date (a video, a code repository)
                    // do not date the claim: the summarised work still does.
                    from_summarised_work: view.doc.note.summary_of.as_deref() == Some(&*source)
                        && claim.sources.iter().all(|c| {
                            c.value.id == source
                                || corpus
                                    .source(c.value.id)
                                    .is_none_or(|s| s.published.is_none())
                        }),
                }
            }
        });
    let reviewed = claim.reviewed.as_ref().map(|reviewed| Checked {
        date: reviewed.value,
        value_path: reviewed.value_path(),
        owner: reviewed.owner.to_vec(),
        what: "reviewed date".to_owned(),
        from_summarised_work: false,
    });
    match (as_of, reviewed) {
        (Some(as_of), Some(reviewed)) if reviewed.date.first_day() < as_of.date.first_day() => {
            Some(as_of)
        }
        (_, Some(reviewed)) => Some(reviewed),
        (as_of, None) => as_of,
    }
}

/// Words by which a claim ranks a work against others, as lowercase word prefixes.
const RANKING: &[&str] = &[
    "outperform",
    "beat",
    "surpass",
    "better",
    "superior",
    "best",
];

/// Words that make a ranking one against the field, not against the paper's own
/// variants or one baseline: "outperforms all prior methods", "better than every
/// published result".
const THE_FIELD: &[&str] = &[
    "all",
    "every",
    "previous",
    "prior",
    "existing",
    "competitors",
    "published",
    "known",
    "current",
];

/// Words that rank a work against the field by themselves.
const RECORD: &[&str] = &["record", "unprecedented"];

/// Words that end the object of a ranking: a preposition or conjunction that starts a
/// phrase of its own ("better than resampling it at every step" ranks against
/// resampling, not against every step).
const ENDS_OBJECT: &[&str] = &[
    "at", "in", "on", "for", "with", "by", "per", "from", "during", "when", "while", "if",
    "because", "after", "before", "and", "but", "using", "via", "where", "which", "that", "uses",
    "use", "used",
];

/// Time-relative phrases that speak of the writer's present, as `undated-claim` finds
/// them: in the note-taker's own voice they still date the claim ("I currently use
/// it"), while \"state of the art\" or \"so far\" there judges the work ("I see no
/// comparison with state-of-the-art models").
const WRITERS_PRESENT: &[&str] = &[
    "currently",
    "nowadays",
    "these days",
    "at the moment",
    "right now",
    "as of now",
    "by now",
    "for now",
    "even now",
    "this year",
    "now",
];

/// Whether `text` says something of the world beyond the work it reports: time-relative
/// wording (\"currently\", \"state of the art\") or a ranking against the field. \"Each
/// block adds its input to its output\" and \"the deeper variant beats the shallow one\"
/// stay true of their paper; \"outperforms every prior method\" holds only until a
/// later one. A claim in the note-taker's first person (\"I would have liked a
/// comparison with state-of-the-art models\") is a reading of the work: only words of
/// the writer's present (\"currently\", \"now\") make it one about the world.
fn describes_the_world(text: &str) -> bool {
    let first_person = super::claim_text::speaks_of_the_author(text);
    if let Some(phrase) = super::undated_claim::time_relative(text)
        && (!first_person || WRITERS_PRESENT.contains(&phrase.as_str()))
    {
        return true;
    }
    if first_person {
        return false;
    }
    let prose = super::claim_text::own_prose(text);
    prose
        .split(['.', ',', ';', ':', '(', ')', '!', '?', '[', ']'])
        .any(ranks_against_the_field)
}

/// Whether `clause` ranks a work against the field: a ranking word whose object (the
/// next six words, up to a preposition that opens another phrase) has a word of the
/// field, not \"all of them\" or \"all others\" (the variants just listed); or a word
/// such as \"record\".
fn ranks_against_the_field(clause: &str) -> bool {
    let words = super::claim_text::lowercase_words(clause);
    words.iter().enumerate().any(|(i, word)| {
        if RECORD.contains(&word.as_str()) {
            return true;
        }
        if !RANKING.iter().any(|stem| word.starts_with(stem)) {
            return false;
        }
        let mut object = words
            .iter()
            .enumerate()
            .skip(i + 1)
            .take(6)
            .take_while(|(_, next)| !ENDS_OBJECT.contains(&next.as_str()));
        object.any(|(k, next)| {
            THE_FIELD.contains(&next.as_str())
                && !(next == "all" && words.get(k + 1).is_some_and(|w| w == "of" || w == "others"))
        })
    })
}

/// The last day a value of `life` set on `since` is fresh; `Date::MAX` for `never`.
pub(crate) fn fresh_until(life: ShelfLife, since: Date) -> Date {
    match life {
        ShelfLife::Never => Date::MAX,
        ShelfLife::For(period) => period.after(since),
    }
}

/// Where a claim's shelf life comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum LifeFrom {
    /// A `shelf_life` set in the note, on the claim or an ancestor.
    Set {
        /// The tree path of the value.
        value_path: Vec<Segment>,
        /// The note, section or claim that sets it.
        owner: Vec<Segment>,
    },
    /// The configuration's `[staleness.tags]` entry for this tag.
    Tag(String),
    /// The configuration's `[staleness.kinds]` entry for this kind.
    Kind(ClaimKind),
    /// The configuration's `[staleness] default` (3 years unless set).
    Default,
}

impl LifeFrom {
    /// How a message names a configuration entry, such as " (`benchmarks` in
    /// [staleness.tags])"; empty for a value set in the note and for the default.
    fn config_entry(&self) -> String {
        match self {
            LifeFrom::Tag(tag) => format!(" (`{tag}` in [staleness.tags])"),
            LifeFrom::Kind(kind) => format!(" (`{}` in [staleness.kinds])", kind.as_str()),
            LifeFrom::Set { .. } | LifeFrom::Default => String::new(),
        }
    }
}

/// A claim's shelf life and where it comes from.
#[derive(Clone, Debug)]
pub(crate) struct Life {
    /// The shelf life.
    pub value: ShelfLife,
    /// Where it comes from.
    pub from: LifeFrom,
}

/// A claim's shelf life: its own or inherited one, else the shortest matching tag entry
/// of the configuration, else its kind's entry, else the configured default.
/// `since` ranks shelf lives of different units (the one that ends first is shortest).
pub(crate) fn shelf_life(claim: &ResolvedClaim<'_>, cx: &Context<'_>, since: Date) -> Life {
    if let Some(own) = &claim.shelf_life {
        return Life {
            value: own.value,
            from: LifeFrom::Set {
                value_path: own.value_path(),
                owner: own.owner.to_vec(),
            },
        };
    }
    let staleness = &cx.config.staleness;
    let tagged = claim
        .tags
        .iter()
        .filter_map(|tag| Some((tag.value, *staleness.tags.get(tag.value)?)))
        .min_by_key(|(_, life)| fresh_until(*life, since));
    if let Some((tag, life)) = tagged {
        return Life {
            value: life,
            from: LifeFrom::Tag(tag.to_owned()),
        };
    }
    if let Some(life) = staleness.kinds.get(&claim.claim.kind) {
        return Life {
            value: *life,
            from: LifeFrom::Kind(claim.claim.kind),
        };
    }
    Life {
        value: staleness.default_shelf_life(),
        from: LifeFrom::Default,
    }
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

/// The scope a finding of `rule` about `claim`, caused by a value set at `owner` (the
/// note, a section or a claim on the claim's way up), must have for the claim's `allow`
/// entries to reach it: the deepest section or claim strictly below `owner` with an
/// `allow` for `rule` that applies to the claim, else `owner` itself. A finding at
/// `owner` is out of the reach of an allow set below it, so such claims are reported
/// apart, grouped by that allow's owner.
///
/// Expired allows (`until` passed) count like active ones, as they do in the engine:
/// the engine matches them to a finding in their reach, keeps the finding with a note
/// that the suppression expired, and counts them as used. Were they left out here, the
/// finding would be out of their reach and the allow would be reported unused (with a
/// fix that deletes it) when the advice should be to renew it.
pub(crate) fn allow_scope(
    claim: &ResolvedClaim<'_>,
    rule: &str,
    owner: &[Segment],
) -> Vec<Segment> {
    claim
        .allow
        .iter()
        .filter(|allow| allow.value.rule == rule && allow.owner.len() > owner.len())
        .map(|allow| &allow.owner)
        .max_by_key(|allow_owner| allow_owner.len())
        .map_or_else(|| owner.to_vec(), |allow_owner| allow_owner.to_vec())
}

/// The finding for `covered`, the claims of a group that an `allow` set at `scope` (below
/// the value that causes them) reaches, scoped so that the allow matches it: about the
/// claim, at its text, when there is one; else at the head of `scope` (a section's
/// title, a claim's text), with the count.
pub(crate) fn scoped_finding(
    view: &NoteView<'_>,
    meta: &RuleMeta,
    scope: &[Segment],
    covered: &[&ResolvedClaim<'_>],
    message: String,
) -> Finding {
    if let [claim] = covered {
        let path = NoteView::field_path(claim, "text");
        return view.claim_finding(meta.id, meta.default_severity, &path, claim, message);
    }
    let (head, place) = if view.claim_at(scope).is_some() {
        ("text", "at or under this claim")
    } else {
        ("title", "in this section")
    };
    let mut path = scope.to_vec();
    path.push(Segment::key(head));
    let message = format!("{message}; {} {place}", claims(covered.len()));
    owner_finding(view, meta, &path, scope, message)
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

/// A finding at `path`, the value that causes the findings of `covered`, set on `owner`:
/// about the one claim when there is one (so the finding names it even where the value is
/// inherited), else about `owner`.
pub(crate) fn cause_finding(
    view: &NoteView<'_>,
    meta: &RuleMeta,
    path: &[Segment],
    owner: &[Segment],
    covered: &[&ResolvedClaim<'_>],
    message: String,
) -> Finding {
    match covered {
        [claim] => view.claim_finding(meta.id, meta.default_severity, path, claim, message),
        _ => owner_finding(view, meta, path, owner, message),
    }
}

/// The value a stale claim's finding points at: the one that sets when the claim was
/// last checked, or a `shelf_life` set deeper (closer to the claim) than that.
struct Cause {
    value_path: Vec<Segment>,
    owner: Vec<Segment>,
    what: String,
}

impl Cause {
    fn of(checked: &Checked, life: &Life) -> Cause {
        match &life.from {
            LifeFrom::Set { value_path, owner } if owner.len() > checked.owner.len() => Cause {
                value_path: value_path.clone(),
                owner: owner.clone(),
                what: "shelf_life".to_owned(),
            },
            _ => Cause {
                value_path: checked.value_path.clone(),
                owner: checked.owner.clone(),
                what: checked.what.clone(),
            },
        }
    }
}

/// How the shelf life divides stale claims that share a cause.
#[derive(Clone, PartialEq, Eq, Hash)]
enum LifeKey {
    /// A `shelf_life` set in the note, by its value's path.
    Set(Vec<Segment>),
    /// Configuration entries: all together (`None`) when the cause makes every claim
    /// whose shelf life comes from the configuration stale, else one group per entry.
    Config(Option<LifeFrom>),
}

/// Stale claims that share what makes them stale.
struct Group<'v, 'a> {
    checked: Checked,
    cause: Cause,
    /// Where the finding is scoped: the cause's owner, or the owner of an `allow` below it.
    scope: Vec<Segment>,
    lives: Vec<ShelfLife>,
    sources: Vec<LifeFrom>,
    covered: Vec<&'v ResolvedClaim<'a>>,
}

type GroupKey = (Vec<Segment>, Vec<Segment>, Vec<Segment>, LifeKey);

fn check_note(corpus: &Corpus<'_>, view: &NoteView<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    // The causes under which a claim whose shelf life comes from the configuration is
    // still fresh: there, the configuration entries (not the cause alone) decide.
    let mut fresh_causes: HashSet<Vec<Segment>> = HashSet::new();
    let mut stale = Vec::new();
    for claim in &view.claims {
        // A reading list's entry names a work: nothing in it goes stale.
        if claim.claim.is_label() || super::claim_text::is_reference_entry(&claim.claim.text) {
            continue;
        }
        let Some(checked) = last_checked(corpus, view, claim) else {
            continue;
        };
        if checked.from_summarised_work && !describes_the_world(&claim.claim.text) {
            continue;
        }
        let since = checked.date.first_day();
        let life = shelf_life(claim, cx, since);
        let cause = Cause::of(&checked, &life);
        if cx.today <= fresh_until(life.value, since) {
            if !matches!(life.from, LifeFrom::Set { .. }) {
                fresh_causes.insert(cause.value_path);
            }
            continue;
        }
        stale.push((claim, checked, life, cause));
    }
    let mut groups: Vec<Group<'_, '_>> = Vec::new();
    let mut index: HashMap<GroupKey, usize> = HashMap::new();
    for (claim, checked, life, cause) in stale {
        let scope = allow_scope(claim, META.id, &cause.owner);
        let life_key = match &life.from {
            LifeFrom::Set { value_path, .. } => LifeKey::Set(value_path.clone()),
            from if fresh_causes.contains(&cause.value_path) => LifeKey::Config(Some(from.clone())),
            _ => LifeKey::Config(None),
        };
        let key = (
            checked.value_path.clone(),
            cause.value_path.clone(),
            scope.clone(),
            life_key,
        );
        let group = match index.get(&key) {
            Some(&i) => &mut groups[i],
            None => {
                index.insert(key, groups.len());
                groups.push(Group {
                    checked,
                    cause,
                    scope,
                    lives: Vec::new(),
                    sources: Vec::new(),
                    covered: Vec::new(),
                });
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        if !group.lives.contains(&life.value) {
            group.lives.push(life.value);
        }
        if !group.sources.contains(&life.from) {
            group.sources.push(life.from);
        }
        group.covered.push(claim);
    }
    for group in groups {
        let due = group_due(&group);
        if let Some(finding) = group_finding(view, cx, group) {
            out.push(finding.with_due(due));
        }
    }
}

/// Since when the claims of `group` are stale: the day after the shortest of their shelf
/// lives ran out.
fn group_due(group: &Group<'_, '_>) -> notes_core::Due {
    let since = group.checked.date.first_day();
    let last_fresh = group
        .lives
        .iter()
        .map(|life| fresh_until(*life, since))
        .min()
        .unwrap_or(Date::MAX);
    notes_core::Due {
        since: last_fresh.tomorrow().unwrap_or(last_fresh),
        event: None,
        claims: group.covered.iter().map(|c| c.path.to_vec()).collect(),
    }
}

/// The one finding for a group of stale claims.
fn group_finding(
    view: &NoteView<'_>,
    cx: &Context<'_>,
    mut group: Group<'_, '_>,
) -> Option<Finding> {
    let since = group.checked.date.first_day();
    group.lives.sort_by_key(|life| fresh_until(*life, since));
    let mut lives = match (group.lives.first(), group.lives.last()) {
        (Some(shortest), Some(longest)) if shortest != longest => {
            format!("{} to {}", shortest.describe(), longest.describe())
        }
        (Some(life), _) => life.describe(),
        (None, _) => return None,
    };
    if let [from] = group.sources.as_slice() {
        lives.push_str(&from.config_entry());
    }
    let n = group.covered.len();
    let help = if n == 1 { help_one(cx) } else { help_many(cx) };
    let (checked, cause) = (&group.checked, &group.cause);
    if group.scope != cause.owner {
        let message = format!(
            "stale: last checked {} (inherited {}), {}; shelf life {lives}",
            checked.date,
            checked.what,
            ago(since, cx.today),
        );
        return Some(
            scoped_finding(view, &META, &group.scope, &group.covered, message).with_help(help),
        );
    }
    let at_date = cause.value_path == checked.value_path;
    let inherited = if at_date {
        String::new()
    } else {
        format!(" (inherited {})", checked.what)
    };
    let mut message = format!(
        "stale: last checked {}{inherited}, {}; shelf life {lives}",
        checked.date,
        ago(since, cx.today),
    );
    let finding = match group.covered.as_slice() {
        [claim] if *claim.path == *cause.owner => {
            owner_finding(view, &META, &cause.value_path, &cause.owner, message).with_label(
                if at_date {
                    "last checked here"
                } else {
                    "shelf life set here"
                },
            )
        }
        covered => {
            message.push_str(&format!("; this {} covers {}", cause.what, claims(n)));
            cause_finding(
                view,
                &META,
                &cause.value_path,
                &cause.owner,
                covered,
                message,
            )
            .with_label(format!("makes {} stale", claims(n)))
        }
    };
    Some(finding.with_help(help))
}

fn help_one(cx: &Context<'_>) -> String {
    format!(
        "re-check the claim and set `reviewed: {}`, or set a `shelf_life` that fits it (`never` for a historical fact)",
        cx.today
    )
}

fn help_many(cx: &Context<'_>) -> String {
    format!(
        "re-check the claims and set `reviewed: {}` here (or on the claims you checked), or set a `shelf_life` that fits them (`never` for historical facts)",
        cx.today
    )
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn a_claim_describes_the_world_when_it_ranks_or_is_time_relative() {
        for text in [
            "It outperforms every prior method.",
            "Better than all published results on the benchmark.",
            "A new record on the image benchmark.",
            "Currently the deepest network.",
            "State-of-the-art results on two datasets.",
            "The parser beats all prior parsers on the treebank.",
            "I currently think it is the parser to start from.",
            "Beats all previous models (with and without the extra loss).",
        ] {
            assert!(super::describes_the_world(text), "{text}");
        }
        for text in [
            "Each block adds its input to its output.",
            "The network has 152 layers.",
            "They train with a batch size of 256.",
            // Comparisons inside the paper: its own variants, one baseline.
            "The deeper variant beats the shallow one by 3 points.",
            "Their best model uses dropout.",
            "Outperforms the baseline on both datasets.",
            // The ranking's object is a setting of the paper, or the variants it lists.
            "Drawing the noise once works better than drawing it at every step.",
            "The full model uses all of them and does best.",
            "The pointer head ends up outperforming all others.",
            "Matches are the best ones (winner takes all).",
            // The note-taker's reading of the paper.
            "I would have liked a comparison with state-of-the-art parsers.",
            // "recent" and "so far" of the steps of a method.
            "The attention looks at the recent past of the stack.",
            "The decoder conditions on the tree produced so far.",
        ] {
            assert!(!super::describes_the_world(text), "{text}");
        }
    }

    use super::*;
    use jiff::civil::date;

    /// Lints one note, given as text, with only `rules` on 2026-11-27: (line, claim, message)
    /// of every finding, sorted, suppressions applied.
    pub(crate) fn lint(
        text: &str,
        rules: &[&str],
        config: crate::config::Config,
    ) -> Vec<(usize, Option<String>, String)> {
        let path = std::path::PathBuf::from("notes/a.yaml");
        let overlay = HashMap::from([(path.clone(), text.to_owned())]);
        let options = crate::engine::Options {
            today: date(2026, 11, 27),
            config,
            select: Some(rules.iter().map(|r| (*r).to_owned()).collect()),
            ignore: Default::default(),
        };
        let outcome = crate::engine::run_with(&[path], &options, &overlay);
        let file = &outcome.loaded[0];
        let source = file.source().expect("the note was read");
        outcome
            .findings
            .iter()
            .map(|f| {
                let start = f.span.expect("a finding in the file").start;
                let line = source.text()[..start].matches('\n').count() + 1;
                (line, f.claim.clone(), f.message.clone())
            })
            .collect()
    }

    #[test]
    fn a_finding_about_one_claim_names_it() {
        let config: crate::config::Config = toml::from_str(
            "[staleness.kinds]\nforecast = \"1y\"\n[staleness.tags]\nbenchmarks = \"6mo\"\n",
        )
        .expect("valid config");
        let text = "\
title: T
as_of: 2025-06
sections:
  - title: S
    claims:
      - text: Fresh.
      - {text: Own shelf life., id: sota, shelf_life: 6mo}
      - {text: A forecast., id: math, kind: forecast}
      - {text: Bench one., tags: [benchmarks]}
      - {text: Bench two., tags: [benchmarks]}
";
        let found = lint(text, &[META.id], config);
        let about: Vec<(usize, Option<&str>)> =
            found.iter().map(|(l, c, _)| (*l, c.as_deref())).collect();
        // The forecast alone under the note's as_of: at the as_of, naming the claim; the
        // two benchmarks: at the as_of, about the note; the own shelf life: on the claim.
        assert_eq!(
            about,
            [(2, Some("math")), (2, None), (7, Some("sota"))],
            "{found:?}"
        );
    }

    #[test]
    fn a_reviewed_date_alone_is_last_checked() {
        let text = "\
title: T
reviewed: 2020-01-10
sections:
  - title: S
    claims:
      - {text: Alpha is true., id: alpha}
";
        let found = lint(text, &[META.id], Default::default());
        assert_eq!(
            found,
            [(
                2,
                Some("alpha".to_owned()),
                "stale: last checked 2020-01-10, 6 years 10 months ago; shelf life 3 years; this reviewed date covers 1 claim".to_owned()
            )]
        );
    }

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
