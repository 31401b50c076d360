//! The message loop: reads messages, keeps the workspace up to date, answers requests
//! and publishes diagnostics.

use std::io::BufReader;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::Request as _;
use lsp_types::{
    FileChangeType, InitializeParams, InitializeResult, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};
use serde_json::Value;

use super::convert::path_of;
use super::transport::{self, Incoming};
use super::workspace::{Checked, Settings, Workspace};

/// Set to `1` in the environment, the server answers the request `notes-lint/panic`
/// by panicking, so tests can check that a panic costs one request, not the session.
const PANIC_FOR_TESTS: &str = "NOTES_LINT_LSP_TEST_PANIC";

/// The request that answers once every file's diagnostics are those of a whole check
/// of the workspace as it is (running that check at once when one is due).
const SETTLE: &str = "notes-lint/settle";

/// How long the edits must pause before the whole workspace is checked again.
const SETTLE_AFTER: Duration = Duration::from_millis(250);

/// What the message loop waits for.
enum Event {
    /// A message from the client.
    Incoming(Incoming),
    /// The client's input ended.
    Closed,
    /// A whole check ended (`None`: it panicked).
    Checked(Option<Checked>),
    /// Files changed on disk, as the fallback watcher saw them.
    Disk(Vec<(PathBuf, FileChangeType)>),
}

struct Server {
    output: std::io::Stdout,
    settings: Settings,
    workspace: Option<Workspace>,
    /// Buffers edited since the last lint, with their newest text.
    pending: Vec<(PathBuf, String)>,
    shutdown: bool,
    panic_for_tests: bool,
    watch_registered: bool,
    can_register_watchers: bool,
    /// Where the threads of whole checks and the watcher send their news.
    events: mpsc::Sender<Event>,
    /// Whether a whole check is running on its thread.
    checking: bool,
    /// The one thread whole checks run on, so the edits' own checks keep a core.
    check_threads: Option<Arc<rayon::ThreadPool>>,
    /// The file watcher, when the client does not watch files for the server.
    watcher: Option<notify::RecommendedWatcher>,
}

/// Serves until the input ends or the client sends `exit`; true when that came after
/// `shutdown`, as the protocol asks.
pub fn serve(settings: Settings) -> bool {
    let (sender, receiver) = mpsc::channel::<Event>();
    let input = sender.clone();
    // The reader blocks on stdin; it is not joined: when the loop ends the process exits.
    let reader = std::thread::Builder::new()
        .name("notes-lint-lsp-reader".to_owned())
        .spawn(move || {
            let mut stdin = BufReader::new(std::io::stdin().lock());
            while let Ok(Some(incoming)) = transport::read(&mut stdin) {
                if input.send(Event::Incoming(incoming)).is_err() {
                    return;
                }
            }
            let _ = input.send(Event::Closed);
        });
    if let Err(e) = reader {
        eprintln!("notes-lint lsp: cannot start the reader thread: {e}");
        return false;
    }
    let check_threads = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .stack_size(16 * 1024 * 1024)
        .thread_name(|_| "notes-lint-lsp-check".to_owned())
        .build()
        .ok()
        .map(Arc::new);
    let mut server = Server {
        output: std::io::stdout(),
        settings,
        workspace: None,
        pending: Vec::new(),
        shutdown: false,
        panic_for_tests: std::env::var_os(PANIC_FOR_TESTS).is_some_and(|v| v == "1"),
        watch_registered: false,
        can_register_watchers: false,
        events: sender,
        checking: false,
        check_threads,
        watcher: None,
    };
    loop {
        let event = match receiver.try_recv() {
            Ok(event) => event,
            Err(mpsc::TryRecvError::Empty) => {
                // Nothing waiting: lint what the edits so far changed and publish.
                server.guarded("lint", Server::flush_and_publish);
                let waited = if server.check_due() {
                    receiver.recv_timeout(SETTLE_AFTER)
                } else {
                    receiver
                        .recv()
                        .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
                };
                match waited {
                    Ok(event) => event,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        server.start_check();
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return false,
                }
            }
            Err(mpsc::TryRecvError::Disconnected) => return false,
        };
        let incoming = match event {
            Event::Incoming(incoming) => incoming,
            Event::Closed => return false,
            Event::Checked(checked) => {
                server.guarded("a whole check", |s| s.checked(checked));
                continue;
            }
            Event::Disk(changes) => {
                server.guarded("a change on disk", |s| s.disk_changed(&changes));
                continue;
            }
        };
        match incoming {
            Incoming::Malformed { reason, code, id } => {
                eprintln!("notes-lint lsp: {reason}");
                let mut out = server.output.lock();
                if let Err(e) = transport::write_malformed(&mut out, &reason, code, id) {
                    eprintln!("notes-lint lsp: cannot write: {e}");
                    return false;
                }
            }
            Incoming::Message(Message::Request(request)) => server.request(request),
            Incoming::Message(Message::Notification(notification)) => {
                if notification.method == "exit" {
                    return server.shutdown;
                }
                let method = notification.method.clone();
                server.guarded(&method, |s| s.notification(notification));
            }
            // The server sends only registrations; their replies need no action.
            Incoming::Message(Message::Response(_)) => {}
        }
    }
}

impl Server {
    fn send(&self, message: impl Into<Message>) {
        let mut out = self.output.lock();
        if let Err(e) = transport::write(&mut out, message.into()) {
            eprintln!("notes-lint lsp: cannot write: {e}");
        }
    }

    fn log(&self, message: &str) {
        eprintln!("notes-lint lsp: {message}");
        self.send(Notification::new(
            "window/logMessage".to_owned(),
            serde_json::json!({"type": 1, "message": message}),
        ));
    }

    /// Runs `f`; a panic in it is logged and the workspace is rebuilt from scratch,
    /// since the panic may have left it half updated.
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut Server)) {
        if catch_unwind(AssertUnwindSafe(|| f(self))).is_err() {
            self.log(&format!(
                "internal error while handling `{what}`; rebuilding"
            ));
            self.rebuild();
        }
    }

    /// Reads the workspace again from scratch, after a panic may have left it half
    /// updated.
    fn rebuild(&mut self) {
        self.pending.clear();
        if let Some(workspace) = &mut self.workspace
            && catch_unwind(AssertUnwindSafe(|| workspace.rescan())).is_err()
        {
            self.log("internal error while rebuilding the workspace");
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let method = request.method.clone();
        if self.shutdown {
            self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ));
            return;
        }
        if self.workspace.is_none() && method != lsp_types::request::Initialize::METHOD {
            self.send(Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".to_owned(),
            ));
            return;
        }
        let answer = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        let response = match answer {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => {
                self.log(&format!(
                    "internal error while answering `{method}`; rebuilding"
                ));
                self.rebuild();
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("internal error while answering `{method}`; see the server's log"),
                )
            }
        };
        self.send(response);
    }

    fn answer(&mut self, request: Request) -> Result<Value, (ErrorCode, String)> {
        use lsp_types::request as r;
        let Request { method, params, .. } = request;
        match method.as_str() {
            r::Initialize::METHOD => self.initialize(params),
            r::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "notes-lint/panic" if self.panic_for_tests => {
                panic!("a panic on request, for tests")
            }
            SETTLE => {
                self.flush_and_publish();
                if let Some(workspace) = &mut self.workspace
                    && let Some(check) = workspace.whole_check()
                {
                    workspace.apply(check.run(None));
                }
                self.publish();
                Ok(Value::Null)
            }
            _ => {
                // Diagnostics of earlier edits go out before the answer, so a client
                // that waits for an answer has seen them.
                self.flush_and_publish();
                let workspace = self.workspace.as_ref().ok_or((
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized yet".to_owned(),
                ))?;
                super::features::answer(workspace, &method, params)
            }
        }
    }

    fn initialize(&mut self, params: Value) -> Result<Value, (ErrorCode, String)> {
        if self.workspace.is_some() {
            return Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_owned(),
            ));
        }
        let params: InitializeParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))?;
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .and_then(|folder| path_of(&folder.uri))
            .or_else(|| params.root_uri.as_ref().and_then(path_of))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        self.can_register_watchers = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let workspace = Workspace::new(root, self.settings.clone());
        if let Some(error) = &workspace.config_error {
            self.log(error);
        }
        self.workspace = Some(workspace);
        let result = InitializeResult {
            capabilities: super::features::capabilities(ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::FULL,
                )),
                ..ServerCapabilities::default()
            }),
            server_info: Some(ServerInfo {
                name: "notes-lint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            "initialized" => {
                self.register_watchers();
                if !self.can_register_watchers {
                    self.watch();
                }
                self.publish();
            }
            DidOpenTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidOpenTextDocumentParams>(params) {
                    self.buffer_changed(&p.text_document.uri, p.text_document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidChangeTextDocumentParams>(params)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.buffer_changed(&p.text_document.uri, change.text);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidCloseTextDocumentParams>(params)
                    && let Some(path) = path_of(&p.text_document.uri)
                {
                    self.flush();
                    if let Some(workspace) = &mut self.workspace {
                        workspace.close_buffer(&path);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidSaveTextDocumentParams>(params)
                    && let Some(path) = path_of(&p.text_document.uri)
                {
                    self.disk_changed(&[(path, FileChangeType::CHANGED)]);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = self.params::<lsp_types::DidChangeWatchedFilesParams>(params) {
                    let changes: Vec<(PathBuf, FileChangeType)> = p
                        .changes
                        .into_iter()
                        .filter_map(|c| Some((path_of(&c.uri)?, c.typ)))
                        .collect();
                    self.disk_changed(&changes);
                }
            }
            // Other notifications ($/cancelRequest, $/setTrace, ...) need nothing.
            _ => {}
        }
    }

    fn params<T: serde::de::DeserializeOwned>(&self, params: Value) -> Option<T> {
        match serde_json::from_value(params) {
            Ok(params) => Some(params),
            Err(e) => {
                self.log(&format!(
                    "ignored a notification with invalid parameters: {e}"
                ));
                None
            }
        }
    }

    /// Whether the whole workspace is to be checked once the edits pause.
    fn check_due(&self) -> bool {
        !self.checking && self.workspace.as_ref().is_some_and(|w| !w.is_settled())
    }

    /// Starts a whole check of the workspace as it is now, on its own thread.
    fn start_check(&mut self) {
        let Some(check) = self.workspace.as_ref().and_then(Workspace::whole_check) else {
            return;
        };
        let events = self.events.clone();
        let threads = self.check_threads.clone();
        let spawned = std::thread::Builder::new()
            .name("notes-lint-lsp-whole-check".to_owned())
            .stack_size(16 * 1024 * 1024)
            .spawn(move || {
                let checked = catch_unwind(AssertUnwindSafe(|| check.run(threads.as_deref())));
                let _ = events.send(Event::Checked(checked.ok()));
            });
        match spawned {
            Ok(_) => self.checking = true,
            Err(e) => self.log(&format!("cannot start a whole check: {e}")),
        }
    }

    /// A whole check ended: its findings replace the ones it covers, unless the files
    /// changed since it started (then another is due).
    fn checked(&mut self, checked: Option<Checked>) {
        self.checking = false;
        match checked {
            Some(checked) => {
                if let Some(workspace) = &mut self.workspace {
                    workspace.apply(checked);
                }
                self.publish();
            }
            None => {
                self.log("internal error in a whole check; rebuilding");
                self.rebuild();
                self.publish();
            }
        }
    }

    /// Watches the notes folder and the configuration on disk, for a client that does
    /// not watch files for the server.
    fn watch(&mut self) {
        let Some(workspace) = &self.workspace else {
            return;
        };
        let events = self.events.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            use notify::EventKind;
            use notify::event::ModifyKind;
            let typ = match event.kind {
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)) => {
                    FileChangeType::CREATED
                }
                EventKind::Remove(_) => FileChangeType::DELETED,
                EventKind::Modify(_) => FileChangeType::CHANGED,
                _ => return,
            };
            let changes = event.paths.into_iter().map(|path| (path, typ)).collect();
            let _ = events.send(Event::Disk(changes));
        };
        let mut watcher = match notify::recommended_watcher(handler) {
            Ok(watcher) => watcher,
            Err(e) => {
                self.log(&format!("cannot watch the files on disk: {e}"));
                return;
            }
        };
        use notify::{RecursiveMode, Watcher as _};
        let mut folders = vec![
            (workspace.notes_dir(), RecursiveMode::Recursive),
            (workspace.root().to_path_buf(), RecursiveMode::NonRecursive),
        ];
        if let Some(dir) = workspace.config_path.as_deref().and_then(Path::parent) {
            folders.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
        folders.dedup_by(|a, b| a.0 == b.0);
        for (folder, mode) in folders {
            if let Err(e) = watcher.watch(&folder, mode) {
                self.log(&format!("cannot watch {}: {e}", folder.display()));
            }
        }
        self.watcher = Some(watcher);
    }

    fn buffer_changed(&mut self, uri: &Url, text: String) {
        let Some(path) = path_of(uri) else {
            return;
        };
        let Some(workspace) = &self.workspace else {
            return;
        };
        if workspace.is_config(&path) {
            // The configuration is read from disk; a buffer counts once it is saved.
            return;
        }
        if workspace.covers(&path) {
            self.pending.retain(|(p, _)| *p != path);
            self.pending.push((path, text));
        }
    }

    fn disk_changed(&mut self, changes: &[(PathBuf, FileChangeType)]) {
        self.flush();
        let Some(workspace) = &mut self.workspace else {
            return;
        };
        if changes.iter().any(|(path, _)| workspace.is_config(path)) {
            workspace.rescan();
            if let Some(error) = workspace.config_error.clone() {
                self.log(&error);
            }
            return;
        }
        let notes: Vec<&(PathBuf, FileChangeType)> = changes
            .iter()
            .filter(|(path, _)| workspace.covers(path) && !workspace.is_open(path))
            .collect();
        let created_or_deleted = notes.iter().any(|(_, t)| *t != FileChangeType::CHANGED);
        let paths: Vec<PathBuf> = notes.into_iter().map(|(p, _)| p.clone()).collect();
        if !paths.is_empty() {
            workspace.disk_changed(&paths, created_or_deleted);
        }
    }

    /// Lints the buffers edited since the last lint.
    fn flush(&mut self) {
        if let Some(workspace) = &mut self.workspace
            && !self.pending.is_empty()
        {
            workspace.set_buffers(std::mem::take(&mut self.pending));
        }
    }

    fn flush_and_publish(&mut self) {
        self.flush();
        self.publish();
    }

    fn publish(&mut self) {
        let Some(workspace) = &mut self.workspace else {
            return;
        };
        for (uri, diagnostics) in workspace.diagnostics_to_publish() {
            self.send(Notification::new(
                PublishDiagnostics::METHOD.to_owned(),
                PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version: None,
                },
            ));
        }
    }

    /// Asks the client to report changes to note files and the configuration.
    fn register_watchers(&mut self) {
        if !self.can_register_watchers || self.watch_registered {
            return;
        }
        self.watch_registered = true;
        let watchers: Vec<Value> = ["**/*.yaml", "**/*.yml", "**/*.json", "**/notes-lint.toml"]
            .iter()
            .map(|glob| serde_json::json!({"globPattern": glob}))
            .collect();
        let registration = serde_json::json!({"registrations": [{
            "id": "notes-lint-watch",
            "method": DidChangeWatchedFiles::METHOD,
            "registerOptions": {"watchers": watchers},
        }]});
        self.send(Request::new(
            RequestId::from("notes-lint-watch".to_owned()),
            lsp_types::request::RegisterCapability::METHOD.to_owned(),
            registration,
        ));
    }
}
