//! Function rules (`defineFunction`): the resolved name, environment keys and values, schedules, layers,
//! the entry file, durable functions; and, for any file (usually `backend.ts`), IAM policy statements that
//! grant actions on every resource.
//!
//! Only literals are judged (identifiers are followed one level through the file's top-level bindings);
//! calls, spreads, templates and computed keys are left alone.
//!
//! Confirmed with the synth tool: without `name`, the name comes from the entry file (`send.email.ts`)
//! or the folder (`functions/2fa/`) and is rejected like a written one; a missing default `handler.ts`
//! is rejected; an `undefined` environment value is rejected; `{ rate: '<cron>' }`, `{ cron: 'every 5m' }`
//! and a schedule object with neither key are rejected; the same layer twice counts once; `every 0m` is
//! accepted.

use crate::model::mentions::Word;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use tree_sitter::Node;

use super::validators::{self, Finding};
use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::file::{Define, DefineKind};
use crate::model::value::{lower, Kind, Prop, Value};
use crate::syntax::{parse, text, Lang};
use crate::text::Span;

const ENV_UNDEFINED: &str = "function/env-undefined";
const SCHEDULE: &str = "function/schedule";
const TOO_MANY_LAYERS: &str = "function/too-many-layers";
const ENTRY_NOT_FOUND: &str = "function/entry-not-found";
const DURABLE_CONFIG: &str = "function/durable-config";
const HARDCODED_SECRET: &str = "security/hardcoded-secret";
const WILDCARD_RESOURCE: &str = "security/wildcard-resource";

/// Lambda's limit on the layers of one function.
const MAX_LAYERS: usize = 5;

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Function)
    {
        function(cx, d, out);
    }
    wildcard_resources(cx, out);
}

fn from_finding(span: Span, f: Finding) -> Diagnostic {
    Diagnostic::new(span, Severity::Error, f.code, f.message)
}

fn related(span: Span, message: impl Into<String>) -> Related {
    Related {
        uri: None,
        span,
        message: message.into(),
    }
}

fn function(cx: &RuleCtx, d: &Define, out: &mut Vec<Diagnostic>) {
    let empty = Value {
        kind: Kind::Object(std::sync::Arc::from([])),
        span: d.args_span,
    };
    let arg = match d.arg.as_ref() {
        Some(a) => cx.file.resolve(a),
        // `defineFunction()`: every default applies
        None => &empty,
    };
    // the other overload, `defineFunction((scope) => new Function(...))`, and anything we cannot see into
    if arg.as_object().is_none() {
        return;
    }
    // a spread may bring `name` or `entry`: the defaults are then unknown
    let complete = !arg.has_spread();
    let field = |key: &str| arg.get(key).map(|p| (p, cx.file.resolve(&p.value)));

    name(cx, d, field("name"), field("entry"), complete, out);
    entry(cx, d, field("entry"), complete, out);
    if let Some((_, env)) = field("environment") {
        environment(cx, env, out);
    }
    if let Some((_, schedule)) = field("schedule") {
        let timeout = match field("timeoutSeconds") {
            None => Some(None),
            Some((_, t)) => t.as_num().map(Some),
        };
        schedules(cx, schedule, timeout, out);
    }
    if let Some((prop, layers)) = field("layers") {
        layer_rules(cx, prop, layers, out);
    }
    if let Some((durable, value)) = field("durableConfig") {
        if matches!(value.kind, Kind::Object(_)) {
            if let Some((_, runtime)) = field("runtime") {
                if let Some(n) = runtime.as_num().filter(|n| [18.0, 20.0].contains(n)) {
                    let mut diag = Diagnostic::new(
                        runtime.span,
                        Severity::Error,
                        DURABLE_CONFIG,
                        format!(
                            "durable functions need Node.js 22 or later, but this function runs on {n}: set \
                             `runtime: 22` (or 24), or remove `durableConfig`"
                        ),
                    );
                    diag.related
                        .push(related(durable.key_span, "durableConfig is set here"));
                    out.push(diag);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Name and entry
// ---------------------------------------------------------------------------------------------

/// The folder holding the file (the caller directory Amplify resolves names and entries against).
fn caller_dir<'a>(cx: &RuleCtx<'a>) -> Option<&'a Path> {
    cx.path?.parent()
}

/// `path.parse(entry).name`: the file name without its last extension.
fn entry_stem(entry: &str) -> &str {
    let file = entry.rsplit(['/', '\\']).next().unwrap_or(entry);
    match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    }
}

fn name(
    cx: &RuleCtx,
    d: &Define,
    name: Option<(&Prop, &Value)>,
    entry: Option<(&Prop, &Value)>,
    complete: bool,
    out: &mut Vec<Diagnostic>,
) {
    match name.map(|(_, v)| v) {
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() => {
                if let Some(f) = validators::resource_name(s) {
                    out.push(from_finding(v.span, f));
                }
                return;
            }
            Some(_) => {}
            // not a literal
            None => return,
        },
        None if !complete => return,
        None => {}
    }
    // no name: Amplify names the function after its entry file, else after its folder
    if let Some(v) = entry.map(|(_, v)| v) {
        match v.as_str() {
            Some(e) if !e.is_empty() => {
                let stem = entry_stem(e);
                if let Some(f) = validators::resource_name(stem) {
                    out.push(Diagnostic::new(
                        v.span,
                        Severity::Error,
                        f.code,
                        format!(
                            "without a `name`, the function is named after its entry file, `{stem}`, which Amplify \
                             refuses ({}); add a `name`",
                            f.message
                        ),
                    ));
                }
                return;
            }
            Some(_) => {}
            None => return,
        }
    }
    let Some(folder) = caller_dir(cx)
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
    else {
        return;
    };
    if let Some(f) = validators::resource_name(folder) {
        out.push(Diagnostic::new(
            d.callee_span,
            Severity::Error,
            f.code,
            format!(
                "without a `name`, the function is named after its folder, `{folder}`, which Amplify refuses ({}); \
                 add a `name` or rename the folder",
                f.message
            ),
        ));
    }
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The project root: from the facts, else the folder holding the nearest `amplify` folder above `dir`.
fn project_root(cx: &RuleCtx, dir: &Path) -> Option<PathBuf> {
    if let Some(root) = &cx.project.root {
        return Some(normalize(root));
    }
    dir.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "amplify"))
        .and_then(Path::parent)
        .map(normalize)
}

fn entry(
    cx: &RuleCtx,
    d: &Define,
    entry: Option<(&Prop, &Value)>,
    complete: bool,
    out: &mut Vec<Diagnostic>,
) {
    let (given, span) = match entry.map(|(_, v)| v) {
        Some(v) => match v.as_str() {
            Some(e) if !e.is_empty() => (Some(e), v.span),
            Some(_) => (None, v.span),
            None => return,
        },
        None if complete => (None, d.callee_span),
        None => return,
    };
    // only for a resource file that is really on disk, inside a project we know
    let Some(file) = cx.path.filter(|p| p.is_file()) else {
        return;
    };
    let Some(dir) = file.parent() else { return };
    let Some(root) = project_root(cx, dir) else {
        return;
    };
    let relative = given.unwrap_or("./handler.ts");
    let candidate = normalize(&dir.join(relative));
    if !candidate.starts_with(&root) || !crate::workspace::fs::within(&candidate, &root) {
        // never look outside the project, also not through a link: "does it exist?" must not be answered
        // for a place outside it
        return;
    }
    if candidate.exists() {
        return;
    }
    let message = match given {
        Some(e) => format!(
            "the entry file `{e}` does not exist (it is resolved from this file's folder): create it or point \
             `entry` at the handler"
        ),
        None => "this function has no `entry`, so Amplify bundles `./handler.ts` beside this file, which does not \
                 exist: create `handler.ts` or set `entry`"
            .to_string(),
    };
    out.push(Diagnostic::new(
        span,
        Severity::Error,
        ENTRY_NOT_FOUND,
        message,
    ));
}

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

fn environment(cx: &RuleCtx, env: &Value, out: &mut Vec<Diagnostic>) {
    let Some(props) = env.as_object() else { return };
    for p in props {
        let Some(key) = p.key.as_deref() else {
            continue;
        };
        if let Some(f) = validators::env_key(key) {
            out.push(from_finding(p.key_span, f));
        }
        let value = cx.file.resolve(&p.value);
        match &value.kind {
            Kind::Undefined => out.push(Diagnostic::new(
                value.span,
                Severity::Error,
                ENV_UNDEFINED,
                format!(
                    "`{key}` is `undefined`, which Amplify refuses: give it a string or `secret('...')`, or leave \
                     the key out"
                ),
            )),
            Kind::Str(s) if validators::looks_like_credential(key, s) => {
                let name = validators::secret_name("", key);
                out.push(Diagnostic::new(
                    value.span,
                    Severity::Warning,
                    HARDCODED_SECRET,
                    format!(
                        "`{key}` looks like a credential written in plain text, where anyone with the code can \
                         read it: store it with `npx ampx sandbox secret set {name}` and write `secret('{name}')`"
                    ),
                ));
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------

/// `timeout`: `Some(None)` when timeoutSeconds is absent (Amplify's default), `Some(Some(n))` for a literal,
/// `None` when it is not a literal (the rate-vs-timeout rule is then skipped).
fn schedules(
    cx: &RuleCtx,
    schedule: &Value,
    timeout: Option<Option<f64>>,
    out: &mut Vec<Diagnostic>,
) {
    match &schedule.kind {
        Kind::Array(items) => {
            for item in items.iter() {
                one_schedule(cx, cx.file.resolve(item), timeout, out);
            }
        }
        _ => one_schedule(cx, schedule, timeout, out),
    }
}

fn schedule_finding(expr: &str, timeout: Option<Option<f64>>) -> Option<Finding> {
    let f = validators::schedule(expr, timeout.flatten())?;
    // with an unknown timeout, only the expression itself is judged
    if timeout.is_none() && f.code != SCHEDULE {
        return None;
    }
    Some(f)
}

fn one_schedule(
    cx: &RuleCtx,
    schedule: &Value,
    timeout: Option<Option<f64>>,
    out: &mut Vec<Diagnostic>,
) {
    match &schedule.kind {
        Kind::Str(s) => {
            if let Some(f) = schedule_finding(s, timeout) {
                out.push(from_finding(schedule.span, f));
            }
        }
        Kind::Object(_) if !schedule.has_spread() => {
            if let Some(rate) = schedule.get("rate") {
                let v = cx.file.resolve(&rate.value);
                let Some(s) = v.as_str() else { return };
                if s.contains("every") {
                    if let Some(f) = schedule_finding(s, timeout) {
                        out.push(from_finding(v.span, f));
                    }
                } else {
                    out.push(Diagnostic::new(
                        v.span,
                        Severity::Error,
                        SCHEDULE,
                        "a `rate` is written `every <N>m`, `every <N>h`, `every day`, `every week`, `every month` \
                         or `every year`; for a cron expression use `cron:` instead",
                    ));
                }
            } else if let Some(cron) = schedule.get("cron") {
                let v = cx.file.resolve(&cron.value);
                let Some(s) = v.as_str() else { return };
                if s.contains("every") {
                    out.push(Diagnostic::new(
                        v.span,
                        Severity::Error,
                        SCHEDULE,
                        "this is a rate, not a cron expression: write it as `rate:` instead of `cron:`",
                    ));
                } else if let Some(f) = schedule_finding(s, timeout) {
                    out.push(from_finding(v.span, f));
                }
            } else {
                out.push(Diagnostic::new(
                    schedule.span,
                    Severity::Error,
                    SCHEDULE,
                    "a schedule object needs a `rate` (e.g. `{ rate: 'every 1h' }`) or a `cron` expression \
                     (e.g. `{ cron: '0 9 * * ?' }`)",
                ));
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------

fn layer_rules(cx: &RuleCtx, prop: &Prop, layers: &Value, out: &mut Vec<Diagnostic>) {
    let Some(props) = layers.as_object() else {
        return;
    };
    let mut arns: HashSet<&str> = HashSet::new();
    let mut name_versions: HashSet<&str> = HashSet::new();
    for p in props {
        let v = cx.file.resolve(&p.value);
        let Some(s) = v.as_str() else { continue };
        if let Some(f) = validators::layer_value(s) {
            out.push(from_finding(v.span, f));
        } else if is_name_version(s) {
            name_versions.insert(s);
        } else {
            arns.insert(s);
        }
    }
    // Amplify counts unique ARNs; `name:version` becomes an ARN in the stack's own region and account, so it
    // may equal a full ARN written elsewhere: count only the ones that cannot.
    let distinct_nv = name_versions
        .iter()
        .filter(|nv| {
            let suffix = format!(":layer:{nv}");
            !arns
                .iter()
                .any(|a| a.starts_with("arn:aws:lambda:") && a.ends_with(&suffix))
        })
        .count();
    let count = arns.len() + distinct_nv;
    if count > MAX_LAYERS {
        out.push(Diagnostic::new(
            prop.key_span,
            Severity::Error,
            TOO_MANY_LAYERS,
            format!(
                "this function has {count} different layers, but Lambda allows at most {MAX_LAYERS}: remove the \
                 ones it does not use, or bundle their code into the function"
            ),
        ));
    }
}

/// `^[a-zA-Z0-9-_]+:[0-9]+$`
fn is_name_version(s: &str) -> bool {
    let Some((name, version)) = s.split_once(':') else {
        return false;
    };
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// `new PolicyStatement({ resources: ['*'] })`
// ---------------------------------------------------------------------------------------------

/// The most nodes walked when looking for policy statements.
const MAX_NODES: usize = 200_000;

fn wildcard_resources(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    if !cx.file.mentions.has(Word::PolicyStatement) || !cx.src.contains('*') {
        return;
    }
    let lang = match cx.path.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("tsx") => Lang::Tsx,
        _ => Lang::TypeScript,
    };
    let Some(tree) = parse(cx.src, lang, None) else {
        return;
    };
    let mut cursor = tree.root_node().walk();
    let mut visited = 0usize;
    'walk: loop {
        visited += 1;
        if visited > MAX_NODES {
            return;
        }
        let node = cursor.node();
        if node.kind() == "new_expression" {
            policy_statement(cx, node, out);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

fn policy_statement(cx: &RuleCtx, node: Node, out: &mut Vec<Diagnostic>) {
    let Some(ctor) = node.child_by_field_name("constructor") else {
        return;
    };
    let name = match ctor.kind() {
        "identifier" => text(ctor, cx.src),
        "member_expression" => ctor
            .child_by_field_name("property")
            .map_or("", |p| text(p, cx.src)),
        _ => return,
    };
    if name != "PolicyStatement" {
        return;
    }
    let Some(args) = node.child_by_field_name("arguments") else {
        return;
    };
    let Some(first) = args
        .named_children(&mut args.walk())
        .find(|n| !n.is_extra())
    else {
        return;
    };
    let props = lower(first, cx.src);
    let props = cx.file.resolve(&props);
    // a Deny statement on every resource takes access away: nothing to warn about
    if let Some(effect) = props.field("effect") {
        let deny = match &effect.kind {
            Kind::Member { prop, .. } => prop == "DENY",
            Kind::Str(s) => s == "Deny",
            _ => true,
        };
        if deny {
            return;
        }
    }
    let Some(resources) = props.field("resources").map(|r| cx.file.resolve(r)) else {
        return;
    };
    for r in resources.as_array().unwrap_or_default() {
        if r.as_str() == Some("*") {
            out.push(Diagnostic::new(
                r.span,
                Severity::Warning,
                WILDCARD_RESOURCE,
                "`'*'` applies this statement's actions to every resource of the account: list the ARNs it needs \
                 instead (a table, a bucket, an SES identity...)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::testkit::{self, facts, found, run_with};
    use super::*;

    fn run(src: &str) -> Vec<Diagnostic> {
        run_with(
            check,
            src,
            Some(Path::new("/nowhere/amplify/functions/worker/resource.ts")),
            &facts(true, &[]),
        )
    }

    fn f(props: &str) -> String {
        format!("import {{ defineFunction }} from '@aws-amplify/backend';\nexport const worker = defineFunction({{\n{props}\n}});\n")
    }

    #[test]
    fn names() {
        let src = f("  name: '2fast',");
        assert_eq!(
            found(&src, &run(&src)),
            [("backend/resource-name", "'2fast'")]
        );
        let src = f("  name: 'send-email_2 now',");
        assert!(run(&src).is_empty());
        // derived from the entry file, else from the folder
        let src = f("  entry: './send.email.ts',");
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [("backend/resource-name", "'./send.email.ts'")]
        );
        assert!(d[0].message.contains("`send.email`"));
        let src = f("  entry: './sendEmail.ts',");
        assert!(run(&src).is_empty());
        let src = f("  timeoutSeconds: 10,");
        let d = run_with(
            check,
            &src,
            Some(Path::new("/p/amplify/functions/2fa/resource.ts")),
            &facts(true, &[]),
        );
        assert_eq!(
            found(&src, &d),
            [("backend/resource-name", "defineFunction")]
        );
        let d = run_with(
            check,
            &src,
            Some(Path::new("/p/amplify/functions/twoFa/resource.ts")),
            &facts(true, &[]),
        );
        assert!(d.is_empty());
        // a name that is not a literal, or a spread that may bring one: silent
        let src = f("  name: NAME,");
        assert!(run_with(
            check,
            &src,
            Some(Path::new("/p/amplify/functions/2fa/resource.ts")),
            &facts(true, &[])
        )
        .is_empty());
        let src = f("  ...common,");
        assert!(run_with(
            check,
            &src,
            Some(Path::new("/p/amplify/functions/2fa/resource.ts")),
            &facts(true, &[])
        )
        .is_empty());
    }

    #[test]
    fn environment_keys_and_values() {
        let src = f("  environment: {\n    'API-URL': 'x',\n    AMPLIFY_SSM_ENV_CONFIG: '{}',\n    OK_KEY: undefined,\n    FINE: 'y',\n  },");
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [
                ("function/env-key", "'API-URL'"),
                ("function/env-reserved", "AMPLIFY_SSM_ENV_CONFIG"),
                ("function/env-undefined", "undefined")
            ]
        );
        let src = f("  environment: { API_URL: 'https://example.com', X1: 'short', TOKEN: secret('TOKEN'), VAL: value },");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn credentials_in_the_environment_are_warned_without_the_value() {
        let value = "sk_live_51HxExampleExampleExample";
        let src = f(&format!(
            "  environment: {{ STRIPE_SECRET_KEY: '{value}', STAGE: 'production' }},"
        ));
        let d = run(&src);
        assert_eq!(
            found(&src, &d),
            [(
                "security/hardcoded-secret",
                "'sk_live_51HxExampleExampleExample'"
            )]
        );
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(!d[0].message.contains(value));
        assert!(d[0].message.contains("secret('STRIPE_SECRET_KEY')"));
        // through a top-level constant too
        let src = format!(
            "const KEY = '{value}';\n{}",
            f("  environment: { STRIPE_KEY: KEY },")
        );
        assert_eq!(found(&src, &run(&src)).len(), 1);
    }

    #[test]
    fn schedules_in_every_form() {
        let src = f("  schedule: '0 9 * * *',");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/schedule", "'0 9 * * *'")]
        );
        let src = f("  schedule: ['every day', 'every 2 days'],");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/schedule", "'every 2 days'")]
        );
        let src = f("  schedule: { cron: '0 9 * * *', timezone: 'Europe/Paris' },");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/schedule", "'0 9 * * *'")]
        );
        let src =
            f("  schedule: [{ rate: '0 9 * * ?' }, { cron: 'every 5m' }, { timezone: 'UTC' }],");
        assert_eq!(
            found(&src, &run(&src)),
            [
                ("function/schedule", "'0 9 * * ?'"),
                ("function/schedule", "'every 5m'"),
                ("function/schedule", "{ timezone: 'UTC' }")
            ]
        );
        let src = f("  schedule: ['0 9 * * ?', 'every 2h', { rate: 'every week' }, { cron: '0 9 ? * 2' }, S],");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn schedule_against_timeout() {
        let src = f("  timeoutSeconds: 600,\n  schedule: 'every 5m',");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/schedule-timeout", "'every 5m'")]
        );
        let src = f("  timeoutSeconds: 300,\n  schedule: 'every 5m',");
        assert!(run(&src).is_empty());
        // an unknown timeout: no judgement
        let src = f("  timeoutSeconds: T,\n  schedule: 'every 1m',");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn layers() {
        let src = f("  layers: { sharp: 'sharp-layer', ok: 'x:1' },");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/layer-format", "'sharp-layer'")]
        );
        let src = f("  layers: { a: 'a:1', b: 'b:1', c: 'c:1', d: 'd:1', e: 'e:1', f: 'arn:aws:lambda:us-east-1:123456789012:layer:f:2' },");
        assert_eq!(
            found(&src, &run(&src)),
            [("function/too-many-layers", "layers")]
        );
        // duplicates count once; a name:version may be the same layer as a full ARN
        let src = f("  layers: { a: 'a:1', b: 'a:1', c: 'c:1', d: 'd:1', e: 'e:1', f: 'arn:aws:lambda:us-east-1:123456789012:layer:e:1' },");
        assert!(run(&src).is_empty());
    }

    #[test]
    fn durable_functions_need_a_recent_runtime() {
        let src = f("  runtime: 20,\n  durableConfig: { executionTimeoutSeconds: 3600 },");
        let d = run(&src);
        assert_eq!(found(&src, &d), [("function/durable-config", "20")]);
        assert_eq!(d[0].related.len(), 1);
        for ok in [
            "  runtime: 22,\n  durableConfig: { executionTimeoutSeconds: 3600 },",
            "  durableConfig: { executionTimeoutSeconds: 3600 },",
            "  runtime: 20,",
        ] {
            let src = f(ok);
            assert!(run(&src).is_empty(), "{ok}");
        }
    }

    #[test]
    fn entry_files_on_disk() {
        let root = testkit::fixtures_root().join("rules/function__entry-not-found");
        let bad = root.join("bad/amplify/functions/worker/resource.ts");
        let src = std::fs::read_to_string(&bad).expect("fixture");
        let d = run_with(check, &src, Some(&bad), &facts(true, &[]));
        assert_eq!(
            found(&src, &d),
            [("function/entry-not-found", "'./index.ts'")]
        );
        let ok = root.join("ok/amplify/functions/worker/resource.ts");
        let src = std::fs::read_to_string(&ok).expect("fixture");
        assert!(run_with(check, &src, Some(&ok), &facts(true, &[])).is_empty());
        // the default `./handler.ts` is checked too
        let src = "export const worker = defineFunction({ name: 'w' });";
        assert!(run_with(check, src, Some(&ok), &facts(true, &[])).is_empty());
        let d = run_with(
            check,
            src,
            Some(&ok.with_file_name("nope.ts")),
            &facts(true, &[]),
        );
        assert!(
            d.is_empty(),
            "a resource file that is not on disk is not judged"
        );
        // a path that leaves the project is never looked at
        let src = "export const worker = defineFunction({ entry: '../../../../../../../../etc/passwd-nope' });";
        assert!(run_with(check, src, Some(&ok), &facts(true, &[])).is_empty());
    }

    #[test]
    fn missing_default_handler() {
        // a real resource file whose folder has no handler.ts: the storage fixture's resource file
        let file = testkit::fixtures_root()
            .join("rules/storage__empty-actions/ok/amplify/storage/resource.ts");
        let src = "export const worker = defineFunction({ name: 'w' });";
        let d = run_with(check, src, Some(&file), &facts(true, &[]));
        assert_eq!(
            found(src, &d),
            [("function/entry-not-found", "defineFunction")]
        );
    }

    #[test]
    fn custom_functions_are_left_alone() {
        let src = "export const f = defineFunction((scope) => new Function(scope, 'x', {}), { resourceGroupName: 'x' });";
        assert!(run_with(
            check,
            src,
            Some(Path::new("/p/amplify/functions/2fa/resource.ts")),
            &facts(true, &[])
        )
        .is_empty());
    }

    #[test]
    fn wildcard_resources() {
        let src = "import * as iam from 'aws-cdk-lib/aws-iam';\n\
                   backend.fn.resources.lambda.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: ['*'] }));\n\
                   const s = new PolicyStatement({ effect: Effect.DENY, actions: ['s3:*'], resources: ['*'] });\n\
                   const t = new PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*'), 'arn:aws:s3:::b/*'] });";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/backend.ts")),
            &facts(true, &[]),
        );
        assert_eq!(found(src, &d), [("security/wildcard-resource", "'*'")]);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].span.start < src.find("Effect.DENY").unwrap_or(0));
    }

    #[test]
    fn fixtures() {
        let owned = |_: &str, file: &str, code: &str| {
            code.starts_with("function/")
                || code == "security/wildcard-resource"
                || (code == "security/hardcoded-secret" && file.contains("functions"))
                || (code == "backend/resource-name" && file.contains("functions"))
        };
        let ran = testkit::check_fixtures(
            check,
            &["function__", "security__", "backend__resource-name"],
            &owned,
            &[
                // the durable-config bounds are shape checks (`shape/out-of-range`), not ours
                "function__durable-config/bad",
                "function__durable-config/bad-2",
                // the synth tool accepts `every 0m` (a zero rate skips Amplify's checks)
                "function__schedule/bad-3",
            ],
        );
        assert!(ran > 30, "{ran}");
    }
}
