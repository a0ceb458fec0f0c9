//! The data fixtures (`tests/fixtures/frontend/data/<case>/`) checked against what Amplify generates: each
//! case's `ACCESS.json` (the output of `../shared/tools/amplify-synth/access` on the case) is the ground truth.
//!
//! The calls are read from the fixtures' frontend files line by line, independently of the server: a call
//! `<client>.models.<Model>.<op>(...)`, `<client>.queries.<name>(...)` (mutations, subscriptions) on one line,
//! the `authMode: '<literal>'` on that line, the `const <client> = generateClient...(...)` lines of the same file
//! for the client's mode, and ACCESS.json's `defaultClientMode` for the rest. Calls through a client declared in
//! another file or passed in, and calls whose `authMode` is not a literal, are what the rules are silent on; they
//! are skipped here too. Then, for every call:
//! - `// expect: frontend/auth-mode-refused`: the effective mode is not among the operation's `modes` (for
//!   `observeQuery`: not among the list query's or not among the `onCreate` subscription's);
//! - `// expect: frontend/unknown-model`: no operation of ACCESS.json belongs to that model;
//! - `// expect: frontend/unknown-operation`: no operation of ACCESS.json is that call (`client.models.M.op`,
//!   `client.queries.q`, ...);
//! - `// expect: frontend/unknown-field`: the operation exists (ACCESS.json does not list input fields, so the
//!   field itself is not checked here; the schema is);
//! - a call with no expectation: the operation exists and the effective mode is among its `modes`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use amplify_lsp_tests::{files_with, repo_root, Value};

fn ident_end(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(s.len())
}

fn ident_before(s: &str) -> &str {
    let start = s
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .map_or(0, |i| i + 1);
    &s[start..]
}

/// `authMode: '<x>'` on a line: Some(Some(x)) for a literal, Some(None) for anything else.
fn auth_mode(s: &str) -> Option<Option<String>> {
    let at = s.find("authMode:")?;
    let rest = s[at + "authMode:".len()..].trim_start();
    let q = rest.chars().next()?;
    if q != '\'' && q != '"' {
        return Some(None);
    }
    let body = &rest[1..];
    Some(body.find(q).map(|e| body[..e].to_string()))
}

/// One call found in a frontend file.
#[derive(Debug)]
struct Call {
    at: String,
    client: String,
    /// `models`, `queries`, `mutations`, `subscriptions`.
    ns: String,
    /// The model, or the custom operation.
    name: String,
    /// The model operation (models only; None when not called as `.op(`).
    op: Option<String>,
    mode: Option<Option<String>>,
    expect: Vec<String>,
}

fn calls(path: &Path, text: &str) -> (Vec<Call>, HashMap<String, Option<Option<String>>>) {
    let mut clients = HashMap::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (code, comment) = match line.find("// expect:") {
            Some(c) => (&line[..c], &line[c + "// expect:".len()..]),
            None => (line, ""),
        };
        let expect: Vec<String> = comment
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(g) = code.find("generateClient") {
            if let Some(eq) = code[..g].rfind('=') {
                let name = ident_before(code[..eq].trim_end());
                if code[..eq].contains("const ") && !name.is_empty() {
                    clients.insert(name.to_string(), auth_mode(&code[g..]));
                }
            }
        }
        for ns in ["models", "queries", "mutations", "subscriptions"] {
            let pat = format!(".{ns}.");
            let mut from = 0;
            while let Some(p) = code[from..].find(&pat) {
                let p = from + p;
                from = p + pat.len();
                let client = ident_before(&code[..p]).to_string();
                let rest = &code[p + pat.len()..];
                let name = rest[..ident_end(rest)].to_string();
                let after = &rest[name.len()..];
                let op = (ns == "models")
                    .then(|| {
                        let a = after.strip_prefix('.')?;
                        let o = &a[..ident_end(a)];
                        a[o.len()..].starts_with('(').then(|| o.to_string())
                    })
                    .flatten();
                out.push(Call {
                    at: format!("{}:{}", path.display(), i + 1),
                    client,
                    ns: ns.to_string(),
                    name,
                    op,
                    mode: auth_mode(after),
                    expect: expect.clone(),
                });
            }
        }
    }
    (out, clients)
}

/// The `modes` of the operation ACCESS.json names with `call`, if it has one.
fn modes_of(ops: &serde_json::Map<String, Value>, call: &str) -> Option<Vec<String>> {
    ops.values().find(|o| o["call"] == call).map(|o| {
        o["modes"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    })
}

#[test]
fn data_fixtures_agree_with_amplify() {
    let root = repo_root().join("tests/fixtures/frontend/data");
    let mut problems = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut cases = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for case in dirs {
        cases += 1;
        let access: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("ACCESS.json")).expect("ACCESS.json"),
        )
        .expect("ACCESS.json is JSON");
        assert_eq!(access["verdict"], "ACCEPTED", "{}", case.display());
        let data = &access["data"];
        let ops = data["operations"].as_object().expect("operations");
        let default = data["defaultClientMode"]
            .as_str()
            .expect("defaultClientMode")
            .to_string();
        for path in files_with(&case.join("src"), &["ts", "tsx", "js", "jsx"]) {
            let text = std::fs::read_to_string(&path).expect("read");
            let (calls, clients) = calls(&path, &text);
            for c in calls {
                // the client's mode: a const of this file, else skipped (the rules are silent too)
                let Some(client_mode) = clients.get(&c.client) else {
                    *counts
                        .entry("skipped: client not of this file")
                        .or_default() += 1;
                    continue;
                };
                let mode = match (&c.mode, client_mode) {
                    (Some(Some(m)), _) => m.clone(),
                    (Some(None), _) | (None, Some(None)) => {
                        *counts.entry("skipped: mode not a literal").or_default() += 1;
                        continue;
                    }
                    (None, Some(Some(m))) => m.clone(),
                    (None, None) => default.clone(),
                };
                let expects = |code: &str| c.expect.iter().any(|e| e == code);
                if c.ns == "models" {
                    let model_known = ops.values().any(|o| o["model"] == c.name.as_str());
                    if expects("frontend/unknown-model") {
                        *counts.entry("unknown-model").or_default() += 1;
                        if model_known {
                            problems.push(format!("{}: model {} exists", c.at, c.name));
                        }
                        continue;
                    }
                    if !model_known {
                        problems.push(format!("{}: no model {} in ACCESS.json", c.at, c.name));
                        continue;
                    }
                    let Some(op) = &c.op else { continue };
                    let calls_needed: Vec<String> = if op == "observeQuery" {
                        vec![
                            format!("client.models.{}.list", c.name),
                            format!("client.models.{}.onCreate", c.name),
                        ]
                    } else {
                        vec![format!("client.models.{}.{op}", c.name)]
                    };
                    let modes: Vec<Option<Vec<String>>> =
                        calls_needed.iter().map(|k| modes_of(ops, k)).collect();
                    if expects("frontend/unknown-operation") {
                        *counts.entry("unknown-operation").or_default() += 1;
                        if modes.iter().any(Option::is_some) {
                            problems.push(format!("{}: {op} exists on {}", c.at, c.name));
                        }
                        continue;
                    }
                    if modes.iter().any(Option::is_none) {
                        problems.push(format!("{}: no operation {calls_needed:?}", c.at));
                        continue;
                    }
                    let allowed = modes.iter().flatten().all(|m| m.contains(&mode));
                    if expects("frontend/auth-mode-refused") {
                        *counts.entry("auth-mode-refused").or_default() += 1;
                        if allowed {
                            problems.push(format!(
                                "{}: {mode} may call {calls_needed:?} ({modes:?})",
                                c.at
                            ));
                        }
                    } else {
                        if expects("frontend/unknown-field") {
                            *counts.entry("unknown-field").or_default() += 1;
                        } else {
                            *counts.entry("allowed").or_default() += 1;
                        }
                        if !allowed {
                            problems.push(format!(
                                "{}: {mode} is refused for {calls_needed:?} ({modes:?}) but not expected",
                                c.at
                            ));
                        }
                    }
                } else {
                    let call = format!("client.{}.{}", c.ns, c.name);
                    let modes = modes_of(ops, &call);
                    if expects("frontend/unknown-operation") {
                        *counts.entry("unknown-operation").or_default() += 1;
                        if modes.is_some() {
                            problems.push(format!("{}: {call} exists", c.at));
                        }
                        continue;
                    }
                    let Some(modes) = modes else {
                        problems.push(format!("{}: no operation {call}", c.at));
                        continue;
                    };
                    let allowed = modes.contains(&mode);
                    if expects("frontend/auth-mode-refused") {
                        *counts.entry("auth-mode-refused").or_default() += 1;
                        if allowed {
                            problems.push(format!("{}: {mode} may call {call}", c.at));
                        }
                    } else {
                        *counts.entry("allowed").or_default() += 1;
                        if !allowed {
                            problems.push(format!("{}: {mode} refused for {call}", c.at));
                        }
                    }
                }
            }
        }
    }
    assert!(cases >= 6, "only {cases} data fixtures");
    for kind in [
        "auth-mode-refused",
        "unknown-model",
        "unknown-operation",
        "unknown-field",
        "allowed",
    ] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no call of kind {kind} checked: {counts:?}"
        );
    }
    assert!(
        problems.is_empty(),
        "{} call(s) disagree with ACCESS.json:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
