//! Project automation: `cargo xtask schema`, `export`, `import`, `gen-corpus`, `bench`
//! and `lintcheck`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod export;
mod gen_corpus;
mod generated;
mod import;
mod lintcheck;
mod stream_diff;

/// Project automation for notes-lint.
#[derive(Debug, Parser)]
#[command(name = "xtask")]
struct Args {
    /// The workspace root the commands read and write under. Default: the workspace
    /// this xtask was built from.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the generated files (or check them with --check): the JSON Schemas under schema/,
    /// the rule docs under docs/rules/, the field tables of docs/format.md, and the shell
    /// completions and man page under docs/shell/.
    Schema {
        /// Write nothing; fail with a diff when a schema is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Export the notes as export/notes.json and export/markdown/*.md (or check them with --check).
    Export {
        /// The export directory, relative to the workspace root.
        #[arg(long, value_name = "DIR", default_value = "export")]
        out: PathBuf,
        /// Write nothing; fail with a diff when the export directory is out of date.
        #[arg(long)]
        check: bool,
        /// Mark the claims stale or overtaken on this date (YYYY-MM-DD), and judge the
        /// charts on it. Without it the export does not depend on the date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
    },
    /// Turn Markdown notes into note files: one file (printed, or written with -o FILE.yaml),
    /// or files and folders (read recursively) into the folder -o DIR.
    Import {
        /// The Markdown files and folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The .yaml file to write one note to, or the folder to write notes to.
        #[arg(short, long, value_name = "FILE|DIR")]
        out: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long, requires = "out")]
        force: bool,
        /// How to read dates such as 11/12/2013: month first (mdy) or day first (dmy).
        /// Without it such dates are reported, never guessed.
        #[arg(long, value_name = "ORDER")]
        date_order: Option<DateOrderArg>,
    },
    /// Write a large synthetic corpus for benchmarks.
    GenCorpus(gen_corpus::Options),
    /// Benchmark notes-lint on generated corpora against schema-only validators and write
    /// docs/performance.md (between its bench markers).
    Bench(bench::Options),
    /// Lint folders of notes nobody here wrote (importing Markdown first), write a report
    /// with a sample of each rule's findings to label, and the counts to tests/lintcheck/.
    Lintcheck(lintcheck::Options),
}

/// How to read dates whose day and month could be swapped.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum DateOrderArg {
    /// Month first: 11/26/2013.
    Mdy,
    /// Day first: 26/11/2013.
    Dmy,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = args.root.clone().unwrap_or_else(workspace_root);
    let result = match args.command {
        Command::Schema { check } => {
            generated::sync(&root, &generated::schemas(), check, "cargo xtask schema")
        }
        Command::Export { out, check, today } => export::run(&root, &out, check, today),
        Command::Import {
            paths,
            out,
            force,
            date_order,
        } => {
            let options = notes_core::import::Options {
                date_order: date_order.map(|order| match order {
                    DateOrderArg::Mdy => notes_core::import::DateOrder::Mdy,
                    DateOrderArg::Dmy => notes_core::import::DateOrder::Dmy,
                }),
            };
            let one_file = match (paths.as_slice(), &out) {
                ([file], None) => file.is_file(),
                ([file], Some(out)) => {
                    file.is_file()
                        && matches!(
                            out.extension().and_then(|e| e.to_str()),
                            Some("yaml" | "yml")
                        )
                }
                _ => false,
            };
            match (one_file, &out) {
                (true, _) => import::run(&paths[0], out.as_deref(), force, &options),
                (false, Some(dir)) if dir.is_file() || dir.extension().is_some() => Err(format!(
                    "{}: the output must be a .yaml or .yml file (for one Markdown file) or a folder",
                    dir.display()
                )),
                (false, Some(dir)) => import::run_folder(&paths, dir, force, &options),
                (false, None) => Err(
                    "importing folders or several files needs -o DIR, the folder to write the notes to"
                        .to_owned(),
                ),
            }
        }
        Command::GenCorpus(options) => gen_corpus::run(&root, &options),
        Command::Bench(options) => bench::run(&root, &options),
        Command::Lintcheck(options) => lintcheck::run(&root, &options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
