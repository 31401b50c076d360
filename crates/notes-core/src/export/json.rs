//! Building the [`Corpus`] from loaded documents, and writing it as `notes.json`.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use crate::load::{Document, is_id};
use crate::model::{CaveatRef, Claim, Note};
use crate::resolve::AsOf;
use crate::tree::Segment;

use super::{
    AsOfBasis, Corpus, EXPORT_VERSION, ExportError, ExportedClaim, ExportedNote, GENERATED_BY,
    ResolvedAllow, ResolvedAsOf, ResolvedCaveat, ResolvedCitation, ResolvedDate, ResolvedEvent,
    ResolvedShelfLife, ResolvedTag,
};
use crate::export::markdown::INDEX_STEM;
use crate::model::{Caveat, Event, Source};

/// The corpus of `documents`: notes sorted by id, each claim resolved. File paths are
/// made relative to `root`.
pub fn corpus(documents: &[&Document], root: &Path) -> Result<Corpus, ExportError> {
    let mut sorted: Vec<(String, &Document)> = documents
        .iter()
        .map(|doc| (relative_file(doc.file.path(), root), *doc))
        .collect();
    sorted.sort_by(|(a_file, a), (b_file, b)| a.id.cmp(&b.id).then_with(|| a_file.cmp(b_file)));
    for pair in sorted.windows(2) {
        if let [(first_file, first), (second_file, second)] = pair
            && first.id == second.id
        {
            return Err(ExportError::DuplicateNoteId {
                id: first.id.clone(),
                files: [first_file.clone(), second_file.clone()],
            });
        }
    }
    for (file, doc) in &sorted {
        if !is_id(&doc.id) {
            return Err(ExportError::InvalidNoteId {
                id: doc.id.clone(),
                file: file.clone(),
            });
        }
        if doc.id == INDEX_STEM {
            return Err(ExportError::ReservedNoteId { file: file.clone() });
        }
    }
    let definitions = Definitions::of(sorted.iter().map(|(_, doc)| (doc.id.as_str(), &doc.note)));
    let notes = sorted
        .iter()
        .map(|(file, doc)| export_note(doc, file, &definitions))
        .collect();
    Ok(Corpus {
        comment: format!("{GENERATED_BY} from the notes. Do not edit."),
        version: EXPORT_VERSION,
        notes,
    })
}

/// The corpus as `notes.json` holds it: pretty-printed, with a final newline.
pub fn to_json(corpus: &Corpus) -> String {
    // Serialising these types cannot fail: every map key is a string.
    let mut text = serde_json::to_string_pretty(corpus).unwrap_or_default();
    text.push('\n');
    text
}

fn export_note(doc: &Document, file: &str, definitions: &Definitions<'_>) -> ExportedNote {
    let resolved = doc.claims();
    let claims = resolved
        .iter()
        .map(|claim| {
            let (span, _) = doc.positions.nearest(&claim.path);
            let position = doc.file.position(span.start);
            let as_of = claim
                .as_of(&doc.note, |id| definitions.source(id).map(|(s, _)| s))
                .map(|as_of| match as_of {
                    AsOf::Set(set) => ResolvedAsOf {
                        date: set.value,
                        basis: AsOfBasis::Set,
                        set_at: Some(pointer(&set.value_path())),
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
                name: claim.name(),
                position: claim.position_name(),
                parent: claim
                    .parent
                    .and_then(|index| resolved.get(index))
                    .map(|parent| parent.name()),
                pointer: pointer(&claim.path),
                file: file.to_owned(),
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
                        defined_in: definitions
                            .source(cited.value.id)
                            .map(|(_, note)| note.to_owned()),
                        set_at: pointer(&cited.value_path()),
                    })
                    .collect(),
                as_of,
                reviewed: claim.reviewed.as_ref().map(|reviewed| ResolvedDate {
                    date: reviewed.value,
                    set_at: pointer(&reviewed.value_path()),
                }),
                shelf_life: claim.shelf_life.as_ref().map(|life| ResolvedShelfLife {
                    value: life.value,
                    set_at: pointer(&life.value_path()),
                }),
                caveats: claim
                    .caveats
                    .iter()
                    .map(|caveat| {
                        let set_at = pointer(&caveat.value_path());
                        match caveat.value {
                            CaveatRef::Inline(inline) => {
                                resolved_caveat(inline, Some(doc.id.as_str()), set_at)
                            }
                            CaveatRef::Id(id) => match definitions.caveat(id) {
                                Some((defined, note)) => {
                                    resolved_caveat(defined, Some(note), set_at)
                                }
                                None => ResolvedCaveat {
                                    id: Some(id.clone()),
                                    text: None,
                                    as_of: None,
                                    before: None,
                                    review_by: None,
                                    defined_in: None,
                                    set_at,
                                },
                            },
                        }
                    })
                    .collect(),
                sensitive_to: claim
                    .sensitive_to
                    .iter()
                    .map(|event| {
                        let defined = definitions.event(event.value);
                        ResolvedEvent {
                            id: event.value.to_owned(),
                            date: defined.map(|(event, _)| event.date),
                            defined_in: defined.map(|(_, note)| note.to_owned()),
                            set_at: pointer(&event.value_path()),
                        }
                    })
                    .collect(),
                tags: claim
                    .tags
                    .iter()
                    .map(|tag| ResolvedTag {
                        tag: tag.value.to_owned(),
                        set_at: pointer(&tag.value_path()),
                    })
                    .collect(),
                allow: claim
                    .allow
                    .iter()
                    .map(|allow| ResolvedAllow {
                        rule: allow.value.rule.clone(),
                        reason: allow.value.reason.clone(),
                        until: allow.value.until,
                        set_at: pointer(&allow.value_path()),
                    })
                    .collect(),
            }
        })
        .collect();
    ExportedNote {
        id: doc.id.clone(),
        file: file.to_owned(),
        note: doc.note.clone(),
        claims,
    }
}

fn resolved_caveat(caveat: &Caveat, defined_in: Option<&str>, set_at: String) -> ResolvedCaveat {
    ResolvedCaveat {
        id: caveat.id.as_ref().map(|id| id.0.clone()),
        text: Some(caveat.text.clone()),
        as_of: caveat.as_of,
        before: caveat.before.clone(),
        review_by: caveat.review_by,
        defined_in: defined_in.map(str::to_owned),
        set_at,
    }
}

/// A JSON Pointer (RFC 6901) for a tree path: `/sections/0/claims/2`, or "" for the root.
pub(crate) fn pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// `path` relative to `root`, with `/` between folders, so exports do not depend on
/// where the workspace is. A path outside `root` keeps only what is not machine-specific:
/// its relative form as given, or its file name when it is absolute.
pub(crate) fn relative_file(path: &Path, root: &Path) -> String {
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

/// Where each source, caveat and event id of the corpus is defined. Ids are global;
/// when one is defined twice (a lint error), the first note in id order wins.
pub(crate) struct Definitions<'a> {
    sources: BTreeMap<&'a str, (&'a Source, &'a str)>,
    caveats: BTreeMap<&'a str, (&'a Caveat, &'a str)>,
    events: BTreeMap<&'a str, (&'a Event, &'a str)>,
}

impl<'a> Definitions<'a> {
    /// The definitions of `notes`, given as (note id, note) in id order.
    pub(crate) fn of(notes: impl Iterator<Item = (&'a str, &'a Note)>) -> Self {
        let mut definitions = Definitions {
            sources: BTreeMap::new(),
            caveats: BTreeMap::new(),
            events: BTreeMap::new(),
        };
        for (note_id, note) in notes {
            for source in &note.sources {
                definitions
                    .sources
                    .entry(source.id.as_str())
                    .or_insert((source, note_id));
            }
            for event in &note.events {
                definitions
                    .events
                    .entry(event.id.as_str())
                    .or_insert((event, note_id));
            }
            let mut caveats: Vec<&CaveatRef> = note.caveats.iter().collect();
            for section in &note.sections {
                caveats.extend(&section.caveats);
                collect_claim_caveats(&section.claims, &mut caveats);
            }
            for caveat in caveats {
                if let CaveatRef::Inline(inline) = caveat
                    && let Some(id) = &inline.id
                {
                    definitions
                        .caveats
                        .entry(id.as_str())
                        .or_insert((inline, note_id));
                }
            }
        }
        definitions
    }

    /// The source with this id and the note that defines it.
    pub(crate) fn source(&self, id: &str) -> Option<(&'a Source, &'a str)> {
        self.sources.get(id).copied()
    }

    /// The caveat with this id and the note that defines it.
    pub(crate) fn caveat(&self, id: &str) -> Option<(&'a Caveat, &'a str)> {
        self.caveats.get(id).copied()
    }

    /// The event with this id and the note that defines it.
    pub(crate) fn event(&self, id: &str) -> Option<(&'a Event, &'a str)> {
        self.events.get(id).copied()
    }
}

fn collect_claim_caveats<'a>(claims: &'a [Claim], out: &mut Vec<&'a CaveatRef>) {
    for claim in claims {
        out.extend(&claim.caveats);
        collect_claim_caveats(&claim.children, out);
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
