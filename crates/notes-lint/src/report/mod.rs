//! Reporters: each output format is one small module over the same findings.

pub mod human;
pub mod json;
pub mod short;

use notes_core::{Finding, Position};

use crate::engine::Outcome;

/// The position of a finding's start and end, 1-based, columns in Unicode scalar values.
pub fn finding_range(outcome: &Outcome, finding: &Finding) -> Option<(Position, Position)> {
    let span = finding.span?;
    let file = finding.file.as_ref()?;
    let source = outcome
        .loaded
        .iter()
        .find(|l| &l.path == file)
        .and_then(Loaded::source)?;
    Some((source.position(span.start), source.position(span.end)))
}

use notes_core::Loaded;
