//! Cross-file diagnostics through the real binary: a change in one file (an edit, an open, a file created or
//! deleted on disk) re-publishes the diagnostics of the other open files of the project.

use std::time::Duration;

use amplify_lsp_tests::*;

const AUTH: &str = "amplify/auth/resource.ts";
const DATA: &str = "amplify/data/resource.ts";
const STORAGE: &str = "amplify/storage/resource.ts";
const BACKEND: &str = "amplify/backend.ts";

const AUTH_SRC: &str = "import { defineAuth } from '@aws-amplify/backend';

export const auth = defineAuth({
  loginWith: { email: true },
  groups: ['ADMINS'],
});
";

const OWNER_DATA: &str = "import { a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  Note: a.model({ body: a.string() }).authorization((allow) => [allow.owner()]),
});

export const data = defineData({ schema });
";

/// Waits for diagnostics of `uri` whose codes satisfy `pred` (skipping earlier publishes), and returns them.
fn wait_codes(
    c: &mut Client,
    uri: &str,
    what: &str,
    pred: impl Fn(&[String]) -> bool,
) -> Vec<Value> {
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let u = uri.to_string();
        let msg = c.try_wait_for(left, move |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(u)
        });
        let Some(msg) = msg else {
            panic!(
                "timed out waiting for diagnostics of {uri} where {what}\nstderr:\n{}",
                c.log()
            );
        };
        let diags = msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if pred(&Client::codes(&diags)) {
            return diags;
        }
    }
}

fn has(code: &'static str) -> impl Fn(&[String]) -> bool {
    move |codes| codes.iter().any(|c| c == code)
}

fn lacks(code: &'static str) -> impl Fn(&[String]) -> bool {
    move |codes| !codes.iter().any(|c| c == code)
}

/// Lets in-flight messages arrive, then forgets the publishes already received for `uri`, so that the next
/// wait sees only what the next change causes.
fn settle(c: &mut Client, uri: &str) {
    let _ = c.try_wait_for(Duration::from_millis(300), |_| false);
    let u = json!(uri);
    c.backlog
        .retain(|m| !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u));
}

fn watched(c: &mut Client, rel: &str, kind: u8) {
    let uri = c.uri(rel);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri, "type": kind }] }),
    );
}

const CREATED: u8 = 1;
const DELETED: u8 = 3;

const BACKEND_DATA_ONLY: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { data } from './data/resource';\n\ndefineBackend({ data });\n";
const BACKEND_WITH_AUTH: &str = "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data } from './data/resource';\n\ndefineBackend({ auth, data });\n";

#[test]
fn creating_and_deleting_auth_changes_owner_rule_errors() {
    let mut c = Client::start();
    c.write_file(BACKEND, BACKEND_DATA_ONLY);
    let data = c.open(DATA, OWNER_DATA);
    let diags = wait_codes(
        &mut c,
        &data,
        "owner rules need auth",
        has("data/provider-not-configured"),
    );
    let d = diags
        .iter()
        .find(|d| d["code"] == "data/provider-not-configured")
        .expect("diagnostic");
    assert_eq!(d["severity"], 1, "an error: Amplify rejects it");

    // auth is created on disk and passed to defineBackend (a defineAuth that nothing passes to defineBackend
    // is not deployed, and does not count): the watcher notifications clear the error
    settle(&mut c, &data);
    c.write_file(AUTH, AUTH_SRC);
    watched(&mut c, AUTH, CREATED);
    c.write_file(BACKEND, BACKEND_WITH_AUTH);
    wait_codes(
        &mut c,
        &data,
        "auth exists on disk",
        lacks("data/provider-not-configured"),
    );

    // opening and closing it changes nothing: it is still on disk
    let auth = c.open(AUTH, AUTH_SRC);
    settle(&mut c, &data);
    c.close(&auth);
    // (the data file's diagnostics do not change, so they need not be published again; none with the error)
    let d = data.clone();
    let stale = c.try_wait_for(Duration::from_millis(500), move |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == json!(d)
            && m["params"]["diagnostics"]
                .to_string()
                .contains("data/provider-not-configured")
    });
    assert!(stale.is_none(), "auth is still on disk: {stale:?}");

    // deleted from disk and from the backend: the error is back
    settle(&mut c, &data);
    std::fs::remove_file(c.root.path().join(AUTH)).expect("delete auth");
    watched(&mut c, AUTH, DELETED);
    c.write_file(BACKEND, BACKEND_DATA_ONLY);
    wait_codes(
        &mut c,
        &data,
        "auth deleted",
        has("data/provider-not-configured"),
    );
}

#[test]
fn an_unsaved_auth_document_counts_until_it_is_closed() {
    let mut c = Client::start();
    let data = c.open(DATA, OWNER_DATA);
    wait_codes(
        &mut c,
        &data,
        "no auth",
        has("data/provider-not-configured"),
    );
    // a new, unsaved auth file is part of the project while it is open
    settle(&mut c, &data);
    let auth = c.open(AUTH, AUTH_SRC);
    wait_codes(
        &mut c,
        &data,
        "auth open",
        lacks("data/provider-not-configured"),
    );
    // editing it so that it no longer defines auth brings the error back
    settle(&mut c, &data);
    c.change(&auth, 2, json!([{ "text": "export const nothing = 1;\n" }]));
    wait_codes(
        &mut c,
        &data,
        "auth emptied",
        has("data/provider-not-configured"),
    );
    settle(&mut c, &data);
    c.change(&auth, 3, json!([{ "text": AUTH_SRC }]));
    wait_codes(
        &mut c,
        &data,
        "auth back",
        lacks("data/provider-not-configured"),
    );
    // closed without ever being saved: gone again
    settle(&mut c, &data);
    c.close(&auth);
    wait_codes(
        &mut c,
        &data,
        "auth closed unsaved",
        has("data/provider-not-configured"),
    );
}

const STORAGE_SRC: &str = "import { defineStorage } from '@aws-amplify/backend';

export const storage = defineStorage({
  name: 'media',
  access: (allow) => ({
    'team/*': [allow.groups(['EDITORS']).to(['read', 'write'])],
  }),
});
";

fn backend_with(props: &str) -> String {
    format!(
        "import {{ defineBackend }} from '@aws-amplify/backend';\nimport {{ auth }} from './auth/resource';\nimport {{ storage }} from './storage/resource';\n\ndefineBackend({{ {props} }});\n"
    )
}

const CHANGED: u8 = 2;

#[test]
fn adding_and_removing_a_backend_property() {
    let mut c = Client::start();
    c.write_file(
        AUTH,
        AUTH_SRC.replace("'ADMINS'", "'ADMINS', 'EDITORS'").as_str(),
    );
    c.write_file(BACKEND, &backend_with("auth"));
    let storage = c.open(STORAGE, STORAGE_SRC);
    let diags = wait_codes(
        &mut c,
        &storage,
        "storage is not passed",
        has("backend/not-in-backend"),
    );
    let d = diags
        .iter()
        .find(|d| d["code"] == "backend/not-in-backend")
        .expect("diagnostic");
    assert_eq!(
        d["range"]["start"],
        position_of(STORAGE_SRC, "storage =", 0)
    );
    assert!(
        d["message"].as_str().unwrap_or("").contains("not passed"),
        "{d}"
    );

    // the property is added in backend.ts (saved; the watcher reports it): the warning goes away
    settle(&mut c, &storage);
    c.write_file(BACKEND, &backend_with("auth, storage"));
    watched(&mut c, BACKEND, CHANGED);
    wait_codes(
        &mut c,
        &storage,
        "storage passed",
        lacks("backend/not-in-backend"),
    );

    // removed again: back
    settle(&mut c, &storage);
    c.write_file(BACKEND, &backend_with("auth"));
    watched(&mut c, BACKEND, CHANGED);
    wait_codes(
        &mut c,
        &storage,
        "storage removed",
        has("backend/not-in-backend"),
    );

    // with neither the import nor the property it is reported too (no file imports it)
    settle(&mut c, &storage);
    let no_import = "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\n\ndefineBackend({ auth });\n";
    c.write_file(BACKEND, no_import);
    watched(&mut c, BACKEND, CHANGED);
    let diags = wait_codes(&mut c, &storage, "storage not imported", |codes| {
        codes.iter().any(|c| c == "backend/not-in-backend")
    });
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .unwrap_or("")
        .contains("no file imports it")));
    settle(&mut c, &storage);
    c.write_file(BACKEND, &backend_with("auth, storage"));
    watched(&mut c, BACKEND, CHANGED);
    wait_codes(
        &mut c,
        &storage,
        "storage passed again",
        lacks("backend/not-in-backend"),
    );
}

/// The same with `backend.ts` open and edited without saving.
#[test]
fn adding_and_removing_a_backend_property_in_an_open_backend() {
    let mut c = Client::start();
    c.write_file(
        AUTH,
        AUTH_SRC.replace("'ADMINS'", "'ADMINS', 'EDITORS'").as_str(),
    );
    let backend = c.open(BACKEND, &backend_with("auth"));
    let storage = c.open(STORAGE, STORAGE_SRC);
    wait_codes(
        &mut c,
        &storage,
        "storage is not passed",
        has("backend/not-in-backend"),
    );
    settle(&mut c, &storage);
    c.change(
        &backend,
        2,
        json!([{ "text": backend_with("auth, storage") }]),
    );
    wait_codes(
        &mut c,
        &storage,
        "storage passed",
        lacks("backend/not-in-backend"),
    );
    settle(&mut c, &storage);
    c.change(&backend, 3, json!([{ "text": backend_with("auth") }]));
    wait_codes(
        &mut c,
        &storage,
        "storage removed",
        has("backend/not-in-backend"),
    );
}

#[test]
fn group_names_unknown_to_define_auth() {
    let mut c = Client::start();
    let auth = c.open(AUTH, AUTH_SRC);
    let storage = c.open(STORAGE, STORAGE_SRC);
    let diags = wait_codes(
        &mut c,
        &storage,
        "EDITORS is unknown",
        has("storage/unknown-group"),
    );
    let d = diags
        .iter()
        .find(|d| d["code"] == "storage/unknown-group")
        .expect("diagnostic");
    assert_eq!(
        d["range"]["start"],
        position_of(STORAGE_SRC, "'EDITORS'", 0)
    );
    // the group is added in defineAuth
    settle(&mut c, &storage);
    c.change(
        &auth,
        2,
        json!([{ "text": AUTH_SRC.replace("'ADMINS'", "'ADMINS', 'EDITORS'") }]),
    );
    wait_codes(
        &mut c,
        &storage,
        "EDITORS defined",
        lacks("storage/unknown-group"),
    );
    // and renamed away
    settle(&mut c, &storage);
    c.change(
        &auth,
        3,
        json!([{ "text": AUTH_SRC.replace("'ADMINS'", "'ADMINS', 'EDITOR'") }]),
    );
    wait_codes(
        &mut c,
        &storage,
        "EDITORS gone",
        has("storage/unknown-group"),
    );
}

#[test]
fn function_places_follow_the_other_file() {
    let mut c = Client::start();
    c.write_file(AUTH, AUTH_SRC);
    // a placeholder export instead of a function
    c.write_file(
        "amplify/functions/worker/resource.ts",
        "export const worker = 'todo';\n",
    );
    let data_src = "import { a, defineData } from '@aws-amplify/backend';
import { auth } from '../auth/resource';
import { worker } from '../functions/worker/resource';

const schema = a.schema({
  run: a.query().returns(a.string()).handler(a.handler.function(worker)).authorization((allow) => [allow.authenticated()]),
  sync: a.mutation().returns(a.string()).handler(a.handler.function(auth)).authorization((allow) => [allow.authenticated()]),
  later: a.query().returns(a.string()).handler(a.handler.function('mailer')).authorization((allow) => [allow.authenticated()]),
});

export const data = defineData({ schema });
";
    let data = c.open(DATA, data_src);
    // the unknown key is reported once the project's functions are known, which may be a publication later
    let diags = wait_codes(&mut c, &data, "two non-functions and 'mailer'", |codes| {
        codes
            .iter()
            .filter(|c| *c == "function/not-a-function")
            .count()
            == 2
            && codes.iter().any(|c| c == "data/unknown-function")
    });
    let msgs: Vec<&str> = diags
        .iter()
        .filter(|d| d["code"] == "function/not-a-function")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("a string")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.contains("`defineAuth` resource")),
        "{msgs:?}"
    );
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "data/unknown-function")
        .expect("'mailer' is not a functions key");
    assert_eq!(
        unknown["severity"], 2,
        "a warning: Amplify looks for an existing Lambda"
    );

    // the function file becomes a real function (saved; the watcher reports it): one error left
    settle(&mut c, &data);
    c.write_file(
        "amplify/functions/worker/resource.ts",
        "import { defineFunction } from '@aws-amplify/backend';\nexport const worker = defineFunction({});\n",
    );
    watched(&mut c, "amplify/functions/worker/resource.ts", CHANGED);
    let diags = wait_codes(&mut c, &data, "worker is a function", |codes| {
        codes
            .iter()
            .filter(|c| *c == "function/not-a-function")
            .count()
            == 1
    });
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .unwrap_or("")
        .contains("`defineAuth` resource")));

    // opened and edited back into a placeholder without saving: the unsaved text wins
    settle(&mut c, &data);
    c.open(
        "amplify/functions/worker/resource.ts",
        "export const worker = { todo: true };\n",
    );
    let diags = wait_codes(&mut c, &data, "worker is an object again", |codes| {
        codes
            .iter()
            .filter(|c| *c == "function/not-a-function")
            .count()
            == 2
    });
    assert!(diags
        .iter()
        .any(|d| d["message"].as_str().unwrap_or("").contains("an object")));
}

#[test]
fn backend_properties_that_are_not_resources() {
    let mut c = Client::start();
    c.write_file(AUTH, AUTH_SRC);
    c.write_file(
        "amplify/settings.ts",
        "export const settings = { retries: 3 };\n",
    );
    let src = "import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { settings } from './settings';

defineBackend({ auth, settings });
";
    let backend = c.open(BACKEND, src);
    let diags = wait_codes(
        &mut c,
        &backend,
        "settings is an object",
        has("backend/not-a-resource"),
    );
    let d = diags
        .iter()
        .find(|d| d["code"] == "backend/not-a-resource")
        .expect("diagnostic");
    assert_eq!(d["range"]["start"], position_of(src, "settings });", 0));
    assert_eq!(d["severity"], 1);
}

#[test]
fn a_workspace_folder_that_is_the_amplify_folder_is_indexed_as_its_project() {
    // Helix makes the nearest folder with a package.json the root, and `amplify/` has its own.
    let mut c = Client::spawn(&[]);
    let amplify = c.root.path().join("amplify");
    c.write_file(AUTH, AUTH_SRC);
    c.write_file(
        BACKEND,
        "import { defineBackend } from '@aws-amplify/backend';\n",
    );
    let folder = file_uri(&amplify);
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": folder, "capabilities": {},
                "workspaceFolders": [{ "uri": folder, "name": "amplify" }] }),
    )
    .expect("initialize");
    c.notify("initialized", json!({}));
    let indexed = c.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.starts_with("indexed"))
    });
    assert!(
        indexed["params"]["message"]
            .as_str()
            .is_some_and(|t| t.starts_with("indexed 2 backend files")),
        "{indexed}"
    );
    assert!(!c
        .transcript
        .iter()
        .any(|m| m["method"] == "window/showMessage"));
}

#[test]
fn a_root_without_an_amplify_project_is_said_once() {
    let mut c = Client::start();
    let shown = c.wait_for(|m| m["method"] == "window/showMessage");
    let text = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(text.contains("no Amplify backend"), "{text}");
    assert_eq!(shown["params"]["type"], 3, "information, not an error");
    // Opening a backend file later still works, and the message is not repeated.
    let uri = c.open(STORAGE, "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({ name: 'x', access: (allow) => ({ 'a': [allow.guest.to(['read'])] }) });\n");
    assert!(
        Client::codes(&c.diagnostics(&uri, Some(1))).contains(&"storage/path-wildcard".to_string())
    );
    assert!(c
        .try_wait_for(Duration::from_millis(300), |m| m["method"]
            == "window/showMessage")
        .is_none());
}

/// Neovim's spelling of a file URI: `( ) @ + , ; =` left as they are, other bytes as lower-case `%xx`.
fn neovim_uri(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/()@+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[test]
fn cross_file_diagnostics_follow_any_spelling_of_the_uri() {
    // A project under `app (copy)+ü@x/`, opened with Neovim's URIs: the server's own URIs for the same files
    // (built from paths) are spelled differently, and must still find the open documents.
    let mut c = Client::start();
    let dir = "app (copy)+ü@x,y;z=1";
    let storage_path = c.root.path().join(dir).join(STORAGE);
    let auth_path = c.root.path().join(dir).join(AUTH);
    let storage_src = "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({ name: 'files', access: (allow) => ({ 'media/*': [allow.groups(['ADMINS']).to(['read'])] }) });\n";
    let auth_without = AUTH_SRC.replace("['ADMINS']", "['EDITORS']");
    c.write_file(&format!("{dir}/{AUTH}"), &auth_without);
    c.write_file(&format!("{dir}/{STORAGE}"), storage_src);
    let storage = neovim_uri(&storage_path);
    let auth = neovim_uri(&auth_path);
    assert_ne!(
        storage,
        file_uri(&storage_path),
        "the test needs two spellings"
    );
    c.open_uri(&storage, storage_src, 1);
    wait_codes(
        &mut c,
        &storage,
        "the group is unknown",
        has("storage/unknown-group"),
    );
    c.open_uri(&auth, &auth_without, 1);
    c.change(&auth, 2, json!([{ "text": AUTH_SRC }]));
    // published again, under the client's own spelling
    wait_codes(
        &mut c,
        &storage,
        "the group is declared",
        lacks("storage/unknown-group"),
    );
}
