//! `cargo xtask gen-corpus`: a large synthetic corpus for benchmarks, deterministic
//! for a given seed.
//!
//! Every claim cites one of its note's sources with a page locator; about one in ten is
//! `sensitive_to` an event; about two in three have one or two children. Two
//! vocabularies: `wide` draws words from 5,000 pseudo-words, so claims rarely resemble
//! each other; `narrow` fills a few templates ("{a} {b} improves {c} by {n}% on {d}")
//! from about 40 real words with varying figures, as real notes repeat their phrasing.
//! Dates are quoted, as in the bundled notes, so that YAML 1.1 readers (js-yaml) read
//! them as the strings the schema asks for rather than as timestamps.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

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

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.index(words.len())]
    }
}

/// Where the words of the claims come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Vocab {
    /// 5,000 pseudo-words drawn with a skew, as in prose: claims rarely resemble each other.
    Wide,
    /// Templated claims over about 40 real words with varying figures, as real notes
    /// repeat their phrasing.
    Narrow,
}

impl Vocab {
    /// The value as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Wide => "wide",
            Self::Narrow => "narrow",
        }
    }
}

/// What to generate.
#[derive(Clone, Debug, clap::Args)]
pub struct Options {
    /// The folder to write the notes to, relative to the workspace root (or absolute).
    #[arg(long, value_name = "DIR", default_value = "target/corpus")]
    pub out: PathBuf,
    /// How many note files (with `--single`: how many notes' worth of claims and sources
    /// go into the one file).
    #[arg(long, default_value_t = 200)]
    pub files: usize,
    /// Claims per note, children included.
    #[arg(long, default_value_t = 500)]
    pub claims: usize,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The words of the claims: `wide` draws on 5,000 pseudo-words; `narrow` fills a
    /// few templates from about 40 real words, as real notes repeat their phrasing.
    #[arg(long, value_enum, default_value_t = Vocab::Wide)]
    pub vocab: Vocab,
    /// Write one note file holding all FILES x CLAIMS claims (in 4 sections) instead
    /// of FILES files.
    #[arg(long)]
    pub single: bool,
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// Note files.
    pub files: usize,
    /// Claims, children included.
    pub claims: usize,
    /// Bytes of YAML.
    pub bytes: u64,
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra", "ston", "bel", "dri", "fen",
    "gal", "hur", "jin", "kel", "mor", "nat", "pol", "quin", "ras", "sil", "tor", "ven",
];

/// A vocabulary of pseudo-words: real notes draw on thousands of words, and a tiny
/// vocabulary would make every claim look like every other.
fn pseudo_words(rng: &mut Rng, size: usize) -> Vec<String> {
    (0..size)
        .map(|_| {
            let syllables = 1 + rng.below(3);
            (0..syllables).map(|_| rng.pick(SYLLABLES)).collect()
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

/// The narrow vocabulary: 40 words in four slots.
const APPROACHES: &[&str] = &[
    "sparse",
    "dense",
    "recurrent",
    "convolutional",
    "transformer",
    "retrieval",
    "diffusion",
    "linear",
    "multimodal",
    "small",
];
const TECHNIQUES: &[&str] = &[
    "attention",
    "pretraining",
    "distillation",
    "quantisation",
    "pruning",
    "fine-tuning",
    "augmentation",
    "routing",
    "caching",
    "scaling",
];
const METRICS: &[&str] = &[
    "accuracy",
    "latency",
    "throughput",
    "recall",
    "perplexity",
    "robustness",
    "calibration",
    "memory",
    "cost",
    "energy",
];
const BENCHMARKS: &[&str] = &[
    "ImageNet",
    "GLUE",
    "SQuAD",
    "MMLU",
    "COCO",
    "WMT",
    "HumanEval",
    "GSM8K",
    "LibriSpeech",
    "ARC",
];

/// A templated claim: one of eight phrasings, its slots and figures drawn at random.
fn templated(rng: &mut Rng) -> String {
    let a = rng.pick(APPROACHES);
    let b = rng.pick(TECHNIQUES);
    let c = rng.pick(METRICS);
    let d = rng.pick(BENCHMARKS);
    let n = 1 + rng.below(99);
    match rng.below(8) {
        0 => format!("{a} {b} improves {c} by {n}% on {d}"),
        1 => format!("{n}% of {a} papers use {b}"),
        2 => format!("{b} cuts {a} {c} by {n}% on {d}"),
        3 => format!("{a} models reach {n}% {c} on {d} with {b}"),
        4 => {
            let other = rng.pick(TECHNIQUES);
            format!("{b} costs {n}% more {c} than {other} for {a} models")
        }
        5 => {
            let (a2, b2) = (rng.pick(APPROACHES), rng.pick(TECHNIQUES));
            format!("on {d}, {a} {b} trails {a2} {b2} by {n} points")
        }
        6 => {
            let year = 2015 + rng.below(11);
            format!("the best {a} model on {d} reached {n}% {c} in {year}")
        }
        _ => format!("{} of the top 20 {d} entries use {a} {b}", n % 21),
    }
}

/// Draws claim texts in one vocabulary.
enum Texts {
    Wide(Vec<String>),
    Narrow,
}

impl Texts {
    fn new(vocab: Vocab, rng: &mut Rng) -> Self {
        match vocab {
            Vocab::Wide => Self::Wide(pseudo_words(rng, 5000)),
            Vocab::Narrow => Self::Narrow,
        }
    }

    /// A claim's text; `child` claims are a little shorter in the wide vocabulary.
    fn claim(&self, rng: &mut Rng, child: bool) -> String {
        match self {
            Self::Wide(words) => {
                let (least, spread) = if child { (5, 10) } else { (6, 12) };
                let n = least + rng.index(spread);
                sentence(rng, words, n)
            }
            Self::Narrow => templated(rng),
        }
    }
}

/// One note of `claims` claims (children included) in 4 sections, citing `sources`
/// sources of its own; the note with index 0 defines the event others are sensitive to.
fn note(rng: &mut Rng, texts: &Texts, index: usize, sources: usize, claims: usize) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "title: Synthetic note {index}");
    let _ = writeln!(
        text,
        "as_of: \"20{:02}-{:02}\"",
        15 + rng.below(11),
        1 + rng.below(12)
    );
    let _ = writeln!(text, "sources:");
    for s in 0..sources {
        let _ = writeln!(
            text,
            "  - {{id: src-{index}-{s}, type: paper, title: \"Paper {index}.{s}\", arxiv: \"2001.{:05}\"}}",
            rng.below(99_999)
        );
    }
    if index == 0 {
        let _ = writeln!(
            text,
            "events:\n  - {{id: big-event, date: \"2023-03-14\", title: Something changed}}"
        );
    }
    let _ = writeln!(text, "sections:");
    let sections = 4;
    for s in 0..sections {
        // Spread the remainder over the first sections so the total is exact.
        let in_section = claims / sections + usize::from(s < claims % sections);
        let _ = writeln!(text, "  - title: Section {s}\n    claims:");
        let mut written = 0;
        while written < in_section {
            let _ = writeln!(text, "      - text: \"{}\"", texts.claim(rng, false));
            let _ = writeln!(
                text,
                "        sources: [{{id: src-{index}-{}, locator: \"p. {}\"}}]",
                rng.index(sources),
                1 + rng.below(300)
            );
            if rng.below(10) == 0 {
                let _ = writeln!(text, "        sensitive_to: [big-event]");
            }
            written += 1;
            let children = rng.index(3).min(in_section - written);
            if children > 0 {
                let _ = writeln!(text, "        children:");
                for _ in 0..children {
                    let _ = writeln!(text, "          - text: \"{}\"", texts.claim(rng, true));
                }
                written += children;
            }
        }
    }
    text
}

/// Removes the `note-*.yaml` files a previous run left in `dir`, so a smaller corpus
/// never keeps the tail of a larger one.
fn clear(dir: &Path) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("note-") && name.ends_with(".yaml") {
            let path = entry.path();
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Writes the corpus and tells what was written.
pub fn generate(root: &Path, options: &Options) -> Result<Written, String> {
    let dir = root.join(&options.out);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    clear(&dir)?;
    let mut rng = Rng(options.seed);
    let texts = Texts::new(options.vocab, &mut rng);
    let notes: Vec<(usize, usize)> = if options.single {
        vec![(3 * options.files, options.files * options.claims)]
    } else {
        vec![(3, options.claims); options.files]
    };
    let mut written = Written {
        files: 0,
        claims: 0,
        bytes: 0,
    };
    for (index, &(sources, claims)) in notes.iter().enumerate() {
        let text = note(&mut rng, &texts, index, sources, claims);
        let path = dir.join(format!("note-{index:04}.yaml"));
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.files += 1;
        written.claims += claims;
        written.bytes += text.len() as u64;
    }
    Ok(written)
}

/// `cargo xtask gen-corpus`.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let written = generate(root, options)?;
    eprintln!(
        "wrote {} claims ({} vocabulary) in {} note file(s), {} bytes, to {}",
        written.claims,
        options.vocab.name(),
        written.files,
        written.bytes,
        root.join(&options.out).display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(out: &Path, vocab: Vocab, single: bool) -> Options {
        Options {
            out: out.to_path_buf(),
            files: 3,
            claims: 10,
            seed: 7,
            vocab,
            single,
        }
    }

    fn read_all(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("the corpus folder")
            .flatten()
            .map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(entry.path()).expect("a note");
                (name, text)
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_same_seed_writes_the_same_corpus_with_exact_claim_counts() {
        for vocab in [Vocab::Wide, Vocab::Narrow] {
            for single in [false, true] {
                let first = tempfile::tempdir().expect("a temporary folder");
                let second = tempfile::tempdir().expect("a temporary folder");
                let a = generate(first.path(), &options(Path::new("c"), vocab, single))
                    .expect("written");
                let b = generate(second.path(), &options(Path::new("c"), vocab, single))
                    .expect("written");
                assert_eq!(a, b);
                assert_eq!(a.claims, 30);
                assert_eq!(a.files, if single { 1 } else { 3 });
                let files = read_all(&first.path().join("c"));
                assert_eq!(files, read_all(&second.path().join("c")));
                let texts = files
                    .iter()
                    .map(|(_, text)| text.matches("text: ").count())
                    .sum::<usize>();
                assert_eq!(texts, 30, "{vocab:?} single={single}");
            }
        }
    }

    #[test]
    fn generated_notes_are_valid_notes() {
        for vocab in [Vocab::Wide, Vocab::Narrow] {
            for single in [false, true] {
                let dir = tempfile::tempdir().expect("a temporary folder");
                generate(dir.path(), &options(Path::new("c"), vocab, single)).expect("written");
                for (name, text) in read_all(&dir.path().join("c")) {
                    let loaded = notes_core::load::load_bytes(Path::new(&name), text.as_bytes());
                    assert!(
                        loaded.findings.is_empty() && loaded.document.is_some(),
                        "{name}: {:?}\n{text}",
                        loaded.findings
                    );
                }
            }
        }
    }

    #[test]
    fn a_smaller_corpus_replaces_a_larger_one() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        generate(dir.path(), &options(Path::new("c"), Vocab::Wide, false)).expect("written");
        generate(dir.path(), &options(Path::new("c"), Vocab::Wide, true)).expect("written");
        assert_eq!(read_all(&dir.path().join("c")).len(), 1);
    }

    #[test]
    fn narrow_claims_repeat_a_few_real_words() {
        let mut rng = Rng(3);
        let mut words = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            for word in templated(&mut rng).split([' ', ',']) {
                if !word.is_empty() && !word.chars().any(|c| c.is_ascii_digit()) {
                    words.insert(word.to_owned());
                }
            }
        }
        // 40 slot words, the templates' own words, and benchmark names with digits
        // (GSM8K) left out above.
        assert!(
            words.len() < 70,
            "{} distinct words: {words:?}",
            words.len()
        );
    }
}
