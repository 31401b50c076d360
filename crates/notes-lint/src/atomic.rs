//! Writing files so that a crash, a kill or a full disk never leaves half a file:
//! the new content goes to a temporary file beside the target, is flushed to disk,
//! and is then renamed over the target in one step.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The name prefix of the temporary files [`write`] creates. They are hidden, and end
/// in [`TEMP_SUFFIX`], so no walk takes them for notes.
pub const TEMP_PREFIX: &str = ".notes-lint-";
/// The name suffix of the temporary files [`write`] creates.
pub const TEMP_SUFFIX: &str = ".tmp";

/// For tests only: when this environment variable holds a number of milliseconds,
/// every atomic write sleeps that long between writing its temporary file and
/// renaming it into place, so a test can kill the process in the middle of a write.
/// Nothing else reads it; never set it outside tests.
pub const TEST_PAUSE_ENV: &str = "NOTES_LINT_TEST_PAUSE_BEFORE_RENAME_MS";

/// Writes `content` to `path` atomically: readers see the old file or the new one,
/// never a mix, and a process killed midway leaves the old file intact (and at most
/// a temporary file named `.notes-lint-*.tmp` beside it). A link is written through:
/// its target gets the new content and the link stays a link. The file keeps its
/// permissions; a new file is readable by everyone (0644 before the umask).
pub fn write(path: &Path, content: &[u8]) -> std::io::Result<()> {
    write_with(path, |out| out.write_all(content))
}

/// Like [`write`], with the content streamed by `fill` into a buffered writer, so it
/// need not be held whole in memory. When `fill` fails, the target is left as it was.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)?;
    let mut out = std::io::BufWriter::new(temp.as_file_mut());
    fill(&mut out)?;
    out.flush()?;
    drop(out);
    match std::fs::metadata(&target) {
        Ok(metadata) => std::fs::set_permissions(temp.path(), metadata.permissions())?,
        Err(_) => set_readable(temp.path())?,
    }
    temp.as_file().sync_all()?;
    pause_for_tests();
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_readable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn pause_for_tests() {
    if let Some(millis) = std::env::var(TEST_PAUSE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(millis));
    }
}

/// Whether `name` is the name of a temporary file [`write`] creates.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Deletes the temporary files that writes into `dir` left behind when their process
/// was killed. Call it only while no other process writes there (under a lock).
pub fn remove_leftovers(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && entry.file_name().to_str().is_some_and(is_temp_name) {
            std::fs::remove_file(entry.path())?;
            removed.push(entry.path());
        }
    }
    removed.sort();
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.yaml");
        write(&path, b"one\n").expect("write");
        write(&path, b"two\n").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "two\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_leftovers_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "old\n").expect("write");
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write(&link, b"new\n").expect("write");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("stat")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new\n");

        let leftover = dir.path().join(".notes-lint-abc123.tmp");
        std::fs::write(&leftover, "half").expect("write");
        std::fs::write(dir.path().join(".other.tmp"), "not ours").expect("write");
        assert_eq!(remove_leftovers(dir.path()).expect("clean"), [leftover]);
        assert!(dir.path().join(".other.tmp").exists());
    }
}
