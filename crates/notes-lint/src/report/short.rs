//! `--format short`: one line per finding, `file:line:col: severity[rule]: message`.

use crate::engine::Outcome;

/// One line per finding, in order.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for finding in &outcome.findings {
        let file = finding
            .file
            .as_ref()
            .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
        let source = finding.file.as_deref().and_then(|f| outcome.source(f));
        out.push_str(&finding.short_line(&file, source));
        out.push('\n');
    }
    out
}
