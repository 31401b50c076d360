//! `duplicate-claim`: the same or nearly the same claim text twice in the corpus.
//!
//! Comparing every pair of claims is quadratic, so candidates come from indexes:
//! exact duplicates from a map of normalised texts, near ones from MinHash signatures
//! of character trigrams split into LSH bands (each bucket is looked at up to a cap).
//! Every near candidate is confirmed with `similar`'s character diff ratio.

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
spaces made one space. Two texts are nearly the same when their character-level
similarity (`2 × matching characters / total characters`) is at least 0.9. Short
texts, under 12 characters or 4 words once normalised (such as `scaling` or
`natural language processing`), only match exactly: in a short label a few characters
are the whole difference (`natural language processing: ACL` is another item).

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
const BANDS: usize = 13;
const ROWS: usize = 3;
const HASHES: usize = BANDS * ROWS;
/// How many earlier claims of one LSH bucket a claim is compared with.
const BUCKET_CAP: usize = 16;
/// How many candidates (those sharing the most bands first) are confirmed with a diff.
const MAX_DIFFS: usize = 4;
/// Characters are counted in this many buckets for a cheap upper bound on the ratio.
const HIST: usize = 64;

/// `text` lowercased, with every run of non-alphanumeric characters made one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
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

fn seeds() -> [u64; HASHES] {
    let mut seeds = [0_u64; HASHES];
    for (i, seed) in seeds.iter_mut().enumerate() {
        *seed = mix(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
    }
    seeds
}

/// The MinHash signature of the character trigrams of `chars`.
fn signature(chars: &[char], seeds: &[u64; HASHES]) -> [u32; HASHES] {
    let mut sig = [u32::MAX; HASHES];
    for window in chars.windows(3) {
        let shingle =
            mix((u64::from(window[0]) << 42) ^ (u64::from(window[1]) << 21) ^ u64::from(window[2]));
        for (slot, seed) in sig.iter_mut().zip(seeds) {
            // The high half of a multiplicative hash of the shingle, per seed.
            let hashed = ((shingle ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32;
            *slot = (*slot).min(hashed);
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

/// What near-duplicate search keeps of a long enough text.
struct Near {
    signature: [u32; HASHES],
    histogram: [u16; HIST],
}

fn histogram(chars: &[char]) -> [u16; HIST] {
    let mut histogram = [0_u16; HIST];
    for &c in chars {
        let slot = &mut histogram[c as usize % HIST];
        *slot = slot.saturating_add(1);
    }
    histogram
}

/// An upper bound on the diff ratio of two texts: only equal characters can match.
fn ratio_bound(a: &Near, b: &Near, chars: usize) -> f32 {
    let common: u32 = a
        .histogram
        .iter()
        .zip(&b.histogram)
        .map(|(x, y)| u32::from((*x).min(*y)))
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
            .iter()
            .enumerate()
            .flat_map(|(note, view)| {
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
        let seeds = seeds();
        let near: Vec<Option<Near>> = items
            .par_iter()
            .zip(&original)
            .map(|(item, &original)| {
                let words = item.norm.split(' ').count();
                (original && item.chars >= MIN_NEAR_CHARS && words >= MIN_NEAR_WORDS).then(|| {
                    let chars: Vec<char> = item.norm.chars().collect();
                    Near {
                        signature: signature(&chars, &seeds),
                        histogram: histogram(&chars),
                    }
                })
            })
            .collect();
        // Every (band key, claim) pair, sorted: claims with equal keys share an LSH bucket.
        let mut entries: Vec<(u64, u32)> = near
            .par_iter()
            .enumerate()
            .filter_map(|(i, near)| Some((u32::try_from(i).ok()?, near.as_ref()?)))
            .flat_map_iter(|(i, near)| {
                (0..BANDS).map(move |band| {
                    let rows = &near.signature[band * ROWS..(band + 1) * ROWS];
                    (band_key(band, rows), i)
                })
            })
            .collect();
        entries.par_sort_unstable();
        // Within a bucket, each claim is a candidate duplicate of the earliest few before it.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for bucket in entries.chunk_by(|a, b| a.0 == b.0) {
            for (j, &(_, later)) in bucket.iter().enumerate().skip(1) {
                pairs.extend(bucket[..j.min(BUCKET_CAP)].iter().map(|&(_, e)| (later, e)));
            }
        }
        pairs.par_sort_unstable();
        let found: Vec<(usize, usize, f32)> = pairs
            .par_chunk_by(|a, b| a.0 == b.0)
            .filter_map(|candidates| confirm(&items, &near, candidates))
            .collect();
        for (later, earlier, ratio) in found {
            out.push(report(corpus, &items[later], &items[earlier], Some(ratio)));
        }
    }
}

/// The earliest confirmed near duplicate among `candidates` (pairs of one later claim
/// and its earlier candidates, sorted), trying those that share the most bands first.
fn confirm(
    items: &[Item],
    near: &[Option<Near>],
    candidates: &[(u32, u32)],
) -> Option<(usize, usize, f32)> {
    let later = candidates.first()?.0 as usize;
    let item = &items[later];
    let this = near[later].as_ref()?;
    let mut ranked: Vec<(usize, usize)> = candidates
        .chunk_by(|a, b| a.1 == b.1)
        .map(|run| (run.len(), run[0].1 as usize))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut confirmed: Option<(usize, usize, f32)> = None;
    for &(_, c) in ranked.iter().take(MAX_DIFFS) {
        let other = &items[c];
        let total = other.chars + item.chars;
        // The ratio can reach the threshold only if the lengths and the character
        // counts allow it.
        if (2 * other.chars.min(item.chars)) as f32 / (total as f32) < THRESHOLD {
            continue;
        }
        let Some(other_near) = &near[c] else { continue };
        if ratio_bound(this, other_near, total) < THRESHOLD {
            continue;
        }
        let ratio = similarity(&other.norm, &item.norm);
        if ratio >= THRESHOLD && confirmed.is_none_or(|(_, best, _)| c < best) {
            confirmed = Some((later, c, ratio));
        }
    }
    confirmed
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
