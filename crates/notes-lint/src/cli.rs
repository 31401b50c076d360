//! Command-line arguments and the top-level flow of the `notes-lint` command.

use std::collections::{BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use jiff::civil::Date;

use crate::config;
use crate::engine;
use crate::report;
use crate::rules;

/// Lints research notes: stale, overtaken, unsourced, dangling and duplicated claims.
#[derive(Debug, Parser)]
#[command(
    name = "notes-lint",
    version,
    about,
    max_term_width = 100,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    /// `review` or `lsp`; without one, lint.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Note files or folders to lint. Default: ./notes if it exists, else the current folder.
    pub paths: Vec<PathBuf>,
    /// Also read these note files or folders, for the checks across notes (unknown and
    /// unused ids, duplicates), but report only on PATHS. For pre-commit:
    /// `notes-lint --context notes CHANGED_FILES...`.
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub context: Vec<PathBuf>,
    /// The configuration file. Default: notes-lint.toml in the working folder or above.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub config: Option<PathBuf>,
    /// The date to judge staleness against, YYYY-MM-DD. Default: the system date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today, help_heading = "Input")]
    pub today: Option<Date>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,
    /// When to colour the human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Output")]
    pub color: ColorChoice,
    /// Print how many findings each rule gave instead of the findings (JSON for
    /// `--format json` and `sarif`, a table otherwise).
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,
    /// Fail the run on warnings too.
    #[arg(long, help_heading = "Rules")]
    pub deny_warnings: bool,
    /// Run only these rules (comma-separated ids); `pedantic` adds the stricter modes
    /// that `--list-rules` names.
    #[arg(
        long,
        value_name = "RULE,...",
        value_delimiter = ',',
        help_heading = "Rules"
    )]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids); `pedantic` turns the stricter modes
    /// off even when the configuration sets `pedantic = true`.
    #[arg(
        long,
        value_name = "RULE,...",
        value_delimiter = ',',
        help_heading = "Rules"
    )]
    pub ignore: Vec<String>,
    /// Apply the safe fixes to the files, then report what remains.
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff and write nothing (implies --fix).
    #[arg(long, help_heading = "Fixes")]
    pub diff: bool,
    /// Print a rule's documentation and exit.
    #[arg(long, value_name = "RULE", help_heading = "Documentation")]
    pub explain: Option<String>,
    /// Print every rule with its default severity and exit.
    #[arg(long, help_heading = "Documentation")]
    pub list_rules: bool,
}

const EXAMPLES: &str = "\
Examples:
  notes-lint                                  lint ./notes
  notes-lint --format short notes/a.yaml      one line per finding
  notes-lint --diff                           show the safe fixes, write nothing
  notes-lint --explain stale-claim            what a rule flags and how to fix it
  notes-lint --statistics                     how many findings each rule gives
  notes-lint --context notes notes/a.yaml     report on one note, check ids against all
  notes-lint review                           what to re-check first (`notes-lint review --help`)

Exit status: 0 no error-level finding, 1 findings, 2 notes-lint could not run.
The note format: docs/format.md in the repository.";

/// The commands besides linting.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the claims to re-check, most urgent first, or record that one was re-checked.
    Review(crate::review::cli::ReviewArgs),
    /// Run the language server over stdio: every rule in the editor, quick fixes, hover,
    /// navigation across notes.
    Lsp(crate::lsp::LspArgs),
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical diagnostics with snippets, and a summary line.
    Human,
    /// One line per finding: `file:line:col: severity[rule]: message`.
    Short,
    /// One JSON object with a summary and every finding.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations.
    Github,
}

/// When to colour the human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

pub(crate) fn parse_today(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|e| format!("`{text}` is not a date in the form YYYY-MM-DD: {e}"))
}

/// Runs the command with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Some(Command::Review(review)) => return crate::review::cli::main(&review),
        Some(Command::Lsp(lsp)) => return crate::lsp::main(lsp),
        None => {}
    }
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn check_rule_names(names: &[String], flag: &str) -> Result<(), String> {
    for name in names {
        if rules::by_id(name).is_none() && name != rules::PEDANTIC {
            let hint = match notes_core::suggest::did_you_mean(name, rules::ids()) {
                Some(best) => format!(" (did you mean `{best}`?)"),
                // A part of an id, such as `unsourced` or `stale`: the ids that contain it.
                None => {
                    let containing: Vec<String> = rules::ids()
                        .filter(|id| name.len() >= 3 && id.contains(name.as_str()))
                        .map(|id| format!("`{id}`"))
                        .collect();
                    if containing.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", containing.join(" or "))
                    }
                }
            };
            return Err(format!(
                "error: {flag}: unknown rule `{name}`{hint}; `notes-lint --list-rules` lists them"
            ));
        }
    }
    Ok(())
}

pub(crate) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`notes-lint | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
}

/// Runs the command with parsed arguments: 0 clean, 1 findings, 2 the tool could not run
/// (the error message is returned).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    if args.list_rules {
        print(&report::rules::list());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = &args.explain {
        check_rule_names(std::slice::from_ref(id), "--explain")?;
        if let Some(rule) = rules::by_id(id) {
            print(&report::rules::explain(rule.meta()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    check_rule_names(&args.select, "--select")?;
    check_rule_names(&args.ignore, "--ignore")?;
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let loaded_config = load_config(args.config.as_deref())?;
    let (files, refused) = discover_files(&args.paths, &loaded_config)?;
    let excluded = exclusions(&loaded_config)?;
    let context: Vec<PathBuf> = if args.context.is_empty() {
        Vec::new()
    } else {
        crate::discover::discover(&args.context)
            .map_err(|missing| format!("error: no such file or folder: {}", missing.0.display()))?
            .files
            .into_iter()
            .filter(|file| !excluded(file))
            .collect()
    };
    let reported = Reported::new(&files, &context);
    let files = reported.all_files(files, context);
    let options = engine::Options {
        today,
        config: loaded_config.config,
        select: (!args.select.is_empty()).then(|| args.select.iter().cloned().collect()),
        ignore: args.ignore.iter().cloned().collect::<BTreeSet<_>>(),
    };
    let lint = |overlay: &HashMap<PathBuf, String>| {
        let mut outcome = reported.restrict(engine::run_with(&files, &options, overlay));
        outcome.findings.extend(refused.iter().cloned());
        engine::sort_findings(&mut outcome.findings);
        outcome
    };
    let mut outcome = lint(&HashMap::new());
    if args.fix || args.diff {
        let fixed = crate::fix::fix_until_done(outcome, lint);
        outcome = fixed.outcome;
        let changed = fixed.changed;
        if args.diff {
            let mut text = String::new();
            for (path, old, new) in &changed {
                text.push_str(&crate::fix::diff(path, old, new));
            }
            print(&text);
            return Ok(if changed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        for (path, _, new) in &changed {
            crate::fix::write_atomically(path, new)
                .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        }
        if !changed.is_empty() {
            let n = changed.len();
            eprintln!("fixed {n} file{}", if n == 1 { "" } else { "s" });
        }
    }
    let text = match args.format {
        Format::Json | Format::Sarif if args.statistics => {
            report::statistics::render_json(&outcome, today)
        }
        _ if args.statistics => report::statistics::render_text(&outcome),
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => report::human::Color::Always,
                ColorChoice::Never => report::human::Color::Never,
                ColorChoice::Auto => {
                    if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                        report::human::Color::Always
                    } else {
                        report::human::Color::Never
                    }
                }
            };
            report::human::render(&outcome, color, 100)
        }
        Format::Short => report::short::render(&outcome),
        Format::Json => report::json::render(&outcome, today),
        Format::Sarif => report::sarif::render(&outcome),
        Format::Github => report::github::render(&outcome),
    };
    print(&text);
    let summary = outcome.summary();
    let failed = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The configuration: `--config FILE` when given, else notes-lint.toml found from the
/// working folder upward, else the defaults.
pub(crate) fn load_config(path: Option<&Path>) -> Result<config::Loaded, String> {
    let config_path = match path {
        Some(path) if !path.is_file() => {
            return Err(format!(
                "error: no such configuration file: {}",
                path.display()
            ));
        }
        Some(path) => Some(path.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| config::discover(&cwd)),
    };
    match &config_path {
        Some(path) => config::read(path).map_err(|e| report::config_error(&e)),
        None => Ok(config::Loaded::default()),
    }
}

/// The note files under `paths` (default: ./notes if it exists, else the working folder)
/// that the configuration does not exclude, and a finding for each link that leaves the
/// tree (which was not read).
pub(crate) fn discover_files(
    paths: &[PathBuf],
    loaded_config: &config::Loaded,
) -> Result<(Vec<PathBuf>, Vec<notes_core::Finding>), String> {
    let paths = if paths.is_empty() {
        let notes = PathBuf::from("notes");
        vec![if notes.is_dir() {
            notes
        } else {
            PathBuf::from(".")
        }]
    } else {
        paths.to_vec()
    };
    let discovered = crate::discover::discover(&paths)
        .map_err(|missing| format!("error: no such file or folder: {}", missing.0.display()))?;
    let excluded = exclusions(loaded_config)?;
    let files: Vec<PathBuf> = discovered
        .files
        .into_iter()
        .filter(|file| !excluded(file))
        .collect();
    // Links that leave the tree were not read; each is reported once, in every run.
    let refused: Vec<_> = discovered
        .refused
        .into_iter()
        .filter(|finding| finding.file.as_deref().is_none_or(|file| !excluded(file)))
        .collect();
    Ok((files, refused))
}

/// Whether the configuration's `exclude` globs match a file, relative to its folder.
pub(crate) fn exclusions(
    loaded: &config::Loaded,
) -> Result<impl Fn(&Path) -> bool + use<>, String> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in &loaded.config.exclude {
        let glob = globset::Glob::new(pattern)
            .map_err(|e| format!("error: invalid exclude pattern `{pattern}`: {e}"))?;
        builder.add(glob);
    }
    let set = builder
        .build()
        .map_err(|e| format!("error: invalid exclude patterns: {e}"))?;
    let base = loaded
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute_base = if base.is_absolute() {
        base
    } else {
        cwd.join(&base)
    };
    Ok(move |file: &Path| {
        if set.is_empty() {
            return false;
        }
        let absolute = if file.is_absolute() {
            file.to_path_buf()
        } else {
            cwd.join(file)
        };
        let relative = absolute.strip_prefix(&absolute_base).unwrap_or(file);
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        set.is_match(relative)
    })
}

/// Which files findings are reported on: all that are read, or with `--context`, only
/// the ones named as PATHS.
enum Reported {
    All,
    Only(BTreeSet<PathBuf>),
}

impl Reported {
    fn new(files: &[PathBuf], context: &[PathBuf]) -> Self {
        if context.is_empty() {
            Reported::All
        } else {
            Reported::Only(files.iter().map(|f| normalize(f)).collect())
        }
    }

    /// The files to read: the reported ones and the context, each once, sorted.
    fn all_files(&self, mut files: Vec<PathBuf>, context: Vec<PathBuf>) -> Vec<PathBuf> {
        if let Reported::Only(reported) = self {
            files.extend(
                context
                    .into_iter()
                    .filter(|file| !reported.contains(&normalize(file))),
            );
            files.sort();
        }
        files
    }

    /// Drops the findings about files that are only context. A finding about no file
    /// in particular is kept.
    fn restrict(&self, mut outcome: engine::Outcome) -> engine::Outcome {
        if let Reported::Only(reported) = self {
            outcome.findings.retain(|finding| {
                finding
                    .file
                    .as_deref()
                    .is_none_or(|file| reported.contains(&normalize(file)))
            });
        }
        outcome
    }
}

/// A path without `./` components, so `./notes/a.yaml` and `notes/a.yaml` compare equal.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}
