//! Storage rules (`defineStorage`): the access-path rules, principals on each path, the default bucket,
//! and the backend-wide rules about where the singleton resources are defined (file placement, a second
//! `defineAuth`/`defineData`, and the names of `defineStorage`/`defineData`).
//!
//! Only what is written as literals is judged: identifiers are followed one level through the file's
//! top-level bindings, and anything else (calls, spreads, templates, computed keys) is left alone.
//!
//! Confirmed with the synth tool: `.to([])` is rejected only when the role or function it is for gets no
//! action from any other rule of the bucket (`authenticated` and `entity('identity')` share one role);
//! `allow.groups(['A', 'A'])` and the same group in two rules of one path are both rejected;
//! `allow.resource(fn)` twice on one path is accepted; `allow.groups` with no auth at all is the
//! missing-auth error, not the unknown-group one.

use std::collections::HashMap;

use super::validators::{self, Finding};
use super::RuleCtx;
use crate::analysis::{Diagnostic, Related, Severity};
use crate::model::file::{Define, DefineKind};
use crate::model::value::{Kind, Value};
use crate::text::Span;

const DUPLICATE_PRINCIPAL: &str = "storage/duplicate-principal";
const EMPTY_ACTIONS: &str = "storage/empty-actions";
const AUTH_REQUIRED: &str = "storage/auth-required";
const UNKNOWN_GROUP: &str = "storage/unknown-group";
const DEFAULT_BUCKET: &str = "storage/default-bucket";
const GUEST_ACCESS: &str = "storage/guest-access";
const FILE_PLACEMENT: &str = "backend/file-placement";
const DUPLICATE_SINGLETON: &str = "backend/duplicate-singleton";

pub fn check(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    placement(cx, out);
    singletons(cx, out);
    data_name(cx, out);
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Storage)
    {
        bucket(cx, d, out);
    }
    default_bucket(cx, out);
}

/// A diagnostic from a validator finding.
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

// ---------------------------------------------------------------------------------------------
// Backend-wide rules: placement, singletons, the data name
// ---------------------------------------------------------------------------------------------

/// The file (without extension) each singleton factory must be called from.
fn expected_file(kind: DefineKind) -> Option<&'static str> {
    match kind {
        DefineKind::Auth | DefineKind::ReferenceAuth => Some("amplify/auth/resource"),
        DefineKind::Data => Some("amplify/data/resource"),
        DefineKind::Storage => Some("amplify/storage/resource"),
        DefineKind::Function | DefineKind::ConversationHandler | DefineKind::Backend => None,
    }
}

/// The path with `/` separators and without the last extension of the file name, as Amplify compares it.
fn path_without_extension(path: &std::path::Path) -> Option<String> {
    let full = path.to_str()?.replace('\\', "/");
    let (dir, file) = match full.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, full.as_str()),
    };
    // like Node's path.parse: a leading dot does not start an extension
    let stem = match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    };
    Some(match dir {
        Some(d) => format!("{d}/{stem}"),
        None => stem.to_string(),
    })
}

fn placement(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let Some(path) = cx.path else { return };
    let Some(here) = path_without_extension(path) else {
        return;
    };
    for d in &cx.file.defines {
        let Some(expected) = expected_file(d.kind) else {
            continue;
        };
        if here.ends_with(expected) {
            continue;
        }
        let extra = if d.kind == DefineKind::Storage {
            " (every bucket of the project is declared in that one file)"
        } else {
            ""
        };
        out.push(Diagnostic::new(
            d.callee_span,
            Severity::Error,
            FILE_PLACEMENT,
            format!(
                "Amplify only accepts `{}` in `{expected}.ts`: move this definition there{extra}",
                d.kind.callee()
            ),
        ));
    }
}

fn singletons(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let groups: [(&[DefineKind], &str); 2] = [
        (
            &[DefineKind::Auth, DefineKind::ReferenceAuth],
            "auth resource (`defineAuth` or `referenceAuth`)",
        ),
        (&[DefineKind::Data], "`defineData`"),
    ];
    for (kinds, what) in groups {
        let calls: Vec<&Define> = cx
            .file
            .defines
            .iter()
            .filter(|d| kinds.contains(&d.kind))
            .collect();
        let Some(first) = calls.first() else { continue };
        for d in calls.iter().skip(1) {
            let mut diag = Diagnostic::new(
                d.callee_span,
                Severity::Error,
                DUPLICATE_SINGLETON,
                format!(
                    "a backend has exactly one {what}, and this is a second one: merge its settings into the first \
                     definition or remove it"
                ),
            );
            diag.related
                .push(related(first.callee_span, "the first definition"));
            out.push(diag);
        }
    }
}

/// `defineData({ name })` follows the resource-name rule when it is given (an empty name is ignored).
fn data_name(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for d in cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Data)
    {
        let Some(name) = d.arg.as_ref().and_then(|a| a.field("name")) else {
            continue;
        };
        let name = cx.file.resolve(name);
        if let Some(s) = name.as_str().filter(|s| !s.is_empty()) {
            if let Some(f) = validators::resource_name(s) {
                out.push(from_finding(name.span, f));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One bucket
// ---------------------------------------------------------------------------------------------

/// Who a storage access rule is for.
#[derive(Debug, Clone)]
enum Principal {
    Authenticated,
    Guest,
    /// Each group name: `Some` when it is a string literal.
    Groups(Vec<(Option<String>, Span)>),
    /// The entity id when it is a string literal (`'identity'`).
    Entity(Option<String>),
    /// The identifier passed to `allow.resource(...)`, when it is one.
    Resource(Option<String>),
}

/// One `allow.<principal>.to([...])` entry of a path's list.
#[derive(Debug, Clone)]
struct Rule {
    principal: Principal,
    /// `allow.authenticated`, `allow.groups([...])`...
    principal_span: Span,
    /// `Some(true)` for a literal `[]`, `Some(false)` for a literal non-empty list, `None` when unknown.
    empty: Option<bool>,
    /// The `.to(...)` argument.
    actions_span: Span,
}

impl Rule {
    /// The auth roles / functions that receive this rule's policy (None when one of them is unknown).
    fn acceptors(&self) -> Option<Vec<String>> {
        Some(match &self.principal {
            Principal::Authenticated | Principal::Entity(_) => vec!["role:authenticated".into()],
            Principal::Guest => vec!["role:guest".into()],
            Principal::Groups(gs) => gs
                .iter()
                .map(|(g, _)| g.as_ref().map(|g| format!("group:{g}")))
                .collect::<Option<Vec<_>>>()?,
            Principal::Resource(r) => vec![format!("resource:{}", r.as_ref()?)],
        })
    }
    fn needs_auth(&self) -> bool {
        !matches!(self.principal, Principal::Resource(_))
    }
}

/// Parses `allow.authenticated.to([...])` and the like; `None` for anything else.
fn parse_rule(cx: &RuleCtx, v: &Value, param: &str) -> Option<Rule> {
    let chain = v.chain()?;
    if chain.root != param || chain.root_args.is_some() || chain.links.len() != 2 {
        return None;
    }
    let (who, to) = (&chain.links[0], &chain.links[1]);
    if to.name != "to" {
        return None;
    }
    let to_args = to.args?;
    let actions = to_args.first()?;
    let actions = cx.file.resolve(actions);
    let empty = actions.as_array().map(<[Value]>::is_empty);
    let first_arg = || {
        who.args
            .and_then(<[Value]>::first)
            .map(|a| cx.file.resolve(a))
    };
    let principal = match (who.name, who.args.is_some()) {
        ("authenticated", false) => Principal::Authenticated,
        ("guest", false) => Principal::Guest,
        ("groups", true) => {
            let list = first_arg()?;
            let items = list.as_array()?;
            Principal::Groups(
                items
                    .iter()
                    .map(|g| (g.as_str().map(str::to_string), g.span))
                    .collect(),
            )
        }
        ("entity", true) => {
            Principal::Entity(first_arg().and_then(Value::as_str).map(str::to_string))
        }
        ("resource", true) => Principal::Resource(
            who.args
                .and_then(<[Value]>::first)
                .and_then(Value::as_ident)
                .map(str::to_string),
        ),
        _ => return None,
    };
    Some(Rule {
        principal,
        principal_span: Span::new(chain.root_span.start, who.end),
        empty,
        actions_span: actions.span,
    })
}

/// One path key of the access object, with its rules.
struct PathEntry<'a> {
    key: &'a str,
    key_span: Span,
    rules: Vec<Rule>,
}

fn bucket(cx: &RuleCtx, d: &Define, out: &mut Vec<Diagnostic>) {
    let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) else {
        return;
    };
    if let Some(name) = arg.field("name") {
        let name = cx.file.resolve(name);
        if let Some(s) = name.as_str() {
            if let Some(f) = validators::resource_name(s) {
                out.push(from_finding(name.span, f));
            }
        }
    }
    if let Some(access) = arg.field("access") {
        access_rules(cx, cx.file.resolve(access), out);
    }
}

fn access_rules(cx: &RuleCtx, access: &Value, out: &mut Vec<Diagnostic>) {
    let Some(func) = access.as_func() else { return };
    let Some(param) = func.params.first().filter(|p| !p.is_empty()) else {
        return;
    };
    let Some(body) = func.body.as_ref() else {
        return;
    };
    let Some(props) = body.as_object() else {
        return;
    };

    // Whether every entry of the access object is understood (for the empty-policy check).
    let mut all_known = true;
    let mut paths: Vec<PathEntry> = Vec::new();
    for p in props {
        let Some(key) = p.key.as_deref() else {
            all_known = false;
            continue;
        };
        if matches!(p.value.kind, Kind::Spread(_)) {
            all_known = false;
            continue;
        }
        let mut rules = Vec::new();
        match cx.file.resolve(&p.value).as_array() {
            Some(items) => {
                for item in items {
                    match parse_rule(cx, item, param) {
                        Some(r) => {
                            if r.empty.is_none() || r.acceptors().is_none() {
                                all_known = false;
                            }
                            rules.push(r);
                        }
                        None => all_known = false,
                    }
                }
            }
            None => all_known = false,
        }
        paths.push(PathEntry {
            key,
            key_span: p.key_span,
            rules,
        });
    }

    path_findings(&paths, out);
    for entry in &paths {
        principals(cx, entry, out);
    }
    empty_actions(&paths, all_known, out);
}

/// The access-path rules, on each path key.
fn path_findings(paths: &[PathEntry], out: &mut Vec<Diagnostic>) {
    let keys: Vec<&str> = paths.iter().map(|p| p.key).collect();
    for (i, finding, other) in validators::storage_paths(&keys) {
        let (Some(entry), other) = (paths.get(i), other.and_then(|o| paths.get(o))) else {
            continue;
        };
        let mut diag = from_finding(entry.key_span, finding);
        if let Some(o) = other {
            diag.related.push(related(
                o.key_span,
                format!("`{}` is the other path involved", o.key),
            ));
        }
        out.push(diag);
    }
}

/// The principals of one path: auth needed, groups known, each principal once, guest hint.
fn principals(cx: &RuleCtx, entry: &PathEntry, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    // unique principal token -> where it first appears
    let mut seen: HashMap<String, Span> = HashMap::new();
    for rule in &entry.rules {
        if rule.needs_auth() && project.complete && !project.has_auth {
            out.push(Diagnostic::new(
                rule.principal_span,
                Severity::Error,
                AUTH_REQUIRED,
                format!(
                    "`{}` needs an auth resource, but this project has no `defineAuth` or `referenceAuth`: \
                     add `amplify/auth/resource.ts` and pass it to `defineBackend`, or grant access with \
                     `allow.resource(...)` only",
                    principal_label(&rule.principal)
                ),
            ));
        }
        if matches!(rule.principal, Principal::Guest) {
            out.push(Diagnostic::new(
                rule.principal_span,
                Severity::Hint,
                GUEST_ACCESS,
                format!(
                    "guests are users who have not signed in: anyone on the internet gets this access to `{}`",
                    entry.key
                ),
            ));
        }
        if let Principal::Groups(groups) = &rule.principal {
            if project.complete && project.has_auth {
                unknown_groups(cx, groups, out);
            }
        }
        // the same principal twice on one path
        let tokens: Vec<(String, Span, String)> = match &rule.principal {
            Principal::Authenticated => vec![(
                "authenticated".into(),
                rule.principal_span,
                "authenticated users".into(),
            )],
            Principal::Guest => vec![("guest".into(), rule.principal_span, "guests".into())],
            Principal::Entity(Some(id)) => vec![(
                format!("entity{id}"),
                rule.principal_span,
                format!("`entity('{id}')`"),
            )],
            Principal::Groups(gs) => gs
                .iter()
                .filter_map(|(g, span)| {
                    g.as_ref()
                        .map(|g| (format!("groups{g}"), *span, format!("group `{g}`")))
                })
                .collect(),
            Principal::Entity(None) | Principal::Resource(_) => Vec::new(),
        };
        for (token, span, label) in tokens {
            if let Some(first) = seen.get(&token) {
                let mut diag = Diagnostic::new(
                    span,
                    Severity::Error,
                    DUPLICATE_PRINCIPAL,
                    format!(
                        "{label} already {} a rule on `{}`: each principal may appear once per path, so merge \
                         the actions into that one rule",
                        if label.starts_with("group") || label.starts_with('`') { "has" } else { "have" },
                        entry.key
                    ),
                );
                diag.related
                    .push(related(*first, "the first rule for the same principal"));
                out.push(diag);
            } else {
                seen.insert(token, span);
            }
        }
    }
}

fn principal_label(p: &Principal) -> &'static str {
    match p {
        Principal::Authenticated => "allow.authenticated",
        Principal::Guest => "allow.guest",
        Principal::Groups(_) => "allow.groups",
        Principal::Entity(_) => "allow.entity",
        Principal::Resource(_) => "allow.resource",
    }
}

fn unknown_groups(cx: &RuleCtx, groups: &[(Option<String>, Span)], out: &mut Vec<Diagnostic>) {
    // When some `groups` entry is not a literal, we cannot know the full list: stay silent.
    if !cx.project.auth_groups_known {
        return;
    }
    let known: Vec<&str> = cx.project.auth_groups.iter().map(String::as_str).collect();
    for (name, span) in groups {
        let Some(name) = name else { continue };
        if known.contains(&name.as_str()) {
            continue;
        }
        let hint = match validators::did_you_mean(name, &known) {
            Some(s) => format!("did you mean `{s}`? "),
            None => String::new(),
        };
        let listed = if known.is_empty() {
            "`defineAuth` declares no `groups`".to_string()
        } else {
            format!(
                "the auth groups are {}",
                known
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(Diagnostic::new(
            *span,
            Severity::Error,
            UNKNOWN_GROUP,
            format!("there is no auth group `{name}` ({listed}): {hint}add it to `groups` in `defineAuth` or use an existing group"),
        ));
    }
}

/// `.to([])`: an error when the role or function it is for gets no actions from any other rule of the
/// bucket (Amplify then has an empty policy to attach), else a warning (the rule does nothing).
fn empty_actions(paths: &[PathEntry], all_known: bool, out: &mut Vec<Diagnostic>) {
    let rules = || paths.iter().flat_map(|p| p.rules.iter());
    let mut granted: HashMap<String, bool> = HashMap::new();
    for r in rules() {
        if let Some(acceptors) = r.acceptors() {
            for a in acceptors {
                let entry = granted.entry(a).or_insert(false);
                *entry |= r.empty != Some(true);
            }
        }
    }
    for r in rules().filter(|r| r.empty == Some(true)) {
        let fatal = all_known
            && r.acceptors().is_some_and(|acc| {
                acc.iter()
                    .any(|a| !granted.get(a).copied().unwrap_or(false))
            });
        let diag = if fatal {
            Diagnostic::new(
                r.actions_span,
                Severity::Error,
                EMPTY_ACTIONS,
                "this rule grants no actions and no other rule of the bucket gives this principal any, so Amplify \
                 has an empty policy to attach: list at least one of 'read', 'get', 'list', 'write', 'delete', \
                 or remove the rule",
            )
        } else {
            Diagnostic::new(
                r.actions_span,
                Severity::Warning,
                EMPTY_ACTIONS,
                "this rule grants no actions: list at least one of 'read', 'get', 'list', 'write', 'delete', \
                 or remove the rule",
            )
        };
        out.push(diag);
    }
}

// ---------------------------------------------------------------------------------------------
// The default bucket
// ---------------------------------------------------------------------------------------------

fn default_bucket(cx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let p = cx.project;
    if !p.complete || p.bucket_count < 2 || p.default_buckets == 1 {
        return;
    }
    let buckets: Vec<&Define> = cx
        .file
        .defines
        .iter()
        .filter(|d| d.kind == DefineKind::Storage)
        .collect();
    let Some(first) = buckets.first() else { return };
    // (define, the `isDefault` entry, its literal value)
    let mut defaults = Vec::new();
    for d in &buckets {
        let Some(arg) = d.arg.as_ref().map(|a| cx.file.resolve(a)) else {
            return;
        };
        if arg.as_object().is_none() || arg.has_spread() {
            return;
        }
        match arg.get("isDefault") {
            Some(prop) => match cx.file.resolve(&prop.value).as_bool() {
                Some(b) => defaults.push((d, prop.span, b)),
                // not a literal: we cannot count it
                None => return,
            },
            None => defaults.push((d, d.callee_span, false)),
        }
    }
    let bucket_name = |d: &Define| {
        d.arg
            .as_ref()
            .and_then(|a| a.field("name"))
            .and_then(Value::as_str)
            .map_or_else(|| "this bucket".to_string(), |n| format!("`{n}`"))
    };
    if p.default_buckets == 0 {
        let mut diag = Diagnostic::new(
            first.callee_span,
            Severity::Error,
            DEFAULT_BUCKET,
            format!(
                "the project has {} buckets and none is marked as the default: add `isDefault: true` to exactly one \
                 of them (e.g. to {})",
                p.bucket_count,
                bucket_name(first)
            ),
        );
        for d in buckets.iter().skip(1) {
            diag.related
                .push(related(d.callee_span, "another bucket without `isDefault`"));
        }
        out.push(diag);
        return;
    }
    let trues: Vec<_> = defaults.iter().filter(|(_, _, b)| *b).collect();
    // when every default bucket is in this file, the first one is the one kept
    let skip = usize::from(trues.len() == p.default_buckets);
    for (d, span, _) in trues.iter().skip(skip) {
        let mut diag = Diagnostic::new(
            *span,
            Severity::Error,
            DEFAULT_BUCKET,
            format!(
                "{} buckets are marked `isDefault: true`, but only one may be: remove it from {} or from the others",
                p.default_buckets,
                bucket_name(d)
            ),
        );
        for (_, other, _) in trues.iter().filter(|(o, _, _)| !std::ptr::eq(*o, *d)) {
            diag.related.push(related(*other, "another default bucket"));
        }
        out.push(diag);
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::testkit::{self, facts, found, run_with};
    use super::*;
    use crate::model::project::ProjectFacts;

    fn run(src: &str, project: &ProjectFacts) -> Vec<Diagnostic> {
        run_with(
            check,
            src,
            Some(Path::new("/p/amplify/storage/resource.ts")),
            project,
        )
    }

    fn storage(access: &str) -> String {
        format!(
            "import {{ defineStorage }} from '@aws-amplify/backend';\n\
             export const storage = defineStorage({{\n  name: 'media',\n  access: (allow) => ({{\n{access}\n  }}),\n}});\n"
        )
    }

    fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
        diags.iter().map(|d| d.code).collect()
    }

    #[test]
    fn path_rules_point_at_the_key_with_the_other_path_related() {
        let src = storage(
            "    'media/*': [allow.authenticated.to(['read'])],\n    \
             'media/{entity_id}/*': [allow.entity('identity').to(['read'])],",
        );
        let d = run(&src, &facts(true, &[]));
        assert_eq!(
            found(&src, &d),
            [("storage/entity-id", "'media/{entity_id}/*'")]
        );
        assert_eq!(
            &src[d[0].related[0].span.start..d[0].related[0].span.end],
            "'media/*'"
        );

        let src = storage("    '/photos/*': [allow.authenticated.to(['read'])],");
        assert_eq!(
            found(&src, &run(&src, &facts(true, &[]))),
            [("storage/path-leading-slash", "'/photos/*'")]
        );
        // near miss
        let src = storage(
            "    'media/*': [allow.authenticated.to(['read'])],\n    \
             'users/{entity_id}/*': [allow.entity('identity').to(['read'])],",
        );
        assert!(run(&src, &facts(true, &[])).is_empty());
    }

    #[test]
    fn path_rules_with_other_parameter_names_and_block_bodies() {
        let src = "import { defineStorage } from '@aws-amplify/backend';\n\
                   export const s = defineStorage({ name: 'x', access(a) { return { 'x': [a.guest.to(['read'])] }; } });";
        let d = run(src, &facts(true, &[]));
        assert_eq!(
            found(src, &d),
            [
                ("storage/path-wildcard", "'x'"),
                ("storage/guest-access", "a.guest")
            ]
        );
    }

    #[test]
    fn duplicate_principals() {
        let src = storage(
            "    'photos/*': [\n      allow.authenticated.to(['read']),\n      allow.authenticated.to(['write']),\n    ],",
        );
        let d = run(&src, &facts(true, &[]));
        assert_eq!(
            found(&src, &d),
            [("storage/duplicate-principal", "allow.authenticated")]
        );
        assert!(d[0].span.start > src.find("allow.authenticated").unwrap_or(0));
        assert_eq!(d[0].related.len(), 1);

        // groups are per name; resource(...) is never deduplicated; entity and authenticated differ
        let src = storage(
            "    'a/*': [allow.groups(['A', 'B']).to(['read']), allow.groups(['B']).to(['write']),\n      \
             allow.resource(fn).to(['read']), allow.resource(fn).to(['write'])],\n    \
             'b/{entity_id}/*': [allow.entity('identity').to(['read']), allow.authenticated.to(['read'])],",
        );
        let d = run(&src, &facts(true, &["A", "B"]));
        assert_eq!(found(&src, &d), [("storage/duplicate-principal", "'B'")]);
        assert!(d[0].span.start > src.find("groups(['B'])").unwrap_or(0));

        // the same principal on two paths is fine
        let src = storage(
            "    'a/*': [allow.authenticated.to(['read'])],\n    'b/*': [allow.authenticated.to(['read'])],",
        );
        assert!(run(&src, &facts(true, &[])).is_empty());
    }

    #[test]
    fn empty_actions_is_an_error_only_when_the_principal_gets_nothing_else() {
        let src = storage("    'photos/*': [allow.authenticated.to([])],");
        let d = run(&src, &facts(true, &[]));
        assert_eq!(found(&src, &d), [("storage/empty-actions", "[]")]);
        assert_eq!(d[0].severity, Severity::Error);

        let src = storage(
            "    'photos/*': [allow.authenticated.to([])],\n    'docs/*': [allow.entity('identity').to(['read'])],",
        );
        let d = run(&src, &facts(true, &[]));
        assert_eq!(codes(&d), ["storage/empty-actions"]);
        assert_eq!(d[0].severity, Severity::Warning);

        // an entry we do not understand might grant something: no error
        let src = storage("    'photos/*': [allow.authenticated.to([])],\n    ...more,");
        let d = run(&src, &facts(true, &[]));
        assert_eq!(d[0].severity, Severity::Warning);

        let src = storage("    'photos/*': [allow.authenticated.to(ACTIONS)],");
        assert!(run(&src, &facts(true, &[])).is_empty());
    }

    #[test]
    fn auth_principals_need_auth() {
        let src = storage(
            "    'photos/*': [allow.authenticated.to(['read']), allow.resource(fn).to(['read'])],\n    \
             'a/{entity_id}/*': [allow.entity('identity').to(['read'])],",
        );
        let d = run(&src, &facts(false, &[]));
        assert_eq!(
            found(&src, &d),
            [
                ("storage/auth-required", "allow.authenticated"),
                ("storage/auth-required", "allow.entity('identity')")
            ]
        );
        // incomplete facts: silent
        assert!(run(&src, &ProjectFacts::default()).is_empty());
        assert!(run(&src, &facts(true, &[])).is_empty());
    }

    #[test]
    fn unknown_groups_with_a_suggestion() {
        let src =
            storage("    'reports/*': [allow.groups(['ADMIN', 'EDITORS', role]).to(['read'])],");
        let d = run(&src, &facts(true, &["ADMINS", "EDITORS"]));
        assert_eq!(found(&src, &d), [("storage/unknown-group", "'ADMIN'")]);
        assert!(d[0].message.contains("`ADMINS`"));
        assert!(run(&src, &facts(true, &["ADMIN", "EDITORS"])).is_empty());
        // no auth at all: that is auth-required, not unknown-group
        assert_eq!(
            codes(&run(&src, &facts(false, &[]))),
            ["storage/auth-required"]
        );
        // groups given by a top-level constant are followed
        let src = format!(
            "const G = ['X'];\n{}",
            storage("    'r/*': [allow.groups(G).to(['read'])],")
        );
        assert_eq!(
            found(&src, &run(&src, &facts(true, &["Y"]))),
            [("storage/unknown-group", "'X'")]
        );
    }

    #[test]
    fn guest_access_is_a_hint() {
        let src = storage("    'public/*': [allow.guest.to(['read'])],");
        let d = run(&src, &facts(true, &[]));
        assert_eq!(found(&src, &d), [("storage/guest-access", "allow.guest")]);
        assert_eq!(d[0].severity, Severity::Hint);
    }

    #[test]
    fn bucket_and_data_names() {
        let src = "export const s = defineStorage({ name: 'my.photos' });";
        assert_eq!(
            found(src, &run(src, &facts(true, &[]))),
            [("backend/resource-name", "'my.photos'")]
        );
        let src = "export const s = defineStorage({ name: 'my-photos_2024 bucket' });";
        assert!(run(src, &facts(true, &[])).is_empty());
        let src = "const n = 'todo.api';\nexport const data = defineData({ name: n, schema });";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/data/resource.ts")),
            &facts(true, &[]),
        );
        assert_eq!(found(src, &d), [("backend/resource-name", "'todo.api'")]);
        let src = "export const data = defineData({ name: '', schema });";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/data/resource.ts")),
            &facts(true, &[]),
        );
        assert!(d.is_empty());
    }

    #[test]
    fn default_bucket() {
        let two = "export const a = defineStorage({ name: 'a' });\nexport const b = defineStorage({ name: 'b' });";
        let mut p = facts(true, &[]);
        p.bucket_count = 2;
        let d = run(two, &p);
        assert_eq!(
            found(two, &d),
            [("storage/default-bucket", "defineStorage")]
        );
        assert_eq!(
            d[0].span.start,
            two.find("defineStorage").unwrap_or(usize::MAX)
        );
        assert_eq!(d[0].related.len(), 1);

        let both = "export const a = defineStorage({ name: 'a', isDefault: true });\n\
                    export const b = defineStorage({ name: 'b', isDefault: true });";
        p.default_buckets = 2;
        let d = run(both, &p);
        assert_eq!(
            found(both, &d),
            [("storage/default-bucket", "isDefault: true")]
        );
        assert!(d[0].span.start > both.find('\n').unwrap_or(0));

        let one = "export const a = defineStorage({ name: 'a', isDefault: true });\n\
                   export const b = defineStorage({ name: 'b', isDefault: false });";
        p.default_buckets = 1;
        assert!(run(one, &p).is_empty());
        // a non-literal isDefault: we cannot count
        let unknown = "export const a = defineStorage({ name: 'a', isDefault: flag });\n\
                       export const b = defineStorage({ name: 'b' });";
        p.default_buckets = 0;
        assert!(run(unknown, &p).is_empty());
    }

    #[test]
    fn placement_and_singletons() {
        let src = "export const storage = defineStorage({ name: 'photos' });";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/storage.ts")),
            &facts(true, &[]),
        );
        assert_eq!(
            found(src, &d),
            [("backend/file-placement", "defineStorage")]
        );
        for ok in [
            "/p/amplify/storage/resource.ts",
            "/p/amplify/storage/resource.mjs",
            "C:\\p\\amplify\\storage\\resource.js",
        ] {
            assert!(
                run_with(check, src, Some(Path::new(ok)), &facts(true, &[])).is_empty(),
                "{ok}"
            );
        }
        assert!(run_with(check, src, None, &facts(true, &[])).is_empty());
        let src = "export const auth = referenceAuth({});";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/auth/resource.test.ts")),
            &facts(true, &[]),
        );
        assert_eq!(
            found(src, &d),
            [("backend/file-placement", "referenceAuth")]
        );
        // functions may live anywhere
        let src = "export const f = defineFunction({});";
        assert!(run_with(
            check,
            src,
            Some(Path::new("/p/src/x.ts")),
            &facts(true, &[])
        )
        .is_empty());

        let src = "export const auth = defineAuth({ loginWith: { email: true } });\n\
                   export const other = referenceAuth({});";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/auth/resource.ts")),
            &facts(true, &[]),
        );
        assert_eq!(
            found(src, &d),
            [("backend/duplicate-singleton", "referenceAuth")]
        );
        assert_eq!(d[0].related.len(), 1);
        let src = "export const data = defineData({ schema });\nexport const more = defineData({ schema });";
        let d = run_with(
            check,
            src,
            Some(Path::new("/p/amplify/data/resource.ts")),
            &facts(true, &[]),
        );
        assert_eq!(
            found(src, &d),
            [("backend/duplicate-singleton", "defineData")]
        );
        let src =
            "export const data = defineData({ schema });\nexport const auth = defineAuth({});";
        assert!(!codes(&run_with(
            check,
            src,
            Some(Path::new("/p/amplify/data/resource.ts")),
            &facts(true, &[])
        ))
        .contains(&"backend/duplicate-singleton"));
    }

    #[test]
    fn non_literal_access_is_left_alone() {
        for src in [
            "export const s = defineStorage({ name: 'a', access: rules });",
            "export const s = defineStorage({ name: 'a', access: ({ guest }) => ({ 'x': [guest.to([])] }) });",
            "export const s = defineStorage({ name: 'a', access: (allow) => ({ [key]: [allow.authenticated.to([])], ...rest }) });",
            "export const s = defineStorage({ name: 'a', access: (allow) => ({ 'a/*': paths, 'b/*': [...more] }) });",
            "export const s = defineStorage({ name: nm, access: (allow) => ({ 'a/*': [other.guest.to(['read'])] }) });",
        ] {
            let d = run(src, &facts(false, &[]));
            assert!(d.iter().all(|d| d.severity != Severity::Error), "{src}: {d:?}");
        }
    }

    /// The rule fixtures (labelled with the synth tool) and the valid projects.
    #[test]
    fn fixtures() {
        let owned = |_: &str, file: &str, code: &str| {
            code.starts_with("storage/")
                || matches!(code, "backend/file-placement" | "backend/duplicate-singleton")
                // the names of functions and auth are checked by those modules
                || (code == "backend/resource-name" && (file.contains("storage") || file.contains("data")))
        };
        let ran = testkit::check_fixtures(
            check,
            &[
                "storage__",
                "backend__file-placement",
                "backend__duplicate-singleton",
                "backend__resource-name",
            ],
            &owned,
            &[],
        );
        assert!(ran > 40, "{ran}");
    }
}

#[cfg(test)]
mod groups_known_tests {
    use super::super::testkit::facts;
    use super::*;
    use crate::model::file::FileModel;
    use crate::model::project::ProjectFacts;
    use crate::syntax::{parse, Lang};

    #[test]
    fn unknown_group_is_silent_when_the_group_list_is_not_literal() {
        let src = "defineStorage({ name: 'f', access: (allow) => ({ 'a/*': [allow.groups(['OPS']).to(['read'])] }) })";
        let tree = parse(src, Lang::TypeScript, None).expect("parse");
        let file = FileModel::build(&tree, src, Lang::TypeScript);
        let mut project = facts(true, &["ADMINS"]);
        let run = |project: &ProjectFacts| {
            let cx = RuleCtx {
                src,
                file: &file,
                path: None,
                project,
            };
            let mut out = Vec::new();
            check(&cx, &mut out);
            out.iter()
                .filter(|d| d.code == "storage/unknown-group")
                .count()
        };
        assert_eq!(run(&project), 1);
        project.auth_groups_known = false;
        assert_eq!(run(&project), 0);
    }
}
