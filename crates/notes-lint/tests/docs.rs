//! `docs/rules/` is generated from the registry; it must never go stale silently, and
//! `--explain` prints the same text.

use std::path::Path;
use std::process::Command;

#[test]
fn rule_docs_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("root");
    let mut stale = Vec::new();
    for (path, content) in notes_lint::docs::rule_docs() {
        let on_disk = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        if on_disk != content {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs {stale:?}: run `cargo xtask schema` and commit the result"
    );
}

#[test]
fn explain_prints_the_rule_docs() {
    for rule in notes_lint::rules::REGISTRY {
        let id = rule.meta().id;
        let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["--explain", id])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0));
        let (_, doc) = notes_lint::docs::rule_docs()
            .into_iter()
            .find(|(path, _)| path.ends_with(&format!("/{id}.md")))
            .expect("a doc per rule");
        let printed = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            doc.strip_prefix(notes_lint::docs::GENERATED),
            Some(printed.as_ref()),
            "{id}"
        );
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn security_md_states_the_limits_of_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("root");
    let text = std::fs::read_to_string(root.join("SECURITY.md")).expect("SECURITY.md");
    let rows = [
        (
            "File size",
            format!("{} MiB", notes_core::load::MAX_FILE_BYTES / (1024 * 1024)),
            "notes_core::load::MAX_FILE_BYTES",
        ),
        (
            "Nesting depth of lists and mappings",
            format!("{} levels", notes_core::tree::MAX_DEPTH),
            "notes_core::tree::MAX_DEPTH",
        ),
        (
            "Nodes copied by alias expansion, per file",
            thousands(notes_core::tree::MAX_REPLAYED),
            "notes_core::tree::MAX_REPLAYED",
        ),
        (
            "Values per file, aliases expanded",
            thousands(notes_core::tree::MAX_NODES),
            "notes_core::tree::MAX_NODES",
        ),
        (
            "Rounds of `--fix`",
            notes_lint::fix::MAX_ROUNDS.to_string(),
            "notes_lint::fix::MAX_ROUNDS",
        ),
    ];
    let table: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("`notes_"))
        .collect();
    assert_eq!(table.len(), rows.len(), "{table:#?}");
    for (name, value, constant) in rows {
        let row = format!("| {name} | {value} | `{constant}` |");
        assert!(table.contains(&row.as_str()), "SECURITY.md lacks {row}");
    }
    assert_eq!(thousands(5_000_000), "5,000,000");
    // The limits the `syntax` rule's docs quote are the same.
    let syntax = notes_lint::rules::by_id("syntax")
        .expect("syntax")
        .meta()
        .docs;
    for value in [
        format!("{} levels", notes_core::tree::MAX_DEPTH),
        format!("{} nodes", thousands(notes_core::tree::MAX_REPLAYED)),
        format!("{} values", thousands(notes_core::tree::MAX_NODES)),
        format!("{} MiB", notes_core::load::MAX_FILE_BYTES / (1024 * 1024)),
    ] {
        assert!(syntax.contains(&value), "the syntax docs lack {value}");
    }
}
