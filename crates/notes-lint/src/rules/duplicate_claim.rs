//! `duplicate-claim`: the same or nearly the same claim text twice in the corpus.
//!
//! Comparing every pair of claims is quadratic, so candidates come from indexes:
//! exact duplicates from a map of normalised texts, near ones from MinHash signatures
//! of character trigrams split into LSH bands. Bands of two rows make pairs with a low
//! trigram overlap candidates too: single-character edits spread over a text destroy up
//! to three trigrams each, so a pair 0.9 similar may share only a third of its trigrams.
//! Each bucket is looked at up to a cap, candidates are screened by length and letter
//! counts, and the few left are confirmed with `similar`'s character diff ratio.
//! `cargo bench -p notes-lint --bench duplicate_claim` measures time and recall.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use notes_core::{Finding, Label, Severity};
use rayon::prelude::*;

use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `duplicate-claim` rule.
pub struct DuplicateClaim;

static META: RuleMeta = RuleMeta {
    id: "duplicate-claim",
    default_severity: Severity::Warning,
    summary: "the same or nearly the same claim text twice in the corpus (similarity >= 0.9)",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim whose text is the same as, or nearly the same as, an earlier claim's
anywhere in the notes (earlier: by file, then document order). The finding is on the
later claim, with a label at the earlier one.

Texts are compared after normalising: lowercase, with every run of punctuation and
spaces made one space, except for the marks that change what a number says, which are
kept next to it: signs, comparisons and approximations (`-5`, `+5`, `<5`, `~5`),
currency signs (`$5`), percent signs (`5%`, `5 %`) and decimal points (`2.5`). So
`Growth was -5%.` and `Growth was 5%.` are not the same text, while a hyphen between
a letter and a digit is not a sign (`GPT-4` reads `gpt 4`). Two texts are nearly the
same when their character-level similarity (`2 × matching characters / total
characters`) is at least 0.9. Short texts, under 12 characters or 4 words once
normalised (such as `scaling` or `natural language processing`), only match exactly:
in a short label a few characters are the whole difference
(`natural language processing: ACL` is another item).

Exact duplicates are always found. Near ones are found through an index rather than
by comparing every pair of claims, which would take too long on a large corpus, so
a few are missed:
- texts that differ by a changed, dropped or added word are nearly always found;
  when a 0.9 similarity comes from single characters spread over the whole text (the
  hardest case), about 999 pairs in 1000 are (in the rule's benchmark);
- within one bucket of the index, a claim is compared with the 16 earliest claims
  only, and per claim at most 4 candidates that pass cheap length and letter-count
  checks are compared in full (those sharing the most buckets first);
- the earlier claim named is the earliest among those compared, usually but not
  always the earliest in the notes.

## Why it matters
A claim written twice drifts: one copy gets updated or sourced and the other does not,
and the notes end up contradicting themselves.

## Example
```yaml
- text: The field is focused around a small number of conferences.
- text: The field is focussed around a small number of conferences   # duplicate-claim
```

## How to fix
Keep one claim (merging their sources and children), or reword one if the two really
say different things.

## Configuration
Severity only.
";

/// The similarity at or above which two texts are near-duplicates.
pub const THRESHOLD: f32 = 0.9;
/// Normalised texts shorter than this (in characters) are only compared for equality.
pub const MIN_NEAR_CHARS: usize = 12;
/// Normalised texts with fewer words than this are only compared for equality.
pub const MIN_NEAR_WORDS: usize = 4;
/// LSH bands of the MinHash signature of a text's character trigrams.
const BANDS: usize = 32;
/// Rows (MinHash values) per band: two texts share a band's bucket with probability
/// `J^ROWS`, `J` the Jaccard similarity of their trigram sets.
const ROWS: usize = 2;
const HASHES: usize = BANDS * ROWS;
/// How many earlier claims of one LSH bucket a claim is compared with.
const BUCKET_CAP: usize = 16;
/// How many candidates (those sharing the most bands first) that pass the cheap bounds
/// are confirmed with a diff.
const MAX_DIFFS: usize = 4;
/// Characters are counted in this many buckets for a cheap upper bound on the ratio.
const HIST: usize = 32;

/// Whether `c` is a currency sign, kept by [`normalise`].
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '¢' | '₩' | '₽' | '₿')
}

/// What [`normalise`] keeps of a character that is not a letter or digit.
#[derive(Clone, Copy)]
enum Mark {
    /// Nothing: it separates words.
    Space,
    /// A mark that goes with the number after it: a sign (`-5`), a comparison or an
    /// approximation (`<5`, `~5`), a currency (`$5`).
    Before(char),
    /// A mark that goes with the number before it: `5%`, or a decimal point (`2.5`).
    After(char),
}

/// Whether `c` starts a number, or a mark that goes with one.
fn starts_number(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_numeric() || is_currency(c) || matches!(c, '-' | '+' | '−' | '±'))
}

fn mark(chars: &[char], i: usize) -> Mark {
    let c = chars[i];
    let before = i.checked_sub(1).map(|j| chars[j]);
    let next = chars.get(i + 1).copied();
    let numeric = |c: Option<char>| c.is_some_and(char::is_numeric);
    match c {
        '%' | '‰' => Mark::After(c),
        '.' if numeric(before) && numeric(next) => Mark::After(c),
        _ if is_currency(c) => Mark::Before(c),
        // A sign, not a hyphen: nothing glued before it, a number right after it.
        '-' | '+' | '−' | '±'
            if !before.is_some_and(char::is_alphanumeric)
                && (numeric(next) || next.is_some_and(is_currency)) =>
        {
            Mark::Before(if c == '−' { '-' } else { c })
        }
        '<' | '>' | '≤' | '≥' | '~' | '≈' if starts_number(next_word(chars, i + 1)) => {
            Mark::Before(c)
        }
        _ => Mark::Space,
    }
}

/// The first character from `i` on that is not a space.
fn next_word(chars: &[char], i: usize) -> Option<char> {
    chars.get(i..)?.iter().copied().find(|c| !c.is_whitespace())
}

/// `text` lowercased, with every run of other characters made one space, except for
/// the marks that change what a number says: signs, comparisons and approximations
/// before it (`-5`, `<5`, `~5`), currencies (`$5`), percent signs (`5%`) and decimal
/// points (`2.5`). Those are kept, next to their number: `Growth was −5 %!` reads
/// `growth was -5%`, and is not the same text as `Growth was 5%.`
pub fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // A separator was skipped since the last character kept.
    let mut space = false;
    // The last character kept is a mark that goes with the number after it.
    let mut glued = false;
    for (i, &c) in chars.iter().enumerate() {
        let mark = if c.is_alphanumeric() {
            None
        } else {
            match mark(&chars, i) {
                Mark::Space => {
                    space = true;
                    continue;
                }
                kept => Some(kept),
            }
        };
        let own_word = match mark {
            Some(Mark::After(_)) => !out.ends_with(char::is_numeric),
            _ => true,
        };
        if space && own_word && !glued && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        glued = false;
        match mark {
            Some(Mark::Before(m)) => {
                out.push(m);
                glued = starts_number(next_word(&chars, i + 1));
            }
            Some(Mark::After(m)) => out.push(m),
            Some(Mark::Space) | None => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a cheap, well-distributed 64-bit mix.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Per MinHash value: a seed and an odd multiplier.
fn seeds() -> [(u32, u32); HASHES] {
    let mut seeds = [(0, 0); HASHES];
    for (i, seed) in seeds.iter_mut().enumerate() {
        let bits = mix(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
        *seed = ((bits >> 32) as u32, bits as u32 | 1);
    }
    seeds
}

/// The MinHash signature of the character trigrams of `chars`: per value, the least
/// of a multiplicative hash of the trigrams (32-bit, so the loop vectorises).
fn signature(chars: &[char], seeds: &[(u32, u32); HASHES]) -> [u32; HASHES] {
    let (xors, muls): ([u32; HASHES], [u32; HASHES]) = (seeds.map(|s| s.0), seeds.map(|s| s.1));
    let mut sig = [u32::MAX; HASHES];
    for window in chars.windows(3) {
        let shingle =
            mix((u64::from(window[0]) << 42) ^ (u64::from(window[1]) << 21) ^ u64::from(window[2]));
        let shingle = (shingle >> 32) as u32;
        for ((slot, xor), mul) in sig.iter_mut().zip(&xors).zip(&muls) {
            *slot = (*slot).min((shingle ^ xor).wrapping_mul(*mul));
        }
    }
    sig
}

fn band_key(band: usize, rows: &[u32]) -> u64 {
    let mut key = mix(band as u64);
    for &row in rows {
        key = mix(key ^ u64::from(row));
    }
    key
}

/// One claim of the corpus, by note and index in the note's resolved claims.
struct Item {
    note: usize,
    claim: usize,
    norm: String,
    chars: usize,
}

/// A text's character counts, in `HIST` buckets.
type Histogram = [u16; HIST];

fn histogram(chars: &[char]) -> Histogram {
    let mut histogram = [0_u16; HIST];
    for &c in chars {
        let slot = &mut histogram[c as usize % HIST];
        *slot = slot.saturating_add(1);
    }
    histogram
}

/// An upper bound on the diff ratio of two texts of `chars` characters in all: only
/// equal characters can match. (A saturated count only makes the bound higher.)
fn ratio_bound(a: &Histogram, b: &Histogram, chars: usize) -> f32 {
    let common: u32 = a
        .iter()
        .zip(b)
        .map(|(x, y)| {
            if *x == u16::MAX || *y == u16::MAX {
                u32::from(u16::MAX)
            } else {
                u32::from((*x).min(*y))
            }
        })
        .sum();
    2.0 * common as f32 / chars as f32
}

/// The similarity of two normalised texts, as `similar` computes it.
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

impl Rule for DuplicateClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, _: &Context<'_>, out: &mut Vec<Finding>) {
        let items: Vec<Item> = corpus
            .notes
            .par_iter()
            .enumerate()
            .flat_map_iter(|(note, view)| {
                view.claims
                    .iter()
                    .enumerate()
                    .map(move |(claim, resolved)| {
                        let norm = normalise(&resolved.claim.text);
                        let chars = norm.chars().count();
                        Item {
                            note,
                            claim,
                            norm,
                            chars,
                        }
                    })
            })
            .collect();

        // Exact duplicates: the first claim with each normalised text is the original.
        let mut first_with: HashMap<&str, usize> = HashMap::with_capacity(items.len());
        let mut original = vec![true; items.len()];
        for (i, item) in items.iter().enumerate() {
            if item.norm.is_empty() {
                original[i] = false;
                continue;
            }
            match first_with.entry(item.norm.as_str()) {
                Entry::Occupied(first) => {
                    original[i] = false;
                    out.push(report(corpus, item, &items[*first.get()], None));
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }

        // Near duplicates, among the originals long enough to compare.
        let compared: Vec<bool> = items
            .iter()
            .zip(&original)
            .map(|(item, &original)| {
                original
                    && item.chars >= MIN_NEAR_CHARS
                    && item.norm.split(' ').count() >= MIN_NEAR_WORDS
            })
            .collect();
        if items.len() > u32::MAX as usize / BANDS {
            // Positions of band entries are u32: far beyond any real corpus.
            return;
        }
        let seeds = seeds();
        // Every (band key, claim) pair, sorted: claims with equal keys share an LSH
        // bucket. A pair is one number, 32 bits of the key in the high half (a rare
        // collision only merges two buckets) and the claim in the low one.
        let mut keys: Vec<u64> = items
            .par_iter()
            .zip(&compared)
            .enumerate()
            .filter(|(_, (_, compared))| **compared)
            .flat_map_iter(|(i, (item, _))| {
                let chars: Vec<char> = item.norm.chars().collect();
                let signature = signature(&chars, &seeds);
                (0..BANDS).map(move |band| {
                    let rows = &signature[band * ROWS..(band + 1) * ROWS];
                    (band_key(band, rows) << 32) | i as u64
                })
            })
            .collect();
        keys.par_sort_unstable();
        // The claims' character counts, for a cheap bound.
        let histograms: Vec<Histogram> = items
            .par_iter()
            .zip(&compared)
            .map(|(item, &compared)| {
                if compared {
                    histogram(&item.norm.chars().collect::<Vec<char>>())
                } else {
                    [0; HIST]
                }
            })
            .collect();
        // The entries in that order, each with where its bucket starts and its claim's
        // length (so most candidates are ruled out without looking anything up).
        let lengths: Vec<u32> = items.iter().map(|item| item.chars as u32).collect();
        let mut slots: Vec<Slot> = Vec::with_capacity(keys.len());
        let mut start = 0;
        for (p, &key) in keys.iter().enumerate() {
            if p > 0 && keys[p - 1] >> 32 != key >> 32 {
                start = p as u32;
            }
            let item = key as u32;
            slots.push(Slot {
                item,
                start,
                length: lengths[item as usize],
            });
        }
        // Within a bucket, each claim is a candidate duplicate of the earliest few before
        // it, if their lengths allow: (later, earlier) pairs, as one number, sorted.
        let mut pairs: Vec<u64> = slots
            .par_chunk_by(|a, b| a.start == b.start)
            .flat_map_iter(|bucket| {
                bucket
                    .iter()
                    .enumerate()
                    .skip(1)
                    .flat_map(move |(j, later)| {
                        bucket[..j.min(BUCKET_CAP)]
                            .iter()
                            .filter(|earlier| lengths_allow(earlier.length, later.length))
                            .map(|earlier| (u64::from(later.item) << 32) | u64::from(earlier.item))
                    })
            })
            .collect();
        pairs.par_sort_unstable();
        let cx = Candidates {
            items: &items,
            lengths: &lengths,
            histograms: &histograms,
        };
        let found: Vec<(usize, usize, f32)> = pairs
            .par_chunk_by(|a, b| a >> 32 == b >> 32)
            .filter_map(|candidates| cx.confirm(candidates))
            .collect();
        for (later, earlier, ratio) in found {
            out.push(report(corpus, &items[later], &items[earlier], Some(ratio)));
        }
    }
}

/// One entry of an LSH bucket: a claim, where its bucket starts, and the claim's
/// length.
#[derive(Clone, Copy)]
struct Slot {
    item: u32,
    start: u32,
    length: u32,
}

/// Whether texts of `a` and `b` characters can be similar enough: at best every
/// character of the shorter one matches.
fn lengths_allow(a: u32, b: u32) -> bool {
    (2 * a.min(b)) as f32 / ((a + b) as f32) >= THRESHOLD
}

/// What confirming a candidate needs: the texts, and for the cheap bounds their
/// lengths and character histograms, in compact arrays.
struct Candidates<'i> {
    items: &'i [Item],
    lengths: &'i [u32],
    histograms: &'i [Histogram],
}

impl Candidates<'_> {
    /// The earliest confirmed near duplicate among `candidates` (pairs of one later claim
    /// and an earlier one, once per bucket they share, sorted), trying those that share
    /// the most buckets first.
    fn confirm(&self, candidates: &[u64]) -> Option<(usize, usize, f32)> {
        let later = (candidates.first()? >> 32) as usize;
        let mut ranked: Vec<(usize, usize)> = candidates
            .chunk_by(|a, b| a == b)
            .map(|run| (run.len(), run[0] as u32 as usize))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let length = self.lengths[later];
        let mut confirmed: Option<(usize, usize, f32)> = None;
        let mut diffs = 0;
        for &(_, c) in &ranked {
            if diffs == MAX_DIFFS {
                break;
            }
            // The ratio can reach the threshold only if the character counts allow it
            // (the lengths were checked when gathering).
            let total = (self.lengths[c] + length) as usize;
            if ratio_bound(&self.histograms[later], &self.histograms[c], total) < THRESHOLD {
                continue;
            }
            diffs += 1;
            let ratio = similarity(&self.items[c].norm, &self.items[later].norm);
            if ratio >= THRESHOLD && confirmed.is_none_or(|(_, best, _)| c < best) {
                confirmed = Some((later, c, ratio));
            }
        }
        confirmed
    }
}

fn report(corpus: &Corpus<'_>, item: &Item, first: &Item, ratio: Option<f32>) -> Finding {
    let view = &corpus.notes[item.note];
    let claim = &view.claims[item.claim];
    let first_view = &corpus.notes[first.note];
    let first_claim = &first_view.claims[first.claim];
    let same_note = item.note == first.note;
    let whom = if same_note {
        format!("claim `{}` of this note", first_claim.name())
    } else {
        format!(
            "claim `{}` of note `{}`",
            first_claim.name(),
            first_view.id()
        )
    };
    let message = match ratio {
        None => format!("same text as {whom}"),
        Some(ratio) => format!(
            "nearly the same text ({}% similar) as {whom}",
            (ratio * 100.0).floor()
        ),
    };
    let mut finding = view
        .claim_finding(
            META.id,
            META.default_severity,
            &NoteView::field_path(claim, "text"),
            claim,
            message,
        )
        .with_label("repeated here")
        .with_help("keep one claim (merging sources and children), or reword one if they say different things");
    finding.labels.push(Label {
        file: (!same_note).then(|| first_view.doc.file.path().to_owned()),
        span: first_view.span(&NoteView::field_path(first_claim, "text")),
        message: "first written here".to_owned(),
    });
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_punctuation() {
        assert_eq!(
            normalise("  The field’s focus: conferences!! "),
            "the field s focus conferences"
        );
    }

    #[test]
    fn keeps_what_changes_a_number() {
        let cases = [
            ("Growth was -5%.", "growth was -5%"),
            ("Growth was 5%.", "growth was 5%"),
            ("Growth was −5 %!", "growth was -5%"),
            ("up +3 points", "up +3 points"),
            ("a budget of $ 500, or €2M", "a budget of $500 or €2m"),
            ("~ 90% top-1 accuracy", "~90% top 1 accuracy"),
            ("p < 0.05, n > 1,000", "p <0.05 n >1 000"),
            ("2.5 million; not 25", "2.5 million not 25"),
            (
                "GPT-4 and COVID-19, in 2020-2021",
                "gpt 4 and covid 19 in 2020 2021",
            ),
            ("state-of-the-art - 5 labs.", "state of the art 5 labs"),
            ("$ and € alone", "$ and € alone"),
            ("100% sure", "100% sure"),
            ("v1.2.3 - e.g. 5.", "v1.2.3 e g 5"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalise(text), expected, "{text}");
        }
        assert_ne!(normalise("Growth was -5%."), normalise("Growth was 5%."));
        assert_ne!(normalise("less than <5%"), normalise("less than >5%"));
        assert_eq!(normalise("Growth was 5 %"), normalise("growth was 5%!"));
    }

    /// The fraction of `pairs` whose signatures share a band.
    fn banded(pairs: &[(&str, &str)]) -> f64 {
        let seeds = seeds();
        let sig = |t: &str| signature(&normalise(t).chars().collect::<Vec<_>>(), &seeds);
        let found = pairs
            .iter()
            .filter(|(a, b)| {
                let (sa, sb) = (sig(a), sig(b));
                (0..BANDS).any(|band| {
                    sa[band * ROWS..(band + 1) * ROWS] == sb[band * ROWS..(band + 1) * ROWS]
                })
            })
            .count();
        found as f64 / pairs.len() as f64
    }

    #[test]
    fn scattered_edits_still_share_a_band() {
        let (a, b) = (
            "charlie kilo hotel lima india zulu sierra golf",
            "charlqe kilq hotel vima india qulu sierra golf",
        );
        assert!(similarity(a, b) >= THRESHOLD);
        assert_eq!(banded(&[(a, b)]), 1.0);
        // Texts 0.9 similar through one-letter edits spread evenly: substitutions
        // (three trigrams lost each) and insertions (two lost, three new ones each).
        let words = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        ];
        let mut pairs: Vec<(String, String)> = Vec::new();
        for start in 0..words.len() {
            let text: Vec<&str> = (0..8)
                .map(|k| words[(start + 3 * k) % words.len()])
                .collect();
            let original = text.join(" ");
            let substituted: Vec<String> = text
                .iter()
                .enumerate()
                .map(|(k, w)| {
                    if k % 2 == 0 {
                        format!("{}x", &w[..w.len() - 1])
                    } else {
                        (*w).to_owned()
                    }
                })
                .collect();
            let inserted: Vec<String> = text.iter().map(|w| format!("{w}q")).collect();
            for edited in [substituted.join(" "), inserted.join(" ")] {
                let ratio = similarity(&normalise(&original), &normalise(&edited));
                assert!((THRESHOLD..0.95).contains(&ratio), "{edited}: {ratio}");
                pairs.push((original.clone(), edited));
            }
        }
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert!(banded(&pairs) >= 0.95, "{}", banded(&pairs));
    }

    #[test]
    fn near_texts_share_a_band_and_pass_the_threshold() {
        let seeds = seeds();
        let a = normalise("The field is focused around a small number of conferences.");
        let b = normalise("The field is focussed around a small number of conferences");
        let sig = |t: &str| signature(&t.chars().collect::<Vec<_>>(), &seeds);
        let (sa, sb) = (sig(&a), sig(&b));
        let shared = (0..BANDS)
            .filter(|band| sa[band * ROWS..(band + 1) * ROWS] == sb[band * ROWS..(band + 1) * ROWS])
            .count();
        assert!(shared > 0);
        assert!(similarity(&a, &b) >= THRESHOLD);
        let c = normalise("Journal and workshop-only papers are less influential.");
        assert!(similarity(&a, &c) < THRESHOLD);
    }
}
