//! Hostile input through the real binary: malformed protocol traffic, absurd positions and versions, huge and
//! deeply nested documents, odd encodings and line endings, cancellation, panics inside analysis. For each
//! case the server answers with a clear error or an empty result, and a follow-up request still works.

use std::time::{Duration, Instant};

use amplify_lsp_tests::*;

/// The environment that enables the server's test hooks (`amplify/debugPanic`, the panic marker).
const HOOKS: &[(&str, &str)] = &[("AMPLIFY_LSP_TEST_HOOKS", "1")];
/// Mirrors `amplify_lsp::lsp::TEST_PANIC_MARK`.
const PANIC_MARK: &str = "__amplify_lsp_test_panic__";

const STORAGE: &str = "import { defineStorage } from '@aws-amplify/backend';\n\
export const storage = defineStorage({\n  name: 'files',\n  access: (allow) => ({\n    \
'photos': [allow.guest.to(['read'])],\n  }),\n});\n";

fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> Value {
    json!({ "range": { "start": { "line": l0, "character": c0 }, "end": { "line": l1, "character": c1 } }, "text": text })
}

fn pos(line: u64, character: u64) -> Value {
    json!({ "line": line, "character": character })
}

fn debug(c: &mut Client, uri: &str) -> Value {
    c.request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument")
}

/// The server still serves: a fresh document opens, is analysed (the storage path rule fires), and completion
/// and hover answer.
fn assert_serving(c: &mut Client) {
    assert!(c.alive(), "server died; stderr:\n{}", c.log());
    let uri = c.uri(&format!(
        "probe{}/amplify/storage/resource.ts",
        c.transcript.len()
    ));
    c.open_uri(&uri, STORAGE, 1);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&diags).contains(&"storage/path-wildcard".to_string()),
        "{diags:?}"
    );
    let items = c.completion(&uri, position_of(STORAGE, "name", 0));
    assert!(!items.is_empty(), "completion answers");
    assert!(c
        .hover(&uri, position_of(STORAGE, "defineStorage({", 3))
        .contains("defineStorage"));
    assert_eq!(debug(c, &uri)["text"], STORAGE);
    c.close(&uri);
}

/// Waits for an error response with `id` and returns its error object.
fn error_for(c: &mut Client, id: Value) -> Value {
    let msg = c.wait_for(|m| m.get("id") == Some(&id) && m.get("method").is_none());
    msg.get("error")
        .cloned()
        .unwrap_or_else(|| panic!("expected an error response, got {msg}"))
}

// ---------------------------------------------------------------------------------------------
// Protocol framing and JSON-RPC
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_json_is_a_parse_error_and_the_session_goes_on() {
    let mut c = Client::start();
    for body in [
        &b"{not json"[..],
        b"",
        b"   ",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\xff\xfe\"}",
        br#"{"jsonrpc":"2.0","id":3,"method":"x","params":"\ud800"}"#,
    ] {
        c.send_raw(&framed(body));
        let err = error_for(&mut c, Value::Null);
        assert_eq!(err["code"], -32700, "{err}");
        assert!(!err["message"].as_str().unwrap_or("").is_empty());
    }
    // 10,000 nested JSON arrays: refused by the JSON parser's depth limit, not a stack overflow.
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    c.send_raw(&framed(deep.as_bytes()));
    assert_eq!(error_for(&mut c, Value::Null)["code"], -32700);
    assert_serving(&mut c);
    c.wait_log("invalid message from the client");
}

#[test]
fn invalid_requests_are_answered_with_their_id() {
    let mut c = Client::start();
    c.send_raw(&framed(br#"{"jsonrpc":"2.0","id":77,"method":5}"#));
    assert_eq!(error_for(&mut c, json!(77))["code"], -32600);
    c.send_raw(&framed(br#"{"jsonrpc":"1.0","id":"abc","method":"x"}"#));
    assert_eq!(error_for(&mut c, json!("abc"))["code"], -32600);
    c.send_raw(&framed(br#"[1, 2, 3]"#));
    assert_eq!(error_for(&mut c, Value::Null)["code"], -32600);
    c.send_raw(&framed(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#));
    assert_eq!(error_for(&mut c, Value::Null)["code"], -32600);
    // Parameters of the wrong shape: InvalidParams for the request's id.
    let id = c.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": 5 }, "position": "here" }),
    );
    assert_eq!(error_for(&mut c, json!(id))["code"], -32602);
    // A notification with bad parameters is dropped (and logged), nothing else.
    c.notify("textDocument/didOpen", json!({ "textDocument": 42 }));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": c.uri("amplify/x.ts"), "version": 1u64 << 40 }, "contentChanges": [] }),
    );
    assert_serving(&mut c);
}

#[test]
fn wrong_content_length_headers_are_survived() {
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    c.diagnostics(&uri, Some(1));
    let hover = |id: i64| {
        serde_json::to_vec(&json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": { "textDocument": { "uri": uri }, "position": position_of(STORAGE, "defineStorage({", 3) } }))
        .expect("json")
    };
    // Too long by 10: the message is read up to the end of its JSON, and the next message is not lost.
    let first = hover(1001);
    let mut bytes = format!("Content-Length: {}\r\n\r\n", first.len() + 10).into_bytes();
    bytes.extend_from_slice(&first);
    bytes.extend(framed(&hover(1002)));
    c.send_raw(&bytes);
    for id in [1001, 1002] {
        let r = c.response(id).expect("hover answered");
        assert!(r["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("defineStorage"));
    }
    // Too short by 5: a parse error, then the next message is read normally.
    let short = hover(1003);
    let mut bytes = format!("Content-Length: {}\r\n\r\n", short.len() - 5).into_bytes();
    bytes.extend_from_slice(&short);
    bytes.extend(framed(&hover(1004)));
    c.send_raw(&bytes);
    assert_eq!(error_for(&mut c, Value::Null)["code"], -32700);
    assert!(c.response(1004).is_ok());
    // Not a number, negative, absurdly large, missing: each a parse error, and reading goes on.
    for header in [
        "Content-Length: ten\r\n\r\n",
        "Content-Length: -4\r\n\r\n",
        "Content-Length: 99999999999999999\r\n\r\n",
        "Content-Type: application/vscode-jsonrpc\r\n\r\n",
        "garbage without any header at all\r\n\r\n",
    ] {
        c.send_raw(header.as_bytes());
        c.send_raw(&framed(&hover(1005)));
        assert_eq!(error_for(&mut c, Value::Null)["code"], -32700, "{header:?}");
        assert!(c.response(1005).is_ok(), "{header:?}");
    }
    assert_serving(&mut c);
}

#[test]
fn unknown_methods_are_method_not_found() {
    let mut c = Client::start();
    let err = c
        .request("amplify/noSuchThing", json!({}))
        .expect_err("unknown method");
    assert_eq!(err["code"], -32601);
    let err = c
        .request(
            "textDocument/prepareTypeHierarchy",
            json!({ "textDocument": { "uri": c.uri("a.ts") }, "position": pos(0, 0) }),
        )
        .expect_err("unimplemented method");
    assert!(err["code"] == -32601 || err["code"] == -32603, "{err}");
    // A `$/` request the server does not know is MethodNotFound too (the spec says so), not silence.
    let err = c
        .request("$/noSuchRequest", json!({}))
        .expect_err("unknown $/ request");
    assert_eq!(err["code"], -32601);
    // Unknown notifications, `$/` ones included, are ignored silently.
    c.notify("amplify/noSuchNotification", json!({ "a": 1 }));
    c.notify("$/noSuchNotification", json!(null));
    // The test hooks are not there unless enabled.
    let err = c
        .request("amplify/debugPanic", json!({}))
        .expect_err("hooks are off");
    assert_eq!(err["code"], -32601);
    assert_serving(&mut c);
}

#[test]
fn requests_before_initialize_are_refused_then_initialize_works() {
    let mut c = Client::spawn(&[]);
    let id = c.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///p/amplify/backend.ts" }, "position": pos(0, 0) }),
    );
    assert_eq!(error_for(&mut c, json!(id))["code"], -32002);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///p/amplify/backend.ts", "languageId": "typescript", "version": 1, "text": "x" } }),
    );
    // Malformed input before initialize is survived too.
    c.send_raw(&framed(b"{oops"));
    let init = c
        .request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        )
        .expect("initialize");
    assert_eq!(init["serverInfo"]["name"], "amplify-lsp");
    c.notify("initialized", json!({}));
    // A second initialize is an error.
    assert!(c
        .request("initialize", json!({ "capabilities": {} }))
        .is_err());
    assert_serving(&mut c);
}

// ---------------------------------------------------------------------------------------------
// Documents, positions, versions
// ---------------------------------------------------------------------------------------------

#[test]
fn requests_for_documents_never_opened_are_empty() {
    let mut c = Client::start();
    let uri = c.uri("amplify/never/opened.ts");
    let tp = json!({ "textDocument": { "uri": uri }, "position": pos(0, 0) });
    assert_eq!(c.request("textDocument/hover", tp.clone()), Ok(Value::Null));
    let comp = c
        .request("textDocument/completion", tp.clone())
        .expect("completion");
    assert!(
        comp.is_null() || comp["items"].as_array().is_some_and(Vec::is_empty),
        "{comp}"
    );
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": { "start": pos(0, 0), "end": pos(0, 0) }, "context": { "diagnostics": [] } }),
        )
        .expect("codeAction");
    assert!(
        actions.is_null() || actions.as_array().is_some_and(Vec::is_empty),
        "{actions}"
    );
    let err = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect_err("not open");
    assert_eq!(err["code"], -32602);
    // Changing or closing a document that is not open is ignored.
    c.change(&uri, 2, json!([edit(0, 0, 0, 0, "x")]));
    c.close(&uri);
    c.close(&uri);
    // Odd URIs.
    for odd in [
        "untitled:Untitled-1".to_string(),
        "http://example.com/amplify/backend.ts".to_string(),
        "file:///%ZZ/amplify/%E0%A4%A/x.ts".to_string(),
        format!("file:///{}/amplify/backend.ts", "a".repeat(100_000)),
    ] {
        c.open_uri(&odd, STORAGE, 1);
        let _ = c.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": odd }, "position": pos(4, 6) }),
        );
        c.close(&odd);
    }
    assert_serving(&mut c);
}

#[test]
fn positions_past_the_end_are_clamped() {
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    c.diagnostics(&uri, Some(1));
    for p in [
        pos(0, 10_000),
        pos(10_000, 0),
        pos(u64::from(u32::MAX), u64::from(u32::MAX)),
        pos(3, u64::from(u32::MAX)),
    ] {
        assert!(c.hover(&uri, p.clone()).is_empty() || c.alive());
        c.completion(&uri, p);
    }
    // Edits past the end append at the end (line past the end) or at the line's end (column past the end).
    c.change(&uri, 2, json!([edit(10_000, 0, 10_000, 5, "// tail\n")]));
    c.change(&uri, 3, json!([edit(0, 10_000, 0, 20_000, " // first")]));
    let text = debug(&mut c, &uri)["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut expected = STORAGE.replacen('\n', " // first\n", 1);
    expected.push_str("// tail\n");
    assert_eq!(text, expected);
    // Out-of-range numbers in positions are invalid params, not a crash.
    let id = c.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": -1, "character": 1e300 } }),
    );
    assert_eq!(error_for(&mut c, json!(id))["code"], -32602);
    assert_serving(&mut c);
}

#[test]
fn ranges_with_start_after_end() {
    let mut c = Client::start();
    let uri = c.open("amplify/backend.ts", "abcdef\nghi\n");
    // An inverted range edits the span it covers.
    c.change(&uri, 2, json!([edit(0, 4, 0, 1, "X")]));
    assert_eq!(debug(&mut c, &uri)["text"], "aXef\nghi\n");
    c.change(&uri, 3, json!([edit(1, 2, 0, 2, "-")]));
    assert_eq!(debug(&mut c, &uri)["text"], "aX-i\n");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": { "start": pos(5, 0), "end": pos(0, 0) }, "context": { "diagnostics": [] } }),
    );
    assert!(actions.is_ok(), "{actions:?}");
    assert_serving(&mut c);
}

#[test]
fn stale_and_repeated_versions_are_ignored() {
    let mut c = Client::start();
    let uri = c.open_versioned("amplify/backend.ts", "abc", 10);
    c.change(&uri, 10, json!([edit(0, 0, 0, 0, "same")]));
    c.change(&uri, 9, json!([edit(0, 0, 0, 0, "older")]));
    c.change(&uri, -5, json!([{ "text": "negative" }]));
    assert_eq!(debug(&mut c, &uri)["text"], "abc");
    c.change(&uri, 11, json!([edit(0, 3, 0, 3, "!")]));
    c.change(&uri, 11, json!([edit(0, 0, 0, 0, "dup")]));
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], "abc!");
    assert_eq!(d["version"], 11);
    c.wait_log("not newer");
    // Diagnostics are never published for an ignored version.
    assert!(c
        .try_wait_for(Duration::from_millis(300), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && m["params"]["version"] == json!(9)
        })
        .is_none());
    // Re-opening replaces the document, whatever its version.
    c.open_uri(&uri, "fresh", 1);
    assert_eq!(debug(&mut c, &uri)["text"], "fresh");
    assert_serving(&mut c);
}

trait OpenVersioned {
    fn open_versioned(&mut self, rel: &str, text: &str, version: i64) -> String;
}

impl OpenVersioned for Client {
    fn open_versioned(&mut self, rel: &str, text: &str, version: i64) -> String {
        let uri = self.uri(rel);
        self.open_uri(&uri, text, version);
        uri
    }
}

#[test]
fn full_and_incremental_changes_interleave() {
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", "x");
    // In one notification: incremental, full, incremental.
    c.change(
        &uri,
        2,
        json!([edit(0, 0, 0, 1, "y"), { "text": STORAGE }, edit(2, 9, 2, 14, "pics")]),
    );
    let expected = STORAGE.replace("'files'", "'pics'");
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], expected);
    assert_eq!(d["treeMatchesFreshParse"], true);
    // Across notifications, sent without waiting.
    let mut text = expected.clone();
    for v in 3..40 {
        if v % 7 == 0 {
            text = format!("// v{v}\n{STORAGE}");
            c.change(&uri, v, json!([{ "text": text }]));
        } else {
            c.change(&uri, v, json!([edit(0, 0, 0, 0, "/**/")]));
            text.insert_str(0, "/**/");
        }
    }
    let d = debug(&mut c, &uri);
    assert_eq!(d["text"], text);
    assert_eq!(d["version"], 39);
    assert_eq!(d["treeMatchesFreshParse"], true);
    let diags = c.diagnostics(&uri, Some(39));
    assert!(Client::codes(&diags).contains(&"storage/path-wildcard".to_string()));
    assert_serving(&mut c);
}

// ---------------------------------------------------------------------------------------------
// Size, encodings, line endings
// ---------------------------------------------------------------------------------------------

#[test]
fn a_ten_megabyte_file_is_kept_but_not_analysed() {
    let mut c = Client::start();
    let mut text = String::from(STORAGE);
    let filler = "// padding padding padding padding padding padding padding padding padding\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(filler);
    }
    let uri = c.open("amplify/storage/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(diags.is_empty(), "too large to analyse: {diags:?}");
    let started = Instant::now();
    assert!(c
        .hover(&uri, position_of(STORAGE, "defineStorage({", 3))
        .is_empty());
    assert!(c.completion(&uri, pos(2, 4)).is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
    // Edits still apply; the document stays in sync.
    c.change(&uri, 2, json!([edit(0, 0, 0, 0, "// edited\n")]));
    let d = debug(&mut c, &uri);
    assert_eq!(d["tooLarge"], true);
    assert_eq!(d["amplify"], false);
    assert_eq!(d["text"].as_str().map(str::len), Some(text.len() + 10));
    // One log line says so, naming the document.
    let log = c.wait_log("limit");
    let lines = log
        .lines()
        .filter(|l| l.contains(&uri) && l.contains("limit"))
        .count();
    assert_eq!(lines, 1, "{log}");
    // Shrunk below the limit, it is analysed again.
    c.change(&uri, 3, json!([{ "text": STORAGE }]));
    let diags = c.diagnostics(&uri, Some(3));
    assert!(Client::codes(&diags).contains(&"storage/path-wildcard".to_string()));
    assert_serving(&mut c);
}

#[test]
fn a_hundred_thousand_character_line() {
    let mut c = Client::start();
    let long = format!(
        "import {{ defineFunction }} from '@aws-amplify/backend';\nexport const f = defineFunction({{ name: 'f', environment: {{ {} }} }});\n",
        (0..8_500)
            .map(|i| format!("K{i}: 'v'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let line_len = long.lines().nth(1).map_or(0, str::len);
    assert!(line_len >= 100_000, "{line_len}");
    let started = Instant::now();
    let uri = c.open("amplify/functions/f/resource.ts", &long);
    c.diagnostics(&uri, Some(1));
    for col in [0, 50_000, 99_999, line_len as u64] {
        c.completion(&uri, pos(1, col));
        c.hover(&uri, pos(1, col));
    }
    // A string literal of 100,000 characters, edited in the middle.
    let lit = format!(
        "import {{ defineStorage }} from '@aws-amplify/backend';\nexport const storage = defineStorage({{ name: '{}' }});\n",
        "n".repeat(100_000)
    );
    let uri2 = c.open("amplify/storage/resource.ts", &lit);
    c.diagnostics(&uri2, Some(1));
    c.change(&uri2, 2, json!([edit(1, 50_000, 1, 50_001, "😀")]));
    c.diagnostics(&uri2, Some(2));
    c.hover(&uri2, pos(1, 50_001));
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_serving(&mut c);
}

#[test]
fn nul_bytes_survive_and_round_trip() {
    let mut c = Client::start();
    let text = format!("{}\0// \0\0\nconst s = 'a\0b';\n\0", STORAGE);
    let uri = c.open("amplify/storage/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(Client::codes(&diags).contains(&"storage/path-wildcard".to_string()));
    // Line 7 is "\0// \0\0": replace the space with two NULs.
    c.change(&uri, 2, json!([edit(7, 3, 7, 4, "\0\0")]));
    let d = debug(&mut c, &uri);
    let expected = text.replacen("\0// \0\0", "\0//\0\0\0\0", 1);
    assert_eq!(d["text"].as_str(), Some(expected.as_str()));
    c.hover(&uri, pos(8, 2));
    c.completion(&uri, pos(9, 12));
    assert_serving(&mut c);
}

#[test]
fn positions_between_the_halves_of_a_surrogate_pair() {
    let mut c = Client::start();
    // '😀' is two UTF-16 units: character 12 of line 0 lies between them.
    let text = "const x = '😀😀';\n";
    let uri = c.open("amplify/backend.ts", text);
    c.hover(&uri, pos(0, 12));
    c.completion(&uri, pos(0, 12));
    // An edit whose ends fall inside characters snaps back to the character starts; the text stays valid.
    c.change(&uri, 2, json!([edit(0, 12, 0, 12, "!")]));
    let t = debug(&mut c, &uri)["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(t, "const x = '!😀😀';\n");
    // Now '!' is unit 11 and the emoji units 12-13 and 14-15: 13..15 snaps to 12..14, the first emoji.
    c.change(&uri, 3, json!([edit(0, 13, 0, 15, "")]));
    let t = debug(&mut c, &uri)["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(t, "const x = '!😀';\n");
    assert_serving(&mut c);
}

#[test]
fn bom_crlf_and_lone_cr_are_analysed_like_lf() {
    let mut c = Client::start();
    let lf = c.open("lf/amplify/storage/resource.ts", STORAGE);
    let want = c.diagnostics(&lf, Some(1));
    assert!(!want.is_empty());
    let codes = Client::codes(&want);
    for (dir, text) in [
        ("bom", format!("\u{feff}{STORAGE}")),
        ("crlf", STORAGE.replace('\n', "\r\n")),
        ("cr", STORAGE.replace('\n', "\r")),
        (
            "mixed",
            STORAGE.replacen('\n', "\r\n", 2).replacen('\n', "\r", 2),
        ),
    ] {
        let uri = c.open(&format!("{dir}/amplify/storage/resource.ts"), &text);
        let got = c.diagnostics(&uri, Some(1));
        assert_eq!(Client::codes(&got), codes, "{dir}");
        if dir == "crlf" {
            // Same lines and columns as with LF.
            let ranges = |d: &[Value]| d.iter().map(|d| d["range"].clone()).collect::<Vec<_>>();
            assert_eq!(ranges(&got), ranges(&want), "{dir}");
        }
        if dir == "bom" {
            // The BOM is one UTF-16 unit on line 0 only; the diagnostics are on later lines, unchanged.
            assert_eq!(got[0]["range"], want[0]["range"]);
        }
        c.hover(&uri, pos(1, 30));
        c.completion(&uri, pos(3, 10));
        c.change(&uri, 2, json!([edit(0, 0, 0, 1, "")]));
        let d = debug(&mut c, &uri);
        assert_eq!(
            d["text"].as_str().map(str::len),
            Some(text.len() - text.chars().next().map_or(0, char::len_utf8))
        );
    }
    assert_serving(&mut c);
}

// ---------------------------------------------------------------------------------------------
// Deep nesting and long chains
// ---------------------------------------------------------------------------------------------

/// Each snippet is `open`^N `middle` `close`^N inside an Amplify file.
fn nested(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn ten_thousand_levels_of_nesting_do_not_overflow() {
    const N: usize = 10_000;
    let cases = [
        ("objects", format!("import {{ defineAuth }} from '@aws-amplify/backend';\nexport const auth = defineAuth({});\n", nested("{ loginWith: ", "1", " }", N))),
        ("arrays", format!("import {{ defineStorage }} from '@aws-amplify/backend';\nexport const storage = defineStorage({{ name: 'x', access: (allow) => ({{ 'a/*': {} }}) }});\n", nested("[", "allow.guest.to(['read'])", "]", N))),
        ("parens", format!("import {{ defineBackend }} from '@aws-amplify/backend';\ndefineBackend({});\n", nested("(", "{}", ")", N))),
        ("calls", format!("import {{ defineFunction }} from '@aws-amplify/backend';\nexport const f = defineFunction({});\n", nested("f(", "{ name: 'x' }", ")", N))),
        ("arrows", format!("import {{ defineStorage }} from '@aws-amplify/backend';\nexport const storage = defineStorage({{ name: 'x', access: {} }});\n", nested("(allow) => ", "({})", "", N))),
        ("templates", format!("export const t = {};\n", nested("`${", "1", "}`", N))),
        ("types", format!("type T = {};\n", nested("Array<", "string", ">", N))),
        ("custom types", format!("import {{ a, defineData }} from '@aws-amplify/backend';\nconst schema = a.schema({{ T: a.model({{ f: {} }}) }});\nexport const data = defineData({{ schema }});\n", nested("a.customType({ f: ", "a.string()", " })", N))),
        ("unclosed", format!("import {{ defineAuth }} from '@aws-amplify/backend';\nexport const auth = defineAuth({}", "{ a: [(".repeat(N))),
        ("closers", format!("import {{ defineAuth }} from '@aws-amplify/backend';\n{}", ")]}".repeat(N))),
    ];
    let mut c = Client::start();
    for (name, text) in &cases {
        let started = Instant::now();
        let uri = c.open(
            &format!("{}/amplify/data/resource.ts", name.replace(' ', "-")),
            text,
        );
        c.diagnostics(&uri, Some(1));
        let lines = text.lines().count() as u64;
        for p in [
            pos(1, 5_000),
            pos(1, 30_000),
            pos(lines.saturating_sub(1), 0),
            pos(2, 20),
        ] {
            c.completion(&uri, p.clone());
            c.hover(&uri, p);
        }
        // An edit in the middle, reparsed incrementally.
        c.change(&uri, 2, json!([edit(1, 20_000, 1, 20_000, " ")]));
        c.diagnostics(&uri, Some(2));
        let _ = c.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        let _ = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": { "start": pos(1, 0), "end": pos(1, 40_000) }, "context": { "diagnostics": [] } }),
        );
        assert!(c.alive(), "{name}: server died; stderr:\n{}", c.log());
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{name}: {:?}",
            started.elapsed()
        );
        c.close(&uri);
    }
    // JSX in a .tsx Amplify file.
    let jsx = format!(
        "import {{ defineAuth }} from '@aws-amplify/backend';\nexport const ui = {};\n",
        nested("<div>", "{defineAuth({})}", "</div>", N)
    );
    let uri = c.open("jsx/amplify/auth/view.tsx", &jsx);
    c.diagnostics(&uri, Some(1));
    c.completion(&uri, pos(1, 25_000));
    c.hover(&uri, pos(1, 25_000));
    assert_serving(&mut c);
}

#[test]
fn very_long_schema_chains_and_many_models() {
    let mut c = Client::start();
    let chain = format!(
        "import {{ a, defineData }} from '@aws-amplify/backend';\nconst schema = a.schema({{\n  Todo: a.model({{ content: a.string(){} }}){}\n}});\nexport const data = defineData({{ schema }});\n",
        ".required()".repeat(10_000),
        ".authorization((allow) => [allow.guest()])".repeat(2_000),
    );
    let models = format!(
        "import {{ a, defineData }} from '@aws-amplify/backend';\nconst schema = a.schema({{\n{}}}).authorization((allow) => [allow.publicApiKey()]);\nexport const data = defineData({{ schema }});\n",
        (0..1_000)
            .map(|i| format!(
                "  M{i}: a.model({{ name: a.string().required(), next: a.belongsTo('M{}', 'nextId'), nextId: a.id(), prev: a.hasMany('M{}', 'nextId') }}),\n",
                (i + 1) % 1_000,
                (i + 999) % 1_000
            ))
            .collect::<String>()
    );
    for (name, text) in [("chain", chain), ("models", models)] {
        let started = Instant::now();
        let uri = c.open(&format!("{name}/amplify/data/resource.ts"), &text);
        c.diagnostics(&uri, Some(1));
        c.completion(&uri, pos(2, 30));
        c.hover(&uri, pos(2, 30));
        c.completion(&uri, pos(500, 20));
        c.change(&uri, 2, json!([edit(2, 2, 2, 2, "X")]));
        c.diagnostics(&uri, Some(2));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}: {:?}",
            started.elapsed()
        );
    }
    assert_serving(&mut c);
}

// ---------------------------------------------------------------------------------------------
// Cancellation, exit, panics
// ---------------------------------------------------------------------------------------------

#[test]
fn cancel_request_for_an_in_flight_request() {
    let mut c = Client::start();
    let big = format!(
        "import {{ a, defineData }} from '@aws-amplify/backend';\nconst schema = a.schema({{\n{}}});\nexport const data = defineData({{ schema }});\n",
        (0..400)
            .map(|i| format!("  M{i}: a.model({{ f: a.string() }}),\n"))
            .collect::<String>()
    );
    let uri = c.open("amplify/data/resource.ts", &big);
    let mut ids = Vec::new();
    for i in 0..20 {
        let id = c.send_request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(2 + i, 20) }),
        );
        c.notify("$/cancelRequest", json!({ "id": id }));
        ids.push(id);
    }
    // Cancelling what does not exist (or no longer exists) is harmless.
    c.notify("$/cancelRequest", json!({ "id": 123_456 }));
    c.notify("$/cancelRequest", json!({ "id": ids[0] }));
    c.notify("$/cancelRequest", json!({ "nonsense": true }));
    // Every request gets exactly one response: its result, or RequestCancelled.
    for id in ids {
        match c.response(id) {
            Ok(_) => {}
            Err(e) => assert_eq!(e["code"], -32800, "{e}"),
        }
    }
    assert_serving(&mut c);
}

#[test]
fn exit_without_shutdown_exits_with_1_even_with_work_in_flight() {
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    c.send_request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": pos(2, 4) }),
    );
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));

    // After shutdown, requests are refused; exit then ends with 0.
    let mut c = Client::start();
    c.request("shutdown", Value::Null).expect("shutdown");
    let err = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": pos(0, 0) }),
        )
        .expect_err("no requests after shutdown");
    assert_eq!(err["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
}

#[test]
fn a_panic_in_analysis_is_an_error_response_logged_once() {
    let mut c = Client::start_env(HOOKS, json!({}));
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    c.diagnostics(&uri, Some(1));
    for (place, code) in [("analysis", -32603), ("handler", -32603)] {
        let err = c
            .request(
                "amplify/debugPanic",
                json!({ "uri": uri, "position": pos(3, 4), "where": place }),
            )
            .expect_err("a panic is an error response");
        assert_eq!(err["code"], code, "{place}: {err}");
        assert_serving(&mut c);
    }
    let log = c.wait_log_until("two panic lines", |log| {
        log.lines().filter(|l| l.contains("panic")).count() >= 2
    });
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("panic")).collect();
    assert_eq!(lines.len(), 2, "one line per panic:\n{log}");
    assert!(
        lines[0].contains(&uri) && lines[0].contains("3:4"),
        "{}",
        lines[0]
    );
    // The payload (which could quote document text) is never printed.
    assert!(!log.contains("test hook"), "{log}");
}

#[test]
fn a_panic_while_analysing_a_notification_is_contained() {
    let mut c = Client::start_env(HOOKS, json!({}));
    let secret = "DOC-TEXT-MUST-NOT-BE-LOGGED-5e1f";
    let text = format!("{STORAGE}// {PANIC_MARK} {secret}\n");
    let uri = c.open("amplify/storage/resource.ts", &text);
    // The didOpen analysis panicked: no diagnostics (an empty list), and the server goes on.
    let diags = c.diagnostics(&uri, Some(1));
    assert!(diags.is_empty(), "{diags:?}");
    c.change(&uri, 2, json!([edit(0, 0, 0, 0, "// edit\n")]));
    assert!(c.diagnostics(&uri, Some(2)).is_empty());
    // Requests that do not hit the panic still work on the same document.
    let now = format!("// edit\n{text}");
    assert!(!c.completion(&uri, position_of(&now, "name", 0)).is_empty());
    // Removing the marker brings the diagnostics back.
    c.change(&uri, 3, json!([{ "text": STORAGE }]));
    let diags = c.diagnostics(&uri, Some(3));
    assert!(Client::codes(&diags).contains(&"storage/path-wildcard".to_string()));
    let u = uri.clone();
    let log = c.wait_log_until("two panic lines", move |log| {
        log.lines()
            .filter(|l| l.contains("panic") && l.contains(&u))
            .count()
            >= 2
    });
    assert!(!log.contains(secret), "{log}");
    // One line per panic: the open and the first edit (and the pass after the workspace was indexed, when the
    // document was open by then).
    let n = log
        .lines()
        .filter(|l| l.contains("panic") && l.contains(&uri))
        .count();
    assert!((2..=3).contains(&n), "{log}");
    assert_serving(&mut c);
}

/// A short text on which tree-sitter's error recovery runs away (minutes, gigabytes): the server abandons the
/// parse within its budget, says the file was not checked, keeps serving, and checks the file again once an
/// edit makes it parse.
#[test]
fn a_runaway_parse_is_abandoned_and_reported() {
    let bytes = std::fs::read(repo_root().join("tests/fixtures/crashers/parse-explosion.data.ts"))
        .expect("crasher fixture");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut c = Client::start();
    let uri = c.open("amplify/data/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(
        Client::codes(&diags),
        ["syntax/parse-abandoned"],
        "{diags:?}"
    );
    c.wait_log("gave up parsing");
    assert_serving(&mut c);
    // A full replacement that parses: checked again, the notice is gone.
    c.change(&uri, 2, json!([{ "text": STORAGE }]));
    let diags = c.diagnostics(&uri, Some(2));
    let codes = Client::codes(&diags);
    assert!(
        !codes.contains(&"syntax/parse-abandoned".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"storage/path-wildcard".to_string()),
        "{codes:?}"
    );
}
