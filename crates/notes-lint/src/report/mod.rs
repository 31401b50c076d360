//! Reporters: each output format is one small module over the same findings.

pub mod github;
pub mod human;
pub mod json;
pub mod rules;
pub mod sarif;
pub mod short;
pub mod statistics;

use notes_core::{Finding, Position};

use crate::engine::Outcome;

/// The position of a finding's start and end, 1-based, columns in Unicode scalar values.
pub fn finding_range(outcome: &Outcome, finding: &Finding) -> Option<(Position, Position)> {
    let span = finding.span?;
    let file = finding.file.as_ref()?;
    let source = outcome.source(file)?;
    Some((source.position(span.start), source.position(span.end)))
}

/// Renders a configuration error with the offending place, for exit code 2.
pub fn config_error(error: &crate::config::ConfigError) -> String {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
    };
    let mut diagnostic = MietteDiagnostic::new(format!(
        "invalid configuration {}: {}",
        error.path.display(),
        error.message
    ))
    .with_code("config");
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    if let Some(span) = &error.span {
        diagnostic = diagnostic.with_label(LabeledSpan::at(span.clone(), "here"));
    }
    let report = match &error.text {
        Some(text) => Report::new(diagnostic).with_source_code(NamedSource::new(
            error.path.display().to_string(),
            text.clone(),
        )),
        None => Report::new(diagnostic),
    };
    let mut out = String::new();
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!(
            "error: invalid configuration {}: {}",
            error.path.display(),
            error.message
        );
    }
    out
}
