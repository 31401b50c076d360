//! `cargo xtask gen-corpus`: a large synthetic corpus for benchmarks, deterministic
//! for a given seed.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (64-bit LCG); benchmarks need repeatable input,
/// not statistical quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra", "ston", "bel", "dri", "fen",
    "gal", "hur", "jin", "kel", "mor", "nat", "pol", "quin", "ras", "sil", "tor", "ven",
];

/// A vocabulary of pseudo-words: real notes draw on thousands of words, and a tiny
/// vocabulary would make every claim look like every other.
fn vocabulary(rng: &mut Rng, size: usize) -> Vec<String> {
    (0..size)
        .map(|_| {
            let syllables = 1 + rng.below(3);
            (0..syllables)
                .map(|_| SYLLABLES[usize::try_from(rng.below(SYLLABLES.len() as u64)).unwrap_or(0)])
                .collect()
        })
        .collect()
}

/// A sentence of `words` words; common words are drawn far more often than rare ones,
/// roughly as in prose.
fn sentence(rng: &mut Rng, vocabulary: &[String], words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        let n = vocabulary.len() as u64;
        let skewed = rng.below(n) * rng.below(n) / n;
        text.push_str(&vocabulary[usize::try_from(skewed).unwrap_or(0)]);
    }
    let n = rng.below(1000);
    let _ = write!(text, " {n}");
    text
}

/// Writes `files` notes of about `claims` claims each under `out`.
pub fn run(root: &Path, out: &Path, files: usize, claims: usize, seed: u64) -> Result<(), String> {
    let dir = root.join(out);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut rng = Rng(seed);
    let vocabulary = vocabulary(&mut rng, 5000);
    for f in 0..files {
        let mut text = String::new();
        let _ = writeln!(text, "title: Synthetic note {f}");
        let _ = writeln!(
            text,
            "as_of: 20{:02}-{:02}",
            15 + rng.below(11),
            1 + rng.below(12)
        );
        let _ = writeln!(text, "sources:");
        for s in 0..3 {
            let _ = writeln!(
                text,
                "  - {{id: src-{f}-{s}, type: paper, title: \"Paper {f}.{s}\", arxiv: \"2001.{:05}\"}}",
                rng.below(99_999)
            );
        }
        if f == 0 {
            let _ = writeln!(
                text,
                "events:\n  - {{id: big-event, date: 2023-03-14, title: Something changed}}"
            );
        }
        let _ = writeln!(text, "sections:");
        let sections = 4;
        let per_section = claims / sections;
        for s in 0..sections {
            let _ = writeln!(text, "  - title: Section {s}\n    claims:");
            let mut written = 0;
            while written < per_section {
                let words = 6 + usize::try_from(rng.below(12)).unwrap_or(0);
                let _ = writeln!(
                    text,
                    "      - text: \"{}\"",
                    sentence(&mut rng, &vocabulary, words)
                );
                let _ = writeln!(
                    text,
                    "        sources: [{{id: src-{f}-{}, locator: \"p. {}\"}}]",
                    rng.below(3),
                    1 + rng.below(300)
                );
                if rng.below(10) == 0 {
                    let _ = writeln!(text, "        sensitive_to: [big-event]");
                }
                written += 1;
                let children = rng.below(3);
                if children > 0 {
                    let _ = writeln!(text, "        children:");
                    for _ in 0..children {
                        let words = 5 + usize::try_from(rng.below(10)).unwrap_or(0);
                        let _ = writeln!(
                            text,
                            "          - text: \"{}\"",
                            sentence(&mut rng, &vocabulary, words)
                        );
                        written += 1;
                    }
                }
            }
        }
        let path = dir.join(format!("note-{f:04}.yaml"));
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!(
        "wrote {files} notes of about {claims} claims each to {}",
        dir.display()
    );
    Ok(())
}
