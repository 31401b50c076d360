//! Recording a review: the edit that sets `reviewed:` on a claim, a section or a whole
//! note, keeping every comment, blank line and the rest of the formatting.
//!
//! The command (`notes-lint review --mark`) and a language server's "mark as reviewed
//! today" code action make the same edit, with [`mark_reviewed`].

use std::fmt;

use jiff::civil::Date;
use notes_core::tree::Segment;
use notes_core::{Document, Edit, Span};

/// What to mark in a note: the whole note, a section or a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// The whole note.
    Note,
    /// A claim's id, or a 1-based position: `2` is the second section, `2.3.1` the first
    /// child of the third claim of the second section.
    Named(String),
}

/// A `--mark` target, `NOTE` or `NOTE#CLAIM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The note's id.
    pub note: String,
    /// What in it.
    pub part: Part,
}

impl Target {
    /// Reads `NOTE`, `NOTE#CLAIM_ID` or `NOTE#2.3.1`.
    pub fn parse(text: &str) -> Result<Target, String> {
        let (note, part) = match text.split_once('#') {
            Some((note, part)) => (note, Part::Named(part.to_owned())),
            None => (text, Part::Note),
        };
        if note.is_empty() || matches!(&part, Part::Named(p) if p.is_empty()) {
            return Err(format!(
                "`{text}` is not a target: write NOTE, NOTE#CLAIM_ID or NOTE#2.3.1"
            ));
        }
        Ok(Target {
            note: note.to_owned(),
            part,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.part {
            Part::Note => write!(f, "{}", self.note),
            Part::Named(name) => write!(f, "{}#{name}", self.note),
        }
    }
}

/// Why a review could not be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkError {
    /// No claim or section of the note has that id or position.
    UnknownPart {
        /// The note's id.
        note: String,
        /// The name that was asked for.
        name: String,
        /// The closest claim id or position, if one is close.
        suggestion: Option<String>,
    },
    /// The file's layout defeats a safe edit (the edited text would not load back with
    /// the new date); the message says what to add by hand.
    CannotEdit(String),
}

impl fmt::Display for MarkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkError::UnknownPart {
                note,
                name,
                suggestion,
            } => {
                write!(f, "note `{note}` has no claim or section `{name}`")?;
                match suggestion {
                    Some(best) => write!(f, " (did you mean `{note}#{best}`?)"),
                    None => write!(
                        f,
                        "; name a claim by its id or its position such as `2.3.1`"
                    ),
                }
            }
            MarkError::CannotEdit(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for MarkError {}

/// The tree path of what `part` names in `doc`: `[]` for the note, a section's or a
/// claim's path.
pub fn locate(doc: &Document, part: &Part) -> Result<Vec<Segment>, MarkError> {
    let Part::Named(name) = part else {
        return Ok(Vec::new());
    };
    let claims = doc.claims();
    if let Some(claim) = claims
        .iter()
        .find(|c| c.claim.id.as_ref().is_some_and(|id| id.0 == *name))
        .or_else(|| claims.iter().find(|c| c.position_name() == *name))
    {
        return Ok(claim.path.to_vec());
    }
    if let Ok(n) = name.parse::<usize>()
        && (1..=doc.note.sections.len()).contains(&n)
    {
        return Ok(vec![Segment::key("sections"), Segment::Index(n - 1)]);
    }
    let mut names: Vec<String> = (1..=doc.note.sections.len())
        .map(|n| n.to_string())
        .collect();
    for claim in &claims {
        if let Some(id) = &claim.claim.id {
            names.push(id.0.clone());
        }
        names.push(claim.position_name());
    }
    let suggestion = notes_core::suggest::did_you_mean(name, names.iter().map(String::as_str))
        .map(str::to_owned);
    Err(MarkError::UnknownPart {
        note: doc.id.clone(),
        name: name.clone(),
        suggestion,
    })
}

/// The edits that record a review of `part` of the note `doc` on `date`: `reviewed:` set
/// to the date, replacing the value when there is one, else added as a new entry of the
/// claim's, section's or note's mapping (in a block mapping on its own line after the
/// `text:` or `title:` entry; in a flow mapping or JSON, before that entry). `text` is
/// the note's source, the one `doc` was loaded from. Edits are byte ranges of `text`
/// that do not overlap, in order. The result is checked: the edited text loads, with no
/// new syntax or schema error, and gives `part` the date.
pub fn mark_reviewed(
    text: &str,
    doc: &Document,
    part: &Part,
    date: Date,
) -> Result<Vec<Edit>, MarkError> {
    let owner = locate(doc, part)?;
    let edit = reviewed_edit(text, doc, &owner, date);
    check(text, doc, &owner, date, &edit)?;
    Ok(vec![edit])
}

fn path_to(owner: &[Segment], key: &str) -> Vec<Segment> {
    let mut path = owner.to_vec();
    path.push(Segment::key(key));
    path
}

fn reviewed_edit(text: &str, doc: &Document, owner: &[Segment], date: Date) -> Edit {
    let positions = &doc.positions;
    if let Some(span) = positions.span(&path_to(owner, "reviewed")) {
        let quoted = text
            .get(span.start..span.end)
            .is_some_and(|v| v.starts_with('"') || v.starts_with('\''));
        let replacement = if quoted {
            format!("\"{date}\"")
        } else {
            date.to_string()
        };
        return Edit { span, replacement };
    }
    let head =
        if owner.is_empty() || owner.len() == 2 && doc.claims().iter().all(|c| *c.path != *owner) {
            "title"
        } else {
            "text"
        };
    let head_path = path_to(owner, head);
    let key = positions.key_span(&head_path).unwrap_or_default();
    let mapping = positions.span(owner).unwrap_or_default();
    let flow = text[mapping.start..].starts_with('{');
    if flow {
        let json = text[key.start..].starts_with('"');
        let replacement = if json {
            format!("\"reviewed\": \"{date}\", ")
        } else {
            format!("reviewed: {date}, ")
        };
        return Edit {
            span: Span::point(key.start),
            replacement,
        };
    }
    let line_start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..key.start].chars().count();
    let value_end = positions.span(&head_path).map_or(key.end, |s| s.end);
    // A block scalar's span may end after its last line break: stay on its last line.
    let last = if text[..value_end].ends_with('\n') {
        value_end - 1
    } else {
        value_end
    };
    let at = text[last..].find('\n').map_or(text.len(), |i| last + i);
    // A file with CRLF line ends gets one more such line.
    let (at, newline) = if text[..at].ends_with('\r') {
        (at - 1, "\r\n")
    } else {
        (at, "\n")
    };
    Edit {
        span: Span::point(at),
        replacement: format!("{newline}{}reviewed: {date}", " ".repeat(indent)),
    }
}

/// Loads the edited text and checks that it reads as before, with `reviewed` at `owner`.
fn check(
    text: &str,
    doc: &Document,
    owner: &[Segment],
    date: Date,
    edit: &Edit,
) -> Result<(), MarkError> {
    let refuse = || {
        MarkError::CannotEdit(format!(
            "cannot place `reviewed: {date}` safely in {}; add it by hand",
            doc.file.path().display()
        ))
    };
    let edited = crate::fix::apply(text, &[edit]);
    let errors = |loaded: &notes_core::Loaded| {
        loaded
            .findings
            .iter()
            .filter(|f| f.severity == notes_core::Severity::Error)
            .count()
    };
    let before = notes_core::load_bytes(doc.file.path(), text.as_bytes());
    let after = notes_core::load_bytes(doc.file.path(), edited.as_bytes());
    let Some(new_doc) = after.document.as_ref() else {
        return Err(refuse());
    };
    if errors(&after) > errors(&before) {
        return Err(refuse());
    }
    let reviewed = if owner.is_empty() {
        new_doc.note.reviewed
    } else if let Some(claim) = new_doc.claims().iter().find(|c| *c.path == *owner) {
        claim.claim.reviewed
    } else {
        match owner {
            [_, Segment::Index(s)] => new_doc.note.sections.get(*s).and_then(|s| s.reviewed),
            _ => None,
        }
    };
    if reviewed.map(|r| r.first_day()) == Some(date) {
        Ok(())
    } else {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn mark(text: &str, part: &str) -> Result<String, MarkError> {
        let loaded = notes_core::load_bytes(std::path::Path::new("notes/a.yaml"), text.as_bytes());
        let doc = loaded.document.as_ref().expect("the note loads");
        let part = if part.is_empty() {
            Part::Note
        } else {
            Part::Named(part.to_owned())
        };
        let edits = mark_reviewed(text, doc, &part, date(2026, 11, 27))?;
        let edits: Vec<&Edit> = edits.iter().collect();
        Ok(crate::fix::apply(text, &edits))
    }

    const NOTE: &str = "\
# A comment at the top.
title: T   # the title

sections:
  - title: S
    claims:
      # Before the claim.
      - text: >
          Alpha is
          folded.
        id: alpha

      - {text: Beta., id: beta}
      - text: Gamma.
        reviewed: 2024-01   # old
        children:
          - text: Delta.
";

    #[test]
    fn a_block_claim_gets_a_line_after_its_text() {
        let marked = mark(NOTE, "alpha").expect("marks");
        assert!(
            marked.contains("          folded.\n        reviewed: 2026-11-27\n        id: alpha\n"),
            "{marked}"
        );
        assert_eq!(marked.replace("        reviewed: 2026-11-27\n", ""), NOTE);
    }

    #[test]
    fn a_flow_claim_gets_an_entry_before_its_text() {
        let marked = mark(NOTE, "beta").expect("marks");
        assert_eq!(
            marked,
            NOTE.replace("{text: Beta.", "{reviewed: 2026-11-27, text: Beta.")
        );
    }

    #[test]
    fn an_existing_date_is_replaced_and_its_comment_kept() {
        let marked = mark(NOTE, "1.3").expect("marks");
        assert_eq!(
            marked,
            NOTE.replace("reviewed: 2024-01   # old", "reviewed: 2026-11-27   # old")
        );
    }

    #[test]
    fn a_child_a_section_and_the_note_can_be_marked() {
        let child = mark(NOTE, "1.3.1").expect("marks");
        assert!(
            child.ends_with("          - text: Delta.\n            reviewed: 2026-11-27\n"),
            "{child}"
        );
        let section = mark(NOTE, "1").expect("marks");
        assert!(
            section.contains("  - title: S\n    reviewed: 2026-11-27\n    claims:"),
            "{section}"
        );
        let note = mark(NOTE, "").expect("marks");
        assert_eq!(
            note,
            NOTE.replace("# the title\n", "# the title\nreviewed: 2026-11-27\n")
        );
    }

    #[test]
    fn crlf_files_keep_their_line_ends() {
        let crlf = NOTE.replace('\n', "\r\n");
        let marked = mark(&crlf, "1.3.1").expect("marks");
        assert_eq!(
            marked,
            crlf.replace(
                "Delta.\r\n",
                "Delta.\r\n            reviewed: 2026-11-27\r\n"
            )
        );
    }

    #[test]
    fn json_notes_get_a_json_entry() {
        let text = "{\n  \"title\": \"T\",\n  \"sections\": [{\"title\": \"S\", \"claims\": [{\"text\": \"A.\"}]}]\n}\n";
        let loaded = notes_core::load_bytes(std::path::Path::new("a.json"), text.as_bytes());
        let doc = loaded.document.as_ref().expect("loads");
        let edits = mark_reviewed(text, doc, &Part::Named("1.1".into()), date(2026, 11, 27))
            .expect("marks");
        let edits: Vec<&Edit> = edits.iter().collect();
        let marked = crate::fix::apply(text, &edits);
        assert!(
            marked.contains("{\"reviewed\": \"2026-11-27\", \"text\": \"A.\"}"),
            "{marked}"
        );
    }

    #[test]
    fn an_unknown_claim_gets_a_suggestion() {
        let err = mark(NOTE, "alpah").expect_err("no such claim");
        assert_eq!(
            err.to_string(),
            "note `a` has no claim or section `alpah` (did you mean `a#alpha`?)"
        );
        let err = mark(NOTE, "zzzzzzzz").expect_err("no such claim");
        assert!(
            err.to_string().contains("by its id or its position"),
            "{err}"
        );
    }

    #[test]
    fn targets_parse() {
        assert_eq!(
            Target::parse("n#2.3.1"),
            Ok(Target {
                note: "n".into(),
                part: Part::Named("2.3.1".into())
            })
        );
        assert_eq!(Target::parse("n").map(|t| t.part), Ok(Part::Note));
        assert!(Target::parse("n#").is_err());
        assert!(Target::parse("#x").is_err());
    }
}
