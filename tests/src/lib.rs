//! A test client for amplify-lsp: spawns the real binary and speaks JSON-RPC over its stdin/stdout.
//!
//! ```no_run
//! use amplify_lsp_tests::*;
//! let mut c = Client::start();
//! let (text, pos) = cursor("defineFunction({ time$0 })");
//! let uri = c.open("amplify/functions/f/resource.ts", &text);
//! let items = c.completion(&uri, pos);
//! ```

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

pub use serde_json::{json, Value};

/// How long to wait for any single answer before failing the test.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The `amplify-lsp` binary under test: `AMPLIFY_LSP_BIN`, else the one cargo built beside this test.
pub fn server_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("AMPLIFY_LSP_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/deps/<test> -> target/<profile>/amplify-lsp
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join(format!("amplify-lsp{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not found: build it with `cargo build -p amplify-lsp` (cargo test --workspace does)",
        bin.display()
    );
    bin
}

/// Splits a fixture with one `$0` cursor marker into the text and the marker's UTF-16 position.
pub fn cursor(fixture: &str) -> (String, Value) {
    let idx = fixture.find("$0").expect("fixture has no $0 marker");
    let text = format!("{}{}", &fixture[..idx], &fixture[idx + 2..]);
    (text, utf16_position(fixture, idx))
}

/// The LSP position (UTF-16) of a byte offset.
pub fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

/// The position of the first occurrence of `needle` (plus `delta` bytes) in `text`.
pub fn position_of(text: &str, needle: &str, delta: usize) -> Value {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    utf16_position(text, i + delta)
}

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications (and server requests) received but not yet consumed.
    pub backlog: Vec<Value>,
    /// A temporary workspace folder for the documents of this test.
    pub root: tempfile::TempDir,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    /// Everything the server wrote on stdout, decoded.
    pub transcript: Vec<Value>,
    pub init_result: Value,
}

impl Client {
    /// Spawns the server and initializes it with UTF-16 positions and common client capabilities.
    pub fn start() -> Client {
        Self::start_with(json!({}))
    }

    /// Spawns the server; `overrides` are merged into the default `initialize` params (shallow, per key).
    pub fn start_with(overrides: Value) -> Client {
        Self::start_env(&[], overrides)
    }

    /// Like [`Client::start_with`], with extra environment variables for the server process (they win over
    /// the harness's defaults, e.g. `("AMPLIFY_LSP_LOG", "trace")`).
    pub fn start_env(env: &[(&str, &str)], overrides: Value) -> Client {
        Self::start_with_files(env, &[], overrides)
    }

    /// Like [`Client::start_env`], with files (relative path, text) written to the workspace folder before the
    /// server is initialized, as in a real project: the server lists and indexes them at start, and needs no
    /// file events to see them.
    pub fn start_with_files(
        env: &[(&str, &str)],
        files: &[(&str, &str)],
        overrides: Value,
    ) -> Client {
        let mut c = Self::spawn_env(&[], env);
        for (rel, text) in files {
            c.write_file(rel, text);
        }
        let root_uri = file_uri(c.root.path());
        let mut params = json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "test" }],
            "capabilities": {
                "textDocument": {
                    "completion": { "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown"] } },
                    "hover": { "contentFormat": ["markdown"] },
                    "codeAction": { "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "refactor", "refactor.rewrite", "source"] } }, "resolveSupport": { "properties": ["edit"] } },
                    "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
                },
                "workspace": { "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] }, "configuration": true }
            }
        });
        if let (Some(p), Some(o)) = (params.as_object_mut(), overrides.as_object()) {
            for (k, v) in o {
                p.insert(k.clone(), v.clone());
            }
        }
        let res = c.request("initialize", params).expect("initialize failed");
        c.init_result = res;
        c.notify("initialized", json!({}));
        c
    }

    /// Spawns the server without initializing it.
    pub fn spawn(args: &[&str]) -> Client {
        Self::spawn_env(args, &[])
    }

    /// Spawns the server without initializing it, with extra environment variables.
    pub fn spawn_env(args: &[&str], env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(server_binary())
            .args(args)
            .env("AMPLIFY_LSP_LOG", "debug")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn amplify-lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = channel();
        thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let log2 = log.clone();
        thread::spawn(move || {
            let mut r = BufReader::new(stderr);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if let Ok(mut l) = log2.lock() {
                    l.push_str(&line);
                }
                line.clear();
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            backlog: Vec::new(),
            root: tempfile::tempdir().expect("tempdir"),
            stderr: log,
            transcript: Vec::new(),
            init_result: Value::Null,
        }
    }

    /// Everything the server logged on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Everything the server logged so far: its stderr (before the connection existed, and after it ended),
    /// then every `window/logMessage` received, one per line as `[<type>] <message>` (1 error, 2 warning,
    /// 3 info, 4 log). Messages already sent but not yet read are read first (they stay in the backlog).
    pub fn log(&mut self) -> String {
        while let Some(m) = self.recv(Duration::from_millis(0)) {
            self.backlog.push(m);
        }
        let mut out = self.stderr();
        for m in &self.transcript {
            if m["method"] == "window/logMessage" {
                let typ = m["params"]["type"].as_i64().unwrap_or(0);
                let msg = m["params"]["message"].as_str().unwrap_or("");
                out.push_str(&format!("[{typ}] {msg}\n"));
            }
        }
        out
    }

    /// Waits (at most [`TIMEOUT`]) until the log (see [`Client::log`]) has a line containing `needle`, and
    /// returns the log. Log lines travel beside the answers (a `window/logMessage` may arrive after the answer
    /// of the request that caused it), so a test that expects a line waits for it.
    pub fn wait_log(&mut self, needle: &str) -> String {
        self.wait_log_until(&format!("a log line with {needle:?}"), |log| {
            log.lines().any(|l| l.contains(needle))
        })
    }

    /// Waits (at most [`TIMEOUT`]) until the whole log satisfies `pred`, and returns it.
    pub fn wait_log_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let log = self.log();
            if pred(&log) {
                return log;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}:\n{log}");
            if let Some(m) = self.recv(left.min(Duration::from_millis(50))) {
                self.backlog.push(m);
            }
        }
    }

    /// The `window/logMessage` notifications received so far: (type, message).
    pub fn log_messages(&mut self) -> Vec<(i64, String)> {
        while let Some(m) = self.recv(Duration::from_millis(0)) {
            self.backlog.push(m);
        }
        self.transcript
            .iter()
            .filter(|m| m["method"] == "window/logMessage")
            .map(|m| {
                (
                    m["params"]["type"].as_i64().unwrap_or(0),
                    m["params"]["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// Writes raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        if let Some(stdin) = self.stdin.as_mut() {
            // The server may have exited already; tests check that separately.
            let _ = stdin.write_all(bytes);
            let _ = stdin.flush();
        }
    }

    pub fn send(&mut self, msg: &Value) {
        self.send_raw(&framed(&serde_json::to_vec(msg).expect("json")));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let msg = self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none());
        match msg.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Receives the next message, answering requests from the server (registrations, progress tokens,
    /// configuration) so it never waits on us.
    pub fn recv(&mut self, timeout: Duration) -> Option<Value> {
        match self.rx.recv_timeout(timeout) {
            Ok(msg) => {
                self.transcript.push(msg.clone());
                if let (Some(id), Some(method)) =
                    (msg.get("id"), msg.get("method").and_then(Value::as_str))
                {
                    let result = if method == "workspace/configuration" {
                        let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                        Value::Array(vec![Value::Null; n])
                    } else {
                        Value::Null
                    };
                    let id = id.clone();
                    self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                }
                Some(msg)
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Receives the next message without answering it, even when it is a request from the server.
    pub fn recv_unanswered(&mut self, timeout: Duration) -> Option<Value> {
        let msg = self.rx.recv_timeout(timeout).ok()?;
        self.transcript.push(msg.clone());
        Some(msg)
    }

    /// Waits until a message matching `pred` arrives (from the backlog first); other messages are kept.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv(left) {
                Some(m) if pred(&m) => return m,
                Some(m) => self.backlog.push(m),
                None => panic!(
                    "timed out waiting for a message; backlog: {:#?}\nstderr:\n{}",
                    self.backlog,
                    self.stderr()
                ),
            }
        }
    }

    /// Like `wait_for`, but returns `None` after `timeout` instead of failing.
    pub fn try_wait_for(
        &mut self,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return Some(self.backlog.remove(i));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            match self.recv(left) {
                Some(m) if pred(&m) => return Some(m),
                Some(m) => self.backlog.push(m),
                None => return None,
            }
        }
    }

    /// The URI of a path relative to the test's workspace folder.
    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.root.path().join(rel))
    }

    /// Writes a file into the workspace folder (for cross-file tests) and returns its URI.
    /// Writes a file in the workspace folder and returns its URI. Once the session is initialized, the client
    /// then says so with `workspace/didChangeWatchedFiles` (created or changed), as an editor's file watcher
    /// does: without it the server may have listed the project before the file existed.
    pub fn write_file(&mut self, rel: &str, text: &str) -> String {
        let p = self.root.path().join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        let existed = p.exists();
        std::fs::write(&p, text).expect("write");
        let uri = file_uri(&p);
        if !self.init_result.is_null() {
            self.notify(
                "workspace/didChangeWatchedFiles",
                json!({ "changes": [{ "uri": uri, "type": if existed { 2 } else { 1 } }] }),
            );
        }
        uri
    }

    /// Opens a document at `rel` in the workspace folder (version 1) and returns its URI.
    pub fn open(&mut self, rel: &str, text: &str) -> String {
        let uri = self.uri(rel);
        self.open_uri(&uri, text, 1);
        uri
    }

    pub fn open_uri(&mut self, uri: &str, text: &str, version: i64) {
        let ext = uri.rsplit('.').next().unwrap_or("");
        let lang = match ext {
            "tsx" => "typescriptreact",
            "jsx" => "javascriptreact",
            "js" | "mjs" | "cjs" => "javascript",
            _ => "typescript",
        };
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": lang, "version": version, "text": text } }),
        );
    }

    /// Sends one didChange with the given content changes.
    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    /// Waits for a `publishDiagnostics` for `uri` whose list does not mention `code`, and returns the whole
    /// notification. A list published before the fix was seen may come first: waiting for it, not for the next
    /// list, keeps a test from depending on timing.
    pub fn publication_without(&mut self, uri: &str, code: &str) -> Value {
        self.publication_where(uri, code, false)
    }

    /// Waits for a `publishDiagnostics` for `uri` whose list mentions `code`, and returns the whole notification.
    /// A finding that needs the whole project (a resource certainly absent) is left out of the lists published
    /// while the workspace is still being indexed: those may come first.
    pub fn publication_with(&mut self, uri: &str, code: &str) -> Value {
        self.publication_where(uri, code, true)
    }

    fn publication_where(&mut self, uri: &str, code: &str, with: bool) -> Value {
        let uri = uri.to_string();
        let code = code.to_string();
        self.wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && m["params"]["diagnostics"].to_string().contains(&code) == with
        })
    }

    /// Waits for a `publishDiagnostics` for `uri` (at `version` when given) and returns its diagnostics.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let uri = uri.to_string();
        let msg = self.wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The codes of a list of diagnostics.
    pub fn codes(diags: &[Value]) -> Vec<String> {
        diags
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect()
    }

    fn text_position(uri: &str, pos: &Value) -> Value {
        json!({ "textDocument": { "uri": uri }, "position": pos })
    }

    /// Completion items at a position (the array, whether the server answered a list or an array).
    pub fn completion(&mut self, uri: &str, pos: Value) -> Vec<Value> {
        let res = self
            .request("textDocument/completion", Self::text_position(uri, &pos))
            .expect("completion failed");
        match res {
            Value::Array(items) => items,
            Value::Object(ref o) => o
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The labels of completion items.
    pub fn labels(items: &[Value]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| i["label"].as_str().map(str::to_string))
            .collect()
    }

    /// Opens `fixture` (with a `$0` cursor) at `rel`, returns the completion labels there, and closes it.
    pub fn labels_at(&mut self, rel: &str, fixture: &str) -> Vec<String> {
        let (text, pos) = cursor(fixture);
        let uri = self.open(rel, &text);
        let items = self.completion(&uri, pos);
        self.close(&uri);
        Client::labels(&items)
    }

    /// The hover's markdown (empty when there is none).
    pub fn hover(&mut self, uri: &str, pos: Value) -> String {
        let res = self
            .request("textDocument/hover", Self::text_position(uri, &pos))
            .expect("hover failed");
        match &res["contents"] {
            Value::Object(o) => o
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        }
    }

    /// Code actions for a range.
    pub fn code_actions(&mut self, uri: &str, range: Value, diagnostics: Value) -> Vec<Value> {
        let res = self
            .request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": diagnostics } }),
            )
            .expect("codeAction failed");
        res.as_array().cloned().unwrap_or_default()
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null)
            .expect("shutdown failed");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Closes stdin and waits for the process to exit (at most TIMEOUT).
    pub fn wait_exit(&mut self) -> ExitStatus {
        self.stdin.take();
        self.wait_exit_stdin_open()
    }

    /// Waits for the process to exit (at most TIMEOUT) without closing stdin first, as clients that never
    /// close it after `exit` do.
    pub fn wait_exit_stdin_open(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let stdin = if self.stdin.is_some() {
                    "open"
                } else {
                    "closed"
                };
                panic!("server did not exit (stdin {stdin})");
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A `file://` URI for a path.
pub fn file_uri(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    let mut out = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A message body with its `Content-Length` header.
pub fn framed(body: &[u8]) -> Vec<u8> {
    let mut m = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    m.extend_from_slice(body);
    m
}

/// Reads one framed JSON-RPC message (`None` at the end of the input or on a malformed one).
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The repository root (for fixtures and examples).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}

/// Asserts that every label of `want` is among `labels`.
pub fn has_all(labels: &[String], want: &[&str]) {
    for w in want {
        assert!(labels.iter().any(|l| l == w), "missing {w:?} in {labels:?}");
    }
}

/// The folders directly inside `dir`, sorted (none when it cannot be read): the projects of a fixture corpus.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The files below `dir` with one of the extensions `exts` (without the dot), `node_modules` left out, sorted.
pub fn files_with(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    stack.push(p);
                }
            } else if p
                .extension()
                .is_some_and(|x| exts.contains(&x.to_string_lossy().as_ref()))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// (file relative to `project` with `/` separators, 1-based line, code) of each `// expect: a, b` comment in
/// the project's files with one of the extensions `exts`.
pub fn expect_comments(
    project: &Path,
    exts: &[&str],
) -> std::collections::BTreeSet<(String, usize, String)> {
    let mut out = std::collections::BTreeSet::new();
    for path in files_with(project, exts) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = path
            .strip_prefix(project)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            if let Some(at) = line.find("// expect:") {
                for code in line[at + "// expect:".len()..].split(',') {
                    let code = code.trim();
                    if !code.is_empty() {
                        out.insert((rel.clone(), i + 1, code.to_string()));
                    }
                }
            }
        }
    }
    out
}
