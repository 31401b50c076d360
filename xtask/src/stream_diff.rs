//! Comparing a file on disk with text produced piece by piece, in bounded memory.
//!
//! Lines that agree are dropped as soon as they are compared; only from a difference on
//! does a window of lines of each side wait in memory, to be diffed and reported as a
//! unified-diff hunk. The first few hunks are shown in full, the rest only counted.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::BufRead;

use similar::{Algorithm, DiffOp, DiffTag};

/// Lines of each side diffed at once after a difference.
const WINDOW: usize = 1000;
/// Unchanged lines shown around a change.
const CONTEXT: usize = 3;

/// A comparison under way of `old` (the file) with the text fed to it.
pub struct StreamDiff<R> {
    old: R,
    old_done: bool,
    /// Old lines read but not yet compared.
    old_lines: VecDeque<String>,
    /// New lines fed but not yet compared.
    new_lines: VecDeque<String>,
    /// The start of a new line whose end has not been fed yet.
    partial: String,
    /// Lines of each side compared so far.
    old_at: usize,
    new_at: usize,
    /// The last unchanged lines, the context before the next hunk.
    context: VecDeque<String>,
    /// The hunks shown at most.
    shown_at_most: usize,
    hunks: usize,
    report: String,
}

impl<R: BufRead> StreamDiff<R> {
    /// A comparison of `old` that shows at most `shown_at_most` hunks in full.
    pub fn new(old: R, shown_at_most: usize) -> Self {
        StreamDiff {
            old,
            old_done: false,
            old_lines: VecDeque::new(),
            new_lines: VecDeque::new(),
            partial: String::new(),
            old_at: 0,
            new_at: 0,
            context: VecDeque::new(),
            shown_at_most,
            hunks: 0,
            report: String::new(),
        }
    }

    /// Compares the next piece of the new text.
    pub fn feed(&mut self, text: &str) {
        for piece in text.split_inclusive('\n') {
            self.partial.push_str(piece);
            if piece.ends_with('\n') {
                self.new_lines.push_back(std::mem::take(&mut self.partial));
            }
        }
        self.compare(false);
    }

    /// Compares what is left and returns the hunks shown and how many hunks there are.
    pub fn finish(mut self) -> (String, usize) {
        if !self.partial.is_empty() {
            self.new_lines.push_back(std::mem::take(&mut self.partial));
        }
        self.compare(true);
        (self.report, self.hunks)
    }

    /// Reads old lines until `count` wait or the file ends. A read error ends it too,
    /// and then shows as lines that are missing.
    fn fill_old(&mut self, count: usize) {
        while !self.old_done && self.old_lines.len() < count {
            let mut line = Vec::new();
            match self.old.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => self.old_done = true,
                Ok(_) => self
                    .old_lines
                    .push_back(String::from_utf8_lossy(&line).into_owned()),
            }
        }
    }

    fn compare(&mut self, new_done: bool) {
        loop {
            // Agreeing lines go at once.
            loop {
                self.fill_old(1);
                match (self.old_lines.front(), self.new_lines.front()) {
                    (Some(old), Some(new)) if old == new => {
                        let line = self.old_lines.pop_front().unwrap_or_default();
                        self.new_lines.pop_front();
                        self.keep_context(line);
                    }
                    _ => break,
                }
            }
            if !new_done && self.new_lines.len() < WINDOW {
                return;
            }
            self.fill_old(WINDOW);
            if self.old_lines.is_empty() && self.new_lines.is_empty() {
                return;
            }
            self.diff_window();
        }
    }

    fn keep_context(&mut self, line: String) {
        self.context.push_back(line);
        if self.context.len() > CONTEXT {
            self.context.pop_front();
        }
        self.old_at += 1;
        self.new_at += 1;
    }

    /// Diffs the windows that start at a difference, reports the first hunk and drops
    /// the lines it covers.
    fn diff_window(&mut self) {
        let old: Vec<&String> = self.old_lines.iter().take(WINDOW).collect();
        let new: Vec<&String> = self.new_lines.iter().take(WINDOW).collect();
        let ops = similar::capture_diff_slices(Algorithm::Myers, &old, &new);
        let groups = similar::group_diff_ops(ops, CONTEXT);
        let Some(group) = groups.into_iter().next() else {
            return;
        };
        let (old_end, new_end) = group.iter().fold((0, 0), |(o, n), op| {
            (o.max(op.old_range().end), n.max(op.new_range().end))
        });
        self.hunks += 1;
        if self.hunks <= self.shown_at_most {
            let hunk = self.hunk(&group, &old, &new);
            self.report.push_str(&hunk);
        }
        // The trailing unchanged lines of the hunk become the next hunk's context.
        let trailing = match group.last() {
            Some(DiffOp::Equal { len, .. }) => *len,
            _ => 0,
        };
        self.context.clear();
        let old_lines: Vec<String> = self.old_lines.drain(..old_end).collect();
        self.new_lines.drain(..new_end);
        for line in old_lines.into_iter().skip(old_end - trailing) {
            self.context.push_back(line);
        }
        self.old_at += old_end;
        self.new_at += new_end;
    }

    fn hunk(&self, group: &[DiffOp], old: &[&String], new: &[&String]) -> String {
        let mut body = String::new();
        let (mut old_count, mut new_count) = (self.context.len(), self.context.len());
        for line in &self.context {
            push_line(&mut body, ' ', line);
        }
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                for line in &old[old_range.clone()] {
                    push_line(&mut body, ' ', line);
                }
                old_count += old_range.len();
                new_count += new_range.len();
                continue;
            }
            for line in &old[old_range.clone()] {
                push_line(&mut body, '-', line);
            }
            for line in &new[new_range.clone()] {
                push_line(&mut body, '+', line);
            }
            old_count += old_range.len();
            new_count += new_range.len();
        }
        let start = |at: usize, count: usize| if count == 0 { at } else { at + 1 };
        let old_start = self.old_at - self.context.len();
        let new_start = self.new_at - self.context.len();
        format!(
            "@@ -{},{old_count} +{},{new_count} @@\n{body}",
            start(old_start, old_count),
            start(new_start, new_count)
        )
    }
}

fn push_line(out: &mut String, mark: char, line: &str) {
    let _ = write!(out, "{mark}{line}");
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, pieces: &[&str], shown: usize) -> (String, usize) {
        let mut diff = StreamDiff::new(old.as_bytes(), shown);
        for piece in pieces {
            diff.feed(piece);
        }
        diff.finish()
    }

    #[test]
    fn equal_texts_have_no_hunk_however_they_are_cut() {
        let text = "a\nb\nc\n";
        assert_eq!(diff(text, &["a\nb", "\nc\n"], 5), (String::new(), 0));
        assert_eq!(diff("", &[], 5), (String::new(), 0));
    }

    #[test]
    fn a_changed_line_shows_with_its_context_and_line_numbers() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("\n10\n", "\nten\n");
        let (report, hunks) = diff(&old, &[&new], 5);
        assert_eq!(hunks, 1);
        assert_eq!(
            report,
            "@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n"
        );
        // The same as the whole-text diff would say.
        let whole = similar::TextDiff::from_lines(old.as_str(), new.as_str())
            .unified_diff()
            .context_radius(3)
            .to_string();
        assert_eq!(report, whole);
    }

    #[test]
    fn only_the_first_hunks_are_shown_and_the_rest_are_counted() {
        let old: String = (0..WINDOW * 5).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..WINDOW * 5)
            .map(|i| {
                if i % 100 == 50 {
                    format!("changed {i}\n")
                } else {
                    format!("line {i}\n")
                }
            })
            .collect();
        let pieces: Vec<&str> = new.split_inclusive("line 7").collect();
        let (report, hunks) = diff(&old, &pieces, 2);
        assert_eq!(hunks, WINDOW * 5 / 100);
        assert_eq!(report.matches("@@ -").count(), 2, "{report}");
        assert!(report.contains("-line 50\n+changed 50\n"), "{report}");
        assert!(report.contains("@@ -148,7 +148,7 @@"), "{report}");
    }

    #[test]
    fn added_and_removed_tails_and_a_missing_final_newline_show() {
        let (report, hunks) = diff("a\nb\n", &["a\nb\nc\n"], 5);
        assert_eq!(
            (report.as_str(), hunks),
            ("@@ -1,2 +1,3 @@\n a\n b\n+c\n", 1)
        );
        let (report, _) = diff("a\nb\nc\n", &["a\n"], 5);
        assert_eq!(report, "@@ -1,3 +1,1 @@\n a\n-b\n-c\n");
        let (report, _) = diff("a\n", &["a"], 5);
        assert_eq!(
            report,
            "@@ -1,1 +1,1 @@\n-a\n+a\n\\ No newline at end of file\n"
        );
    }
}
