//! Frontend storage and auth calls through the real binary: a project with a storage and an auth backend (the
//! `storage/action-denied-bad` fixture's), its app code opened as `.ts` and `.tsx` documents, before any
//! `npm install` (no `node_modules`). Diagnostics are the `// expect:` lines; completion offers the access
//! paths inside `path: '¦'` and the bucket names inside `bucket: '¦'`; hover on a path names each principal's
//! actions there.

use amplify_lsp_tests::{cursor, json, position_of, Client};

const BACKEND: &str =
    include_str!("../fixtures/frontend/storage/action-denied-bad/amplify/backend.ts");
const AUTH: &str =
    include_str!("../fixtures/frontend/storage/action-denied-bad/amplify/auth/resource.ts");
const STORAGE: &str =
    include_str!("../fixtures/frontend/storage/action-denied-bad/amplify/storage/resource.ts");
const FILES_TS: &str = include_str!("../fixtures/frontend/storage/action-denied-bad/src/files.ts");
const UPLOAD_TSX: &str =
    include_str!("../fixtures/frontend/storage/action-denied-bad/src/Upload.tsx");
const ENTITY_TS: &str = include_str!("../fixtures/frontend/storage/entity-id-bad/src/files.ts");
const ENTITY_TSX: &str =
    include_str!("../fixtures/frontend/storage/entity-id-bad/src/Experience.tsx");

fn start() -> Client {
    Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", BACKEND),
            ("amplify/auth/resource.ts", AUTH),
            ("amplify/storage/resource.ts", STORAGE),
            ("amplify/package.json", "{\"type\":\"module\"}\n"),
        ],
        json!({}),
    )
}

/// (0-based line, code) of each `// expect:` comment.
fn expected(text: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            l.split("// expect: ")
                .nth(1)
                .map(|c| (i as u64, c.trim().to_string()))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn storage_diagnostics_on_ts_and_tsx_files() {
    let mut c = start();
    for (rel, text) in [
        ("src/files.ts", FILES_TS),
        ("src/Upload.tsx", UPLOAD_TSX),
        ("src/entity.ts", ENTITY_TS),
        ("src/Experience.tsx", ENTITY_TSX),
    ] {
        let uri = c.open(rel, text);
        let diags = c.diagnostics(&uri, Some(1));
        let mut got: Vec<(u64, String)> = diags
            .iter()
            .filter(|d| d["severity"] == json!(1))
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
                    d["code"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        got.sort();
        let want = expected(text);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{rel}: {diags:#?}");
    }
}

#[test]
fn completion_offers_access_paths_and_buckets_in_ts_and_tsx() {
    let mut c = start();
    let cases = [
        (
            "src/a.ts",
            "import { uploadData } from 'aws-amplify/storage';\nuploadData({ path: 'al$0",
            vec!["public/", "public/reports/", "albums/"],
        ),
        (
            "src/B.tsx",
            "import { uploadData } from 'aws-amplify/storage';\nexport const B = () => <button onClick={() => uploadData({ path: ({ identityId }) => `$0` })} />;\n",
            vec!["experiences/${identityId}/", "albums/"],
        ),
        (
            "src/c.ts",
            "import { list } from 'aws-amplify/storage';\nlist({ path: 'logs/', options: { bucket: '$0' } });\n",
            vec!["appFiles", "archive"],
        ),
    ];
    for (rel, fixture, want) in cases {
        let (text, pos) = cursor(fixture);
        let uri = c.open(rel, &text);
        let items = c.completion(&uri, pos);
        let inserted: Vec<String> = items
            .iter()
            .map(|i| {
                i["textEdit"]["newText"]
                    .as_str()
                    .or_else(|| i["insertText"].as_str())
                    .or_else(|| i["label"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        for w in &want {
            assert!(
                inserted.iter().any(|i| i == w),
                "{rel}: {w} not in {inserted:?}"
            );
        }
    }
}

#[test]
fn hover_on_a_path_names_each_principals_actions() {
    let mut c = start();
    for rel in ["src/files.ts", "src/Upload.tsx"] {
        let text = if rel.ends_with(".ts") {
            FILES_TS
        } else {
            UPLOAD_TSX
        };
        let uri = c.open(rel, text);
        let needle = if rel.ends_with(".ts") {
            "albums/cover"
        } else {
            "albums/${"
        };
        let md = c.hover(&uri, position_of(text, needle, 2));
        assert!(md.contains("access path `albums/*`"), "{rel}: {md}");
        assert!(md.contains("- authenticated: get, list"), "{rel}: {md}");
        assert!(md.contains("- guest: no access"), "{rel}: {md}");
        assert!(
            md.contains("needs `write`") || md.contains("needs `delete`"),
            "{rel}: {md}"
        );
    }
}

#[test]
fn a_backend_edit_republishes_the_frontend_file() {
    let mut c = start();
    let uri = c.open("src/files.ts", FILES_TS);
    let before = c.diagnostics(&uri, Some(1));
    assert!(before
        .iter()
        .any(|d| d["code"] == json!("frontend/storage-action-denied")));
    let storage_uri = c.open("amplify/storage/resource.ts", STORAGE);
    let widened = STORAGE.replace(
        "'albums/*': [allow.authenticated.to(['read'])]",
        "'albums/*': [allow.authenticated.to(['read', 'write', 'delete'])]",
    );
    assert_ne!(widened, STORAGE);
    c.change(&storage_uri, 2, json!([{ "text": widened }]));
    let after = c.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == json!(uri)
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|ds| ds.len() < before.len())
    });
    let lines: Vec<u64> = after["params"]["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d["range"]["start"]["line"].as_u64())
                .collect()
        })
        .unwrap_or_default();
    // the upload to albums/ (line 3) and the removal under albums/ (line 4) are now allowed
    assert!(!lines.contains(&3) && !lines.contains(&4), "{after:#}");
}

const AUTH_BACKEND: &str =
    include_str!("../fixtures/frontend/auth/provider-not-configured-bad/amplify/backend.ts");
const AUTH_PROVIDERS: &str =
    include_str!("../fixtures/frontend/auth/provider-not-configured-bad/amplify/auth/resource.ts");
const LOGIN_TS: &str =
    include_str!("../fixtures/frontend/auth/provider-not-configured-bad/src/login.ts");
const LOGIN_TSX: &str =
    include_str!("../fixtures/frontend/auth/provider-not-configured-bad/src/Login.tsx");
const SIGNUP_TS: &str =
    include_str!("../fixtures/frontend/auth/unknown-attribute-bad/src/signup.ts");
const REGISTER_TSX: &str =
    include_str!("../fixtures/frontend/auth/unknown-attribute-bad/src/Register.tsx");

#[test]
fn auth_diagnostics_and_completion_on_ts_and_tsx_files() {
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", AUTH_BACKEND),
            ("amplify/auth/resource.ts", AUTH_PROVIDERS),
            ("amplify/package.json", "{\"type\":\"module\"}\n"),
        ],
        json!({}),
    );
    for (rel, text) in [
        ("src/login.ts", LOGIN_TS),
        ("src/Login.tsx", LOGIN_TSX),
        ("src/signup.ts", SIGNUP_TS),
        ("src/Register.tsx", REGISTER_TSX),
    ] {
        let uri = c.open(rel, text);
        let diags = c.diagnostics(&uri, Some(1));
        let mut got: Vec<(u64, String)> = diags
            .iter()
            .filter(|d| d["severity"] == json!(1))
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
                    d["code"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, expected(text), "{rel}: {diags:#?}");
    }
    let (text, pos) = cursor(
        "import { signInWithRedirect } from 'aws-amplify/auth';\nexport const Go = () => <a onClick={() => signInWithRedirect({ provider: '$0' })} />;\n",
    );
    let uri = c.open("src/Go.tsx", &text);
    let labels: Vec<String> = c
        .completion(&uri, pos)
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect();
    assert_eq!(labels, vec!["Google".to_string()]);
}
