//! `--format sarif`: SARIF 2.1.0 with one rule descriptor per rule.

use notes_core::Severity;
use serde_json::{Value, json};

use crate::engine::Outcome;
use crate::report::finding_range;
use crate::rules::REGISTRY;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of the run.
pub fn render(outcome: &Outcome) -> String {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            json!({
                "id": meta.id,
                "name": meta.id,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": meta.summary},
                "help": {"text": meta.docs, "markdown": meta.docs},
                "defaultConfiguration": {"level": level(meta.default_severity)},
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|finding| {
            let rule_index = REGISTRY
                .iter()
                .position(|r| r.meta().id == finding.rule)
                .unwrap_or(0);
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut physical = json!({});
            if let Some(file) = &finding.file {
                physical["artifactLocation"] = json!({"uri": uri(&file.display().to_string())});
            }
            if let Some((start, end)) = finding_range(outcome, finding) {
                physical["region"] = json!({
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column.max(if end.line == start.line { start.column + 1 } else { 1 }),
                });
            }
            let mut result = json!({
                "ruleId": finding.rule,
                "ruleIndex": rule_index,
                "level": level(finding.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": physical}],
            });
            if !finding.labels.is_empty() {
                result["relatedLocations"] = related(outcome, finding);
            }
            if let Some(note) = &finding.note {
                result["properties"] = json!({"note": note, "claim": finding.claim});
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "notes-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/notes-lint/notes-lint",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// The other places a finding labels, as SARIF related locations.
fn related(outcome: &Outcome, finding: &notes_core::Finding) -> Value {
    finding
        .labels
        .iter()
        .enumerate()
        .map(|(id, label)| {
            let mut physical = json!({});
            let file = label.file.as_ref().or(finding.file.as_ref());
            if let Some(file) = file {
                physical["artifactLocation"] = json!({"uri": uri(&file.display().to_string())});
                if let Some(source) = outcome.source(file) {
                    let (start, end) = (
                        source.position(label.span.start),
                        source.position(label.span.end),
                    );
                    physical["region"] = json!({
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column.max(if end.line == start.line { start.column + 1 } else { 1 }),
                    });
                }
            }
            json!({"id": id, "physicalLocation": physical, "message": {"text": label.message}})
        })
        .collect()
}

/// A relative URI reference for a path: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}
