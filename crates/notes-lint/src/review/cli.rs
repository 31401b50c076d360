//! `notes-lint review`: the queue of claims to re-check, and `--mark` to record a review.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use jiff::civil::Date;
use notes_core::{Edit, Severity};

use super::mark::{Target, mark_reviewed};
use crate::engine;

/// Lists the claims to re-check, most urgent first, or records that one was re-checked.
#[derive(Debug, clap::Args)]
#[command(max_term_width = 100, after_help = EXAMPLES)]
pub struct ReviewArgs {
    /// Note files or folders. Default: ./notes if it exists, else the current folder.
    pub paths: Vec<PathBuf>,
    /// The configuration file. Default: notes-lint.toml in the working folder or above.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date to judge staleness against, YYYY-MM-DD. Default: the system date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::parse_today)]
    pub today: Option<Date>,
    /// How to print the queue.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// Print only the first N entries.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Record a review: set `reviewed:` on a claim (NOTE#CLAIM_ID or NOTE#2.3.1), a
    /// section (NOTE#2) or the whole note (NOTE), and print what is left to review.
    #[arg(long, value_name = "NOTE#CLAIM")]
    pub mark: Option<String>,
    /// The date of the review recorded by --mark. Default: today; never after it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::parse_today, requires = "mark")]
    pub date: Option<Date>,
}

const EXAMPLES: &str = "\
Examples:
  notes-lint review                                   what to re-check first
  notes-lint review --format markdown --limit 20      an issue body with a checklist
  notes-lint review --mark birds-eye-view#2.3.1       record that a claim was re-checked today

Exit status: 0 no error-level finding, 1 an error-level finding, 2 notes-lint could not run.";

/// How to print the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// Numbered entries with the sources to re-read.
    Human,
    /// One JSON object with a summary and every entry.
    Json,
    /// A checklist for the body of an issue.
    Markdown,
}

/// Runs `notes-lint review`: 0 no error-level finding, 1 otherwise, 2 the tool could
/// not run.
pub fn main(args: &ReviewArgs) -> ExitCode {
    match run(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the review command with parsed arguments; the error is the message for exit 2.
pub fn run(args: &ReviewArgs) -> Result<ExitCode, String> {
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let target = args.mark.as_deref().map(Target::parse).transpose()?;
    let loaded_config = crate::cli::load_config(args.config.as_deref())?;
    let (files, _refused) = crate::cli::discover_files(&args.paths, &loaded_config)?;
    let options = engine::Options {
        today,
        config: loaded_config.config,
        select: Some(super::RULES.iter().map(|r| (*r).to_owned()).collect()),
        ignore: BTreeSet::new(),
    };
    let mut outcome = engine::run(&files, &options);
    if let Some(target) = target {
        let date = args.date.unwrap_or(today);
        if date > today {
            return Err(format!(
                "error: --date {date} is in the future (today is {today}); a review is recorded on or before the day it happens"
            ));
        }
        let (path, edited) = mark(&outcome, &target, date)?;
        crate::fix::write_atomically(&path, &edited)
            .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        eprintln!(
            "marked {target} as reviewed on {date} in {}",
            path.display()
        );
        outcome = engine::run_with(&files, &options, &HashMap::from([(path, edited)]));
    }
    for finding in super::unreadable(&outcome) {
        let file = finding
            .file
            .as_ref()
            .map_or_else(String::new, |f| format!("{}: ", f.display()));
        eprintln!(
            "warning: {file}{}: claims there are not in the queue; `notes-lint` shows why",
            finding.message
        );
    }
    let queue = super::queue(&outcome);
    let shown = &queue[..args.limit.unwrap_or(queue.len()).min(queue.len())];
    let text = match args.format {
        ReviewFormat::Human => super::render::human(shown, queue.len()),
        ReviewFormat::Json => super::render::json(shown, queue.len(), today),
        ReviewFormat::Markdown => super::render::markdown(shown, queue.len(), today),
    };
    crate::cli::print(&text);
    let failed = outcome
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The file to change and its new text for `--mark target`.
fn mark(
    outcome: &engine::Outcome,
    target: &Target,
    date: Date,
) -> Result<(PathBuf, String), String> {
    let docs: Vec<&notes_core::Document> = outcome
        .loaded
        .iter()
        .filter_map(|l| l.document.as_ref())
        .collect();
    let Some(doc) = docs.iter().find(|d| d.id == target.note) else {
        let hint =
            notes_core::suggest::did_you_mean(&target.note, docs.iter().map(|d| d.id.as_str()))
                .map_or_else(
                    || "; `notes-lint review` lists what is due".to_owned(),
                    |best| format!(" (did you mean `{best}`?)"),
                );
        return Err(format!("error: --mark: no note `{}`{hint}", target.note));
    };
    let text = doc.file.text();
    let edits =
        mark_reviewed(text, doc, &target.part, date).map_err(|e| format!("error: --mark: {e}"))?;
    let edits: Vec<&Edit> = edits.iter().collect();
    Ok((
        doc.file.path().to_path_buf(),
        crate::fix::apply(text, &edits),
    ))
}
