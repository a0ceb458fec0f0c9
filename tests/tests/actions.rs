//! Code actions through the real binary: golden before/after projects in `tests/fixtures/actions/<case>/`.
//!
//! Each case copies `before/` into a fresh workspace, opens one document, asks for code actions at a place,
//! picks one by title, resolves it, applies the returned `WorkspaceEdit` (text edits and file creation) to
//! the project and compares every file with `after/`. Then it writes the result to disk, tells the server,
//! and checks that the changed documents have no diagnostics of ours and that the action is no longer
//! offered (applying it twice changes nothing). `VERDICTS.tsv` beside the cases records what the synth tool
//! said about each `after/` project.
//!
//! `AMPLIFY_LSP_BLESS=1 cargo test -p amplify-lsp-tests --test actions` rewrites the `after/` folders (review
//! the diff before committing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use amplify_lsp_tests::*;

const OWNER: &str = "Switch to owner-based authorization (user pool)";
const OWNER_ALL: &str = "Switch every model to owner-based authorization (user pool)";

/// Where to ask for actions.
#[derive(Clone, Copy)]
enum At {
    /// The range of this text (first occurrence).
    Text(&'static str),
    /// An empty range (a cursor) this many bytes into the first occurrence of the text.
    Cursor(&'static str, usize),
    /// The range of the first diagnostic with this code, which is sent as context.
    Diag(&'static str),
    /// The whole document, asking for source actions only (an editor's "Source Action..." menu).
    Source,
}

struct Case {
    name: &'static str,
    open: &'static str,
    at: At,
    /// The chosen action's title starts with this.
    title: &'static str,
    kind: &'static str,
}

/// Every file below `dir`, by path relative to it (with `/`).
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).expect("utf-8 fixture"));
            }
        }
    }
    out
}

fn case_dir(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/actions").join(name)
}

/// The byte offset of an LSP position (UTF-16 characters) in `text`.
fn offset_of(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let character = pos["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if units >= character || ch == '\n' || ch == '\r' {
            return start + i;
        }
        units += ch.len_utf16();
    }
    text.len()
}

/// Applies LSP text edits (simultaneous, non-overlapping) to a text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"]),
                offset_of(text, &e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlapping edits: {edits:?}");
    }
    let mut out = text.to_string();
    for (a, b, t) in spans.iter().rev() {
        out.replace_range(*a..*b, t);
    }
    out
}

/// The project-relative path of a URI of the test workspace.
fn rel_of(c: &Client, uri: &str) -> String {
    let base = c.uri("");
    uri.strip_prefix(&base)
        .unwrap_or_else(|| panic!("{uri} is outside the workspace {base}"))
        .trim_start_matches('/')
        .to_string()
}

/// Applies a `WorkspaceEdit` to the files of a project; `versions` are the open documents' versions, which
/// versioned edits must match. Returns the paths it created or changed.
fn apply_workspace_edit(
    c: &Client,
    files: &mut BTreeMap<String, String>,
    versions: &BTreeMap<String, i64>,
    edit: &Value,
) -> Vec<String> {
    let mut touched = Vec::new();
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            let rel = rel_of(c, uri);
            let old = files
                .get(&rel)
                .unwrap_or_else(|| panic!("edit to a missing file {rel}"));
            let new = apply_edits(old, edits.as_array().expect("edits"));
            files.insert(rel.clone(), new);
            touched.push(rel);
        }
    }
    if let Some(ops) = edit["documentChanges"].as_array() {
        for op in ops {
            match op["kind"].as_str() {
                Some("create") => {
                    let rel = rel_of(c, op["uri"].as_str().expect("uri"));
                    let overwrite = op["options"]["overwrite"].as_bool().unwrap_or(false);
                    let ignore = op["options"]["ignoreIfExists"].as_bool().unwrap_or(false);
                    if files.contains_key(&rel) {
                        assert!(overwrite || ignore, "create of an existing file {rel}");
                        if ignore {
                            continue;
                        }
                    }
                    files.insert(rel.clone(), String::new());
                    touched.push(rel);
                }
                Some(other) => panic!("unexpected resource operation {other}"),
                None => {
                    let rel = rel_of(c, op["textDocument"]["uri"].as_str().expect("uri"));
                    if let Some(v) = op["textDocument"]["version"].as_i64() {
                        assert_eq!(
                            versions.get(&rel),
                            Some(&v),
                            "versioned edit of {rel} for a version that is not open"
                        );
                    }
                    let old = files
                        .get(&rel)
                        .unwrap_or_else(|| panic!("edit to a missing file {rel}"));
                    let new = apply_edits(old, op["edits"].as_array().expect("edits"));
                    files.insert(rel.clone(), new);
                    touched.push(rel);
                }
            }
        }
    }
    touched.sort();
    touched.dedup();
    touched
}

fn whole_range(text: &str) -> Value {
    json!({ "start": { "line": 0, "character": 0 }, "end": utf16_position(text, text.len()) })
}

fn range_of(text: &str, needle: &str) -> Value {
    json!({ "start": position_of(text, needle, 0), "end": position_of(text, needle, needle.len()) })
}

fn actions(
    c: &mut Client,
    uri: &str,
    range: Value,
    diags: Value,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({ "diagnostics": diags, "triggerKind": 1 });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let res = c
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        )
        .expect("codeAction failed");
    res.as_array().cloned().unwrap_or_default()
}

fn titles(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|a| {
            format!(
                "{} [{}]",
                a["title"].as_str().unwrap_or(""),
                a["kind"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Resolves an action when its edit was deferred.
fn resolved(c: &mut Client, action: &Value) -> Value {
    if action.get("edit").is_some() {
        return action.clone();
    }
    assert!(
        action.get("data").is_some(),
        "no edit and no data: {action}"
    );
    let r = c
        .request("codeAction/resolve", action.clone())
        .expect("codeAction/resolve failed");
    assert!(r.get("edit").is_some(), "resolve gave no edit: {r}");
    r
}

/// Waits for the next diagnostics of `uri` (at `version`, or any) and returns them.
fn next_diagnostics(c: &mut Client, uri: &str, version: Option<i64>) -> Vec<Value> {
    c.diagnostics(uri, version)
}

fn run(case: &Case) {
    let dir = case_dir(case.name);
    let before = read_tree(&dir.join("before"));
    assert!(!before.is_empty(), "{}: no before/ files", case.name);
    let mut c = Client::start();
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = before
        .get(case.open)
        .unwrap_or_else(|| panic!("{}: {} not in before/", case.name, case.open))
        .clone();
    let uri = c.open(case.open, &text);
    let diags = next_diagnostics(&mut c, &uri, Some(1));
    let (range, context, only): (Value, Value, Option<&[&str]>) = match case.at {
        At::Text(t) => (range_of(&text, t), json!([]), None),
        At::Cursor(t, delta) => {
            let p = position_of(&text, t, delta);
            (json!({ "start": p, "end": p }), json!([]), None)
        }
        At::Diag(code) => {
            let d = diags
                .iter()
                .find(|d| d["code"] == code)
                .unwrap_or_else(|| panic!("{}: no {code} in {diags:#?}", case.name))
                .clone();
            (d["range"].clone(), json!([d]), None)
        }
        At::Source => (whole_range(&text), json!([]), Some(&["source"][..])),
    };
    let list = actions(&mut c, &uri, range, context, only);
    let action = list
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(case.title))
        })
        .unwrap_or_else(|| {
            panic!(
                "{}: {:?} not offered; got {:?}",
                case.name,
                case.title,
                titles(&list)
            )
        })
        .clone();
    assert_eq!(action["kind"], case.kind, "{}: kind of {action}", case.name);
    assert!(
        action.get("disabled").is_none(),
        "{}: disabled: {action}",
        case.name
    );
    let action = resolved(&mut c, &action);
    let mut files = before.clone();
    let versions = BTreeMap::from([(case.open.to_string(), 1i64)]);
    let touched = apply_workspace_edit(&c, &mut files, &versions, &action["edit"]);
    assert!(
        !touched.is_empty(),
        "{}: the edit changes nothing",
        case.name
    );

    // golden comparison
    let after_dir = dir.join("after");
    if std::env::var_os("AMPLIFY_LSP_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&after_dir);
        for (rel, t) in &files {
            let p = after_dir.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, t).expect("write");
        }
    }
    let after = read_tree(&after_dir);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "{}: the files after the action differ from after/",
        case.name
    );
    for (rel, want) in &after {
        let got = &files[rel];
        assert!(
            got == want,
            "{}: {rel} differs from after/{rel}\n--- got ---\n{got}\n--- want ---\n{want}",
            case.name
        );
    }

    // the result on disk and in the editor: no diagnostics of ours, and the action is gone
    let changes: Vec<Value> = touched
        .iter()
        .map(|rel| {
            let kind = if before.contains_key(rel) { 2 } else { 1 };
            json!({ "uri": c.write_file(rel, &files[rel]), "type": kind })
        })
        .collect();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    );
    for rel in touched.iter().filter(|r| r.as_str() != case.open) {
        let other = c.open(rel, &files[rel]);
        let d = next_diagnostics(&mut c, &other, Some(1));
        assert!(
            d.is_empty(),
            "{}: diagnostics in {rel} after the action: {d:#?}",
            case.name
        );
        c.close(&other);
    }
    // a new version of the document (its text after the action), analysed after all of the above
    let new_text = files[case.open].clone();
    c.change(&uri, 2, json!([{ "text": new_text }]));
    let diags = next_diagnostics(&mut c, &uri, Some(2));
    assert!(
        diags.is_empty(),
        "{}: diagnostics after the action in {}: {diags:#?}",
        case.name,
        case.open
    );
    let again = actions(&mut c, &uri, whole_range(&new_text), json!([]), None);
    let again_source = actions(
        &mut c,
        &uri,
        whole_range(&new_text),
        json!([]),
        Some(&["source"]),
    );
    let owner_case = case.title == OWNER || case.title == OWNER_ALL;
    for a in again.iter().chain(&again_source) {
        let t = a["title"].as_str().unwrap_or("");
        assert!(
            !t.starts_with(case.title)
                && !(owner_case && (t.starts_with(OWNER) || t.starts_with(OWNER_ALL))),
            "{}: still offered after applying it: {a}",
            case.name
        );
    }
}

macro_rules! golden {
    ($($test:ident: $name:literal, $open:expr, $at:expr, $title:expr, $kind:literal;)*) => {
        $(
            #[test]
            fn $test() {
                run(&Case { name: $name, open: $open, at: $at, title: $title, kind: $kind });
            }
        )*
        /// Every case folder has a test.
        #[test]
        fn every_fixture_has_a_test() {
            let named = [$($name),*, "already-owner"];
            for e in std::fs::read_dir(repo_root().join("tests/fixtures/actions")).expect("fixtures").flatten() {
                if e.path().is_dir() {
                    let n = e.file_name().to_string_lossy().to_string();
                    assert!(named.contains(&n.as_str()), "fixture {n} has no test");
                }
            }
        }
    };
}

const DATA: &str = "amplify/data/resource.ts";
/// The starter's rule in code (its comment mentions `allow.publicApiKey()` too).
const RULE: &str = "allow.publicApiKey()]";

// With auth in the project, every `allow.publicApiKey()` carries the `security/public-api-key` hint, and the
// switch is its quick fix (a refactoring where no diagnostic sits: see `only_filters_by_kind`).
golden! {
    owner_starter_on_the_rule: "starter", DATA, At::Cursor("[allow.publicApiKey()]", 9), OWNER, "quickfix";
    // the frontend calls that would be refused after the switch move to the user pool in the same edit
    owner_frontend_call_sites: "owner-frontend", DATA, At::Cursor("[allow.publicApiKey()]", 9), OWNER, "quickfix";
    owner_mixed_rules_whole_file: "mixed-rules", DATA, At::Source, OWNER_ALL, "source.amplify.ownerAuthorization";
    owner_schema_level_rules: "schema-level", DATA, At::Text(".authorization((allow) => [allow.publicApiKey()]);"), OWNER, "quickfix";
    owner_without_auth_creates_it: "no-auth", DATA, At::Source, OWNER_ALL, "source.amplify.ownerAuthorization";
    owner_crlf: "crlf", DATA, At::Text("[allow.publicApiKey()]"), OWNER, "quickfix";
    owner_tabs_double_quotes_no_semicolons: "tabs", DATA, At::Source, OWNER_ALL, "source.amplify.ownerAuthorization";
    fix_storage_path: "fix-storage-path", "amplify/storage/resource.ts", At::Diag("storage/path-wildcard"), "Change the path to 'photos/*'", "quickfix";
    fix_literal: "fix-literal", "amplify/functions/report/resource.ts", At::Diag("shape/invalid-literal"), "Change to 'arm64'", "quickfix";
    fix_property: "fix-property", "amplify/functions/report/resource.ts", At::Diag("shape/unknown-property"), "Change to `timeoutSeconds`", "quickfix";
    fix_out_of_range: "fix-out-of-range", "amplify/functions/report/resource.ts", At::Diag("shape/out-of-range"), "Change to 900", "quickfix";
    fix_secret: "fix-secret", "amplify/functions/charge/resource.ts", At::Diag("security/hardcoded-secret"), "Use secret('STRIPE_SECRET_KEY')", "quickfix";
    fix_import: "fix-import", "amplify/functions/charge/resource.ts", At::Cursor("secret(", 2), "Import `secret`", "quickfix";
    fix_not_in_backend: "fix-not-in-backend", "amplify/functions/cleanup/resource.ts", At::Diag("backend/not-in-backend"), "Add `cleanup` to defineBackend", "quickfix";
    fix_relationship: "fix-relationship", DATA, At::Diag("data/relationship-counterpart"), "Add `team: a.belongsTo('Team', 'teamId')`", "quickfix";
    fix_identifier: "fix-identifier", DATA, At::Diag("data/identifier-not-required"), "Add `.required()` to `email`", "quickfix";
    // `User.games` exists already: the new relationship field is `games2`
    fix_relationship_free_name: "fix-relationship-free-name", DATA, At::Diag("data/relationship-counterpart"), "Add `games2: a.hasMany('Game', 'userId')`", "quickfix";
    // backend.ts has a `cleanup` of its own: the resource is imported as `cleanup2`
    fix_not_in_backend_taken: "fix-not-in-backend-taken", "amplify/functions/cleanup/resource.ts", At::Diag("backend/not-in-backend"), "Add `cleanup` to defineBackend", "quickfix";
}

/// A file already using owner rules: the action is not offered anywhere in it.
#[test]
fn owner_not_offered_when_already_owner() {
    let before = read_tree(&case_dir("already-owner").join("before"));
    let mut c = Client::start();
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = before[DATA].clone();
    let uri = c.open(DATA, &text);
    assert!(next_diagnostics(&mut c, &uri, Some(1)).is_empty());
    for (range, only) in [
        (range_of(&text, "allow.owner()"), None),
        (whole_range(&text), None),
        (whole_range(&text), Some(&["source"][..])),
    ] {
        let list = actions(&mut c, &uri, range, json!([]), only);
        assert!(
            !list
                .iter()
                .any(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Switch"))),
            "offered: {:?}",
            titles(&list)
        );
    }
}

/// A reference named `team-id`: the relationship fixes would write `team-id: a.id()` (not a valid key) or
/// `'team-id': a.id()` (a field Amplify rejects: "Syntax Error: Invalid number"), so none is offered.
#[test]
fn no_fix_adds_a_field_whose_name_is_not_a_field_name() {
    let before = read_tree(&case_dir("fix-relationship").join("before"));
    let mut c = Client::start();
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = before[DATA].replace("'teamId'", "'team-id'");
    assert!(text.contains("a.hasMany('Member', 'team-id')"));
    c.write_file(DATA, &text);
    let uri = c.open(DATA, &text);
    let d = next_diagnostics(&mut c, &uri, Some(1));
    assert!(
        d.iter()
            .any(|d| d["code"] == "data/relationship-counterpart"),
        "{d:#?}"
    );
    let list = actions(&mut c, &uri, whole_range(&text), json!([]), None);
    assert!(
        titles(&list).iter().all(|t| !t.contains("team-id")),
        "offered: {:?}",
        titles(&list)
    );
}

fn caps(resolve: bool, document_changes: bool, create: bool, disabled: bool) -> Value {
    let mut code_action = json!({
        "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "refactor", "refactor.rewrite", "source"] } },
        "isPreferredSupport": true,
        "dataSupport": true
    });
    if resolve {
        code_action["resolveSupport"] = json!({ "properties": ["edit"] });
    }
    if disabled {
        code_action["disabledSupport"] = json!(true);
    }
    let mut we = json!({ "documentChanges": document_changes });
    if create {
        we["resourceOperations"] = json!(["create"]);
    }
    json!({ "capabilities": {
        "textDocument": { "codeAction": code_action, "publishDiagnostics": { "versionSupport": true } },
        "workspace": { "workspaceEdit": we }
    } })
}

fn open_case(c: &mut Client, name: &str, open: &str) -> (String, String) {
    let before = read_tree(&case_dir(name).join("before"));
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = before[open].clone();
    let uri = c.open(open, &text);
    c.diagnostics(&uri, Some(1));
    (uri, text)
}

#[test]
fn capabilities_advertise_kinds_and_resolve() {
    let c = Client::start();
    let p = &c.init_result["capabilities"]["codeActionProvider"];
    assert_eq!(p["resolveProvider"], true, "{p}");
    let kinds: Vec<&str> = p["codeActionKinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for k in ["quickfix", "refactor.rewrite", "source"] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
}

#[test]
fn listing_defers_edits_and_carries_data() {
    let mut c = Client::start();
    let (uri, text) = open_case(&mut c, "starter", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = list.iter().find(|a| a["title"] == OWNER).expect("offered");
    assert!(a.get("edit").is_none(), "edit computed while listing: {a}");
    assert_eq!(a["data"]["uri"], json!(uri));
    assert_eq!(a["data"]["version"], 1);
}

#[test]
fn edits_are_eager_without_resolve_support() {
    let mut c = Client::start_with(caps(false, true, true, true));
    let (uri, text) = open_case(&mut c, "starter", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = list.iter().find(|a| a["title"] == OWNER).expect("offered");
    assert!(a["edit"]["documentChanges"].is_array(), "{a}");
}

#[test]
fn changes_map_without_document_changes() {
    let mut c = Client::start_with(caps(true, false, false, true));
    let (uri, text) = open_case(&mut c, "starter", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = resolved(
        &mut c,
        list.iter().find(|a| a["title"] == OWNER).expect("offered"),
    );
    let edits = a["edit"]["changes"][&uri]
        .as_array()
        .expect("changes for the document");
    let out = apply_edits(&text, edits);
    assert!(
        out.contains("[allow.owner()]") && !out.contains("[allow.publicApiKey()]"),
        "{out}"
    );
}

#[test]
fn without_file_creation_the_action_says_what_is_missing() {
    // the client can apply edits but not create files: the auth file cannot be made
    let mut c = Client::start_with(caps(true, true, false, true));
    let (uri, text) = open_case(&mut c, "no-auth", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = list.iter().find(|a| a["title"] == OWNER).expect("offered");
    let reason = a["disabled"]["reason"]
        .as_str()
        .expect("disabled with a reason");
    assert!(reason.contains("amplify/auth/resource.ts"), "{reason}");
    // a client without `disabled` support gets the reason in the title, and no edit
    let mut c = Client::start_with(caps(false, true, false, false));
    let (uri, text) = open_case(&mut c, "no-auth", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = list
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(OWNER)))
        .expect("offered");
    let title = a["title"].as_str().unwrap_or("");
    assert!(title.contains("amplify/auth/resource.ts"), "{title}");
    assert!(a.get("edit").is_none(), "{a}");
}

#[test]
fn only_filters_by_kind() {
    let mut c = Client::start();
    let (uri, text) = open_case(&mut c, "starter", DATA);
    let range = range_of(&text, RULE);
    // the switch is a quick fix (of the public API key hint), and still a refactoring for clients that ask
    // for refactorings only
    let refactors = actions(&mut c, &uri, range.clone(), json!([]), Some(&["refactor"]));
    assert_eq!(titles(&refactors), [format!("{OWNER} [refactor.rewrite]")]);
    let fixes = actions(&mut c, &uri, range.clone(), json!([]), Some(&["quickfix"]));
    assert_eq!(titles(&fixes), [format!("{OWNER} [quickfix]")]);
    let sources = actions(&mut c, &uri, range, json!([]), Some(&["source"]));
    assert_eq!(
        titles(&sources),
        [format!("{OWNER_ALL} [source.amplify.ownerAuthorization]")]
    );
}

#[test]
fn quick_fixes_list_their_diagnostics_and_are_preferred() {
    let mut c = Client::start();
    let (uri, _) = open_case(&mut c, "fix-storage-path", "amplify/storage/resource.ts");
    let diags = {
        // the diagnostics were consumed by open_case: ask again through a no-op change
        let text = read_tree(&case_dir("fix-storage-path").join("before"))
            ["amplify/storage/resource.ts"]
            .clone();
        c.change(&uri, 2, json!([{ "text": text }]));
        c.diagnostics(&uri, Some(2))
    };
    let d = diags
        .iter()
        .find(|d| d["code"] == "storage/path-wildcard")
        .expect("diagnostic")
        .clone();
    let list = actions(&mut c, &uri, d["range"].clone(), json!([d.clone()]), None);
    let fix = list
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "storage/path-wildcard");
    assert_eq!(fix["diagnostics"][0]["range"], d["range"]);
}

#[test]
fn resolving_after_a_change_is_refused() {
    let mut c = Client::start();
    let (uri, text) = open_case(&mut c, "starter", DATA);
    let list = actions(&mut c, &uri, range_of(&text, RULE), json!([]), None);
    let a = list
        .iter()
        .find(|a| a["title"] == OWNER)
        .expect("offered")
        .clone();
    c.change(&uri, 2, json!([{ "text": format!("// edited\n{text}") }]));
    c.diagnostics(&uri, Some(2));
    let err = c
        .request("codeAction/resolve", a)
        .expect_err("stale resolve answered");
    assert_eq!(err["code"], -32801, "{err}");
}

#[test]
fn the_owner_fix_is_a_quick_fix_on_an_unconfigured_api_key_rule() {
    // auth exists and there is no API key mode: the API-key rule is reported, and the switch fixes it
    let mut c = Client::start();
    let before = read_tree(&case_dir("starter").join("before"));
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = "import { a, defineData } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),\n});\n\nexport const data = defineData({ schema });\n";
    let uri = c.open(DATA, text);
    let diags = c.diagnostics(&uri, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "data/provider-not-configured")
        .unwrap_or_else(|| panic!("{diags:#?}"))
        .clone();
    let list = actions(&mut c, &uri, d["range"].clone(), json!([d.clone()]), None);
    let a = list.iter().find(|a| a["title"] == OWNER).expect("offered");
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["isPreferred"], true);
    assert_eq!(a["diagnostics"][0]["code"], "data/provider-not-configured");
    let a = resolved(&mut c, a);
    let mut files = BTreeMap::from([(DATA.to_string(), text.to_string())]);
    apply_workspace_edit(
        &c,
        &mut files,
        &BTreeMap::from([(DATA.to_string(), 1)]),
        &a["edit"],
    );
    assert_eq!(
        files[DATA],
        "import { a, defineData } from '@aws-amplify/backend';\n\nconst schema = a.schema({\n  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.owner()]),\n});\n\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });\n"
    );
}

/// Every golden result was checked with the synth tool, and Amplify accepted it.
#[test]
fn every_after_project_has_an_accepted_verdict() {
    let dir = repo_root().join("tests/fixtures/actions");
    let verdicts = std::fs::read_to_string(dir.join("VERDICTS.tsv")).expect("VERDICTS.tsv");
    let accepted: Vec<&str> = verdicts
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            match (cols.next(), cols.next()) {
                (Some(p), Some("ACCEPTED")) => Some(p),
                _ => None,
            }
        })
        .collect();
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).expect("fixtures").flatten() {
        if e.path().join("after").is_dir() {
            let project = format!("{}/after", e.file_name().to_string_lossy());
            assert!(
                accepted.contains(&project.as_str()),
                "{project} has no ACCEPTED verdict in VERDICTS.tsv"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} after/ projects");
}

/// Edit ranges are UTF-16 positions: astral and accented characters before and on the edited lines.
#[test]
fn edits_count_utf16_units() {
    let mut c = Client::start();
    let before = read_tree(&case_dir("starter").join("before"));
    for (rel, text) in &before {
        c.write_file(rel, text);
    }
    let text = "import { a, defineData } from '@aws-amplify/backend';\n// données 😀 ✨\nconst schema = a.schema({\n  Tâche: a.model({ nom: a.string() }).authorization((allow) => [/* 😀 */ allow.publicApiKey()]),\n});\n\nexport const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } } });\n";
    let uri = c.open(DATA, text);
    c.diagnostics(&uri, Some(1));
    let list = actions(
        &mut c,
        &uri,
        range_of(text, "allow.publicApiKey()"),
        json!([]),
        None,
    );
    let a = resolved(
        &mut c,
        list.iter().find(|a| a["title"] == OWNER).expect("offered"),
    );
    let mut files = BTreeMap::from([(DATA.to_string(), text.to_string())]);
    apply_workspace_edit(
        &c,
        &mut files,
        &BTreeMap::from([(DATA.to_string(), 1)]),
        &a["edit"],
    );
    assert_eq!(
        files[DATA],
        text.replace("allow.publicApiKey()", "allow.owner()").replace(
            "{ defaultAuthorizationMode: 'apiKey', apiKeyAuthorizationMode: { expiresInDays: 30 } }",
            "{ defaultAuthorizationMode: 'userPool' }"
        )
    );
}
