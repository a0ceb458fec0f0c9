//! The server's standard input and output, as editors connect them: a pipe (Helix, `std::process`) or a socket
//! pair (VS Code and Neovim, through libuv). Both are read and written directly on the server's threads (see
//! `lsp::stdio`), which its debug log says; a session over each must work end to end.

use std::io::{BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};

use amplify_lsp_tests::{framed, read_message, server_binary, TIMEOUT};
use serde_json::{json, Value};

fn send(w: &mut impl Write, msg: Value) {
    w.write_all(&framed(msg.to_string().as_bytes()))
        .expect("write");
    w.flush().expect("flush");
}

/// Reads the server's messages on a thread of their own, so that a server that stops answering fails the test
/// (after [`TIMEOUT`]) instead of hanging it.
fn messages(output: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(output);
        while let Some(m) = read_message(&mut r) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    rx
}

fn receive(rx: &Receiver<Value>) -> Value {
    rx.recv_timeout(TIMEOUT)
        .expect("the server's next message within the timeout")
}

/// Initialize, open a document with a finding, get its diagnostics, shut down and exit; returns the server's
/// stderr once it has ended.
fn session(mut child: Child, input: &mut impl Write, output: &Receiver<Value>) -> String {
    send(
        input,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
    );
    while receive(output).get("id") != Some(&json!(1)) {}
    send(
        input,
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );
    let text = "import { defineStorage } from '@aws-amplify/backend';\n\
                export const storage = defineStorage({ name: 'photos', acess: {} });\n";
    send(
        input,
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
        "uri": "file:///stdio-test/amplify/storage/resource.ts", "languageId": "typescript",
        "version": 1, "text": text } } }),
    );
    let diags = loop {
        let m = receive(output);
        if m["method"] == "textDocument/publishDiagnostics" {
            break m["params"]["diagnostics"].clone();
        }
    };
    assert!(
        diags.to_string().contains("shape/unknown-property"),
        "diagnostics: {diags}"
    );
    send(
        input,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    );
    while receive(output).get("id") != Some(&json!(2)) {}
    send(input, json!({ "jsonrpc": "2.0", "method": "exit" }));
    let status = exited(&mut child);
    assert!(status.success(), "exit status {status}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    err
}

/// Waits (at most [`TIMEOUT`]) for the server to exit.
fn exited(child: &mut Child) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit within the timeout");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn command() -> Command {
    let mut c = Command::new(server_binary());
    c.arg("--stdio")
        .env("AMPLIFY_LSP_LOG", "info,amplify_lsp::lsp::stdio=debug")
        .stderr(Stdio::piped());
    c
}

#[test]
fn a_pipe_is_read_and_written_directly() {
    let mut child = command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let output = messages(child.stdout.take().expect("stdout"));
    let err = session(child, &mut input, &output);
    assert!(
        err.contains("standard input: a pipe, direct; standard output: a pipe, direct"),
        "stderr: {err}"
    );
}

#[test]
fn a_socket_pair_is_read_and_written_directly() {
    let (ours, theirs) = UnixStream::pair().expect("socket pair");
    let theirs_too = theirs.try_clone().expect("clone");
    let child = command()
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs_too)))
        .spawn()
        .expect("spawn");
    let mut input = ours.try_clone().expect("clone");
    let output = messages(ours);
    let err = session(child, &mut input, &output);
    assert!(
        err.contains("standard input: a socket, direct; standard output: a socket, direct"),
        "stderr: {err}"
    );
}

#[test]
fn a_file_is_read_through_a_thread() {
    // a session written ahead into a file: the input is not a pipe nor a socket
    let dir = std::env::temp_dir().join(format!("amplify-lsp-stdio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("input");
    let mut script = Vec::new();
    send(
        &mut script,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
    );
    send(
        &mut script,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    );
    send(&mut script, json!({ "jsonrpc": "2.0", "method": "exit" }));
    std::fs::write(&path, script).expect("write");
    let mut child = command()
        .stdin(std::fs::File::open(&path).expect("open"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    exited(&mut child);
    let out = child.wait_with_output().expect("output");
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("standard input: through a thread; standard output: a pipe, direct"),
        "stderr: {err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(r#""id":2"#),
        "no answer to shutdown: {stdout}"
    );
}
