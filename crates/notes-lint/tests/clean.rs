//! A note that is fully sourced, dated, reviewed, with located quotes and figures must
//! give no finding at all, with every rule enabled.

use std::collections::BTreeSet;
use std::path::Path;

use notes_lint::engine::{self, Options};

#[test]
fn the_clean_note_gives_no_finding_with_every_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is two levels below the workspace root");
    let note = root.join("tests/clean/clean-note.yaml");
    let options = Options {
        today: jiff::civil::date(2026, 11, 27),
        config: Default::default(),
        select: None,
        ignore: BTreeSet::new(),
    };
    let outcome = engine::run(&[note], &options);
    assert_eq!(outcome.loaded.len(), 1);
    assert!(
        outcome.loaded[0].document.is_some(),
        "the clean note must load"
    );
    assert!(
        outcome.findings.is_empty(),
        "the clean note gave findings:\n{}",
        notes_lint::report::short::render(&outcome)
    );
}
