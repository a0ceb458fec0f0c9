//! Secrets and side effects, through the real binary.
//!
//! Credential-looking values are planted where secrets belong (provider `clientSecret`s, Apple's
//! `privateKey`, function `environment`, a SQL connection string), then a whole session exercises every
//! feature on them at the most verbose log level — diagnostics, hovers and completions on and around the
//! values, code actions and their resolution, code lenses, inlay hints, symbols, definition, references,
//! rename, edits, a panic, malformed messages — and everything the server wrote (stdout and stderr) is
//! searched for any 10-character piece of the values. So is the output of `amplify-lsp check`.
//!
//! The same session checks the server's side effects: it runs no program (fake `npm`, `npx`, `node`...
//! first on its `PATH` would leave a mark), writes no file (the workspace is unchanged), and never touches
//! paths outside the project that `entry: '../../../etc/passwd'`-style values point at. On Linux with
//! `strace` available, every file system call of the server is recorded and checked as well: no `execve`
//! besides its own start, no file opened for writing, nothing created, removed or renamed, and no access
//! to the outside paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use amplify_lsp_tests::*;

/// The planted values. Each carries the marker `Zq8PLANTED` so a partial leak is found too.
const SECRETS: &[&str] = &[
    "GOCSPX-Zq8PLANTEDgoogle4kQ",
    "Zq8PLANTEDoidcSecret77xx",
    "-----BEGIN PRIVATE KEY-----MIIZq8PLANTEDapplePk-----END PRIVATE KEY-----",
    "Zq8PLANTEDstripeF00Dbeef",
    "Zq8PLANTEDdbPassword99",
    "mysql://admin:Zq8PLANTEDsqlPw@db.example.com:3306/app",
    "Zq8PLANTEDfacebookSecret1",
];

/// Every 10-byte window of every planted value's distinctive part (from the marker on).
fn needles() -> Vec<String> {
    let mut out = vec!["Zq8PLANTED".to_string()];
    for s in SECRETS {
        let at = s.find("Zq8").unwrap_or(0);
        let tail = &s[at..];
        for i in 0..tail.len().saturating_sub(9) {
            if tail.is_char_boundary(i) && tail.is_char_boundary(i + 10) {
                out.push(tail[i..i + 10].to_string());
            }
        }
    }
    out
}

/// Everything the server wrote on stdout in the session, one message per line.
fn stdout_of(c: &Client) -> String {
    c.transcript
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fails when `find` finds planted values in `text`, showing the lines that hold them (cut at 600 characters).
fn assert_clean(what: &str, text: &str, find: fn(&str) -> Vec<String>) {
    let found = find(text);
    assert!(
        found.is_empty(),
        "planted values in {what}: {found:?}\n{}",
        text.lines()
            .filter(|l| !find(l).is_empty())
            .map(|l| l.chars().take(600).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn leaks(haystack: &str) -> Vec<String> {
    needles()
        .into_iter()
        .filter(|n| haystack.contains(n.as_str()))
        .collect()
}

const BACKEND: &str = "import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { worker } from './functions/worker/resource';
import { outsider } from './functions/outsider/resource';
import { ghost } from './functions/ghost/resource';

defineBackend({ auth, data, worker, outsider, ghost });
";

fn auth_resource() -> String {
    format!(
        "import {{ defineAuth, secret }} from '@aws-amplify/backend';

export const auth = defineAuth({{
  loginWith: {{
    email: true,
    externalProviders: {{
      google: {{
        clientId: secret('GOOGLE_CLIENT_ID'),
        clientSecret: '{}',
      }},
      oidc: [
        {{
          name: 'MyOidc',
          clientId: secret('OIDC_CLIENT_ID'),
          clientSecret: '{}',
          issuerUrl: 'https://issuer.example.com',
        }},
      ],
      signInWithApple: {{
        clientId: secret('APPLE_ID'),
        keyId: secret('APPLE_KEY_ID'),
        privateKey: `{}`,
        teamId: secret('APPLE_TEAM_ID'),
      }},
      facebook: {{ clientId: secret('FB_ID'), clientSecret: \"{}\" }},
      callbackUrls: ['http://localhost:3000/'],
      logoutUrls: ['http://localhost:3000/'],
    }},
  }},
}});
",
        SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[6]
    )
}

fn worker_resource(outside: &str) -> String {
    format!(
        "import {{ defineFunction }} from '@aws-amplify/backend';

export const worker = defineFunction({{
  name: 'worker',
  entry: '{outside}',
  environment: {{
    STRIPE_SECRET_KEY: '{}',
    DB_PASSWORD: '{}',
    GREETING: 'hello',
  }},
}});
",
        SECRETS[3], SECRETS[4]
    )
}

fn data_resource() -> String {
    format!(
        "import {{ a, defineData }} from '@aws-amplify/backend';

const sqlSchema = a.sql({{ connectionUri: '{}' }});

const schema = a.schema({{
  Todo: a.model({{ content: a.string() }}).authorization((allow) => [allow.owner()]),
  echo: a
    .query()
    .arguments({{ content: a.string() }})
    .returns(a.string())
    .handler(a.handler.custom({{ entry: '../../../../../../../../../../etc/passwd' }}))
    .authorization((allow) => [allow.authenticated()]),
}});

export const data = defineData({{ schema }});
",
        SECRETS[5]
    )
}

/// A function whose entry names an outside path (existing or not).
fn entry_only(name: &str, entry: &str) -> String {
    format!(
        "import {{ defineFunction }} from '@aws-amplify/backend';\n\nexport const {name} = defineFunction({{\n  name: '{name}',\n  entry: '{entry}',\n}});\n"
    )
}

/// The environment of a server started by these tests: the fake programs first on `PATH`, the most verbose
/// log, the test hooks, and (when available) a system call trace.
struct Session {
    client: Client,
    folder: PathBuf,
    root: PathBuf,
    outside: PathBuf,
    marks: PathBuf,
    trace: Option<PathBuf>,
    _dirs: tempfile::TempDir,
}

/// The real binary, and (on Unix) a wrapper that runs it under `strace` when `AMPLIFY_STRACE_OUT` is set.
fn wrapper() -> &'static Option<PathBuf> {
    static WRAPPER: OnceLock<Option<PathBuf>> = OnceLock::new();
    WRAPPER.get_or_init(|| {
        if !cfg!(target_os = "linux") || which("strace").is_none() {
            return None;
        }
        let real = server_binary();
        let dir = std::env::temp_dir().join(format!("amplify-lsp-strace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let script = dir.join("amplify-lsp-traced");
        let body = format!(
            "#!/bin/sh\nif [ -n \"$AMPLIFY_STRACE_OUT\" ]; then\n  exec strace -f -qq -e trace=%file -o \"$AMPLIFY_STRACE_OUT\" '{}' \"$@\"\nfi\nexec '{}' \"$@\"\n",
            real.display(),
            real.display()
        );
        std::fs::write(&script, body).ok()?;
        set_executable(&script);
        // Every test in this file goes through `wrapper()` before spawning, so this happens once, before any
        // server is started from this process.
        std::env::set_var("AMPLIFY_LSP_BIN", &script);
        // strace may be installed but not permitted (no ptrace in some sandboxes): try it once.
        let probe = dir.join("probe.trace");
        let ok = std::process::Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=%file", "-o"])
            .arg(&probe)
            .arg("true")
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(script)
    })
}

fn which(prog: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

#[cfg(unix)]
fn set_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(p) {
        let mut perm = meta.permissions();
        perm.set_mode(0o755);
        let _ = std::fs::set_permissions(p, perm);
    }
}

#[cfg(not(unix))]
fn set_executable(_: &Path) {}

impl Session {
    fn start() -> Session {
        let traced = wrapper().is_some();
        let dirs = tempfile::tempdir().expect("tempdir");
        let fakebin = dirs.path().join("fakebin");
        let marks = dirs.path().join("marks");
        for d in [&fakebin, &marks] {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        for prog in [
            "npm", "npx", "node", "ampx", "tsc", "pnpm", "yarn", "bun", "deno", "git",
        ] {
            let p = fakebin.join(prog);
            std::fs::write(
                &p,
                format!(
                    "#!/bin/sh\ntouch '{}'\nexit 1\n",
                    marks.join(prog).display()
                ),
            )
            .expect("fake program");
            set_executable(&p);
        }
        let path = format!(
            "{}{}{}",
            fakebin.display(),
            if cfg!(windows) { ";" } else { ":" },
            std::env::var("PATH").unwrap_or_default()
        );
        let trace = traced.then(|| dirs.path().join("server.trace"));
        let trace_str = trace
            .as_ref()
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let mut env = vec![
            ("AMPLIFY_LSP_LOG", "trace"),
            ("AMPLIFY_LSP_TEST_HOOKS", "1"),
            ("PATH", path.as_str()),
        ];
        if traced {
            env.push(("AMPLIFY_STRACE_OUT", trace_str.as_str()));
        }
        // The project is the client's workspace folder; "outside" is a sibling of it, so outside the
        // workspace. The server may look at their common parent `folder`, and nowhere else.
        let folder = dirs.path().join("home");
        let root = folder.join("workspace");
        let outside = folder.join("outside");
        for d in [&root, &outside] {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        let root_uri = file_uri(&root);
        let client = Client::start_env(
            &env,
            json!({
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "workspace" }],
            }),
        );
        std::fs::write(outside.join("decoy.ts"), "export const handler = 1;\n").expect("decoy");
        Session {
            client,
            folder,
            root,
            outside,
            marks,
            trace,
            _dirs: dirs,
        }
    }

    fn write(&self, rel: &str, text: &str) -> String {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        file_uri(&p)
    }
}

/// Names, sizes and modification times of every file under `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(p.clone());
            }
            out.insert(
                p,
                (
                    meta.len(),
                    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                ),
            );
        }
    }
    out
}

fn pos(line: usize, character: usize) -> Value {
    json!({ "line": line, "character": character })
}

/// Positions on and around every planted value in `text`.
fn around_secrets(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for s in SECRETS {
        if let Some(i) = text.find(s) {
            for delta in [0usize, 1, 5, s.len() / 2, s.len()] {
                out.push(utf16_position(text, i + delta));
            }
            // the key before the value
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            out.push(utf16_position(text, line_start + 4));
        }
    }
    out
}

#[test]
fn planted_secrets_never_appear_in_any_output_and_nothing_outside_is_touched() {
    let mut s = Session::start();
    let passwd_like = "../../../../../../../../../../../../etc/passwd";
    let decoy_rel = {
        // from <root>/amplify/functions/outsider/ to <outside>/decoy.ts
        "../../../../outside/decoy.ts"
    };
    let files = [
        ("amplify/backend.ts", BACKEND.to_string()),
        ("amplify/auth/resource.ts", auth_resource()),
        ("amplify/data/resource.ts", data_resource()),
        (
            "amplify/functions/worker/resource.ts",
            worker_resource(passwd_like),
        ),
        (
            "amplify/functions/outsider/resource.ts",
            entry_only("outsider", decoy_rel),
        ),
        (
            "amplify/functions/ghost/resource.ts",
            entry_only("ghost", "../../../../outside/missing.ts"),
        ),
        ("package.json", "{ \"name\": \"app\" }\n".to_string()),
    ];
    let mut uris = Vec::new();
    for (rel, text) in &files {
        uris.push((s.write(rel, text), text.clone()));
    }
    let before = snapshot(&s.root);
    let outside_before = snapshot(&s.outside);
    let c = &mut s.client;

    // Open everything (the backend file last, so project-level facts are complete) and collect diagnostics.
    let mut all_diags: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (uri, text) in uris.iter().filter(|(u, _)| u.ends_with(".ts")) {
        c.open_uri(uri, text, 1);
        all_diags.insert(uri.clone(), c.diagnostics(uri, Some(1)));
    }
    // Hard-coded secrets are reported (the rule sees them), but by place, not by value.
    let auth_uri = &uris[1].0;
    let codes = Client::codes(&all_diags[auth_uri]);
    assert!(
        codes.iter().any(|c| c == "security/hardcoded-secret"),
        "{codes:?}"
    );
    // An entry outside the project is never looked at: pointing at an existing outside file and at a missing
    // one gives the same diagnostics (no way to probe the disk through the server).
    let strip = |d: &[Value]| {
        d.iter()
            .map(|d| (d["code"].clone(), d["range"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(&all_diags[&uris[4].0]),
        strip(&all_diags[&uris[5].0]),
        "outside entries must not be probed"
    );

    // Every feature, on and around the values.
    for (uri, text) in uris.iter().filter(|(u, _)| u.ends_with(".ts")) {
        let mut probes = around_secrets(text);
        probes.push(pos(0, 0));
        for p in &probes {
            c.hover(uri, p.clone());
            c.completion(uri, p.clone());
            let tp = json!({ "textDocument": { "uri": uri }, "position": p });
            let _ = c.request("textDocument/definition", tp.clone());
            let _ = c.request(
                "textDocument/references",
                json!({ "textDocument": { "uri": uri }, "position": p, "context": { "includeDeclaration": true } }),
            );
            let _ = c.request("textDocument/prepareRename", tp.clone());
            let _ = c.request(
                "textDocument/rename",
                json!({ "textDocument": { "uri": uri }, "position": p, "newName": "Renamed" }),
            );
        }
        let whole = json!({ "start": pos(0, 0), "end": pos(text.lines().count() + 1, 0) });
        let diags = Value::Array(all_diags.get(uri).cloned().unwrap_or_default());
        let actions = c.code_actions(uri, whole.clone(), diags);
        for a in actions {
            if a.get("edit").is_none() && a.get("command").is_none() {
                let _ = c.request("codeAction/resolve", a);
            }
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/codeLens",
            "textDocument/foldingRange",
        ] {
            let _ = c.request(method, json!({ "textDocument": { "uri": uri } }));
        }
        let _ = c.request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": whole }),
        );
    }
    let _ = c.request("workspace/symbol", json!({ "query": "Zq8" }));
    let _ = c.request("workspace/symbol", json!({ "query": "" }));

    // Typing inside a secret, then a change that breaks the file, then the original back.
    let (auth_uri, auth_text) = uris[1].clone();
    let at = auth_text.find(SECRETS[0]).unwrap_or(0) + 8;
    let p = utf16_position(&auth_text, at);
    c.change(
        &auth_uri,
        2,
        json!([{ "range": { "start": p, "end": p }, "text": "Zq8PLANTEDtyped" }]),
    );
    c.diagnostics(&auth_uri, Some(2));
    c.change(
        &auth_uri,
        3,
        json!([{ "text": format!("{auth_text}\n)(") }]),
    );
    c.diagnostics(&auth_uri, Some(3));
    c.change(&auth_uri, 4, json!([{ "text": auth_text.clone() }]));
    c.diagnostics(&auth_uri, Some(4));

    // A panic while analysing a document full of secrets (its payload would quote the text).
    let boom = c.uri("workspace/amplify/storage/resource.ts");
    c.open_uri(
        &boom,
        &format!(
            "// __amplify_lsp_test_panic__\nconst k = '{}';\n",
            SECRETS[3]
        ),
        1,
    );
    c.diagnostics(&boom, Some(1));
    let _ = c.request(
        "amplify/debugPanic",
        json!({ "uri": auth_uri, "position": p, "where": "handler" }),
    );
    // Malformed messages that carry a secret.
    let bad = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"text\":\"{}\"",
        SECRETS[4]
    );
    c.send_raw(format!("Content-Length: {}\r\n\r\n{bad}", bad.len()).as_bytes());
    let bad2 = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":9001,\"method\":\"textDocument/hover\",\"params\":{{\"textDocument\":{{\"uri\":\"{auth_uri}\"}},\"position\":{{\"line\":\"{}\",\"character\":0}}}}}}",
        SECRETS[4]
    );
    c.send_raw(format!("Content-Length: {}\r\n\r\n{bad2}", bad2.len()).as_bytes());
    let _ = c.response(9001);
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": auth_uri, "version": "x" }, "contentChanges": [{ "text": SECRETS[0] }] }),
    );
    // A stale change carrying a secret is logged as ignored, without its text.
    c.change(&auth_uri, 1, json!([{ "text": SECRETS[0] }]));
    // Settings changes, then a last round trip so every log line is written.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "syntaxErrors": true, "logLevel": "trace" } } }),
    );
    // (the diagnostics do not change, so nothing is re-published: a request is the round trip)
    let _ = c.hover(&auth_uri, p.clone());
    assert!(c.alive(), "{}", c.log());

    // The transcript: everything on stdout. `amplify/debugDocument` (which returns the text by design) was
    // never called. Code action edits that keep a value in place are the client's own text, but none should
    // need to: they are included.
    assert_clean("stdout", &stdout_of(c), leaks);
    let stderr = c.log();
    assert!(
        stderr.lines().count() > 10,
        "expected a verbose log:\n{stderr}"
    );
    assert_clean("the log", &stderr, leaks);

    // Side effects: no program was run, no file was written, nothing outside was touched.
    c.request("shutdown", Value::Null).expect("shutdown");
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
    let ran: Vec<_> = std::fs::read_dir(&s.marks)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(ran.is_empty(), "the server ran {ran:?}");
    assert_eq!(snapshot(&s.root), before, "the workspace changed");
    assert_eq!(snapshot(&s.outside), outside_before, "the outside changed");
    match &s.trace {
        Some(trace) => check_trace(trace, &s.folder, &s.outside),
        None => eprintln!("strace not available: system calls not checked"),
    }
}

/// Paths a process may look at that are not the workspace's: the loader's libraries and search folders,
/// kernel interfaces, the binary and the working folder it was started in.
fn system(path: &str) -> bool {
    const PREFIXES: &[&str] = &["/proc/", "/sys/", "/dev/", "/lib", "/usr/lib", "/etc/ld.so"];
    if PREFIXES.iter().any(|p| path.starts_with(p)) || path.contains(".so") {
        return true;
    }
    let loader_dirs = std::env::var_os("LD_LIBRARY_PATH")
        .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .unwrap_or_default();
    let p = Path::new(path);
    if loader_dirs
        .iter()
        .any(|d| p.starts_with(d) || d.starts_with(p))
    {
        return true;
    }
    let bin = server_binary();
    let cwd = std::env::current_dir().unwrap_or_default();
    p == cwd || p == bin || bin.parent().is_some_and(|d| p.starts_with(d))
}

/// Checks the server's recorded file system calls.
fn check_trace(trace: &Path, folder: &Path, outside: &Path) {
    let folder = folder.display().to_string();
    let log = std::fs::read_to_string(trace).expect("strace output");
    assert!(log.contains("openat("), "empty trace?\n{log}");
    if let Ok(keep) = std::env::var("AMPLIFY_KEEP_TRACE") {
        let _ = std::fs::write(keep, &log);
    }
    let outside = outside.display().to_string();
    let mut problems = Vec::new();
    let mut execs = 0;
    for line in log.lines() {
        let call = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.split('(').next())
            .unwrap_or("");
        if call == "execve" {
            execs += 1;
            if execs > 1 {
                problems.push(format!("ran a program: {line}"));
            }
            continue;
        }
        if line.contains(&outside) || line.contains("etc/passwd") {
            problems.push(format!("touched an outside path: {line}"));
        }
        let writes = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
            .iter()
            .any(|f| line.contains(f));
        let mutating = matches!(
            call,
            "creat"
                | "mkdir"
                | "mkdirat"
                | "unlink"
                | "unlinkat"
                | "rename"
                | "renameat"
                | "renameat2"
                | "truncate"
                | "symlink"
                | "symlinkat"
                | "link"
                | "linkat"
                | "chmod"
                | "fchmodat"
                | "chown"
                | "utimensat"
        );
        if (writes && !line.contains("/dev/")) || mutating {
            problems.push(format!("wrote: {line}"));
        }
        // Every path looked at (opened, stat-ed, probed): inside the workspace folder, or the system's own
        // (the dynamic loader's libraries, /proc, /sys, /dev), or the server's binary and working folder.
        let path = line.split('"').nth(1).unwrap_or("");
        // Resolving a path inside the workspace (to tell whether a link leaves it) reads the links of the
        // workspace folder's own ancestors: that names no file outside it.
        let resolving_the_workspace =
            call == "readlink" && Path::new(&folder).starts_with(Path::new(path));
        if path.starts_with('/')
            && !path.starts_with(&folder)
            && !system(path)
            && !resolving_the_workspace
        {
            problems.push(format!("looked outside the workspace: {line}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) in the system call trace:\n{}",
        problems.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_command_does_not_print_secrets_either() {
    let _ = wrapper();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for (rel, text) in [
        ("amplify/backend.ts", BACKEND.to_string()),
        ("amplify/auth/resource.ts", auth_resource()),
        ("amplify/data/resource.ts", data_resource()),
        (
            "amplify/functions/worker/resource.ts",
            worker_resource("../../../../../../../../etc/passwd"),
        ),
        // a diagnostic message that quotes a credential-shaped value, on a line with another one
        (
            "amplify/functions/shaped/resource.ts",
            format!(
                "import {{ defineFunction }} from '@aws-amplify/backend';\n\nexport const shaped = defineFunction({{\n  entry: './{}.ts', name: '{}',\n}});\n",
                SHAPED[3], SHAPED[2]
            ),
        ),
    ] {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let before = snapshot(root);
    for format in ["text", "json", "sarif"] {
        let out = std::process::Command::new(server_binary())
            .args(["check", "--format", format])
            .arg(root)
            .env("AMPLIFY_LSP_LOG", "trace")
            .env_remove("AMPLIFY_STRACE_OUT")
            .output()
            .expect("run check");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stdout.contains("hardcoded-secret"),
            "{format}: the secrets are reported:\n{stdout}"
        );
        assert!(
            stdout.contains("entry-not-found"),
            "{format}: the shaped entry is reported:\n{stdout}"
        );
        assert!(leaks(&stdout).is_empty(), "{format}: {stdout}");
        assert!(leaks(&stderr).is_empty(), "{format}: {stderr}");
        assert!(shaped_leaks(&stdout).is_empty(), "{format}: {stdout}");
        assert!(shaped_leaks(&stderr).is_empty(), "{format}: {stderr}");
    }
    assert_eq!(snapshot(root), before, "check wrote into the project");
}

/// Credential-shaped values (an AWS access key id and Stripe live keys), each carrying the marker `Zq8LEAK`
/// (any case), planted so that each output path would carry one if it were not masked.
const SHAPED: &[&str] = &[
    "AKIAZQ8LEAKGROUP0001", // an auth group: symbol names, completion labels, code lens titles
    "sk_live_Zq8LEAKmode0001", // an invalid authorization mode: a diagnostic message, a symbol detail
    "sk_live_Zq8LEAKname0001", // a function's name: symbol details
    "sk_live_Zq8LEAKentry001", // a missing entry file: a diagnostic message
    "sk_live_Zq8LEAKstripe01", // `environment` values: a symbol detail, hovers, an inlay hint's function
    "AKIAZQ8LEAKENV000001",
    "sk_live_Zq8LEAKsetting1", // settings values: log lines
    "AKIAZQ8LEAKLOGLEVEL1",
    "sk_live_Zq8LEAKmethod01", // an unknown method's name and invalid params: error responses
    "sk_live_Zq8LEAKparams01",
];

/// Every 10-byte window of the planted values from their marker on, compared case-insensitively.
fn shaped_leaks(haystack: &str) -> Vec<String> {
    let hay = haystack.to_ascii_lowercase();
    let mut found = Vec::new();
    for s in SHAPED {
        let lower = s.to_ascii_lowercase();
        let tail = &lower[lower.find("zq8leak").unwrap_or(0)..];
        for i in 0..tail.len().saturating_sub(9) {
            let w = &tail[i..i + 10];
            if hay.contains(w) && !found.iter().any(|f: &String| f == w) {
                found.push(w.to_string());
            }
        }
    }
    found
}

#[test]
fn every_output_path_masks_credential_shaped_values() {
    let env = [("AMPLIFY_LSP_LOG", "trace")];
    // Hierarchical symbols: only they carry a `detail`.
    let caps = json!({
        "textDocument": {
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "completion": { "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown"] } },
            "hover": { "contentFormat": ["markdown"] },
            "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
        }
    });
    let mut c = Client::start_env(
        &env,
        json!({
            "capabilities": caps,
            "initializationOptions": { "maxFileSize": SHAPED[6] },
        }),
    );
    let backend = "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\nimport { data } from './data/resource';\nimport { worker } from './functions/worker/resource';\n\ndefineBackend({ auth, data, worker });\n";
    let auth = format!(
        "import {{ defineAuth }} from '@aws-amplify/backend';\n\nexport const auth = defineAuth({{\n  loginWith: {{ email: true }},\n  groups: ['ADMINS', '{}'],\n}});\n",
        SHAPED[0]
    );
    let data = format!(
        "import {{ a, defineData }} from '@aws-amplify/backend';\n\nconst schema = a.schema({{\n  Post: a.model({{ title: a.string() }}).authorization((allow) => [allow.groups(['ADMINS', '{}']), allow.group('')]),\n}});\n\nexport const data = defineData({{\n  schema,\n  authorizationModes: {{ defaultAuthorizationMode: '{}' }},\n}});\n",
        SHAPED[0], SHAPED[1]
    );
    let worker = format!(
        "import {{ defineFunction }} from '@aws-amplify/backend';\n\nexport const worker = defineFunction({{\n  name: '{}',\n  entry: './{}.ts',\n  environment: {{ STRIPE_SECRET_KEY: '{}', AWS_ACCESS_KEY_ID: '{}' }},\n}});\n",
        SHAPED[2], SHAPED[3], SHAPED[4], SHAPED[5]
    );
    c.write_file("amplify/backend.ts", backend);
    let auth_uri = c.write_file("amplify/auth/resource.ts", &auth);
    let data_uri = c.write_file("amplify/data/resource.ts", &data);
    let worker_uri = c.write_file("amplify/functions/worker/resource.ts", &worker);
    for (uri, text) in [
        (&auth_uri, &auth),
        (&data_uri, &data),
        (&worker_uri, &worker),
    ] {
        c.open_uri(uri, text, 1);
    }

    // Diagnostic messages: the values reached the rules (by range), and the messages that quote them are masked.
    let worker_diags = c.diagnostics(&worker_uri, Some(1));
    let codes = Client::codes(&worker_diags);
    assert!(
        codes
            .iter()
            .filter(|c| *c == "security/hardcoded-secret")
            .count()
            >= 2
            && codes.iter().any(|c| c == "function/entry-not-found"),
        "{worker_diags:?}"
    );
    let data_diags = c.diagnostics(&data_uri, Some(1));
    let mode_at = position_of(&data, SHAPED[1], 0);
    assert!(
        data_diags
            .iter()
            .any(|d| d["code"] == "shape/invalid-literal"
                && d["range"]["start"]["line"] == mode_at["line"]),
        "the invalid mode is reported: {data_diags:?}"
    );

    // Symbols: the group is a symbol, the function's name and environment are details.
    let whole = |uri: &str| json!({ "textDocument": { "uri": uri } });
    let auth_syms = c
        .request("textDocument/documentSymbol", whole(&auth_uri))
        .expect("auth symbols");
    let groups = auth_syms.to_string();
    assert!(
        groups.contains("\"groups\"") && groups.contains("2 groups"),
        "{groups}"
    );
    let worker_syms = c
        .request("textDocument/documentSymbol", whole(&worker_uri))
        .expect("worker symbols");
    let details = worker_syms.to_string();
    assert!(
        details.contains("{ STRIPE_SECRET_KEY: ") && details.contains("defineFunction '"),
        "the environment and the name are shown: {details}"
    );
    let _ = c.request("textDocument/documentSymbol", whole(&data_uri));
    let _ = c.request("workspace/symbol", json!({ "query": "" }));
    let _ = c.request("workspace/symbol", json!({ "query": "AKIA" }));

    // Code lens: the model's rules name the groups.
    let lenses = c
        .request("textDocument/codeLens", whole(&data_uri))
        .expect("code lens");
    assert!(lenses.to_string().contains("groups"), "{lenses}");

    // Inlay hints: the function (with its planted values) gets Amplify's defaults.
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": worker_uri }, "range": { "start": pos(0, 0), "end": pos(20, 0) } }),
        )
        .expect("inlay hints");
    assert!(hints.as_array().is_some_and(|h| !h.is_empty()), "{hints}");

    // Hovers on the keys and on the values.
    let on_key = c.hover(&worker_uri, position_of(&worker, "environment", 2));
    assert!(!on_key.is_empty(), "the environment key is hovered");
    for (text, uri) in [
        (&worker, &worker_uri),
        (&data, &data_uri),
        (&auth, &auth_uri),
    ] {
        for s in SHAPED {
            if text.contains(s) {
                for delta in [0, 4, s.len() - 1] {
                    c.hover(uri, position_of(text, s, delta));
                }
                let key_start = text[..text.find(s).unwrap_or(0)]
                    .rfind(['{', ',', '('])
                    .map_or(0, |i| i + 2);
                c.hover(uri, utf16_position(text, key_start));
            }
        }
    }

    // Completion: the groups of `defineAuth` are offered in `allow.group('')`.
    let items = c.completion(&data_uri, position_of(&data, "group('')", 7));
    let labels = Client::labels(&items);
    assert!(labels.iter().any(|l| l == "ADMINS"), "{labels:?}");
    c.completion(&data_uri, position_of(&data, SHAPED[1], 3));
    c.completion(&worker_uri, position_of(&worker, SHAPED[4], 3));

    // Code actions over everything, with their titles.
    for (uri, diags) in [(&worker_uri, &worker_diags), (&data_uri, &data_diags)] {
        let _ = c.code_actions(
            uri,
            json!({ "start": pos(0, 0), "end": pos(20, 0) }),
            Value::Array(diags.clone()),
        );
    }

    // Settings: malformed values are reported by key, never quoted.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "syntaxErrors": SHAPED[6], "docsPlatform": 7 } } }),
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "amplifyLsp": { "logLevel": SHAPED[7] } } }),
    );
    // Error responses: an unknown method named like a key, invalid params quoting one.
    let unknown = c.request(SHAPED[8], json!({}));
    assert!(unknown.is_err(), "{unknown:?}");
    let bad = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": worker_uri }, "position": { "line": SHAPED[9], "character": 0 } }),
    );
    assert!(bad.is_err(), "{bad:?}");
    let _ = c.hover(&worker_uri, pos(0, 0));
    assert!(c.alive(), "{}", c.log());

    let log = c.log();
    assert!(
        log.matches("malformed settings").count() >= 2,
        "the malformed settings are reported:\n{log}"
    );
    assert_clean("stdout", &stdout_of(&c), shaped_leaks);
    assert_clean("stderr", &c.stderr(), shaped_leaks);
}
