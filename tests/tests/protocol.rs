//! The foundation through the real binary: initialize, document sync, positions, shutdown.

use amplify_lsp_tests::*;

fn debug(c: &mut Client, uri: &str) -> Value {
    c.request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument")
}

fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> Value {
    json!({ "range": { "start": { "line": l0, "character": c0 }, "end": { "line": l1, "character": c1 } }, "text": text })
}

#[test]
fn initialize_advertises_capabilities_and_server_info() {
    let c = Client::start();
    let res = &c.init_result;
    assert_eq!(res["serverInfo"]["name"], "amplify-lsp");
    assert_eq!(res["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    let caps = &res["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(
        caps["positionEncoding"], "utf-16",
        "UTF-16 unless the client offers UTF-8"
    );
    assert!(c.shutdown().success());
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let c = Client::start_with(json!({
        "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } }
    }));
    assert_eq!(c.init_result["capabilities"]["positionEncoding"], "utf-8");
    let c2 = Client::start_with(json!({
        "capabilities": { "general": { "positionEncodings": ["utf-32", "utf-16"] } }
    }));
    assert_eq!(c2.init_result["capabilities"]["positionEncoding"], "utf-16");
}

#[test]
fn open_change_close() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "const a = 1;\n");
    c.diagnostics(&uri, Some(1));
    c.change(&uri, 2, json!([edit(0, 10, 0, 11, "42")]));
    c.diagnostics(&uri, Some(2));
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], "const a = 42;\n");
    assert_eq!(d["version"], 2);
    assert_eq!(d["amplify"], true);
    assert_eq!(d["treeMatchesFreshParse"], true);
    // full-text change
    c.change(&uri, 3, json!([{ "text": "export {};\n" }]));
    assert_eq!(debug(&mut c, &uri)["text"], "export {};\n");
    c.close(&uri);
    // the close's own publish (no version), not the last version's, which may arrive later
    let u = json!(uri);
    let cleared = c.wait_for(move |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == u
            && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]), "{cleared}");
    let err = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect_err("closed documents are gone");
    assert!(err["message"].as_str().unwrap_or("").contains("not open"));
    assert!(c.shutdown().success());
}

/// Neovim's `:edit!` closes a document and opens it again at once. The close's empty list and the reopened
/// document's findings are published by different handlers, through one queue; the client must see them in that
/// order, or it shows no findings for a document that has some. Done ten times: each reopening's findings come
/// after its close's empty list, and the last publication of the document is its findings. (A close's empty list
/// still waiting in the queue when the reopened findings are ready is replaced by them, as any older list of a
/// document is: the client then goes from findings to findings. So a close publishes at most one empty list, not
/// always one.)
#[test]
fn a_reopened_documents_findings_follow_the_empty_list_of_its_close() {
    const STORAGE: &str = "import { defineStorage } from '@aws-amplify/backend';\n\
        export const storage = defineStorage({\n  name: 'files',\n  access: (allow) => ({\n    \
        'photos': [allow.authenticated.to(['read'])],\n  }),\n});\n";
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    assert!(!c.diagnostics(&uri, Some(1)).is_empty());
    for round in 0..10 {
        let version = 2 + round;
        c.close(&uri);
        c.open_uri(&uri, STORAGE, version);
        let found = c.diagnostics(&uri, Some(version));
        assert!(
            Client::codes(&found).contains(&"storage/path-wildcard".to_string()),
            "{found:#?}"
        );
    }
    // everything published for the document, in the order it arrived
    let u = json!(uri);
    let published: Vec<(Value, usize)> = c
        .transcript
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .map(|m| {
            let n = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            (m["params"]["version"].clone(), n)
        })
        .collect();
    // the closes' empty lists are the publications without a version; the findings, one per version in order
    let mut findings: Vec<i64> = published
        .iter()
        .filter(|(v, n)| !v.is_null() && *n > 0)
        .filter_map(|(v, _)| v.as_i64())
        .collect();
    findings.dedup();
    assert_eq!(findings, (1..=11).collect::<Vec<i64>>(), "{published:?}");
    assert!(
        published
            .iter()
            .all(|(v, n)| (v.is_null() && *n == 0) || *n > 0),
        "a list that is neither a close's nor findings: {published:?}"
    );
    // between the findings of one version and the next, at most the one empty list of the close between them:
    // a close's empty list that arrived after the reopened findings would make two in a gap, or one at the end
    let mut empties_in_gap = 0;
    for (v, _) in &published {
        if v.is_null() {
            empties_in_gap += 1;
            assert!(
                empties_in_gap <= 1,
                "two empty lists in a row: {published:?}"
            );
        } else {
            empties_in_gap = 0;
        }
    }
    let last = published.last().expect("published");
    assert!(
        last.1 > 0,
        "the document ends without findings: {published:?}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn a_hundred_quick_incremental_edits_apply_in_order() {
    let mut c = Client::start();
    let uri = c.open("amplify/data/resource.ts", "");
    let mut expected = String::new();
    let word = "const schema = a.schema({ Todo: a.model({ content: a.string() }) });\n";
    let mut version = 1;
    // 100 single-character insertions at the end, sent without waiting for anything.
    for ch in word.chars().cycle().take(100) {
        version += 1;
        let lines: Vec<&str> = expected.split('\n').collect();
        let line = lines.len() as u32 - 1;
        let col = lines.last().map_or(0, |l| l.encode_utf16().count()) as u32;
        c.change(
            &uri,
            version,
            json!([edit(line, col, line, col, &ch.to_string())]),
        );
        expected.push(ch);
    }
    let d = debug(&mut c, &uri);
    assert_eq!(d["version"], version);
    assert_eq!(d["text"].as_str(), Some(expected.as_str()));
    assert_eq!(d["treeMatchesFreshParse"], true);
}

#[test]
fn stale_versions_are_ignored_not_applied() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "abc");
    c.change(&uri, 5, json!([edit(0, 0, 0, 0, "x")]));
    c.change(&uri, 5, json!([edit(0, 0, 0, 0, "y")])); // repeated version
    c.change(&uri, 3, json!([edit(0, 0, 0, 0, "z")])); // older version
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], "xabc");
    assert_eq!(d["version"], 5);
}

#[test]
fn utf16_positions_with_emoji_and_cjk() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "// 😀中文\nconst a = '😀';\n");
    // After "// 😀中文" the UTF-16 column is 3 + 2 + 2 = 7.
    c.change(&uri, 2, json!([edit(0, 7, 0, 7, "!")]));
    // Inside the string on line 1: "const a = '" is 11 units, the emoji 2 more.
    c.change(&uri, 3, json!([edit(1, 13, 1, 13, "x")]));
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], "// 😀中文!\nconst a = '😀x';\n");
}

#[test]
fn utf8_positions_with_emoji_and_cjk() {
    let mut c = Client::start_with(json!({
        "capabilities": { "general": { "positionEncodings": ["utf-8"] } }
    }));
    let uri = c.open("amplify/backend.ts", "// 😀中文\nconst a = '😀';\n");
    // UTF-8: "// " 3 bytes + emoji 4 + 中文 6 = 13.
    c.change(&uri, 2, json!([edit(0, 13, 0, 13, "!")]));
    c.change(&uri, 3, json!([edit(1, 15, 1, 15, "x")]));
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], "// 😀中文!\nconst a = '😀x';\n");
}

#[test]
fn diagnostic_ranges_use_the_negotiated_encoding() {
    // With syntax errors enabled, the range after an emoji differs between encodings.
    let text = "const s = '😀'; )\n";
    for (encs, col) in [(json!(["utf-16"]), 16), (json!(["utf-8"]), 18)] {
        let mut c = Client::start_with(json!({
            "initializationOptions": { "syntaxErrors": true },
            "capabilities": { "general": { "positionEncodings": encs } }
        }));
        let uri = c.open("amplify/backend.ts", text);
        let diags = c.diagnostics(&uri, Some(1));
        let syntax: Vec<_> = diags
            .iter()
            .filter(|d| d["code"] == "syntax/error")
            .collect();
        assert!(!syntax.is_empty(), "{diags:?}");
        assert_eq!(syntax[0]["range"]["start"]["character"], col, "{diags:?}");
    }
}

#[test]
fn syntax_errors_are_not_published_unless_asked() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "const = ;\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&diags).iter().all(|c| c != "syntax/error"),
        "{diags:?}"
    );
    // Turning the setting on re-publishes with them.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "syntaxErrors": true } } }),
    );
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&diags).iter().any(|c| c == "syntax/error"),
        "{diags:?}"
    );
}

#[test]
fn non_amplify_files_are_tracked_but_not_analysed() {
    let mut c = Client::start_with(json!({ "initializationOptions": { "syntaxErrors": true } }));
    let uri = c.open("src/app.ts", "const = ;\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert!(diags.is_empty());
    assert_eq!(debug(&mut c, &uri)["amplify"], false);
    // Importing the Amplify backend package makes it ours.
    c.change(
        &uri,
        2,
        json!([edit(
            0,
            0,
            0,
            0,
            "import { a } from '@aws-amplify/backend';\n"
        )]),
    );
    let diags = c.diagnostics(&uri, Some(2));
    assert!(!diags.is_empty());
}

#[test]
fn shutdown_then_exit_is_clean() {
    let c = Client::start();
    let status = c.shutdown();
    assert_eq!(status.code(), Some(0));
}

/// A client that asks for dynamic watcher registration and never answers the server's `client/registerCapability`
/// request, then sends `shutdown` and `exit` without closing stdin (as VS Code's protocol library may): the
/// unanswered request must not keep the process alive.
#[test]
fn exit_ends_the_process_even_with_a_server_request_unanswered() {
    let mut c = Client::start_with(json!({
        "capabilities": {
            "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
            "window": { "workDoneProgress": true }
        }
    }));
    // The registration request is on its way; it is deliberately never answered.
    let shutdown = c.send_request("shutdown", Value::Null);
    let (mut answered, mut registration) = (false, false);
    while !(answered && registration) {
        let msg = c
            .recv_unanswered(TIMEOUT)
            .expect("no shutdown answer or registration request");
        answered |= msg["id"] == json!(shutdown) && msg.get("method").is_none();
        registration |= msg["method"] == "client/registerCapability";
    }
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit_stdin_open().code(), Some(0));
}

/// A client that advertises workspace folders, dynamic watcher registration and progress, but never answers
/// the server's requests: the server stops waiting after a few seconds, indexes the folders `initialize`
/// named, and keeps serving meanwhile.
#[test]
fn unanswered_client_requests_do_not_stall_indexing() {
    let mut c = Client::spawn(&[]);
    c.write_file(
        "amplify/auth/resource.ts",
        "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });\n",
    );
    c.write_file(
        "amplify/backend.ts",
        "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\ndefineBackend({ auth });\n",
    );
    let root_uri = file_uri(c.root.path());
    let init = c.send_request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "test" }],
            "capabilities": {
                "workspace": {
                    "workspaceFolders": true,
                    "didChangeWatchedFiles": { "dynamicRegistration": true }
                },
                "window": { "workDoneProgress": true }
            }
        }),
    );
    loop {
        let msg = c.recv_unanswered(TIMEOUT).expect("no initialize answer");
        if msg["id"] == json!(init) && msg.get("method").is_none() {
            break;
        }
    }
    c.notify("initialized", json!({}));
    // The server asks for the folders and registers its watchers; neither is answered.
    let (mut folders_asked, mut registration) = (false, false);
    while !(folders_asked && registration) {
        let msg = c
            .recv_unanswered(TIMEOUT)
            .expect("the server asked nothing");
        folders_asked |= msg["method"] == "workspace/workspaceFolders";
        registration |= msg["method"] == "client/registerCapability";
    }
    // Meanwhile, requests are answered.
    let uri = c.uri("amplify/backend.ts");
    c.open_uri(
        &uri,
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n",
        1,
    );
    let hover = c.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 3 } }),
    );
    loop {
        let msg = c.recv_unanswered(TIMEOUT).expect("no hover answer");
        if msg["id"] == json!(hover) && msg.get("method").is_none() {
            assert!(msg.get("error").is_none(), "{msg}");
            break;
        }
    }
    // After the time limit, the folders `initialize` named are indexed anyway.
    let deadline = std::time::Instant::now() + TIMEOUT;
    while !c
        .log()
        .contains("indexed 2 backend files in 1 workspace folders")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the workspace was never indexed:\n{}",
            c.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let log = c.log();
    assert!(
        log.contains("did not answer the workspace folders request"),
        "{log}"
    );
    assert!(
        log.contains("did not answer the file watcher registration"),
        "{log}"
    );
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let mut c = Client::start();
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
}

#[test]
fn closing_stdin_ends_the_server_cleanly() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "x");
    c.diagnostics(&uri, Some(1));
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn logs_go_to_the_client_with_their_level_and_stdout_is_only_protocol() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "x");
    c.diagnostics(&uri, Some(1));
    // A warning: a change for a document that is not open.
    c.change(&c.uri("amplify/nowhere.ts"), 2, json!([{ "text": "y" }]));
    c.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("not open"))
    });
    // Every message on stdout parsed as JSON-RPC (the reader would have stopped otherwise) ...
    assert!(c.transcript.iter().all(|m| m["jsonrpc"] == "2.0"));
    let logs = c.log_messages();
    let find = |needle: &str| {
        logs.iter()
            .find(|(_, m)| m.contains(needle))
            .map(|(t, _)| *t)
            .unwrap_or_else(|| panic!("no log message with {needle:?}: {logs:#?}"))
    };
    // ... the logs went to the client, each with its level as the message type (clients show stderr as
    // errors): info is 3, a warning 2, debug 4 (log) ...
    assert_eq!(find("ready"), 3);
    assert_eq!(find("not open"), 2);
    assert_eq!(find("checked"), 4, "debug says what was analysed");
    // ... with neither a timestamp nor a level in the text (the client adds its own) ...
    for (_, m) in &logs {
        assert!(
            !m.starts_with("20") && !m.contains(" INFO ") && !m.contains(" DEBUG "),
            "{m}"
        );
    }
    // ... and stderr has nothing from the connected session.
    c.wait_exit();
    let stderr = c.stderr();
    assert!(!stderr.contains("ready"), "{stderr}");
    assert!(!stderr.contains("not open"), "{stderr}");
}

#[test]
fn a_normal_shutdown_writes_no_error_to_stderr() {
    // Editors show a server's stderr as errors. The last log lines race the end of the connection (VS Code
    // showed "[error] failed to send notification" after about one restart in three).
    for round in 0..15 {
        let mut c = Client::start();
        let uri = c.open(
            "amplify/backend.ts",
            "import { defineBackend } from '@aws-amplify/backend';\n",
        );
        c.diagnostics(&uri, Some(1));
        c.request("shutdown", Value::Null).expect("shutdown");
        c.notify("exit", Value::Null);
        let status = c.wait_exit();
        assert_eq!(status.code(), Some(0));
        let stderr = c.stderr();
        assert!(
            !stderr.contains("ERROR") && !stderr.contains("WARN"),
            "round {round}: {stderr}"
        );
    }
}
