//! `--format json`: one object with the run's summary and every finding; a finding
//! that labels other places (such as the other copies of a duplicated claim) lists
//! them under `related`.

use notes_core::Finding;
use serde_json::{Value, json};

use crate::engine::Outcome;
use crate::report::finding_range;

/// The other places a finding labels (the other copies of a duplicated claim, say):
/// each with its file, 1-based line and column, and message.
fn related(outcome: &Outcome, finding: &Finding) -> Value {
    finding
        .labels
        .iter()
        .map(|label| {
            let file = label.file.as_ref().or(finding.file.as_ref());
            let start = file
                .and_then(|file| outcome.source(file))
                .map(|source| source.position(label.span.start));
            json!({
                "file": file.map(|p| p.display().to_string()),
                "line": start.map(|p| p.line),
                "column": start.map(|p| p.column),
                "message": label.message,
            })
        })
        .collect()
}

/// The run's summary: files, notes and claims read, findings at each severity.
pub fn summary_object(outcome: &Outcome) -> Value {
    let summary = outcome.summary();
    json!({
        "files": summary.files,
        "notes": summary.notes,
        "claims": summary.claims,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
    })
}

/// The JSON report, in the shape of the design contract.
pub fn render(outcome: &Outcome, today: jiff::civil::Date) -> String {
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|finding| {
            let range = finding_range(outcome, finding);
            let mut object = json!({
                "rule": finding.rule,
                "severity": finding.severity.as_str(),
                "message": finding.message,
                "help": finding.help,
                "file": finding.file.as_ref().map(|p| p.display().to_string()),
                "line": range.map(|(start, _)| start.line),
                "column": range.map(|(start, _)| start.column),
                "end_line": range.map(|(_, end)| end.line),
                "end_column": range.map(|(_, end)| end.column),
                "note": finding.note,
                "claim": finding.claim,
            });
            if !finding.labels.is_empty()
                && let Some(object) = object.as_object_mut()
            {
                object.insert("related".to_owned(), related(outcome, finding));
            }
            object
        })
        .collect();
    let report = json!({
        "version": 1,
        "today": today.to_string(),
        "summary": summary_object(outcome),
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
