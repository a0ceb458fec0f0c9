//! Cross-file references between resources:
//!
//! - `function/not-a-function`: a place that needs a `defineFunction` result (`a.handler.function(x)`,
//!   `allow.resource(x)`, auth and storage triggers, custom senders, `lambdaAuthorizationMode.function`,
//!   `defineData({ functions })`) given another resource or a plain value;
//! - `data/unknown-function`: `a.handler.function('name')` with a name that `defineData({ functions })` lacks;
//! - `backend/not-a-resource`: a `defineBackend` property that is not an Amplify resource;
//! - `backend/not-in-backend`: a resource that `backend.ts` imports but never passes to `defineBackend`.
//!
//! Identifiers are followed to their definition in this file or, through relative imports, in another project
//! file; whatever cannot be followed (package imports, calls of helpers) is left alone.

use super::RuleCtx;
use crate::analysis::navigate::visit;
use crate::analysis::{Diagnostic, Severity};
use crate::model::file::DefineKind;
use crate::model::project::{normalize, plain_value};
use crate::model::value::{Kind, Value};

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let found = find_calls(cx);
    function_slots(cx, &found, out);
    data_functions(cx, &found, out);
    backend_entries(cx, out);
    imported_not_passed(cx, out);
}

/// What a value turns out to be.
#[derive(Debug, Clone, PartialEq)]
enum What {
    Resource(DefineKind),
    /// Certainly not a resource: "a string", "an object"...
    Plain(&'static str),
    Unknown,
}

fn what(cx: &RuleCtx, v: &Value) -> What {
    let Kind::Ident(name) = &v.kind else {
        return plain_value(v).map_or(What::Unknown, What::Plain);
    };
    if let Some(b) = cx.file.binding(name) {
        if let Some(d) = b.define.and_then(|i| cx.file.defines.get(i)) {
            return What::Resource(d.kind);
        }
        return b
            .value
            .as_ref()
            .and_then(plain_value)
            .map_or(What::Unknown, What::Plain);
    }
    let Some((imp, n)) = cx.file.import_of(name) else {
        return What::Unknown;
    };
    if imp.type_only || !imp.source.starts_with('.') || !cx.project.complete {
        return What::Unknown;
    }
    let Some(dir) = cx.path.and_then(std::path::Path::parent) else {
        return What::Unknown;
    };
    let module = normalize(&dir.join(&imp.source));
    if let Some((.., k)) = cx
        .project
        .resource_exports
        .iter()
        .find(|(m, b, _)| *m == module && *b == n.imported)
    {
        return What::Resource(*k);
    }
    match cx
        .project
        .plain_exports
        .iter()
        .find(|(m, b, _)| *m == module && *b == n.imported)
    {
        Some((.., w)) => What::Plain(static_what(w)),
        None => What::Unknown,
    }
}

/// The fixed descriptions of [`plain_value`], back from a project fact.
fn static_what(w: &str) -> &'static str {
    [
        "a string",
        "a number",
        "a boolean",
        "null",
        "undefined",
        "an array",
        "an object",
        "a plain function",
        "a data-schema builder value",
    ]
    .into_iter()
    .find(|s| *s == w)
    .unwrap_or("not an Amplify resource")
}

/// `auth`, `'x'`, `{...}`: how a value is named in a message.
fn shown(cx: &RuleCtx, v: &Value) -> String {
    let t = cx.src.get(v.span.start..v.span.end).unwrap_or("");
    if t.len() > 40 || t.contains('\n') {
        "this value".to_string()
    } else {
        format!("`{t}`")
    }
}

/// A value in a place that needs a function, with the place's description.
fn not_a_function(cx: &RuleCtx, v: &Value, place: &str, severity: Severity) -> Option<Diagnostic> {
    let message = match what(cx, v) {
        // a conversation handler is a Lambda function too: what it is accepted for is not checked here
        What::Resource(DefineKind::Function | DefineKind::ConversationHandler) | What::Unknown => {
            return None
        }
        What::Resource(k) => format!(
            "{} is the `{}` resource, not a `defineFunction`: {place} needs the result of `defineFunction(...)`",
            shown(cx, v),
            k.callee()
        ),
        What::Plain(w) => format!(
            "{} is {w}, not a `defineFunction`: {place} needs the result of `defineFunction(...)`",
            shown(cx, v)
        ),
    };
    Some(Diagnostic::new(
        v.span,
        severity,
        "function/not-a-function",
        message,
    ))
}

/// Whether `v` is a call of a method named `name`: `<something>.name(...)`.
fn is_method_call(v: &Value, name: &str) -> bool {
    matches!(&v.kind, Kind::Call { callee, is_new: false, .. }
        if matches!(&callee.kind, Kind::Member { prop, .. } if prop == name))
}

/// The properties of an object value (through a top-level `const`).
fn as_object<'a>(
    cx: &RuleCtx<'a>,
    v: Option<&'a Value>,
) -> Option<&'a [crate::model::value::Prop]> {
    v.map(|v| cx.file.resolve(v)).and_then(Value::as_object)
}

/// `a.handler.function(x)` with its argument.
fn handler_function_arg(v: &Value) -> Option<&Value> {
    // This runs on every value of the file: reject anything but a call of `.function` before flattening
    // the chain (which allocates, and walks the whole chain again for each of its links).
    if !is_method_call(v, "function") {
        return None;
    }
    let chain = v.chain()?;
    if chain.root != "a" || chain.root_args.is_some() || chain.links.len() != 2 {
        return None;
    }
    let (ns, f) = (&chain.links[0], &chain.links[1]);
    if ns.name != "handler" || ns.args.is_some() || f.name != "function" {
        return None;
    }
    f.args?.first()
}

/// A call the rules of this module check.
enum Call<'a> {
    /// The argument of `a.handler.function(...)`.
    Handler(&'a Value),
    /// A call of a `.resource` member (`allow.resource(x)`).
    Resource(&'a Value),
}

/// What the rules of this module look for in the file's values, found in one walk: the callback parameters, and
/// the [`Call`]s in walk order.
#[derive(Default)]
struct Found<'a> {
    params: Vec<&'a str>,
    calls: Vec<Call<'a>>,
}

fn find_calls<'a>(cx: &RuleCtx<'a>) -> Found<'a> {
    let mut found = Found::default();
    // Both calls are of a `.function` or `.resource` member: no walk when the file has neither, and none of the
    // model entries that hold neither (most of a large schema).
    const CALLED: &[&str] = &["function", "resource"];
    if !CALLED.iter().any(|m| cx.file.has_member(m)) {
        return found;
    }
    let mut walk = |v: &'a Value| {
        collect_params(v, &mut found.params);
        if let Some(arg) = handler_function_arg(v) {
            found.calls.push(Call::Handler(arg));
            return;
        }
        // see `handler_function_arg` for why this test comes first
        if is_method_call(v, "resource") {
            found.calls.push(Call::Resource(v));
        }
    };
    let pruned = cx.file.walk_holding(CALLED, &mut walk);
    // `allow.resource(x)` is recognised by any callback parameter of the file: when one of the calls found is
    // rooted at a name the walk did not meet as a parameter, the entries passed over may hold it (rare: a
    // callback's parameter is in the entry of the calls that use it)
    let unmet = |found: &Found| {
        found.calls.iter().any(|c| match c {
            Call::Resource(v) => resource_call(v).is_some_and(|(r, _)| !found.params.contains(&r)),
            Call::Handler(_) => false,
        })
    };
    if pruned && unmet(&found) {
        found.params.clear();
        for v in cx.file.top_values() {
            visit(v, &mut |v| collect_params(v, &mut found.params));
        }
    }
    found
}

/// Adds the named parameters of `v`, when it is a function.
fn collect_params<'a>(v: &'a Value, params: &mut Vec<&'a str>) {
    if let Some(f) = v.as_func() {
        for p in f.params.iter().filter(|p| !p.is_empty()) {
            if !params.contains(&p.as_str()) {
                params.push(p.as_str());
            }
        }
    }
}

/// The root and first argument of `<root>.resource(...)`, the one shape of a `.resource` call this module
/// reports on.
fn resource_call(v: &Value) -> Option<(&str, Option<&Value>)> {
    let chain = v.chain()?;
    let [link] = chain.links.as_slice() else {
        return None;
    };
    (chain.root_args.is_none() && link.name == "resource")
        .then(|| (chain.root, link.args.and_then(<[Value]>::first)))
}

/// The arguments of `a.handler.function(...)`, in walk order.
fn handler_args<'f, 'a>(found: &'f Found<'a>) -> impl Iterator<Item = &'a Value> + 'f {
    found.calls.iter().filter_map(|c| match c {
        Call::Handler(arg) => Some(*arg),
        Call::Resource(_) => None,
    })
}

fn function_slots(cx: &RuleCtx, found: &Found, out: &mut Vec<Diagnostic>) {
    // callback parameters (`allow`), so that `allow.resource(x)` is recognised whatever its name
    let params = &found.params;
    for call in &found.calls {
        match *call {
            Call::Handler(arg) => {
                if arg.as_str().is_none() {
                    out.extend(not_a_function(
                        cx,
                        arg,
                        "`a.handler.function(...)`",
                        Severity::Error,
                    ));
                }
            }
            // only `allow.resource(x)` reports
            Call::Resource(v) => {
                if let Some((root, Some(arg))) = resource_call(v) {
                    if params.contains(&root) {
                        out.extend(not_a_function(
                            cx,
                            arg,
                            "`allow.resource(...)`",
                            Severity::Error,
                        ));
                    }
                }
            }
        }
    }
    for d in &cx.file.defines {
        let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) else {
            continue;
        };
        match d.kind {
            DefineKind::Auth | DefineKind::Storage => {
                for p in as_object(cx, arg.field("triggers")).unwrap_or(&[]) {
                    let Some(k) = &p.key else { continue };
                    let place = format!("the `{k}` trigger");
                    out.extend(not_a_function(cx, &p.value, &place, Severity::Error));
                }
                if d.kind == DefineKind::Auth {
                    for p in as_object(cx, arg.field("senders")).unwrap_or(&[]) {
                        let Some(k) = &p.key else { continue };
                        if let Some(h) = cx.file.resolve(&p.value).field("handler") {
                            let place = format!("the `{k}` sender's `handler`");
                            out.extend(not_a_function(cx, h, &place, Severity::Error));
                        }
                    }
                }
            }
            DefineKind::Data => {
                let lambda = arg
                    .field("authorizationModes")
                    .map(|m| cx.file.resolve(m))
                    .and_then(|m| m.field("lambdaAuthorizationMode"))
                    .map(|m| cx.file.resolve(m))
                    .and_then(|m| m.field("function"));
                if let Some(f) = lambda {
                    out.extend(not_a_function(
                        cx,
                        f,
                        "`lambdaAuthorizationMode.function`",
                        Severity::Error,
                    ));
                }
                // a `functions` entry only fails when a handler uses it
                let used: Vec<&str> = handler_args(found).filter_map(Value::as_str).collect();
                for p in as_object(cx, arg.field("functions")).unwrap_or(&[]) {
                    let Some(k) = &p.key else { continue };
                    let is_used = used.contains(&k.as_str());
                    let place = if is_used {
                        format!("`a.handler.function('{k}')`")
                    } else {
                        format!(
                            "a `functions` entry (Amplify fails as soon as `a.handler.function('{k}')` uses it)"
                        )
                    };
                    let severity = if is_used {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    out.extend(not_a_function(cx, &p.value, &place, severity));
                }
            }
            _ => {}
        }
    }
}

/// `a.handler.function('name')` whose name is not a `defineData({ functions })` key.
fn data_functions(cx: &RuleCtx, found: &Found, out: &mut Vec<Diagnostic>) {
    let p = cx.project;
    if !p.complete || p.data.is_none() || p.data_functions_unknown {
        return;
    }
    for arg in handler_args(found) {
        let Some(name) = arg.as_str() else { continue };
        if p.data_function_keys.iter().any(|k| k == name) {
            continue;
        }
        let known = if p.data_function_keys.is_empty() {
            "`defineData` has no `functions`".to_string()
        } else {
            format!(
                "`defineData({{ functions }})` has {}",
                p.data_function_keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let key = crate::analysis::actions::object_key(name, '\'');
        out.push(Diagnostic::new(
            arg.span,
            Severity::Warning,
            "data/unknown-function",
            format!(
                "`{name}` is not a key of `defineData({{ functions }})` ({known}): Amplify then takes it as the \
                 name of a Lambda function that already exists in the account, and deploying fails if there \
                 is none. To use a function of this backend, add `functions: {{ {key}: myFunction }}` to \
                 `defineData` or pass the function itself: `a.handler.function(myFunction)`"
            ),
        ));
    }
}

/// `defineBackend({ key: value })` where the value is not an Amplify resource.
fn backend_entries(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Backend)
    {
        let Some(props) = d
            .arg
            .as_ref()
            .map(|a| cx.file.resolve(a))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for p in props {
            let Some(key) = &p.key else { continue };
            let is = match what(cx, &p.value) {
                What::Resource(DefineKind::Backend) => "the result of `defineBackend`".to_string(),
                What::Resource(_) | What::Unknown => continue,
                What::Plain(w) => w.to_string(),
            };
            out.push(Diagnostic::new(
                p.value.span,
                Severity::Error,
                "backend/not-a-resource",
                format!(
                    "`{key}` is {is}, not an Amplify resource: `defineBackend` only takes the results of \
                     `defineAuth`, `defineData`, `defineStorage`, `defineFunction` (and other resource factories); \
                     Amplify fails with \"getInstance is not a function\""
                ),
            ));
        }
    }
}

/// A resource of this file that `backend.ts` imports but never passes to `defineBackend` (and no other file
/// imports, so nothing else makes it part of the backend).
fn imported_not_passed(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let p = cx.project;
    let (Some(path), true, Some(idents)) = (cx.path, p.complete, p.backend_idents.as_ref()) else {
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
        let locals: Vec<&str> = p
            .backend_imports
            .iter()
            .filter(|(m, n, _)| *m == me && n == name)
            .map(|(.., l)| l.as_str())
            .collect();
        if locals.is_empty() || locals.iter().any(|l| idents.iter().any(|i| i == l)) {
            continue;
        }
        let importers = p
            .imported
            .iter()
            .filter(|(m, n)| *m == me && n == name)
            .count();
        if importers > locals.len() || used_locally(cx.src, name, d.call_span.end) {
            continue;
        }
        let span = cx.file.define_name_span(i).unwrap_or(d.callee_span);
        out.push(Diagnostic::new(
            span,
            Severity::Warning,
            "backend/not-in-backend",
            format!(
                "`{name}` is imported in the backend file but not passed to `defineBackend`, so it will not be \
                 deployed: add it to `defineBackend({{ ... }})`"
            ),
        ));
    }
}

/// Whether `name` appears as an identifier in `src` after `from`.
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
    use super::*;
    use crate::model::file::FileModel;
    use crate::model::project::{ProjectFacts, Summary};
    use crate::syntax::{parse, Lang};
    use std::path::{Path, PathBuf};

    #[test]
    fn calls_in_long_entries_are_found_where_others_are_passed_over() {
        use super::super::testkit::{found, run_cached};
        // long models (cached entries, passed over when they hold neither `.function` nor `.resource`)
        let model = |n: usize, rules: &str| {
            format!(
                "M{n}: a.model({{ title: a.string().required(), body: a.string(), rating: a.integer(), \
                 tags: a.string().array(), ownerId: a.id(), more: a.string(), publishedAt: a.datetime(), \
                 views: a.integer().default(0) }}).authorization({rules}), "
            )
        };
        let plain = |n: usize| model(n, "(allow) => [allow.owner(), allow.authenticated()]");
        let long = (0..3).map(plain).collect::<String>();
        let schema = |middle: &str| format!("const schema = a.schema({{ {long}{middle}{long} }});");
        let facts = ProjectFacts::default();
        // in an entry of their own
        let src = schema(&format!(
            "{}q: a.query().returns(a.string()).handler(a.handler.function(42)), ",
            model(7, "(allow) => [allow.resource('fn')]")
        ));
        let d = run_cached(check, &src, &facts);
        assert_eq!(
            found(&src, &d),
            [
                ("function/not-a-function", "'fn'"),
                ("function/not-a-function", "42")
            ]
        );
        // `allow` is a parameter of the entries passed over only: still recognised
        let src = schema(&model(8, "(rule) => [allow.resource('fn')]"));
        let d = run_cached(check, &src, &facts);
        assert_eq!(found(&src, &d), [("function/not-a-function", "'fn'")]);
        // a root that is no parameter anywhere is not `allow`
        let src = schema(&model(9, "(rule) => [other.resource('fn')]"));
        assert!(run_cached(check, &src, &facts).is_empty());
    }

    struct F {
        path: &'static str,
        src: &'static str,
    }

    fn model(src: &str) -> FileModel {
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        FileModel::build(&tree, src, Lang::TypeScript)
    }

    /// Diagnostics of the first file, with the others as the rest of the project.
    fn run(files: &[F]) -> Vec<Diagnostic> {
        let summaries: Vec<Summary> = files
            .iter()
            .map(|f| {
                let mut s = Summary::of(&model(f.src));
                s.path = Some(PathBuf::from(f.path));
                s
            })
            .collect();
        let facts = ProjectFacts::from_summaries(Some(PathBuf::from("/p")), summaries.iter());
        let file = model(files[0].src);
        let cx = RuleCtx {
            src: files[0].src,
            file: &file,
            path: Some(Path::new(files[0].path)),
            project: &facts,
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out
    }

    fn codes(d: &[Diagnostic], src: &str) -> Vec<(&'static str, String)> {
        d.iter()
            .map(|d| (d.code, src[d.span.start..d.span.end].to_string()))
            .collect()
    }

    const AUTH: F = F {
        path: "/p/amplify/auth/resource.ts",
        src: "export const auth = defineAuth({ loginWith: { email: true } });\nexport const NAME = 'x';",
    };
    const FN: F = F {
        path: "/p/amplify/functions/f/resource.ts",
        src: "export const fn1 = defineFunction({});",
    };

    const DATA_SRC: &str = "import { auth, NAME } from '../auth/resource';\nimport { fn1 } from '../functions/f/resource';\nimport { ext } from 'some-package';\n\
        const schema = a.schema({\n  q: a.query().handler(a.handler.function(auth)),\n  r: a.query().handler([a.handler.function(fn1), a.handler.function(ext)]),\n\
        }).authorization((allow) => [allow.resource(NAME), allow.resource(fn1)]);\n\
        export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'lambda', lambdaAuthorizationMode: { function: 'fn' } },\n  functions: { used: auth, unused: { x: 1 }, ok: fn1 } });\n\
        const s2 = a.schema({ u: a.query().handler(a.handler.function('used')) });";

    #[test]
    fn function_places_given_other_resources_or_values() {
        let data = F {
            path: "/p/amplify/data/resource.ts",
            src: DATA_SRC,
        };
        let d = run(&[data, AUTH, FN]);
        let got = codes(&d, DATA_SRC);
        assert_eq!(
            got,
            [
                ("function/not-a-function", "auth".to_string()),
                ("function/not-a-function", "NAME".to_string()),
                ("function/not-a-function", "'fn'".to_string()),
                ("function/not-a-function", "auth".to_string()),
                ("function/not-a-function", "{ x: 1 }".to_string()),
            ]
        );
        assert!(d[0].message.contains("`defineAuth` resource"));
        assert!(d[1].message.contains("a string"));
        assert_eq!(d[3].severity, Severity::Error, "used by a handler");
        assert_eq!(d[4].severity, Severity::Warning, "unused entry");
    }

    #[test]
    fn triggers_senders_and_storage_access() {
        let auth = F {
            path: "/p/amplify/auth/resource.ts",
            src: "import { storage } from '../storage/resource';\nimport { fn1 } from '../functions/f/resource';\n\
                  export const auth = defineAuth({ loginWith: { email: true }, triggers: { preSignUp: storage, postConfirmation: fn1 },\n\
                  senders: { email: { handler: 'x' } }, access: (allow) => [allow.resource(storage).to(['listUsers'])] });",
        };
        let storage = F {
            path: "/p/amplify/storage/resource.ts",
            src: "import { auth } from '../auth/resource';\nexport const storage = defineStorage({ name: 's', triggers: { onUpload: auth },\n\
                  access: (allow) => ({ 'a/*': [allow.resource(auth).to(['read'])] }) });",
        };
        let d = run(&[
            F {
                path: auth.path,
                src: auth.src,
            },
            F {
                path: storage.path,
                src: storage.src,
            },
            FN,
        ]);
        let got: Vec<String> = codes(&d, auth.src).into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, ["storage", "storage", "'x'"]);
        let d = run(&[storage, auth, FN]);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.code == "function/not-a-function"));
    }

    #[test]
    fn unknown_data_function_names() {
        let data = F {
            path: "/p/amplify/data/resource.ts",
            src: "const schema = a.schema({ q: a.query().handler(a.handler.function('greeter')), r: a.query().handler(a.handler.function('missing')) });\n\
                  export const data = defineData({ schema, functions: { greeter: fn1 } });",
        };
        let d = run(&[data]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "data/unknown-function");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("`greeter`"));
        assert!(d[0]
            .message
            .contains("`functions: { missing: myFunction }`"));
        // a name that is not an identifier is suggested as a quoted key
        let data = F {
            path: "/p/amplify/data/resource.ts",
            src: "const schema = a.schema({ r: a.query().handler(a.handler.function('roster-architect')) });\n\
                  export const data = defineData({ schema, functions: { greeter: fn1 } });",
        };
        let d = run(&[data]);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("`functions: { 'roster-architect': myFunction }`"),
            "{}",
            d[0].message
        );
        // functions given through a variable: unknown keys, no warning
        let data = F {
            path: "/p/amplify/data/resource.ts",
            src: "const fns = { greeter: fn1 };\nconst schema = a.schema({ r: a.query().handler(a.handler.function('missing')) });\n\
                  export const data = defineData({ schema, functions: fns });",
        };
        assert!(run(&[data]).is_empty());
    }

    #[test]
    fn backend_properties_that_are_not_resources() {
        let backend = F {
            path: "/p/amplify/backend.ts",
            src: "import { auth, NAME } from './auth/resource';\nimport { fn1 } from './functions/f/resource';\nimport { thing } from 'pkg';\n\
                  const local = { a: 1 };\nconst backend = defineBackend({ auth, fn1, thing, name: NAME, local, literal: 'x', nested: defineFunction({}) });",
        };
        let d = run(&[backend, AUTH, FN]);
        let src = "import { auth, NAME } from './auth/resource';\nimport { fn1 } from './functions/f/resource';\nimport { thing } from 'pkg';\n\
                   const local = { a: 1 };\nconst backend = defineBackend({ auth, fn1, thing, name: NAME, local, literal: 'x', nested: defineFunction({}) });";
        let got: Vec<String> = codes(&d, src).into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, ["NAME", "local", "'x'"]);
        assert!(d.iter().all(|d| d.code == "backend/not-a-resource"));
    }

    #[test]
    fn imported_by_backend_but_not_passed() {
        let backend = |props: &'static str| F {
            path: "/p/amplify/backend.ts",
            src: props,
        };
        let storage = F {
            path: "/p/amplify/storage/resource.ts",
            src: "export const storage = defineStorage({ name: 's' });",
        };
        let without = backend("import { auth } from './auth/resource';\nimport { storage } from './storage/resource';\ndefineBackend({ auth });");
        let d = run(&[
            F {
                path: storage.path,
                src: storage.src,
            },
            without,
            AUTH,
        ]);
        assert_eq!(
            codes(&d, storage.src),
            [("backend/not-in-backend", "storage".to_string())]
        );
        let with = backend("import { auth } from './auth/resource';\nimport { storage as s } from './storage/resource';\ndefineBackend({ auth, storage: s });");
        assert!(run(&[storage, with, AUTH]).is_empty());
    }

    const CHAT: F = F {
        path: "/p/amplify/functions/chat/resource.ts",
        src: "import { defineConversationHandlerFunction } from '@aws-amplify/backend-ai/conversation';\n\
              export const chatHandler = defineConversationHandlerFunction({ name: 'chat', entry: './handler.ts', models: [] });",
    };

    #[test]
    fn conversation_handlers_are_function_resources() {
        // passed to defineBackend: a resource, not "not a resource"
        let backend = F {
            path: "/p/amplify/backend.ts",
            src: "import { auth } from './auth/resource';\nimport { chatHandler } from './functions/chat/resource';\n\
                  defineBackend({ auth, chatHandler, chat: chatHandler });",
        };
        assert!(run(&[backend, AUTH, CHAT]).is_empty());
        // imported by backend.ts but not passed: not in the backend
        let backend = F {
            path: "/p/amplify/backend.ts",
            src: "import { auth } from './auth/resource';\nimport { chatHandler } from './functions/chat/resource';\n\
                  defineBackend({ auth });",
        };
        let d = run(&[CHAT, backend, AUTH]);
        assert_eq!(
            codes(&d, CHAT.src),
            [("backend/not-in-backend", "chatHandler".to_string())]
        );
        // where a function is needed, a conversation handler is not reported
        let data = F {
            path: "/p/amplify/data/resource.ts",
            src: "import { chatHandler } from '../functions/chat/resource';\n\
                  const schema = a.schema({ chat: a.conversation({ aiModel: a.ai.model('Claude 3 Haiku'), systemPrompt: 'hi', handler: chatHandler }).authorization((allow) => allow.owner()) });\n\
                  export const data = defineData({ schema, functions: { chat: chatHandler } });",
        };
        assert!(run(&[data, CHAT]).is_empty());
    }
}
