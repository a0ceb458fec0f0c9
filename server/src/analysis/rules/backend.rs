//! Backend wiring rules: a resource defined but never reaching `defineBackend`, a backend file without
//! `defineBackend`, and what the object `defineBackend` returns is asked to do (`createStack`, `addOutput`).

use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::file::{DefineKind, MethodCall};
use crate::model::mentions::Word;
use crate::model::project::normalize;
use crate::model::value::{Kind, Value};
use crate::text::Span;

const NO_DEFINE_BACKEND: &str = "backend/no-define-backend";
const DUPLICATE_STACK: &str = "backend/duplicate-stack";
const DUPLICATE_OUTPUT: &str = "backend/duplicate-output";
const OUTPUTS_COMMITTED: &str = "backend/outputs-committed";
/// The file `ampx` writes next to `amplify/` for the frontend.
const OUTPUTS_FILE: &str = "amplify_outputs.json";
/// Larger `.gitignore` or `.git/index` files are not read (the check runs on each change of backend.ts).
const MAX_GIT_FILE: u64 = 2 * 1024 * 1024;

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    not_in_backend(cx, out);
    no_define_backend(cx, out);
    let calls = backend_calls(cx);
    duplicate_stacks(cx, &calls, out);
    duplicate_outputs(&calls, out);
    outputs_committed(cx, out);
}

/// `backend/outputs-committed`: the project is a git repository (or has a `.gitignore`) and
/// `amplify_outputs.json` is not ignored, or git tracks it. Said once, on `defineBackend`.
fn outputs_committed(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    if !is_backend_file(cx) {
        return;
    }
    let Some(d) = cx.file.first(DefineKind::Backend) else {
        return;
    };
    let Some(root) = cx.path.and_then(|p| p.parent()).and_then(|a| a.parent()) else {
        return;
    };
    let git = root.join(".git");
    let message = if git.is_dir() && tracked(&git.join("index")) == Some(true) {
        format!(
            "git tracks {OUTPUTS_FILE}, but it is generated for each sandbox and branch and holds that \
             environment's resource names: stop tracking it (`git rm --cached {OUTPUTS_FILE}`) and add it to \
             .gitignore"
        )
    } else {
        let ignored = match read_small(&root.join(".gitignore")) {
            Some(text) => ignores(&text, OUTPUTS_FILE),
            // no .gitignore: only say so in a git repository, unless its own exclude file covers it
            None if git.is_dir() => match read_small(&git.join("info/exclude")) {
                Some(text) => ignores(&text, OUTPUTS_FILE),
                None => Some(false),
            },
            None => return,
        };
        if ignored != Some(false) {
            return;
        }
        format!(
            "{OUTPUTS_FILE} is not in .gitignore: it is generated for each sandbox and branch and should not be \
             committed; add `{OUTPUTS_FILE}` to the project's .gitignore"
        )
    };
    out.push(Diagnostic::new(
        d.callee_span,
        Severity::Information,
        OUTPUTS_COMMITTED,
        message,
    ));
}

fn read_small(p: &std::path::Path) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() || meta.len() > MAX_GIT_FILE {
        return None;
    }
    std::fs::read_to_string(p).ok()
}

/// Whether the `.gitignore` text ignores a file of the repository's top folder named `name`; `None` when a
/// pattern we do not evaluate (a character class) could decide it.
fn ignores(text: &str, name: &str) -> Option<bool> {
    let mut result = Some(false);
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, pat) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line.strip_prefix('\\').unwrap_or(line)),
        };
        if pat.ends_with('/') {
            // folders only
            continue;
        }
        let pat = pat.strip_prefix("**/").unwrap_or(pat);
        let pat = pat.strip_prefix('/').unwrap_or(pat);
        if pat.contains('/') {
            continue;
        }
        if pat.contains('[') {
            result = None;
            continue;
        }
        if glob(pat.as_bytes(), name.as_bytes()) {
            result = Some(!negated);
        }
    }
    result
}

/// `*` and `?` matching (no `/` in either side).
fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
        _ => false,
    }
}

/// Whether the git index lists `amplify_outputs.json` at the repository's top; `None` when the index cannot
/// be read (missing, too large, a version whose paths are compressed).
fn tracked(index: &std::path::Path) -> Option<bool> {
    let meta = std::fs::metadata(index).ok()?;
    if meta.len() > MAX_GIT_FILE {
        return None;
    }
    let bytes = std::fs::read(index).ok()?;
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(bytes.get(4..8)?.try_into().ok()?);
    if !matches!(version, 2 | 3) {
        return None;
    }
    // an entry's path follows its 16-bit flags, whose low 12 bits are the path length, and ends with NUL
    let name = OUTPUTS_FILE.as_bytes();
    let len_byte = u8::try_from(name.len()).ok()?;
    Some(
        bytes
            .windows(name.len() + 2)
            .any(|w| w[0] == len_byte && &w[1..=name.len()] == name && w[name.len() + 1] == 0),
    )
}

/// Whether the file is the project's backend entry point, `amplify/backend.ts`.
fn is_backend_file(cx: &RuleCtx) -> bool {
    cx.path.is_some_and(|p| {
        p.file_stem().is_some_and(|s| s == "backend")
            && p.extension().is_some_and(|e| e == "ts")
            && p.parent()
                .and_then(|d| d.file_name())
                .is_some_and(|d| d == "amplify")
    })
}

/// `backend/no-define-backend`: `amplify/backend.ts` never calls `defineBackend` (a handler or a resource
/// placed there), so Amplify has no backend to build.
fn no_define_backend(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    if !is_backend_file(cx) || cx.file.first(DefineKind::Backend).is_some() {
        return;
    }
    // called some way we do not follow (`amplify.defineBackend`, a renamed import, a helper): stay silent
    if cx.file.mentions.has(Word::DefineBackend) {
        return;
    }
    // the first line of code (comments skipped)
    let mut at = 0;
    let mut span = Span::new(0, 0);
    for line in cx.src.split_inclusive('\n') {
        let t = line.trim();
        if !(t.is_empty() || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')) {
            let lead = line.len() - line.trim_start().len();
            span = Span::new(at + lead, at + lead + t.len());
            break;
        }
        at += line.len();
    }
    out.push(Diagnostic::new(
        span,
        Severity::Error,
        NO_DEFINE_BACKEND,
        "amplify/backend.ts never calls `defineBackend`, so there is no backend to deploy: this file must \
         create it, e.g. `defineBackend({ auth, data })` with the resources imported from their files \
         (a function handler belongs in its own folder, next to its `defineFunction`)",
    ));
}

/// Calls of `createStack`/`addOutput` on the object `defineBackend` returned in this file.
fn backend_calls<'a>(cx: &'a RuleCtx) -> Vec<&'a MethodCall> {
    let names: Vec<&str> = cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Backend)
        .filter_map(|d| d.binding.as_deref())
        .collect();
    cx.file
        .method_calls
        .iter()
        .filter(|c| c.object.as_deref().is_some_and(|o| names.contains(&o)))
        .collect()
}

/// `backend/duplicate-stack`: `createStack('name')` with a name an earlier call of this file already used.
/// A category's own stack is named after it and exists when the category does.
fn duplicate_stacks(cx: &RuleCtx, calls: &[&MethodCall], out: &mut Vec<Diagnostic>) {
    let p = cx.project;
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for c in calls.iter().filter(|c| c.method == "createStack") {
        let Some(arg) = c.args.first() else { continue };
        let Some(name) = arg.as_str() else { continue };
        let category = match name {
            "auth" => p.has_auth,
            "data" => p.data.is_some(),
            "storage" => p.bucket_count > 0,
            _ => false,
        };
        if category && p.complete {
            out.push(Diagnostic::new(
                arg.span,
                Severity::Error,
                DUPLICATE_STACK,
                format!(
                    "'{name}' is the name of the stack Amplify creates for the project's {name} resources: give \
                     this stack another name"
                ),
            ));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            let mut d = Diagnostic::new(
                arg.span,
                Severity::Error,
                DUPLICATE_STACK,
                format!(
                    "a stack named '{name}' is already created above: each `createStack` needs its own name \
                     (Amplify stops at the second one)"
                ),
            );
            d.related
                .push(related(*first, "the first stack of that name"));
            out.push(d);
        } else {
            seen.push((name, arg.span));
        }
    }
}

/// `backend/duplicate-output`: two `addOutput` calls that write the same entry of `amplify_outputs.json`.
fn duplicate_outputs(calls: &[&MethodCall], out: &mut Vec<Diagnostic>) {
    // (path of keys, span)
    let mut seen: Vec<(Vec<String>, Span)> = Vec::new();
    for c in calls.iter().filter(|c| c.method == "addOutput") {
        let Some(arg) = c.args.first() else { continue };
        let mut mine = Vec::new();
        if !output_leaves(arg, &mut Vec::new(), &mut mine) {
            // a spread, a variable...: we cannot know what this call writes, nor what later ones clash with
            return;
        }
        for (path, span) in &mine {
            if let Some((_, first)) = seen.iter().find(|(p, _)| clashes(p, path)) {
                let mut d = Diagnostic::new(
                    *span,
                    Severity::Error,
                    DUPLICATE_OUTPUT,
                    format!(
                        "`{}` is already written by an earlier `addOutput`: Amplify refuses to write an output \
                         entry twice; give it another key or write it once",
                        path.join(".")
                    ),
                );
                d.related.push(related(*first, "written here first"));
                out.push(d);
            }
        }
        seen.extend(mine);
    }
}

/// The key paths an `addOutput` argument writes, down to its non-object values, with the span of each key.
/// `false` when the object is not fully known (a spread, a computed key, not an object literal).
fn output_leaves(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Span)>) -> bool {
    let Some(props) = v.as_object() else {
        return false;
    };
    for p in props {
        let Some(key) = &p.key else { return false };
        prefix.push(key.to_string());
        let known = match &p.value.kind {
            Kind::Object(_) => output_leaves(&p.value, prefix, out),
            _ => {
                out.push((prefix.clone(), p.key_span));
                true
            }
        };
        prefix.pop();
        if !known {
            return false;
        }
    }
    true
}

/// Whether two key paths write the same entry of a category (`custom.a` twice). Amplify merges the rest
/// (`custom.a.x` beside `custom.a.y`, the same `version` twice).
fn clashes(a: &[String], b: &[String]) -> bool {
    a.len() >= 2 && a == b
}

fn related(span: Span, message: &str) -> Related {
    Related {
        uri: None,
        span,
        message: message.to_string(),
    }
}

/// `backend/not-in-backend`: an exported resource that no other project file imports (so it cannot reach
/// `defineBackend`, directly or through another resource) and that this file does not use either.
fn not_in_backend(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let (Some(path), true, true) = (cx.path, cx.project.complete, cx.project.has_backend) else {
        return;
    };
    let me = normalize(path);
    for (i, d) in cx.file.defines.iter().enumerate() {
        if !d.kind.is_resource() || !d.exported {
            continue;
        }
        let Some(name) = d.binding.as_deref() else {
            continue;
        };
        let imported = cx
            .project
            .imported
            .iter()
            .any(|(p, n)| *p == me && n == name);
        if imported || used_locally(cx.src, name, d.call_span.end) {
            continue;
        }
        let span = cx.file.define_name_span(i).unwrap_or(d.callee_span);
        out.push(Diagnostic::new(
            span,
            Severity::Warning,
            "backend/not-in-backend",
            format!(
                "`{name}` is never passed to `defineBackend` (no file imports it), so it will not be deployed: \
                 import it in amplify/backend.ts and add it to `defineBackend({{ ... }})`"
            ),
        ));
    }
}

/// Whether `name` appears as an identifier in `src` after `from` (used by another definition in the file).
fn used_locally(src: &str, name: &str, from: usize) -> bool {
    let rest = src.get(from..).unwrap_or("");
    let is_ident = |c: char| c == '_' || c == '$' || c.is_alphanumeric();
    rest.match_indices(name).any(|(i, _)| {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident) && before != Some('.')
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{facts, found, run_with};
    use super::*;
    use std::path::{Path, PathBuf};

    const BACKEND: &str = "/p/amplify/backend.ts";

    fn run(src: &str, has_auth: bool) -> Vec<Diagnostic> {
        run_with(check, src, Some(Path::new(BACKEND)), &facts(has_auth, &[]))
    }

    #[test]
    fn duplicate_stacks() {
        let src = "const backend = defineBackend({ auth });\nconst a = backend.createStack('Extras');\nbackend.createStack('extras');\nbackend.createStack('Extras');\nother.createStack('Extras');";
        let d = run(src, false);
        assert_eq!(found(src, &d), [(DUPLICATE_STACK, "'Extras'")]);
        assert_eq!(d[0].related.len(), 1);
        let third = src
            .find("backend.createStack('Extras');\nother")
            .expect("call");
        assert_eq!(d[0].span.start, third + "backend.createStack(".len());
        // a category's own stack
        let src = "const backend = defineBackend({ auth });\nbackend.createStack('auth');\nbackend.createStack('data');";
        assert_eq!(found(src, &run(src, true)), [(DUPLICATE_STACK, "'auth'")]);
        assert!(run(src, false).is_empty());
    }

    #[test]
    fn duplicate_outputs() {
        let src = "const backend = defineBackend({ auth });\nbackend.addOutput({ version: '1.4', custom: { a: 'x', n: { x: 1 } } });\nbackend.addOutput({ version: '1.4', custom: { b: 'y', n: { y: 2 } } });\nbackend.addOutput({ custom: { a: 'z' } });";
        let d = run(src, false);
        assert_eq!(found(src, &d), [(DUPLICATE_OUTPUT, "a")]);
        assert!(d[0].message.contains("custom.a"));
        // a call we cannot read stops the comparison
        let src = "const backend = defineBackend({ auth });\nbackend.addOutput({ custom: { a: 'x' } });\nbackend.addOutput(extra);\nbackend.addOutput({ custom: { a: 'z' } });";
        assert!(run(src, false).is_empty());
    }

    #[test]
    fn gitignore_patterns() {
        assert_eq!(
            ignores("node_modules\n/amplify_outputs.json\n", OUTPUTS_FILE),
            Some(true)
        );
        assert_eq!(ignores("amplify_outputs*\n", OUTPUTS_FILE), Some(true));
        assert_eq!(ignores("**/amplify_outputs.json", OUTPUTS_FILE), Some(true));
        assert_eq!(
            ignores("*.json\n!amplify_outputs.json", OUTPUTS_FILE),
            Some(false)
        );
        assert_eq!(
            ignores(
                "# amplify_outputs.json\ndist/\namplify_outputs.json/\nsrc/amplify_outputs.json",
                OUTPUTS_FILE
            ),
            Some(false)
        );
        assert_eq!(ignores("amplify_outputs.[jt]s*", OUTPUTS_FILE), None);
        assert_eq!(
            ignores(".amplify\namplify_outputs.json ", OUTPUTS_FILE),
            Some(true)
        );
    }

    #[test]
    fn committed_outputs() {
        let dir = std::env::temp_dir().join(format!("amplify-lsp-outputs-{}", std::process::id()));
        let backend = dir.join("amplify/backend.ts");
        std::fs::create_dir_all(backend.parent().expect("parent")).expect("mkdir");
        let src = "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});";
        let run_here = || run_with(check, src, Some(&backend), &facts(false, &[]));
        // neither a repository nor a .gitignore: nothing to say
        assert!(run_here().is_empty());
        std::fs::write(dir.join(".gitignore"), "node_modules\n").expect("write");
        let d = run_here();
        assert_eq!(found(src, &d), [(OUTPUTS_COMMITTED, "defineBackend")]);
        assert_eq!(d[0].severity, Severity::Information);
        std::fs::write(dir.join(".gitignore"), "node_modules\namplify_outputs*\n").expect("write");
        assert!(run_here().is_empty());
        // tracked although ignored
        std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
        let mut index = b"DIRC\0\0\0\x02\0\0\0\x01".to_vec();
        index.extend_from_slice(&[0u8; 60]);
        index.extend_from_slice(&[0x00, 0x14]);
        index.extend_from_slice(b"amplify_outputs.json\0\0");
        std::fs::write(dir.join(".git/index"), &index).expect("write");
        let d = run_here();
        assert!(d.len() == 1 && d[0].message.contains("git tracks"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn backend_file_without_define_backend() {
        let src = "// a handler\nimport type { Handler } from 'aws-lambda';\nexport const handler: Handler = async () => ({});\n";
        assert_eq!(
            found(src, &run(src, false)),
            [(
                NO_DEFINE_BACKEND,
                "import type { Handler } from 'aws-lambda';"
            )]
        );
        // another file, or a backend made some other way
        let other = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/handler.ts")),
            &facts(false, &[]),
        );
        assert!(other.is_empty());
        assert!(run(
            "import * as amp from '@aws-amplify/backend';\namp.defineBackend({});",
            false
        )
        .is_empty());
        assert!(run(
            "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});",
            false
        )
        .is_empty());
    }

    #[test]
    fn unreached_conversation_handlers() {
        let path = Path::new("/p/amplify/functions/chat/resource.ts");
        let src = "import { defineConversationHandlerFunction } from '@aws-amplify/backend-ai/conversation';\n\
                   export const chatHandler = defineConversationHandlerFunction({ name: 'chat', models: [] });\n";
        let mut p = facts(false, &[]);
        p.has_backend = true;
        let d = run_with(check, src, Some(path), &p);
        assert_eq!(found(src, &d), [("backend/not-in-backend", "chatHandler")]);
        // imported by another file (data/resource.ts for `a.conversation({ handler })`, or backend.ts)
        p.imported.push((
            PathBuf::from("/p/amplify/functions/chat/resource"),
            "chatHandler".to_string(),
        ));
        assert!(run_with(check, src, Some(path), &p).is_empty());
    }

    #[test]
    fn local_use() {
        assert!(used_locally(
            "x; handler: a.handler.function(fn1)",
            "fn1",
            0
        ));
        assert!(!used_locally("x; fn10; obj.fn1", "fn1", 0));
    }
}
