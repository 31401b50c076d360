//! Rule fixtures: every folder `tests/rules/<rule-id>/<case>/` is a small corpus linted
//! with only that rule (plus syntax and schema) on 2026-11-27; the findings, in the
//! short format, must equal the case's `expected.txt`. Run with `UPDATE_EXPECT=1` to
//! rewrite the expectations, then review the diff.
//!
//! Every rule must have a case that triggers it and a case that must stay silent.

mod common;
use common::root;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use notes_lint::engine::{self, Options};
use notes_lint::rules;

fn cases() -> Vec<(String, PathBuf)> {
    let root = root().join("tests/rules");
    let mut cases = Vec::new();
    for rule_dir in std::fs::read_dir(&root)
        .expect("tests/rules exists")
        .flatten()
    {
        let rule = rule_dir.file_name().to_string_lossy().into_owned();
        for case in std::fs::read_dir(rule_dir.path())
            .expect("rule folder")
            .flatten()
        {
            if case.path().is_dir() {
                cases.push((rule.clone(), case.path()));
            }
        }
    }
    cases.sort();
    cases
}

/// The rules a case runs: its own, plus those listed in an optional `select.txt`
/// (one id a line), for rules such as unused-suppression that need others to fire.
fn selection(rule: &str, case: &Path) -> BTreeSet<String> {
    let mut rules = BTreeSet::from([rule.to_owned()]);
    if let Ok(text) = std::fs::read_to_string(case.join("select.txt")) {
        rules.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    rules
}

/// Lints one case folder with only `rule` and renders the findings, paths relative to
/// the workspace root so expectations do not depend on the machine.
pub fn lint_case(rule: &str, case: &Path) -> String {
    let root = root();
    let relative = case.strip_prefix(&root).expect("case under the root");
    let config_path = case.join("notes-lint.toml");
    let config = if config_path.is_file() {
        notes_lint::config::read(&config_path)
            .expect("the case's config is valid")
            .config
    } else {
        Default::default()
    };
    let options = Options {
        today: jiff::civil::date(2026, 11, 27),
        config,
        select: Some(selection(rule, case)),
        ignore: BTreeSet::new(),
    };
    let files = notes_lint::discover::note_files(&[root.join(relative)]).expect("case exists");
    let outcome = engine::run(&files, &options);
    let prefix = format!("{}/", root.display());
    notes_lint::report::short::render(&outcome).replace(&prefix, "")
}

#[test]
fn every_case_gives_its_expected_findings() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for (rule, case) in cases() {
        let actual = lint_case(&rule, &case);
        let expected_path = case.join("expected.txt");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected || (update && !expected_path.exists()) {
            if update {
                std::fs::write(&expected_path, &actual).expect("write expected.txt");
            } else {
                failures.push(format!(
                    "{}:\n--- expected\n{expected}--- actual\n{actual}",
                    case.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(run with UPDATE_EXPECT=1 to accept, then review the diff)",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_triggering_and_a_silent_case() {
    let cases = cases();
    for rule in rules::REGISTRY {
        let id = rule.meta().id;
        let mine: Vec<_> = cases.iter().filter(|(r, _)| r == id).collect();
        let outputs: Vec<String> = mine
            .iter()
            .map(|(_, case)| std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default())
            .collect();
        let tag = format!("[{id}]");
        assert!(
            outputs.iter().any(|o| o.contains(&tag)),
            "rule {id} has no case under tests/rules/{id}/ whose expected.txt contains a {id} finding"
        );
        assert!(
            outputs.iter().any(|o| !o.contains(&tag)),
            "rule {id} has no case under tests/rules/{id}/ where it stays silent"
        );
    }
}

#[test]
fn case_folders_are_named_after_registered_rules() {
    let known: BTreeSet<&str> = rules::ids().collect();
    for (rule, case) in cases() {
        assert!(
            known.contains(rule.as_str()),
            "{} is not a rule id",
            case.display()
        );
    }
}
