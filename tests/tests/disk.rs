//! Hostile files on disk, through the real binary: a FIFO, links to `/dev/zero`, to the server's own input
//! and out of the project, binary files, and an entry folder that is a link out of the project. Every request
//! is answered, nothing outside the project is read or revealed, and the server shuts down cleanly.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::process::Command;

use amplify_lsp_tests::*;

const DATA: &str = "import { a, defineData } from '@aws-amplify/backend';

const schema = a.schema({
  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),
  Note: a.model({ body: a.string() }).authorization((allow) => [allow.group('$0')]),
});

export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey' } });
";

const OUTSIDE_AUTH: &str = "import { defineAuth } from '@aws-amplify/backend';
export const auth = defineAuth({ loginWith: { email: true }, groups: ['LEAKED_OUTSIDE_GROUP'] });
";

fn mkfifo(path: &std::path::Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn fifos_devices_and_links_out_of_the_project_are_never_read() {
    // The files are there before the server starts, so that it indexes them.
    let mut c = Client::spawn(&[]);
    let root = c.root.path().to_path_buf();
    c.write_file(
        "amplify/backend.ts",
        "import { defineBackend } from '@aws-amplify/backend';\n",
    );
    std::fs::create_dir_all(root.join("amplify/auth")).expect("mkdir");
    // the auth resource is a FIFO: an open without O_NONBLOCK would wait for a writer forever
    mkfifo(&root.join("amplify/auth/resource.ts"));
    // a link to /dev/zero: a read would never end
    std::fs::create_dir_all(root.join("amplify/storage")).expect("mkdir");
    symlink("/dev/zero", root.join("amplify/storage/resource.ts")).expect("symlink");
    // a link to the server's own input: a read would swallow the next request
    std::fs::create_dir_all(root.join("amplify/functions/f")).expect("mkdir");
    symlink(
        "/proc/self/fd/0",
        root.join("amplify/functions/f/resource.ts"),
    )
    .expect("symlink");
    // a link to a file outside the project, whose groups must not be offered
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("auth.ts"), OUTSIDE_AUTH).expect("write");
    std::fs::create_dir_all(root.join("amplify/other")).expect("mkdir");
    symlink(
        outside.path().join("auth.ts"),
        root.join("amplify/other/resource.ts"),
    )
    .expect("symlink");
    // a binary file with a .ts name
    std::fs::write(root.join("amplify/blob.ts"), b"\x7fELF\0\0\x01\x02binary").expect("write");
    let folder = file_uri(&root);
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": folder, "capabilities": {},
                "workspaceFolders": [{ "uri": folder, "name": "p" }] }),
    )
    .expect("initialize");
    c.notify("initialized", json!({}));
    // Indexing lists regular files only (links and FIFOs are not listed) and refuses the binary one.
    c.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.starts_with("indexed"))
    });

    let (text, at) = cursor(DATA);
    let uri = c.open("amplify/data/resource.ts", &text);
    c.diagnostics(&uri, Some(1));
    // Code actions read the auth resource from disk (to switch to owner rules): answered, not hung.
    let p = position_of(&text, "allow.publicApiKey", 8);
    let actions = c.code_actions(&uri, json!({ "start": p, "end": p }), json!([]));
    assert!(
        actions
            .iter()
            .any(|a| a["title"].as_str().is_some_and(|t| t.contains("owner"))),
        "{actions:#?}"
    );
    // Completion of group names reads the project's auth: nothing from the outside file.
    let labels = Client::labels(&c.completion(&uri, at));
    assert!(
        !labels.iter().any(|l| l == "LEAKED_OUTSIDE_GROUP"),
        "{labels:?}"
    );
    // A keystroke re-checks the project: answered too.
    c.change(
        &uri,
        2,
        json!([{ "text": text.replace("content", "contents") }]),
    );
    c.diagnostics(&uri, Some(2));
    // The next request is not swallowed, and the refusals are said once each in the log.
    assert!(!c
        .hover(&uri, position_of(&text, "defineData(", 2))
        .is_empty());
    let log = c.log();
    for (file, why) in [
        ("auth/resource.ts", "not a regular file"),
        ("blob.ts", "not text"),
    ] {
        assert!(
            log.lines().any(|l| l.contains(file) && l.contains(why)),
            "no line saying {file}: {why}\n{log}"
        );
    }
    assert!(!log.contains("LEAKED_OUTSIDE_GROUP"), "{log}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn an_entry_through_a_link_out_of_the_project_reveals_nothing() {
    let mut c = Client::start();
    let root = c.root.path().to_path_buf();
    c.write_file(
        "amplify/backend.ts",
        "import { defineBackend } from '@aws-amplify/backend';\n",
    );
    std::fs::create_dir_all(root.join("amplify/functions/f")).expect("mkdir");
    symlink("/etc", root.join("amplify/functions/f/out")).expect("symlink");
    let func = |entry: &str| {
        format!("import {{ defineFunction }} from '@aws-amplify/backend';\nexport const f = defineFunction({{ entry: '{entry}' }});\n")
    };
    // `/etc/passwd` exists and `/etc/nonexistent-amplify-lsp` does not: both must look the same.
    let exists = c.write_file("amplify/functions/f/resource.ts", &func("./out/passwd"));
    c.open_uri(&exists, &func("./out/passwd"), 1);
    let a = Client::codes(&c.diagnostics(&exists, Some(1)));
    c.change(
        &exists,
        2,
        json!([{ "text": func("./out/nonexistent-amplify-lsp") }]),
    );
    let b = Client::codes(&c.diagnostics(&exists, Some(2)));
    assert_eq!(a, b, "an existence oracle for a place outside the project");
    assert!(
        !b.contains(&"function/entry-not-found".to_string()),
        "{b:?}"
    );
    // inside the project, a missing entry is still reported
    c.change(&exists, 3, json!([{ "text": func("./missing.ts") }]));
    let d = Client::codes(&c.diagnostics(&exists, Some(3)));
    assert!(d.contains(&"function/entry-not-found".to_string()), "{d:?}");
}

const STORAGE_WITH_GROUP: &str = "import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({ name: 'files', access: (allow) => ({ 'media/*': [allow.groups(['']).to(['read'])] }) });
";

/// The completion labels inside `allow.groups([''])` of `rel` (under `outer`), with `folder` (relative to
/// `outer`) as the only workspace folder.
fn groups_offered(folder: &str, rel: &str) -> Vec<String> {
    let mut c = Client::spawn(&[]);
    c.write_file(
        "amplify/backend.ts",
        "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\ndefineBackend({ auth });\n",
    );
    c.write_file("amplify/auth/resource.ts", OUTSIDE_AUTH);
    c.write_file(rel, STORAGE_WITH_GROUP);
    let dir = c.root.path().join(folder);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let folder_uri = file_uri(&dir);
    c.request(
        "initialize",
        serde_json::json!({ "processId": null, "rootUri": folder_uri, "capabilities": {},
                "workspaceFolders": [{ "uri": folder_uri, "name": "w" }] }),
    )
    .expect("initialize");
    c.notify("initialized", serde_json::json!({}));
    c.wait_log("indexed");
    let uri = c.open(rel, STORAGE_WITH_GROUP);
    let labels = Client::labels(&c.completion(&uri, position_of(STORAGE_WITH_GROUP, "(['", 3)));
    assert!(c.alive());
    labels
}

#[test]
fn a_project_above_the_workspace_folder_is_never_used() {
    // The whole project open: its auth groups are offered (the test can see a leak).
    let all = groups_offered(".", "amplify/storage/resource.ts");
    assert!(all.iter().any(|l| l == "LEAKED_OUTSIDE_GROUP"), "{all:?}");
    // A folder beside the project's `amplify/`, whose file finds `amplify/backend.ts` above the folder.
    let beside = groups_offered("app", "app/storage/resource.ts");
    assert!(!beside.iter().any(|l| l.contains("LEAKED")), "{beside:?}");
    // A folder inside `amplify/`: the project's other files lie above it.
    let inside = groups_offered("amplify/storage", "amplify/storage/resource.ts");
    assert!(!inside.iter().any(|l| l.contains("LEAKED")), "{inside:?}");
    // The `amplify/` folder itself holds every backend file: its project is used.
    let amplify = groups_offered("amplify", "amplify/storage/resource.ts");
    assert!(
        amplify.iter().any(|l| l == "LEAKED_OUTSIDE_GROUP"),
        "{amplify:?}"
    );
}

/// The groups offered in a storage file when auth (padded to about 3 KB) is on disk, with `options` as the
/// initialization options.
fn groups_with_large_auth(options: serde_json::Value) -> (Vec<String>, String) {
    let auth = format!("{OUTSIDE_AUTH}{}", "// padding\n".repeat(300));
    let mut c = Client::start_with_files(
        &[],
        &[
            ("amplify/backend.ts", "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\ndefineBackend({ auth });\n"),
            ("amplify/auth/resource.ts", &auth),
        ],
        serde_json::json!({ "initializationOptions": options }),
    );
    c.wait_log("indexed");
    let uri = c.open("amplify/storage/resource.ts", STORAGE_WITH_GROUP);
    let labels = Client::labels(&c.completion(&uri, position_of(STORAGE_WITH_GROUP, "(['", 3)));
    (labels, c.log())
}

#[test]
fn max_file_size_applies_to_indexed_files() {
    let (labels, _) = groups_with_large_auth(serde_json::json!({}));
    assert!(
        labels.iter().any(|l| l == "LEAKED_OUTSIDE_GROUP"),
        "{labels:?}"
    );
    let (labels, log) = groups_with_large_auth(serde_json::json!({ "maxFileSize": 2000 }));
    assert!(!labels.iter().any(|l| l.contains("LEAKED")), "{labels:?}");
    let refused: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("not indexing") && l.contains("auth"))
        .collect();
    assert_eq!(refused.len(), 1, "one log line for the refused file: {log}");
}
