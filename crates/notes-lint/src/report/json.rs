//! `--format json`: one object with the run's summary and every finding.

use serde_json::{Value, json};

use crate::engine::Outcome;
use crate::report::finding_range;

/// The JSON report, in the shape of the design contract.
pub fn render(outcome: &Outcome, today: jiff::civil::Date) -> String {
    let summary = outcome.summary();
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|finding| {
            let range = finding_range(outcome, finding);
            json!({
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
            })
        })
        .collect();
    let report = json!({
        "version": 1,
        "today": today.to_string(),
        "summary": {
            "files": summary.files,
            "notes": summary.notes,
            "claims": summary.claims,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
        },
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
