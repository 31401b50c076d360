//! Project automation: `cargo xtask schema`, `export`, `import`, `gen-corpus` and `bench`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod export;
mod gen_corpus;
mod generated;
mod import;
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
    },
    /// Turn a bullet-outline Markdown note into a note file (printed, or written with -o).
    Import {
        /// The Markdown outline to import.
        file: PathBuf,
        /// Write the note to this .yaml file instead of printing it.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Write a large synthetic corpus for benchmarks.
    GenCorpus(gen_corpus::Options),
    /// Benchmark notes-lint on generated corpora against schema-only validators and write
    /// docs/performance.md (between its bench markers).
    Bench(bench::Options),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = args.root.clone().unwrap_or_else(workspace_root);
    let result = match args.command {
        Command::Schema { check } => {
            generated::sync(&root, &generated::schemas(), check, "cargo xtask schema")
        }
        Command::Export { out, check } => export::run(&root, &out, check),
        Command::Import { file, out, force } => import::run(&file, out.as_deref(), force),
        Command::GenCorpus(options) => gen_corpus::run(&root, &options),
        Command::Bench(options) => bench::run(&root, &options),
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
