//! `notes-lint lsp` driven over stdio as an editor drives it: JSON-RPC in, diagnostics
//! and answers out.

mod common;
#[path = "common/frames.rs"]
mod frames;
use common::root;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

const TODAY: &str = "2026-12-03";
const WAIT: Duration = Duration::from_secs(60);

/// A running server and what it has said.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    /// Every message the server sent, as text, for checks on the whole transcript.
    transcript: Vec<String>,
    /// The newest diagnostics per URI.
    diagnostics: BTreeMap<String, Vec<Value>>,
    next_id: i64,
}

impl Client {
    fn start(workspace: &Path) -> Client {
        Client::start_with(workspace, &[])
    }

    fn start_with(workspace: &Path, env: &[(&str, &str)]) -> Client {
        let capabilities =
            json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
        Client::start_as(workspace, env, capabilities)
    }

    /// Starts the server for a client with `capabilities`.
    fn start_as(workspace: &Path, env: &[(&str, &str)], capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["lsp", "--today", TODAY])
            .current_dir(workspace)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = frames::read(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            transcript: Vec::new(),
            diagnostics: BTreeMap::new(),
            next_id: 0,
        };
        let uri = uri(workspace);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": capabilities,
            }),
        );
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(framed.as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (with `result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Reads messages until one matches, recording diagnostics and answering the
    /// server's own requests (registrations) on the way.
    fn wait_for(&mut self, mut wanted: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(WAIT)
                .expect("the server answers in time");
            self.transcript.push(message.to_string());
            if message["method"] == "textDocument/publishDiagnostics" {
                let uri = message["params"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let list = message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                self.diagnostics.insert(uri, list);
            } else if message.get("id").is_some() && message.get("method").is_some() {
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `path` to be published, and returns them.
    fn diagnostics_of(&mut self, path: &Path) -> Vec<Value> {
        let uri = uri(path);
        self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri)
        });
        self.diagnostics[&uri].clone()
    }

    /// Waits for diagnostics of `path` that `wanted` accepts, and returns them.
    fn diagnostics_until(
        &mut self,
        path: &Path,
        mut wanted: impl FnMut(&[Value]) -> bool,
    ) -> Vec<Value> {
        let uri = uri(path);
        self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && wanted(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map_or(&[], Vec::as_slice),
                )
        });
        self.diagnostics[&uri].clone()
    }

    /// Waits until things settle: the server answers `notes-lint/settle` after every
    /// earlier message was handled and every file's diagnostics are those of a whole
    /// check, published before the answer.
    fn sync(&mut self) {
        let answer = self.request("notes-lint/settle", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
    }

    fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, path: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn shutdown(mut self) -> Vec<String> {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(
            status.success(),
            "exit after shutdown is a success: {status}"
        );
        self.transcript
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A copy of the bundled notes in a fresh folder (the server is pointed at it, so
/// tests can edit files and add links), canonicalized as the server sees it.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::create_dir(root.join("notes")).expect("mkdir");
    for entry in std::fs::read_dir(common::root().join("notes")).expect("notes/") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), root.join("notes").join(entry.file_name())).expect("copy");
    }
    (dir, root)
}

/// What `notes-lint --format json notes/` reports in `root`, as (file, line, column,
/// rule, message) in the order it prints them.
fn cli_findings(root: &Path) -> Vec<(String, u64, u64, String, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["--format", "json", "--today", TODAY, "notes"])
        .current_dir(root)
        .output()
        .expect("the CLI runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                root.join(f["file"].as_str().unwrap_or_default())
                    .display()
                    .to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The server's diagnostics in the same shape (1-based lines and columns; the bundled
/// notes are ASCII where findings start, so UTF-16 and character columns agree).
fn server_findings(client: &Client) -> Vec<(String, u64, u64, String, String)> {
    let mut out = Vec::new();
    for (uri, diagnostics) in &client.diagnostics {
        let file = uri.trim_start_matches("file://").to_owned();
        for d in diagnostics {
            let message = d["message"].as_str().unwrap_or_default();
            out.push((
                file.clone(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                d["range"]["start"]["character"].as_u64().unwrap_or(0) + 1,
                d["code"].as_str().unwrap_or_default().to_owned(),
                message.lines().next().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn diagnostics_match_the_command_line_and_follow_edits_across_notes() {
    let (_dir, root) = workspace();
    let expected = cli_findings(&root);
    assert!(
        expected.len() > 5,
        "the bundled notes have findings: {expected:?}"
    );
    let mut client = Client::start(&root);
    client.sync();
    assert_eq!(sorted(server_findings(&client)), sorted(expected.clone()));

    // Codes carry the rule's docs page; related places come with their messages.
    let all: Vec<&Value> = client.diagnostics.values().flatten().collect();
    let stale = all
        .iter()
        .find(|d| d["code"] == "stale-claim")
        .expect("a stale claim in the bundled notes");
    let href = stale["codeDescription"]["href"]
        .as_str()
        .unwrap_or_default();
    assert!(href.ends_with("/docs/rules/stale-claim.md") || href.is_empty());
    assert_eq!(stale["source"], "notes-lint");

    // Open the note and cite a source defined nowhere: an unknown-reference appears.
    let note = root.join("notes/birds-eye-view.yaml");
    let text = std::fs::read_to_string(&note).expect("read");
    client.open(&note, &text);
    let edited = text.replacen("summary_of: pais-2", "summary_of: pais-9", 1);
    assert_ne!(edited, text, "the bundled note has `summary_of: pais-2`");
    client.change(&note, 2, &edited);
    let diagnostics = client.diagnostics_of(&note);
    let unknown: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "unknown-reference")
        .collect();
    assert!(
        unknown
            .iter()
            .any(|d| d["message"].as_str().is_some_and(|m| m.contains("pais-9"))),
        "{diagnostics:#?}"
    );
    // The buffer, not the disk, was linted: the file is unchanged.
    assert_eq!(std::fs::read_to_string(&note).expect("read"), text);

    // Back to the original text: the same findings as the command line again.
    client.change(&note, 3, &text);
    client.diagnostics_of(&note);
    client.sync();
    assert_eq!(sorted(server_findings(&client)), sorted(expected));
    client.shutdown();
}

#[test]
fn a_duplicate_in_another_note_is_found_from_the_buffer_with_its_related_place() {
    let (_dir, root) = workspace();
    let other = root.join("notes/other.yaml");
    let mut client = Client::start(&root);
    let text = "title: Other\nsources:\n  - {id: own-src, type: personal, title: Mine}\nsections:\n  - title: S\n    claims:\n      - text: Empirical ML research progresses through well-defined metrics and benchmarks in every subfield.\n        sources: [own-src]\n      - text: Empirical ML research progresses through well-defined metrics and benchmarks in every subfield.\n        sources: [own-src]\n";
    client.open(&other, text);
    let diagnostics = client.diagnostics_of(&other);
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "duplicate-claim")
        .unwrap_or_else(|| panic!("a duplicate-claim finding: {diagnostics:#?}"));
    let related = duplicate["relatedInformation"]
        .as_array()
        .expect("related information");
    assert!(
        related
            .iter()
            .any(|r| r["location"]["uri"] == json!(uri(&other))
                && r["location"]["range"]["start"]["line"] == 8),
        "{related:#?}"
    );
    client.shutdown();
}

#[test]
fn bad_input_never_stops_the_server() {
    let (_dir, root) = workspace();
    let mut client = Client::start_with(&root, &[("NOTES_LINT_LSP_TEST_PANIC", "1")]);

    // Garbage on stdin, then a body that is not JSON, then JSON that is not JSON-RPC.
    client.send_raw(b"\x00\xff\xfe garbage without headers\r\n\r\n");
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send(&json!({"id": 99, "what": "no method"}));
    let invalid = client.wait_for(|m| m["error"]["code"] == -32600);
    assert_eq!(invalid["id"], 99);

    // An unknown method is an error reply, not the end.
    let unknown = client.request("notes-lint/no-such-method", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    // A request about a file that does not exist.
    let missing = root.join("notes/missing.yaml");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&missing)}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");

    // A buffer of random bytes (as the editor would send them: lossy UTF-8).
    let junk_path = root.join("notes/junk.yaml");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..4000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    client.open(&junk_path, &String::from_utf8_lossy(&bytes));
    let junk = client.diagnostics_of(&junk_path);
    assert!(
        junk.iter()
            .any(|d| d["code"] == "syntax" || d["code"] == "schema"),
        "{junk:#?}"
    );

    // A panic inside one request is answered with an error; the next request works.
    let panicked = client.request("notes-lint/panic", json!({}));
    assert_eq!(panicked["error"]["code"], -32603, "{panicked}");
    let after = client.request("workspace/symbol", json!({"query": ""}));
    assert!(after.get("result").is_some(), "{after}");

    // A malformed notification and a file deleted while open.
    client.notify("textDocument/didOpen", json!({"textDocument": 5}));
    let note = root.join("notes/timeline.yaml");
    let text = std::fs::read_to_string(&note).expect("read");
    client.open(&note, &text);
    std::fs::remove_file(&note).expect("delete");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&note), "type": 3}]}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&note)}}),
    );
    client.sync();
    assert!(
        client
            .diagnostics
            .get(&uri(&note))
            .is_none_or(Vec::is_empty),
        "a deleted, closed file has no diagnostics left"
    );
    client.shutdown();
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_workspace_is_refused_and_its_target_never_read() {
    let (_dir, root) = workspace();
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "title: TOKEN-5f1e-SECRET\n").expect("write");
    let link = root.join("notes/linked.yaml");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    let mut client = Client::start(&root);
    let diagnostics = client.diagnostics_of(&link);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "syntax"
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("symbolic link"))),
        "{diagnostics:#?}"
    );
    let symbols = client.request("workspace/symbol", json!({"query": "TOKEN"}));
    assert!(symbols.get("result").is_some());
    let transcript = client.shutdown();
    assert!(
        transcript.iter().all(|m| !m.contains("5f1e")),
        "the target's text never appears in any message"
    );
}

#[test]
fn a_change_to_the_configuration_is_picked_up() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    client.sync();
    let count = |client: &Client, rule: &str| {
        client
            .diagnostics
            .values()
            .flatten()
            .filter(|d| d["code"] == rule)
            .count()
    };
    assert!(count(&client, "stale-claim") > 0);
    let config = root.join("notes-lint.toml");
    std::fs::write(&config, "[rules]\nstale-claim = \"off\"\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 1}]}),
    );
    client.sync();
    assert_eq!(count(&client, "stale-claim"), 0);
    std::fs::write(&config, "[rules]\nstale-claim = \"error\"\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    client.sync();
    let errors = client
        .diagnostics
        .values()
        .flatten()
        .filter(|d| d["code"] == "stale-claim")
        .map(|d| d["severity"].clone())
        .collect::<Vec<_>>();
    assert!(
        !errors.is_empty() && errors.iter().all(|s| *s == json!(1)),
        "{errors:?}"
    );
    client.shutdown();
}

#[test]
fn help_says_how_to_wire_it_up() {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
        .args(["lsp", "--help"])
        .current_dir(root())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for wanted in ["vim.lsp.start", "languages.toml", "VS Code", "stdin"] {
        assert!(text.contains(wanted), "{wanted} in:\n{text}");
    }
}

/// The byte offset of a protocol position (UTF-16 columns).
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap_or(0) as usize;
    let character = position["character"].as_u64().unwrap_or(0) as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with the protocol's text edits applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"]),
                offset_of(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

/// The 0-based line and UTF-16 column of the first `needle` after `after` in `text`.
fn find(text: &str, after: &str, needle: &str) -> Value {
    let from = text.find(after).expect("the anchor is in the text");
    let at = from
        + text[from..]
            .find(needle)
            .expect("the needle follows the anchor");
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The code actions offered for `diagnostic` in the file at `path`.
fn code_actions(client: &mut Client, path: &Path, diagnostic: &Value) -> Vec<Value> {
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(path)}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    answer["result"].as_array().cloned().unwrap_or_default()
}

fn at(path: &Path, position: Value) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": position})
}

#[test]
fn hover_navigation_rename_and_completion_on_the_bundled_notes() {
    let (_dir, root) = workspace();
    let note = root.join("notes/birds-eye-view.yaml");
    let timeline = root.join("notes/timeline.yaml");
    let text = std::fs::read_to_string(&note).expect("read");
    let mut client = Client::start(&root);

    // Hover on a claim: kind, dates, sources with locator, caveats, staleness and why.
    let hover = client.request(
        "textDocument/hover",
        at(&note, find(&text, "Empirical ML research", "research")),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    for wanted in [
        "**claim** `metrics-drive-progress`",
        "as of: 2022-05 (inherited)",
        "reviewed: never",
        "`pais-2` A Bird's Eye View of the ML Field",
        "Driving dynamics of the ML field",
        "the article was written in May 2022",
        "**stale-claim**: stale: last checked 2022-05",
    ] {
        assert!(shown.contains(wanted), "{wanted:?} in:\n{shown}");
    }
    // On a claim sensitive to an event: the event with its date, and why it is overtaken.
    let sensitive = find(&text, "sensitive_to: [gpt-4]", "gpt-4");
    let line = sensitive["line"].as_u64().unwrap_or(0);
    let claim_hover = client.request(
        "textDocument/hover",
        at(&note, json!({"line": line - 1, "character": 16})),
    );
    let shown = claim_hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("`gpt-4` (2023-03-14)"), "{shown}");
    assert!(
        shown.contains("**overtaken-by-event**: overtaken by `gpt-4`"),
        "{shown}"
    );

    // Hover on an id: its definition.
    let hover = client.request(
        "textDocument/hover",
        at(&note, find(&text, "summary_of: pais-2", "pais-2")),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown.starts_with("**source** `pais-2`: A Bird's Eye View"),
        "{shown}"
    );
    assert!(shown.contains("- published: 2022-05"), "{shown}");

    // Definition of an event defined in another note.
    let definition = client.request("textDocument/definition", at(&note, sensitive.clone()));
    let locations = definition["result"].as_array().expect("locations");
    let timeline_text = std::fs::read_to_string(&timeline).expect("read");
    assert_eq!(locations.len(), 1, "{definition}");
    assert_eq!(locations[0]["uri"], json!(uri(&timeline)));
    assert_eq!(
        locations[0]["range"]["start"],
        find(&timeline_text, "  - id: gpt-4\n", "gpt-4")
    );

    // References: every citation of the event across notes, and the definition.
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&note)}, "position": sensitive, "context": {"includeDeclaration": true}}),
    );
    let found = references["result"].as_array().expect("locations");
    let expected = [&text, &timeline_text]
        .iter()
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(|l| {
                    l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .filter(|w| *w == "gpt-4")
                        .count()
                })
                .sum::<usize>()
        })
        .sum::<usize>();
    assert!(expected >= 3);
    assert_eq!(found.len(), expected, "{references}");

    // Rename the event everywhere: the notes lint exactly as before.
    let before = cli_findings(&root).len();
    let rename = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri(&note)}, "position": find(&text, "sensitive_to: [gpt-4]", "gpt-4"), "newName": "gpt-4-release"}),
    );
    let changes = rename["result"]["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 2, "both notes change: {rename}");
    for (file_uri, edits) in changes {
        let path = PathBuf::from(file_uri.trim_start_matches("file://"));
        let old = std::fs::read_to_string(&path).expect("read");
        let new = apply(&old, edits.as_array().expect("edits"));
        assert!(!new.contains("[gpt-4]") && new.contains("gpt-4-release"));
        std::fs::write(&path, new).expect("write");
    }
    let after: Vec<_> = cli_findings(&root);
    assert_eq!(after.len(), before);
    assert!(
        after.iter().all(|f| f.3 != "unknown-reference"),
        "{after:?}"
    );
    let bad = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri(&note)}, "position": find(&text, "summary_of: pais-2", "pais-2"), "newName": "Not An Id"}),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    // Completion of ids where ids go, with their titles and dates; keys where keys go.
    let draft = root.join("notes/draft.yaml");
    let draft_text = "title: Draft\nsections:\n  - title: S\n    claims:\n      - text: A claim.\n        sensitive_to: [\n";
    client.open(&draft, draft_text);
    let completion = client.request(
        "textDocument/completion",
        at(&draft, json!({"line": 5, "character": 23})),
    );
    let items = completion["result"].as_array().expect("items");
    let chatgpt = items
        .iter()
        .find(|i| i["label"] == "chatgpt")
        .unwrap_or_else(|| panic!("chatgpt in {completion}"));
    assert!(
        chatgpt["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("2022-11-30: "))
    );
    let keys = client.request(
        "textDocument/completion",
        at(&draft, json!({"line": 5, "character": 8})),
    );
    let labels: Vec<&str> = keys["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    for key in [
        "text",
        "sources",
        "as_of",
        "sensitive_to",
        "children",
        "allow",
    ] {
        assert!(labels.contains(&key), "{key} in {labels:?}");
    }
    assert!(!labels.contains(&"claims"), "claim keys only: {labels:?}");

    // Symbols: sections and claims of the note; claims and sources across notes.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&note)}}),
    );
    let sections = symbols["result"].as_array().expect("symbols");
    assert_eq!(sections[0]["name"], "Driving dynamics of the ML field");
    assert!(
        sections[0]["children"][0]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Empirical ML research"))
    );
    let found = client.request("workspace/symbol", json!({"query": "scaling laws"}));
    assert!(
        found["result"]
            .as_array()
            .expect("symbols")
            .iter()
            .any(|s| s["name"] == "source kaplan-2020-scaling-laws"),
        "{found}"
    );
    client.shutdown();
}

#[test]
fn code_actions_apply_the_fix_or_allow_the_rule_with_a_reason() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    let path = root.join("notes/mine.yaml");
    let text = "title: Mine\nsections:\n  - title: S\n    claims:\n      - text: Models are trained on text.\n        sources: [pais-3]\n      - text: TODO\n        sources: [pais-2]\n";
    client.open(&path, text);
    let diagnostics = client.diagnostics_of(&path);
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "unknown-reference")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let actions = code_actions(&mut client, &path, &unknown);
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a fix among {actions:#?}"));
    let edits = fix["edit"]["changes"][uri(&path)]
        .as_array()
        .expect("edits");
    let fixed = apply(text, edits);
    assert!(
        fixed.contains("sources: [pais-2]\n      - text: TODO"),
        "{fixed}"
    );
    client.change(&path, 2, &fixed);
    let diagnostics = client.diagnostics_of(&path);
    assert!(diagnostics.iter().all(|d| d["code"] != "unknown-reference"));

    // Allow the placeholder finding on its claim, with a reason to write.
    let placeholder = diagnostics
        .iter()
        .find(|d| d["code"] == "placeholder")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let allow = code_actions(&mut client, &path, &placeholder)
        .into_iter()
        .find(|a| a["title"] == "allow `placeholder` here (with a reason)")
        .expect("an allow action for the placeholder finding");
    let edits = allow["edit"]["changes"][uri(&path)]
        .as_array()
        .expect("edits");
    let allowed = apply(&fixed, edits);
    assert!(
        allowed.ends_with("      - text: TODO\n        sources: [pais-2]\n        allow:\n          - {rule: placeholder, reason: \"TODO: why this finding does not apply here\"}\n"),
        "{allowed}"
    );
    client.change(&path, 3, &allowed);
    let diagnostics = client.diagnostics_of(&path);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "placeholder"
            && d["code"] != "unused-suppression"
            && d["code"] != "schema"),
        "{diagnostics:#?}"
    );
    client.shutdown();
}

#[test]
fn a_stale_or_overtaken_finding_offers_to_mark_it_reviewed_today() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    let path = root.join("notes/dated.yaml");
    // Stale under the note's as_of; nothing else to report.
    let text = "title: Dated\nas_of: 2020-01\nsources:\n  - {id: s, type: article, title: S, url: \"https://example.org/s\"}\nsections:\n  - title: S\n    claims:\n      - text: A claim about the field.\n        sources: [s]\n";
    client.open(&path, text);
    let diagnostics = client.diagnostics_of(&path);
    let stale = diagnostics
        .iter()
        .find(|d| d["code"] == "stale-claim")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let title = format!("mark as reviewed today ({TODAY})");
    let mark = code_actions(&mut client, &path, &stale)
        .into_iter()
        .find(|a| a["title"] == title.as_str())
        .expect("a mark-as-reviewed action for the stale finding");
    let edits = mark["edit"]["changes"][uri(&path)]
        .as_array()
        .expect("edits");
    let marked = apply(text, edits);
    assert!(marked.contains(&format!("reviewed: {TODAY}")), "{marked}");
    // Only the one line is added; everything else is as it was.
    assert_eq!(marked.lines().count(), text.lines().count() + 1, "{marked}");
    client.change(&path, 2, &marked);
    let diagnostics = client.diagnostics_of(&path);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "stale-claim"),
        "{diagnostics:#?}"
    );
    // A finding that is not about staleness offers no such action.
    client.change(
        &path,
        3,
        &marked.replace("A claim about the field.", "TODO"),
    );
    let diagnostics = client.diagnostics_of(&path);
    let placeholder = diagnostics
        .iter()
        .find(|d| d["code"] == "placeholder")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    assert!(
        code_actions(&mut client, &path, &placeholder)
            .iter()
            .all(|a| !a["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("mark as reviewed"))
    );
    client.shutdown();
}

#[test]
fn files_outside_the_notes_folder_are_left_alone() {
    let (_dir, root) = workspace();
    let mut client = Client::start(&root);
    let schema = root.join("schema.json");
    client.open(&schema, "{\"type\": \"object\"}");
    let note = root.join("notes/new.yaml");
    client.open(&note, "title: New\nsections: 5\n");
    let diagnostics = client.diagnostics_of(&note);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "schema"),
        "{diagnostics:#?}"
    );
    assert!(!client.diagnostics.contains_key(&uri(&schema)));
    client.shutdown();
}

/// Small notes of the test's own: `a.yaml` defines a source that only `b.yaml` cites;
/// `c.yaml` shares no id with either.
fn two_notes() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::create_dir(root.join("notes")).expect("mkdir");
    let a = root.join("notes/a.yaml");
    let b = root.join("notes/b.yaml");
    std::fs::write(&a, NOTE_A).expect("write");
    std::fs::write(&b, NOTE_B).expect("write");
    std::fs::write(root.join("notes/c.yaml"), NOTE_C).expect("write");
    (dir, root, a, b)
}

const NOTE_A: &str = "\
title: Lamps
as_of: \"2026-10\"
sources:
  - {id: lamp-survey, type: personal, title: A survey of desk lamps}
  - {id: own-a, type: personal, title: Notes on lamps}
sections:
  - title: Light
    claims:
      - text: Warm desk lamps make late reading easier on the eyes of most readers.
        sources: [own-a]
";

const NOTE_B: &str = "\
title: Desks
as_of: \"2026-10\"
sources:
  - {id: own-b, type: personal, title: Notes on desks}
sections:
  - title: Height
    claims:
      - text: A desk at elbow height suits long writing sessions for most people.
        sources: [lamp-survey]
      - text: Standing desks are used less after the first month by most buyers.
        sources: [own-b]
";

const NOTE_C: &str = "\
title: Chairs
as_of: \"2026-10\"
sources:
  - {id: own-c, type: personal, title: Notes on chairs}
sections:
  - title: Backs
    claims:
      - text: Chairs with a firm back keep long readers from slouching by evening.
        sources: [own-c]
";

/// `NOTE_B` with its first claim a placeholder.
fn placeholder_b() -> String {
    NOTE_B.replace(
        "A desk at elbow height suits long writing sessions for most people.",
        "\"TODO: the desks' height.\"",
    )
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    sorted(
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
            .collect(),
    )
}

/// Sends `text` as the buffer of `path` and writes it to disk too, so the command line
/// sees what the server sees.
fn edit(client: &mut Client, path: &Path, version: i64, text: &str) {
    std::fs::write(path, text).expect("write");
    client.change(path, version, text);
}

#[test]
fn an_edit_that_makes_and_unmakes_a_cross_note_finding_updates_both_notes() {
    let (_dir, root, a, b) = two_notes();
    let mut client = Client::start(&root);
    client.sync();
    assert_eq!(cli_findings(&root), Vec::new(), "the two notes start clean");
    assert_eq!(server_findings(&client), Vec::new());
    let before_a = codes(
        &client
            .diagnostics
            .get(&uri(&a))
            .cloned()
            .unwrap_or_default(),
    );
    assert!(
        !before_a.contains(&"unused-definition".to_owned()),
        "{before_a:?}"
    );

    // An edit of `a` that leaves its definitions alone: its fresh diagnostics know that
    // `b` cites `lamp-survey`, though `b` was not re-checked as a whole.
    client.open(&a, NOTE_A);
    let placeholder = NOTE_A.replace(
        "Warm desk lamps make late reading easier on the eyes of most readers.",
        "\"TODO: the lamps' effect on late reading.\"",
    );
    edit(&mut client, &a, 2, &placeholder);
    let fresh =
        codes(&client.diagnostics_until(&a, |d| d.iter().any(|d| d["code"] == "placeholder")));
    assert!(
        !fresh.contains(&"unused-definition".to_owned()),
        "{fresh:?}"
    );
    client.sync();
    assert_eq!(
        sorted(server_findings(&client)),
        sorted(cli_findings(&root))
    );

    // `a` repeats the claim of `c` word for word: the duplicate is in its fresh
    // diagnostics, published before the answer to the next request.
    let repeating = NOTE_A.replace(
        "Warm desk lamps make late reading easier on the eyes of most readers.",
        "Chairs with a firm back keep long readers from slouching by evening.",
    );
    edit(&mut client, &a, 3, &repeating);
    client.request("workspace/symbol", json!({"query": "zz"}));
    let fresh = codes(&client.diagnostics[&uri(&a)]);
    assert!(fresh.contains(&"duplicate-claim".to_owned()), "{fresh:?}");
    client.sync();
    assert_eq!(
        sorted(server_findings(&client)),
        sorted(cli_findings(&root))
    );
    edit(&mut client, &a, 4, NOTE_A);

    // `b` repeats the claim of `a`: a duplicate across the two notes.
    client.sync();
    client.open(&b, NOTE_B);
    let repeated = NOTE_B.replace(
        "Standing desks are used less after the first month by most buyers.",
        "Warm desk lamps make late reading easier on the eyes of most readers.",
    );
    edit(&mut client, &b, 2, &repeated);
    client.sync();
    let expected = cli_findings(&root);
    assert!(
        expected.iter().any(|f| f.3 == "duplicate-claim"),
        "the command line sees the duplicate: {expected:?}"
    );
    assert_eq!(sorted(server_findings(&client)), sorted(expected));

    // And takes it back: both notes are as they were.
    edit(&mut client, &b, 3, NOTE_B);
    client.sync();
    let expected = cli_findings(&root);
    assert!(
        !expected.iter().any(|f| f.3 == "duplicate-claim"),
        "{expected:?}"
    );
    assert_eq!(sorted(server_findings(&client)), sorted(expected));

    // `b` stops citing the source `a` defines: `a`, not edited, gets `unused-definition`
    // once things settle, and loses it when the citation comes back.
    let uncited = NOTE_B.replace("sources: [lamp-survey]", "sources: [own-b]");
    edit(&mut client, &b, 4, &uncited);
    client.sync();
    let diagnostics_a = codes(&client.diagnostics[&uri(&a)]);
    assert!(
        diagnostics_a.contains(&"unused-definition".to_owned()),
        "{diagnostics_a:?}"
    );
    assert_eq!(
        sorted(server_findings(&client)),
        sorted(cli_findings(&root))
    );
    edit(&mut client, &b, 5, NOTE_B);
    client.sync();
    let diagnostics_a = codes(
        &client
            .diagnostics
            .get(&uri(&a))
            .cloned()
            .unwrap_or_default(),
    );
    assert_eq!(diagnostics_a, before_a);
    assert_eq!(
        sorted(server_findings(&client)),
        sorted(cli_findings(&root))
    );
    client.shutdown();
}

#[test]
fn the_whole_check_comes_by_itself_once_the_edits_pause() {
    let (_dir, root, a, b) = two_notes();
    let mut client = Client::start(&root);
    client.sync();
    client.open(&b, NOTE_B);
    client.change(
        &b,
        2,
        &NOTE_B.replace("sources: [lamp-survey]", "sources: [own-b]"),
    );
    // No request: the server publishes `a` again on its own.
    let diagnostics =
        client.diagnostics_until(&a, |d| d.iter().any(|d| d["code"] == "unused-definition"));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("lamp-survey")),
        "{diagnostics:#?}"
    );
    client.shutdown();
}

#[test]
fn files_changed_on_disk_are_picked_up_through_the_client_or_a_watcher_of_its_own() {
    let has_placeholder = |d: &[Value]| d.iter().any(|d| d["code"] == "placeholder");
    // A client that watches files for the server says what changed.
    let (_dir, root, _a, b) = two_notes();
    let mut client = Client::start(&root);
    client.sync();
    std::fs::write(&b, placeholder_b()).expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&b), "type": 2}]}),
    );
    client.diagnostics_until(&b, has_placeholder);
    client.shutdown();

    // A client that does not: the server watches the folder itself, and sees a file
    // written, then a new file created, then one deleted.
    let (_dir, root, a, b) = two_notes();
    let mut client = Client::start_as(&root, &[], json!({}));
    client.sync();
    std::fs::write(&b, placeholder_b()).expect("write");
    client.diagnostics_until(&b, has_placeholder);
    let d = root.join("notes/d.yaml");
    std::fs::write(&d, "title: D\nsections: 5\n").expect("write");
    client.diagnostics_until(&d, |d| d.iter().any(|d| d["code"] == "schema"));
    // `b` alone cites `lamp-survey`: deleting it leaves the source unused.
    std::fs::remove_file(&b).expect("remove");
    client.diagnostics_until(&a, |d| d.iter().any(|d| d["code"] == "unused-definition"));
    client.sync();
    assert_eq!(
        sorted(server_findings(&client)),
        sorted(cli_findings(&root))
    );
    client.shutdown();
}
