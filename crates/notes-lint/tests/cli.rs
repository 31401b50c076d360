//! End-to-end cases: the `notes-lint` binary on the files under `tests/cli/`.

mod common;
use common::root;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn notes_lint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn hostile_files_each_give_a_finding_quickly_and_exit_1() {
    // 100,000-deep flow nesting is generated here rather than committed.
    let dir = tempfile::tempdir().expect("temp dir");
    let deep = dir.path().join("deep.yaml");
    std::fs::write(
        &deep,
        format!("title: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    let cases = [
        ("tests/cli/hostile/alias-bomb.yaml", "syntax", "alias"),
        ("tests/cli/hostile/invalid-utf8.yaml", "syntax", "UTF-8"),
        (
            "tests/cli/hostile/nul.yaml",
            "syntax",
            "unexpected character",
        ),
        (
            "tests/cli/hostile/duplicate-keys.yaml",
            "syntax",
            "duplicate mapping key",
        ),
        ("tests/cli/hostile/empty.yaml", "schema", "empty"),
    ];
    let deep_path = deep.display().to_string();
    let all = cases
        .iter()
        .map(|(path, rule, text)| (*path, *rule, *text))
        .chain([(deep_path.as_str(), "syntax", "recursion limit")]);
    for (path, rule, text) in all {
        let start = Instant::now();
        let output = notes_lint(&["--format", "short", path]);
        let elapsed = start.elapsed();
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{path}: {out}");
        assert!(out.contains(&format!("[{rule}]")), "{path}: {out}");
        assert!(out.contains(text), "{path}: {out}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
        assert!(elapsed < Duration::from_secs(5), "{path} took {elapsed:?}");
    }
}

#[test]
fn hostile_positions_are_reported_where_there_is_one() {
    let output = notes_lint(&["--format", "short", "tests/cli/hostile"]);
    let out = stdout(&output);
    assert!(
        out.contains("tests/cli/hostile/duplicate-keys.yaml:2:1: error[syntax]"),
        "{out}"
    );
    assert!(
        out.contains("tests/cli/hostile/invalid-utf8.yaml:1:10: error[syntax]"),
        "{out}"
    );
    assert!(
        out.contains("tests/cli/hostile/nul.yaml:1:10: error[syntax]"),
        "{out}"
    );
    // One bad file never stops the others: all five are reported.
    assert_eq!(out.lines().count(), 5, "{out}");
}

#[test]
fn human_output_labels_the_value_in_a_nested_claim() {
    let output = notes_lint(&["--color", "never", "tests/cli/nested/nested.yaml"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    let expected = "\
  × `May 2022` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD
   ╭─[tests/cli/nested/nested.yaml:9:20]
 8 │           - text: Child
 9 │             as_of: May 2022
   ·                    ────┬───
   ·                        ╰── not valid here
   ╰────
  help: write the date as YYYY, YYYY-MM or YYYY-MM-DD, such as 2022-05
";
    assert!(out.contains(expected), "{out}");
    // The schema error drops the child claim it is in, and only that: its parent is
    // still linted (and has no source).
    assert!(out.contains("claim cites no source"), "{out}");
    assert!(
        out.ends_with("1 error, 1 warning, 0 infos in 1 file, 1 note, 1 claim\n"),
        "{out}"
    );
}

#[test]
fn json_output_has_the_contract_shape() {
    let output = notes_lint(&[
        "--format",
        "json",
        "--today",
        "2026-11-27",
        "tests/cli/json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let object = report.as_object().expect("an object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, ["version", "today", "summary", "findings"]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["today"], "2026-11-27");
    let summary = report["summary"].as_object().expect("summary");
    let summary_keys: Vec<&str> = summary.keys().map(String::as_str).collect();
    assert_eq!(
        summary_keys,
        ["files", "notes", "claims", "errors", "warnings", "infos"]
    );
    assert_eq!(report["summary"]["files"], 1);
    // The claim with the bad date is dropped; the note and its other claims are linted.
    assert_eq!(report["summary"]["notes"], 1);
    assert_eq!(report["summary"]["claims"], 3);
    let findings = report["findings"].as_array().expect("findings");
    let schema: Vec<_> = findings.iter().filter(|f| f["rule"] == "schema").collect();
    assert_eq!(schema.len(), 1, "{findings:?}");
    assert!(findings.iter().any(|f| f["rule"] == "duplicate-id"));
    let finding = schema[0];
    let finding_keys: Vec<&str> = finding
        .as_object()
        .expect("finding")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        finding_keys,
        [
            "rule",
            "severity",
            "message",
            "help",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "note",
            "claim"
        ]
    );
    assert_eq!(finding["rule"], "schema");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["file"], "tests/cli/json/a.yaml");
    assert_eq!(finding["line"], 9);
    assert_eq!(finding["column"], 20);
    assert_eq!(finding["end_line"], 9);
    assert_eq!(finding["end_column"], 28);
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("May 2022"))
    );
    assert!(finding["help"].is_string());
}

#[test]
fn json_lists_a_cluster_once_with_its_other_places() {
    let dir = tempfile::tempdir().expect("temp dir");
    let claim = "The field is focused around a small number of conferences.";
    std::fs::write(
        dir.path().join("a.yaml"),
        format!("title: A\nsections:\n  - title: S\n    claims:\n      - text: {claim}\n      - text: other\n      - text: {claim}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.yaml"),
        format!("title: B\nsections:\n  - title: S\n    claims:\n      - text: {claim}\n"),
    )
    .expect("write");
    let output = notes_lint(&[
        "--format",
        "json",
        "--select",
        "duplicate-claim",
        dir.path().to_str().expect("utf-8 path"),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = &findings[0];
    assert_eq!(finding["line"], 5);
    assert!(
        finding["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("a.yaml"))
    );
    let related = finding["related"].as_array().expect("related places");
    assert_eq!(related.len(), 2);
    assert!(
        related[0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("a.yaml"))
    );
    assert_eq!(related[0]["line"], 7);
    assert_eq!(related[0]["column"], 15);
    assert!(
        related[1]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("b.yaml"))
    );
    assert_eq!(related[1]["line"], 5);
    assert_eq!(related[1]["message"], "same text");
}

#[test]
fn json_findings_name_the_note_and_claim() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("twins.yaml");
    std::fs::write(
        &file,
        "title: T\nsections:\n  - title: S\n    claims:\n      - {text: a, id: twin}\n      - {text: “b”, id: twin}\n",
    )
    .expect("write");
    let output = notes_lint(&["--format", "json", file.to_str().expect("utf-8 path")]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "duplicate-id")
        .expect("a duplicate-id finding");
    assert_eq!(finding["note"], "twins");
    assert_eq!(finding["claim"], "twin");
    assert_eq!(finding["line"], 6);
    // Columns count Unicode scalar values.
    assert_eq!(finding["column"], 25);
}

#[test]
fn sarif_output_validates_against_the_sarif_schema() {
    let output = notes_lint(&["--format", "sarif", "tests/rules/schema/three-problems"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let schema_text =
        std::fs::read_to_string(root().join("tests/data/sarif-2.1.0.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(3));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "schema"));
}

#[test]
fn sarif_lists_a_clusters_other_places_as_related_locations() {
    let output = notes_lint(&[
        "--format",
        "sarif",
        "--select",
        "duplicate-claim",
        "tests/rules/duplicate-claim/cluster",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let schema_text =
        std::fs::read_to_string(root().join("tests/data/sarif-2.1.0.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let first = &log["runs"][0]["results"][0];
    let related = first["relatedLocations"]
        .as_array()
        .expect("related locations");
    assert_eq!(related.len(), 3);
    assert_eq!(
        related[1]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/rules/duplicate-claim/cluster/b.yaml"
    );
    assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 6);
}

#[test]
fn exit_codes_follow_the_contract() {
    assert_eq!(notes_lint(&["notes"]).status.code(), Some(0));
    assert_eq!(notes_lint(&["tests/cli/nested"]).status.code(), Some(1));
    assert_eq!(notes_lint(&["does/not/exist"]).status.code(), Some(2));
    assert_eq!(
        notes_lint(&["--select", "no-such-rule"]).status.code(),
        Some(2)
    );
    assert_eq!(
        notes_lint(&["--explain", "no-such-rule"]).status.code(),
        Some(2)
    );
    assert_eq!(
        notes_lint(&["--today", "2026-13-01"]).status.code(),
        Some(2)
    );
    let explain = notes_lint(&["--explain", "duplicate-id"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(stdout(&explain).contains("## How to fix"));
}

#[test]
fn a_broken_config_is_exit_2_pointing_at_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("notes-lint.toml");
    std::fs::write(&config, "[rules]\nduplicate-id = \"loud\"\n").expect("write");
    let output = notes_lint(&["--config", config.to_str().expect("utf-8"), "notes"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("notes-lint.toml:2:"), "{err}");
}

#[test]
fn config_is_discovered_from_a_subdirectory() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("notes-lint.toml"),
        "[rules]\nduplicate-id = \"off\"\n",
    )
    .expect("write");
    let sub = dir.path().join("notes/sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(
        sub.join("a.yaml"),
        "title: T\nsections:\n  - title: S\n    claims:\n      - {text: a, id: x}\n      - {text: b, id: x}\n",
    )
    .expect("write");
    let run = |cwd: &Path| {
        Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["--format", "short", "."])
            .current_dir(cwd)
            .output()
            .expect("runs")
    };
    let found = run(&sub);
    assert_eq!(found.status.code(), Some(0), "{}", stdout(&found));
    std::fs::remove_file(dir.path().join("notes-lint.toml")).expect("rm");
    let without = run(&sub);
    assert_eq!(without.status.code(), Some(1));
    assert!(stdout(&without).contains("[duplicate-id]"));
}

fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let to = dir.path().join("note.yaml");
    std::fs::copy(root().join("tests/cli/fix").join(name), &to).expect("copy");
    (dir, to)
}

#[test]
fn fix_keeps_comments_and_blank_lines_and_diff_shows_exactly_what_fix_writes() {
    let (_dir, file) = copy_fixture("note.yaml");
    let path = file.to_str().expect("utf-8");
    let original = std::fs::read_to_string(&file).expect("read");

    let diff = notes_lint(&["--fix", "--diff", path]);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "a diff means there is something to fix"
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        original,
        "--diff writes nothing"
    );

    let fix = notes_lint(&["--fix", "--format", "short", path]);
    let fixed = std::fs::read_to_string(&file).expect("read");
    // What --fix wrote is what --diff showed.
    let expected_diff = similar::TextDiff::from_lines(&original, &fixed)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    assert_eq!(stdout(&diff), expected_diff);

    assert!(
        fixed.contains("        sources: [s1]   # a typo the fix renames\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains(
            "      - {text: Third, sources: [\"s1\"]}   # an unknown source the fix renames\n"
        ),
        "{fixed}"
    );
    assert!(!fixed.contains("nothing is duplicated"), "{fixed}");
    assert!(!fixed.contains("unused-suppresion"), "{fixed}");
    assert!(
        fixed.contains("{rule: duplicate-id, reason: still needed}"),
        "{fixed}"
    );
    for line in original
        .lines()
        .filter(|l| l.trim_start().starts_with('#') || l.is_empty())
    {
        assert!(
            fixed.lines().any(|f| f == line),
            "lost the line {line:?}:\n{fixed}"
        );
    }
    assert_eq!(fix.status.code(), Some(0), "{}", stdout(&fix));

    let again = notes_lint(&["--fix", "--diff", path]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), "", "a second --fix has nothing to do");
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let case = "tests/rules/unused-suppression/unused";
    let both = "unused-suppression,duplicate-id";
    let selected = stdout(&notes_lint(&["--format", "short", "--select", both, case]));
    assert!(selected.contains("[unused-suppression]"), "{selected}");
    assert!(
        selected.lines().all(|l| l.contains("[unused-suppression]")),
        "only selected rules run: {selected}"
    );
    let ignored = notes_lint(&[
        "--format",
        "short",
        "--select",
        both,
        "--ignore",
        "unused-suppression",
        case,
    ]);
    assert_eq!(stdout(&ignored), "");
    assert_eq!(ignored.status.code(), Some(0));
    let warned = notes_lint(&["--select", "unused-suppression", case]);
    assert_eq!(
        warned.status.code(),
        Some(0),
        "warnings alone do not fail the run"
    );
    let denied = notes_lint(&["--deny-warnings", "--select", "unused-suppression", case]);
    assert_eq!(
        denied.status.code(),
        Some(1),
        "warnings fail the run with --deny-warnings"
    );
}

#[test]
fn short_and_github_formats() {
    let case = "tests/rules/schema/three-problems";
    let short = stdout(&notes_lint(&["--format", "short", case]));
    assert_eq!(
        short.lines().next(),
        Some(
            "tests/rules/schema/three-problems/a.yaml:5:11: error[schema]: `blog` is not a valid value for `type`"
        )
    );
    let github = stdout(&notes_lint(&["--format", "github", case]));
    assert!(
        github.starts_with("::error file=tests/rules/schema/three-problems/a.yaml,line=5,col=11,endLine=5,endColumn=15,title=schema::`blog` is not a valid value for `type`%0Ahelp: "),
        "{github}"
    );
    assert_eq!(github.lines().count(), 3);
}

#[test]
fn statistics_count_the_findings_per_rule_in_every_format() {
    use std::collections::BTreeMap;
    // A case with errors and warnings from several rules, one of them fixable.
    let args = [
        "--today",
        "2026-11-27",
        "notes",
        "tests/rules/schema/three-problems",
    ];
    let full = notes_lint(&[&["--format", "json"], &args[..]].concat());
    let report: serde_json::Value = serde_json::from_slice(&full.stdout).expect("json");
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for finding in report["findings"].as_array().expect("findings") {
        let key = (
            finding["rule"].as_str().expect("rule").to_owned(),
            finding["severity"].as_str().expect("severity").to_owned(),
        );
        *expected.entry(key).or_default() += 1;
    }
    assert!(expected.len() >= 3, "{expected:?}");

    for format in ["json", "sarif"] {
        let output = notes_lint(&[&["--statistics", "--format", format], &args[..]].concat());
        assert_eq!(output.status.code(), full.status.code(), "{format}");
        let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(stats["summary"], report["summary"], "{format}");
        let rows = stats["statistics"].as_array().expect("statistics");
        let got: BTreeMap<(String, String), u64> = rows
            .iter()
            .map(|row| {
                let key = (
                    row["rule"].as_str().expect("rule").to_owned(),
                    row["severity"].as_str().expect("severity").to_owned(),
                );
                (key, row["count"].as_u64().expect("count"))
            })
            .collect();
        assert_eq!(got, expected, "{format}");
        let counts: Vec<u64> = rows
            .iter()
            .map(|r| r["count"].as_u64().expect("n"))
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "most first: {counts:?}"
        );
    }

    for format in ["human", "short", "github"] {
        let output = notes_lint(&[&["--statistics", "--format", format], &args[..]].concat());
        assert_eq!(output.status.code(), full.status.code(), "{format}");
        let text = stdout(&output);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), expected.len() + 1, "{format}: {text}");
        for ((rule, severity), count) in &expected {
            assert!(
                lines.iter().any(|line| {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    words.get(..3) == Some(&[count.to_string().as_str(), severity, rule][..])
                }),
                "{format}: no row for {count} {severity} {rule} in\n{text}"
            );
        }
        let summary = &report["summary"];
        assert!(
            lines.last().is_some_and(|last| last.contains(&format!(
                "{} errors, {} warnings",
                summary["errors"], summary["warnings"]
            ))),
            "{format}: {text}"
        );
    }
}

#[test]
fn list_rules_prints_every_rule_with_its_severity() {
    let out = stdout(&notes_lint(&["--list-rules"]));
    for rule in notes_lint::rules::REGISTRY {
        let meta = rule.meta();
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(meta.id))
            .unwrap_or_else(|| panic!("{} is not listed", meta.id));
        assert!(line.contains(meta.default_severity.as_str()));
        assert!(line.contains(meta.summary));
    }
}

#[test]
fn many_deeply_nested_notes_lint_in_parallel_without_overflowing_the_stack() {
    // Thirty claim generations: the deepest the loader accepts.
    let mut note = String::from("title: Deep\nsections:\n  - title: S\n    claims:\n");
    let mut indent = String::from("      ");
    for level in 0..30 {
        note.push_str(&format!("{indent}- text: level {level}\n"));
        if level < 29 {
            note.push_str(&format!("{indent}  children:\n"));
        }
        indent.push_str("    ");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..8 {
        std::fs::write(dir.path().join(format!("deep-{i}.yaml")), &note).expect("write");
    }
    let output = notes_lint(&[
        "--format",
        "short",
        "--select",
        "schema",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn an_exclude_written_after_a_table_gets_a_pointed_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("notes-lint.toml");
    std::fs::write(
        &config,
        "[staleness.tags]\nbenchmarks = \"6mo\"\n\nexclude = [\"notes/drafts/**\"]\n",
    )
    .expect("write");
    let output = notes_lint(&["--config", config.to_str().expect("utf-8"), "notes"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("notes-lint.toml:4:"), "{err}");
    assert!(err.contains("follows `[staleness.tags]`"), "{err}");
}

#[test]
fn exclude_globs_skip_files_relative_to_the_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("notes-lint.toml"),
        "exclude = [\"notes/drafts/**\"]\n",
    )
    .expect("write");
    let drafts = dir.path().join("notes/drafts");
    std::fs::create_dir_all(&drafts).expect("mkdir");
    std::fs::write(drafts.join("broken.yaml"), "title: [unclosed\n").expect("write");
    std::fs::write(dir.path().join("notes/ok.yaml"), "title: Fine\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["--format", "short"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// A notes folder with a link to a file outside it that holds a fake secret, and a
/// link to a note inside it. Returns (the outside folder, the tree, the notes folder).
#[cfg(unix)]
fn tree_with_links() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.yaml"),
        "title: SECRET-TOKEN-123\nsections: [SECRET-TOKEN-123]\n",
    )
    .expect("write");
    let tree = tempfile::tempdir().expect("temp dir");
    let notes = tree.path().join("notes");
    std::fs::create_dir_all(notes.join("shared")).expect("mkdir");
    std::fs::write(
        notes.join("shared/real.yaml"),
        "title: Real\nsections:\n  - title: S\n    claims:\n      - text: A claim.\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), notes.join("leak.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink(notes.join("shared/real.yaml"), notes.join("alias.yaml"))
        .expect("symlink");
    (outside, tree, notes)
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_linted_folder_is_reported_and_never_read() {
    let (_outside, tree, _notes) = tree_with_links();
    for format in ["human", "short", "json", "sarif", "github"] {
        let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["--format", format, "--today", "2026-11-27", "notes"])
            .current_dir(tree.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let out = stdout(&output);
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!out.contains("SECRET"), "{format}: {out}");
        assert!(!err.contains("SECRET"), "{format}: {err}");
        assert_eq!(output.status.code(), Some(1), "{format}: {out}");
        assert_eq!(
            out.matches("is a symbolic link to a file outside the folder being linted")
                .count(),
            1,
            "{format}: one finding for the link: {out}"
        );
        assert!(out.contains("leak.yaml"), "{format}: {out}");
        if format == "short" {
            // The link inside the folder is followed like any note; the one that leaves
            // it is an error of the `syntax` rule, which cannot be turned off.
            assert_eq!(
                out.lines()
                    .filter(|l| l.starts_with("notes/leak.yaml:"))
                    .collect::<Vec<_>>(),
                [
                    "notes/leak.yaml:1:1: error[syntax]: `notes/leak.yaml` is a symbolic link \
                  to a file outside the folder being linted: not read"
                ]
            );
            assert!(out.contains("notes/alias.yaml:"), "{out}");
            assert!(out.contains("notes/shared/real.yaml:"), "{out}");
        }
        if format == "json" {
            let report: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("valid JSON");
            assert_eq!(report["summary"]["files"], 2, "{out}");
        }
    }
    // --fix neither reads nor writes through the link.
    let fix = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["--fix", "--diff", "notes"])
        .current_dir(tree.path())
        .output()
        .expect("runs");
    assert!(!stdout(&fix).contains("SECRET"));
    // Named on the command line, the link is read: the user asked for it.
    let named = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["--format", "short", "notes/leak.yaml"])
        .current_dir(tree.path())
        .output()
        .expect("runs");
    assert!(
        stdout(&named).contains("notes/leak.yaml:2:"),
        "{}",
        stdout(&named)
    );
    assert!(!stdout(&named).contains("symbolic link"));
}

#[cfg(unix)]
#[test]
fn fix_killed_before_its_rename_leaves_the_file_intact() {
    let (_dir, file) = copy_fixture("note.yaml");
    let original = std::fs::read_to_string(&file).expect("read");
    let folder = file.parent().expect("folder").to_path_buf();
    let mut child = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["--fix", "--format", "short"])
        .arg(&file)
        .env(notes_lint::atomic::TEST_PAUSE_ENV, "60000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    let temp_files = || -> Vec<PathBuf> {
        std::fs::read_dir(&folder)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(notes_lint::atomic::is_temp_name)
            })
            .collect()
    };
    let start = Instant::now();
    // The fixed text is written in full to a temporary file before the pause.
    while temp_files().is_empty()
        || temp_files()
            .iter()
            .any(|t| std::fs::metadata(t).is_ok_and(|m| m.len() == 0))
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "--fix ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        original,
        "the note changed though the rename never happened"
    );
    // The leftover is hidden and is no note: the next run ignores it and fixes the file.
    assert_eq!(temp_files().len(), 1);
    let again = notes_lint(&["--fix", "--format", "short", file.to_str().expect("utf-8")]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert_ne!(std::fs::read_to_string(&file).expect("read"), original);
    let listed = notes_lint(&["--format", "short", folder.to_str().expect("utf-8")]);
    let listed = stdout(&listed);
    assert!(listed.contains("note.yaml:"), "{listed}");
    assert!(
        !listed.contains(notes_lint::atomic::TEMP_PREFIX),
        "the leftover was taken for a note: {listed}"
    );
}

#[test]
fn diff_alone_shows_the_fixes_and_writes_nothing() {
    let (_dir, file) = copy_fixture("note.yaml");
    let path = file.to_str().expect("utf-8");
    let original = std::fs::read_to_string(&file).expect("read");
    let alone = notes_lint(&["--diff", path]);
    let with_fix = notes_lint(&["--fix", "--diff", path]);
    assert_eq!(alone.status.code(), Some(1), "{}", stdout(&alone));
    assert!(stdout(&alone).contains("+++ "), "{}", stdout(&alone));
    assert_eq!(stdout(&alone), stdout(&with_fix));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
}

#[test]
fn the_human_format_shows_related_places_without_a_bare_advice_header() {
    let output = notes_lint(&[
        "--today",
        "2026-11-27",
        "tests/rules/duplicate-claim/duplicates",
    ]);
    let out = stdout(&output);
    assert!(out.contains("first written here"), "{out}");
    assert!(!out.contains("Advice:"), "{out}");
}

#[test]
fn help_groups_the_options_and_shows_examples() {
    let out = stdout(&notes_lint(&["--help"]));
    for heading in [
        "Input:",
        "Output:",
        "Rules:",
        "Fixes:",
        "Documentation:",
        "Examples:",
    ] {
        assert!(out.lines().any(|l| l == heading), "no {heading} in\n{out}");
    }
    assert!(out.contains("notes-lint --explain stale-claim"), "{out}");
}

#[test]
fn an_unknown_rule_suggests_the_nearest_ones_and_exits_2() {
    let typo = notes_lint(&["--select", "stale-claims"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr).into_owned();
    assert!(err.contains("did you mean `stale-claim`?"), "{err}");

    let part = notes_lint(&["--ignore", "unsourced"]);
    assert_eq!(part.status.code(), Some(2));
    let err = String::from_utf8_lossy(&part.stderr).into_owned();
    assert!(
        err.contains("did you mean `unsourced-claim` or `unsourced-figure`?"),
        "{err}"
    );
}

#[test]
fn context_files_are_read_for_cross_note_checks_but_not_reported_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).expect("mkdir");
    std::fs::write(
        notes.join("a.yaml"),
        "title: A\nas_of: 2026-01\nsections:\n  - title: S\n    claims:\n      - text: Cites a source of b.\n        sources: [kaplan-2020]\n",
    )
    .expect("write a");
    std::fs::write(
        notes.join("b.yaml"),
        "title: B\nas_of: 2026-01\nsources:\n  - {id: kaplan-2020, type: paper, title: Scaling laws, arxiv: \"2001.08361\"}\nsections:\n  - title: S\n    claims:\n      - text: TODO\n        sources: [kaplan-2020]\n",
    )
    .expect("write b");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["--format", "short", "--today", "2026-11-27"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("runs");
        (output.status.code(), stdout(&output))
    };
    // Alone, a.yaml cites a source it does not define.
    let (code, alone) = run(&["notes/a.yaml"]);
    assert_eq!(code, Some(1), "{alone}");
    assert!(alone.contains("[unknown-reference]"), "{alone}");
    // The whole folder: the source is found, and b.yaml's placeholder is reported.
    let (_, all) = run(&["notes"]);
    assert!(!all.contains("[unknown-reference]"), "{all}");
    assert!(
        all.contains("notes/b.yaml:8:15: warning[placeholder]"),
        "{all}"
    );
    // With the folder as context: the source is found, and nothing about b.yaml is reported.
    let (code, out) = run(&["--context", "notes", "notes/a.yaml"]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out, "", "{out}");
    // A context path that does not exist is an error of the command.
    let (code, _) = run(&["--context", "nowhere", "notes/a.yaml"]);
    assert_eq!(code, Some(2));
}

#[test]
fn fix_leaves_an_unused_allow_whose_flow_list_runs_past_its_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let note = dir.path().join("note.yaml");
    let text = "title: T\nsources:\n  - {id: s, type: personal, title: S}\nsections:\n  - title: S\n    claims:\n      - text: A claim.\n        sources: [s]\n        allow: [{rule:\nno-such-rule, reason: r}]\n";
    std::fs::write(&note, text).expect("write");
    let path = note.to_str().expect("utf-8");
    let fixed = notes_lint(&["--fix", "--format", "short", "--today", "2026-11-27", path]);
    let out = stdout(&fixed);
    assert!(out.contains("unused-suppression"), "{out}");
    // Deleting the `allow:` line alone would leave `no-such-rule, ...}]` behind.
    assert_eq!(std::fs::read_to_string(&note).expect("read"), text);
    assert!(!out.contains("[syntax]"), "{out}");
}

#[test]
fn the_pedantic_group_is_opt_in_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("habits.yaml"),
        "title: Habits\nsections:\n  - title: S\n    claims:\n      - text: I back up my notes every night.\n      - text: Backups fail silently more often than people think.\n",
    )
    .expect("write");
    let path = dir.path().to_str().expect("utf-8");
    let lint = |extra: &[&str]| {
        let mut args = vec!["--format", "short", "--select", "unsourced-claim"];
        args.extend_from_slice(extra);
        args.push(path);
        stdout(&notes_lint(&args))
    };
    // By default only the claim of fact is flagged; the pedantic group adds the
    // author's own habit, and `--ignore pedantic` takes it away again.
    let default = lint(&[]);
    assert_eq!(default.lines().count(), 1, "{default}");
    assert!(default.contains("habits.yaml:6:"), "{default}");
    let pedantic = stdout(&notes_lint(&[
        "--format", "short", "--select", "pedantic", path,
    ]));
    assert!(
        pedantic.contains("none of the 2 claims in this section"),
        "{pedantic}"
    );
    let ignored = stdout(&notes_lint(&[
        "--format", "short", "--select", "pedantic", "--ignore", "pedantic", path,
    ]));
    assert_eq!(ignored, "", "{ignored}");
    let listed = stdout(&notes_lint(&["--list-rules"]));
    let line = listed
        .lines()
        .find(|l| l.starts_with("unsourced-claim "))
        .expect("listed");
    assert!(line.contains("default, pedantic"), "{line}");
    assert!(listed.contains("unsourced-claim: also claims in the author's own voice"));
}
