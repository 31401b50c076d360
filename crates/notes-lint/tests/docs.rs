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
