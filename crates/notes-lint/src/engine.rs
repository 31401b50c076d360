//! Running a lint: load every file in parallel, check the corpus with the enabled
//! rules, apply severities and suppressions, and sort.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use notes_core::model::Allow;
use notes_core::tree::Segment;
use notes_core::{Finding, Loaded, Severity};
use rayon::prelude::*;

use crate::config::{Config, Level};
use crate::corpus::Corpus;
use crate::rules::{self, Context, Rule, unused_suppression};

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date staleness is judged against.
    pub today: Date,
    /// The configuration.
    pub config: Config,
    /// Only these rules run, when given (`--select`).
    pub select: Option<BTreeSet<String>>,
    /// These rules do not run (`--ignore`).
    pub ignore: BTreeSet<String>,
}

impl Options {
    /// Whether the `pedantic` group is on: selected (`--select pedantic`) or set in the
    /// configuration, and not ignored (`--ignore pedantic`).
    pub fn pedantic(&self) -> bool {
        !self.ignore.contains(rules::PEDANTIC)
            && (self.config.pedantic
                || self
                    .select
                    .as_ref()
                    .is_some_and(|select| select.contains(rules::PEDANTIC)))
    }
}

/// What a run found.
#[derive(Debug)]
pub struct Outcome {
    /// Every file, in path order, as loaded.
    pub loaded: Vec<Loaded>,
    /// Every finding, sorted by file, line, column and rule.
    pub findings: Vec<Finding>,
}

/// Counts for the summary line and the JSON summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Files that loaded as notes.
    pub notes: usize,
    /// Claims in those notes, nested ones included.
    pub claims: usize,
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
}

/// The worker threads that parse files. Parsing recurses once per nesting level, up to
/// the loader's depth limit; rayon's default 2 MiB stacks are too small for that in
/// unoptimised builds, so the workers get the main thread's 8 MiB and then some.
pub(crate) fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(16 * 1024 * 1024)
            .thread_name(|i| format!("notes-lint-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Whether `rule` runs under `options`.
pub fn enabled(rule: &dyn Rule, options: &Options) -> bool {
    let meta = rule.meta();
    if meta.id == notes_core::finding::SYNTAX || meta.id == notes_core::finding::SCHEMA {
        return true;
    }
    if options.ignore.contains(meta.id) {
        return false;
    }
    if let Some(select) = &options.select
        && !select.contains(meta.id)
        && !(select.contains(rules::PEDANTIC)
            && !options.ignore.contains(rules::PEDANTIC)
            && rules::pedantic_mode(meta.id).is_some())
    {
        return false;
    }
    options.config.rules.get(meta.id) != Some(&Level::Off)
}

/// Loads `files` (in parallel; the result does not depend on scheduling) and checks them.
pub fn run(files: &[PathBuf], options: &Options) -> Outcome {
    run_with(files, options, &HashMap::new())
}

/// Like [`run`], but takes the text of the files in `overlay` from there instead of
/// the disk (used to apply fixes in memory until nothing is left to fix).
pub fn run_with(
    files: &[PathBuf],
    options: &Options,
    overlay: &HashMap<PathBuf, String>,
) -> Outcome {
    match pool() {
        Some(pool) => run_in(pool, files, options, overlay),
        None => lint(files, options, overlay),
    }
}

/// Like [`run_with`], with loading and rules on the threads of `pool` (whose stacks
/// must be large enough for the loader's nesting limit; see `pool()`). The outcome
/// does not depend on the pool's size, nor on the order of `files`.
pub fn run_in(
    pool: &rayon::ThreadPool,
    files: &[PathBuf],
    options: &Options,
    overlay: &HashMap<PathBuf, String>,
) -> Outcome {
    pool.install(|| lint(files, options, overlay))
}

fn lint(files: &[PathBuf], options: &Options, overlay: &HashMap<PathBuf, String>) -> Outcome {
    // Sorted, so the corpus (and whichever definition comes first) and the binary
    // search in `Outcome::source` do not depend on the order the caller gave.
    let mut files = files.to_vec();
    files.sort();
    files.dedup();
    let loaded: Vec<Loaded> = files
        .par_iter()
        .map(|path| match overlay.get(path) {
            Some(text) => notes_core::load_bytes(path, text.as_bytes()),
            None => notes_core::load_path(path),
        })
        .collect();
    finish(loaded, options)
}

/// Checks files that are already loaded (sorted by path, without duplicates), on the
/// threads of `threads` (the engine's own when `None`): the rules, severities and
/// suppressions, sorted. A language server keeps the loaded files and re-loads only the
/// ones that changed before calling this.
///
/// With `resolve`, only the notes it accepts have their claims resolved; the others
/// take part with their definitions and note-level fields alone (see
/// [`Corpus::focused`]). The findings in the accepted notes are then those of a whole
/// check, provided the notes whose claims bear on them (citing their definitions,
/// repeating their claims) are accepted too; findings elsewhere are to be discarded.
pub fn check_files(
    loaded: &[&Loaded],
    options: &Options,
    threads: Option<&rayon::ThreadPool>,
    resolve: Option<&(dyn Fn(&notes_core::Document) -> bool + Sync)>,
) -> Vec<Finding> {
    match threads.or(pool()) {
        Some(pool) => pool.install(|| findings(loaded, options, resolve)),
        None => findings(loaded, options, resolve),
    }
}

fn finish(loaded: Vec<Loaded>, options: &Options) -> Outcome {
    let refs: Vec<&Loaded> = loaded.iter().collect();
    let findings = findings(&refs, options, None);
    Outcome { loaded, findings }
}

fn findings(
    loaded: &[&Loaded],
    options: &Options,
    resolve: Option<&(dyn Fn(&notes_core::Document) -> bool + Sync)>,
) -> Vec<Finding> {
    // The rules' findings are the many: the loader's go in front of them, without
    // copying the rules' list when there are none.
    let mut findings = check(loaded, options, resolve);
    let load_findings: Vec<Finding> = loaded
        .iter()
        .flat_map(|l| l.findings.iter().cloned())
        .collect();
    if !load_findings.is_empty() {
        findings.splice(0..0, load_findings);
    }
    for finding in &mut findings {
        if let Some(level) = options.config.rules.get(finding.rule) {
            finding.severity = match level {
                Level::Error | Level::Off => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info => Severity::Info,
            };
        }
    }
    sort_findings(&mut findings);
    findings
}

/// Runs the enabled rules on the notes that loaded and applies suppressions.
fn check(
    loaded: &[&Loaded],
    options: &Options,
    resolve: Option<&(dyn Fn(&notes_core::Document) -> bool + Sync)>,
) -> Vec<Finding> {
    let documents = loaded.iter().filter_map(|l| l.document.as_ref());
    let mut corpus = match resolve {
        Some(resolve) => Corpus::focused(documents, resolve),
        None => Corpus::new(documents),
    };
    // The configuration as the command line amends it (`--select pedantic`).
    let amended;
    let config = if options.pedantic() == options.config.pedantic {
        &options.config
    } else {
        amended = Config {
            pedantic: options.pedantic(),
            ..options.config.clone()
        };
        &amended
    };
    let cx = Context {
        today: options.today,
        config,
    };
    let enabled_rules: Vec<&dyn Rule> = rules::REGISTRY
        .iter()
        .copied()
        .filter(|rule| enabled(*rule, options))
        .collect();
    let run = |rules: &[&dyn Rule], corpus: &Corpus<'_>, findings: &mut Vec<Finding>| {
        findings.par_extend(rules.par_iter().flat_map_iter(|rule| {
            let mut out = Vec::new();
            rule.check(corpus, &cx, &mut out);
            out
        }));
    };
    // The rules that compare claim texts run first, side by side, and the shared texts
    // are dropped before the others run: the texts, and the working memory of
    // `duplicate-claim`, are then never held at once with the other rules' own.
    let (text_rules, other_rules): (Vec<&dyn Rule>, Vec<&dyn Rule>) = enabled_rules
        .iter()
        .partition(|rule| rules::claim_text::READ_BY.contains(&rule.meta().id));
    let mut findings = Vec::new();
    if !text_rules.is_empty() {
        // Before the rules run in parallel: a rule waiting for another's work could
        // end up running that work itself, inside its own.
        corpus.texts();
        run(&text_rules, &corpus, &mut findings);
        corpus.forget_texts();
    }
    run(&other_rules, &corpus, &mut findings);
    let report_unused = enabled(&unused_suppression::UnusedSuppression, options);
    let enabled_ids: BTreeSet<&str> = enabled_rules.iter().map(|r| r.meta().id).collect();
    suppress(
        &corpus,
        findings,
        options.today,
        report_unused.then_some(&enabled_ids),
    )
}

/// A note's `allow` entries by rule, then by owner path: indexes into its sites.
type SiteIndex<'a> = HashMap<&'a str, HashMap<Vec<Segment>, Vec<usize>>>;

/// One `allow` entry and where it is.
struct Site<'a> {
    owner: Vec<Segment>,
    index: usize,
    allow: &'a Allow,
    used: bool,
}

fn sites<'a>(view: &crate::corpus::NoteView<'a>) -> Vec<Site<'a>> {
    let note = &view.doc.note;
    let mut out = Vec::new();
    let mut push = |owner: Vec<Segment>, allows: &'a [Allow]| {
        for (index, allow) in allows.iter().enumerate() {
            out.push(Site {
                owner: owner.clone(),
                index,
                allow,
                used: false,
            });
        }
    };
    push(Vec::new(), &note.allow);
    for (s, section) in note.sections.iter().enumerate() {
        push(
            vec![Segment::key("sections"), Segment::Index(s)],
            &section.allow,
        );
    }
    for claim in &view.claims {
        push(claim.path.to_vec(), &claim.claim.allow);
    }
    out
}

/// Drops the findings an active `allow` covers; marks expired ones in the message;
/// reports the `allow` entries that covered nothing.
fn suppress(
    corpus: &Corpus<'_>,
    findings: Vec<Finding>,
    today: Date,
    report_unused: Option<&BTreeSet<&str>>,
) -> Vec<Finding> {
    let by_file: HashMap<&Path, usize> = corpus
        .notes
        .iter()
        .enumerate()
        .map(|(i, view)| (view.doc.file.path(), i))
        .collect();
    let mut note_sites: Vec<Vec<Site<'_>>> = corpus.notes.iter().map(sites).collect();
    // Per note: rule -> owner path -> indexes of its sites, so a finding looks up the
    // prefixes of its scope (as deep as the nesting) instead of scanning every site.
    let site_index: Vec<SiteIndex<'_>> = note_sites
        .iter()
        .map(|sites| {
            let mut index = SiteIndex::new();
            for (i, site) in sites.iter().enumerate() {
                index
                    .entry(site.allow.rule.as_str())
                    .or_default()
                    .entry(site.owner.clone())
                    .or_default()
                    .push(i);
            }
            index
        })
        .collect();
    // Filtered in place: no second list of every finding.
    let mut kept = findings;
    kept.retain_mut(|finding| {
        let suppressible = rules::by_id(finding.rule).is_none_or(|r| r.meta().suppressible);
        let note = finding
            .file
            .as_deref()
            .and_then(|file| by_file.get(file))
            .copied();
        let (Some(note), Some(scope), true) = (note, finding.scope.as_ref(), suppressible) else {
            return true;
        };
        let mut active = false;
        let mut expired: Option<notes_core::PartialDate> = None;
        let Some(by_owner) = site_index[note].get(finding.rule) else {
            return true;
        };
        let matching = (0..=scope.len())
            .filter_map(|depth| by_owner.get(&scope[..depth]))
            .flatten();
        for &i in matching {
            let site = &mut note_sites[note][i];
            site.used = true;
            match site.allow.until {
                Some(until) if today > until.first_day() => {
                    expired = Some(expired.map_or(until, |e| e.max(until)));
                }
                _ => active = true,
            }
        }
        if active {
            return false;
        }
        if let Some(until) = expired {
            finding.message = format!("{} (its suppression expired on {until})", finding.message);
            finding.help = Some(match finding.help.take() {
                Some(help) => format!("{help}; or renew the `allow` entry's `until` date"),
                None => "fix it, or renew the `allow` entry's `until` date".to_owned(),
            });
        }
        true
    });
    if let Some(enabled_ids) = report_unused {
        for (note, sites) in note_sites.iter().enumerate() {
            let view = &corpus.notes[note];
            // An allow for a rule that did not run this time may well be needed.
            let ran = |rule: &str| rules::by_id(rule).is_none() || enabled_ids.contains(rule);
            for site in sites.iter().filter(|s| !s.used && ran(&s.allow.rule)) {
                let mut path = site.owner.clone();
                path.extend([Segment::key("allow"), Segment::Index(site.index)]);
                let rule = &site.allow.rule;
                let (message, help) = match rules::by_id(rule) {
                    Some(r) if !r.meta().suppressible => (
                        format!("`{rule}` findings cannot be suppressed"),
                        "delete this entry and fix the file".to_owned(),
                    ),
                    Some(_) => (
                        format!("`{rule}` would not fire here: this suppression is unused"),
                        "delete this entry".to_owned(),
                    ),
                    None => (
                        format!("there is no rule `{rule}`: this suppression is unused"),
                        match notes_core::suggest::did_you_mean(rule, rules::ids()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => "`notes-lint --list-rules` lists the rules".to_owned(),
                        },
                    ),
                };
                let mut finding = view
                    .finding(
                        unused_suppression::META.id,
                        unused_suppression::META.default_severity,
                        &path,
                        &site.owner,
                        message,
                    )
                    .with_label("unused")
                    .with_help(help);
                let all_unused = site_index[note]
                    .values()
                    .filter_map(|by_owner| by_owner.get(&site.owner))
                    .flatten()
                    .all(|&i| !sites[i].used);
                finding.fix = delete_allow_fix(view, site, all_unused);
                kept.push(finding);
            }
        }
    }
    kept
}

/// Deletes an unused `allow` entry: the whole `allow:` key when every entry of its list
/// is unused (an empty `allow:` would not be valid), else the one list item. Only whole
/// lines are deleted; entries that share a line with others are left for a human.
fn delete_allow_fix(
    view: &crate::corpus::NoteView<'_>,
    site: &Site<'_>,
    all_unused: bool,
) -> Option<notes_core::Fix> {
    let text = view.doc.file.text();
    let mut allow_path = site.owner.clone();
    allow_path.push(Segment::key("allow"));
    let (span, deleted) = if all_unused {
        let lines = crate::fix::block_entry_lines(text, view.key_span(&allow_path).start)?;
        (lines, view.span(&allow_path))
    } else {
        let mut item = allow_path.clone();
        item.push(Segment::Index(site.index));
        let lines = crate::fix::block_item_lines(text, view.span(&item).start)?;
        (lines, view.span(&item))
    };
    // The indented lines must hold the whole value: a flow list broken over lines at a
    // shallower indentation runs on past them, and deleting part of it breaks the file.
    if span.end < deleted.end {
        return None;
    }
    Some(notes_core::Fix {
        message: format!("delete the unused `allow` entry for `{}`", site.allow.rule),
        edits: vec![notes_core::Edit {
            span,
            replacement: String::new(),
        }],
    })
}

/// Sorts findings by file, line, column (byte offset), then rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.span.map(|s| s.start).cmp(&b.span.map(|s| s.start)))
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
}

impl Outcome {
    /// The text of the file at `path`, if it was read. Files are sorted by path, so
    /// this is a binary search.
    pub fn source(&self, path: &Path) -> Option<&notes_core::SourceFile> {
        let index = self
            .loaded
            .binary_search_by(|l| l.path.as_path().cmp(path))
            .ok()?;
        self.loaded[index].source()
    }

    /// The counts of this run.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.loaded.len(),
            ..Summary::default()
        };
        for loaded in &self.loaded {
            if let Some(document) = &loaded.document {
                summary.notes += 1;
                summary.claims += count_claims(&document.note);
            }
        }
        for finding in &self.findings {
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

fn count_claims(note: &notes_core::model::Note) -> usize {
    fn count(claims: &[notes_core::model::Claim]) -> usize {
        claims.iter().map(|c| 1 + count(&c.children)).sum()
    }
    note.sections.iter().map(|s| count(&s.claims)).sum()
}
