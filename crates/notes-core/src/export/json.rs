//! Building the exported notes from loaded documents, and writing `notes.json`.
//!
//! `notes.json` is written one entry per line: the header, then each source, event and
//! caveat definition, then each note's own line followed by one line per claim. The
//! pieces are made separately ([`json_head`], [`json_note`], [`JSON_TAIL`]) so a caller
//! can build them in parallel and stream them out in order; [`to_json`] joins them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path};

use crate::date::PartialDate;
use crate::load::{Document, is_id};
use crate::model::{CaveatRef, Claim, Note};
use crate::resolve::{AsOf, Inherited};
use crate::tree::Segment;

use super::{
    AsOfBasis, CaveatDefinition, Corpus, EXPORT_VERSION, EventDefinition, ExportError,
    ExportedClaim, ExportedNote, GENERATED_BY, Reference, ResolvedAllow, ResolvedAsOf,
    ResolvedCitation, ResolvedDate, ResolvedShelfLife, ResolvedTag, SourceDefinition,
};
use crate::export::markdown::INDEX_STEM;
use crate::model::{Caveat, Event, Source};

/// Checks that the notes, given as (note id, file) pairs sorted by id, can be exported
/// side by side: valid ids, none twice, none reserved.
pub fn check_ids<'a>(
    notes: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), ExportError> {
    let mut previous: Option<(&str, &str)> = None;
    for (id, file) in notes {
        if let Some((previous_id, previous_file)) = previous
            && previous_id == id
        {
            return Err(ExportError::DuplicateNoteId {
                id: id.to_owned(),
                files: [previous_file.to_owned(), file.to_owned()],
            });
        }
        if !is_id(id) {
            return Err(ExportError::InvalidNoteId {
                id: id.to_owned(),
                file: file.to_owned(),
            });
        }
        if id == INDEX_STEM {
            return Err(ExportError::ReservedNoteId {
                file: file.to_owned(),
            });
        }
        previous = Some((id, file));
    }
    Ok(())
}

/// Documents with their files relative to the workspace root, sorted by note id.
pub type Sorted<'a> = Vec<(String, &'a Document)>;

/// `documents` with their files relative to `root`, sorted by note id (then file),
/// checked with [`check_ids`], and the definitions they make.
pub fn prepare<'a>(
    documents: &[&'a Document],
    root: &Path,
) -> Result<(Sorted<'a>, Definitions), ExportError> {
    let mut sorted: Vec<(String, &Document)> = documents
        .iter()
        .map(|doc| (relative_file(doc.file.path(), root), *doc))
        .collect();
    sorted.sort_by(|(a_file, a), (b_file, b)| a.id.cmp(&b.id).then_with(|| a_file.cmp(b_file)));
    check_ids(
        sorted
            .iter()
            .map(|(file, doc)| (doc.id.as_str(), file.as_str())),
    )?;
    let mut definitions = Definitions::default();
    for (_, doc) in &sorted {
        definitions.merge(Definitions::of_note(&doc.id, &doc.note));
    }
    Ok((sorted, definitions))
}

/// The corpus of `documents`, whole in memory: notes sorted by id, each claim resolved.
/// File paths are made relative to `root`. Fine for a few notes; a large corpus is
/// better exported note by note, as `cargo xtask export` does.
pub fn corpus(documents: &[&Document], root: &Path) -> Result<Corpus, ExportError> {
    let (sorted, definitions) = prepare(documents, root)?;
    let notes = sorted
        .iter()
        .map(|(file, doc)| export_note(doc, file, &definitions))
        .collect();
    Ok(Corpus {
        comment: comment(),
        version: EXPORT_VERSION,
        sources: definitions.sources,
        events: definitions.events,
        caveats: definitions.caveats,
        notes,
    })
}

fn comment() -> String {
    format!("{GENERATED_BY} from the notes. Do not edit.")
}

/// The corpus as `notes.json` holds it: one entry per line, with a final newline.
pub fn to_json(corpus: &Corpus) -> String {
    let mut text = json_head(&corpus.sources, &corpus.events, &corpus.caveats);
    let count = corpus.notes.len();
    for (i, note) in corpus.notes.iter().enumerate() {
        text.push_str(&json_note(note, i + 1 == count));
    }
    text.push_str(JSON_TAIL);
    text
}

/// The end of `notes.json`, after the last note.
pub const JSON_TAIL: &str = "]}\n";

/// The start of `notes.json`: the header and every definition, one per line, up to
/// and including the line that opens the list of notes.
pub fn json_head(
    sources: &BTreeMap<String, SourceDefinition>,
    events: &BTreeMap<String, EventDefinition>,
    caveats: &BTreeMap<String, CaveatDefinition>,
) -> String {
    let mut out = format!(
        "{{\"$comment\":{},\"version\":{EXPORT_VERSION},\n",
        json(&comment())
    );
    json_map(&mut out, "sources", sources);
    json_map(&mut out, "events", events);
    json_map(&mut out, "caveats", caveats);
    out.push_str("\"notes\":[\n");
    out
}

fn json_map<T: serde::Serialize>(out: &mut String, name: &str, map: &BTreeMap<String, T>) {
    let _ = writeln!(out, "\"{name}\":{{");
    let count = map.len();
    for (i, (key, value)) in map.iter().enumerate() {
        let comma = if i + 1 == count { "" } else { "," };
        let _ = writeln!(out, "{}:{}{comma}", json(key), json(value));
    }
    out.push_str("},\n");
}

/// One note of `notes.json`: its own line, which opens its list of claims, then one
/// line per claim, then a line closing it (followed by a comma unless it is `last`).
pub fn json_note(note: &ExportedNote, last: bool) -> String {
    let own = json(&NoteHead {
        id: &note.id,
        file: &note.file,
        title: &note.title,
        written: note.written.as_ref(),
        reviewed: note.reviewed.as_ref(),
        as_of: note.as_of.as_ref(),
        summary_of: note.summary_of.as_deref(),
        sections: &note.sections,
    });
    // The note's own fields, with its list of claims left open: `{...,"claims":[`.
    let mut out = String::with_capacity(256 + 256 * note.claims.len());
    out.push_str(own.strip_suffix('}').unwrap_or(&own));
    out.push_str(",\"claims\":[\n");
    let count = note.claims.len();
    for (i, claim) in note.claims.iter().enumerate() {
        out.push_str(&json(claim));
        out.push_str(if i + 1 == count { "\n" } else { ",\n" });
    }
    out.push_str(if last { "]}\n" } else { "]},\n" });
    out
}

/// The fields of [`ExportedNote`] before its claims, in the same order.
#[derive(serde::Serialize)]
struct NoteHead<'a> {
    id: &'a str,
    file: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    written: Option<&'a PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed: Option<&'a PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<&'a PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary_of: Option<&'a str>,
    sections: &'a [String],
}

/// A value as compact JSON. Serialising these types cannot fail: every map key is a string.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// One note exported: its own fields and its claims, each resolved against `definitions`.
pub fn export_note(doc: &Document, file: &str, definitions: &Definitions) -> ExportedNote {
    let note = &doc.note;
    let resolved = doc.claims();
    let claims = resolved
        .iter()
        .map(|claim| {
            // Where a value is set, unless the claim itself sets it.
            let set_at = |value: &dyn ValuePath| value.set_at(&claim.path);
            let (span, _) = doc.positions.nearest(&claim.path);
            let position = doc.file.position(span.start);
            let as_of = claim
                .as_of(note, |id| definitions.source(id).map(|(s, _)| s))
                .map(|as_of| match as_of {
                    AsOf::Set(set) => ResolvedAsOf {
                        date: set.value,
                        basis: AsOfBasis::Set,
                        set_at: set_at(&set),
                        source: None,
                    },
                    AsOf::Published { date, source } => ResolvedAsOf {
                        date,
                        basis: AsOfBasis::Published,
                        set_at: None,
                        source: Some(source),
                    },
                    AsOf::Written(written) => ResolvedAsOf {
                        date: written.value,
                        basis: AsOfBasis::Written,
                        set_at: Some(pointer(&written.value_path())),
                        source: None,
                    },
                });
            ExportedClaim {
                position: claim.position_name(),
                id: claim.claim.id.as_ref().map(|id| id.0.clone()),
                line: position.line,
                column: position.column,
                kind: claim.claim.kind,
                text: claim.claim.text.clone(),
                sources: claim
                    .sources
                    .iter()
                    .map(|cited| ResolvedCitation {
                        id: cited.value.id.to_owned(),
                        locator: cited.value.locator.map(str::to_owned),
                        set_at: set_at(cited),
                    })
                    .collect(),
                as_of,
                reviewed: claim.reviewed.as_deref().map(|reviewed| ResolvedDate {
                    date: reviewed.value,
                    set_at: set_at(reviewed),
                }),
                shelf_life: claim.shelf_life.as_deref().map(|life| ResolvedShelfLife {
                    value: life.value,
                    set_at: set_at(life),
                }),
                caveats: claim
                    .caveats
                    .iter()
                    .map(|caveat| {
                        let at = pointer(&caveat.value_path());
                        Reference {
                            id: caveat_key(&doc.id, caveat.value, &at),
                            set_at: set_at(caveat),
                        }
                    })
                    .collect(),
                sensitive_to: claim
                    .sensitive_to
                    .iter()
                    .map(|event| Reference {
                        id: event.value.to_owned(),
                        set_at: set_at(event),
                    })
                    .collect(),
                tags: claim
                    .tags
                    .iter()
                    .map(|tag| ResolvedTag {
                        tag: tag.value.to_owned(),
                        set_at: set_at(tag),
                    })
                    .collect(),
                allow: claim
                    .allow
                    .iter()
                    .map(|allow| ResolvedAllow {
                        rule: allow.value.rule.clone(),
                        reason: allow.value.reason.clone(),
                        until: allow.value.until,
                        set_at: set_at(allow),
                    })
                    .collect(),
            }
        })
        .collect();
    ExportedNote {
        id: doc.id.clone(),
        file: file.to_owned(),
        title: note.title.clone(),
        written: note.written,
        reviewed: note.reviewed,
        as_of: note.as_of,
        summary_of: note.summary_of.clone(),
        sections: note.sections.iter().map(|s| s.title.clone()).collect(),
        claims,
    }
}

/// A value set somewhere in a note's tree.
trait ValuePath {
    /// The JSON Pointer to the value, or none when `claim` (a claim's path) sets it.
    fn set_at(&self, claim: &[Segment]) -> Option<String>;
}

impl<T> ValuePath for Inherited<T> {
    fn set_at(&self, claim: &[Segment]) -> Option<String> {
        (*self.owner != *claim).then(|| pointer(&self.value_path()))
    }
}

/// The key of a caveat in the corpus's `caveats`: its id, or for a caveat given in place
/// without one, `<note id>#<pointer>` (`#` is never part of an id, so the two cannot clash).
fn caveat_key(note_id: &str, caveat: &CaveatRef, pointer: &str) -> String {
    match caveat {
        CaveatRef::Id(id) => id.clone(),
        CaveatRef::Inline(Caveat { id: Some(id), .. }) => id.0.clone(),
        CaveatRef::Inline(Caveat { id: None, .. }) => format!("{note_id}#{pointer}"),
    }
}

/// A JSON Pointer (RFC 6901) for a tree path: `/sections/0/claims/2`, or "" for the root.
pub(crate) fn pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => {
                let _ = write!(out, "{index}");
            }
        }
    }
    out
}

/// `path` relative to `root`, with `/` between folders, so exports do not depend on
/// where the workspace is. A path outside `root` keeps only what is not machine-specific:
/// its relative form as given, or its file name when it is absolute.
pub fn relative_file(path: &Path, root: &Path) -> String {
    let relative = match path.strip_prefix(root) {
        Ok(inside) => inside,
        Err(_) if path.is_absolute() => path.file_name().map_or(path, Path::new),
        Err(_) => path,
    };
    let parts: Vec<String> = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    parts.join("/")
}

/// Every source, caveat and event of the corpus, under the keys `notes.json` gives them.
/// Ids are global; when one is defined twice (a lint error), the first note in id
/// order wins. It owns its definitions, so the notes need not stay loaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Definitions {
    /// Sources by id.
    pub sources: BTreeMap<String, SourceDefinition>,
    /// Events by id.
    pub events: BTreeMap<String, EventDefinition>,
    /// Caveats by id, or by `<note id>#<pointer>` for those without one.
    pub caveats: BTreeMap<String, CaveatDefinition>,
}

impl Definitions {
    /// The definitions one note makes; `note_id` is its id.
    pub fn of_note(note_id: &str, note: &Note) -> Self {
        let mut definitions = Definitions::default();
        let defined = |pointer: String| (note_id.to_owned(), pointer);
        for (i, source) in note.sources.iter().enumerate() {
            let (defined_in, pointer) = defined(format!("/sources/{i}"));
            definitions
                .sources
                .entry(source.id.0.clone())
                .or_insert(SourceDefinition {
                    defined_in,
                    pointer,
                    source: source.clone(),
                });
        }
        for (i, event) in note.events.iter().enumerate() {
            let (defined_in, pointer) = defined(format!("/events/{i}"));
            definitions
                .events
                .entry(event.id.0.clone())
                .or_insert(EventDefinition {
                    defined_in,
                    pointer,
                    event: event.clone(),
                });
        }
        let mut caveats: Vec<(String, &CaveatRef)> = Vec::new();
        scope_caveats(String::new(), &note.caveats, &mut caveats);
        for (s, section) in note.sections.iter().enumerate() {
            let at = format!("/sections/{s}");
            scope_caveats(at.clone(), &section.caveats, &mut caveats);
            claim_caveats(&at, "claims", &section.claims, &mut caveats);
        }
        for (pointer, caveat) in caveats {
            if let CaveatRef::Inline(inline) = caveat {
                let key = caveat_key(note_id, caveat, &pointer);
                let (defined_in, pointer) = defined(pointer);
                definitions.caveats.entry(key).or_insert(CaveatDefinition {
                    defined_in,
                    pointer,
                    caveat: inline.clone(),
                });
            }
        }
        definitions
    }

    /// Adds the definitions of `other` whose keys are not here yet: merging notes in
    /// id order keeps the first definition of an id.
    pub fn merge(&mut self, other: Definitions) {
        for (key, value) in other.sources {
            self.sources.entry(key).or_insert(value);
        }
        for (key, value) in other.events {
            self.events.entry(key).or_insert(value);
        }
        for (key, value) in other.caveats {
            self.caveats.entry(key).or_insert(value);
        }
    }

    /// The source with this id and the note that defines it.
    pub fn source(&self, id: &str) -> Option<(&Source, &str)> {
        self.sources
            .get(id)
            .map(|d| (&d.source, d.defined_in.as_str()))
    }

    /// The caveat with this key and the note that defines it.
    pub fn caveat(&self, id: &str) -> Option<(&Caveat, &str)> {
        self.caveats
            .get(id)
            .map(|d| (&d.caveat, d.defined_in.as_str()))
    }

    /// The event with this id and the note that defines it.
    pub fn event(&self, id: &str) -> Option<(&Event, &str)> {
        self.events
            .get(id)
            .map(|d| (&d.event, d.defined_in.as_str()))
    }
}

fn scope_caveats<'a>(at: String, caveats: &'a [CaveatRef], out: &mut Vec<(String, &'a CaveatRef)>) {
    for (i, caveat) in caveats.iter().enumerate() {
        out.push((format!("{at}/caveats/{i}"), caveat));
    }
}

fn claim_caveats<'a>(
    at: &str,
    field: &str,
    claims: &'a [Claim],
    out: &mut Vec<(String, &'a CaveatRef)>,
) {
    for (i, claim) in claims.iter().enumerate() {
        let here = format!("{at}/{field}/{i}");
        scope_caveats(here.clone(), &claim.caveats, out);
        claim_caveats(&here, "children", &claim.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        let path = [
            Segment::Key("sections".into()),
            Segment::Index(2),
            Segment::Key("a/b~c".into()),
        ];
        assert_eq!(pointer(&path), "/sections/2/a~1b~0c");
        assert_eq!(pointer(&[]), "");
    }

    #[test]
    fn files_are_relative_to_the_root_with_slashes() {
        let root = Path::new("/work/repo");
        assert_eq!(
            relative_file(Path::new("/work/repo/notes/a.yaml"), root),
            "notes/a.yaml"
        );
        assert_eq!(
            relative_file(Path::new("./notes/b.yaml"), root),
            "notes/b.yaml"
        );
        assert_eq!(
            relative_file(Path::new("/elsewhere/c.yaml"), root),
            "c.yaml"
        );
    }
}
