//! Loading note files: bytes to a spanned tree to a validated, typed note.
//!
//! Loading never panics: it returns what it could read plus findings, and one bad
//! file never stops the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, SCHEMA, SYNTAX, Severity};
use crate::model::Note;
use crate::source_file::{SourceFile, Span};
use crate::tree::{self, Node, NodeValue, Segment};

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A note that loaded: its file, its tree (for positions) and its model.
#[derive(Debug)]
pub struct Document {
    /// The file, for positions and snippets.
    pub file: SourceFile,
    /// Where every value and key of the note is, by tree path.
    pub positions: crate::positions::Positions,
    /// The note.
    pub note: Note,
    /// The note's id: its `id`, or the file name without its extension.
    pub id: String,
    /// After a schema error dropped claims: the claims whose tree path no longer gives
    /// the position they were written at, by tree path, with their written position.
    pub renumbered: HashMap<Vec<Segment>, Vec<usize>>,
}

impl Document {
    /// Every claim of the note with its resolved values, each named by the position it
    /// was written at (see [`crate::resolve::resolve_claims`]).
    pub fn claims(&self) -> Vec<crate::resolve::ResolvedClaim<'_>> {
        let mut claims = crate::resolve::resolve_claims(&self.note);
        if !self.renumbered.is_empty() {
            for claim in &mut claims {
                if let Some(position) = self.renumbered.get(&claim.path[..]) {
                    claim.written_at = Some(position.as_slice().into());
                }
            }
        }
        claims
    }
}

/// What loading one file gave: the note it could read, and findings. A schema error
/// drops only the node it is in, so a note with schema errors still has a document.
#[derive(Debug)]
pub struct Loaded {
    /// The path the file was read from.
    pub path: PathBuf,
    /// The note, when the file is a note: valid, or with its bad nodes dropped.
    pub document: Option<Document>,
    /// The file's text, when it could be read, even if it is not a valid note.
    pub file: Option<SourceFile>,
    /// Syntax and schema problems.
    pub findings: Vec<Finding>,
}

/// Reads and loads the note at `path`.
pub fn load_path(path: &Path) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => load_bytes(path, &bytes),
        Err(error) => Loaded {
            path: path.to_owned(),
            document: None,
            file: None,
            findings: vec![Finding::new(
                SYNTAX,
                Severity::Error,
                path,
                None,
                format!("cannot read the file: {error}"),
            )],
        },
    }
}

/// Loads a note from `bytes` read from `path`; the extension is not needed, since
/// JSON is read as the YAML subset it is.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Loaded {
    let failed = |file: Option<SourceFile>, finding: Finding| Loaded {
        path: path.to_owned(),
        document: None,
        file,
        findings: vec![finding],
    };
    if bytes.len() > MAX_FILE_BYTES {
        return failed(
            None,
            Finding::new(
                SYNTAX,
                Severity::Error,
                path,
                None,
                format!(
                    "the file is {} MiB; note files are limited to {} MiB",
                    bytes.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ),
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(error) => {
            let at = error.valid_up_to();
            let file = SourceFile::new(path, String::from_utf8_lossy(bytes).into_owned());
            // The bad bytes became one replacement character: the span covers all of it.
            let end = at + file.text()[at..].chars().next().map_or(0, char::len_utf8);
            // Lossy decoding keeps every valid byte before the first bad one in place.
            let finding = Finding::new(
                SYNTAX,
                Severity::Error,
                path,
                Some(Span::new(at, end)),
                format!("the file is not valid UTF-8 (bad byte at offset {at})"),
            )
            .with_label("invalid UTF-8")
            .with_help("save the file as UTF-8");
            return failed(Some(file), finding);
        }
    };
    let file = SourceFile::new(path, text);
    let tree = match tree::parse(&file) {
        Ok(tree) => tree,
        Err(error) => {
            let mut finding =
                Finding::new(SYNTAX, Severity::Error, path, error.span, error.message);
            if finding.span.is_some() {
                finding = finding.with_label("here");
            }
            return failed(Some(file), finding);
        }
    };
    if matches!(tree.value, NodeValue::Null) {
        let finding = Finding::new(
            SCHEMA,
            Severity::Error,
            path,
            Some(Span::point(0)),
            "the file is empty: a note needs at least a `title`",
        )
        .with_help("add `title: ...` and the note's sections");
        return failed(Some(file), finding);
    }
    // Where things are is taken from the tree before its values move into the note.
    let positions = crate::positions::Positions::new(&tree);
    let (positions, note, renumbered, mut findings) = match crate::typed::from_tree::<Note>(tree) {
        // The fast path: the tree fits the model, so it fits the schema.
        Ok(note) => (positions, note, HashMap::new(), Vec::new()),
        Err(_) => {
            // The slow path: the tree went into the failed attempt, so the file (which
            // parsed once) is parsed again; recovery reads copies of it as it prunes.
            drop(positions);
            let recovered = match tree::parse(&file) {
                Ok(tree) => match crate::typed::from_node::<Note>(&tree) {
                    Ok(note) => Recovered::Note {
                        tree,
                        note: Box::new(note),
                        renumbered: HashMap::new(),
                        findings: Vec::new(),
                    },
                    Err(error) => recover(&file, tree, &error),
                },
                Err(error) => Recovered::Nothing(vec![Finding::new(
                    SYNTAX,
                    Severity::Error,
                    path,
                    error.span,
                    error.message,
                )]),
            };
            match recovered {
                Recovered::Note {
                    tree,
                    note,
                    renumbered,
                    findings,
                } => {
                    // The tree's values are in the note now; only where things are is kept.
                    (
                        crate::positions::Positions::new(&tree),
                        *note,
                        renumbered,
                        findings,
                    )
                }
                Recovered::Nothing(findings) => {
                    return Loaded {
                        path: path.to_owned(),
                        document: None,
                        file: Some(file),
                        findings,
                    };
                }
            }
        }
    };
    let id = match &note.id {
        Some(id) => id.0.clone(),
        None => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !is_id(&stem) {
                findings.push(
                    Finding::new(
                        SCHEMA,
                        Severity::Error,
                        path,
                        Some(Span::point(0)),
                        format!("the file name `{stem}` is not a valid note id"),
                    )
                    .with_help(
                        "set `id:` (lowercase letters, digits and dashes) or rename the file",
                    ),
                );
            }
            stem
        }
    };
    Loaded {
        path: path.to_owned(),
        document: Some(Document {
            file,
            positions,
            note,
            id,
            renumbered,
        }),
        file: None,
        findings,
    }
}

/// What the slow path made of a file the model refused.
enum Recovered {
    /// The note without its bad nodes, and the schema findings.
    Note {
        tree: Node,
        note: Box<Note>,
        renumbered: HashMap<Vec<Segment>, Vec<usize>>,
        findings: Vec<Finding>,
    },
    /// No note could be read: the findings say why.
    Nothing(Vec<Finding>),
}

/// Rounds of dropping nodes before giving up; one is nearly always enough.
const RECOVERY_ROUNDS: usize = 8;

/// The slow path: every schema problem with its place, then the note without the nodes
/// they are in.
fn recover(file: &SourceFile, tree: Node, error: &crate::typed::Error) -> Recovered {
    let problems = crate::schema::check_located(file, &tree, &tree.to_json());
    let mut findings: Vec<Finding> = problems.iter().map(|p| p.finding.clone()).collect();
    findings.sort_by_key(|f| f.span);
    if problems.is_empty() {
        // The schema is generated from the model, so this means they disagree: a bug.
        let finding = Finding::new(
            SCHEMA,
            Severity::Error,
            file.path(),
            Some(Span::point(0)),
            format!("the note passed the schema but does not fit the model: {error}"),
        )
        .with_help("this is a bug in notes-lint: please report it with the file");
        return Recovered::Nothing(vec![finding]);
    }
    let original = tree;
    let mut pruned = original.clone();
    let mut round_problems = problems;
    for _ in 0..RECOVERY_ROUNDS {
        if !crate::recover::prune(&mut pruned, &round_problems) {
            break;
        }
        if let Ok(note) = crate::typed::from_node::<Note>(&pruned) {
            let renumbered = crate::recover::renumbered(&original, &pruned);
            return Recovered::Note {
                tree: pruned,
                note: Box::new(note),
                renumbered,
                findings,
            };
        }
        round_problems = crate::schema::check_located(file, &pruned, &pruned.to_json());
    }
    Recovered::Nothing(findings)
}

/// Whether `text` is a valid id: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_id(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Loaded {
    /// The file's text, whether or not it loaded as a note.
    pub fn source(&self) -> Option<&SourceFile> {
        self.document
            .as_ref()
            .map(|d| &d.file)
            .or(self.file.as_ref())
    }
}
