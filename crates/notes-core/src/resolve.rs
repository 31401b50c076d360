//! Inheritance: the values each claim has, its own plus those of its ancestors.
//!
//! A claim's sources, caveats, sensitive_to, tags and allow are its own plus those
//! of every ancestor (parent claims, its section, the note; the note's `summary_of`
//! counts as a source). Its as_of, reviewed and shelf_life are the nearest one set.
//! Failing an as_of anywhere, the earliest `published` among its sources counts;
//! failing that, the note's `written`. Everything here is a pure function of the model.

use std::sync::Arc;

use crate::date::PartialDate;
use crate::model::{Allow, CaveatRef, Citation, Claim, Note, Source};
use crate::shelf_life::ShelfLife;
use crate::tree::Segment;

/// A path into a note's tree, shared between the values it owns.
pub type Path = Arc<[Segment]>;

/// An inherited list, shared by every claim that inherits it unchanged.
pub type Shared<T> = Arc<[Inherited<T>]>;

/// `list` with `more` appended: the same list when there is nothing to add.
fn extended<T: Clone>(
    list: &Shared<T>,
    more: impl ExactSizeIterator<Item = Inherited<T>>,
) -> Shared<T> {
    if more.len() == 0 {
        return Arc::clone(list);
    }
    list.iter().cloned().chain(more).collect()
}

/// A value and the place that set it: the note, a section or a claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Inherited<T> {
    /// The value.
    pub value: T,
    /// The tree path of the note, section or claim that sets it (`[]` is the note).
    pub owner: Path,
    /// The field it is set in, such as `as_of`.
    pub field: &'static str,
    /// Which entry of a list field, for list values.
    pub index: Option<usize>,
}

impl<T> Inherited<T> {
    /// Whether a claim (the claim itself or a parent claim) sets the value, rather than
    /// its section or the note.
    pub fn is_set_on_a_claim(&self) -> bool {
        // `[]` is the note and `[sections, i]` a section; claims lie deeper.
        self.owner.len() > 2
    }

    /// The tree path of the value itself.
    pub fn value_path(&self) -> Vec<Segment> {
        let mut path = self.owner.to_vec();
        path.push(Segment::key(self.field));
        if let Some(index) = self.index {
            path.push(Segment::Index(index));
        }
        path
    }
}

/// One cited source: its id and, when given, where in it to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cited<'a> {
    /// The source id.
    pub id: &'a str,
    /// The locator, if any.
    pub locator: Option<&'a str>,
}

/// Where a claim's effective as-of date comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum AsOf {
    /// Set on the claim or an ancestor.
    Set(Inherited<PartialDate>),
    /// The earliest `published` among the claim's sources.
    Published {
        /// The date.
        date: PartialDate,
        /// The source it comes from.
        source: String,
    },
    /// The note's `written` date.
    Written(Inherited<PartialDate>),
}

impl AsOf {
    /// The date itself.
    pub fn date(&self) -> PartialDate {
        match self {
            AsOf::Set(inherited) | AsOf::Written(inherited) => inherited.value,
            AsOf::Published { date, .. } => *date,
        }
    }
}

/// A claim with its place in the note and every value it has, resolved.
#[derive(Clone, Debug)]
pub struct ResolvedClaim<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// Its tree path.
    pub path: Path,
    /// Its 1-based position when it is not the one its path gives (after a schema error
    /// dropped an earlier claim): see [`ResolvedClaim::position`].
    pub written_at: Option<Arc<[usize]>>,
    /// The index of its parent claim in the note's resolved list, if it has one.
    pub parent: Option<usize>,
    /// Its sources, own and inherited, the note's `summary_of` included. Lists are
    /// shared: a claim that adds nothing to a list holds its parent's.
    pub sources: Shared<Cited<'a>>,
    /// Its caveats, own and inherited.
    pub caveats: Shared<&'a CaveatRef>,
    /// The events it is sensitive to, own and inherited.
    pub sensitive_to: Shared<&'a str>,
    /// Its tags, own and inherited.
    pub tags: Shared<&'a str>,
    /// Its suppressions, own and inherited.
    pub allow: Shared<&'a Allow>,
    /// The nearest `as_of` set on it or an ancestor (shared, like the lists, with
    /// every claim that inherits it).
    pub as_of_set: Option<Arc<Inherited<PartialDate>>>,
    /// The nearest `reviewed` set on it or an ancestor.
    pub reviewed: Option<Arc<Inherited<PartialDate>>>,
    /// The nearest `shelf_life` set on it or an ancestor.
    pub shelf_life: Option<Arc<Inherited<ShelfLife>>>,
}

impl ResolvedClaim<'_> {
    /// The claim's name in findings and exports: its id, or its position like `2.3.1`.
    pub fn name(&self) -> String {
        match &self.claim.id {
            Some(id) => id.0.clone(),
            None => self.position_name(),
        }
    }

    /// Its 1-based position: section, then claim, then children, such as `[2, 3, 1]`.
    pub fn position(&self) -> Vec<usize> {
        match &self.written_at {
            Some(position) => position.to_vec(),
            None => self
                .path
                .iter()
                .filter_map(|segment| match segment {
                    Segment::Index(i) => Some(i + 1),
                    Segment::Key(_) => None,
                })
                .collect(),
        }
    }

    /// Its position like `2.3.1`.
    pub fn position_name(&self) -> String {
        let parts: Vec<String> = self.position().iter().map(usize::to_string).collect();
        parts.join(".")
    }

    /// The effective as-of date: set on the claim or an ancestor, else the earliest
    /// `published` of its sources, else the note's `written`.
    pub fn as_of<'s>(
        &self,
        note: &Note,
        source: impl Fn(&str) -> Option<&'s Source>,
    ) -> Option<AsOf> {
        if let Some(set) = &self.as_of_set {
            return Some(AsOf::Set(Inherited::clone(set)));
        }
        let published = self
            .sources
            .iter()
            .filter_map(|cited| {
                let found = source(cited.value.id)?;
                Some((found.published?, found.id.0.clone()))
            })
            .min_by_key(|(date, _)| date.first_day());
        if let Some((date, source)) = published {
            return Some(AsOf::Published { date, source });
        }
        note.written.map(|written| {
            AsOf::Written(Inherited {
                value: written,
                owner: Path::from(Vec::new()),
                field: "written",
                index: None,
            })
        })
    }
}

fn inherited<T>(value: T, owner: &Path, field: &'static str, index: Option<usize>) -> Inherited<T> {
    Inherited {
        value,
        owner: owner.clone(),
        field,
        index,
    }
}

fn extend_path(base: &[Segment], more: [Segment; 2]) -> Path {
    base.iter().cloned().chain(more).collect::<Vec<_>>().into()
}

/// The values one scope (note, section or claim) sets, added to what it inherits.
struct Scope<'a> {
    owner: Path,
    sources: &'a [Citation],
    caveats: &'a [CaveatRef],
    sensitive_to: &'a [String],
    tags: &'a [String],
    allow: &'a [Allow],
    as_of: Option<PartialDate>,
    reviewed: Option<PartialDate>,
    shelf_life: Option<ShelfLife>,
}

/// The inherited state at one level of the walk.
#[derive(Clone)]
struct Context<'a> {
    sources: Shared<Cited<'a>>,
    caveats: Shared<&'a CaveatRef>,
    sensitive_to: Shared<&'a str>,
    tags: Shared<&'a str>,
    allow: Shared<&'a Allow>,
    as_of: Option<Arc<Inherited<PartialDate>>>,
    reviewed: Option<Arc<Inherited<PartialDate>>>,
    shelf_life: Option<Arc<Inherited<ShelfLife>>>,
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context {
            sources: Arc::new([]),
            caveats: Arc::new([]),
            sensitive_to: Arc::new([]),
            tags: Arc::new([]),
            allow: Arc::new([]),
            as_of: None,
            reviewed: None,
            shelf_life: None,
        }
    }
}

impl<'a> Context<'a> {
    fn enter(&self, scope: Scope<'a>) -> Context<'a> {
        let owner = &scope.owner;
        let sources = scope.sources.iter().enumerate().map(|(i, citation)| {
            let cited = Cited {
                id: citation.id(),
                locator: citation.locator(),
            };
            inherited(cited, owner, "sources", Some(i))
        });
        let caveats = scope
            .caveats
            .iter()
            .enumerate()
            .map(|(i, caveat)| inherited(caveat, owner, "caveats", Some(i)));
        let sensitive_to = scope
            .sensitive_to
            .iter()
            .enumerate()
            .map(|(i, event)| inherited(event.as_str(), owner, "sensitive_to", Some(i)));
        let tags = scope
            .tags
            .iter()
            .enumerate()
            .map(|(i, tag)| inherited(tag.as_str(), owner, "tags", Some(i)));
        let allow = scope
            .allow
            .iter()
            .enumerate()
            .map(|(i, allow)| inherited(allow, owner, "allow", Some(i)));
        Context {
            sources: extended(&self.sources, sources),
            caveats: extended(&self.caveats, caveats),
            sensitive_to: extended(&self.sensitive_to, sensitive_to),
            tags: extended(&self.tags, tags),
            allow: extended(&self.allow, allow),
            as_of: scope
                .as_of
                .map(|value| Arc::new(inherited(value, owner, "as_of", None)))
                .or_else(|| self.as_of.clone()),
            reviewed: scope
                .reviewed
                .map(|value| Arc::new(inherited(value, owner, "reviewed", None)))
                .or_else(|| self.reviewed.clone()),
            shelf_life: scope
                .shelf_life
                .map(|value| Arc::new(inherited(value, owner, "shelf_life", None)))
                .or_else(|| self.shelf_life.clone()),
        }
    }
}

/// Every claim of `note`, depth first in document order, with its resolved values.
pub fn resolve_claims(note: &Note) -> Vec<ResolvedClaim<'_>> {
    let root: Path = Path::from(Vec::new());
    let mut base = Context::default();
    if let Some(summary_of) = &note.summary_of {
        base.sources = Arc::new([Inherited {
            value: Cited {
                id: summary_of,
                locator: None,
            },
            owner: root.clone(),
            field: "summary_of",
            index: None,
        }]);
    }
    let note_context = base.enter(Scope {
        owner: root.clone(),
        sources: &[],
        caveats: &note.caveats,
        sensitive_to: &note.sensitive_to,
        tags: &note.tags,
        allow: &note.allow,
        as_of: note.as_of,
        reviewed: note.reviewed,
        shelf_life: note.shelf_life,
    });
    // Sized to the claims, so a large note holds no spare room.
    fn count(claims: &[Claim]) -> usize {
        claims.iter().map(|claim| 1 + count(&claim.children)).sum()
    }
    let mut out = Vec::with_capacity(note.sections.iter().map(|s| count(&s.claims)).sum());
    for (s, section) in note.sections.iter().enumerate() {
        let owner = extend_path(&root, [Segment::key("sections"), Segment::Index(s)]);
        let context = note_context.enter(Scope {
            owner: owner.clone(),
            sources: &section.sources,
            caveats: &section.caveats,
            sensitive_to: &section.sensitive_to,
            tags: &section.tags,
            allow: &section.allow,
            as_of: section.as_of,
            reviewed: section.reviewed,
            shelf_life: section.shelf_life,
        });
        walk(&section.claims, "claims", &owner, None, &context, &mut out);
    }
    out
}

fn walk<'a>(
    claims: &'a [Claim],
    field: &str,
    owner: &[Segment],
    parent: Option<usize>,
    context: &Context<'a>,
    out: &mut Vec<ResolvedClaim<'a>>,
) {
    for (i, claim) in claims.iter().enumerate() {
        let path = extend_path(owner, [Segment::key(field), Segment::Index(i)]);
        let context = context.enter(Scope {
            owner: path.clone(),
            sources: &claim.sources,
            caveats: &claim.caveats,
            sensitive_to: &claim.sensitive_to,
            tags: &claim.tags,
            allow: &claim.allow,
            as_of: claim.as_of,
            reviewed: claim.reviewed,
            shelf_life: claim.shelf_life,
        });
        let index = out.len();
        out.push(ResolvedClaim {
            claim,
            path: path.clone(),
            written_at: None,
            parent,
            sources: context.sources.clone(),
            caveats: context.caveats.clone(),
            sensitive_to: context.sensitive_to.clone(),
            tags: context.tags.clone(),
            allow: context.allow.clone(),
            as_of_set: context.as_of.clone(),
            reviewed: context.reviewed.clone(),
            shelf_life: context.shelf_life.clone(),
        });
        walk(
            &claim.children,
            "children",
            &path,
            Some(index),
            &context,
            out,
        );
    }
}
