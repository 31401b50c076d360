//! `--format short`: one line per finding, `file:line:col: severity[rule]: message`.

use std::fmt::Write as _;

use crate::engine::Outcome;
use crate::report::finding_range;

/// One line per finding, in order.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for finding in &outcome.findings {
        let file = finding
            .file
            .as_ref()
            .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
        let (line, column) =
            finding_range(outcome, finding).map_or((1, 1), |(start, _)| (start.line, start.column));
        let _ = writeln!(
            out,
            "{file}:{line}:{column}: {}[{}]: {}",
            finding.severity.as_str(),
            finding.rule,
            finding.message
        );
    }
    out
}
