//! `cargo xtask export`: load the notes, export them, then write or check the export directory.
//!
//! The corpus is never held whole. A first pass loads the notes in parallel and keeps
//! only their ids and definitions (sources, events, caveats); a second loads them
//! again a few at a time, in id order, exports each batch in parallel, and streams
//! `notes.json` out, or compares it with the committed file, as it goes.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use notes_core::export::{
    Definitions, GENERATED_BY, INDEX_FILE, JSON_TAIL, NoteOutput, NoteSummary, check_ids,
    export_one, json_head, relative_file, render_index,
};
use notes_core::{Document, Loaded};
use rayon::prelude::*;
use similar::TextDiff;

use crate::generated::{self, Generated};
use crate::stream_diff::StreamDiff;

const COMMAND: &str = "cargo xtask export";

/// The hunks of a stale `notes.json` that `--check` shows; the rest are counted.
const HUNKS_SHOWN: usize = 5;

/// Notes exported at once in the second pass: enough to keep every thread busy, few
/// enough that memory stays small.
const BATCH: usize = 64;

/// A note as the first pass leaves it: where it is, its id, and its definitions.
struct Scanned {
    path: PathBuf,
    file: String,
    id: String,
    definitions: Definitions,
}

/// Exports `root/notes` to `out` (relative to `root` unless absolute), or with `check`
/// writes nothing and fails with a unified diff when `out` is out of date. With
/// `today`, the pages mark the claims stale or overtaken on that date and the charts
/// judge states on it; without it, nothing depends on the date.
///
/// A write holds a lock on the export directory, so two exports run at once write one
/// after the other and leave one complete export; each file is replaced atomically,
/// and temporary files that a killed export left behind are deleted.
pub fn run(
    root: &Path,
    out: &Path,
    check: bool,
    today: Option<jiff::civil::Date>,
) -> Result<(), String> {
    let listing = note_files(root)?;
    let mut problems = String::new();
    for finding in &listing.refused {
        let path = finding.file.as_deref().map(slash_path).unwrap_or_default();
        let _ = writeln!(problems, "{}", finding.short_line(&path, None));
    }
    let scanned: Vec<Result<Scanned, String>> = listing
        .files
        .par_iter()
        .map(|path| {
            let loaded = notes_core::load_path(path);
            let found = self::problems(root, std::slice::from_ref(&loaded));
            match loaded.document {
                Some(doc) if found.is_empty() => Ok(Scanned {
                    path: path.clone(),
                    file: relative_file(doc.file.path(), root),
                    definitions: Definitions::of_note(&doc.id, &doc.note),
                    id: doc.id,
                }),
                _ => Err(found),
            }
        })
        .collect();
    let mut notes = Vec::new();
    for result in scanned {
        match result {
            Ok(note) => notes.push(note),
            Err(found) => problems.push_str(&found),
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "{problems}the notes do not load cleanly, so nothing was exported: fix the problems above"
        ));
    }
    notes.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.file.cmp(&b.file)));
    check_ids(notes.iter().map(|n| (n.id.as_str(), n.file.as_str()))).map_err(|e| e.to_string())?;
    let mut definitions = Definitions::default();
    for note in &mut notes {
        definitions.merge(std::mem::take(&mut note.definitions));
    }
    let head = json_head(
        &definitions.sources,
        &definitions.events,
        &definitions.caveats,
    );
    let json_path = out.join("notes.json");
    let markdown_dir = out.join("markdown");
    let exported = |sink: &mut dyn FnMut(NoteOutput) -> Result<(), String>| {
        export_all(&notes, &definitions, today, sink)
    };

    if check {
        let mut report = String::new();
        let old = std::fs::File::open(root.join(&json_path)).map(std::io::BufReader::new);
        let mut json = match old {
            Ok(file) => StreamDiff::new(Box::new(file) as Box<dyn std::io::BufRead>, HUNKS_SHOWN),
            Err(_) => StreamDiff::new(Box::new(std::io::empty()) as Box<_>, HUNKS_SHOWN),
        };
        json.feed(&head);
        let mut markdown = Vec::new();
        let mut summaries = Vec::new();
        let mut charts = Vec::new();
        exported(&mut |output| {
            json.feed(&output.json);
            charts.push(output.chart);
            markdown.push(Generated {
                path: out.join(&output.markdown_path),
                content: output.markdown,
            });
            summaries.push(output.summary);
            // Markdown files are small: compare them in batches and let them go.
            if markdown.len() >= BATCH {
                report.push_str(&generated::stale_report(root, &markdown).unwrap_or_default());
                markdown.clear();
            }
            Ok(())
        })?;
        json.feed(JSON_TAIL);
        markdown.push(index(&markdown_dir, &summaries));
        let charts = chart_files(out, &charts, today);
        let chart_paths: Vec<PathBuf> = charts.iter().map(|c| c.path.clone()).collect();
        markdown.extend(charts);
        report.push_str(&generated::stale_report(root, &markdown).unwrap_or_default());
        let (hunks, count) = json.finish();
        if count > 0 {
            let name = slash_path(&json_path);
            let _ = write!(report, "--- a/{name}\n+++ b/{name}\n{hunks}");
            if count > HUNKS_SHOWN {
                let _ = writeln!(
                    report,
                    "… and {} more hunks of {name} not shown",
                    count - HUNKS_SHOWN
                );
            }
        }
        for path in stale_markdown(root, out, &notes, &chart_paths) {
            let old = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            let name = slash_path(&path);
            let _ = write!(
                report,
                "{}",
                TextDiff::from_lines(&old, "")
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), "/dev/null")
            );
        }
        if report.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "{report}\n{} is out of date: run `{COMMAND}` and commit the result",
            slash_path(out)
        ));
    }
    let out_dir = root.join(out);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let _lock = lock(&out_dir)?;
    // Under the lock no other export writes here: a temporary file is a leftover.
    for dir in [out_dir.clone(), out_dir.join("markdown")] {
        notes_lint::atomic::remove_leftovers(&dir)
            .map_err(|e| format!("cannot clean {}: {e}", dir.display()))?;
    }
    let mut summaries = Vec::new();
    let mut charts = Vec::new();
    let mut failure = None;
    let written = notes_lint::atomic::write_with(&root.join(&json_path), |file| {
        file.write_all(head.as_bytes())?;
        let result = exported(&mut |output| {
            file.write_all(output.json.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
            summaries.push(output.summary);
            charts.push(output.chart);
            let markdown = Generated {
                path: out.join(&output.markdown_path),
                content: output.markdown,
            };
            generated::sync(root, std::slice::from_ref(&markdown), false, COMMAND)
        });
        if let Err(message) = result {
            failure = Some(message);
            return Err(std::io::Error::other("the export failed"));
        }
        file.write_all(JSON_TAIL.as_bytes())
    });
    if let Some(message) = failure {
        return Err(message);
    }
    written.map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    eprintln!("wrote {}", slash_path(&json_path));
    generated::sync(root, &[index(&markdown_dir, &summaries)], false, COMMAND)?;
    let charts = chart_files(out, &charts, today);
    let chart_paths: Vec<PathBuf> = charts.iter().map(|c| c.path.clone()).collect();
    generated::sync(root, &charts, false, COMMAND)?;
    for path in stale_markdown(root, out, &notes, &chart_paths) {
        std::fs::remove_file(root.join(&path))
            .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        eprintln!("removed {}", slash_path(&path));
    }
    Ok(())
}

/// Loads the notes again, in id order, a batch at a time, exports each batch in
/// parallel and hands every note's output to `sink` in order.
fn export_all(
    notes: &[Scanned],
    definitions: &Definitions,
    today: Option<jiff::civil::Date>,
    sink: &mut dyn FnMut(NoteOutput) -> Result<(), String>,
) -> Result<(), String> {
    let count = notes.len();
    for (batch, chunk) in notes.chunks(BATCH).enumerate() {
        let outputs: Vec<Result<NoteOutput, String>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, note)| {
                let loaded = notes_core::load_path(&note.path);
                let doc: &Document = loaded.document.as_ref().ok_or_else(|| {
                    format!("{}: the note changed while it was exported", note.file)
                })?;
                let last = batch * BATCH + i + 1 == count;
                Ok(export_one(doc, &note.file, definitions, last, today))
            })
            .collect();
        for output in outputs {
            sink(output?)?;
        }
    }
    Ok(())
}

/// The staleness charts of the Markdown export, one per note and one for the corpus.
fn chart_files(
    out: &Path,
    charts: &[notes_core::export::chart::NoteChart],
    today: Option<jiff::civil::Date>,
) -> Vec<Generated> {
    notes_core::export::chart::files(charts, today)
        .into_iter()
        .map(|file| Generated {
            path: out.join(&file.path),
            content: file.content,
        })
        .collect()
}

/// The index of the Markdown export.
fn index(markdown_dir: &Path, summaries: &[NoteSummary]) -> Generated {
    Generated {
        path: markdown_dir.join(INDEX_FILE),
        content: render_index(summaries),
    }
}

/// An exclusive lock on the directory `dir`, held until it is dropped (the process
/// ending releases it too, however it ends).
#[cfg(unix)]
fn lock(dir: &Path) -> Result<std::fs::File, String> {
    let handle =
        std::fs::File::open(dir).map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
    handle
        .lock()
        .map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;
    Ok(handle)
}

/// Directories cannot be opened as files here: exports are not serialised.
#[cfg(not(unix))]
fn lock(_: &Path) -> Result<(), String> {
    Ok(())
}

/// The note files of an export, and the links it refused to follow.
struct Listing {
    files: Vec<PathBuf>,
    refused: Vec<notes_core::Finding>,
}

/// The note files directly in `root/notes` (`.yaml`, `.yml`, `.json`), sorted; none
/// when it does not exist. A symbolic link is followed only when its target is a file
/// inside the repository (`root`); any other link with a note's name is refused with a
/// finding that names it, and nothing of its target is read.
fn note_files(root: &Path) -> Result<Listing, String> {
    let dir = root.join("notes");
    let mut listing = Listing {
        files: Vec::new(),
        refused: Vec::new(),
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(listing),
        Err(error) => return Err(format!("cannot read {}: {error}", dir.display())),
    };
    let repository = std::fs::canonicalize(root)
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        let is_note = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if !is_note {
            continue;
        }
        let file_type = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let shown = Path::new("notes").join(entry.file_name());
        if file_type.is_symlink() {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(&repository) => {
                    if target.is_file() {
                        listing.files.push(path);
                    }
                }
                Ok(_) => listing
                    .refused
                    .push(notes_lint::discover::outside_link(&shown, "the repository")),
                Err(_) => listing
                    .refused
                    .push(notes_lint::discover::unresolved_link(&shown)),
            }
        } else if file_type.is_file() {
            listing.files.push(path);
        }
    }
    listing.files.sort();
    listing.refused.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(listing)
}

/// Every loading finding as `file:line:col: severity[rule]: message`, one per line.
fn problems(root: &Path, loaded: &[Loaded]) -> String {
    let mut out = String::new();
    for file in loaded {
        for finding in &file.findings {
            let path = finding.file.as_deref().unwrap_or(&file.path);
            let path = slash_path(path.strip_prefix(root).unwrap_or(path));
            let _ = writeln!(out, "{}", finding.short_line(&path, file.source()));
        }
    }
    out
}

/// Markdown pages and charts under `out/markdown` that an earlier export wrote (they
/// start with the generated-by line) and this export of `notes` (with these `charts`)
/// does not: the files of notes that are gone. Every other file there is left alone.
fn stale_markdown(root: &Path, out: &Path, notes: &[Scanned], charts: &[PathBuf]) -> Vec<PathBuf> {
    let dir = out.join("markdown");
    let expected: HashSet<PathBuf> = notes
        .iter()
        .map(|note| dir.join(format!("{}.md", note.id)))
        .chain([dir.join(INDEX_FILE)])
        .chain(charts.iter().cloned())
        .collect();
    let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let path = dir.join(&name);
            let is_markdown = Path::new(&name)
                .extension()
                .is_some_and(|e| e == "md" || e == "svg");
            let kept = expected.contains(&path);
            let ours = || {
                std::fs::read_to_string(entry.path())
                    .is_ok_and(|text| text.starts_with(&format!("<!-- {GENERATED_BY}")))
            };
            (is_markdown && !kept && ours()).then_some(path)
        })
        .collect();
    stale.sort();
    stale
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE_A: &str = "title: Note A\nas_of: 2022\nsections:\n  - title: S\n    claims:\n      - text: The old claim.\n";
    const NOTE_B: &str =
        "title: Note B\nsections:\n  - title: T\n    claims:\n      - text: Another claim.\n";

    fn workspace(notes: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        for (name, text) in notes {
            std::fs::write(dir.path().join("notes").join(name), text).unwrap();
        }
        dir
    }

    fn read(root: &Path, path: &str) -> String {
        std::fs::read_to_string(root.join(path)).unwrap()
    }

    #[test]
    fn committed_export_is_up_to_date() {
        if let Err(report) = run(&crate::workspace_root(), Path::new("export"), true, None) {
            panic!("{report}");
        }
    }

    #[test]
    fn check_passes_on_a_fresh_export_and_fails_with_a_diff_after_a_change() {
        let dir = workspace(&[("a.yaml", NOTE_A), ("b.yml", NOTE_B)]);
        let root = dir.path();
        let out = Path::new("export");
        run(root, out, false, None).unwrap();
        let first = read(root, "export/notes.json");
        assert!(read(root, "export/markdown/a.md").contains("- The old claim.\n"));
        run(root, out, true, None).unwrap();
        run(root, out, false, None).unwrap();
        assert_eq!(
            read(root, "export/notes.json"),
            first,
            "a second run changed the bytes"
        );

        std::fs::write(
            root.join("notes/a.yaml"),
            NOTE_A.replace("The old claim.", "The new claim."),
        )
        .unwrap();
        let report = run(root, out, true, None).unwrap_err();
        for expected in [
            "--- a/export/markdown/a.md\n+++ b/export/markdown/a.md\n",
            "\n-- The old claim.\n+- The new claim.\n",
            "--- a/export/notes.json\n",
            "run `cargo xtask export` and commit the result",
        ] {
            assert!(report.contains(expected), "{expected:?} not in:\n{report}");
        }
        assert!(!report.contains("b.md"), "{report}");
        assert_eq!(read(root, "export/notes.json"), first, "--check wrote");
    }

    /// A generated corpus of `files` notes under `root/notes`.
    fn generated_corpus(files: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let options = crate::gen_corpus::Options {
            out: PathBuf::from("notes"),
            files,
            claims: 60,
            seed: 3,
            vocab: crate::gen_corpus::Vocab::Wide,
            single: false,
        };
        crate::gen_corpus::generate(dir.path(), &options).unwrap();
        dir
    }

    /// `path` with the text of its `n`th claim (0-based, children included) replaced.
    fn edit_claim(path: &Path, n: usize, text: &str) {
        let old = std::fs::read_to_string(path).unwrap();
        let mut seen = 0;
        let lines: Vec<String> = old
            .lines()
            .map(|line| {
                let Some((indent, _)) = line.split_once("- text: ") else {
                    return line.to_owned();
                };
                seen += 1;
                if seen == n + 1 {
                    format!("{indent}- text: \"{text}\"")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        assert!(seen > n, "{} has only {seen} claims", path.display());
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn editing_one_claim_changes_one_line_of_notes_json() {
        let dir = generated_corpus(6);
        let root = dir.path();
        run(root, Path::new("export"), false, None).unwrap();
        let before = read(root, "export/notes.json");
        edit_claim(&root.join("notes/note-0003.yaml"), 17, "An edited claim.");
        run(root, Path::new("export"), false, None).unwrap();
        let after = read(root, "export/notes.json");
        let diff = TextDiff::from_lines(&before, &after);
        let changed: Vec<String> = diff
            .iter_all_changes()
            .filter(|change| change.tag() != similar::ChangeTag::Equal)
            .map(|change| format!("{}{}", change.tag(), change.value()))
            .collect();
        // One line out, one line in: the claim's.
        assert_eq!(changed.len(), 2, "{changed:#?}");
        assert!(
            changed[1].contains("\"text\":\"An edited claim.\""),
            "{changed:#?}"
        );
        assert!(before.lines().count() > 6 * 60, "one claim per line");
    }

    #[test]
    fn check_shows_the_first_hunks_of_a_stale_notes_json_and_counts_the_rest() {
        let dir = generated_corpus(8);
        let root = dir.path();
        run(root, Path::new("export"), false, None).unwrap();
        for note in 0..8 {
            edit_claim(
                &root.join(format!("notes/note-{note:04}.yaml")),
                30,
                &format!("Edited claim {note}."),
            );
        }
        let report = run(root, Path::new("export"), true, None).unwrap_err();
        let json = &report[report.find("--- a/export/notes.json").expect(&report)..];
        assert_eq!(json.matches("\n@@ -").count(), HUNKS_SHOWN, "{json}");
        for note in 0..HUNKS_SHOWN {
            assert!(json.contains(&format!("Edited claim {note}.")), "{json}");
        }
        assert!(!json.contains("Edited claim 7."), "{json}");
        assert!(
            json.contains(&format!(
                "… and {} more hunks of export/notes.json",
                8 - HUNKS_SHOWN
            )),
            "{json}"
        );
        // The Markdown of every note shows its change in full.
        assert!(
            report.contains("+++ b/export/markdown/note-0007.md"),
            "{report}"
        );
    }

    #[test]
    fn files_of_removed_notes_go_and_nothing_else_there_is_touched() {
        let dir = workspace(&[("a.yaml", NOTE_A), ("b.yml", NOTE_B)]);
        let root = dir.path();
        let out = Path::new("site/export");
        run(root, out, false, None).unwrap();
        let hand_written = root.join("site/export/markdown/hand-written.md");
        std::fs::write(&hand_written, "# Mine\n").unwrap();
        std::fs::write(root.join("site/export/markdown/notes.txt"), "keep").unwrap();
        std::fs::remove_file(root.join("notes/b.yml")).unwrap();

        let report = run(root, out, true, None).unwrap_err();
        assert!(
            report.contains("--- a/site/export/markdown/b.md\n+++ /dev/null\n"),
            "{report}"
        );
        assert!(!report.contains("hand-written"), "{report}");
        assert!(root.join("site/export/markdown/b.md").exists());

        run(root, out, false, None).unwrap();
        assert!(!root.join("site/export/markdown/b.md").exists());
        assert!(root.join("site/export/markdown/a.md").exists());
        assert_eq!(std::fs::read_to_string(&hand_written).unwrap(), "# Mine\n");
        assert!(root.join("site/export/markdown/notes.txt").exists());
        assert!(!read(root, "site/export/markdown/README.md").contains("b.md"));
        run(root, out, true, None).unwrap();
    }

    #[test]
    fn notes_that_do_not_load_are_not_exported() {
        let dir = workspace(&[("a.yaml", NOTE_A), ("bad.yaml", "title: [unclosed\n")]);
        let report = run(dir.path(), Path::new("export"), false, None).unwrap_err();
        assert!(report.contains("notes/bad.yaml:"), "{report}");
        assert!(report.contains("error[syntax]"), "{report}");
        assert!(!dir.path().join("export").exists());
    }

    #[test]
    fn clashing_note_ids_are_not_exported() {
        let dir = workspace(&[("a.yaml", NOTE_A), ("b.yml", "title: B\nid: a\n")]);
        let report = run(dir.path(), Path::new("export"), false, None).unwrap_err();
        assert!(report.contains("two notes have the id `a`"), "{report}");
        assert!(!dir.path().join("export").exists());
    }
}
