//! The human format: miette's graphical report with the snippet and labels, then a
//! closing summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    Severity as MietteSeverity, SourceSpan,
};
use notes_core::{Finding, Severity};

use crate::engine::Outcome;

/// Whether to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Colours.
    Always,
    /// No colours.
    Never,
}

/// Renders every finding and the summary line.
pub fn render(outcome: &Outcome, color: Color, width: usize) -> String {
    let theme = match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for finding in &outcome.findings {
        let source = finding.file.as_ref().and_then(|file| {
            outcome
                .loaded
                .iter()
                .find(|l| &l.path == file)
                .and_then(notes_core::Loaded::source)
        });
        let diagnostic = FindingDiagnostic {
            finding,
            source: source.map(|s| {
                NamedSource::new(s.path().display().to_string(), s.text().to_owned())
                    .with_language("yaml")
            }),
        };
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &diagnostic).is_ok() {
            out.push_str(&rendered);
            if source.is_none()
                && let Some(file) = &finding.file
            {
                out.push_str(&format!("  --> {}\n", file.display()));
            }
            out.push('\n');
        }
    }
    out.push_str(&summary_line(outcome));
    out
}

fn summary_line(outcome: &Outcome) -> String {
    let s = outcome.summary();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {} in {}, {}, {}\n",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        plural(s.files, "file", "files"),
        plural(s.notes, "note", "notes"),
        plural(s.claims, "claim", "claims"),
    )
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(match self.finding.severity {
            Severity::Error => MietteSeverity::Error,
            Severity::Warning => MietteSeverity::Warning,
            Severity::Info => MietteSeverity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.finding.span?;
        let primary = LabeledSpan::new_primary_with_span(
            self.finding.label.clone(),
            SourceSpan::new(span.start.into(), span.len()),
        );
        let secondary = self
            .finding
            .labels
            .iter()
            .filter(|label| label.file.is_none())
            .map(|label| {
                LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    SourceSpan::new(label.span.start.into(), label.span.len()),
                )
            });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}
