//! The server's view of the workspace: the configuration, the note files on disk, the
//! open buffers that override them, and the findings in each.
//!
//! Every file is loaded once and kept. An edit re-loads only the file that changed and
//! checks it at once with the notes that bear on it (those that cite its definitions,
//! those its findings share a related place with), every other note taking part with
//! its definitions only: that is the edited file's fresh diagnostics, in milliseconds.
//! The whole workspace is then checked again off the edit's path (see [`Check`]), and
//! the files whose findings changed there are published again; once things settle the
//! findings are those of `notes-lint` on the folder.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use jiff::civil::Date;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};
use notes_core::{Document, Finding, Loaded, Severity};

use super::convert::{LineIndex, uri_of};
use super::ids::{self, Kind, Site};
use crate::config;
use crate::engine;
/// How the server was started.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The date staleness is judged against; the system date when `None`.
    pub today: Option<Date>,
    /// The configuration file; found from the workspace root upward when `None`.
    pub config: Option<PathBuf>,
}

type Exclusions = Box<dyn Fn(&Path) -> bool>;

/// The workspace and the findings in it.
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
    /// Every file that is linted, sorted by path, as last loaded.
    loaded: Vec<Arc<Loaded>>,
    /// The findings in each file, sorted.
    findings: HashMap<PathBuf, Vec<Finding>>,
    /// The files whose findings changed since diagnostics were last published.
    dirty: BTreeSet<PathBuf>,
    /// What was last published per file, so only changes are sent.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// The rule pages, `docs/rules/`, when the workspace or a folder above it has them.
    docs: Option<PathBuf>,
    /// The id sites of each file, found on first use after it was loaded.
    sites: RefCell<HashMap<PathBuf, Rc<[Site]>>>,
    /// Which files cite each id, kept up to date file by file; built on the first edit.
    citers: Option<Citers>,
    /// For each file, the other files that a finding in it (or in them) of a rule that
    /// compares claims names in a related place: the other copy of a duplicate claim,
    /// the conflicting figure.
    linked: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// The normalised texts of the claims that the rules comparing claims compare, by
    /// file and by text: a note that repeats a claim of another is checked with it.
    /// Worked out for an edited file at once, for the others by the next whole check.
    texts: Texts,
    /// Counts the changes to the files; a whole check of an older one is out of date.
    generation: u64,
    /// The generation the whole workspace was last checked at.
    settled: u64,
}

/// The files that cite each id, and the ids each file cites.
#[derive(Default)]
struct Citers {
    by_id: HashMap<(Kind, String), BTreeSet<PathBuf>>,
    by_file: HashMap<PathBuf, Vec<(Kind, String)>>,
}

impl Citers {
    /// Replaces what `path` cites with `sites` (none when the file is gone).
    fn update(&mut self, path: &Path, sites: &[Site]) {
        for key in self.by_file.remove(path).unwrap_or_default() {
            if let Some(files) = self.by_id.get_mut(&key) {
                files.remove(path);
                if files.is_empty() {
                    self.by_id.remove(&key);
                }
            }
        }
        let cited: BTreeSet<(Kind, String)> = sites
            .iter()
            .filter(|site| !site.definition)
            .map(|site| (site.kind, site.id.clone()))
            .collect();
        for key in &cited {
            self.by_id
                .entry(key.clone())
                .or_default()
                .insert(path.to_path_buf());
        }
        if !cited.is_empty() {
            self.by_file
                .insert(path.to_path_buf(), cited.into_iter().collect());
        }
    }
}

/// The normalised claim texts of each file, and the files each text is in.
#[derive(Default)]
struct Texts {
    by_file: HashMap<PathBuf, Vec<String>>,
    by_text: HashMap<String, BTreeSet<PathBuf>>,
}

impl Texts {
    /// Replaces the texts of `path` (none when the file is gone).
    fn update(&mut self, path: &Path, texts: Option<Vec<String>>) {
        for text in self.by_file.remove(path).unwrap_or_default() {
            if let Some(files) = self.by_text.get_mut(&text) {
                files.remove(path);
                if files.is_empty() {
                    self.by_text.remove(&text);
                }
            }
        }
        if let Some(texts) = texts {
            for text in &texts {
                self.by_text
                    .entry(text.clone())
                    .or_default()
                    .insert(path.to_path_buf());
            }
            self.by_file.insert(path.to_path_buf(), texts);
        }
    }
}

/// The normalised texts of the claims in `doc` that the rules comparing claims compare,
/// without repeats (the empty text, which those rules skip, left out). Resolving the
/// claims runs on the calling thread's pool: call it on the engine's or another with
/// stacks as large.
fn claim_texts(doc: &Document) -> Vec<String> {
    use crate::rules::claim_text::{compared_claims, normalise};
    let corpus = crate::corpus::Corpus::new([doc]);
    let mut texts: Vec<String> = compared_claims(&corpus)
        .into_iter()
        .map(|at| normalise(&corpus.notes[at.note].claims[at.claim].claim.text))
        .filter(|norm| !norm.is_empty())
        .collect();
    texts.sort_unstable();
    texts.dedup();
    texts
}

/// A check of the whole workspace as it was at one moment, to run on another thread.
pub struct Check {
    generation: u64,
    loaded: Vec<Arc<Loaded>>,
    options: engine::Options,
    /// The files whose claim texts are not known yet.
    untexted: Vec<Arc<Loaded>>,
}

/// The findings of a [`Check`].
pub struct Checked {
    generation: u64,
    findings: Vec<Finding>,
    texts: Vec<(PathBuf, Vec<String>)>,
}

impl Check {
    /// Runs the check on the threads of `threads` (the engine's own when `None`).
    pub fn run(self, threads: Option<&rayon::ThreadPool>) -> Checked {
        use rayon::prelude::*;
        let loaded: Vec<&Loaded> = self.loaded.iter().map(|l| &**l).collect();
        let findings = engine::check_files(&loaded, &self.options, threads, None);
        let texts = |untexted: &[Arc<Loaded>]| -> Vec<(PathBuf, Vec<String>)> {
            untexted
                .par_iter()
                .filter_map(|l| Some((l.path.clone(), claim_texts(l.document.as_ref()?))))
                .collect()
        };
        let texts = match threads.or(engine::pool()) {
            Some(threads) => threads.install(|| texts(&self.untexted)),
            None => texts(&self.untexted),
        };
        Checked {
            generation: self.generation,
            findings,
            texts,
        }
    }
}

/// At most this many notes that repeat a claim of an edited note are checked with it
/// at once; a text repeated in more waits for the next whole check.
const MAX_REPEATING: usize = 8;

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
            loaded: Vec::new(),
            findings: HashMap::new(),
            dirty: BTreeSet::new(),
            published: HashMap::new(),
            docs: None,
            sites: RefCell::default(),
            citers: None,
            linked: HashMap::new(),
            texts: Texts::default(),
            generation: 0,
            settled: 0,
        };
        workspace.rescan();
        workspace
    }

    /// The notes that loaded, in path order.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.loaded.iter().filter_map(|l| l.document.as_ref())
    }

    /// The options of the last lint.
    pub fn options(&self) -> &engine::Options {
        &self.options
    }

    /// The folder that is walked for notes: `notes/` under the root when it exists (as
    /// on the command line), else the root.
    pub fn notes_dir(&self) -> PathBuf {
        let notes = self.root.join("notes");
        if notes.is_dir() {
            notes
        } else {
            self.root.clone()
        }
    }

    /// The folder the editor opened.
    pub fn root(&self) -> &Path {
        &self.root
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

    /// Reads the configuration again, walks the notes folder again and lints every file
    /// as a whole, on this thread.
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
        self.citers = None;
        self.texts = Texts::default();
        let files: Vec<PathBuf> = self.files().into_iter().collect();
        let outcome = engine::run_with(&files, &self.options, &self.open);
        self.loaded = outcome.loaded.into_iter().map(Arc::new).collect();
        self.generation += 1;
        self.apply(Checked {
            generation: self.generation,
            findings: outcome.findings,
            texts: Vec::new(),
        });
    }

    /// Every file that is linted: the notes on disk and the open note buffers.
    fn files(&self) -> BTreeSet<PathBuf> {
        let mut files = self.disk_files.clone();
        files.extend(self.open.keys().cloned());
        files
    }

    /// Whether the file at `path` is one of the workspace's notes: a note file under
    /// the folder that is walked, not excluded by the configuration. Other files (a
    /// JSON schema, a build output) are neither linted when opened nor watched.
    pub fn covers(&self, path: &Path) -> bool {
        crate::discover::is_note_file(path)
            && path.starts_with(self.notes_dir())
            && !(self.excluded)(path)
    }

    /// Buffers were opened or edited: their text replaces the files'.
    pub fn set_buffers(&mut self, buffers: Vec<(PathBuf, String)>) {
        let paths: Vec<PathBuf> = buffers.iter().map(|(path, _)| path.clone()).collect();
        self.open.extend(buffers);
        self.reload(&paths);
    }

    /// A buffer was closed: the file on disk counts again (or nothing, if it is gone or
    /// outside the notes folder).
    pub fn close_buffer(&mut self, path: &Path) {
        if self.open.remove(path).is_some() {
            self.reload(&[path.to_path_buf()]);
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
            self.reload(changed);
        }
    }

    /// Whether every file's findings are those of a check of the whole workspace as it
    /// is now.
    pub fn is_settled(&self) -> bool {
        self.settled == self.generation
    }

    /// A check of the whole workspace as it is now, when the findings are not settled.
    pub fn whole_check(&self) -> Option<Check> {
        (!self.is_settled()).then(|| Check {
            generation: self.generation,
            loaded: self.loaded.clone(),
            options: self.options.clone(),
            untexted: self
                .loaded
                .iter()
                .filter(|l| l.document.is_some() && !self.texts.by_file.contains_key(&l.path))
                .cloned()
                .collect(),
        })
    }

    /// Takes the findings of a whole check, unless the files changed since it started
    /// (then it returns false and another check is due).
    pub fn apply(&mut self, checked: Checked) -> bool {
        if checked.generation != self.generation {
            return false;
        }
        let mut by_file = group(
            checked
                .findings
                .into_iter()
                .chain(self.refused.iter().cloned()),
        );
        for findings in by_file.values_mut() {
            engine::sort_findings(findings);
        }
        for (path, findings) in &by_file {
            if self.findings.get(path) != Some(findings) {
                self.dirty.insert(path.clone());
            }
        }
        for path in self.findings.keys() {
            if !by_file.contains_key(path) {
                self.dirty.insert(path.clone());
            }
        }
        self.linked.clear();
        for findings in by_file.values() {
            self.link(findings);
        }
        for (path, texts) in checked.texts {
            self.texts.update(&path, Some(texts));
        }
        self.findings = by_file;
        self.settled = self.generation;
        true
    }

    /// Records the files that each of `findings` names in a related place, for the
    /// rules that compare claims across notes (the others relate a place to a
    /// definition, which every check sees).
    fn link(&mut self, findings: &[Finding]) {
        for finding in findings {
            if !crate::rules::claim_text::READ_BY.contains(&finding.rule) {
                continue;
            }
            let Some(file) = &finding.file else { continue };
            for label in &finding.labels {
                if let Some(other) = &label.file
                    && other != file
                {
                    self.linked
                        .entry(file.clone())
                        .or_default()
                        .insert(other.clone());
                    self.linked
                        .entry(other.clone())
                        .or_default()
                        .insert(file.clone());
                }
            }
        }
    }

    /// Re-loads `changed` (from its buffer, or from disk) and checks it with the notes
    /// that bear on it; the rest waits for the next whole check.
    fn reload(&mut self, changed: &[PathBuf]) {
        let files = self.files();
        if self.citers.is_none() {
            // Built once, on the first edit: start-up does not wait for it.
            let mut citers = Citers::default();
            for loaded in &self.loaded {
                if let Some(doc) = &loaded.document {
                    citers.update(&loaded.path, &self.sites(doc));
                }
            }
            self.citers = Some(citers);
        }
        for path in changed {
            self.sites.borrow_mut().remove(path);
            let index = self.loaded.binary_search_by(|l| l.path.as_path().cmp(path));
            // A file deleted while it was open is gone once its buffer closes.
            let present = self.open.contains_key(path) || path.exists();
            let fresh = (files.contains(path) && present).then(|| Arc::new(self.load(path)));
            let sites = fresh
                .as_ref()
                .and_then(|l| l.document.as_ref())
                .map(|doc| self.sites(doc));
            if let Some(citers) = &mut self.citers {
                citers.update(path, sites.as_deref().unwrap_or_default());
            }
            let texts =
                fresh
                    .as_ref()
                    .and_then(|l| l.document.as_ref())
                    .map(|doc| match engine::pool() {
                        Some(pool) => pool.install(|| claim_texts(doc)),
                        None => claim_texts(doc),
                    });
            self.texts.update(path, texts);
            match (index, fresh) {
                (Ok(i), Some(fresh)) => self.loaded[i] = fresh,
                (Ok(i), None) => {
                    self.loaded.remove(i);
                }
                (Err(i), Some(fresh)) => self.loaded.insert(i, fresh),
                (Err(_), None) => {}
            }
        }
        self.generation += 1;
        self.options.today = today(self.settings.today);

        let focus = self.focus(changed);
        let loaded: Vec<&Loaded> = self.loaded.iter().map(|l| &**l).collect();
        let resolve = |doc: &Document| focus.contains(doc.file.path());
        let found = engine::check_files(&loaded, &self.options, None, Some(&resolve));
        let mut by_file = group(
            found
                .into_iter()
                .chain(self.refused.iter().cloned())
                .filter(|f| {
                    f.file
                        .as_deref()
                        .is_some_and(|file| changed.iter().any(|c| c == file))
                }),
        );
        for path in changed {
            self.dirty.insert(path.clone());
            match by_file.remove(path) {
                Some(mut findings) => {
                    engine::sort_findings(&mut findings);
                    self.link(&findings);
                    self.findings.insert(path.clone(), findings);
                }
                None => {
                    self.findings.remove(path);
                }
            }
        }
    }

    /// The files whose claims bear on the findings in `changed`, `changed` included:
    /// for each id they define, one file that cites it (enough to know it is used), the
    /// files their last findings share related places with, and the files that repeat
    /// one of their claims word for word (up to [`MAX_REPEATING`]).
    fn focus(&self, changed: &[PathBuf]) -> HashSet<PathBuf> {
        let mut focus: HashSet<PathBuf> = changed.iter().cloned().collect();
        for path in changed {
            if let Some(linked) = self.linked.get(path) {
                focus.extend(linked.iter().cloned());
            }
            let repeating: BTreeSet<&PathBuf> = self
                .texts
                .by_file
                .get(path)
                .into_iter()
                .flatten()
                .filter_map(|text| self.texts.by_text.get(text))
                .flatten()
                .filter(|file| !focus.contains(*file))
                .collect();
            if repeating.len() <= MAX_REPEATING {
                focus.extend(repeating.into_iter().cloned());
            }
            let Some(doc) = self.document(path) else {
                continue;
            };
            let Some(citers) = &self.citers else { continue };
            for site in self.sites(doc).iter().filter(|s| s.definition) {
                let Some(files) = citers.by_id.get(&(site.kind, site.id.clone())) else {
                    continue;
                };
                if !files.iter().any(|f| focus.contains(f))
                    && let Some(first) = files.first()
                {
                    focus.insert(first.clone());
                }
            }
        }
        focus
    }

    /// The note at `path`, as last loaded.
    fn document(&self, path: &Path) -> Option<&Document> {
        let index = self
            .loaded
            .binary_search_by(|l| l.path.as_path().cmp(path))
            .ok()?;
        self.loaded[index].document.as_ref()
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
        let dirty = std::mem::take(&mut self.dirty);
        let mut indexes: HashMap<PathBuf, LineIndex<'_>> = HashMap::new();
        let mut out = Vec::new();
        let mut fresh = Vec::new();
        for path in dirty {
            let findings = self
                .findings
                .get(&path)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let diagnostics: Vec<Diagnostic> = findings
                .iter()
                .map(|f| self.diagnostic(&path, f, &mut indexes))
                .collect();
            let before = self.published.get(&path);
            if before.map_or(diagnostics.is_empty(), |b| *b == diagnostics) {
                continue;
            }
            if let Some(uri) = uri_of(&path) {
                out.push((uri, diagnostics.clone()));
            }
            fresh.push((path, diagnostics));
        }
        drop(indexes);
        for (path, diagnostics) in fresh {
            if diagnostics.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, diagnostics);
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The protocol range of `span` in the file at `path`, as last loaded.
    pub fn range(&self, path: &Path, span: Option<notes_core::Span>) -> lsp_types::Range {
        match (self.text(path), span) {
            (Some(text), Some(span)) => LineIndex::new(text).range(span),
            _ => lsp_types::Range::default(),
        }
    }

    fn diagnostic<'a>(
        &'a self,
        file: &Path,
        finding: &Finding,
        indexes: &mut HashMap<PathBuf, LineIndex<'a>>,
    ) -> Diagnostic {
        let mut range_in = |path: &Path, span: notes_core::Span| {
            if !indexes.contains_key(path) {
                let Some(text) = self.text(path) else {
                    return lsp_types::Range::default();
                };
                indexes.insert(path.to_path_buf(), LineIndex::new(text));
            }
            indexes
                .get(path)
                .map(|index| index.range(span))
                .unwrap_or_default()
        };
        let range = finding.span.map(|s| range_in(file, s)).unwrap_or_default();
        let related: Vec<DiagnosticRelatedInformation> = finding
            .labels
            .iter()
            .filter_map(|label| {
                let path = label.file.as_deref().unwrap_or(file);
                let range = range_in(path, label.span);
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
        let index = self
            .loaded
            .binary_search_by(|l| l.path.as_path().cmp(path))
            .ok()?;
        self.loaded[index]
            .source()
            .map(notes_core::SourceFile::text)
    }

    /// The findings in the file at `path`.
    pub fn findings_in<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Finding> {
        self.findings.get(path).into_iter().flatten()
    }
}

/// `findings` by file (those about no file are left out: nothing can show them).
fn group(findings: impl Iterator<Item = Finding>) -> HashMap<PathBuf, Vec<Finding>> {
    let mut by_file: HashMap<PathBuf, Vec<Finding>> = HashMap::new();
    for finding in findings {
        if let Some(file) = finding.file.clone() {
            by_file.entry(file).or_default().push(finding);
        }
    }
    by_file
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
