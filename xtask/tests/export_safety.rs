//! `cargo xtask export` on untrusted notes: links out of the repository are refused,
//! a killed export loses nothing, and concurrent exports never mix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOTE_A: &str = "title: Note A\nas_of: 2022\nsections:\n  - title: S\n    claims:\n      - text: The first claim of A.\n";
const NOTE_B: &str =
    "title: Note B\nsections:\n  - title: T\n    claims:\n      - text: The claim of B.\n";
const NOTE_C: &str =
    "title: Note C\nsections:\n  - title: U\n    claims:\n      - text: The claim of C.\n";

/// A repository root holding `notes/` with these notes.
fn repository(notes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("notes")).expect("mkdir");
    for (name, text) in notes {
        std::fs::write(dir.path().join("notes").join(name), text).expect("write");
    }
    dir
}

fn export_command(root: &Path, out: &Path, pause_ms: Option<u64>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("--root")
        .arg(root)
        .args(["export", "--out"])
        .arg(out);
    if let Some(ms) = pause_ms {
        command.env(notes_lint::atomic::TEST_PAUSE_ENV, ms.to_string());
    }
    command
}

fn export(root: &Path, out: &Path) -> Output {
    let output = export_command(root, out, None).output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn spawn(root: &Path, out: &Path, pause_ms: u64) -> Child {
    export_command(root, out, Some(pause_ms))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs")
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn is_temp(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(notes_lint::atomic::is_temp_name)
}

fn without_temp_files(files: BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    files.into_iter().filter(|(p, _)| !is_temp(p)).collect()
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_is_reported_and_never_read_or_written() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.yaml"),
        "title: SECRET-TOKEN-123\nsections:\n  - title: SECRET-TOKEN-123\n",
    )
    .expect("write");
    let root = repository(&[("a.yaml", NOTE_A)]);
    std::fs::create_dir(root.path().join("shared")).expect("mkdir");
    std::fs::write(root.path().join("shared/b.yaml"), NOTE_B).expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        root.path().join("notes/leak.yaml"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        root.path().join("shared/b.yaml"),
        root.path().join("notes/b.yaml"),
    )
    .expect("symlink");
    let out = tempfile::tempdir().expect("temp dir");

    for check in [false, true] {
        let mut command = export_command(root.path(), out.path(), None);
        if check {
            command.arg("--check");
        }
        let output = command.output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!output.status.success(), "{stderr}");
        assert!(
            !stderr.contains("SECRET") && !stdout.contains("SECRET"),
            "{stderr}"
        );
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.contains("symbolic link"))
                .collect::<Vec<_>>(),
            [
                "notes/leak.yaml:1:1: error[syntax]: `notes/leak.yaml` is a symbolic link \
              to a file outside the repository: not read"
            ],
            "{stderr}"
        );
        assert!(snapshot(out.path()).is_empty(), "nothing is exported");
    }

    // Without the link out, the link inside the repository is followed and exported.
    std::fs::remove_file(root.path().join("notes/leak.yaml")).expect("rm");
    export(root.path(), out.path());
    let files = snapshot(out.path());
    let notes_json = String::from_utf8_lossy(&files[Path::new("notes.json")]);
    assert!(notes_json.contains("The claim of B."), "{notes_json}");
    assert!(
        files
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("SECRET"))
    );
}

#[test]
fn an_export_killed_before_a_rename_leaves_the_previous_export_and_the_next_cleans_up() {
    let root = repository(&[("a.yaml", NOTE_A)]);
    let out = tempfile::tempdir().expect("temp dir");
    export(root.path(), out.path());
    let before = snapshot(out.path());
    assert!(before.contains_key(Path::new("notes.json")));

    std::fs::write(
        root.path().join("notes/a.yaml"),
        NOTE_A.replace("first", "second"),
    )
    .expect("write");
    std::fs::write(root.path().join("notes/b.yaml"), NOTE_B).expect("write");
    let mut child = spawn(root.path(), out.path(), 60_000);
    let start = Instant::now();
    // Wait until a temporary file holds its whole content and the writer is paused.
    loop {
        let temp: Vec<_> = snapshot(out.path())
            .into_iter()
            .filter(|(p, bytes)| is_temp(p) && !bytes.is_empty())
            .collect();
        if !temp.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the export ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let after_kill = snapshot(out.path());
    assert!(
        after_kill.keys().any(|p| is_temp(p)),
        "the kill left its temporary file"
    );
    assert_eq!(
        without_temp_files(after_kill),
        before,
        "the previous export changed"
    );

    export(root.path(), out.path());
    let fresh = tempfile::tempdir().expect("temp dir");
    export(root.path(), fresh.path());
    let after = snapshot(out.path());
    assert!(
        !after.keys().any(|p| is_temp(p)),
        "a temporary file is left: {:?}",
        after.keys()
    );
    assert_eq!(
        after,
        snapshot(fresh.path()),
        "the next export is not complete"
    );
}

#[test]
fn two_exports_at_once_leave_one_complete_export() {
    let first = repository(&[("a.yaml", NOTE_A), ("b.yaml", NOTE_B)]);
    let second = repository(&[("c.yaml", NOTE_C)]);
    let reference = |root: &Path| {
        let out = tempfile::tempdir().expect("temp dir");
        export(root, out.path());
        snapshot(out.path())
    };
    let (first_export, second_export) = (reference(first.path()), reference(second.path()));
    assert_ne!(first_export, second_export);
    for round in 0..2 {
        let out = tempfile::tempdir().expect("temp dir");
        // Slow writers, started together, so that the two runs overlap.
        let (pause_first, pause_second) = if round == 0 { (150, 60) } else { (60, 150) };
        let mut a = spawn(first.path(), out.path(), pause_first);
        let mut b = spawn(second.path(), out.path(), pause_second);
        assert!(a.wait().expect("wait").success());
        assert!(b.wait().expect("wait").success());
        let result = snapshot(out.path());
        assert!(
            result == first_export || result == second_export,
            "round {round}: a mix of two exports: {:?}",
            result.keys()
        );
    }
}
