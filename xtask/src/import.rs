//! `cargo xtask import`: Markdown notes to note files, with
//! [`notes_core::import`] doing the reading.

use std::io::Write as _;
use std::path::Path;

use notes_core::import;

/// Imports the outline in `file` and prints the note on stdout, or with `out` writes
/// it there atomically, refusing to replace an existing file unless `force`.
pub fn run(
    file: &Path,
    out: Option<&Path>,
    force: bool,
    options: &import::Options,
) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let markdown = std::str::from_utf8(&bytes).map_err(|e| {
        format!(
            "{} is not valid UTF-8 (bad byte at offset {}): save it as UTF-8",
            file.display(),
            e.valid_up_to()
        )
    })?;
    let stem = match out {
        Some(out) => {
            let extension = out.extension().and_then(|e| e.to_str());
            if !matches!(extension, Some("yaml" | "yml")) {
                return Err(format!(
                    "{}: the output must be a .yaml or .yml file",
                    out.display()
                ));
            }
            // The loader takes a note's default id from this stem.
            out.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        // Printed notes are saved somewhere later: "name.seed.txt" suggests "name".
        None => file
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let imported =
        import::import(markdown, &stem, options).map_err(|e| format!("{}: {e}", file.display()))?;
    for remark in &imported.report {
        eprintln!("{}:{}: {}", file.display(), remark.line, remark.message);
    }
    let yaml = imported.yaml;
    for warning in import::warnings(&yaml) {
        eprintln!("warning: {warning}");
    }
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        return match stdout
            .write_all(yaml.as_bytes())
            .and_then(|()| stdout.flush())
        {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to stdout: {e}"))
            }
            _ => Ok(()),
        };
    };
    if !force && out.exists() {
        return Err(format!(
            "{} already exists: pass --force to replace it",
            out.display()
        ));
    }
    crate::generated::write_atomically(out, &yaml)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_writes_atomically_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("notes").join("outline.yaml");
        run(&input, Some(&out), false, &import::Options::default()).unwrap();
        let first = std::fs::read_to_string(&out).unwrap();
        assert!(first.contains("- text: \"a claim\"\n"));
        std::fs::write(&input, "Title\n- another claim\n").unwrap();
        let error = run(&input, Some(&out), false, &import::Options::default()).unwrap_err();
        assert!(error.contains("already exists: pass --force"), "{error}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
        run(&input, Some(&out), true, &import::Options::default()).unwrap();
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("another claim")
        );
        let error = run(
            &input,
            Some(&dir.path().join("x.json")),
            false,
            &import::Options::default(),
        )
        .unwrap_err();
        assert!(error.contains(".yaml or .yml"), "{error}");
        std::fs::write(&input, [b'-', b' ', 0xff, b'\n']).unwrap();
        let error = run(&input, Some(&out), true, &import::Options::default()).unwrap_err();
        assert!(error.contains("not valid UTF-8"), "{error}");
    }

    #[test]
    fn an_invalid_output_stem_gets_an_explicit_id() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("outline.md");
        std::fs::write(&input, "Title\n- a claim\n").unwrap();
        let out = dir.path().join("My Note.yaml");
        run(&input, Some(&out), false, &import::Options::default()).unwrap();
        let loaded = notes_core::load_path(&out);
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        assert_eq!(loaded.document.unwrap().id, "my-note");
    }
}
