//! The requests the server answers beyond diagnostics: hover, navigation, rename,
//! symbols, completion and code actions, all read from the last lint.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;

use lsp_server::ErrorCode;
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
    Rename, Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionOptions, CompletionParams, DocumentSymbol,
    DocumentSymbolParams, GotoDefinitionParams, Hover, HoverContents, HoverParams,
    HoverProviderCapability, Location, MarkupContent, MarkupKind, OneOf, ReferenceParams,
    RenameParams, ServerCapabilities, SymbolInformation, SymbolKind, TextDocumentPositionParams,
    TextEdit, Url, WorkspaceEdit, WorkspaceSymbolParams,
};
use notes_core::resolve::{AsOf, ResolvedClaim};
use notes_core::tree::Segment;
use notes_core::{Document, Finding, Span};
use serde_json::Value;

use super::convert::{LineIndex, path_of, uri_of};
use super::ids::{Kind, Site};
use super::workspace::Workspace;
use crate::corpus::{Corpus, NoteView};

/// A request's answer: its result, or an error code and message.
pub type Answer = Result<Value, (ErrorCode, String)>;

/// `base` with the features of this module added.
pub fn capabilities(base: ServerCapabilities) -> ServerCapabilities {
    ServerCapabilities {
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), " ".into(), ",".into(), ":".into()]),
            ..CompletionOptions::default()
        }),
        ..base
    }
}

fn params<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// Answers the request `method` with `params` on `workspace`.
pub fn answer(workspace: &Workspace, method: &str, raw: Value) -> Answer {
    let view = View::new(workspace);
    match method {
        HoverRequest::METHOD => {
            json(view.hover(&params::<HoverParams>(raw)?.text_document_position_params))
        }
        GotoDefinition::METHOD => {
            let p: GotoDefinitionParams = params(raw)?;
            json(view.definition(&p.text_document_position_params))
        }
        References::METHOD => {
            let p: ReferenceParams = params(raw)?;
            json(view.references(&p.text_document_position, p.context.include_declaration))
        }
        Rename::METHOD => {
            let p: RenameParams = params(raw)?;
            json(view.rename(&p.text_document_position, &p.new_name)?)
        }
        DocumentSymbolRequest::METHOD => {
            let p: DocumentSymbolParams = params(raw)?;
            json(view.document_symbols(&p.text_document.uri))
        }
        WorkspaceSymbolRequest::METHOD => {
            let p: WorkspaceSymbolParams = params(raw)?;
            json(view.workspace_symbols(&p.query))
        }
        CodeActionRequest::METHOD => {
            let p: CodeActionParams = params(raw)?;
            json(view.code_actions(&p))
        }
        Completion::METHOD => {
            let p: CompletionParams = params(raw)?;
            json(super::complete::complete(&view, &p.text_document_position))
        }
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("notes-lint does not handle `{method}`"),
        )),
    }
}

/// The last lint, indexed for one request.
pub struct View<'a> {
    /// The workspace.
    pub workspace: &'a Workspace,
    /// The notes that loaded and the definitions, without resolved claims (see
    /// `resolved` for one note's).
    pub corpus: Corpus<'a>,
    /// Each note's id sites, by note index.
    pub sites: Vec<Rc<[Site]>>,
}

/// `note` with its claims resolved.
fn resolved<'a>(note: &NoteView<'a>) -> NoteView<'a> {
    NoteView {
        doc: note.doc,
        claims: note.doc.claims(),
    }
}

impl<'a> View<'a> {
    fn new(workspace: &'a Workspace) -> Self {
        let corpus = Corpus::definitions(workspace.documents());
        let sites = corpus
            .notes
            .iter()
            .map(|n| workspace.sites(n.doc))
            .collect();
        View {
            workspace,
            corpus,
            sites,
        }
    }

    /// The note at `uri` and its index, if it loaded.
    pub fn note(&self, uri: &Url) -> Option<(usize, &NoteView<'a>)> {
        let path = path_of(uri)?;
        self.corpus
            .notes
            .iter()
            .enumerate()
            .find(|(_, n)| n.doc.file.path() == path)
    }

    /// The byte offset of a protocol position in a note.
    pub fn offset(doc: &Document, position: lsp_types::Position) -> usize {
        LineIndex::new(doc.file.text()).offset(position)
    }

    fn location(&self, note: usize, span: Span) -> Option<Location> {
        let doc = self.corpus.notes[note].doc;
        Some(Location::new(
            uri_of(doc.file.path())?,
            LineIndex::new(doc.file.text()).range(span),
        ))
    }

    /// The id site under the cursor.
    fn site_at(&self, at: &TextDocumentPositionParams) -> Option<&Site> {
        let (index, note) = self.note(&at.text_document.uri)?;
        let offset = Self::offset(note.doc, at.position);
        self.sites[index]
            .iter()
            .find(|s| s.span.start <= offset && offset <= s.span.end)
    }

    /// Every site of the id `site` names, across notes, with its note index.
    fn all_sites(&self, kind: Kind, id: &str) -> impl Iterator<Item = (usize, &Site)> {
        self.sites
            .iter()
            .enumerate()
            .flat_map(move |(note, sites)| {
                sites
                    .iter()
                    .filter(move |s| s.kind == kind && s.id == id)
                    .map(move |s| (note, s))
            })
    }

    fn definition(&self, at: &TextDocumentPositionParams) -> Vec<Location> {
        let Some(site) = self.site_at(at) else {
            return Vec::new();
        };
        self.all_sites(site.kind, &site.id)
            .filter(|(_, s)| s.definition)
            .filter_map(|(note, s)| self.location(note, s.span))
            .collect()
    }

    fn references(&self, at: &TextDocumentPositionParams, declaration: bool) -> Vec<Location> {
        let Some(site) = self.site_at(at) else {
            return Vec::new();
        };
        self.all_sites(site.kind, &site.id)
            .filter(|(_, s)| declaration || !s.definition)
            .filter_map(|(note, s)| self.location(note, s.span))
            .collect()
    }

    fn rename(
        &self,
        at: &TextDocumentPositionParams,
        new_name: &str,
    ) -> Result<Option<WorkspaceEdit>, (ErrorCode, String)> {
        let Some(site) = self.site_at(at) else {
            return Ok(None);
        };
        let valid = !new_name.is_empty()
            && new_name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !new_name.starts_with('-');
        if !valid {
            return Err((
                ErrorCode::InvalidParams,
                format!("`{new_name}` is not an id: use lowercase letters, digits and `-`"),
            ));
        }
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for (note, s) in self.all_sites(site.kind, &site.id) {
            if let Some(location) = self.location(note, s.span) {
                changes
                    .entry(location.uri)
                    .or_default()
                    .push(TextEdit::new(location.range, new_name.to_owned()));
            }
        }
        Ok(Some(WorkspaceEdit::new(changes)))
    }

    fn hover(&self, at: &TextDocumentPositionParams) -> Option<Hover> {
        let text = match self.site_at(at) {
            Some(site) => self.describe_id(site.kind, &site.id),
            None => {
                let (_, note) = self.note(&at.text_document.uri)?;
                let offset = Self::offset(note.doc, at.position);
                let (path, _) = note.doc.positions.path_at(offset);
                let note = resolved(note);
                let claim = (0..=path.len())
                    .rev()
                    .find_map(|depth| note.claim_at(&path[..depth]))?;
                self.describe_claim(&note, claim)
            }
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: None,
        })
    }

    /// An id's definition, rendered.
    pub fn describe_id(&self, kind: Kind, id: &str) -> String {
        let mut out = String::new();
        let _ = match kind {
            Kind::Source => match self.corpus.source(id) {
                Some(source) => {
                    let _ = writeln!(out, "**source** `{id}`: {}\n", source.title);
                    let _ = writeln!(out, "- type: {}", serde_name(&source.kind));
                    if !source.authors.is_empty() {
                        let _ = writeln!(out, "- authors: {}", source.authors.join(", "));
                    }
                    for (name, value) in [
                        ("venue", source.venue.clone()),
                        ("published", source.published.map(|d| d.to_string())),
                        ("url", source.url.clone()),
                        ("doi", source.doi.clone()),
                        ("arxiv", source.arxiv.clone()),
                        ("isbn", source.isbn.clone()),
                        ("accessed", source.accessed.map(|d| d.to_string())),
                    ] {
                        if let Some(value) = value {
                            let _ = writeln!(out, "- {name}: {value}");
                        }
                    }
                    Ok(())
                }
                None => writeln!(out, "source `{id}` is defined nowhere"),
            },
            Kind::Event => match self.corpus.event(id) {
                Some(event) => writeln!(out, "**event** `{id}`, {}: {}", event.date, event.title),
                None => writeln!(out, "event `{id}` is defined nowhere"),
            },
            Kind::Caveat => match self
                .corpus
                .caveats
                .get(id)
                .and_then(|defs| defs.first())
                .map(|d| d.value)
            {
                Some(caveat) => {
                    let _ = writeln!(out, "**caveat** `{id}`: {}", caveat.text);
                    if let Some(as_of) = caveat.as_of {
                        let _ = writeln!(out, "- as of {as_of}");
                    }
                    if let Some(event) = &caveat.before {
                        let _ = writeln!(out, "- written before {}", self.event_line(event));
                    }
                    if let Some(date) = caveat.review_by {
                        let _ = writeln!(out, "- review by {date}");
                    }
                    Ok(())
                }
                None => writeln!(out, "caveat `{id}` is defined nowhere"),
            },
        };
        let count = self
            .all_sites(kind, id)
            .filter(|(_, s)| !s.definition)
            .count();
        let _ = write!(
            out,
            "\n{count} reference{}",
            if count == 1 { "" } else { "s" }
        );
        out
    }

    fn event_line(&self, id: &str) -> String {
        match self.corpus.event(id) {
            Some(event) => format!("`{id}` ({}): {}", event.date, event.title),
            None => format!("`{id}` (defined nowhere)"),
        }
    }

    /// A claim with everything it has, own and inherited, and whether it is stale.
    fn describe_claim(&self, note: &NoteView<'_>, claim: &ResolvedClaim<'_>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "**{}** `{}` in `{}`\n\n> {}\n",
            serde_name(&claim.claim.kind),
            claim.name(),
            note.id(),
            claim.claim.text
        );
        let as_of = claim.as_of(&note.doc.note, |id| self.corpus.source(id));
        let _ = writeln!(
            out,
            "- as of: {}",
            match &as_of {
                Some(AsOf::Set(set)) if set.owner[..] == claim.path[..] => format!("{}", set.value),
                Some(AsOf::Set(set)) => format!("{} (inherited)", set.value),
                Some(AsOf::Published { date, source }) => {
                    format!("{date} (the publication of `{source}`)")
                }
                Some(AsOf::Written(written)) => {
                    format!("{} (when the note was written)", written.value)
                }
                None => "none".to_owned(),
            }
        );
        let _ = writeln!(
            out,
            "- reviewed: {}",
            claim
                .reviewed
                .as_ref()
                .map_or_else(|| "never".to_owned(), |r| r.value.to_string())
        );
        if let Some(shelf) = &claim.shelf_life {
            let _ = writeln!(out, "- shelf life: {}", shelf.value);
        }
        if !claim.sources.is_empty() {
            let _ = writeln!(out, "- sources:");
            for cited in claim.sources.iter() {
                let title = self
                    .corpus
                    .source(cited.value.id)
                    .map_or("(defined nowhere)", |s| s.title.as_str());
                let _ = write!(out, "  - `{}` {title}", cited.value.id);
                if let Some(locator) = cited.value.locator {
                    let _ = write!(out, ", {locator}");
                }
                out.push('\n');
            }
        }
        if !claim.caveats.is_empty() {
            let _ = writeln!(out, "- caveats:");
            for reference in claim.caveats.iter() {
                match self.corpus.caveat(reference.value) {
                    Some(caveat) => {
                        let _ = writeln!(out, "  - {}", caveat.text);
                    }
                    None => {
                        let _ = writeln!(out, "  - (a caveat defined nowhere)");
                    }
                }
            }
        }
        if !claim.sensitive_to.is_empty() {
            let _ = writeln!(out, "- sensitive to:");
            for event in claim.sensitive_to.iter() {
                let _ = writeln!(out, "  - {}", self.event_line(event.value));
            }
        }
        // Whether it is stale is what the rules said in the last lint: the finding on
        // the claim, or on the ancestor that a grouped finding is reported at.
        let dated: Vec<&Finding> = self
            .workspace
            .findings_in(note.doc.file.path())
            .filter(|f| matches!(f.rule, "stale-claim" | "overtaken-by-event"))
            .filter(|f| {
                f.scope
                    .as_deref()
                    .is_some_and(|scope| claim.path.starts_with(scope))
            })
            .collect();
        let today = self.workspace.options().today;
        if dated.is_empty() {
            let _ = writeln!(out, "\nnot stale or overtaken as of {today}");
        } else {
            for finding in dated {
                let _ = writeln!(out, "\n**{}**: {}", finding.rule, finding.message);
            }
        }
        out
    }

    fn document_symbols(&self, uri: &Url) -> Vec<DocumentSymbol> {
        let Some((_, note)) = self.note(uri) else {
            return Vec::new();
        };
        let note = &resolved(note);
        let index = LineIndex::new(note.doc.file.text());
        let mut sections = Vec::new();
        for (s, section) in note.doc.note.sections.iter().enumerate() {
            let path = [Segment::key("sections"), Segment::Index(s)];
            let claims: Vec<&ResolvedClaim<'_>> = note
                .claims
                .iter()
                .filter(|c| c.path.starts_with(&path))
                .collect();
            let children = symbol_tree(note, &index, &claims, None);
            sections.push(symbol(
                &section.title,
                None,
                SymbolKind::NAMESPACE,
                &index,
                note.span(&path),
                note.key_span(&[
                    Segment::key("sections"),
                    Segment::Index(s),
                    Segment::key("title"),
                ]),
                children,
            ));
        }
        sections
    }

    fn workspace_symbols(&self, query: &str) -> Vec<SymbolInformation> {
        const LIMIT: usize = 500;
        let query = query.to_lowercase();
        let matches = |text: &str| query.is_empty() || text.to_lowercase().contains(&query);
        let mut out = Vec::new();
        for (n, note) in self.corpus.notes.iter().enumerate() {
            for site in self.sites[n].iter().filter(|s| s.definition) {
                let detail = match site.kind {
                    Kind::Source => self.corpus.source(&site.id).map(|s| s.title.clone()),
                    Kind::Event => self.corpus.event(&site.id).map(|e| e.title.clone()),
                    Kind::Caveat => None,
                };
                let name = format!("{} {}", site.kind.name(), site.id);
                if matches(&name) || detail.as_deref().is_some_and(matches) {
                    let kind = match site.kind {
                        Kind::Source => SymbolKind::FILE,
                        Kind::Event => SymbolKind::EVENT,
                        Kind::Caveat => SymbolKind::STRING,
                    };
                    if let Some(location) = self.location(n, site.span) {
                        out.push(symbol_information(name, kind, location, detail));
                    }
                }
            }
            let note = resolved(note);
            for claim in &note.claims {
                let name = claim.name();
                if matches(&name) || matches(&claim.claim.text) {
                    let span = note.span(&NoteView::field_path(claim, "text"));
                    if let Some(location) = self.location(n, span) {
                        out.push(symbol_information(
                            truncate(&claim.claim.text, 80),
                            SymbolKind::STRING,
                            location,
                            Some(format!("{} {name}", note.id())),
                        ));
                    }
                }
            }
            if out.len() >= LIMIT {
                out.truncate(LIMIT);
                break;
            }
        }
        out
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(path) = path_of(&p.text_document.uri) else {
            return Vec::new();
        };
        let uri = &p.text_document.uri;
        let mut out = Vec::new();
        for finding in self.workspace.findings_in(&path) {
            let range = self.workspace.range(&path, finding.span);
            if range.end < p.range.start || p.range.end < range.start {
                continue;
            }
            let diagnostics = p
                .context
                .diagnostics
                .iter()
                .filter(|d| {
                    d.range == range
                        && d.code == Some(lsp_types::NumberOrString::String(finding.rule.into()))
                })
                .cloned()
                .collect::<Vec<_>>();
            if let Some(fix) = &finding.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| {
                        TextEdit::new(
                            self.workspace.range(&path, Some(e.span)),
                            e.replacement.clone(),
                        )
                    })
                    .collect();
                out.push(action(&fix.message, uri, edits, diagnostics.clone(), true));
            }
            if let Some(edits) = self.mark_reviewed(&path, finding) {
                let today = self.workspace.options().today;
                let title = format!("mark as reviewed today ({today})");
                out.push(action(&title, uri, edits, diagnostics.clone(), false));
            }
            if let Some(edit) = super::allow::allow_edit(self, &path, finding) {
                let title = format!("allow `{}` here (with a reason)", finding.rule);
                let edit = TextEdit::new(
                    self.workspace.range(&path, Some(Span::point(edit.0))),
                    edit.1,
                );
                out.push(action(&title, uri, vec![edit], diagnostics, false));
            }
        }
        out
    }

    /// For a stale or overtaken finding, the edit that records a review today where its
    /// cause is set (the `reviewed:` edit of `notes-lint review --mark`).
    fn mark_reviewed(&self, path: &Path, finding: &Finding) -> Option<Vec<TextEdit>> {
        finding.due.as_ref()?;
        if finding.rule == "forecast-due" {
            return None;
        }
        let note = self.note_at_path(path)?;
        let part = crate::review::part_at(note.doc, finding.scope.as_deref()?)?;
        let today = self.workspace.options().today;
        let edits =
            crate::review::mark::mark_reviewed(note.doc.file.text(), note.doc, &part, today)
                .ok()?;
        Some(
            edits
                .into_iter()
                .map(|e| TextEdit::new(self.workspace.range(path, Some(e.span)), e.replacement))
                .collect(),
        )
    }

    /// The note at `path`, if it loaded.
    pub fn note_at_path(&self, path: &Path) -> Option<&NoteView<'a>> {
        self.corpus.notes.iter().find(|n| n.doc.file.path() == path)
    }
}

fn action(
    title: &str,
    uri: &Url,
    edits: Vec<TextEdit>,
    diagnostics: Vec<lsp_types::Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_owned(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

/// The name serde gives a unit variant, such as `article` or `forecast`.
fn serde_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[allow(deprecated)]
fn symbol_information(
    name: String,
    kind: SymbolKind,
    location: Location,
    container: Option<String>,
) -> SymbolInformation {
    SymbolInformation {
        name,
        kind,
        tags: None,
        deprecated: None,
        location,
        container_name: container,
    }
}

#[allow(deprecated)]
fn symbol(
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    index: &LineIndex<'_>,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let range = index.range(span);
    let mut selection_range = index.range(selection);
    if selection_range.start < range.start || selection_range.end > range.end {
        selection_range = range;
    }
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "(empty)".to_owned()
        } else {
            truncate(name, 80)
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The claims among `claims` whose parent is `parent` (by index into the note's
/// claims), with their children, as symbols.
fn symbol_tree(
    note: &NoteView<'_>,
    index: &LineIndex<'_>,
    claims: &[&ResolvedClaim<'_>],
    parent: Option<usize>,
) -> Vec<DocumentSymbol> {
    let position = |claim: &ResolvedClaim<'_>| {
        note.claims
            .binary_search_by(|c| c.path[..].cmp(&claim.path[..]))
            .ok()
    };
    claims
        .iter()
        .filter(|c| c.parent == parent)
        .map(|claim| {
            let children = symbol_tree(note, index, claims, position(claim));
            symbol(
                &claim.claim.text,
                Some(claim.name()),
                SymbolKind::STRING,
                index,
                note.span(&claim.path),
                note.span(&NoteView::field_path(claim, "text")),
                children,
            )
        })
        .collect()
}
