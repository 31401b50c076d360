//! `notes-lint.toml`: rule severities, shelf lives and excluded paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use notes_core::ShelfLife;
use notes_core::model::ClaimKind;
use notes_core::shelf_life::{Period, PeriodUnit};
use schemars::JsonSchema;
use serde::Deserialize;

/// The name of the configuration file, looked for from the working directory upward.
pub const FILE_NAME: &str = "notes-lint.toml";

/// The configuration of notes-lint, read from `notes-lint.toml`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "notes-lint configuration")]
pub struct Config {
    /// Note files to skip, as globs relative to this file's folder, such as `notes/drafts/**`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity per rule id: error, warning, info or off.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// How long claims stay fresh.
    #[serde(default)]
    pub staleness: Staleness,
    /// Options of single rules, by rule id.
    #[serde(default)]
    pub options: RuleOptions,
    /// Turn on the `pedantic` group: the stricter modes of some rules, whose extra
    /// findings are often right but not 9 times in 10 (`notes-lint --list-rules` names
    /// them). Default: false.
    #[serde(default)]
    pub pedantic: bool,
}

/// Options of single rules.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOptions {
    /// Options of `unsourced-figure`.
    #[serde(default, rename = "unsourced-figure")]
    pub unsourced_figure: UnsourcedFigureOptions,
}

/// Options of `unsourced-figure`.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnsourcedFigureOptions {
    /// Every figure needs a citation with a `locator` on its claim or a parent claim; a
    /// note's `summary_of` no longer sources its figures. Default: false.
    #[serde(default)]
    pub require_locator: bool,
}

/// How serious a rule's findings are, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Findings fail the run.
    Error,
    /// Findings fail the run only with `--deny-warnings`.
    Warning,
    /// Findings never fail the run.
    Info,
    /// The rule does not run.
    Off,
}

/// Shelf lives: how long a claim stays fresh after it was last checked.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staleness {
    /// The shelf life of claims that set none and match no kind or tag entry. Default: 3y.
    #[serde(default)]
    pub default: Option<ShelfLife>,
    /// Shelf life by claim kind, such as `forecast = "1y"`.
    #[serde(default)]
    pub kinds: BTreeMap<ClaimKind, ShelfLife>,
    /// Shelf life by tag, such as `benchmarks = "6mo"`; the shortest matching tag wins.
    #[serde(default)]
    pub tags: BTreeMap<String, ShelfLife>,
}

impl Staleness {
    /// The default shelf life: the configured one, else three years.
    pub fn default_shelf_life(&self) -> ShelfLife {
        self.default.unwrap_or(ShelfLife::For(Period {
            amount: 3,
            unit: PeriodUnit::Year,
        }))
    }
}

/// A configuration that was found and read.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
}

/// Why a configuration could not be used.
#[derive(Debug)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// Its text, when it could be read.
    pub text: Option<String>,
    /// The byte range of the problem, when known.
    pub span: Option<std::ops::Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The table that swallowed a top-level `exclude` written after it, if any: a common
/// slip, since TOML keys after a `[table]` header belong to that table.
fn misplaced_key(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    fn find(table: &toml::Table, prefix: &str) -> Option<String> {
        for (key, value) in table {
            if let toml::Value::Table(inner) = value {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if inner.contains_key("exclude") {
                    return Some(name);
                }
                if let Some(found) = find(inner, &name) {
                    return Some(found);
                }
            }
        }
        None
    }
    find(&table, "")
}

/// `notes-lint.toml` in `start` or the nearest folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks the configuration at `path`.
pub fn read(path: &Path) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_owned(),
        text: None,
        span: None,
        message: format!("cannot read the configuration: {e}"),
        help: None,
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let help = misplaced_key(&text).map_or_else(
            || "see schema/notes-lint.schema.json for the fields".to_owned(),
            |table| {
                format!(
                    "`exclude` is a top-level key, but here it follows `[{table}]`, so TOML reads it as part of that table: move it above the first `[table]`"
                )
            },
        );
        ConfigError {
            path: path.to_owned(),
            text: Some(text.clone()),
            span: e.span(),
            message: e.message().trim().to_owned(),
            help: Some(help),
        }
    })?;
    for rule in config.rules.keys() {
        if crate::rules::by_id(rule).is_none() {
            let span = text
                .find(rule.as_str())
                .map(|start| start..start + rule.len());
            let help = match notes_core::suggest::did_you_mean(rule, crate::rules::ids()) {
                Some(best) => {
                    format!("did you mean `{best}`? `notes-lint --list-rules` lists them")
                }
                None => "`notes-lint --list-rules` lists the rules".to_owned(),
            };
            return Err(ConfigError {
                path: path.to_owned(),
                text: Some(text.clone()),
                span,
                message: format!("unknown rule `{rule}`"),
                help: Some(help),
            });
        }
    }
    Ok(Loaded {
        config,
        path: Some(path.to_owned()),
    })
}
