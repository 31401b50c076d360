//! The human format: miette's graphical report with the snippet and labels, then a
//! closing summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MietteSeverity,
    SourceSpan,
};
use notes_core::{Finding, Severity, SourceFile, Span};

use crate::engine::Outcome;

/// Whether to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Colours.
    Always,
    /// No colours.
    Never,
}

/// Lines longer than this are cropped around the label in snippets.
const LONG_LINE: usize = 240;

/// Renders every finding and the summary line.
pub fn render(outcome: &Outcome, color: Color, width: usize) -> String {
    let theme = match color {
        Color::Always => GraphicalTheme::unicode(),
        Color::Never => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(1)
        .with_show_related_as_nested(true);
    let source_of = |file: &std::path::Path| outcome.source(file);
    let mut out = String::new();
    for finding in &outcome.findings {
        let source = finding.file.as_deref().and_then(source_of);
        let mut spans: Vec<Span> = finding.span.into_iter().collect();
        spans.extend(
            finding
                .labels
                .iter()
                .filter(|l| l.file.is_none())
                .map(|l| l.span),
        );
        let excerpt = source.and_then(|s| Excerpt::around(s, &spans));
        let related: Vec<Related> = finding
            .labels
            .iter()
            .filter_map(|label| {
                let file = label.file.as_deref()?;
                let other = source_of(file)?;
                Some(Related {
                    message: label.message.clone(),
                    excerpt: Excerpt::around(other, &[label.span])?,
                    span: label.span,
                })
            })
            .collect();
        let diagnostic = FindingDiagnostic {
            finding,
            excerpt,
            related,
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

/// The lines of a file around some spans, so a snippet never copies a whole file, and
/// overlong lines (minified JSON, hostile input) are cropped around the label.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// The byte offset of `text` in the file.
    offset: usize,
    /// The 0-based line and column (in chars) where `text` starts.
    line: usize,
    column: usize,
}

impl Excerpt {
    fn around(file: &SourceFile, spans: &[Span]) -> Option<Excerpt> {
        let text = file.text();
        // A span may end inside a character (one bad byte of a file that is not UTF-8
        // became a three-byte replacement character): widen it to whole characters.
        let start = floor_char(text, spans.iter().map(|s| s.start).min()?.min(text.len()));
        let end = ceil_char(
            text,
            spans
                .iter()
                .map(|s| s.end)
                .max()?
                .min(text.len())
                .max(start),
        );
        let line_of = |offset: usize| text[..offset].rfind('\n').map_or(0, |i| i + 1);
        // One line of context either side.
        let mut from = line_of(start);
        if from > 0 {
            from = line_of(from - 1);
        }
        let mut to = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if to < text.len() {
            to = text[to + 1..].find('\n').map_or(text.len(), |i| to + 1 + i);
        }
        let (mut from, mut to) = (from, to);
        let longest = text[from..to].lines().map(str::len).max().unwrap_or(0);
        if longest > LONG_LINE {
            // Crop to the labelled range plus a margin, on its own line(s).
            let margin = LONG_LINE / 3;
            from = floor_char(text, start.saturating_sub(margin).max(line_of(start)));
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            to = floor_char(text, (end + margin).min(line_end));
        }
        let position = file.position(from);
        Some(Excerpt {
            name: file.path().display().to_string(),
            text: text[from..to].to_owned(),
            offset: from,
            line: position.line - 1,
            column: position.column - 1,
        })
    }

    /// `span` (file offsets) relative to the excerpt, if it lies inside it.
    fn local(&self, span: Span) -> Option<SourceSpan> {
        let start = floor_char(
            &self.text,
            span.start.checked_sub(self.offset)?.min(self.text.len()),
        );
        let end = ceil_char(
            &self.text,
            span.end.checked_sub(self.offset)?.min(self.text.len()),
        );
        (start <= self.text.len()).then(|| SourceSpan::new(start.into(), end.saturating_sub(start)))
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let column = if contents.line() == 0 {
            contents.column() + self.column
        } else {
            contents.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line() + self.line,
            column,
            contents.line_count(),
        )))
    }
}

/// A label in another file, shown as a related diagnostic.
#[derive(Debug)]
struct Related {
    message: String,
    excerpt: Excerpt,
    span: Span,
}

impl fmt::Display for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Related {}

impl Diagnostic for Related {
    fn severity(&self) -> Option<MietteSeverity> {
        Some(MietteSeverity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.excerpt.local(self.span)?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.message.clone()), span),
        )))
    }
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
    excerpt: Option<Excerpt>,
    related: Vec<Related>,
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
        self.excerpt.as_ref().map(|e| e as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt.as_ref()?;
        let primary = excerpt.local(self.finding.span?)?;
        let primary = LabeledSpan::new_primary_with_span(self.finding.label.clone(), primary);
        let secondary = self
            .finding
            .labels
            .iter()
            .filter(|label| label.file.is_none())
            .filter_map(|label| {
                Some(LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    excerpt.local(label.span)?,
                ))
            });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}
