//! The `notes-lint` command.

fn main() -> std::process::ExitCode {
    notes_lint::cli::main()
}
