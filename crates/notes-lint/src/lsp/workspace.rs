//! The server's view of the workspace: the configuration, the note files on disk, the
//! open buffers that override them, and the last lint of all of them.
//!
//! Every file is loaded once; an edit re-loads only the file that changed and then runs
//! the rules (which compare notes with each other) on the whole corpus again.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use jiff::civil::Date;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};
use notes_core::{Document, Finding, Loaded, Severity};

use super::convert::{LineIndex, uri_of};
use super::ids::{self, Site};
use crate::config;
use crate::engine::{self, Outcome};

/// How the server was started.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The date staleness is judged against; the system date when `None`.
    pub today: Option<Date>,
    /// The configuration file; found from the workspace root upward when `None`.
    pub config: Option<PathBuf>,
}

type Exclusions = Box<dyn Fn(&Path) -> bool>;

/// The workspace and its last lint.
pub struct Workspace {
    root: PathBuf,
    settings: Settings,
    /// The configuration file in use, if any.
    pub config_path: Option<PathBuf>,
    /// Why the configuration could not be used, if it could not (the defaults apply).
    pub config_error: Option<String>,
    options: engine::Options,
    excluded: Exclusions,
    /// The note files found under the workspace's notes folder.
    disk_files: BTreeSet<PathBuf>,
    /// Findings for links that leave the workspace (never followed).
    refused: Vec<Finding>,
    /// Open buffers of note files, by path.
    open: HashMap<PathBuf, String>,
    /// The last lint.
    outcome: Outcome,
    /// What was last published per file, so only changes are sent.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// The rule pages, `docs/rules/`, when the workspace or a folder above it has them.
    docs: Option<PathBuf>,
    /// Whether the findings changed since diagnostics were last published.
    unpublished: bool,
    /// The id sites of each file, found on the first request after it was loaded.
    sites: RefCell<HashMap<PathBuf, Rc<[Site]>>>,
}

impl Workspace {
    /// The workspace at `root`, scanned and linted.
    pub fn new(root: PathBuf, settings: Settings) -> Self {
        let mut workspace = Workspace {
            root,
            settings,
            config_path: None,
            config_error: None,
            options: options(config::Config::default(), None),
            excluded: Box::new(|_| false),
            disk_files: BTreeSet::new(),
            refused: Vec::new(),
            open: HashMap::new(),
            outcome: Outcome {
                loaded: Vec::new(),
                findings: Vec::new(),
            },
            published: HashMap::new(),
            docs: None,
            sites: RefCell::default(),
            unpublished: true,
        };
        workspace.rescan();
        workspace
    }

    /// The last lint.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// The options of the last lint.
    pub fn options(&self) -> &engine::Options {
        &self.options
    }

    /// The folder that is walked for notes: `notes/` under the root when it exists (as
    /// on the command line), else the root.
    fn notes_dir(&self) -> PathBuf {
        let notes = self.root.join("notes");
        if notes.is_dir() {
            notes
        } else {
            self.root.clone()
        }
    }

    /// Whether `path` is the configuration file in use or one that would be found.
    pub fn is_config(&self, path: &Path) -> bool {
        self.config_path.as_deref() == Some(path)
            || (self.settings.config.is_none()
                && path.file_name().is_some_and(|n| n == config::FILE_NAME)
                && self
                    .root
                    .starts_with(path.parent().unwrap_or(Path::new(""))))
    }

    /// Reads the configuration again, walks the notes folder again and re-lints every file.
    pub fn rescan(&mut self) {
        let config_path = match &self.settings.config {
            Some(path) => Some(path.clone()),
            None => config::discover(&self.root),
        };
        let loaded_config = match &config_path {
            Some(path) => match config::read(path) {
                Ok(loaded) => {
                    self.config_error = None;
                    loaded
                }
                Err(e) => {
                    self.config_error = Some(format!(
                        "{}: {}; the default configuration applies until it is fixed",
                        e.path.display(),
                        e.message
                    ));
                    config::Loaded::default()
                }
            },
            None => {
                self.config_error = None;
                config::Loaded::default()
            }
        };
        self.config_path = config_path;
        self.docs = self
            .root
            .ancestors()
            .map(|dir| dir.join("docs/rules"))
            .find(|dir| dir.join("README.md").is_file());
        self.excluded = match crate::cli::exclusions(&loaded_config) {
            Ok(excluded) => Box::new(excluded),
            Err(message) => {
                self.config_error = Some(message);
                Box::new(|_| false)
            }
        };
        self.options = options(loaded_config.config, self.settings.today);
        let discovered = crate::discover::discover(&[self.notes_dir()]).unwrap_or_default();
        self.disk_files = discovered
            .files
            .into_iter()
            .filter(|file| !(self.excluded)(file))
            .collect();
        self.refused = discovered
            .refused
            .into_iter()
            .filter(|f| f.file.as_deref().is_none_or(|file| !(self.excluded)(file)))
            .collect();
        self.sites.borrow_mut().clear();
        let files: Vec<PathBuf> = self.files().into_iter().collect();
        self.options.today = today(self.settings.today);
        let outcome = engine::run_with(&files, &self.options, &self.open);
        self.finish(outcome);
    }

    /// Every file that is linted: the notes on disk and the open note buffers.
    fn files(&self) -> BTreeSet<PathBuf> {
        let mut files = self.disk_files.clone();
        files.extend(self.open.keys().cloned());
        files
    }

    fn finish(&mut self, mut outcome: Outcome) {
        outcome.findings.extend(self.refused.iter().cloned());
        engine::sort_findings(&mut outcome.findings);
        self.outcome = outcome;
        self.unpublished = true;
    }

    /// Whether the file at `path` is one of the workspace's notes: a note file under
    /// the folder that is walked, not excluded by the configuration. Other files (a
    /// JSON schema, a build output) are neither linted when opened nor watched.
    pub fn covers(&self, path: &Path) -> bool {
        crate::discover::is_note_file(path)
            && path.starts_with(self.notes_dir())
            && !(self.excluded)(path)
    }

    /// A buffer was opened or edited: its text replaces the file's.
    pub fn set_buffer(&mut self, path: PathBuf, text: String) {
        self.open.insert(path.clone(), text);
        self.relint(&[path]);
    }

    /// A buffer was closed: the file on disk counts again (or nothing, if it is gone or
    /// outside the notes folder).
    pub fn close_buffer(&mut self, path: &Path) {
        if self.open.remove(path).is_some() {
            self.relint(&[path.to_path_buf()]);
        }
    }

    /// Whether `path` is an open buffer.
    pub fn is_open(&self, path: &Path) -> bool {
        self.open.contains_key(path)
    }

    /// Files changed on disk: re-load them (a created or deleted file changes the set
    /// of files, so the folder is walked again).
    pub fn disk_changed(&mut self, changed: &[PathBuf], created_or_deleted: bool) {
        if created_or_deleted {
            self.rescan();
        } else {
            self.relint(changed);
        }
    }

    /// Re-loads `changed` (from its buffer, or from disk) and runs the rules again.
    fn relint(&mut self, changed: &[PathBuf]) {
        let files = self.files();
        let mut loaded = std::mem::take(&mut self.outcome.loaded);
        for path in changed {
            self.sites.borrow_mut().remove(path);
            let index = loaded.binary_search_by(|l| l.path.as_path().cmp(path));
            // A file deleted while it was open is gone once its buffer closes.
            let present = self.open.contains_key(path) || path.exists();
            let fresh = (files.contains(path) && present).then(|| self.load(path));
            match (index, fresh) {
                (Ok(i), Some(fresh)) => loaded[i] = fresh,
                (Ok(i), None) => {
                    loaded.remove(i);
                }
                (Err(i), Some(fresh)) => loaded.insert(i, fresh),
                (Err(_), None) => {}
            }
        }
        self.options.today = today(self.settings.today);
        let outcome = engine::check_loaded(loaded, &self.options);
        self.finish(outcome);
    }

    fn load(&self, path: &Path) -> Loaded {
        match self.open.get(path) {
            Some(text) => notes_core::load_bytes(path, text.as_bytes()),
            None => notes_core::load_path(path),
        }
    }

    /// The diagnostics of every file whose set changed since the last call (an empty
    /// list clears a file's diagnostics).
    pub fn diagnostics_to_publish(&mut self) -> Vec<(Url, Vec<Diagnostic>)> {
        if !std::mem::take(&mut self.unpublished) {
            return Vec::new();
        }
        let mut by_file: BTreeMap<&Path, Vec<&Finding>> = BTreeMap::new();
        for finding in &self.outcome.findings {
            if let Some(file) = &finding.file {
                by_file.entry(file).or_default().push(finding);
            }
        }
        let mut current: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for (file, findings) in by_file {
            let text = self.text(file).unwrap_or_default();
            let index = LineIndex::new(text);
            let diagnostics = findings
                .into_iter()
                .map(|f| self.diagnostic(file, &index, f))
                .collect();
            current.insert(file.to_path_buf(), diagnostics);
        }
        let mut out = Vec::new();
        for (path, diagnostics) in &current {
            if self.published.get(path) != Some(diagnostics)
                && let Some(uri) = uri_of(path)
            {
                out.push((uri, diagnostics.clone()));
            }
        }
        for path in self.published.keys() {
            if !current.contains_key(path)
                && let Some(uri) = uri_of(path)
            {
                out.push((uri, Vec::new()));
            }
        }
        self.published = current;
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The protocol range of `span` in the file at `path`, as last loaded.
    pub fn range(&self, path: &Path, span: Option<notes_core::Span>) -> lsp_types::Range {
        match (self.outcome.source(path), span) {
            (Some(source), Some(span)) => LineIndex::new(source.text()).range(span),
            _ => lsp_types::Range::default(),
        }
    }

    fn diagnostic(&self, file: &Path, index: &LineIndex<'_>, finding: &Finding) -> Diagnostic {
        let range = finding.span.map(|s| index.range(s)).unwrap_or_default();
        let related: Vec<DiagnosticRelatedInformation> = finding
            .labels
            .iter()
            .filter_map(|label| {
                let path = label.file.as_deref().unwrap_or(file);
                let range = if path == file {
                    index.range(label.span)
                } else {
                    self.range(path, Some(label.span))
                };
                Some(DiagnosticRelatedInformation {
                    location: Location::new(uri_of(path)?, range),
                    message: label.message.clone(),
                })
            })
            .collect();
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        Diagnostic {
            range,
            severity: Some(match finding.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(finding.rule.to_owned())),
            code_description: self.docs.as_ref().and_then(|docs| {
                Some(CodeDescription {
                    href: uri_of(&docs.join(format!("{}.md", finding.rule)))?,
                })
            }),
            source: Some("notes-lint".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    /// The id definitions and references in `doc`, as last loaded.
    pub fn sites(&self, doc: &Document) -> Rc<[Site]> {
        let path = doc.file.path();
        if let Some(sites) = self.sites.borrow().get(path) {
            return Rc::clone(sites);
        }
        let sites: Rc<[Site]> = ids::sites(doc).into();
        self.sites
            .borrow_mut()
            .insert(path.to_path_buf(), Rc::clone(&sites));
        sites
    }

    /// The text of the file at `path` as last loaded (its buffer, or the disk).
    pub fn text(&self, path: &Path) -> Option<&str> {
        self.outcome.source(path).map(notes_core::SourceFile::text)
    }

    /// The findings of the last lint in the file at `path`.
    pub fn findings_in<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Finding> {
        self.outcome
            .findings
            .iter()
            .filter(move |f| f.file.as_deref() == Some(path))
    }
}

fn today(fixed: Option<Date>) -> Date {
    fixed.unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

fn options(config: config::Config, fixed_today: Option<Date>) -> engine::Options {
    engine::Options {
        today: today(fixed_today),
        config,
        select: None,
        ignore: BTreeSet::new(),
    }
}
