//! The storage fixtures' premises, checked against Amplify's own output: for every project under
//! `tests/fixtures/frontend/storage/`, `ACCESS.json` (printed by `shared/tools/amplify-synth/access`, which reads
//! the IAM policies of the synthesized templates) says the backend is ACCEPTED, and for every storage call of its
//! frontend code (one call a line):
//!
//! - `// expect: frontend/storage-path-not-covered`: no prefix of any role (functions too) can start any value of
//!   the path;
//! - `// expect: frontend/storage-action-denied`: some prefix covers the path, but no browser role (guest,
//!   authenticated, identity-owned, a group) has a non-denied grant of the call's action on it;
//! - `// expect: frontend/storage-entity-id`: no browser role may do it as written, but the identity-owned grant
//!   would allow it if the `{entity_id}` segment were the caller's identity id;
//! - `// expect: frontend/storage-unknown-bucket`: the bucket named is not one of `storage.buckets`;
//! - a call without an expectation (the near misses): some browser role may do it for some value of the path.
//!
//! The matching here is written from the oracle's description (an IAM prefix is a wildcard; `${identityId}` is
//! the caller's identity id; a `${...}` part of a template may be any text), not shared with the server's code.
//! The auth fixtures' ground truth is the `defineAuth` configuration itself (`access` has no providers or
//! attributes to say); their `ACCESS.json` is only checked to say ACCEPTED.

use std::path::PathBuf;

use std::collections::BTreeSet;

use amplify_lsp::model::file::FileModel;
use amplify_lsp::model::frontend::storage::{Role, IDENTITY};
use amplify_lsp::syntax::{parse, Lang};
use amplify_lsp_tests::{repo_root, subdirs, Value};

const APIS: &[(&str, &str)] = &[
    ("uploadData", "write"),
    ("downloadData", "get"),
    ("getUrl", "get"),
    ("getProperties", "get"),
    ("list", "list"),
    ("remove", "delete"),
    ("copy", "copy"),
];

/// The caller's identity id in a path or prefix.
const ID: char = '\u{1}';

/// A path as written: the text before the first part we cannot know (identity ids as [`ID`]), and whether
/// such a part follows.
#[derive(Debug, Clone)]
struct PathText {
    head: String,
    open: bool,
}

/// Reads the path after `from` in `line`: `'...'`, `` `...` ``, or `(...) => `...``.
fn path_after(line: &str, from: usize) -> Option<PathText> {
    let rest = line[from..].trim_start();
    let (ids, body) = if rest.starts_with('(') || rest.starts_with(|c: char| c.is_alphabetic()) {
        let arrow = rest.find("=>")?;
        let params = &rest[..arrow];
        let ids: Vec<String> = if let Some(i) = params.find("identityId:") {
            let name: String = params[i + 11..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            vec![name]
        } else if params.contains("identityId") {
            vec!["identityId".into()]
        } else {
            let p = params.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
            vec![format!("{p}.identityId")]
        };
        (ids, rest[arrow + 2..].trim_start())
    } else {
        (Vec::new(), rest)
    };
    let quote = body.chars().next()?;
    if !matches!(quote, '\'' | '"' | '`') {
        return None;
    }
    let end = body[1..].find(quote)? + 1;
    let text = &body[1..end];
    let mut head = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        head.push_str(&rest[..i]);
        let close = rest[i..].find('}')? + i;
        let expr = &rest[i + 2..close];
        if ids.iter().any(|x| x == expr) || expr.to_lowercase().contains("identity") {
            head.push(ID);
            rest = &rest[close + 1..];
        } else {
            return Some(PathText { head, open: true });
        }
    }
    head.push_str(rest);
    Some(PathText { head, open: false })
}

/// Whether some value of the path starts with the prefix. With `loose`, the prefix's identity id matches any
/// segment text (so the question is "if that segment were the caller's id"); else only the caller's id.
fn may_match(prefix: &str, path: &PathText, loose: bool) -> bool {
    let mut p = prefix
        .trim_end_matches('*')
        .replace("${identityId}", &ID.to_string());
    if loose {
        if let Some(at) = p.find(ID) {
            // the path's text in that segment, up to the next `/`
            let seg: String = path
                .head
                .get(at..)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c != '/')
                .collect();
            if !seg.is_empty() {
                p = p.replacen(ID, &seg, 1);
            } else if path.head.len() <= at && path.open {
                return path.head.starts_with(&p[..at.min(p.len())]) || p.starts_with(&path.head);
            }
        }
    }
    if path.head.starts_with(&p) {
        return true;
    }
    // an unknown part completes the head, unless it would have to stand for the caller's identity id
    path.open && p.starts_with(&path.head) && !p[path.head.len()..].starts_with(ID)
}

fn must_match(prefix: &str, path: &PathText) -> bool {
    path.head.starts_with(prefix.trim_end_matches('*'))
}

fn grants_action(grant: &str, action: &str) -> bool {
    grant == action || (grant == "read" && (action == "get" || action == "list"))
}

/// Whether a role whose grants are `grants` may perform `action` on some value of the path.
fn of(g: &Value) -> (&str, &str, bool) {
    (
        g["action"].as_str().unwrap_or(""),
        g["prefix"].as_str().unwrap_or(""),
        g["effect"].as_str() == Some("deny"),
    )
}

fn role_may(grants: &[Value], action: &str, path: &PathText, loose: bool) -> bool {
    let allow = grants
        .iter()
        .map(of)
        .any(|(a, p, deny)| !deny && grants_action(a, action) && may_match(p, path, loose));
    let denied = grants
        .iter()
        .map(of)
        .any(|(a, p, deny)| deny && grants_action(a, action) && must_match(p, path));
    allow && !denied
}

/// Whether some browser role may perform the action. Identity-owned grants are the authenticated role's, so its
/// denies apply to them too.
fn someone_may(access: &Value, action: &str, path: &PathText, loose: bool) -> bool {
    let Some(roles) = access.as_object() else {
        return false;
    };
    roles
        .iter()
        .filter(|(r, _)| !r.starts_with("function:") && !r.starts_with("role:"))
        .any(|(role, grants)| {
            let mut grants: Vec<Value> = grants.as_array().cloned().unwrap_or_default();
            if role == "identity-owned" {
                if let Some(auth) = roles.get("authenticated").and_then(Value::as_array) {
                    grants.extend(
                        auth.iter()
                            .filter(|g| g["effect"].as_str() == Some("deny"))
                            .cloned(),
                    );
                }
            }
            role_may(&grants, action, path, loose)
        })
}

fn covered(access: &Value, path: &PathText) -> bool {
    access.as_object().is_some_and(|roles| {
        roles
            .values()
            .flat_map(|g| g.as_array().cloned().unwrap_or_default())
            .any(|g| {
                g["effect"].as_str() != Some("deny")
                    && may_match(g["prefix"].as_str().unwrap_or(""), path, true)
            })
    })
}

/// `bucket: '...'` after `from` on the line: `Some(None)` for a bucket we do not read (an object, a variable).
fn bucket_after(line: &str, from: usize, until: usize) -> Option<Option<String>> {
    let at = line[from..until].find("bucket:")? + from + 7;
    let rest = line[at..].trim_start();
    let quote = rest.chars().next()?;
    if quote != '\'' {
        return Some(None);
    }
    let end = rest[1..].find('\'')? + 1;
    Some(Some(rest[1..end].to_string()))
}

#[test]
fn storage_fixture_premises_hold_in_amplifys_output() {
    let root = repo_root().join("tests/fixtures/frontend/storage");
    let mut problems = Vec::new();
    let mut checked = 0;
    let cases = subdirs(&root);
    assert!(cases.len() >= 8, "storage fixtures: {}", cases.len());
    for case in cases {
        let access: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("ACCESS.json")).expect("ACCESS.json"),
        )
        .expect("ACCESS.json is JSON");
        assert_eq!(access["verdict"], "ACCEPTED", "{}", case.display());
        let buckets = &access["storage"]["buckets"];
        let default = buckets.as_object().and_then(|b| {
            b.iter()
                .find(|(_, v)| v["default"] == true)
                .map(|(k, _)| k.clone())
        });
        let mut files = Vec::new();
        for e in std::fs::read_dir(case.join("src"))
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(e.path());
        }
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            for (n, line) in text.lines().enumerate() {
                let Some((api, action)) =
                    APIS.iter().find(|(a, _)| line.contains(&format!("{a}({{")))
                else {
                    continue;
                };
                let expect = line.split("// expect: ").nth(1).map(str::trim);
                let at = format!("{}:{}", file.display(), n + 1);
                // (action, path, bucket) of each path of the call
                let mut uses = Vec::new();
                if *api == "copy" {
                    let dst = line.find("destination:").expect("copy destination");
                    for (from, until, act) in [(0, dst, "get"), (dst, line.len(), "write")] {
                        let p = line[from..until].find("path:").expect("path") + from + 5;
                        uses.push((act, path_after(line, p), bucket_after(line, from, until)));
                    }
                } else if let Some(p) = line.find("path:") {
                    uses.push((
                        *action,
                        path_after(line, p + 5),
                        bucket_after(line, 0, line.len()),
                    ));
                }
                let mut results = Vec::new();
                for (act, path, bucket) in uses {
                    let bucket = match bucket {
                        None => default.clone(),
                        Some(b) => b,
                    };
                    if expect == Some("frontend/storage-unknown-bucket") {
                        let name = bucket.expect("a bucket name");
                        if !buckets[&name].is_null() {
                            problems.push(format!("{at}: bucket `{name}` exists"));
                        }
                        checked += 1;
                        continue;
                    }
                    let (Some(name), Some(path)) = (bucket, path) else {
                        continue;
                    };
                    let access = &buckets[&name]["access"];
                    let strict = someone_may(access, act, &path, false);
                    let loose = someone_may(access, act, &path, true);
                    let cov = covered(access, &path);
                    let ok = match expect {
                        None => strict,
                        Some("frontend/storage-path-not-covered") => !cov,
                        Some("frontend/storage-action-denied") => cov && !loose,
                        Some("frontend/storage-entity-id") => !strict && loose,
                        Some(other) => {
                            problems.push(format!("{at}: unexpected code {other}"));
                            continue;
                        }
                    };
                    results.push((ok, format!(
                        "{at}: {act} on {path:?} in {name}: strict={strict} loose={loose} covered={cov}, expect {expect:?}"
                    )));
                    checked += 1;
                }
                // a copy's finding is on one of its two paths; the other may be fine
                let fine = if *api == "copy" && expect.is_some() {
                    results.iter().any(|(ok, _)| *ok)
                } else {
                    results.iter().all(|(ok, _)| *ok)
                };
                if !fine {
                    problems.extend(results.into_iter().map(|(_, m)| m));
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} calls checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Cognito's standard attributes (present in every user pool, whether `defineAuth` lists them or not).
const COGNITO_STANDARD: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "zoneinfo",
    "updated_at",
    "website",
];

/// The text of the first quoted string after `from`.
fn quoted(text: &str, from: usize) -> Option<String> {
    let rest = &text[from..];
    let q = rest.find(['\'', '"'])?;
    let ch = rest[q..].chars().next()?;
    let end = rest[q + 1..].find(ch)? + q + 1;
    Some(rest[q + 1..end].to_string())
}

/// (1-based line, key) of each key of every `userAttributes: { ... }` object in the text.
fn attribute_keys(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("userAttributes: {") {
        let start = from + i + "userAttributes: {".len();
        let end = text[start..].find('}').map_or(text.len(), |e| start + e);
        let mut at = start;
        for entry in text[start..end].split(',') {
            let key = entry.split(':').next().unwrap_or("");
            let key = if entry.contains("'custom:") {
                quoted(entry, 0).unwrap_or_default()
            } else {
                key.trim().trim_matches(['\'', '"']).to_string()
            };
            let lead = entry.len() - entry.trim_start().len();
            if !key.is_empty() {
                out.push((text[..at + lead].matches('\n').count() + 1, key));
            }
            at += entry.len() + 1;
        }
        from = end;
    }
    out
}

/// The auth fixtures against what Amplify synthesizes for Cognito (`COGNITO.json`, written by
/// `tests/fixtures/frontend/auth/label-cognito.py` from the kept `cdk.out` of `synth`): the user pool client's
/// identity providers and the user pool's schema. `access` has nothing to say about either; its `ACCESS.json` is
/// checked to say ACCEPTED.
/// - `// expect: frontend/auth-provider-not-configured`: the provider (built-in by its Cognito type, `Amazon` is
///   `LoginWithAmazon`, `Apple` is `SignInWithApple`; `{ custom }` by name) is not one of the user pool's;
///   a provider literal without the expectation is one of them;
/// - `// expect: frontend/auth-unknown-attribute`: a `userAttributes` key on the line is neither a standard Cognito
///   attribute nor in the user pool's schema; on the other lines every key is one of them.
#[test]
fn auth_fixture_premises_hold_in_the_synthesized_user_pool() {
    let root = repo_root().join("tests/fixtures/frontend/auth");
    let mut problems = Vec::new();
    let mut checked = 0;
    for case in subdirs(&root) {
        let cognito: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("COGNITO.json")).expect("COGNITO.json"),
        )
        .expect("JSON");
        assert_eq!(cognito["verdict"], "ACCEPTED", "{}", case.display());
        let idps: Vec<(String, String)> = cognito["identityProviders"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap_or("").to_string(),
                            p["type"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let schema: Vec<String> = cognito["userPoolSchema"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(case.join("src"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            let lines: Vec<&str> = text.lines().collect();
            let expects = |n: usize, code: &str| {
                lines
                    .get(n - 1)
                    .is_some_and(|l| l.contains(&format!("// expect: {code}")))
            };
            for (i, line) in lines.iter().enumerate() {
                let Some(at) = line.find("provider: ") else {
                    continue;
                };
                let custom = line[at..].starts_with("provider: {");
                let Some(name) = quoted(line, at) else {
                    continue;
                };
                let configured = if custom {
                    idps.iter()
                        .any(|(n, t)| n == &name && (t == "OIDC" || t == "SAML"))
                } else {
                    let ty = match name.as_str() {
                        "Amazon" => "LoginWithAmazon",
                        "Apple" => "SignInWithApple",
                        other => other,
                    };
                    idps.iter().any(|(_, t)| t == ty)
                };
                if configured == expects(i + 1, "frontend/auth-provider-not-configured") {
                    problems.push(format!(
                        "{}:{}: provider {name} configured={configured}",
                        file.display(),
                        i + 1
                    ));
                }
                checked += 1;
            }
            // per line: an expectation there iff some key on the line is unknown
            let keys = attribute_keys(&text);
            let mut key_lines: Vec<usize> = keys.iter().map(|(n, _)| *n).collect();
            key_lines.dedup();
            for n in key_lines {
                let unknown: Vec<&String> = keys
                    .iter()
                    .filter(|(m, k)| {
                        *m == n && !COGNITO_STANDARD.contains(&k.as_str()) && !schema.contains(k)
                    })
                    .map(|(_, k)| k)
                    .collect();
                if unknown.is_empty() == expects(n, "frontend/auth-unknown-attribute") {
                    problems.push(format!(
                        "{}:{n}: unknown attributes {unknown:?}",
                        file.display()
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "only {checked} checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn auth_fixtures_are_accepted() {
    let root = repo_root().join("tests/fixtures/frontend/auth");
    let cases = subdirs(&root);
    assert!(cases.len() >= 4);
    for case in cases {
        let access: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("ACCESS.json")).expect("ACCESS.json"),
        )
        .expect("JSON");
        assert_eq!(access["verdict"], "ACCEPTED", "{}", case.display());
    }
}

/// (principal, action, prefix, deny) as the oracle names them, `read` split into `get` and `list`.
type Statement = (String, String, String, bool);

/// The server's model of each storage fixture's grants equals Amplify's policies as `access` reads them (after
/// dropping, as Amplify does, allowed prefixes that another allowed prefix of the same role and action covers).
#[test]
fn the_storage_model_computes_amplifys_policies() {
    let root = repo_root().join("tests/fixtures/frontend/storage");
    let mut compared = 0;
    for case in subdirs(&root) {
        let access: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("ACCESS.json")).expect("ACCESS.json"),
        )
        .expect("JSON");
        let src =
            std::fs::read_to_string(case.join("amplify/storage/resource.ts")).expect("storage");
        let tree = parse(&src, Lang::TypeScript, None).expect("parse");
        let view =
            amplify_lsp::model::frontend::view_of(&FileModel::build(&tree, &src, Lang::TypeScript));
        let storage = view.storage.expect("a storage view");
        for bucket in &storage.buckets {
            let name = bucket.name.clone().expect("bucket name");
            assert!(bucket.known, "{name}");
            let mut model: BTreeSet<Statement> = bucket
                .grants
                .iter()
                .map(|g| {
                    let who = match &g.role {
                        Role::Authenticated if g.prefix.contains(IDENTITY) => {
                            "identity-owned".to_string()
                        }
                        r => r.label(),
                    };
                    (who, g.action.name().to_string(), g.prefix.clone(), g.deny)
                })
                .collect();
            // Amplify keeps only the outermost allowed prefixes of a role and action
            let all = model.clone();
            model.retain(|(who, action, prefix, deny)| {
                *deny
                    || !all.iter().any(|(w, a, p, d)| {
                        !d && w == who
                            && a == action
                            && p != prefix
                            && prefix.starts_with(&p.replace('*', ""))
                    })
            });
            let mut oracle: BTreeSet<Statement> = BTreeSet::new();
            let roles = access["storage"]["buckets"][&name]["access"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for (who, grants) in roles {
                for g in grants.as_array().cloned().unwrap_or_default() {
                    let (action, prefix, deny) = of(&g);
                    let actions: &[&str] = if action == "read" {
                        &["get", "list"]
                    } else {
                        &[action]
                    };
                    for a in actions {
                        oracle.insert((who.clone(), a.to_string(), prefix.to_string(), deny));
                    }
                }
            }
            assert_eq!(model, oracle, "{} bucket {name}", case.display());
            compared += 1;
        }
    }
    assert!(compared >= 10, "{compared} buckets compared");
}
