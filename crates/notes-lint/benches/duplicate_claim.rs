//! Times `duplicate-claim` on 100k synthetic claims (varied text, some exact and some
//! near duplicates) and measures its recall: a planted copy is found when it is in a
//! cluster, the claim a finding is on or one that finding labels. Run with
//! `cargo bench -p notes-lint --bench duplicate_claim`.
//!
//! Planted: exact copies (every 50th claim), easy near duplicates (every 20th: one or
//! two characters changed, or a word dropped) and hard ones (every 25th from the 7th:
//! single-letter edits scattered over the text until one more would take it below the
//! 0.9 threshold, the case that character-shingle hashing finds worst).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notes_lint::config::Config;
use notes_lint::corpus::{Corpus, NoteView};
use notes_lint::rules::duplicate_claim::{DuplicateClaim, THRESHOLD, normalise, similarity};
use notes_lint::rules::{Context, Rule};

const NOTES: usize = 100;
const CLAIMS_PER_NOTE: usize = 1_000;

/// A small deterministic generator (xorshift64*), so every run times the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// 20k pseudo-words of one to four consonant-vowel syllables (some closed by a
/// consonant), so texts share letters and trigrams about as much as prose does.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwz";
    const VOWELS: &[u8] = b"aeiouy";
    (0..20_000)
        .map(|_| {
            let mut word = String::new();
            for _ in 0..1 + rng.below(4) {
                word.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
                word.push(char::from(VOWELS[rng.below(VOWELS.len())]));
                if rng.below(3) == 0 {
                    word.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
                }
            }
            word
        })
        .collect()
}

fn sentence(rng: &mut Rng, words: &[String]) -> String {
    let n = 6 + rng.below(10);
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&words[rng.below(words.len())]);
    }
    text.push('.');
    text
}

/// A near duplicate of `text`: one or two characters changed, or a word dropped.
fn near(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    match rng.below(3) {
        0 => {
            let i = rng.below(chars.len());
            chars[i] = 'x';
        }
        1 => {
            let i = rng.below(chars.len());
            chars.insert(i, 'e');
            let j = rng.below(chars.len());
            chars.remove(j);
        }
        _ => {
            let text: String = chars.iter().collect();
            let mut words: Vec<&str> = text.split(' ').collect();
            if words.len() > 10 {
                words.remove(rng.below(words.len()));
            }
            return words.join(" ").to_uppercase();
        }
    }
    chars.into_iter().collect()
}

/// A hard near duplicate of `text`: random single-letter substitutions, insertions and
/// deletions, for as long as the result stays at or above the threshold.
fn scattered(rng: &mut Rng, text: &str) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let base = normalise(text);
    let mut chars: Vec<char> = text.chars().collect();
    let mut edits = 0;
    for _ in 0..64 {
        let mut next = chars.clone();
        let i = rng.below(next.len());
        let letter = char::from(LETTERS[rng.below(LETTERS.len())]);
        match rng.below(3) {
            0 if next[i].is_alphabetic() => next[i] = letter,
            1 => next.insert(i, letter),
            2 if next[i].is_alphabetic() && next.len() > 1 => {
                next.remove(i);
            }
            _ => continue,
        }
        let candidate: String = next.iter().collect();
        if similarity(&base, &normalise(&candidate)) < THRESHOLD {
            if edits > 0 {
                break;
            }
            continue;
        }
        chars = next;
        edits += 1;
    }
    chars.into_iter().collect()
}

fn main() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let words = vocabulary(&mut rng);
    let mut texts: Vec<String> = Vec::with_capacity(NOTES * CLAIMS_PER_NOTE);
    for i in 0..NOTES * CLAIMS_PER_NOTE {
        let text = if i % 25 == 7 {
            let earlier = texts[rng.below(i)].clone();
            scattered(&mut rng, &earlier)
        } else if i > 0 && i % 50 == 0 {
            texts[rng.below(i)].clone()
        } else if i > 0 && i % 20 == 0 {
            let earlier = texts[rng.below(i)].clone();
            near(&mut rng, &earlier)
        } else {
            sentence(&mut rng, &words)
        };
        texts.push(text);
    }
    let loaded: Vec<notes_core::Loaded> = texts
        .chunks(CLAIMS_PER_NOTE)
        .enumerate()
        .map(|(n, chunk)| {
            let mut yaml = format!("title: Note {n}\nsections:\n  - title: S\n    claims:\n");
            for text in chunk {
                let _ = writeln!(yaml, "      - text: \"{text}\"");
            }
            let path = PathBuf::from(format!("bench/note-{n:03}.yaml"));
            notes_core::load_bytes(&path, yaml.as_bytes())
        })
        .collect();
    let documents: Vec<&notes_core::Document> =
        loaded.iter().filter_map(|l| l.document.as_ref()).collect();
    assert_eq!(documents.len(), NOTES, "every synthetic note loads");
    let corpus = Corpus::new(documents);
    let claims: usize = corpus.notes.iter().map(|n| n.claims.len()).sum();
    let config = Config::default();
    let cx = Context {
        today: jiff::civil::date(2026, 11, 27),
        config: &config,
    };

    let mut times: Vec<Duration> = Vec::new();
    let mut out = Vec::new();
    for _ in 0..5 {
        out.clear();
        let start = Instant::now();
        DuplicateClaim.check(&corpus, &cx, &mut out);
        times.push(start.elapsed());
    }
    times.sort();
    // Every claim in a cluster: the one a finding is on and those it labels, found by
    // where their texts start (claim `i` of note `n` is claim `n * CLAIMS_PER_NOTE + i`).
    let mut by_place: HashMap<(&Path, usize), usize> = HashMap::new();
    for (n, view) in corpus.notes.iter().enumerate() {
        for (i, claim) in view.claims.iter().enumerate() {
            let span = view.span(&NoteView::field_path(claim, "text"));
            by_place.insert((view.doc.file.path(), span.start), n * CLAIMS_PER_NOTE + i);
        }
    }
    let mut reported: HashSet<usize> = HashSet::new();
    let mut unlabelled = 0;
    for finding in &out {
        let file = finding.file.as_deref().expect("a finding has a file");
        let span = finding.span.expect("a finding has a span");
        reported.extend(by_place.get(&(file, span.start)));
        for label in &finding.labels {
            let file = label.file.as_deref().unwrap_or(file);
            reported.extend(by_place.get(&(file, label.span.start)));
        }
        // Places past the label cap are counted in the help, not labelled.
        if let Some(more) = finding.help.as_deref().and_then(|h| h.split(", ").last()) {
            unlabelled += more
                .split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
        }
    }
    let recall = |planted: &dyn Fn(usize) -> bool| {
        let planted: Vec<usize> = (1..claims).filter(|&i| planted(i)).collect();
        let found = planted.iter().filter(|i| reported.contains(i)).count();
        (found, planted.len())
    };
    let (easy, easy_planted) = recall(&|i| i % 25 != 7 && (i % 20 == 0 || i % 50 == 0));
    let (hard, hard_planted) = recall(&|i| i % 25 == 7);
    println!(
        "duplicate-claim: {claims} claims, {} findings (clusters) with {} claims in them \
         ({unlabelled} unlabelled); found {easy} of {easy_planted} exact and \
         easy near duplicates, {hard} of {hard_planted} hard ones ({:.2}%); \
         best {:.1} ms, median {:.1} ms over {} runs",
        out.len(),
        reported.len(),
        100.0 * hard as f64 / hard_planted as f64,
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times.len()
    );
}
