//! Diagnostics through the real binary: ranges, codes, severities, related information, ignore comments,
//! pull diagnostics, and the `check` command's formats.

use std::process::Command;

use amplify_lsp_tests::*;

const STORAGE: &str = "import { defineStorage } from '@aws-amplify/backend';\n\
export const storage = defineStorage({\n  name: 'files',\n  access: (allow) => ({\n    'photos': [allow.authenticated.to(['read'])],\n  }),\n});\n";

#[test]
fn storage_path_without_wildcard_is_an_error_on_the_key() {
    let mut c = Client::start();
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    let diags = c.diagnostics(&uri, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "storage/path-wildcard")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "amplify");
    assert_eq!(d["range"]["start"], position_of(STORAGE, "'photos'", 0));
    assert_eq!(d["range"]["end"], position_of(STORAGE, "'photos'", 8));
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap_or("")
        .contains("/docs/codes/storage/path-wildcard.md#platform-react"));
    // fixing it clears the diagnostic
    let pos = position_of(STORAGE, "photos'", 6);
    c.change(
        &uri,
        2,
        json!([{ "range": { "start": pos, "end": pos }, "text": "/*" }]),
    );
    let diags = c.diagnostics(&uri, Some(2));
    assert!(
        !Client::codes(&diags).contains(&"storage/path-wildcard".to_string()),
        "{diags:#?}"
    );
}

#[test]
fn relationship_errors_point_at_the_other_side() {
    let mut c = Client::start();
    let text = "import { a, defineData } from '@aws-amplify/backend';\n\
const schema = a.schema({\n  Project: a.model({ tasks: a.hasMany('Task', 'projectId') }),\n  Task: a.model({ projectId: a.id(), title: a.string() }),\n}).authorization((allow) => [allow.publicApiKey()]);\n\
export const data = defineData({ schema });\n";
    let uri = c.open("amplify/data/resource.ts", text);
    let diags = c.diagnostics(&uri, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "data/relationship-counterpart")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["severity"], 1);
    let line = d["range"]["start"]["line"].as_u64();
    assert_eq!(line, Some(2), "{d:#?}");
    // the related information points at the model that lacks the other side
    let related = d["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|r| r["location"]["range"]["start"]["line"] == 3),
        "{d:#?}"
    );
}

#[test]
fn ignore_comment_silences_one_line() {
    let mut c = Client::start();
    let text = STORAGE.replace(
        "    'photos'",
        "    // amplify-lsp-ignore-next-line storage/path-wildcard\n    'photos'",
    );
    let uri = c.open("amplify/storage/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        !Client::codes(&diags).contains(&"storage/path-wildcard".to_string()),
        "{diags:#?}"
    );
    // a different code on the comment does not silence it
    let text = STORAGE.replace(
        "    'photos'",
        "    // amplify-lsp-ignore-next-line shape/wrong-type\n    'photos'",
    );
    let uri = c.open("amplify/storage/other/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&diags).contains(&"storage/path-wildcard".to_string()),
        "{diags:#?}"
    );
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let mut c = Client::start_with(json!({
        "capabilities": {
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } }
        }
    }));
    assert_eq!(
        c.init_result["capabilities"]["diagnosticProvider"]["identifier"],
        "amplify"
    );
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    let res = c
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("diagnostic");
    assert_eq!(res["kind"], "full");
    let codes: Vec<&str> = res["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"storage/path-wildcard"), "{res:#?}");
    // nothing is pushed when the client pulls
    let pushed = c.try_wait_for(std::time::Duration::from_millis(300), |m| {
        m["method"] == "textDocument/publishDiagnostics"
    });
    assert!(pushed.is_none(), "{pushed:?}");
}

const AUTH_EDITORS: &str = "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true }, groups: ['EDITORS'] });\n";
const STORAGE_ADMIN: &str = "import { defineStorage } from '@aws-amplify/backend';\nexport const storage = defineStorage({ name: 'files', access: (allow) => ({ 'media/*': [allow.groups(['ADMIN']).to(['read'])] }) });\n";

fn pull(c: &mut Client, uri: &str) -> Vec<String> {
    let res = c
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("diagnostic");
    res["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_pull_client_is_asked_to_pull_again_when_another_file_changes_a_finding() {
    let mut c = Client::start_with(json!({
        "capabilities": {
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "diagnostics": { "refreshSupport": true } }
        }
    }));
    let auth = c.open("amplify/auth/resource.ts", AUTH_EDITORS);
    let storage = c.open("amplify/storage/resource.ts", STORAGE_ADMIN);
    assert!(
        pull(&mut c, &storage).contains(&"storage/unknown-group".to_string()),
        "the group is not in defineAuth yet"
    );
    let is_refresh = |m: &Value| m["method"] == "workspace/diagnostic/refresh";
    // Whatever opening the files asked for, let it pass, then start from a clean slate.
    while c
        .try_wait_for(std::time::Duration::from_millis(300), is_refresh)
        .is_some()
    {}
    // The group is added in the auth file: the storage file's finding goes, and only a refresh tells the client.
    let fixed = AUTH_EDITORS.replace("['EDITORS']", "['EDITORS', 'ADMIN']");
    c.change(&auth, 2, json!([{ "text": fixed }]));
    let refresh = c.wait_for(is_refresh);
    assert!(refresh.get("id").is_some(), "a request: {refresh}");
    assert!(
        !pull(&mut c, &storage).contains(&"storage/unknown-group".to_string()),
        "after the refresh, the pull sees the group"
    );
    // An edit that changes nothing for other files asks for no refresh.
    c.change(
        &auth,
        3,
        json!([{ "text": format!("{fixed}// a comment\n") }]),
    );
    assert!(c
        .try_wait_for(std::time::Duration::from_millis(500), is_refresh)
        .is_none());
    // Nothing is pushed to a pull client.
    assert!(!c
        .transcript
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics"));
}

#[test]
fn a_client_that_pulls_but_cannot_be_asked_to_refresh_gets_pushed_diagnostics() {
    // Neovim 0.10 pulls, but does not declare `workspace.diagnostics.refreshSupport`.
    let mut c = Client::start_with(json!({
        "capabilities": { "textDocument": { "diagnostic": { "dynamicRegistration": false } } }
    }));
    assert!(c.init_result["capabilities"]["diagnosticProvider"].is_null());
    let auth = c.open("amplify/auth/resource.ts", AUTH_EDITORS);
    let storage = c.open("amplify/storage/resource.ts", STORAGE_ADMIN);
    // (the lists published while the workspace is indexed leave it out: the groups may be defined elsewhere)
    let found = c.publication_with(&storage, "storage/unknown-group");
    assert_eq!(found["params"]["version"], 1);
    let fixed = AUTH_EDITORS.replace("['EDITORS']", "['EDITORS', 'ADMIN']");
    c.change(&auth, 2, json!([{ "text": fixed }]));
    let cleared = c.publication_without(&storage, "storage/unknown-group");
    assert_eq!(cleared["params"]["version"], 1);
}

#[test]
fn each_code_links_to_its_own_page_at_the_users_platform() {
    let mut c = Client::start_with(json!({ "initializationOptions": { "docsPlatform": "vue" } }));
    let uri = c.open("amplify/storage/resource.ts", STORAGE);
    let diags = c.diagnostics(&uri, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "storage/path-wildcard")
        .expect("storage/path-wildcard");
    let href = d["codeDescription"]["href"].as_str().unwrap_or_default();
    assert!(
        href.ends_with("/docs/codes/storage/path-wildcard.md#platform-vue"),
        "{href}"
    );
    // the page exists in the repository
    assert!(repo_root()
        .join("docs/codes/storage/path-wildcard.md")
        .is_file());
}

#[test]
fn cross_file_auth_rules_follow_the_auth_file() {
    let mut c = Client::start();
    let data = "import { a, defineData } from '@aws-amplify/backend';\n\
const schema = a.schema({ Note: a.model({ body: a.string() }).authorization((allow) => [allow.owner()]) });\n\
export const data = defineData({ schema });\n";
    let uri = c.open("amplify/data/resource.ts", data);
    // (the lists published while the workspace is indexed leave it out: the project may still turn out to
    // have auth)
    let found = c.publication_with(&uri, "data/provider-not-configured");
    assert_eq!(found["params"]["version"], 1);
    // opening an auth resource in the editor fixes it, without touching the data file
    let auth = c.open(
        "amplify/auth/resource.ts",
        "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });\n",
    );
    c.diagnostics(&auth, Some(1));
    // (a list published before the auth file was read may come first)
    let cleared = c.publication_without(&uri, "data/provider-not-configured");
    assert_eq!(cleared["params"]["version"], 1);
}

#[test]
fn check_command_formats() {
    let dir = repo_root().join("examples/mistakes");
    let run = |fmt: &str| {
        let out = Command::new(server_binary())
            .args(["check", "--format", fmt, "."])
            .current_dir(&dir)
            .output()
            .expect("check");
        assert_eq!(out.status.code(), Some(1), "errors mean exit 1");
        String::from_utf8(out.stdout).expect("utf8")
    };
    let text = run("text");
    assert!(text.contains("amplify/storage/resource.ts:"), "{text}");
    assert!(text.contains("error storage/path-wildcard:"), "{text}");
    assert!(
        text.contains("^^^"),
        "a caret under the offending text: {text}"
    );
    let json: Value = serde_json::from_str(&run("json")).expect("json");
    assert!(json
        .as_array()
        .is_some_and(|a| a.iter().any(|d| d["code"] == "storage/path-wildcard")));
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    // the clean example exits 0
    let out = Command::new(server_binary())
        .args(["check", "examples/starter"])
        .current_dir(repo_root())
        .output()
        .expect("check");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn secrets_are_never_repeated_in_messages() {
    let mut c = Client::start();
    let planted = "GOCSPX-planted-value-9f8e7d";
    let text = format!(
        "import {{ defineAuth, secret }} from '@aws-amplify/backend';\nexport const auth = defineAuth({{ loginWith: {{ email: true, externalProviders: {{ google: {{ clientId: secret('ID'), clientSecret: '{planted}' }}, callbackUrls: ['http://localhost/'], logoutUrls: ['http://localhost/'] }} }} }});\n"
    );
    let uri = c.open("amplify/auth/resource.ts", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        Client::codes(&diags).contains(&"security/hardcoded-secret".to_string()),
        "{diags:#?}"
    );
    let all = serde_json::to_string(&c.transcript).expect("json");
    assert!(
        !all.contains(planted),
        "the planted value leaked into the protocol output"
    );
    c.wait_exit();
    assert!(
        !c.log().contains(planted),
        "the planted value leaked into the logs"
    );
}

#[test]
fn an_open_backend_file_counts_for_not_in_backend() {
    let mut c = Client::start();
    c.write_file(
        "amplify/auth/resource.ts",
        "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });\n",
    );
    let backend = c.open(
        "amplify/backend.ts",
        "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\ndefineBackend({ auth });\n",
    );
    c.diagnostics(&backend, Some(1));
    let auth = c.open(
        "amplify/auth/resource.ts",
        "import { defineAuth } from '@aws-amplify/backend';\nexport const auth = defineAuth({ loginWith: { email: true } });\n",
    );
    let diags = c.diagnostics(&auth, Some(1));
    assert!(
        !Client::codes(&diags).contains(&"backend/not-in-backend".to_string()),
        "{diags:#?}"
    );
    // removing the import from the open backend file makes the resource unused
    c.change(
        &backend,
        2,
        json!([{ "text": "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n" }]),
    );
    let diags = c.diagnostics(&auth, Some(1));
    assert!(
        Client::codes(&diags).contains(&"backend/not-in-backend".to_string()),
        "{diags:#?}"
    );
}
