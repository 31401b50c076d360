//! `--list-rules` and `--explain`.

use std::fmt::Write as _;

use crate::rules::{PEDANTIC, PEDANTIC_MODES, REGISTRY, RuleMeta, pedantic_mode};

/// Every rule: id, default severity, whether `--fix` handles it, and its summary.
pub fn list() -> String {
    let width = REGISTRY
        .iter()
        .map(|r| r.meta().id.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for rule in REGISTRY {
        let meta = rule.meta();
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:7}  {:17}  {}",
            meta.id,
            meta.default_severity.as_str(),
            if meta.fixable { "fixable" } else { "" },
            if pedantic_mode(meta.id).is_some() {
                "default, pedantic"
            } else {
                "default"
            },
            meta.summary,
        );
    }
    let _ = writeln!(
        out,
        "\nThe groups: `default` runs unless --select or the configuration says otherwise; `{PEDANTIC}` (--select {PEDANTIC}, or `{PEDANTIC} = true` in notes-lint.toml) adds stricter modes:"
    );
    for (id, adds) in PEDANTIC_MODES {
        let _ = writeln!(out, "  {id}: {adds}");
    }
    out
}

/// A rule's documentation, as `--explain` prints it and `docs/rules/<id>.md` holds it.
pub fn explain(meta: &RuleMeta) -> String {
    // Headings get a blank line after them, as Markdown linters expect.
    let mut docs = String::with_capacity(meta.docs.len() + 64);
    let mut lines = meta.docs.lines().peekable();
    while let Some(line) = lines.next() {
        docs.push_str(line);
        docs.push('\n');
        if line.starts_with('#') && lines.peek().is_some_and(|next| !next.is_empty()) {
            docs.push('\n');
        }
    }
    let group = match pedantic_mode(meta.id) {
        Some(adds) => format!(
            "default; its `{PEDANTIC}` mode (`--select {PEDANTIC}`, or `{PEDANTIC} = true` in notes-lint.toml) flags {adds}"
        ),
        None => "default".to_owned(),
    };
    format!(
        "# {}\n\nDefault severity: {}. Fixable: {}. Group: {group}.\n\n{}",
        meta.id,
        meta.default_severity.as_str(),
        if meta.fixable { "yes" } else { "no" },
        docs
    )
}
