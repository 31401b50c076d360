//! `cargo xtask lintcheck` on a folder of notes and a folder of Markdown: the report,
//! the committed counts, and precision from labels.

use std::path::Path;
use std::process::{Command, Output};

fn lintcheck(root: &Path, dirs: &[&Path]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(["lintcheck", "--today", "2026-12-03", "--sample", "2"])
        .args(dirs)
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn lintcheck_reports_counts_samples_and_precision_from_labels() {
    let root = tempfile::tempdir().expect("temp dir");
    let notes = root.path().join("yaml-notes");
    std::fs::create_dir(&notes).expect("mkdir");
    // Two unsourced claims and one placeholder, no dates needed.
    std::fs::write(
        notes.join("a.yaml"),
        "title: A\nsections:\n  - title: S\n    claims:\n      - text: The first claim.\n      - text: The second claim.\n      - text: TODO\n",
    )
    .expect("write");
    let markdown = root.path().join("md-notes");
    std::fs::create_dir(&markdown).expect("mkdir");
    std::fs::write(
        markdown.join("b.md"),
        "# Reading notes\n\n- A claim in Markdown.\n- Another claim in Markdown.\n",
    )
    .expect("write");

    lintcheck(root.path(), &[&notes, &markdown]);
    let counts =
        std::fs::read_to_string(root.path().join("tests/lintcheck/counts.md")).expect("counts");
    assert!(counts.contains("Linted as of 2026-12-03."), "{counts}");
    assert!(
        counts.contains("| yaml-notes | this repository | notes | 1 | 1 | 3 | 0 |"),
        "{counts}"
    );
    assert!(
        counts.contains("| md-notes | this repository | markdown | 1 | 1 |"),
        "{counts}"
    );
    let unsourced = counts
        .lines()
        .find(|l| l.starts_with("| unsourced-claim |"))
        .expect("an unsourced-claim row");
    assert_eq!(unsourced, "| unsourced-claim | 1 | 1 | 2 |", "{counts}");
    // No text of the corpora in the committed counts.
    assert!(!counts.contains("first claim"), "{counts}");

    let report_path = root.path().join("target/lintcheck/report.md");
    let report = std::fs::read_to_string(&report_path).expect("report");
    assert!(
        report.contains("| unsourced-claim | 2 | 2 | 0 | 0 | - |"),
        "{report}"
    );
    let key = report
        .lines()
        .find_map(|l| {
            l.strip_prefix("- `")
                .and_then(|l| l.split('`').next())
                .filter(|k| k.ends_with(":placeholder"))
        })
        .expect("a placeholder sample")
        .to_owned();
    assert!(report.contains("  - claim: TODO"), "{report}");

    // Label the placeholder sample wrong: precision 0% for that rule.
    std::fs::write(
        root.path().join("tests/lintcheck/labels.txt"),
        format!("{key} false test\n"),
    )
    .expect("write labels");
    lintcheck(root.path(), &[&notes, &markdown]);
    let report = std::fs::read_to_string(&report_path).expect("report");
    assert!(
        report.contains("| placeholder | 1 | 1 | 1 | 0 | 0% |"),
        "{report}"
    );
    assert!(
        report.contains(&format!("`{key}` — **false** test")),
        "{report}"
    );
}

#[test]
fn the_sample_keeps_its_findings_when_others_go() {
    let root = tempfile::tempdir().expect("temp dir");
    let notes = root.path().join("notes-a");
    std::fs::create_dir(&notes).expect("mkdir");
    let claims: Vec<String> = (0..12)
        .map(|i| format!("      - text: TODO {i}\n"))
        .collect();
    let note = |claims: &[String]| {
        format!(
            "title: A\nsections:\n  - title: S\n    claims:\n{}",
            claims.concat()
        )
    };
    std::fs::write(notes.join("a.yaml"), note(&claims)).expect("write");
    let sampled = |root: &Path| -> Vec<String> {
        let report =
            std::fs::read_to_string(root.join("target/lintcheck/report.md")).expect("report");
        let section = report
            .split("### placeholder")
            .nth(1)
            .expect("placeholder samples");
        section
            .lines()
            .take_while(|l| !l.starts_with("### "))
            .filter_map(|l| l.strip_prefix("- `").and_then(|l| l.split('`').next()))
            .map(str::to_owned)
            .collect()
    };
    let run = |root: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(root)
            .args(["lintcheck", "--today", "2026-12-03", "--sample", "4"])
            .arg(root.join("notes-a"))
            .output()
            .expect("xtask runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(root.path());
    let first = sampled(root.path());
    assert_eq!(first.len(), 4, "{first:?}");
    // Drop the last claim that is not sampled: every sampled finding before it stays
    // sampled (those after it move up a line, and their keys with them).
    let line_of = |key: &str| -> usize {
        key.split(':')
            .nth(2)
            .and_then(|n| n.parse().ok())
            .expect("line")
    };
    let kept: Vec<usize> = first.iter().map(|k| line_of(k)).collect();
    let dropped = (0..claims.len())
        .rev()
        .find(|i| !kept.contains(&(i + 5)))
        .expect("an unsampled claim");
    let mut fewer = claims.clone();
    fewer.remove(dropped);
    std::fs::write(notes.join("a.yaml"), note(&fewer)).expect("write");
    run(root.path());
    let second = sampled(root.path());
    for key in &first {
        // Claims after the dropped one moved up a line.
        let line = line_of(key);
        let moved = if line > dropped + 5 { line - 1 } else { line };
        let expected = key.replace(&format!(":{line}:"), &format!(":{moved}:"));
        assert!(
            second.contains(&expected) || line > dropped + 5,
            "{expected} left the sample {second:?}"
        );
    }
}
