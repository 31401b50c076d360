//! `cargo xtask bench`: times notes-lint on generated corpora beside two schema-only
//! validators, jsonschema-cli and ajv-cli, and writes `docs/performance.md` between its
//! bench markers.
//!
//! Each command runs once untimed under `/usr/bin/time` (its peak RSS, its exit code,
//! its output, and a warm file cache), then N timed runs under hyperfine (or, if
//! hyperfine cannot be had, N runs timed here, of which the median is kept). Every run
//! sits under `timeout`, so a command that is too slow is recorded as timed out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::gen_corpus::{self, Vocab};

/// The day staleness is judged against, so the findings do not change with the date.
const TODAY: &str = "2026-11-27";
/// Pinned peers and tools, installed under `target/bench/peers` when missing.
const HYPERFINE_VERSION: &str = "1.20.0";
const JSONSCHEMA_CLI_VERSION: &str = "0.60.2";
const AJV_CLI: &str = "ajv-cli@5.0.0";
/// The generated part of the document lies between these markers.
const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";
/// The document, relative to the workspace root.
const DOC: &str = "docs/performance.md";
/// Claims per file in the multi-file corpora.
const CLAIMS_PER_FILE: usize = 100;
/// Claims in the single-note corpora.
const SINGLE_CLAIMS: usize = 200_000;

/// `cargo xtask bench` options.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// 10k and 100k claims only (plus the single note), 3 timed runs: a few minutes.
    #[arg(long)]
    quick: bool,
    /// Timed runs per command, at least 3. Default: 5, or 3 with --quick.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(3..))]
    runs: Option<u32>,
    /// Leave out jsonschema-cli and ajv (nothing is installed for them).
    #[arg(long)]
    no_peers: bool,
    /// Seconds after which one run of a command is stopped and recorded as timed out.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u64,
}

/// One generated corpus.
struct Corpus {
    name: String,
    vocab: Vocab,
    claims: usize,
    single: bool,
    files: usize,
    bytes: u64,
    dir: PathBuf,
}

/// What a row runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Lint,
    Syntax,
    Duplicate,
    OneThread,
    Export,
    ExportCheck,
    JsonschemaCli,
    Ajv,
}

impl Tool {
    const ALL: [Self; 8] = [
        Self::Lint,
        Self::Syntax,
        Self::Duplicate,
        Self::OneThread,
        Self::Export,
        Self::ExportCheck,
        Self::JsonschemaCli,
        Self::Ajv,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Lint => "notes-lint, every rule",
            Self::Syntax => "notes-lint `--select syntax` (load only)",
            Self::Duplicate => "notes-lint `--select duplicate-claim`",
            Self::OneThread => "notes-lint, every rule, 1 thread",
            Self::Export => "`cargo xtask export`",
            Self::ExportCheck => "`cargo xtask export --check`",
            Self::JsonschemaCli => "jsonschema-cli (schema only)",
            Self::Ajv => "ajv (schema only)",
        }
    }

    fn is_peer(self) -> bool {
        matches!(self, Self::JsonschemaCli | Self::Ajv)
    }
}

/// A command as a shell line run from the workspace root.
struct Cmd {
    env: Option<(&'static str, &'static str)>,
    line: String,
}

impl Cmd {
    /// As shown in the document.
    fn display(&self) -> String {
        match self.env {
            Some((key, value)) => format!("{key}={value} {}", self.line),
            None => self.line.clone(),
        }
    }

    /// As run by `sh -c`: `exec`, so that the measured process is the command itself.
    fn script(&self) -> String {
        match self.env {
            Some((key, value)) => format!("{key}={value} exec {}", self.line),
            None => format!("exec {}", self.line),
        }
    }
}

/// How a command fared.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Ran,
    TimedOut,
    Failed(String),
    Unavailable(String),
}

/// One row's figures.
#[derive(Clone, Debug)]
struct Measure {
    command: String,
    status: Status,
    exit: Option<i32>,
    rss_kib: Option<u64>,
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    output: Option<PathBuf>,
}

impl Measure {
    fn unavailable(command: String, why: &str) -> Self {
        Self {
            command,
            status: Status::Unavailable(why.to_owned()),
            exit: None,
            rss_kib: None,
            median: None,
            min: None,
            max: None,
            output: None,
        }
    }

    fn timed(&self) -> Option<f64> {
        (self.status == Status::Ran)
            .then_some(self.median)
            .flatten()
    }
}

/// A peer validator: how to run it, or why it cannot run.
type Peer = Result<PathBuf, String>;

struct Bench {
    root: PathBuf,
    dir: PathBuf,
    notes_lint: PathBuf,
    xtask: PathBuf,
    hyperfine: Option<PathBuf>,
    jsonschema_cli: Option<Peer>,
    ajv: Option<Peer>,
    runs: u32,
    timeout: u64,
}

/// `cargo xtask bench`.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let runs = options.runs.unwrap_or(if options.quick { 3 } else { 5 });
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let dir = target.join("bench");
    std::fs::create_dir_all(dir.join("out"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let started = now_utc();
    let load_before = load_average();

    step("building notes-lint (release)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    check_status(
        Command::new(&cargo)
            .args(["build", "--release", "-p", "notes-lint", "-p", "xtask"])
            .current_dir(root)
            .status(),
        "cargo build --release -p notes-lint -p xtask",
    )?;
    for tool in ["/usr/bin/time", "timeout", "sh"] {
        if find_program(tool).is_none() {
            return Err(format!(
                "bench: `{tool}` is needed (Debian: apt-get install time coreutils)"
            ));
        }
    }

    let peers = dir.join("peers");
    let hyperfine = find_hyperfine(&peers, &cargo);
    let (jsonschema_cli, ajv) = if options.no_peers {
        (None, None)
    } else {
        (
            Some(install_jsonschema_cli(&peers, &cargo)),
            Some(install_ajv(&peers)),
        )
    };
    let bench = Bench {
        root: root.to_path_buf(),
        notes_lint: target.join("release").join("notes-lint"),
        xtask: target.join("release").join("xtask"),
        dir,
        hyperfine,
        jsonschema_cli,
        ajv,
        runs,
        timeout: options.timeout,
    };

    let sizes: &[usize] = if options.quick {
        &[10_000, 100_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let mut corpora = Vec::new();
    for vocab in [Vocab::Wide, Vocab::Narrow] {
        for &claims in sizes {
            corpora.push(bench.generate(vocab, claims, false)?);
        }
    }
    for vocab in [Vocab::Wide, Vocab::Narrow] {
        corpora.push(bench.generate(vocab, SINGLE_CLAIMS, true)?);
    }

    let mut results = Vec::new();
    for corpus in &corpora {
        let rows: Vec<(Tool, Measure)> = Tool::ALL
            .iter()
            .filter(|tool| !(options.no_peers && tool.is_peer()))
            .map(|&tool| (tool, bench.measure_tool(tool, corpus)))
            .collect();
        let identical = bench.same_output(&rows);
        let exported = std::fs::metadata(bench.export_root(corpus).join("export/notes.json"))
            .ok()
            .map(|m| m.len());
        results.push(CorpusResult {
            corpus,
            rows,
            identical,
            exported,
        });
    }
    let small = bench.small_note(options.no_peers)?;

    let load_after = load_average();
    let context = Context {
        command: command_line(options),
        started,
        load: (load_before, load_after),
        commit: commit(root),
        rustc: version_of(Command::new("rustc").arg("--version")),
        hyperfine: bench
            .hyperfine
            .as_ref()
            .and_then(|path| version_of(Command::new(path).arg("--version"))),
        jsonschema_cli: match &bench.jsonschema_cli {
            Some(Ok(path)) => version_of(Command::new(path).arg("--version")),
            _ => None,
        },
        ajv: match &bench.ajv {
            Some(Ok(_)) => Some(AJV_CLI.to_owned()),
            _ => None,
        },
        node: version_of(Command::new("node").arg("--version")),
        quick: options.quick,
        timeout: options.timeout,
        runs,
    };
    let text = report(&context, &results, &small);
    write_doc(&root.join(DOC), &text)?;
    step(&format!("wrote {DOC}"));
    Ok(())
}

/// What one corpus gave.
struct CorpusResult<'a> {
    corpus: &'a Corpus,
    rows: Vec<(Tool, Measure)>,
    /// Whether `--format short` was byte-identical on 1 thread and on all cores.
    identical: Option<bool>,
    /// The bytes of the `notes.json` that `cargo xtask export` wrote.
    exported: Option<u64>,
}

/// The small note's rows.
struct Small {
    bytes: u64,
    rows: Vec<(&'static str, Measure)>,
}

impl Bench {
    /// A path as written in a command: relative to the workspace root when inside it,
    /// not quoted.
    fn rel(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        shown.to_string_lossy().into_owned()
    }

    fn generate(&self, vocab: Vocab, claims: usize, single: bool) -> Result<Corpus, String> {
        let name = if single {
            format!("single-{}-{}", vocab.name(), count_name(claims))
        } else {
            format!("{}-{}", vocab.name(), count_name(claims))
        };
        let dir = self.dir.join("corpus").join(&name);
        step(&format!("generating {name}"));
        let written = gen_corpus::generate(
            &self.root,
            &gen_corpus::Options {
                out: dir.clone(),
                files: claims / CLAIMS_PER_FILE,
                claims: CLAIMS_PER_FILE,
                seed: 1,
                vocab,
                single,
            },
        )?;
        Ok(Corpus {
            name,
            vocab,
            claims: written.claims,
            single,
            files: written.files,
            bytes: written.bytes,
            dir,
        })
    }

    fn lint(&self, extra: &str, target: &str) -> String {
        format!(
            "{} --format short --today {TODAY}{extra} {}",
            quote(&self.rel(&self.notes_lint)),
            quote(target)
        )
    }

    /// The workspace that `cargo xtask export` runs in for `corpus`: its `notes` is a
    /// link to the corpus, and the export goes to its `export`.
    fn export_root(&self, corpus: &Corpus) -> PathBuf {
        self.dir.join("export").join(&corpus.name)
    }

    /// Makes [`Bench::export_root`] for `corpus`, with no export in it yet.
    fn prepare_export(&self, corpus: &Corpus) -> Result<PathBuf, String> {
        let root = self.export_root(corpus);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        link_dir(&corpus.dir, &root.join("notes"))?;
        Ok(root)
    }

    /// The command of a row on `target`, a folder relative to the workspace root.
    fn command(&self, tool: Tool, target: &str) -> Result<Cmd, String> {
        let schema = "schema/note.schema.json";
        let peer = |peer: &Option<Peer>| match peer {
            Some(Ok(path)) => Ok(quote(&self.rel(path))),
            Some(Err(why)) => Err(why.clone()),
            None => Err("left out (--no-peers)".to_owned()),
        };
        Ok(match tool {
            Tool::Lint => Cmd {
                env: None,
                line: self.lint("", target),
            },
            Tool::Syntax => Cmd {
                env: None,
                line: self.lint(" --select syntax", target),
            },
            Tool::Duplicate => Cmd {
                env: None,
                line: self.lint(" --select duplicate-claim", target),
            },
            Tool::OneThread => Cmd {
                env: Some(("RAYON_NUM_THREADS", "1")),
                line: self.lint("", target),
            },
            // Run in a workspace whose `notes` is the corpus (see `export_root`); the
            // first run writes the export, the timed ones write it again over itself.
            Tool::Export | Tool::ExportCheck => Cmd {
                env: None,
                line: format!(
                    "{} --root {} export{}",
                    quote(&self.rel(&self.xtask)),
                    quote(target),
                    if tool == Tool::ExportCheck {
                        " --check"
                    } else {
                        ""
                    }
                ),
            },
            // The shell expands the glob: jsonschema-cli takes instance files only.
            Tool::JsonschemaCli => Cmd {
                env: None,
                line: format!(
                    "{} validate {schema} --offline --no-assert-format --errors-only -i {}/*.yaml",
                    peer(&self.jsonschema_cli)?,
                    quote(target)
                ),
            },
            // Quoted: ajv expands the glob itself, so no argument list grows with the corpus.
            Tool::Ajv => Cmd {
                env: None,
                line: format!(
                    "{} validate --spec=draft2020 --strict=false --validate-formats=false -s {schema} -d {}",
                    peer(&self.ajv)?,
                    quote(&format!("{target}/*.yaml"))
                ),
            },
        })
    }

    fn measure_tool(&self, tool: Tool, corpus: &Corpus) -> Measure {
        let target = match tool {
            Tool::Export => match self.prepare_export(corpus) {
                Ok(root) => self.rel(&root),
                Err(why) => return Measure::unavailable(String::new(), &why),
            },
            Tool::ExportCheck => self.rel(&self.export_root(corpus)),
            _ => self.rel(&corpus.dir),
        };
        let name = format!("{}-{tool:?}", corpus.name).to_lowercase();
        match self.command(tool, &target) {
            Ok(cmd) => self.measure(&name, &cmd, self.runs),
            Err(why) => Measure::unavailable(String::new(), &why),
        }
    }

    /// One untimed run under `/usr/bin/time` for the exit code, peak RSS and output,
    /// then the timed runs.
    fn measure(&self, name: &str, cmd: &Cmd, runs: u32) -> Measure {
        step(&format!("{name}: {}", cmd.display()));
        let out_path = self.dir.join("out").join(format!("{name}.txt"));
        let err_path = self.dir.join("out").join(format!("{name}.stderr"));
        let time_path = self.dir.join("out").join(format!("{name}.time"));
        let mut measure = Measure {
            command: cmd.display(),
            status: Status::Ran,
            exit: None,
            rss_kib: None,
            median: None,
            min: None,
            max: None,
            output: Some(out_path.clone()),
        };
        let files = std::fs::File::create(&out_path)
            .and_then(|out| Ok((out, std::fs::File::create(&err_path)?)));
        let (out, err) = match files {
            Ok(files) => files,
            Err(e) => {
                measure.status = Status::Failed(format!("cannot write {}: {e}", name));
                return measure;
            }
        };
        let status = self
            .timeout_command(self.timeout)
            .args(["/usr/bin/time", "-f", "%e %M", "-o"])
            .arg(&time_path)
            .args(["sh", "-c", &cmd.script()])
            .stdout(out)
            .stderr(err)
            .status();
        let code = match status {
            Ok(status) => status.code(),
            Err(e) => {
                measure.status = Status::Failed(format!("cannot run timeout: {e}"));
                return measure;
            }
        };
        if matches!(code, Some(124 | 137) | None) {
            measure.status = Status::TimedOut;
            return measure;
        }
        measure.exit = code;
        // GNU time writes "Command exited with non-zero status N" first, then the format.
        let time = std::fs::read_to_string(&time_path).unwrap_or_default();
        measure.rss_kib = time
            .lines()
            .last()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse().ok());
        // notes-lint exits 1 on findings and the validators on invalid files; 2 and up is
        // a command that could not run.
        if !matches!(code, Some(0 | 1)) {
            let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
            // The first line that says something, cut short: the table cell is no log.
            let first: String = stderr
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .unwrap_or("no message")
                .chars()
                .take(160)
                .collect();
            measure.status = Status::Failed(format!("exit {}: {first}", code.unwrap_or(-1)));
            return measure;
        }
        let timed = match &self.hyperfine {
            Some(hyperfine) => self.hyperfine(hyperfine, name, cmd, runs),
            None => self.repeat(cmd, runs),
        };
        match timed {
            Ok(Some((median, min, max))) => {
                measure.median = Some(median);
                measure.min = Some(min);
                measure.max = Some(max);
            }
            Ok(None) => measure.status = Status::TimedOut,
            Err(why) => measure.status = Status::Failed(why),
        }
        measure
    }

    /// `timeout` with a grace period, as a command to add arguments to.
    fn timeout_command(&self, seconds: u64) -> Command {
        let mut command = Command::new("timeout");
        command
            .args(["--kill-after=5", &seconds.to_string()])
            .current_dir(&self.root);
        command
    }

    /// Timed runs under hyperfine; `None` when they did not finish in time.
    fn hyperfine(
        &self,
        hyperfine: &Path,
        name: &str,
        cmd: &Cmd,
        runs: u32,
    ) -> Result<Option<(f64, f64, f64)>, String> {
        let json = self.dir.join("out").join(format!("{name}.hyperfine.json"));
        let budget = self.timeout * u64::from(runs) + 30;
        let status = self
            .timeout_command(budget)
            .arg(hyperfine)
            .args([
                "--runs",
                &runs.to_string(),
                "--ignore-failure",
                "--style",
                "none",
            ])
            .args(["--shell", "sh", "--export-json"])
            .arg(&json)
            .arg(cmd.script())
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run hyperfine: {e}"))?;
        if matches!(status.code(), Some(124 | 137) | None) {
            return Ok(None);
        }
        if !status.success() {
            return Err(format!("hyperfine failed ({status})"));
        }
        let text = std::fs::read_to_string(&json)
            .map_err(|e| format!("cannot read {}: {e}", json.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", json.display()))?;
        let result = &value["results"][0];
        let field = |key: &str| {
            result[key]
                .as_f64()
                .ok_or_else(|| format!("{}: no `{key}`", json.display()))
        };
        Ok(Some((field("median")?, field("min")?, field("max")?)))
    }

    /// Timed runs without hyperfine: the median, min and max of `runs` wall times,
    /// `sh` start included.
    fn repeat(&self, cmd: &Cmd, runs: u32) -> Result<Option<(f64, f64, f64)>, String> {
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let status = self
                .timeout_command(self.timeout)
                .args(["sh", "-c", &cmd.script()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run timeout: {e}"))?;
            let seconds = start.elapsed().as_secs_f64();
            if matches!(status.code(), Some(124 | 137) | None) {
                return Ok(None);
            }
            times.push(seconds);
        }
        times.sort_by(f64::total_cmp);
        let median = if times.len() % 2 == 1 {
            times[times.len() / 2]
        } else {
            f64::midpoint(times[times.len() / 2 - 1], times[times.len() / 2])
        };
        Ok(Some((median, times[0], times[times.len() - 1])))
    }

    /// Whether the whole lint printed the same bytes on 1 thread and on all cores.
    fn same_output(&self, rows: &[(Tool, Measure)]) -> Option<bool> {
        let output = |tool: Tool| {
            rows.iter()
                .find(|(t, m)| *t == tool && m.status == Status::Ran)
                .and_then(|(_, m)| m.output.as_ref())
                .and_then(|path| std::fs::read(path).ok())
        };
        Some(output(Tool::Lint)? == output(Tool::OneThread)?)
    }

    /// The bundled notes/ folder, process start to exit.
    fn small_note(&self, no_peers: bool) -> Result<Small, String> {
        let notes = self.root.join("notes");
        let mut bytes = 0;
        let entries = std::fs::read_dir(&notes)
            .map_err(|e| format!("cannot read {}: {e}", notes.display()))?;
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
        let runs = self.runs.max(20);
        let mut rows = vec![(
            "notes-lint, every rule",
            self.measure(
                "small-lint",
                &Cmd {
                    env: None,
                    line: self.lint("", "notes"),
                },
                runs,
            ),
        )];
        if !no_peers {
            for tool in [Tool::JsonschemaCli, Tool::Ajv] {
                let name = format!("small-{tool:?}").to_lowercase();
                let measure = match self.command(tool, "notes") {
                    Ok(cmd) => self.measure(&name, &cmd, runs),
                    Err(why) => Measure::unavailable(String::new(), &why),
                };
                rows.push((tool.label(), measure));
            }
        }
        Ok(Small { bytes, rows })
    }
}

/// Prints a progress line.
#[cfg(unix)]
fn link_dir(target: &Path, link: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(target, link)
        .map_err(|e| format!("cannot link {}: {e}", link.display()))
}

#[cfg(not(unix))]
fn link_dir(_: &Path, link: &Path) -> Result<(), String> {
    Err(format!(
        "cannot link {}: the export rows need symbolic links",
        link.display()
    ))
}

fn step(message: &str) {
    eprintln!("bench: {message}");
}

fn check_status(
    status: std::io::Result<std::process::ExitStatus>,
    what: &str,
) -> Result<(), String> {
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("bench: `{what}` failed ({status})")),
        Err(e) => Err(format!("bench: cannot run `{what}`: {e}")),
    }
}

/// `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `10k`, `100k`, `1M`.
fn count_name(claims: usize) -> String {
    if claims >= 1_000_000 && claims.is_multiple_of(1_000_000) {
        format!("{}M", claims / 1_000_000)
    } else if claims >= 1000 && claims.is_multiple_of(1000) {
        format!("{}k", claims / 1000)
    } else {
        claims.to_string()
    }
}

/// Quotes a word for `sh` when it needs it.
fn quote(word: &str) -> String {
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-=,:@%+".contains(c));
    if plain && !word.is_empty() {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A program on PATH (or the path itself when it has a slash and exists).
fn find_program(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let path = PathBuf::from(name);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// hyperfine from PATH, or the pinned one under `peers`, installed with cargo when
/// missing; `None` (runs are then timed here) when it cannot be installed.
fn find_hyperfine(peers: &Path, cargo: &std::ffi::OsStr) -> Option<PathBuf> {
    let local = peers.join("bin").join("hyperfine");
    if let Some(path) = find_program("hyperfine") {
        return Some(path);
    }
    if !local.is_file() {
        step(&format!(
            "installing hyperfine {HYPERFINE_VERSION} with cargo"
        ));
        let status = Command::new(cargo)
            .args(["install", "--locked", "hyperfine", "--version"])
            .arg(HYPERFINE_VERSION)
            .arg("--root")
            .arg(peers)
            .status();
        if let Err(why) = check_status(status, "cargo install --locked hyperfine") {
            step(&format!("{why}; timing the runs without hyperfine"));
        }
    }
    local.is_file().then_some(local)
}

/// jsonschema-cli, pinned, installed with cargo under `peers` when missing.
fn install_jsonschema_cli(peers: &Path, cargo: &std::ffi::OsStr) -> Peer {
    let path = peers.join("bin").join("jsonschema-cli");
    if !path.is_file() {
        step(&format!(
            "installing jsonschema-cli {JSONSCHEMA_CLI_VERSION} with cargo"
        ));
        let status = Command::new(cargo)
            .args(["install", "--locked", "jsonschema-cli", "--version"])
            .arg(JSONSCHEMA_CLI_VERSION)
            .arg("--root")
            .arg(peers)
            .status();
        check_status(status, "cargo install --locked jsonschema-cli")?;
    }
    Ok(path)
}

/// ajv-cli, pinned, installed with npm into a prefix under `peers` when missing.
fn install_ajv(peers: &Path) -> Peer {
    let prefix = peers.join("npm");
    let path = prefix.join("node_modules").join(".bin").join("ajv");
    if !path.is_file() {
        if find_program("npm").is_none() {
            return Err("npm is not installed (apt-get install nodejs npm)".to_owned());
        }
        step(&format!("installing {AJV_CLI} with npm"));
        std::fs::create_dir_all(&prefix)
            .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
        let status = Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund"])
            .args(["--loglevel=error", "--prefix"])
            .arg(&prefix)
            .arg(AJV_CLI)
            .status();
        check_status(status, "npm install ajv-cli")?;
    }
    Ok(path)
}

/// A tool's one-line version, or `None`.
fn version_of(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().next()?.trim();
    (output.status.success() && !line.is_empty()).then(|| line.to_owned())
}

/// The commit benchmarked, with `+ uncommitted changes` when the tree is dirty.
fn commit(root: &Path) -> String {
    let head = version_of(
        Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(root),
    )
    .unwrap_or_else(|| "unknown".to_owned());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("{head} + uncommitted changes")
    } else {
        head
    }
}

/// The 1-minute load average, from /proc/loadavg.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// Today's date and time in UTC, as `date -u` prints it.
fn now_utc() -> String {
    version_of(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The CPU model, core count and memory of this machine.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|line| line.starts_with("MemTotal:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0),
        );
    format!("{cores} cores (nproc), {model}, {memory} of memory")
}

/// The bench's own command line, as a developer would type it.
fn command_line(options: &Options) -> String {
    let mut line = "cargo xtask bench".to_owned();
    if options.quick {
        line.push_str(" --quick");
    }
    if let Some(runs) = options.runs {
        let _ = write!(line, " --runs {runs}");
    }
    if options.no_peers {
        line.push_str(" --no-peers");
    }
    if options.timeout != 120 {
        let _ = write!(line, " --timeout {}", options.timeout);
    }
    line
}

/// Everything the document says about how the figures were taken.
struct Context {
    command: String,
    started: String,
    load: (Option<String>, Option<String>),
    commit: String,
    rustc: Option<String>,
    hyperfine: Option<String>,
    jsonschema_cli: Option<String>,
    ajv: Option<String>,
    node: Option<String>,
    quick: bool,
    timeout: u64,
    runs: u32,
}

fn seconds(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |s| format!("{s:.3}"))
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "—".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The median cell: the time, or why there is none.
fn median_cell(measure: &Measure, timeout: u64) -> String {
    match &measure.status {
        Status::Ran => seconds(measure.median),
        Status::TimedOut => format!("timed out (> {timeout} s)"),
        Status::Failed(why) => format!("failed: {}", why.replace('|', "\\|")),
        Status::Unavailable(why) => format!("not run: {}", why.replace('|', "\\|")),
    }
}

/// `peer / row`: above 1, the row is faster than the peer.
fn speedup(row: &Measure, peer: Option<&Measure>) -> String {
    match (row.timed(), peer.and_then(Measure::timed)) {
        (Some(row), Some(peer)) if row > 0.0 => format!("{:.2}x", peer / row),
        _ => "—".to_owned(),
    }
}

fn ratio(kib: Option<u64>, bytes: u64) -> Option<f64> {
    kib.map(|k| k as f64 * 1024.0 / bytes.max(1) as f64)
}

fn yes_no(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "not met",
        None => "not measured",
    }
}

/// A target's row: what it asks, the figures, and whether it is met.
struct Target {
    what: &'static str,
    figures: Vec<String>,
    met: Vec<Option<bool>>,
}

impl Target {
    /// Not met when any part is not; met when every part is; else not measured.
    fn verdict(&self) -> Option<bool> {
        if self.met.contains(&Some(false)) {
            Some(false)
        } else if self.met.contains(&None) || self.met.is_empty() {
            None
        } else {
            Some(true)
        }
    }
}

fn targets(results: &[CorpusResult], small: &Small) -> Vec<Target> {
    let find = |vocab: Vocab, claims: usize, single: bool| {
        results.iter().find(|r| {
            r.corpus.vocab == vocab && r.corpus.claims == claims && r.corpus.single == single
        })
    };
    let row = |result: Option<&CorpusResult>, tool: Tool| {
        result.and_then(|r| {
            r.rows
                .iter()
                .find(|(t, _)| *t == tool)
                .map(|(_, m)| m.clone())
        })
    };
    let mut speed = Target {
        what: "1. Whole lint of 100k claims in 1,000 files at least 2x faster than \
               jsonschema-cli's schema-only validation of the same files",
        figures: Vec::new(),
        met: Vec::new(),
    };
    let mut memory = Target {
        what: "2. Peak memory of the whole lint under 4x the corpus bytes \
               (100k claims, and 1M when measured)",
        figures: Vec::new(),
        met: Vec::new(),
    };
    let mut single = Target {
        what: "3. The single 200k-claim note: whole lint under 2 s and under 4x its size \
               in memory",
        figures: Vec::new(),
        met: Vec::new(),
    };
    let mut scaling = Target {
        what: "4. 1M claims take no more than 11x the time of 100k",
        figures: Vec::new(),
        met: Vec::new(),
    };
    for vocab in [Vocab::Wide, Vocab::Narrow] {
        let v = vocab.name();
        let hundred = find(vocab, 100_000, false);
        let lint = row(hundred, Tool::Lint);
        let peer = row(hundred, Tool::JsonschemaCli);
        match (
            lint.as_ref().and_then(Measure::timed),
            peer.as_ref().and_then(Measure::timed),
        ) {
            (Some(lint), Some(peer)) => {
                speed.figures.push(format!(
                    "{v}: {lint:.3} s vs {peer:.3} s = {:.2}x",
                    peer / lint
                ));
                speed.met.push(Some(peer / lint >= 2.0));
            }
            (lint_time, _) => {
                speed.figures.push(format!(
                    "{v}: notes-lint {}, jsonschema-cli {}",
                    lint_time.map_or("—".to_owned(), |s| format!("{s:.3} s")),
                    peer.as_ref()
                        .and_then(Measure::timed)
                        .map_or("—".to_owned(), |s| format!("{s:.3} s"))
                ));
                // A lint that timed out is slower than any peer that finished.
                let lint_timed_out = lint.as_ref().is_some_and(|m| m.status == Status::TimedOut);
                let peer_ran = peer.as_ref().and_then(Measure::timed).is_some();
                speed
                    .met
                    .push((lint_timed_out && peer_ran).then_some(false));
            }
        }
        for claims in [100_000, 1_000_000] {
            let result = find(vocab, claims, false);
            if result.is_none() && claims == 1_000_000 {
                continue;
            }
            let measure = row(result, Tool::Lint);
            let bytes = result.map_or(0, |r| r.corpus.bytes);
            let r = measure.as_ref().and_then(|m| ratio(m.rss_kib, bytes));
            memory.figures.push(format!(
                "{v} {}: {}",
                count_name(claims),
                r.map_or("—".to_owned(), |r| format!("{r:.2}x"))
            ));
            memory.met.push(r.map(|r| r < 4.0));
        }
        let one = find(vocab, SINGLE_CLAIMS, true);
        let measure = row(one, Tool::Lint);
        let bytes = one.map_or(0, |r| r.corpus.bytes);
        let time = measure.as_ref().and_then(Measure::timed);
        let timed_out = measure
            .as_ref()
            .is_some_and(|m| m.status == Status::TimedOut);
        let r = measure.as_ref().and_then(|m| ratio(m.rss_kib, bytes));
        single.figures.push(format!(
            "{v}: {}, {} memory",
            time.map_or_else(
                || if timed_out {
                    "timed out".to_owned()
                } else {
                    "—".to_owned()
                },
                |s| format!("{s:.3} s")
            ),
            r.map_or("—".to_owned(), |r| format!("{r:.2}x"))
        ));
        single.met.push(if timed_out {
            Some(false)
        } else {
            time.map(|t| t < 2.0)
        });
        single.met.push(r.map(|r| r < 4.0));
        let million = row(find(vocab, 1_000_000, false), Tool::Lint);
        let hundred_time = lint.as_ref().and_then(Measure::timed);
        match (million.as_ref(), hundred_time) {
            (Some(m), Some(h)) if m.timed().is_some() => {
                let t = m.timed().unwrap_or(0.0);
                scaling
                    .figures
                    .push(format!("{v}: {t:.3} s / {h:.3} s = {:.2}x", t / h));
                scaling.met.push(Some(t / h <= 11.0));
            }
            (Some(m), _) if m.status == Status::TimedOut => {
                scaling.figures.push(format!("{v}: 1M timed out"));
                scaling.met.push(Some(false));
            }
            (None, _) => {
                scaling.figures.push(format!("{v}: 1M not run (--quick)"));
                scaling.met.push(None);
            }
            _ => {
                scaling.figures.push(format!("{v}: —"));
                scaling.met.push(None);
            }
        }
    }
    let export = export_target(results);
    let small_lint = small.rows.first().map(|(_, m)| m);
    let small_time = small_lint.and_then(Measure::timed);
    let small_target = Target {
        what: "5. One small note (the bundled notes/ folder) lints in under 20 ms",
        figures: vec![small_time.map_or("—".to_owned(), |s| format!("{:.1} ms", s * 1000.0))],
        met: vec![small_time.map(|s| s < 0.020)],
    };
    vec![speed, memory, single, scaling, small_target, export]
}

/// Target 6: the export of 100k claims beside the lint of the same files.
fn export_target(results: &[CorpusResult]) -> Target {
    let mut target = Target {
        what: "6. `cargo xtask export` of 100k claims in 1,000 files: no slower than the \
               whole lint, peak memory under 4x the corpus, `notes.json` at most 2x the notes",
        figures: Vec::new(),
        met: Vec::new(),
    };
    for vocab in [Vocab::Wide, Vocab::Narrow] {
        let Some(result) = results
            .iter()
            .find(|r| r.corpus.vocab == vocab && r.corpus.claims == 100_000 && !r.corpus.single)
        else {
            continue;
        };
        let row = |tool: Tool| result.rows.iter().find(|(t, _)| *t == tool).map(|(_, m)| m);
        let lint = row(Tool::Lint).and_then(Measure::timed);
        let export = row(Tool::Export);
        let time = export.and_then(Measure::timed);
        let memory = export.and_then(|m| ratio(m.rss_kib, result.corpus.bytes));
        let size = result
            .exported
            .map(|bytes| bytes as f64 / result.corpus.bytes.max(1) as f64);
        let shown = |value: Option<f64>, unit: &str| {
            value.map_or("—".to_owned(), |v| format!("{v:.3}{unit}"))
        };
        target.figures.push(format!(
            "{}: {} vs lint {}; memory {}; `notes.json` {}",
            vocab.name(),
            shown(time, " s"),
            shown(lint, " s"),
            memory.map_or("—".to_owned(), |r| format!("{r:.2}x")),
            size.map_or("—".to_owned(), |r| format!("{r:.2}x"))
        ));
        target.met.push(time.zip(lint).map(|(e, l)| e <= l));
        target.met.push(memory.map(|r| r < 4.0));
        target.met.push(size.map(|r| r <= 2.0));
    }
    target
}

fn report(context: &Context, results: &[CorpusResult], small: &Small) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "_Generated by `{}` on {}; everything between the bench markers is rewritten by \
         each run._\n",
        context.command, context.started
    );
    let _ = writeln!(out, "## How these figures were taken\n");
    let _ = writeln!(out, "- Command: `{}`.", context.command);
    let _ = writeln!(out, "- Machine: {}.", machine());
    let _ = writeln!(
        out,
        "- Load average (1 min) at the start and the end: {} and {}. The machine may be \
         shared with other work, which adds noise: compare the rows of one run rather than \
         runs.",
        context.load.0.as_deref().unwrap_or("unknown"),
        context.load.1.as_deref().unwrap_or("unknown")
    );
    let _ = writeln!(
        out,
        "- notes-lint: commit {}, release build (`cargo build --release -p notes-lint`), {}.",
        context.commit,
        context.rustc.as_deref().unwrap_or("rustc unknown")
    );
    match &context.hyperfine {
        Some(version) => {
            let _ = writeln!(
                out,
                "- Times: {version}, {} timed runs per command (20 for the small note), \
                 each through `sh -c 'exec …'` with hyperfine's shell-start correction; \
                 median, min and max in seconds.",
                context.runs
            );
        }
        None => {
            let _ = writeln!(
                out,
                "- Times: hyperfine could not be installed, so each command ran {} times \
                 (20 for the small note) through `sh -c 'exec …'`, timed from spawn to \
                 exit (shell start included); median, min and max in seconds.",
                context.runs
            );
        }
    }
    let _ = writeln!(
        out,
        "- Before the timed runs, each command runs once under `/usr/bin/time -f '%e %M'`: \
         that run gives the peak RSS, the exit code and the output, and warms the file \
         cache. Every run is stopped after {} s and recorded as timed out.",
        context.timeout
    );
    let _ = writeln!(
        out,
        "- notes-lint runs with `--format short --today {TODAY}` (a fixed day, so staleness \
         findings do not change with the date); its exit code is 1 when it reports an \
         error-level finding."
    );
    let _ = writeln!(
        out,
        "- Peers: {}; {} on Node.js {}. Both validate the same YAML files against \
         `schema/note.schema.json` (draft 2020-12), formats not asserted: jsonschema-cli \
         reads a `.yaml` instance as YAML (serde-saphyr), ajv-cli through js-yaml. So no \
         JSON copy of the corpus is needed and every row reads the same bytes. They check \
         the schema only, which is what notes-lint's `syntax` and `schema` rules do; the \
         whole lint also resolves inheritance and runs every rule.",
        context
            .jsonschema_cli
            .as_deref()
            .unwrap_or("jsonschema-cli not run"),
        context.ajv.as_deref().unwrap_or("ajv-cli not run"),
        context.node.as_deref().unwrap_or("(unknown)")
    );
    let _ = writeln!(
        out,
        "- Corpora: `cargo xtask gen-corpus` with seed 1, under target/bench/corpus/: \
         wide (5,000 pseudo-words) and narrow (templated claims over about 40 real words), \
         {} claims in files of {CLAIMS_PER_FILE} claims, and one note of {} claims in 4 \
         sections per vocabulary. Every claim cites a source with a page locator, about one \
         in ten is sensitive to an event, about two in three have children (counted as \
         claims).",
        if context.quick {
            "10k and 100k (`--quick`: no 1M)"
        } else {
            "10k, 100k and 1M"
        },
        count_name(SINGLE_CLAIMS)
    );
    let _ = writeln!(
        out,
        "- Export rows: `cargo xtask export` (release build) in a workspace under \
         target/bench/export/ whose `notes` links to the corpus. The untimed run writes the \
         export afresh (so its peak RSS is a first export's); the timed runs export again \
         over it: every note loaded, resolved and rendered, `notes.json` rewritten, each \
         Markdown file compared and left alone when unchanged. `--check` compares the \
         export with what is on disk and writes nothing."
    );
    let _ = writeln!(
        out,
        "- Speed-up columns: the peer's median divided by the row's; above 1, the row is \
         faster than the peer. RSS / corpus: peak RSS divided by the corpus's bytes.\n"
    );

    let _ = writeln!(out, "## Targets\n");
    let _ = writeln!(out, "| target | figures | verdict |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for target in targets(results, small) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            target.what,
            target.figures.join("; "),
            yes_no(target.verdict())
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## Corpora\n");
    let _ = writeln!(out, "| corpus | vocabulary | files | claims | bytes |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: |");
    for result in results {
        let c = result.corpus;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            c.name,
            c.vocab.name(),
            thousands(c.files),
            thousands(c.claims),
            megabytes(c.bytes)
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## Per corpus\n");
    for result in results {
        corpus_table(&mut out, result, context.timeout);
    }

    let _ = writeln!(out, "## Scaling (median seconds)\n");
    let sizes: Vec<usize> = if context.quick {
        vec![10_000, 100_000]
    } else {
        vec![10_000, 100_000, 1_000_000]
    };
    let mut header = "| vocabulary | command |".to_owned();
    let mut rule = "| --- | --- |".to_owned();
    for size in &sizes {
        let _ = write!(header, " {} |", count_name(*size));
        rule.push_str(" ---: |");
    }
    let pairs: &[(usize, usize)] = if sizes.len() > 2 {
        &[(1, 0), (2, 1)]
    } else {
        &[(1, 0)]
    };
    for &(a, b) in pairs {
        let _ = write!(
            header,
            " {} / {} |",
            count_name(sizes[a]),
            count_name(sizes[b])
        );
        rule.push_str(" ---: |");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for vocab in [Vocab::Wide, Vocab::Narrow] {
        for tool in Tool::ALL {
            let cells: Vec<Option<Measure>> = sizes
                .iter()
                .map(|&size| {
                    results
                        .iter()
                        .find(|r| {
                            r.corpus.vocab == vocab && r.corpus.claims == size && !r.corpus.single
                        })
                        .and_then(|r| r.rows.iter().find(|(t, _)| *t == tool))
                        .map(|(_, m)| m.clone())
                })
                .collect();
            if cells.iter().all(Option::is_none) {
                continue;
            }
            let mut line = format!("| {} | {} |", vocab.name(), tool.label());
            for cell in &cells {
                let text = match cell {
                    Some(m) if m.status == Status::TimedOut => "timed out".to_owned(),
                    Some(m) => seconds(m.timed()),
                    None => "—".to_owned(),
                };
                let _ = write!(line, " {text} |");
            }
            let time = |i: usize| {
                cells
                    .get(i)
                    .and_then(|c| c.as_ref())
                    .and_then(Measure::timed)
            };
            for &(a, b) in pairs {
                let text = match (time(a), time(b)) {
                    (Some(a), Some(b)) if b > 0.0 => format!("{:.1}x", a / b),
                    _ => "—".to_owned(),
                };
                let _ = write!(line, " {text} |");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "## One small note\n\nThe bundled notes/ folder ({}), process start to exit.\n",
        if small.bytes > 0 {
            format!("{} bytes", small.bytes)
        } else {
            "empty".to_owned()
        }
    );
    let _ = writeln!(
        out,
        "| command | median ms | min ms | max ms | peak RSS MiB | exit |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for (label, m) in &small.rows {
        let ms = |s: Option<f64>| s.map_or("—".to_owned(), |s| format!("{:.1}", s * 1000.0));
        let median = if m.status == Status::Ran {
            ms(m.median)
        } else {
            median_cell(m, context.timeout)
        };
        let _ = writeln!(
            out,
            "| {label} | {median} | {} | {} | {} | {} |",
            ms(m.min),
            ms(m.max),
            mib(m.rss_kib),
            m.exit.map_or("—".to_owned(), |e| e.to_string())
        );
    }
    let _ = writeln!(out);
    commands(&mut out, small.rows.iter().map(|(l, m)| (*l, m)));

    let _ = writeln!(out, "## Same output on 1 thread and on all cores\n");
    let _ = writeln!(
        out,
        "The whole lint's `--format short` output with `RAYON_NUM_THREADS=1` is compared \
         byte for byte with the output on all cores.\n"
    );
    let _ = writeln!(out, "| corpus | findings | byte-identical |");
    let _ = writeln!(out, "| --- | ---: | --- |");
    for result in results {
        let findings = result
            .rows
            .iter()
            .find(|(t, m)| *t == Tool::Lint && m.status == Status::Ran)
            .and_then(|(_, m)| m.output.as_ref())
            .and_then(|path| std::fs::read(path).ok())
            .map_or("—".to_owned(), |bytes| {
                bytes.iter().filter(|&&b| b == b'\n').count().to_string()
            });
        let identical = match result.identical {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "not compared (a run did not finish)",
        };
        let _ = writeln!(out, "| {} | {findings} | {identical} |", result.corpus.name);
    }
    out
}

/// One corpus's table and its exact commands.
fn corpus_table(out: &mut String, result: &CorpusResult, timeout: u64) {
    let c = result.corpus;
    let _ = writeln!(
        out,
        "### {} ({} claims in {} file{}, {})\n",
        c.name,
        thousands(c.claims),
        thousands(c.files),
        if c.files == 1 { "" } else { "s" },
        megabytes(c.bytes)
    );
    let _ = writeln!(
        out,
        "| command | median s | min s | max s | peak RSS MiB | RSS / corpus | \
         speed-up over jsonschema-cli | speed-up over ajv | exit |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let peer = |tool: Tool| result.rows.iter().find(|(t, _)| *t == tool).map(|(_, m)| m);
    for (tool, m) in &result.rows {
        let (vs_jsonschema, vs_ajv) = if tool.is_peer() {
            ("—".to_owned(), "—".to_owned())
        } else {
            (
                speedup(m, peer(Tool::JsonschemaCli)),
                speedup(m, peer(Tool::Ajv)),
            )
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {vs_jsonschema} | {vs_ajv} | {} |",
            tool.label(),
            median_cell(m, timeout),
            seconds(m.min),
            seconds(m.max),
            mib(m.rss_kib),
            ratio(m.rss_kib, c.bytes).map_or("—".to_owned(), |r| format!("{r:.2}x")),
            m.exit.map_or("—".to_owned(), |e| e.to_string())
        );
    }
    let _ = writeln!(out);
    if let Some(bytes) = result.exported {
        let _ = writeln!(
            out,
            "`cargo xtask export` wrote a `notes.json` of {} ({:.2}x the corpus).\n",
            megabytes(bytes),
            bytes as f64 / c.bytes.max(1) as f64
        );
    }
    commands(out, result.rows.iter().map(|(t, m)| (t.label(), m)));
}

/// The exact commands of a table, run from the workspace root.
fn commands<'a>(out: &mut String, rows: impl Iterator<Item = (&'a str, &'a Measure)>) {
    let _ = writeln!(out, "<details><summary>Exact commands</summary>\n");
    for (label, m) in rows {
        if !m.command.is_empty() {
            let _ = writeln!(out, "- {label}: `{}`", m.command);
        }
    }
    let _ = writeln!(out, "\n</details>\n");
}

/// Replaces the text between the bench markers, or writes a new document with the
/// markers and a section for the human-written profile.
fn write_doc(path: &Path, generated: &str) -> Result<(), String> {
    let block = format!("{BEGIN}\n\n{generated}\n{END}");
    let text = match std::fs::read_to_string(path) {
        Ok(old) => {
            let (Some(begin), Some(end)) = (old.find(BEGIN), old.find(END)) else {
                return Err(format!(
                    "{}: the `{BEGIN}` and `{END}` markers are missing; put them around the \
                     part the bench may rewrite",
                    path.display()
                ));
            };
            if end < begin {
                return Err(format!(
                    "{}: the bench markers are out of order",
                    path.display()
                ));
            }
            format!("{}{block}{}", &old[..begin], &old[end + END.len()..])
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "# Performance\n\nThe figures below come from `cargo xtask bench` (see README). \
             Only the part between the bench markers is generated; the rest is written by \
             hand.\n\n{block}\n\n## Where the time goes\n\nWritten by hand from profiles; \
             `cargo xtask bench` leaves this section alone.\n"
        ),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_rewritten_between_the_markers_only() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("performance.md");
        std::fs::write(
            &path,
            format!(
                "# P\n\nintro\n{BEGIN}\nold figures\n{END}\n\n## Where the time goes\n\nmine\n"
            ),
        )
        .expect("written");
        write_doc(&path, "new figures\n").expect("rewritten");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            text,
            format!(
                "# P\n\nintro\n{BEGIN}\n\nnew figures\n\n{END}\n\n## Where the time goes\n\nmine\n"
            )
        );
    }

    #[test]
    fn a_document_without_markers_is_left_alone() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("performance.md");
        std::fs::write(&path, "# hand-written\n").expect("written");
        assert!(write_doc(&path, "figures").is_err());
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "# hand-written\n"
        );
    }

    #[test]
    fn a_new_document_keeps_a_section_for_the_profile() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("performance.md");
        write_doc(&path, "figures\n").expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        let end = text.find(END).expect("end marker");
        assert!(text[end..].contains("## Where the time goes"));
    }

    #[test]
    fn words_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(
            quote("target/bench/corpus/wide-10k"),
            "target/bench/corpus/wide-10k"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn claim_counts_are_named_as_in_the_document() {
        assert_eq!(count_name(10_000), "10k");
        assert_eq!(count_name(1_000_000), "1M");
        assert_eq!(count_name(200_000), "200k");
        assert_eq!(count_name(1_234), "1234");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn a_target_is_met_only_when_every_part_is() {
        let target = |met: Vec<Option<bool>>| Target {
            what: "",
            figures: Vec::new(),
            met,
        };
        assert_eq!(target(vec![Some(true), Some(true)]).verdict(), Some(true));
        assert_eq!(target(vec![Some(true), Some(false)]).verdict(), Some(false));
        assert_eq!(target(vec![Some(true), None]).verdict(), None);
        assert_eq!(target(vec![None, Some(false)]).verdict(), Some(false));
    }
}
