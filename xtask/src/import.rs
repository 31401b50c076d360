//! `cargo xtask import`: Markdown notes to note files, with
//! [`notes_core::import`] doing the reading.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use notes_core::import;

/// A line of the import report: `file:line: message`, or `file: message` when the
/// remark has no line.
fn remark_line(file: &str, remark: &import::Remark) -> String {
    match remark.line {
        0 => format!("{file}: {}", remark.message),
        line => format!("{file}:{line}: {}", remark.message),
    }
}

/// Imports the Markdown in `file` and prints the note on stdout, or with `out` writes
/// it there atomically, refusing to replace an existing file unless `force`.
pub fn run(
    file: &Path,
    out: Option<&Path>,
    force: bool,
    options: &import::Options,
) -> Result<(), String> {
    let markdown = read_markdown(file)?;
    let stem = match out {
        Some(out) => {
            let extension = out.extension().and_then(|e| e.to_str());
            if !matches!(extension, Some("yaml" | "yml")) {
                return Err(format!(
                    "{}: the output must be a .yaml or .yml file",
                    out.display()
                ));
            }
            // The loader takes a note's default id from this stem.
            out.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        // Printed notes are saved somewhere later: "name.seed.txt" suggests "name".
        None => file
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let imported =
        import::import(&markdown, &stem, options).map_err(|e| e.at(&file.display().to_string()))?;
    for remark in &imported.report {
        eprintln!("{}", remark_line(&file.display().to_string(), remark));
    }
    let yaml = imported.yaml;
    for warning in import::warnings(&yaml) {
        eprintln!("warning: {warning}");
    }
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        return match stdout
            .write_all(yaml.as_bytes())
            .and_then(|()| stdout.flush())
        {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to stdout: {e}"))
            }
            _ => Ok(()),
        };
    };
    if !force && out.exists() {
        return Err(format!(
            "{} already exists: pass --force to replace it",
            out.display()
        ));
    }
    crate::generated::write_atomically(out, &yaml)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Markdown files larger than this are refused: a note this size is a data dump.
const MAX_BYTES: u64 = 8 << 20;

/// Reads `file` as Markdown: it must exist, be at most [`MAX_BYTES`], not be binary,
/// and be UTF-8.
fn read_markdown(file: &Path) -> Result<String, String> {
    let size = std::fs::metadata(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?
        .len();
    if size > MAX_BYTES {
        return Err(format!(
            "{}: {:.1} MB is too large for a note (at most {} MB): split it or leave it out",
            file.display(),
            size as f64 / 1e6,
            MAX_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(format!(
            "{}:{line}: a NUL byte: this looks like a binary file, not Markdown",
            file.display()
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "{}:{line}: not valid UTF-8 (bad byte at offset {at}): save it as UTF-8",
            file.display()
        )
    })
}

/// One Markdown file of a folder import: where it is, its path as shown, and the id
/// (and file name) of its note.
struct Input {
    file: PathBuf,
    shown: String,
    id: String,
}

/// What a folder import made, for the closing summary.
#[derive(Default)]
struct Tally {
    notes: usize,
    claims: usize,
    labels: usize,
    sources: usize,
    caveats: usize,
    remarks: usize,
    failed: usize,
}

/// Imports every Markdown file of `paths` (files, or folders read recursively) into
/// notes in `out`, one note file per Markdown file, named by the note's id. A source
/// is defined once, in the first note that cites it (or not at all when a note already
/// in `out` defines it). Without `force` an existing note file is never replaced. One
/// file that fails does not stop the others; the command fails at the end if any did.
pub fn run_folder(
    paths: &[PathBuf],
    out: &Path,
    force: bool,
    options: &import::Options,
) -> Result<(), String> {
    let report = import_folder(paths, out, force, options)?;
    let mut stderr = std::io::stderr().lock();
    for line in &report.lines {
        let _ = writeln!(stderr, "{line}");
    }
    if report.failed > 0 {
        return Err(format!(
            "{} files were not imported (see the errors above)",
            report.failed
        ));
    }
    Ok(())
}

/// What a folder import printed: a line for each error, warning and thing not
/// understood, then the summary; and how many files failed.
struct FolderReport {
    lines: Vec<String>,
    failed: usize,
}

/// The work of [`run_folder`], without printing.
fn import_folder(
    paths: &[PathBuf],
    out: &Path,
    force: bool,
    options: &import::Options,
) -> Result<FolderReport, String> {
    let inputs = inputs(paths)?;
    if inputs.is_empty() {
        return Err("no Markdown files (.md, .markdown) to import".to_owned());
    }
    let targets: BTreeSet<PathBuf> = inputs
        .iter()
        .map(|input| out.join(format!("{}.yaml", input.id)))
        .collect();
    let existing = existing_notes(out);
    // Sources the notes already there define, less those of the notes this replaces.
    let mut registry = import::Registry::new(
        existing
            .iter()
            .filter(|(file, _)| !targets.contains(file))
            .flat_map(|(_, document)| &document.note.sources),
    );
    let progress = if std::io::stderr().is_terminal() && inputs.len() > 20 {
        indicatif::ProgressBar::new(inputs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut tally = Tally::default();
    let mut lines = Vec::new();
    // Every name a wikilink may use for a note: ids, file stems and titles, as slugs.
    let mut names: BTreeSet<String> = existing
        .iter()
        .flat_map(|(_, document)| [document.id.clone(), import::slug(&document.note.title)])
        .collect();
    let mut links: Vec<(usize, Vec<String>)> = Vec::new();
    let (works, index_remarks) = index_works(&inputs);
    tally.remarks += index_remarks.len();
    lines.extend(index_remarks);
    for input in &inputs {
        names.insert(input.id.clone());
        if let Some(stem) = input.file.file_stem() {
            names.insert(import::slug(&stem.to_string_lossy()));
        }
    }
    // The notes an index gives a work come first, so that they, not the index,
    // define its source (with the title of the work); the report keeps path order.
    let order: Vec<usize> = works
        .keys()
        .copied()
        .chain((0..inputs.len()).filter(|i| !works.contains_key(i)))
        .collect();
    let mut file_lines: Vec<Vec<String>> = vec![Vec::new(); inputs.len()];
    for i in order {
        let input = &inputs[i];
        let lines = &mut file_lines[i];
        progress.inc(1);
        match import_one(input, out, force, options, works.get(&i), &mut registry) {
            Ok(imported) => {
                names.insert(import::slug(&imported.note.title));
                links.push((i, import::wikilinks(&imported.note)));
                tally.notes += 1;
                tally.sources += imported.note.sources.len();
                tally.caveats += imported.note.caveats.len();
                for section in &imported.note.sections {
                    tally.caveats += section.caveats.len();
                    count(&section.claims, &mut tally);
                }
                for warning in &imported.warnings {
                    lines.push(format!("{}: warning: {warning}", input.shown));
                }
                for remark in &imported.report {
                    tally.remarks += 1;
                    if remark.line == 0 {
                        lines.push(format!("{}: {}", input.shown, remark.message));
                    } else {
                        lines.push(format!(
                            "{}:{}: {}",
                            input.shown, remark.line, remark.message
                        ));
                    }
                }
            }
            Err(error) => {
                tally.failed += 1;
                lines.push(format!("error: {error}"));
            }
        }
    }
    lines.extend(file_lines.into_iter().flatten());
    links.sort_by_key(|(i, _)| *i);
    progress.finish_and_clear();
    for (i, targets) in links {
        let input = &inputs[i];
        for target in targets {
            if !names.contains(&import::slug(&target)) {
                tally.remarks += 1;
                lines.push(format!(
                    "{}: the wikilink [[{target}]] names no note of the import or of {}",
                    input.shown,
                    out.display()
                ));
            }
        }
    }
    lines.push(format!(
        "imported {} of {} files into {}: {} claims ({} labels), {} sources, {} caveats; \
         {} things not understood (listed above)",
        tally.notes,
        inputs.len(),
        out.display(),
        tally.claims,
        tally.labels,
        tally.sources,
        tally.caveats,
        tally.remarks
    ));
    Ok(FolderReport {
        lines,
        failed: tally.failed,
    })
}

fn count(claims: &[notes_core::model::Claim], tally: &mut Tally) {
    for claim in claims {
        if claim.is_label() {
            tally.labels += 1;
        } else {
            tally.claims += 1;
        }
        count(&claim.children, tally);
    }
}

/// Imports one file of a folder import and writes its note; `work` is what the
/// folder's index says the note summarises.
fn import_one(
    input: &Input,
    out: &Path,
    force: bool,
    options: &import::Options,
    work: Option<&notes_core::model::Source>,
    registry: &mut import::Registry,
) -> Result<import::Imported, String> {
    let target = out.join(format!("{}.yaml", input.id));
    if !force && target.exists() {
        return Err(format!(
            "{} already exists: pass --force to replace it (from {})",
            target.display(),
            input.shown
        ));
    }
    let markdown = read_markdown(&input.file)?;
    let mut imported = import::import_summarising(&markdown, &input.id, options, work)
        .map_err(|e| e.at(&input.shown))?;
    imported
        .share(registry, &input.id)
        .map_err(|e| format!("{}: {e}", input.shown))?;
    crate::generated::write_atomically(&target, &imported.yaml)?;
    Ok(imported)
}

/// What the index pages of a folder import say each note summarises, by the note's
/// place in `inputs`, and the report's lines on the entries that could not be placed.
///
/// An index entry is a list item whose first link points at another file of the import
/// and that also links a work (see [`import::index_entries`]). An entry that links two
/// files of the import is skipped; so is a note that entries give different works.
fn index_works(inputs: &[Input]) -> (BTreeMap<usize, notes_core::model::Source>, Vec<String>) {
    let by_path: HashMap<PathBuf, usize> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| Some((std::fs::canonicalize(&input.file).ok()?, i)))
        .collect();
    let mut remarks = Vec::new();
    // For each note, the works entries give it: where, and which.
    let mut given: BTreeMap<usize, Vec<(String, notes_core::model::Source)>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        // A file that cannot be read is reported when it is imported.
        let Ok(markdown) = read_markdown(&input.file) else {
            continue;
        };
        let folder = input.file.parent().unwrap_or(Path::new(""));
        let note_of = |target: &str| {
            let target = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
            let path = std::fs::canonicalize(folder.join(target.as_ref())).ok()?;
            by_path.get(&path).copied().filter(|&note| note != i)
        };
        for entry in import::index_entries(&markdown) {
            let Some(note) = note_of(&entry.page) else {
                continue;
            };
            let notes: BTreeSet<usize> = entry.pages.iter().filter_map(|t| note_of(t)).collect();
            let at = format!("{}:{}", input.shown, entry.line);
            if notes.len() > 1 {
                let shown: Vec<&str> = notes.iter().map(|&n| inputs[n].shown.as_str()).collect();
                remarks.push(format!(
                    "{at}: this index entry links {} notes ({}): which one summarises {} is \
                     unclear, so none takes it",
                    notes.len(),
                    shown.join(", "),
                    entry.work
                ));
                continue;
            }
            if let Some(source) = entry.source() {
                given.entry(note).or_default().push((at, source));
            }
        }
    }
    let mut works = BTreeMap::new();
    for (note, entries) in given {
        let mut distinct: Vec<&(String, notes_core::model::Source)> = Vec::new();
        for entry in &entries {
            if !distinct.iter().any(|d| import::same_work(&d.1, &entry.1)) {
                distinct.push(entry);
            }
        }
        if let [(_, source)] = distinct.as_slice() {
            works.insert(note, source.clone());
        } else {
            let listed: Vec<String> = distinct
                .iter()
                .map(|(at, source)| {
                    format!(
                        "{at} gives {}",
                        source.url.as_deref().unwrap_or(&source.title)
                    )
                })
                .collect();
            remarks.push(format!(
                "{}: the index gives this note {} different works ({}): it summarises none \
                 of them",
                inputs[note].shown,
                distinct.len(),
                listed.join("; ")
            ));
        }
    }
    (works, remarks)
}

/// The Markdown files of `paths`, folders read recursively (hidden entries skipped),
/// in path order, each with a unique note id from its path.
fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            for file in found {
                let relative = file.strip_prefix(path).unwrap_or(&file).to_path_buf();
                files.push((file, relative));
            }
        } else {
            let name = PathBuf::from(path.file_name().unwrap_or(path.as_os_str()));
            files.push((path.clone(), name));
        }
    }
    let stem_slug = |relative: &Path| {
        import::slug(
            &relative
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        )
    };
    let mut stems: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, relative) in &files {
        *stems.entry(stem_slug(relative)).or_default() += 1;
    }
    let mut taken = BTreeSet::new();
    let mut inputs = Vec::new();
    for (file, relative) in files {
        let stem = stem_slug(&relative);
        // A stem that several files share (`README.md`) takes its folders too.
        let base = if stems.get(&stem).copied().unwrap_or(0) > 1 || stem.is_empty() {
            import::slug(&relative.with_extension("").to_string_lossy())
        } else {
            stem
        };
        let base = if base.is_empty() {
            "note".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        inputs.push(Input {
            shown: file.display().to_string(),
            file,
            id,
        });
    }
    Ok(inputs)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if kind.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "markdown")
            )
        {
            found.push(path);
        }
    }
    Ok(())
}

/// The note files already in `out`, loaded, in path order.
fn existing_notes(out: &Path) -> Vec<(PathBuf, notes_core::Document)> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let document = notes_core::load_path(&file).document?;
            Some((file, document))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_writes_atomically_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("notes").join("outline.yaml");
        run(&input, Some(&out), false, &import::Options::default()).unwrap();
        let first = std::fs::read_to_string(&out).unwrap();
        assert!(first.contains("- text: \"a claim\"\n"));
        std::fs::write(&input, "Title\n- another claim\n").unwrap();
        let error = run(&input, Some(&out), false, &import::Options::default()).unwrap_err();
        assert!(error.contains("already exists: pass --force"), "{error}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
        run(&input, Some(&out), true, &import::Options::default()).unwrap();
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("another claim")
        );
        let error = run(
            &input,
            Some(&dir.path().join("x.json")),
            false,
            &import::Options::default(),
        )
        .unwrap_err();
        assert!(error.contains(".yaml or .yml"), "{error}");
        std::fs::write(&input, [b'-', b' ', 0xff, b'\n']).unwrap();
        let error = run(&input, Some(&out), true, &import::Options::default()).unwrap_err();
        assert!(error.contains("not valid UTF-8"), "{error}");
    }

    #[test]
    fn an_invalid_output_stem_gets_an_explicit_id() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("My Note.yaml");
        run(&input, Some(&out), false, &import::Options::default()).unwrap();
        let loaded = notes_core::load_path(&out);
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        assert_eq!(loaded.document.unwrap().id, "my-note");
    }

    const RESNET: &str = "# [Deep Residual Learning](https://arxiv.org/abs/1512.03385)\n\n\
        Tags: vision\nDate: 04/17/2019\n\n- What\n  - Very deep networks are hard to train.\n\
        - Results\n  - The deepest model reaches 3.57% top-5 error.\n  \
        - Currently the best result on ImageNet.\n";

    fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The rule ids `notes-lint` reports on the notes in `dir`.
    fn lint(dir: &Path) -> Vec<&'static str> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let options = notes_lint::engine::Options {
            today: "2026-01-01".parse().unwrap(),
            config: notes_lint::config::Config::default(),
            select: None,
            ignore: Default::default(),
        };
        let outcome = notes_lint::engine::run(&files, &options);
        outcome.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_summary_naming_its_paper_lints_without_source_or_date_findings() {
        let dir = tempfile::tempdir().unwrap();
        let input = write(dir.path(), "in/resnet.md", RESNET.as_bytes());
        write(
            dir.path(),
            "in/thoughts.md",
            b"# Thoughts\n\n- Scaling is what matters most.\n",
        );
        let out = dir.path().join("out");
        let options = import::Options::default();
        run_folder(
            &[input.parent().unwrap().to_path_buf()],
            &out,
            false,
            &options,
        )
        .unwrap();
        let summary_dir = dir.path().join("summary");
        std::fs::create_dir_all(&summary_dir).unwrap();
        std::fs::copy(out.join("resnet.yaml"), summary_dir.join("resnet.yaml")).unwrap();
        let rules = lint(&summary_dir);
        for rule in ["unsourced-claim", "unsourced-figure", "undated-claim"] {
            assert!(!rules.contains(&rule), "{rule} in {rules:?}");
        }
        let plain = dir.path().join("plain");
        std::fs::create_dir_all(&plain).unwrap();
        std::fs::copy(out.join("thoughts.yaml"), plain.join("thoughts.yaml")).unwrap();
        assert!(lint(&plain).contains(&"unsourced-claim"));
    }

    #[test]
    fn a_note_its_index_names_the_paper_of_lints_as_a_summary() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        let note = b"## Sparse Routing\n\n- Reaches 41.2 BLEU.\n\
            - Currently the best model of its size.\n";
        write(&input, "papers/sparse routing.md", note);
        write(
            &input,
            "index.md",
            b"# Read\n\n- [Sparse Routing](papers/sparse%20routing.md) \
              [[arXiv](https://arxiv.org/abs/2101.00001)]\n",
        );
        let out = dir.path().join("out");
        let options = import::Options::default();
        run_folder(std::slice::from_ref(&input), &out, false, &options).unwrap();
        let text = std::fs::read_to_string(out.join("sparse-routing.yaml")).unwrap();
        assert!(
            text.contains("summary_of: \"arxiv-2101-00001\"\n"),
            "{text}"
        );
        assert!(text.contains("    published: \"2021-01\"\n"), "{text}");
        let index = std::fs::read_to_string(out.join("index.yaml")).unwrap();
        assert!(!index.contains("\nsources:\n"), "defined twice: {index}");
        let rules = lint(&out);
        for rule in ["unsourced-claim", "unsourced-figure", "undated-claim"] {
            assert!(!rules.contains(&rule), "{rule} in {rules:?}");
        }
        // The same note without its index is neither sourced nor dated.
        let alone = dir.path().join("alone");
        write(&alone, "sparse routing.md", note);
        let alone_out = dir.path().join("alone-out");
        run_folder(&[alone], &alone_out, false, &options).unwrap();
        let rules = lint(&alone_out);
        assert!(rules.contains(&"unsourced-claim"), "{rules:?}");
        assert!(rules.contains(&"undated-claim"), "{rules:?}");
    }

    #[test]
    fn a_folder_shares_sources_and_reruns_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        write(&input, "a/resnet.md", RESNET.as_bytes());
        write(
            &input,
            "b/resnet.md",
            b"# ResNet again\n\n- Link: https://arxiv.org/abs/1512.03385v2\n- Shortcuts help.\n",
        );
        write(
            &input,
            "b/deeper/notes.markdown",
            b"# Other\n\n- A claim.\n",
        );
        write(&input, ".hidden/skip.md", b"# Hidden\n- no\n");
        write(&input, "readme.txt", b"not markdown");
        let out = dir.path().join("out");
        let options = import::Options::default();
        run_folder(std::slice::from_ref(&input), &out, false, &options).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // Ids come from the paths: a stem two files share takes their folders.
        assert_eq!(names, ["a-resnet.yaml", "b-resnet.yaml", "notes.yaml"]);
        let first = std::fs::read_to_string(out.join("a-resnet.yaml")).unwrap();
        let second = std::fs::read_to_string(out.join("b-resnet.yaml")).unwrap();
        assert!(first.contains("  - id: \"arxiv-1512-03385\"\n"), "{first}");
        assert!(
            second.contains("summary_of: \"arxiv-1512-03385\"\n"),
            "{second}"
        );
        assert!(!second.contains("\nsources:\n"), "defined twice: {second}");
        // Without --force nothing is replaced; with it the bytes are the same.
        let error = run_folder(std::slice::from_ref(&input), &out, false, &options).unwrap_err();
        assert!(error.contains("3 files were not imported"), "{error}");
        let before: Vec<Vec<u8>> = names
            .iter()
            .map(|n| std::fs::read(out.join(n)).unwrap())
            .collect();
        run_folder(std::slice::from_ref(&input), &out, true, &options).unwrap();
        let after: Vec<Vec<u8>> = names
            .iter()
            .map(|n| std::fs::read(out.join(n)).unwrap())
            .collect();
        assert_eq!(before, after);
        // A note already in the output folder that defines the source keeps it.
        let more = dir.path().join("more");
        write(
            &more,
            "third.md",
            b"# Third\n\nsource:: https://arxiv.org/abs/1512.03385\n\n- Again.\n",
        );
        run_folder(&[more], &out, false, &options).unwrap();
        let third = std::fs::read_to_string(out.join("third.yaml")).unwrap();
        assert!(
            third.contains("summary_of: \"arxiv-1512-03385\"\n"),
            "{third}"
        );
        assert!(!third.contains("\nsources:\n"), "{third}");
    }

    #[test]
    fn bad_files_fail_alone_and_leave_no_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        write(&input, "good.md", b"# Good\n- A claim.\n");
        write(&input, "binary.md", b"\x89PNG\r\n\x00\x00 data");
        write(&input, "latin1.md", b"# Caf\xe9\n- ok\n");
        write(&input, "front.md", b"---\ntitle: [broken\n---\n- a\n");
        let big = vec![b'a'; (MAX_BYTES + 1) as usize];
        write(&input, "big.md", &big);
        let out = dir.path().join("out");
        let error = run_folder(
            std::slice::from_ref(&input),
            &out,
            false,
            &import::Options::default(),
        )
        .unwrap_err();
        assert!(error.contains("4 files were not imported"), "{error}");
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["good.yaml"]);
        let binary = read_markdown(&input.join("binary.md")).unwrap_err();
        assert!(
            binary
                .ends_with("binary.md:2: a NUL byte: this looks like a binary file, not Markdown"),
            "{binary}"
        );
        let latin1 = read_markdown(&input.join("latin1.md")).unwrap_err();
        assert!(latin1.contains("latin1.md:1: not valid UTF-8"), "{latin1}");
        let big = read_markdown(&input.join("big.md")).unwrap_err();
        assert!(big.contains("too large"), "{big}");
    }

    /// Each folder of `tests/import/` holds Markdown under `input/`, the notes a folder
    /// import makes of it under `expected/`, and what it printed in `report.txt`
    /// (`UPDATE_EXPECT=1` rewrites both).
    #[test]
    fn import_fixtures() {
        let root = crate::workspace_root().join("tests/import");
        let update = std::env::var_os("UPDATE_EXPECT").is_some();
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        cases.sort();
        assert!(cases.len() >= 10, "{cases:?}");
        let mut failures = Vec::new();
        for case in cases {
            let out = tempfile::tempdir().unwrap();
            let options = match std::fs::read_to_string(case.join("date-order.txt")) {
                Ok(order) if order.trim() == "dmy" => import::Options {
                    date_order: Some(import::DateOrder::Dmy),
                },
                Ok(_) => import::Options {
                    date_order: Some(import::DateOrder::Mdy),
                },
                Err(_) => import::Options::default(),
            };
            let report = import_folder(&[case.join("input")], out.path(), false, &options).unwrap();
            let shown_in = format!("{}/", case.join("input").display());
            let shown_out = out.path().display().to_string();
            let mut printed: String = report
                .lines
                .iter()
                .map(|l| l.replace(&shown_in, "").replace(&shown_out, "OUT") + "\n")
                .collect();
            printed = printed.replace('\\', "/");
            let expected_dir = case.join("expected");
            let mut produced: Vec<(String, String)> = std::fs::read_dir(out.path())
                .unwrap()
                .map(|e| {
                    let path = e.unwrap().path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&path).unwrap())
                })
                .collect();
            produced.push(("../report.txt".to_owned(), printed));
            if update {
                let _ = std::fs::remove_dir_all(&expected_dir);
                std::fs::create_dir_all(&expected_dir).unwrap();
                for (name, text) in &produced {
                    std::fs::write(expected_dir.join(name), text).unwrap();
                }
                continue;
            }
            let mut expected_names: Vec<String> = std::fs::read_dir(&expected_dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            expected_names.push("../report.txt".to_owned());
            expected_names.sort();
            let mut produced_names: Vec<String> = produced.iter().map(|(n, _)| n.clone()).collect();
            produced_names.sort();
            if expected_names != produced_names {
                failures.push(format!(
                    "{}: files {produced_names:?}, expected {expected_names:?}",
                    case.display()
                ));
                continue;
            }
            for (name, text) in &produced {
                let want = std::fs::read_to_string(expected_dir.join(name)).unwrap_or_default();
                if want != *text {
                    failures.push(format!(
                        "{}/{name} differs (UPDATE_EXPECT=1 rewrites it):\n{}",
                        case.display(),
                        similar::TextDiff::from_lines(&want, text).unified_diff()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
