//! `cargo xtask lintcheck DIR...`: the linter on notes nobody here wrote, as clippy's
//! lintcheck runs clippy on real crates.
//!
//! Each folder is read as it is (when it holds note files) or imported first with a
//! folder import (when it holds more Markdown than notes), then linted with the default configuration. The command writes
//! `target/lintcheck/report.md`: the findings per rule and corpus, and a random sample
//! of each rule's findings with the claim and its neighbours, ready to label. Labels go
//! in `tests/lintcheck/labels.txt`, one per line (`KEY true|false why`); with them the
//! report gives each rule's precision. The counts and the precision (no text of the
//! corpora) are written to `tests/lintcheck/counts.md`; both files are committed so
//! that a change's effect on real notes shows in review.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::Date;
use notes_core::Finding;
use notes_core::tree::Segment;
use notes_lint::engine::{self, Outcome};

/// Options of `cargo xtask lintcheck`.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Folders of notes, or of Markdown notes to import first.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The date to judge staleness against. Default: the date of the committed counts,
    /// so that a re-run compares like with like; else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<Date>,
    /// How many findings of each rule to sample for labelling.
    #[arg(long, default_value_t = 30)]
    pub sample: usize,
    /// The seed of the sample; the same seed, corpora and findings give the same sample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the report, the imported notes and the labels live, relative to the root.
    #[arg(long, value_name = "DIR", default_value = "target/lintcheck")]
    pub out: PathBuf,
    /// The committed counts, relative to the root.
    #[arg(long, value_name = "FILE", default_value = "tests/lintcheck/counts.md")]
    pub counts: PathBuf,
}

/// One corpus as linted.
struct Corpus {
    name: String,
    /// The commit of the corpus's repository, when it is one.
    commit: String,
    /// `notes` when its note files were read as they are, `markdown` when imported.
    kind: &'static str,
    /// What the import did not understand or refused, as it printed it.
    import_problems: Vec<String>,
    /// How many Markdown files the import refused.
    refused: usize,
    /// The folder the notes were read from, to name files relative to it.
    notes_dir: PathBuf,
    outcome: Outcome,
}

/// One finding chosen for labelling.
struct Sample {
    /// `corpus:file:line:rule`, stable across runs of the same corpora.
    key: String,
    message: String,
    /// The claim and its neighbours (before, itself, after), when the finding is on one.
    context: Vec<(&'static str, String)>,
}

/// Runs `cargo xtask lintcheck`.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let out = root.join(&options.out);
    let counts_path = root.join(&options.counts);
    let today = match options.today {
        Some(today) => today,
        None => committed_today(&counts_path).unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
    };
    let mut corpora = Vec::new();
    let mut names = BTreeSet::new();
    for dir in &options.dirs {
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut name = dir
            .file_name()
            .map_or_else(|| "corpus".to_owned(), |n| n.to_string_lossy().into_owned());
        let base = name.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        eprintln!("lintcheck: {name} ({})", dir.display());
        let mut corpus = lint_corpus(&dir, &name, &out.join(&name), today)?;
        // This repository's own notes change with every commit: name no commit, so the
        // counts change only when the findings do.
        if root.canonicalize().is_ok_and(|root| dir.starts_with(root)) {
            corpus.commit = "this repository".to_owned();
        }
        corpora.push(corpus);
    }
    // Beside the committed counts: the labels hold keys and verdicts, no corpus text.
    let labels_path = counts_path.with_file_name("labels.txt");
    let labels = match std::fs::read_to_string(&labels_path) {
        Ok(text) => parse_labels(&text).map_err(|e| format!("{}: {e}", labels_path.display()))?,
        Err(_) => BTreeMap::new(),
    };
    let samples = sample(&corpora, options.sample, options.seed);
    let report = report(&corpora, &samples, &labels, today);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let report_path = out.join("report.md");
    notes_lint::atomic::write(&report_path, report.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    if let Some(parent) = counts_path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let precision = precision_table(&per_rule(&corpora), &samples, &labels);
    notes_lint::atomic::write(&counts_path, counts(&corpora, today, &precision).as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", counts_path.display()))?;
    eprintln!(
        "wrote {} and {}{}",
        report_path.display(),
        counts_path.display(),
        if labels.is_empty() {
            format!("; label the sample in {}", labels_path.display())
        } else {
            String::new()
        }
    );
    Ok(())
}

/// The date the committed counts were made with.
fn committed_today(path: &Path) -> Option<Date> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with("Linted as of "))?;
    line.trim_start_matches("Linted as of ")
        .trim_end_matches('.')
        .parse()
        .ok()
}

/// Reads (or imports) and lints one corpus.
fn lint_corpus(dir: &Path, name: &str, out: &Path, today: Date) -> Result<Corpus, String> {
    let mut markdown = 0usize;
    let mut notes = 0usize;
    for entry in ignore::WalkBuilder::new(dir).build().flatten() {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if path
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown")
        {
            markdown += 1;
        } else if notes_lint::discover::is_note_file(path) {
            notes += 1;
        }
    }
    let (kind, notes_dir, import_problems, refused) = if markdown > notes {
        let notes_dir = out.join("notes");
        if notes_dir.exists() {
            std::fs::remove_dir_all(&notes_dir)
                .map_err(|e| format!("cannot clear {}: {e}", notes_dir.display()))?;
        }
        let (problems, refused) = import_all(dir, &notes_dir)?;
        ("markdown", notes_dir, problems, refused)
    } else {
        ("notes", dir.to_path_buf(), Vec::new(), 0)
    };
    let files = notes_lint::discover::note_files(std::slice::from_ref(&notes_dir))
        .map_err(|missing| format!("no such folder: {}", missing.0.display()))?;
    let options = engine::Options {
        today,
        config: Default::default(),
        select: None,
        ignore: Default::default(),
    };
    let outcome = engine::run(&files, &options);
    Ok(Corpus {
        name: name.to_owned(),
        commit: commit(dir),
        kind,
        import_problems,
        refused,
        notes_dir,
        outcome,
    })
}

/// Imports the Markdown of `dir` into `out` with `cargo xtask import DIR -o OUT`;
/// returns what the import could not understand or refused, one line each, and how
/// many files it refused (from its summary line, `imported N of M files ...`).
fn import_all(dir: &Path, out: &Path) -> Result<(Vec<String>, usize), String> {
    let xtask = std::env::current_exe().map_err(|e| format!("cannot find xtask: {e}"))?;
    let output = Command::new(&xtask)
        .arg("import")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .arg("--force")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", xtask.display()))?;
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let refused = printed
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix("imported ")?;
            let mut words = rest.split_whitespace();
            let imported: usize = words.next()?.parse().ok()?;
            let of: usize = words.nth(1)?.parse().ok()?;
            Some(of.saturating_sub(imported))
        })
        .ok_or_else(|| {
            format!(
                "the import of {} printed no summary:\n{printed}",
                dir.display()
            )
        })?;
    let problems = printed
        .lines()
        .filter(|line| !line.starts_with("imported ") && !line.trim().is_empty())
        .map(str::to_owned)
        .collect();
    Ok((problems, refused))
}

/// The commit `dir` is checked out at, when it is in a git repository.
fn commit(dir: &Path) -> String {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "-".to_owned(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        )
}

/// Findings per rule and corpus.
fn per_rule(corpora: &[Corpus]) -> BTreeMap<&'static str, Vec<usize>> {
    let mut table: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (i, corpus) in corpora.iter().enumerate() {
        for finding in &corpus.outcome.findings {
            table
                .entry(finding.rule)
                .or_insert_with(|| vec![0; corpora.len()])[i] += 1;
        }
    }
    table
}

/// A stable 64-bit hash of `text` (FNV-1a), the same on every machine and run.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Up to `size` findings of each rule across all corpora: those whose keys hash lowest
/// with `seed`. The draw is random but stable: a change that removes or adds findings
/// leaves the rest of the sample (and its labels) in place.
fn sample(corpora: &[Corpus], size: usize, seed: u64) -> BTreeMap<&'static str, Vec<Sample>> {
    let mut all: BTreeMap<&'static str, Vec<(u64, String, &Corpus, &Finding)>> = BTreeMap::new();
    for corpus in corpora {
        for finding in &corpus.outcome.findings {
            let key = key(corpus, finding);
            let rank = stable_hash(&format!("{seed}:{key}"));
            all.entry(finding.rule)
                .or_default()
                .push((rank, key, corpus, finding));
        }
    }
    all.into_iter()
        .map(|(rule, mut ranked)| {
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            ranked.truncate(size);
            ranked.sort_by(|a, b| a.1.cmp(&b.1));
            let chosen = ranked
                .into_iter()
                .map(|(_, key, corpus, finding)| Sample {
                    key,
                    message: finding.message.clone(),
                    context: finding
                        .file
                        .as_deref()
                        .zip(finding.scope.as_deref())
                        .map(|(file, scope)| claim_context(&corpus.outcome, file, scope))
                        .unwrap_or_default(),
                })
                .collect();
            (rule, chosen)
        })
        .collect()
}

/// A finding's key: `corpus:file:line:rule`, the file relative to the corpus's notes.
fn key(corpus: &Corpus, finding: &Finding) -> String {
    let file = finding.file.as_deref();
    let relative = file.map_or_else(String::new, |f| {
        f.strip_prefix(&corpus.notes_dir)
            .unwrap_or(f)
            .display()
            .to_string()
    });
    let line = file
        .zip(finding.span)
        .and_then(|(f, span)| {
            corpus
                .outcome
                .source(f)
                .map(|s| s.position(span.start).line)
        })
        .unwrap_or(0);
    format!("{}:{relative}:{line}:{}", corpus.name, finding.rule)
}

/// The claim at `scope` of `file` with the claims written before and after it, or the
/// note's title when the finding is about the note or a section.
fn claim_context(outcome: &Outcome, file: &Path, scope: &[Segment]) -> Vec<(&'static str, String)> {
    let Some(document) = outcome
        .loaded
        .iter()
        .find(|loaded| loaded.path == file)
        .and_then(|loaded| loaded.document.as_ref())
    else {
        return Vec::new();
    };
    let claims = document.claims();
    let Some(at) = claims.iter().position(|claim| &claim.path[..] == scope) else {
        return vec![("note", document.note.title.clone())];
    };
    let mut context = Vec::new();
    if let Some(before) = at.checked_sub(1).and_then(|i| claims.get(i)) {
        context.push(("before", before.claim.text.clone()));
    }
    context.push(("claim", claims[at].claim.text.clone()));
    if let Some(after) = claims.get(at + 1) {
        context.push(("after", after.claim.text.clone()));
    }
    context
}

/// A label: whether the finding is right, and the word of why.
#[derive(Debug, PartialEq, Eq)]
struct Label {
    right: bool,
    why: String,
}

/// Parses the labels file: `KEY true|false why...` per line; `#` starts a comment.
fn parse_labels(text: &str) -> Result<BTreeMap<String, Label>, String> {
    let mut labels = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let key = words.next().unwrap_or("");
        let right = match words.next().map(str::trim) {
            Some("true" | "right" | "yes") => true,
            Some("false" | "wrong" | "no") => false,
            other => {
                return Err(format!(
                    "line {}: expected `KEY true|false why`, found {:?} after the key",
                    n + 1,
                    other.unwrap_or("nothing")
                ));
            }
        };
        let why = words.next().unwrap_or("").trim().to_owned();
        labels.insert(key.to_owned(), Label { right, why });
    }
    Ok(labels)
}

/// Per rule: findings, sampled, labelled, right; precision when all of the sample is
/// labelled.
fn precision_table(
    findings: &BTreeMap<&'static str, Vec<usize>>,
    samples: &BTreeMap<&'static str, Vec<Sample>>,
    labels: &BTreeMap<String, Label>,
) -> String {
    let mut out = String::from(
        "| rule | findings | sampled | labelled | right | precision |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (rule, counts) in findings {
        let sampled = samples.get(rule).map_or(&[][..], Vec::as_slice);
        let labelled: Vec<&Label> = sampled.iter().filter_map(|s| labels.get(&s.key)).collect();
        let right = labelled.iter().filter(|l| l.right).count();
        let precision = if labelled.is_empty() {
            "-".to_owned()
        } else {
            format!("{:.0}%", 100.0 * right as f64 / labelled.len() as f64)
        };
        let _ = writeln!(
            out,
            "| {rule} | {} | {} | {} | {right} | {precision} |",
            counts.iter().sum::<usize>(),
            sampled.len(),
            labelled.len(),
        );
    }
    out
}

/// The table of corpora and of findings per rule and corpus, shared by the report and
/// the committed counts.
fn count_tables(corpora: &[Corpus], findings: &BTreeMap<&'static str, Vec<usize>>) -> String {
    let mut out = String::from(
        "| corpus | commit | read as | files | notes | claims | files not imported |\n|---|---|---|---:|---:|---:|---:|\n",
    );
    for corpus in corpora {
        let summary = corpus.outcome.summary();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            corpus.name,
            corpus.commit,
            corpus.kind,
            summary.files,
            summary.notes,
            summary.claims,
            corpus.refused
        );
    }
    out.push_str("\n| rule |");
    for corpus in corpora {
        let _ = write!(out, " {} |", corpus.name);
    }
    out.push_str(" total |\n|---|");
    out.push_str(&"---:|".repeat(corpora.len() + 1));
    out.push('\n');
    for (rule, counts) in findings {
        let _ = write!(out, "| {rule} |");
        for count in counts {
            let _ = write!(out, " {count} |");
        }
        let _ = writeln!(out, " {} |", counts.iter().sum::<usize>());
    }
    out
}

/// `tests/lintcheck/counts.md`: the corpora, the counts and the precision from the
/// labels, no text from the corpora.
fn counts(corpora: &[Corpus], today: Date, precision: &str) -> String {
    format!(
        "# lintcheck counts\n\nWritten by `cargo xtask lintcheck`; see CONTRIBUTING.md. \
         Linted as of {today}.\n\n{}\nPrecision from the labels in `labels.txt`:\n\n{precision}",
        count_tables(corpora, &per_rule(corpora))
    )
}

/// `target/lintcheck/report.md`.
fn report(
    corpora: &[Corpus],
    samples: &BTreeMap<&'static str, Vec<Sample>>,
    labels: &BTreeMap<String, Label>,
    today: Date,
) -> String {
    let findings = per_rule(corpora);
    let mut out = format!(
        "# lintcheck report\n\nLinted as of {today}, default configuration.\n\n## Counts\n\n{}\n## Precision\n\nFrom the labels in `labels.txt` beside the committed counts.\n\n{}",
        count_tables(corpora, &findings),
        precision_table(&findings, samples, labels)
    );
    for corpus in corpora.iter().filter(|c| !c.import_problems.is_empty()) {
        let _ = writeln!(
            out,
            "\n## What the import of {} did not understand\n",
            corpus.name
        );
        for problem in &corpus.import_problems {
            let _ = writeln!(out, "- {}", one_line(problem));
        }
    }
    out.push_str("\n## Samples\n\nLabel each in `labels.txt`: `KEY true|false why`.\n");
    for (rule, samples) in samples {
        let _ = writeln!(out, "\n### {rule}\n");
        for sample in samples {
            let label = labels.get(&sample.key).map_or(String::new(), |l| {
                format!(
                    " — **{}** {}",
                    if l.right { "true" } else { "false" },
                    l.why
                )
            });
            let _ = writeln!(out, "- `{}`{label}\n  - {}", sample.key, sample.message);
            for (what, text) in &sample.context {
                let _ = writeln!(out, "  - {what}: {}", one_line(text));
            }
        }
    }
    out
}

/// `text` on one line, cropped to 300 characters.
fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_with_comments_and_reasons() {
        let labels = parse_labels(
            "# header\na:x.yaml:3:stale-claim true world claim\n\nb:y.yaml:9:undated-claim false procedural # now\n",
        )
        .expect("parses");
        assert_eq!(labels.len(), 2);
        assert_eq!(
            labels["a:x.yaml:3:stale-claim"],
            Label {
                right: true,
                why: "world claim".to_owned()
            }
        );
        assert!(!labels["b:y.yaml:9:undated-claim"].right);
        let error = parse_labels("k maybe\n").expect_err("not a label");
        assert!(error.contains("line 1"), "{error}");
    }

    #[test]
    fn precision_counts_only_labelled_samples() {
        let findings = BTreeMap::from([("placeholder", vec![3, 2])]);
        let sample = |key: &str| Sample {
            key: key.to_owned(),
            message: String::new(),
            context: Vec::new(),
        };
        let samples =
            BTreeMap::from([("placeholder", vec![sample("a"), sample("b"), sample("c")])]);
        let labels = parse_labels("a true\nb false\n").expect("parses");
        let table = precision_table(&findings, &samples, &labels);
        assert!(
            table.contains("| placeholder | 5 | 3 | 2 | 1 | 50% |"),
            "{table}"
        );
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        assert_eq!(stable_hash("stale-claim"), stable_hash("stale-claim"));
        assert_ne!(stable_hash("stale-claim"), stable_hash("undated-claim"));
        // FNV-1a of "a".
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
        // FNV-1a of the empty string is its offset basis.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
    }
}
