//! The server's standard input and output, as editors connect them: a pipe (Helix, `std::process`) or a socket
//! pair (VS Code and Neovim, through libuv). Both are read and written directly on the server's threads (see
//! `lsp::stdio`), which its debug log says; a session over each must work end to end.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};

use amplify_lsp_tests::server_binary;
use serde_json::{json, Value};

fn send(w: &mut impl Write, msg: Value) {
    let body = msg.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
    w.flush().expect("flush");
}

fn receive(r: &mut impl BufRead) -> Value {
    let mut len = None;
    loop {
        let mut line = String::new();
        assert!(
            r.read_line(&mut line).expect("read") > 0,
            "the output ended"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len.expect("a Content-Length")];
    r.read_exact(&mut body).expect("body");
    serde_json::from_slice(&body).expect("json")
}

/// Initialize, open a document with a finding, get its diagnostics, shut down and exit; returns the server's
/// stderr once it has ended.
fn session(mut child: Child, input: &mut impl Write, output: &mut impl BufRead) -> String {
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
    let status = child.wait().expect("wait");
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
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    let err = session(child, &mut input, &mut output);
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
    let mut output = BufReader::new(ours);
    let err = session(child, &mut input, &mut output);
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
    let out = command()
        .stdin(std::fs::File::open(&path).expect("open"))
        .stdout(Stdio::piped())
        .output()
        .expect("run");
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
