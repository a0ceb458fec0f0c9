//! Shape rules, driven by the catalog: unknown properties, wrong kinds of values, literals outside their set,
//! numbers out of bounds or fractional, missing required properties, duplicate keys. Values we cannot know
//! (identifiers, calls, spreads, templates with substitutions) are never guessed at.

use super::validators::did_you_mean;
use super::RuleCtx;
use crate::analysis::{Diagnostic, Severity};
use crate::model::catalog::{self, Enforced, NumRule, ObjTy, Prop, Ty};
use crate::model::mentions::Word;
use crate::model::value::{Kind, Prop as ValueProp, Value};
use crate::text::Span;

/// How deep the checker follows nested objects.
const MAX_DEPTH: usize = 32;

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in &cx.file.defines {
        let Some(call) = catalog::call(d.kind.callee()) else {
            continue;
        };
        let Some(ty) = call.arg else { continue };
        match &d.arg {
            Some(arg) => {
                let arg = cx.file.resolve(arg);
                let mut c = Checker {
                    out,
                    root: call.name,
                };
                c.value(arg, &ty, None, d.callee_span, 0);
            }
            None if !call.arg_optional => out.push(Diagnostic::new(
                d.callee_span,
                Severity::Error,
                "shape/missing-required",
                format!(
                    "`{}` needs an argument: `{}({{ ... }})`",
                    call.name, call.name
                ),
            )),
            None => {}
        }
    }
    check_builder_args(cx, out);
}

/// The object arguments of calls the file model does not list as defines: `defineConversationHandlerFunction`
/// and the schema-builder calls of [`catalog::BUILDER_ARGS`] (`a.conversation({...})`, ...), wherever they sit in
/// the file's bindings and define arguments.
fn check_builder_args(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    // The builder calls are members (`a.conversation`), and the other calls are named by identifiers
    // (`configure`, `defineConversationHandlerFunction`). When the text names none of the latter, an entry of the
    // lowering cache (a model of a large schema) that holds none of the members holds nothing to check, and the
    // scan passes over it without touching its values.
    let prunable =
        !cx.file.mentions.has(Word::Configure) && !cx.file.mentions.has(Word::BackendAiCall);
    let skip = |p: &ValueProp| prunable && cx.file.holds_no_member(p, &begins_builder_call);
    let mut found = Vec::new();
    for b in &cx.file.bindings {
        if let Some(v) = &b.value {
            scan(v, 0, &skip, &mut found);
        }
    }
    for d in &cx.file.defines {
        if let Some(arg) = &d.arg {
            scan(arg, 0, &skip, &mut found);
        }
    }
    // `configure` only when it is Amplify's (`@aws-amplify/data-schema/internals`)
    let amplify_configure = cx.file.imports.iter().any(|i| {
        i.source.starts_with("@aws-amplify/data-schema")
            && i.names
                .iter()
                .any(|n| n.imported == "configure" && n.local == "configure")
    });
    found.retain(|f| f.0 != "configure" || amplify_configure);
    for (root, ty, arg, anchor) in found {
        let mut diags = Vec::new();
        let mut c = Checker {
            out: &mut diags,
            root,
        };
        c.value(arg, &ty, None, anchor, 0);
        if root.starts_with("a.") {
            // the bounds of `inferenceConfiguration` are data/ai-config's; the rest of these shapes only the
            // types check (a string `temperature` is not known to fail the synth), so they are warnings
            diags.retain(|d| !matches!(d.code, "shape/out-of-range" | "shape/not-integer"));
            for d in &mut diags {
                d.severity = Severity::Warning;
            }
        }
        out.extend(diags);
    }
}

type Found<'v> = (&'static str, Ty, &'v Value, Span);

/// Whether `dotted` (`a.conversation`) is `root` followed by the names of `links`.
fn names_chain(dotted: &str, root: &str, links: &[crate::model::value::Link]) -> bool {
    let mut parts = dotted.split('.');
    parts.next() == Some(root)
        && links.iter().all(|l| parts.next() == Some(l.name))
        && parts.next().is_none()
}

/// Whether a builder call of [`catalog::BUILDER_ARGS`] rooted at `a` has `name` as its first link
/// (`conversation` of `a.conversation`). Asked of every member name of every model of a schema on every
/// keystroke: the first links are worked out once.
fn begins_builder_call(name: &str) -> bool {
    static FIRST_LINKS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    FIRST_LINKS
        .get_or_init(|| {
            let mut links: Vec<&'static str> = catalog::BUILDER_ARGS
                .iter()
                .filter_map(|b| b.chain.strip_prefix("a.")?.split('.').next())
                .collect();
            links.dedup();
            links
        })
        .contains(&name)
}

/// Collects the described call arguments inside `v`.
fn scan<'v>(
    v: &'v Value,
    depth: usize,
    skip: &dyn Fn(&ValueProp) -> bool,
    found: &mut Vec<Found<'v>>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if matches!(v.kind, Kind::Call { .. }) {
        if let Some(chain) = v.chain() {
            if let Some(args) = chain.root_args {
                if let Some(call) =
                    catalog::call(chain.root).filter(|c| c.module == catalog::ai::BACKEND_AI)
                {
                    if let (Some(ty), Some(arg)) = (call.arg, args.first()) {
                        found.push((call.name, ty, arg, chain.root_span));
                    }
                }
                // `configure({ database })` of a generated SQL schema
                if chain.root == "configure" {
                    let known = catalog::BUILDER_ARGS
                        .iter()
                        .find(|b| b.chain == "configure");
                    if let (Some(b), Some(arg)) = (known, args.first()) {
                        found.push((b.chain, b.ty, arg, chain.root_span));
                    }
                }
            }
            // most chains of a schema (`a.string().required()`) start with a link no builder call begins with
            if chain.root == "a"
                && chain
                    .links
                    .first()
                    .is_some_and(|l| begins_builder_call(l.name))
            {
                for (i, link) in chain.links.iter().enumerate() {
                    let Some(args) = link.args else { continue };
                    // the builder call named by the chain up to this link (`a.conversation`), compared link by
                    // link: this runs on every chain of a schema
                    let known = catalog::BUILDER_ARGS
                        .iter()
                        .find(|b| names_chain(b.chain, chain.root, &chain.links[..=i]));
                    if let (Some(b), Some(arg)) = (known, args.first()) {
                        found.push((b.chain, b.ty, arg, link.name_span));
                    }
                }
            }
            // then what the arguments hold, in order
            for c in chain.root_args.into_iter().flatten() {
                scan(c, depth + 1, skip, found);
            }
            for args in chain.links.iter().filter_map(|l| l.args) {
                for c in args {
                    scan(c, depth + 1, skip, found);
                }
            }
            return;
        }
    }
    match &v.kind {
        Kind::Call { callee, args, .. } => {
            scan(callee, depth + 1, skip, found);
            for a in args.iter() {
                scan(a, depth + 1, skip, found);
            }
        }
        Kind::Object(props) => {
            for p in props.iter().filter(|p| !skip(p)) {
                scan(&p.value, depth + 1, skip, found);
            }
        }
        Kind::Array(items) => {
            for i in items.iter() {
                scan(i, depth + 1, skip, found);
            }
        }
        Kind::Member { object, .. } => scan(object, depth + 1, skip, found),
        Kind::Spread(inner) => scan(inner, depth + 1, skip, found),
        _ => {}
    }
}

struct Checker<'o> {
    out: &'o mut Vec<Diagnostic>,
    root: &'static str,
}

fn severity(prop: Option<&Prop>) -> Severity {
    match prop.map(|p| p.enforced) {
        Some(Enforced::Synth) => Severity::Error,
        _ => Severity::Warning,
    }
}

/// A short name of a value's kind, for messages.
fn kind_name(v: &Value) -> &'static str {
    match v.kind {
        Kind::Str(_) | Kind::Template => "a string",
        Kind::Num(_) => "a number",
        Kind::Bool(_) => "a boolean",
        Kind::Null => "null",
        Kind::Undefined => "undefined",
        Kind::Array(_) => "an array",
        Kind::Object(_) => "an object",
        Kind::Func(_) => "a function",
        _ => "this value",
    }
}

/// Whether a value is something we can judge (a literal, a function, or `secret()`).
fn knowable(v: &Value) -> bool {
    matches!(
        v.kind,
        Kind::Str(_)
            | Kind::Num(_)
            | Kind::Bool(_)
            | Kind::Null
            | Kind::Array(_)
            | Kind::Object(_)
            | Kind::Func(_)
    ) || v.is_secret_call()
}

/// Whether type `ty` accepts the *kind* of value `v` (not checking literals or bounds).
fn kind_fits(v: &Value, ty: &Ty) -> bool {
    match ty {
        Ty::Any => true,
        Ty::Str | Ty::StrLit(_) => matches!(v.kind, Kind::Str(_) | Kind::Template),
        Ty::Num(_) | Ty::NumLit(_) => matches!(v.kind, Kind::Num(_)),
        Ty::Bool => matches!(v.kind, Kind::Bool(_)),
        Ty::Secret => v.is_secret_call() || matches!(v.kind, Kind::Str(_) | Kind::Template),
        Ty::Func => matches!(v.kind, Kind::Func(_)),
        Ty::Resource => !matches!(
            v.kind,
            Kind::Str(_)
                | Kind::Num(_)
                | Kind::Bool(_)
                | Kind::Array(_)
                | Kind::Object(_)
                | Kind::Null
        ),
        Ty::Schema => matches!(
            v.kind,
            Kind::Str(_) | Kind::Template | Kind::Call { .. } | Kind::Ident(_)
        ),
        Ty::Obj(_) => matches!(v.kind, Kind::Object(_)),
        Ty::Arr(_) => matches!(v.kind, Kind::Array(_)),
        Ty::OneOf(opts) => opts.iter().any(|t| kind_fits(v, t)),
    }
}

impl Checker<'_> {
    fn push(&mut self, span: Span, sev: Severity, code: &'static str, msg: String) {
        self.out.push(Diagnostic::new(span, sev, code, msg));
    }

    fn value(&mut self, v: &Value, ty: &Ty, prop: Option<&Prop>, anchor: Span, depth: usize) {
        if depth > MAX_DEPTH || !knowable(v) {
            return;
        }
        let sev = severity(prop);
        let what = prop.map_or(self.root, |p| p.name);
        if !kind_fits(v, ty) {
            // A plain string where a secret is required is reported by the security rules.
            self.push(
                v.span,
                sev,
                "shape/wrong-type",
                format!(
                    "`{what}` expects {}, not {}",
                    catalog::ty_label(ty),
                    kind_name(v)
                ),
            );
            return;
        }
        match ty {
            Ty::StrLit(values) => {
                if let Kind::Str(s) = &v.kind {
                    if !values.contains(&s.as_str()) {
                        let hint = did_you_mean(s, values)
                            .map(|m| format!(" Did you mean '{m}'?"))
                            .unwrap_or_default();
                        self.push(
                            v.span,
                            sev,
                            "shape/invalid-literal",
                            format!(
                                "'{s}' is not a valid `{what}`: use one of {}.{hint}",
                                catalog::ty_label(ty)
                            ),
                        );
                    }
                }
            }
            Ty::NumLit(values) => {
                if let Kind::Num(n) = v.kind {
                    if !values.iter().any(|x| *x as f64 == n) {
                        self.push(
                            v.span,
                            sev,
                            "shape/invalid-literal",
                            format!(
                                "{n} is not a valid `{what}`: use one of {}",
                                catalog::ty_label(ty)
                            ),
                        );
                    }
                }
            }
            Ty::Num(rule) => {
                if let Kind::Num(n) = v.kind {
                    self.number(n, rule, v.span, what, sev);
                }
            }
            Ty::Obj(obj) => self.object(v, obj, anchor, depth, what),
            Ty::Arr(inner) => {
                if let Some(items) = v.as_array() {
                    for item in items {
                        self.value(item, inner, prop, item.span, depth + 1);
                    }
                }
            }
            Ty::OneOf(opts) => {
                // Check against the options whose kind fits; a literal must satisfy one of them.
                let fitting: Vec<&Ty> = opts.iter().filter(|t| kind_fits(v, t)).collect();
                if fitting.len() == 1 {
                    self.value(v, fitting[0], prop, anchor, depth + 1);
                } else if let Some(t) = fitting
                    .iter()
                    .find(|t| matches!(t, Ty::Obj(_) | Ty::Arr(_)))
                {
                    self.value(v, t, prop, anchor, depth + 1);
                } else if let Kind::Str(s) = &v.kind {
                    // several string options: fine if any accepts the literal
                    let ok = fitting.iter().any(|t| match t {
                        Ty::StrLit(vals) => vals.contains(&s.as_str()),
                        _ => true,
                    });
                    if !ok {
                        self.push(
                            v.span,
                            sev,
                            "shape/invalid-literal",
                            format!(
                                "'{s}' is not a valid `{what}`: use one of {}",
                                catalog::ty_label(ty)
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn number(&mut self, n: f64, rule: &NumRule, span: Span, what: &str, sev: Severity) {
        let bounds = match (rule.min, rule.max) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        if rule.min.is_some_and(|m| n < m) || rule.max.is_some_and(|m| n > m) {
            self.push(
                span,
                sev,
                "shape/out-of-range",
                format!(
                    "`{what}` must be {bounds}{}; {n} is out of range",
                    if rule.integer {
                        " (a whole number)"
                    } else {
                        ""
                    }
                ),
            );
        } else if rule.integer && n.fract() != 0.0 {
            self.push(
                span,
                sev,
                "shape/not-integer",
                format!("`{what}` must be a whole number; {n} has a fractional part"),
            );
        }
    }

    fn object(&mut self, v: &Value, obj: &ObjTy, anchor: Span, depth: usize, parent: &str) {
        let Some(props) = v.as_object() else { return };
        // Required properties that are absent; an unknown key that is a near miss of one of them is the real
        // problem (`loginwith` for `loginWith`), so it is reported as the error instead of the absence.
        let mut missing: Vec<&'static str> = if v.has_spread() {
            Vec::new()
        } else {
            obj.props
                .iter()
                .filter(|r| r.required && !props.iter().any(|p| p.key.as_deref() == Some(r.name)))
                .map(|r| r.name)
                .collect()
        };
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for p in props {
            let Some(key) = p.key.as_deref() else {
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                let mut d = Diagnostic::new(
                    p.key_span,
                    Severity::Warning,
                    "shape/duplicate-property",
                    format!("`{key}` is set twice; the last one wins"),
                );
                d.related.push(crate::analysis::Related {
                    uri: None,
                    span: *first,
                    message: "first set here".into(),
                });
                self.out.push(d);
            }
            seen.push((key, p.key_span));
            match catalog::prop(obj, key) {
                Some(known) => self.value(&p.value, &known.ty, Some(known), p.key_span, depth + 1),
                None => match obj.extra {
                    Some(extra) if (extra.key_ok)(key) => {
                        self.value(&p.value, extra.value, None, p.key_span, depth + 1);
                    }
                    // A free-form record (environment, layers...): key rules are semantic rules' business.
                    Some(_) if obj.props.is_empty() && self.root != "defineBackend" => {}
                    _ => {
                        if let Some(fixed) = self.unknown(key, p.key_span, obj, parent, &missing) {
                            missing.retain(|m| *m != fixed);
                        }
                    }
                },
            }
        }
        if v.has_spread() {
            return;
        }
        for req in obj.props.iter().filter(|p| p.required) {
            if missing.contains(&req.name) {
                let span = if anchor.is_empty() {
                    Span::new(v.span.start, v.span.start + 1)
                } else {
                    anchor
                };
                self.push(
                    span,
                    severity(Some(req)),
                    "shape/missing-required",
                    format!("`{}` is required here: {}", req.name, req.doc.summary),
                );
            }
        }
    }

    /// Reports an unknown key. Returns the missing required property it misspells, if any: that one is
    /// reported here, as an error, instead of as missing.
    fn unknown(
        &mut self,
        key: &str,
        span: Span,
        obj: &ObjTy,
        parent: &str,
        missing: &[&'static str],
    ) -> Option<&'static str> {
        if self.root == "defineBackend" && catalog::backend::RESERVED_KEYS.contains(&key) {
            self.push(
                span,
                Severity::Warning,
                "backend/reserved-key",
                format!("`{key}` is a member of the backend object itself; give this resource another name"),
            );
            return None;
        }
        let names: Vec<&str> = obj.props.iter().map(|p| p.name).collect();
        let close = did_you_mean(key, &names);
        if let Some(req) = close.and_then(|m| missing.iter().find(|r| **r == m)) {
            let prop = catalog::prop(obj, req);
            self.push(
                span,
                severity(prop),
                "shape/unknown-property",
                format!(
                    "Unknown property `{key}`. Did you mean `{req}`? `{req}` is required, and this misspelt key \
                     does not set it."
                ),
            );
            return Some(req);
        }
        let hint = close
            .map(|m| format!(" Did you mean `{m}`?"))
            .unwrap_or_default();
        let known = if names.is_empty() {
            String::new()
        } else {
            format!(" Known properties: {}.", names.join(", "))
        };
        let msg = if hint.is_empty() {
            format!("`{parent}` does not accept `{key}`; Amplify ignores it.{known}")
        } else {
            format!("Unknown property `{key}`.{hint}")
        };
        self.push(span, Severity::Warning, "shape/unknown-property", msg);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::run_with;
    use super::*;
    use crate::model::project::ProjectFacts;

    #[test]
    fn the_first_links_of_the_builder_calls_are_known() {
        for name in ["conversation", "generation", "ai", "handler"] {
            assert!(begins_builder_call(name), "{name}");
        }
        // `configure` is not rooted at `a`; `dataTool` is a second link
        for name in ["model", "string", "configure", "dataTool", "a", ""] {
            assert!(!begins_builder_call(name), "{name}");
        }
    }

    fn run(src: &str) -> Vec<Diagnostic> {
        run_with(check, src, None, &ProjectFacts::default())
    }

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn function_numbers() {
        let src = "defineFunction({ timeoutSeconds: 901, memoryMB: 127.5, ephemeralStorageSizeMB: 600.5, runtime: 16 })";
        let d = run(src);
        assert_eq!(
            codes(&d),
            [
                "shape/out-of-range",
                "shape/out-of-range",
                "shape/not-integer",
                "shape/invalid-literal"
            ]
        );
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert_eq!(&src[d[0].span.start..d[0].span.end], "901");
        assert!(
            run("defineFunction({ timeoutSeconds: 900, memoryMB: 128, runtime: 22 })").is_empty()
        );
    }

    #[test]
    fn unknown_properties_with_did_you_mean() {
        let src = "defineAuth({ loginwith: { email: true } })";
        let d = run(src);
        assert!(codes(&d).contains(&"shape/unknown-property"), "{d:?}");
        let u = d
            .iter()
            .find(|d| d.code == "shape/unknown-property")
            .expect("unknown");
        assert!(u.message.contains("loginWith"), "{}", u.message);
        assert_eq!(&src[u.span.start..u.span.end], "loginwith");
        // the typo of a required key is the one error; nothing is reported missing on the call
        assert_eq!(codes(&d), ["shape/unknown-property"], "{d:?}");
        assert_eq!(u.severity, Severity::Error);
        assert!(
            u.message.contains("Did you mean `loginWith`?"),
            "{}",
            u.message
        );

        // a typo of an optional key stays a warning, and a required key missing besides it is still reported
        let d = run("defineStorage({ isDefalt: true })");
        assert_eq!(
            codes(&d),
            ["shape/unknown-property", "shape/missing-required"],
            "{d:?}"
        );
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[1].severity, Severity::Error);
        // the typo of a required key next to the real key: the key is present, the typo is only a warning
        let d = run("defineStorage({ name: 'x', nme: 'y' })");
        assert_eq!(codes(&d), ["shape/unknown-property"]);
        assert_eq!(d[0].severity, Severity::Warning);
        // nested: a typo of a required key of an inner object
        let d = run("defineAuth({ loginWith: { email: true, externalProviders: { callbackUrl: ['x'], logoutUrls: ['y'] } } })");
        assert_eq!(codes(&d), ["shape/unknown-property"], "{d:?}");
        assert!(d[0].message.contains("`callbackUrls`"), "{}", d[0].message);
    }

    #[test]
    fn literals_and_kinds() {
        let d = run("defineFunction({ architecture: 'arm', bundling: { minify: 'yes' } })");
        assert_eq!(codes(&d), ["shape/invalid-literal", "shape/wrong-type"]);
        let d = run("defineStorage({ name: 'x', isDefault: true, isDefault: false })");
        assert_eq!(codes(&d), ["shape/duplicate-property"]);
        assert_eq!(d[0].related.len(), 1);
    }

    #[test]
    fn unknowable_values_are_left_alone() {
        assert!(
            run("defineFunction({ timeoutSeconds: TIMEOUT, runtime: cfg.runtime, ...rest })")
                .is_empty()
        );
        assert!(run("defineStorage({ ...common })").is_empty());
        assert!(run("defineFunction({ name: `fn-${stage}` })").is_empty());
    }

    #[test]
    fn builder_arguments_inside_long_entries_are_found_where_others_are_passed_over() {
        use super::super::testkit::run_cached;
        // long models (cached entries) around one that holds a builder call, then an AI call in a long entry
        let model = |n: usize| {
            format!(
                "M{n}: a.model({{ title: a.string().required(), body: a.string(), rating: a.integer(), \
                 tags: a.string().array(), ownerId: a.id(), more: a.string(), publishedAt: a.datetime(), \
                 views: a.integer().default(0) }}).authorization((allow) => [allow.owner(), allow.authenticated()]), "
            )
        };
        let long = (0..4).map(model).collect::<String>();
        let conversation = "chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPromt: 'a system prompt \
             long enough for the entry to be cached by the lowering, as every model of a large schema is, and then \
             some more words to be sure of it, since the cache keeps entries of 256 bytes or more only, and this one \
             must be one of them' }), ";
        assert!(conversation.len() > 256);
        let src = format!("const schema = a.schema({{ {long}{conversation}{long} }});");
        let d = run_cached(check, &src, &ProjectFacts::default());
        assert_eq!(codes(&d), ["shape/unknown-property"], "{d:?}");
        let handler = "h: { handler: defineConversationHandlerFunction({ name: 'h', models: [{ modelId: 'x' }], \
             timeoutSeconds: 901, entry: './a/path/long/enough/for/the/entry/to/be/cached/by/the/lowering.ts' }) }, ";
        let src = format!("const x = {{ {long}{handler}{long} }};");
        let mut d = run_cached(check, &src, &ProjectFacts::default());
        // (a nested define call is checked as a define too; the server keeps one of the two)
        d.dedup();
        assert_eq!(codes(&d), ["shape/out-of-range"], "{d:?}");
    }

    #[test]
    fn ai_builder_and_handler_arguments() {
        let schema = |entries: &str| format!("const schema = a.schema({{ {entries} }});");
        // accepted shapes stay clean
        let ok = schema(
            "chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPrompt: 'hi', \
             inferenceConfiguration: { maxTokens: 100, temperature: 0.2, topP: 0.9 }, \
             tools: [a.ai.dataTool({ name: 'list_posts', description: 'd', model: a.ref('Post'), modelOperation: 'list' }), \
             a.ai.dataTool({ name: 'q', description: 'd', query: a.ref('q') })], handler: chatHandler }).authorization(allow => allow.owner()), \
             gen: a.generation({ aiModel: { resourcePath: 'us.x' }, systemPrompt: 'x' }).returns(a.string()).authorization(allow => allow.authenticated()), \
             q: a.query().returns(a.string()).handler(a.handler.custom({ entry: './q.js', dataSource: a.ref('Post') })).authorization(allow => allow.guest())",
        );
        assert!(run(&ok).is_empty(), "{:?}", run(&ok));
        // typos, wrong kinds, a missing key, inside the schema and inside defineData
        let bad = schema(
            "chat: a.conversation({ aiModel: a.ai.model('Claude 3.5 Haiku'), systemPromt: 'hi', tools: [a.ai.dataTool({ name: 'x', descripton: 'd', model: a.ref('P'), modelOperation: 'get' })] }), \
             gen: a.generation({ aiModel: 'Claude', systemPrompt: 'x', inferenceConfiguration: { maxTokens: 0 } }), \
             q: a.query().handler(a.handler.custom({ entri: './q.js' }))",
        );
        let d = run(&bad);
        let found: Vec<(&str, &str)> = d
            .iter()
            .map(|x| (x.code, &bad[x.span.start..x.span.end]))
            .collect();
        assert_eq!(
            found,
            [
                ("shape/unknown-property", "systemPromt"),
                ("shape/unknown-property", "descripton"),
                ("shape/invalid-literal", "'get'"),
                ("shape/wrong-type", "'Claude'"),
                ("shape/unknown-property", "entri"),
            ],
            "{d:?}"
        );
        assert!(d.iter().all(|d| d.severity == Severity::Warning), "{d:?}");
        let d = run(&schema("g: a.generation({ aiModel: a.ai.model('x'), systemPrompt: 'x', inferenceConfiguration: { temperature: '0.5' } })"));
        assert_eq!(codes(&d), ["shape/wrong-type"]);
        assert_eq!(d[0].severity, Severity::Warning);
        // inside defineData's argument too
        let d = run("defineData({ schema: a.schema({ g: a.generation({ aiModel: a.ai.model('x'), systemPrompt: 1 }) }) })");
        assert_eq!(codes(&d), ["shape/wrong-type"], "{d:?}");
        // the handler function of @aws-amplify/backend-ai
        let src = "export const h = defineConversationHandlerFunction({ name: 'h', entry: './h.ts', models: [{ modelId: a.ai.model('Claude 3.5 Haiku') }, { modelId: 'x', region: 'us-east-1' }], memoryMB: 1024, timeoutSeconds: 120, logging: { level: 'debug', retention: '1 week' } });";
        assert!(run(src).is_empty(), "{:?}", run(src));
        let src = "export const h = defineConversationHandlerFunction({ name: 'h', models: [{ model: 'x' }], timeoutSeconds: 901 });";
        let d = run(src);
        // `model` is read as a misspelt `modelId`: one problem, not two
        assert_eq!(
            codes(&d),
            ["shape/unknown-property", "shape/out-of-range"],
            "{d:?}"
        );
        assert!(d[0].message.contains("`modelId`"), "{}", d[0].message);
        let d = run("const h = defineConversationHandlerFunction({ name: 'h', models: [{ region: 'x' }] });");
        assert_eq!(codes(&d), ["shape/missing-required"], "{d:?}");
    }

    #[test]
    fn backend_reserved_keys() {
        let d = run("defineBackend({ auth, stack: x })");
        assert_eq!(codes(&d), ["backend/reserved-key"]);
    }
}
