//! `roadlint server`: a language server over stdio.
//!
//! Built on `lsp-server` and `lsp-types`, the synchronous crates ruff's
//! server started from: linting a roadmap takes milliseconds, so one thread
//! that reads a message, coalesces the edits already queued behind it, lints
//! and publishes is simpler than an async runtime and never falls behind.
//! The history scan is the one slow job: it runs in a thread of its own on
//! save, and its facts are reused for every edit until the next save.
//!
//! The open buffers overlay the files on disk ([`workspace`]); every lint
//! runs the same pipeline as `roadlint check` (`lint::lint_selected`), and
//! the server publishes diagnostics for each file whose diagnostics changed.
//! It never writes to disk.

mod actions;
mod convert;
mod frames;
mod hover;
mod position;
mod workspace;

pub use position::LineIndex;

use crate::calendar::Date;
use crate::facts::Facts;
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Exit, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionProviderCapability,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use workspace::{Analysis, Workspace};

/// Scans the history of the repository at the path, as of the date: the
/// facts the history rules judge, `None` when there is no history to scan
/// (no repository, no commits, no history rule enabled).
pub type HistoryScan = Arc<dyn Fn(&Path, Date) -> Result<Option<Facts>, String> + Send + Sync>;

/// How the server runs.
#[derive(Clone, Default)]
pub struct Options {
    /// The date rules judge as of (default: the client's
    /// `initializationOptions.today`, else today, UTC).
    pub today: Option<Date>,
    /// How to scan the history on save; without it history rules do not run.
    pub history: Option<HistoryScan>,
}

/// Why the server stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client broke the protocol before or during initialization.
    #[error("language server protocol error: {0}")]
    Protocol(String),
}

/// Serve on standard input and output until `exit` or the end of input.
/// Returns whether the client shut the server down properly (`shutdown`
/// before `exit`, or standard input closed).
///
/// Messages are read by [`frames`]: a malformed one is answered with a
/// JSON-RPC error and the server keeps serving.
pub fn serve_stdio(options: Options) -> Result<bool, ServerError> {
    let (to_server, receiver) = crossbeam_channel::bounded::<Message>(0);
    let (sender, from_server) = crossbeam_channel::bounded::<Message>(0);
    let (errors_tx, errors_rx) = crossbeam_channel::unbounded::<serde_json::Value>();
    let writer = std::thread::spawn(move || write_stdout(&from_server, &errors_rx));
    // The reader is not joined: it may be blocked on standard input when
    // the server stops; the process ends with the server.
    std::thread::spawn(move || read_stdin(&to_server, &errors_tx));
    let connection = Connection { sender, receiver };
    let result = serve(&connection, options);
    drop(connection);
    let _ = writer.join();
    result
}

/// The messages a byte stream from a client holds, as [`serve_stdio`] reads
/// them: each well-formed message, or the JSON-RPC error response that
/// answers a malformed one. For fuzzing and tests of the framing.
pub fn read_frames(input: &[u8]) -> Vec<Result<Message, serde_json::Value>> {
    let mut reader = std::io::BufReader::new(input);
    let mut out = Vec::new();
    loop {
        match frames::read_frame(&mut reader) {
            Ok(frames::Frame::Message(m)) => out.push(Ok(m)),
            Ok(frames::Frame::Malformed(answer)) => out.push(Err(answer)),
            Ok(frames::Frame::End) | Err(_) => return out,
        }
    }
}

/// Serve, in memory, the client messages framed in `input` (as on stdio)
/// for the workspace at `root`: an `initialize` first, then each message
/// (a URI under `file:///w/` is taken to be under `root`), then `shutdown`
/// and `exit`. Returns whether the server ended cleanly and everything it
/// answered, as JSON, the error answers of malformed frames first. For
/// fuzzing the message handling.
pub fn replay(
    input: &[u8],
    root: &Path,
    options: Options,
) -> Result<(bool, Vec<serde_json::Value>), ServerError> {
    let root_uri = Url::from_directory_path(root)
        .map_err(|()| ServerError::Protocol(format!("{} is not absolute", root.display())))?;
    let (server_end, client) = Connection::memory();
    let queue = |m: Message| client.sender.send(m).is_ok();
    let id = |s: &str| RequestId::from(s.to_string());
    let init = serde_json::json!({ "rootUri": root_uri, "capabilities": {} });
    queue(Request::new(id("replay-initialize"), "initialize".into(), init).into());
    queue(Notification::new("initialized".into(), serde_json::json!({})).into());
    let mut answers = Vec::new();
    for frame in read_frames(input) {
        match frame {
            Ok(m) => {
                let text = serde_json::to_string(&m).unwrap_or_default();
                let text = text.replace("file:///w/", root_uri.as_str());
                if let Ok(m) = serde_json::from_str::<Message>(&text) {
                    queue(m);
                }
            }
            Err(answer) => answers.push(answer),
        }
    }
    queue(
        Request::new(
            id("replay-shutdown"),
            "shutdown".into(),
            serde_json::Value::Null,
        )
        .into(),
    );
    queue(Notification::new(Exit::METHOD.into(), serde_json::Value::Null).into());
    let clean = serve(&server_end, options)?;
    drop(server_end);
    answers.extend(
        client
            .receiver
            .try_iter()
            .filter_map(|m| serde_json::to_value(m).ok()),
    );
    Ok((clean, answers))
}

/// Forward the messages on standard input to the server, and the answers
/// to malformed ones to the writer, until the input ends or `exit` comes.
fn read_stdin(to_server: &Sender<Message>, errors: &Sender<serde_json::Value>) {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        match frames::read_frame(&mut input) {
            Ok(frames::Frame::Message(m)) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == Exit::METHOD);
                if to_server.send(m).is_err() || exit {
                    return;
                }
            }
            Ok(frames::Frame::Malformed(answer)) => {
                if errors.send(answer).is_err() {
                    return;
                }
            }
            Ok(frames::Frame::End) | Err(_) => return,
        }
    }
}

/// Write the server's messages and the answers to malformed input to
/// standard output until the server stops.
fn write_stdout(messages: &Receiver<Message>, errors: &Receiver<serde_json::Value>) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let never = crossbeam_channel::never();
    let mut errors_open = true;
    loop {
        let written = crossbeam_channel::select! {
            recv(messages) -> m => match m {
                Ok(m) => m.write(&mut out),
                Err(_) => return,
            },
            recv(if errors_open { errors } else { &never }) -> e => match e {
                Ok(e) => {
                    let body = e.to_string();
                    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| out.flush())
                }
                Err(_) => {
                    errors_open = false;
                    Ok(())
                }
            },
        };
        if written.is_err() {
            return;
        }
    }
}

/// Serve on `connection` (stdio, or an in-memory pair in tests).
pub fn serve(connection: &Connection, options: Options) -> Result<bool, ServerError> {
    let (id, params) = match connection.initialize_start() {
        Ok(p) => p,
        Err(e) if e.channel_is_disconnected() => return Ok(true),
        Err(e) => return Err(ServerError::Protocol(e.to_string())),
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let init = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "roadlint", "version": env!("CARGO_PKG_VERSION") },
    });
    if let Err(e) = connection.initialize_finish(id, init) {
        return if e.channel_is_disconnected() {
            Ok(true)
        } else {
            Err(ServerError::Protocol(e.to_string()))
        };
    }
    let today = options
        .today
        .or_else(|| {
            params
                .initialization_options
                .as_ref()?
                .get("today")?
                .as_str()?
                .parse()
                .ok()
        })
        .unwrap_or_else(Date::today_utc);
    let root = workspace_root(&params);
    let dynamic_watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let (results_tx, results_rx) = crossbeam_channel::unbounded();
    let mut workspace = Workspace::new(root, today);
    let analysis = workspace.analyze();
    let mut server = Server {
        sender: connection.sender.clone(),
        workspace,
        analysis,
        published: BTreeMap::new(),
        history: options.history,
        scanning: false,
        rescan: false,
        results_tx,
        shut_down: false,
        dirty: false,
        dynamic_watch,
    };
    server.publish();
    server.scan_history();
    server.run(&connection.receiver, &results_rx)
}

/// What the server offers: full document sync with save notices, hover and
/// quick fixes.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The repository holding the client's workspace folder (or root URI, or
/// the current directory).
fn workspace_root(params: &InitializeParams) -> PathBuf {
    #[allow(deprecated)]
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone());
    let dir = uri
        .and_then(|u| u.to_file_path().ok())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    match crate::discover::find_root(&dir) {
        Ok(root) => root.dir,
        Err(_) => dir,
    }
}

/// The server's state between messages.
struct Server {
    sender: Sender<Message>,
    workspace: Workspace,
    analysis: Analysis,
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
    history: Option<HistoryScan>,
    scanning: bool,
    rescan: bool,
    results_tx: Sender<Result<Option<Facts>, String>>,
    shut_down: bool,
    dirty: bool,
    dynamic_watch: bool,
}

/// What handling one message asks of the loop.
enum Flow {
    Continue,
    Exit,
}

impl Server {
    fn run(
        &mut self,
        receiver: &Receiver<Message>,
        results: &Receiver<Result<Option<Facts>, String>>,
    ) -> Result<bool, ServerError> {
        loop {
            let first = crossbeam_channel::select! {
                recv(receiver) -> msg => match msg {
                    Ok(m) => Some(m),
                    // Standard input closed: nothing more will come.
                    Err(_) => return Ok(true),
                },
                recv(results) -> r => {
                    if let Ok(r) = r {
                        self.history_done(r);
                    }
                    None
                },
            };
            if let Some(m) = first {
                if let Flow::Exit = self.guarded(m) {
                    return Ok(self.shut_down);
                }
            }
            // Coalesce: apply every message already queued, then lint once.
            while let Ok(m) = receiver.try_recv() {
                if let Flow::Exit = self.guarded(m) {
                    return Ok(self.shut_down);
                }
            }
            self.refresh();
        }
    }

    /// Handle a message; a panic in a handler is reported to the client
    /// and the server carries on.
    fn guarded(&mut self, message: Message) -> Flow {
        match catch_unwind(AssertUnwindSafe(|| self.handle(message))) {
            Ok(flow) => flow,
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    "roadlint: internal error while handling a message",
                );
                Flow::Continue
            }
        }
    }

    fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(req) => {
                self.request(req);
                Flow::Continue
            }
            Message::Notification(n) if n.method == Exit::METHOD => Flow::Exit,
            Message::Notification(n) => {
                self.notification(n);
                Flow::Continue
            }
            // Replies to our registration request.
            Message::Response(_) => Flow::Continue,
        }
    }

    fn request(&mut self, req: Request) {
        if self.shut_down {
            self.reply_error(
                req.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            );
            return;
        }
        // Answer about the text as it is now.
        self.refresh();
        let id = req.id.clone();
        match req.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                self.reply(id, serde_json::Value::Null);
            }
            HoverRequest::METHOD => match req
                .extract::<lsp_types::HoverParams>(HoverRequest::METHOD)
            {
                Ok((id, p)) => {
                    let doc = &p.text_document_position_params;
                    let hover = self
                        .tracked(&doc.text_document.uri)
                        .and_then(|rel| hover::hover(&self.analysis, &rel, doc.position));
                    self.reply(id, serde_json::to_value(hover).unwrap_or_default());
                }
                Err(_) => self.reply_error(id, ErrorCode::InvalidParams, "bad hover parameters"),
            },
            CodeActionRequest::METHOD => {
                match req.extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD) {
                    Ok((id, p)) => {
                        let list: Vec<CodeActionOrCommand> = self
                            .tracked(&p.text_document.uri)
                            .map(|rel| {
                                actions::actions(
                                    &self.analysis,
                                    self.workspace.root(),
                                    &rel,
                                    p.range,
                                    self.workspace.today(),
                                )
                            })
                            .unwrap_or_default()
                            .into_iter()
                            .map(CodeActionOrCommand::CodeAction)
                            .collect();
                        self.reply(id, serde_json::to_value(list).unwrap_or_default());
                    }
                    Err(_) => {
                        self.reply_error(id, ErrorCode::InvalidParams, "bad code action parameters")
                    }
                }
            }
            _ => self.reply_error(id, ErrorCode::MethodNotFound, "not supported by roadlint"),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let doc = p.text_document;
                    if let Some(rel) = self.inside(&doc.uri) {
                        self.workspace.open(rel, doc.text, doc.version);
                        self.dirty = true;
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    let Some(rel) = self.inside(&p.text_document.uri) else {
                        return;
                    };
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.workspace
                            .open(rel, change.text, p.text_document.version);
                        self.dirty = true;
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    if let Some(rel) = self.inside(&p.text_document.uri) {
                        self.workspace.close(&rel);
                        self.dirty = true;
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                {
                    if self.tracked(&p.text_document.uri).is_some() {
                        self.disk_changed();
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    DidChangeWatchedFiles::METHOD,
                ) {
                    let relevant = p.changes.iter().any(|c| {
                        self.inside(&c.uri).is_some_and(|rel| {
                            rel == crate::discover::CONFIG_FILE || rel.ends_with(".toml")
                        })
                    });
                    if relevant {
                        self.disk_changed();
                    }
                }
            }
            _ => {}
        }
    }

    /// A save or a change on disk: re-read the disk, re-lint, re-scan the
    /// history.
    fn disk_changed(&mut self) {
        self.workspace.reload_disk();
        self.dirty = true;
        self.scan_history();
    }

    /// Ask the client to tell us about changes on disk, when it can.
    fn register_watchers(&mut self) {
        if !self.dynamic_watch {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.toml".to_string()),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "roadlint-watched-files".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let req = Request::new(
            RequestId::from("roadlint-register-watchers".to_string()),
            RegisterCapability::METHOD.to_string(),
            params,
        );
        let _ = self.sender.send(req.into());
    }

    /// The repository-relative path of a document inside the work tree.
    fn inside(&self, uri: &Url) -> Option<String> {
        if uri.scheme() != "file" {
            return None;
        }
        self.workspace.relative(&uri.to_file_path().ok()?)
    }

    /// The path of a document the server reports on.
    fn tracked(&self, uri: &Url) -> Option<String> {
        self.inside(uri)
            .filter(|rel| self.workspace.is_tracked(rel))
    }

    /// Re-lint and publish, if anything changed since the last lint.
    fn refresh(&mut self) {
        if self.dirty {
            self.dirty = false;
            self.analysis = self.workspace.analyze();
            self.publish();
        }
    }

    /// Publish the diagnostics of every file whose diagnostics changed (an
    /// empty list for a file that no longer has any).
    fn publish(&mut self) {
        let root = self.workspace.root().to_path_buf();
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for (path, (file, diags)) in self.analysis.by_path() {
            if diags.is_empty() {
                continue;
            }
            let index = LineIndex::new(&file.text);
            let shown: Vec<lsp_types::Diagnostic> = diags
                .iter()
                .map(|d| convert::diagnostic(d, &index, &self.analysis, &root))
                .collect();
            if !shown.is_empty() {
                now.insert(path, shown);
            }
        }
        let gone: Vec<String> = self
            .published
            .keys()
            .filter(|p| !now.contains_key(*p))
            .cloned()
            .collect();
        for path in gone {
            self.send_diagnostics(&root, &path, Vec::new());
        }
        for (path, diags) in &now {
            if self.published.get(path) != Some(diags) {
                self.send_diagnostics(&root, path, diags.clone());
            }
        }
        self.published = now;
    }

    fn send_diagnostics(&self, root: &Path, path: &str, diagnostics: Vec<lsp_types::Diagnostic>) {
        let Some(uri) = convert::uri_of(root, path) else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: self.workspace.document(path).map(|d| d.version),
        };
        self.notify(PublishDiagnostics::METHOD, params);
    }

    /// Start a history scan in the background (or queue one behind the
    /// running scan).
    fn scan_history(&mut self) {
        let Some(scan) = self.history.clone() else {
            return;
        };
        if self.scanning {
            self.rescan = true;
            return;
        }
        self.scanning = true;
        let root = self.workspace.root().to_path_buf();
        let today = self.workspace.today();
        let tx = self.results_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("roadlint-history".to_string())
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| scan(&root, today)))
                    .unwrap_or_else(|_| Err("the history scan failed".to_string()));
                let _ = tx.send(result);
            });
        if spawned.is_err() {
            self.scanning = false;
        }
    }

    /// A history scan finished: judge the plan with its facts from now on.
    fn history_done(&mut self, result: Result<Option<Facts>, String>) {
        self.scanning = false;
        match result {
            Ok(facts) => {
                self.workspace.set_facts(facts);
                self.dirty = true;
            }
            Err(e) => self.log(
                MessageType::WARNING,
                &format!("roadlint: history not scanned: {e}"),
            ),
        }
        if std::mem::take(&mut self.rescan) {
            self.scan_history();
        }
    }

    fn log(&self, typ: MessageType, message: &str) {
        self.notify(
            LogMessage::METHOD,
            LogMessageParams {
                typ,
                message: message.to_string(),
            },
        );
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    fn reply(&self, id: RequestId, result: serde_json::Value) {
        let _ = self.sender.send(Response::new_ok(id, result).into());
    }

    fn reply_error(&self, id: RequestId, code: ErrorCode, message: &str) {
        let _ = self
            .sender
            .send(Response::new_err(id, code as i32, message.to_string()).into());
    }
}
