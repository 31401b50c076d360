//! Findings: what every check reports, whatever the output format.

use std::path::PathBuf;

use crate::source_file::Span;
use crate::tree::Segment;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the run.
    Error,
    /// Fails the run only with `--deny-warnings`.
    Warning,
    /// Never fails the run.
    Info,
}

impl Severity {
    /// The severity's name in outputs and configuration.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A secondary place a finding points at, such as "defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The file the place is in; `None` means the finding's own file.
    pub file: Option<PathBuf>,
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One replacement of a byte range of the file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The bytes to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// A safe, mechanical fix for a finding: edits of its file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, such as "rename `sorces` to `sources`".
    pub message: String,
    /// The edits, which never overlap.
    pub edits: Vec<Edit>,
}

/// One problem found in the notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The id of the rule that found it, such as `schema`.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file it is in, if it is about a file.
    pub file: Option<PathBuf>,
    /// Where in the file; `None` for the file as a whole.
    pub span: Option<Span>,
    /// The text under the main span's label.
    pub label: Option<String>,
    /// Other places that explain it.
    pub labels: Vec<Label>,
    /// The id of the note it is about.
    pub note: Option<String>,
    /// The claim it is about: its id, or its position such as `2.3.1`.
    pub claim: Option<String>,
    /// The tree path of the note (`[]`), section or claim it is about; `allow`
    /// entries set there or on an ancestor can suppress it.
    pub scope: Option<Vec<Segment>>,
    /// A safe fix, when there is one.
    pub fix: Option<Fix>,
    /// For a finding that calls for a review (a stale or overtaken claim, a forecast
    /// past its date): since when, and which claims.
    pub due: Option<Due>,
}

/// What a finding that calls for a review is about: the review queue orders by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The first day the claims were due: the event's date, the day after their shelf
    /// life ran out, or the forecast's resolves date.
    pub since: jiff::civil::Date,
    /// The event that overtook the claims, for `overtaken-by-event`.
    pub event: Option<String>,
    /// The tree paths of the claims it covers, in document order.
    pub claims: Vec<Vec<Segment>>,
}

impl Finding {
    /// A finding of `rule` at `span` of `file`.
    pub fn new(
        rule: &'static str,
        severity: Severity,
        file: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            help: None,
            file: Some(file.into()),
            span,
            label: None,
            labels: Vec::new(),
            note: None,
            claim: None,
            scope: None,
            fix: None,
            due: None,
        }
    }

    /// Attaches a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Adds how to fix it.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the text under the main span.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary place in the same file.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file: None,
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the tree path of the note, section or claim it is about.
    #[must_use]
    pub fn in_scope(mut self, scope: &[Segment]) -> Self {
        self.scope = Some(scope.to_vec());
        self
    }

    /// Says since when which claims are due for a review.
    #[must_use]
    pub fn with_due(mut self, due: Due) -> Self {
        self.due = Some(due);
        self
    }

    /// Says which note (and claim) it is about.
    #[must_use]
    pub fn about(mut self, note: Option<String>, claim: Option<String>) -> Self {
        self.note = note;
        self.claim = claim;
        self
    }
}

impl Finding {
    /// The finding as one line, `path:line:col: severity[rule]: message`, with the
    /// position read from `source` (the start of the file when there is no span).
    pub fn short_line(&self, path: &str, source: Option<&crate::SourceFile>) -> String {
        let at = match (self.span, source) {
            (Some(span), Some(source)) => source.position(span.start),
            _ => crate::Position { line: 1, column: 1 },
        };
        format!(
            "{path}:{}:{}: {}[{}]: {}",
            at.line,
            at.column,
            self.severity.as_str(),
            self.rule,
            self.message
        )
    }
}

/// The id of the rule for files that are not valid YAML or JSON.
pub const SYNTAX: &str = "syntax";
/// The id of the rule for files that do not match the note schema.
pub const SCHEMA: &str = "schema";
