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
