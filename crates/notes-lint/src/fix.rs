//! `--fix` and `--diff`: applying findings' safe fixes as byte-range edits of the
//! original text, so comments, blank lines and quoting survive.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use notes_core::{Edit, Finding, Span};
use similar::TextDiff;

use crate::engine::Outcome;

/// The fixed text of every file that has fixes, from the original texts.
pub fn fixed_texts(
    findings: &[Finding],
    original: impl Fn(&Path) -> Option<String>,
) -> BTreeMap<PathBuf, (String, String)> {
    let mut edits: BTreeMap<PathBuf, Vec<&Edit>> = BTreeMap::new();
    for finding in findings {
        if let (Some(fix), Some(file)) = (&finding.fix, &finding.file) {
            edits.entry(file.clone()).or_default().extend(&fix.edits);
        }
    }
    let mut out = BTreeMap::new();
    for (file, mut file_edits) in edits {
        let Some(text) = original(&file) else {
            continue;
        };
        file_edits.sort_by_key(|e| (e.span.start, e.span.end));
        let fixed = apply(&text, &file_edits);
        if fixed != text {
            out.insert(file, (text, fixed));
        }
    }
    out
}

/// Applies non-overlapping edits in order; an edit that overlaps an earlier one is
/// skipped (the next run picks it up).
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let Span { start, end } = edit.span;
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&edit.replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The unified diff of one file's fix.
pub fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    let (a, b) = if path.is_absolute() {
        (name.clone(), name)
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string()
}

/// Writes `content` to `path` atomically (see [`crate::atomic::write`]).
pub fn write_atomically(path: &Path, content: &str) -> std::io::Result<()> {
    crate::atomic::write(path, content.as_bytes())
}

/// At most this many rounds of fixes; one or two are nearly always enough.
pub const MAX_ROUNDS: usize = 8;

/// What `--fix` did in memory: the lint of the fixed texts, and the files it changed.
#[derive(Debug)]
pub struct FixRun {
    /// The lint of the files with every fix applied.
    pub outcome: Outcome,
    /// Every changed file, sorted by path: its path, original text and fixed text.
    pub changed: Vec<(PathBuf, String, String)>,
}

/// Applies the safe fixes of `outcome` in memory until none is left (a fix can unblock
/// others, such as a renamed field that lets the note load), at most [`MAX_ROUNDS`]
/// rounds. `lint` lints the files again, taking the texts in its argument instead of
/// the ones on disk. Nothing is written.
pub fn fix_until_done(
    mut outcome: Outcome,
    lint: impl Fn(&HashMap<PathBuf, String>) -> Outcome,
) -> FixRun {
    let mut originals: HashMap<PathBuf, String> = HashMap::new();
    let mut overlay: HashMap<PathBuf, String> = HashMap::new();
    for _ in 0..MAX_ROUNDS {
        let fixes = fixed_texts(&outcome.findings, |path| {
            outcome.source(path).map(|s| s.text().to_owned())
        });
        if fixes.is_empty() {
            break;
        }
        for (path, (old, new)) in fixes {
            originals.entry(path.clone()).or_insert(old);
            overlay.insert(path, new);
        }
        outcome = lint(&overlay);
    }
    let mut changed: Vec<(PathBuf, String, String)> = overlay
        .into_iter()
        .filter_map(|(path, new)| {
            let old = originals.remove(&path).unwrap_or_default();
            (old != new).then_some((path, old, new))
        })
        .collect();
    changed.sort();
    FixRun { outcome, changed }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The byte range of whole lines that make up the block-sequence item whose `- ` is
/// on the line containing `offset`: that line plus the following more-indented lines.
/// `None` when the item shares its line with something else (a flow sequence).
pub fn block_item_lines(text: &str, offset: usize) -> Option<Span> {
    let start = line_start(text, offset);
    let first_line = text[start..].lines().next()?;
    let dash = indent(first_line);
    if !first_line[dash..].starts_with("- ") && first_line[dash..].trim_end() != "-" {
        return None;
    }
    Some(Span::new(start, block_end(text, start, dash, false)))
}

/// The byte range of whole lines of the mapping entry whose key is on the line
/// containing `offset`: that line plus its more-indented lines (and a block sequence
/// written at the key's own indentation).
pub fn block_entry_lines(text: &str, offset: usize) -> Option<Span> {
    let start = line_start(text, offset);
    let first_line = text[start..].lines().next()?;
    let key = indent(first_line);
    if first_line[key..].starts_with("- ") {
        return None;
    }
    Some(Span::new(start, block_end(text, start, key, true)))
}

/// The end of the block that starts at the line at `start` with indentation `column`:
/// the end of the last following line that is indented deeper (or, with
/// `same_indent_items`, is a `- ` item at the same indentation). Blank and comment
/// lines after the block stay outside it.
fn block_end(text: &str, start: usize, column: usize, same_indent_items: bool) -> usize {
    let mut end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let mut cursor = end;
    while cursor < text.len() {
        let line_end = text[cursor..]
            .find('\n')
            .map_or(text.len(), |i| cursor + i + 1);
        let line = &text[cursor..line_end];
        let trimmed = line.trim_start_matches(' ');
        let blank = trimmed.trim().is_empty() || trimmed.starts_with('#');
        if !blank {
            let deeper = indent(line) > column;
            let item = same_indent_items && indent(line) == column && trimmed.starts_with("- ");
            if !(deeper || item) {
                break;
            }
            end = line_end;
        }
        cursor = line_end;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_items_and_entries_cover_whole_lines() {
        let text =
            "allow:\n  - rule: a\n    reason: b\n  # keep me\n  - {rule: c, reason: d}\nnext: 1\n";
        let first = block_item_lines(text, text.find("- rule").unwrap()).unwrap();
        assert_eq!(
            &text[first.start..first.end],
            "  - rule: a\n    reason: b\n"
        );
        let entry = block_entry_lines(text, 0).unwrap();
        assert!(text[entry.start..entry.end].ends_with("reason: d}\n"));
        assert!(text[entry.start..entry.end].contains("# keep me"));
        assert_eq!(block_item_lines("allow: [{rule: a}]\n", 8), None);
    }

    #[test]
    fn overlapping_edits_are_skipped() {
        let a = Edit {
            span: Span::new(0, 3),
            replacement: "x".into(),
        };
        let b = Edit {
            span: Span::new(2, 4),
            replacement: "y".into(),
        };
        assert_eq!(apply("abcdef", &[&a, &b]), "xdef");
    }
}
