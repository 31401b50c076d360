//! A byte-level fuzz run over the whole pipeline: loading, every rule, every reporter
//! and `--fix`, on mutations of every note and fixture in the repository.
//!
//! It runs for a bounded time (`FUZZ_SECONDS`, 40 s by default; set the environment
//! variable `NOTES_LINT_FUZZ_SECONDS` to run longer) or `CASES` cases, whichever ends
//! first. Each case asserts:
//! - nothing panics (the runner fails on a panic);
//! - one lint (load, rules, all five reporters) of inputs under 64 KB takes under a
//!   second in an optimised build; an unoptimised build gets `DEBUG_FACTOR` seconds,
//!   a margin for CI machines busy with other builds (the slowest lint measured in a
//!   debug build took about 0.13 s);
//! - `--fix` never gives a syntax or schema error to a file that had none;
//! - a second `--fix` pass changes nothing;
//! - the output is the same on 1 and 2 threads and whatever the order of the files.

mod common;
use common::root;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notes_lint::engine::{self, Options, Outcome};
use notes_lint::report;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const FUZZ_SECONDS: u64 = 40;
/// About what 40 s allow on two busy cores in a debug build.
const CASES: u32 = 4_000;
/// Inputs under this size must lint within the time limit.
const SMALL: usize = 64 * 1024;
/// How many times slower than an optimised build an unoptimised one may be.
const DEBUG_FACTOR: u32 = 3;

/// Every `.yaml`, `.yml` and `.json` file under `tests/` and `notes/`.
fn seeds() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if notes_lint::discover::is_note_file(&path) {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("tests"), &mut paths);
    walk(&root().join("notes"), &mut paths);
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

/// Fragments that matter to YAML and to the note format.
const TOKENS: &[&[u8]] = &[
    b": ",
    b"- ",
    b"\n",
    b"\n  ",
    b"  ",
    b"\t",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"'",
    b"\"",
    b"#",
    b"!!str ",
    b"!x ",
    b"---\n",
    b"...\n",
    b"|\n  ",
    b">-\n",
    b"?",
    b"\\",
    b"\xff",
    b"\0",
    b"\r\n",
    b"\xe2\x80\x9c",
    b"\xc3",
    b"2022-02-30",
    b"2022",
    b"99999999999999999999",
    b"-1",
    b"~",
    b"null",
    b"true",
    b"1e400",
    b"sources: [",
    b"sorces: [x]\n",
    b"id: x\n",
    b"id: Bad Id\n",
    b"caveats: [",
    b"allow:\n  - {rule: ",
    b"stale-claim, reason: r}\n",
    b"unused-definition",
    b"claims:\n  - text: ",
    b"children:\n  - text: a\n",
    b"summary_of: ",
    b"sensitive_to: [",
    b"as_of: ",
    b"shelf_life: 6mo\n",
    b"kind: quote\n",
    b"kind: forecast\n",
    b"resolves: 2020\n",
    b"  - id: a\n",
    b"title: T\n",
    b"text: ~30% of TODO\n",
    b"before: ",
    b"review_by: 2001\n",
];

/// One edit of a seed's bytes; positions and lengths are taken modulo the input.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, Vec<u8>),
    Token(usize, usize),
    Delete(usize, usize),
    Flip(usize, u8),
    Duplicate(usize, usize, usize),
    Splice(usize, usize, usize, usize),
    /// A chunk repeated many times in place: large inputs, many nodes, long lines.
    Repeat(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        4 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Token(at, t)),
        2 => (any::<usize>(), 1..64_usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        1 => (any::<usize>(), 1..256_usize, any::<usize>())
            .prop_map(|(from, n, to)| Mutation::Duplicate(from, n, to)),
        1 => (any::<usize>(), any::<usize>(), 1..512_usize, any::<usize>())
            .prop_map(|(seed, from, n, to)| Mutation::Splice(seed, from, n, to)),
        1 => (any::<usize>(), 1..256_usize, 2..200_usize)
            .prop_map(|(at, n, times)| Mutation::Repeat(at, n, times)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation, seeds: &[Vec<u8>]) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match mutation {
        Mutation::Insert(i, new) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, new.iter().copied());
        }
        Mutation::Token(i, t) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, TOKENS[*t].iter().copied());
        }
        Mutation::Delete(i, n) => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Flip(i, b) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] = *b;
            }
        }
        Mutation::Duplicate(from, n, to) => {
            let from = at(*from, bytes.len());
            let chunk = bytes[from..(from + n).min(bytes.len())].to_vec();
            let to = at(*to, bytes.len());
            bytes.splice(to..to, chunk);
        }
        Mutation::Splice(seed, from, n, to) => {
            let other = &seeds[seed % seeds.len()];
            let from = at(*from, other.len());
            let chunk = &other[from..(from + n).min(other.len())];
            let to = at(*to, bytes.len());
            bytes.splice(to..to, chunk.iter().copied());
        }
        Mutation::Repeat(i, n, times) => {
            let from = at(*i, bytes.len());
            let end = (from + n).min(bytes.len());
            let chunk = bytes[from..end].repeat(*times);
            bytes.splice(end..end, chunk);
        }
    }
}

/// A case: one to three files, each a seed with a few mutations.
fn case(seed_count: usize) -> impl Strategy<Value = Vec<(usize, Vec<Mutation>)>> {
    proptest::collection::vec(
        (0..seed_count, proptest::collection::vec(mutation(), 0..6)),
        1..4,
    )
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(16 * 1024 * 1024)
        .build()
        .expect("a thread pool")
}

/// Every format's output of one lint.
fn render(outcome: &Outcome, options: &Options) -> Vec<String> {
    vec![
        report::human::render(outcome, report::human::Color::Never, 100),
        report::human::render(outcome, report::human::Color::Always, 60),
        report::short::render(outcome),
        report::json::render(outcome, options.today),
        report::sarif::render(outcome),
        report::github::render(outcome),
    ]
}

fn broken(outcome: &Outcome, file: &Path) -> Vec<String> {
    outcome
        .findings
        .iter()
        .filter(|f| f.file.as_deref() == Some(file) && (f.rule == "syntax" || f.rule == "schema"))
        .map(|f| f.message.clone())
        .collect()
}

struct Fuzz {
    seeds: Vec<Vec<u8>>,
    options: Options,
    one: rayon::ThreadPool,
    two: rayon::ThreadPool,
    limit: Duration,
    /// The slowest lint of a small input so far, in microseconds.
    slowest: std::sync::atomic::AtomicU64,
}

impl Fuzz {
    fn check(&self, dir: &Path, case: &[(usize, Vec<Mutation>)]) -> Result<(), TestCaseError> {
        let mut files = Vec::new();
        let mut small = true;
        for (i, (seed, mutations)) in case.iter().enumerate() {
            let mut bytes = self.seeds[*seed].clone();
            for mutation in mutations {
                apply(&mut bytes, mutation, &self.seeds);
            }
            small &= bytes.len() < SMALL;
            let path = dir.join(format!("n{i}.{}", ["yaml", "yml", "json"][i % 3]));
            std::fs::write(&path, &bytes).expect("write");
            files.push(path);
        }
        let none = HashMap::new();

        let start = Instant::now();
        let first = engine::run_in(&self.one, &files, &self.options, &none);
        let output = render(&first, &self.options);
        let took = start.elapsed();
        if small {
            let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
            self.slowest
                .fetch_max(micros, std::sync::atomic::Ordering::Relaxed);
        }
        prop_assert!(
            !small || took < self.limit,
            "one lint took {took:?} (limit {:?})",
            self.limit
        );

        let mut reversed = files.clone();
        reversed.reverse();
        let second = engine::run_in(&self.two, &reversed, &self.options, &none);
        prop_assert!(
            render(&second, &self.options) == output,
            "the output differs on 2 threads with the files in another order"
        );

        let lint = |overlay: &HashMap<PathBuf, String>| {
            engine::run_in(&self.two, &files, &self.options, overlay)
        };
        let fixed = notes_lint::fix::fix_until_done(first, lint);
        let _ = render(&fixed.outcome, &self.options);
        let mut overlay = HashMap::new();
        for (path, _old, new) in &fixed.changed {
            let before = broken(&second, path);
            let after = broken(&fixed.outcome, path);
            prop_assert!(
                !before.is_empty() || after.is_empty(),
                "--fix broke {}: {after:?}\n--- fixed text:\n{new}",
                path.display()
            );
            overlay.insert(path.clone(), new.clone());
        }
        let again = notes_lint::fix::fix_until_done(lint(&overlay), |more| {
            let mut merged = overlay.clone();
            merged.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
            lint(&merged)
        });
        prop_assert!(
            again.changed.is_empty(),
            "a second --fix changed {:?}",
            again
                .changed
                .iter()
                .map(|(path, old, new)| format!(
                    "{}\n{}",
                    path.display(),
                    notes_lint::fix::diff(path, old, new)
                ))
                .collect::<Vec<_>>()
        );
        Ok(())
    }
}

#[test]
fn mutated_notes_never_panic_hang_break_on_fix_or_depend_on_threads() {
    let seeds = seeds();
    assert!(
        seeds.len() > 20,
        "the seeds are the repository's notes and fixtures"
    );
    let seconds = std::env::var("NOTES_LINT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(FUZZ_SECONDS);
    let budget = Duration::from_secs(seconds);
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(u64::from(DEBUG_FACTOR))
    } else {
        Duration::from_secs(1)
    };
    let fuzz = Fuzz {
        seeds,
        options: Options {
            today: jiff::civil::date(2026, 11, 27),
            config: Default::default(),
            select: None,
            ignore: Default::default(),
        },
        one: pool(1),
        two: pool(2),
        limit,
        slowest: Default::default(),
    };
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        max_shrink_time: 30_000,
        ..Config::default()
    });
    let start = Instant::now();
    let ran = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&case(fuzz.seeds.len()), |case| {
        if start.elapsed() > budget {
            return Ok(());
        }
        ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = tempfile::tempdir().expect("temp dir");
        fuzz.check(dir.path(), &case)
    });
    let ran = ran.into_inner();
    eprintln!(
        "fuzz: {ran} cases in {:?}; the slowest lint took {:?}",
        start.elapsed(),
        Duration::from_micros(fuzz.slowest.into_inner())
    );
    if let Err(error) = result {
        panic!("{error}");
    }
    assert!(ran >= 50, "only {ran} cases ran in {budget:?}");
}
