//! `notes-lint lsp`: the language server, over stdio.
//!
//! It calls the same engine, rules and fixes as the command line. A message that is not
//! JSON-RPC gets an error reply; a panic while handling one message is caught, logged
//! and answered with an error, and the server goes on serving.

mod allow;
mod complete;
mod convert;
mod features;
mod ids;
mod server;
mod transport;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use jiff::civil::Date;

pub use workspace::Settings;

/// The language server: every rule live in the editor, quick fixes, hover,
/// navigation across notes.
#[derive(Debug, clap::Args)]
#[command(max_term_width = 100, after_help = WIRING)]
pub struct LspArgs {
    /// The date to judge staleness against, YYYY-MM-DD. Default: the system date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// The configuration file. Default: notes-lint.toml in the workspace folder or above.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

const WIRING: &str = "\
The server speaks the Language Server Protocol over stdin and stdout; the editor starts
it in the folder it opens, and it lints notes/ there (or the folder itself when there is
no notes/), with notes-lint.toml as on the command line.

Neovim (0.10 or newer), in init.lua:
  vim.api.nvim_create_autocmd(\"FileType\", {
    pattern = { \"yaml\", \"json\" },
    callback = function(args)
      vim.lsp.start({
        name = \"notes-lint\",
        cmd = { \"notes-lint\", \"lsp\" },
        root_dir = vim.fs.root(args.buf, { \"notes-lint.toml\", \"notes\", \".git\" }),
      })
    end,
  })

Helix, in languages.toml:
  [language-server.notes-lint]
  command = \"notes-lint\"
  args = [\"lsp\"]
  [[language]]
  name = \"yaml\"
  language-servers = [\"yaml-language-server\", \"notes-lint\"]

VS Code, with the \"Generic LSP Client\" extension (llllvvuu.llllvvuu-glspc), in
.vscode/settings.json:
  \"glspc.serverCommand\": \"notes-lint\",
  \"glspc.serverCommandArguments\": [\"lsp\"],
  \"glspc.languageId\": \"yaml\"

Logs go to stderr; the editor shows them in its LSP log.";

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|e| format!("`{text}` is not a date in the form YYYY-MM-DD: {e}"))
}

/// Runs `notes-lint lsp` until the client exits.
pub fn main(args: LspArgs) -> ExitCode {
    let settings = Settings {
        today: args.today,
        config: args.config,
    };
    // Loading recurses once per nesting level; the server's thread gets the same large
    // stack as the engine's workers.
    let server = std::thread::Builder::new()
        .name("notes-lint-lsp".to_owned())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || server::serve(settings));
    match server.map(std::thread::JoinHandle::join) {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::from(1),
        Ok(Err(_)) | Err(_) => {
            eprintln!("notes-lint lsp: the server stopped unexpectedly");
            ExitCode::from(2)
        }
    }
}
