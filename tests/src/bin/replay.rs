//! Replay benchmark: drives the release `amplify-lsp` through the real protocol, the way an editor does, and
//! reports what a user would feel.
//!
//! ```sh
//! cargo run --release -p amplify-lsp-tests --bin replay -- [--size starter|mid|large|all] [--runs N]
//! cargo run --release -p amplify-lsp-tests --bin replay -- --files 10,50,100,250,500 [--runs N]
//! ```
//!
//! For each project of `tests/fixtures/bench` (see `gen.rs` there) and each run, it builds the release server
//! (`cargo build --release -p amplify-lsp`, a no-op when up to date; `--server PATH` or `AMPLIFY_LSP_BIN`
//! skip that), writes the project into a temporary folder, spawns the server and:
//!
//! 1. cold start: spawn → `initialize` → `initialized` → `didOpen` of the data schema → its first
//!    `publishDiagnostics`;
//! 2. opens the other backend files (storage, auth, backend.ts), as an editor with several tabs;
//! 3. types a new model into the middle of the schema, one character per `didChange` (a newline carries
//!    its indentation, as editors auto-indent), requesting completion right after every `.` and `'` (without
//!    waiting for the diagnostics first, as editors do with trigger characters) and hovering over a word of
//!    each finished line; then deletes it again with backspaces; each keystroke waits for the
//!    `publishDiagnostics` of its version (keystroke → diagnostics latency); afterwards, in this process, times
//!    tree-sitter's own incremental reparse of the same keystrokes, the anchor they are compared with;
//!    3b. types a line above every model of the schema, then a comment below them all (timed like step 3), and
//!    takes both back: an edit that moves nothing after one that moved everything;
//!    3c. types a word onto the name of a field in the middle of the schema (the first field of the model at
//!    step 3's insertion point), one letter at a time, and takes it back: keystrokes that each leave the file
//!    valid (step 3's leave it broken but for a few), timed like step 3 and against tree-sitter's reparse of
//!    the same keystrokes;
//! 4. types inside a storage access path (`'products/*'` → `'products/thumbs/*'` and back) and counts
//!    how often the data schema's diagnostics are republished meanwhile (they cannot change, so: never);
//! 5. sends a burst of 60 keystrokes without waiting, and checks that the server coalesces them (fewer
//!    publications than changes) and never publishes a version older than one already published;
//!    5b. types a letter into the model name of twelve relationships (`a.belongsTo('|Parent', …)`), asking
//!    for completion at once (the schema's type names: every model of the schema), and deletes it again;
//! 6. reads the server's peak RSS (`VmHWM` of `/proc/<pid>/status`) and CPU time, then shuts it down.
//!
//! `--files N[,N...]` replays many open files instead: a generated project of N backend files (see
//! `many_project` in `gen.rs`: `backend.ts`, auth, data, storage, and functions with a `resource.ts` and a
//! `handler.ts` each), opened one after another, each to its first `publishDiagnostics`, then one keystroke
//! into it to that version's diagnostics. It reports the total, the time per file of the first and the last
//! 100 files (a quarter of them below 400) and their ratio (1 = linear; the first files share the server with
//! its indexing of the workspace at start), the last window's per-file time against the first size's (with
//! several sizes: 1 = linear in the project's size), keystroke p50/p95, peak RSS, and, as
//! the anchor in the same run, the wall time of `amplify-lsp check` on the same project. A second server then
//! gets every `didOpen` written at once without waiting (a write blocks while the server does not read its
//! input): the time to write them all and the time until every file has its diagnostics. Before that, with
//! every file open, five keys typed into the first function's name (60 ms apart; every other open file is
//! checked again, as the project changed, and published when its diagnostics change): each key's latency,
//! the publications and the server's CPU time meanwhile. The client offers
//! to watch files for the server (`workspace/didChangeWatchedFiles` with dynamic registration), as VS Code and
//! Neovim do; `REPLAY_NO_WATCH=1` leaves that out.
//!
//! `REPLAY_DUMP=<file>` writes each keystroke of step 3 with its latency, tree-sitter's reparse time and whether
//! it left the file valid (a tab-separated table, the last run's), to see which keystrokes cost what, and
//! `<file>.completions` each completion of step 3 with its latency, its number of items and the end of the
//! line it was asked on.
//!
//! The client is deliberately light (its own framing, a reader thread that timestamps each message as soon
//! as its last byte is read), so the latencies are the server's plus two pipe hops.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "../../fixtures/bench/gen.rs"]
mod gen;

use gen::Size;

/// How long to wait for any answer before giving up on the run.
const TIMEOUT: Duration = Duration::from_secs(30);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sizes = Size::ALL.to_vec();
    let mut runs = 3usize;
    let mut server: Option<PathBuf> = std::env::var_os("AMPLIFY_LSP_BIN").map(PathBuf::from);
    let mut many: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        match args[i].as_str() {
            "--size" => {
                sizes = match value.as_deref() {
                    Some("all") => Size::ALL.to_vec(),
                    Some(s) => match Size::parse(s) {
                        Some(z) => vec![z],
                        None => usage(&format!("unknown size {s:?}")),
                    },
                    None => usage("--size needs a value"),
                };
                i += 1;
            }
            "--files" => {
                let v =
                    value.unwrap_or_else(|| usage("--files needs a number or a list: 10,50,100"));
                let parsed: Option<Vec<usize>> = v
                    .split(',')
                    .map(|n| n.trim().parse().ok().filter(|&n| n > 0))
                    .collect();
                many = parsed.unwrap_or_else(|| usage("--files needs positive numbers"));
                i += 1;
            }
            "--runs" => {
                runs = value
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage("--runs needs a positive number"));
                i += 1;
            }
            "--server" => {
                server = Some(PathBuf::from(
                    value.unwrap_or_else(|| usage("--server needs a path")),
                ));
                i += 1;
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other:?}")),
        }
        i += 1;
    }
    let server = server.unwrap_or_else(build_server);
    println!("server: {}", server.display());
    println!("machine: {}", machine());
    if !many.is_empty() {
        many_files(&server, &many, runs);
        return;
    }

    let mut results: Vec<(Size, Summary)> = Vec::new();
    for size in sizes {
        let mut per_run = Vec::new();
        for run in 1..=runs {
            let r = replay(&server, size).unwrap_or_else(|e| {
                eprintln!("replay of {} failed: {e}", size.name());
                std::process::exit(1);
            });
            println!(
                "{:>7} run {run}: keystroke p50 {} p95 {} p99 {} | completion p50 {} p95 {} | hover p50 {} p95 {} | cold start {} | peak RSS {:.1} MB",
                size.name(),
                ms(percentile(&r.keystrokes, 50.0)),
                ms(percentile(&r.keystrokes, 95.0)),
                ms(percentile(&r.keystrokes, 99.0)),
                ms(percentile(&r.completions, 50.0)),
                ms(percentile(&r.completions, 95.0)),
                ms(percentile(&r.hovers, 50.0)),
                ms(percentile(&r.hovers, 95.0)),
                ms(r.cold_start),
                r.peak_rss_kb as f64 / 1024.0,
            );
            per_run.push(r);
        }
        results.push((size, Summary::of(&per_run)));
    }
    print_table(&results, runs);
}

fn usage(err: &str) -> ! {
    if !err.is_empty() {
        eprintln!("replay: {err}");
    }
    eprintln!(
        "usage: cargo run --release -p amplify-lsp-tests --bin replay -- [--size starter|mid|large|all | --files N[,N...]] [--runs N] [--server PATH]"
    );
    std::process::exit(2);
}

/// Builds the release server and returns its path (`target/release/amplify-lsp` beside this binary's
/// target folder).
fn build_server() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    eprintln!("building the release server (cargo build --release -p amplify-lsp)...");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "amplify-lsp",
            "--bin",
            "amplify-lsp",
        ])
        .current_dir(&workspace)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("replay: building the server failed");
        std::process::exit(1);
    }
    // target/<profile>/replay -> target/release/amplify-lsp
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| workspace.join("target"));
    let bin = target
        .join("release")
        .join(format!("amplify-lsp{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        eprintln!("replay: {} not found after the build", bin.display());
        std::process::exit(1);
    }
    bin
}

/// `nproc` and the CPU model.
fn machine() -> String {
    let cpus = thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!("{cpus} CPUs, {model}")
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

/// A message from the server and the instant its last byte was read.
type Stamped = (Instant, Value);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Stamped>,
    next_id: i64,
    /// Messages received but not consumed yet.
    backlog: Vec<Stamped>,
    /// The newest version published per URI, and how often an older one came after it.
    published: HashMap<String, i64>,
    stale_publications: usize,
    /// How many publications arrived per URI.
    publications: HashMap<String, usize>,
}

impl Client {
    fn spawn(server: &Path) -> std::io::Result<Client> {
        let mut child = Command::new(server)
            .env("AMPLIFY_LSP_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| io("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| io("no stdout"))?;
        let stderr = child.stderr.take().ok_or_else(|| io("no stderr"))?;
        let (tx, rx) = channel();
        thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            while let Some((at, body)) = read_frame(&mut r) {
                let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
                    continue;
                };
                if tx.send((at, msg)).is_err() {
                    break;
                }
            }
        });
        thread::spawn(move || {
            // Drain (and show) what the server logs at warn level or above.
            let r = BufReader::new(stderr);
            for line in r.lines().map_while(Result::ok) {
                eprintln!("  [server] {line}");
            }
        });
        Ok(Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
            published: HashMap::new(),
            stale_publications: 0,
            publications: HashMap::new(),
        })
    }

    /// Sends a message; returns the instant it was written.
    fn send(&mut self, msg: &Value) -> std::io::Result<Instant> {
        let body = serde_json::to_vec(msg).map_err(std::io::Error::other)?;
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        let at = Instant::now();
        self.stdin.write_all(&framed)?;
        self.stdin.flush()?;
        Ok(at)
    }

    fn notify(&mut self, method: &str, params: Value) -> std::io::Result<Instant> {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: Value) -> std::io::Result<(i64, Instant)> {
        let id = self.next_id;
        self.next_id += 1;
        let at =
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        Ok((id, at))
    }

    /// Receives one message (answering the server's own requests), with bookkeeping of publications.
    fn recv(&mut self, timeout: Duration) -> std::io::Result<Option<Stamped>> {
        let (at, msg) = match self.rx.recv_timeout(timeout) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => return Ok(None),
            Err(RecvTimeoutError::Disconnected) => return Err(io("the server closed its output")),
        };
        if let (Some(id), Some(method)) = (msg.get("id"), msg["method"].as_str()) {
            let result = if method == "workspace/configuration" {
                let n = msg["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![Value::Null; n])
            } else {
                Value::Null
            };
            let id = id.clone();
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }))?;
        }
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"].as_str().unwrap_or("").to_string();
            *self.publications.entry(uri.clone()).or_default() += 1;
            if let Some(v) = msg["params"]["version"].as_i64() {
                let last = self.published.entry(uri).or_insert(i64::MIN);
                if v < *last {
                    self.stale_publications += 1;
                } else {
                    *last = v;
                }
            }
        }
        Ok(Some((at, msg)))
    }

    /// Waits for a message matching `pred` (from the backlog first); returns when it arrived.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> std::io::Result<Stamped> {
        if let Some(i) = self.backlog.iter().position(|(_, m)| pred(m)) {
            return Ok(self.backlog.remove(i));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv(left)? {
                Some((at, m)) if pred(&m) => return Ok((at, m)),
                Some(other) => self.backlog.push(other),
                None => return Err(io("timed out waiting for the server")),
            }
        }
    }

    /// Receives everything that arrives within `quiet`.
    fn drain(&mut self, quiet: Duration) -> std::io::Result<()> {
        while let Some(m) = self.recv(quiet)? {
            self.backlog.push(m);
        }
        Ok(())
    }

    fn response(&mut self, id: i64) -> std::io::Result<Stamped> {
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> std::io::Result<Stamped> {
        self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && m["params"]["version"].as_i64() >= Some(version)
        })
    }

    /// Forgets consumed-or-not publications of `uri` (keeps everything else).
    fn forget_publications(&mut self, uri: &str) {
        self.backlog.retain(|(_, m)| {
            !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri))
        });
    }

    fn change(
        &mut self,
        uri: &str,
        version: i64,
        range: (Value, Value),
        text: &str,
    ) -> std::io::Result<Instant> {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": { "start": range.0, "end": range.1 }, "text": text }]
            }),
        )
    }

    /// A `/proc/<pid>/status` figure in kB (`VmHWM`: peak RSS, `VmRSS`: current RSS).
    fn status_kb(&self, field: &str) -> u64 {
        let pid = self.child.id();
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0)
    }

    /// (peak RSS in kB, CPU seconds) of the server process.
    fn resources(&self) -> (u64, f64) {
        let pid = self.child.id();
        let rss = self.status_kb("VmHWM:");
        let cpu = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                // Fields after the command name (which is in parentheses): utime is the 14th field overall.
                let rest = s.rsplit_once(')')?.1;
                let f: Vec<&str> = rest.split_whitespace().collect();
                let utime: f64 = f.get(11)?.parse().ok()?;
                let stime: f64 = f.get(12)?.parse().ok()?;
                Some((utime + stime) / clock_ticks())
            })
            .unwrap_or(0.0);
        (rss, cpu)
    }

    fn shutdown(mut self) -> std::io::Result<()> {
        let (id, _) = self.request("shutdown", Value::Null)?;
        self.response(id)?;
        self.notify("exit", Value::Null)?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err(io("the server did not exit after shutdown/exit"))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn clock_ticks() -> f64 {
    // USER_HZ is 100 on every Linux architecture we care about.
    100.0
}

fn io(msg: &str) -> std::io::Error {
    std::io::Error::other(msg.to_string())
}

/// Reads one framed message; returns the instant its body was complete.
fn read_frame(r: &mut impl BufRead) -> Option<(Instant, Vec<u8>)> {
    let mut len = None;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some((Instant::now(), body))
}

fn file_uri(p: &Path) -> String {
    let mut out = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Text positions (the fixtures are ASCII, so UTF-16 columns are byte columns; checked below)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Pos {
    line: usize,
    col: usize,
}

impl Pos {
    fn of(text: &str, offset: usize) -> Pos {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
        Pos { line, col }
    }
    /// The position after typing `typed` at `self`.
    fn advance(self, typed: &str) -> Pos {
        match typed.rfind('\n') {
            Some(i) => Pos {
                line: self.line + typed.matches('\n').count(),
                col: typed.len() - i - 1,
            },
            None => Pos {
                line: self.line,
                col: self.col + typed.len(),
            },
        }
    }
    fn json(self) -> Value {
        json!({ "line": self.line, "character": self.col })
    }
}

// ---------------------------------------------------------------------------------------------
// One replay
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Run {
    keystrokes: Vec<Duration>,
    /// tree-sitter's own incremental reparse of each of those keystrokes, in this process.
    reparses: Vec<Duration>,
    /// For each of those keystrokes: whether it left the file valid (tree-sitter's tree has no error).
    leaves_valid: Vec<bool>,
    completions: Vec<Duration>,
    /// For each completion: the end of the line typed before it, and how many items it listed.
    completion_sites: Vec<(String, usize)>,
    hovers: Vec<Duration>,
    storage_keystrokes: Vec<Duration>,
    /// Keystrokes below every model of the schema, after a line was typed above them (step 3b).
    below_keystrokes: Vec<Duration>,
    /// Keystrokes that rename a field in the middle of the schema, each leaving the file valid (step 3c), and
    /// tree-sitter's own reparse of each of them.
    rename_keystrokes: Vec<Duration>,
    rename_reparses: Vec<Duration>,
    cold_start: Duration,
    peak_rss_kb: u64,
    /// Peak RSS right after the cold start (the data schema open and analysed).
    open_rss_kb: u64,
    /// RSS at the end of the replay.
    end_rss_kb: u64,
    cpu_seconds: f64,
    /// Publications of the data schema while typing in the storage file (and shortly after).
    data_republished: usize,
    burst_changes: usize,
    burst_publications: usize,
    /// From the last change of the burst to the diagnostics of its version.
    burst_settle: Duration,
    stale_publications: usize,
    empty_completions: usize,
    /// Completions of the schema's type names right after a keystroke in the string (step 5b), and the most
    /// items one listed.
    type_name_completions: Vec<Duration>,
    type_name_items: usize,
    lines: usize,
    bytes: usize,
}

impl Run {
    /// The keystrokes of step 3 that left the file valid (`true`) or broken (`false`).
    fn split_keystrokes(&self, valid: bool) -> Vec<Duration> {
        self.keystrokes
            .iter()
            .zip(&self.leaves_valid)
            .filter(|&(_, &v)| v == valid)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// Splits typed text into keystrokes: one character each, except that a newline carries the next line's
/// indentation (editors auto-indent).
fn keystrokes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let mut j = i + 1;
        if b[i] == b'\n' {
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
        }
        out.push(&text[i..j]);
        i = j;
    }
    out
}

/// tree-sitter alone, the anchor: its incremental reparse of the same keystrokes as step 3 (typing `keys` at
/// `at`, then deleting them again), each from the edited previous tree, timed around `Parser::parse` only;
/// with each, whether the text after it is valid (the tree has no error).
fn reparse_times(text: &str, at: usize, keys: &[&str]) -> std::io::Result<Vec<(Duration, bool)>> {
    use tree_sitter::{InputEdit, Parser, Point};
    fn point(text: &str, offset: usize) -> Point {
        let before = &text.as_bytes()[..offset];
        let row = before.iter().filter(|&&b| b == b'\n').count();
        let column = offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        Point { row, column }
    }
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())
        .map_err(|e| io(&format!("grammar: {e}")))?;
    let mut text = text.to_string();
    let mut tree = parser
        .parse(&text, None)
        .ok_or_else(|| io("tree-sitter parse failed"))?;
    let mut out = Vec::with_capacity(keys.len() * 2);
    let mut steps: Vec<(usize, &str, bool)> = Vec::new(); // (offset, key, insert?)
    let mut off = at;
    for key in keys {
        steps.push((off, key, true));
        off += key.len();
    }
    for key in keys.iter().rev() {
        off -= key.len();
        steps.push((off, key, false));
    }
    for (offset, key, insert) in steps {
        let start_position = point(&text, offset);
        let edit = if insert {
            text.insert_str(offset, key);
            InputEdit {
                start_byte: offset,
                old_end_byte: offset,
                new_end_byte: offset + key.len(),
                start_position,
                old_end_position: start_position,
                new_end_position: point(&text, offset + key.len()),
            }
        } else {
            let old_end_position = point(&text, offset + key.len());
            text.replace_range(offset..offset + key.len(), "");
            InputEdit {
                start_byte: offset,
                old_end_byte: offset + key.len(),
                new_end_byte: offset,
                start_position,
                old_end_position,
                new_end_position: start_position,
            }
        };
        tree.edit(&edit);
        let t = Instant::now();
        let next = parser
            .parse(&text, Some(&tree))
            .ok_or_else(|| io("tree-sitter reparse failed"))?;
        out.push((t.elapsed(), !next.root_node().has_error()));
        tree = next;
    }
    Ok(out)
}

/// Types `word` (ASCII) at `at` one character per `didChange`, then deletes it again one character at a time,
/// each keystroke waiting for its own diagnostics; returns each keystroke's latency. `version` is the
/// document's, counted on.
fn type_and_take_back(
    c: &mut Client,
    uri: &str,
    version: &mut i64,
    at: Pos,
    word: &str,
) -> std::io::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(2 * word.len());
    for (k, letter) in letters(word).into_iter().enumerate() {
        let p = at.advance(&word[..k]);
        *version += 1;
        let sent = c.change(uri, *version, (p.json(), p.json()), letter)?;
        let (got, _) = c.diagnostics(uri, *version)?;
        out.push(got - sent);
    }
    for k in (0..word.len()).rev() {
        let (from, to) = (at.advance(&word[..k]), at.advance(&word[..k + 1]));
        *version += 1;
        let sent = c.change(uri, *version, (from.json(), to.json()), "")?;
        let (got, _) = c.diagnostics(uri, *version)?;
        out.push(got - sent);
    }
    Ok(out)
}

/// The word step 3c types onto a field's name.
const RENAME_SUFFIX: &str = "AboutThisRecordForReviewers";

/// Where step 3c types: the end of the name of the first field at or after `from` (a `name: a.` line).
fn rename_point(text: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(": a.").map(|i| from + i)
}

/// A word as keystrokes, one letter each.
fn letters(word: &str) -> Vec<&str> {
    (0..word.len()).map(|k| &word[k..k + 1]).collect()
}

/// A word of a finished line to hover over: the member after the last `a.`, else the line's first word.
fn hover_target(line: &str) -> Option<usize> {
    if let Some(i) = line.rfind("a.") {
        if line[i + 2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Some(i + 3);
        }
    }
    line.find(|c: char| c.is_ascii_alphabetic()).map(|i| i + 1)
}

fn replay(server: &Path, size: Size) -> std::io::Result<Run> {
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_path_buf();
    let files = gen::write_project(size, &root)?;
    let data_text = gen::file_text(&files, gen::DATA_FILE);
    if !files.iter().all(|(_, t)| t.is_ascii()) {
        return Err(io(
            "the fixtures must be ASCII (positions are computed as byte columns)",
        ));
    }
    let data_uri = file_uri(&root.join(gen::DATA_FILE));
    let mut run = Run {
        lines: data_text.lines().count(),
        bytes: data_text.len(),
        ..Run::default()
    };

    // 1. Cold start.
    let t0 = Instant::now();
    let mut c = Client::spawn(server)?;
    let root_uri = file_uri(&root);
    let (id, _) = c.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "textDocument": {
                    "synchronization": { "didSave": true },
                    "completion": { "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown"] } },
                    "hover": { "contentFormat": ["markdown"] },
                    "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
                },
                "workspace": { "configuration": true }
            }
        }),
    )?;
    c.response(id)?;
    c.notify("initialized", json!({}))?;
    open(&mut c, &data_uri, &data_text)?;
    let (at, _) = c.diagnostics(&data_uri, 1)?;
    run.cold_start = at - t0;
    run.open_rss_kb = c.status_kb("VmHWM:");

    // 2. Other tabs.
    for rel in [
        gen::STORAGE_FILE,
        "amplify/auth/resource.ts",
        "amplify/backend.ts",
    ] {
        let uri = file_uri(&root.join(rel));
        open(&mut c, &uri, &gen::file_text(&files, rel))?;
        c.diagnostics(&uri, 1)?;
    }
    c.drain(Duration::from_millis(50))?;

    // 3. Type a model into the schema, then delete it.
    let (at_offset, indent) =
        gen::insertion_point(&data_text).ok_or_else(|| io("no model line to type before"))?;
    let start = Pos::of(&data_text, at_offset);
    let model = gen::typed_model(indent);
    let keys = keystrokes(&model);
    let mut version = 1i64;
    let mut typed = 0usize; // bytes of `model` typed so far
    for key in &keys {
        let pos = start.advance(&model[..typed]);
        version += 1;
        let sent = c.change(&data_uri, version, (pos.json(), pos.json()), key)?;
        typed += key.len();
        let after = start.advance(&model[..typed]);
        let completion = if key.ends_with('.') || key.ends_with('\'') {
            let (id, at) = c.request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": data_uri }, "position": after.json() }),
            )?;
            Some((id, at))
        } else {
            None
        };
        let (got, _) = c.diagnostics(&data_uri, version)?;
        run.keystrokes.push(got - sent);
        if let Some((id, at)) = completion {
            let (got, res) = c.response(id)?;
            run.completions.push(got - at);
            let n = completion_items(&res);
            let done = &model[..typed];
            let line = done.rsplit('\n').next().unwrap_or("").trim_start();
            run.completion_sites.push((line.to_string(), n));
            if n == 0 {
                run.empty_completions += 1;
                if std::env::var_os("REPLAY_VERBOSE").is_some() {
                    let done = &model[..typed];
                    let line = done.rsplit('\n').next().unwrap_or("");
                    eprintln!("  no completion after {line:?}");
                }
            }
        }
        if key.starts_with('\n') {
            // A line was finished: hover over one of its words.
            let done = &model[..typed - key.len()];
            let line_start = done.rfind('\n').map_or(0, |i| i + 1);
            let line = &done[line_start..];
            if let Some(col) = hover_target(line) {
                let p = start.advance(&done[..line_start]);
                let p = Pos {
                    line: p.line,
                    col: if line_start == 0 {
                        start.col + col
                    } else {
                        col
                    },
                };
                let (id, at) = c.request(
                    "textDocument/hover",
                    json!({ "textDocument": { "uri": data_uri }, "position": p.json() }),
                )?;
                let (got, _) = c.response(id)?;
                run.hovers.push(got - at);
            }
        }
    }
    for key in keys.iter().rev() {
        let from = start.advance(&model[..typed - key.len()]);
        let to = start.advance(&model[..typed]);
        version += 1;
        let sent = c.change(&data_uri, version, (from.json(), to.json()), "")?;
        typed -= key.len();
        let (got, _) = c.diagnostics(&data_uri, version)?;
        run.keystrokes.push(got - sent);
    }
    c.drain(Duration::from_millis(20))?;
    (run.reparses, run.leaves_valid) = reparse_times(&data_text, at_offset, &keys)?
        .into_iter()
        .unzip();
    if let Some(file) = std::env::var_os("REPLAY_DUMP") {
        // One line per keystroke of step 3: its latency and tree-sitter's reparse of it, in milliseconds.
        let mut out = String::from("keystroke\tlatency_ms\treparse_ms\tvalid\n");
        for (i, ((k, r), v)) in run
            .keystrokes
            .iter()
            .zip(&run.reparses)
            .zip(&run.leaves_valid)
            .enumerate()
        {
            out.push_str(&format!(
                "{i}\t{:.3}\t{:.3}\t{}\n",
                k.as_secs_f64() * 1e3,
                r.as_secs_f64() * 1e3,
                u8::from(*v)
            ));
        }
        std::fs::write(&file, out)?;
        // And one line per completion: where it was asked, its latency and how many items it listed.
        let mut out = String::from("completion\tlatency_ms\titems\tline\n");
        for (i, (d, (line, n))) in run
            .completions
            .iter()
            .zip(&run.completion_sites)
            .enumerate()
        {
            out.push_str(&format!("{i}\t{:.3}\t{n}\t{line}\n", d.as_secs_f64() * 1e3));
        }
        let mut name = file;
        name.push(".completions");
        std::fs::write(name, out)?;
    }

    // 3b. A line typed above every model, then a comment typed below them all: an edit that moves nothing after
    // one that moved everything. Both are taken back afterwards, so the schema is `data_text` again.
    let note = "// a note\n";
    version += 1;
    c.change(
        &data_uri,
        version,
        (Pos::of("", 0).json(), Pos::of("", 0).json()),
        note,
    )?;
    c.diagnostics(&data_uri, version)?;
    let noted = format!("{note}{data_text}");
    let below = Pos::of(&noted, noted.len());
    let comment = "// typed below the models";
    for k in 0..comment.len() {
        let p = below.advance(&comment[..k]);
        version += 1;
        let sent = c.change(&data_uri, version, (p.json(), p.json()), &comment[k..k + 1])?;
        let (got, _) = c.diagnostics(&data_uri, version)?;
        run.below_keystrokes.push(got - sent);
    }
    version += 1;
    let typed_end = below.advance(comment);
    c.change(&data_uri, version, (below.json(), typed_end.json()), "")?;
    c.diagnostics(&data_uri, version)?;
    version += 1;
    let line_end = Pos::of(note, note.len());
    c.change(
        &data_uri,
        version,
        (Pos::of("", 0).json(), line_end.json()),
        "",
    )?;
    c.diagnostics(&data_uri, version)?;

    // 3c. Keystrokes that leave the file valid: a word typed onto the name of a field in the middle of the
    // schema (the first field of the model at step 3's insertion point), one letter at a time, then taken back.
    // The schema is `data_text` again afterwards.
    let name_end = rename_point(&data_text, at_offset)
        .ok_or_else(|| io("no field to rename after the insertion point"))?;
    let np = Pos::of(&data_text, name_end);
    run.rename_keystrokes = type_and_take_back(&mut c, &data_uri, &mut version, np, RENAME_SUFFIX)?;
    let reparsed = reparse_times(&data_text, name_end, &letters(RENAME_SUFFIX))?;
    if reparsed.iter().any(|&(_, valid)| !valid) {
        return Err(io("a keystroke of the field's rename left the file broken"));
    }
    run.rename_reparses = reparsed.into_iter().map(|(t, _)| t).collect();

    // 4. Type inside a storage path; the data schema must not be re-analysed.
    let storage_uri = file_uri(&root.join(gen::STORAGE_FILE));
    let storage_text = gen::file_text(&files, gen::STORAGE_FILE);
    let needle = "/*': [";
    let path_end = storage_text
        .find(needle)
        .ok_or_else(|| io("no access path in the storage file"))?
        + 1;
    let sp = Pos::of(&storage_text, path_end);
    let before = c.publications.get(&data_uri).copied().unwrap_or(0);
    c.forget_publications(&data_uri);
    let mut sversion = 1i64;
    run.storage_keystrokes =
        type_and_take_back(&mut c, &storage_uri, &mut sversion, sp, "thumbs/")?;
    c.drain(Duration::from_millis(200))?;
    run.data_republished = c.publications.get(&data_uri).copied().unwrap_or(0) - before;

    // 5. A burst of changes sent faster than any analysis.
    let comment = "  // a comment typed faster than analysis can follow it, with no wait\n";
    let end = Pos::of(&data_text, data_text.len());
    let first_version = version + 1;
    let mut last_sent = Instant::now();
    let pubs_before = c.publications.get(&data_uri).copied().unwrap_or(0);
    c.forget_publications(&data_uri);
    let burst: Vec<&str> = comment.split_inclusive(|_| true).collect();
    let first_sent = Instant::now();
    for (k, ch) in burst.iter().enumerate() {
        let p = end.advance(&comment[..k]);
        version += 1;
        last_sent = c.change(&data_uri, version, (p.json(), p.json()), ch)?;
    }
    run.burst_changes = burst.len();
    let (got, _) = c.diagnostics(&data_uri, version)?;
    run.burst_settle = got - last_sent;
    if std::env::var_os("REPLAY_VERBOSE").is_some() {
        eprintln!(
            "  burst: last change sent after {:?}, last diagnostics after {:?}",
            last_sent - first_sent,
            got - first_sent
        );
        for (at, m) in &c.backlog {
            if m["params"]["uri"] == json!(data_uri) {
                eprintln!(
                    "  burst: version {} published after {:?}",
                    m["params"]["version"],
                    *at - first_sent
                );
            }
        }
    }
    c.drain(Duration::from_millis(100))?;
    run.burst_publications = c.publications.get(&data_uri).copied().unwrap_or(0) - pubs_before;
    debug_assert!(first_version <= version);

    // 5b. A letter typed into the model name of a relationship (`a.belongsTo('|Parent', …)`), and the schema's
    // type names asked for at once, as an editor does while the user edits the name; then the letter deleted.
    let call = "a.belongsTo('";
    let sites: Vec<usize> = data_text
        .match_indices(call)
        .map(|(i, _)| i + call.len())
        .collect();
    for &at in sites.iter().step_by((sites.len() / 12).max(1)).take(12) {
        let p = Pos::of(&data_text, at);
        version += 1;
        c.change(&data_uri, version, (p.json(), p.json()), "X")?;
        let after = p.advance("X");
        let (id, asked) = c.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": data_uri }, "position": after.json() }),
        )?;
        let (got, res) = c.response(id)?;
        run.type_name_completions.push(got - asked);
        run.type_name_items = run.type_name_items.max(completion_items(&res));
        c.diagnostics(&data_uri, version)?;
        version += 1;
        c.change(&data_uri, version, (p.json(), after.json()), "")?;
        c.diagnostics(&data_uri, version)?;
    }

    // 6. Resources, then a clean exit.
    let (rss, cpu) = c.resources();
    run.peak_rss_kb = rss;
    run.end_rss_kb = c.status_kb("VmRSS:");
    run.cpu_seconds = cpu;
    run.stale_publications = c.stale_publications;
    c.shutdown()?;
    Ok(run)
}

/// How many items a completion answer lists (a list or a bare array).
fn completion_items(res: &Value) -> usize {
    res["result"]["items"]
        .as_array()
        .or_else(|| res["result"].as_array())
        .map_or(0, Vec::len)
}

fn open(c: &mut Client, uri: &str, text: &str) -> std::io::Result<Instant> {
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "typescript", "version": 1, "text": text } }),
    )
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report
// ---------------------------------------------------------------------------------------------

/// Nearest-rank percentile.
fn percentile(xs: &[Duration], p: f64) -> Duration {
    if xs.is_empty() {
        return Duration::ZERO;
    }
    let mut v = xs.to_vec();
    v.sort();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn median_of(xs: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = xs.into_iter().collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Medians over runs of each figure.
struct Summary {
    lines: usize,
    bytes: usize,
    keystrokes: usize,
    key: [f64; 3],
    /// The keystrokes that left the file valid, and those that left it broken: how many, p50 and p95.
    key_valid: (usize, [f64; 2]),
    key_broken: (usize, [f64; 2]),
    reparse: [f64; 3],
    completion: [f64; 2],
    hover: [f64; 2],
    storage_key: [f64; 2],
    below_key: [f64; 2],
    rename_key: (usize, [f64; 2]),
    rename_reparse: [f64; 2],
    cold_start: f64,
    peak_rss_mb: f64,
    open_rss_mb: f64,
    end_rss_mb: f64,
    cpu_seconds: f64,
    data_republished: usize,
    burst: (usize, usize, f64),
    stale: usize,
    empty_completions: usize,
    type_names: [f64; 2],
    type_name_items: usize,
}

impl Summary {
    fn of(runs: &[Run]) -> Summary {
        let med =
            |f: &dyn Fn(&Run) -> Duration| median_of(runs.iter().map(|r| f(r).as_secs_f64() * 1e3));
        Summary {
            lines: runs.first().map_or(0, |r| r.lines),
            bytes: runs.first().map_or(0, |r| r.bytes),
            keystrokes: runs.first().map_or(0, |r| r.keystrokes.len()),
            key: [50.0, 95.0, 99.0].map(|p| med(&|r| percentile(&r.keystrokes, p))),
            key_valid: (
                runs.first().map_or(0, |r| r.split_keystrokes(true).len()),
                [50.0, 95.0].map(|p| med(&|r| percentile(&r.split_keystrokes(true), p))),
            ),
            key_broken: (
                runs.first().map_or(0, |r| r.split_keystrokes(false).len()),
                [50.0, 95.0].map(|p| med(&|r| percentile(&r.split_keystrokes(false), p))),
            ),
            reparse: [50.0, 95.0, 99.0].map(|p| med(&|r| percentile(&r.reparses, p))),
            completion: [50.0, 95.0].map(|p| med(&|r| percentile(&r.completions, p))),
            hover: [50.0, 95.0].map(|p| med(&|r| percentile(&r.hovers, p))),
            storage_key: [50.0, 95.0].map(|p| med(&|r| percentile(&r.storage_keystrokes, p))),
            below_key: [50.0, 95.0].map(|p| med(&|r| percentile(&r.below_keystrokes, p))),
            rename_key: (
                runs.first().map_or(0, |r| r.rename_keystrokes.len()),
                [50.0, 95.0].map(|p| med(&|r| percentile(&r.rename_keystrokes, p))),
            ),
            rename_reparse: [50.0, 95.0].map(|p| med(&|r| percentile(&r.rename_reparses, p))),
            cold_start: med(&|r| r.cold_start),
            peak_rss_mb: median_of(runs.iter().map(|r| r.peak_rss_kb as f64 / 1024.0)),
            open_rss_mb: median_of(runs.iter().map(|r| r.open_rss_kb as f64 / 1024.0)),
            end_rss_mb: median_of(runs.iter().map(|r| r.end_rss_kb as f64 / 1024.0)),
            cpu_seconds: median_of(runs.iter().map(|r| r.cpu_seconds)),
            data_republished: runs.iter().map(|r| r.data_republished).max().unwrap_or(0),
            burst: (
                runs.first().map_or(0, |r| r.burst_changes),
                runs.iter().map(|r| r.burst_publications).max().unwrap_or(0),
                med(&|r| r.burst_settle),
            ),
            stale: runs.iter().map(|r| r.stale_publications).sum(),
            empty_completions: runs.iter().map(|r| r.empty_completions).max().unwrap_or(0),
            type_names: [50.0, 95.0].map(|p| med(&|r| percentile(&r.type_name_completions, p))),
            type_name_items: runs.iter().map(|r| r.type_name_items).max().unwrap_or(0),
        }
    }
}

fn print_table(results: &[(Size, Summary)], runs: usize) {
    let names: Vec<&str> = results.iter().map(|(s, _)| s.name()).collect();
    println!(
        "\nmedians over {runs} run(s) | {}\n|---|{}",
        names.join(" | "),
        "---|".repeat(names.len())
    );
    let row = |label: &str, f: &dyn Fn(&Summary) -> String| {
        let cells: Vec<String> = results.iter().map(|(_, s)| f(s)).collect();
        println!("| {label} | {} |", cells.join(" | "));
    };
    let f3 = |x: f64| format!("{x:.3} ms");
    row("data schema (lines / KB)", &|s| {
        format!("{} / {:.0}", s.lines, s.bytes as f64 / 1024.0)
    });
    row("keystrokes replayed", &|s| s.keystrokes.to_string());
    row("keystroke → diagnostics p50", &|s| f3(s.key[0]));
    row("keystroke → diagnostics p95", &|s| f3(s.key[1]));
    row("keystroke → diagnostics p99", &|s| f3(s.key[2]));
    // (a count of keystrokes with their p50 / p95, and a ratio of two latencies)
    let counted = |(n, [p50, p95]): (usize, [f64; 2])| format!("{n}, {} / {}", f3(p50), f3(p95));
    let ratio = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.1}×", a / b)
        } else {
            "-".into()
        }
    };
    row("keystrokes that leave the file valid: n, p50 / p95", &|s| {
        counted(s.key_valid)
    });
    row("keystrokes that leave it broken: n, p50 / p95", &|s| {
        counted(s.key_broken)
    });
    row("tree-sitter alone, same keystrokes p50 / p95 / p99", &|s| {
        format!(
            "{} / {} / {}",
            f3(s.reparse[0]),
            f3(s.reparse[1]),
            f3(s.reparse[2])
        )
    });
    row("keystroke ÷ tree-sitter reparse at p50 / p95", &|s| {
        format!(
            "{} / {}",
            ratio(s.key[0], s.reparse[0]),
            ratio(s.key[1], s.reparse[1])
        )
    });
    row(
        "valid file, a field renamed in the middle: keystrokes, p50 / p95",
        &|s| counted(s.rename_key),
    );
    row(
        "valid file: tree-sitter alone, same keystrokes p50 / p95, and the ratio",
        &|s| {
            format!(
                "{} / {} ({} / {})",
                f3(s.rename_reparse[0]),
                f3(s.rename_reparse[1]),
                ratio(s.rename_key.1[0], s.rename_reparse[0]),
                ratio(s.rename_key.1[1], s.rename_reparse[1])
            )
        },
    );
    row("completion p50", &|s| f3(s.completion[0]));
    row("completion p95", &|s| f3(s.completion[1]));
    row("type names after a keystroke p50 / p95 (items)", &|s| {
        if s.type_name_items == 0 {
            // the schema has no relationship to type into (the starter)
            return "–".to_string();
        }
        format!(
            "{} / {} ({})",
            f3(s.type_names[0]),
            f3(s.type_names[1]),
            s.type_name_items
        )
    });
    row("hover p50", &|s| f3(s.hover[0]));
    row("hover p95", &|s| f3(s.hover[1]));
    row(
        "keystroke below the models after a line typed above them p50 / p95",
        &|s| format!("{} / {}", f3(s.below_key[0]), f3(s.below_key[1])),
    );
    row("storage-path keystroke p50 / p95", &|s| {
        format!("{} / {}", f3(s.storage_key[0]), f3(s.storage_key[1]))
    });
    row("data schema republished while typing in storage", &|s| {
        s.data_republished.to_string()
    });
    row("cold start (spawn → first diagnostics)", &|s| {
        f3(s.cold_start)
    });
    row("peak RSS (VmHWM), whole replay", &|s| {
        format!("{:.1} MB", s.peak_rss_mb)
    });
    row("peak RSS after opening the schema", &|s| {
        format!("{:.1} MB", s.open_rss_mb)
    });
    row("RSS at the end (VmRSS)", &|s| {
        format!("{:.1} MB", s.end_rss_mb)
    });
    row("server CPU time, whole replay", &|s| {
        format!("{:.2} s", s.cpu_seconds)
    });
    row("burst: changes → publications, settle", &|s| {
        format!("{} → {}, {}", s.burst.0, s.burst.1, f3(s.burst.2))
    });
    row("stale publications (older after newer)", &|s| {
        s.stale.to_string()
    });
    row("empty completion lists", &|s| {
        s.empty_completions.to_string()
    });
}

// ---------------------------------------------------------------------------------------------
// Many files (`--files N`)
// ---------------------------------------------------------------------------------------------

/// One many-files replay.
#[derive(Default)]
struct ManyRun {
    files: usize,
    /// `amplify-lsp check` on the same project, wall time: the anchor.
    check: Duration,
    /// First `didOpen` sent → the last file's keystroke diagnostics.
    total: Duration,
    /// Per file: its `didOpen` sent → its keystroke's diagnostics (open, first diagnostics, keystroke, its
    /// diagnostics).
    per_file: Vec<Duration>,
    /// Per file: `didOpen` sent → its first diagnostics.
    opens: Vec<Duration>,
    keystrokes: Vec<Duration>,
    /// Publications received during the opens (one per open and one per keystroke is the minimum).
    publications: usize,
    peak_rss_kb: u64,
    cpu_seconds: f64,
    /// A second server: every `didOpen` written without waiting (a write blocks while the server does not
    /// read its input), then until every file has its first diagnostics.
    burst_send: Duration,
    burst_settle: Duration,
    /// Typing into a function's name with every file open: each keystroke to its own diagnostics, how many
    /// publications (the other files' are published only when they change), and the server's CPU time.
    rename_keystrokes: Vec<Duration>,
    rename_publications: usize,
    rename_cpu: f64,
}

/// The pause between keystrokes typed into a function's name (fast typing).
const RENAME_GAP: Duration = Duration::from_millis(60);

impl ManyRun {
    /// How many files the first/last windows hold: 100, or a quarter of the files when fewer than 400.
    fn window(&self) -> usize {
        (self.per_file.len() / 4).clamp(1, 100)
    }
    fn first_window(&self) -> Duration {
        let w = self.window();
        self.per_file.iter().take(w).sum::<Duration>() / w as u32
    }
    fn last_window(&self) -> Duration {
        let w = self.window();
        self.per_file.iter().rev().take(w).sum::<Duration>() / w as u32
    }
}

fn many_files(server: &Path, counts: &[usize], runs: usize) {
    let mut all: Vec<Vec<ManyRun>> = Vec::new();
    for &n in counts {
        let mut per_run = Vec::new();
        for run in 1..=runs {
            let r = replay_many(server, n).unwrap_or_else(|e| {
                eprintln!("many-files replay of {n} files failed: {e}");
                std::process::exit(1);
            });
            println!(
                "{n:>5} files run {run}: total {:.2} s (check {:.2} s) | per file first/last {} {} / {} | open p50 {} | keystroke p50 {} p95 {} | {} publications | peak RSS {:.1} MB | didOpen burst: sent in {:.2} s, settled {:.2} s",
                r.total.as_secs_f64(),
                r.check.as_secs_f64(),
                r.window(),
                ms(r.first_window()),
                ms(r.last_window()),
                ms(percentile(&r.opens, 50.0)),
                ms(percentile(&r.keystrokes, 50.0)),
                ms(percentile(&r.keystrokes, 95.0)),
                r.publications,
                r.peak_rss_kb as f64 / 1024.0,
                r.burst_send.as_secs_f64(),
                r.burst_settle.as_secs_f64(),
            );
            per_run.push(r);
        }
        all.push(per_run);
    }
    println!(
        "\nmedians over {runs} run(s) | {}\n|---|{}",
        counts
            .iter()
            .map(|n| format!("{n} files"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(counts.len())
    );
    let row = |label: &str, f: &dyn Fn(&ManyRun) -> f64, unit: &dyn Fn(f64) -> String| {
        let cells: Vec<String> = all
            .iter()
            .map(|runs| unit(median_of(runs.iter().map(f))))
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    };
    let secs = |x: f64| format!("{x:.2} s");
    let msf = |x: f64| format!("{x:.2} ms");
    let times = |x: f64| format!("{x:.2}×");
    let plain = |x: f64| format!("{x:.0}");
    row("files opened", &|r| r.files as f64, &plain);
    row(
        "open each, to first diagnostics, + 1 keystroke: total",
        &|r| r.total.as_secs_f64(),
        &secs,
    );
    row(
        "`amplify-lsp check` on the project (anchor)",
        &|r| r.check.as_secs_f64(),
        &secs,
    );
    row(
        "total ÷ check",
        &|r| r.total.as_secs_f64() / r.check.as_secs_f64().max(1e-9),
        &times,
    );
    row(
        "per file, first window (100 files, or a quarter)",
        &|r| r.first_window().as_secs_f64() * 1e3,
        &msf,
    );
    row(
        "per file, last window",
        &|r| r.last_window().as_secs_f64() * 1e3,
        &msf,
    );
    row(
        "last ÷ first (1 = linear)",
        &|r| r.last_window().as_secs_f64() / r.first_window().as_secs_f64().max(1e-9),
        &times,
    );
    // across sizes, in this invocation: the per-file time of the last window against the smallest project's
    let smallest = all
        .first()
        .map(|runs| median_of(runs.iter().map(|r| r.last_window().as_secs_f64())))
        .unwrap_or(0.0);
    row(
        "per file, last window ÷ the first column's (1 = linear)",
        &|r| r.last_window().as_secs_f64() / smallest.max(1e-9),
        &times,
    );
    row(
        "didOpen → diagnostics p50",
        &|r| percentile(&r.opens, 50.0).as_secs_f64() * 1e3,
        &msf,
    );
    row(
        "keystroke → diagnostics p50",
        &|r| percentile(&r.keystrokes, 50.0).as_secs_f64() * 1e3,
        &msf,
    );
    row(
        "keystroke → diagnostics p95",
        &|r| percentile(&r.keystrokes, 95.0).as_secs_f64() * 1e3,
        &msf,
    );
    row(
        "publications (2 per file is the minimum)",
        &|r| r.publications as f64,
        &plain,
    );
    row(
        "peak RSS (VmHWM)",
        &|r| r.peak_rss_kb as f64 / 1024.0,
        &|x| format!("{x:.1} MB"),
    );
    row("server CPU time", &|r| r.cpu_seconds, &secs);
    row(
        "all open, 5 keys into a function's name (60 ms apart): keystroke p50",
        &|r| percentile(&r.rename_keystrokes, 50.0).as_secs_f64() * 1e3,
        &msf,
    );
    row("… publications", &|r| r.rename_publications as f64, &plain);
    row("… server CPU time", &|r| r.rename_cpu, &secs);
    row(
        "all didOpens written without waiting",
        &|r| r.burst_send.as_secs_f64(),
        &secs,
    );
    row(
        "… then until every file has diagnostics",
        &|r| r.burst_settle.as_secs_f64(),
        &secs,
    );
}

/// Spawns the server and initializes it for the workspace `root`.
fn start_client(server: &Path, root: &Path) -> std::io::Result<Client> {
    // as editors do, the client offers to watch files for the server (answering its registration), unless
    // REPLAY_NO_WATCH is set
    let watch = std::env::var_os("REPLAY_NO_WATCH").is_none();
    let mut c = Client::spawn(server)?;
    let root_uri = file_uri(root);
    let (id, _) = c.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "textDocument": {
                    "synchronization": { "didSave": true },
                    "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
                },
                "workspace": {
                    "configuration": true,
                    "didChangeWatchedFiles": { "dynamicRegistration": watch }
                }
            }
        }),
    )?;
    c.response(id)?;
    c.notify("initialized", json!({}))?;
    Ok(c)
}

fn replay_many(server: &Path, n: usize) -> std::io::Result<ManyRun> {
    let dir = tempfile::tempdir()?;
    let root = dir.path().to_path_buf();
    let files = gen::write_many(n, &root)?;
    if !files.iter().all(|(_, t)| t.is_ascii()) {
        return Err(io("the fixtures must be ASCII"));
    }
    let mut run = ManyRun {
        files: files.len(),
        ..ManyRun::default()
    };

    // The anchor: the command-line check of the same project, in this run.
    let t = Instant::now();
    let out = Command::new(server)
        .arg("check")
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    run.check = t.elapsed();
    if out.code().is_none_or(|c| c > 1) {
        return Err(io(&format!("amplify-lsp check failed: {out}")));
    }

    // Open every file, one after another, each to its first diagnostics, then one keystroke (a space after the
    // first line's `;`) to its diagnostics.
    let mut c = start_client(server, &root)?;
    let t0 = Instant::now();
    for (rel, text) in &files {
        let uri = file_uri(&root.join(rel));
        let sent = open(&mut c, &uri, text)?;
        let (got, _) = c.diagnostics(&uri, 1)?;
        run.opens.push(got - sent);
        let first_line = text.find('\n').unwrap_or(text.len());
        let p = Pos::of(text, first_line);
        let key = c.change(&uri, 2, (p.json(), p.json()), " ")?;
        let (got, _) = c.diagnostics(&uri, 2)?;
        run.keystrokes.push(got - key);
        run.per_file.push(got - sent);
        // what is left are publications of other files: counted already, not waited for
        c.backlog.clear();
    }
    run.total = t0.elapsed();
    c.drain(Duration::from_millis(50))?;
    run.publications = c.publications.values().sum();
    let (rss, cpu) = c.resources();
    run.peak_rss_kb = rss;
    run.cpu_seconds = cpu;

    // With every file open, type into the first function's name (other files see it: every open file of the
    // project is checked again), a key every RENAME_GAP, each to its own diagnostics; then 300 ms more for the
    // re-checks of the other files.
    let (name, _) = gen::many_function(0);
    let rel = format!("amplify/functions/{name}/resource.ts");
    if let Some((_, text)) = files.iter().find(|(p, _)| *p == rel) {
        let uri = file_uri(&root.join(&rel));
        let quote = format!("name: '{name}");
        let at = text
            .find(&quote)
            .map(|i| i + quote.len())
            .ok_or_else(|| io("no name in the function's resource"))?;
        // the keystroke after the first line moved nothing in the name's line
        let p = Pos::of(text, at);
        let pubs_before: usize = c.publications.values().sum();
        let cpu_before = c.resources().1;
        for (k, ch) in "abcde".chars().enumerate() {
            let pos = Pos {
                line: p.line,
                col: p.col + k,
            };
            let version = 3 + k as i64;
            let sent = c.change(&uri, version, (pos.json(), pos.json()), &ch.to_string())?;
            let (got, _) = c.diagnostics(&uri, version)?;
            run.rename_keystrokes.push(got - sent);
            thread::sleep(RENAME_GAP.saturating_sub(got - sent));
        }
        // the other files' re-checks (published only when their diagnostics change)
        c.drain(Duration::from_millis(300))?;
        run.rename_publications = c.publications.values().sum::<usize>() - pubs_before;
        run.rename_cpu = c.resources().1 - cpu_before;
    }
    c.shutdown()?;

    // Every didOpen at once, as an editor restoring a session does: does the server keep reading its input?
    let mut c = start_client(server, &root)?;
    let mut pending: std::collections::HashSet<String> = std::collections::HashSet::new();
    let t0 = Instant::now();
    for (rel, text) in &files {
        let uri = file_uri(&root.join(rel));
        open(&mut c, &uri, text)?;
        pending.insert(uri);
    }
    run.burst_send = t0.elapsed();
    let deadline = Instant::now() + Duration::from_secs(600);
    while !pending.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some((_, m)) = c.recv(left)? else {
            return Err(io("timed out waiting for the didOpen burst's diagnostics"));
        };
        if m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["version"].as_i64() >= Some(1)
        {
            if let Some(uri) = m["params"]["uri"].as_str() {
                pending.remove(uri);
            }
        }
    }
    run.burst_settle = t0.elapsed();
    c.shutdown()?;
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(size: Size) -> String {
        let files = gen::project_files(size).expect("the generated project");
        gen::file_text(&files, gen::DATA_FILE)
    }

    #[test]
    fn the_rename_of_step_3c_leaves_every_size_valid_after_each_keystroke() {
        for size in Size::ALL {
            let text = schema(size);
            let (at, _) = gen::insertion_point(&text).expect("an insertion point");
            let end = rename_point(&text, at).expect("a field after the insertion point");
            // the end of a field's name: an identifier before it, `: a.` after it
            assert!(text[end..].starts_with(": a."), "{size:?}");
            let name_start = text[..end]
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
            assert!(
                end - name_start >= 3,
                "{size:?}: {:?}",
                &text[name_start..end]
            );
            let keys = letters(RENAME_SUFFIX);
            assert_eq!(keys.concat(), RENAME_SUFFIX);
            let steps = reparse_times(&text, end, &keys).expect("reparse");
            assert_eq!(steps.len(), 2 * RENAME_SUFFIX.len());
            assert!(steps.iter().all(|&(_, valid)| valid), "{size:?}");
        }
    }

    #[test]
    fn typing_a_model_leaves_the_file_broken_but_for_a_few_keystrokes() {
        // the split the replay reports: step 3's keystrokes that leave the file valid are the indentation
        // before the model's name and the end of the finished model, typed and deleted
        let text = schema(Size::Starter);
        let (at, indent) = gen::insertion_point(&text).expect("an insertion point");
        let model = gen::typed_model(indent);
        let keys = keystrokes(&model);
        let steps = reparse_times(&text, at, &keys).expect("reparse");
        assert_eq!(steps.len(), 2 * keys.len());
        let valid = steps.iter().filter(|&&(_, v)| v).count();
        assert!(
            valid > 0 && valid * 10 < steps.len(),
            "{valid} of {}",
            steps.len()
        );
        // the last deletion restores the text as it was: valid
        assert!(steps.last().is_some_and(|&(_, v)| v));
    }

    #[test]
    fn keystrokes_are_split_by_whether_they_left_the_file_valid() {
        let ms = Duration::from_millis;
        let run = Run {
            keystrokes: vec![ms(1), ms(2), ms(3), ms(4)],
            leaves_valid: vec![true, false, false, true],
            ..Run::default()
        };
        assert_eq!(run.split_keystrokes(true), vec![ms(1), ms(4)]);
        assert_eq!(run.split_keystrokes(false), vec![ms(2), ms(3)]);
    }
}
