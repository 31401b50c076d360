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
const BUCKET_CAP: usize = 32;

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
        let seeds = seeds();
        let signatures: Vec<Option<[u32; HASHES]>> = items
            .par_iter()
            .map(|item| {
                let words = item.norm.split(' ').count();
                (item.chars >= MIN_NEAR_CHARS && words >= MIN_NEAR_WORDS).then(|| {
                    let chars: Vec<char> = item.norm.chars().collect();
                    signature(&chars, &seeds)
                })
            })
            .collect();

        let mut exact: HashMap<&str, usize> = HashMap::with_capacity(items.len());
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::with_capacity(items.len() * 2);
        let mut candidates: Vec<u32> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if item.norm.is_empty() {
                continue;
            }
            match exact.entry(item.norm.as_str()) {
                Entry::Occupied(first) => {
                    out.push(report(corpus, item, &items[*first.get()], None));
                    continue;
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
            let Some(sig) = &signatures[i] else { continue };
            candidates.clear();
            let mut keys = [0_u64; BANDS];
            for (band, key) in keys.iter_mut().enumerate() {
                *key = band_key(band, &sig[band * ROWS..(band + 1) * ROWS]);
                if let Some(bucket) = buckets.get(key) {
                    candidates.extend(bucket.iter().take(BUCKET_CAP));
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let found = candidates.iter().find_map(|&c| {
                let other = &items[c as usize];
                let (short, long) = if other.chars < item.chars {
                    (other.chars, item.chars)
                } else {
                    (item.chars, other.chars)
                };
                // The ratio can reach the threshold only if the lengths allow it.
                if (2 * short) as f32 / ((short + long) as f32) < THRESHOLD {
                    return None;
                }
                let ratio = similarity(&other.norm, &item.norm);
                (ratio >= THRESHOLD).then_some((c as usize, ratio))
            });
            if let Some((c, ratio)) = found {
                out.push(report(corpus, item, &items[c], Some(ratio)));
            }
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            for key in keys {
                let bucket = buckets.entry(key).or_default();
                if bucket.len() < BUCKET_CAP {
                    bucket.push(index);
                }
            }
        }
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
