//! The conversion of the user's original outline (`tests/data/birds-eye-view.seed.txt`)
//! into `notes/birds-eye-view.yaml` must never silently lose a bullet: every bullet is a
//! claim whose text matches it, after the listed typo fixes.

use std::collections::BTreeMap;
use std::path::Path;

use notes_core::model::Claim;

/// The plain typos fixed in the conversion, and nothing else.
const TYPO_FIXES: [(&str, &str); 4] = [
    ("succesful", "successful"),
    ("anticorrerlated", "anticorrelated"),
    ("betwen", "between"),
    ("haveprobably", "have probably"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("workspace root")
}

fn collect<'a>(claims: &'a [Claim], depth: usize, out: &mut Vec<(&'a str, usize)>) {
    for claim in claims {
        out.push((&claim.text, depth));
        collect(&claim.children, depth + 1, out);
    }
}

#[test]
fn every_seed_bullet_is_a_claim() {
    let seed = std::fs::read_to_string(root().join("tests/data/birds-eye-view.seed.txt"))
        .expect("the seed is committed");
    let mut bullets: BTreeMap<String, usize> = BTreeMap::new();
    for line in seed.lines() {
        if let Some(text) = line.strip_prefix("- ") {
            let mut text = text.trim_end().to_owned();
            for (typo, fix) in TYPO_FIXES {
                text = text.replace(typo, fix);
            }
            *bullets.entry(text).or_default() += 1;
        }
    }
    assert_eq!(
        bullets.values().sum::<usize>(),
        136,
        "the seed has 136 bullets"
    );

    let loaded = notes_core::load_path(&root().join("notes/birds-eye-view.yaml"));
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    let document = loaded.document.expect("the note loads");
    let mut claims = Vec::new();
    for section in &document.note.sections {
        collect(&section.claims, 1, &mut claims);
    }
    let mut texts: BTreeMap<String, usize> = BTreeMap::new();
    for (text, _) in &claims {
        *texts.entry((*text).to_owned()).or_default() += 1;
    }
    let missing: Vec<_> = bullets
        .iter()
        .filter(|(text, count)| texts.get(*text).copied().unwrap_or(0) < **count)
        .map(|(text, _)| text)
        .collect();
    assert!(missing.is_empty(), "bullets with no claim: {missing:#?}");
    let extra: Vec<_> = texts
        .iter()
        .filter(|(text, count)| bullets.get(*text).copied().unwrap_or(0) < **count)
        .map(|(text, _)| text)
        .collect();
    assert!(
        extra.is_empty(),
        "claims that are not seed bullets: {extra:#?}"
    );

    let deepest = claims.iter().map(|(_, depth)| *depth).max().unwrap_or(0);
    assert!(
        deepest >= 3,
        "the hierarchy is restored at least three levels deep"
    );
    let titles: Vec<&str> = document
        .note
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Driving dynamics of the ML field",
            "The ML research ecosystems",
            "Analyzing the trajectory of researchers",
            "AGI and AI safety"
        ]
    );
}
