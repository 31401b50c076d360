//! Command-line arguments and the top-level flow of the `notes-lint` command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use jiff::civil::Date;

use crate::engine;
use crate::report;

/// Lints research notes: stale, overtaken, unsourced, dangling and duplicated claims.
#[derive(Debug, Parser)]
#[command(name = "notes-lint", version, about, max_term_width = 100)]
pub struct Args {
    /// Note files or folders to lint. Default: ./notes if it exists, else the current folder.
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The date to judge staleness against, YYYY-MM-DD. Default: the system date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<Date>,
    /// When to colour the human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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

fn parse_today(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|e| format!("`{text}` is not a date in the form YYYY-MM-DD: {e}"))
}

/// Runs the command with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command with parsed arguments: 0 clean, 1 findings, 2 the tool could not run.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let paths = if args.paths.is_empty() {
        let notes = PathBuf::from("notes");
        vec![if notes.is_dir() {
            notes
        } else {
            PathBuf::from(".")
        }]
    } else {
        args.paths.clone()
    };
    let files = crate::discover::note_files(&paths)
        .map_err(|missing| format!("no such file or folder: {}", missing.0.display()))?;
    let options = engine::Options {
        today,
        config: crate::config::Config::default(),
        select: None,
        ignore: Default::default(),
    };
    let outcome = engine::run(&files, &options);
    let text = match args.format {
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
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`notes-lint | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let failed = outcome.summary().errors > 0;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
