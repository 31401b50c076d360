//! Times `notes-lint lsp` as an editor sees it, on 100 generated notes of 1,000 claims
//! each (100k claims): start-up (spawn to every file's diagnostics published), and
//! after an edit to one note, the time until its fresh diagnostics arrive.
//!
//! Run with `cargo bench -p notes-lint --bench lsp`. The corpus is written once by
//! `cargo xtask gen-corpus --out target/corpus-lsp/notes --files 100 --claims 1000`
//! (the bench runs that when the folder is missing).

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../tests/common/frames.rs"]
mod frames;

const EDITS: usize = 20;
const SETTLES: usize = 5;

fn send(stdin: &mut ChildStdin, message: &Value) {
    let body = message.to_string();
    let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    stdin.write_all(framed.as_bytes()).expect("write");
    stdin.flush().expect("flush");
}

fn reader(stdout: std::process::ChildStdout) -> mpsc::Receiver<(Instant, Value)> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(message) = frames::read(&mut reader) {
            if sender.send((Instant::now(), message)).is_err() {
                return;
            }
        }
    });
    receiver
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The CPU time the process `pid` has used so far (user and system), where the system
/// says (Linux's `/proc`); `None` elsewhere.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel counts in USER_HZ, 100 per second on every Linux architecture in use.
    Some(Duration::from_millis(ticks * 10))
}

fn recv(messages: &mpsc::Receiver<(Instant, Value)>) -> (Instant, Value) {
    messages
        .recv_timeout(Duration::from_secs(600))
        .expect("the server answers")
}

/// Opens `note` and edits it `EDITS` times, each edit turning one claim into a
/// placeholder or back, so the note's diagnostics change every time and are published;
/// then edits it `SETTLES` times more and asks each time for every file's diagnostics
/// to settle. Returns the note's text, the offset of the edited claim's text, the
/// sorted latencies of the edits, the server's CPU time per edit (where the system says)
/// and the median time to settle.
fn edits(
    stdin: &mut ChildStdin,
    messages: &mpsc::Receiver<(Instant, Value)>,
    note: &Path,
    pid: u32,
) -> (String, usize, Vec<Duration>, Option<Duration>, Duration) {
    let text = std::fs::read_to_string(note).expect("read");
    send(
        stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri(note), "languageId": "yaml", "version": 1, "text": text}}}),
    );
    // Inside the claim's quotes: `TODO:` opening a claim marks it a placeholder.
    let first = text.find("- text: \"").expect("a quoted claim") + "- text: \"".len();
    let edited = |edit: usize| {
        if edit.is_multiple_of(2) {
            format!("{}TODO: {}", &text[..first], &text[first..])
        } else {
            text.clone()
        }
    };
    let mut version = 1;
    let mut change = |stdin: &mut ChildStdin, edit: usize| {
        version += 1;
        send(
            stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri(note), "version": version},
                "contentChanges": [{"text": edited(edit)}]}}),
        );
    };
    let mut latencies = Vec::new();
    let mut cpu_before = None;
    for edit in 0..=EDITS {
        if edit == 1 {
            cpu_before = cpu_time(pid);
        }
        let sent = Instant::now();
        change(stdin, edit);
        loop {
            let (at, message) = recv(messages);
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == json!(uri(note))
            {
                // The first edit also opens the note; it is not counted.
                if edit > 0 {
                    latencies.push(at - sent);
                }
                break;
            }
        }
    }
    let cpu = cpu_before
        .zip(cpu_time(pid))
        .map(|(before, after)| (after - before) / u32::try_from(EDITS).unwrap_or(1));
    let mut settles = Vec::new();
    for edit in 0..SETTLES {
        let sent = Instant::now();
        change(stdin, edit + 1 + EDITS);
        let id = 1000 + edit;
        send(
            stdin,
            &json!({"jsonrpc": "2.0", "id": id, "method": "notes-lint/settle", "params": null}),
        );
        loop {
            let (at, message) = recv(messages);
            if message["id"] == id {
                settles.push(at - sent);
                break;
            }
        }
    }
    // Back to the text on disk, settled, so the next measure starts from it.
    change(stdin, 1);
    send(
        stdin,
        &json!({"jsonrpc": "2.0", "id": 999, "method": "notes-lint/settle", "params": null}),
    );
    while recv(messages).1["id"] != 999 {}
    latencies.sort();
    settles.sort();
    (text, first, latencies, cpu, settles[settles.len() / 2])
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the workspace root")
        .join("target/corpus-lsp");
    let notes = root.join("notes");
    if !notes.is_dir() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["xtask", "gen-corpus", "--out"])
            .arg(&notes)
            .args(["--files", "100", "--claims", "1000"])
            .status()
            .expect("cargo xtask gen-corpus runs");
        assert!(status.success(), "gen-corpus failed");
    }
    let root = std::fs::canonicalize(&root).expect("canonical");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("notes"))
        .expect("notes/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["lsp", "--today", "2026-12-03"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let messages = reader(child.stdout.take().expect("stdout"));
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": uri(&root), "capabilities": {}}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    // The shutdown request is answered after every earlier message, so its answer
    // marks the end of start-up once the initial diagnostics are out.
    let mut published = 0;
    let start_up = loop {
        let (at, message) = messages
            .recv_timeout(Duration::from_secs(600))
            .expect("the server answers");
        if message["method"] == "textDocument/publishDiagnostics" {
            published += 1;
        }
        if message["id"] == 1 {
            send(
                &mut stdin,
                &json!({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "no such symbol"}}),
            );
        }
        if message["id"] == 2 {
            break at - started;
        }
    };

    // The middle note defines sources only it cites; the first also defines the event
    // that claims in every note are sensitive to.
    let note = &files[files.len() / 2];
    let pid = child.id();
    let (text, first, latencies, cpu, settle) = edits(&mut stdin, &messages, note, pid);
    let (_, _, first_note_latencies, first_note_cpu, _) =
        edits(&mut stdin, &messages, &files[0], pid);
    let claims = text.matches("- text:").count();
    // Requests read the last lint: a hover on the edited claim, and completion of the
    // source ids where a claim cites them.
    let line = text[..first].matches('\n').count();
    let mut request_times = |method: &str, params: Value| {
        let mut times = Vec::new();
        for i in 0..10 {
            let id = 100 + i;
            let sent = Instant::now();
            send(
                &mut stdin,
                &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
            );
            loop {
                let (at, message) = messages
                    .recv_timeout(Duration::from_secs(600))
                    .expect("the server answers");
                if message["id"] == id {
                    times.push(at - sent);
                    break;
                }
            }
        }
        times.sort();
        times[times.len() / 2]
    };
    let hover = request_times(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(note)}, "position": {"line": line, "character": 12}}),
    );
    let sources_line = text[first..]
        .find("sources: [")
        .map(|at| text[..first + at].matches('\n').count())
        .unwrap_or(line + 1);
    let completion = request_times(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(note)}, "position": {"line": sources_line, "character": 4}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    );
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} files, edited note of {claims} claims, {published} files with diagnostics at start",
        files.len()
    );
    println!(
        "start-up to every diagnostic published: {:.0} ms",
        ms(start_up)
    );
    for (which, latencies, cpu) in [
        ("a note", &latencies, cpu),
        (
            "the note defining the shared event",
            &first_note_latencies,
            first_note_cpu,
        ),
    ] {
        println!(
            "edit of {which} to its fresh diagnostics over {EDITS} edits: median {:.0} ms, min {:.0} ms, max {:.0} ms; server CPU per edit: {}",
            ms(latencies[latencies.len() / 2]),
            ms(latencies[0]),
            ms(latencies[latencies.len() - 1]),
            cpu.map_or("unknown".to_owned(), |cpu| format!("{:.0} ms", ms(cpu)))
        );
    }
    println!(
        "edit to every file's diagnostics settled (the whole check, without the pause before it): median {:.0} ms over {SETTLES}",
        ms(settle)
    );
    println!(
        "hover on a claim: median {:.0} ms; completion: median {:.0} ms (10 requests each)",
        ms(hover),
        ms(completion)
    );
}
