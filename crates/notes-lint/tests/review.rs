//! End-to-end cases of `notes-lint review`: the queue's order and shapes, and `--mark`.

mod common;
use common::root;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn notes_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_bundled_notes_queue_overtaken_then_stale_one_entry_per_cause() {
    let output = notes_lint(
        &root(),
        &["review", "--today", "2026-11-27", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["today"], "2026-11-27");
    let entries = report["entries"].as_array().expect("entries");
    assert_eq!(report["summary"]["entries"], entries.len());

    // One entry per finding of the time rules: the queue groups as the findings do.
    let lint = notes_lint(
        &root(),
        &[
            "--today",
            "2026-11-27",
            "--format",
            "json",
            "--select",
            "overtaken-by-event,stale-claim,forecast-due",
        ],
    );
    let findings = json(&lint)["findings"].as_array().expect("findings").len();
    assert_eq!(entries.len(), findings);

    let reasons: Vec<&str> = entries
        .iter()
        .map(|e| e["reason"].as_str().expect("reason"))
        .collect();
    assert!(
        reasons.contains(&"overtaken") && reasons.contains(&"stale"),
        "{reasons:?}"
    );
    let rank = |r: &str| {
        ["overtaken", "stale", "forecast-due"]
            .iter()
            .position(|x| *x == r)
    };
    let ranks: Vec<_> = reasons
        .iter()
        .map(|r| rank(r).expect("known reason"))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{reasons:?}");
    let since = |e: &Value| e["due_since"].as_str().expect("due_since").to_owned();
    for pair in entries.windows(2) {
        if pair[0]["reason"] != pair[1]["reason"] {
            continue;
        }
        if pair[0]["reason"] == "overtaken" {
            assert!(since(&pair[0]) >= since(&pair[1]), "newest event first");
        } else {
            assert!(since(&pair[0]) <= since(&pair[1]), "longest overdue first");
        }
    }

    for entry in entries {
        for key in ["message", "file", "text", "rule", "severity", "mark"] {
            assert!(entry[key].is_string(), "{key} in {entry}");
        }
        assert!(entry["line"].as_u64().is_some_and(|l| l > 0), "{entry}");
        assert!(entry["covers"].as_u64().is_some_and(|n| n > 0), "{entry}");
        assert!(
            entry["text"]
                .as_str()
                .is_some_and(|t| t.chars().count() <= 100)
        );
        let sources = entry["sources"].as_array().expect("sources");
        assert!(!sources.is_empty(), "no sources: {entry}");
        for source in sources {
            assert!(source["id"].is_string() && source["locators"].is_array());
        }
        assert!(
            sources.iter().any(|s| s["link"]
                .as_str()
                .is_some_and(|l| l.starts_with("https://"))),
            "{entry}"
        );
        if entry["reason"] == "overtaken" {
            assert!(entry["event"]["id"].is_string() && entry["event"]["date"].is_string());
        }
    }
    // The inherited cause covers many claims; its entry says so once.
    assert!(entries.iter().any(|e| e["covers"].as_u64() > Some(1)));

    let limited = json(&notes_lint(
        &root(),
        &[
            "review",
            "--today",
            "2026-11-27",
            "--format",
            "json",
            "--limit",
            "2",
        ],
    ));
    assert_eq!(limited["entries"].as_array().map(Vec::len), Some(2));
    assert_eq!(limited["entries"][0], entries[0]);
}

#[test]
fn the_markdown_queue_is_a_checklist() {
    let output = notes_lint(
        &root(),
        &["review", "--today", "2026-11-27", "--format", "markdown"],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let items = text.lines().filter(|l| l.starts_with("- [ ] ")).count();
    let human = notes_lint(&root(), &["review", "--today", "2026-11-27"]);
    let human = String::from_utf8_lossy(&human.stdout);
    let summary = human.lines().last().expect("a summary line");
    assert!(
        summary.starts_with(&format!("{items} entries to review")),
        "{summary}"
    );
    assert!(
        text.contains("  - Then: `notes-lint review --mark "),
        "{text}"
    );
}

const NOTE: &str = "\
# yaml-language-server: $schema=../schema/note.schema.json
title: Reading notes   # kept

sources:
  - {id: s1, type: web, title: One page, url: 'https://example.org/one', accessed: 2020-01-02}

sections:
  - title: First
    as_of: 2020-01
    sources: [s1]
    claims:
      # The claim to mark.
      - text: The widget count was about 40k.
        id: widget-count

      - text: A second, untouched claim.
";

fn note_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("notes")).expect("mkdir");
    std::fs::write(dir.path().join("notes/reading.yaml"), NOTE).expect("write");
    dir
}

/// `notes-lint review --today 2026-11-27 ARGS...` in `dir`.
fn review(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["review", "--today", "2026-11-27"];
    all.extend_from_slice(args);
    notes_lint(dir, &all)
}

fn stale_claims(dir: &Path) -> Vec<Value> {
    let lint = notes_lint(
        dir,
        &[
            "--today",
            "2026-11-27",
            "--format",
            "json",
            "--select",
            "stale-claim",
        ],
    );
    json(&lint)["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn marking_a_stale_claim_clears_it_and_keeps_the_rest_of_the_file() {
    let dir = note_dir();
    let before = stale_claims(dir.path());
    assert_eq!(before.len(), 1, "{before:?}");
    let output = review(dir.path(), &["--mark", "reading#widget-count"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("marked reading#widget-count as reviewed on 2026-11-27"));
    let after = std::fs::read_to_string(dir.path().join("notes/reading.yaml")).expect("read");
    assert_eq!(
        after,
        NOTE.replace(
            "        id: widget-count\n",
            "        reviewed: 2026-11-27\n        id: widget-count\n"
        )
    );
    // The section's date still makes the other claim stale; the marked one is gone.
    let remaining = stale_claims(dir.path());
    assert_eq!(remaining.len(), 1, "{remaining:?}");
    assert_eq!(remaining[0]["claim"], "1.2");

    // By position, and the whole note.
    let output = review(dir.path(), &["--mark", "reading#1.2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stale_claims(dir.path()).is_empty());
    let output = review(dir.path(), &["--mark", "reading", "--date", "2026-11-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(dir.path().join("notes/reading.yaml")).expect("read");
    assert!(
        text.contains("title: Reading notes   # kept\nreviewed: 2026-11-01\n"),
        "{text}"
    );
}

#[test]
fn marking_refuses_a_future_date_and_unknown_names() {
    let dir = note_dir();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--mark", "reading#widget-count", "--date", "2026-12-01"],
            "in the future",
        ),
        (
            &["--mark", "readng#widget-count"],
            "did you mean `reading`?",
        ),
        (
            &["--mark", "reading#widget-cuont"],
            "did you mean `reading#widget-count`?",
        ),
        (&["--mark", "reading#"], "not a target"),
    ];
    for (args, expected) in cases {
        let output = review(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        let text = std::fs::read_to_string(dir.path().join("notes/reading.yaml")).expect("read");
        assert_eq!(text, NOTE, "{args:?} changed the file");
    }
}

#[test]
fn review_exits_like_the_linter() {
    let dir = note_dir();
    let missing = review(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no such configuration file"));
    assert_eq!(
        review(dir.path(), &["no-such-folder"]).status.code(),
        Some(2)
    );
    std::fs::write(dir.path().join("notes/broken.yaml"), "title: [unclosed\n").expect("write");
    let broken = review(dir.path(), &["--format", "json"]);
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    assert!(
        stderr(&broken).contains("notes/broken.yaml"),
        "{}",
        stderr(&broken)
    );
    // The other note is still in the queue.
    assert_eq!(json(&broken)["summary"]["entries"], 1);
}
