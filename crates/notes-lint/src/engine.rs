//! Running a lint: load every file in parallel, then check the corpus.

use std::path::PathBuf;

use notes_core::{Finding, Loaded, Severity};
use rayon::prelude::*;

/// What a run found.
#[derive(Debug)]
pub struct Outcome {
    /// Every file, in path order, as loaded.
    pub loaded: Vec<Loaded>,
    /// Every finding, sorted by file, line, column and rule.
    pub findings: Vec<Finding>,
}

/// Counts for the summary line and the JSON summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Files that loaded as notes.
    pub notes: usize,
    /// Claims in those notes, nested ones included.
    pub claims: usize,
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
}

/// Loads `files` (in parallel; the result does not depend on scheduling) and checks them.
pub fn run(files: &[PathBuf]) -> Outcome {
    let loaded: Vec<Loaded> = files
        .par_iter()
        .map(|path| notes_core::load_path(path))
        .collect();
    let mut findings: Vec<Finding> = loaded
        .iter()
        .flat_map(|l| l.findings.iter().cloned())
        .collect();
    sort_findings(&mut findings);
    Outcome { loaded, findings }
}

/// Sorts findings by file, line, column (byte offset), then rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.span.map(|s| s.start).cmp(&b.span.map(|s| s.start)))
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
}

impl Outcome {
    /// The counts of this run.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.loaded.len(),
            ..Summary::default()
        };
        for loaded in &self.loaded {
            if let Some(document) = &loaded.document {
                summary.notes += 1;
                summary.claims += count_claims(&document.note);
            }
        }
        for finding in &self.findings {
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

fn count_claims(note: &notes_core::model::Note) -> usize {
    fn count(claims: &[notes_core::model::Claim]) -> usize {
        claims.iter().map(|c| 1 + count(&c.children)).sum()
    }
    note.sections.iter().map(|s| count(&s.claims)).sum()
}
