//! Many open files of one project, through the real binary (issue #15): the project facts every analysis needs
//! (which resources exist, which files the backend reaches...) are built once for the project and kept, not
//! built again from every file's summary for each analysis; and what is kept equals what a fresh server builds.
//!
//! Work is counted (`factsBuilt` and the parses of `amplify/debugDocument`, the debug log's analyses), never
//! timed: the times are the replay benchmark's (`replay --files N`).

use amplify_lsp_tests::*;
use serde_json::{json, Value};

#[path = "../fixtures/bench/gen.rs"]
mod gen;

/// The files of the generated project (see `gen::many_project`).
const FILES: usize = 60;

/// The capabilities of the harness's client, offering to watch files for the server (or not).
fn capabilities(watch: bool) -> Value {
    json!({
        "capabilities": {
            "textDocument": {
                "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
            },
            "workspace": {
                "configuration": true,
                "didChangeWatchedFiles": { "dynamicRegistration": watch }
            }
        }
    })
}

fn start(files: &[(String, String)], watch: bool) -> Client {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut c =
        Client::start_with_files(&[("AMPLIFY_LSP_LOG", "debug")], &refs, capabilities(watch));
    c.wait_log("indexed");
    c
}

/// `amplify/debugDocument`'s count of project facts builds.
fn facts_built(c: &mut Client, uri: &str) -> u64 {
    let doc = c
        .request("amplify/debugDocument", json!({ "uri": uri }))
        .expect("debugDocument");
    doc["factsBuilt"].as_u64().expect("factsBuilt")
}

/// One keystroke: a space after the first line's end.
fn keystroke(c: &mut Client, uri: &str, text: &str, version: i64) {
    let line_end = text.find('\n').unwrap_or(text.len());
    let pos = utf16_position(text, line_end);
    c.change(
        uri,
        version,
        json!([{ "range": { "start": pos, "end": pos }, "text": " " }]),
    );
}

/// Opening the files of a project one after another, each to its diagnostics, with a keystroke in each, builds
/// the project's facts a few times, however many files: opening a file as it is on disk and a keystroke that
/// only moves positions change nothing they are built from. With the client watching the files and without
/// (then every file read from disk is looked at, not read, for each analysis).
#[test]
fn opening_many_files_builds_the_project_facts_a_few_times() {
    for watch in [true, false] {
        let files = gen::many_project(FILES);
        assert_eq!(files.len(), FILES);
        let mut c = start(&files, watch);
        let mut last = String::new();
        for (rel, text) in &files {
            let uri = c.open(rel, text);
            c.diagnostics(&uri, Some(1));
            keystroke(&mut c, &uri, text, 2);
            c.diagnostics(&uri, Some(2));
            last = uri;
        }
        let built = facts_built(&mut c, &last);
        let log = c.log();
        let analyses = log.lines().filter(|l| l.contains("checked ")).count();
        eprintln!(
            "many files (client watching: {watch}): {FILES} files opened with a keystroke each: {analyses} \
             analyses, project facts built {built} times"
        );
        assert!(
            analyses >= 2 * FILES,
            "an analysis per open and per keystroke at least: {analyses}"
        );
        // the first analysis, the end of indexing, the accepted watcher registration: a few, not one per analysis
        assert!(
            built <= 5,
            "project facts built {built} times for {analyses} analyses (before: once per analysis)"
        );
        c.shutdown();
    }
}

/// Replaces the workspace folder's URI and path in `v` by a placeholder, to compare two servers' answers.
fn unrooted(v: &Value, root: &std::path::Path) -> String {
    let uri = file_uri(root);
    v.to_string()
        .replace(&uri, "<root>")
        .replace(&root.to_string_lossy().to_string(), "<root>")
}

/// Every open document's diagnostics, pulled, with the root replaced and sorted.
fn pulled(c: &mut Client, open: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let root = c.root.path().to_path_buf();
    let mut out = Vec::new();
    for (rel, _) in open {
        let uri = c.uri(rel);
        let answer = c
            .request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            )
            .expect("pulled diagnostics");
        let mut items: Vec<String> = answer["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|d| unrooted(d, &root))
            .collect();
        items.sort();
        out.push((rel.clone(), items));
    }
    out
}

/// After opens, edits other files see (an export renamed, a function left out of the backend, a new file that
/// is not on disk), a close of an edited file and a file changed on disk (with the watcher's event), every open
/// document's diagnostics from the server that kept its project facts equal those of a fresh server given the
/// same disk and the same open documents.
#[test]
fn kept_project_facts_answer_as_a_fresh_server() {
    let mut disk = gen::many_project(24);
    let mut c = start(&disk, true);
    // every document open, as (path, current text)
    let mut open: Vec<(String, String)> = Vec::new();
    for (rel, text) in &disk {
        let uri = c.open(rel, text);
        c.diagnostics(&uri, Some(1));
        open.push((rel.clone(), text.clone()));
    }
    let before = pulled(&mut c, &open);
    let set_text = |c: &mut Client, open: &mut Vec<(String, String)>, rel: &str, text: String| {
        let uri = c.uri(rel);
        let entry = open
            .iter_mut()
            .find(|(p, _)| p == rel)
            .expect("an open document");
        c.change(&uri, 2, json!([{ "text": text }]));
        c.diagnostics(&uri, Some(2));
        entry.1 = text;
    };
    // an export renamed: the backend's import of it no longer resolves
    let (name, binding) = gen::many_function(2);
    let rel = format!("amplify/functions/{name}/resource.ts");
    let text = gen::file_text(&disk, &rel).replace(
        &format!("const {binding} ="),
        &format!("const {binding}Renamed ="),
    );
    set_text(&mut c, &mut open, &rel, text);
    // a new file, not on disk: a second storage definition
    let extra = "amplify/storage/archive.ts".to_string();
    let extra_text = "import { defineStorage } from '@aws-amplify/backend';\nexport const archive = defineStorage({ name: 'archive' });\n".to_string();
    let uri = c.open(&extra, &extra_text);
    c.diagnostics(&uri, Some(1));
    open.push((extra.clone(), extra_text));
    // an edited file closed: the disk's text counts again
    let (name6, binding6) = gen::many_function(6);
    let rel6 = format!("amplify/functions/{name6}/resource.ts");
    let text = gen::file_text(&disk, &rel6).replace(
        &format!("const {binding6} ="),
        &format!("const {binding6}Gone ="),
    );
    set_text(&mut c, &mut open, &rel6, text);
    let uri6 = c.uri(&rel6);
    c.close(&uri6);
    open.retain(|(p, _)| *p != rel6);
    // a file changed on disk, not open: the client's watcher says so
    let (name8, binding8) = gen::many_function(8);
    let rel8 = format!("amplify/functions/{name8}/resource.ts");
    open.retain(|(p, _)| *p != rel8);
    c.close(&c.uri(&rel8));
    let text8 = gen::file_text(&disk, &rel8).replace(
        &format!("const {binding8} ="),
        &format!("const {binding8}Moved ="),
    );
    c.write_file(&rel8, &text8);
    if let Some(entry) = disk.iter_mut().find(|(p, _)| *p == rel8) {
        entry.1 = text8;
    }
    // last (no file event or close after it to start new facts anyway), a function left out of the backend:
    // its files are no longer reached
    let (_, left_out) = gen::many_function(4);
    let text = gen::file_text(&disk, "amplify/backend.ts")
        .replace(&format!("  {left_out},\n"), "")
        .replace(
            &format!("import {{ {left_out} }}"),
            "import type { Unused }",
        );
    set_text(&mut c, &mut open, "amplify/backend.ts", text);

    let kept = pulled(&mut c, &open);
    assert_ne!(before, kept, "the edits changed some diagnostics");
    // a file not edited sees the backend's edit: it is no longer deployed
    let (name4, _) = gen::many_function(4);
    let rel4 = format!("amplify/functions/{name4}/resource.ts");
    let of = |d: &[(String, Vec<String>)]| {
        d.iter()
            .find(|(p, _)| *p == rel4)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert!(of(&before).is_empty(), "{:?}", of(&before));
    assert!(
        of(&kept)
            .iter()
            .any(|d| d.contains("backend/not-in-backend")),
        "{:?}",
        of(&kept)
    );
    c.shutdown();

    // a fresh server on the same disk, with the same documents open
    let mut fresh = start(&disk, true);
    for (rel, text) in &open {
        let uri = fresh.open(rel, text);
        fresh.diagnostics(&uri, Some(1));
    }
    let scratch = pulled(&mut fresh, &open);
    for ((rel, k), (_, s)) in kept.iter().zip(&scratch) {
        assert_eq!(k, s, "{rel}: kept facts and a fresh server disagree");
    }
    fresh.shutdown();
}
