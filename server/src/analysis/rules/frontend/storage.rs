//! Frontend storage calls: `uploadData`, `downloadData`, `getUrl`, `list`, `remove`, `copy` and
//! `getProperties` from `aws-amplify/storage` (aliased or through `import * as`), checked against the IAM
//! policies Amplify writes for the buckets ([`StorageAccess`]).
//!
//! A call's `path` is read when it is a string, a template literal, or an arrow `({ identityId }) => \`...\``
//! returning one. Each `${...}` part may be any text, except the callback's `identityId`, which is the caller's
//! identity id. A finding means that no value of the path can succeed for any principal a browser can be
//! (guest, signed in, a group): which principal the caller is cannot be known from the call. Anything not read
//! (a variable path, a bucket given as `{ bucketName, region }`, a bucket whose access we cannot read) keeps
//! the rules silent.
//!
//! One judgement is stated rather than proven: where an access path is `{entity_id}`, a `${...}` part standing
//! for that whole segment is taken to be something else than the caller's identity id unless its expression
//! names an identity (`${identityId}`, `${session.identityId}`); `${file.name}` or `${userId}` there is reported.

use tree_sitter::Node;

use super::FrontendCx;
use crate::analysis::completion::{CompletionItem, ItemKind};
use crate::analysis::hover::Hover;
use crate::analysis::rules::validators::did_you_mean;
use crate::analysis::{Diagnostic, Severity};
use crate::model::frontend::storage::{Action, Bucket, Grant, Role, StorageAccess, IDENTITY};
use crate::syntax::{span, text};
use crate::text::Span;

pub const PATH_NOT_COVERED: &str = "frontend/storage-path-not-covered";
pub const ACTION_DENIED: &str = "frontend/storage-action-denied";
pub const ENTITY_ID: &str = "frontend/storage-entity-id";
pub const UNKNOWN_BUCKET: &str = "frontend/storage-unknown-bucket";

/// The modules the calls come from (`aws-amplify/storage/server` takes a server context first: not read).
const SOURCES: &[&str] = &["aws-amplify/storage", "@aws-amplify/storage"];
const APIS: &[&str] = &[
    "uploadData",
    "downloadData",
    "getUrl",
    "list",
    "remove",
    "copy",
    "getProperties",
];

/// The longest path text we match (longer paths are left alone).
const MAX_PATH: usize = 1024;

// ---------------------------------------------------------------------------------------------
// Reading calls
// ---------------------------------------------------------------------------------------------

/// The local names that call an API of `source`: `(local, api)` for named imports, and the namespace names.
pub(super) fn imported(
    cx: &FrontendCx,
    sources: &[&str],
    apis: &'static [&'static str],
) -> (Vec<(String, &'static str)>, Vec<String>) {
    let mut named = Vec::new();
    let mut namespaces = Vec::new();
    for imp in cx
        .file
        .imports
        .iter()
        .filter(|i| sources.contains(&i.source.as_str()) && !i.type_only)
    {
        for n in &imp.names {
            if n.imported == "*" {
                namespaces.push(n.local.clone());
            } else if let Some(api) = apis.iter().find(|a| **a == n.imported) {
                named.push((n.local.clone(), *api));
            }
        }
    }
    (named, namespaces)
}

/// Every call of an imported API in the file: `(api, call node)`, in source order. One walk of the tree.
pub(super) fn calls<'t>(
    cx: &FrontendCx<'t>,
    sources: &[&str],
    apis: &'static [&'static str],
) -> Vec<(&'static str, Node<'t>)> {
    let (named, namespaces) = imported(cx, sources, apis);
    let mut out = Vec::new();
    if named.is_empty() && namespaces.is_empty() {
        return out;
    }
    let mut cursor = cx.tree.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "call_expression" {
            if let Some(api) = node
                .child_by_field_name("function")
                .and_then(|f| callee_api(f, cx.src, &named, &namespaces, apis))
            {
                out.push((api, node));
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn callee_api(
    f: Node,
    src: &str,
    named: &[(String, &'static str)],
    namespaces: &[String],
    apis: &'static [&'static str],
) -> Option<&'static str> {
    match f.kind() {
        "identifier" => {
            let t = text(f, src);
            named.iter().find(|(l, _)| l == t).map(|(_, a)| *a)
        }
        "member_expression" => {
            let obj = f.child_by_field_name("object")?;
            let prop = f.child_by_field_name("property")?;
            if obj.kind() != "identifier" || !namespaces.iter().any(|n| n == text(obj, src)) {
                return None;
            }
            let p = text(prop, src);
            apis.iter().find(|a| **a == p).copied()
        }
        _ => None,
    }
}

/// The first argument of a call when it is an object literal.
pub(super) fn first_object(call: Node) -> Option<Node> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let first = args.named_children(&mut c).next()?;
    (first.kind() == "object").then_some(first)
}

/// The value of property `key` of an object literal node (`None` when absent or not a plain `key: value`).
pub(super) fn property<'t>(obj: Node<'t>, key: &str, src: &str) -> Option<Node<'t>> {
    let mut c = obj.walk();
    let found = obj.named_children(&mut c).find(|p| {
        p.kind() == "pair"
            && p.child_by_field_name("key")
                .is_some_and(|k| key_text(k, src) == Some(key))
    })?;
    found.child_by_field_name("value")
}

pub(super) fn key_text<'s>(k: Node, src: &'s str) -> Option<&'s str> {
    match k.kind() {
        "property_identifier" => Some(text(k, src)),
        "string" => {
            let t = text(k, src);
            t.get(1..t.len().saturating_sub(1))
                .filter(|s| !s.contains('\\'))
        }
        _ => None,
    }
}

/// A string literal's value (`None` for anything else).
pub(super) fn string_lit(node: Node, src: &str) -> Option<String> {
    (node.kind() == "string").then(|| crate::model::value::string_value(node, src))
}

/// One piece of a path.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Lit(String),
    /// A `${...}` part: any text. `identity` when its expression names an identity id.
    Any {
        identity: bool,
        text: String,
    },
    /// The `identityId` the path callback receives: the caller's identity id.
    Id,
}

/// A call's path, as far as it can be read: the node and its parts.
struct PathArg<'t> {
    node: Node<'t>,
    parts: Vec<Part>,
}

fn read_path<'t>(node: Node<'t>, src: &str) -> Option<PathArg<'t>> {
    let parts = match node.kind() {
        "string" => vec![Part::Lit(crate::model::value::string_value(node, src))],
        "template_string" => template_parts(node, src, &[], None)?,
        "arrow_function" => arrow_parts(node, src)?,
        _ => return None,
    };
    let len: usize = parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.len(),
            _ => 1,
        })
        .sum();
    (len <= MAX_PATH).then_some(PathArg { node, parts })
}

/// `({ identityId }) => \`...\``, `({ identityId: id }) => ...`, `(p) => \`${p.identityId}\``.
fn arrow_parts(node: Node, src: &str) -> Option<Vec<Part>> {
    let body = node.child_by_field_name("body")?;
    let mut ids: Vec<String> = Vec::new();
    let mut object_param: Option<String> = None;
    if let Some(p) = node.child_by_field_name("parameter") {
        object_param = Some(text(p, src).to_string());
    } else if let Some(params) = node.child_by_field_name("parameters") {
        let mut c = params.walk();
        let list: Vec<Node> = params.named_children(&mut c).collect();
        if let Some(first) = list.first() {
            let pattern = first.child_by_field_name("pattern").unwrap_or(*first);
            match pattern.kind() {
                "identifier" => object_param = Some(text(pattern, src).to_string()),
                "object_pattern" => {
                    let mut c = pattern.walk();
                    for prop in pattern.named_children(&mut c) {
                        match prop.kind() {
                            "shorthand_property_identifier_pattern"
                                if text(prop, src) == "identityId" =>
                            {
                                ids.push("identityId".into())
                            }
                            "pair_pattern" => {
                                let k = prop.child_by_field_name("key");
                                let v = prop.child_by_field_name("value");
                                if let (Some(k), Some(v)) = (k, v) {
                                    if text(k, src) == "identityId" && v.kind() == "identifier" {
                                        ids.push(text(v, src).to_string());
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    match body.kind() {
        "string" => Some(vec![Part::Lit(crate::model::value::string_value(
            body, src,
        ))]),
        "template_string" => template_parts(body, src, &ids, object_param.as_deref()),
        _ => None,
    }
}

fn template_parts(
    node: Node,
    src: &str,
    ids: &[String],
    object_param: Option<&str>,
) -> Option<Vec<Part>> {
    let mut parts: Vec<Part> = Vec::new();
    let push_lit = |parts: &mut Vec<Part>, s: &str| match parts.last_mut() {
        Some(Part::Lit(prev)) => prev.push_str(s),
        _ => parts.push(Part::Lit(s.to_string())),
    };
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        match child.kind() {
            "string_fragment" => push_lit(&mut parts, text(child, src)),
            "escape_sequence" => {
                // decoded like a one-fragment string
                let t = text(child, src);
                match t {
                    "\\`" | "\\$" | "\\\\" => push_lit(&mut parts, &t[1..]),
                    _ => parts.push(Part::Any {
                        identity: false,
                        text: t.to_string(),
                    }),
                }
            }
            "template_substitution" => {
                let mut cc = child.walk();
                let expr = child.named_children(&mut cc).next()?;
                let t = text(expr, src);
                let is_id = (expr.kind() == "identifier" && ids.iter().any(|i| i == t))
                    || (expr.kind() == "member_expression"
                        && object_param.is_some_and(|p| {
                            expr.child_by_field_name("object")
                                .is_some_and(|o| o.kind() == "identifier" && text(o, src) == p)
                                && expr
                                    .child_by_field_name("property")
                                    .is_some_and(|q| text(q, src) == "identityId")
                        }));
                if is_id {
                    parts.push(Part::Id);
                } else {
                    parts.push(Part::Any {
                        identity: t.to_ascii_lowercase().contains("identity"),
                        text: t.to_string(),
                    });
                }
            }
            "comment" => {}
            _ => return None,
        }
    }
    if parts.is_empty() {
        parts.push(Part::Lit(String::new()));
    }
    Some(parts)
}

/// The bucket a call names: `None` when it names none; `Some(None)` when it names one we cannot read.
fn bucket_arg<'t>(options: Option<Node<'t>>, src: &str) -> Option<Option<(String, Node<'t>)>> {
    let b = property(options?, "bucket", src)?;
    Some(string_lit(b, src).map(|s| (s, b)))
}

// ---------------------------------------------------------------------------------------------
// Matching paths against prefixes
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum PTok {
    Char(char),
    /// The caller's identity id in a prefix.
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum VTok {
    Char(char),
    Any { identity: bool },
    Id,
}

fn pattern(prefix: &str) -> Vec<PTok> {
    let prefix = prefix.strip_suffix('*').unwrap_or(prefix);
    let mut out = Vec::new();
    for (i, piece) in prefix.split(IDENTITY).enumerate() {
        if i > 0 {
            out.push(PTok::Id);
        }
        out.extend(piece.chars().map(PTok::Char));
    }
    out
}

fn value_tokens(parts: &[Part]) -> Vec<VTok> {
    let mut out = Vec::new();
    for p in parts {
        match p {
            Part::Lit(s) => out.extend(s.chars().map(VTok::Char)),
            Part::Any { identity, .. } => out.push(VTok::Any {
                identity: *identity,
            }),
            Part::Id => out.push(VTok::Id),
        }
    }
    out
}

/// Whether some value of the path starts with the prefix. `strict`: a prefix's identity id is matched only by
/// the callback's `identityId` or a `${...}` naming an identity, never by literal text or other parts.
fn may_match(pat: &[PTok], val: &[VTok], strict: bool) -> bool {
    let mut failed = std::collections::HashSet::new();
    may_match_at(pat, 0, val, 0, strict, &mut failed)
}

fn may_match_at(
    pat: &[PTok],
    i: usize,
    val: &[VTok],
    j: usize,
    strict: bool,
    failed: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    if i == pat.len() {
        return true;
    }
    let Some(&v) = val.get(j) else { return false };
    if failed.contains(&(i, j)) {
        return false;
    }
    let ok = match (pat[i], v) {
        (PTok::Char(c), VTok::Char(d)) => {
            c == d && may_match_at(pat, i + 1, val, j + 1, strict, failed)
        }
        // a part we cannot know produces whatever the prefix needs, unless it would stand for the caller's id
        (PTok::Char(_), VTok::Any { .. }) => true,
        (PTok::Id, VTok::Any { identity }) => !strict || identity,
        (PTok::Id, v) => {
            let exact = v == VTok::Id && may_match_at(pat, i + 1, val, j + 1, strict, failed);
            exact
                || !strict && v != VTok::Char('/') && {
                    // loosely, the segment is some text without `/` (the caller's id, or another)
                    let mut k = j + 1;
                    loop {
                        if may_match_at(pat, i + 1, val, k, strict, failed) {
                            break true;
                        }
                        match val.get(k) {
                            Some(VTok::Char(c)) if *c != '/' => k += 1,
                            Some(VTok::Any { .. } | VTok::Id) => break true,
                            _ => break false,
                        }
                    }
                }
        }
        // the caller's identity id where the prefix has text: some text without `/`
        (PTok::Char(c), VTok::Id) => {
            c != '/' && {
                let mut k = i + 1;
                loop {
                    if may_match_at(pat, k, val, j + 1, strict, failed) {
                        break true;
                    }
                    match pat.get(k) {
                        Some(PTok::Char(c)) if *c != '/' => k += 1,
                        None => break true,
                        _ => break false,
                    }
                }
            }
        }
    };
    if !ok {
        failed.insert((i, j));
    }
    ok
}

/// Whether every value of the path starts with the prefix.
fn must_match(pat: &[PTok], val: &[VTok]) -> bool {
    pat.len() <= val.len()
        && pat.iter().zip(val).all(|(p, v)| match (p, v) {
            (PTok::Char(c), VTok::Char(d)) => c == d,
            (PTok::Id, VTok::Id) => true,
            _ => false,
        })
}

/// Who may perform an action on the path, as the JSON oracle names principals.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Role(Role),
    /// The signed-in role on its `${identityId}` prefixes.
    IdentityOwned,
}

impl Who {
    fn of(g: &Grant) -> Who {
        if g.role == Role::Authenticated && g.prefix.contains(IDENTITY) {
            Who::IdentityOwned
        } else {
            Who::Role(g.role.clone())
        }
    }
    fn role(&self) -> &Role {
        match self {
            Who::Role(r) => r,
            Who::IdentityOwned => &Role::Authenticated,
        }
    }
    fn label(&self) -> String {
        match self {
            Who::Role(r) => r.label(),
            Who::IdentityOwned => "owner (identity id in the path)".into(),
        }
    }
}

/// Whether `who` may perform `action` on some value of the path: an allow that may match, and no deny of the
/// same role that matches every value.
fn allowed(b: &Bucket, who: &Who, action: Action, val: &[VTok], strict: bool) -> bool {
    let role = who.role();
    let allow = b.grants.iter().any(|g| {
        !g.deny
            && g.action == action
            && Who::of(g) == *who
            && may_match(&pattern(&g.prefix), val, strict)
    });
    allow
        && !b.grants.iter().any(|g| {
            g.deny && g.action == action && g.role == *role && must_match(&pattern(&g.prefix), val)
        })
}

fn principals(b: &Bucket) -> Vec<Who> {
    let mut out: Vec<Who> = b.grants.iter().filter(|g| !g.deny).map(Who::of).collect();
    out.sort();
    out.dedup();
    out
}

fn allowed_for_client(b: &Bucket, action: Action, val: &[VTok], strict: bool) -> bool {
    principals(b)
        .iter()
        .filter(|w| w.role().is_client())
        .any(|w| allowed(b, w, action, val, strict))
}

fn covered(b: &Bucket, val: &[VTok]) -> bool {
    b.grants
        .iter()
        .any(|g| !g.deny && may_match(&pattern(&g.prefix), val, false))
}

// ---------------------------------------------------------------------------------------------
// Check
// ---------------------------------------------------------------------------------------------

/// One path of a call to judge: the API, the action it needs, the path, and the bucket option.
struct Use<'t> {
    api: &'static str,
    action: Action,
    path: PathArg<'t>,
    bucket: Option<Option<(String, Node<'t>)>>,
}

fn action_of(api: &str) -> Action {
    match api {
        "uploadData" => Action::Write,
        "list" => Action::List,
        "remove" => Action::Delete,
        _ => Action::Get,
    }
}

/// The paths a storage call uses.
fn uses<'t>(api: &'static str, call: Node<'t>, src: &str) -> Vec<Use<'t>> {
    let Some(input) = first_object(call) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if api == "copy" {
        for (key, action) in [("source", Action::Get), ("destination", Action::Write)] {
            let Some(side) = property(input, key, src).filter(|s| s.kind() == "object") else {
                continue;
            };
            if let Some(path) = property(side, "path", src).and_then(|p| read_path(p, src)) {
                out.push(Use {
                    api,
                    action,
                    path,
                    bucket: bucket_arg(Some(side), src),
                });
            }
        }
        return out;
    }
    let options = property(input, "options", src).filter(|o| o.kind() == "object");
    if let Some(path) = property(input, "path", src).and_then(|p| read_path(p, src)) {
        out.push(Use {
            api,
            action: action_of(api),
            path,
            bucket: bucket_arg(options, src),
        });
    }
    out
}

fn bucket_list(s: &StorageAccess) -> String {
    s.buckets
        .iter()
        .filter_map(|b| b.name.as_deref())
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The bucket a use reads, or a diagnostic when it names none; `None` when we cannot tell (silent).
fn bucket_for<'s>(
    s: &'s StorageAccess,
    u: &Use,
    src: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<&'s Bucket> {
    match &u.bucket {
        None => s.default_bucket(),
        Some(None) => None,
        Some(Some((name, node))) => {
            if let Some(b) = s.bucket(name) {
                return Some(b);
            }
            if s.names_known() {
                let names: Vec<&str> = s.buckets.iter().filter_map(|b| b.name.as_deref()).collect();
                let hint = did_you_mean(name, &names)
                    .map(|n| format!(": did you mean `{n}`?"))
                    .unwrap_or_default();
                out.push(Diagnostic::new(
                    span(*node),
                    Severity::Error,
                    UNKNOWN_BUCKET,
                    format!(
                        "no bucket is named `{}` (the backend defines {}){hint}",
                        text(*node, src).trim_matches(['\'', '"']),
                        bucket_list(s)
                    ),
                ));
            }
            None
        }
    }
}

fn shown(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.clone(),
            Part::Any { text, .. } => format!("${{{text}}}"),
            Part::Id => "${identityId}".into(),
        })
        .collect()
}

fn bucket_label(b: &Bucket) -> String {
    b.name
        .as_deref()
        .map_or_else(|| "the bucket".into(), |n| format!("bucket `{n}`"))
}

pub fn check(cx: &FrontendCx, out: &mut Vec<Diagnostic>) {
    let Some(storage) = cx.backend.storage.as_ref().filter(|s| !s.overridden) else {
        return;
    };
    for (api, call) in calls(cx, SOURCES, APIS) {
        for u in uses(api, call, cx.src) {
            let Some(b) = bucket_for(storage, &u, cx.src, out) else {
                continue;
            };
            if !b.known {
                continue;
            }
            if let Some(d) = judge(b, &u) {
                out.push(d);
            }
        }
    }
}

/// What fails: the call, or for `getUrl` the URL it signs (signing itself asks S3 nothing).
fn refused(api: &str) -> String {
    if api == "getUrl" {
        "the URL `getUrl` signs is refused".into()
    } else {
        format!("`{api}` is refused")
    }
}

fn judge(b: &Bucket, u: &Use) -> Option<Diagnostic> {
    let val = value_tokens(&u.path.parts);
    let at = span(u.path.node);
    let path = shown(&u.path.parts);
    let verb = u.action.name();
    if allowed_for_client(b, u.action, &val, true) {
        return None;
    }
    let entity_key = b
        .paths
        .iter()
        .filter(|k| k.contains("{entity_id}"))
        .find(|k| may_match(&pattern(&k.replace("{entity_id}", IDENTITY)), &val, false));
    if let (true, Some(key)) = (allowed_for_client(b, u.action, &val, false), entity_key) {
        let head = key.split("{entity_id}").next().unwrap_or_default();
        return Some(Diagnostic::new(
            at,
            Severity::Error,
            ENTITY_ID,
            format!(
                "`{}` in {} lets only the owner {verb} there, and the segment after `{head}` must be the caller's \
                 identity id, which the path callback receives: ({{ identityId }}) => `{head}${{identityId}}/…`; \
                 `{path}` puts something else there, so {}",
                key,
                bucket_label(b),
                refused(u.api)
            ),
        ));
    }
    if !covered(b, &val) {
        let keys: Vec<&str> = b.paths.iter().map(String::as_str).collect();
        let first = |s: &str| s.split('/').next().unwrap_or_default().to_string();
        let lead: String = match u.path.parts.first() {
            Some(Part::Lit(s)) => first(s),
            _ => String::new(),
        };
        let heads: Vec<String> = keys.iter().map(|k| first(k)).collect();
        let head_refs: Vec<&str> = heads.iter().map(String::as_str).collect();
        // a whole path that stops where an owner's identity id must follow (`list({ path: 'media/' })`)
        let whole = match u.path.parts.as_slice() {
            [Part::Lit(s)] => Some(s.as_str()),
            _ => None,
        };
        let owner = whole.and_then(|w| {
            b.paths.iter().find(|k| {
                k.split("{entity_id}")
                    .next()
                    .is_some_and(|head| k.contains("{entity_id}") && head.starts_with(w))
            })
        });
        let hint = match owner {
            Some(k) => format!(
                "; `{k}` holds each owner's files under their identity id: ({{ identityId }}) => `{}${{identityId}}/`",
                k.split("{entity_id}").next().unwrap_or_default()
            ),
            None => did_you_mean(&lead, &head_refs)
                .filter(|h| *h != lead)
                .map(|h| format!("; did you mean `{h}/`?"))
                .unwrap_or_default(),
        };
        let listed = if keys.is_empty() {
            "it has no access paths".to_string()
        } else {
            format!(
                "its access paths are {}",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Some(Diagnostic::new(
            at,
            Severity::Error,
            PATH_NOT_COVERED,
            format!(
                "no access path of {} covers `{path}`, so {} for everyone ({listed}){hint}",
                bucket_label(b),
                refused(u.api)
            ),
        ));
    }
    let lines = who_may(b, &val);
    Some(Diagnostic::new(
        at,
        Severity::Error,
        ACTION_DENIED,
        format!(
            "`{}` needs `{verb}` on `{path}`, and no principal may {verb} there in {} ({})",
            u.api,
            bucket_label(b),
            if lines.is_empty() {
                "nobody has any access there".to_string()
            } else {
                lines.join("; ")
            }
        ),
    ))
}

/// `principal: actions` for each principal with some action on the path.
fn who_may(b: &Bucket, val: &[VTok]) -> Vec<String> {
    principals(b)
        .into_iter()
        .filter_map(|w| {
            let acts: Vec<&str> = Action::ALL
                .iter()
                .filter(|a| allowed(b, &w, **a, val, true))
                .map(|a| a.name())
                .collect();
            (!acts.is_empty()).then(|| format!("{}: {}", w.label(), acts.join(", ")))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Hover
// ---------------------------------------------------------------------------------------------

pub fn hover(cx: &FrontendCx, offset: usize) -> Option<Hover> {
    let storage = cx.backend.storage.as_ref().filter(|s| !s.overridden)?;
    for (api, call) in calls(cx, SOURCES, APIS) {
        let r = call.byte_range();
        if offset < r.start || offset > r.end {
            continue;
        }
        for u in uses(api, call, cx.src) {
            let pr = u.path.node.byte_range();
            if offset < pr.start || offset > pr.end {
                continue;
            }
            let b = bucket_for(storage, &u, cx.src, &mut Vec::new())?;
            if !b.known {
                return None;
            }
            let val = value_tokens(&u.path.parts);
            let key = b
                .paths
                .iter()
                .filter(|k| may_match(&pattern(&k.replace("{entity_id}", IDENTITY)), &val, false))
                .max_by_key(|k| k.len());
            let mut md = format!(
                "**{}** `{}` in {}",
                u.api,
                shown(&u.path.parts),
                bucket_label(b)
            );
            match key {
                Some(k) => md.push_str(&format!(" · access path `{k}`\n")),
                None => md.push_str(" · no access path covers it\n"),
            }
            for w in principals(b) {
                let acts: Vec<&str> = Action::ALL
                    .iter()
                    .filter(|a| allowed(b, &w, **a, &val, true))
                    .map(|a| a.name())
                    .collect();
                md.push_str(&format!(
                    "\n- {}: {}",
                    w.label(),
                    if acts.is_empty() {
                        "no access".to_string()
                    } else {
                        acts.join(", ")
                    }
                ));
            }
            md.push_str(&format!("\n\nThis call needs `{}`.", u.action.name()));
            return Some(Hover {
                markdown: md,
                span: span(u.path.node),
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------------------------

/// Where the cursor sits in a quoted value after `key:` on its line: the quote's offset and character, and
/// the text between them and the cursor's line start.
pub(super) fn quoted_after(src: &str, offset: usize) -> Option<(usize, char, &str)> {
    let offset = offset.min(src.len());
    if !src.is_char_boundary(offset) {
        return None;
    }
    let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[line_start..offset];
    let (q, ch) = line
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '\'' | '"' | '`'))?;
    // an even number of quotes of that kind before it: this one opens a string
    if line[..q].matches(ch).count() % 2 != 0 {
        return None;
    }
    Some((line_start + q, ch, &line[..q]))
}

pub fn complete(cx: &FrontendCx, offset: usize) -> Option<Vec<CompletionItem>> {
    let storage = cx.backend.storage.as_ref()?;
    let (named, namespaces) = imported(cx, SOURCES, APIS);
    if named.is_empty() && namespaces.is_empty() {
        return None;
    }
    let (q, quote, before) = quoted_after(cx.src, offset)?;
    let before = before.trim_end();
    let replace = Span::new(q + 1, offset.min(cx.src.len()));
    if before.ends_with("bucket:") {
        let items = storage
            .buckets
            .iter()
            .filter_map(|b| b.name.as_deref())
            .map(|n| item(n, n, "bucket", replace, ItemKind::Value))
            .collect();
        return Some(items);
    }
    let arrow = before.ends_with("=>") && before.contains("path:") && before.contains("identityId");
    if !before.ends_with("path:") && !arrow {
        return None;
    }
    let template = quote == '`';
    let id_name = if arrow {
        let i = before.rfind("identityId")?;
        // `{ identityId: id }` renames it
        let rest = before[i + "identityId".len()..].trim_start();
        match rest.strip_prefix(':') {
            Some(r) => r
                .trim_start()
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .next()
                .unwrap_or("identityId")
                .to_string(),
            None => "identityId".into(),
        }
    } else {
        "identityId".into()
    };
    let mut items = Vec::new();
    let buckets: Vec<&Bucket> = match storage.default_bucket() {
        Some(b) => vec![b],
        None => storage.buckets.iter().collect(),
    };
    for b in buckets {
        for key in &b.paths {
            let prefix = key.strip_suffix('*').unwrap_or(key);
            let detail = format!("access path `{key}` in {}", bucket_label(b));
            if prefix.contains("{entity_id}") {
                if !(arrow && template) {
                    continue;
                }
                let insert = prefix.replace("{entity_id}", &format!("${{{id_name}}}"));
                items.push(item(&insert, &insert, &detail, replace, ItemKind::Value));
            } else {
                items.push(item(prefix, prefix, &detail, replace, ItemKind::Value));
            }
        }
    }
    Some(items)
}

pub(super) fn item(
    label: &str,
    insert: &str,
    detail: &str,
    replace: Span,
    kind: ItemKind,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind,
        detail: Some(detail.to_string()),
        documentation: None,
        insert: insert.to_string(),
        snippet: false,
        replace,
        sort: label.to_string(),
        preselect: false,
        typed: false,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::model::file::FileModel;
    use crate::model::frontend::{view_of, BackendView};
    use crate::syntax::{parse, Lang};

    pub(crate) fn backend(files: &[&str]) -> BackendView {
        let mut view = BackendView::default();
        for src in files {
            let tree = parse(src, Lang::TypeScript, None).expect("parse");
            view.merge(&view_of(&FileModel::build(&tree, src, Lang::TypeScript)));
        }
        view
    }

    /// Runs `f` with a frontend file's context.
    pub(crate) fn with_cx<R>(
        backend: &BackendView,
        src: &str,
        lang: Lang,
        f: impl FnOnce(&FrontendCx) -> R,
    ) -> R {
        let tree = parse(src, lang, None).expect("parse");
        let file = FileModel::build(&tree, src, lang);
        let cx = FrontendCx {
            src,
            tree: &tree,
            file: &file,
            path: None,
            backend,
        };
        f(&cx)
    }

    pub(crate) fn diagnostics(backend: &BackendView, src: &str, lang: Lang) -> Vec<Diagnostic> {
        with_cx(backend, src, lang, |cx| {
            let mut out = Vec::new();
            super::super::check(cx, &mut out);
            out
        })
    }

    fn line_of(src: &str, offset: usize) -> usize {
        src[..offset].matches('\n').count() + 1
    }

    fn fixture_dirs(area: &str) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/frontend")
            .join(area);
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    }

    fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
        out.sort();
    }

    /// Every fixture of the area: its frontend files report exactly the `// expect:` lines, and truncations of
    /// them do not panic.
    pub(crate) fn run_fixtures(area: &str) -> usize {
        let mut problems = Vec::new();
        let mut count = 0;
        for dir in fixture_dirs(area) {
            let mut resources = Vec::new();
            files_under(&dir.join("amplify"), &mut resources);
            let texts: Vec<String> = resources
                .iter()
                .filter(|p| p.file_name().is_some_and(|n| n == "resource.ts"))
                .map(|p| std::fs::read_to_string(p).expect("read"))
                .collect();
            let view = backend(&texts.iter().map(String::as_str).collect::<Vec<_>>());
            let mut srcs = Vec::new();
            files_under(&dir.join("src"), &mut srcs);
            for f in srcs {
                count += 1;
                let src = std::fs::read_to_string(&f).expect("read");
                let lang = if f.extension().is_some_and(|e| e == "ts") {
                    Lang::TypeScript
                } else {
                    Lang::Tsx
                };
                let mut got: Vec<(usize, String)> = diagnostics(&view, &src, lang)
                    .iter()
                    .map(|d| (line_of(&src, d.span.start), d.code.to_string()))
                    .collect();
                got.sort();
                let mut want: Vec<(usize, String)> = src
                    .lines()
                    .enumerate()
                    .filter_map(|(i, l)| {
                        l.split("// expect: ")
                            .nth(1)
                            .map(|c| (i + 1, c.trim().to_string()))
                    })
                    .collect();
                want.sort();
                if got != want {
                    problems.push(format!("{}: got {got:?}, want {want:?}", f.display()));
                }
                for cut in (0..src.len())
                    .step_by(7)
                    .filter(|c| src.is_char_boundary(*c))
                {
                    let part = &src[..cut];
                    let _ = diagnostics(&view, part, lang);
                    with_cx(&view, part, lang, |cx| {
                        let _ = super::super::complete(cx, cut);
                        let _ = super::super::hover(cx, cut.saturating_sub(3));
                    });
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        count
    }

    #[test]
    fn storage_fixtures() {
        assert!(run_fixtures("storage") >= 16);
    }

    const STORAGE: &str = "import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({
  name: 'appFiles',
  isDefault: true,
  access: (allow) => ({
    'public/*': [allow.guest.to(['read']), allow.authenticated.to(['read', 'write', 'delete'])],
    'experiences/{entity_id}/*': [allow.entity('identity').to(['read', 'write', 'delete'])],
    'jobs/*': [allow.resource(worker).to(['read', 'write'])],
  }),
});
export const archive = defineStorage({ name: 'archive', access: (allow) => ({ 'logs/*': [allow.authenticated.to(['read'])] }) });
";

    fn codes(front: &str) -> Vec<&'static str> {
        let view = backend(&[STORAGE]);
        diagnostics(&view, front, Lang::TypeScript)
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    const IMPORT: &str =
        "import { uploadData, list as listFiles, copy } from 'aws-amplify/storage';\n";

    #[test]
    fn paths_actions_and_identity() {
        let c = |call: &str| codes(&format!("{IMPORT}{call}"));
        assert_eq!(
            c("uploadData({ path: 'secret/a', data });"),
            vec![PATH_NOT_COVERED]
        );
        assert!(c("uploadData({ path: `public/${name}`, data });").is_empty());
        assert!(c("uploadData({ path: `${dir}/a`, data });").is_empty());
        assert!(c("uploadData({ path: somePath, data });").is_empty());
        // a function's grant is no browser's
        assert_eq!(
            c("uploadData({ path: 'jobs/a', data });"),
            vec![ACTION_DENIED]
        );
        assert_eq!(
            c("listFiles({ path: 'logs/', options: { bucket: 'archive' } });"),
            Vec::<&str>::new()
        );
        assert_eq!(
            c("uploadData({ path: 'logs/a', options: { bucket: 'archive' } });"),
            vec![ACTION_DENIED]
        );
        assert_eq!(
            c("uploadData({ path: `experiences/${file.name}`, data });"),
            vec![ENTITY_ID]
        );
        assert!(c(
            "uploadData({ path: ({ identityId }) => `experiences/${identityId}/a.png`, data });"
        )
        .is_empty());
        assert!(
            c("uploadData({ path: `experiences/${session.identityId}/a.png`, data });").is_empty()
        );
        assert_eq!(
            c("uploadData({ path: ({ identityId }) => `experiences/${identityId}a/x`, data });"),
            vec![ENTITY_ID]
        );
        assert_eq!(
            c("listFiles({ path: 'public/', options: { bucket: 'archiv' } });"),
            vec![UNKNOWN_BUCKET]
        );
        assert!(c(
            "listFiles({ path: 'x/', options: { bucket: { bucketName: 'b', region: 'r' } } });"
        )
        .is_empty());
        assert_eq!(
            c("copy({ source: { path: 'logs/a', bucket: 'archive' }, destination: { path: 'logs/b', bucket: 'archive' } });"),
            vec![ACTION_DENIED]
        );
        // not imported from aws-amplify/storage: not ours
        assert!(codes("uploadData({ path: 'secret/a', data });").is_empty());
        assert_eq!(
            codes("import { getUrl } from '@aws-amplify/storage';\ngetUrl({ path: 'secret/a' });"),
            vec![PATH_NOT_COVERED]
        );
        assert!(codes("import { getUrl } from 'aws-amplify/storage/server';\ngetUrl(ctx, { path: 'secret/a' });").is_empty());
    }

    #[test]
    fn listing_an_owners_folder_names_the_identity_id() {
        let view = backend(&[STORAGE]);
        let d = diagnostics(
            &view,
            &format!("{IMPORT}listFiles({{ path: 'experiences/' }});"),
            Lang::TypeScript,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, PATH_NOT_COVERED);
        assert!(
            d[0].message.contains("`experiences/${identityId}/`"),
            "{}",
            d[0].message
        );
        let ok = format!(
            "{IMPORT}listFiles({{ path: ({{ identityId }}) => `experiences/${{identityId}}/` }});"
        );
        assert!(diagnostics(&view, &ok, Lang::TypeScript).is_empty());
    }

    #[test]
    fn unknown_buckets_and_unknown_access_stay_silent() {
        let view = backend(&["import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({ name: 'a', access: (allow) => rules(allow) });"]);
        let d = diagnostics(
            &view,
            &format!("{IMPORT}uploadData({{ path: 'x/y', data }});"),
            Lang::TypeScript,
        );
        assert!(d.is_empty(), "{d:?}");
        let view = backend(&["import { defineStorage } from '@aws-amplify/backend';
export const storage = defineStorage({ name: NAME, access: (allow) => ({}) });"]);
        let d = diagnostics(
            &view,
            &format!("{IMPORT}listFiles({{ path: 'x/', options: {{ bucket: 'b' }} }});"),
            Lang::TypeScript,
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn code_that_changes_iam_or_outputs_silences_the_rules() {
        let src = format!("{IMPORT}uploadData({{ path: 'secret/a', data }});");
        for other in [
            "import { defineBackend } from '@aws-amplify/backend';\nimport { PolicyStatement } from 'aws-cdk-lib/aws-iam';\nconst backend = defineBackend({});",
            "import { defineBackend } from '@aws-amplify/backend';\nconst backend = defineBackend({});\nbackend.addOutput({ storage: { buckets: [] } });",
        ] {
            for order in [[STORAGE, other], [other, STORAGE]] {
                let view = backend(&order);
                assert!(diagnostics(&view, &src, Lang::TypeScript).is_empty());
            }
        }
        // an output of another kind changes nothing
        let other = "import { defineBackend } from '@aws-amplify/backend';\nconst backend = defineBackend({});\nbackend.addOutput({ custom: { a: 1 } });";
        let view = backend(&[STORAGE, other]);
        assert_eq!(diagnostics(&view, &src, Lang::TypeScript).len(), 1);
    }

    #[test]
    fn matching() {
        let v = |parts: Vec<Part>| value_tokens(&parts);
        let lit = |s: &str| Part::Lit(s.into());
        let any = Part::Any {
            identity: false,
            text: "x".into(),
        };
        let p = pattern("media/${identityId}/*");
        assert!(may_match(
            &p,
            &v(vec![lit("media/"), Part::Id, lit("/a")]),
            true
        ));
        assert!(!may_match(&p, &v(vec![lit("media/"), any.clone()]), true));
        assert!(may_match(&p, &v(vec![lit("media/"), any.clone()]), false));
        assert!(may_match(&p, &v(vec![lit("media/abc/d")]), false));
        assert!(!may_match(&p, &v(vec![lit("media/abc")]), false));
        assert!(!may_match(&p, &v(vec![lit("medi/abc/d")]), false));
        assert!(must_match(
            &pattern("public/reports/*"),
            &v(vec![lit("public/reports/"), any.clone()])
        ));
        assert!(!must_match(
            &pattern("public/reports/*"),
            &v(vec![lit("public/"), any])
        ));
    }

    #[test]
    fn hover_lists_principals() {
        let view = backend(&[STORAGE]);
        let src = format!("{IMPORT}uploadData({{ path: 'public/a.png', data }});");
        let at = src.find("public/a").expect("path") + 2;
        let h = with_cx(&view, &src, Lang::TypeScript, |cx| hover(cx, at)).expect("hover");
        assert!(
            h.markdown.contains("access path `public/*`"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("- guest: get, list"), "{}", h.markdown);
        assert!(
            h.markdown
                .contains("- authenticated: get, list, write, delete"),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown
                .contains("- owner (identity id in the path): no access"),
            "{}",
            h.markdown
        );
        let hover_of = |path: &str| {
            let src = format!("{IMPORT}uploadData({{ path: {path}, data }});");
            let at = src.find("experiences").expect("path") + 2;
            with_cx(&view, &src, Lang::TypeScript, |cx| hover(cx, at))
                .expect("hover")
                .markdown
        };
        let own = hover_of("({ identityId }) => `experiences/${identityId}/a.png`");
        assert!(
            own.contains("- owner (identity id in the path): get, list, write, delete"),
            "{own}"
        );
        let other = hover_of("`experiences/${file.name}`");
        assert!(
            other.contains("- owner (identity id in the path): no access"),
            "{other}"
        );
    }

    #[test]
    fn completes_paths_and_buckets() {
        let view = backend(&[STORAGE]);
        let labels = |src: &str| -> Vec<String> {
            with_cx(&view, src, Lang::Tsx, |cx| complete(cx, src.len()))
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.insert)
                .collect()
        };
        let p = labels(&format!("{IMPORT}uploadData({{ path: 'pu"));
        assert_eq!(p, vec!["public/", "jobs/"]);
        let p = labels(&format!(
            "{IMPORT}uploadData({{ path: ({{ identityId }}) => `"
        ));
        assert!(
            p.contains(&"experiences/${identityId}/".to_string()),
            "{p:?}"
        );
        let p = labels(&format!(
            "{IMPORT}uploadData({{ path: 'a', options: {{ bucket: '"
        ));
        assert_eq!(p, vec!["appFiles", "archive"]);
        assert!(labels("uploadData({ path: '").is_empty());
    }
}
